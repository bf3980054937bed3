"""The rows of the opinion list and of the rates for a viewer and a query string: shared by the pages, their
exports and the registered export source."""

from . import selectors
from .forms import OpinionFilterForm, RatesFilterForm


def opinion_queryset(user, params):
    filters = OpinionFilterForm(params or None)
    return filters, selectors.opinion_list(
        viewer=user,
        q=filters.value("q"),
        status=filters.value("status"),
        category=filters.value("category"),
        overdue=bool(filters.value("overdue")),
        handled_by_me=bool(filters.value("mine")),
    )


def rates_rows(user, params):
    filters = RatesFilterForm(params or None)
    return filters, selectors.opinion_rates(
        viewer=user, year=filters.value("year"), month=filters.value("month"), by=filters.value("by") or "handler"
    )
