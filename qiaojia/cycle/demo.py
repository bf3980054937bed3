"""The annual cycle of the demo world: 《省僑聯2025年工作要點》 and the reports on 2024 that the
associations presented in turn at the annual work meeting of 5 March 2025 (the seed).

河南省僑商聯合會's report follows what 鄭定輝 reported at the meeting: 2024's trade and cooperation
platform, firms going abroad, local development and social responsibility; a 2025 plan — the first
year after its term change — of professional, digital, ecological and sustainable development, trade
platform, firms going abroad, digital management, member services, publicity and party building. The
other reports are invented and plausible, in every state of the review (accepted, submitted, returned,
draft) while the remaining associations have handed in nothing. Figures are invented; no person's
data is attached to a real name.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qiaojia.orgs.models import Association, AssociationStatus, Federation

from . import rules, services
from .models import (
    AnnualReport,
    AttachmentKind,
    PlanItemStatus,
    ProgressUpdate,
    ReportEvent,
    ReportStatus,
    WorkPriorities,
)

PRIORITIES_YEAR = 2025
REPORT_YEAR = 2024
PRIORITIES_TITLE = "省僑聯2025年工作要點"
PRIORITIES_INTRODUCTION = (
    "2025年是“十四五”規劃收官之年。省僑聯所屬社團要秉持宗旨、堅守初心，緊緊圍繞省委、省政府中心工作，"
    "在服務大局、服務組織、服務會員中展現新的擔當和作為。"
)
PRIORITIES_ITEMS = """1. 堅定政治方向，強化黨建引領，堅持“黨建帶僑建”，加強社團黨支部建設
2. 搭建經貿合作交流平臺，組織會員參與省、市重大經貿文化活動，服務我省對外開放
3. 支持會員企業出海，拓展海外市場，與海外僑團、商會開展合作
4. 引進數智化管理手段，推進社團管理數字化、規範化
5. 優化會員服務，真誠關愛會員，把社團建設成為有溫度的“僑之家”
6. 加強宣傳工作，擦亮工作品牌，講好僑界故事
7. 積極履行社會責任，參與“零距離聚僑心”“送溫暖獻愛心”“豫僑同行”志願服務
8. 建立僑界跨協會常態化交流平臺，搭建協商議事平臺，暢通僑情民意通道
9. 規範內部管理，主動報告重大事項，配合各類檢查，打造優秀社團"""

BUSINESS = "河南省僑商聯合會"
BUSINESS_REPORT = {
    "work_summary": (
        "2024年，商會注重搭建經貿合作交流平臺，加強海內外合作，同時關注企業出海，積極參與地方經濟建設，"
        "積極履行社會責任，取得了一定的成績。全年組織會員企業參加黃帝故里拜祖大典、知名僑商中原行、"
        "世界客屬第33屆懇親大會等活動，舉辦經貿對接會和企業出海專題座談，於年底順利完成換屆。"
    ),
    "leader_changes": "2024年12月召開會員大會完成換屆，選舉產生新一屆會長、副會長、秘書長和理事會。",
    "activity_count": 18,
    "activities": "經貿對接會4場；企業出海專題座談2場；會員企業走訪12次；年會1次。",
    # Donations: none typed here; the report takes those recorded in the volunteering demo.
    "award_count": 1,
    "awards": "省僑聯所屬社團工作先進集體",
    "social_responsibility": "參與“送溫暖獻愛心”活動，慰問困難歸僑僑眷；組織會員企業參與鄉村振興幫扶項目。",
    "income": Decimal("1268000.00"),
    "expenditure": Decimal("1105000.00"),
    "net_assets": Decimal("893000.00"),
    "financial_notes": "收入主要為會費和活動贊助；支出主要為活動經費和秘書處運行費用。",
    "party_organisation": "河南省僑商聯合會黨支部",
    "party_activities": "黨支部全年開展集中學習6次、主題黨日4次，堅持“黨建帶僑建”，黨員會員帶頭參與公益活動。",
    "plan_summary": (
        "2025年是商會換屆後的開局之年和關鍵之年。商會將不斷夯實基礎、拓寬渠道，做好平臺與服務，整體以專業化、"
        "數智化、生態化、可持續化為發展方向，加強規範管理，做好省僑聯的臂膀延伸，將商會打造成為產業生態的構建者、"
        "企業成長的加速器、社會價值的共創者，實現從“生存”到“生長”的跨越。"
    ),
}
# (title, owner, target, due month, priority numbers, progress as (status, percent, note) or None)
BUSINESS_PLAN = [
    (
        "搭建經貿合作交流平臺，發揮商會專項平臺作用",
        "秘書處",
        "舉辦海內外經貿對接會4場",
        12,
        (2,),
        (PlanItemStatus.IN_PROGRESS, 50, "已在鄭州舉辦東南亞經貿對接會2場"),
    ),
    (
        "服務會員企業出海",
        "企業出海服務部",
        "組織會員企業赴東南亞考察1次，促成合作項目3個",
        10,
        (3,),
        (PlanItemStatus.IN_PROGRESS, 30, "與吉隆坡中原商會確定考察日程"),
    ),
    (
        "引進數智化管理手段",
        "秘書處",
        "會員、活動、年報全部在線管理",
        6,
        (4, 9),
        (PlanItemStatus.DONE, 100, "會員名冊和年度報告已在“僑之家”平臺在線管理"),
    ),
    ("做好會員服務，帶動會員企業創新發展", "會員服務部", "走訪會員企業30家，舉辦培訓2期", 12, (5,), None),
    ("做好宣傳工作", "宣傳部", "全年發布商會新聞50篇", 12, (6,), (PlanItemStatus.IN_PROGRESS, 40, "已發布新聞20篇")),
    ("強化黨建引領，加強黨支部建設", "黨支部", "集中學習6次、主題黨日4次", 12, (1,), None),
    (
        "加強規範管理，做好省僑聯的臂膀延伸",
        "秘書長",
        "修訂財務、會員管理制度並主動報告重大事項",
        9,
        (9,),
        (PlanItemStatus.DELAYED, 20, "制度修訂稿待理事會審議"),
    ),
]

# Other associations' reports on 2024: (name, state, summary, return reason).
OTHER_REPORTS = [
    (
        "河南省僑商投資企業協會",
        ReportStatus.ACCEPTED,
        "2024年協會服務僑資企業在豫投資，舉辦政策宣講會3場，協助會員企業解決用地、融資等問題12件。",
        "",
    ),
    (
        "河南省海外聯誼會",
        ReportStatus.ACCEPTED,
        "2024年聯誼會接待海外僑團來訪9批次，組織海外僑胞參加黃帝故里拜祖大典，開展尋根文化交流活動。",
        "",
    ),
    (
        "鄭州市僑商會",
        ReportStatus.SUBMITTED,
        "2024年商會組織會員參加知名僑商中原行活動，舉辦會員企業沙龍6期，參與“豫僑同行”志願服務。",
        "",
    ),
    (
        "河南省歸國華僑聯誼會",
        ReportStatus.RETURNED,
        "2024年聯誼會開展“零距離聚僑心”走訪慰問活動，看望老歸僑120人次。",
        "財務報告未附年度財務報表；黨建工作報告缺少黨員人數和活動情況，請補充後重新提交。",
    ),
    (
        "洛陽市僑商聯合會",
        ReportStatus.DRAFT,
        "2024年聯合會舉辦洛陽僑商懇談會，組織會員企業參加河洛文化節經貿活動。",
        "",
    ),
]


PARTY_WORK = "黨支部堅持“三會一課”，全年開展主題黨日活動。"


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def _statements_file() -> SimpleUploadedFile:
    """The year's financial statements as the association scanned them (one blank page stands in)."""
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return SimpleUploadedFile(f"{REPORT_YEAR}年度財務報表.pdf", buffer.getvalue(), content_type="application/pdf")


def _attach_statements(report: AnnualReport) -> AnnualReport:
    return services.report_attach(
        report=report,
        expected_version=report.version,
        kind=AttachmentKind.FINANCIAL_REPORT,
        uploaded=_statements_file(),
    )


def _backdate(report: AnnualReport, *, created_at: datetime.datetime | None = None, **dates) -> None:
    """Demo only: put the review on the calendar it happened on (early 2025 for the seed's reports, the
    days before the load date for the current cycle's), not on the moment the demo is loaded."""
    AnnualReport.objects.filter(pk=report.pk).update(**dates)
    for event in ReportEvent.objects.filter(report=report):
        stamp = dates.get(f"{event.kind}_at")
        if stamp is None and event.kind == "created":
            stamp = created_at or dates.get("submitted_at", _at(REPORT_YEAR + 1, 2, 20)) - datetime.timedelta(days=10)
        if stamp is not None:
            ReportEvent.objects.filter(pk=event.pk).update(at=stamp)


def _report(association: Association, data: dict, items: list, priorities, *, year: int = REPORT_YEAR) -> AnnualReport:
    report = services.report_start(association=association, year=year)
    report = services.report_update(report=report, expected_version=report.version, data=data)
    by_number = {p.number: p for p in priorities.items.all()}
    for title, owner, target, month, numbers, _progress in items:
        services.plan_item_create(
            report=report,
            priorities=[by_number[n] for n in numbers],
            data={
                "title": title,
                "owner": owner,
                "target": target,
                "due_on": datetime.date(year + 1, month, 28 if month == 2 else 30),
            },
        )
    report.refresh_from_db()
    return report


def _generic_items(name: str) -> list:
    return [
        ("參與省僑聯品牌活動", "秘書處", "組織會員參加黃帝故里拜祖大典、知名僑商中原行", 6, (2,), None),
        ("開展“豫僑同行”志願服務", "志願服務隊", "全年志願服務不少於500小時", 12, (7,), None),
        ("加強黨建和規範管理", "黨支部", "集中學習4次，完善內部制度", 12, (1, 9), None),
    ]


def load_cycle_demo(*, federation: Federation | None = None, today: datetime.date | None = None) -> dict[str, int]:
    """Create the 2025 work priorities and the reports on 2024 (the seed), then the cycle of the year of
    `today` (`load_current_cycle`). Runs inside the demo loader's transaction, acting as the demo loader
    (audited)."""
    counts = _load_seed_cycle(federation=federation)
    current = load_current_cycle(federation=federation, today=today or timezone.localdate())
    return {key: counts[key] + current.get(key, 0) for key in counts}


def _load_seed_cycle(*, federation: Federation | None) -> dict[str, int]:
    federation = federation or Federation.objects.order_by("id").first()
    priorities = services.priorities_create(
        federation=federation,
        data={"year": PRIORITIES_YEAR, "title": PRIORITIES_TITLE, "introduction": PRIORITIES_INTRODUCTION},
        items_text=PRIORITIES_ITEMS,
    )
    priorities = services.priorities_publish(priorities=priorities, expected_version=priorities.version)

    WorkPriorities.objects.filter(pk=priorities.pk).update(published_at=_at(PRIORITIES_YEAR, 1, 20))
    associations = {
        a.name: a for a in Association.objects.filter(name__in=[BUSINESS] + [row[0] for row in OTHER_REPORTS])
    }
    counts = {"reports": 0, "plan_items": 0, "progress_updates": 0}

    business = associations.get(BUSINESS)
    if business is not None:
        report = _attach_statements(_report(business, BUSINESS_REPORT, BUSINESS_PLAN, priorities))
        report = services.report_submit(report=report, expected_version=report.version)
        report = services.report_accept(report=report, expected_version=report.version)
        _backdate(report, submitted_at=_at(2025, 2, 26), accepted_at=_at(2025, 3, 3))
        for item, row in zip(report.plan_items.order_by("number"), BUSINESS_PLAN, strict=True):
            if row[5] is not None:
                status, percent, note = row[5]
                services.progress_record(item=item, note=note, status=status, percent=percent)
                counts["progress_updates"] += 1
        counts["reports"] += 1
        counts["plan_items"] += len(BUSINESS_PLAN)

    for name, state, summary, reason in OTHER_REPORTS:
        association = associations.get(name)
        if association is None:
            continue
        items = _generic_items(name)
        report = _report(
            association,
            {
                "work_summary": summary,
                "activity_count": 8,
                "party_organisation": f"{name}黨支部",
                "party_activities": "" if state == ReportStatus.RETURNED else PARTY_WORK,
                "plan_summary": "2025年將圍繞省僑聯工作要點，服務大局、服務會員，加強自身建設。",
                "income": Decimal("320000.00"),
                "expenditure": Decimal("298000.00"),
                "net_assets": Decimal("150000.00"),
            },
            items,
            priorities,
        )
        counts["reports"] += 1
        counts["plan_items"] += len(items)
        if state == ReportStatus.DRAFT:
            continue
        report = _attach_statements(report)
        if state == ReportStatus.RETURNED:
            # Submitted with its party-building organisation only, then returned for what was missing. The
            # seed's report went in without its financial statements, before the platform checked for them:
            # the demo takes them off again, as the reviewer found it.
            report = services.report_submit(report=report, expected_version=report.version)
            report = services.report_return(report=report, expected_version=report.version, reason=reason)
            AnnualReport.objects.filter(pk=report.pk).update(financial_file=None)
            _backdate(report, submitted_at=_at(2025, 3, 20), returned_at=_at(2025, 3, 24))
            continue
        report = services.report_submit(report=report, expected_version=report.version)
        if state == ReportStatus.ACCEPTED:
            report = services.report_accept(report=report, expected_version=report.version)
            _backdate(report, submitted_at=_at(2025, 2, 25), accepted_at=_at(2025, 3, 2))
        else:
            _backdate(report, submitted_at=_at(2025, 3, 28))
    return counts


# --- the current cycle ------------------------------------------------------------------------------
# The seed's world ends with the reports on 2024 and the plans for 2025. Loaded on a later date, the demo
# adds the cycle of that date's year Y, relative to the date: 《省僑聯Y年工作要點》 published in January, the
# reports on Y-1 in the states that date would find them in (a few accepted, some awaiting review, one
# returned with its resubmission date ahead, drafts, and the associations that have handed in nothing,
# late once the deadline is past) and the plans for Y followed through the year. Everything is invented.

CURRENT_PRIORITIES_ITEMS = """1. 堅持黨建引領，深化“黨建帶僑建”，推進社團黨組織規範化建設
2. 服務全省高質量發展，組織會員參與重大經貿文化活動和招商引資
3. 支持會員企業“走出去”，拓展與海外僑團、商會的務實合作
4. 推進社團管理數字化，會員、活動、年度報告全部在線辦理
5. 做好會員服務和僑界權益維護，把社團建設成為溫暖的“僑之家”
6. 講好僑界故事，加強社團宣傳和品牌活動建設
7. 參與“零距離聚僑心”“豫僑同行”志願服務，積極履行社會責任
8. 規範內部治理，按時報送年度工作報告，主動報告重大事項"""

# (title, owner, target, due month, priority numbers) of the plan for Y; the business association's first.
CURRENT_BUSINESS_PLAN = [
    ("舉辦海內外經貿對接會", "秘書處", "全年舉辦經貿對接會4場，促成合作項目5個", 11, (2,)),
    ("服務會員企業出海", "企業出海服務部", "組織會員企業赴海外考察2次", 10, (3,)),
    ("完善數智化會員管理", "秘書處", "會員資料、活動和年度報告全部在線管理", 6, (4, 8)),
    ("會員企業走訪和培訓", "會員服務部", "走訪會員企業30家，舉辦培訓2期", 12, (5,)),
    ("加強宣傳工作", "宣傳部", "全年發布商會新聞50篇", 12, (6,)),
    ("強化黨建引領", "黨支部", "集中學習6次、主題黨日4次", 12, (1,)),
]
CURRENT_GENERIC_PLAN = [
    ("參與省僑聯品牌活動", "秘書處", "組織會員參加拜祖大典、僑商中原行等活動", 6, (2,)),
    ("開展“豫僑同行”志願服務", "志願服務隊", "全年志願服務不少於500小時", 12, (7,)),
    ("加強黨建和規範管理", "黨支部", "集中學習4次，完善內部制度", 12, (1, 8)),
]
CURRENT_SUMMARIES = [
    "{year}年，{name}圍繞省僑聯工作要點，組織會員參加品牌活動，舉辦聯誼交流活動{n}場，走訪慰問歸僑僑眷。",
    "{year}年，{name}服務會員企業發展，舉辦政策宣講和經貿對接活動{n}場，參與“豫僑同行”志願服務。",
    "{year}年，{name}加強自身建設，完善會員管理和財務制度，開展尋根文化交流和公益活動{n}場。",
]
CURRENT_RETURNED = "河南省歸國華僑聯誼會"
CURRENT_RETURN_REASON = "財務報告未附年度財務報表；黨建工作報告缺少黨員人數，請補充後重新提交。"
PROGRESS_NOTES = {
    PlanItemStatus.IN_PROGRESS: "按計劃推進，已完成階段目標",
    PlanItemStatus.DONE: "已全部完成",
    PlanItemStatus.DELAYED: "因場地和日程調整，進度晚於計劃",
}


def _statement_pdf(year: int) -> bytes:
    """A one-page financial statement, laid out once per load and attached to the reports handed in (the
    returned one lacks it: that is why it was returned)."""
    from weasyprint import HTML

    html = (
        '<html lang="zh-Hant"><body style="font-family: \'WenQuanYi Micro Hei\', sans-serif">'
        f"<h1>{year}年度財務報表</h1><p>演示文件：收入、支出和年末淨資產見年度工作報告第二部分。</p>"
        "<p>（本文件由演示數據生成，不含真實財務資料。）</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _attach_statement(report: AnnualReport, statement: bytes) -> AnnualReport:
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploaded = SimpleUploadedFile(f"財務報表{report.year}.pdf", statement, content_type="application/pdf")
    return services.report_attach(
        report=report, expected_version=report.version, kind=AttachmentKind.FINANCIAL_REPORT, uploaded=uploaded
    )


def _season_mix(today: datetime.date, deadline: datetime.date, others: int) -> tuple[int, int, int]:
    """How many of the `others` reports are accepted, awaiting review and in draft on `today`: a few early in
    the year, most after the deadline, and never all of them (someone is always late or still writing)."""
    opening = datetime.date(deadline.year, 1, 1)
    if today <= deadline:
        share = (today - opening).days / max((deadline - opening).days, 1)
        accepted, submitted, drafts = 0.05 + 0.35 * share, 0.08 + 0.12 * share, 0.2
    else:
        share = min((today - deadline).days / 120, 1.0)
        accepted, submitted, drafts = 0.6 + 0.28 * share, 0.2 - 0.14 * share, 0.06
    counts = [max(1, round(others * f)) for f in (accepted, submitted, drafts)]
    while sum(counts) >= others and max(counts) > 1:  # leave at least one association with nothing handed in
        counts[counts.index(max(counts))] -= 1
    return counts[0], counts[1], counts[2]


def _day_before(today: datetime.date, days: int) -> datetime.datetime:
    return _at(*(today - datetime.timedelta(days=max(days, 1))).timetuple()[:3])


def _record_progress(report: AnnualReport, today: datetime.date, offset: int) -> int:
    """Progress on an accepted plan, as far as the year has gone by `today`; one item behind, one done."""
    elapsed = (today - datetime.date(today.year, 1, 1)).days / 365
    if elapsed < 0.05:
        return 0
    recorded = 0
    for n, item in enumerate(report.plan_items.order_by("number")):
        percent = min(100, round(elapsed * 100 * (0.7 + 0.25 * ((n + offset) % 3))))
        if (n + offset) % 4 == 3:
            continue  # not started yet
        status = PlanItemStatus.IN_PROGRESS
        if percent >= 100 or (n + offset) % 5 == 0 and elapsed > 0.5:
            status, percent = PlanItemStatus.DONE, 100
        elif (n + offset) % 5 == 2:
            status, percent = PlanItemStatus.DELAYED, max(percent // 3, 5)
        update = services.progress_record(item=item, note=PROGRESS_NOTES[status], status=status, percent=percent)
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=_day_before(today, 2 + n * 3))
        recorded += 1
    return recorded


def load_current_cycle(*, federation: Federation | None = None, today: datetime.date) -> dict[str, int]:
    """The cycle of `today`'s year Y (see above). Nothing before 2026: up to 2025 the seed's cycle is the current
    one. The seed's own records are left as they are."""
    year = today.year
    if year <= PRIORITIES_YEAR:
        return {}
    federation = federation or Federation.objects.order_by("id").first()
    priorities = services.priorities_create(
        federation=federation,
        data={
            "year": year,
            "title": f"省僑聯{year}年工作要點",
            "introduction": f"{year}年，省僑聯所屬社團要圍繞中心、服務大局，在服務組織、服務會員中展現新作為。",
        },
        items_text=CURRENT_PRIORITIES_ITEMS,
    )
    priorities = services.priorities_publish(priorities=priorities, expected_version=priorities.version)
    published = max(datetime.date(year, 1, 1), min(datetime.date(year, 1, 15), today - datetime.timedelta(days=1)))
    WorkPriorities.objects.filter(pk=priorities.pk).update(published_at=_at(*published.timetuple()[:3]))

    report_year = year - 1
    deadline = rules.report_deadline(report_year)
    associations = list(Association.objects.exclude(status=AssociationStatus.DEREGISTERED).order_by("name"))
    business = next((a for a in associations if a.name == BUSINESS), None)
    returned = next((a for a in associations if a.name == CURRENT_RETURNED), None)
    others = [a for a in associations if a not in (business, returned)]
    accepted_n, submitted_n, draft_n = _season_mix(today, deadline, len(others) + (business is not None))
    counts = {"reports": 0, "plan_items": 0, "progress_updates": 0}

    statement = _statement_pdf(report_year)

    def start(association: Association, items: list, index: int, *, with_statement: bool = True) -> AnnualReport:
        summary = CURRENT_SUMMARIES[index % len(CURRENT_SUMMARIES)]
        report = _report(
            association,
            {
                "work_summary": summary.format(year=report_year, name=association.name, n=4 + index % 7),
                "activity_count": 4 + index % 7,
                "party_organisation": f"{association.name}黨支部",
                "party_members": 5 + index % 9,
                "party_activities": PARTY_WORK,
                "plan_summary": f"{year}年將圍繞省僑聯工作要點，服務大局、服務會員，加強自身建設。",
                "income": Decimal(260000 + 15000 * (index % 11)),
                "expenditure": Decimal(240000 + 14000 * (index % 11)),
                "net_assets": Decimal(120000 + 9000 * (index % 7)),
            },
            [(*row, None) for row in items],
            priorities,
            year=report_year,
        )
        counts["reports"] += 1
        counts["plan_items"] += len(items)
        return _attach_statement(report, statement) if with_statement else report

    # Those handed in first come first: the business association among the early ones (its officer sees
    # an accepted plan to follow), then the others in turn; the last ones have handed in nothing.
    queue = ([business] if business is not None else []) + others
    # Most hand in before the deadline; once it is well past, the last two accepted came in late.
    season = datetime.date(report_year + 1, 1, 6)
    last_day = min(today - datetime.timedelta(days=5), deadline - datetime.timedelta(days=2))
    span = max((last_day - season).days, 1)
    late_ones = 2 if today > deadline + datetime.timedelta(days=20) else 0
    for index, association in enumerate(queue[:accepted_n]):
        items = CURRENT_BUSINESS_PLAN if association is business else CURRENT_GENERIC_PLAN
        report = start(association, items, index)
        report = services.report_submit(report=report, expected_version=report.version)
        report = services.report_accept(report=report, expected_version=report.version)
        if index >= accepted_n - late_ones:
            submitted_on = deadline + datetime.timedelta(days=4 + 6 * (accepted_n - index))
        else:
            submitted_on = season + datetime.timedelta(days=span * index // max(accepted_n - late_ones, 1))
        submitted_on = min(submitted_on, today - datetime.timedelta(days=4))
        accepted_on = min(submitted_on + datetime.timedelta(days=3 + index % 5), today - datetime.timedelta(days=1))
        _backdate(
            report,
            created_at=_at(*(submitted_on - datetime.timedelta(days=12)).timetuple()[:3]),
            submitted_at=_at(*submitted_on.timetuple()[:3]),
            accepted_at=_at(*accepted_on.timetuple()[:3]),
        )
        counts["progress_updates"] += _record_progress(report, today, index)
    waiting = queue[accepted_n : accepted_n + submitted_n]
    for index, association in enumerate(waiting, start=accepted_n):
        report = start(association, CURRENT_GENERIC_PLAN, index)
        report = services.report_submit(report=report, expected_version=report.version)
        _backdate(
            report,
            created_at=_day_before(today, 25 + index % 10),
            submitted_at=_day_before(today, 1 + index * 3 % 20),
        )
    drafts = queue[accepted_n + submitted_n : accepted_n + submitted_n + draft_n]
    for index, association in enumerate(drafts, start=accepted_n + submitted_n):
        report = start(association, CURRENT_GENERIC_PLAN, index, with_statement=index % 2 == 0)
        _backdate(report, created_at=_day_before(today, 3 + index % 15))
    if returned is not None:
        # Handed in a week ago without its financial statements, returned three days ago: to be resubmitted
        # within five working days of the return, a date still ahead.
        # The platform refuses a report without its statements: the demo hands it in with them and takes them
        # off again after the return, as the reviewer found it.
        report = start(returned, CURRENT_GENERIC_PLAN, len(queue), with_statement=True)
        report = services.report_submit(report=report, expected_version=report.version)
        report = services.report_return(report=report, expected_version=report.version, reason=CURRENT_RETURN_REASON)
        AnnualReport.objects.filter(pk=report.pk).update(financial_file=None)
        returned_on = today - datetime.timedelta(days=3)
        _backdate(
            report,
            created_at=_day_before(today, 25),
            submitted_at=_day_before(today, 8),
            returned_at=_at(*returned_on.timetuple()[:3]),
            resubmit_by=rules.add_working_days(returned_on, rules.resubmit_days()),
        )
    return counts
