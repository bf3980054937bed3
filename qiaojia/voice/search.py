"""What voice puts in the search index: opinions by their subject (and the start of their text), found by
whoever may see the case; staff also read the index for similar earlier cases."""

from django.utils.translation import gettext_lazy as _

from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.search.registry import Document, Indexer, detail_url, list_url, register

from . import selectors
from .models import Opinion


def _document(o) -> Document:
    return Document(
        title=o.title,
        subtitle=o.code,
        key=o.title_key or search_key(o.title),
        pinyin=o.title_pinyin or pinyin_key(o.title),
        initials=o.title_initials or initials_key(o.title),
        english=o.code.casefold(),
        extra=search_key(o.text or "")[:200],
    )


register(
    Indexer(
        kind=selectors.OPINION_KIND,
        model=Opinion,
        label=_("Opinions"),
        order=70,
        document=_document,
        visible_ids=selectors.opinion_visible_ids,
        url=lambda viewer, pk: detail_url("voice:opinion-detail", pk),
        list_url=list_url("voice:opinion-list"),
        bulk_fields=("id", "code", "title", "title_key", "title_pinyin", "title_initials", "text"),
    )
)
