"""Meetings: the annual work meeting and the others the federation and its associations hold."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from qiaojia.core.models import StoredPhoto, VersionedModel


def new_sign_in_key() -> str:
    return secrets.token_urlsafe(12)


# Personal sign-in codes: no 0/O, 1/I/L, so a code read off paper is typed right.
SIGN_IN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SIGN_IN_CODE_LENGTH = 6


def new_sign_in_code() -> str:
    return "".join(secrets.choice(SIGN_IN_CODE_ALPHABET) for _ in range(SIGN_IN_CODE_LENGTH))


class MeetingKind(models.TextChoices):
    ANNUAL_WORK = "annual_work", _("Annual work meeting")
    BOARD = "board", _("Board meeting")
    COUNCIL = "council", _("Council meeting")
    SEMINAR = "seminar", _("Seminar")
    OTHER = "other", _("Other meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# The meeting workflow: each allowed move is one service call and one audit row.
MEETING_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MeetingStatus.PLANNED: (MeetingStatus.HELD, MeetingStatus.CANCELLED),
    MeetingStatus.CANCELLED: (MeetingStatus.PLANNED,),
    MeetingStatus.HELD: (),
}


class Meeting(VersionedModel):
    """A meeting organised by the federation (`association` empty) or by one association.

    Federation meetings are seen by federation staff and by the officers of associations invited to
    them; an association's meetings by its officers and federation staff."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.PROTECT, related_name="meetings")
    association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("organised by association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.OTHER)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, db_index=True
    )
    STATUS_COLOURS = {MeetingStatus.PLANNED: "blue", MeetingStatus.HELD: "green", MeetingStatus.CANCELLED: "red"}
    description = models.TextField(_("notes"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Part of every sign-in token: replacing it withdraws every link and QR code given out.
    sign_in_key = models.CharField(max_length=32, default=new_sign_in_key, editable=False)
    sign_in_by_code = models.BooleanField(
        _("sign in with a personal code"),
        default=False,
        help_text=_(
            "At the venue, participants type their name and the personal code from their invitation "
            "instead of the last four digits of their phone number."
        ),
    )

    AUDIT_SKIP = ("sign_in_key",)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["association", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_association_id(self) -> int | None:
        return self.association_id

    def organiser_name(self) -> str:
        return self.association.name if self.association_id else self.federation.name


class AgendaItemKind(models.TextChoices):
    STUDY = "study", _("Group study of a document")
    REPORTS = "reports", _("Reports in turn")
    DISCUSSION = "discussion", _("Discussion")
    ADDRESS = "address", pgettext_lazy("speech", "Address")
    CLOSING_ADDRESS = "closing_address", _("Closing address")
    OTHER = "other", _("Other")


class ParticipantRole(models.TextChoices):
    PRESIDES = "presides", _("Presides")
    ADDRESSES = "addresses", _("Attends and addresses")
    ATTENDS = "attends", _("Attends")
    ON_BEHALF = "on_behalf", _("Attends on behalf of an association")


class SignInMethod(models.TextChoices):
    LINK = "link", _("Personal sign-in link")
    MEETING_LINK = "meeting_link", _("Meeting sign-in link or QR code")
    ACCOUNT = "account", _("Signed in with an account")
    STAFF = "staff", _("Marked by staff")


class Participant(VersionedModel):
    """Someone at a meeting, in one role: a federation official, a person on record, or a name typed
    in with the association they come from. `name` is copied from the record as registered."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.ATTENDS)
    official = models.ForeignKey(
        "orgs.FederationOfficial",
        verbose_name=_("federation official"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_participations",
    )
    name = models.CharField(_("full name"), max_length=50)
    public_title = models.CharField(_("public title"), max_length=100, blank=True)
    association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("on behalf of association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_participations",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    signed_in_at = models.DateTimeField(_("signed in"), null=True, blank=True)
    signed_in_method = models.CharField(_("signed in by"), max_length=20, choices=SignInMethod.choices, blank=True)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Checked instead of the phone digits when the meeting signs in by personal code.
    sign_in_code = models.CharField(_("sign-in code"), max_length=12, default=new_sign_in_code, editable=False)
    # Wrong phone digits or codes typed for this participant at the meeting link; at the limit the
    # participant is locked (that way of signing in only) until staff unlock them.
    sign_in_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    sign_in_locked_at = models.DateTimeField(_("sign-in locked"), null=True, blank=True, editable=False)

    AUDIT_SKIP = ("sign_in_code", "sign_in_failures")

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(official__isnull=True) | Q(person__isnull=True), name="participant_official_or_person"
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="participant_one_per_person"
            ),
            models.UniqueConstraint(
                fields=["meeting", "official"], condition=Q(official__isnull=False), name="participant_one_per_official"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_role_display()}"

    @property
    def audit_association_id(self) -> int | None:
        return self.association_id or self.meeting.association_id


class AgendaItem(VersionedModel):
    """One item of a meeting's agenda, in order. A report item may name the reporting association."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=AgendaItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    document = models.CharField(_("document"), max_length=200, blank=True)
    association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("reporting association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presenter = models.ForeignKey(
        Participant,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    content = models.TextField(_("content"), blank=True)
    # A report item links the association's annual report on the year before the meeting.
    annual_report = models.ForeignKey(
        "cycle.AnnualReport",
        verbose_name=_("annual report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_association_id(self) -> int | None:
        return self.meeting.association_id


class Resolution(VersionedModel):
    """A decision recorded in the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("resolution"))

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def audit_association_id(self) -> int | None:
        return self.meeting.association_id


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUpTask(VersionedModel):
    """Work the meeting handed to someone: an association or a named owner, with a due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=200)
    owner_association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("association responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_name = models.CharField(_("owner"), max_length=100, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    STATUS_COLOURS = {
        TaskStatus.OPEN: "blue",
        TaskStatus.IN_PROGRESS: "orange",
        TaskStatus.DONE: "green",
        TaskStatus.CANCELLED: "red",
    }
    note = models.TextField(_("progress note"), blank=True)

    class Meta:
        ordering = ["meeting", "due_on", "id"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_association__isnull=False) | ~Q(owner_name=""), name="followup_task_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_association_id(self) -> int | None:
        return self.meeting.association_id

    def owner_display(self) -> str:
        parts = [self.owner_association.name] if self.owner_association_id else []
        if self.owner_name:
            parts.append(self.owner_name)
        return " · ".join(parts)


class Photo(StoredPhoto):
    """A photo of the meeting with its caption (e.g. 會議現場, 合影留念); see `core.models.StoredPhoto`."""

    FOLDER = "meetings/photos"
    PARENT = "meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class JointSeries(VersionedModel):
    """A standing series of joint meetings (聯席會議) among member associations: each meeting is hosted
    by the next member in turn. Seen by federation staff and the officers of the member associations."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.PROTECT, related_name="joint_series")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("purpose"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("joint meeting series")
        verbose_name_plural = _("joint meeting series")

    def __str__(self) -> str:
        return self.name


class JointMember(VersionedModel):
    """An association taking part in a series, at its place in the order of rotation."""

    series = models.ForeignKey(JointSeries, on_delete=models.CASCADE, related_name="members")
    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.PROTECT, related_name="joint_memberships"
    )
    order = models.PositiveSmallIntegerField(_("place in the rotation"), default=0)

    class Meta:
        ordering = ["series", "order", "id"]
        verbose_name = _("member association")
        verbose_name_plural = _("member associations")
        constraints = [models.UniqueConstraint(fields=["series", "association"], name="joint_member_once")]

    def __str__(self) -> str:
        return f"{self.series} · {self.association}"

    @property
    def audit_association_id(self) -> int:
        return self.association_id


class JointMeeting(VersionedModel):
    """One meeting of a series (第n次聯席會議), hosted by the association whose turn it was. The host's
    officers run it; every member association's officers see it."""

    series = models.ForeignKey(JointSeries, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("number"))
    host = models.ForeignKey(
        "orgs.Association", verbose_name=_("host association"), on_delete=models.PROTECT, related_name="joint_hosted"
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    country = CountryField(_("country or region"), default="CN")
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, db_index=True
    )
    STATUS_COLOURS = {MeetingStatus.PLANNED: "blue", MeetingStatus.HELD: "green", MeetingStatus.CANCELLED: "red"}

    class Meta:
        ordering = ["series", "-number"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="joint_meeting_number_once")]

    def __str__(self) -> str:
        return f"{self.series} · {self.number}"

    @property
    def audit_association_id(self) -> int:
        return self.host_id
