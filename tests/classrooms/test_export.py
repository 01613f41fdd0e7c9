"""CSV for spreadsheets: BOM, CRLF, and no formula a spreadsheet would run."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from studyapp.classrooms.export import BOM, csv_text, safe_cell


def test_the_document_starts_with_a_bom_and_ends_rows_with_crlf():
    text = csv_text([("Name", "Reviews"), ("Zoë", 3)])
    assert text.startswith(BOM) and text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text.removeprefix(BOM)))) == [["Name", "Reviews"], ["Zoë", "3"]]


def test_cells_that_a_spreadsheet_would_run_stay_text():
    for cell in ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]:
        assert safe_cell(cell) == "'" + cell
    assert safe_cell("Ada") == "Ada" and safe_cell(None) == ""
    assert safe_cell(-5) == "-5"  # a number is not a formula


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), max_size=5))
def test_any_text_round_trips_and_no_cell_starts_a_formula(rows):
    text = csv_text(rows)
    back = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))
    assert len(back) == len(rows)
    for original, read in zip(rows, back, strict=True):
        for cell, got in zip(original, read, strict=True):
            assert not got.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert got.removeprefix("'") == cell or got == cell
