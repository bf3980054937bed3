"""What the activity list exports."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.exports.formats import Column, ExportSpec

from .models import ActivityKind

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
