"""Read a catalogue file into rows: CSV (UTF-8 with or without BOM, comma or semicolon, quoted
newlines) or XLSX. Row numbers are the spreadsheet's: the header is row 1.

Cells are read whole, however long (the upload size bounds them), so that a cell over a column's
bound is reported as row, column and reason by the checks (``cells``), not as a parser failure;
a cell the exports escaped (``'=1+1``, see ``core.spreadsheet``) is read back as it was.
"""

import csv
import io
import xml.parsers.expat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from core.spreadsheet import spreadsheet_unescape
from imports.columns import KNOWN_COLUMNS, REQUIRED_COLUMNS

# The csv module stops at 128 KB a field (and the import stayed "Checking" on its error). The
# uploads are bounded as a whole, so a field may be as long as the largest file allowed.
CSV_FIELD_LIMIT = 256 * 1024 * 1024
if csv.field_size_limit() < CSV_FIELD_LIMIT:
    csv.field_size_limit(CSV_FIELD_LIMIT)
XLSX_COLUMNS = 64  # the format has 14; anything further right is not read
# Parts of a workbook openpyxl reads whole (_xlsx_unpacked_check): the shared-strings table
# (every text cell of the sheet, once each) and the rest but the worksheets (styles, theme ...).
XLSX_STRINGS_MAX_BYTES = 24 * 1024 * 1024
XLSX_PART_MAX_BYTES = 4 * 1024 * 1024
# One text in a worksheet or the table of texts (_xlsx_scan): 100 times the longest column
# bound, so an over-long cell is still reported by the checks, by its column's bound.
XLSX_TEXT_MAX_CHARS = 1024 * 1024


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
    """Refuse a workbook that unpacks too large, before anything is unpacked: an XLSX is a zip,
    and a few hundred KB of it can unpack to gigabytes (a decompression bomb). The sizes are
    the zip directory's, and Python's zip reader never unpacks more than they declare.

    - in all, at most ``CATALOG_IMPORT_XLSX_UNPACKED_MAX_BYTES``;
    - the shared-strings table (read whole into memory) at most ``XLSX_STRINGS_MAX_BYTES``;
    - every other part but the worksheets (the workbook, styles, theme ... parsed whole) at most
      ``XLSX_PART_MAX_BYTES``. Worksheets are streamed row by row and stop at the row bound."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = [(entry.filename, entry.file_size) for entry in archive.infolist()]
    except (zipfile.BadZipFile, ValueError):
        raise FileError("This .xlsx file could not be read (it is not a workbook).") from None
    unpacked = sum(size for _, size in entries)
    most = settings.CATALOG_IMPORT_XLSX_UNPACKED_MAX_BYTES
    if unpacked > most:
        raise FileError(
            f"This .xlsx file unpacks to {unpacked / 1e6:,.0f} MB, more than the "
            f"{most / 1e6:,.0f} MB a catalogue workbook may: it is not an ordinary catalogue. "
            "Save it as CSV, or split it into smaller files."
        )
    for name, size in entries:
        if name.lower().startswith("xl/worksheets/"):
            continue
        strings = name.lower().endswith("sharedstrings.xml")
        bound = XLSX_STRINGS_MAX_BYTES if strings else XLSX_PART_MAX_BYTES
        if size > bound:
            what = "its table of texts" if strings else f"its part {name[:80]}"
            raise FileError(
                f"This .xlsx file is not an ordinary catalogue: {what} unpacks to "
                f"{size / 1e6:,.1f} MB, more than the {bound / 1e6:,.0f} MB allowed. Save it as "
                "CSV, or split it into smaller files."
            )


class _ScanStopped(Exception):
    pass


def _column_letters(reference: str, index: int) -> str:
    """The cell's column as the sheet names it (``r="C7"``), else from its place in the row."""
    letters = "".join(ch for ch in reference if ch.isalpha())[:3]
    while not letters and index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_scan(stream, *, row_limit: int | None) -> None:
    """One streaming pass over a worksheet or the table of texts (nothing kept): refuse a
    document type (entities), a text longer than ``XLSX_TEXT_MAX_CHARS`` (with its row and
    column) and, for a worksheet, more than ``row_limit`` rows, before openpyxl holds any of
    it in memory."""
    parser = xml.parsers.expat.ParserCreate()
    parser.buffer_text = True
    state = {"rows": 0, "row": 1, "cells": 0, "column": "", "text": 0, "problem": None}

    def stop(problem: str):
        state["problem"] = problem
        raise _ScanStopped

    def start(name, attributes):
        local = name.rpartition(":")[2]
        state["text"] = 0
        if local == "row":
            state["rows"] += 1
            state["row"] = attributes.get("r") or state["row"] + (state["rows"] > 1)
            state["column"], state["cells"] = "", 0
            if row_limit is not None and state["rows"] > row_limit:
                stop("rows")
        elif local == "c":
            state["cells"] += 1
            state["column"] = _column_letters(attributes.get("r", ""), state["cells"])

    def end(name):
        state["text"] = 0

    def text(data):
        state["text"] += len(data)
        if state["text"] > XLSX_TEXT_MAX_CHARS:
            stop("text")

    def doctype(*args):
        stop("doctype")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    try:
        while chunk := stream.read(256 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _ScanStopped:
        pass
    except xml.parsers.expat.ExpatError as exc:
        raise FileError(f"This .xlsx file could not be read (damaged XML: {exc}).") from None
    problem = state["problem"]
    if problem == "rows":
        raise FileError(
            f"The file has more than {row_limit - 1:,} rows, blank ones included. Remove "
            "the empty rows, or split it into smaller files."
        )
    if problem == "text":
        where = f"row {state['row']}" + (f", column {state['column']}" if state["column"] else "")
        raise FileError(
            f"Sheet {where}: a text longer than {XLSX_TEXT_MAX_CHARS:,} characters. No "
            "column takes that much: it is not an ordinary catalogue."
        )
    if problem == "doctype":
        raise FileError("This .xlsx file declares XML entities: it is not an ordinary workbook.")


def _xlsx_scan(raw: bytes, *, max_rows: int) -> None:
    """``_xml_scan`` over every worksheet and the table of texts."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            lowered = name.lower()
            if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
                row_limit = 2 * max_rows + 1  # the header, and blank rows count too
            elif lowered.endswith("sharedstrings.xml"):
                row_limit = None
            else:
                continue
            with archive.open(name) as stream:
                _xml_scan(stream, row_limit=row_limit)


class _SheetOfUnknownSize(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, without its size pass: a sheet that does not state its
    size up front (``<dimension>``, which Excel writes) is otherwise parsed whole when the
    workbook opens, before the first row is read, so the row bound could not stop it."""

    def _get_size(self) -> None:
        return None


class _BoundedExcelReader(ExcelReader):
    """openpyxl's reader, opening the worksheets as ``_SheetOfUnknownSize`` (read-only)."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _SheetOfUnknownSize(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def _workbook_open(raw: bytes, *, bounded: bool):
    if not bounded:
        import openpyxl

        return openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    reader = _BoundedExcelReader(io.BytesIO(raw), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _xlsx_rows(raw: bytes, *, max_rows: int | None) -> Iterator[list[str]]:
    """The first sheet's rows, read one at a time (so the row limit stops a huge sheet early),
    at most XLSX_COLUMNS wide. With ``max_rows`` (the admin's and the worker's imports, not
    the operator's command, which reads any size) the unpacked sizes are checked first, then
    the sheet is scanned for its row count and its longest text."""
    bounded = max_rows is not None
    if bounded:
        _xlsx_unpacked_check(raw)
        _xlsx_scan(raw, max_rows=max_rows)
    try:
        book = _workbook_open(raw, bounded=bounded)
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
        records = _xlsx_rows(raw, max_rows=max_rows)
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
