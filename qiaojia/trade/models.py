"""Trade and cooperation (經貿合作): an enterprise's trade profile, the offers and needs (供需) member
enterprises and associations post, their files, and the match keys that find complementary items."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from qiaojia.core.models import VersionedModel
from qiaojia.core.storage import private_storage

from . import industries

DIVISION_CHOICES = [(code, code) for code in industries.SECTION_OF]


class SizeBand(models.TextChoices):
    """Enterprise size as the national standard bands it (micro, small, medium, large)."""

    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium-sized enterprise")
    LARGE = "large", _("Large enterprise")


class OverseasPresence(models.TextChoices):
    NONE = "none", _("No presence abroad")
    AGENTS = "agents", _("Agents or distributors abroad")
    OFFICE = "office", _("Representative office abroad")
    SUBSIDIARY = "subsidiary", _("Subsidiary or branch abroad")
    PRODUCTION = "production", _("Production abroad")


class TradeProfile(VersionedModel):
    """What a member enterprise (`members.Enterprise`) does in trade: its industry division (GB/T 4754-2017),
    products and services, the countries and regions it operates in, its size and its presence abroad.
    `listed` puts it in the federation-wide directory: an opt-in set by the enterprise's contact or an
    officer of one of its associations. The associations it belongs to are read from its memberships."""

    enterprise = models.OneToOneField(
        "members.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="trade_profile"
    )
    division = models.CharField(_("industry"), max_length=2, choices=DIVISION_CHOICES, blank=True)
    section = models.CharField(max_length=1, blank=True, editable=False, db_index=True)
    products = models.TextField(_("products and services"), blank=True)
    countries = CountryField(_("countries and regions of operation"), multiple=True, blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    overseas_presence = models.CharField(
        _("presence abroad"), max_length=12, choices=OverseasPresence.choices, default=OverseasPresence.NONE
    )
    listed = models.BooleanField(
        _("listed in the federation-wide directory"),
        default=False,
        help_text=_("Every logged-in member of every association may then find the enterprise's trade profile."),
    )

    class Meta:
        ordering = ["enterprise__name_pinyin", "id"]
        verbose_name = _("trade profile")
        verbose_name_plural = _("trade profiles")
        indexes = [models.Index(fields=["listed", "division"], name="trade_profile_listed")]

    def __str__(self) -> str:
        return str(self.enterprise)

    @property
    def industry_code(self) -> str:
        return industries.code_of(self.division)


class OfferKind(models.TextChoices):
    SUPPLY = "supply", _("Product or service supply")
    PURCHASE = "purchase", _("Purchase need")
    INVESTMENT_SOUGHT = "investment_sought", _("Investment sought")
    INVESTMENT_OFFERED = "investment_offered", _("Investment offered")
    TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
    TECHNOLOGY_NEED = "technology_need", _("Technology need")
    GOING_ABROAD = "going_abroad", _("Partner for going abroad")
    HENAN_PROJECT = "henan_project", _("Project for investment in Henan")


class OfferSide(models.TextChoices):
    OFFER = "offer", pgettext_lazy("trade", "Offer")
    NEED = "need", pgettext_lazy("trade", "Need")


# What each kind stands on: something offered, or something sought (a partner going abroad seeks one).
SIDE_OF_KIND = {
    OfferKind.SUPPLY: OfferSide.OFFER,
    OfferKind.INVESTMENT_OFFERED: OfferSide.OFFER,
    OfferKind.TECHNOLOGY_OFFER: OfferSide.OFFER,
    OfferKind.PURCHASE: OfferSide.NEED,
    OfferKind.INVESTMENT_SOUGHT: OfferSide.NEED,
    OfferKind.TECHNOLOGY_NEED: OfferSide.NEED,
    OfferKind.GOING_ABROAD: OfferSide.NEED,
    OfferKind.HENAN_PROJECT: OfferSide.NEED,
}


class AmountBand(models.TextChoices):
    UNDER_1M = "under_1m", _("Under 1 million yuan")
    FROM_1M = "1m_10m", _("1 to 10 million yuan")
    FROM_10M = "10m_100m", _("10 to 100 million yuan")
    OVER_100M = "over_100m", _("Over 100 million yuan")


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


# The workflow: each allowed move is one service and one audit row.
OFFER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OfferStatus.DRAFT: (OfferStatus.SUBMITTED, OfferStatus.WITHDRAWN),
    OfferStatus.RETURNED: (OfferStatus.SUBMITTED, OfferStatus.WITHDRAWN),
    OfferStatus.SUBMITTED: (OfferStatus.PUBLISHED, OfferStatus.RETURNED, OfferStatus.WITHDRAWN),
    OfferStatus.PUBLISHED: (OfferStatus.WITHDRAWN, OfferStatus.EXPIRED),
    OfferStatus.WITHDRAWN: (),
    OfferStatus.EXPIRED: (),
}
EDITABLE = (OfferStatus.DRAFT, OfferStatus.RETURNED)


class Offer(VersionedModel):
    """An offer or a need (供需): something a member enterprise (or the association itself) offers or seeks,
    posted through `association`, whose officers review it before it is published to every logged-in member
    of every association. Who posted it and how to reach them stay hidden from other associations: contact
    is made through an expression of interest (a later part of the trade platform)."""

    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("posted through"), on_delete=models.PROTECT, related_name="trade_offers"
    )
    enterprise = models.ForeignKey(
        "members.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trade_offers",
    )
    kind = models.CharField(_("type"), max_length=20, choices=OfferKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Products, technologies or sectors, separated by commas."),
    )
    division = models.CharField(_("industry"), max_length=2, choices=DIVISION_CHOICES, blank=True)
    section = models.CharField(max_length=1, blank=True, editable=False)
    countries = CountryField(_("countries and regions"), multiple=True, blank=True)
    amount_band = models.CharField(_("amount"), max_length=12, choices=AmountBand.choices, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    public = models.BooleanField(
        _("show on the public listing"),
        default=False,
        help_text=_("Once published, shown to visitors without the enterprise's name or anyone's contact details."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.DRAFT, db_index=True
    )
    STATUS_COLOURS = {
        OfferStatus.DRAFT: "blue",
        OfferStatus.SUBMITTED: "orange",
        OfferStatus.PUBLISHED: "green",
        OfferStatus.RETURNED: "red",
    }
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title_key = models.CharField(max_length=200, editable=False, default="")
    title_pinyin = models.CharField(max_length=800, editable=False, default="")
    title_initials = models.CharField(max_length=200, editable=False, default="")

    AUDIT_SKIP = ("title_key", "title_pinyin", "title_initials", "section")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = pgettext_lazy("trade", "offer or need")
        verbose_name_plural = pgettext_lazy("trade", "offers and needs")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="trade_offer_valid_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="trade_offer_status_published"),
            models.Index(fields=["association", "status"], name="trade_offer_association"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_association_id(self) -> int | None:
        return self.association_id

    @property
    def side(self) -> str:
        return SIDE_OF_KIND[OfferKind(self.kind)]

    @property
    def industry_code(self) -> str:
        return industries.code_of(self.division)

    def industry_label(self) -> str:
        return industries.division_label(self.division)


class OfferAttachment(models.Model):
    """A file attached to an offer or need (a brochure, a specification, a photo), checked like every upload
    and kept on the private storage under trade/; served only to those who may see the item."""

    FOLDER = "trade"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["offer", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_association_id(self) -> int | None:
        return self.offer.association_id


class MatchToken(models.Model):
    """One match key of a published offer or need: its division ("d:38"), section ("s:C"), a country
    ("c:MY") or a piece of its title and keywords ("t:taiyang": pinyin of a two-character piece, or a Latin
    word). Written when an item is published and removed when it leaves publication, so a lookup by
    (token, kind) finds the published candidates of a complementary kind through the index alone."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20)
    token = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["token", "kind", "offer"], name="trade_match_lookup"),
            models.Index(fields=["offer", "token"], name="trade_match_offer"),
        ]

    def __str__(self) -> str:
        return f"{self.token} -> {self.offer_id}"


# B2B meetings at flagship events live in their own module (models of this app all the same).
from .b2b.models import (  # noqa: E402, F401
    B2BParticipant,
    B2BSeat,
    B2BSession,
    B2BSlot,
    B2BTable,
    BusinessMeeting,
)
from .models_deals import *  # noqa: E402,F401,F403  introductions and signed projects, kept in their own module
