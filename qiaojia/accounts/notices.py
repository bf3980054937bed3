"""The notices about an account itself: a paused login goes to the account's owner."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications import recipients
from qiaojia.notifications.kinds import notice_kind

ACCOUNT_LOCKED = notice_kind("accounts.locked", label=_("Account locked"), rule=recipients.user_account)
