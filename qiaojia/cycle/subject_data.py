"""Steps of annual reports recorded under a person's own account, for their copy and their erasure
(see `qiaojia.members.rights`): an erasure renames the account, and the steps follow."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qiaojia.members.rights import erased_username, field_label, register_subject_data

from .models import ReportEvent


def _erase(person, label: str) -> int:
    changed = 0
    for actor_id in set(ReportEvent.objects.filter(actor__person=person).values_list("actor_id", flat=True)):
        changed += ReportEvent.objects.filter(actor_id=actor_id).update(actor_name=erased_username(actor_id))
    return changed


register_subject_data(
    "cycle.report_events",
    label=_("Annual report steps recorded by their account"),
    model=ReportEvent,
    order=70,
    audit=False,
    erase=_erase,
    records=lambda person: (
        ReportEvent.objects.filter(actor__person=person).select_related("report__association").order_by("at", "id")
    ),
    columns=(
        ("at", _("Time")),
        ("report", _("Annual report")),
        ("kind", field_label(ReportEvent, "kind")),
        ("note", capfirst(_("note"))),
    ),
    row=lambda e: {
        "at": e.at,
        "report": f"{e.report.association.name} {e.report.year}",
        "kind": e.get_kind_display(),
        "note": e.note,
    },
)
