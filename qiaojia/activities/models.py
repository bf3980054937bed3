"""Activities: what an association did — a trade fair, a charity visit, a study session — with who
took part, photos with captions and the outcome. Linked to plan items, an activity is their progress;
the year's activities are counted in the association's annual report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from qiaojia.core.models import StoredPhoto, VersionedModel


class ActivityKind(models.TextChoices):
    TRADE = "trade", _("Trade and cooperation")
    CULTURE = "culture", _("Culture")
    CHARITY = "charity", _("Charity")
    VOLUNTEER = "volunteer", _("Volunteer service")
    STUDY = "study", _("Study and training")
    PARTY_BUILDING = "party_building", _("Party building")
    PARTNER_LIAISON = "partner_liaison", _("Liaison with a partner")


class Activity(VersionedModel):
    """Something an association did (活動): its kind, when and where, who took part (members on record
    and a count of others), the partner met, the outcome, and the plan items it advanced.

    Seen by the association's officers, its co-organisers' officers and federation staff; a public one
    (`is_public`) by every signed-in user, without who took part, in the shared calendar."""

    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(pgettext_lazy("activity", "title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind.choices)
    starts_on = models.DateField(_("date"), db_index=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True, db_index=True)
    country = CountryField(_("country or region"), default="CN")
    partner = models.ForeignKey(
        "orgs.Partner",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    description = models.TextField(_("what was done"), blank=True)
    outcome = models.TextField(pgettext_lazy("activity", "outcome"), blank=True)
    other_participants = models.PositiveIntegerField(_("other participants"), default=0)
    members = models.ManyToManyField(
        "members.Person", verbose_name=_("members taking part"), blank=True, related_name="activities"
    )
    is_public = models.BooleanField(_("may be published"), default=False)
    plan_items = models.ManyToManyField(
        "cycle.PlanItem", verbose_name=_("plan items"), blank=True, related_name="activities"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    registration_open = models.BooleanField(
        _("open to individual registration"),
        default=False,
        help_text=_("The association's members register themselves on their own page, until the closing time."),
    )
    registration_capacity = models.PositiveIntegerField(_("places for registration"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(registration_open=False)
                | Q(registration_capacity__gt=0, registration_closes_at__isnull=False),
                name="activity_open_registration_has_places_and_closing",
            ),
        ]
        indexes = [models.Index(fields=["association", "starts_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_association_id(self) -> int:
        return self.association_id


class CoOrganiserStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


# A co-organiser that has not declined sees the activity; one that confirmed also counts it.
VISIBLE_CO_ORGANISER = (CoOrganiserStatus.INVITED, CoOrganiserStatus.CONFIRMED)


class CoOrganiser(VersionedModel):
    """Another association that organises the activity with its host (聯合主辦): invited by the host,
    it confirms or declines. Once confirmed, the activity is in its lists and counts in its annual report."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="co_organisers")
    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.PROTECT, related_name="co_organised"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CoOrganiserStatus.choices, default=CoOrganiserStatus.INVITED
    )
    STATUS_COLOURS = {
        CoOrganiserStatus.INVITED: "orange",
        CoOrganiserStatus.CONFIRMED: "green",
        CoOrganiserStatus.DECLINED: "red",
    }
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    responded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["activity", "association__name"]
        verbose_name = _("co-organiser")
        verbose_name_plural = _("co-organisers")
        constraints = [models.UniqueConstraint(fields=["activity", "association"], name="co_organiser_once")]
        indexes = [models.Index(fields=["association", "status"])]

    def __str__(self) -> str:
        return f"{self.activity} · {self.association}"

    @property
    def audit_association_id(self) -> int:
        return self.association_id


class ActivityPhoto(StoredPhoto):
    """A photo of an activity with its caption; see `core.models.StoredPhoto`."""

    FOLDER = "activities/photos"
    PARENT = "activity"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        ordering = ["activity", "order", "id"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("registration status", "Registered")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", pgettext_lazy("activity attendance", "Attended")
    ABSENT = "absent", pgettext_lazy("activity attendance", "Did not come")


# A registration in one of these holds a place.
ACTIVE_REGISTRATION = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED, RegistrationStatus.ABSENT)


class ActivityRegistration(VersionedModel):
    """A member's own registration for an activity open to individual registration. One row per person and
    activity: a cancelled registration is taken up again by registering anew. Attendance is taken from the
    registrations; those who came are added to the activity's members taking part."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("member"), on_delete=models.CASCADE, related_name="activity_registrations"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    STATUS_COLOURS = {
        RegistrationStatus.REGISTERED: "blue",
        RegistrationStatus.ATTENDED: "green",
        RegistrationStatus.ABSENT: "orange",
    }
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["activity", "registered_at", "id"]
        verbose_name = _("activity registration")
        verbose_name_plural = _("activity registrations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="activity_registration_once"),
        ]
        indexes = [models.Index(fields=["activity", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity}" if self.person_id and self.activity_id else str(self.pk)

    @property
    def audit_association_id(self) -> int:
        return self.activity.association_id
