"""The notices of meetings: an invitation goes to the participant's own account, or to the officers
of the association they come from when they have none. Its words are written when read, in the
reader's language (`notifications.text`); the participant's name is shown as registered."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

from .models import ParticipantRole


def _invitation_body(p) -> str:
    values = {**p, "role": dict(ParticipantRole.choices).get(p["role"], p["role"]), "place": p["place"] or "—"}
    text = (
        _(
            "%(name)s is invited to “%(title)s”, %(when)s, %(place)s, as: %(role)s.\n"
            "Sign in at the meeting with this link (no password needed): %(link)s"
        )
        % values
    )
    if p.get("code"):
        text += "\n" + _("Or scan the code at the entrance and type your name and your sign-in code: %(code)s") % p
    return text


INVITATION = notice_kind(
    "meetings.invitation",
    label=gettext_lazy("Meeting invitation"),
    rule=recipients.person_else_officers,
    subject=lambda p: _("Invitation: %(title)s") % p,
    body=_invitation_body,
)
JOINT_SCHEDULED = notice_kind(
    "meetings.joint_scheduled",
    label=gettext_lazy("Joint meeting scheduled"),
    rule=recipients.association_officers,
    subject=lambda p: _("%(series)s: meeting no. %(n)s hosted by %(host)s") % p,
    body=lambda p: _("On %(date)s at %(place)s.") % {**p, "place": p["place"] or "—"},
)
