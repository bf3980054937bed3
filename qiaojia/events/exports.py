"""What an event's list of delegates exports."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from qiaojia.exports.formats import Column, ExportSpec

from .models import DelegateRole


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


DELEGATE_SPEC = ExportSpec(
    columns=[
        Column(_("Association"), lambda d: d["delegation__association__name"], width=30),
        Column(_("Full name"), lambda d: d["name"], width=16),
        Column(pgettext_lazy("delegation", "Role"), lambda d: d["role"], choices=DelegateRole.choices, width=14),
        Column(_("Country or region"), lambda d: d["country"], choices=lambda: dict(countries), width=18),
        Column(_("Organisation"), lambda d: d["organisation"], width=28),
        Column(pgettext_lazy("job title", "Title"), lambda d: d["title"], width=20),
        Column(_("Checked in"), lambda d: _local(d["checked_in_at"]), width=18),
    ],
    values=("delegation__association__name", "name", "role", "country", "organisation", "title", "checked_in_at"),
)
