"""Base models and the audit trail. No domain logic lives here."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .storage import private_storage

# A line starting with one of these is a photo caption in Chinese news and records (`△會議現場`).
CAPTION_MARKS = ("△", "▲")


def strip_caption_mark(caption: str) -> str:
    return (caption or "").strip().lstrip("".join(CAPTION_MARKS)).strip()


class VersionedModel(models.Model):
    """A record edited by people: `version` grows on every update so a stale edit is detected."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class StoredPhoto(VersionedModel):
    """A photo of a record (a meeting, an activity, an article) with its caption, in order. The file was
    re-encoded on upload (`core.uploads.clean_image`), is kept on the private storage under FOLDER with a
    generated name and served only through a view that checked who asks (`core.photos`). Each concrete model
    adds the key to its record, named by PARENT."""

    FOLDER: ClassVar[str]
    PARENT: ClassVar[str]

    file = models.FileField(storage=private_storage, max_length=200, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    size = models.PositiveIntegerField(editable=False, default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.caption or self.file.name or ""

    @property
    def caption_text(self) -> str:
        """The caption without the mark (`△`) that pages and records put before it themselves."""
        return strip_caption_mark(self.caption)

    @property
    def parent(self) -> models.Model:
        return getattr(self, self.PARENT)

    @property
    def audit_association_id(self) -> int | None:
        return getattr(self.parent, "association_id", None)


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail cannot be changed.")

    def delete(self):
        raise PermissionError("The audit trail cannot be changed.")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    REVEAL = "reveal", _("Revealed personal data")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Failed login")
    EXPORT = "export", _("Exported a list")


class AuditEntry(models.Model):
    """One change to the platform's data: who, when, from where, what, and the fields before/after.

    Written by services in the same transaction as the change; never updated or deleted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    association_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # Only what the trail is read by, since every index is written for every audit row (an import
        # writes two per person): `at` (the trail's order, its date filters, retention), `actor` (a
        # person's copy: what their account did) and the record (a person's history, their copy and
        # erasure). The trail's other filters (action, kind, request id) are narrowed from the `at` order.
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail cannot be changed.")


class FormSubmission(models.Model):
    """A create form's one-time token: a form submitted twice makes one record."""

    token = models.UUIDField(unique=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id}"
