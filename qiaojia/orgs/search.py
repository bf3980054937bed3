"""What orgs puts in the search index: associations, found by the search app at start-up.

Associations' profiles are public, so every signed-in user finds every association that is not
deregistered; the result opens the internal page for those who may see it and the public profile for
everyone else."""

from django.utils.translation import gettext_lazy as _

from qiaojia.accounts import scope
from qiaojia.core.chinese import search_key
from qiaojia.search.registry import Document, Indexer, detail_url, list_url, register

from .models import Association, AssociationStatus
from .permissions import can_view_internal_registry

ASSOCIATION = "association"


def _association_document(a) -> Document:
    return Document(
        title=a.name,
        subtitle=a.name_en,
        key=a.name_key or search_key(a.name),
        pinyin=a.name_pinyin,
        initials=a.name_initials,
        english=(a.name_en or "").casefold(),
        extra=search_key(a.short_name or ""),
    )


def _association_visible(viewer):
    if scope.is_federation(viewer):
        return None
    return Association.objects.exclude(status=AssociationStatus.DEREGISTERED).values("pk")


def _association_url(viewer, pk: int) -> str:
    if scope.is_federation(viewer) or pk in scope.officer_association_ids(viewer):
        return detail_url("orgs:association-detail", pk)
    return detail_url("orgs-public", pk)


register(
    Indexer(
        kind=ASSOCIATION,
        model=Association,
        label=_("Associations"),
        order=10,
        document=_association_document,
        visible_ids=_association_visible,
        url=_association_url,
        list_url=list_url("orgs:association-list", can_view_internal_registry),
        bulk_fields=("id", "short_name", "name", "name_en", "name_key", "name_pinyin", "name_initials"),
    )
)
