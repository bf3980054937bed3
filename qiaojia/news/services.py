"""Every write to news. Each service is one transaction; each change leaves one audit row.

Workflow (see models.ARTICLE_TRANSITIONS and permissions.py): an officer drafts and submits for
review; federation staff publish or return with a reason. Federation staff may publish the
federation's own articles directly, without review. Publishing fixes the article's address."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from qiaojia.core import photos, uploads
from qiaojia.core.chinese import to_simplified
from qiaojia.core.services import ConflictError, create_audited, update_versioned
from qiaojia.core.storage import files_atomic
from qiaojia.meetings import services as meeting_services
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association, Federation

from . import notices
from .importing import CleanedArticle
from .models import ARTICLE_TRANSITIONS, Article, ArticleImage, ArticleStatus

IMAGE_FOLDER = ArticleImage.FOLDER
ARTICLE_FIELDS = (
    "title",
    "summary",
    "body",
    "script",
    "title_en",
    "summary_en",
    "body_en",
    "source_line",
    "original_date",
    "meeting",
)
SLUG_MAX = 60


def _pick(data: dict[str, Any], fields) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data}


def _check_meeting(association: Association | None, values: dict[str, Any]) -> None:
    meeting = values.get("meeting")
    if meeting is not None and association is not None and meeting.association_id not in (None, association.pk):
        raise ValidationError({"meeting": _("Choose a meeting of this association or of the federation.")})


def slug_for(title: str) -> str:
    """A readable ASCII address from the title's pinyin: 河南省僑聯召開… -> he-nan-sheng-qiao-lian-zhao-kai…"""
    words = lazy_pinyin(to_simplified(title or ""), errors="default")
    slug = slugify(" ".join(words))[:SLUG_MAX].strip("-")
    if "-" in slug and len(slug) == SLUG_MAX:
        slug = slug.rsplit("-", 1)[0]
    return slug or "article"


def _unique_slug(article: Article, day: datetime.date) -> str:
    base = slug_for(article.title)
    taken = set(
        Article.objects.filter(published_on=day, slug__startswith=base)
        .exclude(pk=article.pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def article_create(
    *,
    federation: Federation,
    association: Association | None,
    data: dict[str, Any],
    author=None,
    form_token: uuid.UUID | None = None,
) -> Article:
    values = _pick(data, ARTICLE_FIELDS)
    _check_meeting(association, values)
    article = Article(
        federation=federation,
        association=association,
        author=author if author is not None and author.is_authenticated else None,
        **values,
    )
    return create_audited(article, form_token=form_token)


@transaction.atomic
def article_update(*, article: Article, expected_version: int, data: dict[str, Any]) -> Article:
    current = Article.objects.select_for_update().filter(pk=article.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    if current.status not in (ArticleStatus.DRAFT, ArticleStatus.RETURNED, ArticleStatus.WITHDRAWN):
        raise ValidationError(_("An article in review or published cannot be changed. Withdraw it first."))
    values = _pick(data, ARTICLE_FIELDS)
    _check_meeting(current.association, values)
    return update_versioned(current, expected_version=expected_version, **values)


def _move(article: Article, expected_version: int, status: str, **values) -> Article:
    current = Article.objects.select_for_update().filter(pk=article.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    if status not in ARTICLE_TRANSITIONS.get(current.status, ()):
        raise ValidationError(
            _("An article that is “%(status)s” cannot be changed to that status.")
            % {"status": current.get_status_display()}
        )
    return update_versioned(current, expected_version=expected_version, status=status, **values)


@transaction.atomic
def article_submit(*, article: Article, expected_version: int) -> Article:
    if not article.body.strip() or not article.title.strip():
        raise ValidationError(_("Write the title and the text before submitting."))
    article = _move(article, expected_version, ArticleStatus.IN_REVIEW)
    author = article.association.name if article.association is not None else article.federation.name
    notify(
        notices.ARTICLE_SUBMITTED,
        association=article.association,
        params={"association": author, "title": article.title},
        url=reverse("news:article-detail", args=[article.pk]),
    )
    return article


@transaction.atomic
def article_publish(
    *, article: Article, expected_version: int, reviewer=None, on: datetime.date | None = None
) -> Article:
    """Publish under /news/<date>/<slug>/: the date is the event's date when known, else today."""
    day = on or article.published_on or article.original_date or timezone.localdate()
    slug = article.slug if article.published_on == day and article.slug else _unique_slug(article, day)
    article = _move(
        article,
        expected_version,
        ArticleStatus.PUBLISHED,
        published_on=day,
        slug=slug,
        published_at=timezone.now(),
        reviewer=reviewer if reviewer is not None and reviewer.is_authenticated else article.reviewer,
    )
    notify(
        notices.ARTICLE_PUBLISHED,
        association=article.association,
        author=article.author,
        params={"title": article.title},
        url=article.get_absolute_url(),
    )
    return article


@transaction.atomic
def article_return(*, article: Article, expected_version: int, reason: str, reviewer=None) -> Article:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what should be changed: the reason is sent to the authors.")})
    article = _move(
        article,
        expected_version,
        ArticleStatus.RETURNED,
        review_note=reason,
        reviewer=reviewer if reviewer is not None and reviewer.is_authenticated else None,
    )
    notify(
        notices.ARTICLE_RETURNED,
        association=article.association,
        author=article.author,
        params={"title": article.title, "reason": reason},
        url=reverse("news:article-detail", args=[article.pk]),
    )
    return article


@transaction.atomic
def article_withdraw(*, article: Article, expected_version: int) -> Article:
    return _move(article, expected_version, ArticleStatus.WITHDRAWN)


@transaction.atomic
def article_import(
    *,
    federation: Federation,
    association: Association | None,
    cleaned: CleanedArticle,
    author=None,
    meeting=None,
    to_meeting_record: bool = False,
    form_token: uuid.UUID | None = None,
) -> Article:
    """A draft article from an imported text; optionally its paragraphs go into the meeting's minutes
    (appended after what is there, unless the minutes already hold them)."""
    if to_meeting_record and meeting is None:
        raise ValidationError({"meeting": _("Choose the meeting whose record should receive the text.")})
    article = article_create(
        federation=federation,
        association=association,
        author=author,
        form_token=form_token,
        data={
            "title": cleaned.title,
            "summary": cleaned.summary,
            "body": cleaned.body_text(),
            "script": cleaned.script,
            "source_line": cleaned.source_line,
            "original_date": cleaned.date,
            "meeting": meeting,
        },
    )
    if to_meeting_record:
        text = cleaned.minutes_text()
        minutes = meeting.minutes.strip()
        if text not in minutes:
            minutes = f"{minutes}\n\n{text}" if minutes else text
            meeting_services.meeting_minutes_update(meeting=meeting, expected_version=meeting.version, minutes=minutes)
    return article


# Photos ---------------------------------------------------------------------------------------


def _lock_article(article: Article) -> None:
    Article.objects.select_for_update().filter(pk=article.pk).first()


def _clear_cover(article: Article, keep: int | None = None) -> None:
    others = ArticleImage.objects.filter(article=article, is_cover=True)
    if keep is not None:
        others = others.exclude(pk=keep)
    for other in others:
        update_versioned(other, expected_version=other.version, is_cover=False)


def image_add(
    *, article: Article, uploaded, caption: str = "", is_cover: bool = False, form_token: uuid.UUID | None = None
) -> ArticleImage:
    """Check and re-encode the file first (nothing is stored if it is refused), then store it with its
    row; a failed transaction removes the file again."""
    image = uploads.clean_image(uploaded)
    with files_atomic():  # the outermost block: a failed commit deletes the file too
        _lock_article(article)
        if is_cover:
            _clear_cover(article)
        row = ArticleImage(article=article, caption=caption, is_cover=is_cover)
        return photos.photo_store(row, image, form_token=form_token)


@transaction.atomic
def image_update(*, image: ArticleImage, expected_version: int, caption: str, is_cover: bool) -> ArticleImage:
    _lock_article(image.article)
    if is_cover:
        _clear_cover(image.article, keep=image.pk)
    return photos.photo_caption_update(
        photo=image, expected_version=expected_version, caption=caption, is_cover=is_cover
    )


def image_move(*, image: ArticleImage, expected_version: int, direction: str) -> ArticleImage:
    """Move a photo one place up or down; the photos are renumbered 1..n."""
    return photos.photo_move(photo=image, expected_version=expected_version, direction=direction)


def image_delete(*, image: ArticleImage, expected_version: int) -> None:
    photos.photo_delete(photo=image, expected_version=expected_version)
