"""The four kinds of register file, each described once: which layouts it reads, how a row is parsed,
what is checked against the database, how the report counts it and how it is applied.

`services.file_import` runs any of them; the admin job and the management command both go through it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from canvass.register import apply
from canvass.register.layouts import ABSENT_LAYOUTS, MARKED_LAYOUTS, REGISTER_LAYOUTS, Layout
from canvass.register.reader import RegisterFileError
from canvass.register.records import RecordParser, Rejection, RowRejected, StagedRow

Parse = Callable[[int, list[str]], StagedRow]

ABSENT_TYPES = {
    "P": "postal",
    "POSTAL": "postal",
    "X": "proxy",
    "PX": "proxy",
    "PP": "proxy",
    "PROXY": "proxy",
    # A proxy who votes by post: the elector still votes by proxy.
    "POSTAL PROXY": "proxy",
    "POSTALPROXY": "proxy",
}
MARKS = {"V": "in_person", "X": "postal", "": ""}


@dataclass(frozen=True)
class Options:
    """What the person importing chose, for the kinds that need it."""

    today: dt.date
    effective_date: dt.date | None = None
    election_date: dt.date | None = None
    source_id: int | None = None


@dataclass(frozen=True)
class FileKind:
    key: str  # RegisterImport.Kind's value
    label: str
    layouts: tuple[Layout, ...]
    parser: Callable[[RecordParser], Parse]
    check: Callable[[], list[Rejection]]
    counts: Callable[[], tuple[dict[str, int], dict[str, list[str]]]]
    apply: Callable[[Options], None]
    # How many voter rows applying it writes, given its counts: past a share of the register the indexes
    # are rebuilt rather than updated row by row.
    rows_written: Callable[[dict], int] = lambda counts: 0
    # ... and at most how many households: the annual renumbering rewrites every voter but adds few doors, so
    # rebuilding the households' indexes too would be wasted. (New electors bound the new households, but for
    # the few voters paired by reference who moved house: their households' index entries are kept up one by one.)
    households_written: Callable[[dict], int] = lambda counts: 0
    # Matches the import could not decide, for an admin to confirm once it is applied.
    to_confirm: Callable[[], list[dict]] = list
    # Rows of one elector that make one change (an update's months concatenated), before duplicates are refused.
    repeats_combined: Callable[[], None] = lambda: None
    # The file lists every elector of the districts it covers (whoever it leaves out is gone, no longer an absent
    # voter, or did not vote): the elector under a rejected row's reference is kept as they were instead.
    complete: bool = False


def _full_parser(parser: RecordParser) -> Parse:
    # Asked once, not per row: a property of the header.
    has_update_columns = parser.columns.has_update_columns
    check_width, elector = parser.check_width, parser.elector

    def parse(line: int, row: list[str]) -> StagedRow:
        check_width(row)
        if has_update_columns:
            change = parser.change(row)
            if change:
                parser.update_rows += 1
        return elector(line, row)

    return parse


def _full_check() -> list[Rejection]:
    apply.full_match()
    return []


def _full_apply(options: Options) -> None:
    apply.households_link()
    apply.full_apply(options.today)


def _update_parser(parser: RecordParser) -> Parse:
    if not parser.columns.has_update_columns:
        raise RegisterFileError(
            "This file has no update columns (ElectorCreatedMonth/ElectorChangedMonth/ElectorDeletedMonth, "
            "Status or Update Type): it looks like a full register; import it as a full register instead."
        )

    def parse(line: int, row: list[str]) -> StagedRow:
        parser.check_width(row)
        change = parser.change(row)
        if change in ("delete", "skip"):
            return parser.keyed(line, row, "change")._replace(change=change, extra="")
        return parser.elector(line, row, change)

    return parse


def _update_check() -> list[Rejection]:
    rejections = apply.update_check()
    apply.households_link()
    return rejections


def _keyed_parser(field: str, values: dict[str, str], expected: str) -> Callable[[RecordParser], Parse]:
    def make_parse(parser: RecordParser) -> Parse:
        def parse(line: int, row: list[str]) -> StagedRow:
            parser.check_width(row)
            record = parser.keyed(line, row, field)
            value = " ".join(record.extra.split())
            if value not in values:
                raise RowRejected(parser.columns.column_name(field), f"unknown value {record.extra!r} ({expected})")
            return record._replace(extra=values[value])

        return parse

    return make_parse


def _no_samples(counts: Callable[[], dict]) -> Callable[[], tuple[dict, dict]]:
    return lambda: (counts(), {})


FULL = FileKind(
    key="full",
    label="full register",
    layouts=REGISTER_LAYOUTS,
    parser=_full_parser,
    check=_full_check,
    counts=apply.full_counts,
    apply=_full_apply,
    rows_written=lambda counts: counts["new"] + counts["renumbered"],
    households_written=lambda counts: counts["new"],
    to_confirm=apply.ambiguous_matches,
    complete=True,
)
UPDATE = FileKind(
    key="update",
    label="monthly update",
    layouts=REGISTER_LAYOUTS,
    parser=_update_parser,
    check=_update_check,
    counts=_no_samples(apply.update_counts),
    apply=lambda options: apply.update_apply(options.effective_date or options.today),
    repeats_combined=apply.update_repeats_combined,
)
ABSENT = FileKind(
    key="absent",
    label="absent voters",
    layouts=ABSENT_LAYOUTS,
    parser=_keyed_parser("absent_type", ABSENT_TYPES, "expected P or Postal for postal, X, PP or Proxy for proxy"),
    check=lambda: apply.keyed_check("absent voters list"),
    counts=_no_samples(apply.absent_counts),
    apply=lambda options: apply.absent_apply(),
    complete=True,
)
MARKED = FileKind(
    key="marked",
    label="marked register",
    layouts=MARKED_LAYOUTS,
    parser=_keyed_parser("mark", MARKS, "expected v for in person, x for postal, or empty"),
    check=lambda: apply.keyed_check("marked register"),
    counts=_no_samples(apply.marked_counts),
    apply=lambda options: apply.marked_apply(options.election_date, options.source_id),  # type: ignore[arg-type]  # file_import refuses a marked register without its date
    complete=True,
)
KINDS: dict[str, FileKind] = {kind.key: kind for kind in (FULL, UPDATE, ABSENT, MARKED)}
