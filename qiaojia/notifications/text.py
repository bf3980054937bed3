"""A notice's words, written when it is read: in the reader's language and script, not the sender's.

A kind declares how its subject and body read (`notice_kind(..., subject=f, body=f)`, `f(params) -> str`,
called with the reader's language active, so the words are the catalogue's). A notice stores only the kind
and its parameters; the values are stored as written and shown in the reader's script (`chinese.to_script`),
except a person's name (`person(name)`), which is shown as registered, and a day or a moment (a `date` or
`datetime`), which is written as the reader's language writes it (`core.formats`).

The e-mail is the same rendering for the recipient's own language at the time it is sent."""

import datetime
import re
from typing import Any

from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qiaojia.core import formats
from qiaojia.core.chinese import to_script
from qiaojia.core.script import person_name_html

_NAME, _DAY, _MOMENT = "$name", "$date", "$datetime"
_OPEN, _CLOSE = "\ue001", "\ue002"  # around a name's index while the text is converted
_SLOT = re.compile(_OPEN + r"(\d+)" + _CLOSE)


def person(name: str) -> dict[str, str]:
    """A parameter that is a person's name: shown as registered in every script."""
    return {_NAME: name or ""}


def encode(params: dict[str, Any]) -> dict[str, Any]:
    """`params` as JSON can store them: a datetime or date is kept as such, anything else as text or number."""
    out: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if isinstance(value, datetime.datetime):
            out[key] = {_MOMENT: value.isoformat()}
        elif isinstance(value, datetime.date):
            out[key] = {_DAY: value.isoformat()}
        elif isinstance(value, dict) or isinstance(value, bool | int | float) or value is None:
            out[key] = value
        else:
            out[key] = str(value)
    return out


def _decode(params: dict[str, Any], language: str, names: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, dict) and _NAME in value:
            names.append(value[_NAME])
            out[key] = f"{_OPEN}{len(names) - 1}{_CLOSE}"
        elif isinstance(value, dict) and _MOMENT in value:
            moment = parse_datetime(value[_MOMENT])
            out[key] = formats.datetime_text(timezone.localtime(moment) if moment else None, language)
        elif isinstance(value, dict) and _DAY in value:
            out[key] = formats.date_text(parse_date(value[_DAY]), language)
        else:
            out[key] = value
    return out


def render(write, params: dict[str, Any], language: str, *, html: bool = False) -> str | SafeString:
    """What `write(params)` says to a reader of `language`: words and values in their script, names as
    registered (marked `<span data-name>` in HTML)."""
    names: list[str] = []
    with translation.override(language):
        text = str(write(_decode(params or {}, language, names)))
    text = to_script(text, language)
    if not html:
        return _SLOT.sub(lambda m: names[int(m.group(1))], text)
    return mark_safe(_SLOT.sub(lambda m: person_name_html(names[int(m.group(1))]), escape(text)))
