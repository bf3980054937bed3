"""Every reader sees one script, and dates as their language writes them (issue 13, §2 and §4).

The demo's world (written in Traditional, as the seed tells it) is walked in Chromium by each role in each
language: the menu's pages, a detail page of an association, a meeting, an event and a report, and the inbox.
On a zh-Hant page no visible character is Simplified-only, on a zh-Hans page none is Traditional-only, except
in people's names (`<span data-name>`, shown as registered) and in an association's registered name shown on
purpose (`<span data-registered>`). No page in any language shows an ISO date or an ambiguous numeric date.
Untranslated strings are the reader walk's business (test_reader_walk.py)."""

import re
from functools import cache

import opencc
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from qiaojia.accounts.models import User
from qiaojia.core.chinese import to_script
from qiaojia.cycle.models import AnnualReport
from qiaojia.events.models import FlagshipEvent
from qiaojia.meetings.models import Meeting
from qiaojia.notifications.models import Notification
from qiaojia.orgs.models import Association

from .conftest import log_in_demo

pytestmark = pytest.mark.browser

LANGUAGES = ("zh-hans", "zh-hant", "en")
ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)")
NUMERIC_DATE = re.compile(r"(?<!\d)(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}/\d{1,2}/\d{1,2})(?!\d)")

# The text a reader sees: the page's title and the body's rendered text, without people's names and
# registered names (the live page is ours to change: it is read once and left).
VISIBLE_TEXT = """() => {
    document.querySelectorAll("[data-name], [data-registered]").forEach((el) => el.remove());
    return document.title + "\\n" + document.body.innerText;
}"""


@cache
def _converters():
    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@cache
def other_script(char: str, language: str) -> bool:
    """Whether `char` belongs only to the script a reader of `language` does not read."""
    t2s, s2t = _converters()
    if language == "zh-hant":  # Simplified-only: Traditional conversion changes it, Simplified does not
        return t2s.convert(char) == char and s2t.convert(char) != char
    return s2t.convert(char) == char and t2s.convert(char) != char


def wrong_script(text: str, language: str) -> list[str]:
    """The lines of `text` holding a character of the other script, with the characters. A character of
    the other script by itself (准, 里, 秘) counts only where the reader's phrase-level conversion changes it:
    批准 and 故里 are Traditional as written, 准许 and 里面 are not."""
    found = []
    for line in text.splitlines():
        suspects = {c for c in line if "\u3400" <= c <= "\u9fff" and other_script(c, language)}
        if not suspects:
            continue
        converted = to_script(line, language)
        if len(converted) == len(line):
            chars = sorted({a for a, b in zip(line, converted, strict=True) if a != b and a in suspects})
        else:
            chars = sorted(suspects - set(converted))
        if chars:
            found.append(f"{''.join(chars)} in {line.strip()[:80]!r}")
    return found


def bad_dates(text: str) -> list[str]:
    return [m.group(0) for m in (*ISO_DATE.finditer(text), *NUMERIC_DATE.finditer(text))]


@pytest.fixture
def demo_world(transactional_db):
    call_command("demo_load", people=60, enterprises=10, verbosity=0)
    for user in User.objects.filter(username__in=["admin", "staff", "officer", "member"]):
        if user.needs_second_factor and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="default", confirmed=True)


AUDIT_TRAIL = "/admin-tools/audit/"


def _detail_urls(username: str) -> list[str]:
    user = User.objects.get(username=username)
    association = (
        user.associations.order_by("pk").first() if user.associations.exists() else Association.objects.first()
    )
    urls = [reverse("orgs:association-detail", args=[association.pk])]
    meeting = Meeting.objects.order_by("pk").first()
    event = FlagshipEvent.objects.order_by("pk").first()
    report = AnnualReport.objects.filter(association=association).order_by("pk").first() or (
        AnnualReport.objects.order_by("pk").first()
    )
    urls += [reverse("meetings:meeting-detail", args=[meeting.pk])] if meeting else []
    urls += [reverse("events:event-detail", args=[event.pk])] if event else []
    urls += [reverse("cycle:report-detail", args=[report.pk])] if report else []
    return urls + [reverse("notifications:inbox")]


def _walk(page, username: str, language: str) -> tuple[int, list[str]]:
    page.goto("/")
    with page.expect_navigation():  # the header's switcher, which the user's account remembers
        page.locator(f"form.lang-switch button[name=language][value='{language}']").click()
    menu = page.eval_on_selector_all("nav.sidenav a[href^='/']", "els => els.map((a) => a.getAttribute('href'))")
    assert menu, "the menu is empty"
    urls = list(dict.fromkeys([*menu, *_detail_urls(username)]))
    problems, seen = [], 0
    for url in urls:
        response = page.goto(url)
        if response is None or response.status != 200:
            continue  # a menu link that leads nowhere is the role walk's business
        seen += 1
        assert page.locator("html").get_attribute("lang") == language, url
        text = page.evaluate(VISIBLE_TEXT)
        if language != "en":
            problems += [f"{url}: {line}" for line in wrong_script(text, language)]
        if url != AUDIT_TRAIL:  # its recorded values are the readable-history work's (issue 13, §3)
            problems += [f"{url}: date {date}" for date in bad_dates(text)]
    return seen, problems


@pytest.mark.parametrize("username", ["admin", "staff", "officer", "member"])
def test_every_page_is_in_the_readers_script_with_dates_as_the_language_writes_them(
    demo_world, new_page, live_server, username
):
    # A notice sent while the reader read Simplified: read in each language, it follows the reader.
    user = User.objects.get(username=username)
    Notification.objects.create(recipient=user, kind="general", subject="报告等待您审核", body="请尽快审核并回复")
    page, _traffic = new_page(locale="zh-CN")
    log_in_demo(page, username)
    for language in LANGUAGES:
        seen, problems = _walk(page, username, language)
        assert seen >= 4, f"{username} saw only {seen} pages in {language}"
        assert not problems, f"{username} in {language}:\n" + "\n".join(problems[:40])


def test_the_walk_sees_a_page_in_the_wrong_script():
    """The check itself: a zh-Hant page with 报告 or 并, a zh-Hans page with 報告, ISO and US dates."""
    assert wrong_script("省僑聯 报告并", "zh-hant") and not wrong_script("省僑聯 報告並", "zh-hant")
    assert wrong_script("准许进入里面", "zh-hant") and not wrong_script("已批准 · 黃帝故里 · 秘書長 · 群島", "zh-hant")
    assert wrong_script("河南省僑商聯合會", "zh-hans") and not wrong_script("河南省侨商联合会", "zh-hans")
    assert bad_dates("(2025-03-28)") and bad_dates("07/08/2025") and not bad_dates("2025年3月28日 · 5 Mar 2025")
