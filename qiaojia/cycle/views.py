from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core import storage
from qiaojia.core.pages import form_page, paginate, post_action, require
from qiaojia.core.services import ConflictError
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job
from qiaojia.orgs import selectors as org_selectors
from qiaojia.orgs.models import AssociationTitle, Term

from . import figures, permissions, rules, selectors, services
from .documents import COMPILE_KIND
from .forms import (
    AttachForm,
    CompileForm,
    DashboardFilterForm,
    OutcomeForm,
    PlanItemCreateForm,
    PlanItemEditForm,
    PrioritiesCreateForm,
    PrioritiesEditForm,
    ProgressForm,
    ReportFilterForm,
    ReportForm,
    ReturnForm,
    VersionForm,
    default_report_year,
)
from .models import AttachmentKind, ReportStatus


def _crumbs_priorities(priorities=None):
    crumbs = [(reverse("cycle:priorities-list"), _("Work priorities"))]
    if priorities is not None:
        crumbs.append((reverse("cycle:priorities-detail", args=[priorities.pk]), priorities.title))
    return crumbs


def _crumbs_report(report=None):
    crumbs = [(reverse("cycle:report-list"), _("Annual reports"))]
    if report is not None:
        crumbs.append(
            (
                reverse("cycle:report-detail", args=[report.pk]),
                _("%(association)s · %(year)s") % {"association": report.association.name, "year": report.year},
            )
        )
    return crumbs


def _flash_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- work priorities -----------------------------------------------------------------------------


@login_required
def priorities_list(request):
    require(permissions.can_use_cycle(request.user))
    return render(
        request,
        "cycle/priorities_list.html",
        {
            "page": paginate(request, selectors.priorities_list(viewer=request.user)),
            "can_edit": permissions.can_edit_priorities(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def priorities_create(request):
    require(permissions.can_edit_priorities(request.user))
    form = PrioritiesCreateForm(
        request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year}
    )
    return form_page(
        request,
        form=form,
        title=_("New work priorities"),
        breadcrumb=_crumbs_priorities(),
        save=lambda d: services.priorities_create(
            federation=org_selectors.federation_get(),
            data=d,
            items_text=d["items"],
            document=d.get("document"),
            user=request.user,
            form_token=d["form_token"],
        ),
        success_url=lambda obj: reverse("cycle:priorities-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def priorities_detail(request, pk: int):
    priorities = selectors.priorities_get(viewer=request.user, pk=pk)
    return render(
        request,
        "cycle/priorities_detail.html",
        {
            "priorities": priorities,
            "items": priorities.items.order_by("number"),
            "can_edit": permissions.can_edit_priorities(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def priorities_edit(request, pk: int):
    priorities = selectors.priorities_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_priorities(request.user))
    items_text = "\n".join(f"{p.number}. {p.title}" for p in priorities.items.order_by("number"))
    form = PrioritiesEditForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "version": priorities.version,
            "title": priorities.title,
            "introduction": priorities.introduction,
            "items": items_text,
        },
    )
    return form_page(
        request,
        form=form,
        title=_("Edit work priorities"),
        breadcrumb=_crumbs_priorities(priorities),
        current=priorities,
        save=lambda d: services.priorities_update(
            priorities=priorities,
            expected_version=d["version"],
            data=d,
            items_text=d["items"],
            document=d.get("document"),
            user=request.user,
        ),
        success_url=lambda obj: reverse("cycle:priorities-detail", args=[priorities.pk]),
    )


@login_required
@require_POST
def priorities_publish(request, pk: int):
    priorities = selectors.priorities_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_priorities(request.user))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.priorities_publish(priorities=priorities, expected_version=d["version"]),
        success=_("Published: officers can now see these work priorities."),
        back=reverse("cycle:priorities-detail", args=[priorities.pk]),
    )


# --- annual reports ------------------------------------------------------------------------------


@login_required
def report_list(request):
    require(permissions.can_use_cycle(request.user))
    filters = ReportFilterForm(request.GET or None)
    qs = selectors.report_list(viewer=request.user, year=filters.value("year"), status=filters.value("status"))
    year = filters.value("year") or default_report_year()
    to_start = []
    if permissions.can_start_reports(request.user):
        started = set(selectors.report_list(viewer=request.user, year=year).values_list("association_id", flat=True))
        to_start = list(org_selectors.officer_associations(viewer=request.user).exclude(pk__in=started)[:20])
    return render(
        request,
        "cycle/report_list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "year": year,
            "to_start": to_start,
            "deadline": rules.report_deadline(year),
        },
    )


@login_required
@require_POST
def report_start(request, pk: int, year: int):
    association = org_selectors.association_get(viewer=request.user, pk=pk)
    require(permissions.can_start_report(request.user, association))
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    report = services.report_start(association=association, year=year)
    return redirect("cycle:report-edit", pk=report.pk)


def _report_context(request, report):
    step = services.report_next_step(report)
    return {
        "report": report,
        "work_figures": figures.labelled(report.work_figures),
        "plan_items": selectors.report_plan_items(report),
        "previous_items": selectors.previous_plan_items(report),
        "events": selectors.report_history(report),
        "deadline": report.deadline(),
        "can_edit": permissions.can_edit_report(request.user, report),
        "can_review": permissions.can_review_report(request.user, report),
        "can_upload_declaration": permissions.can_upload_declaration(request.user, report),
        "missing": services.report_missing_parts(report, step=step) if step else [],
        "missing_step": step,
        "return_form": ReturnForm(initial={"version": report.version}),
    }


@login_required
def report_detail(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    return render(request, "cycle/report_detail.html", _report_context(request, report))


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_report(request.user, report))
    form = ReportForm(request.POST or None, instance=report, initial={"version": report.version})
    return form_page(
        request,
        form=form,
        title=_("Edit annual report"),
        breadcrumb=_crumbs_report(report),
        current=report,
        template="cycle/report_edit.html",
        extra=_report_context(request, report),
        save=lambda d: services.report_update(report=report, expected_version=d["version"], data=d),
        success_url=lambda obj: reverse("cycle:report-edit", args=[report.pk]),
    )


@login_required
@require_POST
def report_autosave(request, pk: int):
    """htmx posts the edit form here a moment after typing stops; answers a small status fragment
    (and the new version, swapped out of band), or the conflict when someone else saved first."""
    report = selectors.report_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_report(request.user, report))
    form = ReportForm(request.POST, instance=report)
    context = {"report": report}
    if not form.is_valid():
        return render(request, "cycle/_autosave.html", {**context, "errors": form.errors}, status=400)
    try:
        saved = services.report_update(
            report=report, expected_version=form.cleaned_data["version"], data=form.cleaned_data
        )
    except ConflictError as exc:
        return render(request, "cycle/_autosave.html", {**context, "conflict": exc.message}, status=409)
    except ValidationError as exc:
        return render(request, "cycle/_autosave.html", {**context, "errors": {"": exc.messages}}, status=400)
    return render(request, "cycle/_autosave.html", {**context, "saved": saved, "saved_at": timezone.localtime()})


def _workflow_step(request, report, step, *, success: str):
    """A step of the report's workflow from a button on its page: the page's version, then back to it."""
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: step(report=report, expected_version=d["version"]),
        success=success,
        back=reverse("cycle:report-detail", args=[report.pk]),
    )


@login_required
@require_POST
def report_submit(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    require(permissions.can_submit_report(request.user, report))
    return _workflow_step(
        request, report, services.report_submit, success=_("Submitted. The federation will review your report.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_return(request, pk: int):
    """The reasons are a form of their own: a refused one is shown again with what was typed."""
    report = selectors.report_get(viewer=request.user, pk=pk)
    require(permissions.can_review_report(request.user, report))
    return form_page(
        request,
        form=ReturnForm(request.POST or None, initial={"version": report.version}),
        title=_("Return for revision"),
        breadcrumb=_crumbs_report(report),
        current=report,
        template="cycle/report_return.html",
        extra={"report": report},
        save=lambda d: services.report_return(report=report, expected_version=d["version"], reason=d["reason"]),
        success_url=lambda obj: reverse("cycle:report-detail", args=[report.pk]),
        success_message=lambda obj: _("Returned. The association has been told what to correct."),
    )


@login_required
@require_POST
def report_accept(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    require(permissions.can_review_report(request.user, report))
    return _workflow_step(request, report, services.report_accept, success=_("Accepted."))


@login_required
@require_POST
def report_file(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    require(permissions.can_review_report(request.user, report))
    return _workflow_step(
        request, report, services.report_mark_filed, success=_("Marked as filed with the registration authority.")
    )


ATTACH_KINDS = {"financial": AttachmentKind.FINANCIAL_REPORT, "declaration": AttachmentKind.SIGNED_DECLARATION}


@login_required
@require_http_methods(["GET", "POST"])
def report_attach(request, pk: int, kind: str):
    report = selectors.report_get(viewer=request.user, pk=pk)
    if kind not in ATTACH_KINDS:
        raise Http404
    allowed = (
        permissions.can_edit_report(request.user, report)
        if kind == "financial"
        else permissions.can_upload_declaration(request.user, report)
    )
    require(allowed)
    form = AttachForm(request.POST or None, request.FILES or None, initial={"version": report.version})
    title = _("Financial statements") if kind == "financial" else _("Upload the signed declaration page")
    return form_page(
        request,
        form=form,
        title=title,
        breadcrumb=_crumbs_report(report),
        current=report,
        save=lambda d: services.report_attach(
            report=report, expected_version=d["version"], kind=ATTACH_KINDS[kind], uploaded=d["file"], user=request.user
        ),
        success_url=lambda obj: reverse("cycle:report-detail", args=[report.pk]),
    )


@login_required
def report_declaration(request, pk: int):
    """The declaration page, printed for signature by the legal representative and the seal."""
    report = selectors.report_get(viewer=request.user, pk=pk)

    president = (
        Term.objects.filter(association=report.association, title=AssociationTitle.PRESIDENT)
        .current()
        .select_related("person")
        .first()
    )
    return render(
        request,
        "cycle/report_declaration.html",
        {
            "report": report,
            "president": president,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def report_remind(request, pk: int, year: int):
    require(permissions.can_remind_officers(request.user))
    association = org_selectors.association_get(viewer=request.user, pk=pk)
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    sent = services.report_remind(association=association, year=year)
    if sent:
        messages.success(
            request,
            _("Reminder sent to %(n)s officer(s) of %(association)s.") % {"n": sent, "association": association.name},
        )
    else:
        messages.warning(
            request, _("%(association)s has no active officer account to remind.") % {"association": association.name}
        )
    return redirect(reverse("cycle:dashboard") + f"?year={year}")


# --- the staff dashboard -------------------------------------------------------------------------


@login_required
def dashboard(request):
    require(permissions.can_view_dashboard(request.user))
    filters = DashboardFilterForm(request.GET or None)
    year = filters.value("year") or default_report_year()
    page = paginate(
        request,
        selectors.dashboard_rows(viewer=request.user, year=year, state=filters.value("state"), q=filters.value("q")),
    )
    today = timezone.localdate()
    labels = dict(ReportStatus.choices)
    for row in page.object_list:
        row.is_late = selectors.row_is_late(row, year=year, today=today)
        row.report_label = labels.get(row.report_status, "")
    return render(
        request,
        "cycle/dashboard.html",
        {
            "page": page,
            "filters": filters,
            "year": year,
            "deadline": rules.report_deadline(year),
            "counts": selectors.dashboard_counts(year=year),
        },
    )


# --- plan items and progress ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_create(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_report(request.user, report))
    form = PlanItemCreateForm(
        request.POST or None,
        priority_choices=selectors.priority_choices(report.plan_year),
        plan_year=report.plan_year,
        initial={"due_on": f"{report.plan_year}-12-31"},
    )
    return form_page(
        request,
        form=form,
        title=_("New plan item"),
        breadcrumb=_crumbs_report(report),
        save=lambda d: services.plan_item_create(
            report=report, data=d, priorities=d["priorities"], form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("cycle:report-edit", args=[report.pk]) + "#plan",
    )


@login_required
def plan_item_detail(request, pk: int):
    item = selectors.plan_item_get(viewer=request.user, pk=pk)
    can_record = permissions.can_record_progress(request.user, item)
    return render(
        request,
        "cycle/plan_item_detail.html",
        {
            "item": item,
            "report": item.report,
            "updates": selectors.plan_item_updates(item)[:50],
            "priorities": item.priorities.order_by("number"),
            "can_record": can_record,
            "can_edit": permissions.can_edit_plan_item(request.user, item),
            "form": ProgressForm(
                initial={
                    "status": item.status if item.status != "carried_over" else "in_progress",
                    "percent": item.percent,
                }
            )
            if can_record
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request, pk: int):
    item = selectors.plan_item_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_plan_item(request.user, item))
    report = item.report
    if report.is_editable:
        form = PlanItemEditForm(
            request.POST or None,
            instance=item,
            priority_choices=selectors.priority_choices(report.plan_year),
            plan_year=report.plan_year,
            initial={"version": item.version},
        )
        save = lambda d: services.plan_item_update(  # noqa: E731
            item=item, expected_version=d["version"], data=d, priorities=d["priorities"]
        )
        title = _("Edit plan item")
    else:
        form = OutcomeForm(request.POST or None, initial={"version": item.version, "outcome": item.outcome})
        save = lambda d: services.plan_item_set_outcome(  # noqa: E731
            item=item, expected_version=d["version"], outcome=d["outcome"]
        )
        title = _("Outcome of the plan item")
    return form_page(
        request,
        form=form,
        title=title,
        breadcrumb=_crumbs_report(report),
        current=item,
        save=save,
        success_url=lambda obj: reverse("cycle:plan-item-detail", args=[item.pk]),
    )


@login_required
@require_POST
def plan_item_delete(request, pk: int):
    item = selectors.plan_item_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_report(request.user, item.report))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.plan_item_delete(item=item, expected_version=d["version"]),
        success=_("Plan item removed."),
        back=reverse("cycle:report-edit", args=[item.report_id]) + "#plan",
    )


@login_required
@require_POST
def plan_carry_over(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_report(request.user, report))
    try:
        carried = services.plan_carry_over(report=report)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        if carried:
            messages.success(request, _("%(n)s unfinished item(s) carried over.") % {"n": len(carried)})
        else:
            messages.info(request, _("Nothing to carry over: last year's plan has no unfinished item."))
    return redirect(reverse("cycle:report-edit", args=[report.pk]) + "#plan")


@login_required
@require_http_methods(["GET", "POST"])
def progress_create(request, pk: int):
    """A progress note in seconds on a phone: a line, a status, a percentage, maybe a photo."""
    item = selectors.plan_item_get(viewer=request.user, pk=pk)
    require(permissions.can_record_progress(request.user, item))
    form = ProgressForm(
        request.POST or None, request.FILES or None, initial={"status": item.status, "percent": item.percent}
    )
    return form_page(
        request,
        form=form,
        title=_("Record progress"),
        template="cycle/progress_form.html",
        breadcrumb=[
            (reverse("cycle:plan-list"), _("This year's plan")),
            (reverse("cycle:plan-item-detail", args=[item.pk]), item.title),
        ],
        extra={"item": item},
        save=lambda d: services.progress_record(
            item=item,
            note=d["note"],
            status=d["status"],
            percent=d["percent"],
            uploaded=d.get("file"),
            user=request.user,
        ),
        success_url=lambda obj: reverse("cycle:plan-list") + f"#item-{item.pk}",
    )


@login_required
def plan_list(request):
    """This year's plan items, to follow and record progress on (the phone view)."""
    require(permissions.can_use_cycle(request.user))
    year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", year))
    except ValueError:
        pass
    page = paginate(request, selectors.current_plan_items(viewer=request.user, year=year))
    for item in page.object_list:
        item.can_record = permissions.can_record_progress(request.user, item)
    return render(request, "cycle/plan_list.html", {"page": page, "year": year})


# --- files ---------------------------------------------------------------------------------------


@login_required
def file_download(request, pk: int):
    attachment = selectors.attachment_get(viewer=request.user, pk=pk)
    # A download, never shown in the browser's own window: an image still shows in an <img>.
    return storage.file_response(
        attachment.file.name,
        content_type=attachment.content_type,
        filename=attachment.original_name,
        cache_control="private, no-store",
    )


# --- compilation ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def compilation(request):
    require(permissions.can_compile(request.user))
    form = CompileForm(request.POST or None, initial={"year": default_report_year(), "script": "zh-hans", "fmt": "pdf"})
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            jobs.job_enqueue(
                kind=COMPILE_KIND,
                owner=request.user,
                params={"year": d["year"], "script": d["script"], "format": d["fmt"]},
                total=selectors.accepted_reports(d["year"]).count(),
            )
            messages.success(request, _("The compilation is being made; you may leave this page and come back."))
            return redirect("cycle:compilation")
        status = 400
    else:
        status = 200
    recent = Job.objects.filter(owner=request.user, kind=COMPILE_KIND).order_by("-created_at", "-id")[:10]
    return render(
        request,
        "cycle/compilation.html",
        {
            "form": form,
            "jobs": [(job, *jobs.live_progress(job)) for job in recent],
        },
        status=status,
    )
