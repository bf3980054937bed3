"""Atom feeds of the published news: everything, or one association's."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .text import article_texts


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pk: int | None = None):
        self.language = translation.get_language() or "zh-hans"
        return selectors.public_association_get(pk) if pk is not None else None

    def title(self, obj):
        return _("News of %(publisher)s") % {"publisher": obj.name} if obj else _("QiaoJia news")

    def subtitle(self, obj):
        return _("News of the federation and its associations")

    def link(self, obj):
        return reverse("news:association", args=[obj.pk]) if obj else reverse("news:portal")

    def feed_url(self, obj):
        return reverse("news:association-feed", args=[obj.pk]) if obj else reverse("news:feed")

    def items(self, obj):
        articles = selectors.feed_articles(association=obj)
        self.texts = article_texts(articles, self.language)
        return articles

    def item_title(self, item):
        return self.texts[item.pk].title

    def item_description(self, item):
        return self.texts[item.pk].summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        return item.publisher_name()

    def item_pubdate(self, item):
        if item.published_at:
            return item.published_at
        return timezone.make_aware(datetime.datetime.combine(item.published_on, datetime.time()))

    def item_updateddate(self, item):
        return item.updated_at
