"""Every role reads every page of its menu in every language: the issue's reader walk.

The demo is loaded once; each demo account (admin, staff, officer, member) logs in once, with its second
factor, and reads each link of the header and the side menu, the inbox and (the administrator) the audit
trail, in 简体, 繁體 and English. On each page:
  * the menu's link leads somewhere (no 404, no 500);
  * on a Chinese page no visible text is an English message of the catalogues left untranslated (data
    that only looks like one, a user name or a person's name, is marked `translate="no"` or `data-name`);
  * the audit trail shows no technical identifier: `accounts.user #1`, `reviewer: 2`, `in_review`,
    `demo_load`, ISO timestamps with offsets; nor does the inbox, nor a notice kind's code (`news.published`).
"""

import io
import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation
from django.utils.text import capfirst
from django_otp.plugins.otp_totp.models import TOTPDevice

from qiaojia.accounts.models import User

from .conftest import log_in_demo

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
ROLES = ("admin", "staff", "officer", "member")
LANGUAGES = ("zh-hans", "zh-hant", "en")

# Visible text nodes of the page's header, menu and main part (not scripts, not hidden elements).
TEXTS_JS = """() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, parent = node.parentElement;
        const text = node.textContent.trim();
        if (!text || !parent) continue;
        if (parent.closest("script, style, template, noscript, [translate=no], [data-name]")) continue;
        if (!parent.getClientRects().length) continue;
        out.push(text);
    }
    return out;
}"""
LINKS_JS = """() => [...document.querySelectorAll("header.topbar a[href], nav.sidenav a[href]")]
    .map((a) => a.getAttribute("href")).filter((h) => h.startsWith("/"))"""

TECHNICAL = {
    "record type and id": re.compile(r"\b[a-z_]+\.[a-z_]+ ?#\d+"),
    "snake_case value": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "ISO timestamp": re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?([+-]\d\d:?\d\d|Z)?"),
    "time zone offset": re.compile(r"\d\d:\d\d(:\d\d)? ?[+-]\d{4}\b"),
}
# A notice kind's code where its words belong ("news.published", "cycle.report_submitted").
KIND_CODE = re.compile(r"\b[a-z]+\.[a-z]+(?:_[a-z]+)*\b")


def related_record_id(language: str) -> re.Pattern:
    """A field that refers to another record, followed by a bare number: an id where a name belongs
    ("reviewer: 2", "審核人：2")."""
    labels = set()
    with translation.override(language):
        for model in apps.get_models():
            if model.__module__.startswith("qiaojia."):
                for field in model._meta.concrete_fields:
                    if field.is_relation:
                        labels |= {field.name, str(field.verbose_name), str(capfirst(field.verbose_name))}
    names = "|".join(sorted((re.escape(label) for label in labels if label), key=len, reverse=True))
    return re.compile(rf"^\s*(?:{names}) ?[:：] ?(?:\d+ ?→ ?)?\d+\s*$", re.M)


def english_messages() -> set[str]:
    """The catalogues' English msgids a Chinese page must not show as they are: those translated into
    something else, long enough to be words rather than codes (CSV, PDF, Excel stay as they are)."""
    messages = set()
    paths = [
        ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
        *ROOT.glob("qiaojia/*/locale/zh_Hans/LC_MESSAGES/django.po"),
    ]
    for path in paths:
        for entry in polib.pofile(str(path)):
            text = entry.msgid.strip()
            if entry.msgid_plural or "%" in text or "{" in text or "<" in text:
                continue
            if len(text) < 4 or not re.search(r"[A-Za-z]{3}", text) or entry.msgstr.strip() == text:
                continue
            messages.add(text)
    return messages


def switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.locator(f"form.lang-switch button[name=language][value='{code}']").click()
    assert page.locator("html").get_attribute("lang") == code


@pytest.fixture
def demo(transactional_db):
    call_command("demo_load", people=60, enterprises=10, stdout=io.StringIO())
    for user in User.objects.filter(username__in=ROLES):
        if user.needs_second_factor:
            TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})


def test_every_role_reads_every_menu_page_in_every_language(demo, new_page, live_server):
    english = english_messages()
    assert len(english) > 500  # the catalogues were read
    problems: list[str] = []
    audit_url, inbox_url = "/admin-tools/audit/", "/notifications/"
    notices_read = 0

    for role in ROLES:
        page, _traffic = new_page(locale="zh-CN")
        log_in_demo(page, role)
        links = set(page.evaluate(LINKS_JS)) | {inbox_url}
        assert len(links) >= 4, (role, links)
        if role == "admin":
            links.add(audit_url)
        links = sorted(links)
        for language in LANGUAGES:
            switch_language(page, language)
            for url in links:
                response = page.goto(url)
                where = f"{role} · {language} · {url}"
                if response is None or response.status != 200:
                    problems.append(f"{where}: status {response.status if response else 'none'}")
                    continue
                assert page.locator("html").get_attribute("lang") == language, where
                texts = page.evaluate(TEXTS_JS)
                if language != "en":
                    untranslated = sorted({t for t in texts if t in english})
                    if untranslated:
                        problems.append(f"{where}: untranslated {untranslated}")
                if url == audit_url:
                    table = page.locator("main table").inner_text() if page.locator("main table").count() else ""
                    assert table, f"{where}: the demo's audit trail is empty"
                    for name, pattern in {**TECHNICAL, "related record's id": related_record_id(language)}.items():
                        found = pattern.search(table)
                        if found:
                            problems.append(f"{where}: {name} {found.group()!r} in the audit trail")
                if url == inbox_url:
                    inbox = page.locator("main").inner_text()
                    notices_read += page.locator("main li, main tr").count()
                    for name, pattern in {**TECHNICAL, "notice kind's code": KIND_CODE}.items():
                        found = pattern.search(inbox)
                        if found:
                            problems.append(f"{where}: {name} {found.group()!r} in the inbox")
    assert notices_read, "no inbox of the demo held a notice: the inbox check read nothing"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
