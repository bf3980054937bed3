"""Background jobs: long work (imports, exports, compilations, e-mail) run by the task framework's workers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qiaojia.core.storage import private_storage


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """One piece of long work asked for by a user: its kind names the handler, `params` its input. It is
    the user's record of the work (progress, result file, error); a task of the task framework runs it.

    Only the owner sees it. `error` is masked before it is stored: a failure must not carry a phone
    or ID number into the database in clear."""

    kind = models.CharField(max_length=50, db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    association = models.ForeignKey(
        "orgs.Association", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    # On the private storage, read back only by the owner's download views.
    result_path = models.FileField(max_length=200, blank=True, storage=private_storage, upload_to="jobs/")
    result_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # The id of the task-framework result that runs it (a database row, or an RQ job).
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
