"""The audit trail's export, found at start-up by the exports app. The trail grows by every write:
above the export threshold it is written in the background."""

import json

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from qiaojia.core.models import AuditAction
from qiaojia.exports.formats import Column, ExportSpec
from qiaojia.exports.sources import register_export

from .forms import AuditFilterForm
from .permissions import can_view_audit_trail
from .selectors import audit_entries

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
    if not can_view_audit_trail(user):
        raise Http404
    return audit_entries(AuditFilterForm(params or None)).order_by("-at", "-id")


AUDIT_EXPORT = register_export(
    "audit-trail", queryset=_audit_export_queryset, spec=AUDIT_SPEC, label=_("Audit trail"), list_url="home:audit-list"
)
