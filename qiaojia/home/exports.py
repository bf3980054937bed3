"""The audit trail's export, found at start-up by the exports app. The trail grows by every write:
above the export threshold it is written in the background."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from qiaojia.exports.formats import Column, ExportSpec
from qiaojia.exports.sources import register_export

from .forms import AuditFilterForm
from .permissions import can_view_audit_trail
from .selectors import AUDIT_FIELDS, audit_entries, audit_readable


def _readable(rows: list[dict]) -> None:
    """Each chunk's people, records, fields and values named, in a few queries for the whole chunk."""
    for row, readable in zip(rows, audit_readable(rows), strict=True):
        row["readable"] = readable


AUDIT_SPEC = ExportSpec(
    columns=[
        Column(_("Time"), lambda e: e["at"], width=20),
        Column(_("Who"), lambda e: e["readable"].who, width=16),
        Column(_("User name"), lambda e: e["actor_username"], width=14),
        Column(_("Action"), lambda e: e["readable"].action, width=12),
        Column(_("Record type"), lambda e: e["readable"].kind, width=18),
        Column(_("Record"), lambda e: e["readable"].what, width=30),
        Column(_("Changes"), lambda e: e["readable"].changes_text(), width=60),
        Column(_("IP address"), lambda e: e["ip_address"], width=16),
        Column(_("Request"), lambda e: e["request_id"], width=20),
    ],
    values=AUDIT_FIELDS,
    enrich=_readable,
)


def _audit_export_queryset(user, params):
    if not can_view_audit_trail(user):
        raise Http404
    return audit_entries(AuditFilterForm(params or None)).order_by("-at", "-id")


AUDIT_EXPORT = register_export(
    "audit-trail", queryset=_audit_export_queryset, spec=AUDIT_SPEC, label=_("Audit trail"), list_url="home:audit-list"
)
