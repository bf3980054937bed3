"""Voice in the demo: opinions of invented senders across the categories and every state — new, overdue and
escalated, answered, rated, reopened, merged — with business matters routed to 河南省僑商聯合會 and the rest
to the department that supervises the associations. Every sender is invented and writes through the public
form (no person record), so no invented case is attached to a real person's name. Called by the demo loader
(`load_voice_demo`)."""

import datetime

from django.utils import timezone

from qiaojia.orgs.models import Association, Federation

from . import services
from .models import OpinionCategory, OpinionChannel, OpinionRoute

BUSINESS = "河南省僑商聯合會"

# key, category, title, text, invented sender, phone, days ago, state
CASES = [
    ("lift", OpinionCategory.LIVELIHOOD, "老舊小區加裝電梯進度緩慢", "歸僑聚居的老舊小區申請加裝電梯已一年，仍未動工。",
     "林美華", "+8613700000101", 1, "new"),
    ("school", OpinionCategory.RIGHTS, "僑眷子女入學證明材料過多", "僑眷子女回鄉入學，需要開具的證明過多，希望簡化。",
     "陳志遠", "+8613700000102", 40, "overdue"),
    ("permit", OpinionCategory.BUSINESS, "僑資企業辦理環評審批時間長", "僑資企業新建廠房的環評審批已超過法定時限。",
     "黃建華", "+8613700000103", 6, "answered"),
    ("visa", OpinionCategory.POLICY, "希望便利海外僑胞回國探親簽證", "海外華人回鄉探親的簽證手續可否進一步簡化。",
     "Lim Wei Ming", "+60123456789", 9, "rated"),
    ("culture", OpinionCategory.CULTURE, "建議恢復中原尋根夏令營", "希望恢復面向海外僑胞青少年的中原尋根夏令營。",
     "周麗娟", "+8613700000105", 12, "reopened"),
    ("lift2", OpinionCategory.LIVELIHOOD, "老旧小区加装电梯进度缓慢", "我们小区也在等加装电梯，是同一件事。",
     "趙德明", "+8613700000106", 0, "merged"),
]  # fmt: skip


def load_voice_demo(*, federation: Federation) -> dict[str, int]:
    business = Association.objects.filter(federation=federation, name=BUSINESS).first()
    if business is not None:
        OpinionRoute.objects.update_or_create(category=OpinionCategory.BUSINESS, defaults={"association": business})
    now = timezone.now()
    made = {}
    for key, category, title, text, name, phone, days, state in CASES:
        opinion = services.opinion_submit(
            data={
                "category": category,
                "title": title,
                "text": text,
                "name": name,
                "phone": phone,
                "consent": True,
            },
            channel=OpinionChannel.PUBLIC,
            received_at=now - datetime.timedelta(days=days),
            limited=False,  # loaded, not sent through the public form
        )
        if state in ("overdue", "answered", "rated", "reopened"):
            opinion = services.opinion_acknowledge(opinion=opinion, expected_version=opinion.version)
        if state in ("answered", "rated", "reopened"):
            opinion = services.opinion_reply(
                opinion=opinion, expected_version=opinion.version, text="已轉交相關部門，近期將給予書面答覆。"
            )
        if state == "rated":
            opinion = services.opinion_rate(opinion=opinion, expected_version=opinion.version, rating="satisfied")
        if state == "reopened":
            opinion = services.opinion_rate(
                opinion=opinion, expected_version=opinion.version, rating="not_satisfied", comment="答覆過於籠統。"
            )
            opinion = services.opinion_reopen(
                opinion=opinion, expected_version=opinion.version, reason="仍無具體安排。"
            )
        if state == "merged":
            opinion = services.opinion_merge(opinion=opinion, into=made["lift"], expected_version=opinion.version)
        made[key] = opinion
    reminded, escalated = services.opinions_check_deadlines()
    return {"opinions": len(made), "escalated": escalated}
