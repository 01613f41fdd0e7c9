"""The roster CSV parser: tables, no database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.classrooms.roster_csv import MAX_BYTES, MAX_ROWS, RosterParse, RosterRow, RowError, delimiter_of, parse_roster

BOM = "\ufeff".encode()


def rows(parse: RosterParse) -> list[tuple[int, str, str]]:
    return [(r.row, r.email, r.name) for r in parse.rows]


def errors(parse: RosterParse) -> list[tuple[int | None, str]]:
    return [(e.row, e.message) for e in parse.errors]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"ada@example.com,Ada Lovelace\r\nbob@example.com,Bob\r\n",
            [(1, "ada@example.com", "Ada Lovelace"), (2, "bob@example.com", "Bob")],
        ),
        (b"email,name\nada@example.com,Ada\n", [(2, "ada@example.com", "Ada")]),
        (b"Name,E-mail\nAda,ada@example.com\n", [(2, "ada@example.com", "Ada")]),  # either order, any case
        (b"FULL NAME;Mail\nAda;ada@example.com\n", [(2, "ada@example.com", "Ada")]),
        (BOM + "E-mail;Nom complet;Name\r\nzoe@bücher.de;x;Zoé Étoile\r\n".encode(), [(2, "zoe@bücher.de", "Zoé Étoile")]),
        (BOM + b"email;name\r\nada@example.com;Lovelace, Ada\r\n", [(2, "ada@example.com", "Lovelace, Ada")]),  # Excel, European locale
        (b'ada@example.com,"Lovelace, Ada"\n', [(1, "ada@example.com", "Lovelace, Ada")]),  # quoted comma
        (b'"ada@example.com";"Ada ""the first"" L"\n', [(1, "ada@example.com", 'Ada "the first" L')]),  # quoted quote
        (b"  ADA@Example.COM  ,  Ada  \n", [(1, "ada@example.com", "Ada")]),  # lower-cased, stripped
        (b"ada@example.com\n", [(1, "ada@example.com", "")]),  # no name
        (b"\n\nada@example.com,Ada\n\n,,\nbob@example.com,Bob\n", [(3, "ada@example.com", "Ada"), (6, "bob@example.com", "Bob")]),
        (
            b'ada@example.com,"Ada\nLovelace"\nbob@example.com,Bob\n',
            [(1, "ada@example.com", "Ada Lovelace"), (2, "bob@example.com", "Bob")],
        ),
        (b"email\rada@example.com\r", [(2, "ada@example.com", "")]),  # old Mac line ends
        (b"email,name,group\nada@example.com,Ada,A\n", [(2, "ada@example.com", "Ada")]),  # other columns ignored
        (b"mailto:ada@example.com,Ada\n", [(1, "ada@example.com", "Ada")]),
    ],
)
def test_reads_the_rows_spreadsheets_write(data, expected):
    parse = parse_roster(data)
    assert errors(parse) == []
    assert rows(parse) == expected
    assert parse.ok


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"email,name\nada@example.com,Ada\nnot-an-address,Bob\n", [(3, "“not-an-address” is not an email address.")]),
        (b"email,name\n,Nobody\nada@example.com,Ada\n", [(2, "No email address.")]),
        (b"ada@example.com,Ada\nbob@example\n", [(2, "“bob@example” is not an email address.")]),
        (b"ada@example.com,Ada\nbob@example.com\nADA@example.com,Ada again\n", [(3, "Row 3 repeats row 1 (ada@example.com).")]),
        (b"a b@example.com\n", [(1, "“a b@example.com” is not an email address.")]),
        (
            "zoé@example.fr\n".encode(),
            [(1, "“zoé@example.fr” is not an email address.")],
        ),  # as Django's EmailValidator: an ASCII local part
        (b"ada@example.com," + b"x" * 201 + b"\n", [(1, "The name is longer than 200 characters.")]),
        (b"name,group\nAda,A\n", [(1, "This header row has no email column: name it “email”.")]),
        (b"", [(None, "The file is empty: one learner a line, their email then their name.")]),
        (b"\r\n ; \r\n", [(None, "The file is empty: one learner a line, their email then their name.")]),
        (b"email;name\r\n", [(None, "The file has a header but no learners.")]),
    ],
)
def test_each_bad_row_is_named_by_its_row_number(data, expected):
    parse = parse_roster(data)
    assert errors(parse) == expected
    assert not parse.ok


def test_every_bad_row_is_reported_not_only_the_first():
    parse = parse_roster(b"email\nada@example.com\nx\n\ny@\nada@example.com\nbob@example.com\n")
    assert [e.row for e in parse.errors] == [3, 5, 6]
    assert rows(parse) == [(2, "ada@example.com", ""), (7, "bob@example.com", "")]


def test_a_file_that_is_not_utf8_gets_one_clear_error():
    parse = parse_roster("email;name\nzoé@example.fr;Zoé\n".encode("cp1252"))
    assert parse.rows == ()
    assert len(parse.errors) == 1 and parse.errors[0].row is None
    assert "not UTF-8" in parse.errors[0].message and "CSV UTF-8" in parse.errors[0].message


def test_limits_are_stated_in_the_message():
    too_big = parse_roster(b"a" * (MAX_BYTES + 1))
    assert errors(too_big) == [(None, "The file is larger than 1 MB: split it into several files.")]
    many = b"".join(f"learner{i}@example.com\n".encode() for i in range(MAX_ROWS + 1))
    parse = parse_roster(many)
    assert parse.errors == (RowError(row=MAX_ROWS + 1, message="The file has more than 2,000 learners: split it into several files."),)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a@b.co,Ada\n", ","),
        ("a@b.co;Ada\n", ";"),
        ('a@b.co;"Lovelace, Ada"\n', ";"),
        ('a@b.co,"Ada; the first"\n', ","),
        ("\n\na@b.co;Ada\nb@b.co,Bob,,\n", ";"),  # the first line with content decides
        ("a@b.co\n", ","),
    ],
)
def test_the_delimiter_is_read_off_the_first_line(text, delimiter):
    assert delimiter_of(text) == delimiter


def test_rows_are_values():
    assert parse_roster(b"ada@example.com,Ada\n").rows == (RosterRow(row=1, email="ada@example.com", name="Ada"),)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_a_parse_never_an_exception(data):
    parse = parse_roster(data)
    assert isinstance(parse, RosterParse)
    assert all(r.email and r.email == r.email.lower() for r in parse.rows)
    assert len({r.email for r in parse.rows}) == len(parse.rows)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["ada@example.com", "Ada", "email", '"', ";", ",", "\n", "\r", " ", "é", "x@y", "\x00"]), max_size=8),
        max_size=8,
    )
)
def test_any_csv_like_text_gives_a_parse_never_an_exception(pieces):
    text = "\n".join("".join(line) for line in pieces)
    parse = parse_roster(text.encode())
    assert isinstance(parse, RosterParse)
    assert all(r.row >= 1 for r in parse.rows)
    assert all(e.row is None or e.row >= 1 for e in parse.errors)
