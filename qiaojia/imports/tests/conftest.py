import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def csv_upload(rows, *, name="members.csv", encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, name="members.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def read_upload(owner, association, uploaded):
    """Upload a file and run the job that reads it, as a worker would; the import it created."""
    from qiaojia.imports import services
    from qiaojia.imports.models import MemberImport
    from qiaojia.jobs import services as jobs

    job = services.import_upload(owner=owner, association=association, uploaded=uploaded)
    jobs.run_pending()
    job.refresh_from_db()
    return MemberImport.objects.get(pk=job.params["import"])
