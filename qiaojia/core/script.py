"""The reader's script, applied once to what reaches the reader: an HTML page or document.

Everything a reader sees follows their script, phrase level (`chinese.to_script`): the interface, names
of associations, titles, places, free text, notices. The one exception is a person's name, which is
shown as registered because conversion can change an identifier (`../shared/UX.md`): the templates mark
it with the `person_name` filter (`<span data-name>`), and a text shown as registered on purpose (an
association's registered name beside the converted one) with `as_registered` (`<span data-registered>`).

`convert_html` converts the whole page in one OpenCC call and leaves alone: marked elements and all they
contain, what a form sends back (`value="..."`, `<textarea>`), `<script>`, `<style>`, `<pre>` and `<code>`."""

import re

from django.utils.html import format_html

from .chinese import reader_script, to_script

# What a page keeps as it is: elements whose text is code or what a form sends back (script, style,
# textarea, pre, code), elements marked as a name or as registered (with all they hold; such an element
# holds no element of its own tag), and attribute values a form sends back (`value="..."`). Everything
# else (text and the attributes a reader sees: title, alt, placeholder, aria-label, data-confirm) is
# converted; tag names, URLs and other markup are ASCII, which conversion leaves alone.
_KEEP = re.compile(
    r"""<(script|style|textarea|pre|code)\b.*?</\1\s*>"""
    r"""|<([a-zA-Z][\w-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*?\sdata-(?:name|registered)(?=[\s=/>])"""
    r"""(?:[^>"']|"[^"]*"|'[^']*')*>.*?</\2\s*>"""
    r"""|\svalue\s*=\s*(?:"[^"]*"|'[^']*')""",
    re.S | re.I,
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SEP = "\ue000"


# A run of Chinese characters and punctuation: the only text conversion can change. Phrases never span
# markup or Latin text, so converting the runs alone gives what converting the page would.
_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def convert_html(html: str, language: str) -> str:
    """`html` with everything a reader sees in the script of `language`, people's names as registered.

    One OpenCC call for the whole page: the runs of Chinese outside the parts kept as they are (`_KEEP`)
    are joined by a private-use separator no phrase can span, converted, and put back in their places."""
    if not html or not reader_script(language) or not _CJK.search(html):
        return html
    spans: list[tuple[int, int]] = []
    pos = 0
    for kept in [*_KEEP.finditer(html), None]:
        stop = kept.start() if kept else len(html)
        spans.extend(m.span() for m in _RUN.finditer(html, pos, stop))
        pos = kept.end() if kept else stop
    if not spans:
        return html
    runs = [html[a:b] for a, b in spans]
    if _SEP in html:  # a page that holds the separator itself: convert run by run
        converted = [to_script(run, language) for run in runs]
    else:
        converted = to_script(_SEP.join(runs), language).split(_SEP)
    out: list[str] = []
    pos = 0
    for (a, b), text in zip(spans, converted, strict=True):
        out.append(html[pos:a])
        out.append(text)
        pos = b
    out.append(html[pos:])
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
