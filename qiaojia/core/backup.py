"""Backup and restore: one archive with a consistent snapshot of the database and every media file.

The archive is a tar: `backup.json` (format, database vendor, when), the database (SQLite's online
backup API, gzipped; or `pg_dump -Fc`), `media/...`, and last `manifest.json` with the SHA-256 and size of
every member and each table's row count and content checksum. The table checksums are read in the same
snapshot as the dump (SQLite: one read transaction; PostgreSQL: a repeatable-read transaction whose
snapshot pg_dump shares), so a restore proves it lost nothing by computing them again.

With `encrypt`, the archive is written through AES-256-GCM in 1 MiB frames (key derived with scrypt from
QIAOJIA_BACKUP_KEY): numbered, the last one marked, so a reordered, cut or altered archive is refused.
No plain copy of the archive is written; the database dump waits in a private temporary folder.

Restore refuses a database or media folder that is not empty (unless forced), checks every checksum
before it touches anything, then restores the database (SQLite backup API; pg_restore in one
transaction), moves the files in, and compares the tables with the manifest.
"""

import datetime
import decimal
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

FORMAT = 1
HEADER = "backup.json"
MANIFEST = "manifest.json"
DATABASE = {"sqlite": "database.sqlite3.gz", "postgresql": "database.pgdump"}
MEDIA = "media/"
COPY_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed by the step that raised it."""


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    encrypted: bool


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    created_at: str
    problems: list[str] = field(default_factory=list)


# --- table checksums ------------------------------------------------------------------------------------


def _canonical(value: Any) -> bytes:
    """One value as typed bytes, the same whichever driver returned it."""
    if value is None:
        return b"N"
    if isinstance(value, bool):
        return b"B1" if value else b"B0"
    if isinstance(value, int):
        return b"I" + str(value).encode()
    if isinstance(value, float):
        return b"F" + repr(value).encode()
    if isinstance(value, decimal.Decimal):
        return b"D" + str(value).encode()
    if isinstance(value, str):
        return b"S" + value.encode("utf-8", "surrogatepass")
    if isinstance(value, bytes | bytearray | memoryview):
        return b"X" + bytes(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return b"T" + value.isoformat().encode()
    if isinstance(value, datetime.date | datetime.time):
        return b"T" + value.isoformat().encode()
    if isinstance(value, datetime.timedelta):
        return b"P" + repr(value.total_seconds()).encode()
    if isinstance(value, uuid.UUID):
        return b"U" + str(value).encode()
    if isinstance(value, dict | list):
        return b"J" + json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()
    return b"R" + repr(value).encode()


def table_checksums(using: str = "default") -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": hex}} for every table of the database, each row read in the order of
    all its columns (the primary key first), with plain SELECTs that read the same on both vendors."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        described = {
            table: [column.name for column in connection.introspection.get_table_description(cursor, table)]
            for table in tables
        }
    out = {}
    for table, columns in described.items():
        digest = hashlib.sha256(json.dumps(columns).encode())
        rows = 0
        order = ", ".join(str(n) for n in range(1, len(columns) + 1))
        with connection.chunked_cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} ORDER BY {order}")
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    for value in row:
                        encoded = _canonical(value)
                        digest.update(len(encoded).to_bytes(8, "big"))
                        digest.update(encoded)
                    rows += 1
        out[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return out


# --- encryption -----------------------------------------------------------------------------------------

MAGIC = b"QIAOJIA-BACKUP\x00\x01"  # 16 bytes, then salt (16) and nonce prefix (8)
FRAME = 1024 * 1024


def _derive(key: str, salt: bytes) -> AESGCM:
    if not key:
        raise BackupError("No backup key: set QIAOJIA_BACKUP_KEY.")
    return AESGCM(Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(key.encode()))


class _EncryptingWriter(io.RawIOBase):
    def __init__(self, out, key: str):
        salt, prefix = os.urandom(16), os.urandom(8)
        self.out, self.aead, self.prefix = out, _derive(key, salt), prefix
        self.header = MAGIC + salt + prefix
        self.out.write(self.header)
        self.buffer = bytearray()
        self.counter = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > FRAME:
            self._frame(bytes(self.buffer[:FRAME]), last=False)
            del self.buffer[:FRAME]
        return len(data)

    def _frame(self, plain: bytes, *, last: bool) -> None:
        flag = b"\x01" if last else b"\x00"
        counter = self.counter.to_bytes(4, "big")
        sealed = self.aead.encrypt(self.prefix + counter, plain, self.header + counter + flag)
        self.out.write(flag + len(sealed).to_bytes(4, "big") + sealed)
        self.counter += 1

    def finish(self) -> None:
        self._frame(bytes(self.buffer), last=True)
        self.buffer.clear()


class _DecryptingReader(io.RawIOBase):
    def __init__(self, source, key: str):
        header = source.read(len(MAGIC) + 24)
        if len(header) != len(MAGIC) + 24 or not header.startswith(MAGIC):
            raise BackupError("This is not an encrypted QiaoJia backup.")
        self.source, self.header = source, header
        self.aead, self.prefix = _derive(key, header[16:32]), header[32:40]
        self.buffer = bytearray()
        self.counter, self.done = 0, False

    def readable(self) -> bool:
        return True

    def _next(self) -> None:
        head = self.source.read(5)
        if len(head) < 5:
            raise BackupError("The encrypted backup is cut short.")
        flag, length = head[:1], int.from_bytes(head[1:], "big")
        sealed = self.source.read(length)
        counter = self.counter.to_bytes(4, "big")
        try:
            self.buffer += self.aead.decrypt(self.prefix + counter, sealed, self.header + counter + flag)
        except InvalidTag:
            raise BackupError("The backup cannot be decrypted: wrong key, or the file was altered.") from None
        self.counter += 1
        if flag == b"\x01":
            self.done = True
            if self.source.read(1):
                raise BackupError("The encrypted backup has data after its end.")

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) < size):
            self._next()
        size = len(self.buffer) if size < 0 else min(size, len(self.buffer))
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def readinto(self, target) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


# --- backup ---------------------------------------------------------------------------------------------


def _private_file(path: Path):
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _pg_env(settings_dict: dict) -> dict[str, str]:
    from django.db.backends.postgresql.client import DatabaseClient

    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} was not found: install the PostgreSQL client tools.") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def _snapshot(using: str, workdir: Path) -> tuple[Path, dict]:
    """Dump the database and checksum its tables, both from one snapshot."""
    connection = connections[using]
    dump = workdir / DATABASE[connection.vendor]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            tables = table_checksums(using)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-password",
                    f"--file={dump}",
                    connection.settings_dict["NAME"],
                ],
                _pg_env(connection.settings_dict),
            )
        return dump, tables
    if connection.vendor != "sqlite":
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a transaction.")
    # A deferred read transaction, begun by hand: atomic() begins IMMEDIATE (a write lock, see
    # SQLITE_OPTIONS), and SQLite's backup waits for ever on a source connection that holds one.
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN DEFERRED")
    try:
        raw.execute("SELECT count(*) FROM sqlite_master")  # the read transaction starts here
        tables = table_checksums(using)
        copy = workdir / "database.sqlite3"
        target = sqlite3.connect(copy)
        try:
            raw.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        raw.execute("ROLLBACK")
    with open(copy, "rb") as source, gzip.open(dump, "wb", compresslevel=6) as out:
        shutil.copyfileobj(source, out, COPY_CHUNK)
    copy.unlink()
    return dump, tables


def media_files(root: Path) -> list[str]:
    """Every regular file under `root`, as sorted POSIX paths relative to it; files still being written
    (`*.partial`) and symbolic links are left out."""
    found = []
    if root.is_dir():
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in files:
                path = Path(folder) / name
                if not name.endswith(".partial") and path.is_file() and not path.is_symlink():
                    found.append(path.relative_to(root).as_posix())
    return sorted(found)


class _Hashing:
    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, handle, size: int, mtime: float) -> str:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    reader = _Hashing(handle)
    tar.addfile(info, reader)
    return reader.digest.hexdigest()


def _add_json(tar: tarfile.TarFile, name: str, value: dict) -> None:
    data = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode()
    _add(tar, name, io.BytesIO(data), len(data), timezone.now().timestamp())


def output_path(output: Path | None, *, encrypted: bool) -> Path:
    """A file path as given, or a new dated name in the folder given (QIAOJIA_BACKUP_DIR by default)."""
    output = Path(output) if output else Path(settings.QIAOJIA_BACKUP_DIR)
    if output.is_dir() or not output.suffix:
        output.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        output = output / f"qiaojia-{stamp}.tar{'.enc' if encrypted else ''}"
    return output


def backup_create(
    *,
    output: Path | None = None,
    encrypt: bool = False,
    key: str | None = None,
    using: str = "default",
    media_root: Path | None = None,
) -> BackupResult:
    """Write the archive (0600) and return what it holds; an existing file is never overwritten."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A backup reads committed data: run it outside a transaction.")
    key = (key if key is not None else settings.QIAOJIA_BACKUP_KEY) if encrypt else None
    if encrypt and not key:
        raise BackupError("--encrypt needs a key: set QIAOJIA_BACKUP_KEY.")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    path = output_path(output, encrypted=encrypt)
    if path.exists():
        raise BackupError(f"{path} exists already.")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="qiaojia-backup-") as work:
        # The database first, then the files: a file uploaded meanwhile is kept as an orphan, never missed.
        dump, tables = _snapshot(using, Path(work))
        files = media_files(media_root)
        manifest: dict[str, Any] = {"format": FORMAT, "tables": tables, "files": {}}
        try:
            with _private_file(partial) as raw:
                # A key is set exactly when encrypting (refused above otherwise).
                sink = _EncryptingWriter(raw, key) if key else raw
                with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    _add_json(
                        tar,
                        HEADER,
                        {
                            "format": FORMAT,
                            "vendor": connection.vendor,
                            "created_at": timezone.now().isoformat(),
                            "encrypted": encrypt,
                        },
                    )
                    with open(dump, "rb") as handle:
                        size = os.fstat(handle.fileno()).st_size
                        digest = _add(tar, dump.name, handle, size, timezone.now().timestamp())
                        manifest["database"] = {"name": dump.name, "size": size, "sha256": digest}
                    for relative in files:
                        with open(media_root / relative, "rb") as handle:
                            stat = os.fstat(handle.fileno())
                            digest = _add(tar, MEDIA + relative, handle, stat.st_size, stat.st_mtime)
                        manifest["files"][relative] = {"size": stat.st_size, "sha256": digest}
                    _add_json(tar, MANIFEST, manifest)
                if encrypt:
                    sink.finish()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(
        path=path, tables=len(tables), rows=sum(t["rows"] for t in tables.values()), files=len(files), encrypted=encrypt
    )


# --- restore --------------------------------------------------------------------------------------------


def _safe_media_path(name: str) -> str | None:
    """The media path of a member named media/<path>, or None when the name could escape the folder."""
    relative = PurePosixPath(name[len(MEDIA) :])
    if relative.is_absolute() or not relative.parts or any(part in ("", ".", "..") for part in relative.parts):
        return None
    return relative.as_posix()


def _database_is_empty(using: str) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _media_is_empty(root: Path) -> bool:
    return not media_files(root)


def _read_archive(archive: Path, key: str | None, staging: Path, vendor: str) -> tuple[dict, dict, dict[str, tuple]]:
    """Stream the archive into `staging`, checksumming each member; returns (header, manifest, found)."""
    header: dict | None = None
    manifest: dict | None = None
    found: dict[str, tuple[str, int]] = {}
    with open(archive, "rb") as raw:
        source: io.RawIOBase | io.BufferedReader = raw
        if raw.read(len(MAGIC)) == MAGIC:
            raw.seek(0)
            source = _DecryptingReader(raw, key or "")
        else:
            raw.seek(0)
        try:
            with tarfile.open(fileobj=source, mode="r|") as tar:
                for member in tar:
                    if not member.isreg():
                        raise BackupError(f"Unexpected entry in the backup: {member.name}")
                    handle = tar.extractfile(member)
                    if handle is None:  # never for a regular file, checked just above
                        raise BackupError(f"Unexpected entry in the backup: {member.name}")
                    if member.name in (HEADER, MANIFEST):
                        value = json.loads(handle.read())
                        if member.name == HEADER:
                            if value.get("format") != FORMAT:
                                raise BackupError(f"Backup format {value.get('format')} is not known here.")
                            if value.get("vendor") != vendor:
                                raise BackupError(
                                    f"This is a backup of a {value.get('vendor')} database: it cannot "
                                    f"be restored into {vendor}."
                                )
                            header = value
                        else:
                            manifest = value
                        continue
                    if header is None:
                        raise BackupError("The backup does not start with its header.")
                    if member.name == DATABASE[vendor]:
                        target = staging / "database" / member.name
                    elif member.name.startswith(MEDIA) and (relative := _safe_media_path(member.name)):
                        target = staging / "media" / relative
                    else:
                        raise BackupError(f"Unexpected entry in the backup: {member.name}")
                    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    digest = hashlib.sha256()
                    with _private_file(target) as out:
                        while chunk := handle.read(COPY_CHUNK):
                            digest.update(chunk)
                            out.write(chunk)
                    found[member.name] = (digest.hexdigest(), member.size)
        except FileExistsError as exc:
            raise BackupError(f"The backup holds {exc.filename} twice.") from exc
        except (tarfile.TarError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BackupError(f"The backup is damaged: {exc}") from exc
    if header is None or manifest is None:
        raise BackupError("The backup is incomplete: its header or manifest is missing.")
    return header, manifest, found


def _verify(manifest: dict, found: dict[str, tuple[str, int]], vendor: str) -> list[str]:
    expected = {MEDIA + relative: (entry["sha256"], entry["size"]) for relative, entry in manifest["files"].items()}
    database = manifest.get("database") or {}
    if database.get("name") != DATABASE[vendor]:
        return ["the manifest names no database dump"]
    expected[database["name"]] = (database["sha256"], database["size"])
    problems = [f"missing from the archive: {name}" for name in sorted(expected.keys() - found.keys())]
    problems += [f"not in the manifest: {name}" for name in sorted(found.keys() - expected.keys())]
    problems += [
        f"checksum differs: {name}" for name in sorted(expected.keys() & found.keys()) if expected[name] != found[name]
    ]
    return problems


def _restore_database(using: str, dump: Path, *, force: bool) -> None:
    connection = connections[using]
    if connection.vendor == "sqlite":
        plain = dump.with_suffix("")
        with gzip.open(dump, "rb") as source, _private_file(plain) as out:
            shutil.copyfileobj(source, out, COPY_CHUNK)
        connection.ensure_connection()
        source_db = sqlite3.connect(plain)
        try:
            source_db.backup(connection.connection)
        finally:
            source_db.close()
    else:
        command = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
        ]
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, str(dump)], _pg_env(connection.settings_dict))


def backup_restore(
    archive: Path,
    *,
    using: str = "default",
    media_root: Path | None = None,
    force: bool = False,
    key: str | None = None,
    verify_only: bool = False,
) -> RestoreResult:
    """Restore `archive` into the database `using` and `media_root` (MEDIA_ROOT by default), both empty
    unless `force`; with `verify_only`, check the archive and change nothing."""
    archive = Path(archive)
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("Restore outside a transaction.")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if not verify_only and not force:
        if not _database_is_empty(using):
            raise BackupError(
                "The database is not empty: restore into an empty database (or pass --force to replace what it holds)."
            )
        if not _media_is_empty(media_root):
            raise BackupError(
                f"The media folder {media_root} is not empty: restore into an empty folder (or pass --force)."
            )
    key = key if key is not None else settings.QIAOJIA_BACKUP_KEY
    with tempfile.TemporaryDirectory(prefix="qiaojia-restore-") as work:
        staging = Path(work)
        header, manifest, found = _read_archive(archive, key, staging, connection.vendor)
        problems = _verify(manifest, found, connection.vendor)
        if problems:
            raise BackupError("The backup failed its checksums; nothing was restored: " + "; ".join(problems[:20]))
        tables = manifest["tables"]
        result = RestoreResult(
            tables=len(tables),
            rows=sum(t["rows"] for t in tables.values()),
            files=len(manifest["files"]),
            created_at=header.get("created_at", ""),
        )
        if verify_only:
            return result
        _restore_database(using, staging / "database" / manifest["database"]["name"], force=force)
        media_root.mkdir(parents=True, exist_ok=True)
        for relative in manifest["files"]:
            target = media_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging / "media" / relative, target)
            os.chmod(target, 0o600)
    restored = table_checksums(using)
    result.problems = [
        f"table {name}: {tables[name]['rows']} rows in the backup, "
        f"{restored.get(name, {}).get('rows', 0)} restored, or their content differs"
        for name in sorted(tables)
        if restored.get(name) != tables[name]
    ]
    if result.problems:
        raise BackupError("The restored database differs from the backup: " + "; ".join(result.problems[:20]))
    return result
