"""Crafted XLSX files that are small as uploads and huge once unpacked, for the import's bounds
(imports.reader): each is a valid workbook (a zip of deflated parts, CRCs right) with the
catalogue's header row, built in a second or two whatever its unpacked size, never holding it
in memory. Deflate packs at most about 1,000:1, so a gigabyte unpacked is a megabyte packed."""

import struct
import zlib

from imports.columns import REQUIRED_COLUMNS

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Products" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
MB = 1024 * 1024

Pieces = list[tuple[bytes, int]]  # (bytes, how many times), in order


def _deflated(pieces: Pieces) -> tuple[bytes, int, int]:
    """Raw deflate of ``pieces`` (compressed, CRC-32, unpacked size), fast whatever the
    unpacked size: each piece is compressed once and ends in a full flush, which resets the
    compressor, so every repetition of it compresses to the same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for data, count in pieces:
        once = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        if count > 1:
            again = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
            assert again == once  # a full flush forgets the history
        out.append(once * count)
        for _ in range(count):
            crc = zlib.crc32(data, crc)
        size += len(data) * count
    out.append(compressor.flush(zlib.Z_FINISH))
    return b"".join(out), crc, size


def _zip(parts: dict[str, Pieces]) -> bytes:
    """A zip of deflated ``parts`` (none past 4 GB), written by hand from ``_deflated``."""
    local, central, offset = [], [], 0
    for name, pieces in parts.items():
        data, crc, size = _deflated(pieces)
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(data), size)
        header = b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded
        local.append(header + data)
        central.append(
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset)
            + encoded
        )
        offset += len(header) + len(data)
    directory = b"".join(central)
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(parts), len(parts), len(directory), offset, 0
    )
    return b"".join(local) + directory + end


def workbook(sheet: Pieces, shared_strings: Pieces = ()) -> bytes:
    """A valid workbook whose first sheet is the catalogue's header row, then ``sheet``."""
    return _zip(
        {
            "[Content_Types].xml": [(CONTENT_TYPES, 1)],
            "_rels/.rels": [(ROOT_RELS, 1)],
            "xl/workbook.xml": [(WORKBOOK, 1)],
            "xl/_rels/workbook.xml.rels": [(WORKBOOK_RELS, 1)],
            "xl/sharedStrings.xml": [
                (
                    b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
                    b'.org/spreadsheetml/2006/main">',
                    1,
                ),
                *shared_strings,
                (b"</sst>", 1),
            ],
            "xl/worksheets/sheet1.xml": [(SHEET_HEAD + HEADER_ROW, 1), *sheet, (SHEET_TAIL, 1)],
        }
    )


def _inline(text: str) -> bytes:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'.encode()


HEADER_ROW = b"<row>" + b"".join(_inline(name) for name in REQUIRED_COLUMNS) + b"</row>"
BLANKS = b" " * MB


def sheet_bomb(megabytes: int = 1100) -> bytes:
    """The header, then ``megabytes`` MB of whitespace inside the sheet (valid XML): about
    1 KB packed per MB unpacked (deflate's best), so 1.1 MB unpacking to 1.1 GB."""
    return workbook([(BLANKS, megabytes)])


def many_rows(rows: int = 3_000_000) -> bytes:
    """The header, then ``rows`` rows of one number each (not blank): three million rows,
    about 100 MB unpacked (within the unpacked bound) and a few hundred KB packed."""
    row = b'<row><c t="n"><v>1</v></c></row>'
    per_block = 262_144
    return workbook([(row * per_block, rows // per_block), (row * (rows % per_block), 1)])


def shared_strings_bomb(megabytes: int = 190) -> bytes:
    """A table of texts of millions of one-letter strings (within the unpacked bound): a
    reader that loads the table whole holds millions of Python strings."""
    entry = b"<si><t>a</t></si>"
    return workbook([], shared_strings=[(entry * (MB // len(entry)), megabytes)])


def huge_cell(megabytes: int = 190) -> bytes:
    """One cell of ``megabytes`` MB of letters (within the unpacked bound)."""
    return workbook(
        [(b'<row><c t="inlineStr"><is><t>', 1), (b"x" * MB, megabytes), (b"</t></is></c></row>", 1)]
    )
