"""Security headers on every route, for every role: a strict nonce-based Content-Security-Policy with no
inline script or style left in the page, `Cache-Control: no-store` on everything not declared public,
and `X-Content-Type-Options: nosniff`.

The routes and the objects they are asked about are the isolation matrix's, so a URL added without a
matrix row fails here as well as there."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from qiaojia.core.tests import test_isolation
from qiaojia.core.tests.test_isolation import MATRIX, ROLES, _pattern_names

world = test_isolation.world  # the isolation matrix's objects, as a fixture here too

# Routes whose responses may be cached by anyone: a published article's image. Nothing else, and never HTML.
PUBLIC_CACHEABLE = {"news:image"}
# Rendered by WeasyPrint into PDFs, never served to a browser.
PDF_TEMPLATES = {"cycle/compilation_pdf.html", "meetings/meeting_print.html", "trade/b2b_agenda_print.html"}
UNSAFE_SOURCES = {
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "'wasm-unsafe-eval'",
    "*",
    "data:",
    "http:",
    "https:",
    "blob:",
}
EVAL_ATTRIBUTES = ("hx-vals", "hx-vars", "hx-headers", "data-hx-vals", "data-hx-vars", "data-hx-headers")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "hx-get", "hx-post")


def policy_of(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def policy_problems(header: str | None) -> tuple[list[str], str | None]:
    """What is wrong with an HTML page's policy, and the nonce it allows."""
    if not header:
        return ["no Content-Security-Policy"], None
    policy = policy_of(header)
    problems = []
    nonces = set()
    for directive in ("script-src", "style-src"):
        sources = policy.get(directive)
        if sources is None:
            problems.append(f"no {directive}")
            continue
        problems += [f"{directive} allows {s}" for s in sources if s.lower() in UNSAFE_SOURCES]
        found = {s[len("'nonce-") : -1] for s in sources if s.startswith("'nonce-") and s.endswith("'")}
        if not found:
            problems.append(f"{directive} has no nonce")
        nonces |= found
    if len(nonces) > 1:
        problems.append(f"several nonces: {sorted(nonces)}")
    for directive in ("object-src", "base-uri", "frame-ancestors"):
        if policy.get(directive) != ["'none'"]:
            problems.append(f"{directive} is {policy.get(directive)}, not 'none'")
    if policy.get("default-src") != ["'self'"]:
        problems.append(f"default-src is {policy.get('default-src')}")
    if policy.get("form-action") != ["'self'"]:
        problems.append(f"form-action is {policy.get('form-action')}")
    return problems, next(iter(nonces), None)


class InlineFinder(HTMLParser):
    """Collects what a strict policy would refuse: inline handlers and style attributes, script and style
    elements without the response's nonce, javascript: URLs and htmx attributes that evaluate code."""

    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            value = (value or "").strip()
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>: {value[:60]}")
            elif re.fullmatch(r"on[a-z]+", name):
                self.problems.append(f"inline handler {name} on <{tag}>")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"htmx handler {name} on <{tag}> (needs eval)")
            elif name in EVAL_ATTRIBUTES and value.lower().startswith(("js:", "javascript:")):
                self.problems.append(f"{name}={value[:40]} on <{tag}> (needs eval)")
            elif name in ("hx-trigger", "data-hx-trigger") and "[" in value:
                self.problems.append(f"{name} filter {value[:40]} on <{tag}> (needs eval)")
            elif name in URL_ATTRIBUTES and re.sub(r"\s", "", value).lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name} on <{tag}>")
        if tag == "script" and "src" not in values and values.get("nonce") != self.nonce:
            self.problems.append("inline <script> without the response's nonce")
        if tag == "style" and values.get("nonce") != self.nonce:
            self.problems.append("<style> element without the response's nonce")

    handle_startendtag = handle_starttag


def body_of(response) -> bytes:
    """The body; a streamed one read to the end, which also closes its file. (Never response.close() on a
    test client's response: that fires request_finished, which closes the database connection.)"""
    return b"".join(response.streaming_content) if response.streaming else response.content


def is_html(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() in ("text/html", "application/xhtml+xml")


def header_problems(response, name: str) -> list[str]:
    """Everything wrong with one response's headers and, for HTML, its body."""
    problems = []
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    # PDFs are exempt: the policy would break Chrome's viewer (see core.middleware.CSPMiddleware).
    if not response.get("Content-Security-Policy") and response.get("Content-Type") != "application/pdf":
        problems.append("no Content-Security-Policy")
    cache = {d.split("=")[0].strip().lower() for d in response.get("Cache-Control", "").split(",") if d.strip()}
    if "public" in cache:
        if name not in PUBLIC_CACHEABLE or is_html(response):
            problems.append(f"cacheable by anyone: Cache-Control {response.get('Cache-Control')}")
    elif "no-store" not in cache:
        problems.append(f"Cache-Control {response.get('Cache-Control')!r} lacks no-store")
    if is_html(response):
        policy, nonce = policy_problems(response.get("Content-Security-Policy"))
        problems += policy
        finder = InlineFinder(nonce)
        finder.feed(body_of(response).decode(response.charset or "utf-8"))
        problems += sorted(set(finder.problems))
    return problems


def sweep(client, user, *, owners=("A",), w) -> tuple[list[str], int]:
    """Ask every route as `user` about the objects of `owners`; (problems, HTML pages with access checked)."""
    failures, pages = [], 0
    for name, (kwargs_for, _allowed_roles, method) in MATRIX.items():
        for owner in owners if kwargs_for else ("A",):
            client.logout()
            if user is not None:
                verified_client(client, user)
            url = reverse(name, kwargs=kwargs_for(w, owner) if kwargs_for else None)
            response = client.post(url) if method == "POST" else client.get(url)
            if is_html(response) and response.status_code == 200:
                pages += 1
            failures += [
                f"{method} {name}[{owner}] -> {response.status_code}: {p}" for p in header_problems(response, name)
            ]
            body_of(response)
    return failures, pages


def test_every_route_is_swept():
    missing = sorted(set(_pattern_names()) - set(MATRIX))
    assert not missing, f"routes the header sweep does not reach (add them to the isolation matrix): {missing}"
    assert all(allowed for _kwargs, allowed, _method in MATRIX.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_route_sends_the_security_headers(client, world, role):
    failures, pages = sweep(client, world["users"][role], w=world)
    assert not failures, f"{len(failures)} problems as {role}:\n" + "\n".join(failures)
    # Each role reaches real pages, not only refusals (anonymous: the login page and the public ones).
    assert pages >= 5


@pytest.mark.django_db
def test_a_page_with_an_inline_handler_or_a_nonce_less_script_is_caught(client, world):
    """The sweep's own check fails on what it is there to find."""
    response = client.get(reverse("accounts:login"))
    _problems, nonce = policy_problems(response["Content-Security-Policy"])
    assert nonce
    bad = [
        '<button onclick="go()">',
        '<p style="color:red">',
        "<script>alert(1)</script>",
        f'<script nonce="{nonce}x">1</script>',
        "<style>p{}</style>",
        '<a href=" javascript:go()">',
        '<form hx-on::before-swap="x()">',
        '<div hx-trigger="click[ctrlKey]">',
    ]
    for snippet in bad:
        finder = InlineFinder(nonce)
        finder.feed(snippet)
        assert finder.problems, snippet
    finder = InlineFinder(nonce)
    finder.feed(f'<script nonce="{nonce}">1</script><style nonce="{nonce}">p{{}}</style><script src="/s.js"></script>')
    assert not finder.problems
    assert policy_problems("default-src 'self'; script-src 'self' 'unsafe-inline'")[0]


@pytest.mark.django_db
def test_html_pages_carry_a_fresh_nonce_in_the_policy(client, world):
    first = client.get(reverse("accounts:login"))
    second = client.get(reverse("accounts:login"))
    problems, nonce = policy_problems(first["Content-Security-Policy"])
    assert problems == []
    assert nonce and nonce != policy_problems(second["Content-Security-Policy"])[1]


@pytest.mark.django_db
def test_pages_with_personal_data_are_never_stored(client, world):
    verified_client(client, world["users"]["staff"])
    person = world["A"]["person"]
    for url in (
        reverse("members:person-detail", args=[person.pk]),
        reverse("members:person-list"),
        reverse("members:person-export") + "?format=csv",
        reverse("news:portal"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"no-store"}, url
        body_of(response)
    client.logout()
    assert "no-store" in client.get(reverse("news:portal"))["Cache-Control"]


@pytest.mark.django_db
def test_a_published_articles_image_stays_cacheable_and_a_drafts_is_not(client, world):
    from qiaojia.news.tests.world import news_world

    news = news_world(world, "A")
    public = client.get(reverse("news:image", args=[news["published_image"].pk]))
    assert public.status_code == 200
    assert public["Cache-Control"].startswith("public")
    body_of(public)
    verified_client(client, world["users"]["officer_a"])
    draft = client.get(reverse("news:image", args=[news["draft_image"].pk]))
    assert draft.status_code == 200
    assert "no-store" in draft["Cache-Control"] and "public" not in draft["Cache-Control"]
    body_of(draft)


@pytest.mark.django_db
def test_pdfs_go_without_the_page_policy_so_chrome_can_show_them(client, world):
    from qiaojia.core.tests.test_isolation import _meeting_of

    verified_client(client, world["users"]["staff"])
    response = client.get(reverse("meetings:meeting-pdf", args=[_meeting_of(world, "A")["meeting"].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]


def test_html_is_never_declared_cacheable_and_a_public_file_stays_so(rf):
    from django.http import HttpResponse

    from qiaojia.core.middleware import CacheControlMiddleware

    def answer(content_type, cache_control):
        def view(request):
            response = HttpResponse(b"", content_type=content_type)
            response["Cache-Control"] = cache_control
            return response

        return CacheControlMiddleware(view)(rf.get("/"))["Cache-Control"]

    assert answer("text/html", "public, max-age=600") == "private, no-store"
    assert answer("text/csv", "private, max-age=3600") == "private, no-store"
    assert answer("text/csv", "max-age=0, no-cache, no-store, must-revalidate, private").startswith("max-age=0")
    assert answer("image/jpeg", "public, max-age=86400") == "public, max-age=86400"


@pytest.mark.django_db
def test_error_pages_carry_the_policy_and_no_inline_code(world):
    client = Client(enforce_csrf_checks=True)
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert header_problems(not_found, "404") == []
    refused = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert refused.status_code == 403
    assert header_problems(refused, "403") == []
    assert b"csrf-failure" in refused.content
    finder = InlineFinder(None)
    finder.feed(render_to_string("500.html"))
    assert finder.problems == []


def test_no_served_template_holds_inline_script_or_style():
    """Templates the sweep may not reach in every state: no style attribute, inline handler, or script or
    style element without a nonce in any template served to a browser."""
    patterns = {
        "style attribute": re.compile(r"\sstyle\s*="),
        "inline handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
        "htmx handler": re.compile(r"\s(?:data-)?hx-on"),
        "script without src or nonce": re.compile(r"<script(?![^>]*\s(?:src|nonce)=)[^>]*>", re.IGNORECASE),
        "style element without nonce": re.compile(r"<style(?![^>]*\snonce=)[^>]*>", re.IGNORECASE),
        "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    }
    found = []
    roots = [Path(settings.BASE_DIR) / "qiaojia"]
    templates = [p for root in roots for p in root.glob("**/templates/**/*.html")]
    assert len(templates) > 50
    for path in templates:
        relative = path.as_posix().split("/templates/", 1)[1]
        if relative in PDF_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{relative}: {what}" for what, pattern in patterns.items() if pattern.search(text)]
    assert not found, "\n".join(found)
