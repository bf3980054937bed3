import io
import subprocess
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from conftest import verified_client
from qiaojia.core.chinese import to_simplified
from qiaojia.cycle import documents, services
from qiaojia.cycle.tests.world import make_report, report_year
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job, JobStatus


def _accepted(association, summary):
    report = make_report(association)
    report = services.report_update(report=report, expected_version=report.version, data={"work_summary": summary})
    report = services.report_submit(report=report, expected_version=report.version)
    return services.report_accept(report=report, expected_version=report.version)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_compilation_pdf_in_the_background_has_every_accepted_report(client, staff_user, business_association,
                                                                     other_association, priorities):
    _accepted(business_association, "僑商會搭建經貿合作交流平臺成效顯著")
    draft = make_report(other_association)
    services.report_update(report=draft, expected_version=draft.version, data={"work_summary": "草稿不應出現"})
    verified_client(client, staff_user)
    response = client.post(reverse("cycle:compilation"), {"year": report_year(), "script": "zh-hans", "fmt": "pdf"})
    assert response.status_code == 302
    job = Job.objects.get(kind=documents.COMPILE_KIND)
    assert job.status == JobStatus.QUEUED and job.total == 1
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    page = client.get(reverse("cycle:compilation")).content.decode()
    assert reverse("jobs:job-result", args=[job.pk]) in page
    download = client.get(reverse("jobs:job-result", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF-")
    path = jobs.result_file(job)
    text = pdf_text(path)
    assert "侨商会搭建经贸合作交流平台成效显著" in text  # Simplified, as asked
    assert "草稿不应出现" not in text
    with translation.override("zh-hans"):
        contents = to_simplified(translation.gettext("Contents"))
    assert contents in text and to_simplified(business_association.name) in text


def test_compilation_in_traditional_and_as_word(business_association, priorities):
    _accepted(business_association, "侨商会关注企业出海")
    html = documents.compilation_html(year=report_year(), script="zh-hant")
    assert "僑商會關注企業出海" in html and "section class=\"report\"" in html
    from docx import Document

    data = documents.compilation_docx(year=report_year(), script="zh-hant")
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "僑商會關注企業出海" in text
    assert "河南省僑商聯合會" in text


def test_compilation_of_nothing_fails_with_a_message(staff_user, priorities):
    job = jobs.job_enqueue(kind=documents.COMPILE_KIND, owner=staff_user,
                           params={"year": report_year(), "script": "zh-hans", "format": "pdf"})
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and str(report_year()) in job.error


def test_compiling_twenty_reports_binds_every_one(federation, liaison_department, priorities):
    """With the default parts (one per core, at least 10 reports each): every report in the outline."""
    from pypdf import PdfReader

    from conftest import make_credit_code
    from qiaojia.orgs import services as org_services
    from qiaojia.orgs.models import AssociationKind

    for i in range(20):
        association = org_services.association_create(federation=federation, data={
            "name": f"河南省測試社團{i}", "kind": AssociationKind.HOMETOWN,
            "supervising_department": liaison_department, "credit_code": make_credit_code(7000 + i)})
        _accepted(association, "全年舉辦活動十二場。" * 20)
    pdf = documents.compilation_pdf(year=report_year(), script="zh-hans")
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    reports = [title.split(". ", 1) for title in outline if "测试社团" in title]
    assert [number for number, _name in reports] == [str(n) for n in range(1, 21)]
    assert {name for _number, name in reports} == {f"河南省测试社团{i}" for i in range(20)}
    assert len(reader.pages) >= 1 + 1 + 20


def test_parts_laid_out_in_other_processes_are_bound_with_page_numbers_and_contents(
        federation, liaison_department, priorities, tmp_path):
    """Three reports in three parts (two of them in other processes): the contents give the page each
    report starts on, every page after the cover carries its number, and the outline has every report."""
    import re

    from pypdf import PdfReader

    from conftest import make_credit_code
    from qiaojia.orgs import services as org_services
    from qiaojia.orgs.models import AssociationKind

    names = []
    for i, length in enumerate((1, 90, 1)):  # the second report runs over several pages
        association = org_services.association_create(federation=federation, data={
            "name": f"河南省分卷社團{i}", "kind": AssociationKind.HOMETOWN,
            "supervising_department": liaison_department, "credit_code": make_credit_code(7100 + i)})
        _accepted(association, f"分卷{i}號報告的工作總結。" + "全年舉辦活動十二場，服務會員企業。" * length * 4)
        names.append(association.name)
    steps = []
    content = documents.compilation_pdf(year=report_year(), script="zh-hant", parts=3,
                                        progress=lambda d, t, m: steps.append((d, t)))
    assert steps[-1] == (3 + 3 + 1, 3 + 3 + 1)
    path = tmp_path / "compilation.pdf"
    path.write_bytes(content)
    reader = PdfReader(path)
    pages = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"], check=True,
                            capture_output=True, text=True).stdout for n in range(1, len(reader.pages) + 1)]
    assert len(pages) >= 6
    for number, text in enumerate(pages, start=1):
        footer = text.strip().splitlines()[-1].strip()
        if number == 1:
            assert footer != "1"  # the cover is not numbered
        else:
            assert footer == str(number), f"page {number} ends with {footer!r}"
    contents = next(text for text in pages if "目錄" in text or "Contents" in text)
    starts = {}
    for n, name in enumerate(names, start=1):
        match = re.search(rf"{n}\. {name}[ .]*(\d+)", contents)
        assert match, f"{name} is missing from the contents"
        starts[name] = int(match.group(1))
        assert f"{n}. {name}" in pages[starts[name] - 1], f"{name} does not start on page {starts[name]}"
    assert starts[names[2]] - starts[names[1]] >= 3
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    for n, name in enumerate(names, start=1):
        assert f"{n}. {name}" in outline
