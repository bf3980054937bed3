"""The notices of flagship events: a delegation submitted goes to the federation's staff responsible
for its association; the decision on it goes back to the association's officers."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

DELEGATION_SUBMITTED = notice_kind(
    "events.submitted", label=_("Delegation submitted"), rule=recipients.federation_staff
)
DELEGATION_APPROVED = notice_kind(
    "events.approved", label=_("Delegation approved"), rule=recipients.association_officers
)
DELEGATION_WAITLISTED = notice_kind(
    "events.waitlisted", label=_("Delegation on the waiting list"), rule=recipients.association_officers
)
DELEGATION_REFUSED = notice_kind("events.refused", label=_("Delegation refused"), rule=recipients.association_officers)
