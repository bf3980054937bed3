"""Backup and restore (`manage.py backup`, `manage.py restore`), with the restore drill: the demo backed up
and restored into a fresh database and media folder, every table and file compared.

Transactional: a backup reads committed data (pg_dump is another session)."""

import contextlib
import hashlib
import io
import json
import os
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import load_backend

from qiaojia.core import backup
from qiaojia.core.backup import BackupError, backup_create, backup_restore, media_files, table_checksums
from qiaojia.core.crypto import decrypt
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.services import audit_operation
from qiaojia.members.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "drill-backup-key-0123456789"
FRESH = "restored"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QIAOJIA_BACKUP_KEY = KEY
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_database(tmp_path):
    """A new, empty database beside the test database, as the connection alias `restored`: a new file on
    SQLite, a new database (dropped afterwards) on PostgreSQL."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restore"
        _pg_admin(
            f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)',
            f"CREATE DATABASE \"{settings_dict['NAME']}\" TEMPLATE template0 ENCODING 'UTF8'",
        )
    # Connected before it is named: the test case admits only the databases it knew when it began.
    fresh = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, FRESH)
    fresh.ensure_connection()
    connections.settings[FRESH] = settings_dict
    connections[FRESH] = fresh
    yield FRESH
    connections[FRESH].close()
    with contextlib.suppress(AttributeError):
        del connections[FRESH]
    del connections.settings[FRESH]
    if connection.vendor == "postgresql":
        _pg_admin(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')


def _pg_admin(*statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _file_sums(root: Path) -> dict[str, str]:
    return {relative: hashlib.sha256((root / relative).read_bytes()).hexdigest() for relative in media_files(root)}


def _some_files(media: Path) -> None:
    """Files the demo does not make: nested, empty, non-ASCII names, larger than one encryption frame."""
    for relative, content in [
        ("cycle/年度報告 2025.pdf", b"%PDF-1.7 report"),
        ("exports/empty.csv", b""),
        ("deep/a/b/c/d.bin", os.urandom(3 * 1024 * 1024 + 7)),
    ]:
        (media / relative).parent.mkdir(parents=True, exist_ok=True)
        (media / relative).write_bytes(content)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the drill ----------------------------------------------------------------------------------------------


def test_restore_drill_the_demo_comes_back_whole_into_a_fresh_database(media, fresh_database, tmp_path):
    from qiaojia.demo.loader import load

    # The whole demo world (every app's records, audit rows, the meeting's photos) with fewer invented people.
    load(people=300, enterprises=40)
    _some_files(media)
    source_tables, source_files = table_checksums(), _file_sums(media)
    busy = {table for table, sums in source_tables.items() if sums["rows"]}
    assert {"members_person", "core_auditentry", "meetings_photo", "cycle_annualreport", "search_searchentry"} <= busy
    # The meeting's photos and the reports' financial statements (the current cycle's), besides _some_files.
    stored = source_tables["meetings_photo"]["rows"] + source_tables["cycle_attachment"]["rows"]
    assert len(source_files) == 3 + stored and source_tables["cycle_attachment"]["rows"] > 0

    out = io.StringIO()
    call_command("backup", "--encrypt", "--output", str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").iterdir()
    assert f"{len(source_tables)} tables" in out.getvalue() and "encrypted" in out.getvalue()
    assert _mode(archive) == 0o600 and _mode(archive.parent) == 0o700
    assert b"ustar" not in archive.read_bytes()[:4096]  # no plain tar: the archive is encrypted

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(archive), "--database", fresh_database, "--media-root", str(restored_media), stdout=out)
    assert "every checksum matches" in out.getvalue()

    # Nothing lost: every table's row count and content, every file's bytes.
    assert table_checksums(fresh_database) == source_tables
    assert _file_sums(restored_media) == source_files
    assert all(_mode(restored_media / relative) == 0o600 for relative in source_files)
    # The restored data is usable: ID numbers decrypt, and new rows get fresh ids (sequences restored).
    person = Person.objects.exclude(id_number_encrypted="").order_by("pk").first()
    copy = Person.objects.using(fresh_database).get(pk=person.pk)
    assert decrypt(copy.id_number_encrypted) == decrypt(person.id_number_encrypted)
    newest = AuditEntry.objects.using(fresh_database).order_by("-pk").first()
    added = AuditEntry.objects.using(fresh_database).create(
        actor_username="drill",
        request_id="drill",
        action=AuditAction.CREATE,
        object_type="test.drill",
        object_id="1",
        object_repr="after the restore",
    )
    assert added.pk > newest.pk


# --- the archive --------------------------------------------------------------------------------------------


@pytest.fixture
def small_world(media):
    with transaction.atomic():
        audit_operation(action=AuditAction.CREATE, object_type="test.thing", object_repr="a row", changes={"n": 1})
    _some_files(media)
    return media


def _members(archive: Path) -> list[str]:
    with tarfile.open(archive, "r:") as tar:
        return tar.getnames()


def test_the_archive_holds_the_database_the_files_and_a_manifest_of_checksums(small_world, tmp_path):
    result = backup_create(output=tmp_path / "b.tar")
    assert result.path == tmp_path / "b.tar" and _mode(result.path) == 0o600
    names = _members(result.path)
    assert names[0] == backup.HEADER and names[-1] == backup.MANIFEST
    assert backup.DATABASE[connection.vendor] in names
    assert {f"media/{relative}" for relative in media_files(small_world)} <= set(names)
    with tarfile.open(result.path, "r:") as tar:
        manifest = json.load(tar.extractfile(backup.MANIFEST))
        for relative, entry in manifest["files"].items():
            content = tar.extractfile(f"media/{relative}").read()
            assert entry == {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    assert manifest["tables"] == table_checksums()
    assert manifest["tables"]["core_auditentry"]["rows"] == AuditEntry.objects.count()


def test_a_backup_is_never_written_over_an_existing_file(small_world, tmp_path):
    target = tmp_path / "b.tar"
    target.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--output", str(target))
    assert target.read_bytes() == b"yesterday's backup"


def test_a_backup_inside_a_transaction_is_refused(small_world, tmp_path):
    with pytest.raises(BackupError, match="outside a transaction"), transaction.atomic():
        backup_create(output=tmp_path / "b.tar")
    assert not (tmp_path / "b.tar").exists()


def test_encrypting_without_a_key_is_refused(small_world, tmp_path, settings):
    settings.QIAOJIA_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="QIAOJIA_BACKUP_KEY"):
        call_command("backup", "--encrypt", "--output", str(tmp_path / "b.tar.enc"))
    assert not list(tmp_path.glob("b.tar*"))


def test_the_table_checksum_sees_a_changed_value(small_world):
    before = table_checksums()
    with transaction.atomic():
        audit_operation(action=AuditAction.UPDATE, object_type="test.thing", object_repr="another", changes={})
    after = table_checksums()
    assert after["core_auditentry"] != before["core_auditentry"]
    assert {t: s for t, s in after.items() if t != "core_auditentry"} == {
        t: s for t, s in before.items() if t != "core_auditentry"
    }


# --- what restore refuses -----------------------------------------------------------------------------------


def _assert_untouched(alias: str, media_root: Path) -> None:
    with connections[alias].cursor() as cursor:
        assert connections[alias].introspection.table_names(cursor) == []
    assert media_files(media_root) == []


def test_restore_refuses_a_database_or_media_folder_that_is_not_empty(small_world, fresh_database, tmp_path):
    archive = backup_create(output=tmp_path / "b.tar").path
    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(archive), "--media-root", str(tmp_path / "empty"))
    (tmp_path / "busy" / "x").mkdir(parents=True)
    (tmp_path / "busy" / "x" / "kept.jpg").write_bytes(b"a file")
    with pytest.raises(BackupError, match="media folder .* is not empty"):
        backup_restore(archive, using=fresh_database, media_root=tmp_path / "busy")
    _assert_untouched(fresh_database, tmp_path / "empty")
    assert (tmp_path / "busy" / "x" / "kept.jpg").read_bytes() == b"a file"


def test_restore_with_force_replaces_what_is_there(small_world, fresh_database, tmp_path):
    archive = backup_create(output=tmp_path / "b.tar").path
    backup_restore(archive, using=fresh_database, media_root=tmp_path / "m")
    (tmp_path / "m" / "cycle" / "年度報告 2025.pdf").write_bytes(b"changed since")
    result = backup_restore(archive, using=fresh_database, media_root=tmp_path / "m", force=True)
    assert result.problems == [] and table_checksums(fresh_database) == table_checksums()
    assert _file_sums(tmp_path / "m") == _file_sums(small_world)


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of a plain archive with `change(name, content) -> content or None (left out)` applied."""
    with tarfile.open(archive, "r:") as source, tarfile.open(target, "w:") as out:
        for member in source:
            content = change(member.name, source.extractfile(member).read())
            if content is not None:
                member.size = len(content)
                out.addfile(member, io.BytesIO(content))
    return target


@pytest.mark.parametrize("damage", ["altered file", "missing file", "extra file", "altered database"])
def test_restore_refuses_an_archive_that_fails_its_checksums_and_changes_nothing(
    small_world, fresh_database, tmp_path, damage
):
    archive = backup_create(output=tmp_path / "b.tar").path
    database = backup.DATABASE[connection.vendor]

    def change(name, content):
        if damage == "altered file" and name == "media/cycle/年度報告 2025.pdf":
            return content.replace(b"report", b"forged")
        if damage == "missing file" and name == "media/exports/empty.csv":
            return None
        if damage == "altered database" and name == database:
            return content[:-1] + bytes([content[-1] ^ 1])
        return content

    damaged = _rewrite(archive, tmp_path / "damaged.tar", change)
    if damage == "extra file":
        with tarfile.open(damaged, "a:") as tar:
            info = tarfile.TarInfo("media/planted.html")
            info.size = 5
            tar.addfile(info, io.BytesIO(b"<svg>"))
    with pytest.raises(BackupError, match="failed its checksums; nothing was restored"):
        backup_restore(damaged, using=fresh_database, media_root=tmp_path / "m")
    _assert_untouched(fresh_database, tmp_path / "m")


def test_restore_refuses_an_entry_that_would_escape_the_media_folder(small_world, fresh_database, tmp_path):
    archive = backup_create(output=tmp_path / "b.tar").path
    damaged = _rewrite(archive, tmp_path / "damaged.tar", lambda name, content: content)
    with tarfile.open(damaged, "a:") as tar:
        info = tarfile.TarInfo("media/../../escaped.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(BackupError, match="Unexpected entry"):
        backup_restore(damaged, using=fresh_database, media_root=tmp_path / "m")
    assert not (tmp_path / "escaped.txt").exists()
    _assert_untouched(fresh_database, tmp_path / "m")


def test_restore_refuses_a_backup_of_the_other_database_vendor(small_world, fresh_database, tmp_path):
    archive = backup_create(output=tmp_path / "b.tar").path
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def change(name, content):
        return json.dumps({**json.loads(content), "vendor": other}).encode() if name == backup.HEADER else content

    with pytest.raises(BackupError, match=f"backup of a {other} database"):
        backup_restore(
            _rewrite(archive, tmp_path / "other.tar", change), using=fresh_database, media_root=tmp_path / "m"
        )
    _assert_untouched(fresh_database, tmp_path / "m")


@pytest.mark.parametrize("damage", ["wrong key", "flipped byte", "cut short", "frames swapped", "no key"])
def test_an_encrypted_backup_is_refused_unless_whole_and_read_with_its_key(
    small_world, fresh_database, tmp_path, damage, settings
):
    archive = backup_create(output=tmp_path / "b.tar.enc", encrypt=True).path
    data = bytearray(archive.read_bytes())
    key = KEY
    header = len(backup.MAGIC) + 24
    first_frame = 5 + int.from_bytes(data[header + 1 : header + 5], "big")
    if damage == "wrong key":
        key = "not-the-key"
    elif damage == "no key":
        key = ""
    elif damage == "flipped byte":
        data[len(data) // 2] ^= 0x01
    elif damage == "cut short":
        del data[header + first_frame :]  # the first frame whole, the rest gone
    elif damage == "frames swapped":
        second = data[header + first_frame : header + 2 * first_frame]
        data[header + first_frame : header + 2 * first_frame] = data[header : header + first_frame]
        data[header : header + first_frame] = second
    archive.write_bytes(bytes(data))
    settings.QIAOJIA_BACKUP_KEY = key
    with pytest.raises(BackupError):
        backup_restore(archive, using=fresh_database, media_root=tmp_path / "m")
    _assert_untouched(fresh_database, tmp_path / "m")


def test_verify_only_checks_the_archive_and_restores_nothing(small_world, fresh_database, tmp_path):
    archive = backup_create(output=tmp_path / "b.tar.enc", encrypt=True).path
    out = io.StringIO()
    call_command(
        "restore",
        str(archive),
        "--verify-only",
        "--database",
        fresh_database,
        "--media-root",
        str(tmp_path / "m"),
        stdout=out,
    )
    assert "The backup is sound" in out.getvalue()
    _assert_untouched(fresh_database, tmp_path / "m")
