"""The notices of flagship events: a delegation submitted goes to the federation's staff responsible
for its association; the decision on it goes back to the association's officers. Their words are
written when read, in the reader's language (`notifications.text`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients


def _submitted_body(p) -> str:
    return (
        ngettext(
            "%(association)s submitted its delegation of %(size)s person to “%(event)s”. Approve or refuse it.",
            "%(association)s submitted its delegation of %(size)s people to “%(event)s”. Approve or refuse it.",
            p["size"],
        )
        % p
    )


DELEGATION_SUBMITTED = notice_kind(
    "events.submitted",
    label=gettext_lazy("Delegation submitted"),
    rule=recipients.federation_staff,
    subject=lambda p: _("Delegation to review: %(event)s") % p,
    body=_submitted_body,
)
DELEGATION_APPROVED = notice_kind(
    "events.approved",
    label=gettext_lazy("Delegation approved"),
    rule=recipients.association_officers,
    subject=lambda p: _("Delegation approved: %(event)s") % p,
    body=lambda p: (
        _("The delegation of %(association)s to “%(event)s” is approved. Print the badges from the delegation's page.")
        % p
    ),
)
DELEGATION_WAITLISTED = notice_kind(
    "events.waitlisted",
    label=gettext_lazy("Delegation on the waiting list"),
    rule=recipients.association_officers,
    subject=lambda p: _("Delegation on the waiting list: %(event)s") % p,
    body=lambda p: (
        _(
            "The event “%(event)s” is full. The delegation of %(association)s is on "
            "the waiting list and will be admitted when places free."
        )
        % p
    ),
)
DELEGATION_REFUSED = notice_kind(
    "events.refused",
    label=gettext_lazy("Delegation refused"),
    rule=recipients.association_officers,
    subject=lambda p: _("Delegation refused: %(event)s") % p,
    body=lambda p: _("The delegation of %(association)s to “%(event)s” was refused. Reason: %(reason)s") % p,
)
JOIN_REQUESTED = notice_kind(
    "events.join_requested",
    label=gettext_lazy("Member asks to join the delegation"),
    rule=recipients.association_officers,
    subject=lambda p: _("%(person)s asks to join the delegation to %(event)s") % p,
    body=lambda p: (
        _("%(person)s, a member of %(association)s, asks to join its delegation to “%(event)s”. Confirm or decline.")
        % p
    ),
)
JOIN_CONFIRMED = notice_kind(
    "events.join_confirmed",
    label=gettext_lazy("Request to join a delegation confirmed"),
    rule=recipients.person_accounts,
    subject=lambda p: _("You are in the delegation to %(event)s") % p,
    body=lambda p: (
        _(
            "The officers of %(association)s confirmed your request: you are in its delegation to “%(event)s”. "
            "The federation approves the delegation once it is submitted."
        )
        % p
    ),
)
JOIN_DECLINED = notice_kind(
    "events.join_declined",
    label=gettext_lazy("Request to join a delegation declined"),
    rule=recipients.person_accounts,
    subject=lambda p: _("Your request to join the delegation to %(event)s was declined") % p,
    body=lambda p: (
        _(
            "The officers of %(association)s declined your request to join its delegation to “%(event)s”. "
            "Reason: %(reason)s"
        )
        % p
    ),
)
