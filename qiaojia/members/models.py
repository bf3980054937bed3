"""People, member enterprises and memberships."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from qiaojia.core.masking import mask_phone
from qiaojia.core.models import VersionedModel
from qiaojia.core.validators import validate_credit_code


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class OverseasStatus(models.TextChoices):
    RETURNED = "returned", _("Returned overseas Chinese")
    RELATIVE = "relative", _("Relative of overseas Chinese")
    OVERSEAS = "overseas", _("Overseas Chinese")
    FOREIGN_CHINESE = "foreign_chinese", _("Ethnic Chinese of foreign nationality")
    HK_MACAO = "hk_macao", _("Compatriot of Hong Kong or Macao")
    NONE = "none", _("None of these")


class IdKind(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HOME_RETURN_PERMIT = "home_return_permit", _("Home-return permit")


def _mask_secret(_value: object) -> str:
    return "***"


class Person(VersionedModel):
    """A person known to the platform. One person in several associations is one Person.

    `name` is the name as registered, in whichever script it was written, and is never converted.
    The ID or passport number is stored only encrypted, with a keyed hash to find it by exact value
    and a masked copy to show; holding it requires recorded consent."""

    name = models.CharField(_("full name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    overseas_status = models.CharField(
        _("overseas status"), max_length=20, choices=OverseasStatus.choices, default=OverseasStatus.NONE
    )
    country = CountryField(_("country or region of residence"), blank=True)
    is_deputy = models.BooleanField(_("deputy to a people's congress"), default=False)
    is_cppcc_member = models.BooleanField(_("CPPCC member"), default=False)
    public_title = models.CharField(_("public title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    id_kind = models.CharField(_("ID document"), max_length=20, choices=IdKind.choices, blank=True)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=30, blank=True, editable=False)
    consent_version = models.CharField(_("consent version"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    # Set once by the erasure (PIPL art. 47): the row stays, pseudonymised, so what points at it still reads.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    # Search keys, written by the services with every change of the name.
    # Indexed in Meta: a name key by `person_name_birth` (it leads it), the others by plain b-trees.
    name_key = models.CharField(max_length=50, editable=False, default="")
    name_pinyin = models.CharField(max_length=200, editable=False, default="")
    name_initials = models.CharField(max_length=50, editable=False, default="")

    AUDIT_MASKS = {
        "phone": mask_phone,
        "id_number_encrypted": _mask_secret,
        "id_number_hash": _mask_secret,
        "email": lambda v: v.split("@")[0][:1] + "***@" + v.split("@")[-1] if "@" in v else "***",
    }
    AUDIT_SKIP = ("name_key", "name_pinyin", "name_initials")
    # Re-encrypted by `manage.py rotate_field_key`, the hash recomputed by its --rehash (core.crypto).
    ENCRYPTED_FIELDS = {"id_number_encrypted": "id_number_hash"}

    class Meta:
        ordering = ["name_pinyin", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Every index is paid for by every insert (an import writes 100,000 people at once), so there are
        # no twins: plain b-trees declared here rather than `db_index=True`, which on PostgreSQL adds a
        # `varchar_pattern_ops` twin per column for LIKE, which nothing asks of these columns (people are
        # found through the search index), and no index of its own on `name_key`, which leads
        # `person_name_birth`, nor on `name_initials`, which only ranks rows the search index found, nor a
        # plain one on `id_number_hash`: the partial unique `person_unique_id_number` serves a lookup that
        # says `.exclude(id_number_hash="")` (its condition, word for word, so SQLite's planner uses it).
        indexes = [
            models.Index(fields=["phone"], name="person_phone"),
            models.Index(fields=["name_pinyin"], name="person_name_pinyin"),
            # The list's filters, in the list's order: a page of one country's people is an index range.
            models.Index(fields=["country", "name_pinyin", "id"], name="person_country_order"),
            models.Index(fields=["overseas_status", "name_pinyin", "id"], name="person_status_order"),
            # The import's likely-match lookup: the same name (in any script) and birth date.
            models.Index(fields=["name_key", "birth_date"], name="person_name_birth"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(id_number_hash="") | (Q(consent_at__isnull=False) & ~Q(consent_version="")),
                name="person_id_number_requires_consent",
            ),
            # One person, one record: two concurrent adds of the same ID number cannot both win.
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=~Q(id_number_hash=""), name="person_unique_id_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name as registered; an erased person's label in the reader's language."""
        if self.erased_at is not None:
            return _("Erased person #%(number)s") % {"number": self.pk}
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Industry(models.TextChoices):
    """Sections of GB/T 4754 (national industry classification) that member enterprises fall in."""

    AGRICULTURE = "A", _("Agriculture, forestry, husbandry and fishery")
    MINING = "B", _("Mining")
    MANUFACTURING = "C", _("Manufacturing")
    UTILITIES = "D", _("Electricity, heat, gas and water")
    CONSTRUCTION = "E", _("Construction")
    TRADE = "F", _("Wholesale and retail trade")
    LOGISTICS = "G", _("Transport, storage and post")
    HOSPITALITY = "H", _("Accommodation and catering")
    IT = "I", _("Information technology and software")
    FINANCE = "J", _("Finance")
    REAL_ESTATE = "K", _("Real estate")
    BUSINESS_SERVICES = "L", _("Leasing and business services")
    RESEARCH = "M", _("Research and technical services")
    EDUCATION = "P", _("Education")
    HEALTH = "Q", _("Health and social work")
    CULTURE = "R", _("Culture, sports and entertainment")


class Enterprise(VersionedModel):
    """A member enterprise (會員企業)."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    trade_countries = CountryField(_("countries it trades with"), multiple=True, blank=True)
    representative = models.ForeignKey(
        Person,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    name_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    name_pinyin = models.CharField(max_length=800, db_index=True, editable=False, default="")
    name_initials = models.CharField(max_length=200, db_index=True, editable=False, default="")

    AUDIT_SKIP = ("name_key", "name_pinyin", "name_initials")

    class Meta:
        ordering = ["name_pinyin", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class MembershipLevel(models.TextChoices):
    PRESIDENT_UNIT = "president_unit", _("President unit")
    VICE_PRESIDENT_UNIT = "vice_president_unit", _("Vice-president unit")
    DIRECTOR_UNIT = "director_unit", _("Director unit")
    MEMBER_UNIT = "member_unit", _("Member unit")
    STANDING_DIRECTOR = "standing_director", _("Standing director")
    DIRECTOR = "director", _("Director")
    MEMBER = "member", _("Member")


class DuesStatus(models.TextChoices):
    PAID = "paid", _("Paid")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    EXEMPT = "exempt", _("Exempt")


class Membership(VersionedModel):
    """A person or an enterprise belonging to an association."""

    # No index of its own: (association, left_on) in Meta leads with it.
    association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="memberships",
        db_index=False,
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    level = models.CharField(_("level"), max_length=30, choices=MembershipLevel.choices, default=MembershipLevel.MEMBER)
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    dues_status = models.CharField(_("dues"), max_length=10, choices=DuesStatus.choices, default=DuesStatus.DUE)
    DUES_STATUS_COLOURS = {
        DuesStatus.PAID: "green",
        DuesStatus.EXEMPT: "green",
        DuesStatus.DUE: "orange",
        DuesStatus.OVERDUE: "red",
    }

    class Meta:
        ordering = ["association", "-joined_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(enterprise__isnull=True))
                | (Q(person__isnull=True) & Q(enterprise__isnull=False)),
                name="membership_person_xor_enterprise",
            ),
            models.UniqueConstraint(
                fields=["association", "person"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_person",
            ),
            models.UniqueConstraint(
                fields=["association", "enterprise"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_enterprise",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["association", "left_on"])]

    def __str__(self) -> str:
        return f"{self.association} · {self.person or self.enterprise}"

    @property
    def audit_association_id(self) -> int:
        return self.association_id


class PendingStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")


# The allowed decisions on a pending membership (one service and one audit row each).
PENDING_TRANSITIONS = {
    PendingStatus.PENDING: {PendingStatus.CONFIRMED, PendingStatus.REJECTED},
    PendingStatus.CONFIRMED: set(),
    PendingStatus.REJECTED: set(),
}


def _mask_submitted(value: dict) -> dict:
    """What an officer typed, as the audit trail keeps it: phone and e-mail masked like the person's own."""
    masked = dict(value or {})
    for key, mask in (("phone", mask_phone), ("email", Person.AUDIT_MASKS["email"])):
        if masked.get(key):
            masked[key] = mask(masked[key])
    return masked


class PendingMembership(VersionedModel):
    """A membership an officer asked for whose person (same ID number) or enterprise (same credit code)
    is registered outside the officer's associations.

    Nothing links the association to that record until federation staff, or the person themselves,
    confirm; until then the officer sees only `submitted`, what they typed. Confirming makes the
    membership; either decision keeps only the typed name."""

    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.CASCADE, related_name="pending_memberships"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("registered person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_memberships",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("registered enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_memberships",
    )
    submitted = models.JSONField(_("as entered"), default=dict, blank=True)
    level = models.CharField(_("level"), max_length=30, choices=MembershipLevel.choices, default=MembershipLevel.MEMBER)
    joined_on = models.DateField(_("joined"))
    dues_status = models.CharField(_("dues"), max_length=10, choices=DuesStatus.choices, default=DuesStatus.DUE)
    status = models.CharField(
        _("status"), max_length=10, choices=PendingStatus.choices, default=PendingStatus.PENDING, db_index=True
    )
    STATUS_COLOURS = {PendingStatus.PENDING: "orange", PendingStatus.CONFIRMED: "green", PendingStatus.REJECTED: "red"}
    # Where the request came from: "form", or "import:<id>" for the rows of one import.
    source = models.CharField(max_length=30, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDIT_MASKS = {"submitted": _mask_submitted}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("membership awaiting confirmation")
        verbose_name_plural = _("memberships awaiting confirmation")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(enterprise__isnull=True))
                | (Q(person__isnull=True) & Q(enterprise__isnull=False)),
                name="pending_membership_person_xor_enterprise",
            ),
            models.UniqueConstraint(
                fields=["association", "person"],
                condition=Q(status="pending"),
                name="pending_membership_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["association", "enterprise"],
                condition=Q(status="pending"),
                name="pending_membership_one_open_per_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association} · {self.submitted.get('name', '')}"

    @property
    def audit_association_id(self) -> int:
        return self.association_id

    @property
    def is_open(self) -> bool:
        return self.status == PendingStatus.PENDING


class PersonMerge(models.Model):
    """One person record merged into another (the survivor): what was merged, by whom and when.

    The merged record is gone; `merged_snapshot` keeps its fields as they were, masked, and `moved`
    counts the records (memberships, terms, ...) that now point at the survivor."""

    survivor = models.ForeignKey(Person, verbose_name=_("survivor"), on_delete=models.CASCADE, related_name="merges")
    merged_person_id = models.BigIntegerField(_("merged record"))
    merged_name = models.CharField(_("merged name"), max_length=50)
    merged_snapshot = models.JSONField(default=dict)
    kept_from_merged = models.JSONField(default=list, blank=True)
    moved = models.JSONField(default=dict, blank=True)
    merged_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    merged_by_username = models.CharField(max_length=150, blank=True)
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.survivor_id}"


class ConsentWithdrawal(models.Model):
    """A person withdrew the consent under which their ID number was kept (PIPL art. 15): which consent,
    when, who recorded it and how it was received. The number was cleared in the same transaction."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consent_withdrawals"
    )
    consent_version = models.CharField(_("consent version"), max_length=20, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("how it was received"), max_length=200, blank=True)

    class Meta:
        ordering = ["-withdrawn_at", "-id"]
        verbose_name = _("consent withdrawal")
        verbose_name_plural = _("consent withdrawals")

    def __str__(self) -> str:
        return f"{self.person_id} {self.consent_version}"


class DuplicateDismissal(models.Model):
    """Two people staff judged not to be the same person: the pair is no longer proposed."""

    person_low = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_high = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed duplicate")
        verbose_name_plural = _("dismissed duplicates")
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"], name="duplicate_dismissal_unique_pair"),
            models.CheckConstraint(
                condition=Q(person_low__lt=models.F("person_high")), name="duplicate_dismissal_ordered_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_low_id} ≠ {self.person_high_id}"
