"""Turn a CSV row into an elector record, or into rejections naming the line, column and reason."""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from canvass.franchise import OPEN_REGISTER_OPT_OUT_MARKER
from canvass.register.layouts import ColumnMap, normalise_header
from canvass.register.names import name_key

MAX_ADDRESS_KEY = 255
ANONYMOUS_ADDRESS = "Anonymous electors (no address published)"


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "reason": self.reason}


class RowRejected(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


class StagedRow(NamedTuple):
    """One parsed row, in the staging table's column order (see `staging.COLUMNS`): the fixed-format fields
    first, then the text, so a COPY line escapes all its text in one pass."""

    line: int
    pd_id: int
    number: int
    suffix: int
    attainer_date: dt.date | None = None
    house_number: int | None = None
    pd: str = ""
    change: str = ""  # add / amend / delete / skip, for update files
    markers: str = ""
    title: str = ""
    surname: str = ""
    forenames: str = ""
    postcode: str = ""
    address: str = ""
    street: str = ""
    address_key: str = ""
    name_key: str = ""  # `names.name_key`: stored on the voter, what a later register is paired by
    extra: str = ""  # absent type or mark, for keyed files


_NON_WORD = re.compile(r"[^A-Z0-9]+")
# `12 Foo Road`, `12A Foo Road`, `12-14 Foo Road` (a range: the first number is the house's).
_HOUSE_NUMBER = re.compile(r"^(\d{1,5})[A-Z]?(?:\s*-\s*\d{1,5}[A-Z]?)?\b[\s,]*(.*)$", re.IGNORECASE)
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    compact = value.upper().replace(" ", "").strip()
    match = _POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else value.strip().upper()


def address_key(lines: list[str], postcode: str) -> str:
    """Normalised address and postcode: how two files (or two years) recognise the same door.

    A key too long for its column ends in a digest of the whole address, never a cut: two long addresses that
    begin alike stay two households.
    """
    words = _NON_WORD.sub(" ", fold(" ".join(lines))).strip()
    suffix = f"|{postcode}"
    if len(words) + len(suffix) > MAX_ADDRESS_KEY:
        digest = "#" + hashlib.sha1(words.encode()).hexdigest()[:20]
        words = words[: MAX_ADDRESS_KEY - len(suffix) - len(digest)] + digest
    return words + suffix


def fold(text: str) -> str:
    """Full Unicode case folding, accents kept: `Müller` and `MÜLLER` are the same; upper case for display."""
    return text.casefold().upper() if not text.isascii() else text.upper()


# The open-register opt-out written in front of the surname (Idox): a marker, not part of the name.
_OPT_OUT_PREFIX = re.compile(r"^\(z\)\s*", re.IGNORECASE)


def opt_out_removed(surname: str, markers: str) -> tuple[str, str]:
    """The surname (or the whole name, surname first) without a `(z) ` prefix, and the markers with Z if it had one."""
    if surname[:1] == "(" and _OPT_OUT_PREFIX.match(surname):
        surname = _OPT_OUT_PREFIX.sub("", surname)
        if OPEN_REGISTER_OPT_OUT_MARKER not in markers:
            markers = (markers + OPEN_REGISTER_OPT_OUT_MARKER)[:10]
    return surname, markers


# A whole reference in one column: `ABC1-12/1`, `AB1-124`, `AB1/12`, `AB1 12.1`.
_REFERENCE = re.compile(r"^([A-Z][A-Z0-9]*?)\s*[-/ ]\s*(\d+)(?:\s*[/.]\s*(\d+))?$")
# An elector number with its suffix: `12/1`, `12.1`, or Halarose's `5.000` (number 5, suffix 0).
_NUMBER = re.compile(r"^(\d+)(?:\s*[/.-]\s*(\d+))?$")


def street_and_number(lines: list[str]) -> tuple[str, int | None]:
    """Walking order needs the street and the house number: the first line that starts with a number."""
    for position, line in enumerate(lines):
        match = _HOUSE_NUMBER.match(line)
        if match:
            number, rest = int(match.group(1)), match.group(2).strip()
            if rest:
                return rest[:120], number
            if position + 1 < len(lines):
                return lines[position + 1][:120], number
    if len(lines) > 1:
        return lines[1][:120], None
    return (lines[0][:120] if lines else ""), None


def split_name(value: str) -> tuple[str, str]:
    """Xpress writes the surname first: `SMITH John A`, `DE LA CRUZ Maria`, or `Smith, John`."""
    words = value.split()
    if "," in value:
        surname, _, forenames = " ".join(words).partition(",")
        return surname.strip(), forenames.strip()
    if len(words) > 1 and words[0].isupper() and not words[1].isupper():
        return words[0], " ".join(words[1:])  # the common case, without the loop below
    upper = 0
    for word in words:
        if not word.isupper():
            break
        upper += 1
    if upper == 0 or upper == len(words):
        upper = 1
    return " ".join(words[:upper]), " ".join(words[upper:])


# A date written by a database or a spreadsheet may carry a midnight time: `2008-08-15 00:00:00`.
_TIME_OF_DAY = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%b-%Y", "%d %b %Y", "%d/%m/%y")


def parse_date(value: str) -> dt.date:
    """DD/MM/YYYY (the usual), ISO, or the forms spreadsheets write (`15-Aug-2008`, `15/08/08`), time dropped."""
    value = _TIME_OF_DAY.sub("", value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


# Idox writes `+Jan`, `-Feb`, `=Mar` (the code, then the month); Halarose writes A, D or M.
UPDATE_CODES = {"+": "add", "-": "delete", "=": "amend", "A": "add", "D": "delete", "M": "amend"}
UPDATE_CODES_SHOWN = "+, -, = (Idox, with a month: +Jan) or A, D, M (Halarose)"


def month_set(value: str) -> bool:
    """Xpress month columns hold a month number (or a date); 0 or empty means "not this month"."""
    value = value.strip()
    return bool(value) and not (value.isascii() and value.isdigit() and int(value) == 0)


# What the voter's columns hold: the elector number is an integer, its suffix a small integer. A longer number
# (a UPRN in the wrong column) is a rejected row, not a failed import.
MAX_NUMBER_DIGITS, MAX_SUFFIX_DIGITS = 9, 4


def _whole(value: str, digits: int) -> bool:
    """ASCII digits only (`isdigit` alone takes `²`, which `int` refuses), and no more of them than fit."""
    return value.isdigit() and value.isascii() and (len(value) <= digits or len(value.lstrip("0")) <= digits)


def _not_whole(what: str, value: str, digits: int) -> str:
    if value.isascii() and value.isdigit():
        return f"{what} {value!r} is too long (at most {digits} digits)"
    return f"{what} {value!r} is not a whole number"


_PERSON_FIELDS = (
    "markers",
    "dob",
    "title",
    "surname",
    "forenames",
    "name",
    "postcode",
    "opt_out",
    "middle_names",
    "name_suffix",
)
_YES = frozenset({"Y", "YES", "TRUE", "1"})
# Postcodes normalised recently; a register's rows come street by street, so a small cache hits as often.
POSTCODES_CACHED = 5000


class RecordParser:
    """Parses rows of one file (duplicate references are found afterwards, in SQL).

    Hot path: 150,000 rows go through `elector()`, so cells are fetched with one itemgetter call and a
    field the layout lacks reads an empty cell appended after the row's last column.
    """

    def __init__(self, columns: ColumnMap, districts: dict[str, int]):
        self.columns = columns
        self.width = columns.width
        self.districts = districts  # code -> id of the council's polling districts
        self.unknown_districts: dict[str, int] = {}
        self.has_name = columns.has("name")
        self._postcodes: dict[str, str] = {}
        self._last_address: tuple | None = None  # (cells, postcode, result) of the previous row
        self._get = dict(columns.index)
        self._fallbacks = [(columns.index[name], others) for name, others in columns.fallbacks.items()]
        position = {
            name: columns.index.get(name, columns.width) for name in _PERSON_FIELDS + ("pd", "number", "suffix")
        }
        self._key_cells = itemgetter(position["pd"], position["number"], position["suffix"])
        # Idox heads the number's suffix of its absent voters lists and marked registers `Suffix`, the header its
        # registers give a name suffix ("Jnr"): there, a suffix with no digit is a name's, and the number has none.
        suffix_header = normalise_header(columns.column_name("suffix")) if columns.has("suffix") else ""
        self._suffix_may_be_a_name = suffix_header == "suffix"
        self._reference = columns.index.get("reference")
        self.update_rows = 0  # rows of a full register that carry an update's change code
        self._person_cells = itemgetter(*(position[name] for name in _PERSON_FIELDS))
        # Two indices or more, so itemgetter returns a tuple (padded with the empty cell for 1-line layouts).
        self._address_cells = itemgetter(*columns.address, columns.width) if columns.address else None

    def _cell(self, row: list[str], name: str) -> str:
        position = self._get.get(name)
        return "" if position is None else row[position].strip()

    @property
    def number_column(self) -> str:
        return self._column("reference") if self._reference is not None else self._column("number")

    def _name_column(self) -> str:
        return self._column("name") if self.has_name else self._column("surname")

    def _column(self, name: str) -> str:
        return self.columns.column_name(name) if self.columns.has(name) else name

    def check_width(self, row: list[str]) -> None:
        width = self.width
        if len(row) != width and (len(row) < width or any(cell.strip() for cell in row[width:])):
            raise RowRejected("(row)", f"wrong column count: expected {width}, found {len(row)}")
        if len(row) == width:
            row.append("")  # the cell every absent field reads

    def key(self, line: int, row: list[str]) -> tuple[str, int, int]:
        """The row's reference. The caller has run `check_width` on the row (every kind's parser does, first)."""
        if self._reference is not None:
            pd, raw_number, raw_suffix = self._split_reference(row[self._reference])
        else:
            pd, raw_number, raw_suffix = self._key_cells(row)
            pd, raw_number, raw_suffix = pd.strip().upper(), raw_number.strip(), raw_suffix.strip()
            if not raw_suffix and not raw_number.isdigit():
                combined = _NUMBER.match(raw_number)
                if combined:
                    raw_number, raw_suffix = combined.group(1), combined.group(2) or "0"
        if self._suffix_may_be_a_name and raw_suffix and not any(character.isdigit() for character in raw_suffix):
            raw_suffix = ""
        raw_suffix = raw_suffix or "0"
        if not pd:
            raise RowRejected(self._column("pd"), "missing polling district (elector number prefix)")
        if not raw_number:
            raise RowRejected(self._column("number"), "missing elector number")
        # Hot path: the usual short ASCII number passes the first test without a call.
        if not (len(raw_number) <= 5 and raw_number.isdigit() and raw_number.isascii()) and not _whole(
            raw_number, MAX_NUMBER_DIGITS
        ):
            raise RowRejected(self._column("number"), _not_whole("elector number", raw_number, MAX_NUMBER_DIGITS))
        if not (len(raw_suffix) == 1 and raw_suffix.isdigit() and raw_suffix.isascii()) and not _whole(
            raw_suffix, MAX_SUFFIX_DIGITS
        ):
            raise RowRejected(
                self._column("suffix"), _not_whole("elector number suffix", raw_suffix, MAX_SUFFIX_DIGITS)
            )
        if pd not in self.districts:
            self.unknown_districts[pd] = self.unknown_districts.get(pd, 0) + 1
            raise RowRejected(self._column("pd"), f"unknown polling district {pd!r}")
        # Duplicates are found in SQL once the file is staged (`apply.stage_duplicates`): holding every
        # reference here cost a hundred megabytes at 450,000 electors.
        return pd, int(raw_number), int(raw_suffix)

    def rejected_reference(self, row: list[str]) -> tuple[int, int, int] | None:
        """The reference of a row rejected for any reason, read again on its own: (district id, number, suffix),
        so the elector under it can be kept as they were. None when its district is not the council's (nobody
        is registered under it). Raises `RowRejected` when the reference itself cannot be read.

        Only rejected rows come here, so the hot path (`key` for every row) pays nothing for it. The row is
        copied to the header's width (a row of the wrong width is cut or padded) plus the empty cell."""
        width = self.width
        cells = row[:width] + [""] * (width + 1 - min(len(row), width))
        if self._fallbacks:
            self._fallbacks_read(cells)
        counted, self.unknown_districts = self.unknown_districts, {}  # the row was counted when it was parsed
        try:
            pd, number, suffix = self.key(0, cells)
        except RowRejected:
            if self.unknown_districts:
                return None
            raise
        finally:
            self.unknown_districts = counted
        return self.districts[pd], number, suffix

    def _split_reference(self, cell: str) -> tuple[str, str, str]:
        value = cell.strip().upper()
        if not value:
            raise RowRejected(self._column("reference"), "missing elector number")
        match = _REFERENCE.match(value)
        if not match:
            raise RowRejected(
                self._column("reference"), f"elector number {cell.strip()!r} is not a reference like ABC1-12/1"
            )
        return match.group(1), match.group(2), match.group(3) or "0"

    def _address(self, row: list[str], postcode: str) -> tuple[str, str, int | None, str, str] | None:
        """(address, street, house number, address key, postcode); rows of one household usually follow each other.

        The postcode often repeats in the last address line; when the postcode column is empty, that line is the
        postcode."""
        cells = self._address_cells(row)
        cached = self._last_address
        if cached is not None and cached[0] == cells and cached[1] == postcode:
            return cached[2]
        lines = [cell for cell in map(str.strip, cells[:-1]) if cell]
        found = postcode
        if lines:
            last = lines[-1].upper().replace(" ", "")
            if not postcode and len(lines) > 1 and _POSTCODE.match(last):
                found = normalise_postcode(last)
            if last == found.replace(" ", ""):
                lines.pop()
        result = None
        if lines:
            street, number = street_and_number(lines)
            result = ("\n".join(lines), street, number, address_key(lines, found), found)
        self._last_address = (cells, postcode, result)
        return result

    def _fallbacks_read(self, row: list[str]) -> None:
        """A field whose cell is empty reads the other column of that field, if the file has one filled in."""
        for position, others in self._fallbacks:
            if not row[position].strip():
                row[position] = next((row[other] for other in others if row[other].strip()), "")

    def elector(self, line: int, row: list[str], change: str = "") -> StagedRow:
        if self._fallbacks:
            self._fallbacks_read(row)
        pd, number, suffix = self.key(line, row)
        (markers, dob, title, surname, forenames, name, raw_postcode, opt_out, middle, name_suffix) = (
            self._person_cells(row)
        )
        markers = markers.strip().upper()[:10]
        if opt_out and opt_out.strip().upper() in _YES and OPEN_REGISTER_OPT_OUT_MARKER not in markers:
            markers = (markers + OPEN_REGISTER_OPT_OUT_MARKER)[:10]
        attainer_date = None
        if dob and dob.strip():
            try:
                attainer_date = parse_date(dob.strip())
            except ValueError:
                raise RowRejected(
                    self._column("dob"), f"malformed date {dob.strip()!r} (expected DD/MM/YYYY)"
                ) from None
        if self.has_name:
            # The prefix comes off before the name is split: `(z) SMITH John`'s surname is SMITH.
            name, markers = opt_out_removed(name.strip(), markers)
            surname, forenames = split_name(name)
        else:
            surname, markers = opt_out_removed(surname.strip(), markers)
            forenames = forenames.strip()
        if middle.strip():
            forenames = f"{forenames} {middle.strip()}".strip()
        if name_suffix.strip():
            forenames = f"{forenames} {name_suffix.strip()}".strip()  # "John Jnr": the suffix is part of the name
        if not surname and not forenames and "N" not in markers:
            raise RowRejected(self._name_column(), "no name, and the elector is not marked N (anonymous)")
        postcode = self._postcodes.get(raw_postcode)
        if postcode is None:
            if len(self._postcodes) >= POSTCODES_CACHED:
                self._postcodes.clear()  # a cache, not a record of the file: its memory stays bounded
            postcode = self._postcodes[raw_postcode] = normalise_postcode(raw_postcode)[:10]
        address = self._address(row, postcode)
        if address is None:
            if "N" not in markers:
                raise RowRejected(self.columns.header_names[self.columns.address[0]], "missing address")
            address = (ANONYMOUS_ADDRESS, "", None, address_key([ANONYMOUS_ADDRESS], postcode), postcode)
        text, street, house_number, key, postcode = address
        surname, forenames = surname[:100], forenames[:150]
        # tuple.__new__ skips the generated __new__'s keyword handling: this runs once per elector.
        return tuple.__new__(
            StagedRow,
            (
                line,
                self.districts[pd],
                number,
                suffix,
                attainer_date,
                house_number,
                pd,
                change,
                markers,
                title.strip()[:20],
                surname,
                forenames,
                postcode,
                text,
                street,
                key,
                name_key(surname, forenames),
                "",
            ),
        )

    def change(self, row: list[str]) -> str:
        """add, amend, delete, skip (created and deleted in the same file) or "" (no change)."""
        if self.columns.has("deleted_month"):
            created, changed, deleted = (
                month_set(self._cell(row, f"{c}_month")) for c in ("created", "changed", "deleted")
            )
            if deleted:
                return "skip" if created else "delete"
            return "add" if created else ("amend" if changed else "")
        raw = self._cell(row, "change").upper()
        code = raw[:1] if raw[:1] in "+-=" and raw else raw
        if code and code not in UPDATE_CODES:
            raise RowRejected(self._column("change"), f"unknown change code {raw!r} (expected {UPDATE_CODES_SHOWN})")
        return UPDATE_CODES.get(code, "")

    def keyed(self, line: int, row: list[str], field: str) -> StagedRow:
        pd, number, suffix = self.key(line, row)
        return StagedRow(line, self.districts[pd], number, suffix, pd=pd, extra=self._cell(row, field).upper())
