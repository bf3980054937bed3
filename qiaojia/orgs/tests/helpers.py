"""Small helpers the registry and member tests share: reading pages, counting queries, languages."""

import html
import re
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from qiaojia.core import context

LANGUAGES = ("zh-hans", "zh-hant", "en")

# A mainland mobile number or an 18-character ID number in clear, bounded by non-digits so that
# random tokens (CSRF, request ids) do not match by accident; a leading +86 is part of the number.
CLEAR_PHONE_RE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")
CLEAR_ID_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def field_block(page: str, name: str) -> str:
    """The unescaped text of the block that renders field `name` (label, widget, its errors)."""
    match = re.search(rf'<div class="field[^"]*" id="field-{re.escape(name)}">(.*?)</div>', page, re.S)
    assert match, f"field {name!r} not rendered"
    return html.unescape(match.group(1))


def field_errors(page: str, name: str) -> str:
    """The text of the error list under field `name` ('' when it has none)."""
    match = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', field_block(page, name), re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""


def input_value(page: str, name: str) -> str | None:
    """The value attribute of the input called `name`, unescaped; None when absent."""
    for tag in re.findall(r"<input[^>]*>", page):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            value = re.search(r'\bvalue="([^"]*)"', tag)
            return html.unescape(value.group(1)) if value else ""
    return None


def is_disabled(page: str, name: str) -> bool:
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", page):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            return bool(re.search(r"\bdisabled\b", tag))
    raise AssertionError(f"no widget named {name!r}")


def message_in(language: str, message) -> str:
    """A (lazy) message as a reader of `language` sees it."""
    with translation.override(language):
        return str(message)


def validator_message(language: str, validator, value) -> str:
    with translation.override(language):
        try:
            validator(value)
        except ValidationError as exc:
            return exc.messages[0]
    raise AssertionError(f"{validator.__name__} accepted {value!r}")


def query_count(client, url: str) -> int:
    client.get(url)  # warm caches that belong to the session, not the page
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        text_of(response)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


@contextmanager
def acting_as(user, ip: str = "10.1.2.3", request_id: str = "req-test-000001"):
    """Services called from a test act as `user`, as they would inside a request."""
    token = context.set_current(context.ActorContext(user.pk, user.username, ip, request_id))
    try:
        yield
    finally:
        context.reset(token)
