"""B2B meetings at a flagship event (一對一對接會): the organiser opens matchmaking for an event with time
slots and tables; enterprises registered for the event publish what they offer and seek; participants ask
each other for 1:1 meetings (`BusinessMeeting`) in a slot, the other side accepts or declines, and a table is
assigned. Double-booking is refused by the database itself: a participant holds at most one seat in a slot
(`B2BSeat`), a table holds one meeting per slot, and a pair of participants has one standing meeting."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from qiaojia.core import formats
from qiaojia.core.models import VersionedModel


class B2BSessionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("b2b", "Open for booking")
    CLOSED = "closed", pgettext_lazy("b2b", "Booking closed")


class B2BSession(VersionedModel):
    """The B2B matchmaking of one flagship event, opened by federation staff: its place, slots and tables."""

    event = models.OneToOneField(
        "events.FlagshipEvent", verbose_name=_("flagship event"), on_delete=models.CASCADE, related_name="b2b"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=B2BSessionStatus.choices, default=B2BSessionStatus.OPEN
    )
    STATUS_COLOURS = {B2BSessionStatus.OPEN: "green", B2BSessionStatus.CLOSED: "orange"}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = pgettext_lazy("b2b", "B2B matchmaking")
        verbose_name_plural = pgettext_lazy("b2b", "B2B matchmaking sessions")

    def __str__(self) -> str:
        return str(self.event)


class B2BSlot(models.Model):
    """One time slot of a session, in which each participant meets at most one other."""

    session = models.ForeignKey(B2BSession, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["session", "starts_at"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.UniqueConstraint(fields=["session", "starts_at"], name="b2b_slot_once"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="b2b_slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return formats.datetime_text(timezone.localtime(self.starts_at))


class B2BTable(models.Model):
    """A numbered table where meetings are held."""

    session = models.ForeignKey(B2BSession, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField(pgettext_lazy("b2b", "table"))

    class Meta:
        ordering = ["session", "number"]
        verbose_name = pgettext_lazy("b2b", "table")
        verbose_name_plural = pgettext_lazy("b2b", "tables")
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="b2b_table_once")]

    def __str__(self) -> str:
        return pgettext("b2b", "Table %(number)s") % {"number": self.number}


class B2BParticipant(VersionedModel):
    """An enterprise taking part in a session, through the association whose delegation brought it to the
    event, with what it offers and seeks there (words of its own, and any of its published offers and needs).
    `contact` is the person who books for it and receives its notices (the enterprise's representative)."""

    session = models.ForeignKey(B2BSession, on_delete=models.CASCADE, related_name="participants")
    enterprise = models.ForeignKey(
        "members.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="b2b_participations"
    )
    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "members.Person",
        verbose_name=pgettext_lazy("b2b", "contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="b2b_participations",
    )
    offers_text = models.TextField(pgettext_lazy("b2b", "what we offer"), blank=True)
    seeks_text = models.TextField(pgettext_lazy("b2b", "what we seek"), blank=True)
    offers = models.ManyToManyField(
        "trade.Offer", verbose_name=pgettext_lazy("trade", "offers and needs"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session", "enterprise__name_pinyin", "id"]
        verbose_name = pgettext_lazy("b2b", "participant")
        verbose_name_plural = pgettext_lazy("b2b", "participants")
        constraints = [models.UniqueConstraint(fields=["session", "enterprise"], name="b2b_participant_once")]

    def __str__(self) -> str:
        return str(self.enterprise) if self.enterprise_id else str(self.pk)

    @property
    def audit_association_id(self) -> int:
        return self.association_id


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("b2b", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("b2b", "Accepted")
    DECLINED = "declined", pgettext_lazy("b2b", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("b2b", "Cancelled")
    HELD = "held", pgettext_lazy("b2b", "Held")
    NO_SHOW = "no_show", pgettext_lazy("b2b", "No-show")


# A meeting in one of these holds its slot for both participants (and its table, once it has one).
STANDING = ("requested", "accepted", "held", "no_show")
MEETING_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MeetingStatus.REQUESTED: (MeetingStatus.ACCEPTED, MeetingStatus.DECLINED, MeetingStatus.CANCELLED),
    MeetingStatus.ACCEPTED: (MeetingStatus.HELD, MeetingStatus.NO_SHOW, MeetingStatus.CANCELLED),
    MeetingStatus.HELD: (MeetingStatus.NO_SHOW,),
    MeetingStatus.NO_SHOW: (MeetingStatus.HELD,),
    MeetingStatus.DECLINED: (),
    MeetingStatus.CANCELLED: (),
}


class MeetingOutcome(models.TextChoices):
    """What a meeting produced, as the organiser records it. An introduction to follow is the hand-over to
    trade's introductions (對接), which carry the case on to a signed project."""

    NONE = "", pgettext_lazy("b2b outcome", "Not recorded")
    NO_RESULT = "no_result", pgettext_lazy("b2b outcome", "No result")
    FURTHER_TALKS = "further_talks", pgettext_lazy("b2b outcome", "Further talks agreed")
    INTRODUCTION = "introduction", pgettext_lazy("b2b outcome", "Introduction to follow")
    AGREEMENT = "agreement", pgettext_lazy("b2b outcome", "Agreement reached")


class BusinessMeeting(VersionedModel):
    """A 1:1 meeting (洽談) one participant asks another for, in one slot of the session. `pair_low` and
    `pair_high` are the two participants' ids in order, so a pair has one standing meeting whoever asked."""

    session = models.ForeignKey(B2BSession, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(B2BSlot, verbose_name=_("time slot"), on_delete=models.PROTECT, related_name="meetings")
    requester = models.ForeignKey(
        B2BParticipant, verbose_name=pgettext_lazy("b2b", "asked by"), on_delete=models.CASCADE, related_name="+"
    )
    invitee = models.ForeignKey(
        B2BParticipant, verbose_name=pgettext_lazy("b2b", "asked of"), on_delete=models.CASCADE, related_name="+"
    )
    pair_low = models.PositiveIntegerField(editable=False)
    pair_high = models.PositiveIntegerField(editable=False)
    table = models.ForeignKey(
        B2BTable,
        verbose_name=pgettext_lazy("b2b", "table"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    message = models.CharField(pgettext_lazy("b2b", "message"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.REQUESTED
    )
    STATUS_COLOURS = {
        MeetingStatus.REQUESTED: "blue",
        MeetingStatus.ACCEPTED: "green",
        MeetingStatus.HELD: "green",
        MeetingStatus.DECLINED: "red",
        MeetingStatus.NO_SHOW: "orange",
    }
    outcome = models.CharField(
        pgettext_lazy("b2b", "outcome"), max_length=16, choices=MeetingOutcome.choices, blank=True
    )
    outcome_note = models.CharField(pgettext_lazy("b2b", "what came of it"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(pgettext_lazy("b2b", "answered"), null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        verbose_name = pgettext_lazy("b2b", "B2B meeting")
        verbose_name_plural = pgettext_lazy("b2b", "B2B meetings")
        constraints = [
            models.CheckConstraint(condition=Q(pair_low__lt=models.F("pair_high")), name="b2b_meeting_two_sides"),
            models.UniqueConstraint(
                fields=["session", "pair_low", "pair_high"],
                condition=Q(status__in=STANDING),
                name="b2b_meeting_pair_once",
                violation_error_message=_("These two participants already have a meeting."),
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(status__in=STANDING, table__isnull=False),
                name="b2b_meeting_table_once",
                violation_error_message=_("That table is already taken in this slot."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="b2b_meeting_session")]

    def __str__(self) -> str:
        return f"{self.requester} · {self.invitee}" if self.requester_id and self.invitee_id else str(self.pk)

    @property
    def audit_association_id(self) -> int | None:
        return None


class B2BSeat(models.Model):
    """A participant's place in a slot, held by a standing meeting (two seats per meeting). One seat per
    participant and slot is what forbids booking anyone twice at once, whichever side they are on."""

    meeting = models.ForeignKey(BusinessMeeting, on_delete=models.CASCADE, related_name="seats")
    slot = models.ForeignKey(B2BSlot, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(B2BParticipant, on_delete=models.CASCADE, related_name="seats")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "participant"],
                name="b2b_seat_once",
                violation_error_message=_("This participant already has a meeting in this slot."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot_id}:{self.participant_id}"
