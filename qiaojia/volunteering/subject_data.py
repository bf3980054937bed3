"""A person's volunteering (sign-ups and hours), for their copy (see `qiaojia.members.rights`). The
sign-ups only point at the person and their hours count in the totals, so an erasure leaves them."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qiaojia.members.rights import register_subject_data

from .models import ShiftSignup

register_subject_data(
    "volunteering.signups",
    label=capfirst(ShiftSignup._meta.verbose_name_plural),
    model=ShiftSignup,
    order=60,
    records=lambda person: (
        ShiftSignup.objects.filter(person=person)
        .select_related("shift__campaign", "association")
        .order_by("shift__starts_at", "id")
    ),
    columns=(
        ("campaign", _("Campaign")),
        ("task", _("Task")),
        ("starts_at", _("Starts")),
        ("association", _("Through association")),
        ("status", _("Status")),
        ("hours", _("Hours")),
        ("confirmed_at", capfirst(ShiftSignup._meta.get_field("confirmed_at").verbose_name)),
    ),
    row=lambda s: {
        "campaign": s.shift.campaign.name,
        "task": s.shift.task,
        "starts_at": s.shift.starts_at,
        "association": s.association.name if s.association_id else "",
        "status": s.get_status_display(),
        "hours": s.hours,
        "confirmed_at": s.confirmed_at,
    },
)
