"""Signed sign-in tokens: one per meeting (the link behind the QR code at the venue) and one per
participant (the link in the invitation). Nothing is stored: the signature, the meeting's
`sign_in_key` and the meeting's sign-in window decide."""

import datetime
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SALT = "qiaojia.meetings.sign-in"
# A link older than this is refused even if the meeting's window is open (links are not forever).
MAX_AGE = datetime.timedelta(days=90)
# Sign-in opens this long before the meeting starts and closes this long after it ends.
OPENS_BEFORE = datetime.timedelta(hours=3)
CLOSES_AFTER = datetime.timedelta(hours=12)


class TokenError(Exception):
    message = _("This sign-in link is not valid. Ask the organisers for a new one.")


class TokenExpired(TokenError):
    message = _("This sign-in link has expired. Ask the organisers for a new one.")


@dataclass(frozen=True)
class SignInToken:
    meeting_id: int
    key: str
    participant_id: int | None


def make_token(meeting, participant=None) -> str:
    payload = {"m": meeting.pk, "k": meeting.sign_in_key}
    if participant is not None:
        payload["p"] = participant.pk
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> SignInToken:
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise TokenExpired() from exc
    except signing.BadSignature as exc:
        raise TokenError() from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int) or not isinstance(payload.get("k"), str):
        raise TokenError()
    participant = payload.get("p")
    if participant is not None and not isinstance(participant, int):
        raise TokenError()
    return SignInToken(meeting_id=payload["m"], key=payload["k"], participant_id=participant)


def sign_in_window(meeting) -> tuple[datetime.datetime, datetime.datetime]:
    return meeting.starts_at - OPENS_BEFORE, (meeting.ends_at or meeting.starts_at) + CLOSES_AFTER


def sign_in_context(meeting, now: datetime.datetime | None = None) -> dict:
    """What the pages that explain the sign-in window (meetings/_sign_in_window.html) need."""
    return {
        "state": sign_in_state(meeting, now),
        "window": sign_in_window(meeting),
        "hours_before": int(OPENS_BEFORE.total_seconds() // 3600),
        "hours_after": int(CLOSES_AFTER.total_seconds() // 3600),
    }


def sign_in_state(meeting, now: datetime.datetime | None = None) -> str:
    """'open', 'not_yet', 'closed' (the window passed) or 'cancelled'."""
    if meeting.status == "cancelled":
        return "cancelled"
    now = now or timezone.now()
    opens, closes = sign_in_window(meeting)
    if now < opens:
        return "not_yet"
    if now > closes:
        return "closed"
    return "open"
