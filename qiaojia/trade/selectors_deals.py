"""Reads of introductions, signed projects and the rate table, always for a viewer. Out of scope is 404.

An introduction is seen by its two sides (the officers of each side's association, each enterprise's contact,
the accounts that acted for a side), its broker and federation staff: an officer of a third association
never. Contact details are read only for a case both sides agreed to. A signed project is seen by federation
staff and the officers of the association that recorded it."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qiaojia.accounts import scope
from qiaojia.accounts.models import Role, User
from qiaojia.orgs.models import Association
from qiaojia.search import selectors as search_selectors

from . import matching, permissions
from .models import Offer, OfferStatus
from .models_deals import (
    AGREED_STAGES,
    CurrencyRate,
    Introduction,
    IntroductionNote,
    ProjectNote,
    SignedProject,
)

PROJECT_KIND = "trade-project"


# Introductions ---------------------------------------------------------------------------------------


def introduction_scope(viewer) -> QuerySet[Introduction]:
    qs = Introduction.objects.all()
    if not viewer.is_authenticated or not viewer.is_active:
        return qs.none()
    if scope.is_federation(viewer):
        return qs
    condition = Q(a_user=viewer) | Q(b_user=viewer) | Q(broker=viewer)
    ids = scope.officer_association_ids(viewer)
    if ids:
        condition |= Q(a_association_id__in=ids) | Q(b_association_id__in=ids)
    own = scope.own_person_id(viewer)
    if own:
        condition |= Q(a_enterprise__representative_id=own) | Q(b_enterprise__representative_id=own)
    return qs.filter(condition)


def introduction_list(*, viewer, stage: str | None = None, q: str | None = None) -> QuerySet[Introduction]:
    qs = introduction_scope(viewer).select_related(
        "offer", "a_association", "b_association", "a_enterprise", "b_enterprise"
    )
    if stage:
        qs = qs.filter(stage=stage)
    if q:
        qs = qs.filter(offer_id__in=search_selectors.matching_ids(kind="trade-offer", q=q))
    return qs.order_by("-created_at", "-id")


def introduction_get(*, viewer, pk: int) -> Introduction:
    introduction = (
        introduction_scope(viewer)
        .select_related(
            "offer",
            "a_offer",
            "a_association",
            "b_association",
            "a_enterprise__representative",
            "b_enterprise__representative",
            "a_user__person",
            "b_user__person",
        )
        .filter(pk=pk)
        .first()
    )
    if introduction is None:
        raise Http404
    return introduction


def introduction_notes(*, introduction: Introduction) -> list[IntroductionNote]:
    return list(introduction.notes.order_by("created_at", "id"))


@dataclass(frozen=True)
class Contact:
    """How to reach one side of an agreed introduction."""

    organisation: str
    name: str
    phone: str
    email: str


def _contact(introduction: Introduction, side: str) -> Contact:
    association = getattr(introduction, f"{side}_association")
    enterprise = getattr(introduction, f"{side}_enterprise")
    user = getattr(introduction, f"{side}_user")
    person = enterprise.representative if enterprise is not None and enterprise.representative_id else None
    if person is None and user is not None:
        person = user.person if user.person_id else None
    name = person.name if person is not None else (user.get_full_name() or user.username if user else "")
    return Contact(
        organisation=enterprise.name if enterprise is not None else association.name,
        name=name,
        phone=(person.phone if person is not None else "") or "",
        email=(person.email if person is not None else "") or (user.email if user is not None else ""),
    )


def introduction_contacts(*, viewer, introduction: Introduction) -> dict[str, Contact]:
    """Each side's contact details, for one who sees the case, once both sides agreed; before that none."""
    if not introduction.agreed or not permissions.can_view_introduction(viewer, introduction):
        return {}
    return {"a": _contact(introduction, "a"), "b": _contact(introduction, "b")}


def offer_contact(*, viewer, offer: Offer) -> Contact | None:
    """The poster's contact details for a viewer whose side's expression of interest in `offer` the poster
    accepted; None otherwise (and always before acceptance)."""
    for introduction in (
        introduction_scope(viewer)
        .filter(offer=offer, stage__in=AGREED_STAGES)
        .select_related(
            "a_association", "b_association", "b_enterprise__representative", "b_user__person", "a_enterprise"
        )[:5]
    ):
        if "a" in permissions.sides_of(viewer, introduction):
            return _contact(introduction, "b")
    return None


def offer_introductions(*, viewer, offer: Offer) -> list[Introduction]:
    """The viewer's introductions about `offer` (as either side), newest first."""
    return list(
        introduction_scope(viewer)
        .filter(Q(offer=offer) | Q(a_offer=offer))
        .select_related("a_association", "a_enterprise", "b_association")
        .order_by("-created_at", "-id")[:20]
    )


# Signed projects and the rate table -----------------------------------------------------------------


def project_scope(viewer) -> QuerySet[SignedProject]:
    qs = SignedProject.objects.all()
    if not viewer.is_authenticated or not viewer.is_active:
        return qs.none()
    if scope.is_federation(viewer):
        return qs
    ids = scope.officer_association_ids(viewer)
    return qs.filter(association_id__in=ids) if ids else qs.none()


def project_list(
    *,
    viewer,
    q: str | None = None,
    kind: str | None = None,
    stage: str | None = None,
    association: int | None = None,
    year: int | None = None,
) -> QuerySet[SignedProject]:
    qs = project_scope(viewer).select_related("association", "event")
    if q:
        qs = qs.filter(pk__in=search_selectors.matching_ids(kind=PROJECT_KIND, q=q))
    if kind:
        qs = qs.filter(kind=kind)
    if stage:
        qs = qs.filter(stage=stage)
    if association:
        qs = qs.filter(association_id=association)
    if year:
        qs = qs.filter(signed_on__year=year)
    return qs.order_by("-signed_on", "-id")


def project_get(*, viewer, pk: int) -> SignedProject:
    project = project_scope(viewer).select_related("association", "event", "introduction__offer").filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


def project_notes(*, project: SignedProject) -> list[ProjectNote]:
    return list(project.notes.order_by("created_at", "id"))


def project_visible_ids(viewer) -> QuerySet:
    return project_scope(viewer).values("pk")


class RateTable:
    """The staff's rate table read once: yuan per unit of a currency on a day (the latest row not after it)."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
        for currency, day, rate in CurrencyRate.objects.order_by("currency", "effective_from").values_list(
            "currency", "effective_from", "rate"
        ):
            self.rows[currency].append((day, rate))

    def rate(self, currency: str, day: datetime.date) -> Decimal | None:
        if currency == "CNY":
            return Decimal(1)
        found = None
        for effective, rate in self.rows.get(currency, ()):
            if effective > day:
                break
            found = rate
        if found is None and self.rows.get(currency):
            found = self.rows[currency][0][1]  # signed before the first rate: the earliest one known
        return found

    def in_yuan(self, amount: Decimal, currency: str, day: datetime.date) -> Decimal | None:
        rate = self.rate(currency, day)
        return None if rate is None else (amount * rate).quantize(Decimal("0.01"))


@dataclass
class ProjectTotals:
    count: int
    yuan: Decimal
    unconverted: int  # projects in a currency the rate table does not know yet


def project_totals(projects) -> ProjectTotals:
    """The number of projects and their amount in yuan at the rate table (one query for the rates)."""
    table = RateTable()
    total, missing, count = Decimal(0), 0, 0
    for amount, currency, day in projects.values_list("amount", "currency", "signed_on"):
        count += 1
        value = table.in_yuan(amount, currency, day)
        if value is None:
            missing += 1
        else:
            total += value
    return ProjectTotals(count=count, yuan=total, unconverted=missing)


def project_report_figures(*, association_id: int, year: int) -> dict[str, object]:
    """The annual report's trade figures (registered with cycle's figures): projects signed in `year` and
    their amount in yuan."""
    totals = project_totals(SignedProject.objects.filter(association_id=association_id, signed_on__year=year))
    return {"projects_signed": totals.count, "projects_amount": str(totals.yuan)}


def rate_list() -> list[CurrencyRate]:
    return list(CurrencyRate.objects.order_by("currency", "-effective_from")[:500])


# The weekly digest ----------------------------------------------------------------------------------


def _managers(offers: list[Offer]) -> dict[int, list[User]]:
    """Who manages each item: its association's active officers and its enterprise's contact's account."""
    association_ids = {o.association_id for o in offers}
    officers: dict[int, list[User]] = defaultdict(list)
    links = User.associations.through.objects.filter(
        association_id__in=association_ids, user__role=Role.OFFICER, user__is_active=True
    ).select_related("user")
    for link in links:
        officers[link.association_id].append(link.user)
    representative = {o.pk: o.enterprise.representative_id for o in offers if o.enterprise is not None}
    accounts: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(person_id__in={p for p in representative.values() if p}, is_active=True):
        if user.person_id is not None:
            accounts[user.person_id].append(user)
    out: dict[int, list[User]] = {}
    for offer in offers:
        users = list(officers.get(offer.association_id, []))
        person_id = representative.get(offer.pk)
        if person_id:
            users += accounts.get(person_id, [])
        out[offer.pk] = users
    return out


def digest_matches(*, since: datetime.datetime, per_item: int = 10) -> dict[User, list[tuple[Offer, Offer]]]:
    """For each user managing a published item, the (their item, new item) pairs where an item published
    since `since` is among the suggestions for theirs. Read from the new items' side: each new item's
    suggestions are the older items it complements, whose managers hear of it."""
    today = timezone.localdate()
    new_items = list(
        Offer.objects.filter(status=OfferStatus.PUBLISHED, published_at__gte=since, valid_until__gte=today)
        .select_related("enterprise")
        .order_by("published_at", "pk")[:2000]
    )
    pairs: list[tuple[int, Offer]] = []
    for new in new_items:
        for s in matching.suggestion_ids(new, limit=per_item):
            pairs.append((s.offer_id, new))
    own = {
        o.pk: o
        for o in Offer.objects.filter(pk__in={p for p, _n in pairs}, status=OfferStatus.PUBLISHED).select_related(
            "enterprise"
        )
    }
    managers = _managers(list(own.values()))
    out: dict[User, list[tuple[Offer, Offer]]] = defaultdict(list)
    for own_id, new in pairs:
        mine = own.get(own_id)
        if mine is None or (new.association_id == mine.association_id and new.enterprise_id == mine.enterprise_id):
            continue
        for user in managers.get(own_id, []):
            if (mine, new) not in out[user]:
                out[user].append((mine, new))
    return dict(out)


def recording_associations(user, introduction=None) -> list[Association]:
    """The associations `user` may record a signed project for (of an introduction: one of its two sides)."""
    qs = Association.objects.order_by("name")
    if introduction is not None:
        qs = qs.filter(pk__in=[introduction.a_association_id, introduction.b_association_id])
    if not scope.is_federation(user):
        qs = qs.filter(pk__in=scope.officer_association_ids(user))
    return list(qs[:500])
