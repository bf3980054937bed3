"""The compilation (匯編): every accepted report of a year bound in one document, PDF or Word.

Built in the background (job kind `cycle.compile`, its handler in `tasks.py`) with progress per report.
The PDF is HTML laid out by WeasyPrint with a CJK font found by fontconfig (`make fonts` installs
WenQuanYi Micro Hei where none is present). Each report's pages are a small PDF of their own, laid out
when the report is accepted or filed (job kind `cycle.prepare`) and kept; the compilation binds them
behind its cover (`pdf.py`), laying out only the missing ones (several processes at once when many are),
and merges their fonts (`fontmerge.py`). Its table of contents carries the page where each report
starts, and the PDF outline follows the headings, numbered as the contents are.
The Word file has the same contents list and heading styles (Word's navigation
pane, and a TOC field Word fills in on opening). The whole text is given in the chosen script
(Simplified or Traditional) through OpenCC.
"""

import hashlib
import io
import json
import logging
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qiaojia.core.chinese import to_script
from qiaojia.core.files import private_dir
from qiaojia.core.formats import date_text, money_text
from qiaojia.core.readable import label_colon
from qiaojia.core.script import convert_html
from qiaojia.orgs.selectors import federation_get

from . import pdf
from .models import AnnualReport, PlanItem
from .selectors import accepted_reports

COMPILE_KIND = "cycle.compile"
PREPARE_KIND = "cycle.prepare"
# A compilation that finds at most this many reports (or this share of them) without kept pages lays
# those out one by one and keeps them; with more missing it lays everything out in long runs (see _lay_out).
LAY_OUT_ALONE = 10
LAY_OUT_ALONE_SHARE = 0.25
RUNS_PER_PROCESS = 2  # the processes take the runs from a queue: a process that finishes early takes another
# WeasyPrint logs every layout step at INFO; a compilation of hundreds of pages would flood the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
FONT_STACK = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK TC", "Source Han Sans SC", sans-serif'


def _load(year: int | None = None, *, pks=None) -> list[AnnualReport]:
    """The accepted reports of `year` (or the reports `pks`), with their plan items and their priorities."""
    reports = list(accepted_reports(year) if pks is None else accepted_reports(None).filter(pk__in=pks))
    items: dict[int, list[PlanItem]] = {}
    for item in PlanItem.objects.filter(report__in=reports).prefetch_related("priorities").order_by("number", "id"):
        items.setdefault(item.report_id, []).append(item)
    for report in reports:
        report.items = items.get(report.pk, [])
        for item in report.items:
            item.priority_numbers = ", ".join(
                str(p.number) for p in sorted(item.priorities.all(), key=lambda p: p.number)
            )
    return reports


def _title(year: int, *, federation_name: str | None = None) -> str:
    if federation_name is None:
        federation = federation_get()
        federation_name = federation.name if federation else ""
    return _("%(federation)s: annual reports of affiliated associations, %(year)s") % {
        "federation": federation_name,
        "year": year,
    }


def _titles(reports: list[AnnualReport], script: str) -> dict[int, str]:
    """The compilation's title of each year of `reports`, in the language of `script` (one query)."""
    federation = federation_get()
    name = federation.name if federation else ""
    with translation.override(script):
        return {year: _title(year, federation_name=name) for year in {report.year for report in reports}}


def _sections(reports: list[AnnualReport], script: str) -> list[str]:
    """Each report's section of the PDF, from the template, in the interface language of `script`.

    A section does not carry its number in the compilation (which moves as reports are accepted), so that
    its laid-out pages can be kept: the number is put in the contents and the outline when bound."""
    with translation.override(script):
        return [render_to_string("cycle/_compiled_report.html", {"report": report}) for report in reports]


def _document(*, year: int, script: str, sections: list[str], contents=None, title: str | None = None) -> str:
    """A whole HTML document in `script`: the cover and contents when `contents` is given, then sections.
    `title` is `_title(year)` in the language of `script`, given by callers that make many documents."""
    with translation.override(script):
        html = render_to_string(
            "cycle/compilation_pdf.html",
            {
                "title": title or _title(year),
                "script": script,
                "font_stack": FONT_STACK,
                "sections": sections,
                "contents": contents,
                "generated": timezone.localdate(),
            },
        )
    return convert_html(html, script)


def compilation_html(*, year: int, script: str, reports: list[AnnualReport] | None = None) -> str:
    """The text of every report as one HTML document."""
    reports = _load(year) if reports is None else reports
    return _document(year=year, script=script, sections=_sections(reports, script))


def default_processes() -> int:
    return max(1, int(settings.QIAOJIA_COMPILE_PROCESSES or os.cpu_count() or 1))


# --- each report's pages, laid out once -------------------------------------------------------------------
# A report's part is kept under MEDIA_ROOT/cache/compilation/ as `<report>-<script>-<digest>.pdf` with its
# pages and anchors beside it in `.json`. The digest is of the part's whole HTML (the report, its plan items
# and their priorities' numbers, the template, the translations, the script) and of WeasyPrint's version:
# anything that would change the pages changes the name, so a kept part is never stale, only unused.
# Parts are laid out when a report is accepted or filed (job `cycle.prepare`) and by any compilation that
# finds one missing; laying out a report's part again removes its older ones.


def _parts_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "cache" / "compilation"


def _part_name(report: AnnualReport, script: str, html: str) -> str:
    import weasyprint

    digest = hashlib.sha256(f"{weasyprint.__version__}\n{html}".encode()).hexdigest()[:32]
    return f"{report.pk}-{script}-{digest}"


def _kept(name: str) -> pdf.Part | None:
    folder = _parts_dir()
    try:
        meta = json.loads((folder / f"{name}.json").read_text())
        return pdf.Part(pdf=(folder / f"{name}.pdf").read_bytes(), pages=meta["pages"], anchors=meta["anchors"])
    except (OSError, ValueError, KeyError):
        return None


def _is_kept(name: str) -> bool:
    folder = _parts_dir()
    return (folder / f"{name}.json").is_file() and (folder / f"{name}.pdf").is_file()


def _keep(name: str, part: pdf.Part) -> None:
    """Written to temporary files and renamed: a reader finds the whole part or none."""
    folder = private_dir(_parts_dir())
    for suffix, data in (
        (".pdf", part.pdf),
        (".json", json.dumps({"pages": part.pages, "anchors": part.anchors}).encode()),
    ):
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, folder / f"{name}{suffix}")
    prefix, _digest = name.rsplit("-", 1)  # "<report>-<script>"
    for old in folder.glob(f"{prefix}-*"):
        if old.stem != name:
            old.unlink(missing_ok=True)


def _runs(sections: list[str], count: int) -> list[list[int]]:
    """The sections' indexes cut into `count` consecutive runs (at least one section each) of about the
    same length of text."""
    count = max(1, min(count, len(sections)))
    total = sum(len(section) for section in sections) or 1
    runs: list[list[int]] = [[]]
    done = 0
    for index, section in enumerate(sections):
        still_to_open = count - len(runs)
        if runs[-1] and still_to_open and (done >= total * len(runs) / count or len(sections) - index <= still_to_open):
            runs.append([])
        runs[-1].append(index)
        done += len(section)
    return runs


def _sources(reports: list[AnnualReport], script: str) -> tuple[list[str], list[str], list[str]]:
    """Each report's section, its part's whole HTML document and the name its pages are kept under."""
    sections, titles = _sections(reports, script), _titles(reports, script)
    htmls = [
        _document(year=report.year, script=script, sections=[section], title=titles[report.year])
        for report, section in zip(reports, sections, strict=True)
    ]
    return sections, htmls, [_part_name(report, script, html) for report, html in zip(reports, htmls, strict=True)]


def _lay_out_and_keep(
    htmls: list[str], names: list[str], indexes: list[int], *, processes: int, font_config=None, on_done=None
) -> None:
    """Lay out the parts `indexes` (several processes at once when there are many) and keep each as it is
    ready; `on_done(index, part)` after each."""

    def keep(position: int, part: pdf.Part) -> None:
        _keep(names[indexes[position]], part)
        if on_done:
            on_done(indexes[position], part)

    pdf.render_many(
        [htmls[index] for index in indexes],
        str(settings.BASE_DIR),
        processes=processes,
        font_config=font_config,
        on_done=keep,
    )


def _lay_out(
    reports: list[AnnualReport], script: str, *, processes: int, progress=None, on_unkept=None
) -> list[pdf.Part]:
    """The reports' pages as parts to bind, in order, each numbered from its first report's place.

    Kept parts are taken as they are. When only a few are missing, those are laid out one by one and kept;
    when many are (a first compilation, a new template), every report is laid out in a few long runs,
    several processes at once, which is a third faster than one by one, and `on_unkept(pks)` is told which
    reports have no kept part yet, for a later job to lay them out."""
    sections, htmls, names = _sources(reports, script)
    parts: list[pdf.Part | None] = [_kept(name) for name in names]
    missing = [index for index, part in enumerate(parts) if part is None]
    done = len(reports) - len(missing)
    if progress:
        progress(done, len(reports), "")

    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration() if missing else None
    if len(missing) <= max(LAY_OUT_ALONE, len(reports) * LAY_OUT_ALONE_SHARE):

        def kept(index: int, part: pdf.Part) -> None:
            nonlocal done
            parts[index] = part
            done += 1
            if progress:
                progress(done, len(reports), reports[index].association.name)

        _lay_out_and_keep(htmls, names, missing, processes=processes, font_config=fonts, on_done=kept)
        for n, part in enumerate(parts, start=1):
            part.first_number = n
        return parts

    runs = _runs(sections, processes * RUNS_PER_PROCESS)
    done = 0

    def counted(position: int, _part: pdf.Part) -> None:
        nonlocal done
        done += len(runs[position])
        if progress:
            progress(done, len(reports), reports[runs[position][-1]].association.name)

    title = _titles(reports[:1], script)[reports[0].year]
    laid_out = pdf.render_many(
        [
            _document(year=reports[0].year, script=script, sections=[sections[index] for index in run], title=title)
            for run in runs
        ],
        str(settings.BASE_DIR),
        processes=processes,
        font_config=fonts,
        on_done=counted,
        per_worker=1,
    )
    for run, part in zip(runs, laid_out, strict=True):
        part.first_number = run[0] + 1
    if on_unkept:
        on_unkept([reports[index].pk for index in missing])
    return laid_out


def prepare_parts(pks, scripts=("zh-hans", "zh-hant")) -> int:
    """Lay out (and keep) the parts of the accepted reports `pks` that are not kept yet, in this process,
    ahead of a compilation. Returns how many parts were laid out."""
    from weasyprint.text.fonts import FontConfiguration

    reports, fonts = _load(pks=pks), FontConfiguration()
    laid_out = 0
    for script in scripts:
        htmls, names = _sources(reports, script)[1:]
        missing = [index for index, name in enumerate(names) if not _is_kept(name)]
        _lay_out_and_keep(htmls, names, missing, processes=1, font_config=fonts)
        laid_out += len(missing)
    return laid_out


def compilation_pdf(
    *,
    year: int,
    script: str,
    reports: list[AnnualReport] | None = None,
    processes: int | None = None,
    progress=None,
    on_unkept=None,
) -> bytes:
    """The compilation as a PDF: the reports' pages (kept, or laid out now), bound behind the cover and
    contents, whose page numbers come from where each report fell.

    `progress(done, total, message)` counts the reports, then the binding."""
    reports = _load(year) if reports is None else reports
    total = len(reports) + 1

    def step(done, _total, message=""):
        if progress:
            progress(done, total, message)

    laid_out = _lay_out(reports, script, processes=processes or default_processes(), progress=step, on_unkept=on_unkept)
    starts, offset = {}, 0
    for part in laid_out:
        for key, page in part.anchors.items():
            starts[key] = offset + page
        offset += part.pages
    names = [(n, to_script(report.association.name, script), report.pk) for n, report in enumerate(reports, 1)]
    with translation.override(script):
        title = _title(year)

    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()

    def cover(cover_pages: int) -> pdf.Part:
        contents = [(n, name, cover_pages + starts.get(f"report-{pk}", 0) + 1) for n, name, pk in names]
        return pdf.render_part(
            _document(year=year, script=script, sections=[], contents=contents, title=title),
            str(settings.BASE_DIR),
            font_config=fonts,
        )

    # The contents' own length moves the numbers it shows: guess it, lay it out, and again if it differs.
    cover_pages = 1 + -(-len(reports) // 30)  # the cover, then about 30 lines of contents a page
    for _attempt in range(3):
        front = cover(cover_pages)
        if front.pages == cover_pages:
            break
        cover_pages = front.pages
    content = pdf.bind([front, *laid_out], number_from=2, title=to_script(title, script))
    step(total, total)
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
                (_("Unit members"), report.unit_members),
                (_("Individual members"), report.individual_members),
                (_("Total members"), report.total_members),
                (_("Leaders at secretary-general level and above"), report.leader_count),
                (_("Activities held"), report.activity_count),
                (_("Donations received at home (yuan)"), report.donations_domestic),
                (_("Donations received from abroad (yuan)"), report.donations_foreign),
                (_("Awards"), report.award_count),
            ):
                cells = table.add_row().cells
                cells[0].text = t(label)
                cells[1].text = money_text(value, script, unit=False) if isinstance(value, Decimal) else str(value)
            for label, text in (
                (pgettext("report section", "Activities"), report.activities),
                (_("Changes of leaders"), report.leader_changes),
                (_("Awards received"), report.awards),
                (_("Social responsibility and charity work"), report.social_responsibility),
            ):
                if text:
                    document.add_paragraph(t(f"{label}{label_colon()}{text}"))
            document.add_heading(t(_("2. Financial report")), level=2)
            for label, value in (
                (_("Income (yuan)"), report.income),
                (_("Expenditure (yuan)"), report.expenditure),
                (_("Net assets at year end (yuan)"), report.net_assets),
            ):
                document.add_paragraph(t(f"{label}{label_colon()}{money_text(value, script, unit=False)}"))
            if report.financial_notes:
                document.add_paragraph(t(report.financial_notes))
            document.add_heading(t(_("3. Party-building report")), level=2)
            document.add_paragraph(
                t(
                    f"{_('Party members')}{label_colon()}{report.party_members}  "
                    f"{_('Party organisation')}{label_colon()}{report.party_organisation}"
                )
            )
            document.add_paragraph(t(report.party_activities))
            document.add_heading(t(_("Plan for %(year)s") % {"year": report.plan_year}), level=2)
            if report.plan_summary:
                document.add_paragraph(t(report.plan_summary))
            if report.items:
                table = document.add_table(rows=1, cols=5)
                table.style = "Table Grid"
                for cell, label in zip(
                    table.rows[0].cells,
                    (_("No."), _("Plan item"), _("Work priorities"), _("Responsible"), _("Due date")),
                    strict=True,
                ):
                    cell.text = t(label)
                for item in report.items:
                    cells = table.add_row().cells
                    cells[0].text = str(item.number)
                    cells[1].text = t(f"{item.title}\n{item.target}")
                    cells[2].text = item.priority_numbers
                    cells[3].text = t(item.owner)
                    cells[4].text = date_text(item.due_on, script)
            if progress:
                progress(n, len(reports), report.association.name)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
