"""The notices of the annual cycle: a report submitted goes to the federation's reviewers; its
return, acceptance and the deadline reminders go to the association's officers. Their words are
written when read, in the reader's language (`notifications.text`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients


def _submitted(p) -> str:
    if p.get("resubmission"):
        return _("%(association)s resubmitted its %(year)s annual report") % p
    return _("%(association)s submitted its %(year)s annual report") % p


def _returned_body(p) -> str:
    return _("Reasons: %(reason)s\nPlease correct it and submit it again by %(date)s.") % p


def _deadline(p) -> str:
    if p.get("returned"):
        return _("Reminder: correct and resubmit your %(year)s annual report") % p
    return _("Reminder: your %(year)s annual report is due") % p


REPORT_SUBMITTED = notice_kind(
    "cycle.submitted",
    label=gettext_lazy("Report submitted"),
    rule=recipients.federation_staff,
    subject=_submitted,
    body=lambda p: _("The report is waiting for your review."),
)
REPORT_RETURNED = notice_kind(
    "cycle.returned",
    label=gettext_lazy("Report returned for revision"),
    rule=recipients.association_officers,
    subject=lambda p: _("Your %(year)s annual report was returned for revision") % p,
    body=_returned_body,
)
REPORT_ACCEPTED = notice_kind(
    "cycle.accepted",
    label=gettext_lazy("Report accepted"),
    rule=recipients.association_officers,
    subject=lambda p: _("Your %(year)s annual report was accepted") % p,
    body=lambda p: _(
        "The federation accepted the report after its first review. Print the declaration "
        "page, have it signed and sealed, and upload the scan."
    ),
)
REPORT_DEADLINE = notice_kind(
    "cycle.deadline",
    label=gettext_lazy("Deadline reminder"),
    rule=recipients.association_officers,
    subject=_deadline,
    body=lambda p: _("Due date: %(date)s.") % p,
)
