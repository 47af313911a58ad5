"""Reads for the organiser pages: each function answers one page in a fixed number of queries.

Figures come from the pre-computed statistics (`AreaStatistics`, `ContactRateSample`, `Campaign`,
`TargetListEntry`), rebuilt by the statistics jobs; nothing here scans contact records except the
volunteer activity, which is one indexed range over the ward's last few weeks of contacts.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from canvass.models import ContactRecord, Intention, Outcome, TurnoutRecord, Voter, WalkList, WalkListKind
from canvass.rules import COUNTED_CONTACT
from canvass.sessions.selectors import sessions_of_ward
from canvass.sql import fetch
from canvass.walklists.selectors import leaflet_coverage, walk_list_progress_rows
from wards import selectors
from wards.elections import selectors as election_selectors
from wards.elections.seat import constituencies_of, road_to_seat
from wards.models import (
    AreaStatistics,
    Campaign,
    ContactRatePeriod,
    ContactRateSample,
    Council,
    Election,
    ElectionKind,
    Party,
    PollingDistrict,
    Segment,
    TargetListEntry,
    Ward,
    WardResult,
    Zone,
)
from wards.services.campaign import road_to_majority, zones_taken

ACTIVITY_DAYS = 28
WALK_LISTS_SHOWN = 20
INTENTION_LABELS = {value: label for value, label in Intention.choices if value != Intention.PARTY}
# Greys for the answers that are not a party, so the parties' colours stand out.
INTENTION_COLOURS = {
    Intention.UNDECIDED: "#BBBBBB",
    Intention.WONT_SAY: "#DDDDDD",
    Intention.WONT_VOTE: "#888888",
    Intention.AGAINST: "#555555",
}


@dataclass(frozen=True)
class Lean:
    """The party ahead among the ward's canvassed voters (local intention), and by how much."""

    party: Party | None
    share: Decimal | None
    margin: Decimal | None


@dataclass(frozen=True)
class WardRow:
    rank: int
    ward: Ward
    stats: AreaStatistics | None
    lean: Lean
    by_election: Election | None = None


@dataclass(frozen=True)
class ZoneState:
    zone: str
    label: str
    state: str  # "taken", "current", "opened" (advanced past, not taken) or "waiting"
    wards: int
    seats: int
    seats_held: int
    seats_projected_gain: int
    stats: AreaStatistics | None


def parties_by_code() -> dict[str, Party]:
    return {party.code: party for party in Party.objects.all()}


def our_party(parties: dict[str, Party]) -> Party | None:
    return next((party for party in parties.values() if party.is_ours), None)


def lean_of(stats: AreaStatistics | None, parties: dict[str, Party]) -> Lean:
    if stats is None or not stats.canvassed:
        return Lean(None, None, None)
    counts = sorted(((count, code) for code, count in stats.local_intentions.items() if code in parties), reverse=True)
    if not counts:
        return Lean(None, None, None)
    leader_count, leader_code = counts[0]
    runner_up = counts[1][0] if len(counts) > 1 else 0
    return Lean(
        parties[leader_code], _share(leader_count, stats.canvassed), _share(leader_count - runner_up, stats.canvassed)
    )


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / whole).quantize(Decimal("0.001"))


def council_for(user) -> Council | None:
    return (
        Council.objects.filter(wards__in=Ward.objects.visible_to(user))
        .select_related("campaign")
        .order_by("name")
        .distinct()
        .first()
    )


def campaign_overview(*, council: Council, user) -> dict:
    """Rollout, road to majority and the ranked wards.

    Council-wide figures (seats, zone and council totals) are aggregates with no personal data, and
    every organiser sees them: they are the campaign's shared picture. Ward rows are limited to the
    wards the user may see, each keeping its council-wide rank.
    """
    parties = parties_by_code()
    wards = list(Ward.objects.filter(council=council).in_rollout_order())
    ranking = list(selectors.ward_ranking(council=council))
    ward_stats = {row.ward_id: row for row in ranking}
    order = {row.ward_id: index for index, row in enumerate(ranking)}
    # Wards not computed yet keep their zone's place and go after the computed ones of that zone.
    ranked = sorted(wards, key=lambda w: (Zone.rollout_rank(w.zone), order.get(w.id, len(order)), w.rollout_order))
    visible_ids = set(Ward.objects.visible_to(user).filter(council=council).values_list("id", flat=True))
    by_elections = election_selectors.open_by_election_contests(council=council)
    by_election_of = {contest.ward_id: contest.election for contest in by_elections}
    rows = [
        WardRow(
            rank, ward, ward_stats.get(ward.id), lean_of(ward_stats.get(ward.id), parties), by_election_of.get(ward.id)
        )
        for rank, ward in enumerate(ranked, start=1)
        if ward.id in visible_ids
    ]
    current_zone = _current_zone(council)
    taken = zones_taken(council=council)
    zone_stats = {row.zone: row for row in selectors.zone_statistics(council=council)}
    zones = [
        _zone_state(zone, label, wards, ward_stats, zone_stats.get(zone), current_zone, taken.get(zone, False))
        for zone, label in Zone.choices
    ]
    road = road_to_majority(council=council)
    seats = [road_to_seat(constituency=c) for c in constituencies_of(council=council)]
    return {
        "council": council,
        "by_elections": by_elections,
        "seats": seats,
        "stages": _stages(road, seats),
        "council_stats": selectors.council_statistics(council=council),
        "zones": zones,
        "current_zone": current_zone,
        "road": road,
        "rows": rows,
        "ours": our_party(parties),
        "wards_total": len(wards),
    }


@dataclass(frozen=True)
class Stage:
    """One of the campaign's three steps: where it stands and what it takes."""

    name: str
    now: str
    target: str
    reached: bool


def _seat_state(seat) -> str:
    if seat.we_hold:
        return f"{seat.constituency}: held"
    if seat.votes_needed is None:
        return f"{seat.constituency}: no result recorded"
    return f"{seat.constituency}: {seat.votes_needed} votes short"


def _stages(road, seats) -> list[Stage]:
    return [
        Stage(
            "Councillors",
            f"{road.seats_held} seats held",
            f"{road.seats_projected_gain} projected gains",
            road.seats_held > 0,
        ),
        Stage(
            "Control of the council",
            f"{road.seats_after_next_election} of {road.total_seats} after the next election",
            f"{road.majority} for a majority",
            road.seats_after_next_election >= road.majority,
        ),
        Stage(
            "The parliamentary seat",
            "; ".join(_seat_state(seat) for seat in seats) or "no constituency recorded",
            "win the constituency",
            bool(seats) and all(seat.we_hold for seat in seats),
        ),
    ]


def _current_zone(council: Council) -> str:
    try:
        return council.campaign.current_zone
    except Campaign.DoesNotExist:
        return Zone.NORTH


def _zone_state(zone, label, wards, ward_stats, stats, current_zone, taken) -> ZoneState:
    in_zone = [w for w in wards if w.zone == zone]
    rank, current_rank = Zone.rollout_rank(zone), Zone.rollout_rank(current_zone)
    if rank == current_rank:
        state = "current"
    elif taken:
        state = "taken"
    else:
        state = "opened" if rank < current_rank else "waiting"
    return ZoneState(
        zone=zone,
        label=label,
        state=state,
        wards=len(in_zone),
        seats=sum(w.seats for w in in_zone),
        seats_held=sum(w.seats_held for w in in_zone),
        seats_projected_gain=sum(ward_stats[w.id].seats_projected_gain for w in in_zone if w.id in ward_stats),
        stats=stats,
    )


@dataclass(frozen=True)
class Place:
    name: str
    electors: int
    households: int


def ward_dashboard(*, ward: Ward) -> dict:
    parties = parties_by_code()
    stats = selectors.ward_statistics(ward=ward)
    history = election_selectors.ward_history(ward=ward)
    today = election_selectors.today()
    # The election the ward follows: an open by-election until polling day has passed, else the next scheduled.
    election = election_selectors.current_election_for(ward, on=today)
    by_election = election if election is not None and election.kind == ElectionKind.BY_ELECTION else None
    places = _places(ward)
    return {
        "ward": ward,
        "history": history,
        "election": election,
        "days_to_go": (election.date - today).days if election is not None else None,
        "electors_label": election_selectors.electors_label(election),
        "by_election": by_election,
        "seats_up": election_selectors.seats_up(ward, cycle=ward.council.cycle, by_election=by_election),
        "stats": stats,
        "parties": parties,
        "ours": our_party(parties),
        "lean": lean_of(stats, parties),
        "rate_series": contact_rate_series(ward=ward),
        "results": list(WardResult.objects.filter(ward=ward).select_related("party")),
        "polling_districts": places["district"],
        "villages": places["village"],
        "segments": segment_counts(ward=ward),
        "activity": volunteer_activity(ward=ward),
        "marked_turnout": marked_register_turnout(ward=ward),
        "leaflets": leaflet_coverage(ward),
        "sessions": list(sessions_of_ward(ward, upcoming_only=True)[:WALK_LISTS_SHOWN]),
        "walk_lists": walk_list_progress_rows(
            WalkList.objects.filter(ward=ward, kind=WalkListKind.CANVASS)
            .select_related("cut")
            .order_by("-created_at", "-id"),
            limit=WALK_LISTS_SHOWN,
        ),
    }


def _places(ward: Ward) -> dict[str, list[Place]]:
    """Council electors on the register in each polling district and village, and their doors, counted as the
    ward's header and the API count them (`wards.selectors.ward_place_counts`)."""
    return {kind: [Place(*row) for row in rows] for kind, rows in selectors.ward_place_counts(ward_id=ward.id).items()}


def contact_rate_series(*, ward: Ward) -> dict[str, list[tuple[dt.date, Decimal]]]:
    """The ward's and the council's contact rate over time, as percentages, weekly where available.

    The period is chosen in the query (weekly when either line has a weekly sample), so only the samples drawn
    come back: some 100 of a year's 800."""
    both_lines = "council_id = %s AND (ward_id = %s OR ward_id IS NULL)"
    week, day = ContactRatePeriod.WEEK.value, ContactRatePeriod.DAY.value
    rows = fetch(
        f"""
        SELECT ward_id, period_start, contacted, electors FROM {ContactRateSample._meta.db_table}
        WHERE {both_lines} AND electors > 0 AND period = CASE
            WHEN EXISTS (SELECT 1 FROM {ContactRateSample._meta.db_table} WHERE {both_lines} AND period = %s)
            THEN %s ELSE %s END
        ORDER BY period_start
        """,
        [ward.council_id, ward.id, ward.council_id, ward.id, week, week, day],
    )
    series: dict[str, list] = {"ward": [], "council": []}
    for ward_id, start, contacted, electors in rows:
        series["ward" if ward_id else "council"].append((start, Decimal(100 * contacted) / electors))
    return series


@dataclass(frozen=True)
class SegmentCount:
    segment: str
    label: str
    voters: int
    households: int


def segment_counts(*, ward: Ward) -> list[SegmentCount]:
    # Filtered as the segment's own page is (no do-not-contact or off-register voter), so the counts match what a
    # click shows; but as an anti-join on the ward's few such voters (the predicate of `voter_off_the_lists_idx`),
    # not a join to each entry's voter, which PostgreSQL planned as a scan of every voter of the council.
    rows = fetch(
        f"""
        SELECT e.segment, COUNT(*), COUNT(DISTINCT e.household_id) FROM {TargetListEntry._meta.db_table} e
        WHERE e.ward_id = %s AND e.voter_id NOT IN (
            SELECT v.id FROM {Voter._meta.db_table} v JOIN {PollingDistrict._meta.db_table} d
            ON d.id = v.polling_district_id
            WHERE d.ward_id = %s AND (v.do_not_contact OR NOT v.on_register)
        )
        GROUP BY e.segment
        """,
        [ward.id, ward.id],
    )
    counts = {segment: (voters, households) for segment, voters, households in rows}
    return [SegmentCount(value, label, *counts.get(value, (0, 0))) for value, label in Segment.choices]


def promises_note(stats: AreaStatistics | None, segments: list[SegmentCount]) -> str:
    """How the header's promises reconcile with the promises segment: those listed, those who asked for no contact
    (shown apart: never on a list), and the rest off the lists (moved away, deceased, a door not to knock, or no
    vote at the election the ward follows)."""
    if stats is None:
        return ""
    listed = next((s.voters for s in segments if s.segment == Segment.PROMISE), 0)
    asked = min(stats.promises_do_not_contact, max(stats.promises - listed, 0))
    off = max(stats.promises - listed - asked, 0)
    parts = [f"{listed} in the promises segment"]
    if asked:
        parts.append(f"{asked} asked for no contact")
    if off:
        parts.append(f"{off} off the lists")
    return "; ".join(parts)


def volunteer_activity(*, ward: Ward, days: int = ACTIVITY_DAYS) -> list[dict]:
    """Counted contacts (`COUNTED_CONTACT`) per volunteer in the ward over the last `days`, most first."""
    since = connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(days=days))
    user_model = get_user_model()
    username = user_model._meta.get_field(user_model.USERNAME_FIELD).column
    counted, params = COUNTED_CONTACT.sql("c")
    rows = fetch(
        f"""
        SELECT c.volunteer_id, u.{username}, u.first_name, u.last_name, COUNT(*),
            SUM(CASE WHEN c.outcome = %s THEN 1 ELSE 0 END)
        FROM {ContactRecord._meta.db_table} c JOIN {user_model._meta.db_table} u ON u.id = c.volunteer_id
        WHERE c.ward_id = %s AND c.contacted_at >= %s AND {counted}
        GROUP BY c.volunteer_id, u.{username}, u.first_name, u.last_name
        ORDER BY 5 DESC, c.volunteer_id
        """,
        [Outcome.SPOKE.value, ward.id, since, *params],
    )
    keys = ("volunteer_id", "volunteer__" + user_model.USERNAME_FIELD, "volunteer__first_name")
    keys += ("volunteer__last_name", "contacts", "spoke")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def intention_rows(stats: AreaStatistics | None, parties: dict[str, Party]) -> list[tuple[str, list]]:
    """Local and national intention as (label, [(name, count, colour)]) rows: parties first, ours first."""
    if stats is None:
        return []
    order = list(parties)  # Party ordering puts ours first, then by name.
    rows = []
    for label, counts in (("Local", stats.local_intentions), ("National", stats.national_intentions)):
        segments = [(parties[c].name, counts[c], parties[c].colour) for c in order if counts.get(c)]
        segments += [
            (INTENTION_LABELS[key], counts[key], INTENTION_COLOURS[key]) for key in INTENTION_LABELS if counts.get(key)
        ]
        rows.append((label, segments))
    return rows


def segment_entries(*, ward: Ward, segment: str):
    return selectors.target_list(ward=ward, segment=segment)


def marked_register_turnout(*, ward: Ward) -> list[dict]:
    """Votes cast per past election by the ward's current electors, from the marked registers imported."""
    rows = fetch(
        f"""
        SELECT t.election_date, COUNT(*), SUM(CASE WHEN t.method = %s THEN 1 ELSE 0 END)
        FROM {TurnoutRecord._meta.db_table} t
        JOIN {Voter._meta.db_table} v ON v.id = t.voter_id
        JOIN {PollingDistrict._meta.db_table} d ON d.id = v.polling_district_id
        WHERE d.ward_id = %s AND v.on_register
        GROUP BY t.election_date
        ORDER BY t.election_date
        """,
        [TurnoutRecord.Method.POSTAL.value, ward.id],
    )
    return [{"election_date": date, "voted": voted, "postal": postal} for date, voted, postal in rows]
