"""What the offer list and the enterprise directory export (registered, so a background export finds them).
Neither names the enterprise behind another association's item, nor anyone's contact details."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from qiaojia.exports.formats import Column, ExportSpec
from qiaojia.exports.sources import register_export

from . import industries
from .lists import introduction_queryset, offer_queryset, profile_queryset, project_queryset
from .models import AmountBand, OfferKind, OfferStatus, OverseasPresence, SizeBand
from .models_deals import IntroductionOrigin, IntroductionStage, ProjectKind, ProjectStage
from .selectors_deals import RateTable


def _country_names():
    return dict(countries)


def _codes(value) -> list[str]:
    if isinstance(value, str):
        return [c for c in value.split(",") if c]
    return [str(c) for c in value or []]


OFFER_SPEC = ExportSpec(
    columns=[
        Column(_("Published"), lambda o: o["published_at"], width=18),
        Column(_("Type"), lambda o: o["kind"], choices=OfferKind.choices, width=20),
        Column(_("Title"), lambda o: o["title"], width=36),
        Column(_("Industry"), lambda o: industries.division_label(o["division"]), width=30),
        Column(_("Countries and regions"), lambda o: _codes(o["countries"]), choices=_country_names, width=24),
        Column(_("Amount"), lambda o: o["amount_band"], choices=AmountBand.choices, width=18),
        Column(_("Valid from"), lambda o: o["valid_from"], width=12),
        Column(_("Valid until"), lambda o: o["valid_until"], width=12),
        Column(_("Status"), lambda o: o["status"], choices=OfferStatus.choices, width=12),
        Column(_("Posted through"), lambda o: o["association__name"], width=30),
        Column(_("Keywords"), lambda o: o["keywords"], width=30),
        Column(_("Description"), lambda o: o["description"], width=60),
    ],
    values=(
        "published_at",
        "kind",
        "title",
        "division",
        "countries",
        "amount_band",
        "valid_from",
        "valid_until",
        "status",
        "association__name",
        "keywords",
        "description",
    ),
)

PROFILE_SPEC = ExportSpec(
    columns=[
        Column(_("Enterprise"), lambda p: p["enterprise__name"], width=30),
        Column(_("English name"), lambda p: p["enterprise__name_en"], width=30),
        Column(_("Industry"), lambda p: industries.division_label(p["division"]), width=30),
        Column(_("Products and services"), lambda p: p["products"], width=40),
        Column(
            _("Countries and regions of operation"), lambda p: _codes(p["countries"]), choices=_country_names, width=24
        ),
        Column(_("Size"), lambda p: p["size_band"], choices=SizeBand.choices, width=16),
        Column(_("Presence abroad"), lambda p: p["overseas_presence"], choices=OverseasPresence.choices, width=20),
        Column(_("Listed in the directory"), lambda p: p["listed"], width=10),
    ],
    values=(
        "enterprise__name",
        "enterprise__name_en",
        "division",
        "products",
        "countries",
        "size_band",
        "overseas_presence",
        "listed",
    ),
)

OFFER_EXPORT = register_export(
    "trade-offers",
    queryset=lambda user, params: offer_queryset(user, params)[1],
    spec=OFFER_SPEC,
    label=pgettext_lazy("trade", "Offers and needs"),
    list_url="trade:offer-list",
)
PROFILE_EXPORT = register_export(
    "trade-directory",
    queryset=lambda user, params: profile_queryset(user, params)[1],
    spec=PROFILE_SPEC,
    label=_("Enterprise directory"),
    list_url="trade:profile-list",
)


# Introductions and signed projects: no contact details, no enterprise behind a side.

INTRODUCTION_SPEC = ExportSpec(
    columns=[
        Column(_("Date started"), lambda i: i["created_at"], width=18),
        Column(_("Origin"), lambda i: i["origin"], choices=IntroductionOrigin.choices, width=20),
        Column(_("Item"), lambda i: i["offer__title"], width=36),
        Column(_("Interested side"), lambda i: i["a_association__name"], width=30),
        Column(_("Posting side"), lambda i: i["b_association__name"], width=30),
        Column(_("Stage"), lambda i: i["stage"], choices=IntroductionStage.choices, width=16),
    ],
    values=("created_at", "origin", "offer__title", "a_association__name", "b_association__name", "stage"),
)


def _in_yuan(rows: list) -> None:
    table = RateTable()
    for row in rows:
        row["yuan"] = table.in_yuan(row["amount"], row["currency"], row["signed_on"])


PROJECT_SPEC = ExportSpec(
    columns=[
        Column(_("Signing date"), lambda p: p["signed_on"], width=12),
        Column(_("Title"), lambda p: p["title"], width=36),
        Column(_("Type"), lambda p: p["kind"], choices=ProjectKind.choices, width=16),
        Column(_("Parties"), lambda p: p["parties"], width=40),
        Column(_("Contract amount"), lambda p: p["amount"], width=16),
        Column(_("Currency"), lambda p: p["currency"], width=8),
        Column(_("Amount in yuan"), lambda p: p.get("yuan"), width=16),
        Column(_("City in Henan"), lambda p: p["city"], width=12),
        Column(_("Country abroad"), lambda p: p["country"], choices=_country_names, width=16),
        Column(_("Signed at"), lambda p: p["event__name"], width=30),
        Column(_("Stage"), lambda p: p["stage"], choices=ProjectStage.choices, width=14),
        Column(_("Association"), lambda p: p["association__name"], width=30),
    ],
    values=(
        "signed_on",
        "title",
        "kind",
        "parties",
        "amount",
        "currency",
        "city",
        "country",
        "event__name",
        "stage",
        "association__name",
    ),
    enrich=_in_yuan,
)

INTRODUCTION_EXPORT = register_export(
    "trade-introductions",
    queryset=lambda user, params: introduction_queryset(user, params)[1],
    spec=INTRODUCTION_SPEC,
    label=_("Introductions"),
    list_url="trade:introduction-list",
)
PROJECT_EXPORT = register_export(
    "trade-projects",
    queryset=lambda user, params: project_queryset(user, params)[1],
    spec=PROJECT_SPEC,
    label=_("Signed projects"),
    list_url="trade:project-list",
)
# B2B matchmaking's schedule export is declared beside its code; imported here so the registry finds it.
from .b2b import exports as b2b_exports  # noqa: E402, F401
