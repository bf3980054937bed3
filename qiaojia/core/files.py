"""Files the platform writes under MEDIA_ROOT: readable by its own user only (files 0600, folders 0700).

They hold personal data (uploads, exports, import reports, compilations) and are served only through
views that check the viewer, so no other account on the machine has a reason to read them."""

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create `path` and its missing parents as 0700 folders (Path.mkdir gives parents the umask's mode)."""
    missing = []
    current = Path(path)
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass
    return Path(path)


def open_private(path: Path, mode: str = "wb", **kwargs):
    """Open `path` for writing as a 0600 file, whatever the umask or the mode of a file it replaces."""
    path = Path(path)
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: bytes) -> None:
    with open_private(path) as out:
        out.write(data)
