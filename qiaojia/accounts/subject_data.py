"""A person's own account, for their copy and their erasure (see `qiaojia.members.rights`). Erasure
closes the account for good: it is deactivated, renamed, emptied of personal fields, its password and
second-factor devices removed, its sessions ended and its login records under the old name deleted."""

from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from qiaojia.members.rights import erased_username, field_label, register_subject_data

from .models import User


def _end_sessions(user_ids: set[str]) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) in user_ids:
            session.delete()


def _erase(person, label: str) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    users = list(User.objects.filter(person=person).values_list("pk", "username"))
    for pk, username in users:
        User.objects.filter(pk=pk).update(
            username=erased_username(pk),
            first_name="",
            last_name="",
            email="",
            is_active=False,
            password=make_password(None),
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=username).delete()
    if users:
        TOTPDevice.objects.filter(user_id__in=[pk for pk, _name in users]).delete()
        _end_sessions({str(pk) for pk, _name in users})
    return len(users)


register_subject_data(
    "accounts.user",
    label=_("User account"),
    model=User,
    order=80,
    records=lambda person: User.objects.filter(person=person).prefetch_related("associations").order_by("id"),
    audit_personal=("username", "first_name", "last_name", "email"),
    erase=_erase,
    columns=tuple(
        (name, field_label(User, name))
        for name in (
            "username",
            "first_name",
            "email",
            "role",
            "associations",
            "language",
            "is_active",
            "date_joined",
            "last_login",
        )
    ),
    row=lambda u: {
        "username": u.username,
        "first_name": u.first_name,
        "email": u.email,
        "role": u.get_role_display(),
        "associations": [a.name for a in u.associations.all()],
        "language": u.language,
        "is_active": u.is_active,
        "date_joined": u.date_joined,
        "last_login": u.last_login,
    },
)
