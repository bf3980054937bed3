"""What the association and partner lists export (rows read as dicts, annotations included). The sources
are registered here, found at start-up by the exports app; the list pages filter through the same
functions."""

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from qiaojia.core.pages import require
from qiaojia.exports.formats import Column, ExportSpec
from qiaojia.exports.sources import register_export

from . import permissions, selectors
from .forms import AssociationFilterForm, PartnerFilterForm
from .models import AssociationKind, AssociationStatus, PartnerKind

ASSOCIATION_SPEC = ExportSpec(
    columns=[
        Column(_("Name"), lambda a: a["name"], width=30),
        Column(_("English name"), lambda a: a["name_en"], width=30),
        Column(_("Short name"), lambda a: a["short_name"], width=14),
        Column(_("Type"), lambda a: a["kind"], choices=AssociationKind.choices, width=20),
        Column(_("Unified social credit code"), lambda a: a["credit_code"], mask=False, width=20),
        Column(_("Founding date"), lambda a: a["founded_on"], width=12),
        Column(_("Supervising department"), lambda a: a["supervising_department__name"], width=20),
        Column(_("Members"), lambda a: a["member_count"], width=10),
        Column(_("Status"), lambda a: a["status"], choices=AssociationStatus.choices, width=12),
        Column(_("Address"), lambda a: a["address"], width=30),
    ],
    values=(
        "name",
        "name_en",
        "short_name",
        "kind",
        "credit_code",
        "founded_on",
        "supervising_department__name",
        "member_count",
        "status",
        "address",
    ),
)

PARTNER_SPEC = ExportSpec(
    columns=[
        Column(_("Name"), lambda p: p["name"], width=30),
        Column(_("Type"), lambda p: p["kind"], choices=PartnerKind.choices, width=20),
        Column(_("Country or region"), lambda p: p["country"], choices=lambda: dict(countries), width=16),
        Column(_("Association"), lambda p: p["association__name"], width=30),
        Column(_("Contact"), lambda p: p["contact"], width=24),
        Column(_("Liaison records"), lambda p: p["liaison_count"], width=10),
    ],
    values=("name", "kind", "country", "association__name", "contact", "liaison_count"),
)


def association_queryset(viewer, filters, *, with_counts=False):
    """The association list as filtered: its page and its export read the same rows."""
    return selectors.association_list(
        viewer=viewer,
        with_counts=with_counts,
        q=filters.value("q"),
        kind=filters.value("kind"),
        status=filters.value("status"),
        department=filters.value("department").pk if filters.value("department") else None,
    )


def partner_queryset(viewer, filters):
    return selectors.partner_list(viewer=viewer, q=filters.value("q"), kind=filters.value("kind"))


def _association_export_queryset(user, params):
    # Checked here rather than in the view: a background export checks it again for the same user.
    require(permissions.can_view_internal_registry(user))
    return association_queryset(user, AssociationFilterForm(params or None), with_counts=True)


def _partner_export_queryset(user, params):
    require(permissions.can_view_internal_registry(user))
    return partner_queryset(user, PartnerFilterForm(params or None))


ASSOCIATION_EXPORT = register_export(
    "associations",
    queryset=_association_export_queryset,
    spec=ASSOCIATION_SPEC,
    label=_("Associations"),
    list_url="orgs:association-list",
)
PARTNER_EXPORT = register_export(
    "partners",
    queryset=_partner_export_queryset,
    spec=PARTNER_SPEC,
    label=_("Partner organisations"),
    list_url="orgs:partner-list",
)
