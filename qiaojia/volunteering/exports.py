"""What the donation list exports."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.exports.formats import Column, ExportSpec

from .models import DonationKind


def _organiser(row) -> str:
    return row["association__name"] or row["federation__name"]


DONATION_SPEC = ExportSpec(
    columns=[
        Column(_("Received on"), lambda d: d["received_on"], width=12),
        Column(pgettext_lazy("association", "Recorded by"), _organiser, width=30),
        Column(_("Type"), lambda d: d["kind"], choices=DonationKind.choices, width=8),
        Column(_("Donor"), lambda d: d["donor_name"], width=30),
        Column(_("Donor from abroad"), lambda d: d["from_abroad"], width=10),
        Column(_("Donor's country or region"), lambda d: str(d["donor_country"] or ""), width=10),
        Column(_("Campaign"), lambda d: d["campaign__name"], width=30),
        Column(_("Recipient"), lambda d: d["recipient__name"] or d["recipient_name"], width=24),
        Column(_("Amount (yuan)"), lambda d: d["amount"], width=14),
        Column(_("Goods"), lambda d: d["description"], width=24),
        Column(_("Estimated value (yuan)"), lambda d: d["estimated_value"], width=14),
        Column(_("Receipt number"), lambda d: d["receipt_number"], mask=False, width=16),
        Column(_("Note"), lambda d: d["note"], width=30),
    ],
    values=(
        "received_on",
        "association__name",
        "federation__name",
        "kind",
        "donor_name",
        "from_abroad",
        "donor_country",
        "campaign__name",
        "recipient__name",
        "recipient_name",
        "amount",
        "description",
        "estimated_value",
        "receipt_number",
        "note",
    ),
)
