"""The cycle's background jobs: the compilation of a year's reports, and laying out one report's pages
ahead of it. Both run in the task framework's workers, never in a web process (WeasyPrint's layout is
long CPU work)."""

from django.core.files import File
from django.utils import translation
from django.utils.translation import gettext as _

from qiaojia.core.chinese import to_script
from qiaojia.core.files import write_private
from qiaojia.jobs import services as jobs

from .documents import COMPILE_KIND, PREPARE_KIND, _load, compilation_docx, compilation_pdf, prepare_parts


class _Written(File):
    """A file written whole in the job's work folder: the file-system storage moves it into place (a
    rename), so a reader never finds half of it."""

    def temporary_file_path(self) -> str:
        return self.name


@jobs.register(COMPILE_KIND)
def compile_job(job, progress) -> None:
    year = int(job.params["year"])
    script = job.params.get("script", "zh-hans")
    fmt = job.params.get("format", "pdf")
    if script not in ("zh-hans", "zh-hant") or fmt not in ("pdf", "docx"):
        raise jobs.JobError("bad parameters")
    reports = _load(year)
    if not reports:
        with translation.override(script):
            raise jobs.JobError(_("No accepted report of %(year)s yet: nothing to compile.") % {"year": year})
    progress(0, len(reports) + 1, "")
    if fmt == "pdf":
        content = compilation_pdf(
            year=year,
            script=script,
            reports=reports,
            progress=progress,
            on_unkept=lambda pks: jobs.job_enqueue(kind=PREPARE_KIND, owner=job.owner, params={"reports": pks}),
        )
    else:
        content = compilation_docx(
            year=year, script=script, reports=reports, progress=lambda d, t, m: progress(d, t + 1, m)
        )
    written = jobs.job_workdir(job) / f"compilation.{fmt}"
    write_private(written, content)
    with translation.override(script):
        name = to_script(_("Compilation of annual reports %(year)s") % {"year": year}, script)
    with written.open("rb") as handle:
        job.result_path.save(f"compilation-{job.pk}.{fmt}", _Written(handle, name=str(written)), save=False)
    job.result_name = f"{name}.{fmt}"
    progress(len(reports) + 1, len(reports) + 1, "")


@jobs.register(PREPARE_KIND)
def prepare_job(job, progress) -> None:
    """A report was accepted or filed: its pages in both scripts, laid out for the compilations to come."""
    progress(0, 1, "")
    prepare_parts([int(pk) for pk in job.params["reports"]])
    progress(1, 1, "")
