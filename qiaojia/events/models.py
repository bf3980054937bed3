"""Flagship events run by the federation (黃帝故里拜祖大典, 知名僑商中原行, 世界客屬懇親大會): associations
register delegations within their quota, the federation approves them, and delegates are checked in
at the door with the QR code on their badge."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from qiaojia.core.masking import mask_phone
from qiaojia.core.models import VersionedModel


def new_badge_token() -> str:
    return secrets.token_urlsafe(18)


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    FINISHED = "finished", pgettext_lazy("event status", "Finished")


# The event workflow: each allowed move is one service call and one audit row.
EVENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    EventStatus.DRAFT: (EventStatus.OPEN,),
    EventStatus.OPEN: (EventStatus.CLOSED,),
    EventStatus.CLOSED: (EventStatus.OPEN, EventStatus.FINISHED),
    EventStatus.FINISHED: (),
}


class FlagshipEvent(VersionedModel):
    """A large event the federation runs and associations send delegations to. `slug` is the readable
    part of its public page's address; the public page exists only while `published` is set."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.PROTECT, related_name="flagship_events")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("address of the public page"),
        max_length=80,
        unique=True,
        help_text=_("Letters, digits and hyphens, e.g. huangdi-2025."),
    )
    starts_on = models.DateField(_("starts"), db_index=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    registration_opens = models.DateField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    default_quota = models.PositiveSmallIntegerField(
        _("people per association"), default=5, help_text=_("Unless the association has its own quota.")
    )
    capacity = models.PositiveIntegerField(
        _("total places"), null=True, blank=True, help_text=_("Leave empty for no overall limit.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    STATUS_COLOURS = {EventStatus.OPEN: "green", EventStatus.CLOSED: "orange"}
    published = models.BooleanField(_("public page shown"), default=False)
    members_may_ask = models.BooleanField(
        _("open to members' own requests"),
        default=False,
        help_text=_(
            "Members ask on their own page to join their association's delegation; the association's officers "
            "confirm or decline each request."
        ),
    )
    members_ask_until = models.DateField(_("members' requests close"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("flagship event")
        verbose_name_plural = _("flagship events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="flagship_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(members_may_ask=False) | Q(members_ask_until__isnull=False),
                name="flagship_event_member_requests_close",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EventQuota(VersionedModel):
    """How many people one association may send to one event, where it differs from the event's default."""

    event = models.ForeignKey(FlagshipEvent, on_delete=models.CASCADE, related_name="quotas")
    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.CASCADE, related_name="event_quotas"
    )
    quota = models.PositiveSmallIntegerField(_("quota"))

    class Meta:
        ordering = ["event", "association__name"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [models.UniqueConstraint(fields=["event", "association"], name="event_quota_once")]

    def __str__(self) -> str:
        return f"{self.event} · {self.association} · {self.quota}"

    @property
    def audit_association_id(self) -> int:
        return self.association_id


class DelegationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("On the waiting list")
    REFUSED = "refused", pgettext_lazy("delegation status", "Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Who moves a delegation: the association submits and withdraws, the federation decides.
DELEGATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    DelegationStatus.DRAFT: (DelegationStatus.SUBMITTED, DelegationStatus.WITHDRAWN),
    DelegationStatus.SUBMITTED: (
        DelegationStatus.APPROVED,
        DelegationStatus.WAITLISTED,
        DelegationStatus.REFUSED,
        DelegationStatus.WITHDRAWN,
    ),
    DelegationStatus.WAITLISTED: (DelegationStatus.APPROVED, DelegationStatus.REFUSED, DelegationStatus.WITHDRAWN),
    DelegationStatus.APPROVED: (DelegationStatus.WITHDRAWN,),
    DelegationStatus.REFUSED: (),
    DelegationStatus.WITHDRAWN: (),
}
# A delegation in one of these holds (or asks for) places; the others have given them up.
ACTIVE_DELEGATION = (
    DelegationStatus.DRAFT,
    DelegationStatus.SUBMITTED,
    DelegationStatus.APPROVED,
    DelegationStatus.WAITLISTED,
)


class Delegation(VersionedModel):
    """The party one association sends to one event: its leader, contact phone and delegates.

    An association has at most one active delegation per event; a refused or withdrawn one may be
    followed by a new one. `submitted_at` orders the waiting list."""

    event = models.ForeignKey(FlagshipEvent, on_delete=models.PROTECT, related_name="delegations")
    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.PROTECT, related_name="event_delegations"
    )
    # Blank only on a draft opened by a member's request, until its officers name the leader (needed to submit).
    leader_name = models.CharField(_("leader of the delegation"), max_length=50, blank=True)
    leader = models.ForeignKey(
        "members.Person",
        verbose_name=_("leader on record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DelegationStatus.choices, default=DelegationStatus.DRAFT, db_index=True
    )
    STATUS_COLOURS = {
        DelegationStatus.SUBMITTED: "blue",
        DelegationStatus.APPROVED: "green",
        DelegationStatus.WAITLISTED: "orange",
        DelegationStatus.REFUSED: "red",
    }
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    AUDIT_MASKS = {"contact_phone": mask_phone}

    class Meta:
        ordering = ["event", "submitted_at", "id"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "association"],
                condition=Q(status__in=["draft", "submitted", "approved", "waitlisted"]),
                name="delegation_one_active_per_association",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.association} · {self.event}" if self.association_id and self.event_id else self.leader_name

    @property
    def audit_association_id(self) -> int:
        return self.association_id


class DelegateRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    MEMBER = "member", pgettext_lazy("delegation", "Member")
    OVERSEAS_GUEST = "overseas_guest", _("Overseas guest")


class Delegate(VersionedModel):
    """One person in a delegation, with a badge. `name` is copied from the record as registered when
    the person is a member on record. `badge_token` is the unguessable key in the badge's QR code."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="delegates")
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person on record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_delegates",
    )
    name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(
        pgettext_lazy("delegation", "role"), max_length=20, choices=DelegateRole.choices, default=DelegateRole.MEMBER
    )
    country = CountryField(_("country or region"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=100, blank=True)
    badge_token = models.CharField(max_length=40, unique=True, default=new_badge_token, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDIT_SKIP = ("badge_token",)

    class Meta:
        ordering = ["delegation", "id"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [
            models.UniqueConstraint(fields=["delegation"], condition=Q(role="leader"), name="delegate_one_leader"),
            models.UniqueConstraint(
                fields=["delegation", "person"], condition=Q(person__isnull=False), name="delegate_person_once"
            ),
            models.CheckConstraint(
                condition=~Q(role="overseas_guest") | ~Q(country=""), name="delegate_guest_has_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_role_display()}"

    @property
    def audit_association_id(self) -> int:
        return self.delegation.association_id


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("join request status", "Waiting for the officers")
    CONFIRMED = "confirmed", pgettext_lazy("join request status", "Confirmed")
    DECLINED = "declined", pgettext_lazy("join request status", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("join request status", "Withdrawn")


# A request in one of these stands: a person has at most one per event.
STANDING_JOIN_REQUEST = (JoinRequestStatus.PENDING, JoinRequestStatus.CONFIRMED)


class JoinRequest(VersionedModel):
    """A member's own request to join their association's delegation to an event open to members' requests.

    It is attached to the association's delegation (a draft one is opened when the association has none);
    an officer of the association confirms it, which adds the member as a delegate, or declines it. A person
    has at most one standing (pending or confirmed) request per event; a declined or withdrawn one may be
    followed by a new one."""

    event = models.ForeignKey(FlagshipEvent, on_delete=models.PROTECT, related_name="join_requests")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="join_requests")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("member"), on_delete=models.CASCADE, related_name="event_join_requests"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    STATUS_COLOURS = {
        JoinRequestStatus.PENDING: "blue",
        JoinRequestStatus.CONFIRMED: "green",
        JoinRequestStatus.DECLINED: "red",
    }
    note = models.CharField(pgettext_lazy("join request", "message to the officers"), max_length=300, blank=True)
    asked_at = models.DateTimeField(_("asked at"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["event", "asked_at", "id"]
        verbose_name = _("request to join a delegation")
        verbose_name_plural = _("requests to join a delegation")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="join_request_one_standing_per_event",
            ),
        ]
        indexes = [models.Index(fields=["delegation", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.event}" if self.person_id and self.event_id else str(self.pk)

    @property
    def audit_association_id(self) -> int:
        return self.delegation.association_id
