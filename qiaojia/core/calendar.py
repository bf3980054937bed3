"""The shared calendar's registry (跨協會常態化交流平臺): every app that has dated items others may see
declares a source in its own `calendar.py`, found at start-up (`CoreConfig.ready`), as search and exports
find theirs. The calendar page asks each source for one window of dates and one set of filters; a source
answers with at most `limit` items in a bounded number of queries, whatever the size of its tables.

A source names the extra filters (facets) it understands, e.g. "industry"; an app may register a facet
with its choices (`register_facet`). When a facet filter is set, a source that does not understand it
contributes nothing: an activity has no industry, so it is not shown under one."""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

# Sources draw from tables of any size: each answers at most this many items for one window.
DEFAULT_LIMIT = 500


@dataclass(frozen=True)
class CalendarFilters:
    """The window and the filters: `association` an id (host, co-organiser or member), `association_kind`
    an association type, `city` part of a city's name, `country` a two-letter code, `facets` the extra ones."""

    start: datetime.date
    end: datetime.date
    association: int | None = None
    association_kind: str | None = None
    city: str | None = None
    country: str | None = None
    facets: dict[str, str] = field(default_factory=dict)

    def common(self) -> dict:
        """The window and the filters every source's selector takes, as keyword arguments."""
        return {
            "start": self.start,
            "end": self.end,
            "association": self.association,
            "association_kind": self.association_kind,
            "city": self.city,
            "country": self.country,
        }


@dataclass(frozen=True)
class CalendarItem:
    source: str
    uid: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    starts_at: datetime.datetime | None = None
    place: str = ""
    city: str = ""
    country: str = ""
    organisers: Sequence[str] = ()
    url: str = ""
    label: str = ""

    @property
    def last_day(self) -> datetime.date:
        return self.ends_on or self.starts_on


@dataclass(frozen=True)
class CalendarSource:
    """`items(viewer, filters, limit)` returns the viewer's items of the window, at most `limit`; an
    anonymous viewer (the public calendar) gets only public ones, without anyone's personal data."""

    key: str
    label: str | Promise
    items: Callable[[Any, CalendarFilters, int], list[CalendarItem]]
    facets: frozenset[str] = frozenset()
    order: int = 100


@dataclass(frozen=True)
class CalendarFacet:
    name: str
    label: str | Promise
    choices: Callable[[], list[tuple[str, str]]]


_SOURCES: dict[str, CalendarSource] = {}
_FACETS: dict[str, CalendarFacet] = {}


def register_source(source: CalendarSource) -> CalendarSource:
    _SOURCES[source.key] = source
    return source


def register_facet(facet: CalendarFacet) -> CalendarFacet:
    _FACETS[facet.name] = facet
    return facet


def calendar_sources() -> list[CalendarSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def calendar_facets() -> list[CalendarFacet]:
    return sorted(_FACETS.values(), key=lambda f: f.name)


def calendar_items(
    viewer, filters: CalendarFilters, *, sources: Sequence[str] = (), limit: int = DEFAULT_LIMIT
) -> list[CalendarItem]:
    """Every chosen source's items of the window, in date order; sources that do not understand a facet
    filter that is set are left out."""
    wanted = {name for name, value in filters.facets.items() if value}
    items: list[CalendarItem] = []
    for source in calendar_sources():
        if sources and source.key not in sources:
            continue
        if not wanted <= source.facets:
            continue
        items.extend(source.items(viewer, filters, limit))
    return sorted(items, key=lambda i: (i.starts_on, i.starts_at.timestamp() if i.starts_at else 0.0, i.title, i.uid))
