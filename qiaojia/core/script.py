"""The reader's script, applied once to what reaches the reader: an HTML page or document.

Everything a reader sees follows their script, phrase level (`chinese.to_script`): the interface, names
of associations, titles, places, free text, notices. The one exception is a person's name, which is
shown as registered because conversion can change an identifier (`../shared/UX.md`): the templates mark
it with the `person_name` filter (`<span data-name>`), and a text shown as registered on purpose (an
association's registered name beside the converted one) with `as_registered` (`<span data-registered>`).

`convert_html` converts the text between tags and the attributes a reader sees (title, alt, placeholder,
aria-label, data-confirm), and leaves alone: marked elements and all they contain, what a form sends back
(`<input value>`, `<textarea>`, `<option value>`), `<script>`, `<style>`, `<pre>` and `<code>`. All text
of a page is converted in one call to OpenCC, joined by a private-use separator no phrase can span."""

import re

from django.utils.html import format_html

from .chinese import reader_script, to_script

# A tag, a comment, or a doctype; attribute values may hold ">" only inside quotes.
_TAG = re.compile(
    r"""<!--.*?-->|<!\[CDATA\[.*?\]\]>|<(/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<![^>]*>""", re.S
)
_SEEN_ATTRS = re.compile(r"""(\s(?:title|alt|placeholder|aria-label|data-confirm)\s*=\s*)("[^"]*"|'[^']*')""", re.I)
_MARKED = re.compile(r"""\sdata-(?:name|registered)(?:[\s=/]|$)""", re.I)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RAW = {"script", "style", "textarea", "pre", "code"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SEP = "\ue000"


def _pieces(html: str):
    """(text, convertible) pieces of `html`, in order; their concatenation is `html`."""
    pos = 0
    skip_tag, depth = "", 0  # inside an element left as it is: its name and nesting depth
    for m in _TAG.finditer(html):
        if m.start() > pos:
            yield html[pos : m.start()], not skip_tag
        closing, name, attrs = m.group(1), (m.group(2) or "").lower(), m.group(3) or ""
        tag = m.group(0)
        if skip_tag:
            if name == skip_tag and not attrs.rstrip().endswith("/"):
                depth += -1 if closing else 1
                if depth == 0:
                    skip_tag = ""
            yield tag, False
        elif name and not closing and (name in _RAW or _MARKED.search(attrs)):
            if name not in _VOID and not attrs.rstrip().endswith("/"):
                skip_tag, depth = name, 1
            yield tag, False
        elif name and not closing and _SEEN_ATTRS.search(attrs):
            yield from _attr_pieces(tag)
        else:
            yield tag, False
        pos = m.end()
    if pos < len(html):
        yield html[pos:], not skip_tag


def _attr_pieces(tag: str):
    pos = 0
    for m in _SEEN_ATTRS.finditer(tag):
        value_start = m.start(2) + 1
        yield tag[pos:value_start], False
        yield tag[value_start : m.end(2) - 1], True
        pos = m.end(2) - 1
    yield tag[pos:], False


def convert_html(html: str, language: str) -> str:
    """`html` with everything a reader sees in the script of `language`, people's names as registered."""
    if not html or not reader_script(language) or not _CJK.search(html):
        return html
    pieces = list(_pieces(html))
    todo = [i for i, (text, convertible) in enumerate(pieces) if convertible and _CJK.search(text)]
    if not todo:
        return html
    converted = to_script(_SEP.join(pieces[i][0] for i in todo), language).split(_SEP)
    if len(converted) != len(todo):  # a text held the separator itself: convert piece by piece
        converted = [to_script(pieces[i][0], language) for i in todo]
    out = [text for text, _ in pieces]
    for i, text in zip(todo, converted, strict=True):
        out[i] = text
    return "".join(out)


def person_name_html(name: str) -> str:
    """A person's name as registered, marked so that no conversion touches it."""
    if not name:
        return ""
    return format_html('<span data-name="">{}</span>', name)


def registered_html(text: str) -> str:
    """A text shown as registered on purpose (an association's registered name beside the converted one)."""
    if not text:
        return ""
    return format_html('<span data-registered="">{}</span>', text)
