"""The exports' notice: a file written in the background is ready for the account that asked for it."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications import recipients
from qiaojia.notifications.kinds import notice_kind

EXPORT_READY = notice_kind("exports.ready", label=_("Export ready"), rule=recipients.user_account)
