"""The activities a person took part in, for their copy (see `qiaojia.members.rights`). An activity only
lists the person, so an erasure leaves it as it is."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qiaojia.members.rights import register_subject_data

from .models import Activity

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
