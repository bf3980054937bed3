"""Notifications: the inbox row is written in the caller's transaction, the e-mail goes out after commit.

`notify(KIND, params={...}, url=..., **whose)` is the one entry point other apps use. The
kind is one an app declared in its notices.py (`kinds.notice_kind`), with the words of its subject and
body; `params` are what those words name (`text.person(name)` for a person's name, dates as dates).
The notice is written when it is read, in the reader's language and script (`text.render`); the e-mail
in the recipient's own language (`User.language`, else the site default). `whose` names what the matter
belongs to (`association=...`, `people=[...]`, `user=...`) and the kind's rule in `recipients` decides
who is told: no app picks its own recipients. The link may be a callable `f(user) -> str`.
A kind with no words of its own takes `subject=` and `body=` (lazy strings or `f(user) -> str`), kept as
sent.

Delivery: `notify` queues one background job of kind `notifications.send` in the same transaction;
the job becomes visible to workers only when the transaction commits, so a rolled-back change sends
nothing, and no e-mail is ever sent inside a request. The job runs in the task framework's workers
(`manage.py run_jobs`, see `qiaojia.jobs.services`; its handler is in `tasks.py`), which claim jobs with a
compare-and-set and never send one message twice. The sending itself goes through Django's e-mail
backends (console in development, SMTP in production via DJANGO_EMAIL_BACKEND).

Other channels (SMS, WeChat) plug in as further senders: a function `sender(notification) -> bool`
registered in `SENDERS` under a name listed in QIAOJIA_NOTIFICATION_CHANNELS (default: e-mail only).
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise

from qiaojia.core import context
from qiaojia.core.models import AuditAction
from qiaojia.core.services import audit_log
from qiaojia.jobs import services as jobs

from . import text
from .kinds import NoticeKind, kind_get
from .models import Notification

log = logging.getLogger(__name__)

SEND_KIND = "notifications.send"
Text = str | Callable[[Any], str] | Any  # a str, a lazy string, or f(user) -> str


def recipient_language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _render(text: Text, user) -> str:
    with translation.override(recipient_language(user)):
        value = text(user) if callable(text) and not isinstance(text, str | Promise) else text
        return str(value)


def notice_recipients(kind: NoticeKind | str, **whose: Any) -> list[Any]:
    """Who the kind's rule tells about this matter: active users, each once, in the rule's order."""
    seen: set[int] = set()
    users = []
    for user in kind_get(kind).rule(**whose):
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


@transaction.atomic
def notify(
    kind: NoticeKind | str,
    *,
    params: dict[str, Any] | None = None,
    subject: Text = "",
    body: Text = "",
    url: Text = "",
    **whose: Any,
) -> list[Notification]:
    """Write one inbox notice per recipient the kind's rule finds and queue the e-mails. An undeclared
    kind raises `kinds.UnknownNoticeKind`; a kind with words of its own needs `params`, not text.

    Runs in the caller's transaction: if it rolls back, no notice exists and no e-mail is sent."""
    kind = kind_get(kind)
    if kind.subject is not None and (subject or body):
        raise ValueError(f"Notice kind {kind.code!r} writes its own words: pass params, not subject or body.")
    stored = text.encode(params or {})
    users = notice_recipients(kind, **whose)
    seen = {user.pk for user in users}
    rows = []
    for user in users:
        row = Notification(recipient=user, kind=kind.code, params=stored, url=_render(url, user)[:500])
        language = recipient_language(user)
        if kind.subject is not None:
            row.subject = row.subject_for(language)[:200]
            row.body = row.body_for(language) if kind.body is not None else ""
        else:
            row.subject, row.body = _render(subject, user)[:200], _render(body, user)
        rows.append(row)
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)  # both databases return the new ids
    audit_log(
        action=AuditAction.CREATE,
        instance=created[0],
        changes={"notify": {"kind": kind.code, "recipients": sorted(seen)}},
    )
    emailed = [n.pk for n in created if n.recipient.email]
    if emailed and _channels():
        owner_id = context.current().user_id
        owner = next((n.recipient for n in created if n.recipient_id == owner_id), None)
        jobs.job_enqueue(
            kind=SEND_KIND,
            owner=owner or _user(owner_id) or created[0].recipient,
            params={"ids": emailed},
            total=len(emailed),
        )
    return created


def _user(pk: int | None):
    if pk is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk).first()


def _channels() -> list[str]:
    return [c for c in getattr(settings, "QIAOJIA_NOTIFICATION_CHANNELS", ["email"]) if c in SENDERS]


def absolute_url(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return getattr(settings, "QIAOJIA_SITE_URL", "http://127.0.0.1:8000").rstrip("/") + url


def send_email(notification: Notification, *, connection=None) -> bool:
    user = notification.recipient
    if not user.email:
        return False
    language = recipient_language(user)
    body = notification.body_for(language)
    if notification.url:
        body = f"{body}\n\n{absolute_url(notification.url)}"
    subject = notification.subject_for(language)
    message = EmailMessage(subject=subject, body=body, to=[user.email], connection=connection)
    return message.send() == 1


SENDERS: dict[str, Callable[..., bool]] = {"email": send_email}


@transaction.atomic
def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        audit_log(action=AuditAction.UPDATE, instance=notification, changes={"read_at": [None, "now"]})
    return notification


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    now = timezone.now()
    count = Notification.objects.filter(Q(recipient=user) & Q(read_at__isnull=True)).update(read_at=now)
    if count:
        audit_log(action=AuditAction.UPDATE, instance=user, changes={"notifications_read": count})
    return count
