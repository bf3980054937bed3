"""The trade matching benchmark: suggestions for one item among N published offers and needs (100,000 by
default), through the indexed match keys, against the naive scan of the same data (every published item of
a complementary kind read and scored), in the same run and process.

Run by `bench/run.py` (worker task `trade`), or alone on an empty database of its own:

    DATABASE_URL=sqlite:///var/bench/trade.sqlite3 .venv/bin/python -m bench.trade --items 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h8 .venv/bin/python -m bench.trade --items 100000

The items are written through trade's bulk service (`offers_bulk_publish`), as an import would."""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from typing import Any

# Product words in both scripts (and some in English): titles draw from them, so texts overlap across scripts.
WORDS = (
    "太阳能电池板 光伏组件 逆变器 锂电池 储能系统 变压器 电线电缆 开关柜 充电桩 电动汽车 汽车零部件 轮胎 "
    "挖掘机 起重机 数控机床 轴承 齿轮 液压件 阀门 水泵 空压机 风机 电机 LED照明 智能家居 家用电器 手机配件 "
    "芯片 传感器 服务器 软件开发 跨境电商 物流仓储 冷链运输 食品加工 速冻食品 小麦面粉 方便面 调味品 茶叶 "
    "咖啡 榴莲 橡胶 棕榈油 燕窝 中药材 医疗器械 口罩 纺织面料 服装 鞋帽 箱包 家具 陶瓷 玻璃 钢材 铝型材 "
    "铜材 水泥 建材 装修 房地产 酒店 餐饮 旅游 教育培训 职业教育 医疗服务 养老 农业种植 畜牧养殖 饲料 化肥 "
    "农药 化工原料 塑料制品 包装材料 纸制品 印刷 文创产品 体育用品 玩具 跨境支付 供应链金融 新能源 氢能 "
    "风电 水处理 环保设备 垃圾处理 无人机 机器人 人工智能"
).split()
ENGLISH = (
    "solar battery inverter cable robot drone textile furniture ceramics coffee durian rubber palm software".split()
)
COUNTRIES = "MY SG ID TH VN PH US CA AU NZ GB FR DE IT ES NL JP KR AE SA ZA NG KE BR AR MX RU KZ PK BD".split()


def _title(rng: random.Random) -> tuple[str, str]:
    from qiaojia.core.chinese import to_traditional

    words = rng.sample(WORDS, rng.choice((1, 2, 2, 3)))
    verb = rng.choice(("供应", "采购", "寻求", "合作", "出口", "进口", "投资"))
    title = verb + "".join(words)
    keywords = ", ".join(rng.sample(WORDS, 2) + ([rng.choice(ENGLISH)] if rng.random() < 0.3 else []))
    if rng.random() < 0.5:
        title, keywords = to_traditional(title), to_traditional(keywords)
    return title, keywords


def _division(rng: random.Random) -> str:
    from qiaojia.trade.industries import SECTION_OF

    codes = list(SECTION_OF)
    # Manufacturing weighs most, as among the associations' member enterprises.
    return rng.choice(codes[12:43]) if rng.random() < 0.5 else rng.choice(codes)


def generate(*, items: int, seed: int = 2026, batch: int = 5000) -> dict[str, Any]:
    """N published items (of every kind) of a few associations, unless the database holds them already."""

    from qiaojia.orgs.models import Association, AssociationKind, Department, Federation
    from qiaojia.trade import services
    from qiaojia.trade.models import Offer, OfferKind, OfferStatus

    have = Offer.objects.filter(status=OfferStatus.PUBLISHED).count()
    if have >= items:
        return {"items": have, "generated": 0}
    federation = Federation.objects.first() or Federation.objects.create(name="河南省侨联", short_name="省侨联")
    department = Department.objects.first() or Department.objects.create(
        federation=federation, name="文化经济联络部", supervises_associations=True
    )
    associations = list(Association.objects.all()[:10])
    while len(associations) < 10:
        n = len(associations)
        associations.append(
            Association.objects.create(
                federation=federation,
                supervising_department=department,
                name=f"基准商会{n}",
                kind=AssociationKind.BUSINESS,
                founded_on=datetime.date(2010, 1, 1),
            )
        )
    rng = random.Random(seed + have)
    kinds = list(OfferKind.values)
    today = datetime.date.today()
    started = time.perf_counter()
    left = items - have
    while left > 0:
        size = min(batch, left)
        rows = []
        for _ in range(size):
            title, keywords = _title(rng)
            rows.append(
                {
                    "kind": rng.choice(kinds),
                    "title": title,
                    "description": title,
                    "keywords": keywords,
                    "division": _division(rng),
                    "countries": rng.sample(COUNTRIES, rng.choice((1, 1, 2, 3))),
                    "valid_from": today,
                    "valid_until": today + datetime.timedelta(days=365),
                }
            )
        from django.db import transaction

        with transaction.atomic():
            services.offers_bulk_publish(association=rng.choice(associations), rows=rows)
        left -= size
    tidy()
    return {"items": items, "generated": items - have, "seconds": round(time.perf_counter() - started, 1)}


def tidy() -> None:
    """What autovacuum does to a table after a bulk load, done at once: statistics for the planner, and on
    PostgreSQL the visibility map, so the match keys are read by index-only scans."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE trade_matchtoken")
            cursor.execute("VACUUM ANALYZE trade_offer")
        else:
            cursor.execute("ANALYZE")


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def measure(*, samples: int = 40, reps: int = 5, scan_samples: int = 5, seed: int = 7) -> dict[str, Any]:
    from django.db import connection

    from qiaojia.trade import matching
    from qiaojia.trade.models import Offer, OfferStatus

    ids = list(Offer.objects.filter(status=OfferStatus.PUBLISHED).order_by("?").values_list("pk", flat=True)[:samples])
    offers = list(Offer.objects.filter(pk__in=ids))
    rng = random.Random(seed)
    rng.shuffle(offers)
    indexed: list[float] = []
    for offer in offers:  # warm-up
        matching.suggestions(offer)
    for _ in range(reps):
        for offer in offers:
            t = time.perf_counter()
            matching.suggestions(offer)
            indexed.append((time.perf_counter() - t) * 1000)
    scanned: list[float] = []
    agree = 0
    for offer in offers[:scan_samples]:
        t = time.perf_counter()
        naive = matching.load(offer, matching.scan_suggestion_ids(offer))
        scanned.append((time.perf_counter() - t) * 1000)
        fast = matching.suggestions(offer)
        agree += len({s.offer_id for s in fast} & {s.offer_id for s in naive})
    p95, scan_p95 = _p(indexed, 0.95), _p(scanned, 0.95)
    return {
        "database": connection.vendor,
        "items": Offer.objects.filter(status=OfferStatus.PUBLISHED).count(),
        "match_keys": matching.MatchToken.objects.count(),
        "p50_ms": round(statistics.median(indexed), 2),
        "p95_ms": round(p95, 2),
        "scan_p50_ms": round(statistics.median(scanned), 1),
        "scan_p95_ms": round(scan_p95, 1),
        "speedup_p95": round(scan_p95 / p95, 1) if p95 else 0,
        "top10_agreement": f"{agree}/{10 * len(offers[:scan_samples])}",
        "calls": len(indexed),
    }


def run(*, items: int = 100_000) -> dict[str, Any]:
    generation = generate(items=items)
    if not generation["generated"]:
        tidy()
    return {**measure(), "generation": generation}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sys.stdout.write("\n" + json.dumps(run(items=args.items), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
