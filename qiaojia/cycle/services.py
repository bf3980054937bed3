"""Every write of the annual cycle. Each service is one transaction with its audit row; notices go
out through `qiaojia.notifications.services.notify`, whose e-mails leave after commit.

The review workflow is `models.TRANSITIONS`; each transition is one service below."""

import datetime
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.accounts.models import User
from qiaojia.core import context, storage
from qiaojia.core.models import AuditAction
from qiaojia.core.services import ConflictError, audit_log, create_audited, delete_audited, update_versioned
from qiaojia.jobs import services as jobs
from qiaojia.members.models import Membership
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import LEADER_TITLES, Association, Federation, PartyBranch, Term
from qiaojia.volunteering.selectors import donation_report_totals

from . import figures, files, rules
from .documents import PREPARE_KIND
from .models import (
    TRANSITIONS,
    UNFINISHED_STATUSES,
    AnnualReport,
    AttachmentKind,
    PlanItem,
    PlanItemStatus,
    PrioritiesStatus,
    Priority,
    ProgressUpdate,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
    WorkPriorities,
)
from .notices import REPORT_ACCEPTED, REPORT_DEADLINE, REPORT_RETURNED, REPORT_SUBMITTED


class TransitionRefused(ValidationError):
    """The report is not in a state that allows this step."""


# --- work priorities -----------------------------------------------------------------------------

_ITEM_LINE = re.compile(r"^\s*(?:(\d{1,3})\s*[.、．)）]\s*)?(.+?)\s*$")


def priorities_parse_items(text: str) -> list[tuple[int, str]]:
    """Numbered items from lines like "1. 搭建經貿合作交流平臺"; unnumbered lines take the next number."""
    items: list[tuple[int, str]] = []
    used: set[int] = set()
    for line in (text or "").splitlines():
        match = _ITEM_LINE.match(line)
        if not match or not match.group(2).strip():
            continue
        number = int(match.group(1)) if match.group(1) else (max(used) + 1 if used else 1)
        title = match.group(2).strip()
        if number in used:
            raise ValidationError({"items": _("Item number %(n)s is used twice.") % {"n": number}})
        max_length = Priority._meta.get_field("title").max_length
        if max_length is not None and len(title) > max_length:
            raise ValidationError({"items": _("Item %(n)s is too long (at most 300 characters).") % {"n": number}})
        used.add(number)
        items.append((number, title))
    if not items:
        raise ValidationError({"items": _("Write at least one numbered item.")})
    return sorted(items)


def _priorities_sync_items(priorities: WorkPriorities, items: list[tuple[int, str]]) -> None:
    existing = {p.number: p for p in priorities.items.all()}
    wanted = dict(items)
    for number, item in existing.items():
        if number not in wanted:
            if item.plan_items.exists():
                raise ValidationError(
                    {"items": _("Item %(n)s cannot be removed: plan items are tied to it.") % {"n": number}}
                )
            delete_audited(item)
    for number, title in items:
        row = existing.get(number)
        if row is None:
            create_audited(Priority(priorities=priorities, number=number, title=title))
        elif row.title != title:
            before = row.title
            row.title = title
            row.save(update_fields=["title"])
            audit_log(action=AuditAction.UPDATE, instance=row, changes={"title": [before, title]})


@storage.files_atomic()
def priorities_create(
    *,
    federation: Federation,
    data: dict[str, Any],
    items_text: str,
    document=None,
    user=None,
    form_token: uuid.UUID | None = None,
) -> WorkPriorities:
    items = priorities_parse_items(items_text)
    priorities = WorkPriorities(
        federation=federation, year=data["year"], title=data["title"], introduction=data.get("introduction", "")
    )
    if WorkPriorities.objects.filter(year=priorities.year).exists():
        raise ValidationError({"year": _("The work priorities of this year already exist.")})
    if document is not None:
        priorities.document = files.attachment_store(
            uploaded=document, kind=AttachmentKind.PRIORITIES_DOCUMENT, user=user
        )
    create_audited(priorities, form_token=form_token)
    _priorities_sync_items(priorities, items)
    return priorities


@storage.files_atomic()
def priorities_update(
    *,
    priorities: WorkPriorities,
    expected_version: int,
    data: dict[str, Any],
    items_text: str,
    document=None,
    user=None,
) -> WorkPriorities:
    items = priorities_parse_items(items_text)
    values: dict[str, Any] = {k: data[k] for k in ("title", "introduction") if k in data}
    if document is not None:
        values["document"] = files.attachment_store(
            uploaded=document, kind=AttachmentKind.PRIORITIES_DOCUMENT, user=user
        )
    priorities = update_versioned(priorities, expected_version=expected_version, **values)
    _priorities_sync_items(priorities, items)
    return priorities


@transaction.atomic
def priorities_publish(*, priorities: WorkPriorities, expected_version: int) -> WorkPriorities:
    if priorities.is_published:
        return priorities
    return update_versioned(
        priorities, expected_version=expected_version, status=PrioritiesStatus.PUBLISHED, published_at=timezone.now()
    )


# --- annual reports ------------------------------------------------------------------------------


def report_prefill_values(*, association: Association, year: int) -> dict[str, Any]:
    """The work-report counts as the platform records them at the end of `year` (a few counting queries).

    Members active on 31 December by kind; leaders at secretary-general level and above holding a term
    on that day (DOMAIN-RULES: president, vice-presidents and secretary-general only); party members
    from the party branch; the activities and the donations recorded in the year (each only when there
    are any: otherwise what the officer typed stays). Awards are typed by the officer."""
    from qiaojia.activities.selectors import activity_report_counts  # knot: cycle ↔ activities

    year_end = datetime.date(year, 12, 31)
    active = Membership.objects.filter(association=association, joined_on__lte=year_end).exclude(left_on__lt=year_end)
    units = active.filter(enterprise__isnull=False).count()
    individuals = active.filter(person__isnull=False).count()
    leaders = (
        Term.objects.filter(association=association, title__in=LEADER_TITLES)
        .current(year_end)
        .values("person_id")
        .distinct()
        .count()
    )
    branch = PartyBranch.objects.filter(association=association).first()
    values = {
        "unit_members": units,
        "individual_members": individuals,
        "leader_count": leaders,
        "party_members": branch.party_member_count if branch else 0,
        "party_organisation": branch.name if branch else "",
    }
    values["work_figures"] = figures.count_all(association_id=association.pk, year=year)
    activities = activity_report_counts(association_id=association.pk, year=year)
    if activities["activity_count"]:
        values.update(activities)
    donations = donation_report_totals(association_id=association.pk, year=year)
    if donations["donations_domestic"] or donations["donations_foreign"]:
        values.update(
            donations_domestic=donations["donations_domestic"], donations_foreign=donations["donations_foreign"]
        )
    return values


def _event(report: AnnualReport, kind: str, note: str = "") -> ReportEvent:
    ctx = context.current()
    return ReportEvent.objects.create(
        report=report, kind=kind, note=note, actor_id=ctx.user_id, actor_name=ctx.username[:150]
    )


@transaction.atomic
def report_start(*, association: Association, year: int, form_token: uuid.UUID | None = None) -> AnnualReport:
    """Open the annual report of `association` on `year`, its counts prefilled; the existing one if any."""
    existing = AnnualReport.objects.filter(association=association, year=year).first()
    if existing is not None:
        return existing
    report = AnnualReport(
        association=association,
        year=year,
        prefilled_at=timezone.now(),
        **report_prefill_values(association=association, year=year),
    )
    create_audited(report, form_token=form_token)
    _event(report, ReportEventKind.CREATED)
    return report


REPORT_FIELDS = (
    "work_summary",
    "unit_members",
    "individual_members",
    "leader_count",
    "leader_changes",
    "activity_count",
    "activities",
    "donations_domestic",
    "donations_foreign",
    "award_count",
    "awards",
    "social_responsibility",
    "income",
    "expenditure",
    "net_assets",
    "financial_notes",
    "party_members",
    "party_organisation",
    "party_activities",
    "plan_summary",
)


def _require_editable(report: AnnualReport) -> None:
    if not report.is_editable:
        raise TransitionRefused(_("This report was submitted and can no longer be changed."))


@transaction.atomic
def report_update(*, report: AnnualReport, expected_version: int, data: dict[str, Any]) -> AnnualReport:
    """Save the officer's edits (the form or an autosave); refused when someone saved in between."""
    current = AnnualReport.objects.select_for_update().filter(pk=report.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    _require_editable(current)
    values = {k: data[k] for k in REPORT_FIELDS if k in data}
    return update_versioned(current, expected_version=expected_version, **values)


@transaction.atomic
def report_refresh_counts(*, report: AnnualReport, expected_version: int) -> AnnualReport:
    _require_editable(report)
    return update_versioned(
        report,
        expected_version=expected_version,
        prefilled_at=timezone.now(),
        **report_prefill_values(association=report.association, year=report.year),
    )


def _transition(report: AnnualReport, to: str) -> None:
    if (report.status, to) not in TRANSITIONS:
        raise TransitionRefused(
            _("A report that is “%(status)s” cannot be changed this way.") % {"status": report.get_status_display()}
        )


def report_missing_parts(report: AnnualReport, *, step: str = ReportStatus.SUBMITTED) -> list[str]:
    """What a report still lacks before `step`, in the reader's language: submission and the first review
    (acceptance) need the three parts, the financial statements and the plan's items; filing needs the
    signed and sealed declaration page. Empty when nothing is missing."""
    if step == ReportStatus.FILED:
        if report.signed_declaration_id is None:
            return [str(_("The signed and sealed declaration page is not uploaded."))]
        return []
    missing = []
    if not report.work_summary.strip():
        missing.append(str(_("The work report needs a summary of the year's work.")))
    if report.financial_file_id is None:
        missing.append(str(_("The financial statements are not attached.")))
    if not report.party_activities.strip() and not report.party_organisation.strip():
        missing.append(str(_("The party-building report is empty.")))
    if not report.plan_items.exists():
        missing.append(str(_("The plan for the new year needs at least one plan item.")))
    return missing


def report_next_step(report: AnnualReport) -> str | None:
    """The step the report waits for (the one `report_missing_parts` checks on its page), if any."""
    steps: dict[str, str] = {
        ReportStatus.DRAFT: ReportStatus.SUBMITTED,
        ReportStatus.RETURNED: ReportStatus.SUBMITTED,
        ReportStatus.SUBMITTED: ReportStatus.ACCEPTED,
        ReportStatus.ACCEPTED: ReportStatus.FILED,
    }
    return steps.get(report.status)


def _require_complete(report: AnnualReport, step: str) -> None:
    missing = report_missing_parts(report, step=step)
    if missing:
        headings: dict[str, Any] = {
            ReportStatus.SUBMITTED: _("The report cannot be submitted yet."),
            ReportStatus.ACCEPTED: _("The report cannot be accepted yet."),
            ReportStatus.FILED: _("The report cannot be marked as filed yet."),
        }
        raise ValidationError([str(headings[step]), *missing])


def _report_url(report: AnnualReport) -> str:
    from django.urls import reverse

    return reverse("cycle:report-detail", args=[report.pk])


@transaction.atomic
def report_submit(*, report: AnnualReport, expected_version: int) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().select_related("association").get(pk=report.pk)
    if report.version != expected_version:
        raise ConflictError()
    _transition(report, ReportStatus.SUBMITTED)
    _require_complete(report, ReportStatus.SUBMITTED)
    resubmission = report.status == ReportStatus.RETURNED
    report = update_versioned(
        report, expected_version=expected_version, status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    _event(report, ReportEventKind.SUBMITTED)
    notify(
        REPORT_SUBMITTED,
        association=report.association,
        params={"association": report.association.name, "year": report.year, "resubmission": resubmission},
        url=_report_url(report),
    )
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, expected_version: int, reason: str) -> AnnualReport:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what must be corrected.")})
    report = AnnualReport.objects.select_for_update().select_related("association").get(pk=report.pk)
    if report.version != expected_version:
        raise ConflictError()
    _transition(report, ReportStatus.RETURNED)
    today = timezone.localdate()
    due = rules.add_working_days(today, rules.resubmit_days())
    report = update_versioned(
        report,
        expected_version=expected_version,
        status=ReportStatus.RETURNED,
        returned_at=timezone.now(),
        return_reason=reason,
        resubmit_by=due,
    )
    _event(report, ReportEventKind.RETURNED, reason)
    notify(
        REPORT_RETURNED,
        association=report.association_id,
        params={"year": report.year, "reason": reason, "date": due},
        url=_report_url(report),
    )
    return report


@transaction.atomic
def report_accept(*, report: AnnualReport, expected_version: int) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().select_related("association").get(pk=report.pk)
    if report.version != expected_version:
        raise ConflictError()
    _transition(report, ReportStatus.ACCEPTED)
    # A report submitted before a part became required is not accepted without it either.
    _require_complete(report, ReportStatus.ACCEPTED)
    report = update_versioned(
        report,
        expected_version=expected_version,
        status=ReportStatus.ACCEPTED,
        accepted_at=timezone.now(),
        resubmit_by=None,
    )
    _event(report, ReportEventKind.ACCEPTED)
    notify(REPORT_ACCEPTED, association=report.association_id, params={"year": report.year}, url=_report_url(report))
    _prepare_compilation(report)
    return report


def _prepare_compilation(report: AnnualReport) -> None:
    """Once committed, the report's pages are laid out in the background for the compilations to come
    (cycle/documents.py keeps them), so that a compilation binds pages instead of laying them all out.
    Only for a signed-in actor: a job needs an owner, and a command line has no worker to run it."""
    user_id = context.current().user_id
    if user_id is not None:
        jobs.job_enqueue(kind=PREPARE_KIND, owner=User(pk=user_id), params={"reports": [report.pk]})


@transaction.atomic
def report_mark_filed(*, report: AnnualReport, expected_version: int) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.version != expected_version:
        raise ConflictError()
    _transition(report, ReportStatus.FILED)
    _require_complete(report, ReportStatus.FILED)
    report = update_versioned(
        report, expected_version=expected_version, status=ReportStatus.FILED, filed_at=timezone.now()
    )
    _event(report, ReportEventKind.FILED)
    _prepare_compilation(report)
    return report


@storage.files_atomic()
def report_attach(*, report: AnnualReport, expected_version: int, kind: str, uploaded, user=None) -> AnnualReport:
    """Attach the financial statements (while editable) or the signed declaration scan (until filed)."""
    if kind == AttachmentKind.FINANCIAL_REPORT:
        _require_editable(report)
        field = "financial_file"
    elif kind == AttachmentKind.SIGNED_DECLARATION:
        if report.status == ReportStatus.FILED:
            raise TransitionRefused(_("This report is filed; its declaration page can no longer be replaced."))
        field = "signed_declaration"
    else:
        raise ValidationError(_("Unknown kind of file."))
    if report.version != expected_version:
        raise ConflictError()
    attachment = files.attachment_store(uploaded=uploaded, kind=kind, association=report.association, user=user)
    audit_log(
        action=AuditAction.CREATE, instance=attachment, changes={"original_name": [None, attachment.original_name]}
    )
    return update_versioned(report, expected_version=expected_version, **{field: attachment})


@transaction.atomic
def report_remind(*, association: Association, year: int) -> int:
    """Remind an association's officers that its report on `year` is due (or overdue, or returned)."""
    report = AnnualReport.objects.filter(association=association, year=year).first()
    deadline = rules.report_deadline(year)
    url = _report_url(report) if report else _start_url(association, year)
    resubmit_by = report.resubmit_by if report is not None and report.status == ReportStatus.RETURNED else None
    returned = resubmit_by is not None
    due = resubmit_by or deadline
    sent = notify(
        REPORT_DEADLINE,
        association=association,
        params={"year": year, "date": due, "returned": returned},
        url=url,
    )
    if report is not None:
        _event(report, ReportEventKind.REMINDED)
    else:
        audit_log(action=AuditAction.UPDATE, instance=association, changes={"report_reminder": year})
    return len(sent)


def _start_url(association: Association, year: int) -> str:
    from django.urls import reverse

    return reverse("cycle:report-list") + f"?year={year}"


def reminders_send(*, today: datetime.date | None = None, days_before: tuple[int, ...] = (7, 1)) -> int:
    """The daily reminders (`manage.py cycle_reminders`): reports due in 7 or 1 days, or overdue (on the
    day after the deadline, then once a week, not every day), and returned reports whose resubmission
    date is tomorrow or past. Returns notices sent."""
    today = today or timezone.localdate()
    year = rules.current_report_year(today)
    deadline = rules.report_deadline(year)
    sent = 0
    overdue_days = (today - deadline).days
    if (deadline - today).days in days_before or (overdue_days > 0 and overdue_days % 7 == 1):
        done = AnnualReport.objects.filter(year=year).exclude(status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED))
        for association in (
            Association.objects.filter(status="active")
            .exclude(pk__in=done.values("association_id"))
            .iterator(chunk_size=500)
        ):
            report = AnnualReport.objects.filter(association=association, year=year).first()
            if report is not None and report.status == ReportStatus.RETURNED:
                continue
            sent += report_remind(association=association, year=year)
    returned = AnnualReport.objects.filter(
        status=ReportStatus.RETURNED, resubmit_by__lte=today + datetime.timedelta(days=1)
    ).select_related("association")
    for report in returned.iterator(chunk_size=500):
        sent += report_remind(association=report.association, year=report.year)
    return sent


# --- plan items ----------------------------------------------------------------------------------

PLAN_ITEM_FIELDS = ("title", "description", "owner", "target", "due_on")


def _check_priorities(report: AnnualReport, priorities) -> list[Priority]:
    chosen = list(priorities or [])
    wrong = [p for p in chosen if p.priorities.year != report.plan_year]
    if wrong:
        raise ValidationError({"priorities": _("Choose work priorities of %(year)s.") % {"year": report.plan_year}})
    return chosen


def _check_due(report: AnnualReport, due_on: datetime.date | None) -> None:
    if due_on and due_on.year not in (report.plan_year, report.plan_year + 1):
        raise ValidationError(
            {"due_on": _("The due date must fall in %(year)s (the year of the plan).") % {"year": report.plan_year}}
        )


@transaction.atomic
def plan_item_create(
    *, report: AnnualReport, data: dict[str, Any], priorities=(), carried_from=None, form_token: uuid.UUID | None = None
) -> PlanItem:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _require_editable(report)
    chosen = _check_priorities(report, priorities)
    _check_due(report, data.get("due_on"))
    number = (report.plan_items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = PlanItem(
        report=report, number=number, carried_from=carried_from, **{k: data[k] for k in PLAN_ITEM_FIELDS if k in data}
    )
    create_audited(item, form_token=form_token)
    if chosen:
        item.priorities.set(chosen)
        audit_log(action=AuditAction.UPDATE, instance=item, changes={"priorities": [[], [p.pk for p in chosen]]})
    return item


def _set_priorities(item: PlanItem, chosen: list[Priority]) -> None:
    before = sorted(item.priorities.values_list("pk", flat=True))
    after = sorted(p.pk for p in chosen)
    if before != after:
        item.priorities.set(chosen)
        audit_log(action=AuditAction.UPDATE, instance=item, changes={"priorities": [before, after]})


@transaction.atomic
def plan_item_update(*, item: PlanItem, expected_version: int, data: dict[str, Any], priorities=()) -> PlanItem:
    report = item.report
    _require_editable(report)
    chosen = _check_priorities(report, priorities)
    _check_due(report, data.get("due_on"))
    item = update_versioned(
        item, expected_version=expected_version, **{k: data[k] for k in PLAN_ITEM_FIELDS if k in data}
    )
    _set_priorities(item, chosen)
    return item


@transaction.atomic
def plan_item_set_outcome(*, item: PlanItem, expected_version: int, outcome: str) -> PlanItem:
    """The outcome of an item of an accepted plan, written when the next year's report is prepared."""
    return update_versioned(item, expected_version=expected_version, outcome=outcome)


@transaction.atomic
def plan_item_delete(*, item: PlanItem, expected_version: int) -> None:
    _require_editable(item.report)
    current = PlanItem.objects.select_for_update().filter(pk=item.pk).first()
    if current is None:
        raise ConflictError()
    delete_audited(current, expected_version=expected_version)


@storage.files_atomic()
def progress_record(
    *, item: PlanItem, note: str, status: str, percent: int, uploaded=None, user=None, activity=None
) -> ProgressUpdate:
    """A progress note on a plan item; the item takes its status and percentage. Never a conflict:
    notes add up, and the latest one sets the item's state. `activity` is the activity the note records."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write one line about what happened.")})
    if status not in PlanItemStatus.values or status == PlanItemStatus.CARRIED_OVER:
        raise ValidationError({"status": _("Choose a status.")})
    if percent is None or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("The progress is a percentage from 0 to 100.")})
    if status == PlanItemStatus.DONE:
        percent = 100
    item = PlanItem.objects.select_for_update().select_related("report").get(pk=item.pk)
    attachment = None
    if uploaded is not None:
        attachment = files.attachment_store(
            uploaded=uploaded, kind=AttachmentKind.PROGRESS, association=item.report.association, user=user
        )
    update = ProgressUpdate(
        plan_item=item,
        note=note,
        status=status,
        percent=percent,
        attachment=attachment,
        activity=activity,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    create_audited(update)
    update_versioned(item, expected_version=item.version, status=status, percent=percent)
    return update


@transaction.atomic
def plan_carry_over(*, report: AnnualReport) -> list[PlanItem]:
    """Copy the unfinished items of last year's plan into this report's plan; mark the old ones carried over."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _require_editable(report)
    previous = AnnualReport.objects.filter(association_id=report.association_id, year=report.year - 1).first()
    if previous is None:
        return []
    already = set(report.plan_items.exclude(carried_from=None).values_list("carried_from_id", flat=True))
    carried = []
    for old in previous.plan_items.filter(status__in=UNFINISHED_STATUSES).order_by("number"):
        if old.pk in already:
            continue
        new = plan_item_create(
            report=report,
            carried_from=old,
            data={
                "title": old.title,
                "description": old.description,
                "owner": old.owner,
                "target": old.target,
                "due_on": datetime.date(report.plan_year, 12, 31),
            },
        )
        update_versioned(
            old,
            expected_version=old.version,
            status=PlanItemStatus.CARRIED_OVER,
            outcome=old.outcome or str(_("Carried over to %(year)s.") % {"year": report.plan_year}),
        )
        carried.append(new)
    return carried
