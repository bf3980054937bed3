"""The notices of memberships awaiting confirmation: the federation's staff responsible for the
association review them, the person with an account is asked, and the officers hear the decision.
Their words are written when read, in the reader's language (`notifications.text`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients


def _pending_body(p) -> str:
    return (
        ngettext(
            "%(count)s membership entered by %(association)s matches a record already registered. Compare "
            "it and confirm or reject it.",
            "%(count)s memberships entered by %(association)s match records already registered. Compare "
            "them and confirm or reject each.",
            p["count"],
        )
        % p
    )


def _decided_subject(p) -> str:
    if p.get("confirmed"):
        return _("Membership confirmed: %(name)s") % p
    return _("Membership not confirmed: %(name)s") % p


def _decided_body(p) -> str:
    if p.get("confirmed"):
        return _("%(name)s is now a member of %(association)s.") % p
    return _("%(name)s was not added to %(association)s.") % p


PENDING_TO_REVIEW = notice_kind(
    "members.pending",
    label=gettext_lazy("Membership awaiting confirmation"),
    rule=recipients.federation_staff,
    subject=lambda p: _("Memberships of %(association)s await confirmation") % p,
    body=_pending_body,
)
PENDING_ASKED = notice_kind(
    "members.asked",
    label=gettext_lazy("Request to register you as a member"),
    rule=recipients.person_accounts,
    subject=lambda p: _("%(association)s asks to register you as a member") % p,
    body=lambda p: _("Confirm or decline it on your record."),
)
PENDING_DECIDED = notice_kind(
    "members.decided",
    label=gettext_lazy("Decision on a membership"),
    rule=recipients.association_officers,
    subject=_decided_subject,
    body=_decided_body,
)
