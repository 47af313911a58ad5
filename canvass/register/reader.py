"""Read a supplier CSV as a stream: BOM, CRLF, cp1252 or UTF-8, blank lines and quoted commas.

Each physical line is decoded on its own (UTF-8, else cp1252), so a file never has to be held
whole in memory and one stray Windows character does not spoil the rest of the file.
"""

import csv
from collections.abc import Iterator
from typing import BinaryIO

from canvass.register.layouts import REGISTER_LAYOUTS, ColumnMap, LayoutError, detect_layout


class RegisterFileError(ValueError):
    """The upload is not a register file at all (or not one we can read); the message says why."""


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


def decoded_lines(stream: BinaryIO) -> Iterator[str]:
    first = True
    for raw in stream:
        if first:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
            first = False
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


class CsvRows:
    """Data rows with their physical line numbers; the header row is detected on construction."""

    def __init__(self, stream: BinaryIO, layouts=REGISTER_LAYOUTS):
        head = stream.read(4096)
        check_looks_like_text(head)
        stream.seek(0)
        self._reader = csv.reader(decoded_lines(stream))
        header = self._first_non_blank()
        if header is None:
            raise RegisterFileError("The file has no header row. " + _HINT)
        try:
            self.columns: ColumnMap = detect_layout(header, layouts)
        except LayoutError as error:
            raise RegisterFileError(str(error)) from None

    def _first_non_blank(self) -> list[str] | None:
        for row in self._reader:
            if any(cell.strip() for cell in row):
                return row
        return None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        try:
            for row in reader:
                if row and any(row):
                    yield reader.line_num, row
        except csv.Error as error:
            raise RegisterFileError(f"Line {reader.line_num}: the CSV is malformed ({error}).") from None
