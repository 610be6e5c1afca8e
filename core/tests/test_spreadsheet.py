from decimal import Decimal

import pytest

from core.spreadsheet import spreadsheet_cell, spreadsheet_unescape


@pytest.mark.parametrize(
    "value, safe",
    [
        ('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")'),
        ("=1+1", "'=1+1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Bell\x07 and \x1b[31mred\x00", "Bell and [31mred"),
        ("Next\x85line and \x9b31m", "Nextline and 31m"),  # C1 controls too
        ("\x01=1+1", "'=1+1"),  # a control character cannot hide a formula
        ("Line one\nline two", "Line one\nline two"),
        ("-3", "-3"), ("+4.50", "+4.50"), ("-1e3", "-1e3"),  # plain numbers stay numbers
        ("Kente shirt", "Kente shirt"), ("", ""),
        (12, 12), (Decimal("-3.50"), Decimal("-3.50")), (None, None),
    ],
)
def test_spreadsheet_cell_escapes_formulae_and_drops_control_characters(value, safe):
    assert spreadsheet_cell(value) == safe


@pytest.mark.parametrize("text", ["=1+1", "@SUM(1)", "+x", "-x", "'quoted", "Kente", "'"])
def test_what_is_escaped_reads_back_as_it_was(text):
    assert spreadsheet_unescape(spreadsheet_cell(text)) == text
