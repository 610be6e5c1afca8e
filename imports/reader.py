"""Read a catalogue file into rows: CSV (UTF-8 with or without BOM, comma or semicolon, quoted
newlines) or XLSX. Row numbers are the spreadsheet's: the header is row 1.

Cells are read whole, however long (the upload size bounds them), so that a cell over a column's
bound is reported as row, column and reason by the checks (``cells``), not as a parser failure;
a cell the exports escaped (``'=1+1``, see ``core.spreadsheet``) is read back as it was.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from core.spreadsheet import spreadsheet_unescape
from imports.columns import KNOWN_COLUMNS, REQUIRED_COLUMNS

# The csv module stops at 128 KB a field (and the import stayed "Checking" on its error). The
# uploads are bounded as a whole, so a field may be as long as the largest file allowed.
CSV_FIELD_LIMIT = 256 * 1024 * 1024
if csv.field_size_limit() < CSV_FIELD_LIMIT:
    csv.field_size_limit(CSV_FIELD_LIMIT)
XLSX_COLUMNS = 64  # the format has 14; anything further right is not read


class FileError(ValueError):
    """The file as a whole cannot be imported (encoding, missing columns, ...)."""


@dataclass
class ImportFile:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]
    unknown_columns: list[str]


def _normalise_header(name) -> str:
    return str(name or "").strip().lstrip("\ufeff").lower().replace(" ", "_")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” (or as .xlsx) and upload again."
        ) from None


def _csv_rows(text: str) -> Iterator[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_unpacked_check(raw: bytes) -> None:
    """Refuse a workbook that unpacks to more than ``CATALOG_IMPORT_XLSX_UNPACKED_MAX_BYTES``
    before anything is unpacked: an XLSX is a zip, and a few hundred KB of it can unpack to
    gigabytes (a decompression bomb) that would hold a process for minutes. The sizes are
    the zip directory's, and Python's zip reader never unpacks more than they declare."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise FileError("This .xlsx file could not be read (it is not a workbook).") from None
    most = settings.CATALOG_IMPORT_XLSX_UNPACKED_MAX_BYTES
    if unpacked > most:
        raise FileError(
            f"This .xlsx file unpacks to {unpacked / 1e6:,.0f} MB, more than the "
            f"{most / 1e6:,.0f} MB a catalogue workbook may: it is not an ordinary catalogue. "
            "Save it as CSV, or split it into smaller files."
        )


def _xlsx_rows(raw: bytes, *, bounded: bool) -> Iterator[list[str]]:
    """The first sheet's rows, read one at a time (so the row limit stops a huge sheet early),
    at most XLSX_COLUMNS wide. ``bounded`` (the admin's and the worker's imports, not the
    operator's command, which reads any size): the unpacked size is checked first."""
    import openpyxl

    if bounded:
        _xlsx_unpacked_check(raw)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileError(f"This .xlsx file could not be read ({exc.__class__.__name__}).") from None
    try:
        for values in book.active.iter_rows(values_only=True, max_col=XLSX_COLUMNS):
            yield ["" if v is None else str(v) for v in values]
    except Exception as exc:  # damaged sheet XML, found while reading it
        raise FileError(f"This .xlsx file could not be read ({exc.__class__.__name__}).") from None
    finally:
        book.close()


def read_import_file(raw: bytes, *, filename: str, max_rows: int | None = None) -> ImportFile:
    """The file's rows (blank ones left out). More than ``max_rows`` rows, an unreadable file
    or a malformed CSV record is a ``FileError`` saying where."""
    try:
        return _read(raw, filename=filename, max_rows=max_rows)
    except csv.Error as exc:
        raise FileError(f"The file could not be read as CSV ({exc}).") from None


def _read(raw: bytes, *, filename: str, max_rows: int | None) -> ImportFile:
    if filename.lower().endswith(".xlsx"):
        records = _xlsx_rows(raw, bounded=max_rows is not None)
    else:
        records = _csv_rows(_decode(raw))
    try:
        header = next(records)
    except StopIteration:
        raise FileError("The file is empty.") from None
    headers = [_normalise_header(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise FileError(
            f"Missing column(s): {', '.join(missing)}. Download the template to see the format."
        )
    rows = []
    for index, values in enumerate(records, start=2):
        if max_rows is not None and index - 1 > 2 * max_rows:
            # Blank rows count too, or a sheet of millions of empty rows would be read whole.
            raise FileError(
                f"The file has more than {2 * max_rows:,} rows, blank ones included. Remove "
                "the empty rows, or split it into smaller files."
            )
        if not any(str(v).strip() for v in values):
            continue  # blank lines between products are fine
        # Blank cells are left out (most of a product's later rows are blank): a missing
        # column reads as blank, and 100k rows stay small in memory.
        row = {
            h: spreadsheet_unescape(cell)
            for h, v in zip(headers, values, strict=False)
            if h and (cell := str(v).strip())
        }
        if max_rows is not None and len(rows) >= max_rows:
            raise FileError(
                f"The file has more than {max_rows:,} rows. Split it into smaller files, or "
                "import it with manage.py import_products."
            )
        rows.append((index, row))
    unknown = [h for h in headers if h and h not in KNOWN_COLUMNS]
    return ImportFile(headers=headers, rows=rows, unknown_columns=unknown)
