"""The notices of volunteering: confirmed hours go to the volunteer's own account."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

HOURS_CONFIRMED = notice_kind(
    "volunteering.hours_confirmed", label=_("Volunteer hours confirmed"), rule=recipients.person_accounts
)
