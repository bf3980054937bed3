"""What voice holds about a person (the opinions they sent as a member), for their copy and their erasure
(see `qiaojia.members.rights`). An erasure replaces the name and clears the contact details; the case and
its answer stay, as the federation's record of how it was handled."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qiaojia.members.rights import register_subject_data

from .models import Opinion

register_subject_data(
    "voice.opinions",
    label=capfirst(Opinion._meta.verbose_name_plural),
    model=Opinion,
    order=70,
    records=lambda person: Opinion.objects.filter(person=person).order_by("received_at", "id"),
    audit_personal=("name", "phone", "email", "on_behalf_of"),
    erase=lambda person, label: Opinion.objects.filter(person=person).update(
        name=label, phone="", email="", on_behalf_of=""
    ),
    columns=(
        ("code", _("Receipt code")),
        ("received_at", _("Received")),
        ("category", _("Category")),
        ("title", _("Subject")),
        ("text", _("Opinion")),
        ("name", _("Full name")),
        ("phone", _("Phone")),
        ("email", _("E-mail")),
        ("status", _("Status")),
        ("rating", _("Rating")),
    ),
    row=lambda o: {
        "code": o.code,
        "received_at": o.received_at,
        "category": o.get_category_display(),
        "title": o.title,
        "text": o.text,
        "name": o.name,
        "phone": o.phone,
        "email": o.email,
        "status": o.get_status_display(),
        "rating": o.get_rating_display(),
    },
)
