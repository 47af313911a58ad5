"""Rows for the CSV exports (a target segment, a walk list) and what the printable walk sheet asks for."""

import csv
import io
from collections.abc import Iterable

from canvass.models import Household, Outcome

# A cell starting with one of these is a formula to a spreadsheet: prefix it so it is shown as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _address_line(household: Household) -> str:
    return ", ".join(line.strip() for line in household.address.splitlines() if line.strip())


SEGMENT_HEADER = (
    "position",
    "reason",
    "elector",
    "title",
    "forenames",
    "surname",
    "markers",
    "postal_voter",
    "street",
    "house_number",
    "address",
    "postcode",
)


def segment_csv_rows(entries) -> list[tuple]:
    # The stored position orders the walk but is not consecutive: the sheet numbers its rows 1, 2, 3...
    return [
        (
            number,
            entry.get_reason_display(),
            entry.voter.reference,
            entry.voter.title,
            entry.voter.forenames,
            entry.voter.surname,
            entry.voter.markers,
            "yes" if entry.voter.is_postal_voter else "no",
            entry.household.street,
            entry.household.house_number or "",
            _address_line(entry.household),
            entry.household.postcode,
        )
        for number, entry in enumerate(entries, start=1)
    ]


WALK_LIST_HEADER = (
    "position",
    "street",
    "house_number",
    "address",
    "postcode",
    "elector",
    "title",
    "forenames",
    "surname",
    "markers",
    "postal_voter",
    "proxy_voter",
)


def walk_list_csv_rows(doors: list[dict]) -> list[tuple]:
    """One row per contactable voter, from the doors of `walk_list_tree` (see `contactable`)."""
    return [
        (
            door["position"],
            door["street"],
            door["house_number"] or "",
            door["address_line"],
            door["postcode"],
            voter["reference"],
            voter["title"],
            voter["forenames"],
            voter["surname"],
            voter["markers"],
            "yes" if voter["is_postal_voter"] else "no",
            "yes" if voter["is_proxy_voter"] else "no",
        )
        for door in doors
        for voter in door["voters"]
    ]


SHEET_OUTCOMES = [Outcome.SPOKE, Outcome.NOT_IN, Outcome.REFUSED, Outcome.MOVED_AWAY]


SURVEY_HEADER = ("contact", "contacted_at", "question", "version", "wording", "answer")


def survey_csv_rows(answers) -> list[tuple]:
    """One row per answer (a multiple-choice answer: one per choice ticked), without names or addresses."""
    return [
        (
            answer["contact_id"],
            answer["contact__contacted_at"].isoformat(),
            answer["question_id"],
            answer["version__number"],
            answer["version__wording"],
            answer["number"] if answer["number"] is not None else answer["choice"] or answer["text"],
        )
        for answer in answers
    ]
