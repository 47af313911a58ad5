"""Polling day's reads: a station's entries and hourly counts, knock-up rounds, postal promises, the board."""

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import TruncHour

from canvass.models import Voter
from canvass.models.register import elector_reference
from wards.models import PollingDistrict, Segment, TargetListEntry, TellerReturn, Ward
from wards.polling.models import KnockUpDoor, KnockUpRound, Outcome, PollingDay, PollingStation, TellerEntry
from wards.selectors import target_list


def voted(election_date: dt.date, voter: str = "") -> Exists:
    """The tellers saw this voter vote: `voter` is the path to the voter from the queryset's rows."""
    return Exists(
        TellerReturn.objects.filter(
            election_date=election_date,
            polling_district_id=OuterRef(f"{voter}polling_district_id"),
            elector_number=OuterRef(f"{voter}elector_number"),
            elector_suffix=OuterRef(f"{voter}elector_suffix"),
        )
    )


def station_entries(*, station: PollingStation, entered_by=None, limit: int = 50) -> QuerySet[TellerEntry]:
    """The station's latest entries (one teller's, given `entered_by`), as numbers, not names."""
    entries = TellerEntry.objects.filter(station=station)
    if entered_by is not None:
        entries = entries.filter(entered_by=entered_by)
    return entries.select_related("district").order_by("-received_at")[:limit]


def station_hourly_counts(*, station: PollingStation) -> list[tuple[dt.datetime, int]]:
    recorded = TellerEntry.objects.filter(station=station, outcome=Outcome.RECORDED, undone_at=None)
    rows = recorded.annotate(hour=TruncHour("entered_at")).values("hour").annotate(n=Count("id")).order_by("hour")
    return [(row["hour"], row["n"]) for row in rows]


@dataclass(frozen=True)
class Door:
    voter_id: int
    reference: str
    name: str
    address: str
    street: str
    position: int
    voted: bool


def knock_up_round_doors(*, round: KnockUpRound, include_voted: bool) -> list[Door]:
    """A round's promises in walking order; `include_voted` for the printed sheet, which strikes them out.

    A phone loads its round every 30 s or so all day (bench/polling_day.py): one query of the round's own
    doors (the round index), each voter's vote found by a probe of the teller returns' unique index (an
    anti-join when the voted are dropped), read as values rather than four model instances a door.
    """
    doors = KnockUpDoor.objects.filter(round=round, voter__do_not_contact=False, voter__on_register=True)
    has_voted = voted(round.polling_day.election_date, "voter__")
    if include_voted:
        doors = doors.annotate(has_voted=has_voted)
    else:
        doors = doors.filter(~has_voted).annotate(has_voted=Value(False))
    rows = doors.order_by("position").values_list(
        "voter_id",
        "voter__polling_district__code",
        "voter__elector_number",
        "voter__elector_suffix",
        "voter__forenames",
        "voter__surname",
        "household__address",
        "household__street",
        "position",
        "has_voted",
    )
    return [
        Door(
            voter_id=voter_id,
            reference=elector_reference(code, number, suffix),
            name=f"{forenames} {surname}".strip(),
            address=address.replace("\n", ", "),
            street=street,
            position=position,
            voted=has_voted,
        )
        for voter_id, code, number, suffix, forenames, surname, address, street, position, has_voted in rows
    ]


def knock_up_rounds(*, polling_day: PollingDay, ward: Ward) -> list[KnockUpRound]:
    """The ward's rounds, each with `doors_total` and `doors_voted` (two queries whatever the count)."""
    rounds = list(
        KnockUpRound.objects.filter(polling_day=polling_day, ward=ward).select_related("assigned_to").order_by("number")
    )
    counts = {
        row["round"]: row
        for row in KnockUpDoor.objects.filter(round__in=rounds, voter__do_not_contact=False)
        .annotate(has_voted=voted(polling_day.election_date, "voter__"))
        .values("round")
        .annotate(total=Count("id"), done=Count("id", filter=Q(has_voted=True)))
    }
    for r in rounds:
        r.doors_total = counts.get(r.id, {}).get("total", 0)
        r.doors_voted = counts.get(r.id, {}).get("done", 0)
    return rounds


def postal_promises(*, polling_day: PollingDay, ward: Ward) -> QuerySet[TargetListEntry]:
    """Promises with a postal vote, chased before the day: listed apart, never knocked up."""
    from wards.polling.models import PostalVoteReturned

    returned = PostalVoteReturned.objects.filter(polling_day=polling_day, voter_id=OuterRef("voter_id"))
    return (
        target_list(ward=ward, segment=Segment.PROMISE)
        .filter(voter__is_postal_voter=True)
        .annotate(returned=Exists(returned))
    )


@dataclass
class BoardRow:
    name: str
    electorate: int = 0
    voted: int = 0
    promises: int = 0
    promises_voted: int = 0
    postal_promises: int = 0
    rounds_out: int = 0
    rounds_back: int = 0
    last_entry_at: dt.datetime | None = None

    @property
    def outstanding(self) -> int:
        return self.promises - self.promises_voted

    @property
    def turnout_percent(self) -> float:
        return round(100 * self.voted / self.electorate, 1) if self.electorate else 0.0


@dataclass
class Board:
    polling_day: PollingDay
    stations: list[BoardRow]
    wards: list[BoardRow]


def _cached(key: str, compute):
    rows = cache.get(key)
    if rows is None:
        rows = list(compute())
        cache.set(key, rows, SLOW_FIGURES_CACHE_SECONDS)
    return [dict(row) for row in rows]


def _count(queryset: QuerySet) -> Subquery:
    """COUNT(*) of `queryset` (correlated by OuterRef) as a scalar subquery: COUNT(*) rather than of a
    column, so an index holding the filtered columns answers it alone (an index-only scan)."""
    return Subquery(queryset.order_by().annotate(n=Func(template="COUNT(*)", output_field=IntegerField())).values("n"))


def _slow_district_counts(polling_day: PollingDay, district_ids: list[int], ward_ids: list[int]) -> dict[int, dict]:
    """Per polling district: electorate and promises (in person and postal).

    They hardly move on the day (the register is fixed, target lists are rebuilt after canvassing): they
    are counted at most every few minutes and cached.
    """
    counts: dict[int, dict] = {}

    def add(rows, *fields):
        for row in rows:
            counts.setdefault(row.pop("district"), {}).update({f: row[f] for f in fields})

    key = f"polling-board-{polling_day.id}-{polling_day.created_at.timestamp()}-{','.join(map(str, ward_ids))}"
    add(
        _cached(
            f"{key}-electorate",
            lambda: (
                Voter.objects.filter(on_register=True, polling_district_id__in=district_ids)
                .values(district=F("polling_district"))
                .annotate(electorate=Count("id"))
            ),
        ),
        "electorate",
    )
    in_person = Q(voter__is_postal_voter=False, voter__do_not_contact=False)
    add(
        _cached(
            f"{key}-promises",
            lambda: (
                TargetListEntry.objects.filter(ward_id__in=ward_ids, segment=Segment.PROMISE, voter__on_register=True)
                .values(district=F("voter__polling_district"))
                .annotate(
                    promises=Count("id", filter=in_person),
                    postal_promises=Count("id", filter=Q(voter__is_postal_voter=True)),
                )
            ),
        ),
        "promises",
        "postal_promises",
    )
    return counts


SLOW_FIGURES_CACHE_SECONDS = 5 * 60
FIGURES = ("electorate", "voted", "promises", "promises_voted", "postal_promises")


def _row(name: str, district_ids, counts: dict[int, dict], **extra) -> BoardRow:
    totals = {f: sum(counts.get(d, {}).get(f, 0) for d in district_ids) for f in FIGURES}
    return BoardRow(name=name, **totals, **extra)


def committee_board(*, polling_day: PollingDay, stations: QuerySet[PollingStation], wards: QuerySet[Ward]) -> Board:
    """Per station and ward: promises, voted, outstanding, turnout against the electorate, rounds, last entry.

    A refresh is six small queries whatever the turnout (bench/polling_day.py): what moves on the day is
    read by index probes, never by scanning the day's entries. Each station's last entry is the top of
    its (station, received_at) index; each ward's rounds out and back are counted beside the ward; each
    district's voted is a count of its slice of the teller returns' unique index, and its promises voted
    a count of its slice of the partial index of recorded promise entries (`TellerEntry.promise`, set as
    each number is taken, so nothing joins the register). The electorate and the promises are cached.
    """
    last_entry = TellerEntry.objects.filter(station=OuterRef("pk")).order_by("-received_at").values("received_at")
    stations = list(
        stations.filter(polling_day=polling_day)
        .annotate(last_entry_at=Subquery(last_entry[:1]))
        .order_by("ward__name", "name")
    )
    rounds = KnockUpRound.objects.filter(polling_day=polling_day, ward=OuterRef("pk"))
    wards = list(
        wards.filter(polling_days=polling_day)
        .annotate(
            rounds_out=_count(rounds.filter(sent_out_at__isnull=False, back_at=None)),
            rounds_back=_count(rounds.filter(back_at__isnull=False)),
        )
        .order_by("name")
    )
    # The districts counted, their wards and which of these stations they vote at, with their live
    # counts, in one query (a district's stations of other days come too, and are left out here).
    voted_here = TellerReturn.objects.filter(election_date=polling_day.election_date, polling_district=OuterRef("pk"))
    promises_voted = TellerEntry.objects.filter(
        district=OuterRef("pk"),
        outcome=Outcome.RECORDED,
        promise=True,
        undone_at=None,
        station__polling_day=polling_day,
    )
    station_ids = {s.id for s in stations}
    district_wards: dict[int, int] = {}
    station_districts: dict[int, set[int]] = {}
    counts: dict[int, dict] = {}
    for district_id, ward_id, station_id, voted, promises_voted_n in (
        PollingDistrict.objects.filter(Q(ward__in=wards) | Q(polling_stations__in=stations))
        .annotate(voted=_count(voted_here), promises_voted=_count(promises_voted))
        .values_list("id", "ward_id", "polling_stations", "voted", "promises_voted")
    ):
        district_wards[district_id] = ward_id
        counts[district_id] = {"voted": voted, "promises_voted": promises_voted_n}
        if station_id in station_ids:
            station_districts.setdefault(station_id, set()).add(district_id)
    for district_id, slow in _slow_district_counts(
        polling_day, sorted(district_wards), sorted(set(district_wards.values()))
    ).items():
        counts.setdefault(district_id, {}).update(slow)
    ward_districts: dict[int, list[int]] = {}
    for district_id, ward_id in district_wards.items():
        ward_districts.setdefault(ward_id, []).append(district_id)
    return Board(
        polling_day=polling_day,
        stations=[
            _row(s.name, station_districts.get(s.id, set()), counts, last_entry_at=s.last_entry_at) for s in stations
        ],
        wards=[
            _row(
                w.name,
                ward_districts.get(w.id, []),
                counts,
                rounds_out=w.rounds_out or 0,
                rounds_back=w.rounds_back or 0,
            )
            for w in wards
        ],
    )
