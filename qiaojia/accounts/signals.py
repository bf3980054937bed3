"""Logins and logouts go to the audit trail (Django's own auth signals; no domain logic here); a lockout
(django-axes' signal) is told to the account's owner."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from qiaojia.core import context
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.services import audit_log

from . import services


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    # The row names the user who just proved who they are. The binding is undone at once: outside
    # a request (force_login, a shell) no middleware would reset it and later writes would be
    # attributed to this user.
    ambient = context.current()
    token = context.set_current(
        context.ActorContext(
            user.pk,
            user.get_username(),
            getattr(request, "client_ip", ambient.ip_address),
            getattr(request, "request_id", ambient.request_id),
        )
    )
    try:
        audit_log(action=AuditAction.LOGIN, instance=user)
    finally:
        context.reset(token)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action=AuditAction.LOGOUT, instance=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    """A failed login names the account tried (no password) and the address it came from."""
    ambient = context.current()
    username = str(credentials.get("username", ""))[:150]
    AuditEntry.objects.create(
        actor_id=None,
        actor_username=username or "anonymous",
        ip_address=getattr(request, "client_ip", None) or ambient.ip_address,
        request_id=getattr(request, "request_id", None) or ambient.request_id,
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_id="",
        object_repr=username,
    )


@receiver(user_locked_out)
def notify_locked_out(sender, request, username, ip_address, **kwargs):
    services.user_lockout_notify(username=username, ip_address=ip_address)
