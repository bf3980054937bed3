"""What the activity list exports."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.pages import require
from qiaojia.exports.formats import Column, ExportSpec
from qiaojia.exports.sources import register_export

from . import permissions, selectors
from .models import ActivityKind, RegistrationStatus

ACTIVITY_SPEC = ExportSpec(
    columns=[
        Column(_("Date"), lambda a: a["starts_on"], width=12),
        Column(_("Until"), lambda a: a["ends_on"], width=12),
        Column(pgettext_lazy("activity", "Title"), lambda a: a["title"], width=36),
        Column(_("Type"), lambda a: a["kind"], choices=ActivityKind.choices, width=16),
        Column(_("Association"), lambda a: a["association__name"], width=30),
        Column(_("Place"), lambda a: a["place"], width=24),
        Column(_("Partner organisation"), lambda a: a["partner__name"], width=24),
        Column(_("Members taking part"), lambda a: a["member_count"], width=10),
        Column(_("Other participants"), lambda a: a["other_participants"], width=10),
        Column(pgettext_lazy("activity", "Photos"), lambda a: a["photo_count"], width=8),
        Column(pgettext_lazy("activity", "Outcome"), lambda a: a["outcome"], width=40),
    ],
    values=(
        "starts_on",
        "ends_on",
        "title",
        "kind",
        "association__name",
        "place",
        "partner__name",
        "member_count",
        "other_participants",
        "photo_count",
        "outcome",
    ),
)


REGISTRATION_SPEC = ExportSpec(
    columns=[
        Column(_("Member"), lambda r: r.person.name, mask=False, width=16),
        Column(_("Registered at"), lambda r: timezone.localtime(r.registered_at).replace(tzinfo=None), width=18),
        Column(_("Status"), lambda r: r.status, choices=RegistrationStatus.choices, width=12),
        Column(pgettext_lazy("activity", "Title"), lambda r: r.activity.title, width=36),
        Column(_("Association"), lambda r: r.activity.association.name, width=30),
    ],
)


def _registration_queryset(user, params):
    """One activity's registrations (`?activity=`), for its organiser only: another association's activity, like
    a missing one, is not found. Checked here, so a background export checks it again for the same user."""
    raw = params.get("activity", "")
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    activity = selectors.activity_get(viewer=user, pk=int(raw))
    require(permissions.can_manage_registrations(user, activity))
    return selectors.registration_list(viewer=user, activity=activity)


REGISTRATION_EXPORT = register_export(
    "activity-registrations",
    queryset=_registration_queryset,
    spec=REGISTRATION_SPEC,
    label=_("Registrations for an activity"),
)
