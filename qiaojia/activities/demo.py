"""Activities of 河南省僑商聯合會 in the demo, drawn from what its president reported at the annual work
meeting of 5 March 2025 (the seed): the trade and cooperation platform, firms going abroad, social
responsibility, party building, and the volunteer work the chair asked for (「零距離聚僑心」). Dates,
places and counts are invented. One 2025 activity is the progress of the cycle demo's trade-platform
plan item, when the cycle demo is loaded."""

import datetime

from qiaojia.cycle.models import PlanItem
from qiaojia.orgs.models import Association, Federation

from . import services
from .models import Activity, ActivityKind

BUSINESS = "河南省僑商聯合會"
LINKED_TITLE = "東南亞經貿對接會"
# (title, kind, date, place, other participants, description, outcome)
ACTIVITIES = [
    (
        "送溫暖獻愛心·春節慰問困難歸僑僑眷",
        ActivityKind.CHARITY,
        datetime.date(2024, 1, 25),
        "鄭州市金水區",
        6,
        "會員企業代表走訪慰問困難歸僑僑眷家庭，送去慰問金和年貨。",
        "慰問困難家庭20戶。",
    ),
    (
        "僑商經貿合作交流對接會",
        ActivityKind.TRADE,
        datetime.date(2024, 4, 18),
        "鄭州",
        85,
        "搭建經貿合作交流平臺，組織海內外會員企業開展供需對接。",
        "達成合作意向12項。",
    ),
    (
        "黨支部主題黨日：堅持「黨建帶僑建」",
        ActivityKind.PARTY_BUILDING,
        datetime.date(2024, 6, 28),
        "商會會議室",
        0,
        "黨支部集中學習，黨員會員交流帶頭參與公益活動的做法。",
        "",
    ),
    (
        "企業出海專題座談會",
        ActivityKind.STUDY,
        datetime.date(2024, 9, 12),
        "鄭州",
        40,
        "邀請有海外經營經驗的會員企業分享出海經驗，解讀境外投資政策。",
        "形成會員企業出海需求清單一份。",
    ),
    (
        LINKED_TITLE,
        ActivityKind.TRADE,
        datetime.date(2025, 3, 28),
        "鄭州",
        60,
        "發揮商會專項平臺作用，與東南亞僑團、商會開展經貿對接。",
        "簽訂合作備忘錄3份。",
    ),
    (
        "「零距離聚僑心」志願服務進社區",
        ActivityKind.VOLUNTEER,
        datetime.date(2025, 4, 20),
        "鄭州市二七區",
        15,
        "會員志願者走進社區，為歸僑僑眷提供法律和健康諮詢。",
        "服務僑界群眾80餘人次。",
    ),
]


def load_activities_demo(*, federation: Federation) -> None:
    """Idempotent: does nothing when the business association is missing or its activities exist."""
    association = Association.objects.filter(federation=federation, name=BUSINESS).first()
    if association is None or Activity.objects.filter(association=association).exists():
        return

    item = PlanItem.objects.filter(report__association=association, report__year=2024, number=1).first()
    for title, kind, day, place, others, description, outcome in ACTIVITIES:
        linked = [item] if item is not None and title == LINKED_TITLE else []
        services.activity_create(
            association=association,
            data={
                "title": title,
                "kind": kind,
                "starts_on": day,
                "place": place,
                "other_participants": others,
                "description": description,
                "outcome": outcome,
            },
            plan_items=linked,
        )


# The cross-association exchange: activities several associations organised together (invented).
WOMEN_ENTREPRENEURS = "河南省僑界女企業家聯誼會"
RETURNED_TALENTS = "河南省海歸人才聯誼會"
SEA_RETURNEES = "河南省東南亞歸僑聯誼會"
CO_ORGANISED = [
    # (title, kind, date, place, city, country, description, [(co-organiser, confirmed)])
    (
        "豫商僑企出海對接會",
        ActivityKind.TRADE,
        datetime.date(2025, 9, 16),
        "鄭州國際會展中心",
        "鄭州",
        "CN",
        "三家社團聯合主辦，組織會員企業與海外僑商就產能合作、跨境電商開展對接。",
        [(WOMEN_ENTREPRENEURS, True), (RETURNED_TALENTS, False)],
    ),
    (
        "馬來西亞僑商經貿考察",
        ActivityKind.TRADE,
        datetime.date(2025, 11, 4),
        "吉隆坡",
        "吉隆坡",
        "MY",
        "赴馬來西亞走訪當地僑團和商會，推介河南招商項目。",
        [(SEA_RETURNEES, True)],
    ),
]


def load_co_organised_demo(*, federation: Federation) -> None:
    """Public activities of 河南省僑商聯合會 co-organised with other associations (one invitation still
    unanswered), for the shared calendar and the co-organisers' reports. Idempotent."""
    from .models import CoOrganiserStatus

    association = Association.objects.filter(federation=federation, name=BUSINESS).first()
    if association is None or Activity.objects.filter(association=association, co_organisers__isnull=False).exists():
        return
    others = {a.name: a for a in Association.objects.filter(federation=federation)}
    for title, kind, day, place, city, country, description, partners in CO_ORGANISED:
        activity = services.activity_create(
            association=association,
            data={
                "title": title,
                "kind": kind,
                "starts_on": day,
                "place": place,
                "city": city,
                "country": country,
                "description": description,
                "is_public": True,
            },
        )
        for name, confirmed in partners:
            if name not in others:
                continue
            row = services.co_organiser_invite(activity=activity, association=others[name])
            if confirmed:
                services.co_organiser_answer(row=row, expected_version=row.version, status=CoOrganiserStatus.CONFIRMED)
