"""What meetings hold about a person (participations and sign-ins), for their copy and their erasure
(see `qiaojia.members.rights`). A participant keeps a copy of the name as registered: an erasure
replaces it, so the meeting's record still reads."""

from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qiaojia.members.rights import register_subject_data

from .models import Meeting, Participant


def _participations(person):
    return (
        Participant.objects.filter(Q(person=person) | Q(official__person=person))
        .select_related("meeting__federation", "meeting__association", "association")
        .order_by("meeting__starts_at", "id")
    )


def _erase(person, label: str) -> int:
    return Participant.objects.filter(Q(person=person) | Q(official__person=person)).update(name=label, public_title="")


register_subject_data(
    "meetings.participations",
    label=_("Meetings"),
    model=Participant,
    order=30,
    records=_participations,
    audit_personal=("name", "public_title"),
    erase=_erase,
    columns=(
        ("meeting", _("Meeting")),
        ("starts_at", _("Starts")),
        ("organiser", capfirst(Meeting._meta.get_field("association").verbose_name)),
        ("role", _("Role")),
        ("name", _("Full name")),
        ("public_title", _("Public title")),
        ("association", _("On behalf of association")),
        ("invited_at", _("Invited")),
        ("signed_in_at", _("Signed in")),
        ("signed_in_method", _("Signed in by")),
    ),
    row=lambda p: {
        "meeting": p.meeting.title,
        "starts_at": p.meeting.starts_at,
        "organiser": p.meeting.organiser_name(),
        "role": p.get_role_display(),
        "name": p.name,
        "public_title": p.public_title,
        "association": p.association.name if p.association_id else "",
        "invited_at": p.invited_at,
        "signed_in_at": p.signed_in_at,
        "signed_in_method": p.get_signed_in_method_display(),
    },
)
