"""News: articles by the federation and by associations, their photos, and the public portal's reading copy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.models import StoredPhoto, VersionedModel


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ArticleScript(models.TextChoices):
    HANS = "hans", _("Simplified Chinese")
    HANT = "hant", _("Traditional Chinese")


# The article workflow: each allowed move is one service call and one audit row. Who may make a move
# is decided in permissions.py (only federation staff publish or return).
ARTICLE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ArticleStatus.DRAFT: (ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED),
    ArticleStatus.RETURNED: (ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED),
    ArticleStatus.IN_REVIEW: (ArticleStatus.PUBLISHED, ArticleStatus.RETURNED),
    ArticleStatus.PUBLISHED: (ArticleStatus.WITHDRAWN,),
    ArticleStatus.WITHDRAWN: (ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED),
}
# Text can be changed only while the article is not in front of a reviewer or the public.
EDITABLE_STATUSES = (ArticleStatus.DRAFT, ArticleStatus.RETURNED, ArticleStatus.WITHDRAWN)


class Article(VersionedModel):
    """A news article (新聞) of the federation (`association` empty) or of one association.

    `body` is plain text: one paragraph per line (blank lines between them are ignored), and a line
    starting with `△` is a photo caption. No HTML from users is ever stored or shown. Published
    articles are public at /news/<published_on>/<slug>/; the others are seen only by the
    association's officers and federation staff."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.PROTECT, related_name="articles")
    association = models.ForeignKey(
        "orgs.Association",
        verbose_name=_("published by association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=500)
    body = models.TextField(_("text"))
    script = models.CharField(_("written in"), max_length=4, choices=ArticleScript.choices, default=ArticleScript.HANS)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    summary_en = models.TextField(_("English summary"), blank=True, max_length=1000)
    body_en = models.TextField(_("English text"), blank=True)
    source_line = models.CharField(_("source"), max_length=200, blank=True)
    original_date = models.DateField(_("date of the event"), null=True, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT, db_index=True
    )
    STATUS_COLOURS = {
        ArticleStatus.DRAFT: "blue",
        ArticleStatus.IN_REVIEW: "orange",
        ArticleStatus.PUBLISHED: "green",
        ArticleStatus.RETURNED: "red",
        ArticleStatus.WITHDRAWN: "red",
    }
    slug = models.SlugField(pgettext_lazy("web", "address"), max_length=80, blank=True, allow_unicode=False)
    published_on = models.DateField(_("publication date"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-published_on", "-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["published_on", "slug"],
                condition=Q(published_on__isnull=False),
                name="article_slug_unique_per_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_on"]),
            models.Index(fields=["association", "status", "published_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_association_id(self) -> int | None:
        return self.association_id

    def publisher_name(self) -> str:
        return self.association.name if self.association_id else self.federation.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        if not (self.published_on and self.slug):
            return reverse("news:article-detail", args=[self.pk])
        day = self.published_on
        return reverse(
            "news:article",
            kwargs={"year": day.year, "month": f"{day.month:02d}", "day": f"{day.day:02d}", "slug": self.slug},
        )


class ArticleImage(StoredPhoto):
    """A photo of an article with its caption, in order; one may be the cover. Served only through a view
    that checks the article may be seen; see `core.models.StoredPhoto`."""

    FOLDER = "news/images"
    PARENT = "article"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    is_cover = models.BooleanField(_("cover image"), default=False)

    class Meta:
        ordering = ["article", "order", "id"]
        verbose_name = _("article photo")
        verbose_name_plural = _("article photos")
        constraints = [
            models.UniqueConstraint(fields=["article"], condition=Q(is_cover=True), name="article_one_cover"),
        ]
