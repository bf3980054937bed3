"""The notices of B2B matchmaking: a meeting asked for goes to the invited participant, its answer to the
one who asked (each participant's contact, or the officers of its association when the contact has no account)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

MEETING_REQUESTED = notice_kind(
    "trade.b2b_meeting_requested",
    label=gettext_lazy("B2B meeting requested"),
    rule=recipients.person_else_officers,
    subject=lambda p: _("%(requester)s asks %(invitee)s for a meeting at %(event)s") % p,
    body=lambda p: _("%(requester)s asks %(invitee)s for a 1:1 meeting at %(time)s. Accept or decline.") % p,
)
MEETING_ACCEPTED = notice_kind(
    "trade.b2b_meeting_accepted",
    label=gettext_lazy("B2B meeting accepted"),
    rule=recipients.person_else_officers,
    subject=lambda p: _("%(invitee)s accepted the meeting at %(event)s") % p,
    body=lambda p: _("%(invitee)s will meet %(requester)s at %(time)s, table %(table)s.") % p,
)
MEETING_DECLINED = notice_kind(
    "trade.b2b_meeting_declined",
    label=gettext_lazy("B2B meeting declined"),
    rule=recipients.person_else_officers,
    subject=lambda p: _("%(invitee)s declined the meeting at %(event)s") % p,
    body=lambda p: _("%(invitee)s declined the meeting asked for at %(time)s; the slot is free again.") % p,
)
