"""What members puts in the search index: people and enterprises, found by the search app at start-up.

Visibility follows the lists: an officer finds the people and enterprises with a membership in their
associations, a member finds their own record, federation staff find everyone."""

from django.utils.translation import gettext_lazy as _

from qiaojia.accounts import scope
from qiaojia.core.chinese import search_key
from qiaojia.search.registry import Document, Indexer, detail_url, list_url, register

from . import selectors
from .models import Enterprise, Person

PERSON = "person"
ENTERPRISE = "enterprise"
NAMES = ("name", "name_en", "name_key", "name_pinyin", "name_initials")


def _person_document(p) -> Document:
    return Document(
        title=p.name,
        subtitle=p.name_en,
        key=p.name_key or search_key(p.name),
        pinyin=p.name_pinyin,
        initials=p.name_initials,
        english=(p.name_en or "").casefold(),
    )


def _person_visible(viewer):
    return None if scope.is_federation(viewer) else selectors.person_scope(viewer).values("pk")


def _enterprise_document(e) -> Document:
    return Document(
        title=e.name,
        subtitle=e.name_en,
        key=e.name_key or search_key(e.name),
        pinyin=e.name_pinyin,
        initials=e.name_initials,
        english=(e.name_en or "").casefold(),
    )


def _enterprise_visible(viewer):
    return None if scope.is_federation(viewer) else selectors.enterprise_scope(viewer).values("pk")


register(
    Indexer(
        kind=PERSON,
        titles_are_names=True,
        model=Person,
        label=_("People"),
        order=20,
        document=_person_document,
        visible_ids=_person_visible,
        visible_probe=selectors.person_probe,
        visible_few=selectors.person_ids_if_few,
        url=lambda viewer, pk: detail_url("members:person-detail", pk),
        list_url=list_url("members:person-list"),
        bulk_fields=("id", *NAMES),
        # An erased person is never indexed again, not even under their label.
        bulk_queryset=lambda: Person.objects.filter(erased_at__isnull=True),
    )
)
register(
    Indexer(
        kind=ENTERPRISE,
        model=Enterprise,
        label=_("Enterprises"),
        order=30,
        document=_enterprise_document,
        visible_ids=_enterprise_visible,
        visible_probe=selectors.enterprise_probe,
        visible_few=selectors.enterprise_ids_if_few,
        url=lambda viewer, pk: detail_url("members:enterprise-detail", pk),
        list_url=list_url("members:enterprise-list"),
        bulk_fields=("id", *NAMES),
    )
)
