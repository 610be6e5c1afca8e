"""Cells that are safe to open in a spreadsheet: the one rule every CSV/XLSX export follows.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` in a product name becomes a live
link in whoever opens the export). Such text is written with a leading apostrophe, the
spreadsheet's own "this is text" mark (OWASP's advice for CSV injection); plain numbers such
as ``-3`` are left alone. Control characters (which the XLSX format cannot hold, and which no
one types on purpose) are dropped. The catalogue import reads the apostrophe back off, so an
export imports again unchanged.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE_MARK = "'"
# C0 controls except tab, newline and carriage return, DEL and the C1 controls: the XLSX format
# refuses the C0 ones (openpyxl's ILLEGAL_CHARACTERS_RE); the others are invisible noise.
CONTROL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PLAIN_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_cell(value):
    """``value`` as it may go into a CSV or XLSX cell: text without control characters and
    with formulae escaped; anything that is not text (numbers, dates, None) unchanged."""
    if not isinstance(value, str):
        return value
    text = CONTROL_CHARACTERS_RE.sub("", value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER_RE.fullmatch(text):
        return ESCAPE_MARK + text
    return text


def spreadsheet_unescape(text: str) -> str:
    """What ``spreadsheet_cell`` escaped, read back: ``'=1+1`` -> ``=1+1``. Other text
    (an apostrophe before anything else included) is returned as it is."""
    if text.startswith(ESCAPE_MARK) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
