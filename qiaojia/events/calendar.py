"""Flagship events in the shared calendar. They are the federation's, held in the province: an
association filter or a country other than China leaves them out, a city filter reads their place."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qiaojia.core.calendar import CalendarFilters, CalendarItem, CalendarSource, register_source

from . import permissions, selectors

HOME_COUNTRY = "CN"


def _items(viewer, filters: CalendarFilters, limit: int) -> list[CalendarItem]:
    if filters.association or filters.association_kind or (filters.country and filters.country != HOME_COUNTRY):
        return []
    rows = selectors.calendar_events(
        viewer=viewer, start=filters.start, end=filters.end, city=filters.city, limit=limit
    )
    inside = permissions.can_view_events(viewer)
    return [
        CalendarItem(
            source="event",
            uid=f"event-{e.pk}",
            title=e.name,
            starts_on=e.starts_on,
            ends_on=e.ends_on,
            place=e.place,
            country=HOME_COUNTRY,
            organisers=(e.federation.name,),
            url=reverse("events:event-detail", args=[e.pk])
            if inside
            else reverse("events:event-public", args=[e.slug]),
            label=str(_("Flagship event")),
        )
        for e in rows
    ]


register_source(CalendarSource(key="event", label=_("Flagship events"), items=_items, order=20))
