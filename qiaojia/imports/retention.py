"""Retention of imports: an upload and the rows its check stashed are deleted QIAOJIA_IMPORT_KEEP_HOURS
after the upload unless committed (then at once); a file no import names any more is an orphan."""

from pathlib import Path

from qiaojia.core import retention
from qiaojia.jobs.models import Job

from .models import MemberImport
from .services import import_purge_expired


def _uploads():
    for stored in MemberImport.objects.exclude(upload="").values_list("upload", flat=True):
        yield f"imports/{Path(stored).name}"
        yield f"imports/{Path(stored).with_suffix('.checked').name}"


def _reports():
    yield from MemberImport.objects.exclude(report="").values_list("report", flat=True)
    yield from Job.objects.filter(result_path__startswith="imports/").values_list("result_path", flat=True)


retention.register("import_stashes", "import uploads and stashes", import_purge_expired)
retention.register_folder("imports", _uploads)
retention.register_folder("imports/reports", _reports)
