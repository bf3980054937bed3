"""The registry of indexers: each searchable model says how it is written into the index, who may see
which of its records, and where a result links to. Each app registers its own in its `search.py`
(members: people and enterprises; orgs: associations), which the search app imports at start-up
(`SearchConfig.ready`); a later record (activities, news, opinions) plugs in the same way, from its
own folder."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import get_script_prefix, reverse


@dataclass(frozen=True)
class Document:
    """What one record contributes to the index. `key`/`extra` are Simplified and case-folded."""

    title: str
    key: str
    pinyin: str = ""
    initials: str = ""
    english: str = ""
    extra: str = ""
    subtitle: str = ""


@dataclass(frozen=True)
class Indexer:
    kind: str
    model: type[models.Model]
    label: Any  # a lazy translated string: the heading of the group of results
    document: Callable[[Any], Document]
    # None: the viewer sees every record of this kind; otherwise a queryset of visible primary keys.
    visible_ids: Callable[[Any], QuerySet | None]
    url: Callable[[Any, int], str]
    # Optional: the same visibility as a condition on SearchEntry rows, `probe(viewer, "object_id")`,
    # checked row by row (a correlated EXISTS). The search uses it when `visible_ids` is large: walking
    # an index and probing each candidate then beats building the whole visible set for every query.
    visible_probe: Callable[[Any, str], Q] | None = None
    # With a probe: the visible ids when there are at most `limit` of them, else None (read cheaply).
    visible_few: Callable[[Any, int], list[int] | None] | None = None
    order: int = 100
    # The titles are people's names, shown as registered in every script (`core.script`).
    titles_are_names: bool = False
    # Fields loaded by the bulk reindex (`only()`), so a million rows do not load every column.
    bulk_fields: tuple[str, ...] = ()
    bulk_queryset: Callable[[], QuerySet] | None = None
    # Where "all results" opens: the record kind's own list, filtered by the same query; None for none.
    list_url: Callable[[Any, str], str | None] = field(default=lambda viewer, q: None)

    def queryset(self) -> QuerySet:
        qs = self.bulk_queryset() if self.bulk_queryset else self.model._default_manager.all()
        return qs.only(*self.bulk_fields) if self.bulk_fields else qs


_INDEXERS: dict[str, Indexer] = {}


def register(indexer: Indexer) -> Indexer:
    _INDEXERS[indexer.kind] = indexer
    return indexer


def indexers() -> Iterable[Indexer]:
    return sorted(_INDEXERS.values(), key=lambda i: i.order)


def get(kind: str) -> Indexer:
    return _INDEXERS[kind]


def for_model(model: type[models.Model]) -> Indexer | None:
    for indexer in _INDEXERS.values():
        if indexer.model is model or issubclass(model, indexer.model):
            return indexer
    return None


_PK = 987654321987


@lru_cache(maxsize=64)
def _pattern(name: str, script_prefix: str) -> tuple[str, str]:
    """A detail URL split around its primary key: a page of 20 results reverses each name once."""
    before, after = reverse(name, args=[_PK]).split(str(_PK))
    return before, after


def detail_url(name: str, pk: int) -> str:
    """The URL named `name` for the record `pk`, for an indexer's `url`."""
    before, after = _pattern(name, get_script_prefix())
    return f"{before}{pk}{after}"


def list_url(name: str, allowed: Callable[[Any], bool] = lambda viewer: True) -> Callable[[Any, str], str | None]:
    """An indexer's `list_url`: the list named `name` filtered by the query, for viewers `allowed` to open it."""

    def url(viewer, q: str) -> str | None:
        return reverse(name) + "?" + urlencode({"q": q}) if allowed(viewer) else None

    return url
