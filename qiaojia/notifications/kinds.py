"""The registry of notice kinds. Each app declares its kinds in its own `notices.py`, which
`NotificationsConfig.ready` loads from the app registry; this module knows no app.

A kind has a code (`<app>.<event>`, the value stored in `Notification.kind`), a translated label the
inbox shows, the rule from `recipients` that picks who is told, and how its subject and body read
(`subject(params)`, `body(params)`: called when the notice is read, in the reader's language, see `text`).
Sending a kind nobody declared is an error, so a misspelt code fails loudly instead of writing notices the
inbox cannot name."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

Rule = Callable[..., Iterable[Any]]
Write = Callable[[dict[str, Any]], Any]  # the notice's parameters -> its text, in the active language


class UnknownNoticeKind(LookupError):
    """A notice was sent (or looked up) under a code no app declared."""


@dataclass(frozen=True)
class NoticeKind:
    """One kind of notice: what it is about (`label`) and who hears about it (`rule`)."""

    code: str
    label: Any  # a lazy translated string
    rule: Rule
    subject: Write | None = None
    body: Write | None = None

    def __str__(self) -> str:
        return self.code


_KINDS: dict[str, NoticeKind] = {}


def notice_kind(
    code: str, *, label: Any, rule: Rule, subject: Write | None = None, body: Write | None = None
) -> NoticeKind:
    """Declare a kind, from the owning app's `notices.py`. Declaring the same code twice with another
    label or rule is a mistake (two apps claiming one code) and stops the start-up."""
    kind = NoticeKind(code=code, label=label, rule=rule, subject=subject, body=body)
    known = _KINDS.get(code)
    if known is not None and (known.rule is not rule or str(known.label) != str(label)):
        raise ImproperlyConfigured(f"Notice kind {code!r} is declared twice, differently.")
    _KINDS.setdefault(code, kind)
    return _KINDS[code]


def kind_get(kind: NoticeKind | str) -> NoticeKind:
    code = kind.code if isinstance(kind, NoticeKind) else str(kind)
    try:
        return _KINDS[code]
    except KeyError:
        raise UnknownNoticeKind(f"No app declares the notice kind {code!r} (see qiaojia/<app>/notices.py).") from None


def kind_or_none(code: str) -> NoticeKind | None:
    return _KINDS.get(code)


def kinds() -> list[NoticeKind]:
    """Every declared kind, by code."""
    return sorted(_KINDS.values(), key=lambda k: k.code)


def kind_label(code: str) -> str:
    """The inbox's name for a stored kind; a code no app declares any more reads as a plain notice."""
    kind = _KINDS.get(code)
    return str(kind.label if kind is not None else _("Notice"))
