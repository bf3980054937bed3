"""What the registry holds about a person (terms of office, federation posts, party branches), for
their copy and their erasure (see `qiaojia.members.rights`). The records only point at the person, so
an erasure leaves them as they are."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.members.rights import register_subject_data

from .models import Department, Federation, FederationOfficial, PartyBranch, Term

register_subject_data(
    "orgs.terms",
    label=_("Terms of office"),
    model=Term,
    order=20,
    records=lambda person: Term.objects.filter(person=person).select_related("association").order_by("starts_on", "id"),
    columns=(
        ("association", _("Association")),
        ("title", pgettext_lazy("job title", "Title")),
        ("starts_on", _("Term starts")),
        ("ends_on", _("Term ends")),
    ),
    row=lambda t: {
        "association": t.association.name,
        "title": t.get_title_display(),
        "starts_on": t.starts_on,
        "ends_on": t.ends_on,
    },
)

register_subject_data(
    "orgs.federation_posts",
    label=capfirst(Federation._meta.verbose_name),
    model=FederationOfficial,
    order=21,
    audit=False,
    records=lambda person: (
        FederationOfficial.objects.filter(person=person).select_related("federation", "department").order_by("id")
    ),
    columns=(
        ("federation", capfirst(Federation._meta.verbose_name)),
        ("title", pgettext_lazy("job title", "Title")),
        ("department", capfirst(Department._meta.verbose_name)),
    ),
    row=lambda o: {
        "federation": o.federation.name,
        "title": o.get_title_display(),
        "department": o.department.name if o.department_id else "",
    },
)

register_subject_data(
    "orgs.party_branches",
    label=capfirst(PartyBranch._meta.verbose_name_plural),
    model=PartyBranch,
    order=22,
    audit=False,
    records=lambda person: PartyBranch.objects.filter(secretary=person).select_related("association").order_by("id"),
    columns=(
        ("association", _("Association")),
        ("name", _("Party branch")),
        ("role", capfirst(PartyBranch._meta.get_field("secretary").verbose_name)),
    ),
    row=lambda b: {
        "association": b.association.name,
        "name": b.name,
        "role": str(capfirst(PartyBranch._meta.get_field("secretary").verbose_name)),
    },
)
