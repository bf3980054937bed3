"""Writes to accounts: creation, roles, language, second factor, deactivation."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qiaojia.core.services import audit_log, create_audited, update_versioned

from .models import Role, User


@transaction.atomic
def user_create(*, username: str, password: str, role: str = Role.PUBLIC, first_name: str = "",
                email: str = "", department=None, associations=(), person=None, language: str = "") -> User:
    user = User(username=username, role=role, first_name=first_name, email=email, department=department,
                person=person, language=language)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    create_audited(user)
    if associations:
        user.associations.set(associations)
        audit_log(action="update", instance=user,
                  changes={"associations": [[], sorted(a.pk for a in associations)]})
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if user.language == language:
        return user
    return update_versioned(user, expected_version=user.version, language=language)


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Deactivate and end every session of the user at once."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    audit_log(action="update", instance=user, changes={"is_active": [True, False]})
    now = timezone.now()
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    user.is_active = False
    return user


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device a user is setting up (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> TOTPDevice:
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_log(action="update", instance=device.user, changes={"second_factor": [None, "totp"]})
    return device
