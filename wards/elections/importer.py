"""Import election results from CSV: one row per candidate; ballots and electorate per ward.

Columns are found by header (case, spaces and punctuation ignored): election date, ward, candidate,
party, votes, elected; optionally seats (contested), ballots (issued) and electorate, in the same file
or a second one with one row per ward. Every bad row is reported by file and line, and a file with
any error changes nothing: the whole import is one transaction.
"""

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from wards.elections.services import last_results_refresh
from wards.models import Candidate, Contest, Council, Election, ElectionKind, Party, Ward

HEADERS = {
    "date": ("electiondate", "date", "pollingday"),
    "ward": ("ward", "wardname", "electoralward"),
    "candidate": ("candidate", "candidatename", "name"),
    "party": ("party", "partycode", "partyname", "description"),
    "votes": ("votes", "vote", "votescast"),
    "elected": ("elected", "result"),
    "seats": ("seats", "seatscontested", "vacancies"),
    "ballots": ("ballots", "ballotsissued", "ballotpapersissued", "ballotpapers"),
    "electorate": ("electorate", "electors"),
}
YES = {"y", "yes", "true", "1", "elected", "x", "*"}
NO = {"", "n", "no", "false", "0", "not elected"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y")
INDEPENDENT = {"ind", "independent", "none"}


class ResultsImportError(ValueError):
    """The file(s) had errors; nothing was written. `errors` lists them, each with file and line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s), nothing imported:\n" + "\n".join(errors))


@dataclass
class ResultsImportSummary:
    elections: int = 0
    contests: int = 0
    candidates: int = 0
    wards_refreshed: int = 0


@dataclass
class _ContestRow:
    seats: int | None = None
    ballots: int | None = None
    electorate: int | None = None
    candidates: list = field(default_factory=list)


def _key(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.lower())


def _columns(headers: list[str], needed: tuple[str, ...], label: str) -> dict[str, int]:
    found = {}
    for index, header in enumerate(headers):
        for name, aliases in HEADERS.items():
            if _key(header) in aliases and name not in found:
                found[name] = index
    missing = [name for name in needed if name not in found]
    if missing:
        raise ResultsImportError(
            [f"{label} line 1: missing column(s) {', '.join(missing)} (found: {', '.join(headers)})"]
        )
    return found


def _rows(file, label: str):
    data = file.read() if hasattr(file, "read") else file
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            data = bytes(data).decode("cp1252")
    reader = csv.reader(io.StringIO(data.lstrip("\ufeff")))
    headers = next(reader, None)
    if not headers:
        raise ResultsImportError([f"{label}: the file is empty"])
    return headers, ((line, row) for line, row in enumerate(reader, start=2) if any(cell.strip() for cell in row))


def _date(value: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"election date {value!r} is not a date (use 2024-05-02 or 02/05/2024)")


def _count(value: str, what: str) -> int | None:
    value = value.strip().replace(",", "")
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{what} {value!r} is not a whole number")
    return int(value)


class _Reader:
    def __init__(self, council: Council):
        self.wards = {
            name.lower(): ward_id for ward_id, name in Ward.objects.filter(council=council).values_list("id", "name")
        }
        self.parties = {}
        for party_id, code, name in Party.objects.values_list("id", "code", "name"):
            self.parties[code.lower()] = party_id
            self.parties[name.lower()] = party_id
        self.errors: list[str] = []
        self.contests: dict[tuple[dt.date, int], _ContestRow] = defaultdict(_ContestRow)

    def _cell(self, row, columns, name) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def _contest(self, row, columns) -> tuple[dt.date, int]:
        date = _date(self._cell(row, columns, "date"))
        ward_name = self._cell(row, columns, "ward")
        if ward_name.lower() not in self.wards:
            raise ValueError(f"ward {ward_name!r} is not a ward of this council")
        return date, self.wards[ward_name.lower()]

    def _totals(self, contest: _ContestRow, row, columns) -> None:
        for name in ("seats", "ballots", "electorate"):
            value = _count(self._cell(row, columns, name), name)
            if value is None:
                continue
            if getattr(contest, name) not in (None, value):
                raise ValueError(f"{name} {value} differs from {getattr(contest, name)} given before for this ward")
            setattr(contest, name, value)

    def candidates(self, file, label: str) -> None:
        headers, rows = _rows(file, label)
        columns = _columns(headers, ("date", "ward", "candidate", "party", "votes"), label)
        for line, row in rows:
            try:
                key = self._contest(row, columns)
                contest = self.contests[key]
                name = self._cell(row, columns, "candidate")
                if not name:
                    raise ValueError("candidate name is empty")
                party = self._cell(row, columns, "party")
                if party.lower() in INDEPENDENT:
                    party_id = None
                elif party.lower() in self.parties:
                    party_id = self.parties[party.lower()]
                else:
                    raise ValueError(f"party {party!r} is not known (add it in the admin, or write Ind)")
                votes = _count(self._cell(row, columns, "votes"), "votes")
                if votes is None:
                    raise ValueError("votes are empty")
                elected = self._cell(row, columns, "elected").lower()
                if elected not in YES | NO:
                    raise ValueError(f"elected {elected!r} should be yes or no")
                if any(c[0].lower() == name.lower() for c in contest.candidates):
                    raise ValueError(f"candidate {name!r} appears twice in this ward")
                self._totals(contest, row, columns)
                contest.candidates.append((name, party_id, votes, elected in YES))
            except ValueError as error:
                self.errors.append(f"{label} line {line}: {error}")

    def totals(self, file, label: str) -> None:
        headers, rows = _rows(file, label)
        columns = _columns(headers, ("date", "ward", "ballots", "electorate"), label)
        for line, row in rows:
            try:
                self._totals(self.contests[self._contest(row, columns)], row, columns)
            except ValueError as error:
                self.errors.append(f"{label} line {line}: {error}")

    def check(self, wards_seats: dict[int, int], names: dict[int, str]) -> None:
        for (date, ward_id), contest in self.contests.items():
            where = f"{names[ward_id]} {date:%-d %b %Y}"
            if not contest.candidates:
                self.errors.append(f"{where}: ballots given but no candidates")
                continue
            seats = contest.seats or sum(1 for c in contest.candidates if c[3]) or 1
            contest.seats = seats
            if seats > wards_seats[ward_id]:
                self.errors.append(f"{where}: {seats} seats contested but the ward has {wards_seats[ward_id]}")
            if contest.ballots and contest.electorate and contest.ballots > contest.electorate:
                self.errors.append(
                    f"{where}: ballots issued {contest.ballots} exceed the electorate {contest.electorate}"
                )
            if contest.ballots and max(c[2] for c in contest.candidates) > contest.ballots:
                self.errors.append(f"{where}: a candidate has more votes than ballots issued ({contest.ballots})")
            if sum(1 for c in contest.candidates if c[3]) > seats:
                self.errors.append(f"{where}: more candidates elected than the {seats} seat(s) contested")


@transaction.atomic
def election_results_import(
    *, council: Council, kind: str, results, totals=None, results_name: str = "results", totals_name: str = "totals"
) -> ResultsImportSummary:
    """Import the candidates' results (and optionally a second file of ballots and electorate per ward).

    Re-importing an election's results for a ward replaces that ward's candidates and figures.
    Raises ResultsImportError listing every bad line; then nothing is written.
    """
    if kind not in ElectionKind.values:
        raise ResultsImportError([f"election kind {kind!r} is not one of {', '.join(ElectionKind.values)}"])
    reader = _Reader(council)
    reader.candidates(results, results_name)
    if totals is not None:
        reader.totals(totals, totals_name)
    wards = dict(Ward.objects.filter(council=council).values_list("id", "seats"))
    names = dict(Ward.objects.filter(council=council).values_list("id", "name"))
    if not reader.errors:
        reader.check(wards, names)
    if reader.errors:
        raise ResultsImportError(reader.errors)
    if not reader.contests:
        raise ResultsImportError([f"{results_name}: no results in the file"])
    summary = ResultsImportSummary()
    elections = {}
    for date in sorted({date for date, _ in reader.contests}):
        elections[date], _ = Election.objects.get_or_create(council=council, date=date, kind=kind)
    summary.elections = len(elections)
    candidates = []
    for (date, ward_id), row in reader.contests.items():
        contest, _ = Contest.objects.update_or_create(
            election=elections[date],
            ward_id=ward_id,
            defaults={"seats_contested": row.seats, "ballots_issued": row.ballots, "electorate": row.electorate},
        )
        contest.candidates.all().delete()
        candidates += [
            Candidate(contest=contest, name=name, party_id=party_id, votes=votes, elected=elected)
            for name, party_id, votes, elected in row.candidates
        ]
        summary.contests += 1
    Candidate.objects.bulk_create(candidates)
    summary.candidates = len(candidates)
    if kind in ElectionKind.borough():
        summary.wards_refreshed = last_results_refresh(ward_ids={ward_id for _, ward_id in reader.contests})
    return summary
