"""Writes to accounts: creation, roles, language, second factor, deactivation."""

import secrets

from axes.helpers import get_cool_off
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from qiaojia.core.services import audit_log, create_audited, update_versioned
from qiaojia.notifications.models import Notification
from qiaojia.notifications.services import notify

from .models import RECOVERY_ALPHABET, RECOVERY_LENGTH, RecoveryCode, RecoveryCodeDevice, Role, User, recovery_hash
from .notices import ACCOUNT_LOCKED
from .permissions import can_turn_off_second_factor


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.PUBLIC,
    first_name: str = "",
    email: str = "",
    department=None,
    associations=(),
    person=None,
    language: str = "",
    form_token=None,
) -> User:
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        email=email,
        department=department,
        person=person,
        language=language,
    )
    validate_password(password, user)
    user.set_password(password)
    create_audited(user, form_token=form_token)
    if associations:
        user.associations.set(associations)
        audit_log(action="update", instance=user, changes={"associations": [[], sorted(a.pk for a in associations)]})
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    expected_version: int,
    role: str,
    first_name: str,
    email: str,
    department,
    associations,
    is_active: bool,
) -> User:
    """An administrator's change of an account's role, department and associations."""
    was_active = user.is_active
    user = update_versioned(
        user, expected_version=expected_version, role=role, first_name=first_name, email=email, department=department
    )
    before = sorted(user.associations.values_list("pk", flat=True))
    after = sorted(a.pk for a in associations)
    if before != after:
        user.associations.set(associations)
        audit_log(action="update", instance=user, changes={"associations": [before, after]})
    if was_active and not is_active:
        user = user_deactivate(user=user)
    elif is_active and not was_active:
        User.objects.filter(pk=user.pk).update(is_active=True, version=F("version") + 1, updated_at=timezone.now())
        audit_log(action="update", instance=user, changes={"is_active": [False, True]})
        user.refresh_from_db()
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """A preference, not an edit: applied to the stored row whatever version the caller holds
    (`user` may be a stale or lazy `request.user`)."""
    current = User.objects.select_for_update().get(pk=user.pk)
    if current.language == language:
        return current
    return update_versioned(current, expected_version=current.version, language=language)


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Deactivate and end every session of the user at once."""
    was_active = User.objects.select_for_update().filter(pk=user.pk).values_list("is_active", flat=True).get()
    if was_active:
        # Bump the version so an edit form opened before the deactivation cannot quietly undo it.
        User.objects.filter(pk=user.pk).update(is_active=False, version=F("version") + 1, updated_at=timezone.now())
        audit_log(action="update", instance=user, changes={"is_active": [True, False]})
    now = timezone.now()
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    user.refresh_from_db(fields=["is_active", "version", "updated_at"])
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


@transaction.atomic
def second_factor_turn_off(*, user: User) -> User:
    """The owner turns their second factor off: the authenticator and the recovery codes go. Refused for a
    role that needs it (staff, administrators, officers), whatever the caller checked before."""
    if not can_turn_off_second_factor(user):
        raise ValidationError(_("Your role needs two-factor authentication: it cannot be turned off."))
    locked = User.objects.select_for_update().get(pk=user.pk)
    had = TOTPDevice.objects.filter(user=locked, confirmed=True).exists()
    TOTPDevice.objects.filter(user=locked).delete()
    RecoveryCodeDevice.objects.filter(user=locked).delete()
    if had:
        audit_log(action="update", instance=locked, changes={"second_factor": ["totp", None]})
    return locked


@transaction.atomic
def user_lockout_notify(*, username: str | None, ip_address: str | None) -> bool:
    """Tell an account's owner (inbox and e-mail, in their language) that logging in to it was locked,
    once per cool-off however many attempts follow. An unknown or inactive username tells no one."""
    user = User.objects.filter(username=username, is_active=True).first() if username else None
    if user is None:
        return False
    cool_off = get_cool_off()
    if Notification.objects.filter(
        recipient=user, kind=ACCOUNT_LOCKED.code, created_at__gte=timezone.now() - cool_off
    ).exists():
        return False
    minutes = max(1, round(cool_off.total_seconds() / 60))

    notify(
        ACCOUNT_LOCKED, user=user, params={"username": user.username, "address": ip_address or "?", "minutes": minutes}
    )
    return True


@transaction.atomic
def user_password_set(*, user: User, password: str, how: str) -> User:
    """A new password for `user`, chosen by its owner: "change" (knowing the old one) or "reset" (through the
    link e-mailed to them). Every other session of the account ends with the old password's hash."""
    user.set_password(password)
    User.objects.filter(pk=user.pk).update(password=user.password, version=F("version") + 1, updated_at=timezone.now())
    audit_log(action="update", instance=user, changes={"password": [None, how]})
    user.refresh_from_db(fields=["version", "updated_at"])
    return user


RECOVERY_COUNT = 10


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """A fresh set of one-time recovery codes for `user`, replacing any earlier set. The codes are returned
    once, to be shown once; only their hashes are kept."""
    device = RecoveryCodeDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        device = RecoveryCodeDevice.objects.create(user=user, name="recovery", confirmed=True)
    device.codes.all().delete()
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(RECOVERY_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, code_hash=recovery_hash(code)) for code in codes])
    audit_log(action="update", instance=user, changes={"recovery_codes": [None, RECOVERY_COUNT]})
    return ["-".join(code[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4)) for code in codes]


@transaction.atomic
def recovery_code_use(*, user: User, code: str) -> RecoveryCodeDevice | None:
    """The recovery device, if `code` is one of the user's unused codes (then spent); None otherwise."""
    device = RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(code):
        return None
    audit_log(action="update", instance=user, changes={"second_factor": [None, "recovery_code"]})
    return device
