"""What trade puts in the search index: offers and needs (by title and keywords) and enterprises' trade
profiles (by name, products and services), found by the search app at start-up. Who finds which follows
the lists: a published item and a listed profile by everyone logged in."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.search.registry import Document, Indexer, detail_url, list_url, register

from . import selectors, selectors_deals
from .models import Offer, TradeProfile
from .models_deals import SignedProject


def _offer_document(o) -> Document:
    return Document(
        title=o.title,
        key=o.title_key or search_key(o.title),
        pinyin=o.title_pinyin or pinyin_key(o.title),
        initials=o.title_initials or initials_key(o.title),
        extra=search_key(o.keywords or "")[:200],
    )


def _profile_document(p) -> Document:
    enterprise = p.enterprise
    return Document(
        title=enterprise.name,
        subtitle=enterprise.name_en,
        key=enterprise.name_key or search_key(enterprise.name),
        pinyin=enterprise.name_pinyin,
        initials=enterprise.name_initials,
        english=(enterprise.name_en or "").casefold(),
        extra=search_key(p.products or "")[:200],
    )


register(
    Indexer(
        kind=selectors.OFFER_KIND,
        model=Offer,
        label=pgettext_lazy("trade", "Offers and needs"),
        order=60,
        document=_offer_document,
        visible_ids=selectors.offer_visible_ids,
        url=lambda viewer, pk: detail_url("trade:offer-detail", pk),
        list_url=list_url("trade:offer-list"),
        bulk_fields=("id", "title", "title_key", "title_pinyin", "title_initials", "keywords"),
    )
)
register(
    Indexer(
        kind=selectors.PROFILE_KIND,
        model=TradeProfile,
        label=pgettext_lazy("trade", "Trade profiles"),
        order=61,
        document=_profile_document,
        visible_ids=selectors.profile_visible_ids,
        url=lambda viewer, pk: detail_url("trade:profile-detail", pk),
        list_url=list_url("trade:profile-list"),
        bulk_queryset=lambda: TradeProfile.objects.select_related("enterprise"),
    )
)


def _project_document(p) -> Document:
    return Document(
        title=p.title,
        key=p.title_key or search_key(p.title),
        pinyin=p.title_pinyin or pinyin_key(p.title),
        initials=p.title_initials or initials_key(p.title),
        extra=search_key(p.parties or "")[:200],
    )


register(
    Indexer(
        kind=selectors_deals.PROJECT_KIND,
        model=SignedProject,
        label=_("Signed projects"),
        order=62,
        document=_project_document,
        visible_ids=selectors_deals.project_visible_ids,
        url=lambda viewer, pk: detail_url("trade:project-detail", pk),
        list_url=list_url("trade:project-list"),
        bulk_fields=("id", "title", "title_key", "title_pinyin", "title_initials", "parties"),
    )
)
