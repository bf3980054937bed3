"""Every write to opinions: one transaction, audited, each move of OPINION_TRANSITIONS one service that also
writes a step of the case's timeline and tells whoever must act next.

Deadlines are counted in working days (`workdays`) from the day the case is received, with the figures of
the setting QIAOJIA_VOICE_DEADLINES; a reopened case gets a fresh answer deadline."""

import datetime
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qiaojia.core import ratelimit, storage
from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.core.models import AuditAction
from qiaojia.core.services import ConflictError, audit_log, create_audited, update_versioned
from qiaojia.cycle import files as checked_files
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association, Department
from qiaojia.search.services import index_object

from . import notices, workdays
from .models import (
    OPEN,
    OPINION_TRANSITIONS,
    EventKind,
    Opinion,
    OpinionChannel,
    OpinionEvent,
    OpinionRating,
    OpinionRoute,
    OpinionStatus,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ATTACHMENT_FOLDER = "voice"
OPINION_FIELDS = ("category", "title", "text", "name", "on_behalf_of", "phone", "email", "anonymous")


class PublicLimitReached(ValidationError):
    """The public form was used up for this address or contact in the current window."""


def deadlines() -> dict[str, int]:
    return {"acknowledge": 1, "answer": 15, "extension": 15, "remind_before": 2, **settings.QIAOJIA_VOICE_DEADLINES}


def new_code() -> str:
    """A receipt code: 12 characters (60 bits) in three groups, with no 0/O or 1/I to misread."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normal_code(typed: str) -> str:
    raw = "".join(ch for ch in (typed or "").upper() if ch.isalnum())[:12]
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else ""


def default_handler(category: str) -> tuple[Department | None, Association | None]:
    """The category's route, else the department that supervises the associations."""
    route = OpinionRoute.objects.filter(category=category).select_related("department", "association").first()
    if route is not None and (route.department_id or route.association_id):
        return route.department, route.association
    return Department.objects.filter(supervises_associations=True).order_by("order", "id").first(), None


def _event(
    opinion: Opinion,
    kind: str,
    *,
    by=None,
    text: str = "",
    department=None,
    association=None,
    at=None,
    rating: str = "",
) -> OpinionEvent:
    event = OpinionEvent.objects.create(
        opinion=opinion,
        kind=kind,
        at=at or timezone.now(),
        by=by if by is not None and getattr(by, "is_authenticated", False) else None,
        text=text,
        rating=rating,
        department=department,
        association=association,
    )
    return event


def _whose(opinion: Opinion) -> dict[str, Any]:
    if opinion.handler_association_id:
        return {"association": opinion.handler_association}
    return {"department": opinion.handler_department}


def _params(opinion: Opinion, due: datetime.date) -> dict[str, Any]:
    return {"title": opinion.title, "code": opinion.code, "due": due}


def _url(opinion: Opinion) -> str:
    return reverse("voice:opinion-detail", args=[opinion.pk])


def _move(opinion: Opinion, to: str, expected_version: int, **values: Any) -> Opinion:
    if to not in OPINION_TRANSITIONS[opinion.status]:
        raise ValidationError(_("This opinion can no longer be changed this way."))
    return update_versioned(opinion, expected_version=expected_version, status=to, **values)


def _email_sender(opinion: Opinion, subject: str, body: str) -> None:
    """A public sender who gave an address (and has no account to be told in) hears by e-mail."""
    if opinion.email and opinion.person_id is None:
        address = opinion.email
        transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))


def _check_attachment(uploaded) -> tuple[bytes, str, str] | None:
    if not uploaded:
        return None
    return checked_files.clean_upload(uploaded)


@transaction.atomic
def opinion_submit(
    *,
    data: dict[str, Any],
    channel: str,
    association: Association | None = None,
    person=None,
    by=None,
    uploaded=None,
    address: str = "",
    form_token: uuid.UUID | None = None,
    received_at: datetime.datetime | None = None,
    limited: bool = True,
) -> Opinion:
    """Receive an opinion: routed to its category's default handler, deadlines set, the handler told.

    From the public form (`channel` public, `address` the sender's) it counts against the limits per
    address and per contact (`limited`; off only for cases loaded after the fact, the demo's), and a sender
    who gave an e-mail address gets their receipt code by e-mail."""
    values = {k: (data[k].strip() if isinstance(data.get(k), str) else data[k]) for k in OPINION_FIELDS if k in data}
    if not data.get("consent"):
        raise ValidationError(
            {"consent": _("Agree to how your opinion and contact details are used, or do not send it.")}
        )
    if channel == OpinionChannel.PUBLIC and limited:
        _public_limits(address=address, values=values)
    if channel == OpinionChannel.OFFICER and association is None:
        raise ValidationError(_("Choose the association you write for."))
    checked = _check_attachment(uploaded)
    department, handler_association = default_handler(values["category"])
    now = received_at or timezone.now()  # an earlier moment only for cases loaded after the fact (the demo)
    today = timezone.localdate(now)
    limits = deadlines()
    title = values["title"]
    opinion = Opinion(
        **values,
        code=new_code(),
        channel=channel,
        association=association,
        person=person,
        submitted_by=by if by is not None and getattr(by, "is_authenticated", False) else None,
        consent_at=now,
        consent_version=settings.QIAOJIA_CONSENT_VERSION,
        handler_department=department,
        handler_association=handler_association,
        received_at=now,
        acknowledge_due=workdays.add_working_days(today, limits["acknowledge"]),
        answer_due=workdays.add_working_days(today, limits["answer"]),
        title_key=search_key(title)[:200],
        title_pinyin=pinyin_key(title)[:800],
        title_initials=initials_key(title)[:200],
    )
    while Opinion.objects.filter(code=opinion.code).exists():
        opinion.code = new_code()
    with storage.files_atomic():
        if checked is not None:
            content, _type, extension = checked
            opinion.attachment = storage.save_new(f"{ATTACHMENT_FOLDER}/{uuid.uuid4().hex}{extension}", content)
            opinion.attachment_name = checked_files.original_name(uploaded, extension)
        opinion = create_audited(opinion, form_token=form_token)
    _event(opinion, EventKind.RECEIVED, by=by, at=now)
    _event(opinion, EventKind.ROUTED, department=department, association=handler_association, at=now)
    index_object(opinion)
    if channel == OpinionChannel.PUBLIC and limited:
        _public_count(address=address, values=values)
    notify(
        notices.OPINION_ROUTED, params=_params(opinion, opinion.acknowledge_due), url=_url(opinion), **_whose(opinion)
    )
    _email_sender(
        opinion,
        _("Your opinion is received: %(code)s") % {"code": opinion.code},
        _(
            "We received your opinion “%(title)s”. Its receipt code is %(code)s: keep it to follow its handling "
            "and read the answer on the tracking page."
        )
        % {"title": opinion.title, "code": opinion.code},
    )
    return opinion


def _public_buckets(*, address: str, values: dict[str, Any]) -> list[tuple[str, str, tuple[int, int]]]:
    limits = settings.QIAOJIA_VOICE_PUBLIC_LIMITS
    buckets = [("voice.public.address", address or "-", limits["address"])]
    for contact in (values.get("phone") or "", (values.get("email") or "").casefold()):
        digits = contact if "@" in contact else "".join(ch for ch in contact if ch.isdigit())
        if digits:
            buckets.append(("voice.public.contact", digits, limits["contact"]))
    return buckets


def _public_limits(*, address: str, values: dict[str, Any]) -> None:
    if any(ratelimit.exceeded(*bucket) for bucket in _public_buckets(address=address, values=values)):
        raise PublicLimitReached(
            _("Too many opinions were sent from here in the last hour. Try again later, or call the federation.")
        )


def _public_count(*, address: str, values: dict[str, Any]) -> None:
    # Counted at once: a submission that then fails still used a try (the cache is not transactional).
    for bucket in _public_buckets(address=address, values=values):
        ratelimit.record_failure(*bucket)


@transaction.atomic
def opinion_acknowledge(*, opinion: Opinion, expected_version: int, by=None) -> Opinion:
    """The handler confirms it has the case (受理)."""
    opinion = _move(opinion, OpinionStatus.ACKNOWLEDGED, expected_version, acknowledged_at=timezone.now())
    _event(opinion, EventKind.ACKNOWLEDGED, by=by)
    return opinion


@transaction.atomic
def opinion_route(
    *,
    opinion: Opinion,
    expected_version: int,
    reason: str,
    department: Department | None = None,
    association: Association | None = None,
    by=None,
) -> Opinion:
    """Give an open case to another handler, with the reason; the new handler is told."""
    if opinion.status not in OPEN:
        raise ValidationError(_("Only an open opinion can be given to another handler."))
    if (department is None) == (association is None):
        raise ValidationError(_("Choose either a department or an association to handle the opinion."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the opinion goes to another handler.")})
    if department == opinion.handler_department and association == opinion.handler_association:
        raise ValidationError(_("The opinion is already with this handler."))
    opinion = update_versioned(
        opinion, expected_version=expected_version, handler_department=department, handler_association=association
    )
    _event(opinion, EventKind.ROUTED, by=by, text=reason.strip(), department=department, association=association)
    due = opinion.acknowledge_due if opinion.acknowledged_at is None else opinion.answer_due
    notify(notices.OPINION_ROUTED, params=_params(opinion, due), url=_url(opinion), **_whose(opinion))
    return opinion


@transaction.atomic
def opinion_extend(*, opinion: Opinion, expected_version: int, reason: str, by=None) -> Opinion:
    """Move the answer deadline once, by the setting's working days, with a reason."""
    if opinion.status not in OPEN:
        raise ValidationError(_("Only an open opinion can be given more time."))
    if opinion.extension_reason:
        raise ValidationError(_("The deadline of this opinion was already extended once."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why more time is needed.")})
    due = workdays.add_working_days(opinion.answer_due, deadlines()["extension"])
    opinion = update_versioned(
        opinion, expected_version=expected_version, answer_due=due, extension_reason=reason.strip(), reminded_at=None
    )
    _event(opinion, EventKind.EXTENDED, by=by, text=reason.strip())
    return opinion


@transaction.atomic
def opinion_reply(*, opinion: Opinion, expected_version: int, text: str, by=None) -> Opinion:
    """The handler's answer, which the sender reads on the tracking page: it closes the case."""
    if not text.strip():
        raise ValidationError({"text": _("Write the answer.")})
    now = timezone.now()
    values: dict[str, Any] = {
        "answered_at": now,
        "answered_on_time": timezone.localdate(now) <= opinion.answer_due,
    }
    if opinion.acknowledged_at is None:
        values["acknowledged_at"] = now
    opinion = _move(opinion, OpinionStatus.ANSWERED, expected_version, **values)
    _event(opinion, EventKind.REPLIED, by=by, text=text.strip())
    if opinion.person_id:
        notify(notices.OPINION_ANSWERED, params=_params(opinion, opinion.answer_due), people=[opinion.person])
    _email_sender(
        opinion,
        _("Your opinion is answered: %(code)s") % {"code": opinion.code},
        _("Your opinion “%(title)s” (%(code)s) has an answer. Read it on the tracking page with your receipt code.")
        % {"title": opinion.title, "code": opinion.code},
    )
    return opinion


@transaction.atomic
def opinion_rate(*, opinion: Opinion, expected_version: int, rating: str, comment: str = "", by=None) -> Opinion:
    """The sender's rating of the answer (satisfied, basically satisfied, not satisfied)."""
    if opinion.status != OpinionStatus.ANSWERED:
        raise ValidationError(_("An opinion is rated once it is answered."))
    if rating not in OpinionRating.values:
        raise ValidationError({"rating": _("Choose how satisfied you are.")})
    if opinion.rated_at is not None and opinion.rated_at >= (opinion.answered_at or opinion.rated_at):
        raise ValidationError(_("This answer is already rated."))
    opinion = update_versioned(
        opinion,
        expected_version=expected_version,
        rating=rating,
        rating_comment=comment.strip()[:2000],
        rated_at=timezone.now(),
    )
    _event(opinion, EventKind.RATED, by=by, text=comment.strip()[:2000], rating=rating)
    return opinion


@transaction.atomic
def opinion_reopen(*, opinion: Opinion, expected_version: int, reason: str = "", by=None) -> Opinion:
    """A sender not satisfied sends the case back once (不滿意退回重辦): a fresh answer deadline, the handler told."""
    if not opinion.reopenable:
        raise ValidationError(_("An opinion can be reopened once, after it was rated not satisfied."))
    now = timezone.now()
    due = workdays.add_working_days(timezone.localdate(now), deadlines()["answer"])
    opinion = _move(
        opinion,
        OpinionStatus.REOPENED,
        expected_version,
        reopened_at=now,
        answer_due=due,
        answered_at=None,
        answered_on_time=None,
        reminded_at=None,
        escalated_at=None,
    )
    _event(opinion, EventKind.REOPENED, by=by, text=reason.strip()[:2000])
    notify(notices.OPINION_REOPENED, params=_params(opinion, due), url=_url(opinion), **_whose(opinion))
    return opinion


@transaction.atomic
def opinion_merge(*, opinion: Opinion, into: Opinion, expected_version: int, by=None) -> Opinion:
    """Close a duplicate into an earlier case of the same matter: its sender follows the earlier case."""
    if into.pk == opinion.pk or into.status == OpinionStatus.MERGED:
        raise ValidationError({"into": _("Choose another opinion that is not merged itself.")})
    opinion = _move(opinion, OpinionStatus.MERGED, expected_version, merged_into=into)
    _event(opinion, EventKind.MERGED, by=by, text=into.code)
    _event(into, EventKind.MERGED, by=by, text=opinion.code)
    return opinion


@transaction.atomic
def opinions_check_deadlines(*, today: datetime.date | None = None) -> tuple[int, int]:
    """The periodic check: a reminder to the handler of each open case due within the setting's working days,
    and an escalation of each open case past its deadline to the handler and the administrators. Each case
    is reminded and escalated once per deadline. Returns (reminded, escalated)."""
    today = today or timezone.localdate()
    horizon = workdays.add_working_days(today, deadlines()["remind_before"])
    now = timezone.now()
    reminded = escalated = 0
    open_cases = Opinion.objects.filter(status__in=OPEN).select_related("handler_department", "handler_association")
    for opinion in open_cases.filter(answer_due__lt=today, escalated_at__isnull=True).order_by("id"):
        Opinion.objects.filter(pk=opinion.pk).update(escalated_at=now, reminded_at=opinion.reminded_at or now)
        audit_log(action=AuditAction.UPDATE, instance=opinion, changes={"escalated_at": [None, now.isoformat()]})
        _event(opinion, EventKind.ESCALATED)
        notify(
            notices.OPINION_OVERDUE, params=_params(opinion, opinion.answer_due), url=_url(opinion), **_whose(opinion)
        )
        escalated += 1
    due_soon = open_cases.filter(Q(answer_due__gte=today) & Q(answer_due__lte=horizon), reminded_at__isnull=True)
    for opinion in due_soon.order_by("id"):
        Opinion.objects.filter(pk=opinion.pk).update(reminded_at=now)
        audit_log(action=AuditAction.UPDATE, instance=opinion, changes={"reminded_at": [None, now.isoformat()]})
        _event(opinion, EventKind.REMINDED)
        notify(notices.OPINION_DUE, params=_params(opinion, opinion.answer_due), url=_url(opinion), **_whose(opinion))
        reminded += 1
    return reminded, escalated


__all__ = ["ConflictError"]
