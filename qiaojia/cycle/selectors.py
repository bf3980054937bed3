"""Reads of the annual cycle, always for a viewer. Out of scope is 404: other tenants' ids do not exist."""

import datetime
from typing import NamedTuple, Protocol, cast

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qiaojia.accounts import scope
from qiaojia.accounts.selectors import user_labels
from qiaojia.core.readable import format_datetime
from qiaojia.orgs.models import Association, AssociationStatus

from . import permissions, rules
from .models import (
    AnnualReport,
    Attachment,
    PlanItem,
    PrioritiesStatus,
    Priority,
    ProgressUpdate,
    ReportStatus,
    WorkPriorities,
)


def priorities_list(*, viewer) -> QuerySet[WorkPriorities]:
    qs = WorkPriorities.objects.annotate(item_count=Count("items")).order_by("-year")
    if not scope.is_federation(viewer):
        if not scope.officer_association_ids(viewer):
            return qs.none()
        qs = qs.filter(status=PrioritiesStatus.PUBLISHED)
    return qs


def priorities_get(*, viewer, pk: int) -> WorkPriorities:
    priorities = WorkPriorities.objects.select_related("document").filter(pk=pk).first()
    if priorities is None or not permissions.can_view_priorities(viewer, priorities):
        raise Http404
    return priorities


def priorities_of_year(year: int, *, published_only: bool = False) -> WorkPriorities | None:
    qs = WorkPriorities.objects.filter(year=year)
    if published_only:
        qs = qs.filter(status=PrioritiesStatus.PUBLISHED)
    return qs.first()


def priority_choices(year: int) -> QuerySet[Priority]:
    """The published work priorities of `year` a plan item may serve (a draft is not yet the federation's word)."""
    return (
        Priority.objects.filter(priorities__year=year, priorities__status=PrioritiesStatus.PUBLISHED)
        .select_related("priorities")
        .order_by("number")
    )


def _scoped_reports(viewer) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.select_related("association")
    if scope.is_federation(viewer):
        return qs
    return qs.filter(association_id__in=scope.officer_association_ids(viewer))


def report_list(
    *, viewer, year: int | None = None, status: str | None = None, association: int | None = None
) -> QuerySet[AnnualReport]:
    qs = _scoped_reports(viewer)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if association:
        qs = qs.filter(association_id=association)
    return qs.annotate(item_count=Count("plan_items")).order_by("-year", "association__name")


def report_get(*, viewer, pk: int) -> AnnualReport:
    report = (
        AnnualReport.objects.select_related("association", "financial_file", "signed_declaration").filter(pk=pk).first()
    )
    if report is None or not permissions.can_view_report(viewer, report):
        raise Http404
    return report


def report_for(*, viewer, association_id: int, year: int) -> AnnualReport | None:
    """The report of an association on a year, if the viewer may see it (for the meetings' agendas)."""
    return _scoped_reports(viewer).filter(association_id=association_id, year=year).first()


def report_plan_items(report: AnnualReport) -> list[PlanItem]:
    return list(
        report.plan_items.prefetch_related(
            Prefetch("priorities", queryset=Priority.objects.order_by("number"))
        ).order_by("number", "id")
    )


def previous_plan_items(report: AnnualReport) -> list[PlanItem]:
    """Last year's plan items (planned for this report's year), with their last progress note: the
    outcomes this report accounts for."""
    previous = AnnualReport.objects.filter(association_id=report.association_id, year=report.year - 1).first()
    if previous is None:
        return []
    return _with_last_update(list(previous.plan_items.order_by("number", "id")))


class _ItemWithUpdate(Protocol):
    """A plan item as the report pages show it, with its latest progress note."""

    last_update: ProgressUpdate | None


def _with_last_update(items: list[PlanItem]) -> list[PlanItem]:
    ids = [i.pk for i in items]
    latest_ids = (
        ProgressUpdate.objects.filter(plan_item_id=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
    )
    last = dict(PlanItem.objects.filter(pk__in=ids).annotate(last_id=Subquery(latest_ids)).values_list("pk", "last_id"))
    updates = ProgressUpdate.objects.in_bulk([v for v in last.values() if v])
    for item in items:
        cast(_ItemWithUpdate, item).last_update = updates.get(last.get(item.pk))
    return items


def plan_item_get(*, viewer, pk: int) -> PlanItem:
    item = PlanItem.objects.select_related("report__association").filter(pk=pk).first()
    if item is None or not permissions.can_view_report(viewer, item.report):
        raise Http404
    return item


def plan_item_updates(item: PlanItem) -> QuerySet[ProgressUpdate]:
    """The item's progress notes, with the activity behind a note and its photos (a fixed number of queries)."""
    from qiaojia.activities.selectors import plan_item_photos_prefetch  # knot: cycle ↔ activities

    return (
        item.updates.select_related("attachment", "created_by", "activity")
        .prefetch_related(plan_item_photos_prefetch())
        .order_by("-created_at", "-id")
    )


def current_plan_items(*, viewer, year: int | None = None) -> QuerySet[PlanItem]:
    """The plan items being followed this year (from the reports on last year) that the viewer may see."""
    year = year or timezone.localdate().year
    qs = PlanItem.objects.filter(report__year=year - 1).select_related("report__association")
    if not scope.is_federation(viewer):
        qs = qs.filter(report__association_id__in=scope.officer_association_ids(viewer))
    return qs.order_by("report__association__name", "number", "id")


def attachment_get(*, viewer, pk: int) -> Attachment:
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None or not permissions.can_view_attachment(viewer, attachment):
        raise Http404
    return attachment


# --- the staff dashboard -------------------------------------------------------------------------

DASHBOARD_STATES = ("missing", "late", "draft", "submitted", "returned", "accepted", "filed")


def dashboard_rows(*, viewer, year: int, state: str | None = None, q: str | None = None) -> QuerySet[Association]:
    """Every active association with its report on `year` (status, dates) in one query per page."""
    if not scope.is_federation(viewer):
        raise Http404
    reports = AnnualReport.objects.filter(association_id=OuterRef("pk"), year=year)
    qs = Association.objects.exclude(status=AssociationStatus.DEREGISTERED).annotate(
        report_id=Subquery(reports.values("pk")[:1]),
        report_status=Subquery(reports.values("status")[:1]),
        report_submitted_at=Subquery(reports.values("submitted_at")[:1]),
        report_resubmit_by=Subquery(reports.values("resubmit_by")[:1]),
    )
    deadline = rules.report_deadline(year)
    today = timezone.localdate()
    handed_in = reports.filter(status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.FILED))
    if state == "missing":
        qs = qs.exclude(Exists(handed_in))
    elif state == "late":
        late_submission = reports.filter(submitted_at__date__gt=deadline)
        if today > deadline:
            qs = qs.filter(~Exists(handed_in) | Exists(late_submission))
        else:
            qs = qs.filter(Exists(late_submission))
    elif state in ReportStatus.values:
        qs = qs.filter(Exists(reports.filter(status=state)))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return qs.order_by("name")


def dashboard_counts(*, year: int) -> dict[str, int]:
    """How many reports of `year` are in each state, and how many associations have handed in none."""
    by_status = dict(
        AnnualReport.objects.filter(year=year).values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    active = Association.objects.exclude(status=AssociationStatus.DEREGISTERED).count()
    handed_in = sum(by_status.get(s, 0) for s in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.FILED))
    counts = {s: by_status.get(s, 0) for s in ReportStatus.values}
    counts["associations"] = active
    counts["missing"] = max(active - handed_in, 0)
    return counts


def row_is_late(row, *, year: int, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    deadline = rules.report_deadline(year)
    submitted = row.report_submitted_at
    if row.report_status == ReportStatus.RETURNED and row.report_resubmit_by:
        return today > row.report_resubmit_by
    if submitted is not None and row.report_status != ReportStatus.DRAFT:
        return timezone.localtime(submitted).date() > deadline
    return today > deadline


def accepted_reports(year: int | None) -> QuerySet[AnnualReport]:
    """The accepted (and filed) reports of `year`, or of every year when it is None, by association."""
    reports = AnnualReport.objects.filter(status__in=(ReportStatus.ACCEPTED, ReportStatus.FILED))
    if year is not None:
        reports = reports.filter(year=year)
    return reports.select_related("association").order_by("association__name")


class HistoryStep(NamedTuple):
    kind: str
    when: str
    who: str
    note: str
    who_is_person: bool = False  # a person's name, shown as registered; an account's label follows the script


def report_history(report: AnnualReport) -> list[HistoryStep]:
    """The report's timeline as people read it: each step by whom (the person linked to the account, else
    the account's full name; the platform for reminders and the demo), and when, in the reader's format."""
    events = list(report.events.all())
    names = user_labels(e.actor_id for e in events if e.actor_id)
    people = set(get_user_model().objects.filter(pk__in=list(names), person__isnull=False).values_list("pk", flat=True))
    return [
        HistoryStep(
            kind=e.get_kind_display(),
            when=format_datetime(e.at),
            who=names.get(e.actor_id, "") if e.actor_id else str(_("The platform")),
            note=e.note,
            who_is_person=e.actor_id in people,
        )
        for e in events
    ]
