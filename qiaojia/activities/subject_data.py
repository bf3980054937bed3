"""The activities a person took part in and registered for, for their copy (see `qiaojia.members.rights`).
An activity and a registration only point at the person, so an erasure leaves them as they are."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qiaojia.members.rights import register_subject_data

from .models import Activity, ActivityRegistration

register_subject_data(
    "activities.participations",
    label=_("Activities"),
    model=Activity,
    order=40,
    audit=False,
    records=lambda person: (
        Activity.objects.filter(members=person).select_related("association").order_by("starts_on", "id")
    ),
    columns=(
        ("title", capfirst(Activity._meta.verbose_name)),
        ("association", _("Association")),
        ("kind", _("Type")),
        ("starts_on", _("Date")),
        ("place", _("Place")),
    ),
    row=lambda a: {
        "title": a.title,
        "association": a.association.name,
        "kind": a.get_kind_display(),
        "starts_on": a.starts_on,
        "place": a.place,
    },
)

register_subject_data(
    "activities.registrations",
    label=_("Activity registrations"),
    model=ActivityRegistration,
    order=41,
    records=lambda person: (
        ActivityRegistration.objects.filter(person=person)
        .select_related("activity__association")
        .order_by("registered_at", "id")
    ),
    columns=(
        ("activity", capfirst(Activity._meta.verbose_name)),
        ("association", _("Association")),
        ("registered_at", _("Registered at")),
        ("status", _("Status")),
    ),
    row=lambda r: {
        "activity": r.activity.title,
        "association": r.activity.association.name,
        "registered_at": r.registered_at,
        "status": r.get_status_display(),
    },
)
