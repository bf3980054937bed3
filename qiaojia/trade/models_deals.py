"""Introductions (對接) and signed projects (簽約項目): what comes of the offers and needs.

An introduction is a case between two sides, each an association with or without one of its member
enterprises: side A expressed interest in side B's published item (or a broker put the two together), side B
accepted (or each side consented to the broker's proposal). From then on each side sees the other's contact
details, and the case moves through its stages with notes. A signed project is what an association records
once a contract is signed, from an introduction or not; its amount is kept as entered and converted to yuan
at the staff's rate table for the totals."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from qiaojia.core.models import VersionedModel


class IntroductionOrigin(models.TextChoices):
    INTEREST = "interest", _("Expression of interest")
    BROKERED = "brokered", _("Brokered introduction")


class IntroductionStage(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting an answer")
    DECLINED = "declined", _("Declined")
    INTRODUCED = "introduced", _("Introduced")
    MET = "met", _("Met")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    CLOSED = "closed", _("Closed without result")


# The stages an accepted case moves through: each move is one service call, one note and one audit row.
INTRODUCTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    IntroductionStage.PROPOSED: (IntroductionStage.INTRODUCED, IntroductionStage.DECLINED),
    IntroductionStage.DECLINED: (),
    IntroductionStage.INTRODUCED: (
        IntroductionStage.MET,
        IntroductionStage.NEGOTIATING,
        IntroductionStage.SIGNED,
        IntroductionStage.CLOSED,
    ),
    IntroductionStage.MET: (IntroductionStage.NEGOTIATING, IntroductionStage.SIGNED, IntroductionStage.CLOSED),
    IntroductionStage.NEGOTIATING: (IntroductionStage.SIGNED, IntroductionStage.CLOSED),
    IntroductionStage.SIGNED: (),
    IntroductionStage.CLOSED: (),
}
# Contact details are exchanged once both sides agreed: in these stages and no other.
AGREED_STAGES = (
    IntroductionStage.INTRODUCED,
    IntroductionStage.MET,
    IntroductionStage.NEGOTIATING,
    IntroductionStage.SIGNED,
    IntroductionStage.CLOSED,
)


class Introduction(VersionedModel):
    """An introduction (對接) between side A and side B. For an expression of interest side A is who expressed
    it (an association, for itself or one of its member enterprises) and side B the poster of `offer`; for a
    brokered one the broker (federation staff or an officer) chose both items, `offer` (B's) and `a_offer`
    (A's). The contact details of each side are shown to the other only once both agreed (AGREED_STAGES)."""

    origin = models.CharField(_("origin"), max_length=10, choices=IntroductionOrigin.choices)
    offer = models.ForeignKey(
        "trade.Offer", verbose_name=_("item"), on_delete=models.PROTECT, related_name="introductions"
    )
    a_offer = models.ForeignKey(
        "trade.Offer",
        verbose_name=_("the other side's item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    a_association = models.ForeignKey(
        "orgs.Association", verbose_name=_("interested side"), on_delete=models.PROTECT, related_name="+"
    )
    a_enterprise = models.ForeignKey(
        "members.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    a_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    b_association = models.ForeignKey(
        "orgs.Association", verbose_name=_("posting side"), on_delete=models.PROTECT, related_name="+"
    )
    b_enterprise = models.ForeignKey(
        "members.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    b_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"))
    a_agreed_at = models.DateTimeField(null=True, blank=True)
    b_agreed_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=IntroductionStage.choices,
        default=IntroductionStage.PROPOSED,
        db_index=True,
    )
    STAGE_COLOURS = {
        IntroductionStage.PROPOSED: "orange",
        IntroductionStage.DECLINED: "red",
        IntroductionStage.INTRODUCED: "blue",
        IntroductionStage.MET: "blue",
        IntroductionStage.NEGOTIATING: "blue",
        IntroductionStage.SIGNED: "green",
    }
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("trade", "introduction")
        verbose_name_plural = pgettext_lazy("trade", "introductions")
        indexes = [
            models.Index(fields=["a_association", "stage"], name="trade_intro_a"),
            models.Index(fields=["b_association", "stage"], name="trade_intro_b"),
        ]

    def __str__(self) -> str:
        return str(self.offer.title) if self.offer_id else ""

    @property
    def audit_association_id(self) -> int | None:
        return self.b_association_id

    @property
    def agreed(self) -> bool:
        return self.stage in AGREED_STAGES


class CaseNote(models.Model):
    """An entry of a case's history (an introduction's, a project's): a note, who wrote it, and the stage it
    moved the case to if it did (`stage`, declared by each kind of case with its own choices)."""

    text = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.text[:50]


class IntroductionNote(CaseNote):
    """One entry of an introduction's history: a note, and the stage it moved the case to if it did."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="notes")
    stage = models.CharField(_("stage"), max_length=12, choices=IntroductionStage.choices, blank=True)

    class Meta:
        ordering = ["introduction", "created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    @property
    def audit_association_id(self) -> int | None:
        return self.introduction.b_association_id


class CurrencyRate(models.Model):
    """How many yuan one unit of `currency` is worth from `effective_from` on (until the next row of the same
    currency): the table staff maintain, by which projects' amounts are converted for totals."""

    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(
        _("yuan per unit"), max_digits=14, decimal_places=6, validators=[MinValueValidator(Decimal("0.000001"))]
    )
    effective_from = models.DateField(_("effective from"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-effective_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "effective_from"], name="trade_rate_one_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="trade_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate} ({self.effective_from})"

    @property
    def audit_association_id(self) -> None:
        return None


class ProjectKind(models.TextChoices):
    INVESTMENT = "investment", _("Investment")
    TRADE = "trade", _("Trade")
    TECHNOLOGY = "technology", _("Technology")
    GOING_ABROAD = "going_abroad", _("Going abroad")


class ProjectStage(models.TextChoices):
    SIGNED = "signed", _("Signed")
    STARTED = "started", _("Work started")
    OPERATING = "operating", _("In operation")


PROJECT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProjectStage.SIGNED: (ProjectStage.STARTED,),
    ProjectStage.STARTED: (ProjectStage.OPERATING,),
    ProjectStage.OPERATING: (),
}

# The cities of Henan a project may be located in (prefecture level, and 濟源 directly administered).
HENAN_CITIES = [
    "鄭州", "開封", "洛陽", "平頂山", "安陽", "鶴壁", "新鄉", "焦作", "濮陽",
    "許昌", "漯河", "三門峽", "南陽", "商丘", "信陽", "周口", "駐馬店", "濟源",
]  # fmt: skip
CURRENCIES = ["CNY", "USD", "EUR", "HKD", "MOP", "TWD", "JPY", "SGD", "MYR", "THB", "AUD", "CAD", "GBP"]


class SignedProject(VersionedModel):
    """A signed project (簽約項目) an association recorded: its parties, kind, contract amount in the currency
    signed (converted to yuan only for totals), where it is (a Henan city or a country abroad), when and at
    which flagship event it was signed, and how far it has come. Counted in the association's annual report."""

    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.PROTECT, related_name="trade_projects"
    )
    title = models.CharField(_("title"), max_length=200)
    parties = models.TextField(_("parties"), help_text=_("The enterprises and organisations that signed."))
    kind = models.CharField(_("type"), max_length=12, choices=ProjectKind.choices)
    amount = models.DecimalField(
        _("contract amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    city = models.CharField(_("city in Henan"), max_length=10, blank=True, choices=[(c, c) for c in HENAN_CITIES])
    country = CountryField(_("country abroad"), blank=True)
    signed_on = models.DateField(_("signing date"), db_index=True)
    event = models.ForeignKey(
        "events.FlagshipEvent",
        verbose_name=_("signed at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    introduction = models.ForeignKey(
        Introduction,
        verbose_name=pgettext_lazy("trade", "introduction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=ProjectStage.choices, default=ProjectStage.SIGNED, db_index=True
    )
    STAGE_COLOURS = {ProjectStage.SIGNED: "blue", ProjectStage.STARTED: "orange", ProjectStage.OPERATING: "green"}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title_key = models.CharField(max_length=200, editable=False, default="")
    title_pinyin = models.CharField(max_length=800, editable=False, default="")
    title_initials = models.CharField(max_length=200, editable=False, default="")

    AUDIT_SKIP = ("title_key", "title_pinyin", "title_initials")

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("signed project")
        verbose_name_plural = _("signed projects")
        indexes = [models.Index(fields=["association", "signed_on"], name="trade_project_association")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_association_id(self) -> int | None:
        return self.association_id


class ProjectNote(CaseNote):
    """A follow-up note on a signed project, and the stage it moved the project to if it did."""

    project = models.ForeignKey(SignedProject, on_delete=models.CASCADE, related_name="notes")
    stage = models.CharField(_("stage"), max_length=10, choices=ProjectStage.choices, blank=True)

    class Meta:
        ordering = ["project", "created_at", "id"]
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")

    @property
    def audit_association_id(self) -> int | None:
        return self.project.association_id


class DigestSetting(models.Model):
    """A user's choice about the weekly digest of new matches (on unless switched off), and when it last went."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trade_digest")
    weekly = models.BooleanField(_("weekly digest of new matches"), default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("digest setting")
        verbose_name_plural = _("digest settings")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def audit_association_id(self) -> None:
        return None
