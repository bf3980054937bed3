"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

Playwright's own browser download cannot work here; `make chromium` (or `apt-get install chromium`)
provides /usr/bin/chromium. Without it the browser tests fail: a skipped test is not a passed test.
"""

import os
import shutil
import time
from dataclasses import dataclass, field

import pytest
from django.core.cache import caches
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django would then refuse the
    # ORM calls the tests make (fixtures, counts). Allowed only from here on, and restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Runs in every document before its own scripts (Playwright's init scripts are not subject to the page's
# Content-Security-Policy) and reports each violation to the test through an exposed function.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) => window.__cspViolation(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"} in ${e.documentURI} at ${e.sourceFile}:${e.lineNumber}`
    + (e.sample ? ` (${e.sample})` : "")));"""


@dataclass
class Traffic:
    """What a page asked for: every request URL, failed sub-resources, script errors and whatever the
    Content-Security-Policy refused."""

    urls: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)

    def watch(self, page):
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", self._console)
        page.expose_function("__cspViolation", lambda text: self.csp.append(text))
        page.add_init_script(CSP_LISTENER)
        return page

    def _console(self, message):
        # Chromium also logs each refusal ("Refused to apply inline style because it violates the
        # following Content Security Policy directive ..."), including those no event reports.
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def _request_failed(self, request):
        # A page's own script may drop a request it no longer wants (htmx's hx-sync "replace" aborts a
        # filter request overtaken by a newer one); that is the page working, not a resource failing.
        if request.failure == "net::ERR_ABORTED" and request.resource_type in ("xhr", "fetch"):
            return
        self.failed.append(f"{request.url} ({request.failure})")

    def _response(self, response):
        # Pages may answer 400/404 on purpose; the assets they load must not fail.
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed.append(f"{response.url} ({response.status})")

    def assert_clean(self, base_url: str):
        outside = [u for u in self.urls if not (u.startswith(base_url + "/") or u.startswith(("data:", "about:")))]
        assert not outside, f"requests outside the live server: {outside}"
        assert not self.failed, f"failed requests: {sorted(set(self.failed))}"
        assert not self.errors, f"script errors: {self.errors}"
        assert not self.csp, f"Content-Security-Policy violations: {self.csp}"


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh contexts (own cookies), each with its own traffic record; all closed at the end.

    `new_page(locale="zh-CN", viewport=PHONE)` returns (page, traffic)."""
    # The database cache's table is not among the models a transactional test empties: rate-limit counts
    # (sign-in, password reset, the public forms) would carry over from one walk to the next.
    caches["default"].clear()
    contexts, traffics = [], []

    def make(*, locale="zh-CN", viewport=None, **options):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport=viewport or {"width": 1280, "height": 900}, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        traffic = Traffic()
        traffics.append(traffic)
        return traffic.watch(context.new_page()), traffic

    yield make
    for context in contexts:
        context.close()
    # Also on pages whose test does not call assert_clean.
    violations = [v for traffic in traffics for v in traffic.csp]
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def page(new_page):
    """One page in a new browser context with a Simplified-Chinese browser, as most officers have."""
    page, traffic = new_page()
    page.traffic = traffic
    return page


def totp_code(device: TOTPDevice) -> str:
    """The code the officer's authenticator app shows now, or, when this time step's code was already
    used (a second login within 30 s, which replay protection refuses), the next step's code, which
    the server accepts within its tolerance of one step."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.time = device.t0 + (device.last_t + 1) * device.step
    token = totp.token()
    return f"{token:0{device.digits}d}"


def log_in(page, user, *, password: str = TEST_PASSWORD) -> None:
    """Walk the real login: username and password, then the TOTP page; ends on the page after login."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    assert page.url.split("?")[0].endswith("/accounts/2fa/"), page.url
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    page.locator("#id_token").fill(totp_code(device))
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    assert "/accounts/" not in page.url, f"login did not finish: {page.url}"


def log_in_demo(page, username: str) -> None:
    """The real login of a demo account with the demo password, and the second factor for those who owe one."""
    from qiaojia.demo.accounts import DEMO_PASSWORD

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    if page.url.split("?")[0].endswith("/accounts/2fa/"):
        page.locator("#id_token").fill(totp_code(TOTPDevice.objects.get(user__username=username, confirmed=True)))
        with page.expect_navigation():
            page.locator("form.stacked button[type=submit]").click()
    assert "/accounts/" not in page.url, f"{username}: login did not finish: {page.url}"


def no_horizontal_overflow(page) -> tuple[bool, int, int]:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width <= inner + 1, width, inner


HIDDEN_JS = """(selector) => [...document.querySelectorAll(selector)].filter((el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return true;
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) return true;
    const hit = document.elementFromPoint(x, y);
    return !(hit && (hit === el || el.contains(hit)));
}).map((el) => el.outerHTML.replace(/\\s+/g, " ").slice(0, 100))"""


def hidden_controls(page, selector: str) -> list[str]:
    """The elements matching `selector` that a finger cannot reach: empty, off screen, or covered at their centre."""
    return page.evaluate(HIDDEN_JS, selector)


def click_confirmed(page, target, *, expect: str | None = None) -> str:
    """Click a button that asks first (data-confirm), accept its question and wait for the next page; returns
    the question, which must have been asked (and contain `expect` when given)."""
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        (page.locator(target).first if isinstance(target, str) else target).click()
    assert questions and questions[0], "the button did not ask before changing the record"
    if expect is not None:
        assert expect in questions[0], questions[0]
    return questions[0]


def wait_until(page, expression: str, *, timeout: float = 10.0) -> None:
    """Wait until the JavaScript `expression` is true in the page. Playwright's own wait_for_function
    compiles its predicate inside the page, which our Content-Security-Policy (no eval) refuses whenever
    the first check is false; page.evaluate runs through the DevTools protocol instead."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout}s: {expression}"
        page.wait_for_timeout(100)
