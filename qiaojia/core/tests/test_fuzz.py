"""No input gives a server error: hostile values in every query parameter and form field of every route,
as each role allowed on it, against the isolation matrix's world.

A route's parameters are read from the pages themselves: every `<form>` on every page the role can open
gives its action's fields (filter bars give query parameters, forms give POST fields with their current
values as the base that one example changes in part). A route added later is fuzzed with no change here.
Each target gets three fixed examples (a NUL byte, an id beyond 64 bits, a list, in every field at once) and
QIAOJIA_FUZZ_EXAMPLES drawn ones (default 3); derandomized under CI, so a run is repeatable."""

import logging
import os
import sys
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import quote, quote_from_bytes, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from hypothesis import HealthCheck, Phase, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import verified_client

from .test_isolation import MATRIX, _allowed
from .test_isolation import world as world  # noqa: F401  (the fixture, used through getfixturevalue)

# officer_b is officer_a's mirror on the other association, and admin fuzzes only what staff may not open:
# both would add time and no code paths.
ROLES = ("anonymous", "member", "officer_a", "staff", "admin")
COMMON = ("q", "page", "association", "year", "status", "sort", "format", "next", "kind", "unread")

EXAMPLES = int(os.environ.get("QIAOJIA_FUZZ_EXAMPLES", "3"))
SLOW_EXAMPLES = max(1, EXAMPLES // 2)
FUZZ = hypothesis_settings(
    derandomize=bool(os.environ.get("CI")),
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
)


class Raw(bytes):
    """Bytes sent percent-encoded as they are: invalid UTF-8 and escaped surrogates."""


KEEP, OMIT = object(), object()
HUGE = [str(2**63), str(2**64), str(-(2**63) - 1), "9" * 400, "1" + "0" * 30, "1e309", "-0", "0x7fffffffffffffff"]
TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "1\x00",
    "\x00" * 10,
    "\t\r\n",
    "\x1b[31m",
    "x" * 10_000,
    "鄭" * 5_000,
    "\u202etxt.exe",
    "\u200f\u200e\u200b\ufeff",
    "e\u0301\u0302\u0303\u0304",
    "Z\u0351\u0354\u0357" * 50,
    "👨‍👩‍👧‍👦🇨🇳",
    "１２３４５６７８",
    "ＡＢＣ＠",
    "\uffff\ufffe",
    "\U0010ffff",
    "ﷺ",
    "ǅ",
    "null",
    "None",
    "[]",
    "{}",
    "[1,2]",
    "true",
    "NaN",
    "inf",
    "-1",
    "0",
    "1.5",
    "1,5",
    "2025-02-30",
    "9999-12-31",
    "0000-00-00",
    "2025-13-01T25:61",
    "1900-01-01",
    "' OR 1=1 --",
    '"*',
    "AND OR NOT",
    "NEAR(a b)",
    "a*",
    "*",
    "^",
    '"',
    "'",
    "(",
    ")",
    ":",
    "-a",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "%s%s%n",
    "{{ 7*7 }}",
]
RAW = [Raw(b"\xed\xa0\x80"), Raw(b"\xed\xbf\xbf"), Raw(b"\xff\xfe"), Raw(b"\xc0\x80"), Raw(b"a\x80b")]

scalar = st.one_of(
    st.sampled_from(TEXT),
    st.sampled_from(HUGE),
    st.integers(min_value=2**63 - 2, max_value=2**200).map(str),
    st.integers(max_value=-(2**63)).map(str),
    st.sampled_from(RAW),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)
value = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))
upload = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["a.jpg", "a.csv", "a.xlsx", "a.pdf", "x" * 300 + ".pdf", "\u202egpj.exe", "鄭.docx", ".pdf", "a"]),
    st.sampled_from([b"", b"\x00" * 64, b"%PDF-1.4\n", b"PK\x03\x04", b"\xff\xd8\xff\xe0", "姓名\n鄭\n".encode()]),
)


class FormParser(HTMLParser):
    """The forms of a page: method, action, and each named field with its current value(s)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: tuple[str, str] | None = None
        self._option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": {},
                "files": set(),
            }
            self.forms.append(self._form)
            return
        form = self._form if self._form is not None else self._loose()
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                form["files"].add(name)
            elif kind in ("checkbox", "radio"):
                form["fields"].setdefault(name, [])
                if "checked" in a:
                    form["fields"][name].append(a.get("value") or "on")
            elif kind not in ("submit", "button", "image", "reset"):
                form["fields"].setdefault(name, []).append(a.get("value") or "")
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            form["fields"].setdefault(name, [a.get("value") or ""])
        elif tag == "select" and name:
            self._select, self._select_first = name, None
            form["fields"].setdefault(name, [])
        elif tag == "option" and self._select:
            self._option = a.get("value")
            if self._select_first is None:
                self._select_first = (self._select, self._option or "")
            if "selected" in a:
                form["fields"][self._select].append(self._option or "")
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"][name] = [""]

    def handle_data(self, data):
        form = self._form if self._form is not None else self._loose()
        if self._textarea:
            form["fields"][self._textarea][-1] += data

    def handle_endtag(self, tag):
        form = self._form if self._form is not None else self._loose()
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if not form["fields"][self._select] and self._select_first:
                form["fields"][self._select].append(self._select_first[1])
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _loose(self) -> dict:
        """Fields outside any form (filter inputs that htmx sends) count as the page's own query parameters."""
        if not self.forms or self.forms[0].get("loose") is not True:
            self.forms.insert(0, {"method": "get", "action": "", "fields": {}, "files": set(), "loose": True})
        return self.forms[0]


def _view_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def _encode(pairs: list[tuple[str, object]]) -> str:
    parts = []
    for key, val in pairs:
        encoded = quote_from_bytes(val) if isinstance(val, Raw) else quote(str(val), safe="")
        parts.append(f"{quote(key, safe='')}={encoded}")
    return "&".join(parts)


def _pairs(base: dict[str, list[str]], drawn: dict[str, object]) -> tuple[list[tuple[str, object]], dict]:
    pairs, files = [], {}
    for name, choice in drawn.items():
        if choice is OMIT:
            continue
        if choice is KEEP:
            pairs.extend((name, v) for v in base.get(name, []))
        elif isinstance(choice, SimpleUploadedFile):
            choice.seek(0)
            files[name] = choice
        elif isinstance(choice, list):
            pairs.extend((name, v) for v in choice)
        else:
            pairs.append((name, choice))
    return pairs, files


def _send(client: Client, method: str, url: str, pairs, files):
    if method == "GET":
        sep = "&" if "?" in url else "?"
        return client.get(f"{url}{sep}{_encode(pairs)}" if pairs else url)
    if files:
        data: dict[str, object] = {}
        for key, val in pairs:
            text = val.decode("utf-8", "replace") if isinstance(val, Raw) else val
            data.setdefault(key, []).append(text)
        return client.post(url, {**data, **files})
    return client.post(url, _encode(pairs), content_type="application/x-www-form-urlencoded")


def _consume(response):
    """The body, read to the end (a streamed export fails only while it is read): None, or the error."""
    try:
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
    except Exception:  # noqa: BLE001  (any error while streaming is the server's)
        return sys.exc_info()
    return None


@dataclass
class Target:
    name: str
    method: str
    url: str
    params: set[str]
    base: dict[str, list[str]] = field(default_factory=dict)  # a form's current values
    files: set[str] = field(default_factory=set)
    examples: int = EXAMPLES


def _targets(client: Client, w, role: str) -> list[Target]:
    """Every route this role may use: GET pages with their query parameters, and every POST form found on
    those pages (or the bare route where no page shows a form for it)."""
    gets: dict[str, Target] = {}
    posts: dict[str, Target] = {}
    for name, (kwargs_for, allowed, method) in MATRIX.items():
        if not _allowed(name, allowed, role, "A") or (role == "admin" and _allowed(name, allowed, "staff", "A")):
            continue
        url = reverse(name, kwargs=kwargs_for(w, "A") if kwargs_for else None)
        extra = {"version", "form_token"}
        if method == "POST":
            posts.setdefault(name, Target(name, "POST", url, set(COMMON) | extra))
            continue
        target = gets[name] = Target(name, "GET", url, set(COMMON))
        response = client.get(url)
        _consume(response)
        if "html" not in response.get("Content-Type", ""):
            target.examples = SLOW_EXAMPLES  # PDFs and downloads: few, each costs a rendering
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode(errors="replace"))
        for form in parser.forms:
            action = urljoin(url, form["action"]) if form["action"] else url
            view = _view_name(action)
            if view not in MATRIX:
                continue
            if form["method"] == "post":
                if view not in posts or not posts[view].base:
                    params = set(form["fields"]) | form["files"] | set(COMMON) | extra
                    posts[view] = Target(view, "POST", action, params, base=form["fields"], files=form["files"])
            elif view == name:
                target.params.update(form["fields"])
    return [*gets.values(), *posts.values()]


def _path_failures(client: Client, w, role: str) -> list[str]:
    """Ids beyond 64 bits in the URL's own integer parts (`<int:pk>`): a 404, never a server error."""
    failures = []
    saved = {key: morsel.value for key, morsel in client.cookies.items()}
    for name, (kwargs_for, allowed, method) in MATRIX.items():
        if (
            kwargs_for is None
            or not _allowed(name, allowed, role, "A")
            or (role == "admin" and _allowed(name, allowed, "staff", "A"))
        ):
            continue
        kwargs = kwargs_for(w, "A")
        for key in [k for k, v in kwargs.items() if isinstance(v, int)]:
            for huge in (2**31, 2**63, 2**64):
                try:
                    url = reverse(name, kwargs={**kwargs, key: huge})
                except NoReverseMatch:  # a fixed-width part (a month: two digits) cannot hold it
                    continue
                with transaction.atomic():
                    response = client.post(url) if method == "POST" else client.get(url)
                    streamed = _consume(response)
                    transaction.set_rollback(True)
                client.cookies = SimpleCookie(saved)
                if response.status_code >= 500 or streamed:
                    cause, where = _cause(streamed or response.exc_info)
                    failures.append(f"{role} {method} {name} {url} -> {response.status_code}: {cause} at {where}")
    return failures


def _short(val) -> str:
    text = repr(val)
    return text if len(text) <= 60 else f"{text[:40]}...<{len(val)} long>"


def _cause(exc_info) -> tuple[str, str]:
    """The exception and the innermost frame of the project's own code it passed through."""
    if not exc_info:
        return "no exception", "?"
    frames = traceback.extract_tb(exc_info[2])
    ours = [f for f in frames if "/qiaojia/" in f.filename and "/.venv/" not in f.filename] or frames[-1:]
    where = f"{ours[-1].filename.split('/qiaojia/')[-1]}:{ours[-1].lineno} {ours[-1].name}" if ours else "?"
    return f"{exc_info[0].__name__}: {str(exc_info[1])[:200]}", where


def _fuzz(client: Client, role: str, target: Target) -> str | None:
    """None, or each distinct server error hypothesis found on this target, with its (shrunk) input."""
    names = sorted(target.params)
    choices = {p: st.one_of(st.just(KEEP), st.just(OMIT), upload if p in target.files else value) for p in names}
    saved = {key: morsel.value for key, morsel in client.cookies.items()}
    found: dict[tuple[str, str], str] = {}

    @hypothesis_settings(FUZZ, max_examples=target.examples)
    @given(st.fixed_dictionaries(choices))
    @example({p: SimpleUploadedFile("\x00.pdf", b"\x00") if p in target.files else "a\x00b" for p in names})
    @example({p: KEEP if p in target.files else str(2**64) for p in names})
    @example({p: KEEP if p in target.files else ["1", "-1", "\uffff" * 200] for p in names})
    def run(drawn):
        pairs, uploads = _pairs(target.base, drawn)
        try:
            with transaction.atomic():
                try:
                    response = _send(client, target.method, target.url, pairs, uploads)
                    streamed = _consume(response)
                finally:
                    transaction.set_rollback(True)  # each example starts from the same world
        finally:
            client.cookies = SimpleCookie(saved)  # a logout or a language switch does not carry over
        if response.status_code >= 500 or streamed:
            cause, where = _cause(streamed or response.exc_info)
            changed = ", ".join(f"{k}={_short(v)}" for k, v in pairs if v not in target.base.get(k, ()))
            changed += "".join(f", {k}=<file {f.name!r}>" for k, f in uploads.items())
            key = (cause.split(":")[0], where)
            found[key] = (
                f"{role} {target.method} {target.name} {target.url} -> {response.status_code}: "
                f"{cause} at {where}\n    with {changed}"
            )
            raise AssertionError(found[key])

    try:
        run()
    except (AssertionError, ExceptionGroup):  # one error, or several distinct ones
        return "\n".join(found.values())
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_input_gives_a_server_error(request, role, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")
    w = request.getfixturevalue("world")
    client = Client(raise_request_exception=False)
    if w["users"][role] is not None:
        verified_client(client, w["users"][role])
    failures = [problem for target in _targets(client, w, role) if (problem := _fuzz(client, role, target))]
    failures += _path_failures(client, w, role)
    assert not failures, "\n\n".join(failures)
