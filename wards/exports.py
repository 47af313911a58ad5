"""Rows for the CSV exports and the printable walk sheet: voters in walking order, contactable only."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from canvass.models import Household, Outcome, Voter, WalkList

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


def _contactable_voters():
    return Voter.objects.filter(on_register=True, do_not_contact=False).select_related("polling_district")


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
    return [
        (
            entry.position,
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
        for entry in entries
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


@dataclass
class Stop:
    position: int
    household: Household
    voters: list[Voter] = field(default_factory=list)

    @property
    def address(self) -> str:
        return _address_line(self.household)


@dataclass
class StreetSheet:
    street: str
    stops: list[Stop] = field(default_factory=list)


def walk_list_stops(walk_list: WalkList) -> list[Stop]:
    """The list's doors in their walking order with their contactable voters: two queries whatever its length.
    Doors where nobody may be contacted any more are dropped."""
    stops = walk_list.stops.select_related("household").prefetch_related(
        Prefetch("household__voters", queryset=_contactable_voters(), to_attr="contactable")
    )
    return [
        Stop(stop.position, stop.household, stop.household.contactable)
        for stop in stops.order_by("position")
        if stop.household.contactable
    ]


def walk_list_csv_rows(stops: list[Stop]) -> list[tuple]:
    return [
        (
            stop.position,
            stop.household.street,
            stop.household.house_number or "",
            _address_line(stop.household),
            stop.household.postcode,
            voter.reference,
            voter.title,
            voter.forenames,
            voter.surname,
            voter.markers,
            "yes" if voter.is_postal_voter else "no",
            "yes" if voter.is_proxy_voter else "no",
        )
        for stop in stops
        for voter in stop.voters
    ]


def by_street(stops: list[Stop]) -> list[StreetSheet]:
    """Group consecutive stops by street, keeping walking order (a street may recur if the route returns)."""
    sheets: list[StreetSheet] = []
    for stop in stops:
        street = stop.household.street or "Other addresses"
        if not sheets or sheets[-1].street != street:
            sheets.append(StreetSheet(street))
        sheets[-1].stops.append(stop)
    return sheets


SHEET_OUTCOMES = [Outcome.SPOKE, Outcome.NOT_IN, Outcome.REFUSED, Outcome.MOVED_AWAY]
