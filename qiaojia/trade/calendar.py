"""B2B sessions in the shared calendar: a flagship event's matchmaking, on the event's dates, for those who
may see the session (the organisers, the officers of associations with an approved delegation, the
participants' contacts). The federation's, held in the province: an association filter, an association type
or a country other than China leaves them out; a city filter reads their place."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qiaojia.core.calendar import CalendarFilters, CalendarItem, CalendarSource, register_source

from .b2b import selectors

HOME_COUNTRY = "CN"


def _items(viewer, filters: CalendarFilters, limit: int) -> list[CalendarItem]:
    if filters.association or filters.association_kind or (filters.country and filters.country != HOME_COUNTRY):
        return []
    if viewer is None or not viewer.is_authenticated:
        return []
    out = []
    for s in selectors.calendar_sessions(viewer=viewer, start=filters.start, end=filters.end, limit=limit):
        place = s.place or s.event.place
        if filters.city and filters.city not in place:
            continue
        out.append(
            CalendarItem(
                source="b2b",
                uid=f"b2b-{s.pk}",
                title=str(_("B2B meetings: %(event)s") % {"event": s.event.name}),
                starts_on=s.event.starts_on,
                ends_on=s.event.ends_on,
                place=place,
                country=HOME_COUNTRY,
                organisers=(s.event.federation.name,),
                url=reverse("trade:b2b-detail", args=[s.pk]),
                label=str(_("B2B meetings")),
            )
        )
    return out


register_source(CalendarSource(key="b2b", label=_("B2B meetings"), items=_items, order=25))
