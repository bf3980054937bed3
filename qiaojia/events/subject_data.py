"""What flagship events hold about a person (delegations they were in or led), for their copy and
their erasure (see `qiaojia.members.rights`). A delegate keeps a copy of the name: an erasure replaces
it and clears what described the person."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.members.rights import register_subject_data

from .models import Delegate, Delegation, JoinRequest


def _erase_delegates(person, label: str) -> int:
    return Delegate.objects.filter(person=person).update(name=label, organisation="", title="")


def _erase_led(person, label: str) -> int:
    led = Delegation.objects.filter(leader=person)
    if person.phone:
        # The delegation's contact phone is often the leader's own.
        led.filter(contact_phone=person.phone).update(contact_phone="")
    return led.update(leader_name=label)


register_subject_data(
    "events.delegates",
    label=capfirst(Delegate._meta.verbose_name_plural),
    model=Delegate,
    order=50,
    records=lambda person: (
        Delegate.objects.filter(person=person)
        .select_related("delegation__event", "delegation__association")
        .order_by("delegation__event__starts_on", "id")
    ),
    audit_personal=("name", "organisation", "title"),
    erase=_erase_delegates,
    columns=(
        ("event", _("Event")),
        ("starts_on", _("Starts")),
        ("association", _("Association")),
        ("role", pgettext_lazy("delegation", "Role")),
        ("name", _("Full name")),
        ("country", _("Country or region")),
        ("organisation", _("Organisation")),
        ("title", pgettext_lazy("job title", "Title")),
        ("checked_in_at", _("Checked in")),
    ),
    row=lambda d: {
        "event": d.delegation.event.name,
        "starts_on": d.delegation.event.starts_on,
        "association": d.delegation.association.name,
        "role": d.get_role_display(),
        "name": d.name,
        "country": d.country.name if d.country else "",
        "organisation": d.organisation,
        "title": d.title,
        "checked_in_at": d.checked_in_at,
    },
)

register_subject_data(
    "events.delegations_led",
    label=_("Delegations"),
    model=Delegation,
    order=51,
    records=lambda person: (
        Delegation.objects.filter(leader=person)
        .select_related("event", "association")
        .order_by("event__starts_on", "id")
    ),
    audit_personal=("leader_name",),
    erase=_erase_led,
    columns=(
        ("event", _("Event")),
        ("association", _("Association")),
        ("leader_name", capfirst(Delegation._meta.get_field("leader_name").verbose_name)),
        ("contact_phone", _("Contact phone")),
        ("status", _("Status")),
        ("submitted_at", _("Submitted")),
    ),
    row=lambda d: {
        "event": d.event.name,
        "association": d.association.name,
        "leader_name": d.leader_name,
        "contact_phone": d.contact_phone,
        "status": d.get_status_display(),
        "submitted_at": d.submitted_at,
    },
)


register_subject_data(
    "events.join_requests",
    label=_("Requests to join a delegation"),
    model=JoinRequest,
    order=51,
    records=lambda person: (
        JoinRequest.objects.filter(person=person)
        .select_related("event", "delegation__association")
        .order_by("asked_at", "id")
    ),
    audit_personal=("note",),
    erase=lambda person, label: JoinRequest.objects.filter(person=person).update(note=""),
    columns=(
        ("event", _("Event")),
        ("association", _("Association")),
        ("asked_at", _("Asked at")),
        ("status", _("Status")),
        ("note", _("Message")),
    ),
    row=lambda r: {
        "event": r.event.name,
        "association": r.delegation.association.name,
        "asked_at": r.asked_at,
        "status": r.get_status_display(),
        "note": r.note,
    },
)
