"""What B2B matchmaking holds about a person: the enterprises they were the contact of at a flagship event's
B2B meetings. An erasure removes them as the contact (the enterprise's participation stays)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.members.rights import register_subject_data

from .models import B2BParticipant

register_subject_data(
    "trade.b2b_participations",
    label=pgettext_lazy("b2b", "B2B meetings"),
    model=B2BParticipant,
    order=60,
    records=lambda person: (
        B2BParticipant.objects.filter(contact=person)
        .select_related("session__event", "enterprise", "association")
        .order_by("session__event__starts_on", "id")
    ),
    audit_personal=(),
    erase=lambda person, label: B2BParticipant.objects.filter(contact=person).update(contact=None),
    columns=(
        ("event", _("Event")),
        ("enterprise", _("Enterprise")),
        ("association", _("Association")),
    ),
    row=lambda p: {"event": p.session.event.name, "enterprise": p.enterprise.name, "association": p.association.name},
)
