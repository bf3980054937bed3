"""The notices of volunteering: confirmed hours go to the volunteer's own account. Their words are
written when read, in the reader's language (`notifications.text`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

HOURS_CONFIRMED = notice_kind(
    "volunteering.hours_confirmed",
    label=gettext_lazy("Volunteer hours confirmed"),
    rule=recipients.person_accounts,
    subject=lambda p: _("Your volunteer hours were confirmed"),
    body=lambda p: _("%(hours)s hours for “%(task)s” in %(campaign)s were confirmed.") % p,
)
