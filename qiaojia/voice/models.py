"""Community voice (僑情民意): opinions and appeals sent by members, officers and the public, each a case
routed to a handler (a federation department or an association), answered against deadlines counted in
working days, rated by its sender, and kept with a timeline of every move."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.masking import mask_phone
from qiaojia.core.models import VersionedModel
from qiaojia.core.storage import private_storage


class OpinionCategory(models.TextChoices):
    RIGHTS = "rights", _("Rights protection")
    POLICY = "policy", _("Policy")
    LIVELIHOOD = "livelihood", _("Livelihood")
    BUSINESS = "business", _("Business environment")
    CULTURE = "culture", _("Culture")
    SUGGESTION = "suggestion", _("Suggestion")
    OTHER = "other", pgettext_lazy("category", "Other")


class OpinionChannel(models.TextChoices):
    PUBLIC = "public", _("Public form")
    MEMBER = "member", pgettext_lazy("sender", "Member")
    OFFICER = "officer", _("Association officer")


class OpinionStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("opinion status", "Received")
    ACKNOWLEDGED = "acknowledged", _("Being handled")
    ANSWERED = "answered", _("Answered")
    REOPENED = "reopened", _("Reopened")
    MERGED = "merged", _("Merged")


class OpinionRating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


# The workflow: each move is one service and one audit row. A reply closes the case (answered); the sender
# may reopen it once when not satisfied; an open duplicate is merged into an earlier case.
OPEN = (OpinionStatus.NEW, OpinionStatus.ACKNOWLEDGED, OpinionStatus.REOPENED)
OPINION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OpinionStatus.NEW: (OpinionStatus.ACKNOWLEDGED, OpinionStatus.ANSWERED, OpinionStatus.MERGED),
    OpinionStatus.ACKNOWLEDGED: (OpinionStatus.ANSWERED, OpinionStatus.MERGED),
    OpinionStatus.REOPENED: (OpinionStatus.ANSWERED,),
    OpinionStatus.ANSWERED: (OpinionStatus.REOPENED,),
    OpinionStatus.MERGED: (),
}


def mask_email(value: str) -> str:
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


class Opinion(VersionedModel):
    """One opinion or appeal (a case). `association` is the association it came through (a member's or an
    officer's; none for the public form); the handler is either a federation department or an association.
    The sender is `person` (a member writing for themselves or on someone's behalf) or only the name and
    contact typed into the public form; `anonymous` hides them from the handling association. `code` is the
    receipt code that opens the public tracking page, which shows only the status and the replies."""

    AUDIT_MASKS = {"phone": mask_phone, "email": mask_email}
    STATUS_COLOURS = {
        OpinionStatus.NEW: "orange",
        OpinionStatus.ACKNOWLEDGED: "blue",
        OpinionStatus.ANSWERED: "green",
        OpinionStatus.REOPENED: "red",
    }

    code = models.CharField(_("receipt code"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("sent through"), max_length=10, choices=OpinionChannel.choices)
    category = models.CharField(_("category"), max_length=12, choices=OpinionCategory.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=OpinionStatus.choices, default=OpinionStatus.NEW, db_index=True
    )
    title = models.CharField(_("subject"), max_length=120)
    text = models.TextField(_("opinion"), max_length=5000)
    title_key = models.CharField(max_length=200, blank=True, editable=False)
    title_pinyin = models.CharField(max_length=800, blank=True, editable=False)
    title_initials = models.CharField(max_length=200, blank=True, editable=False)
    association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("sent through association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions_sent",
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("sender"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), max_length=120, blank=True)
    anonymous = models.BooleanField(_("anonymous to the handling association"), default=False)
    consent_at = models.DateTimeField(_("consent given"))
    consent_version = models.CharField(max_length=20)
    attachment = models.FileField(storage=private_storage, max_length=200, blank=True, editable=False)
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    handler_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("handling department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    handler_association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("handling association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions_handled",
    )
    received_at = models.DateTimeField(_("received"), db_index=True)
    acknowledge_due = models.DateField(_("acknowledge by"))
    answer_due = models.DateField(_("answer by"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_on_time = models.BooleanField(null=True, editable=False)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    rating = models.CharField(_("rating"), max_length=14, choices=OpinionRating.choices, blank=True)
    rating_comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        indexes = [
            models.Index(fields=["handler_department", "received_at"], name="voice_handler_dept"),
            models.Index(fields=["handler_association", "received_at"], name="voice_handler_assoc"),
            models.Index(fields=["association", "received_at"], name="voice_sent_through"),
            models.Index(fields=["status", "answer_due"], name="voice_open_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handler_department__isnull=True) | models.Q(handler_association__isnull=True),
                name="voice_one_handler",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_association_id(self) -> int | None:
        return self.handler_association_id or self.association_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def handler(self):
        return self.handler_association or self.handler_department

    @property
    def extended(self) -> bool:
        return bool(self.extension_reason)

    @property
    def reopenable(self) -> bool:
        """Answered, rated not satisfied, and not reopened before (不滿意退回重辦, once)."""
        return (
            self.status == OpinionStatus.ANSWERED
            and self.rating == OpinionRating.NOT_SATISFIED
            and self.reopened_at is None
        )


class EventKind(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("opinion status", "Received")
    ROUTED = "routed", _("Routed")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EXTENDED = "extended", _("Deadline extended")
    REPLIED = "replied", _("Replied")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    REMINDED = "reminded", _("Reminder sent")
    ESCALATED = "escalated", _("Overdue, escalated")
    MERGED = "merged", _("Merged")


# What the sender's tracking page shows of the timeline: the steps, never who in which office did them.
PUBLIC_EVENTS = (EventKind.RECEIVED, EventKind.ACKNOWLEDGED, EventKind.REPLIED, EventKind.RATED, EventKind.REOPENED)


class OpinionEvent(models.Model):
    """One step in a case's timeline: its receipt, every routing with its reason, the acknowledgement, the
    extension, each reply (its text is the answer the sender reads), the rating, the reopening, reminders
    and escalations, a merge."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=14, choices=EventKind.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("text"), blank=True)
    rating = models.CharField(_("rating"), max_length=14, choices=OpinionRating.choices, blank=True)
    department = models.ForeignKey("orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(
        "orgs.Association", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["opinion", "at", "id"]
        verbose_name = _("step of an opinion")
        verbose_name_plural = _("steps of opinions")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def audit_association_id(self) -> int | None:
        return self.opinion.audit_association_id

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_EVENTS


class OpinionRoute(VersionedModel):
    """The default handler of a category: a federation department or an association. A category without a
    route goes to the department that supervises the associations."""

    category = models.CharField(_("category"), max_length=12, choices=OpinionCategory.choices, unique=True)
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["category"]
        verbose_name = _("default handler")
        verbose_name_plural = _("default handlers")

    def __str__(self) -> str:
        return self.get_category_display()
