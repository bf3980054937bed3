"""The notices of the annual cycle: a report submitted goes to the federation's reviewers; its
return, acceptance and the deadline reminders go to the association's officers."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

REPORT_SUBMITTED = notice_kind("cycle.submitted", label=_("Report submitted"), rule=recipients.federation_staff)
REPORT_RETURNED = notice_kind(
    "cycle.returned", label=_("Report returned for revision"), rule=recipients.association_officers
)
REPORT_ACCEPTED = notice_kind("cycle.accepted", label=_("Report accepted"), rule=recipients.association_officers)
REPORT_DEADLINE = notice_kind("cycle.deadline", label=_("Deadline reminder"), rule=recipients.association_officers)
