"""The busiest day, 31 March, as the requests people make: officers editing (autosave) and submitting their
association's annual report, federation staff reviewing (report list, dashboard, accept or return), members
searching and reading the news. Plain Python (the standard library only), so the same sequences run under
locust (bench/locustfile.py, in .venv-load) and under Django's test client (bench/tests/test_scenario.py).

Each sequence talks to an `Http` (one person's browser: cookies, redirects followed) and counts in a `Tally`
the writes the platform accepted, so that after the run they can be checked against the database.
"""

import hashlib
import hmac
import random
import re
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

# Writes a report can take; each successful one adds exactly 1 to the report's version.
WRITES = ("autosave", "save", "submit", "accept", "return")
# How often an officer who has edited submits (per round), and a reviewer returns rather than accepts.
SUBMIT_CHANCE = 0.2
RETURN_CHANCE = 0.3
SEARCHES = ["王", "李", "张伟", "陈", "林", "黄", "zhang", "chen", "wang", "liu", "郑", "吴", "刘洋", "杨", "lin"]


@dataclass
class Page:
    status: int
    text: str
    path: str  # where the redirects ended, with its query string

    def forms(self) -> list["Form"]:
        parser = _FormParser()
        parser.feed(self.text)
        return parser.forms

    def form(self, action_contains: str) -> "Form | None":
        return next((f for f in self.forms() if action_contains in f.action), None)

    def form_with(self, name: str) -> "Form | None":
        """The page's form that has the field `name` (pages also hold the header's language and logout forms)."""
        return next((f for f in self.forms() if name in f.fields), None)

    @property
    def succeeded(self) -> bool:
        """The page shows the success message of the step that led to it."""
        return 'class="msg-success"' in self.text


class Http(Protocol):
    def request(
        self,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        *,
        name: str,
        ok: Iterable[int] = (200,),
        follow: bool = True,
    ) -> Page: ...


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """The forms of a page as a browser would post them: inputs, textareas, selected options, ticked boxes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in self._form.fields):
            self._form.fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            # A browser drops the newline that opens a textarea's content.
            if self._form is not None and self._textarea:
                self._form.fields[self._textarea] = self._form.fields[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


class Tally:
    """What the platform accepted (`ok`), refused because someone else saved first (`conflict`), or failed."""

    def __init__(self):
        self._lock = threading.Lock()
        self.counts: dict[str, dict[str, int]] = {"ok": {}, "conflict": {}, "failed": {}}

    def add(self, outcome: str, kind: str) -> None:
        with self._lock:
            self.counts[outcome][kind] = self.counts[outcome].get(kind, 0) + 1

    def ok(self, kind: str) -> int:
        return self.counts["ok"].get(kind, 0)

    def merge(self, other: dict[str, dict[str, int]]) -> None:
        for outcome, kinds in other.items():
            for kind, n in kinds.items():
                with self._lock:
                    self.counts[outcome][kind] = self.counts[outcome].get(kind, 0) + n


# ------------------------------------------------------------------------------------------------ login


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The authenticator app's current code (RFC 6238), from the device key the setup made."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def _csrf(page: Page) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    return match.group(1) if match else ""


def login(http: Http, account: dict[str, Any], pause: Callable[[float], None] = time.sleep) -> Page:
    """Password, then the authenticator's code when the platform asks for it, as a person signs in."""
    page = http.request("GET", "/accounts/login/", name="login page")
    page = http.request(
        "POST",
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": _csrf(page),
            "username": account["username"],
            "password": account["password"],
            "next": "/",
        },
        name="login",
    )
    for attempt in range(2):
        if not page.path.startswith("/accounts/2fa/"):
            break
        if attempt:
            # A code is good once per device: a second sign-in within its 30 s waits for the next code.
            pause(30 - time.time() % 30 + 1)
        form = page.form_with("token") or Form(action=page.path)
        page = http.request(
            "POST", page.path, {**form.fields, "token": totp(account["totp_key"])}, name="second factor", ok=(200, 400)
        )
    if page.path.startswith("/accounts/"):
        raise RuntimeError(f"{account['username']} could not sign in (ended at {page.path})")
    return page


# ------------------------------------------------------------------------------------------------ officers


def officer_round(
    http: Http, account: dict[str, Any], tally: Tally, rng: random.Random, pause: Callable[[float], None] = time.sleep
) -> None:
    """Open the report; while it is editable, type (autosaves), sometimes save the form, sometimes submit.
    Once it is submitted or accepted, read it and this year's plan instead."""
    report = account["report"]
    http.request("GET", "/cycle/reports/", name="report list")
    detail = http.request("GET", f"/cycle/reports/{report}/", name="report detail")
    if f"/cycle/reports/{report}/submit/" not in detail.text:
        pause(rng.uniform(2, 5))
        http.request("GET", "/cycle/plan/", name="plan list")
        return
    pause(rng.uniform(1, 3))
    edit = http.request("GET", f"/cycle/reports/{report}/edit/", name="report edit")
    form = edit.form_with("work_summary") if edit.status == 200 else None
    if form is None or "version" not in form.fields:
        tally.add("failed", "autosave")
        return
    fields = dict(form.fields)
    base = fields.get("work_summary", "").split("（今日修訂")[0]
    for _ in range(rng.randint(1, 4)):
        pause(rng.uniform(2, 6))  # typing, then the 1.5 s pause that triggers the autosave
        fields["work_summary"] = f"{base}（今日修訂 {rng.randint(1, 10**6)}）"
        saved = http.request(
            "POST", f"/cycle/reports/{report}/autosave/", fields, name="report autosave", ok=(200, 409), follow=False
        )
        version = re.search(r'name="version" value="(\d+)"', saved.text) if saved.status == 200 else None
        if version and 'id="autosaved"' in saved.text:
            tally.add("ok", "autosave")
            fields["version"] = version.group(1)
        else:
            tally.add("conflict" if saved.status == 409 else "failed", "autosave")
            return
    if rng.random() < 0.2:
        pause(rng.uniform(1, 3))
        page = http.request("POST", f"/cycle/reports/{report}/edit/", fields, name="report save")
        if not page.succeeded:
            tally.add("failed", "save")
            return
        tally.add("ok", "save")
        fields = {**fields, **(page.form_with("work_summary") or Form("")).fields}
    if rng.random() < SUBMIT_CHANCE:
        pause(rng.uniform(1, 3))
        page = http.request(
            "POST",
            f"/cycle/reports/{report}/submit/",
            {"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"], "version": fields["version"]},
            name="report submit",
        )
        tally.add("ok" if page.succeeded else "conflict", "submit")


# ------------------------------------------------------------------------------------------------ staff


def staff_round(
    http: Http, account: dict[str, Any], tally: Tally, rng: random.Random, pause: Callable[[float], None] = time.sleep
) -> None:
    """Look at the dashboard and the submitted reports; open one, read it, accept it or return it."""
    year = account["year"]
    if rng.random() < 0.3:
        http.request("GET", f"/cycle/reports/dashboard/?year={year}", name="dashboard")
        pause(rng.uniform(1, 3))
    waiting = http.request("GET", f"/cycle/reports/?year={year}&status=submitted", name="report list (submitted)")
    ids = re.findall(r'href="/cycle/reports/(\d+)/"', waiting.text)
    if not ids:
        pause(rng.uniform(1, 3))
        http.request("GET", f"/cycle/reports/?year={year}", name="report list")
        return
    report = rng.choice(ids)
    detail = http.request("GET", f"/cycle/reports/{report}/", name="report detail")
    pause(rng.uniform(3, 8))  # reading the report
    accept = detail.form("/accept/")
    if accept is None:  # accepted or returned by a colleague meanwhile
        return
    if rng.random() < RETURN_CHANCE:
        form_page = http.request("GET", f"/cycle/reports/{report}/return/", name="report return form")
        form = form_page.form_with("reason") or Form(action="")
        pause(rng.uniform(2, 5))
        page = http.request(
            "POST",
            f"/cycle/reports/{report}/return/",
            {**form.fields, "version": accept.fields["version"], "reason": "財務報告缺少收支明細，請補充後重新提交。"},
            name="report return",
        )
        tally.add("ok" if page.succeeded else "conflict", "return")
    else:
        page = http.request("POST", f"/cycle/reports/{report}/accept/", {**accept.fields}, name="report accept")
        tally.add("ok" if page.succeeded else "conflict", "accept")


# ------------------------------------------------------------------------------------------------ members


def member_round(
    http: Http, account: dict[str, Any], tally: Tally, rng: random.Random, pause: Callable[[float], None] = time.sleep
) -> None:
    """Search for someone, then read the news portal and an article."""
    q = rng.choice(SEARCHES)
    http.request("GET", f"/search/?q={quote(q)}", name="search")
    pause(rng.uniform(1, 4))
    portal = http.request("GET", "/news/", name="news portal")
    articles = sorted(set(re.findall(r'href="(/news/\d{4}/\d{2}/\d{2}/[\w-]+/)"', portal.text)))
    if articles:
        pause(rng.uniform(1, 3))
        http.request("GET", rng.choice(articles), name="news article")


ROUNDS = {"officer": officer_round, "staff": staff_round, "member": member_round}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
