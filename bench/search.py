"""Timing the search against a naive `LIKE '%q%'` scan of the same rows, by hand (`make bench` measures
the search page itself, see `worker.task_search`):

    .venv/bin/python manage.py shell   # then:
    from bench.search import fill_index, run
    fill_index(n=200_000)              # scratch database only: synthetic people straight into the index
    print(run(repeat=5))               # {category: {"p50_ms", "p95_ms", "scan_p50_ms", "scan_p95_ms", ...}}

`time_calls` is the reusable part: it times any callable over a list of arguments."""

import random
import statistics
import time
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

from django.db import connection, transaction

from qiaojia.accounts.models import Role
from qiaojia.core.chinese import pinyin_spaced, search_key, syllables, to_traditional
from qiaojia.search.models import SearchEntry
from qiaojia.search.selectors import parse, search_kind
from qiaojia.search.services import grams_text

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单柴"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬建国志强文辉定家豪子轩浩然梓涵欣怡"
    "宇航晨曦思远佳琪俊杰嘉怡雨涵德胜海燕春梅秋菊冬梅雪松云飞鹏程立新振华永康晓东小明丽华莉"
)

# Query categories of the issue; the words are drawn from the generated names so that every query finds rows.
CATEGORIES = ("1 char", "2 chars", "3 chars", "traditional", "full pinyin", "initials")
FED_VIEWER = SimpleNamespace(is_authenticated=True, is_active=True, role=Role.STAFF, person_id=None)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of `samples` (seconds) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def time_calls(fn: Callable[[Any], Any], args: Iterable[Any], *, repeat: int = 5, warmup: int = 1) -> dict[str, float]:
    """Call `fn(arg)` for every argument `repeat` times (after `warmup` untimed rounds); p50/p95 in ms."""
    args = list(args)
    for _ in range(warmup):
        for arg in args:
            fn(arg)
    samples = []
    for _ in range(repeat):
        for arg in args:
            started = time.perf_counter()
            fn(arg)
            samples.append(time.perf_counter() - started)
    p50, p95 = percentiles(samples)
    return {"p50_ms": round(p50, 3), "p95_ms": round(p95, 3), "calls": len(samples)}


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(SURNAMES) + given


def _rows(n: int, seed: int, start_id: int):
    rng = random.Random(seed)
    for i in range(n):
        name = _name(rng)
        if rng.random() < 0.33:
            name = to_traditional(name)
        parts = syllables(name, as_name=True)
        yield (start_id + i, name, search_key(name), "".join(parts), "".join(s[0] for s in parts if s))


@transaction.atomic
def fill_index(*, n: int, seed: int = 2025, kind: str = "person", batch: int = 20000) -> int:
    """Synthetic people written straight into the index with raw bulk statements (a scratch database,
    never a real one: the ids are not those of any record). A third of the names are registered in
    Traditional, as overseas members write them."""
    start_id = (SearchEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    rows = list(_rows(n, seed, start_id))
    entry_sql = (
        "INSERT INTO search_searchentry (id, kind, object_id, title, subtitle, key, pinyin, initials, grams) "
        "VALUES (%s, %s, %s, %s, '', %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            chunk = rows[i : i + batch]
            cursor.executemany(entry_sql, [(r[0], kind, r[0], r[1], r[2], r[3], r[4], grams_text(r[2])) for r in chunk])
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('search_searchentry', 'id'), "
                "(SELECT MAX(id) FROM search_searchentry))"
            )
    return len(rows)


def sample_queries(*, kind: str = "person", per_category: int = 20, seed: int = 7) -> dict[str, list[str]]:
    """Queries drawn from the names in the index: one-, two- and three-character pieces, Traditional
    forms, full pinyin (half of them with spaces) and initials."""
    rng = random.Random(seed)
    ids = list(SearchEntry.objects.filter(kind=kind).order_by("?").values_list("title", "pinyin", "initials")[:2000])
    three = [t for t in ids if len(t[0]) >= 3]
    out = {
        "1 char": [rng.choice(t[0]) for t in rng.sample(ids, per_category)],
        "2 chars": [t[0][:2] if rng.random() < 0.5 else t[0][-2:] for t in rng.sample(ids, per_category)],
        "3 chars": [t[0][:3] for t in rng.sample(three, per_category)],
        "traditional": [to_traditional(search_key(t[0])) for t in rng.sample(three, per_category)],
        "full pinyin": [],
        "initials": [t[2] for t in rng.sample(three, per_category)],
    }
    for i, (title, pinyin, _initials) in enumerate(rng.sample(three, per_category)):
        out["full pinyin"].append(pinyin if i % 2 else pinyin_spaced(title, as_name=True))
    return out


def naive_scan(q: str, *, kind: str = "person", limit: int = 10) -> list:
    """What a list without the index does: `LIKE '%q%'` over every row, ordered, one page."""
    key, compact = search_key(q), search_key(q).replace(" ", "")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, title FROM search_searchentry WHERE kind = %s AND (key LIKE %s OR pinyin LIKE %s "
            "OR initials LIKE %s OR COALESCE(english, '') LIKE %s) ORDER BY pinyin LIMIT %s",
            [kind, f"%{key}%", f"%{compact}%", f"%{compact}%", f"%{key}%", limit],
        )
        return cursor.fetchall()


def run(
    *,
    kind: str = "person",
    viewer=FED_VIEWER,
    repeat: int = 5,
    scan_repeat: int = 1,
    queries: dict[str, list[str]] | None = None,
) -> dict[str, dict[str, float]]:
    """p50/p95 of the indexed search and of the naive scan, per query category."""
    queries = queries or sample_queries(kind=kind)
    results = {}
    for category, words in queries.items():
        indexed = time_calls(
            lambda q: search_kind(viewer=viewer, kind=kind, query=parse(q), limit=10), words, repeat=repeat
        )
        scan = time_calls(lambda q: naive_scan(q, kind=kind), words, repeat=scan_repeat, warmup=0)
        results[category] = {
            **indexed,
            "scan_p50_ms": scan["p50_ms"],
            "scan_p95_ms": scan["p95_ms"],
            "speedup_p95": round(scan["p95_ms"] / indexed["p95_ms"], 1) if indexed["p95_ms"] else 0,
            "examples": words[:3],
        }
    return results
