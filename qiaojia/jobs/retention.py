"""Retention of job results: export files expire after QIAOJIA_EXPORT_KEEP_HOURS; a result file no job
names any more is an orphan."""

from qiaojia.core import retention
from qiaojia.core.export_jobs import EXPORT_DIR, export_purge_expired

from .models import Job


def _result_paths():
    return Job.objects.exclude(result_path="").values_list("result_path", flat=True)


retention.register("export_files", "export files", export_purge_expired)
retention.register_folder(EXPORT_DIR, _result_paths)
retention.register_folder("jobs", _result_paths)  # compilations
