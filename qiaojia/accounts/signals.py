"""Logins and logouts go to the audit trail (Django's own auth signals; no domain logic here)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from qiaojia.core import context
from qiaojia.core.models import AuditAction
from qiaojia.core.services import audit_log


def _bind(request, user):
    context.set_current(context.ActorContext(
        user.pk, user.get_username(), getattr(request, "client_ip", None), getattr(request, "request_id", "")))


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    if request is not None:
        _bind(request, user)
    audit_log(action=AuditAction.LOGIN, instance=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action=AuditAction.LOGOUT, instance=user)
