"""Reads of the inbox: a user sees only their own notices; anyone else's id is not found."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification


def notification_list(*, viewer, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient_id=viewer.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_get(*, viewer, pk: int) -> Notification:
    notification = Notification.objects.filter(pk=pk, recipient_id=viewer.pk).first()
    if notification is None:
        raise Http404
    return notification


def unread_count(*, viewer) -> int:
    """The header's badge on every page: one COUNT that the (recipient, read_at) index answers. (A
    per-process cache of it showed other processes' stale counts and made page query counts depend
    on what ran before.)"""
    if not viewer.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=viewer.pk, read_at__isnull=True).count()
