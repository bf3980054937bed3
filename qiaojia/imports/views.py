import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core.pages import form_page, paginate
from qiaojia.core.validators import id_number_check_character
from qiaojia.jobs import services as job_services
from qiaojia.jobs.models import JobStatus
from qiaojia.members import selectors as member_selectors
from qiaojia.members.models import Gender, MembershipLevel, OverseasStatus
from qiaojia.orgs import selectors as org_selectors

from . import checking, permissions, reading, selectors, services
from .fields import FIELDS
from .forms import MappingForm, UploadForm
from .models import ImportStatus


def _crumbs():
    return [(reverse("members:person-list"), _("People")), (reverse("imports:import-list"), _("Imports"))]


@login_required
def import_list(request):
    return render(
        request,
        "imports/import_list.html",
        {
            "page": paginate(request, selectors.import_list(viewer=request.user)),
            "title": _("Imports"),
            "breadcrumb": _crumbs()[:1],
            "uploads": selectors.upload_recent(viewer=request.user)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_create(request):
    if not permissions.can_import(request.user):
        raise Http404
    associations = org_selectors.association_list(viewer=request.user)
    form = UploadForm(request.POST or None, request.FILES or None, associations=associations)
    if request.GET.get("association") and not request.POST:
        form.fields["association"].initial = request.GET["association"]

    def save(data):
        if not permissions.can_import_into(request.user, data["association"]):
            raise Http404
        try:
            return services.import_upload(owner=request.user, association=data["association"], uploaded=data["file"])
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc

    return form_page(
        request,
        form=form,
        title=_("Import members"),
        breadcrumb=_crumbs(),
        save=save,
        success_url=lambda job: reverse("imports:upload-detail", args=[job.pk]),
        template="imports/import_upload.html",
    )


@login_required
def upload_detail(request, pk: int):
    """An uploaded file while a job reads it (its progress, which htmx follows), then on to matching
    its columns; or why it was refused, in the reader's language."""
    job = selectors.upload_get(viewer=request.user, pk=pk)
    if job.status == JobStatus.SUCCEEDED and job.params.get("import"):
        return redirect("imports:import-map", pk=job.params["import"])
    refusal = ""
    if job.is_finished:
        refused = job.params.get("refused") or {"code": "unreadable"}
        refusal = reading.refusal_text(refused["code"], refused.get("params"))
    done, total, message = job_services.live_progress(job)
    response = render(
        request,
        "imports/upload_detail.html",
        {
            "job": job,
            "title": job.params.get("name") or _("Import members"),
            "breadcrumb": _crumbs(),
            "refusal": refusal,
            "done": done,
            "total": total,
            "message": message,
            "percent": 0,
            "next_url": request.path,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def import_template(request):
    """An .xlsx with the columns in the reader's language and one example row."""
    if not permissions.can_import(request.user):
        raise Http404
    from openpyxl import Workbook
    from openpyxl.styles import Font

    # An obviously invented person (張三 is Chinese for "John Doe"), never a real one: a reserved test
    # phone number, an example.com address, an ID number with a valid check character.
    body = "11010119900307001"
    example = {
        "name": "張三",
        "name_en": "Zhang San",
        "gender": str(Gender.MALE.label),
        "birth_date": "1990-03-07",
        "overseas_status": str(OverseasStatus.RETURNED.label),
        "country": "CN",
        "phone": "13800138000",
        "email": "zhangsan@example.com",
        "id_number": body + id_number_check_character(body),
        "public_title": "",
        "enterprise_name": "",
        "credit_code": "",
        "association": "",
        "level": str(MembershipLevel.MEMBER.label),
        "joined_on": "2024-01-01",
        "dues_status": "",
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Members")[:31]
    sheet.append([str(label) for label in FIELDS.values()])
    sheet.append([example[key] for key in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="import-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request, pk: int):
    imp = selectors.import_get(viewer=request.user, pk=pk)
    if imp.is_busy or imp.status == ImportStatus.COMMITTED:
        return redirect("imports:import-detail", pk=imp.pk)
    form = MappingForm(
        request.POST or None, headers=imp.headers, mapping=imp.mapping, initial={"consent": imp.consent_confirmed}
    )

    def save(data):
        try:
            return services.import_map(imp=imp, mapping=form.mapping(), consent=data.get("consent", False))
        except services.ImportRefused as exc:
            raise ValidationError(str(exc)) from exc

    return form_page(
        request,
        form=form,
        title=_("Match the columns"),
        save=save,
        breadcrumb=_crumbs() + [(reverse("imports:import-detail", args=[imp.pk]), imp.original_name)],
        success_url=lambda obj: reverse("imports:import-detail", args=[imp.pk]),
        template="imports/import_map.html",
        extra={"imp": imp},
    )


PROBLEM_PAGE = 100


@login_required
def import_detail(request, pk: int):
    imp = selectors.import_get(viewer=request.user, pk=pk)
    page = Paginator(imp.problems or [], PROBLEM_PAGE).get_page(request.GET.get("page"))
    problems = [
        (row, [(checking.severity(code), checking.problem_text(code, params)) for code, params in found])
        for row, found in page.object_list
    ]
    return render(
        request,
        "imports/import_detail.html",
        {
            "imp": imp,
            "page": page,
            "problems": problems,
            "title": imp.original_name,
            "breadcrumb": _crumbs(),
            "kept": len(imp.problems or []),
            "problems_capped": len(imp.problems or []) >= checking.PROBLEMS_KEPT,
            "pending_count": member_selectors.pending_count_for_source(viewer=request.user, source=f"import:{imp.pk}")
            if imp.status == ImportStatus.COMMITTED
            else 0,
        },
    )


@login_required
@require_POST
def import_commit(request, pk: int):
    imp = selectors.import_get(viewer=request.user, pk=pk)
    try:
        services.import_commit_start(imp=imp)
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
        return redirect("imports:import-detail", pk=imp.pk)
    if imp.status == ImportStatus.COMMITTED:
        messages.success(request, _("Imported."))
    elif imp.status == ImportStatus.FAILED:
        messages.error(request, imp.message)
    return redirect("imports:import-detail", pk=imp.pk)


@login_required
def import_report(request, pk: int):
    imp = selectors.import_get(viewer=request.user, pk=pk)
    path = services.report_file(imp)
    if path is None:
        raise Http404
    stem = "import" if imp.status == ImportStatus.COMMITTED else "check"
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=f"{stem}-{imp.pk}.csv", content_type="text/csv; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response
