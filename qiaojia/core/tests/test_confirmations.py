"""Every button that changes a record's state in a way that is hard to undo asks first (UX.md: "destructive
actions ask once"), through one mechanism: a `data-confirm` question on the form or on its button, which
qiaojia/static/js/qiaojia.js asks with window.confirm under the Content-Security-Policy (no inline script).

The test reads every template and finds every POST form. A form passes if it (or each of its submit buttons)
carries data-confirm, or if it is listed below with the reason it needs no question. A new POST form fails
until someone decides which it is."""

import re
from pathlib import Path

import qiaojia

# URL names of small POSTs that are undone as easily as they are done, or change nothing of a record.
NO_QUESTION = {
    "accounts:set-language": "the reader's language",
    "accounts:logout": "signing out",
    "notifications:read-all": "marks notices read",
    "notifications:notification-read": "marks a notice read (or opens it)",
    "meetings:agenda-move": "reorders; the other arrow moves it back",
    "meetings:participant-mark": "attendance at the desk; undone by its Undo button",
    "meetings:participant-unlock": "lets a locked-out participant try again",
    "cycle:report-start": "starts a draft",
    "cycle:report-remind": "a reminder; sending it again does no harm",
    "cycle:plan-carry-over": "copies unfinished items into the draft plan, where each can be removed",
    "activities:registration-create": "a place taken; the member cancels it with one button (which asks)",
    "activities:attendance-record": "attendance ticked on a list; recorded again as easily",
    "events:join-request-create": "a request; the member withdraws it (which asks)",
    "activities:co-organiser-answer": "an answer to an invitation, given again from the same page",
    "events:join-request-decide": "confirming adds a delegate the officer can remove; declining asks on its button",
}
# Forms that post to their own page: the page itself is the step (a form to fill in, or a confirmation
# page with its own Cancel), keyed by template.
OWN_PAGE = {
    "accounts/login.html",
    "accounts/password_change.html",
    "accounts/password_reset_form.html",
    "accounts/password_reset_confirm.html",
    "accounts/security.html",
    "accounts/otp_setup.html",
    "accounts/otp_verify.html",
    "core/form_page.html",
    "meetings/sign_in.html",
    "meetings/participant_bulk.html",
    "meetings/agenda_bulk.html",
    "events/check_in.html",
    "events/door.html",
    "activities/activity_form.html",
    "news/article_import.html",
    "members/person_data.html",
    "members/person_erase.html",
    "members/person_consent_withdraw.html",
    "members/person_list.html",
    "cycle/report_return.html",
    "cycle/compilation.html",
    "cycle/progress_form.html",
    "cycle/report_edit.html",
    "voice/public_form.html",
    "voice/public_track.html",
}
# The photo's up/down buttons, whose move URL is passed in (reordering).
VARIABLE_ACTION = {"core/_photo_move.html"}

FORM = re.compile(r"<form\b(?P<tag>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
ACTION = re.compile(r"""action="\{%\s*url\s+['"](?P<name>[^'"]+)['"]""")
BUTTON = re.compile(r"<button\b(?P<attrs>[^>]*)>", re.S | re.I)


def _post_forms():
    root = Path(qiaojia.__file__).parent
    for path in sorted([*root.glob("*/templates/**/*.html"), *root.glob("templates/**/*.html")]):
        parts = path.relative_to(root).parts
        name = "/".join(parts[parts.index("templates") + 1 :])
        for match in FORM.finditer(path.read_text()):
            tag, body = match.group("tag"), match.group("body")
            if re.search(r"""method=["']post["']""", tag, re.I):
                yield name, tag, body


def _asks(tag: str, body: str) -> bool:
    if "data-confirm=" in tag:
        return True
    submits = [b for b in BUTTON.findall(body) if not re.search(r"""type=["'](button|reset)["']""", b)]
    return bool(submits) and all("data-confirm=" in b for b in submits)


def test_every_state_change_that_is_hard_to_undo_asks_first():
    unasked, seen = [], 0
    for template, tag, body in _post_forms():
        seen += 1
        if _asks(tag, body):
            continue
        action = ACTION.search(tag)
        if action is None:
            if template not in OWN_PAGE | VARIABLE_ACTION:
                unasked.append(f"{template}: <form{tag[:120]}>")
        elif action.group("name") not in NO_QUESTION:
            unasked.append(f"{template}: {action.group('name')}")
    assert seen > 50
    assert not unasked, "POST forms that neither ask (data-confirm) nor are listed as harmless:\n" + "\n".join(unasked)


def test_the_lists_name_only_forms_that_exist():
    """A list that outlives its forms would let a new one of the same name through unasked."""
    forms = list(_post_forms())
    actions = {m.group("name") for _t, tag, _b in forms if (m := ACTION.search(tag))}
    assert set(NO_QUESTION) <= actions, set(NO_QUESTION) - actions
    templates = {t for t, tag, _b in forms if not ACTION.search(tag)}
    assert OWN_PAGE | VARIABLE_ACTION <= templates, (OWN_PAGE | VARIABLE_ACTION) - templates


def test_the_question_is_asked_by_the_pages_own_script():
    """The mechanism: one listener in qiaojia.js (the CSP refuses inline handlers), for a form's or a button's
    question."""
    script = (Path(qiaojia.__file__).parent / "static/js/qiaojia.js").read_text()
    assert "event.submitter?.dataset.confirm || event.target.dataset.confirm" in script
    assert "window.confirm(message)" in script
