from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Q
from django.db.utils import DatabaseError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qiaojia.accounts import scope
from qiaojia.orgs import selectors as org_selectors

from .forms import AuditFilterForm
from .models import AuditEntry
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


@never_cache
def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html", {
            "associations": org_selectors.association_public_list()[:12],
        })
    return render(request, "core/home.html", org_selectors.home_summary(viewer=request.user))



@login_required
def audit_list(request):
    """Administrators browse the audit trail; nothing here can change it."""
    if not scope.is_admin(request.user):
        raise Http404
    filters = AuditFilterForm(request.GET or None)
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
    return render(request, "core/audit_list.html", {"page": paginate(request, qs), "filters": filters})
