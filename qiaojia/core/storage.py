"""The private storage every stored file lives on (settings.STORAGES["private"]), and how files are written
to it and read back.

Nothing serves it by URL: files are read back only by the views that check who asks (`file_response`). A
FileField names the callable, not the storage, so migrations stay the same whichever backend a deployment
configures: `PrivateFileSystemStorage` under MEDIA_ROOT on one machine, an S3-compatible bucket through
django-storages on several (README, "Files on several machines").

Every file is written by `save_new`, through the storage API: a full disk leaves no partial file and says so in
the user's language; inside `files_atomic` a transaction that rolls back deletes its new files again, through
the same storage, so no file outlives the row that was to name it.

    with files_atomic():
        photo.file = save_new("meetings/photos/<uuid>.jpg", data)
        create_audited(photo)
"""

import contextlib
import errno
import logging
import os
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from .files import FILE_MODE, private_dir

logger = logging.getLogger(__name__)

_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def private_storage() -> Storage:
    return storages["private"]


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that writes a file whole or not at all: created 0600 (never readable by others, not
    even for a moment), never replacing one, and removed again if writing it fails (Django's leaves the
    partial file of a full disk behind). Folders are made 0700 on the way."""

    def _save(self, name, content):
        mode = self.file_permissions_mode or FILE_MODE
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        while True:
            full_path = self.path(name)
            private_dir(Path(full_path).parent)
            try:
                fd = os.open(full_path, flags, mode)
            except FileExistsError:
                name = self.get_available_name(name)
                continue
            try:
                os.fchmod(fd, mode)
                for chunk in content.chunks():
                    view = memoryview(chunk.encode() if isinstance(chunk, str) else chunk)
                    while view:
                        view = view[os.write(fd, view) :]
            except BaseException:
                os.close(fd)
                Path(full_path).unlink(missing_ok=True)
                raise
            os.close(fd)
            return str(name).replace("\\", "/")


# The undo steps of the files written by the innermost `files_atomic` block of this thread (None outside one).
_written: ContextVar[list[Callable[[], None]] | None] = ContextVar("qiaojia_files_written", default=None)


def storage_full() -> ValidationError:
    return ValidationError(
        _(
            "The server's storage is full, so the file could not be saved. Nothing was changed: "
            "try again later, or tell the platform's administrators."
        ),
        code="storage_full",
    )


def _remember(undo: Callable[[], None]) -> None:
    written = _written.get()
    if written is not None:
        written.append(undo)


def save_new(name: str, data: bytes, *, storage: Storage | None = None) -> str:
    """Store `data` as a new file named `name` (or a free name near it) on the private storage; returns the
    name kept, for the FileField. A full disk refuses the upload (ValidationError) and leaves nothing; inside
    `files_atomic` the file is deleted again if the transaction fails."""
    storage = storage or private_storage()
    try:
        saved = storage.save(name, ContentFile(data))
    except OSError as exc:
        if exc.errno in _DISK_FULL:
            logger.error("Upload refused, the storage is full: %s", name)
            raise storage_full() from exc
        raise
    _remember(lambda: delete_quietly(saved, storage=storage))
    return saved


def delete_quietly(name: str | None, *, storage: Storage | None = None) -> None:
    """Delete a stored file; one already gone, or a storage that fails, only leaves an orphan for retention."""
    if not name:
        return
    try:
        (storage or private_storage()).delete(name)
    except Exception:  # noqa: BLE001 - the orphan sweep (core.retention) deletes what is left
        logger.warning("Could not delete the stored file %s", name, exc_info=True)


def write_new(path: Path, data: bytes) -> None:
    """Create the file `path` outside the private storage (a working file of a job), readable by the platform
    only, never replacing one; a full disk removes the partial file and refuses (ValidationError). Inside
    `files_atomic`, the file goes if the transaction fails."""
    path = Path(path)
    created = False
    try:
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        created = True
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        if created:
            path.unlink(missing_ok=True)
        if exc.errno in _DISK_FULL:
            logger.error("Upload refused, the disk is full: %s", path.parent)
            raise storage_full() from exc
        raise
    _remember(lambda: path.unlink(missing_ok=True))


@contextlib.contextmanager
def files_atomic():
    """`transaction.atomic` for a write that stores files: if it rolls back (or its commit fails), the files
    `save_new` (or `write_new`) wrote inside are deleted, so no file outlives the row that was to name it.
    Only the outermost block commits; a nested one hands its files to the block around it. Use it as the
    outermost block of the write: inside a plain `transaction.atomic` a later rollback leaves an orphan
    (swept by retention)."""
    outer = _written.get()
    mine: list[Callable[[], None]] = []
    token = _written.set(mine)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for undo in reversed(mine):
            undo()
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(mine)


def delete_on_commit(*names: str | None) -> None:
    """Delete these stored files once the transaction that stops naming them commits (at once outside one)."""
    kept = [name for name in names if name]

    def delete() -> None:
        for name in kept:
            delete_quietly(name)

    if kept:
        transaction.on_commit(delete)


def file_response(
    name: str,
    *,
    content_type: str,
    cache_control: str = "private, no-store",
    filename: str | None = None,
    headers: dict[str, str] | None = None,
) -> FileResponse:
    """Stream a stored file (the caller has checked the viewer may see it) with the type the platform decided
    when it was stored, never one guessed from its content; with `filename`, as a download. 404 when the file
    is gone."""
    storage = private_storage()
    try:
        if not name or not storage.exists(name):
            raise Http404
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type=content_type, as_attachment=filename is not None, filename=filename or ""
    )
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def read_bytes(name: str) -> bytes:
    """The content of a stored file (FileNotFoundError when it is gone)."""
    storage = private_storage()
    if not name or not storage.exists(name):
        raise FileNotFoundError(name)
    with storage.open(name, "rb") as handle:
        return handle.read()


__all__ = [
    "PrivateFileSystemStorage",
    "delete_on_commit",
    "delete_quietly",
    "file_response",
    "files_atomic",
    "private_storage",
    "read_bytes",
    "save_new",
    "storage_full",
    "write_new",
]


_LOCAL = PrivateFileSystemStorage()


def local_storage() -> Storage:
    """Working files a worker reads by path on this machine's disk, under MEDIA_ROOT whatever the private
    storage is: an import's upload, its stash and its report (read in streaming passes by the import's jobs).
    On several machines the web processes and the workers that run imports share MEDIA_ROOT (README)."""
    return _LOCAL
