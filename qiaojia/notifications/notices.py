"""The notice kind the notifications mechanism itself offers: a plain notice to one account about
its own work (a file it asked for is ready). Domain apps declare their kinds in their own notices.py."""

from django.utils.translation import gettext_lazy as _

from . import recipients
from .kinds import notice_kind

GENERAL = notice_kind("general", label=_("Notice"), rule=recipients.user_account)
