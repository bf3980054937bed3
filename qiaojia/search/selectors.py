"""Reads of the search index, always for a viewer.

A query is normalised once (`parse`): Chinese text to its Simplified, case-folded key, so 鄭定輝 and
郑定辉 are one query; Latin text to a compact form matched against full pinyin (with or without
spaces), initials and English names. Results come in tiers: exact name, then names that start with
the query, then names that contain it; each tier is one bounded, index-ordered query, run only while
the page still has room."""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Protocol, cast

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qiaojia.core.chinese import search_key

from . import registry
from .backends import TRIGRAM, get_backend, prefix_q
from .models import SearchEntry

MAX_QUERY = 100
_UNSEARCHABLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SEPARATORS = re.compile(r"[\s'’\-·.]+")


@dataclass(frozen=True)
class Query:
    text: str  # as typed, trimmed
    key: str  # Simplified, case-folded, without spaces for Chinese
    compact: str = ""  # Latin queries: letters and digits only, lower case ("zheng dinghui" -> "zhengdinghui")

    @property
    def latin(self) -> bool:
        return bool(self.compact)


def _searchable(text: str) -> str:
    """Without control and format characters (NUL, RTL marks, zero-width spaces, ...): no name holds them,
    SQLite's FTS phrase ends at a NUL, and PostgreSQL refuses NUL in a string."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in _UNSEARCHABLE)


def parse(q: str | None) -> Query | None:
    text = _searchable(q or "").strip()[:MAX_QUERY]
    if not text:
        return None
    key = " ".join(search_key(text).split())
    if key.isascii():
        compact = _SEPARATORS.sub("", key)
        return Query(text=text, key=key, compact=compact) if compact else None
    return Query(text=text, key=key.replace(" ", ""))


@dataclass(frozen=True)
class Tier:
    """One rank of results. `order` is the index the rows come out of; None fetches a bounded,
    unordered set (exact matches are few) that is sorted by pinyin afterwards. `gram` drives a short
    query from the gram index, in the index's order, so a common character stops after one page."""

    condition: Q
    order: str | None = None
    gram: str | None = None
    contains: str | None = None  # three or more characters: candidates from the trigram index first


def _any_equal(kind: str, **values: str) -> Q:
    """column = value for any of the columns, written so that each branch is one (kind, column)
    index lookup: SQLite's OR optimisation does not look through a shared `kind = ?` term."""
    condition = Q()
    for column, value in values.items():
        condition |= Q(kind=kind, **{column: value})
    return condition


def _tiers(kind: str, query: Query) -> list[Tier]:
    """The tiers of a query, best first."""
    backend = get_backend()
    k = query.key
    if not query.latin:
        contained = (
            Tier(Q(), gram=k)
            if len(k) < TRIGRAM
            else Tier(Q(kind=kind) & backend.contains_q(kind, k), order="pinyin", contains=k)
        )
        return [Tier(_any_equal(kind, key=k, extra=k)), Tier(Q(kind=kind) & prefix_q("key", k), order="key"), contained]
    c = query.compact
    tiers = [
        Tier(_any_equal(kind, pinyin=c, initials=c, english=k, key=k)),
        Tier(Q(kind=kind) & prefix_q("pinyin", c), order="pinyin"),
        Tier(Q(kind=kind) & prefix_q("initials", c), order="initials"),
        Tier(Q(kind=kind) & prefix_q("english", k), order="english"),
        Tier(Q(kind=kind) & prefix_q("key", k), order="key"),
    ]
    if len(k) >= TRIGRAM:
        tiers.append(Tier(Q(kind=kind) & backend.trigram_q(k), order="pinyin", contains=k))
    return tiers


# The contained tier asks the trigram index for at most this many candidates; when there are fewer, the
# page is sorted from them alone (a rare name costs a few index pages, not a walk of the pinyin order),
# and when there are more the matches are dense enough that the ordered walk fills a page at once.
CONTAINS_CANDIDATES = 2000


# A short query reads this many ids of its piece from the index, in id order, and looks for its page among
# them; only when they hold fewer than a page the viewer may see does it ask the whole index.
GRAM_CANDIDATES = 2000


def _gram_rows(base: QuerySet, kind: str, gram: str, limit: int) -> list[SearchEntry]:
    """The first `limit` entries of `kind` in id order holding the piece `gram`. A common character has
    tens of thousands of entries: its first window of ids serves the page (a prefix of the id order,
    so the page is the same as the whole index's)."""
    backend = get_backend()
    if not backend.gram_window:
        return list(base.filter(Q(kind=kind) & backend.gram_q(gram)).order_by("id")[:limit])
    # The window inside the query: 2,000 ids as parameters cost Django and SQLite 10-30 ms to build and parse.
    window = backend.gram_window_q(gram, cap=GRAM_CANDIDATES)
    rows = list(base.filter(Q(kind=kind) & window).order_by("id")[:limit])
    if len(rows) >= limit or len(backend.gram_ids(gram, cap=GRAM_CANDIDATES)) < GRAM_CANDIDATES:
        return rows
    return list(base.filter(Q(kind=kind) & backend.gram_q(gram)).order_by("id")[:limit])


def _fetch(base: QuerySet, kind: str, tier: Tier, limit: int) -> list[SearchEntry]:
    if tier.contains is not None:
        ids = get_backend().trigram_ids(kind, tier.contains, cap=CONTAINS_CANDIDATES)
        if not ids:
            return []
        # `_tiers` always gives a contained tier its order; pinyin, the order results are shown in, stands in.
        order = tier.order or "pinyin"
        if len(ids) < CONTAINS_CANDIDATES:
            return list(base.filter(id__in=ids).order_by(order, "id")[:limit])
        return list(base.filter(tier.condition).order_by(order, "id")[:limit])
    if tier.gram is not None:
        rows = _gram_rows(base, kind, tier.gram, limit)
    elif tier.order is None:
        rows = list(base.filter(tier.condition).order_by()[:limit])
    else:
        return list(base.filter(tier.condition).order_by(tier.order, "id")[:limit])
    return sorted(rows, key=lambda e: (e.pinyin, e.pk))


class Found(Protocol):
    """A result as the search page shows it: a SearchEntry to which `search` adds its link and its
    highlighted names."""

    object_id: int
    title: str
    subtitle: str
    key: str
    url: str
    title_html: SafeString
    subtitle_html: SafeString


@dataclass
class Group:
    kind: str
    label: str
    entries: list[Found] = field(default_factory=list)
    list_url: str | None = None
    titles_are_names: bool = False  # people's names: shown as registered (core.script)


# Up to this many visible records, the search filters by their ids as a list; beyond, by probing each
# candidate (see `Indexer.visible_probe`). Re-reading a large association's members for every tier of
# every query cost an officer 0.3-2 s per search at a million people.
SMALL_SCOPE = 5000


def _scope(indexer, viewer, visible: QuerySet) -> Q:
    if indexer.visible_probe is None or indexer.visible_few is None:
        return Q(object_id__in=visible)
    ids = indexer.visible_few(viewer, SMALL_SCOPE)
    return Q(object_id__in=ids) if ids is not None else indexer.visible_probe(viewer, "object_id")


def search_kind(
    *, viewer, kind: str, query: Query, limit: int = 10, within: QuerySet | None = None
) -> list[SearchEntry]:
    """Up to `limit` entries of one kind the viewer may see, ranked exact, prefix, contained; `within` (the
    ids of the records a picker offers, e.g. one association's people) narrows them further, never widens."""
    indexer = registry.get(kind)
    # No shared `kind = ?` here: each tier names the kind inside its own index lookup, so that no
    # planner mistakes the low-selectivity kind column for the way in.
    base = SearchEntry.objects.only("id", "object_id", "title", "subtitle", "key", "pinyin", "initials", "english")
    visible = indexer.visible_ids(viewer)
    if visible is not None:
        base = base.filter(_scope(indexer, viewer, visible))
    if within is not None:
        base = base.filter(object_id__in=within)
    found: list[SearchEntry] = []
    seen: set[int] = set()
    for tier in _tiers(kind, query):
        for entry in _fetch(base, kind, tier, limit + len(seen)):
            if entry.pk not in seen:
                seen.add(entry.pk)
                found.append(entry)
        if len(found) >= limit:
            break
    return found[:limit]


def search(*, viewer, q: str | None, limit: int = 10, kinds: list[str] | None = None) -> list[Group]:
    """The grouped results of the search page: one group per registered kind, in registry order."""
    query = parse(q)
    groups = []
    for indexer in registry.indexers():
        if kinds is not None and indexer.kind not in kinds:
            continue
        found = search_kind(viewer=viewer, kind=indexer.kind, query=query, limit=limit) if query else []
        entries = cast(list[Found], found)
        for entry in entries:
            entry.url = indexer.url(viewer, entry.object_id)
            entry.title_html = highlight(entry.title, query, folded=entry.key)
            entry.subtitle_html = highlight(entry.subtitle, query, latin=True)
        groups.append(
            Group(
                kind=indexer.kind,
                label=str(indexer.label),
                entries=entries,
                list_url=indexer.list_url(viewer, query.text) if query and entries else None,
                titles_are_names=indexer.titles_are_names,
            )
        )
    return groups


def matching_ids(*, kind: str, q: str) -> QuerySet:
    """The ids of every record of `kind` the query finds, as a subquery for a list's filter (unranked,
    unscoped: the list applies its own scope)."""
    query = parse(q)
    qs = SearchEntry.objects.filter(kind=kind)
    if query is None:
        return qs.none().values("object_id")
    if not query.latin:
        # Every exact or prefix match also contains the query.
        return qs.filter(get_backend().contains_q(kind, query.key)).values("object_id")
    condition = Q()
    for tier in _tiers(kind, query):
        condition |= tier.condition
    return qs.filter(condition).values("object_id")


def rank(q: str, *, key: str = "name_key", pinyin: str = "name_pinyin", initials: str = "name_initials"):
    """An expression ranking a list's rows exact (0), prefix (1), other matches (2)."""
    query = parse(q)
    if query is None:
        return Value(0, output_field=IntegerField())
    if query.latin:
        c = query.compact
        exact = Q(**{pinyin: c}) | Q(**{initials: c})
        prefix = Q(**{f"{pinyin}__startswith": c}) | Q(**{f"{initials}__startswith": c})
    else:
        exact, prefix = Q(**{key: query.key}), Q(**{f"{key}__startswith": query.key})
    return Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2), output_field=IntegerField())


def highlight(text: str, query: Query | None, *, latin: bool = False, folded: str | None = None) -> SafeString:
    """`text` as registered, with the part that matched the query marked. The name is never converted:
    the match is found on its Simplified, case-folded form, which has the same length for names
    (`folded` when the caller has it already, as the index's `key` of a result)."""
    if not text or query is None:
        return escape(text or "")
    if folded is None:
        folded = search_key(text) if not latin else text.casefold()
    needle = query.key
    start = folded.find(needle) if len(folded) == len(text) and needle else -1
    if start < 0:
        return escape(text)
    end = start + len(needle)
    return mark_safe(f"{escape(text[:start])}<mark>{escape(text[start:end])}</mark>{escape(text[end:])}")
