"""The compilation (匯編): every accepted report of a year bound in one document, PDF or Word.

Built in the background (job kind `cycle.compile`) with progress per report. The PDF is HTML laid out
by WeasyPrint with a CJK font found by fontconfig (`make fonts` installs WenQuanYi Micro Hei where
none is present), in parts laid out by several processes at once and then bound (`pdf.py`); its
table of contents carries the page where each report starts, and the PDF outline follows the headings.
The Word file has the same contents list and heading styles (Word's navigation
pane, and a TOC field Word fills in on opening). The whole text is given in the chosen script
(Simplified or Traditional) through OpenCC.
"""

import io
import logging
import os
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiaojia.core.chinese import to_script
from qiaojia.jobs import services as jobs
from qiaojia.orgs.selectors import federation_get

from . import pdf
from .models import AnnualReport, PlanItem
from .selectors import accepted_reports

COMPILE_KIND = "cycle.compile"
# WeasyPrint logs every layout step at INFO; a compilation of hundreds of pages would flood the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
FIRST_PART_EXTRA = 0.05  # of a part's share: what the workers' start costs them
FONT_STACK = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK TC", "Source Han Sans SC", sans-serif'


def _load(year: int) -> list[AnnualReport]:
    reports = list(accepted_reports(year))
    items: dict[int, list[PlanItem]] = {}
    for item in PlanItem.objects.filter(report__in=reports).prefetch_related("priorities").order_by("number", "id"):
        items.setdefault(item.report_id, []).append(item)
    for report in reports:
        report.items = items.get(report.pk, [])
        for item in report.items:
            item.priority_numbers = ", ".join(str(p.number) for p in sorted(item.priorities.all(),
                                                                            key=lambda p: p.number))
    return reports


def _title(year: int) -> str:
    federation = federation_get()
    return _("%(federation)s: annual reports of affiliated associations, %(year)s") % {
        "federation": federation.name if federation else "", "year": year}


def _sections(reports: list[AnnualReport], script: str, progress=None) -> list[str]:
    """Each report's section of the PDF, from the template, in the interface language of `script`."""
    sections = []
    with translation.override(script):
        for n, report in enumerate(reports, start=1):
            sections.append(render_to_string("cycle/_compiled_report.html", {"report": report, "n": n}))
            if progress:
                progress(n, len(reports), report.association.name)
    return sections


def _document(*, year: int, script: str, sections: list[str], contents=None) -> str:
    """A whole HTML document in `script`: the cover and contents when `contents` is given, then sections."""
    with translation.override(script):
        html = render_to_string("cycle/compilation_pdf.html", {
            "title": _title(year), "script": script, "font_stack": FONT_STACK, "sections": sections,
            "contents": contents, "generated": timezone.localdate(),
        })
    return to_script(html, script)


def compilation_html(*, year: int, script: str, reports: list[AnnualReport] | None = None,
                     progress=None) -> str:
    """The text of every report as one HTML document (the PDF's input, laid out in parts)."""
    reports = _load(year) if reports is None else reports
    return _document(year=year, script=script, sections=_sections(reports, script, progress))


def _split(sections: list[str], parts: int) -> list[list[str]]:
    """Consecutive runs of sections of about the same length of text, one per part (each part at least
    one section)."""
    parts = max(1, min(parts, len(sections)))
    total = sum(len(section) for section in sections) or 1
    # The first part is laid out here, at once; the workers start about a second later (their
    # interpreter and WeasyPrint load), so the first part takes a little more than its share.
    first = min(1.0, (1 + FIRST_PART_EXTRA) / parts)
    bounds = [first + (1 - first) * k / (parts - 1) if parts > 1 else 1.0 for k in range(parts)]
    runs: list[list[str]] = [[]]
    done = 0
    for index, section in enumerate(sections):
        still_to_open = parts - len(runs)
        if runs[-1] and still_to_open and (done >= total * bounds[len(runs) - 1]
                                           or len(sections) - index <= still_to_open):
            runs.append([])
        runs[-1].append(section)
        done += len(section)
    return runs


def default_parts(reports: int) -> int:
    """As many parts as processes the setting allows, with at least 10 reports in each."""
    processes = settings.QIAOJIA_COMPILE_PROCESSES or os.cpu_count() or 1
    return max(1, min(int(processes), reports // 10))


def compilation_pdf(*, year: int, script: str, reports: list[AnnualReport] | None = None, parts: int | None = None,
                    progress=None) -> bytes:
    """The compilation as a PDF: the reports laid out in `parts` processes at once, then bound behind the
    cover and contents, whose page numbers come from where each part's reports fell.

    `progress(done, total, message)` counts the reports' sections, then the parts, then the binding."""
    reports = _load(year) if reports is None else reports
    parts = max(1, min(parts or default_parts(len(reports)), len(reports) or 1))
    total = len(reports) + parts + 1

    def step(done, message=""):
        if progress:
            progress(done, total, message)

    from weasyprint.text.fonts import FontConfiguration

    base_url = str(settings.BASE_DIR)
    fonts = FontConfiguration()  # this process's part and the cover share one
    with pdf.Workers(parts - 1, base_url) as workers:  # started first: they load while the HTML is made
        sections = _sections(reports, script, lambda d, _t, m: step(d, m))
        htmls = [_document(year=year, script=script, sections=run) for run in _split(sections, parts)]
        laid_out = workers.render(htmls, font_config=fonts, on_done=lambda d: step(len(reports) + d))
    names = [(n, to_script(report.association.name, script), report.pk) for n, report in enumerate(reports, 1)]
    starts, offset = {}, 0
    for part in laid_out:
        for key, page in part.anchors.items():
            starts[key] = offset + page
        offset += part.pages

    def cover(cover_pages: int) -> pdf.Part:
        contents = [(n, name, cover_pages + starts.get(f"report-{pk}", 0) + 1) for n, name, pk in names]
        return pdf.render_part(_document(year=year, script=script, sections=[], contents=contents), base_url,
                               font_config=fonts)

    # The contents' own length moves the numbers it shows: guess it, lay it out, and again if it differs.
    cover_pages = 1 + -(-len(reports) // 30)  # the cover, then about 30 lines of contents a page
    for _attempt in range(3):
        front = cover(cover_pages)
        if front.pages == cover_pages:
            break
        cover_pages = front.pages
    with translation.override(script):
        title = to_script(_title(year), script)
    content = pdf.bind([front, *laid_out], number_from=2, title=title)
    step(total)
    return content


def compilation_docx(*, year: int, script: str, reports: list[AnnualReport] | None = None, progress=None) -> bytes:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    reports = _load(year) if reports is None else reports

    def t(text) -> str:
        return to_script(str(text or ""), script)

    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "Microsoft YaHei" if script == "zh-hans" else "Microsoft JhengHei")
    with translation.override(script):
        document.add_heading(t(_title(year)), level=0)
        document.add_paragraph(t(_("Contents")))
        # A TOC field: Word fills in the page numbers when the document is opened and fields are updated.
        paragraph = document.add_paragraph()
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), 'TOC \\o "1-2" \\h \\z \\u')
        paragraph._p.append(field)
        for n, report in enumerate(reports, start=1):
            document.add_paragraph(t(f"{n}. {report.association.name}"))
        for n, report in enumerate(reports, start=1):
            document.add_page_break()
            document.add_heading(t(f"{n}. {report.association.name}"), level=1)
            document.add_paragraph(t(_("Annual report on %(year)s") % {"year": report.year}))
            document.add_heading(t(_("1. Work report")), level=2)
            document.add_paragraph(t(report.work_summary))
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value in (
                (_("Unit members"), report.unit_members), (_("Individual members"), report.individual_members),
                (_("Total members"), report.total_members),
                (_("Leaders at secretary-general level and above"), report.leader_count),
                (_("Activities held"), report.activity_count),
                (_("Donations received at home (yuan)"), report.donations_domestic),
                (_("Donations received from abroad (yuan)"), report.donations_foreign),
                (_("Awards"), report.award_count),
            ):
                cells = table.add_row().cells
                cells[0].text, cells[1].text = t(label), str(value)
            for label, text in ((_("Activities"), report.activities), (_("Changes of leaders"), report.leader_changes),
                                (_("Awards received"), report.awards),
                                (_("Social responsibility and charity work"), report.social_responsibility)):
                if text:
                    document.add_paragraph(t(f"{label}: {text}"))
            document.add_heading(t(_("2. Financial report")), level=2)
            for label, value in ((_("Income (yuan)"), report.income), (_("Expenditure (yuan)"), report.expenditure),
                                 (_("Net assets at year end (yuan)"), report.net_assets)):
                document.add_paragraph(t(f"{label}: {value}"))
            if report.financial_notes:
                document.add_paragraph(t(report.financial_notes))
            document.add_heading(t(_("3. Party-building report")), level=2)
            document.add_paragraph(t(f"{_('Party members')}: {report.party_members}  "
                                     f"{_('Party organisation')}: {report.party_organisation}"))
            document.add_paragraph(t(report.party_activities))
            document.add_heading(t(_("Plan for %(year)s") % {"year": report.plan_year}), level=2)
            if report.plan_summary:
                document.add_paragraph(t(report.plan_summary))
            if report.items:
                table = document.add_table(rows=1, cols=5)
                table.style = "Table Grid"
                for cell, label in zip(table.rows[0].cells, (_("No."), _("Plan item"), _("Work priorities"),
                                                             _("Responsible"), _("Due date")), strict=True):
                    cell.text = t(label)
                for item in report.items:
                    cells = table.add_row().cells
                    cells[0].text = str(item.number)
                    cells[1].text = t(f"{item.title}\n{item.target}")
                    cells[2].text = item.priority_numbers
                    cells[3].text = t(item.owner)
                    cells[4].text = item.due_on.isoformat()
            if progress:
                progress(n, len(reports), report.association.name)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@jobs.register(COMPILE_KIND)
def _compile_job(job, progress) -> None:
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
        content = compilation_pdf(year=year, script=script, reports=reports, progress=progress)
    else:
        content = compilation_docx(year=year, script=script, reports=reports,
                                   progress=lambda d, t, m: progress(d, t + 1, m))
    relative = f"jobs/compilation-{job.pk}.{fmt}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with translation.override(script):
        name = to_script(_("Compilation of annual reports %(year)s") % {"year": year}, script)
    job.result_path, job.result_name = relative, f"{name}.{fmt}"
    progress(len(reports) + 1, len(reports) + 1, "")
