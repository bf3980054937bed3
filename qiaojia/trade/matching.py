"""Matching that explains itself: for an offer or a need, the published items of a complementary kind,
ranked on industry (same division, else same section), countries in common, kind complementarity and
pieces of text in common, each with the reasons it was suggested.

Text is compared through the search index's normalisation (`core.chinese.search_key`: Simplified,
case-folded), and every two-character piece of Chinese is keyed by its pinyin, so a need written in
Simplified finds an offer written in Traditional, and a Latin word written in pinyin ("guangfu") finds
the characters (光伏).

Fast by construction: each published item's keys are kept in `MatchToken` (indexed on token and kind);
the candidates are read by index lookups, at most PER_KEY per key and complementary kind, newest first
(the section only when the division finds too few: it holds half the items); the common keys of the
best candidates are then completed by offer (SQLite told to use the by-offer index), and only the
candidates are scored and only the final few loaded and explained. `scan_suggestions` scores every
published item instead: the reference the benchmark compares with, and the check that the two agree."""

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django_countries import countries as country_list

from qiaojia.core.chinese import pinyin_key, search_key, to_script

from . import industries
from .models import MatchToken, Offer, OfferKind, OfferStatus

# Kinds that answer each other, with how strongly: an offer for a need is the heart of it; a partner for
# going abroad is suggested beside the rest.
_PAIRS = (
    (OfferKind.SUPPLY, OfferKind.PURCHASE, 30),
    (OfferKind.INVESTMENT_OFFERED, OfferKind.INVESTMENT_SOUGHT, 30),
    (OfferKind.INVESTMENT_OFFERED, OfferKind.HENAN_PROJECT, 30),
    (OfferKind.TECHNOLOGY_OFFER, OfferKind.TECHNOLOGY_NEED, 30),
    (OfferKind.GOING_ABROAD, OfferKind.GOING_ABROAD, 20),
    (OfferKind.GOING_ABROAD, OfferKind.SUPPLY, 10),
    (OfferKind.GOING_ABROAD, OfferKind.PURCHASE, 10),
    (OfferKind.GOING_ABROAD, OfferKind.INVESTMENT_OFFERED, 10),
    (OfferKind.GOING_ABROAD, OfferKind.TECHNOLOGY_OFFER, 10),
)
COMPLEMENTS: dict[str, dict[str, int]] = defaultdict(dict)
for _a, _b, _w in _PAIRS:
    COMPLEMENTS[str(_a)][str(_b)] = _w
    COMPLEMENTS[str(_b)][str(_a)] = _w

DIVISION, SECTION, COUNTRY, TEXT = 40, 15, 12, 10
MAX_COUNTRIES, MAX_TEXT = 3, 5
MAX_TEXT_TOKENS = 30
# Of an item's text keys, the first this many are looked up (all are kept, and all count in the score).
LOOKUP_TEXT_TOKENS = 12
# Candidates read per key and complementary kind (newest first); keys with more are completed for the
# candidates found, so their scores are whole.
PER_KEY = {"d": 100, "t": 60, "c": 25, "s": 25}
# Candidates whose keys beyond the read ones are completed before the final ranking.
COMPLETE = 200

# Pieces every offer or need is full of, that say nothing about what it is about.
_STOP = (
    "公司 有限 企业 集团 寻求 寻找 需要 需求 提供 供应 采购 合作 项目 投资 技术 产品 服务 我们 欢迎 希望 "
    "进行 相关 以及 及其 用于 国内 国外 海外 中国 河南 地区 市场 业务 主要 生产 销售 经营 优质"
)
STOP_TOKENS = {pinyin_key(word) for word in _STOP.split()}
STOP_WORDS = {
    "the", "and", "for", "with", "from", "our", "company", "limited", "ltd", "co", "inc", "seek", "seeking",
    "need", "needs", "offer", "offers", "supply", "purchase", "partner", "partners", "project", "projects",
    "investment", "technology", "products", "services", "china", "henan", "market",
}  # fmt: skip
_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def _is_cjk(text: str) -> bool:
    return "\u3400" <= text[0] <= "\ufaff"


def text_pieces(text: str) -> list[tuple[str, int, int]]:
    """(key, start, end) of each piece of `text` (Simplified, case-folded) that matching compares: the
    pinyin of every two-character piece of a run of Chinese, and every Latin word of three letters or more."""
    simplified = search_key(text)
    out: list[tuple[str, int, int]] = []
    for match in _RUN.finditer(simplified):
        run, start = match.group(), match.start()
        if _is_cjk(run):
            for i in range(len(run) - 1):
                key = pinyin_key(run[i : i + 2])
                if key and key not in STOP_TOKENS and key.isascii():
                    out.append((key, start + i, start + i + 2))
        elif len(run) >= 3 and not run.isdigit() and run not in STOP_WORDS:
            word = run[:-1] if len(run) > 4 and run.endswith("s") and not run.endswith("ss") else run
            out.append((word[:60], start, match.end()))
    return out


def item_text(title: str, keywords: str) -> str:
    return f"{title} {keywords or ''}"


def tokens_of(*, division: str, countries: Iterable[str], title: str, keywords: str) -> list[str]:
    """Every match key of an item, in the order candidates are looked up (most telling first)."""
    out: list[str] = []
    if division:
        out.append(f"d:{division}")
    seen: set[str] = set()
    for key, _s, _e in text_pieces(item_text(title, keywords)):
        if key not in seen and len(seen) < MAX_TEXT_TOKENS:
            seen.add(key)
            out.append(f"t:{key}")
    out.extend(f"c:{code}" for code in sorted({str(c) for c in countries}))
    section = industries.SECTION_OF.get(division)
    if section:
        out.append(f"s:{section}")
    return out


def offer_tokens(offer: Offer) -> list[str]:
    return tokens_of(division=offer.division, countries=offer.countries, title=offer.title, keywords=offer.keywords)


def token_rows(offer: Offer) -> list[MatchToken]:
    return [MatchToken(offer_id=offer.pk, kind=offer.kind, token=t) for t in offer_tokens(offer)]


# Scoring ------------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    offer_id: int
    score: int
    division: str = ""
    section: str = ""
    countries: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    offer: Offer | None = None
    reasons: list[str] = field(default_factory=list)


def score(kind_weight: int, shared: Iterable[str]) -> Suggestion:
    """A candidate's score from the keys it shares with the item: the same division counts, else the same
    section; up to MAX_COUNTRIES countries and MAX_TEXT pieces of text."""
    s = Suggestion(offer_id=0, score=kind_weight)
    for token in shared:
        prefix, value = token[0], token[2:]
        if prefix == "d":
            s.division = value
        elif prefix == "s":
            s.section = value
        elif prefix == "c":
            s.countries.append(value)
        else:
            s.texts.append(value)
    s.countries.sort()
    s.score += DIVISION if s.division else SECTION if s.section else 0
    s.score += COUNTRY * min(len(s.countries), MAX_COUNTRIES) + TEXT * min(len(s.texts), MAX_TEXT)
    return s


def _points(kind_weight: int, shared: set[str]) -> int:
    """`score(...).score` without building the suggestion: run for every candidate."""
    division = section = countries = texts = 0
    for token in shared:
        prefix = token[0]
        if prefix == "t":
            texts += 1
        elif prefix == "c":
            countries += 1
        elif prefix == "d":
            division = 1
        else:
            section = 1
    return (
        kind_weight
        + (DIVISION if division else SECTION if section else 0)
        + COUNTRY * min(countries, MAX_COUNTRIES)
        + TEXT * min(texts, MAX_TEXT)
    )


def _rank(
    found: dict[int, tuple[str, set[str]]], complements: dict[str, int], exclude: set[int], top: int
) -> list[Suggestion]:
    points = [
        (_points(complements[kind], shared), offer_id)
        for offer_id, (kind, shared) in found.items()
        if offer_id not in exclude and kind in complements
    ]
    ranked = []
    for _score, offer_id in heapq.nlargest(top, points):
        suggestion = score(complements[found[offer_id][0]], found[offer_id][1])
        suggestion.offer_id = offer_id
        ranked.append(suggestion)
    return ranked


def _table() -> str:
    return connection.ops.quote_name(MatchToken._meta.db_table)


def _arms(tokens: list[str], complements: dict[str, int]) -> tuple[list[str], list, list]:
    arms, params, limits = [], [], []
    table = _table()
    for token in tokens:
        for kind in sorted(complements):
            # A weaker complement (partners for going abroad beside the offers for a need) reads half as many.
            limit = PER_KEY[token[0]] if complements[kind] >= 30 else PER_KEY[token[0]] // 2
            arms.append(
                f"SELECT * FROM (SELECT offer_id, kind, token FROM {table} WHERE token = %s AND kind = %s "
                f"ORDER BY offer_id DESC LIMIT {limit}) AS a{len(arms)}"
            )
            params += [token, kind]
            limits.append((token, kind, limit))
    return arms, params, limits


def _read(arms, params, limits, found, counts) -> None:
    if not arms:
        return
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(arms), params)
        for offer_id, kind, token in cursor.fetchall():
            found.setdefault(offer_id, (kind, set()))[1].add(token)
            counts[token, kind] += 1


def _by_offer() -> str:
    """The completion reads the candidates' keys by offer: SQLite's planner would otherwise walk the (token,
    kind, offer) index through every row of the common keys (a section holds half the items)."""
    index = "INDEXED BY trade_match_offer" if connection.vendor == "sqlite" else ""
    return f"{_table()} {index}"


def _candidates(tokens: list[str], complements: dict[str, int], *, wanted: int = 20) -> dict[int, tuple[str, set[str]]]:
    """(kind, shared keys) of each candidate, read by index lookups: one statement of one arm per key and
    complementary kind, each reading at most PER_KEY rows newest first; then, for the keys that had more,
    which of the best candidates hold them.

    The section is looked up only when the division is not, or found too few candidates: an item of the
    same division shares the section too, and one sharing the section alone ranks below it; the keys of the
    best candidates are completed (section included) before the ranking."""
    section = [t for t in tokens if t[0] == "s"]
    first = [t for t in tokens if t[0] != "s"] if any(t[0] == "d" for t in tokens) else tokens
    found: dict[int, tuple[str, set[str]]] = {}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    arms, params, limits = _arms(first, complements)
    _read(arms, params, limits, found, counts)
    if len(first) < len(tokens) and len(found) < wanted:
        more = _arms(section, complements)
        _read(*more, found, counts)
        limits += more[2]
    if not found:
        return found
    full = {(t, k) for t, k, limit in limits if counts.get((t, k), 0) >= limit}
    truncated = sorted({t for t, _k in full} | (set(section) - {t for t, _k, _l in limits}))
    if truncated:
        # Only the best candidates so far are completed: the keys read in part are the common ones, which
        # weigh least, so a candidate further down could not overtake them by these alone.
        partial = [(_points(complements.get(kind, 0), shared), pk) for pk, (kind, shared) in found.items()]
        ids = [pk for _p, pk in heapq.nlargest(COMPLETE, partial)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT offer_id, token FROM {_by_offer()} WHERE offer_id IN ({', '.join(['%s'] * len(ids))}) "
                f"AND token IN ({', '.join(['%s'] * len(truncated))})",
                [*ids, *truncated],
            )
            for offer_id, token in cursor.fetchall():
                found[offer_id][1].add(token)
    return found


def _exclude(offer: Offer) -> set[int]:
    return {offer.pk} if offer.pk else set()


def suggestion_ids(offer: Offer, *, limit: int = 10) -> list[Suggestion]:
    """The best `limit` complementary published items for `offer` (scored, not yet loaded)."""
    complements = COMPLEMENTS.get(offer.kind, {})
    tokens = offer_tokens(offer)
    texts = [t for t in tokens if t[0] == "t"][LOOKUP_TEXT_TOKENS:]
    found = _candidates([t for t in tokens if t not in texts], complements, wanted=limit * 2)
    return _rank(found, complements, _exclude(offer), limit * 2)


def scan_suggestion_ids(offer: Offer, *, limit: int = 10) -> list[Suggestion]:
    """The same ranking by reading every published item of a complementary kind and computing its keys
    from its fields: no index is used. The benchmark's naive reference."""
    complements = COMPLEMENTS.get(offer.kind, {})
    mine = set(offer_tokens(offer))
    found: dict[int, tuple[str, set[str]]] = {}
    rows = Offer.objects.filter(status=OfferStatus.PUBLISHED, kind__in=list(complements)).values_list(
        "pk", "kind", "division", "countries", "title", "keywords"
    )
    for pk, kind, division, countries, title, keywords in rows.iterator(chunk_size=5000):
        codes = [c for c in countries.split(",") if c] if isinstance(countries, str) else [str(c) for c in countries]
        shared = mine.intersection(tokens_of(division=division, countries=codes, title=title, keywords=keywords))
        if shared:
            found[pk] = (kind, shared)
    return _rank(found, complements, _exclude(offer), limit * 2)


def load(offer: Offer, ranked: list[Suggestion], *, limit: int = 10) -> list[Suggestion]:
    """Load the suggested items (one query), keep those still published and valid, not the item's own
    enterprise's, and say why each was suggested in the reader's language."""
    ids = [s.offer_id for s in ranked]
    today = timezone.localdate()
    qs = (
        Offer.objects.filter(pk__in=ids, status=OfferStatus.PUBLISHED, valid_until__gte=today)
        .select_related("association")
        .only("pk", "kind", "title", "enterprise_id", "association__name", "association__name_en")
        .order_by()
    )
    if offer.enterprise_id:
        qs = qs.exclude(enterprise_id=offer.enterprise_id)
    loaded = {o.pk: o for o in qs}
    out = []
    pieces = own_pieces(offer)
    for s in ranked:
        if s.offer_id in loaded:
            s.offer = loaded[s.offer_id]
            s.reasons = explain(offer, s, pieces=pieces)
            out.append(s)
            if len(out) == limit:
                break
    return out


def suggestions(offer: Offer, *, limit: int = 10) -> list[Suggestion]:
    return load(offer, suggestion_ids(offer, limit=limit), limit=limit)


# Reasons -------------------------------------------------------------------------------------------


def _join(items: list[str]) -> str:
    language = (get_language() or "").lower()
    return ("、" if language.startswith("zh") else ", ").join(items)


def own_pieces(offer: Offer) -> tuple[str, list[tuple[str, int, int]]]:
    text = item_text(offer.title, offer.keywords)
    return search_key(text), text_pieces(text)


def shared_text(offer: Offer, keys: Iterable[str], pieces=None) -> list[str]:
    """The pieces of the item's own text behind the shared keys, adjacent pieces joined ("太陽" and
    "陽能" -> "太陽能"), in the reader's script."""
    wanted = set(keys)
    text, found = pieces or own_pieces(offer)
    spans = sorted((s, e) for key, s, e in found if key in wanted)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    for start, end in merged:
        piece = text[start:end]
        if piece not in out:
            out.append(piece)
    return [to_script(p, get_language() or "zh-hans") for p in out]


def explain(offer: Offer, s: Suggestion, *, pieces=None) -> list[str]:
    """Why `s` was suggested for `offer`, one short phrase per reason."""
    reasons = []
    if s.offer is not None and s.offer.kind == OfferKind.GOING_ABROAD and offer.kind != OfferKind.GOING_ABROAD:
        reasons.append(gettext("partner for going abroad"))
    if s.division:
        reasons.append(gettext("same division %(code)s") % {"code": industries.code_of(s.division)})
    elif s.section:
        reasons.append(gettext("same section %(code)s") % {"code": s.section})
    if s.countries:
        names = [str(country_list.name(code)) or code for code in s.countries]
        reasons.append(gettext("both %(countries)s") % {"countries": _join(names)})
    if s.texts:
        shown = shared_text(offer, s.texts, pieces)
        if shown:
            quoted = _join([_quoted(p) for p in shown[:MAX_TEXT]])
            reasons.append(gettext("%(words)s in both") % {"words": quoted})
    return reasons


def _quoted(text: str) -> str:
    language = (get_language() or "").lower()
    if language.startswith("zh-hant"):
        return f"「{text}」"
    if language.startswith("zh"):
        return f"“{text}”"
    return f"‘{text}’"
