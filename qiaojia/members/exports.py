"""What the people and enterprise lists export; phone and ID numbers only ever masked. The sources are
registered here, found at start-up by the exports app; the list pages filter through the same functions.

Rows are read as dicts (`values`), not model instances, and the associations of each chunk of
people are read in one query: this keeps a million-row export fast and its memory flat."""

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from qiaojia.core.masking import mask_phone
from qiaojia.exports.formats import Column, ExportSpec
from qiaojia.exports.sources import register_export
from qiaojia.orgs import selectors as org_selectors

from . import selectors
from .forms import EnterpriseFilterForm, PersonFilterForm
from .models import Gender, Industry, OverseasStatus


def _country_names():
    return dict(countries)


PERSON_COLUMNS = [
    Column(_("Full name"), lambda p: p["name"], width=14),
    Column(_("English name"), lambda p: p["name_en"], width=20),
    Column(_("Gender"), lambda p: p["gender"], choices=Gender.choices, width=8),
    Column(_("Birth date"), lambda p: p["birth_date"], width=12),
    Column(_("Overseas status"), lambda p: p["overseas_status"], choices=OverseasStatus.choices, width=18),
    Column(_("Country or region"), lambda p: p["country"], choices=_country_names, width=16),
    Column(_("Phone"), lambda p: mask_phone(p["phone"]), width=14),
    Column(_("ID number"), lambda p: p["id_number_masked"], width=20),
    Column(_("Associations"), lambda p: "; ".join(p["associations"]), width=40),
]
PERSON_VALUES = (
    "pk",
    "name",
    "name_en",
    "gender",
    "birth_date",
    "overseas_status",
    "country",
    "phone",
    "id_number_masked",
)


def person_export_spec(viewer) -> ExportSpec:
    """The people export for `viewer`: the associations column lists only those the viewer sees."""

    def enrich(rows: list[dict]) -> None:
        names = selectors.person_association_names(viewer=viewer, person_ids=[r["pk"] for r in rows])
        for row in rows:
            row["associations"] = names.get(row["pk"], [])

    return ExportSpec(columns=PERSON_COLUMNS, values=PERSON_VALUES, enrich=enrich)


def _codes(value: str | None) -> list[str]:
    return [c for c in (value or "").split(",") if c]


ENTERPRISE_SPEC = ExportSpec(
    columns=[
        Column(_("Name"), lambda e: e["name"], width=30),
        Column(_("English name"), lambda e: e["name_en"], width=30),
        Column(_("Unified social credit code"), lambda e: e["credit_code"], mask=False, width=20),
        Column(_("Industry"), lambda e: e["industry"], choices=Industry.choices, width=20),
        Column(_("Countries it trades with"), lambda e: _codes(e["trade_countries"]), choices=_country_names, width=24),
        Column(_("Representative"), lambda e: e["representative__name"], width=14),
        Column(_("Address"), lambda e: e["address"], width=30),
    ],
    values=("name", "name_en", "credit_code", "industry", "trade_countries", "representative__name", "address"),
)


def _association_filter(viewer, params):
    return org_selectors.association_filter(viewer=viewer, raw=params.get("association"))


def person_queryset(viewer, filters, association):
    """The people list as filtered: its page and its export read the same rows."""
    return selectors.person_list(
        viewer=viewer,
        q=filters.value("q"),
        association=association.pk if association else None,
        overseas_status=filters.value("overseas_status"),
        country=filters.value("country"),
        id_hash=filters.value("id_hash"),
    )


def enterprise_queryset(viewer, filters, association):
    return selectors.enterprise_list(
        viewer=viewer,
        q=filters.value("q"),
        association=association.pk if association else None,
        industry=filters.value("industry"),
    )


def _person_export_queryset(user, params):
    return person_queryset(user, PersonFilterForm(params or None), _association_filter(user, params)).order_by("pk")


def _enterprise_export_queryset(user, params):
    return enterprise_queryset(user, EnterpriseFilterForm(params or None), _association_filter(user, params)).order_by(
        "pk"
    )


PERSON_EXPORT = register_export(
    "people",
    queryset=_person_export_queryset,
    spec=person_export_spec,
    label=_("People"),
    list_url="members:person-list",
)
ENTERPRISE_EXPORT = register_export(
    "enterprises",
    queryset=_enterprise_export_queryset,
    spec=ENTERPRISE_SPEC,
    label=_("Enterprises"),
    list_url="members:enterprise-list",
)
