"""The import's background work, registered with the job runner: reading an upload, checking the rows,
committing them. Each handler runs one step of `services` in the importer's language."""

from django.utils import translation

from qiaojia.jobs import services as jobs

from .models import READ_KIND, MemberImport
from .report import import_language, user_language
from .services import commit_failed, import_check_run, import_commit_run, import_read_run


def _job_import(job) -> MemberImport:
    return MemberImport.objects.select_related("owner", "association").get(pk=job.params["import"])


@jobs.register(READ_KIND)
def read_upload(job, progress) -> None:
    with translation.override(user_language(job.owner)):
        import_read_run(job, progress)


@jobs.register("imports.check")
def check_rows(job, progress) -> None:
    imp = _job_import(job)
    with translation.override(import_language(imp)):
        try:
            import_check_run(imp, progress)
        except Exception as exc:
            commit_failed(imp, exc)
            raise
    job.result_path, job.result_name = imp.report.name, f"check-{imp.pk}.csv"


@jobs.register("imports.commit")
def commit_rows(job, progress) -> None:
    imp = _job_import(job)
    with translation.override(import_language(imp)):
        try:
            import_commit_run(imp, progress)
        except Exception as exc:
            commit_failed(imp, exc)
            raise
    job.result_path, job.result_name = imp.report.name, f"import-{imp.pk}.csv"
