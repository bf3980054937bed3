"""One embedded font instead of one per part: the subsets of a font that the bound parts carry, merged.

Each part of a compilation is a PDF of its own, so each embeds its own subset of the Chinese font (about
60 kB each: a hundred reports would weigh ten times what one document laid out whole does). WeasyPrint
subsets fonts keeping the glyph ids of the original font (HarfBuzz's and fontTools' "retain gids"), and
draws text by glyph id (Identity-H, CIDToGIDMap /Identity): every part's text is drawn right by any font
program that holds the glyphs it uses at the same ids. So the subsets of one font (the same name under
the six-letter subset tag) are merged, glyph by glyph, into one TrueType program that every part's font
dictionary then points at; the parts' own widths and ToUnicode maps are left as they are.

Merging never guesses: a group is left as it was when its subsets disagree about any glyph they share
(two different fonts under one name), have different units per em, or are not plain TrueType (glyf).
"""

import struct

# The tables a TrueType program embedded in a PDF needs (ISO 32000 9.9); per-glyph tables that are
# not rebuilt here (hdmx, LTSH, VDMX, vmtx, kern, ...) are left out rather than left wrong.
KEPT_TABLES = (b"OS/2", b"cmap", b"cvt ", b"fpgm", b"gasp", b"head", b"hhea", b"name", b"prep")


class _Font:
    """The tables of a TrueType program, and its glyphs' outlines and metrics by glyph id."""

    def __init__(self, data: bytes):
        if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
            raise ValueError("not a TrueType program")
        count = struct.unpack(">H", data[4:6])[0]
        self.tables: dict[bytes, bytes] = {}
        for n in range(count):
            tag, _checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * n : 28 + 16 * n])
            self.tables[tag] = data[offset : offset + length]
        head, maxp, hhea = self.tables[b"head"], self.tables[b"maxp"], self.tables[b"hhea"]
        self.units_per_em = struct.unpack(">H", head[18:20])[0]
        self.glyph_count = struct.unpack(">H", maxp[4:6])[0]
        long_loca = struct.unpack(">h", head[50:52])[0] == 1
        loca = self.tables[b"loca"]
        self.offsets = struct.unpack(
            f">{self.glyph_count + 1}{'I' if long_loca else 'H'}",
            loca[: (4 if long_loca else 2) * (self.glyph_count + 1)],
        )
        self.loca_scale = 1 if long_loca else 2
        self.glyf = self.tables[b"glyf"]
        metrics = struct.unpack(">H", hhea[34:36])[0]
        hmtx = self.tables[b"hmtx"]
        self.advances = struct.unpack(f">{2 * metrics}H", hmtx[: 4 * metrics])[0::2]
        self.bearings = list(struct.unpack(f">{2 * metrics}h", hmtx[: 4 * metrics])[1::2])
        rest = self.glyph_count - metrics
        self.bearings += struct.unpack(f">{rest}h", hmtx[4 * metrics : 4 * metrics + 2 * rest])

    def glyph(self, gid: int) -> bytes:
        if gid >= self.glyph_count:
            return b""
        return self.glyf[self.offsets[gid] * self.loca_scale : self.offsets[gid + 1] * self.loca_scale]

    def metric(self, gid: int) -> tuple[int, int]:
        advance = self.advances[min(gid, len(self.advances) - 1)]
        return advance, self.bearings[gid]

    def components(self, data: bytes) -> list[int]:
        """Where in a composite glyph's data its components' glyph ids are (none for a simple glyph)."""
        at_ids = []
        if len(data) >= 10 and struct.unpack(">h", data[:2])[0] < 0:
            at = 10
            while True:
                flags = struct.unpack(">H", data[at : at + 2])[0]
                at_ids.append(at + 2)
                at += 4 + (4 if flags & 0x0001 else 2)  # ARG_1_AND_2_ARE_WORDS
                at += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0
                if not flags & 0x0020:  # MORE_COMPONENTS
                    break
        return at_ids


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _program(tables: dict[bytes, bytes]) -> bytes:
    """A TrueType program from its tables, with its directory and checksums."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
    offset = 12 + 16 * count
    directory, body = [], []
    head_at = None
    for tag in tags:
        data = tables[tag]
        if tag == b"head":
            data = data[:8] + b"\0\0\0\0" + data[12:]  # checkSumAdjustment, set below
            head_at = offset
        directory.append(struct.pack(">4sIII", tag, _checksum(data), offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(directory) + b"".join(body))
    if head_at is not None:
        adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
        font[head_at + 8 : head_at + 12] = struct.pack(">I", adjustment)
    return bytes(font)


def merge(programs: list[tuple[bytes, set[int]]]) -> bytes | None:
    """One TrueType program holding every glyph that each (program, glyph ids drawn) draws, at the same
    ids; None when they cannot be merged safely.

    WeasyPrint's subsets keep every id up to the largest drawn; the glyphs that composite glyphs are made
    of and that lie beyond it are renumbered in each subset after it. Those are placed after all the kept
    ids here (once each, by content), and the composites that use them pointed at their new ids."""
    fonts = []
    for data, used in programs:
        try:
            font = _Font(data)
        except (ValueError, KeyError, IndexError, struct.error):
            return None
        fonts.append((font, {gid for gid in used if gid < font.glyph_count}))
    if len({font.units_per_em for font, _used in fonts}) != 1:
        return None
    glyphs: dict[int, bytes] = {}
    metrics: dict[int, tuple[int, int]] = {}
    kept_below = max((max(used, default=0) for _font, used in fonts), default=0) + 1
    moved: dict[bytes, int] = {}  # glyph data -> its id here, for the glyphs placed after the kept ids

    class Conflict(Exception):
        pass

    for font, used in fonts:
        top = max(used, default=0)
        placed: dict[int, int] = {}

        def place(gid: int, font=font, top=top, placed=placed) -> int:
            """The id here of the subset's glyph `gid`, placing it (and its components) first."""
            if gid in placed:
                return placed[gid]
            data = font.glyph(gid)
            at_ids = font.components(data)
            if at_ids:
                data = bytearray(data)
                for at in at_ids:
                    data[at : at + 2] = struct.pack(">H", place(struct.unpack(">H", data[at : at + 2])[0]))
                data = bytes(data)
            if gid <= top:
                new = gid
                if glyphs.get(new) and data and glyphs[new] != data:
                    raise Conflict  # two different fonts under one name
                if data or new not in glyphs:
                    glyphs[new], metrics[new] = data, font.metric(gid)
            else:
                new = moved.get(data)
                if new is None:
                    new = moved[data] = kept_below + len(moved)
                    glyphs[new], metrics[new] = data, font.metric(gid)
            placed[gid] = new
            return new

        try:
            for gid in sorted(used | {0}):
                place(gid)
        except (Conflict, IndexError, struct.error):
            return None
    count = kept_below + len(moved)
    if count > 0xFFFF:
        return None
    base = max((font for font, _used in fonts), key=lambda font: font.glyph_count)
    glyf, loca = bytearray(), []
    advances, bearings = [], []
    for gid in range(count):
        loca.append(len(glyf))
        data = glyphs.get(gid, b"")
        glyf += data + b"\0" * (-len(data) % 4)
        advance, bearing = metrics.get(gid, (0, 0))
        advances.append(advance)
        bearings.append(bearing)
    loca.append(len(glyf))
    tables = {tag: base.tables[tag] for tag in KEPT_TABLES if tag in base.tables}
    head = bytearray(tables[b"head"])
    head[50:52] = struct.pack(">h", 1)  # long offsets in loca
    tables[b"head"] = bytes(head)
    hhea = bytearray(tables[b"hhea"])
    hhea[10:12] = struct.pack(">H", max(advances))  # advanceWidthMax
    hhea[34:36] = struct.pack(">H", count)  # numberOfHMetrics: every glyph its own
    tables[b"hhea"] = bytes(hhea)
    maxp = bytearray(max((font.tables[b"maxp"] for font, _used in fonts), key=len))
    if len(maxp) >= 32:  # version 1.0: each limit the largest of the merged programs'
        limits = [
            max(
                struct.unpack(">H", font.tables[b"maxp"][at : at + 2])[0]
                for font, _used in fonts
                if len(font.tables[b"maxp"]) >= 32
            )
            for at in range(6, 32, 2)
        ]
        maxp[6:32] = struct.pack(">13H", *limits)
    maxp[4:6] = struct.pack(">H", count)
    tables[b"maxp"] = bytes(maxp)
    tables[b"loca"] = struct.pack(f">{count + 1}I", *loca)
    tables[b"glyf"] = bytes(glyf)
    tables[b"hmtx"] = b"".join(struct.pack(">Hh", a, b) for a, b in zip(advances, bearings, strict=True))
    # post: version 3 (no glyph names), the rest of its header as the base had it.
    post = base.tables.get(b"post", b"\0" * 32)[:32].ljust(32, b"\0")
    tables[b"post"] = struct.pack(">I", 0x00030000) + post[4:]
    return _program(tables)


def _widths_gids(widths) -> set[int]:
    """The glyph ids a CIDFont's /W array gives widths for: `c [w1 w2 ...]` and `c_first c_last w`."""
    gids: set[int] = set()
    items = list(widths or [])
    at = 0
    while at < len(items):
        first = int(items[at])
        following = items[at + 1].get_object() if at + 1 < len(items) else None
        if isinstance(following, list):
            gids.update(range(first, first + len(following)))
            at += 2
        else:
            gids.update(range(first, int(following) + 1))
            at += 3
    return gids


def merge_in(writer) -> int:
    """Merge, in a pypdf writer, the embedded subsets of each font its pages use. Returns how many font
    programs were replaced."""
    from pypdf.generic import DecodedStreamObject, IndirectObject, NameObject, NumberObject

    groups: dict[str, dict[int, dict]] = {}  # font name -> FontFile2 object id -> {stream, descriptors, gids}
    seen: set[int] = set()

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        fonts = resources.get("/Font")
        for font in (fonts.get_object() if fonts is not None else {}).values():
            if isinstance(font, IndirectObject):
                if font.idnum in seen:
                    continue
                seen.add(font.idnum)
            font = font.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            cid = font["/DescendantFonts"][0].get_object()
            if cid.get("/Subtype") != "/CIDFontType2" or cid.get("/CIDToGIDMap") != "/Identity":
                continue
            descriptor = cid["/FontDescriptor"].get_object()
            program = descriptor.raw_get("/FontFile2") if "/FontFile2" in descriptor else None
            if not isinstance(program, IndirectObject):
                continue
            name = str(descriptor["/FontName"]).lstrip("/")
            name = name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name
            entry = groups.setdefault(name, {}).setdefault(
                program.idnum, {"stream": program.get_object(), "descriptors": [], "gids": set()}
            )
            entry["descriptors"].append(descriptor)
            entry["gids"] |= _widths_gids(cid.get("/W"))
        xobjects = resources.get("/XObject")
        for xobject in (xobjects.get_object() if xobjects is not None else {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in writer.pages:
        visit(page.get("/Resources"))
    replaced = 0
    for entries in groups.values():
        if len(entries) < 2:
            continue
        merged = merge([(entry["stream"].get_data(), entry["gids"]) for entry in entries.values()])
        if merged is None:
            continue
        stream = DecodedStreamObject()
        stream.set_data(merged)
        stream = stream.flate_encode()
        stream[NameObject("/Length1")] = NumberObject(len(merged))
        reference = writer._add_object(stream)
        for idnum, entry in entries.items():
            for descriptor in entry["descriptors"]:
                descriptor[NameObject("/FontFile2")] = reference
            writer._objects[idnum - 1] = None  # nothing points at the subset any more: not written
            replaced += 1
    return replaced
