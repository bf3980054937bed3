"""Reads of news, always for a viewer. Unpublished articles exist only for their association's
officers and federation staff; out of scope is 404."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from qiaojia.accounts import scope
from qiaojia.meetings import selectors as meeting_selectors
from qiaojia.orgs import selectors as org_selectors
from qiaojia.orgs.models import Association

from .models import Article, ArticleImage, ArticleStatus

FEED_SIZE = 30


def _with_cover(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.prefetch_related(
        Prefetch("images", queryset=ArticleImage.objects.filter(is_cover=True), to_attr="covers")
    )


# The public portal ------------------------------------------------------------------------------


def public_articles(*, association: Association | None = None, federation_only: bool = False) -> QuerySet[Article]:
    qs = Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("association", "federation")
    if association is not None:
        qs = qs.filter(association=association)
    elif federation_only:
        qs = qs.filter(association__isnull=True)
    return _with_cover(qs).order_by("-published_on", "-published_at", "-id")


def public_article_get(*, published_on: datetime.date, slug: str) -> Article:
    article = (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, published_on=published_on, slug=slug)
        .select_related("association", "federation", "meeting")
        .first()
    )
    if article is None:
        raise Http404
    return article


def public_association_get(pk: int) -> Association:
    association = Association.objects.filter(pk=pk).first()
    if association is None:
        raise Http404
    return association


def feed_articles(*, association: Association | None = None) -> list[Article]:
    return list(public_articles(association=association)[:FEED_SIZE])


def article_images(article: Article) -> list[ArticleImage]:
    return list(article.images.order_by("order", "id"))


def image_get(*, viewer, pk: int) -> ArticleImage:
    """A photo of a published article for anyone; of any other only for those who may see the article."""
    image = ArticleImage.objects.filter(pk=pk).select_related("article").first()
    if image is None:
        raise Http404
    if image.article.status != ArticleStatus.PUBLISHED:
        image.article = article_get(viewer=viewer, pk=image.article_id)
    return image


# The newsroom (back office) ---------------------------------------------------------------------


def article_scope(viewer) -> QuerySet[Article]:
    qs = Article.objects.all()
    if scope.is_federation(viewer):
        return qs
    ids = scope.officer_association_ids(viewer)
    return qs.filter(association_id__in=ids) if ids else qs.none()


def article_list(
    *,
    viewer,
    q: str | None = None,
    status: str | None = None,
    association: int | None = None,
    federation_only: bool = False,
) -> QuerySet[Article]:
    qs = article_scope(viewer).select_related("association", "federation", "reviewer")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(title_en__icontains=q) | Q(summary__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if association:
        qs = qs.filter(association_id=association)
    elif federation_only:
        qs = qs.filter(association__isnull=True)
    return qs.order_by("-updated_at", "-id")


def article_get(*, viewer, pk: int) -> Article:
    article = (
        article_scope(viewer)
        .select_related("association", "federation", "meeting", "reviewer", "author")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise Http404
    return article


def image_for_edit(*, viewer, pk: int) -> ArticleImage:
    image = ArticleImage.objects.filter(pk=pk).first()
    if image is None:
        raise Http404
    image.article = article_get(viewer=viewer, pk=image.article_id)
    return image


def manageable_meetings(viewer, *, limit: int = 100):
    """The meetings whose record the viewer may add to (newest first): all for federation staff, their
    association's for an officer."""
    qs = meeting_selectors.meeting_scope(viewer).select_related("association")
    if not scope.is_federation(viewer):
        qs = qs.filter(association_id__in=scope.officer_association_ids(viewer))
    newest = qs.order_by("-starts_at", "-id").values("pk")[:limit]
    # A choice field filters its queryset: the newest `limit` meetings as a subquery, not a slice.
    return qs.filter(pk__in=newest).order_by("-starts_at", "-id")


def publisher_choices(viewer) -> tuple[bool, list[Association]]:
    """(may write for the federation, the associations the viewer may write for)."""
    if scope.is_federation(viewer):
        return True, []
    return False, list(org_selectors.officer_associations(viewer=viewer))
