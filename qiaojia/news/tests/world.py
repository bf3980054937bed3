"""Articles for the shared isolation world (qiaojia/core/tests/test_isolation.py) and small helpers."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from qiaojia.news import services
from qiaojia.orgs.models import Federation


def jpeg_upload(name="photo.jpg", size=(64, 48), color=(30, 90, 160)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_article(
    association=None,
    *,
    title="僑聯召開工作會議",
    body="3月5日上午，僑聯召開工作會議。\n\n△會議現場",
    script="hant",
    **data,
):
    federation = Federation.objects.order_by("id").first()
    return services.article_create(
        federation=federation, association=association, data={"title": title, "body": body, "script": script, **data}
    )


def publish(article, *, on=None):
    if article.association_id:
        article = services.article_submit(article=article, expected_version=article.version)
    return services.article_publish(article=article, expected_version=article.version, on=on)


def news_world(w, k):
    """Association k's draft article with a photo, and its published article with a photo (made once)."""
    if ("news", k) not in w:
        association = w[k]["association"]
        draft = make_article(association, title=f"{association.name}草稿新聞")
        draft_image = services.image_add(article=draft, uploaded=jpeg_upload(), caption="會議現場")
        published = make_article(association, title=f"{association.name}已發布新聞")
        published_image = services.image_add(
            article=published, uploaded=jpeg_upload(), caption="合影留念", is_cover=True
        )
        published = publish(published, on=datetime.date(2025, 3, 5))
        w["news", k] = {
            "draft": draft,
            "draft_image": draft_image,
            "published": published,
            "published_image": published_image,
        }
    return w["news", k]
