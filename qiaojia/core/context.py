"""Who is acting and from where, for the audit trail: set per request by the middleware,
and by management commands that act as a named user."""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorContext:
    user_id: int | None
    username: str
    ip_address: str | None
    request_id: str


_current: contextvars.ContextVar[ActorContext | None] = contextvars.ContextVar("qiaojia_actor", default=None)


def current() -> ActorContext:
    ctx = _current.get()
    return ctx if ctx is not None else ActorContext(None, "system", None, "cli-" + uuid.uuid4().hex[:12])


def set_current(ctx: ActorContext | None) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
