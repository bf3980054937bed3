"""The organiser's schedule of a session, to Excel: every meeting with its slot, table, sides and outcome."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.exports.formats import Column, ExportSpec
from qiaojia.exports.sources import register_export

from . import permissions
from .models import BusinessMeeting, MeetingOutcome, MeetingStatus

SCHEDULE_SPEC = ExportSpec(
    columns=[
        Column(_("Starts"), lambda m: m["slot__starts_at"], width=18),
        Column(_("Ends"), lambda m: m["slot__ends_at"], width=18),
        Column(pgettext_lazy("b2b", "Table"), lambda m: m["table__number"], width=8),
        Column(pgettext_lazy("b2b", "Asked by"), lambda m: m["requester__enterprise__name"], width=30),
        Column(pgettext_lazy("b2b", "Asked of"), lambda m: m["invitee__enterprise__name"], width=30),
        Column(_("Status"), lambda m: m["status"], choices=MeetingStatus.choices, width=12),
        Column(pgettext_lazy("b2b", "Outcome"), lambda m: m["outcome"], choices=MeetingOutcome.choices, width=20),
        Column(pgettext_lazy("b2b", "What came of it"), lambda m: m["outcome_note"], width=40),
    ],
    values=(
        "slot__starts_at",
        "slot__ends_at",
        "table__number",
        "requester__enterprise__name",
        "invitee__enterprise__name",
        "status",
        "outcome",
        "outcome_note",
    ),
)


def schedule_queryset(user, params):
    """Organisers only; `session` names the session (a bad or missing one gives no rows)."""
    qs = BusinessMeeting.objects.order_by("slot__starts_at", "table__number", "id")
    session = str(params.get("session", ""))
    if not permissions.can_organise_b2b(user) or not session.isdigit():
        return qs.none()
    return qs.filter(session_id=int(session))


SCHEDULE_EXPORT = register_export(
    "trade-b2b-schedule", queryset=schedule_queryset, spec=SCHEDULE_SPEC, label=_("B2B meeting schedule")
)
