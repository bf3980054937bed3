import io
import subprocess
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from conftest import verified_client
from qiaojia.core.chinese import to_simplified
from qiaojia.cycle import documents, services
from qiaojia.cycle.models import AnnualReport
from qiaojia.cycle.tests.world import make_report, report_year
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job, JobStatus


def _accepted(association, summary):
    report = make_report(association)
    report = services.report_update(report=report, expected_version=report.version, data={"work_summary": summary})
    report = services.report_submit(report=report, expected_version=report.version)
    return services.report_accept(report=report, expected_version=report.version)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_compilation_pdf_in_the_background_has_every_accepted_report(
    client, staff_user, business_association, other_association, priorities
):
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
    assert "僑商會關注企業出海" in html and 'section class="report"' in html
    from docx import Document

    data = documents.compilation_docx(year=report_year(), script="zh-hant")
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "僑商會關注企業出海" in text
    assert "河南省僑商聯合會" in text


def test_compilation_of_nothing_fails_with_a_message(staff_user, priorities):
    job = jobs.job_enqueue(
        kind=documents.COMPILE_KIND,
        owner=staff_user,
        params={"year": report_year(), "script": "zh-hans", "format": "pdf"},
    )
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
        association = org_services.association_create(
            federation=federation,
            data={
                "name": f"河南省測試社團{i}",
                "kind": AssociationKind.HOMETOWN,
                "supervising_department": liaison_department,
                "credit_code": make_credit_code(7000 + i),
            },
        )
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
    federation, liaison_department, priorities, tmp_path, monkeypatch
):
    """Three reports in three runs (two of them in other processes), as a compilation that finds most
    pages missing lays them out: the contents give the page each report starts on, every page after the
    cover carries its number, and the outline has every report."""
    import re

    from pypdf import PdfReader

    from conftest import make_credit_code
    from qiaojia.orgs import services as org_services
    from qiaojia.orgs.models import AssociationKind

    names = []
    for i, length in enumerate((1, 90, 1)):  # the second report runs over several pages
        association = org_services.association_create(
            federation=federation,
            data={
                "name": f"河南省分卷社團{i}",
                "kind": AssociationKind.HOMETOWN,
                "supervising_department": liaison_department,
                "credit_code": make_credit_code(7100 + i),
            },
        )
        _accepted(association, f"分卷{i}號報告的工作總結。" + "全年舉辦活動十二場，服務會員企業。" * length * 4)
        names.append(association.name)
    monkeypatch.setattr(documents, "LAY_OUT_ALONE", 0)  # three missing of three: laid out in runs
    steps = []
    unkept = []
    content = documents.compilation_pdf(
        year=report_year(),
        script="zh-hant",
        processes=3,
        progress=lambda d, t, m: steps.append((d, t)),
        on_unkept=unkept.extend,
    )
    assert steps[-1] == (3 + 1, 3 + 1)
    assert len(unkept) == 3  # nothing was kept: all three laid out in runs, to be kept by a later job
    path = tmp_path / "compilation.pdf"
    path.write_bytes(content)
    reader = PdfReader(path)
    pages = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, len(reader.pages) + 1)
    ]
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
        assert name in pages[starts[name] - 1], f"{name} does not start on page {starts[name]}"
        if n > 1:  # the page before is the last of the report before
            assert name not in pages[starts[name] - 2], f"{name} starts before page {starts[name]}"
    assert starts[names[2]] - starts[names[1]] >= 3
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    for n, name in enumerate(names, start=1):
        assert f"{n}. {name}" in outline


def _kept_files(media) -> dict[str, float]:
    return {path.name: path.stat().st_mtime_ns for path in (media / "cache" / "compilation").glob("*.pdf")}


def test_accepting_a_report_lays_out_its_pages_in_the_background_and_the_compilation_binds_them(
    client, staff_user, business_association, other_association, priorities, media, django_capture_on_commit_callbacks
):
    """The acceptance queues a job that lays out the report's pages in both scripts; a compilation then
    lays out nothing but its cover, and a report whose text changed is laid out again, alone."""
    first = _accepted(other_association, "歸僑聯誼會全年走訪慰問歸僑僑眷")
    report = make_report(business_association)
    report = services.report_update(
        report=report, expected_version=report.version, data={"work_summary": "僑商會搭建經貿合作交流平臺"}
    )
    report = services.report_submit(report=report, expected_version=report.version)
    verified_client(client, staff_user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("cycle:report-accept", args=[report.pk]), {"version": report.version})
    assert response.status_code == 302
    job = Job.objects.get(kind=documents.PREPARE_KIND)
    assert job.params == {"reports": [report.pk]} and job.owner == staff_user
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    kept = _kept_files(media)
    assert sorted(name.split("-", 1)[1][:7] for name in kept) == ["zh-hans", "zh-hant"]
    assert all(name.startswith(f"{report.pk}-") for name in kept)

    # The other report (accepted without a signed-in actor, so with no job) is laid out by the compilation
    # and kept; the kept one is bound as it is.
    unkept = []
    content = documents.compilation_pdf(year=report_year(), script="zh-hant", on_unkept=unkept.extend)
    assert unkept == []
    after = _kept_files(media)
    assert {name: at for name, at in after.items() if name in kept} == kept
    assert len(after) == 3 and any(name.startswith(f"{first.pk}-zh-hant-") for name in after)
    text = _text_of(content, media)
    assert "僑商會搭建經貿合作交流平臺" in text and "歸僑聯誼會全年走訪慰問歸僑僑眷" in text

    # Nothing changed: nothing is laid out again.
    documents.compilation_pdf(year=report_year(), script="zh-hant")
    assert _kept_files(media) == after
    # The association is renamed: its report's pages change, and only they are laid out again, replacing
    # the old ones.
    business_association.name = "河南省僑商總會"
    business_association.save(update_fields=["name"])
    content = documents.compilation_pdf(year=report_year(), script="zh-hant")
    again = _kept_files(media)
    assert len(again) == 3
    changed = [name for name in again if name not in after]
    assert len(changed) == 1 and changed[0].startswith(f"{report.pk}-zh-hant-")
    assert "河南省僑商總會" in _text_of(content, media)
    assert AnnualReport.objects.filter(status="accepted").count() == 2


def _text_of(content: bytes, media) -> str:
    path = media / "out.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return pdf_text(path)


def test_a_compilation_that_found_most_pages_missing_queues_a_job_to_keep_them(
    staff_user, federation, liaison_department, priorities, media
):
    from conftest import make_credit_code
    from qiaojia.orgs import services as org_services
    from qiaojia.orgs.models import AssociationKind

    for i in range(12):
        association = org_services.association_create(
            federation=federation,
            data={
                "name": f"河南省保留社團{i:02d}",
                "kind": AssociationKind.HOMETOWN,
                "supervising_department": liaison_department,
                "credit_code": make_credit_code(7200 + i),
            },
        )
        _accepted(association, f"保留{i}號報告。")
    job = jobs.job_enqueue(
        kind=documents.COMPILE_KIND,
        owner=staff_user,
        params={"year": report_year(), "script": "zh-hans", "format": "pdf"},
    )
    assert jobs.run_pending() == 2  # the compilation, then the job it queued
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    prepare = Job.objects.get(kind=documents.PREPARE_KIND)
    assert prepare.status == JobStatus.SUCCEEDED and len(prepare.params["reports"]) == 12
    assert len(_kept_files(media)) == 24  # both scripts
    text = pdf_text(jobs.result_file(job))
    assert all(f"河南省保留社团{i:02d}" in text for i in range(12))


def test_many_documents_laid_out_here_and_in_workers_come_back_in_order():
    from django.conf import settings

    from qiaojia.cycle import pdf

    htmls = [f"<html><body>{'<p>第{n}份</p>' * (n + 1)}<h1 id='doc-{n}'>文件{n}</h1></body></html>" for n in range(6)]
    done = []
    parts = pdf.render_many(
        htmls, str(settings.BASE_DIR), processes=3, per_worker=1, on_done=lambda index, part: done.append(index)
    )
    assert sorted(done) == list(range(6))
    assert [list(part.anchors) for part in parts] == [[f"doc-{n}"] for n in range(6)]
    assert all(part.pdf.startswith(b"%PDF-") and part.pages == 1 for part in parts)


def _font_programs(path: Path) -> set[int]:
    from pypdf import PdfReader

    programs = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                programs.add(descriptor.raw_get("/FontFile2").idnum)
    return programs


def test_the_parts_subsets_of_a_font_are_merged_into_one_that_draws_every_page_the_same(
    federation, liaison_department, priorities, tmp_path, monkeypatch
):
    """Each report's part embeds its own subset of the Chinese font; bound, they share one program, and
    every page is drawn exactly as with the parts' own subsets (pdftoppm, pixel for pixel)."""
    from conftest import make_credit_code
    from qiaojia.cycle import pdf
    from qiaojia.orgs import services as org_services
    from qiaojia.orgs.models import AssociationKind

    texts = [
        "僑商會搭建經貿合作交流平臺，組織企業赴東盟考察（Café、ASEAN 2025）。",
        "歸僑聯誼會全年走訪慰問歸僑僑眷一百二十戶；發放慰問金¥86,000。",
        "青年委員會舉辦「尋根之旅」夏令營，海外青少年 48 名參加。",
    ]
    for i, text in enumerate(texts):
        association = org_services.association_create(
            federation=federation,
            data={
                "name": f"河南省合字社團{i}",
                "kind": AssociationKind.HOMETOWN,
                "supervising_department": liaison_department,
                "credit_code": make_credit_code(7300 + i),
            },
        )
        _accepted(association, text * 3)
    bound = {}
    real_bind = pdf.bind
    for merge in (False, True):
        monkeypatch.setattr(
            pdf, "bind", lambda parts, merge=merge, **kwargs: real_bind(parts, merge_fonts=merge, **kwargs)
        )
        content = documents.compilation_pdf(year=report_year(), script="zh-hant")
        bound[merge] = path = tmp_path / f"merged-{merge}.pdf"
        path.write_bytes(content)
    separate, merged = _font_programs(bound[False]), _font_programs(bound[True])
    assert len(separate) >= 2 * 3  # regular and bold, in each report's part (and the cover's)
    assert len(merged) <= 2  # one program a face
    assert bound[True].stat().st_size < bound[False].stat().st_size
    for merge, path in bound.items():
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / f"page-{merge}")], check=True)
    pages = sorted(tmp_path.glob("page-False-*.png"))
    assert len(pages) >= 1 + 1 + 3
    for page in pages:
        twin = tmp_path / page.name.replace("page-False-", "page-True-")
        assert page.read_bytes() == twin.read_bytes(), f"{page.name} is drawn differently with the merged font"
    assert "Café、ASEAN 2025" in pdf_text(bound[True])


def test_subsets_that_disagree_about_a_glyph_are_not_merged(business_association, priorities, tmp_path):
    """Two fonts under one name are not one font: when two subsets give different outlines for the same
    glyph id, they are left apart."""
    from pypdf import PdfReader

    from qiaojia.cycle import fontmerge

    _accepted(business_association, "僑商會搭建經貿合作交流平臺")
    path = tmp_path / "one.pdf"
    path.write_bytes(documents.compilation_pdf(year=report_year(), script="zh-hans"))
    page = PdfReader(path).pages[-1]
    font = next(f.get_object() for f in page["/Resources"]["/Font"].values() if f.get_object()["/Subtype"] == "/Type0")
    cid = font["/DescendantFonts"][0].get_object()
    program = cid["/FontDescriptor"].get_object()["/FontFile2"].get_data()
    used = fontmerge._widths_gids(cid["/W"])
    parsed = fontmerge._Font(program)
    gid = next(g for g in sorted(used) if len(parsed.glyph(g)) > 12 and not parsed.components(parsed.glyph(g)))
    start = parsed.offsets[gid] * parsed.loca_scale
    glyf_at = program.index(parsed.glyf)
    changed = bytearray(program)
    changed[glyf_at + start + 11] ^= 0xFF  # one byte of the glyph's outline
    assert fontmerge.merge([(program, used), (program, used)]) is not None
    assert fontmerge.merge([(program, used), (bytes(changed), used)]) is None


def test_a_compilation_runs_the_same_queries_for_two_reports_as_for_five(federation, liaison_department, priorities):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_credit_code
    from qiaojia.orgs import services as org_services
    from qiaojia.orgs.models import AssociationKind

    counts = []
    for i in range(5):
        association = org_services.association_create(
            federation=federation,
            data={
                "name": f"河南省計數社團{i}",
                "kind": AssociationKind.HOMETOWN,
                "supervising_department": liaison_department,
                "credit_code": make_credit_code(7400 + i),
            },
        )
        _accepted(association, f"計數{i}號報告。")
        if i + 1 in (2, 5):
            documents.prepare_parts(list(AnnualReport.objects.values_list("pk", flat=True)), scripts=("zh-hans",))
            with CaptureQueriesContext(connection) as queries:
                documents.compilation_pdf(year=report_year(), script="zh-hans")
            counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_prepare_command_lays_out_only_what_is_not_kept(business_association, other_association, priorities, media):
    from django.core.management import call_command

    _accepted(business_association, "僑商會搭建經貿合作交流平臺")
    draft = make_report(other_association)
    out = io.StringIO()
    call_command("cycle_prepare", "--year", str(report_year()), stdout=out)
    assert "1 accepted report(s): 2 part(s) laid out" in out.getvalue()
    kept = _kept_files(media)
    assert len(kept) == 2 and not any(name.startswith(f"{draft.pk}-") for name in kept)  # not the draft
    out = io.StringIO()
    call_command("cycle_prepare", stdout=out)
    assert "1 accepted report(s): 0 part(s) laid out" in out.getvalue()
