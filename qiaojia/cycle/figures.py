"""Figures other apps add to an association's annual work report, each counted from what that app records
(trade: the projects signed in the year and their amount). An app declares its figures in its own
`report_figures.py`, which `CycleConfig.ready` loads; this module knows no app.

A figure has a key (stored in `AnnualReport.work_figures`), a translated label the report shows, and a
function `count(association_id=, year=)` returning the figures it owns by key (a number, or a money amount
as a string). Reports keep the figures as prefilled, so a report that was submitted does not change."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class WorkFigure:
    key: str
    label: Any  # a lazy translated string
    money: bool = False


@dataclass(frozen=True)
class FigureSource:
    name: str
    figures: tuple[WorkFigure, ...]
    count: Callable[..., dict[str, Any]]


_SOURCES: dict[str, FigureSource] = {}


def register_figures(name: str, *, figures: tuple[WorkFigure, ...], count: Callable[..., dict[str, Any]]) -> None:
    """Declare a source of work-report figures, from the owning app's `report_figures.py`."""
    known = _SOURCES.get(name)
    if known is not None and known.count is not count:
        raise ImproperlyConfigured(f"Report figures {name!r} are registered twice, differently.")
    _SOURCES[name] = FigureSource(name=name, figures=figures, count=count)


def sources() -> list[FigureSource]:
    return [_SOURCES[name] for name in sorted(_SOURCES)]


def count_all(*, association_id: int, year: int) -> dict[str, Any]:
    """Every registered figure of the association on `year`, by key."""
    values: dict[str, Any] = {}
    for source in sources():
        counted = source.count(association_id=association_id, year=year)
        values.update({f.key: counted.get(f.key, 0) for f in source.figures})
    return values


def labelled(values: dict[str, Any]) -> list[tuple[WorkFigure, Any]]:
    """The stored figures of a report with their declarations, in registry order (unknown keys left out)."""
    out = []
    for source in sources():
        for figure in source.figures:
            if figure.key in (values or {}):
                out.append((figure, values[figure.key]))
    return out
