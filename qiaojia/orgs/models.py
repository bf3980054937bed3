"""The registry: the federation, its departments, its associations and their officers."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from qiaojia.core.models import VersionedModel
from qiaojia.core.validators import validate_credit_code


class Federation(VersionedModel):
    """The provincial Federation of Returned Overseas Chinese (省僑聯) that runs the platform."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("federation")

    def __str__(self) -> str:
        return self.name


class Department(VersionedModel):
    """A department of the federation; one of them (文化經濟聯絡部) supervises the associations."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    supervises_associations = models.BooleanField(_("supervises associations"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class FederationTitle(models.TextChoices):
    PARTY_SECRETARY_CHAIR = "party_secretary_chair", _("Party secretary and chair")
    CHAIR = "chair", _("Chair")
    PARTY_MEMBER_VICE_CHAIR = "party_member_vice_chair", _("Party group member and vice-chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    DEPARTMENT_HEAD = "department_head", _("Department head")


class FederationOfficial(models.Model):
    """A federation leader or department head, with the public title only."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="officials")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="federation_posts")
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=30, choices=FederationTitle.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_title_display()})"


class AssociationKind(models.TextChoices):
    BUSINESS = "business", _("Business association")
    HOMETOWN = "hometown", _("Hometown association")
    PROFESSIONAL = "professional", _("Professional association")
    CULTURAL = "cultural", _("Culture and friendship association")
    YOUTH = "youth", _("Youth association")
    WOMEN = "women", _("Women's association")
    RETURNEES = "returnees", _("Returned overseas Chinese association")


class AssociationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    IRREGULAR = "irregular", _("Listed as irregular")
    SUSPENDED = "suspended", _("Suspended")
    DEREGISTERED = "deregistered", _("Deregistered")


class Association(VersionedModel):
    """An association affiliated to the federation (所屬社團). Its profile is public; its members,
    officers' contact details and everything it records are visible only to itself and the federation."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="associations")
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=AssociationKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    supervising_department = models.ForeignKey(
        Department, verbose_name=_("supervising department"), on_delete=models.PROTECT, related_name="associations"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssociationStatus.choices, default=AssociationStatus.ACTIVE, db_index=True
    )
    STATUS_COLOURS = {
        AssociationStatus.ACTIVE: "green",
        AssociationStatus.IRREGULAR: "red",
        AssociationStatus.SUSPENDED: "red",
        AssociationStatus.DEREGISTERED: "red",
    }
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("introduction"), blank=True)
    # Search keys, written by the services with every change of the name.
    name_key = models.CharField(max_length=100, db_index=True, editable=False, default="")
    name_pinyin = models.CharField(max_length=400, db_index=True, editable=False, default="")
    name_initials = models.CharField(max_length=100, db_index=True, editable=False, default="")

    AUDIT_SKIP = ("name_key", "name_pinyin", "name_initials")

    class Meta:
        ordering = ["name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_association_id(self) -> int:
        return self.pk


class AssociationTitle(models.TextChoices):
    PRESIDENT = "president", _("President")
    EXECUTIVE_VICE_PRESIDENT = "executive_vice_president", _("Executive vice-president")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    CHIEF_SUPERVISOR = "chief_supervisor", _("Chief supervisor")
    DIRECTOR = "director", _("Director")
    DEPUTY_SECRETARY_GENERAL = "deputy_secretary_general", _("Deputy secretary-general")
    HONORARY_PRESIDENT = "honorary_president", _("Honorary president")
    ADVISER = "adviser", _("Adviser")


# "Leaders at secretary-general level and above" (DOMAIN-RULES): president, vice-presidents, secretary-general.
LEADER_TITLES = (
    AssociationTitle.PRESIDENT,
    AssociationTitle.EXECUTIVE_VICE_PRESIDENT,
    AssociationTitle.VICE_PRESIDENT,
    AssociationTitle.SECRETARY_GENERAL,
)


class TermQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def ending_soon(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.current(on).filter(ends_on__lte=on + datetime.timedelta(days=settings.QIAOJIA_TERM_WARNING_DAYS))


class Term(VersionedModel):
    """One person holding one title in an association for a term of office (任期)."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="terms")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="terms"
    )
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=30, choices=AssociationTitle.choices)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["association", "title", "starts_on"]
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association} · {self.get_title_display()} · {self.person}"

    @property
    def audit_association_id(self) -> int:
        return self.association_id

    def ends_within_warning(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return bool(
            self.ends_on and on <= self.ends_on <= on + datetime.timedelta(days=settings.QIAOJIA_TERM_WARNING_DAYS)
        )


class PartyBranch(VersionedModel):
    """The association's party branch (黨支部)."""

    association = models.OneToOneField(Association, on_delete=models.CASCADE, related_name="party_branch")
    name = models.CharField(_("name"), max_length=100)
    secretary = models.ForeignKey(
        "members.Person",
        verbose_name=_("branch secretary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    party_member_count = models.PositiveIntegerField(_("party members"), default=0)

    class Meta:
        verbose_name = _("party branch")
        verbose_name_plural = _("party branches")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_association_id(self) -> int:
        return self.association_id


class PartnerKind(models.TextChoices):
    GOVERNMENT = "government", _("Government department")
    UNIVERSITY = "university", _("University or college")
    ENTERPRISE = "enterprise", _("Enterprise")
    OVERSEAS_ASSOCIATION = "overseas_association", _("Overseas Chinese association")
    CHAMBER = "chamber", _("Chamber of commerce")
    OTHER = "other", _("Other")


class Partner(VersionedModel):
    """An outside organisation an association liaises with."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=PartnerKind.choices)
    country = CountryField(_("country or region"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_association_id(self) -> int:
        return self.association_id


class Liaison(VersionedModel):
    """A record of contact with a partner: a visit, a meeting, an agreement."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="liaisons")
    happened_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("liaison record")
        verbose_name_plural = _("liaison records")

    def __str__(self) -> str:
        return f"{self.partner} {self.happened_on}"

    @property
    def audit_association_id(self) -> int:
        return self.partner.association_id
