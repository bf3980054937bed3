"""The notices of activities: an invitation to co-organise goes to the invited association's officers,
the answer to the host's. Their words are written when read, in the reader's language
(`notifications.text`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

from .models import CoOrganiserStatus


def _answer(p) -> str:
    """The answer's word in the reader's language (the notice stores the status's code)."""
    return str(dict(CoOrganiserStatus.choices).get(p["answer"], p["answer"]))


CO_ORGANISER_INVITED = notice_kind(
    "activities.co_organiser_invited",
    label=gettext_lazy("Invitation to co-organise an activity"),
    rule=recipients.association_officers,
    subject=lambda p: _("%(host)s invites you to co-organise “%(title)s”") % p,
    body=lambda p: _("Confirm or decline on the activity's page (%(date)s).") % p,
)
CO_ORGANISER_ANSWERED = notice_kind(
    "activities.co_organiser_answered",
    label=gettext_lazy("A co-organiser answered"),
    rule=recipients.association_officers,
    subject=lambda p: _("%(association)s: %(answer)s, “%(title)s”") % {**p, "answer": _answer(p)},
    body=lambda p: _("%(association)s answered your invitation to co-organise the activity.") % p,
)
