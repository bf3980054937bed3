"""The notices of opinions: whoever must act next hears. A case received, routed or reopened goes to its
handler (an association's officers, or a department's staff); a reply to the sender's account; a deadline
near to the handler; an overdue case to the handler and the federation's administrators. Their words are
written when read, in the reader's language. A public sender with no account is written to by e-mail."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

OPINION_ROUTED = notice_kind(
    "voice.routed",
    label=gettext_lazy("Opinion to handle"),
    rule=recipients.handler,
    subject=lambda p: _("Opinion to handle: %(title)s") % p,
    body=lambda p: _("The opinion “%(title)s” (%(code)s) is yours to handle. Acknowledge it by %(due)s.") % p,
)
OPINION_REOPENED = notice_kind(
    "voice.reopened",
    label=gettext_lazy("Opinion reopened"),
    rule=recipients.handler,
    subject=lambda p: _("Opinion reopened: %(title)s") % p,
    body=lambda p: (
        _("The sender was not satisfied with the answer to “%(title)s” (%(code)s). Answer again by %(due)s.") % p
    ),
)
OPINION_DUE = notice_kind(
    "voice.due",
    label=gettext_lazy("Opinion due soon"),
    rule=recipients.handler,
    subject=lambda p: _("Opinion due soon: %(title)s") % p,
    body=lambda p: _("The opinion “%(title)s” (%(code)s) must be answered by %(due)s.") % p,
)
OPINION_OVERDUE = notice_kind(
    "voice.overdue",
    label=gettext_lazy("Opinion overdue"),
    rule=recipients.handler_and_admins,
    subject=lambda p: _("Opinion overdue: %(title)s") % p,
    body=lambda p: _("The opinion “%(title)s” (%(code)s) was due by %(due)s and is not answered yet.") % p,
)
OPINION_ANSWERED = notice_kind(
    "voice.answered",
    label=gettext_lazy("Your opinion is answered"),
    rule=recipients.person_accounts,
    subject=lambda p: _("Your opinion is answered: %(title)s") % p,
    body=lambda p: (
        _("Your opinion “%(title)s” (%(code)s) has an answer. Read it and tell us whether you are satisfied.") % p
    ),
)
