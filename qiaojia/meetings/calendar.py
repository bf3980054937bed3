"""Joint meetings in the shared calendar, for the member associations' officers and federation staff."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qiaojia.core.calendar import CalendarFilters, CalendarItem, CalendarSource, register_source

from . import selectors


def _items(viewer, filters: CalendarFilters, limit: int) -> list[CalendarItem]:
    rows = selectors.calendar_joint_meetings(viewer=viewer, limit=limit, **filters.common())
    return [
        CalendarItem(
            source="joint-meeting",
            uid=f"joint-meeting-{m.pk}",
            title=gettext("%(series)s · no. %(n)s") % {"series": m.series.name, "n": m.number},
            starts_on=timezone.localtime(m.starts_at).date(),
            starts_at=m.starts_at,
            place=m.place,
            city=m.city,
            country=m.country.code or "",
            organisers=(
                m.host.name,
                *(x.association.name for x in m.series.members.all() if x.association_id != m.host_id),
            ),
            url=reverse("meetings:joint-meeting-detail", args=[m.pk]),
            label=str(_("Joint meeting")),
        )
        for m in rows
    ]


register_source(CalendarSource(key="joint-meeting", label=_("Joint meetings"), items=_items, order=30))
