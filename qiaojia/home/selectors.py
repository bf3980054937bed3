from django.db.models import Q

from qiaojia.core.models import AuditEntry


def audit_entries(filters):
    """The audit trail narrowed by the filter form: the page and its export read the same rows."""
    qs = AuditEntry.objects.all()
    if filters.value("q"):
        qs = qs.filter(Q(object_repr__icontains=filters.value("q")) | Q(request_id=filters.value("q")))
    if filters.value("actor"):
        qs = qs.filter(actor_username=filters.value("actor"))
    if filters.value("action"):
        qs = qs.filter(action=filters.value("action"))
    if filters.value("object_type"):
        qs = qs.filter(object_type=filters.value("object_type"))
    if filters.value("since"):
        qs = qs.filter(at__date__gte=filters.value("since"))
    if filters.value("until"):
        qs = qs.filter(at__date__lte=filters.value("until"))
    return qs


def record_history(*, person_id: int, membership_ids) -> list[AuditEntry]:
    """What was changed on a person's record and memberships, latest first (the person's own history)."""
    return list(
        AuditEntry.objects.filter(
            Q(object_type="members.person", object_id=str(person_id))
            | Q(object_type="members.membership", object_id__in=[str(pk) for pk in membership_ids])
        ).order_by("-at", "-id")[:50]
    )
