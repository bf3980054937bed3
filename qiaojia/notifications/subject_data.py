"""The notices sent to a person's account, for their copy and their erasure (see
`qiaojia.members.rights`): an erased person's inbox is deleted with the account's personal data."""

from django.utils.translation import gettext_lazy as _

from qiaojia.members.rights import field_label, register_subject_data

from .models import Notification


def _erase(person, label: str) -> int:
    count, _deleted = Notification.objects.filter(recipient__person=person).delete()
    return count


register_subject_data(
    "notifications.inbox",
    label=_("Notifications"),
    model=Notification,
    order=90,
    audit=False,
    erase=_erase,
    records=lambda person: Notification.objects.filter(recipient__person=person).order_by("created_at", "id"),
    columns=(
        *((name, field_label(Notification, name)) for name in ("created_at", "kind", "subject", "body", "read_at")),
        ("emailed_at", _("E-mailed")),
    ),
    row=lambda n: {
        "created_at": n.created_at,
        "kind": n.get_kind_display(),
        "subject": n.subject,
        "body": n.body,
        "read_at": n.read_at,
        "emailed_at": n.emailed_at,
    },
)
