"""What the check keeps for the commit: the rows it derived, in a signed file beside the upload.

The commit then neither reads the file nor derives the rows again (keys, encrypted ID numbers, parsed
phones); it only looks at the database again. Frames are pickled, signed under the site's secret,
numbered and tied to one stash, and unpickled by an unpickler that rebuilds dates and nothing else."""

import datetime
import hmac
import io
import os
import pickle
import struct
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from qiaojia.members.models import Person

from .checking import ImportRefused, RowResult, Rules
from .models import MemberImport
from .reading import stored_path


class StashDamaged(ImportRefused):
    """The stash's frames do not hold: it was altered, cut short or mixed with another."""


STASH_VERSION = 1
_FRAME = struct.Struct(">I32s")


def stash_path(stored_name: str) -> Path:
    return stored_path(stored_name).with_suffix(".checked")


def _stash_fingerprint(imp: MemberImport, today: datetime.date) -> dict[str, Any]:
    """What the stashed rows were derived from: another mapping, consent, file or day means check again."""
    return {
        "version": STASH_VERSION,
        "import": imp.pk,
        "file": imp.upload.name,
        "mapping": imp.mapping,
        "consent": bool(imp.consent_confirmed),
        "owner": imp.owner_id,
        "association": imp.association_id,
        "today": today.isoformat(),
    }


def _frame_mac(nonce: str, sequence: int, payload: bytes) -> bytes:
    """Signed under the site's secret, numbered, and tied to one stash (its header's nonce): frames
    cannot be altered, reordered, or taken from another stash."""
    return salted_hmac(
        f"qiaojia.imports.stash:{nonce}", str(sequence).encode() + b":" + payload, algorithm="sha256"
    ).digest()


class _StashUnpickler(pickle.Unpickler):
    """Rows hold plain values and dates: nothing else is ever rebuilt from the file."""

    def find_class(self, module, name):
        if module == "datetime" and name in ("date", "datetime", "timezone", "timedelta"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in an import stash")


class Stash:
    """The rows the check derived (search keys, encrypted ID numbers, parsed phones, memberships), kept
    beside the upload, as private as it, so the commit does not derive them again.

    Written chunk by chunk while the check runs (each frame signed, numbered, under the site's secret) and
    put in place only when the whole file checked without an error; removed with the upload (commit,
    expiry). The commit uses it only if it was derived from the same file, mapping, consent and day."""

    def __init__(self, imp: MemberImport, today: datetime.date):
        if not imp.upload.name:
            raise ValueError(f"import {imp.pk} has no upload to keep a stash beside")
        stash_path(imp.upload.name).unlink(missing_ok=True)
        self.final = stash_path(imp.upload.name)
        self.path = self.final.with_name(f"{uuid.uuid4().hex}.partial")
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        handle = os.fdopen(fd, "wb")
        self.handle: io.BufferedWriter | None = handle
        self.sequence, self.nonce = 0, ""
        # The last person registered before the check looked for likely matches: the commit looks
        # again only among the people registered after.
        watermark = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        nonce = uuid.uuid4().hex
        self._frame(handle, {"fingerprint": _stash_fingerprint(imp, today), "watermark": watermark, "nonce": nonce})
        self.nonce = nonce

    def _frame(self, handle: io.BufferedWriter, value: Any) -> None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        handle.write(_FRAME.pack(len(payload), _frame_mac(self.nonce, self.sequence, payload)))
        handle.write(payload)
        self.sequence += 1

    def add(self, rows: list[RowResult]) -> None:
        if self.handle is not None:
            self._frame(
                self.handle,
                [
                    (
                        r.number,
                        r.person,
                        r.person_hash,
                        r.enterprise,
                        r.association_id,
                        r.association_key,
                        r.membership,
                        any(c == "likely_match" for c, _p in r.problems),
                    )
                    for r in rows
                ],
            )

    def discard(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        self.path.unlink(missing_ok=True)

    def finish(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
            os.replace(self.path, self.final)


def _read_frame(handle, nonce: str, sequence: int) -> Any:
    header = handle.read(_FRAME.size)
    if not header:
        return None
    if len(header) != _FRAME.size:
        raise StashDamaged(_("The import's checked rows are damaged: check the file again."))
    size, mac = _FRAME.unpack(header)
    payload = handle.read(size)
    if len(payload) != size or not hmac.compare_digest(mac, _frame_mac(nonce, sequence, payload)):
        raise StashDamaged(_("The import's checked rows are damaged: check the file again."))
    return _StashUnpickler(io.BytesIO(payload)).load()


def stashed_chunks(imp: MemberImport, today: datetime.date) -> tuple[Iterator[list], int] | None:
    """The chunks the check kept for this import and the check's watermark (see `_Stash`), or None
    when there are none that still hold."""
    if not imp.upload.name:
        return None
    try:
        handle = stash_path(imp.upload.name).open("rb")
    except FileNotFoundError:
        return None
    try:
        header = _read_frame(handle, "", 0)
    except (StashDamaged, pickle.UnpicklingError, EOFError, ValueError):
        header = None
    if not isinstance(header, dict) or header.get("fingerprint") != _stash_fingerprint(imp, today):
        handle.close()
        return None

    def chunks() -> Iterator[list]:
        sequence, count = 1, 0
        with handle:
            while (chunk := _read_frame(handle, header["nonce"], sequence)) is not None:
                sequence += 1
                count += len(chunk)
                yield chunk
        if count != imp.row_count:
            raise StashDamaged(_("The import's checked rows are damaged: check the file again."))

    return chunks(), header["watermark"]


def stash_holds(imp: MemberImport) -> bool:
    """Whether the commit can take its rows from what the check kept, without reading the file again."""
    if not imp.upload.name:
        return False
    try:
        with stash_path(imp.upload.name).open("rb") as handle:
            header = _read_frame(handle, "", 0)
    except (OSError, StashDamaged, pickle.UnpicklingError, EOFError, ValueError):
        return False
    return isinstance(header, dict) and header.get("fingerprint") == _stash_fingerprint(imp, timezone.localdate())


MATCHES_SINCE_CHECK_MAX = 100_000


def matches_since(watermark: int, visible) -> tuple[set, set] | None:
    """(name key, phone) and (name key, birth date) of the people registered since the check that the
    importer may see, or None when so many were that looking in the whole register again is cheaper."""
    since = visible.filter(pk__gt=watermark).order_by()
    if since.count() > MATCHES_SINCE_CHECK_MAX:
        return None
    same_phone, same_birth = set(), set()
    for key, phone, birth in since.values_list("name_key", "phone", "birth_date"):
        if phone:
            same_phone.add((key, phone))
        if birth:
            same_birth.add((key, birth))
    return same_phone, same_birth


def unstash_row(rules: Rules, item: tuple) -> RowResult:
    """A row as the check derived it; the rights to write to an association named in the file are
    looked at again."""
    number, person, person_hash, enterprise, association_id, association_key, membership, matched = item
    r = RowResult(
        number,
        person=person,
        person_hash=person_hash,
        enterprise=enterprise,
        association_id=association_id,
        association_key=association_key,
        membership=membership,
        matched_at_check=matched,
    )
    if association_key and rules.associations.get(association_key) != association_id:
        r.add("unknown_association", value=association_key[:50])
    return r
