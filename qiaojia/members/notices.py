"""The notices of memberships awaiting confirmation: the federation's staff responsible for the
association review them, the person with an account is asked, and the officers hear the decision."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

PENDING_TO_REVIEW = notice_kind(
    "members.pending", label=_("Membership awaiting confirmation"), rule=recipients.federation_staff
)
PENDING_ASKED = notice_kind(
    "members.asked", label=_("Request to register you as a member"), rule=recipients.person_accounts
)
PENDING_DECIDED = notice_kind(
    "members.decided", label=_("Decision on a membership"), rule=recipients.association_officers
)
