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

from qiaojia.orgs.models import Association, Federation

from . import services
from .models import AnnualReport, AttachmentKind, PlanItemStatus, ReportEvent, ReportStatus, WorkPriorities

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


def _backdate(report: AnnualReport, **dates) -> None:
    """Demo only: put the review on the calendar of early 2025, as it happened, not on the load date."""
    AnnualReport.objects.filter(pk=report.pk).update(**dates)
    for event in ReportEvent.objects.filter(report=report):
        stamp = dates.get(f"{event.kind}_at")
        if stamp is None and event.kind == "created":
            stamp = dates.get("submitted_at", _at(REPORT_YEAR + 1, 2, 20)) - datetime.timedelta(days=10)
        if stamp is not None:
            ReportEvent.objects.filter(pk=event.pk).update(at=stamp)


def _report(association: Association, data: dict, items: list, priorities) -> AnnualReport:
    report = services.report_start(association=association, year=REPORT_YEAR)
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
                "due_on": datetime.date(PRIORITIES_YEAR, month, 28 if month == 2 else 30),
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


def load_cycle_demo(*, federation: Federation | None = None) -> dict[str, int]:
    """Create the 2025 work priorities and the reports on 2024. Runs inside the demo loader's transaction,
    acting as the demo loader (audited)."""
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
