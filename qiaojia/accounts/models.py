"""Accounts and roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

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
