"""The notices of activities: an invitation to co-organise goes to the invited association's officers,
the answer to the host's."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

CO_ORGANISER_INVITED = notice_kind(
    "activities.co_organiser_invited",
    label=_("Invitation to co-organise an activity"),
    rule=recipients.association_officers,
)
CO_ORGANISER_ANSWERED = notice_kind(
    "activities.co_organiser_answered",
    label=_("A co-organiser answered"),
    rule=recipients.association_officers,
)
