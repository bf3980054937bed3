"""The notices of meetings: an invitation goes to the participant's own account, or to the officers
of the association they come from when they have none."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

INVITATION = notice_kind("meetings.invitation", label=_("Meeting invitation"), rule=recipients.person_else_officers)
JOINT_SCHEDULED = notice_kind(
    "meetings.joint_scheduled", label=_("Joint meeting scheduled"), rule=recipients.association_officers
)
