from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from qiaojia.core.pages import paginate
from qiaojia.exports.services import export_list
from qiaojia.orgs import selectors as org_selectors

from .exports import AUDIT_EXPORT
from .forms import AuditFilterForm
from .permissions import can_view_audit_trail
from .selectors import audit_entries, audit_page_readable


@never_cache
def home(request):
    if not request.user.is_authenticated:
        return render(
            request,
            "home/welcome.html",
            {
                "associations": org_selectors.association_public_list()[:12],
            },
        )
    return render(request, "home/home.html", org_selectors.home_summary(viewer=request.user))


@login_required
def audit_list(request):
    """Administrators browse the audit trail; nothing here can change it."""
    if not can_view_audit_trail(request.user):
        raise Http404
    filters = AuditFilterForm(request.GET or None)
    page = paginate(request, audit_entries(filters))
    return render(
        request,
        "home/audit_list.html",
        {"page": page, "entries": audit_page_readable(page.object_list), "filters": filters},
    )


@login_required
def audit_export(request):
    return export_list(request, AUDIT_EXPORT)
