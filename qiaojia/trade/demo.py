"""Trade in the demo: member enterprises of 河南省僑商聯合會 and two other associations (the demo's invented
enterprises), their trade profiles in the directory, and offers and needs written in Simplified or Traditional
that match one another (a need in Simplified finds an offer in Traditional), plus one item awaiting review and
one draft; a brokered introduction that ended in a signed project at the demo's 知名僑商中原行, an accepted
expression of interest and one awaiting an answer, and the rate table.

Every enterprise and item here is invented; none names a person, so no invented data is attached to a real
person's name. Called by the demo loader (`load_trade_demo`), kept apart so the loader's own changes merge."""

import datetime
from decimal import Decimal

from django.utils import timezone

from qiaojia.events.models import FlagshipEvent
from qiaojia.members.models import Enterprise, Membership
from qiaojia.orgs.models import Association, Federation

from . import services, services_deals
from .models import OfferKind, OverseasPresence, SizeBand
from .models_deals import IntroductionStage, ProjectKind, ProjectStage

BUSINESS = "河南省僑商聯合會"

# key, association (None: the business association, else the n-th other with member enterprises), the
# profile's division, products, countries, size, presence abroad (the enterprise is the association's next
# member enterprise; the names below only say what it stands for)
ENTERPRISES = [
    ("sun", None, "鄭州晨光新能源科技有限公司", "Zhengzhou Chenguang New Energy", "38", "光伏逆變器、儲能系統",
     ["MY", "TH"], SizeBand.MEDIUM, OverseasPresence.AGENTS),
    ("food", None, "河南中原好味食品有限公司", "Henan Zhongyuan Haowei Foods", "14", "速凍水餃、方便麵、調味品",
     ["MY", "SG", "TH"], SizeBand.LARGE, OverseasPresence.OFFICE),
    ("robot", None, "許昌智造裝備有限公司", "Xuchang Zhizao Equipment", "35", "工業機器人、視覺檢測設備",
     ["DE"], SizeBand.MEDIUM, OverseasPresence.NONE),
    ("kl", 0, "吉隆坡豫豐光伏貿易有限公司", "KL Yufeng Solar Trading", "38", "太陽能電池板、光伏組件",
     ["MY", "SG"], SizeBand.SMALL, OverseasPresence.SUBSIDIARY),
    ("fund", 0, "新加坡中原僑資投資有限公司", "Singapore Zhongyuan Investment", "67", "股權投資",
     ["SG", "CN"], SizeBand.SMALL, OverseasPresence.SUBSIDIARY),
    ("bkk", 1, "曼谷華豫商貿有限公司", "Bangkok Huayu Trading", "51", "食品進口與分銷",
     ["TH"], SizeBand.SMALL, OverseasPresence.PRODUCTION),
]  # fmt: skip

# enterprise key, kind, title, keywords, division, countries, amount band, public, state
OFFERS = [
    ("sun", OfferKind.PURCHASE, "寻求马来西亚太阳能电池板供应商", "光伏组件, 太阳能", "38", ["MY"], "1m_10m", True,
     "published"),
    ("kl", OfferKind.SUPPLY, "供應太陽能電池板及光伏組件", "太陽能, 光伏, solar", "38", ["MY", "SG"], "", True,
     "published"),
    ("food", OfferKind.GOING_ABROAD, "河南食品企業出海東南亞，尋求當地經銷合作夥伴", "速凍食品, 方便麵", "14",
     ["MY", "TH"], "", False, "published"),
    ("bkk", OfferKind.PURCHASE, "采购速冻食品和方便面", "速冻食品, 方便面", "14", ["TH"], "1m_10m", False,
     "published"),
    ("robot", OfferKind.HENAN_PROJECT, "许昌智能装备产业园二期招商项目", "工业机器人, 智能装备", "35", [],
     "over_100m", True, "published"),
    ("fund", OfferKind.INVESTMENT_OFFERED, "僑資基金尋求投資中原智能裝備項目", "智能裝備, 工業機器人", "35",
     ["CN"], "10m_100m", False, "published"),
    ("robot", OfferKind.TECHNOLOGY_OFFER, "工业机器人视觉检测技术", "视觉检测, 机器人", "35", ["DE"], "", False,
     "published"),
    ("sun", OfferKind.TECHNOLOGY_NEED, "需要儲能電池管理系統技術", "儲能, 電池管理", "38", [], "", False,
     "submitted"),
    ("food", OfferKind.SUPPLY, "供应清真认证调味品", "调味品, 清真", "14", ["MY", "ID"], "", False, "draft"),
]  # fmt: skip


def _associations(federation: Federation) -> tuple[Association, list[Association]]:
    business = Association.objects.get(federation=federation, name=BUSINESS)
    with_enterprises = Membership.objects.filter(enterprise__isnull=False, left_on__isnull=True).values(
        "association_id"
    )
    others = list(
        Association.objects.filter(federation=federation, pk__in=with_enterprises)
        .exclude(pk=business.pk)
        .order_by("id")[:2]
    )
    return business, others or [business, business]


def _members(association: Association) -> list[Enterprise]:
    return list(
        Enterprise.objects.filter(memberships__association=association, memberships__left_on__isnull=True)
        .exclude(trade_profile__isnull=False)
        .order_by("id")
        .distinct()[:10]
    )


def load_trade_demo(*, federation: Federation) -> dict[str, int]:
    business, others = _associations(federation)
    today = timezone.localdate()
    enterprises: dict[str, tuple[Enterprise, Association]] = {}
    pools: dict[int, list[Enterprise]] = {}
    for key, where, _name, _name_en, division, products, countries, size, presence in ENTERPRISES:
        association = business if where is None else others[where]
        pool = pools.setdefault(association.pk, _members(association))
        if not pool:  # a smaller demo (`demo_load --enterprises 10`) has fewer member enterprises
            continue
        enterprise = pool.pop(0)
        services.profile_save(
            enterprise=enterprise,
            data={
                "division": division,
                "products": products,
                "countries": countries,
                "size_band": size,
                "overseas_presence": presence,
                "listed": True,
            },
        )
        enterprises[key] = (enterprise, association)
    offers = 0
    posted: dict = {}
    for key, kind, title, keywords, division, countries, band, public, state in OFFERS:
        if key not in enterprises:
            continue
        enterprise, association = enterprises[key]
        offers += 1
        offer = services.offer_create(
            association=association,
            enterprise=enterprise,
            data={
                "kind": kind,
                "title": title,
                "description": f"{title}。歡迎有意向的會員企業通過協會對接。",
                "keywords": keywords,
                "division": division,
                "countries": countries,
                "amount_band": band,
                "valid_from": today - datetime.timedelta(days=10),
                "valid_until": today + datetime.timedelta(days=180),
                "public": public,
            },
        )
        if state in ("submitted", "published"):
            offer = services.offer_submit(offer=offer, expected_version=offer.version)
        if state == "published":
            offer = services.offer_publish(offer=offer, expected_version=offer.version)
        posted[key, kind] = offer
    deals = _load_deals(federation, posted, enterprises)
    from .b2b.demo import load_b2b_demo  # B2B matchmaking keeps its demo beside its code

    b2b = load_b2b_demo(business=business, others=others, first=[e for e, _a in enterprises.values()])
    return {"enterprises": len(enterprises), "offers": offers, **deals, **{f"b2b_{k}": v for k, v in b2b.items()}}


# The rate table at the demo's dates: yuan per unit.
RATES = [("USD", "7.10", datetime.date(2025, 1, 1)), ("SGD", "5.30", datetime.date(2025, 1, 1)),
         ("MYR", "1.58", datetime.date(2025, 1, 1)), ("THB", "0.21", datetime.date(2025, 1, 1))]  # fmt: skip


def _load_deals(federation: Federation, posted: dict, enterprises: dict) -> dict[str, int]:
    """What came of the items: the Singapore fund and the Xuchang park, introduced by a broker at the
    demo's 知名僑商中原行, met, negotiated and signed a project there; the Kuala Lumpur trader's interest in
    the Zhengzhou need was accepted; the Bangkok importer's interest in the food exporter awaits an answer."""
    for currency, rate, day in RATES:
        services_deals.rate_create(currency=currency, rate=Decimal(rate), effective_from=day)
    fund = posted.get(("fund", OfferKind.INVESTMENT_OFFERED))
    park = posted.get(("robot", OfferKind.HENAN_PROJECT))
    introductions = projects = 0
    if fund is not None and park is not None:
        case = services_deals.introduction_broker(
            first=fund,
            second=park,
            message="僑資基金的投資方向與產業園二期招商項目相合，建議在知名僑商中原行期間洽談。",
        )
        for side in ("a", "b"):
            case = services_deals.introduction_answer(
                introduction=case, expected_version=case.version, sides={side}, accept=True
            )
        for stage, note in ((IntroductionStage.MET, "在許昌考察產業園，雙方會面。"),
                            (IntroductionStage.NEGOTIATING, "就投資額與分期安排進行洽談。")):  # fmt: skip
            case = services_deals.introduction_move(
                introduction=case, expected_version=case.version, stage=stage, note=note
            )
        event = FlagshipEvent.objects.filter(federation=federation, name__contains="知名僑商中原行").first()
        signed_on = event.starts_on + datetime.timedelta(days=1) if event else timezone.localdate()
        _fund, fund_association = enterprises["fund"]
        park_enterprise, park_association = enterprises["robot"]
        project = services_deals.project_create(
            association=park_association,
            introduction=case,
            data={
                "title": "許昌智能裝備產業園二期投資項目",
                "parties": f"{_fund.name}\n{park_enterprise.name}",
                "kind": ProjectKind.INVESTMENT,
                "amount": Decimal("8000000"),
                "currency": "USD",
                "city": "許昌",
                "signed_on": signed_on,
                "event": event,
            },
        )
        services_deals.project_follow_up(
            project=project,
            expected_version=project.version,
            stage=ProjectStage.STARTED,
            note="首期資金到位，廠房開工。",
        )
        introductions, projects = introductions + 1, projects + 1
    need = posted.get(("sun", OfferKind.PURCHASE))
    if need is not None and "kl" in enterprises:
        kl, kl_association = enterprises["kl"]
        interest = services_deals.interest_express(
            offer=need, association=kl_association, enterprise=kl, message="我司可長期供應光伏組件，歡迎洽談。"
        )
        services_deals.introduction_answer(
            introduction=interest, expected_version=interest.version, sides={"b"}, accept=True
        )
        introductions += 1
    abroad = posted.get(("food", OfferKind.GOING_ABROAD))
    if abroad is not None and "bkk" in enterprises:
        bkk, bkk_association = enterprises["bkk"]
        services_deals.interest_express(
            offer=abroad, association=bkk_association, enterprise=bkk, message="我司在泰國有分銷網絡，可代理貴司產品。"
        )
        introductions += 1
    return {"introductions": introductions, "projects": projects}
