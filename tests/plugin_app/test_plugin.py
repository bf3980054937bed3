"""A new searchable, exportable record joins the search index and the exports (streamed and in the
background) with nothing but its own folder: this app's search.py and exports.py, found at start-up."""

import csv
import io
import subprocess
from pathlib import Path

from django.urls import reverse

from qiaojia.exports.services import EXPORT_KIND
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job, JobStatus
from qiaojia.search import registry
from qiaojia.search.models import SearchEntry
from qiaojia.search.selectors import search
from qiaojia.search.services import reindex
from tests.plugin_app.models import Note
from tests.plugin_app.services import note_create

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent


def _titles(viewer, q: str) -> list[str]:
    return [e.title for g in search(viewer=viewer, q=q) if g.kind == "plugin-note" for e in g.entries]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8").lstrip("\ufeff"))))


def test_the_app_is_named_nowhere_outside_its_folder_but_the_test_settings():
    # (Documentation may point at it.)
    tracked = subprocess.run(
        [
            "git",
            "grep",
            "-l",
            "-e",
            "plugin_app",
            "-e",
            "plugin-note",
            "--",
            ".",
            f":!{HERE.relative_to(ROOT)}",
            ":!*.md",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert tracked.stdout.split() == ["config/settings/test.py"]


def test_its_records_are_searched_within_the_viewers_scope(db, staff_user, officer_of):
    assert registry.for_model(Note) is registry.get("plugin-note")
    note_create(title="僑鄉茶葉合作社", internal=True)
    note_create(title="僑鄉文化節", internal=False)
    assert sorted(_titles(staff_user, "僑鄉")) == ["僑鄉文化節", "僑鄉茶葉合作社"]
    # Traditional or Simplified, pinyin initials: the index's own matching applies to the new kind.
    assert "僑鄉文化節" in _titles(staff_user, "侨乡")
    assert _titles(officer_of, "僑鄉") == ["僑鄉文化節"]


def test_the_bulk_reindex_rebuilds_its_entries(db, staff_user):
    note = note_create(title="海外聯誼名錄")
    SearchEntry.objects.filter(kind="plugin-note").delete()
    assert _titles(staff_user, "聯誼") == []
    assert reindex(kinds=["plugin-note"])["plugin-note"] == 1
    assert _titles(staff_user, "聯誼") == [note.title]


def test_its_list_is_exported_streamed_and_in_the_background(login, staff_user, officer_of, settings):
    for i in range(5):
        note_create(title=f"紀要{i}", internal=i % 2 == 0)
    url = reverse("exports:source", args=["plugin-notes"])
    streamed = login(officer_of).get(url, {"format": "csv"})
    assert streamed.status_code == 200 and streamed.streaming
    assert _rows(b"".join(streamed.streaming_content)) == [["Title"], ["紀要1"], ["紀要3"]]

    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = 2
    client = login(staff_user)
    response = client.get(url, {"format": "csv", "q": "紀要"})
    job = Job.objects.get(kind=EXPORT_KIND)
    assert response.status_code == 302 and response["Location"] == reverse("exports:detail", args=[job.pk])
    # The worker finds the source from the app registry alone, as a `run_jobs` process would.
    assert jobs.run_pending() >= 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "Notes" in page
    download = client.get(reverse("exports:file", args=[job.pk]))
    assert download.status_code == 200
    assert _rows(b"".join(download.streaming_content)) == [["Title"]] + [[f"紀要{i}"] for i in range(5)]


def test_an_unknown_source_is_not_found(login, staff_user):
    assert login(staff_user).get(reverse("exports:source", args=["no-such-list"])).status_code == 404
