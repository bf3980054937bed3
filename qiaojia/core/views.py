import json
import sys

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Q
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qiaojia.accounts import permissions as account_permissions
from qiaojia.orgs import selectors as org_selectors

from .export_jobs import export_list, register_export
from .exports import Column, ExportSpec
from .forms import AuditFilterForm
from .models import AuditAction, AuditEntry
from .pages import paginate


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """The error page (handler500), drawn without the database: 503 with Retry-After when the database
    could not be reached or refused the work, so people and load balancers try again; 500 otherwise."""
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    template = "503.html" if unavailable else "500.html"
    response = HttpResponse(loader.get_template(template).render(), status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def home(request):
    if not request.user.is_authenticated:
        return render(
            request,
            "core/welcome.html",
            {
                "associations": org_selectors.association_public_list()[:12],
            },
        )
    return render(request, "core/home.html", org_selectors.home_summary(viewer=request.user))


def _audit_queryset(filters):
    qs = AuditEntry.objects.all()
    if filters.value("q"):
        qs = qs.filter(Q(object_repr__icontains=filters.value("q")) | Q(request_id=filters.value("q")))
    if filters.value("actor"):
        qs = qs.filter(actor_username=filters.value("actor"))
    if filters.value("action"):
        qs = qs.filter(action=filters.value("action"))
    if filters.value("object_type"):
        qs = qs.filter(object_type=filters.value("object_type"))
    if filters.value("since"):
        qs = qs.filter(at__date__gte=filters.value("since"))
    if filters.value("until"):
        qs = qs.filter(at__date__lte=filters.value("until"))
    return qs


@login_required
def audit_list(request):
    """Administrators browse the audit trail; nothing here can change it."""
    if not account_permissions.can_view_audit_trail(request.user):
        raise Http404
    filters = AuditFilterForm(request.GET or None)
    return render(
        request, "core/audit_list.html", {"page": paginate(request, _audit_queryset(filters)), "filters": filters}
    )


AUDIT_SPEC = ExportSpec(
    columns=[
        Column(_("Time"), lambda e: e["at"], width=20),
        Column(_("User"), lambda e: e["actor_username"], width=14),
        Column(_("Address"), lambda e: e["ip_address"], width=16),
        Column(_("Action"), lambda e: e["action"], choices=AuditAction.choices, width=12),
        Column(_("Record type"), lambda e: e["object_type"], width=18),
        Column(_("Record"), lambda e: e["object_id"], width=10),
        Column(_("Description"), lambda e: e["object_repr"], width=30),
        Column(_("Changes"), lambda e: json.dumps(e["changes"], ensure_ascii=False, sort_keys=True), width=60),
        Column(_("Request"), lambda e: e["request_id"], width=20),
    ],
    values=(
        "at",
        "actor_username",
        "ip_address",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changes",
        "request_id",
    ),
)


def _audit_export_queryset(user, params):
    if not account_permissions.can_view_audit_trail(user):
        raise Http404
    return _audit_queryset(AuditFilterForm(params or None)).order_by("-at", "-id")


# The audit trail grows by every write: above the export threshold it is written in the background.
AUDIT_EXPORT = register_export(
    "audit-trail", queryset=_audit_export_queryset, spec=AUDIT_SPEC, label=_("Audit trail"), list_url="core:audit-list"
)


@login_required
def audit_export(request):
    return export_list(request, AUDIT_EXPORT)
