"""The built-in indexers: associations, people and enterprises.

Visibility follows the lists: an officer finds the people and enterprises with a membership in
their associations, a member finds their own record, federation staff find everyone. Associations'
profiles are public, so every signed-in user finds every association that is not deregistered; the
result opens the internal page for those who may see it and the public profile for everyone else."""

from functools import lru_cache
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from qiaojia.accounts import scope
from qiaojia.core.chinese import search_key

from .registry import Document, Indexer, register

ASSOCIATION = "association"
PERSON = "person"
ENTERPRISE = "enterprise"


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
    from qiaojia.orgs.models import Association, AssociationStatus

    if scope.is_federation(viewer):
        return None
    return Association.objects.exclude(status=AssociationStatus.DEREGISTERED).values("pk")


_PK = 987654321987


@lru_cache(maxsize=64)
def _pattern(name: str, script_prefix: str) -> tuple[str, str]:
    """A detail URL split around its primary key: a page of 20 results reverses each name once."""
    before, after = reverse(name, args=[_PK]).split(str(_PK))
    return before, after


def detail_url(name: str, pk: int) -> str:
    before, after = _pattern(name, get_script_prefix())
    return f"{before}{pk}{after}"


def _association_url(viewer, pk: int) -> str:
    if scope.is_federation(viewer) or pk in scope.officer_association_ids(viewer):
        return detail_url("orgs:association-detail", pk)
    return detail_url("orgs-public", pk)


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
    from qiaojia.members.selectors import person_scope

    return None if scope.is_federation(viewer) else person_scope(viewer).values("pk")


def _person_probe(viewer, object_id: str):
    from qiaojia.members.selectors import person_probe

    return person_probe(viewer, object_id)


def _person_few(viewer, limit: int):
    from qiaojia.members.selectors import person_ids_if_few

    return person_ids_if_few(viewer, limit)


def _enterprise_few(viewer, limit: int):
    from qiaojia.members.selectors import enterprise_ids_if_few

    return enterprise_ids_if_few(viewer, limit)


def _enterprise_probe(viewer, object_id: str):
    from qiaojia.members.selectors import enterprise_probe

    return enterprise_probe(viewer, object_id)


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
    from qiaojia.members.selectors import enterprise_scope

    return None if scope.is_federation(viewer) else enterprise_scope(viewer).values("pk")


def _list_url(name: str, allowed=lambda viewer: True):
    def url(viewer, q: str) -> str | None:
        return reverse(name) + "?" + urlencode({"q": q}) if allowed(viewer) else None

    return url


def _register() -> None:
    from qiaojia.members.models import Enterprise, Person
    from qiaojia.orgs.models import Association
    from qiaojia.orgs.permissions import can_view_internal_registry

    names = ("name", "name_en", "name_key", "name_pinyin", "name_initials")
    register(
        Indexer(
            kind=ASSOCIATION,
            model=Association,
            label=_("Associations"),
            order=10,
            document=_association_document,
            visible_ids=_association_visible,
            url=_association_url,
            list_url=_list_url("orgs:association-list", can_view_internal_registry),
            bulk_fields=("id", "short_name", *names),
        )
    )
    register(
        Indexer(
            kind=PERSON,
            model=Person,
            label=_("People"),
            order=20,
            document=_person_document,
            visible_ids=_person_visible,
            visible_probe=_person_probe,
            visible_few=_person_few,
            url=lambda viewer, pk: detail_url("members:person-detail", pk),
            list_url=_list_url("members:person-list"),
            bulk_fields=("id", *names),
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
            visible_probe=_enterprise_probe,
            visible_few=_enterprise_few,
            url=lambda viewer, pk: detail_url("members:enterprise-detail", pk),
            list_url=_list_url("members:enterprise-list"),
            bulk_fields=("id", *names),
        )
    )


_register()
