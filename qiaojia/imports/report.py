"""The CSV report of a check or a commit: one line per row with its outcome and problems, masked (no
phone or ID number in clear), in the importer's language, UTF-8 with BOM so Excel opens it."""

import csv
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.masking import mask_text
from qiaojia.core.storage import local_storage

from .checking import OUTCOMES, RowResult, problem_text
from .reading import upload_dir


class Report:
    """A CSV report (UTF-8 with BOM so Excel opens it), masked: no phone or ID number in clear."""

    def __init__(self, language: str):
        self.language = language
        self.outcomes: dict[str, str] = {}  # an outcome's text, translated and masked once
        directory = upload_dir() / "reports"
        directory.mkdir(exist_ok=True, mode=0o700)
        self.relative = f"imports/reports/{uuid.uuid4().hex}.csv"
        self.path = Path(local_storage().path(self.relative))  # `MemberImport.report` names it
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.handle = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.handle)
        with translation.override(language):
            self.writer.writerow([str(_("Row")), str(pgettext_lazy("import row", "Outcome")), str(_("Problems"))])

    def rows(self, rows: list[RowResult], *, only_problems: bool) -> None:
        with translation.override(self.language):
            lines = []
            for r in rows:
                if only_problems and not r.problems:
                    continue
                outcome = r.outcome or ("error" if r.has_error else "warning" if r.has_warning else "created")
                if outcome not in self.outcomes:
                    self.outcomes[outcome] = mask_text(str(OUTCOMES.get(outcome, outcome)))
                problems = mask_text(" ".join(problem_text(c, p) for c, p in r.problems)) if r.problems else ""
                lines.append((r.number, self.outcomes[outcome], problems))
            self.writer.writerows(lines)

    def close(self) -> None:
        self.handle.close()

    def discard(self) -> None:
        self.handle.close()
        self.path.unlink(missing_ok=True)


def user_language(user) -> str:
    return user.language or translation.get_language() or settings.LANGUAGE_CODE


def import_language(imp) -> str:
    """The language of an import's report and messages: its owner's."""
    return user_language(imp.owner)
