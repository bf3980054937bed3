"""Retention of export files: they expire after QIAOJIA_EXPORT_KEEP_HOURS; a file in exports/ that no
job names any more is an orphan."""

from qiaojia.core import retention
from qiaojia.jobs.models import Job

from .services import EXPORT_DIR, EXPORT_KIND, export_purge_expired


def _export_paths():
    return Job.objects.filter(kind=EXPORT_KIND).exclude(result_path="").values_list("result_path", flat=True)


retention.register("export_files", "export files", export_purge_expired)
retention.register_folder(EXPORT_DIR, _export_paths)
