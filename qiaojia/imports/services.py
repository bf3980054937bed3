"""The steps of an import: upload, read, map, check, commit. Each step moves the import along
`TRANSITIONS`; the check and the commit run as background jobs (`tasks.py`) above a few rows.

The import reads, checks and maps; it writes nothing of the register itself. The rows become people,
enterprises, memberships and memberships awaiting confirmation through the members' bulk services
(`people_bulk_add`, `enterprises_bulk_add`, `memberships_bulk_add`, `pending_memberships_bulk_add`),
which write what `person_create` and its siblings write for one record (keys, encryption, audit rows,
search entries). The commit is all-or-nothing: every chunk is written inside one transaction.

Where each idea lives: the row checks in `checking.py`, what the check keeps for the commit in
`stash.py`, the CSV report in `report.py`, the job handlers in `tasks.py`."""

import datetime
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.core.bulk import page_cache
from qiaojia.core.masking import mask_text
from qiaojia.core.models import AuditAction
from qiaojia.core.services import audit_log
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job
from qiaojia.members.services import (
    enterprises_bulk_add,
    memberships_bulk_add,
    pending_memberships_bulk_add,
    people_bulk_add,
    submitted_enterprise,
    submitted_person,
)
from qiaojia.orgs.models import Association

from . import reading
from .checking import (
    Checker,
    ImportRefused,
    RowResult,
    checked_chunks,
    workers_for,
)
from .fields import FIELDS, guess_mapping, header_signature
from .models import READ_KIND, TRANSITIONS, ColumnMapping, ImportStatus, MemberImport
from .reading import read_rows, store_upload, stored_path, upload_dir
from .report import Report, import_language
from .stash import Stash, matches_since, stash_holds, stash_path, stashed_chunks, unstash_row

log = logging.getLogger(__name__)


def _move(imp: MemberImport, status: str, **values) -> None:
    if status not in TRANSITIONS[ImportStatus(imp.status)]:
        raise ImportRefused(_("This import cannot do that now."))
    imp.status = status
    for key, value in values.items():
        setattr(imp, key, value)
    MemberImport.objects.filter(pk=imp.pk).update(status=status, **values)


def background_threshold() -> int:
    """Checked files of up to this many rows are committed inline (from what the check kept)."""
    return getattr(settings, "QIAOJIA_IMPORT_BACKGROUND_ROWS", 2000)


def import_purge_expired(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Delete uploaded files older than QIAOJIA_IMPORT_KEEP_HOURS that were never committed, and the
    files no import holds (a reading job that died, a check interrupted by a crash). Returns how many imports expired
    (with `dry_run`, would expire: nothing is changed)."""
    hours = getattr(settings, "QIAOJIA_IMPORT_KEEP_HOURS", 24)
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    stale = MemberImport.objects.filter(created_at__lt=cutoff).exclude(upload="")
    if dry_run:
        return stale.count()
    count = 0
    for pk, stored in stale.values_list("pk", "upload"):
        stored_path(stored).unlink(missing_ok=True)
        stash_path(stored).unlink(missing_ok=True)
        MemberImport.objects.filter(pk=pk).update(upload="", message="expired")
        count += 1
    held = {Path(name).stem for name in MemberImport.objects.exclude(upload="").values_list("upload", flat=True)}
    for path in upload_dir().iterdir():
        if (
            path.suffix in (".csv", ".xlsx", ".checked", ".partial")
            and path.stem not in held
            and path.is_file()
            and path.stat().st_mtime < cutoff.timestamp()
        ):
            path.unlink(missing_ok=True)
    return count


def import_upload(*, owner, association: Association, uploaded) -> Job:
    """Store an uploaded file after the cheap checks (size, type by content, the zip's directory) and
    queue the job that reads it (`import_read_run`): no row is counted or decompressed in the request.
    A file refused here is not kept."""
    import_purge_expired()
    stored, kind, size = store_upload(uploaded)
    try:
        with transaction.atomic():
            return jobs.job_enqueue(
                kind=READ_KIND,
                owner=owner,
                association=association,
                params={
                    "file": stored,
                    "kind": kind,
                    "size": size,
                    "name": os.path.basename(uploaded.name or "")[:200],
                },
            )
    except BaseException:
        stored_path(stored).unlink(missing_ok=True)
        raise


def import_read_run(job: Job, progress: Callable) -> MemberImport:
    """Read an uploaded file within the limits (`reading.count_rows`) and create its import, with the
    column mapping remembered for files of the same shape or guessed. A refused file is deleted and
    leaves no import; the job keeps the refusal's code, to be shown in the reader's language."""
    association_id = job.association_id
    if association_id is None:
        raise TypeError(f"import read job {job.pk} has no association (import_upload always names one)")
    params = dict(job.params)
    path = stored_path(params["file"])

    def counted(rows: int) -> None:
        progress(rows, 0, str(_("%(rows)s rows read")) % {"rows": f"{rows:,}"})

    try:
        if not path.is_file():
            raise reading.refusal("unreadable")
        headers, row_count = reading.count_rows(path, params["kind"], progress=counted)
        if not headers:
            raise reading.refusal("empty")
    except Exception as exc:
        path.unlink(missing_ok=True)
        refused = reading.read_error(exc)
        if refused is not exc:
            log.warning("import upload %s could not be read: %s", job.pk, type(exc).__name__)
        params["refused"] = {"code": refused.code, "params": refused.params or {}}
        Job.objects.filter(pk=job.pk).update(params=params)
        job.params = params
        raise jobs.JobError(reading.refusal_text(refused.code or "unreadable", refused.params)) from exc
    remembered = ColumnMapping.objects.filter(
        user=job.owner, association_id=association_id, signature=header_signature(headers)
    ).first()
    with transaction.atomic():
        imp = MemberImport.objects.create(
            owner=job.owner,
            association_id=association_id,
            original_name=params["name"],
            upload=params["file"],
            file_kind=params["kind"],
            size=params["size"],
            headers=headers,
            mapping=remembered.mapping if remembered else guess_mapping(headers),
            row_count=row_count,
            job=job,
        )
        params["import"] = imp.pk
        Job.objects.filter(pk=job.pk).update(params=params)
        job.params = params
    counted(row_count)
    return imp


def import_map(*, imp: MemberImport, mapping: dict[str, str], consent: bool) -> MemberImport:
    """Record the mapping (remembered for files of the same shape) and check the rows."""
    if imp.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED):
        raise ImportRefused(_("This import cannot do that now."))
    mapping = {str(i): f for i, f in mapping.items() if f in FIELDS}
    fields = list(mapping.values())
    if len(fields) != len(set(fields)):
        raise ValidationError(_("Each field can be taken from one column only."), code="twice")
    if "name" not in fields and "enterprise_name" not in fields:
        raise ValidationError(_("Choose the column with the person's name or the enterprise name."), code="name")
    ColumnMapping.objects.update_or_create(
        user=imp.owner,
        association=imp.association,
        signature=header_signature(imp.headers),
        defaults={"mapping": mapping},
    )
    imp.mapping, imp.consent_confirmed = mapping, consent
    MemberImport.objects.filter(pk=imp.pk).update(mapping=mapping, consent_confirmed=consent)
    return import_check_start(imp=imp)


def _rows(imp: MemberImport) -> Iterator[tuple[int, list]]:
    if not imp.upload.name or not stored_path(imp.upload.name).is_file():
        raise ImportRefused(_("The uploaded file is no longer kept: upload it again."))
    _headers, data = read_rows(stored_path(imp.upload.name), imp.file_kind)
    return data


def import_check_start(*, imp: MemberImport) -> MemberImport:
    """Queue the check of every row: it runs in the background whatever the file's size."""
    with transaction.atomic():
        job = jobs.job_enqueue(
            kind="imports.check",
            owner=imp.owner,
            association=imp.association,
            params={"import": imp.pk},
            total=imp.row_count,
        )
        _move(imp, ImportStatus.CHECKING, job=job, message="")
    return imp


def import_check_run(imp: MemberImport, progress: Callable) -> MemberImport:
    """Check every row (in one process per core for a large file); keep the problems of the first few
    thousand rows and write the full report. A file without errors also leaves what it derived for the
    commit (`stash.Stash`)."""
    checker = Checker(imp)
    data = _rows(imp)
    report = Report(import_language(imp))
    stash = Stash(imp, checker.today)
    done = 0
    try:
        for rows in checked_chunks(checker.rules, data, workers=workers_for(imp.row_count)):
            checker.chunk(rows)
            report.rows(rows, only_problems=True)
            if checker.error_rows:
                stash.discard()
            else:
                stash.add(rows)
            done += len(rows)
            progress(done, imp.row_count)
    except BaseException:
        report.discard()
        stash.discard()
        raise
    report.close()
    _remove_report(imp)
    stash.finish()
    _move(
        imp,
        ImportStatus.CHECKED,
        row_count=done,
        error_rows=checker.error_rows,
        warning_rows=checker.warning_rows,
        problems=checker.problems,
        report=report.relative,
        message="",
    )
    return imp


def import_commit_start(*, imp: MemberImport) -> MemberImport:
    """Commit the checked import: inline for small files whose check kept its rows (`_Stash`), as a
    background job above the threshold or when the file would have to be read again."""
    claimed = MemberImport.objects.filter(pk=imp.pk, status=ImportStatus.CHECKED, error_rows=0, row_count__gt=0).update(
        status=ImportStatus.COMMITTING
    )
    if claimed != 1:
        raise ImportRefused(_("This import cannot be committed: check the file first and correct every problem."))
    imp.status = ImportStatus.COMMITTING
    if imp.row_count > background_threshold() or not stash_holds(imp):
        with transaction.atomic():
            job = jobs.job_enqueue(
                kind="imports.commit",
                owner=imp.owner,
                association=imp.association,
                params={"import": imp.pk},
                total=imp.row_count,
            )
            MemberImport.objects.filter(pk=imp.pk).update(job=job)
            imp.job = job
        return imp
    try:
        import_commit_run(imp, lambda done, total=None, message="": None)
    except Exception as exc:  # noqa: BLE001 - recorded on the import; the transaction left nothing behind
        commit_failed(imp, exc)
    return imp


def commit_failed(imp: MemberImport, exc: BaseException) -> None:
    """Record a failed check or commit on the import, in words the importer may read (masked)."""
    if isinstance(exc, ImportRefused):
        message = str(exc)
    elif isinstance(exc, ValidationError) and getattr(exc, "code", None) in reading.REFUSALS:
        message = reading.refusal_text(exc.code or "unreadable", exc.params)
    else:
        message = str(_("The import failed and nothing was saved."))
    _move(imp, ImportStatus.FAILED, message=mask_text(message)[:300])


def import_commit_run(imp: MemberImport, progress: Callable) -> MemberImport:
    """Write every row in one transaction; any failure rolls all of it back."""
    checker = Checker(imp)
    stashed = stashed_chunks(imp, checker.today)
    if stashed is not None:
        chunks, watermark = stashed
        checker.stashed = True
    else:
        chunks = checked_chunks(checker.rules, _rows(imp), workers=workers_for(imp.row_count))
        checker.stashed = False
    report = Report(import_language(imp))
    done, pending = 0, []
    try:
        with transaction.atomic(), page_cache(getattr(settings, "QIAOJIA_IMPORT_SQLITE_CACHE_MB", 96)):
            if checker.stashed:
                checker.matches_since_check = matches_since(watermark, checker.visible_people)
            for chunk in chunks:
                rows = _commit_chunk(checker, chunk)
                pending += _write_chunk(checker, rows)
                report.rows(rows, only_problems=False)
                done += len(chunk)
                progress(done, imp.row_count)
            _write_pending(checker, pending)
            audit_log(
                action=AuditAction.UPDATE,
                instance=imp,
                changes={
                    "status": [ImportStatus.CHECKED, ImportStatus.COMMITTED],
                    "rows": done,
                    "created": checker.created,
                    "linked": checker.linked,
                    "skipped": checker.skipped,
                    "pending": checker.pending,
                    "file": mask_text(imp.original_name),
                },
            )
            _move(
                imp,
                ImportStatus.COMMITTED,
                created_count=checker.created,
                linked_count=checker.linked,
                skipped_count=checker.skipped,
                committed_at=timezone.now(),
                message="",
            )
    except BaseException:
        report.discard()
        raise
    report.close()
    _remove_report(imp)
    if imp.upload.name:
        stored_path(imp.upload.name).unlink(missing_ok=True)
        stash_path(imp.upload.name).unlink(missing_ok=True)
    MemberImport.objects.filter(pk=imp.pk).update(report=report.relative, upload="")
    imp.report, imp.upload = report.relative, ""
    return imp


def _commit_chunk(checker: Checker, chunk: list) -> list[RowResult]:
    """Look at one chunk again before it is written: with the check's stash (`checker.stashed`) the chunk
    holds the rows the check derived, and only what the database says about them is looked at again;
    otherwise it holds the file's rows, checked again from scratch."""
    if checker.stashed:
        rows = checker.chunk([unstash_row(checker.rules, item) for item in chunk], in_file=False)
    else:
        rows = checker.chunk(chunk)
    if any(r.has_error for r in rows):
        raise ImportRefused(_("Some rows have problems now: check the file again."))
    return rows


def _write_chunk(checker: Checker, rows: list[RowResult]) -> list[tuple[RowResult, dict[str, Any]]]:
    """Hand a chunk's rows to the members' bulk services: new people, new enterprises, memberships.
    Returns the memberships awaiting confirmation, written once at the end (`_write_pending`) so that
    the reviewers get one notice per association."""
    now = timezone.now()
    home = checker.imp.association_id
    new_people = [
        (r, r.person)
        for r in rows
        if not r.skip and not r.pending and not r.person_unlinked and r.person and r.person_id is None
    ]
    people = people_bulk_add([person for _r, person in new_people], audit_association_id=home, now=now)
    for (r, _person), p in zip(new_people, people, strict=True):
        r.person_id, r.outcome = p.pk, "created"
    new_enterprises = [(r, r.enterprise) for r in rows if not r.skip and r.enterprise and r.enterprise_id is None]
    enterprises = enterprises_bulk_add(
        [{**enterprise, "representative_id": r.person_id} for r, enterprise in new_enterprises],
        audit_association_id=home,
        now=now,
    )
    for (r, _enterprise), e in zip(new_enterprises, enterprises, strict=True):
        r.enterprise_id, r.outcome = e.pk, "created"
    names = _association_names({r.association_id for r in rows})
    memberships, reprs, pending = [], [], []
    for r in rows:
        if r.skip:
            r.outcome = "skipped"
            continue
        enterprise = r.enterprise
        holder = {"enterprise_id": r.enterprise_id} if enterprise is not None else {"person_id": r.person_id}
        if r.pending:
            r.outcome = "pending"
            if enterprise is not None:
                submitted = submitted_enterprise(
                    {**enterprise, "representative_name": (r.person or {}).get("name", "")}
                )
            else:
                # A person row waits for confirmation only when it names a registered person
                # (`Checker.resolve` skips rows without one), so its values are there.
                submitted = submitted_person(cast(dict[str, Any], r.person))
            pending.append((r, {"association_id": r.association_id, **holder, "submitted": submitted, **r.membership}))
            continue
        r.outcome = r.outcome or "linked"
        memberships.append({"association_id": r.association_id, **holder, **r.membership})
        reprs.append(f"{names.get(r.association_id, '')} · {(r.enterprise or r.person or {}).get('name', '')}")
    memberships_bulk_add(memberships, reprs=reprs, now=now)
    for r in rows:
        checker.created += r.outcome == "created"
        checker.linked += r.outcome == "linked"
        checker.skipped += r.outcome == "skipped"
        checker.pending += r.outcome == "pending"
    return pending


def _write_pending(checker: Checker, pending: list[tuple[RowResult, dict[str, Any]]]) -> None:
    if not pending:
        return
    names = _association_names({values["association_id"] for _r, values in pending})
    pending_memberships_bulk_add(
        [values for _r, values in pending],
        reprs=[f"{names.get(v['association_id'], '')} · {v['submitted'].get('name', '')}" for _r, v in pending],
        actor=checker.imp.owner,
        source=f"import:{checker.imp.pk}",
    )


def _association_names(ids: set) -> dict[int | None, str]:
    return dict(Association.objects.filter(pk__in=ids).order_by().values_list("pk", "name"))


def _remove_report(imp: MemberImport) -> None:
    if imp.report.name:
        imp.report.storage.delete(imp.report.name)


def report_file(imp: MemberImport) -> Path | None:
    if not imp.report.name or not imp.report.storage.exists(imp.report.name):
        return None
    return Path(imp.report.path)
