"""What the opinion list and the rates export. The list names no sender and no contact: those stay on the
case's page, for those who must reach the sender."""

from django.utils.translation import gettext_lazy as _

from qiaojia.exports.formats import Column, ExportSpec
from qiaojia.exports.sources import register_export

from .lists import opinion_queryset
from .models import OpinionCategory, OpinionChannel, OpinionRating, OpinionStatus

OPINION_SPEC = ExportSpec(
    columns=[
        Column(_("Receipt code"), lambda o: o["code"], width=16),
        Column(_("Received"), lambda o: o["received_at"], width=18),
        Column(_("Category"), lambda o: o["category"], choices=OpinionCategory.choices, width=16),
        Column(_("Sent through"), lambda o: o["channel"], choices=OpinionChannel.choices, width=14),
        Column(_("Subject"), lambda o: o["title"], width=36),
        Column(_("Status"), lambda o: o["status"], choices=OpinionStatus.choices, width=12),
        Column(_("Handler"), lambda o: o["handler_association__name"] or o["handler_department__name"] or "", width=30),
        Column(_("Sent through association"), lambda o: o["association__name"] or "", width=30),
        Column(_("Acknowledge by"), lambda o: o["acknowledge_due"], width=12),
        Column(_("Answer by"), lambda o: o["answer_due"], width=12),
        Column(_("Answered"), lambda o: o["answered_at"], width=18),
        Column(_("Rating"), lambda o: o["rating"], choices=OpinionRating.choices, width=14),
    ],
    values=(
        "code",
        "received_at",
        "category",
        "channel",
        "title",
        "status",
        "handler_association__name",
        "handler_department__name",
        "association__name",
        "acknowledge_due",
        "answer_due",
        "answered_at",
        "rating",
    ),
)


def _rate(value):
    return "" if value is None else value


RATES_SPEC = ExportSpec(
    columns=[
        Column(_("Month"), lambda r: r.month.strftime("%Y-%m"), width=10),
        Column(_("Handler"), lambda r: r.handler, width=30),
        Column(_("Received"), lambda r: r.received, width=10),
        Column(_("Response rate (%)"), lambda r: _rate(r.response_rate), width=14),
        Column(_("Resolution rate (%)"), lambda r: _rate(r.resolution_rate), width=14),
        Column(_("Rated"), lambda r: r.rated, width=10),
        Column(_("Satisfaction rate (%)"), lambda r: _rate(r.satisfaction_rate), width=14),
    ]
)

OPINION_EXPORT = register_export(
    "voice-opinions",
    queryset=lambda user, params: opinion_queryset(user, params)[1],
    spec=OPINION_SPEC,
    label=_("Opinions"),
    list_url="voice:opinion-list",
)
