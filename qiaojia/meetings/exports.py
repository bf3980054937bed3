"""What the meeting list and a meeting's attendance list export."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.exports.formats import Column, ExportSpec

from .models import MeetingKind, MeetingStatus, ParticipantRole, SignInMethod


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


MEETING_SPEC = ExportSpec(
    columns=[
        Column(_("Title"), lambda m: m["title"], width=36),
        Column(_("Type"), lambda m: m["kind"], choices=MeetingKind.choices, width=16),
        Column(_("Starts"), lambda m: _local(m["starts_at"]), width=18),
        Column(_("Place"), lambda m: m["place"], width=24),
        Column(_("Organiser"), lambda m: m["association__name"] or m["federation__name"], width=30),
        Column(_("Status"), lambda m: m["status"], choices=MeetingStatus.choices, width=10),
    ],
    values=("title", "kind", "starts_at", "place", "association__name", "federation__name", "status"),
)

ATTENDANCE_SPEC = ExportSpec(
    columns=[
        Column(_("Full name"), lambda p: p["name"], width=16),
        Column(_("Public title"), lambda p: p["public_title"], width=30),
        Column(_("Role"), lambda p: p["role"], choices=ParticipantRole.choices, width=20),
        Column(_("On behalf of association"), lambda p: p["association__name"], width=30),
        Column(_("Invited"), lambda p: _local(p["invited_at"]), width=18),
        Column(_("Signed in"), lambda p: _local(p["signed_in_at"]), width=18),
        Column(_("Signed in by"), lambda p: p["signed_in_method"], choices=SignInMethod.choices, width=20),
    ],
    values=("name", "public_title", "role", "association__name", "invited_at", "signed_in_at", "signed_in_method"),
)
