"""The rows of the offer list and the directory for a viewer and a query string: one place that the pages,
their exports and the registered export sources share."""

from qiaojia.orgs import selectors as org_selectors

from . import selectors, selectors_deals
from .forms import OfferFilterForm, ProfileFilterForm
from .forms_deals import IntroductionFilterForm, ProjectFilterForm


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


def introduction_queryset(user, params):
    """The introductions list's rows for `user` (the page and its export)."""
    filters = IntroductionFilterForm(params or None)
    return filters, selectors_deals.introduction_list(viewer=user, stage=filters.value("stage"), q=filters.value("q"))


def project_queryset(user, params):
    """The signed projects list's rows for `user` (the page and its export)."""
    filters = ProjectFilterForm(params or None)
    association = org_selectors.association_filter(viewer=user, raw=params.get("association"))
    return filters, selectors_deals.project_list(
        viewer=user,
        q=filters.value("q"),
        kind=filters.value("kind"),
        stage=filters.value("stage"),
        year=filters.value("year"),
        association=association.pk if association else None,
    )
