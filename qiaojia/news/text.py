"""An article in the reader's script and language.

Chinese text is shown in the reader's script: an article written in Simplified is converted with
OpenCC (s2t) for zh-hant readers, one written in Traditional (t2s) for zh-hans readers. Conversions
are kept in the process's own cache ("local") under the article's id, version and target script, so an edit (which
raises the version) makes a fresh copy. English readers get the English version when one was
written, else the Chinese original with a note."""

from dataclasses import dataclass

from django.core.cache import caches

from qiaojia.core.chinese import reads_traditional, to_script, to_simplified, to_traditional

from .importing import Block, parse_body

CACHE_SECONDS = 7 * 24 * 3600
FIELDS = ("title", "summary", "body", "source_line")


@dataclass
class ArticleText:
    title: str
    summary: str
    body: str
    source_line: str
    lang: str  # the HTML lang of the text shown
    no_english: bool = False

    @property
    def blocks(self) -> list[Block]:
        return parse_body(self.body)


def target_script(language: str) -> str:
    """ "hant", "hans" or "en": English readers get the English version where one was written."""
    if reads_traditional(language):
        return "hant"
    return "hans" if (language or "").lower().startswith("zh") else "en"


def _key(article, target: str) -> str:
    return f"news:text:{article.pk}:{article.version}:{target}"


def _convert(article, target: str) -> dict[str, str]:
    convert = to_traditional if target == "hant" else to_simplified
    return {name: convert(getattr(article, name) or "") for name in FIELDS}


def _original(article) -> dict[str, str]:
    return {name: getattr(article, name) or "" for name in FIELDS}


def _lang(script: str) -> str:
    return "zh-Hant" if script == "hant" else "zh-Hans"


def article_texts(articles, language: str) -> dict[int, ArticleText]:
    """The text of each article for a reader of `language`, converting (and caching) as needed."""
    target = target_script(language)
    out: dict[int, ArticleText] = {}
    if target == "en":
        for a in articles:
            if a.title_en:
                out[a.pk] = ArticleText(a.title_en, a.summary_en, a.body_en, a.source_line, "en")
            else:
                out[a.pk] = ArticleText(**_original(a), lang=_lang(a.script), no_english=True)
        return out
    needing = [a for a in articles if a.script != target]
    cached = caches["local"].get_many([_key(a, target) for a in needing]) if needing else {}
    fresh = {}
    for a in articles:
        if a.script == target:
            values = _original(a)
        else:
            values = cached.get(_key(a, target))
            if values is None:
                values = fresh[_key(a, target)] = _convert(a, target)
        out[a.pk] = ArticleText(**values, lang=_lang(target))
    if fresh:
        caches["local"].set_many(fresh, CACHE_SECONDS)
    return out


def article_text(article, language: str) -> ArticleText:
    return article_texts([article], language)[article.pk]


def caption_text(caption: str, language: str) -> str:
    return caption if target_script(language) == "en" else to_script(caption, language)
