"""Every write to campaigns, shifts, sign-ups, beneficiaries and donations: one transaction, audited."""

import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.core.services import ConflictError, create_audited, delete_audited, update_versioned
from qiaojia.members.models import Person
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association, Federation

from . import notices
from .models import (
    ACTIVE_SIGNUP,
    CAMPAIGN_TRANSITIONS,
    Beneficiary,
    Campaign,
    CampaignStatus,
    Donation,
    DonationKind,
    Shift,
    ShiftSignup,
    SignupStatus,
    hours_text,
)

CAMPAIGN_FIELDS = ("brand", "name", "starts_on", "ends_on", "place", "description")
SHIFT_FIELDS = ("starts_at", "ends_at", "place", "task", "capacity")
BENEFICIARY_FIELDS = ("name", "kind", "people", "note")
DONATION_FIELDS = (
    "campaign",
    "kind",
    "donor_name",
    "from_abroad",
    "donor_country",
    "recipient",
    "recipient_name",
    "amount",
    "description",
    "estimated_value",
    "received_on",
    "receipt_number",
    "note",
)


def _pick(data: dict[str, Any], fields) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data}


# Campaigns ------------------------------------------------------------------------------------


def _check_dates(values: dict[str, Any], current: Campaign | None = None) -> None:
    starts = values.get("starts_on", current.starts_on if current else None)
    ends = values.get("ends_on", current.ends_on if current else None)
    if starts and ends and ends < starts:
        raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})


@transaction.atomic
def campaign_create(
    *,
    federation: Federation,
    association: Association | None,
    data: dict[str, Any],
    form_token: uuid.UUID | None = None,
) -> Campaign:
    values = _pick(data, CAMPAIGN_FIELDS)
    _check_dates(values)
    return create_audited(Campaign(federation=federation, association=association, **values), form_token=form_token)


@transaction.atomic
def campaign_update(*, campaign: Campaign, expected_version: int, data: dict[str, Any]) -> Campaign:
    values = _pick(data, CAMPAIGN_FIELDS)
    _check_dates(values, campaign)
    return update_versioned(campaign, expected_version=expected_version, **values)


@transaction.atomic
def campaign_set_status(*, campaign: Campaign, expected_version: int, status: str) -> Campaign:
    current = Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    if status not in CAMPAIGN_TRANSITIONS.get(current.status, ()):
        raise ValidationError(
            _("A campaign that is “%(status)s” cannot be changed to that status.")
            % {"status": current.get_status_display()}
        )
    return update_versioned(current, expected_version=expected_version, status=status)


# Shifts ---------------------------------------------------------------------------------------


def _check_shift(values: dict[str, Any], current: Shift | None = None) -> None:
    starts = values.get("starts_at", current.starts_at if current else None)
    ends = values.get("ends_at", current.ends_at if current else None)
    if starts and ends and ends <= starts:
        raise ValidationError({"ends_at": _("The shift must end after it starts.")})
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("A shift needs at least one volunteer.")})


@transaction.atomic
def shift_create(*, campaign: Campaign, data: dict[str, Any], form_token: uuid.UUID | None = None) -> Shift:
    values = _pick(data, SHIFT_FIELDS)
    _check_shift(values)
    return create_audited(Shift(campaign=campaign, **values), form_token=form_token)


@transaction.atomic
def shift_update(*, shift: Shift, expected_version: int, data: dict[str, Any]) -> Shift:
    values = _pick(data, SHIFT_FIELDS)
    _check_shift(values, shift)
    Shift.objects.select_for_update().filter(pk=shift.pk).first()
    taken = ShiftSignup.objects.filter(shift=shift, status__in=ACTIVE_SIGNUP).count()
    if values.get("capacity") is not None and values["capacity"] < taken:
        raise ValidationError(
            {"capacity": _("%(n)s volunteers have signed up already: the shift cannot take fewer.") % {"n": taken}}
        )
    if any(values.get(k) not in (None, getattr(shift, k)) for k in ("starts_at", "ends_at")):
        _check_recorded_hours_fit(shift, values)
    return update_versioned(shift, expected_version=expected_version, **values)


def _check_recorded_hours_fit(shift: Shift, values: dict[str, Any]) -> None:
    length = Shift(starts_at=values.get("starts_at", shift.starts_at), ends_at=values.get("ends_at", shift.ends_at))
    most = (
        ShiftSignup.objects.filter(shift=shift, hours__isnull=False)
        .order_by("-hours")
        .values_list("hours", flat=True)
        .first()
    )
    if most is not None and most > length.length_hours:
        raise ValidationError({"ends_at": _("Hours already recorded for this shift are longer than the new times.")})


# Sign-ups -------------------------------------------------------------------------------------


@transaction.atomic
def signup_create(
    *, shift: Shift, person: Person, association: Association | None, by=None, form_token: uuid.UUID | None = None
) -> ShiftSignup:
    """Sign `person` up for `shift`; a full shift or a campaign not open is refused with a clear message."""
    locked = Shift.objects.select_for_update().select_related("campaign").get(pk=shift.pk)  # one place at a time
    if locked.campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("This campaign is not open for sign-up."))
    existing = ShiftSignup.objects.filter(shift=locked, person=person).first()
    if existing is not None and existing.status != SignupStatus.CANCELLED:
        raise ValidationError({"person": _("%(name)s has already signed up for this shift.") % {"name": person.name}})
    taken = ShiftSignup.objects.filter(shift=locked, status__in=ACTIVE_SIGNUP).count()
    if taken >= locked.capacity:
        raise ValidationError(
            _("This shift is full: all %(n)s places are taken. Choose another shift.") % {"n": locked.capacity}
        )
    if existing is not None:
        return update_versioned(
            existing,
            expected_version=existing.version,
            status=SignupStatus.SIGNED_UP,
            association=association,
            signed_up_by=by,
            hours=None,
            recorded_by=None,
            recorded_at=None,
            confirmed_by=None,
            confirmed_at=None,
        )
    signup = ShiftSignup(shift=locked, person=person, association=association, signed_up_by=by)
    return create_audited(signup, form_token=form_token)


@transaction.atomic
def signup_cancel(*, signup: ShiftSignup, expected_version: int) -> ShiftSignup:
    if signup.confirmed_at is not None:
        raise ValidationError(_("Confirmed hours cannot be cancelled."))
    return update_versioned(signup, expected_version=expected_version, status=SignupStatus.CANCELLED)


@transaction.atomic
def hours_record(*, signup: ShiftSignup, expected_version: int, status: str, hours: Decimal | None, by) -> ShiftSignup:
    """Record whether the volunteer came and for how long (0 up to the shift's length).

    A change of recorded hours withdraws an earlier confirmation."""
    if status not in (SignupStatus.ATTENDED, SignupStatus.NO_SHOW):
        raise ValidationError({"status": _("Choose whether the volunteer came.")})
    if status == SignupStatus.NO_SHOW:
        hours = Decimal("0")
    if hours is None:
        raise ValidationError({"hours": _("Enter the hours the volunteer gave.")})
    length = signup.shift.length_hours
    if hours < 0 or hours > length:
        raise ValidationError(
            {
                "hours": _("Hours must be between 0 and the shift's length (%(length)s h).")
                % {"length": hours_text(length)}
            }
        )
    values: dict[str, Any] = {"status": status, "hours": hours, "recorded_by": by, "recorded_at": timezone.now()}
    if signup.confirmed_at is not None and (signup.hours != hours or signup.status != status):
        values.update(confirmed_by=None, confirmed_at=None)
    return update_versioned(signup, expected_version=expected_version, **values)


@transaction.atomic
def hours_confirm(*, signup: ShiftSignup, expected_version: int, by) -> ShiftSignup:
    if by is not None and by.person_id is not None and by.person_id == signup.person_id:
        raise ValidationError(_("You cannot confirm your own hours: someone else must confirm them."))
    if signup.status != SignupStatus.ATTENDED or signup.hours is None:
        raise ValidationError(_("Record the hours of a volunteer who came before confirming them."))
    if signup.confirmed_at is not None:
        raise ValidationError(_("These hours are confirmed already."))
    signup = update_versioned(signup, expected_version=expected_version, confirmed_by=by, confirmed_at=timezone.now())
    _tell_volunteer(signup)
    return signup


def _tell_volunteer(signup: ShiftSignup) -> None:
    """The volunteer with an account hears that their hours count (in their own language, after commit)."""
    shift = Shift.objects.select_related("campaign").get(pk=signup.shift_id)
    values = {"hours": hours_text(signup.hours), "campaign": shift.campaign.name, "task": shift.task}
    notify(
        notices.HOURS_CONFIRMED,
        people=[signup.person_id],
        params=values,
        url=reverse("volunteering:campaign-detail", args=[shift.campaign_id]),
    )


# Beneficiaries --------------------------------------------------------------------------------


@transaction.atomic
def beneficiary_create(*, campaign: Campaign, data: dict[str, Any], form_token: uuid.UUID | None = None) -> Beneficiary:
    return create_audited(Beneficiary(campaign=campaign, **_pick(data, BENEFICIARY_FIELDS)), form_token=form_token)


@transaction.atomic
def beneficiary_update(*, beneficiary: Beneficiary, expected_version: int, data: dict[str, Any]) -> Beneficiary:
    return update_versioned(beneficiary, expected_version=expected_version, **_pick(data, BENEFICIARY_FIELDS))


# Donations ------------------------------------------------------------------------------------


def _donation_values(data: dict[str, Any], association: Association | None, exclude: int | None = None) -> dict:
    values = _pick(data, DONATION_FIELDS)
    values["receipt_number"] = (values.get("receipt_number") or "").strip()
    values["donor_name"] = (values.get("donor_name") or "").strip()
    errors: dict[str, Any] = {}
    if not values["donor_name"]:
        errors["donor_name"] = _("Enter who gave the donation.")
    if values.get("kind") == DonationKind.MONEY:
        amount = values.get("amount")
        if amount is None or amount <= 0:
            errors["amount"] = _("Enter the amount of money, more than 0 yuan.")
        if not values["receipt_number"]:
            errors["receipt_number"] = _("A money donation needs its receipt number.")
        values["estimated_value"] = None
    elif values.get("kind") == DonationKind.GOODS:
        if not (values.get("description") or "").strip():
            errors["description"] = _("Describe the goods given.")
        value = values.get("estimated_value")
        if value is None or value < 0:
            errors["estimated_value"] = _("Enter the estimated value of the goods (0 or more yuan).")
        values["amount"] = None
    else:
        errors["kind"] = _("Choose money or goods.")
    if values["receipt_number"]:
        taken = Donation.objects.filter(association=association, receipt_number=values["receipt_number"])
        if exclude is not None:
            taken = taken.exclude(pk=exclude)
        if taken.exists():
            errors["receipt_number"] = _("Receipt number %(number)s is already recorded for another donation.") % {
                "number": values["receipt_number"]
            }
    recipient = values.get("recipient")
    campaign = values.get("campaign")
    if recipient is not None:
        if campaign is not None and recipient.campaign_id != campaign.pk:
            errors["recipient"] = _("The recipient must be a beneficiary of the chosen campaign.")
        elif campaign is None:
            values["campaign"] = recipient.campaign
    country = values.get("donor_country")
    if country and str(country) != "CN":
        values["from_abroad"] = True
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def donation_create(
    *,
    federation: Federation,
    association: Association | None,
    data: dict[str, Any],
    form_token: uuid.UUID | None = None,
) -> Donation:
    values = _donation_values(data, association)
    return create_audited(Donation(federation=federation, association=association, **values), form_token=form_token)


@transaction.atomic
def donation_update(*, donation: Donation, expected_version: int, data: dict[str, Any]) -> Donation:
    values = _donation_values(data, donation.association, exclude=donation.pk)
    return update_versioned(donation, expected_version=expected_version, **values)


@transaction.atomic
def donation_delete(*, donation: Donation, expected_version: int) -> None:
    delete_audited(donation, expected_version=expected_version)
