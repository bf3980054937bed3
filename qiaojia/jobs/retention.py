"""Retention of job results: a result file no job names any more is an orphan (export files are the
exports app's, see `qiaojia.exports.retention`)."""

from qiaojia.core import retention

from .models import Job


def _result_paths():
    return Job.objects.exclude(result_path="").values_list("result_path", flat=True)


retention.register_folder("jobs", _result_paths)  # compilations
