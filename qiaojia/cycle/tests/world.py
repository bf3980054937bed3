"""The annual cycle in the shared isolation world (qiaojia/core/tests/test_isolation.py), and small helpers
for the cycle's tests."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qiaojia.cycle import files, services
from qiaojia.cycle.models import AttachmentKind
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Federation


def real_pdf(pages: int = 1, *, javascript: str = "", password: str = "") -> bytes:
    """A PDF that pypdf writes (attachments are parsed, a `%PDF-` header is not enough)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _n in range(pages):
        writer.add_blank_page(width=595, height=842)
    if javascript:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        writer._root_object[NameObject("/OpenAction")] = writer._add_object(
            DictionaryObject(
                {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)}
            )
        )
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_BYTES = real_pdf()


def pdf_upload(name="statements.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def image_upload(name="photo.jpg", size=(40, 30), fmt="JPEG", exif: bytes | None = None) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=fmt, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def report_year() -> int:
    return timezone.localdate().year - 1


def make_priorities(year: int | None = None, *, publish: bool = True, items: str | None = None):
    year = year or report_year() + 1
    federation = Federation.objects.order_by("id").first()
    priorities = services.priorities_create(
        federation=federation,
        data={"year": year, "title": f"省僑聯{year}年工作要點"},
        items_text=items or "1. 搭建經貿合作交流平臺\n2. 服務企業出海\n3. 推進數智化管理",
    )
    if publish:
        priorities = services.priorities_publish(priorities=priorities, expected_version=priorities.version)
    return priorities


def make_report(association, year: int | None = None, *, with_item: bool = True, complete: bool = True):
    report = services.report_start(association=association, year=year or report_year())
    if complete:
        report = services.report_update(
            report=report,
            expected_version=report.version,
            data={"work_summary": f"{association.name}全年工作總結", "party_activities": "組織黨員集中學習四次"},
        )
        report = services.report_attach(
            report=report, expected_version=report.version, kind=AttachmentKind.FINANCIAL_REPORT, uploaded=pdf_upload()
        )
    if with_item:
        services.plan_item_create(
            report=report,
            data={
                "title": "搭建經貿合作交流平臺",
                "owner": "秘書處",
                "target": "舉辦對接會兩場",
                "due_on": datetime.date(report.plan_year, 12, 31),
            },
        )
        report.refresh_from_db()
    return report


def cycle_world(w, k):
    """Once per world: published priorities; for association k a draft report with one plan item, a stored
    file, and a notice to k's officer."""
    if "cycle_priorities" not in w:
        w["cycle_priorities"] = make_priorities()
    key = ("cycle", k)
    if key not in w:
        association = w[k]["association"]
        report = make_report(association)
        item = report.plan_items.first()
        attachment = files.attachment_store(
            uploaded=pdf_upload(), kind=AttachmentKind.FINANCIAL_REPORT, association=association
        )
        officer = w["users"]["officer_a" if k == "A" else "officer_b"]
        notice = notify("general", user=officer, subject="測試通知", body="")[0]
        w[key] = {
            "report": report,
            "item": item,
            "attachment": attachment,
            "notification": notice,
            "association": association,
        }
    return w[key]
