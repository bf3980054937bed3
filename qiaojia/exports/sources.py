"""The registry of export sources: each app declares its lists' exports in its own `exports.py`, which
the exports app imports at start-up (`ExportsConfig.ready`), so the web process and a job worker find
the same sources without importing any view or URLconf."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, QueryDict

from .formats import ExportSpec


@dataclass(frozen=True)
class ExportSource:
    """One list's export: `queryset(user, params)` returns the viewer's filtered rows (raising Http404
    when the user may not see the list), `spec(user)` its columns; `name` is the ASCII file stem and
    the registry key, `label` the translated title, `list_url` the URL name of the list itself."""

    name: str
    queryset: Callable[[Any, QueryDict], Any]
    spec: Callable[[Any], ExportSpec]
    label: Any
    list_url: str = ""


_SOURCES: dict[str, ExportSource] = {}


def register_export(
    name: str,
    *,
    queryset: Callable[[Any, QueryDict], Any],
    spec: ExportSpec | Callable[[Any], ExportSpec],
    label: Any,
    list_url: str = "",
) -> ExportSource:
    """Register a list's export under `name` (done by the app's own `exports.py`)."""
    spec_for = spec if callable(spec) else (lambda user, fixed=spec: fixed)
    source = ExportSource(name=name, queryset=queryset, spec=spec_for, label=label, list_url=list_url)
    _SOURCES[name] = source
    return source


def export_source(name: str) -> ExportSource:
    try:
        return _SOURCES[name]
    except KeyError:
        raise Http404 from None


def export_sources() -> Iterable[ExportSource]:
    return list(_SOURCES.values())
