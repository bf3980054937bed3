"""Reads of the registry, always for a viewer. Out of scope is 404: other tenants' ids do not exist."""

import datetime

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from qiaojia.accounts import scope
from qiaojia.core.validators import MAX_ID
from qiaojia.members.models import Membership
from qiaojia.search import selectors as search_selectors

from .models import Association, AssociationStatus, AssociationTitle, Department, Federation, Partner, Term


def _visible_association_ids(viewer) -> frozenset[int] | None:
    """None means every association."""
    if scope.is_federation(viewer):
        return None
    return scope.officer_association_ids(viewer)


def officer_associations(*, viewer) -> QuerySet[Association]:
    """The associations the viewer serves as officer, by name (none for anyone else): those an officer
    may act for — start a report, organise a meeting or campaign, register a delegation, record a donation."""
    return Association.objects.filter(pk__in=scope.officer_association_ids(viewer)).order_by("name")


def association_list(
    *,
    viewer,
    q: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    department: int | None = None,
    with_counts: bool = False,
) -> QuerySet[Association]:
    qs = Association.objects.select_related("supervising_department")
    ids = _visible_association_ids(viewer)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if q:
        qs = qs.filter(
            Q(pk__in=search_selectors.matching_ids(kind="association", q=q)) | Q(credit_code=q.strip().upper())
        )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if department:
        qs = qs.filter(supervising_department_id=department)
    if with_counts:
        today = timezone.localdate()
        warn_until = today + datetime.timedelta(days=_warning_days())
        qs = qs.annotate(
            member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True), distinct=True),
            terms_ending=Count(
                "terms",
                filter=Q(terms__ends_on__gte=today, terms__ends_on__lte=warn_until, terms__starts_on__lte=today),
                distinct=True,
            ),
        )
    return qs.order_by(*((search_selectors.rank(q), "name") if q else ("name",)))


def association_page_stats(associations) -> None:
    """Current member counts and term-change warnings for one page of associations: two grouped
    queries over the page's ids, instead of aggregating every association before paging."""
    ids = [a.pk for a in associations]
    today = timezone.localdate()
    warn_until = today + datetime.timedelta(days=_warning_days())
    members = dict(
        Membership.objects.filter(association_id__in=ids, left_on__isnull=True)
        .values("association_id")
        .annotate(n=Count("id"))
        .values_list("association_id", "n")
    )
    ending = dict(
        Term.objects.filter(association_id__in=ids, starts_on__lte=today, ends_on__gte=today, ends_on__lte=warn_until)
        .values("association_id")
        .annotate(n=Count("id"))
        .values_list("association_id", "n")
    )
    for association in associations:
        association.member_count = members.get(association.pk, 0)
        association.terms_ending = ending.get(association.pk, 0)


def _warning_days() -> int:
    from django.conf import settings

    return settings.QIAOJIA_TERM_WARNING_DAYS


def association_get(*, viewer, pk: int) -> Association:
    ids = _visible_association_ids(viewer)
    if ids is not None and pk not in ids:
        raise Http404
    try:
        return Association.objects.select_related("supervising_department", "federation").get(pk=pk)
    except Association.DoesNotExist as exc:
        raise Http404 from exc


def association_filter(*, viewer, raw) -> Association | None:
    """The association a list or export is narrowed to by a query parameter (`?association=`), for `viewer`.

    Every list and export filter reads association ids through this one function. Nothing, or anything
    that is not a number, is no filter (None), as filter bars ignore bad values. A number that names no
    association the viewer may see (another association's, a missing one, one beyond 64 bits) raises
    Http404 like any foreign id, so another association's id cannot be told from a missing one."""
    text = str(raw).strip() if raw is not None else ""
    if not (text.isascii() and text.isdigit()):
        return None
    # Compared as text first: int() of a very long string is slow, and refused past 4300 digits.
    if len(text) > len(str(MAX_ID)) or int(text) > MAX_ID:
        raise Http404
    return association_get(viewer=viewer, pk=int(text))


def association_public_list() -> QuerySet[Association]:
    return Association.objects.exclude(status=AssociationStatus.DEREGISTERED).order_by("name")


def association_public_get(*, pk: int) -> Association:
    try:
        return association_public_list().select_related("supervising_department", "federation").get(pk=pk)
    except Association.DoesNotExist as exc:
        raise Http404 from exc


def _title_rank():
    """Officers in the order of their titles (president first), not alphabetically by code."""
    return Case(
        *[When(title=value, then=Value(rank)) for rank, value in enumerate(AssociationTitle.values)],
        default=Value(len(AssociationTitle.values)),
        output_field=IntegerField(),
    )


def association_terms(*, association: Association, current_only: bool = False) -> QuerySet[Term]:
    qs = Term.objects.filter(association=association).select_related("person")
    if current_only:
        qs = qs.current()
    return qs.order_by(_title_rank(), "-starts_on", "person__name_pinyin")


def term_get(*, viewer, pk: int) -> Term:
    term = Term.objects.select_related("association", "person").filter(pk=pk).first()
    if term is None:
        raise Http404
    association_get(viewer=viewer, pk=term.association_id)
    return term


def terms_ending_soon(*, viewer) -> QuerySet[Term]:
    qs = Term.objects.ending_soon().select_related("association", "person").order_by("ends_on")
    ids = _visible_association_ids(viewer)
    if ids is not None:
        qs = qs.filter(association_id__in=ids)
    return qs


def partner_list(
    *, viewer, q: str | None = None, kind: str | None = None, association: int | None = None
) -> QuerySet[Partner]:
    qs = Partner.objects.select_related("association")
    ids = _visible_association_ids(viewer)
    if ids is not None:
        qs = qs.filter(association_id__in=ids)
    if q:
        qs = qs.filter(name__icontains=q)
    if kind:
        qs = qs.filter(kind=kind)
    if association:
        qs = qs.filter(association_id=association)
    return qs.annotate(liaison_count=Count("liaisons")).order_by("name")


def partner_get(*, viewer, pk: int) -> Partner:
    partner = Partner.objects.select_related("association").filter(pk=pk).first()
    if partner is None:
        raise Http404
    association_get(viewer=viewer, pk=partner.association_id)
    return partner


def federation_get() -> Federation | None:
    return Federation.objects.order_by("id").first()


def department_list() -> QuerySet[Department]:
    return Department.objects.annotate(association_count=Count("associations")).order_by("order", "id")


def department_get(*, viewer, pk: int) -> Department:
    if not scope.is_federation(viewer):
        raise Http404
    try:
        return Department.objects.get(pk=pk)
    except Department.DoesNotExist as exc:
        raise Http404 from exc


def home_summary(*, viewer) -> dict:
    associations = Association.objects.order_by("name")
    ids = _visible_association_ids(viewer)
    if ids is not None:
        associations = associations.filter(pk__in=ids)
    own = scope.own_person_id(viewer)
    # A member's associations are those they currently belong to, shown by their public pages.
    member_of = (
        list(
            association_public_list().filter(
                pk__in=Membership.objects.filter(person_id=own, left_on__isnull=True).values("association_id")
            )
        )
        if own
        else []
    )
    return {
        "association_count": associations.count(),
        "terms_ending": list(terms_ending_soon(viewer=viewer)[:10]),
        "my_associations": list(associations[:10]) if ids is not None else [],
        "whole_registry": ids is None,
        "is_officer": bool(ids),
        "member_of": member_of,
    }
