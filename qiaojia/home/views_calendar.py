"""The shared calendar's pages: one window of dates and one set of filters, asked of every source in the
registry (`core.calendar`), laid out as a month or a list. Kept apart from the overview's views."""

import calendar as pycalendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from qiaojia.core import calendar as registry
from qiaojia.core.ics import ics_calendar, ics_event
from qiaojia.orgs import selectors as org_selectors

from .forms import CalendarFilterForm

NO_ASSOCIATION = -1  # an association id that names none: the calendar shows nothing for it
# Days after the month a multi-day item is still drawn on; a feed reaches this far back and ahead.
FEED_BACK, FEED_AHEAD = datetime.timedelta(days=31), datetime.timedelta(days=366)


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    items: list = field(default_factory=list)


def _month(raw) -> datetime.date:
    today = timezone.localdate()
    if raw:
        year, month = (int(part) for part in raw.split("-"))
        if 1990 <= year <= 2100 and 1 <= month <= 12:
            return datetime.date(year, month, 1)
    return today.replace(day=1)


def _shift(month: datetime.date, by: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + by
    return datetime.date(index // 12, index % 12 + 1, 1)


def _filters(request) -> tuple[CalendarFilterForm, dict]:
    associations = list(org_selectors.association_public_list().values_list("pk", "name"))
    form = CalendarFilterForm(
        request.GET or None,
        sources=registry.calendar_sources(),
        facets=registry.calendar_facets(),
        associations=associations,
    )
    association = None
    raw = (request.GET.get("association") or "").strip()
    if raw:
        known = {pk for pk, _name in associations}
        association = int(raw) if raw.isdigit() and len(raw) < 19 and int(raw) in known else NO_ASSOCIATION
    values = {
        "association": association,
        "association_kind": form.value("kind"),
        "city": (form.value("city") or "").strip() or None,
        "country": form.value("country"),
        "facets": {name: form.value(name) for name in form.facet_names if form.value(name)},
    }
    return form, values


def _window_items(request, values, start, end, source):
    filters = registry.CalendarFilters(start=start, end=end, **values)
    return registry.calendar_items(request.user, filters, sources=[source] if source else ())


def _weeks(month: datetime.date, items) -> list[list[Day]]:
    cal = pycalendar.Calendar(firstweekday=0)
    days = {d: Day(d, d.month == month.month) for d in cal.itermonthdates(month.year, month.month)}
    by_day = defaultdict(list)
    for item in items:
        day = max(item.starts_on, min(days))
        while day <= item.last_day and day in days:
            by_day[day].append(item)
            day += datetime.timedelta(days=1)
    for day, listed in by_day.items():
        days[day].items = listed
    ordered = sorted(days.values(), key=lambda d: d.date)
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]


@login_required
@require_GET
def calendar_list(request):
    """Every association's public activities, the flagship events and the joint meetings the viewer takes
    part in, by month or as a list, with filters; htmx swaps only the calendar when a filter changes."""
    form, values = _filters(request)
    view = form.value("view") or "month"
    month = _month(form.value("month"))
    end = _shift(month, 1) - datetime.timedelta(days=1)
    if view == "month":
        # The whole weeks the month's grid shows.
        start = month - datetime.timedelta(days=month.weekday())
        end = end + datetime.timedelta(days=6 - end.weekday())
    else:
        start = month
    items = _window_items(request, values, start, end, form.value("source"))
    query = request.GET.copy()
    query.pop("month", None)
    context = {
        "filters": form,
        "view": view,
        "month": month,
        "previous": _shift(month, -1).strftime("%Y-%m"),
        "next": _shift(month, 1).strftime("%Y-%m"),
        "this_month": timezone.localdate().strftime("%Y-%m"),
        "today": timezone.localdate(),
        "query": query.urlencode(),
        "feed_query": request.GET.urlencode(),
        "items": [i for i in items if i.last_day >= month and i.starts_on <= end] if view == "list" else items,
        "weeks": _weeks(month, items) if view == "month" else [],
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    }
    template = "home/_calendar_body.html" if request.headers.get("HX-Request") else "home/calendar.html"
    return render(request, template, context)


@login_required
@require_GET
def calendar_feed(request):
    """The same filters as an iCalendar feed: a month when one is named, else a month back to a year ahead."""
    form, values = _filters(request)
    if form.value("month"):
        start = _month(form.value("month"))
        end = _shift(start, 1) - datetime.timedelta(days=1)
    else:
        today = timezone.localdate()
        start, end = today - FEED_BACK, today + FEED_AHEAD
    items = _window_items(request, values, start, end, form.value("source"))
    events = (
        ics_event(
            uid=f"{item.uid}@qiaojia",
            summary=item.title,
            starts_on=item.starts_on,
            ends_on=item.ends_on,
            starts_at=item.starts_at,
            location=" · ".join(part for part in (item.place, item.city) if part),
            description=" · ".join((item.label, *item.organisers)),
            url=request.build_absolute_uri(item.url) if item.url else "",
            categories=item.label,
        )
        for item in items
    )
    body = ics_calendar(name=_("Shared calendar of the associations"), events=events)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qiaojia-calendar.ics"'
    return response
