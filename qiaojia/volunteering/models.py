"""Volunteering and donations: campaigns under the federation's named brands, their shifts and the
people who sign up for them, the hours they give, the beneficiaries, and donations of money or goods."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from qiaojia.core.models import VersionedModel


def hours_text(value) -> str:
    """Hours as people write them: 3, 2.5, 1.25 (no trailing zeros)."""
    amount = Decimal(value or 0)
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return text or "0"


class CampaignBrand(models.TextChoices):
    """The volunteer brands named in the federation's closing address (seed), plus any other campaign."""

    ZERO_DISTANCE = "zero_distance", _("Zero Distance, Hearts United")
    WARMTH = "warmth", _("Sending Warmth, Giving Love")
    TOGETHER = "together", _("Henan Overseas Chinese Together")
    OTHER = "other", _("Other campaign")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for sign-up")
    CLOSED = "closed", _("Closed")


# The campaign workflow: each allowed move is one service call and one audit row.
CAMPAIGN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CampaignStatus.DRAFT: (CampaignStatus.OPEN,),
    CampaignStatus.OPEN: (CampaignStatus.CLOSED,),
    CampaignStatus.CLOSED: (CampaignStatus.OPEN,),
}


class Campaign(VersionedModel):
    """A volunteer campaign (志願服務活動) run by the federation (`association` empty) or by one association.

    Once open it is seen by every logged-in user, as a call for volunteers; who signed up, the
    beneficiaries and the donations stay with the organiser and the volunteers' own associations."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.PROTECT, related_name="campaigns")
    association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("organised by association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    brand = models.CharField(_("brand"), max_length=20, choices=CampaignBrand.choices, default=CampaignBrand.OTHER)
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts"), db_index=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    STATUS_COLOURS = {CampaignStatus.DRAFT: "blue", CampaignStatus.OPEN: "green", CampaignStatus.CLOSED: "red"}

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("volunteer campaign")
        verbose_name_plural = _("volunteer campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["association", "starts_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_association_id(self) -> int | None:
        return self.association_id

    def organiser_name(self) -> str:
        return self.association.name if self.association_id else self.federation.name


class Shift(VersionedModel):
    """One stretch of work in a campaign: when, where, what, and how many volunteers it takes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    task = models.CharField(_("task"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("volunteers needed"), default=10, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["campaign", "starts_at", "id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="shift_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.task

    @property
    def audit_association_id(self) -> int | None:
        return self.campaign.association_id

    @property
    def length_hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


# Sign-ups that hold a place on the shift.
ACTIVE_SIGNUP = (SignupStatus.SIGNED_UP, SignupStatus.ATTENDED, SignupStatus.NO_SHOW)


class ShiftSignup(VersionedModel):
    """A person signed up for a shift, through their association (`association`, whose officers see it).

    The organiser records the hours given; someone other than the volunteer confirms them, and only
    confirmed hours count in the totals."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="shift_signups"
    )
    association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("through association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shift_signups",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP, db_index=True
    )
    STATUS_COLOURS = {
        SignupStatus.SIGNED_UP: "blue",
        SignupStatus.ATTENDED: "green",
        SignupStatus.CANCELLED: "red",
        SignupStatus.NO_SHOW: "red",
    }
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("hours recorded"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("hours confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["shift", "id"]
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["shift", "person"], name="signup_one_per_person"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0), name="signup_hours_positive"),
        ]
        indexes = [models.Index(fields=["association", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.shift}"

    @property
    def audit_association_id(self) -> int | None:
        return self.association_id


class BeneficiaryKind(models.TextChoices):
    PERSON = "person", _("Person")
    FAMILY = "family", _("Family")
    SCHOOL = "school", _("School")
    COMMUNITY = "community", _("Community")
    OTHER = "other", _("Other")


# Kinds whose name is personal data: shown to the campaign's organiser only.
PERSONAL_BENEFICIARY = (BeneficiaryKind.PERSON, BeneficiaryKind.FAMILY)


class Beneficiary(VersionedModel):
    """Who a campaign helped: a person, a family, a school, a community... with the number of people."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="beneficiaries")
    name = models.CharField(_("name or group"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=BeneficiaryKind.choices, default=BeneficiaryKind.OTHER)
    people = models.PositiveIntegerField(_("number of people"), default=1)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_association_id(self) -> int | None:
        return self.campaign.association_id


class DonationKind(models.TextChoices):
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")


class Donation(VersionedModel):
    """A donation (公益捐贈) of money or goods recorded by an association (`association`) or by the
    federation itself (empty). Donors from abroad are counted apart for the annual report."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.PROTECT, related_name="donations")
    association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.SET_NULL, related_name="donations"
    )
    kind = models.CharField(_("type"), max_length=10, choices=DonationKind.choices, default=DonationKind.MONEY)
    donor_name = models.CharField(_("donor"), max_length=200)
    from_abroad = models.BooleanField(
        _("donor from abroad"), default=False, help_text=_("An overseas donor: counted as a donation from abroad.")
    )
    donor_country = CountryField(_("donor's country or region"), blank=True)
    recipient = models.ForeignKey(
        Beneficiary,
        verbose_name=_("recipient (beneficiary)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
    )
    recipient_name = models.CharField(_("recipient"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    description = models.CharField(_("goods"), max_length=200, blank=True)
    estimated_value = models.DecimalField(
        _("estimated value (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    received_on = models.DateField(_("received on"), db_index=True)
    receipt_number = models.CharField(_("receipt number"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="donation_receipt_unique_per_association",
                violation_error_message=_(
                    "This receipt number is already used by another donation of this association."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="donation_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0), name="donation_value_positive"
            ),
        ]
        indexes = [models.Index(fields=["association", "received_on"])]

    def __str__(self) -> str:
        return f"{self.donor_name} · {self.received_on}"

    @property
    def audit_association_id(self) -> int | None:
        return self.association_id

    @property
    def value(self) -> Decimal:
        """What the donation is worth in yuan: the amount of money, or the estimated value of goods."""
        raw = self.amount if self.kind == DonationKind.MONEY else self.estimated_value
        return raw or Decimal("0")

    def recipient_display(self) -> str:
        return self.recipient.name if self.recipient_id else self.recipient_name
