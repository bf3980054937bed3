"""Spreadsheet imports of people, enterprises and memberships into an association."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qiaojia.core.storage import local_storage


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Columns to map")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")


# The job that reads an upload before any import exists (its params hold the file, then the import).
READ_KIND = "imports.read"

# The allowed transitions of an import (one service each).
TRANSITIONS = {
    ImportStatus.UPLOADED: {ImportStatus.CHECKING, ImportStatus.CHECKED},
    ImportStatus.CHECKING: {ImportStatus.CHECKED, ImportStatus.FAILED},
    ImportStatus.CHECKED: {
        ImportStatus.CHECKING,
        ImportStatus.CHECKED,
        ImportStatus.COMMITTING,
        ImportStatus.COMMITTED,
        ImportStatus.FAILED,
    },
    ImportStatus.COMMITTING: {ImportStatus.COMMITTED, ImportStatus.FAILED},
    ImportStatus.FAILED: {ImportStatus.CHECKING, ImportStatus.CHECKED},
    ImportStatus.COMMITTED: set(),
}


class MemberImport(models.Model):
    """One uploaded file on its way into an association: mapped, checked, then committed all at once.

    The upload is stored under a generated name, served to nobody, and deleted after the commit or
    after `QIAOJIA_IMPORT_KEEP_HOURS`. Only its owner sees the import and its report."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imports")
    association = models.ForeignKey(
        "orgs.Association", verbose_name=_("association"), on_delete=models.CASCADE, related_name="imports"
    )
    original_name = models.CharField(_("file"), max_length=200)
    # The uploaded file ("imports/<generated>.csv"), on the private storage; emptied once it is deleted.
    upload = models.FileField(storage=local_storage, upload_to="imports/", max_length=100, blank=True)
    file_kind = models.CharField(max_length=4)
    size = models.PositiveIntegerField(default=0)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)
    consent_confirmed = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED, db_index=True
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_rows = models.PositiveIntegerField(default=0)
    warning_rows = models.PositiveIntegerField(default=0)
    # Rows with problems: [[row number, [[code, params], ...]], ...] (the first few thousand).
    problems = models.JSONField(default=list, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    linked_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # The CSV report of the check, then of the commit ("imports/reports/<generated>.csv").
    report = models.FileField(storage=local_storage, upload_to="imports/reports/", max_length=100, blank=True)
    message = models.CharField(max_length=300, blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.original_name} → {self.association_id}"

    @property
    def audit_association_id(self) -> int:
        return self.association_id

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.CHECKED and self.error_rows == 0 and self.row_count > 0

    @property
    def is_busy(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.COMMITTING)


class ColumnMapping(models.Model):
    """A user's column mapping for files of one shape (same headers) into one association, reused next time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    association = models.ForeignKey("orgs.Association", on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "association", "signature"], name="column_mapping_one_per_shape")
        ]

    def __str__(self) -> str:
        return self.signature[:12]
