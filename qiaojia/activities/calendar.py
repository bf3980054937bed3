"""Activities in the shared calendar: public ones for everyone, and for an officer their associations'
own and co-organised ones; who took part is never shown."""

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from qiaojia.core.calendar import CalendarFilters, CalendarItem, CalendarSource, register_source

from . import selectors


def _items(viewer, filters: CalendarFilters, limit: int) -> list[CalendarItem]:
    rows = selectors.calendar_activities(viewer=viewer, limit=limit, **filters.common())
    link = viewer is not None and viewer.is_authenticated
    return [
        CalendarItem(
            source="activity",
            uid=f"activity-{a.pk}",
            title=a.title,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            place=a.place,
            city=a.city,
            country=a.country.code or "",
            organisers=(a.association.name, *(c.association.name for c in a.confirmed_co_organisers)),
            url=reverse("activities:activity-detail", args=[a.pk]) if link else "",
            label=a.get_kind_display(),
        )
        for a in rows
    ]


register_source(CalendarSource(key="activity", label=pgettext_lazy("activity", "Activities"), items=_items, order=10))
