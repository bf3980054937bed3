"""News in the demo: the seed article, imported with the cleaner as published federation news linked
to the seed's meeting (when it exists), and two short items of associations."""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from qiaojia.meetings.demo import STARTS, TITLE
from qiaojia.meetings.models import Meeting
from qiaojia.orgs.models import Association, Federation

from . import services
from .importing import clean_article
from .models import Article, ArticleScript

SEED = "000_cce6d4194cd30017.txt"
SHANGHAI_HOUR = datetime.time(10, 0)

ASSOCIATION_NEWS = [
    (
        "河南省僑商聯合會",
        "河南省僑商聯合會召開會長辦公會議部署2025年重點工作",
        "3月12日，河南省僑商聯合會召開會長辦公會議，傳達省僑聯所屬社團2025年度工作會議精神，部署全年重點工作。\n\n"
        "會議明確，商會將以專業化、數智化、生態化、可持續化為發展方向，做好經貿合作交流平臺和會員服務。",
        datetime.date(2025, 3, 12),
    ),
    (
        None,
        "僑界社團開展“豫僑同行”志願服務活動",
        "3月20日，僑界社團志願者走進社區，開展“豫僑同行”志願服務活動，為居民提供義診和法律咨詢。\n\n"
        "活動是落實省僑聯2025年工作要點、積極履行社會責任的具體行動。",
        datetime.date(2025, 3, 20),
    ),
]


def _seed_text() -> str | None:
    for base in (Path(__file__).resolve().parent / "seeds", Path(settings.BASE_DIR).parent / "shared" / "seeds"):
        path = base / SEED
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def _publish(article: Article) -> Article:
    article = (
        services.article_submit(article=article, expected_version=article.version)
        if article.association_id
        else article
    )
    return services.article_publish(article=article, expected_version=article.version)


def load_news_demo(*, federation: Federation | None = None) -> None:
    """Idempotent: does nothing when the seed article is there already."""
    federation = federation or Federation.objects.order_by("id").first()
    if federation is None:
        return
    if Article.objects.filter(
        federation=federation, association__isnull=True, original_date=datetime.date(2025, 3, 5)
    ).exists():
        return
    raw = _seed_text()
    if raw is not None:
        cleaned = clean_article(raw, today=timezone.localdate())
        meeting = Meeting.objects.filter(federation=federation, title=TITLE, starts_at=STARTS).first()
        article = services.article_import(federation=federation, association=None, cleaned=cleaned, meeting=meeting)
        _publish(article)
    others = Association.objects.filter(federation=federation).exclude(name="河南省僑商聯合會").order_by("id")
    for name, title, body, day in ASSOCIATION_NEWS:
        association = Association.objects.filter(federation=federation, name=name).first() if name else others.first()
        if association is None:
            continue
        article = services.article_create(
            federation=federation,
            association=association,
            data={
                "title": title,
                "summary": body.split("\n")[0],
                "body": body,
                "script": ArticleScript.HANT,
                "original_date": day,
                "source_line": f"來源：{association.name}",
            },
        )
        _publish(article)
