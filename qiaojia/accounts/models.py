"""Accounts and roles."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from qiaojia.core.models import VersionedModel


class Role(models.TextChoices):
    ADMIN = "admin", _("Federation administrator")
    STAFF = "staff", _("Federation staff")
    OFFICER = "officer", _("Association officer")
    MEMBER = "member", _("Member")
    PUBLIC = "public", _("Public")


class User(AbstractUser, VersionedModel):
    """A person who logs in. The role decides the scope: admin and staff see the whole province,
    an officer the associations in `associations`, a member only their own `person` record."""

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.PUBLIC)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    associations = models.ManyToManyField(
        "orgs.Association", verbose_name=_("associations served as officer"), blank=True, related_name="officer_users"
    )
    person = models.OneToOneField(
        "members.Person",
        verbose_name=_("own member record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    language = models.CharField(_("language"), max_length=10, blank=True, default="")

    AUDIT_SKIP = ("password", "last_login")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_federation(self) -> bool:
        return self.is_active and self.role in (Role.ADMIN, Role.STAFF)

    @property
    def is_admin_role(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def needs_second_factor(self) -> bool:
        return self.role in (Role.ADMIN, Role.STAFF, Role.OFFICER)


RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def recovery_normalize(code: str) -> str:
    """A recovery code as typed (any case, with or without dashes or spaces) in its stored form."""
    return "".join(c for c in code.upper() if c.isalnum())


def recovery_hash(code: str) -> str:
    # Each code is 60 random bits and works once, so a fast hash suffices (a slow one would only slow sign-in).
    return hashlib.sha256(recovery_normalize(code).encode()).hexdigest()


class RecoveryCodeDevice(Device):
    """A second factor made of the owner's one-time recovery codes, for when the authenticator is lost.
    Only their hashes are kept (`RecoveryCode`); each code signs in once."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token) -> bool:
        code = recovery_normalize(str(token))
        if len(code) != RECOVERY_LENGTH:
            return False
        # One UPDATE marks it used: two sign-ins racing with the same code cannot both win.
        used = RecoveryCode.objects.filter(device=self, code_hash=recovery_hash(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        return used == 1

    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


RECOVERY_LENGTH = 12


class RecoveryCode(models.Model):
    """One recovery code of a device, by its hash; `used_at` once it has signed in."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.device_id}:{self.code_hash[:8]}"
