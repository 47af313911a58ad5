"""Read a supplier CSV as a stream: BOM, CRLF, cp1252 or UTF-8, blank lines and quoted commas.

Each physical line is decoded on its own (UTF-8, else cp1252), so a file never has to be held
whole in memory and one stray Windows character does not spoil the rest of the file. CR-only line ends,
title lines before the header, repeated headers and quotes left open are handled here.
"""

import csv
import re
from collections.abc import Iterator
from typing import BinaryIO

from canvass.register.layouts import (
    KIND_LABELS,
    REGISTER_LAYOUTS,
    ColumnMap,
    LayoutError,
    column_map,
    detect_kind,
    detect_layout,
    normalise_header,
)


class RegisterFileError(ValueError):
    """The upload is not a register file at all (or not one we can read); the message says why."""


class WrongKindError(RegisterFileError):
    """The file's header says it is another kind of file (RegisterImport.Kind's value in `kind`)."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


# Signatures of files people upload by mistake, and what to tell them.
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zipped document (an Excel .xlsx or OpenDocument spreadsheet?)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook"),
    (b"\xff\xfe", "UTF-16 text (Excel's 'Unicode text')"),
    (b"\xfe\xff", "UTF-16 text"),
)
_HINT = "Export the register from the supplier's software as CSV (comma-separated values) and upload that."


def check_looks_like_text(head: bytes) -> None:
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise RegisterFileError("The file is empty. " + _HINT)
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise RegisterFileError(f"This file is {what}, not a CSV register. {_HINT}")
    if b"\x00" in head:
        raise RegisterFileError("This file is binary, not a CSV register. " + _HINT)


def physical_lines(stream: BinaryIO) -> Iterator[bytes]:
    """The file's lines, each ended by LF, CRLF or CR alone (old spreadsheet tools), as files mix them too:
    months concatenated from different tools, a file edited on another machine. Read a chunk at a time and
    split by `bytes.splitlines`, which knows all three; a CR at a chunk's end waits for a possible LF."""
    rest = b""
    while chunk := stream.read(65536):
        lines = (rest + chunk).splitlines(keepends=True)
        rest = b"" if lines[-1].endswith(b"\n") else lines.pop()
        yield from lines
    if rest:
        yield rest


_BOM = b"\xef\xbb\xbf"


def decoded_lines(stream: BinaryIO) -> Iterator[str]:
    """Each line decoded as UTF-8, else Windows-1252; hard spaces (0xA0) read as spaces. A UTF-8 BOM is dropped
    wherever a line starts with one: months concatenated from several files each bring their own."""
    for raw in physical_lines(stream):
        if raw.startswith(_BOM):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        yield text.replace("\xa0", " ") if "\xa0" in text else text


# Title lines some suppliers write before the header (Idox: `Date Published ...`) are skipped: the header
# is looked for among the first lines.
HEADER_SEARCH_LINES = 20
TITLE_CELLS = 3  # a title line (or a `Ref:` line) fills at most this many cells
# Lines between concatenated months of a Halarose update: `Ref: ...` and `Monthly Additions ... <Month>`; and
# the totals some exports end with (`Total electors: 1234`, `End of report`).
_PREAMBLE = re.compile(
    r"^\s*(ref\b|monthly\s|date\s+published|register\s+of\s+electors|total|end\s+of\b|number\s+of\s|record\s*count)",
    re.IGNORECASE,
)


_PREAMBLE_STARTS = frozenset(" \tRrMmDdTtEeNn")


def is_preamble(row: list[str]) -> bool:
    filled = [cell for cell in row if cell.strip()]
    return bool(filled) and len(filled) <= 3 and bool(_PREAMBLE.match(filled[0]))


def _kind_hint(header: list[str], kind: str | None) -> WrongKindError | None:
    """Why a header that fits another kind of file is refused, naming the kind it looks like."""
    found = detect_kind(header)
    if found is None or kind is None or found.kind == kind:
        return None
    if kind == "update" and found.kind == "full" and found.has_update_columns:
        return None  # a Status column: the rows say what changed
    why = " (it has no update columns: ElectorCreatedMonth, Status or Update Type)" if kind == "update" else ""
    message = (
        f"This file looks like {KIND_LABELS[found.kind]} ({found.layout.label}), not {KIND_LABELS[kind]}{why}: "
        f"import it as {KIND_LABELS[found.kind]}."
    )
    return WrongKindError(message, found.kind)


class CsvRows:
    """Data rows with their physical line numbers; the header row is detected on construction.

    `kind` (RegisterImport.Kind's value) is the kind the person chose: a file whose header says it is another
    kind is refused, naming the kind it looks like.
    """

    def __init__(self, stream: BinaryIO, layouts=REGISTER_LAYOUTS, kind: str | None = None):
        head = stream.read(4096)
        check_looks_like_text(head)
        stream.seek(0)
        self._reader = csv.reader(decoded_lines(stream))
        self.columns: ColumnMap = self._find_header(layouts, kind)
        self._header_key = [normalise_header(h) for h in self.columns.header_names]
        self.header_lines = 1

    def _find_header(self, layouts, kind: str | None) -> ColumnMap:
        first = None  # what the error shows: the first row that could be a header (title lines fill a few cells)
        for row in self._rows_with_start():
            start, cells = row
            filled = sum(1 for cell in cells if cell.strip())
            if not filled:
                continue
            if first is None or (filled > TITLE_CELLS and sum(1 for cell in first if cell.strip()) <= TITLE_CELLS):
                first = cells
            found = column_map(cells, layouts)
            hint = _kind_hint(cells, kind)
            if hint:
                raise hint
            if found is not None:
                return found
            if self._reader.line_num >= HEADER_SEARCH_LINES:
                break
        if first is None:
            raise RegisterFileError("The file has no header row. " + _HINT)
        try:
            detect_layout(first, layouts)
        except LayoutError as error:
            raise RegisterFileError(str(error)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _rows_with_start(self) -> Iterator[tuple[int, list[str]]]:
        """(the line a row starts on, its cells). A row that takes more lines than one holds a quote left open:
        refused at the line where it opens, so no elector is ever swallowed into another's cell."""
        reader = self._reader
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise RegisterFileError(f"Line {start}: the CSV is malformed ({error}).") from None
            if reader.line_num > start:
                raise RegisterFileError(
                    f'Line {start}: a quote (") opens here and is not closed on that line, so lines {start} to '
                    f"{reader.line_num} would read as one row. Close or remove the quote; nothing was imported."
                )
            yield start, row

    @property
    def lines_read(self) -> int:
        return self._reader.line_num

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        header_key = self._header_key
        width, header_first = len(header_key), header_key[0]
        for line, row in self._rows_with_start():
            if not row or not any(row) or (not row[0].strip() and not any(map(str.strip, row))):
                continue  # a blank line, or one of commas and spaces
            first = row[0]
            # Hot path: the full checks run only for rows whose first cell could begin a preamble or a header.
            if first[:1] in _PREAMBLE_STARTS and (first[:1] in " \t" or _PREAMBLE.match(first)) and is_preamble(row):
                continue
            if (
                len(row) == width
                and len(first) >= len(header_first)  # normalising drops characters, never adds any
                and normalise_header(first) == header_first
                and [normalise_header(c) for c in row] == header_key
            ):
                self.header_lines += 1  # months concatenated in one file, each with its own header
                continue
            yield line, row
