"""Trade's figures in an association's annual work report: the projects it recorded as signed in the year
and their contract amount in yuan (at the staff's rate table)."""

from django.utils.translation import gettext_lazy as _

from qiaojia.cycle.figures import WorkFigure, register_figures

from . import selectors_deals

register_figures(
    "trade",
    figures=(
        WorkFigure("projects_signed", _("Projects signed")),
        WorkFigure("projects_amount", _("Contract amount of projects signed (yuan)"), money=True),
    ),
    count=selectors_deals.project_report_figures,
)
