"""The notices about an account itself: a paused login goes to the account's owner. Its words are
written when read, in the reader's language (`notifications.text`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from qiaojia.notifications import recipients
from qiaojia.notifications.kinds import notice_kind


def _locked_body(p) -> str:
    return "\n\n".join(
        [
            ngettext(
                "A wrong password was entered for your account %(username)s too many times, most recently "
                "from the address %(address)s. Logging in to it is paused for %(minutes)d minute; your "
                "password has not changed.",
                "A wrong password was entered for your account %(username)s too many times, most recently "
                "from the address %(address)s. Logging in to it is paused for %(minutes)d minutes; your "
                "password has not changed.",
                p["minutes"],
            )
            % p,
            _(
                "If this was you, wait, then log in with the right password. If it was not you, tell your "
                "administrator: someone may be trying to guess your password."
            ),
        ]
    )


ACCOUNT_LOCKED = notice_kind(
    "accounts.locked",
    label=gettext_lazy("Account locked"),
    rule=recipients.user_account,
    subject=lambda p: _("Logging in to your account was paused"),
    body=_locked_body,
)
