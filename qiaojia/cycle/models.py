"""The annual work cycle: the federation's work priorities for a year, each association's annual
report (last year's work, finances and party building) with its plan for the new year, the review of
that report, and the plan items followed through the year.

Years: an `AnnualReport` of `year` 2024 is the summary of 2024 and carries the plan for 2025 (the
seed: "匯報了2024年工作情況和2025年工作計劃"); it is due by 31 March 2025 and its plan items are tied
to the 2025 work priorities. Other apps (meetings) find a report by `(association, year)`.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.models import VersionedModel
from qiaojia.core.storage import private_storage

from .rules import report_deadline

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class AttachmentKind(models.TextChoices):
    PRIORITIES_DOCUMENT = "priorities", _("Work priorities document")
    FINANCIAL_REPORT = "financial", _("Financial report")
    SIGNED_DECLARATION = "declaration", _("Signed declaration page")
    PROGRESS = "progress", _("Progress photo or file")


class Attachment(models.Model):
    """A file kept for the cycle, stored on the private storage under cycle/ with a generated name and served
    only through the permission-checked download view. `association` is empty for federation documents."""

    kind = models.CharField(_("type"), max_length=20, choices=AttachmentKind.choices)
    association = models.ForeignKey(
        "orgs.Association", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(storage=private_storage, max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_association_id(self) -> int | None:
        return self.association_id

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class PrioritiesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class WorkPriorities(VersionedModel):
    """The federation's work priorities for a year (工作要點), e.g. 《省僑聯2025年工作要點》: numbered
    items that associations tie their plan items to. Officers see it once it is published."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.PROTECT, related_name="work_priorities")
    year = models.PositiveIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(pgettext_lazy("compilation", "introduction"), blank=True)
    document = models.ForeignKey(
        Attachment, verbose_name=_("document"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PrioritiesStatus.choices, default=PrioritiesStatus.DRAFT
    )
    STATUS_COLOURS = {PrioritiesStatus.DRAFT: "orange", PrioritiesStatus.PUBLISHED: "green"}
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("work priorities")
        verbose_name_plural = _("work priorities")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PrioritiesStatus.PUBLISHED


class Priority(models.Model):
    """One numbered item of a year's work priorities."""

    priorities = models.ForeignKey(WorkPriorities, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["priorities", "number"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [models.UniqueConstraint(fields=["priorities", "number"], name="priority_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted (first review)")
    FILED = "filed", _("Filed")


# The review workflow: (from, to) pairs; each transition is one service in services.py.
TRANSITIONS = {
    (ReportStatus.DRAFT, ReportStatus.SUBMITTED),
    (ReportStatus.RETURNED, ReportStatus.SUBMITTED),
    (ReportStatus.SUBMITTED, ReportStatus.RETURNED),
    (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
    (ReportStatus.ACCEPTED, ReportStatus.FILED),
}
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
REVIEWED_STATUSES = (ReportStatus.ACCEPTED, ReportStatus.FILED)


class AnnualReport(VersionedModel):
    """An association's annual report (年度工作報告) on `year`, in the three statutory parts — the work
    report with its counts, the financial report, the party-building report — with the plan for
    `year + 1` (its `plan_items`). The counts are prefilled from what the platform records."""

    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    STATUS_COLOURS = {
        ReportStatus.DRAFT: "orange",
        ReportStatus.SUBMITTED: "blue",
        ReportStatus.RETURNED: "red",
        ReportStatus.ACCEPTED: "green",
        ReportStatus.FILED: "green",
    }
    # (1) Work report.
    work_summary = models.TextField(_("summary of the year's work"), blank=True)
    unit_members = models.PositiveIntegerField(_("unit members"), default=0)
    individual_members = models.PositiveIntegerField(_("individual members"), default=0)
    leader_count = models.PositiveIntegerField(_("leaders at secretary-general level and above"), default=0)
    leader_changes = models.TextField(_("changes of leaders, directors and staff"), blank=True)
    activity_count = models.PositiveIntegerField(_("activities held"), default=0)
    activities = models.TextField(_("activities (forums, lectures, annual meetings, seminars)"), blank=True)
    donations_domestic = models.DecimalField(
        _("donations received at home (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    donations_foreign = models.DecimalField(
        _("donations received from abroad (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    award_count = models.PositiveIntegerField(_("awards"), default=0)
    awards = models.TextField(_("awards received"), blank=True)
    social_responsibility = models.TextField(_("social responsibility and charity work"), blank=True)
    # Figures other apps count for the work report (`cycle.figures`), by key, as prefilled.
    work_figures = models.JSONField(default=dict, blank=True, editable=False)
    # (2) Financial report.
    income = models.DecimalField(
        _("income (yuan)"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    expenditure = models.DecimalField(
        _("expenditure (yuan)"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    net_assets = models.DecimalField(_("net assets at year end (yuan)"), max_digits=14, decimal_places=2, default=0)
    financial_notes = models.TextField(_("notes on the finances"), blank=True)
    financial_file = models.ForeignKey(
        Attachment,
        verbose_name=_("financial statements"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # (3) Party-building report.
    party_members = models.PositiveIntegerField(_("party members"), default=0)
    party_organisation = models.CharField(_("party organisation"), max_length=200, blank=True)
    party_activities = models.TextField(_("party-building work and activities"), blank=True)
    # The plan for the new year (its items are PlanItem rows).
    plan_summary = models.TextField(_("plan for the new year: overview"), blank=True)
    # Review.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_reason = models.TextField(_("reasons for return"), blank=True)
    resubmit_by = models.DateField(_("resubmit by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    signed_declaration = models.ForeignKey(
        Attachment,
        verbose_name=_("signed declaration page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prefilled_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-year", "association__name"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [models.UniqueConstraint(fields=["association", "year"], name="annual_report_one_per_year")]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.association} · {self.year}"

    @property
    def audit_association_id(self) -> int:
        return self.association_id

    @property
    def total_members(self) -> int:
        # The counting rule: unit members + individual members = total members.
        return self.unit_members + self.individual_members

    @property
    def plan_year(self) -> int:
        return self.year + 1

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_reviewed(self) -> bool:
        return self.status in REVIEWED_STATUSES

    def deadline(self) -> datetime.date:
        return report_deadline(self.year)


class ReportEventKind(models.TextChoices):
    CREATED = "created", _("Started")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted (first review)")
    FILED = "filed", _("Filed with the registration authority")
    REMINDED = "reminded", _("Reminder sent")


class ReportEvent(models.Model):
    """One step in a report's history, shown as its timeline."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=ReportEventKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"


class PlanItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    DROPPED = "dropped", _("Dropped")
    CARRIED_OVER = "carried_over", _("Carried over")


UNFINISHED_STATUSES = (PlanItemStatus.NOT_STARTED, PlanItemStatus.IN_PROGRESS, PlanItemStatus.DELAYED)


class PlanItem(VersionedModel):
    """One item of an association's plan for `report.plan_year`, tied to one or more work priorities of
    that year, with who is responsible, the target and the due date; followed through the year."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="plan_items")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("plan item"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    priorities = models.ManyToManyField(
        Priority, verbose_name=_("work priorities"), related_name="plan_items", blank=True
    )
    owner = models.CharField(_("responsible"), max_length=100)
    target = models.CharField(_("target"), max_length=300)
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=15, choices=PlanItemStatus.choices, default=PlanItemStatus.NOT_STARTED
    )
    STATUS_COLOURS = {PlanItemStatus.DONE: "green", PlanItemStatus.DELAYED: "red", PlanItemStatus.DROPPED: "red"}
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    outcome = models.TextField(_("outcome"), blank=True)
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )

    class Meta:
        ordering = ["report", "number", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="plan_item_percent_max_100")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def audit_association_id(self) -> int:
        return self.report.association_id

    @property
    def is_unfinished(self) -> bool:
        return self.status in UNFINISHED_STATUSES


class ProgressUpdate(models.Model):
    """A quick progress note on a plan item: a line, a status, a percentage, perhaps a photo or file, or
    the activity that advanced it."""

    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="updates")
    note = models.CharField(_("what happened"), max_length=300)
    status = models.CharField(_("status"), max_length=15, choices=PlanItemStatus.choices)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    attachment = models.ForeignKey(
        Attachment, verbose_name=_("photo or file"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Recorded by an activity linked to the item: the activity and its photos are the evidence.
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return self.note

    @property
    def audit_association_id(self) -> int:
        return self.plan_item.report.association_id
