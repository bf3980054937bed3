"""The rows of the offer list and the directory for a viewer and a query string: one place that the pages,
their exports and the registered export sources share."""

from qiaojia.orgs import selectors as org_selectors

from . import selectors
from .forms import OfferFilterForm, ProfileFilterForm


def offer_queryset(user, params):
    """The list's rows for `user` and the query string (the page, its export and the registered export)."""
    filters = OfferFilterForm(params or None)
    association = org_selectors.association_filter(viewer=user, raw=params.get("association"))
    division, section = filters.industry_filter()
    return filters, selectors.offer_list(
        viewer=user,
        q=filters.value("q"),
        side=filters.value("side"),
        kind=filters.value("kind"),
        division=division,
        section=section,
        country=filters.value("country"),
        status=filters.value("status"),
        association=association.pk if association else None,
        mine=bool(filters.value("mine")),
    )


def profile_queryset(user, params):
    filters = ProfileFilterForm(params or None)
    association = org_selectors.association_filter(viewer=user, raw=params.get("association"))
    division, section = filters.industry_filter()
    return filters, selectors.profile_list(
        viewer=user,
        q=filters.value("q"),
        division=division,
        section=section,
        country=filters.value("country"),
        association=association.pk if association else None,
        listed_only=bool(filters.value("listed")),
    )
