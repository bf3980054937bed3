"""The seed's meeting in the demo: 河南省僑聯所屬社團2025年度工作會議, 5 March 2025, as the report tells it.

Named people appear only in the role and with the public title the report gives; the other
associations' heads who "依次匯報" are the demo's invented presidents. The report gives no place and
no times beyond "上午", so none are invented: the meeting is set at 9:00 and the place left empty."""

import datetime
import io
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from qiaojia.orgs.models import Association, AssociationTitle, Federation, FederationOfficial, FederationTitle, Term

from . import services
from .models import AgendaItemKind, Meeting, MeetingKind, MeetingStatus, ParticipantRole, SignInMethod, TaskStatus

TITLE = "河南省僑聯所屬社團2025年度工作會議"
BUSINESS = "河南省僑商聯合會"
SHANGHAI = ZoneInfo("Asia/Shanghai")
STARTS = datetime.datetime(2025, 3, 5, 9, 0, tzinfo=SHANGHAI)
ENDS = datetime.datetime(2025, 3, 5, 12, 0, tzinfo=SHANGHAI)
DOCUMENT = "《省僑聯2025年工作要點》"
OTHER_REPORTING = 4  # invented associations whose presidents report in turn after the business association

BUSINESS_REPORT = (
    "商會2024年注重搭建經貿合作交流平臺，加強海內外合作，同時關注企業出海，積極參與地方經濟建設，積極履行社會責任，"
    "取得了一定的成績。2025年是商會換屆後的開局之年和關鍵之年，商會將不斷夯實基礎、拓寬渠道，做好平臺與服務。"
    "2025年整體以專業化、數智化、生態化、可持續化為發展方向，加強規範管理，做好省僑聯的臂膀延伸，做好宣傳和會員服務工作，"
    "引進數智化管理手段，帶動會員企業創新發展，同時發揮好商會專項平臺作用，將商會打造成為產業生態的構建者、"
    "企業成長的加速器、社會價值的共創者，實現從「生存」到「生長」的跨越。"
)

DISCUSSION = "就進一步服務中心大局，發揮僑界社團組織功能和獨特優勢，為譜寫中國式現代化河南篇章貢獻僑界力量等進行討論"

CLOSING_ADDRESS = (
    "充分肯定各社團過去一年取得的成績：2024年省僑聯所屬社團秉持宗旨，堅守初心，緊緊圍繞省委、省政府中心工作，"
    "積極參與黃帝故里拜祖大典、知名僑商中原行、世界客屬第33屆懇親大會等活動，已成為省僑聯延伸工作手臂的重要力量。\n"
    "對社團工作提出四點意見和建議：\n"
    "一是堅定政治方向，高站位凝聚思想共識。要牢記領袖囑托，強化使命擔當；要抓牢思想建設，凝聚僑心僑力；"
    "要強化黨建引領，夯實組織基礎，堅持「黨建帶僑建」，加強黨支部建設。\n"
    "二是匯聚僑智僑力，高質量服務中心大局。要聚焦發展需求，精準服務大局；要發揮獨特優勢，實現共贏共享；"
    "要擦亮工作品牌，擴大社會影響。\n"
    "三是堅持改革創新，高效能參與社會工作。要加強內外協同聯動，建立僑界跨協會常態化交流平臺；"
    "要積極履行社會責任，積極參與「零距離聚僑心」「送溫暖獻愛心」「豫僑同行」志願服務等活動；"
    "要搭建協商議事平臺，暢通僑情民意通道。\n"
    "四是加強自身建設，高水平打造優秀社團。要規範內部管理，主動報告重大事項，虛心配合各類檢查；"
    "要建設過硬隊伍，提高工作能力；要優化會員服務，努力把社團建設成為能依託、可信賴、有溫度的「僑之家」。"
)

MINUTES = (
    "3月5日上午，河南省僑聯召開所屬社團2025年度工作會議。河南省僑聯黨組書記、主席楊海強出席會議並講話，"
    "會議由省僑聯黨組成員、副主席呂劍主持，省僑聯秘書長潘冬、省僑聯文化經濟聯絡部部長邱建鋒出席會議。"
    "河南省僑商聯合會會長鄭定輝、秘書長柴莉代表河南省僑商聯合會參加會議。\n"
    "會上集體學習了《省僑聯2025年工作要點》，各社團相關負責人依次匯報了2024年工作情況和2025年工作計劃，"
    "並就進一步服務中心大局，發揮僑界社團組織功能和獨特優勢，為譜寫中國式現代化河南篇章貢獻僑界力量等進行了熱烈討論。\n"
    "鄭定輝匯報了河南省僑商會2024年工作情況和2025年工作計劃。\n"
    "最後，楊海強主席總結講話，充分肯定了各社團過去一年取得的成績，並對社團工作提出了四點意見和建議。"
)

RESOLUTIONS = [
    "各社團對照《省僑聯2025年工作要點》落實2025年工作計劃，計劃事項全年跟進，年終在工作情況中逐項說明。",
    "建立僑界跨協會常態化交流平臺，與有關部門、院校、企業建立橫向聯絡，與海外僑團、商會等機構開展合作。",
    "搭建協商議事平臺，整合僑界人大代表、政協委員和社區幹部、社會組織等力量，暢通僑情民意通道。",
    "加強自身建設：規範內部管理，主動報告重大事項，配合各類檢查，努力打造優秀社團。",
]

# (title, resolution number or None, owner is the business association, owner name, due, status)
TASKS = [
    ("引進數智化管理手段，帶動會員企業創新發展", 1, True, "", datetime.date(2025, 12, 31), TaskStatus.IN_PROGRESS),
    ("搭建經貿合作交流平臺，做好企業出海服務", 1, True, "", datetime.date(2025, 12, 31), TaskStatus.IN_PROGRESS),
    ("建立僑界跨協會常態化交流平臺", 2, False, "文化經濟聯絡部", datetime.date(2025, 9, 30), TaskStatus.OPEN),
    ("搭建協商議事平臺，暢通僑情民意通道", 3, False, "文化經濟聯絡部", datetime.date(2025, 12, 31), TaskStatus.OPEN),
    (
        "參與「零距離聚僑心」「送溫暖獻愛心」「豫僑同行」志願服務活動",
        None,
        False,
        "各所屬社團",
        datetime.date(2025, 12, 31),
        TaskStatus.OPEN,
    ),
]

PHOTOS = [("會議現場", (36, 84, 150)), ("合影留念", (170, 40, 40))]


def _official(federation: Federation, title: str) -> FederationOfficial | None:
    return (
        FederationOfficial.objects.filter(federation=federation, title=title)
        .select_related("person")
        .order_by("order", "id")
        .first()
    )


def _president(association: Association, on: datetime.date):
    term = (
        Term.objects.current(on)
        .filter(association=association, title=AssociationTitle.PRESIDENT)
        .select_related("person")
        .order_by("starts_on")
        .first()
    )
    return term.person if term else None


def _placeholder_photo(caption: str, color: tuple[int, int, int]) -> SimpleUploadedFile | None:
    """A plain generated picture standing in for the report's photos (no real photo is reproduced)."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return None
    image = Image.new("RGB", (960, 540), color)
    draw = ImageDraw.Draw(image)
    for row in range(3):
        for col in range(8):
            x, y = 80 + col * 105, 200 + row * 90
            draw.ellipse((x, y, x + 50, y + 50), fill=(240, 220, 190))
            draw.rectangle((x - 5, y + 55, x + 55, y + 85), fill=(40, 40, 50))
    draw.rectangle((0, 0, 960, 120), fill=(200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{caption}.jpg", buffer.getvalue(), content_type="image/jpeg")


def load_meetings_demo(*, federation: Federation | None = None) -> Meeting | None:
    """Create the seed's meeting in full; does nothing (returns the meeting) if it exists already."""
    federation = federation or Federation.objects.order_by("id").first()
    if federation is None:
        return None
    existing = Meeting.objects.filter(federation=federation, title=TITLE, starts_at=STARTS).first()
    if existing is not None:
        return existing
    meeting = services.meeting_create(
        federation=federation,
        association=None,
        data={
            "title": TITLE,
            "kind": MeetingKind.ANNUAL_WORK,
            "starts_at": STARTS,
            "ends_at": ENDS,
            "place": "",
            "description": "來源：河南省僑聯",
        },
    )

    def add(role, **data):
        return services.participant_add(meeting=meeting, data={"role": role, **data})

    chair = _official(federation, FederationTitle.PARTY_SECRETARY_CHAIR)
    vice_chair = _official(federation, FederationTitle.PARTY_MEMBER_VICE_CHAIR)
    people = {}
    if chair:
        people["chair"] = add(ParticipantRole.ADDRESSES, official=chair)
    if vice_chair:
        people["vice_chair"] = add(ParticipantRole.PRESIDES, official=vice_chair)
    for key, title in (
        ("secretary_general", FederationTitle.SECRETARY_GENERAL),
        ("department_head", FederationTitle.DEPARTMENT_HEAD),
    ):
        official = _official(federation, title)
        if official:
            people[key] = add(ParticipantRole.ATTENDS, official=official)

    business = Association.objects.filter(name=BUSINESS).first()
    reporters = []  # (association, participant presenting)
    on = STARTS.date()
    if business is not None:
        officers = {
            t.title: t.person
            for t in Term.objects.current(on)
            .filter(association=business, title__in=[AssociationTitle.PRESIDENT, AssociationTitle.SECRETARY_GENERAL])
            .select_related("person")
        }
        president = officers.get(AssociationTitle.PRESIDENT)
        presenter = None
        for title in (AssociationTitle.PRESIDENT, AssociationTitle.SECRETARY_GENERAL):
            person = officers.get(title)
            if person is not None:
                participant = add(ParticipantRole.ON_BEHALF, person=person, association=business)
                presenter = presenter or (participant if person == president else None)
        reporters.append((business, presenter))
    others = Association.objects.filter(federation=federation, status="active").order_by("id")
    if business is not None:
        others = others.exclude(pk=business.pk)
    for association in others:
        if len(reporters) >= OTHER_REPORTING + 1:
            break
        president = _president(association, on)
        if president is None:
            continue
        participant = add(ParticipantRole.ON_BEHALF, person=president, association=association)
        reporters.append((association, participant))

    services.agenda_item_create(
        meeting=meeting, data={"kind": AgendaItemKind.STUDY, "title": "集體學習" + DOCUMENT, "document": DOCUMENT}
    )
    for association, presenter in reporters:
        services.agenda_item_create(
            meeting=meeting,
            data={
                "kind": AgendaItemKind.REPORTS,
                "title": f"{association.name}匯報2024年工作情況和2025年工作計劃",
                "association": association,
                "presenter": presenter,
                "content": BUSINESS_REPORT if association == business else "",
            },
        )
    services.agenda_item_create(
        meeting=meeting, data={"kind": AgendaItemKind.DISCUSSION, "title": "討論", "content": DISCUSSION}
    )
    services.agenda_item_create(
        meeting=meeting,
        data={
            "kind": AgendaItemKind.CLOSING_ADDRESS,
            "title": "楊海強主席總結講話",
            "presenter": people.get("chair"),
            "content": CLOSING_ADDRESS,
        },
    )

    # Everyone the report names was there: entered afterwards from the paper sign-in sheet.
    for n, participant in enumerate(meeting.participants.order_by("order", "id")):
        services.participant_sign_in(
            participant=participant, method=SignInMethod.STAFF, at=STARTS - datetime.timedelta(minutes=30 - n)
        )
    meeting = services.meeting_minutes_update(meeting=meeting, expected_version=meeting.version, minutes=MINUTES)
    resolutions = [services.resolution_create(meeting=meeting, text=text) for text in RESOLUTIONS]
    for title, number, by_business, owner_name, due_on, status in TASKS:
        if by_business and business is None:
            continue
        services.task_create(
            meeting=meeting,
            data={
                "title": title,
                "resolution": resolutions[number - 1] if number else None,
                "owner_association": business if by_business else None,
                "owner_name": owner_name,
                "due_on": due_on,
                "status": status,
            },
        )
    for caption, color in PHOTOS:
        upload = _placeholder_photo(caption, color)
        if upload is not None:
            services.photo_add(meeting=meeting, uploaded=upload, caption=caption)
    meeting.refresh_from_db()
    return services.meeting_set_status(meeting=meeting, expected_version=meeting.version, status=MeetingStatus.HELD)


# The cross-association exchange: a standing joint meeting whose host rotates (invented).
JOINT_SERIES = "河南省僑界社團經貿聯席會議"
JOINT_MEMBERS = ["河南省僑商聯合會", "河南省僑界女企業家聯誼會", "河南省海歸人才聯誼會", "河南省東南亞歸僑聯誼會"]
JOINT_HELD = [
    (datetime.datetime(2025, 4, 10, 14, 30, tzinfo=SHANGHAI), "鄭州", "交流各會一季度經貿對接情況；商定全年聯合活動。"),
    (
        datetime.datetime(2025, 8, 12, 14, 30, tzinfo=SHANGHAI),
        "鄭州",
        "籌備豫商僑企出海對接會；通報知名僑商中原行安排。",
    ),
]


def load_joint_meetings_demo(*, federation: Federation) -> None:
    """A series of four associations with two meetings held (hosts in turn) and the next one planned three
    weeks from the day of loading, hosted by the association whose turn it is. Idempotent."""
    from django.utils import timezone

    from . import services_joint
    from .models import JointSeries

    if JointSeries.objects.filter(federation=federation, name=JOINT_SERIES).exists():
        return
    found = {a.name: a for a in Association.objects.filter(federation=federation, name__in=JOINT_MEMBERS)}
    members = [found[name] for name in JOINT_MEMBERS if name in found]
    if len(members) < 2:
        return
    series = services_joint.series_create(
        federation=federation,
        data={"name": JOINT_SERIES, "description": "各成員社團輪流承辦，每年三至四次，交流經貿合作與會員服務。"},
        associations=members,
    )
    for starts_at, city, minutes in JOINT_HELD:
        meeting = services_joint.joint_meeting_schedule(
            series=series, data={"starts_at": starts_at, "place": city, "city": city, "minutes": minutes}
        )
        services_joint.joint_meeting_set_status(
            meeting=meeting, expected_version=meeting.version, status=MeetingStatus.HELD
        )
    day = timezone.localdate() + datetime.timedelta(days=21)
    services_joint.joint_meeting_schedule(
        series=series,
        data={
            "starts_at": datetime.datetime(day.year, day.month, day.day, 14, 30, tzinfo=SHANGHAI),
            "place": "鄭州",
            "city": "鄭州",
            "agenda": "一、各會通報近期經貿活動；二、商定下次聯合出海考察。",
        },
    )
