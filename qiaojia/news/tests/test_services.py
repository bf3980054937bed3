import datetime

import pytest
from django.core.exceptions import ValidationError

from qiaojia.core.models import AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.meetings.tests.world import make_meeting
from qiaojia.news import demo, permissions, services
from qiaojia.news.importing import clean_article
from qiaojia.news.models import Article, ArticleImage, ArticleStatus
from qiaojia.news.text import article_text
from qiaojia.notifications.models import Notification

from .test_importing import SEED
from .world import jpeg_upload, make_article, publish

pytestmark = pytest.mark.django_db


def test_officer_cannot_publish_staff_can(business_association, officer_of, staff_user):
    article = make_article(business_association)
    assert not permissions.can_publish_article(officer_of, article)
    assert permissions.can_submit_article(officer_of, article)
    # An association's article goes through review even for staff.
    assert not permissions.can_publish_article(staff_user, article)
    article = services.article_submit(article=article, expected_version=article.version)
    assert permissions.can_publish_article(staff_user, article)
    assert not permissions.can_publish_article(officer_of, article)
    article = services.article_publish(article=article, expected_version=article.version, reviewer=staff_user)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_on and article.slug
    assert Notification.objects.filter(recipient=officer_of, kind="news.published").exists()


def test_staff_publish_federation_news_directly(federation, staff_user):
    article = make_article(
        None, title="河南省僑聯召開所屬社團2025年度工作會議", original_date=datetime.date(2025, 3, 5)
    )
    assert permissions.can_publish_article(staff_user, article)
    article = services.article_publish(article=article, expected_version=article.version, reviewer=staff_user)
    assert article.published_on == datetime.date(2025, 3, 5)
    assert article.slug.startswith("he-nan-sheng-qiao-lian-zhao-kai")
    assert article.get_absolute_url().startswith("/news/2025/03/05/he-nan-sheng")


def test_slug_unique_per_date(federation):
    day = datetime.date(2025, 3, 5)
    first = publish(make_article(None, title="同一標題"), on=day)
    second = publish(make_article(None, title="同一標題"), on=day)
    assert first.slug != second.slug and second.slug.startswith(first.slug)


def test_return_needs_a_reason_and_notifies(business_association, officer_of, staff_user):
    article = make_article(business_association)
    article = services.article_submit(article=article, expected_version=article.version)
    with pytest.raises(ValidationError):
        services.article_return(article=article, expected_version=article.version, reason="  ")
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.IN_REVIEW
    article = services.article_return(
        article=article, expected_version=article.version, reason="請補充照片", reviewer=staff_user
    )
    assert article.status == ArticleStatus.RETURNED and article.review_note == "請補充照片"
    notice = Notification.objects.get(recipient=officer_of, kind="news.returned")
    assert "请补充照片" in notice.body  # the reason in the recipient's script (zh-hans by default)
    assert "請補充照片" in notice.body_for("zh-hant")


def test_transitions_refused_and_stale_version(business_association):
    article = make_article(business_association)
    with pytest.raises(ValidationError):
        services.article_withdraw(article=article, expected_version=article.version)
    with pytest.raises(ConflictError):
        services.article_update(article=article, expected_version=article.version + 1, data={"title": "新"})
    published = publish(article)
    with pytest.raises(ValidationError):
        services.article_update(article=published, expected_version=published.version, data={"title": "新"})
    assert AuditEntry.objects.filter(object_type="news.article", object_id=str(article.pk)).count() == 3


def test_text_is_converted_and_cached_per_version(federation):
    article = make_article(None, title="河南省侨联召开会议", body="侨联召开会议。", script="hans")
    assert article_text(article, "zh-hant").title == "河南省僑聯召開會議"
    assert article_text(article, "zh-hans").title == "河南省侨联召开会议"
    english = article_text(article, "en")
    assert english.no_english and english.title == "河南省侨联召开会议"
    article = services.article_update(
        article=article, expected_version=article.version, data={"title": "侨联新闻", "title_en": "Federation news"}
    )
    assert article_text(article, "zh-hant").title == "僑聯新聞"
    assert article_text(article, "en").title == "Federation news"


def test_image_refused_stores_nothing(federation, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = make_article(None)
    with pytest.raises(ValidationError):
        services.image_add(article=article, uploaded=SimpleUploadedFile("x.jpg", b"not an image"))
    assert not ArticleImage.objects.exists()
    assert not (media / "news" / "images").exists() or not any((media / "news" / "images").iterdir())


def test_one_cover_and_reorder(federation):
    article = make_article(None)
    first = services.image_add(article=article, uploaded=jpeg_upload(), caption="會議現場", is_cover=True)
    second = services.image_add(article=article, uploaded=jpeg_upload(), caption="合影留念", is_cover=True)
    first.refresh_from_db()
    assert not first.is_cover and second.is_cover
    services.image_move(image=second, expected_version=second.version, direction="up")
    assert list(article.images.order_by("order").values_list("caption", flat=True)) == ["合影留念", "會議現場"]
    second.refresh_from_db()
    services.image_delete(image=second, expected_version=second.version)
    assert article.images.count() == 1


def test_import_into_article_and_meeting_minutes(federation, business_association, officer_of):
    meeting = make_meeting(None, title="所屬社團2025年度工作會議")
    cleaned = clean_article(SEED.read_text(encoding="utf-8"))
    article = services.article_import(
        federation=federation,
        association=business_association,
        cleaned=cleaned,
        author=officer_of,
        meeting=meeting,
        to_meeting_record=True,
    )
    assert article.status == ArticleStatus.DRAFT and article.meeting == meeting
    assert article.original_date == datetime.date(2025, 3, 5) and article.script == "hant"
    assert "△會議現場" in article.body
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("3月5日上午，河南省僑聯召開所屬社團2025年度工作會議")
    assert "來源：河南省僑聯" in meeting.minutes and "△" not in meeting.minutes
    # Importing again does not repeat the text in the minutes.
    services.article_import(
        federation=federation,
        association=business_association,
        cleaned=cleaned,
        meeting=meeting,
        to_meeting_record=True,
    )
    meeting.refresh_from_db()
    assert meeting.minutes.count("3月5日上午") == 1


def test_import_refuses_another_associations_meeting(federation, business_association, other_association):
    meeting = make_meeting(other_association)
    cleaned = clean_article("3月5日，開會。")
    with pytest.raises(ValidationError):
        services.article_import(
            federation=federation,
            association=business_association,
            cleaned=cleaned,
            meeting=meeting,
            to_meeting_record=True,
        )
    assert not Article.objects.exists()


def test_demo_is_idempotent(federation, business_association, other_association):
    from qiaojia.meetings.demo import load_meetings_demo

    meeting = load_meetings_demo(federation=federation)
    demo.load_news_demo(federation=federation)
    demo.load_news_demo(federation=federation)
    seed_article = Article.objects.get(association__isnull=True, original_date=datetime.date(2025, 3, 5))
    assert seed_article.status == ArticleStatus.PUBLISHED and seed_article.meeting == meeting
    assert seed_article.title == "河南省僑聯召開所屬社團2025年度工作會議"
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() == 3
