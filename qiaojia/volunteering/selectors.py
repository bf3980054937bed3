"""Reads of campaigns, sign-ups, beneficiaries and donations, always for a viewer. Out of scope is 404.

An open or closed campaign is a public call for volunteers: every logged-in user sees it. A draft
is its organiser's. Who signed up is seen by the organiser, by the officers of the association the
volunteer came through and by the volunteer; beneficiaries by the organiser; donations by the
association that recorded them and the federation."""

import datetime
from decimal import Decimal
from typing import Any, Protocol, cast

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from qiaojia.accounts import scope
from qiaojia.members.models import Membership, Person
from qiaojia.orgs import selectors as org_selectors
from qiaojia.orgs.models import Association

from . import permissions
from .models import (
    ACTIVE_SIGNUP,
    PERSONAL_BENEFICIARY,
    Beneficiary,
    BeneficiaryKind,
    Campaign,
    CampaignStatus,
    Donation,
    DonationKind,
    Shift,
    ShiftSignup,
    SignupStatus,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
# What a donation is worth: the amount of money, or the estimated value of goods.
DONATION_VALUE = Case(When(kind=DonationKind.MONEY, then=F("amount")), default=F("estimated_value"), output_field=MONEY)


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _sum(expression, condition: Q | None = None):
    return Coalesce(Sum(expression, filter=condition, output_field=MONEY), Value(ZERO), output_field=MONEY)


# Campaigns ------------------------------------------------------------------------------------


def campaign_scope(viewer) -> QuerySet[Campaign]:
    qs = Campaign.objects.all()
    if scope.is_federation(viewer):
        return qs
    if not viewer.is_authenticated:
        return qs.none()
    condition = Q(status__in=(CampaignStatus.OPEN, CampaignStatus.CLOSED))
    ids = scope.officer_association_ids(viewer)
    if ids:
        condition |= Q(association_id__in=ids)
    return qs.filter(condition)


def campaign_list(
    *,
    viewer,
    q: str | None = None,
    brand: str | None = None,
    status: str | None = None,
    year: int | None = None,
    association: int | None = None,
) -> QuerySet[Campaign]:
    qs = campaign_scope(viewer).select_related("association", "federation")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(place__icontains=q))
    if brand:
        qs = qs.filter(brand=brand)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(starts_on__year=year)
    if association:
        qs = qs.filter(association_id=association)
    return qs.order_by("-starts_on", "-id")


def campaign_page_counts(campaigns) -> None:
    """Shifts, places and sign-ups for one page of campaigns, in one grouped query."""
    ids = [c.pk for c in campaigns]
    rows = (
        Shift.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(
            shifts=Count("id", distinct=True), signed=Count("signups", filter=Q(signups__status__in=ACTIVE_SIGNUP))
        )
    )
    counts = {r["campaign_id"]: (r["shifts"], r["signed"]) for r in rows}
    for campaign in campaigns:
        campaign.shift_count, campaign.signup_count = counts.get(campaign.pk, (0, 0))


def campaign_get(*, viewer, pk: int) -> Campaign:
    campaign = campaign_scope(viewer).select_related("association", "federation").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def shift_get(*, viewer, pk: int) -> Shift:
    shift = Shift.objects.filter(pk=pk).first()
    if shift is None:
        raise Http404
    shift.campaign = campaign_get(viewer=viewer, pk=shift.campaign_id)
    return shift


# Sign-ups -------------------------------------------------------------------------------------


def signup_scope(viewer) -> QuerySet[ShiftSignup]:
    qs = ShiftSignup.objects.all()
    if scope.is_federation(viewer):
        return qs
    ids = scope.officer_association_ids(viewer)
    own = scope.own_person_id(viewer)
    condition = Q(pk__in=[])
    if ids:
        condition |= Q(association_id__in=ids) | Q(shift__campaign__association_id__in=ids)
    if own:
        condition |= Q(person_id=own)
    return qs.filter(condition)


def signup_get(*, viewer, pk: int) -> ShiftSignup:
    signup = signup_scope(viewer).select_related("shift", "person", "association").filter(pk=pk).first()
    if signup is None:
        raise Http404
    signup.shift.campaign = campaign_get(viewer=viewer, pk=signup.shift.campaign_id)
    return signup


def my_signups(*, viewer) -> list[ShiftSignup]:
    own = scope.own_person_id(viewer)
    if not own:
        return []
    return list(
        ShiftSignup.objects.filter(person_id=own).select_related("shift__campaign").order_by("-shift__starts_at")[:50]
    )


def signup_people(*, viewer) -> QuerySet[Person]:
    """Whom the viewer may sign up: their associations' current members (every member for the federation)."""
    members = Membership.objects.filter(left_on__isnull=True, person__isnull=False)
    if not scope.is_federation(viewer):
        members = members.filter(association_id__in=scope.officer_association_ids(viewer))
    return Person.objects.filter(pk__in=members.values("person_id")).order_by("name_pinyin", "id")


def signup_association(*, viewer, person: Person) -> Association | None:
    """The association a volunteer comes through: the signing officer's association the person belongs
    to, else the person's first current association."""
    members = Membership.objects.filter(person=person, left_on__isnull=True).order_by("joined_on", "id")
    ids = scope.officer_association_ids(viewer)
    if ids:
        preferred = members.filter(association_id__in=ids).select_related("association").first()
        if preferred is not None:
            return preferred.association
    first = members.select_related("association").first()
    return first.association if first else None


# Campaign page --------------------------------------------------------------------------------


class _ShiftOnPage(Protocol):
    """A shift as the campaign page shows it: how many places are taken, and the sign-ups this viewer sees."""

    taken: int
    is_full: bool
    visible_signups: list[ShiftSignup]


def campaign_record(*, viewer, campaign: Campaign) -> dict:
    """What the campaign page shows this viewer, in a fixed number of queries."""
    manages = permissions.can_manage_campaign(viewer, campaign)
    shifts = list(campaign.shifts.order_by("starts_at", "id"))
    signups = list(
        signup_scope(viewer)
        .filter(shift__campaign=campaign)
        .select_related("person", "association", "confirmed_by")
        .order_by("shift_id", "id")
    )
    taken = dict(
        ShiftSignup.objects.filter(shift__campaign=campaign, status__in=ACTIVE_SIGNUP)
        .values_list("shift_id")
        .annotate(n=Count("id"))
    )
    by_shift: dict[int, list[ShiftSignup]] = {}
    for signup in signups:
        by_shift.setdefault(signup.shift_id, []).append(signup)
    for shift in shifts:
        shown = cast(_ShiftOnPage, shift)
        shown.taken = taken.get(shift.pk, 0)
        shown.is_full = shown.taken >= shift.capacity
        shown.visible_signups = by_shift.get(shift.pk, [])
        for signup in shown.visible_signups:
            signup.shift = shift
            signup.shift.campaign = campaign
    beneficiaries = list(campaign.beneficiaries.order_by("id")) if manages else []
    summary: list[dict[str, Any]] = []
    if not manages:
        counts = campaign.beneficiaries.values("kind").annotate(groups=Count("id"), people=Sum("people"))
        summary = [{**row, "label": BeneficiaryKind(row["kind"]).label} for row in counts.order_by("kind")]
    own = scope.own_person_id(viewer)
    totals = campaign_totals(viewer=viewer, campaigns=[campaign]).get(campaign.pk, _empty_totals())
    full_view = manages or scope.is_federation(viewer)
    whole = (
        totals
        if full_view
        else _hours_totals(ShiftSignup.objects.filter(shift__campaign=campaign), "shift__campaign_id").get(
            campaign.pk, {}
        )
    )
    return {
        "shifts": shifts,
        "signup_total": len(signups),
        "beneficiaries": beneficiaries,
        "beneficiary_summary": summary,
        "own_shift_ids": {
            s.shift_id for s in signups if own and s.person_id == own and s.status != SignupStatus.CANCELLED
        },
        "totals": totals,
        # The campaign's confirmed hours and volunteer count are figures about the campaign, not about anyone:
        # everyone who sees the campaign sees them whole. Who volunteered stays the organiser's and the
        # volunteers' associations' to see; a viewer who sees only part of them is told their share.
        "campaign_hours": {
            "hours": whole.get("hours", ZERO),
            "volunteers": whole.get("volunteers", 0),
        },
        "hours_share": None if full_view else ("own" if not scope.officer_association_ids(viewer) else "association"),
    }


def beneficiary_get(*, viewer, pk: int) -> Beneficiary:
    """A beneficiary is its campaign organiser's only: individuals' names are personal data."""
    beneficiary = Beneficiary.objects.filter(pk=pk).first()
    if beneficiary is None:
        raise Http404
    beneficiary.campaign = campaign_get(viewer=viewer, pk=beneficiary.campaign_id)
    if not permissions.can_manage_campaign(viewer, beneficiary.campaign):
        raise Http404
    return beneficiary


def beneficiary_choices(*, viewer) -> QuerySet[Beneficiary]:
    """Beneficiaries a donation may name as its recipient: those of campaigns the viewer organises."""
    qs = Beneficiary.objects.select_related("campaign")
    if not scope.is_federation(viewer):
        qs = qs.filter(campaign__association_id__in=scope.officer_association_ids(viewer))
    return qs.order_by("-campaign__starts_on", "campaign_id", "id")


def personal_kinds() -> tuple[str, ...]:
    return tuple(PERSONAL_BENEFICIARY)


# Donations ------------------------------------------------------------------------------------


def donation_scope(viewer) -> QuerySet[Donation]:
    qs = Donation.objects.all()
    if scope.is_federation(viewer):
        return qs
    ids = scope.officer_association_ids(viewer)
    return qs.filter(association_id__in=ids) if ids else qs.none()


def donation_list(
    *,
    viewer,
    q: str | None = None,
    association: int | None = None,
    year: int | None = None,
    kind: str | None = None,
    campaign: int | None = None,
) -> QuerySet[Donation]:
    qs = donation_scope(viewer).select_related("association", "campaign", "recipient")
    if q:
        qs = qs.filter(Q(donor_name__icontains=q) | Q(receipt_number__icontains=q) | Q(description__icontains=q))
    if association:
        qs = qs.filter(association_id=association)
    if year:
        start, end = _year_range(year)
        qs = qs.filter(received_on__gte=start, received_on__lte=end)
    if kind:
        qs = qs.filter(kind=kind)
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    return qs.order_by("-received_on", "-id")


def donation_list_totals(queryset: QuerySet[Donation]) -> dict:
    """The sums under the donation list, over every row the filters keep, in one query."""
    return queryset.order_by().aggregate(
        money=_sum("amount", Q(kind=DonationKind.MONEY)),
        goods=_sum("estimated_value", Q(kind=DonationKind.GOODS)),
        domestic=_sum(DONATION_VALUE, Q(from_abroad=False)),
        foreign=_sum(DONATION_VALUE, Q(from_abroad=True)),
        count=Count("id"),
    )


def donation_get(*, viewer, pk: int) -> Donation:
    donation = donation_scope(viewer).select_related("association", "campaign", "recipient").filter(pk=pk).first()
    if donation is None:
        raise Http404
    return donation


# Totals ---------------------------------------------------------------------------------------


def _empty_totals() -> dict:
    return {
        "money": ZERO,
        "goods": ZERO,
        "domestic": ZERO,
        "foreign": ZERO,
        "donations": 0,
        "hours": ZERO,
        "volunteers": 0,
    }


def _donation_totals(qs: QuerySet[Donation], key: str) -> dict:
    rows = (
        qs.order_by()
        .values(key)
        .annotate(
            money=_sum("amount", Q(kind=DonationKind.MONEY)),
            goods=_sum("estimated_value", Q(kind=DonationKind.GOODS)),
            domestic=_sum(DONATION_VALUE, Q(from_abroad=False)),
            foreign=_sum(DONATION_VALUE, Q(from_abroad=True)),
            donations=Count("id"),
        )
    )
    return {r.pop(key): r for r in rows}


def _confirmed_hours(qs: QuerySet[ShiftSignup]) -> QuerySet[ShiftSignup]:
    return qs.filter(status=SignupStatus.ATTENDED, confirmed_at__isnull=False)


def _hours_totals(qs: QuerySet[ShiftSignup], key: str) -> dict:
    rows = (
        _confirmed_hours(qs)
        .order_by()
        .values(key)
        .annotate(hours=_sum("hours"), volunteers=Count("person_id", distinct=True))
    )
    return {r.pop(key): r for r in rows}


def campaign_totals(*, viewer, campaigns) -> dict[int, dict]:
    """Per campaign: money, goods value, domestic / from abroad, confirmed hours and volunteers, counting
    only the donations and sign-ups the viewer may see. Two grouped queries."""
    ids = [c.pk for c in campaigns]
    donations = _donation_totals(donation_scope(viewer).filter(campaign_id__in=ids), "campaign_id")
    hours = _hours_totals(signup_scope(viewer).filter(shift__campaign_id__in=ids), "shift__campaign_id")
    out = {}
    for pk in ids:
        out[pk] = {**_empty_totals(), **donations.get(pk, {}), **hours.get(pk, {})}
    return out


def donation_associations(*, viewer) -> QuerySet[Association]:
    """The associations whose donations the viewer counts: every one for federation staff, an officer's own."""
    if scope.is_federation(viewer):
        return Association.objects.order_by("name_pinyin", "id").only("id", "name")
    return org_selectors.officer_associations(viewer=viewer).only("id", "name")


def totals_campaigns(*, viewer, year: int) -> QuerySet[Campaign]:
    """The campaigns of `year` whose figures the viewer may count: another association's open campaign
    is public, but none of its figures are an officer's."""
    campaigns = campaign_list(viewer=viewer, year=year)
    if not scope.is_federation(viewer):
        own = scope.officer_association_ids(viewer)
        campaigns = campaigns.filter(Q(association__isnull=True) | Q(association_id__in=own))
    return campaigns


def association_totals(*, viewer, year: int, association: int | None = None) -> dict:
    """Per association in `year` (and the federation's own row for federation staff): donations by kind
    and origin, confirmed volunteer hours and volunteers. A fixed number of queries for any number of rows."""
    start, end = _year_range(year)
    federation_view = scope.is_federation(viewer)
    chosen = donation_associations(viewer=viewer)
    if association:
        chosen = chosen.filter(pk=association)
    associations = list(chosen.only("id", "name"))
    ids = [a.pk for a in associations]
    donation_qs = donation_scope(viewer).filter(received_on__gte=start, received_on__lte=end)
    signup_qs = ShiftSignup.objects.filter(shift__starts_at__year=year)
    if not federation_view or association:
        donation_qs = donation_qs.filter(association_id__in=ids)
        signup_qs = signup_qs.filter(association_id__in=ids)
    donations = _donation_totals(donation_qs, "association_id")
    hours = _hours_totals(signup_qs, "association_id")
    rows = [
        {"association": a, **_empty_totals(), **donations.get(a.pk, {}), **hours.get(a.pk, {})} for a in associations
    ]
    if federation_view and not association:
        rows.append({"association": None, **_empty_totals(), **donations.get(None, {}), **hours.get(None, {})})
    overall = _confirmed_hours(signup_qs).aggregate(volunteers=Count("person_id", distinct=True))
    total = _empty_totals()
    for row in rows:
        for key in ("money", "goods", "domestic", "foreign", "donations", "hours"):
            total[key] += row[key]
    total["volunteers"] = overall["volunteers"]
    return {"rows": rows, "total": total, "federation_view": federation_view}


def donation_report_totals(*, association_id: int, year: int) -> dict:
    """What the annual report of `association_id` on `year` takes from this app, in two aggregate queries:
    donations received at home and from abroad (money plus the estimated value of goods, yuan), and the
    confirmed volunteer hours of its members and how many volunteered."""
    start, end = _year_range(year)
    donations = Donation.objects.filter(
        association_id=association_id, received_on__gte=start, received_on__lte=end
    ).aggregate(domestic=_sum(DONATION_VALUE, Q(from_abroad=False)), foreign=_sum(DONATION_VALUE, Q(from_abroad=True)))
    hours = _confirmed_hours(
        ShiftSignup.objects.filter(association_id=association_id, shift__starts_at__year=year)
    ).aggregate(hours=_sum("hours"), volunteers=Count("person_id", distinct=True))
    return {
        "donations_domestic": donations["domestic"],
        "donations_foreign": donations["foreign"],
        "volunteer_hours": hours["hours"],
        "volunteer_count": hours["volunteers"],
    }
