"""A class roster read from CSV, as spreadsheets write it. Pure: no Django imports.

:func:`parse_roster` takes the file's bytes and never raises: whatever it is given, it returns a
:class:`RosterParse` holding the rows it could read and an error for each one it could not, each
named by its row number as the spreadsheet shows it (1 is the first line, the header if there is
one; blank lines count, as they do in the spreadsheet). The importer refuses a file with any error,
so nothing is ever half-imported.

What it accepts: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"); a comma or a
semicolon between fields (Excel in European locales writes semicolons); quoted fields; an optional
header row (``email``/``e-mail``/``mail`` and ``name``/``full name``, any case, either order; other
columns ignored); without a header the columns are email, then name.
"""

import csv
import io
import re
from dataclasses import dataclass

MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
MAX_NAME = 200  # Invitation.name
MAX_EMAIL = 254  # EmailField

EMAIL_HEADERS = frozenset({"email", "e-mail", "mail", "email address", "e-mail address"})
NAME_HEADERS = frozenset({"name", "full name", "fullname", "full_name"})

# A pragmatic address check (the one Django's EmailValidator makes, simplified): a local part of
# the characters mail allows unquoted, an @, and a domain of dot-separated labels with a TLD.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+(?:[^\W\d_]{{2,63}}|xn--[a-z0-9-]{{1,59}})", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
EMPTY = "The file is empty: one learner a line, their email then their name."


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterRow:
    row: int  # 1-based, as the spreadsheet shows it
    email: str  # lower-cased, stripped
    name: str  # may be empty


@dataclass(frozen=True, slots=True, kw_only=True)
class RowError:
    row: int | None  # None: the file as a whole
    message: str
    email: str = ""  # the row's cells as read, to show beside the message
    name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterParse:
    rows: tuple[RosterRow, ...]
    errors: tuple[RowError, ...]
    header: bool = False  # the first row was a header

    @property
    def ok(self) -> bool:
        """Something to import and nothing wrong."""
        return bool(self.rows) and not self.errors


def _file_error(message: str) -> RosterParse:
    return RosterParse(rows=(), errors=(RowError(row=None, message=message),))


def is_email(value: str) -> bool:
    return len(value) <= MAX_EMAIL and _EMAIL.fullmatch(value) is not None


def delimiter_of(text: str) -> str:
    """``;`` when the first non-blank line has more semicolons than commas outside quotes, else ``,``."""
    counts = {",": 0, ";": 0}
    quoted = False
    started = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            if started:
                break
        elif not quoted and char in counts:
            counts[char] += 1
        if not char.isspace():
            started = True
    return ";" if counts[";"] > counts[","] else ","


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def parse_roster(data: bytes) -> RosterParse:
    """The roster in ``data`` (a CSV file's bytes): its rows and every problem, by row number."""
    if len(data) > MAX_BYTES:
        return _file_error(f"The file is larger than {MAX_BYTES // 1_000_000} MB: split it into several files.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _file_error("The file is not UTF-8 text: in Excel use 'CSV UTF-8', in LibreOffice choose the UTF-8 character set.")
    text = text.replace("\x00", "")  # a NUL is never meant; the csv module would keep it
    if not text.strip():
        return _file_error(EMPTY)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    email_at: int | None = 0
    name_at: int | None = 1
    header = False
    seen_content = False
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # e.g. a field over the csv module's size limit
            errors.append(RowError(row=number + 1, message=f"This row could not be read ({error})."))
            break
        number += 1
        cells = [_SPACES.sub(" ", cell).strip() for cell in record]
        if not any(cells):
            continue  # a blank line, or one of empty cells (";;")
        if not seen_content:
            seen_content = True
            labels = [cell.lower() for cell in cells]
            if any(label in EMAIL_HEADERS for label in labels):
                header = True
                email_at = next(i for i, label in enumerate(labels) if label in EMAIL_HEADERS)
                name_at = next((i for i, label in enumerate(labels) if label in NAME_HEADERS), None)
                continue
            if any(label in NAME_HEADERS for label in labels):
                errors.append(RowError(row=number, message="This header row has no email column: name it “email”."))
                break
        if len(rows) >= MAX_ROWS:
            errors.append(RowError(row=number, message=f"The file has more than {MAX_ROWS:,} learners: split it into several files."))
            break
        email = _cell(cells, email_at).lower()
        name = _cell(cells, name_at)
        if email.startswith("mailto:"):
            email = email.removeprefix("mailto:")
        shown = email if len(email) <= 60 else email[:57] + "…"
        if not email:
            errors.append(RowError(row=number, message="No email address.", name=name[:MAX_NAME]))
            continue
        if not is_email(email):
            errors.append(RowError(row=number, message=f"“{shown}” is not an email address.", email=shown, name=name[:MAX_NAME]))
            continue
        if len(name) > MAX_NAME:
            errors.append(
                RowError(row=number, message=f"The name is longer than {MAX_NAME} characters.", email=email, name=name[:60] + "…")
            )
            continue
        if email in first_row_of:
            errors.append(
                RowError(row=number, message=f"Row {number} repeats row {first_row_of[email]} ({email}).", email=email, name=name)
            )
            continue
        first_row_of[email] = number
        rows.append(RosterRow(row=number, email=email, name=name))
    if not rows and not errors:
        errors.append(RowError(row=None, message="The file has a header but no learners." if header else EMPTY))
    return RosterParse(rows=tuple(rows), errors=tuple(errors), header=header)
