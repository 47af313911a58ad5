"""Recompute the pre-computed ward, zone and council statistics (see docs/statistics.md)."""

import datetime as dt
import math
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from canvass import rules
from wards.elections import selectors as election_selectors
from wards.elections.selectors import Comparable
from wards.models import (
    AreaStatistics,
    ContactRatePeriod,
    ContactRateSample,
    Council,
    ElectionKind,
    Party,
    Scope,
    Ward,
    WardResult,
)
from wards.services import sql
from wards.services.locks import councils_lock, wards_lock

RECENT_DAYS = 90
SAMPLE = ContactRateSample._meta.db_table
STATS = AreaStatistics._meta.db_table
COUNTED_FIELDS = (
    "electors",
    "households",
    "contacted_ever",
    "contacted_recently",
    "ours_locally",
    "split_ticket",
    "promises",
    "likely_supporters",
    "undecided",
    "postal_supporters",
    "promises_do_not_contact",
)


def _our_party_id() -> int | None:
    return Party.objects.filter(is_ours=True).values_list("id", flat=True).first()


def _ward_pass_sql(ward_ids, ours: int | None, since: dt.datetime) -> tuple[str, list]:
    """One statement: every elector joined to their latest reading, grouped three ways.

    - `i` rows: by ward and intentions; the counts add up across a ward's groups into its
      totals and its intention breakdowns (a few hundred rows, never one per voter);
    - `d` rows: by ward and the day each elector was first spoken to, with a running total;
    - `o` rows: every contact made in the ward, by outcome.
    """
    ctes, params = sql.with_ctes(sql.electors_cte(ward_ids), sql.latest_cte(ward_ids))
    # A voter's support level from their latest reading (canvass/rules.py).
    supporter, supporter_params = rules.SUPPORTER.sql("l", ours)
    promise, promise_params = rules.PROMISE.sql("l", ours)
    filters = [
        ("l.contacted_at >= %s", [since]),
        rules.OURS_LOCALLY.sql("l", ours),
        rules.SPLIT_TICKET.sql("l", ours),
        rules.PROMISE.sql("l", ours),
        rules.LIKELY_SUPPORTER.sql("l", ours),
        rules.UNDECIDED.sql("l", ours),
        (f"l.is_postal_voter = %s AND {supporter}", [True, *supporter_params]),
        (f"l.do_not_contact = %s AND {promise}", [True, *promise_params]),
    ]
    counts = ", ".join(f"COUNT(*) FILTER (WHERE {condition})" for condition, _ in filters)
    padding = ", ".join(["NULL"] * (len(filters) + 1))
    day, day_params = sql.day_of("first_at")
    outcome_where, outcome_params = sql.ward_filter("ward_id", ward_ids)
    counted, counted_params = rules.COUNTED_CONTACT.sql("")  # a record corrected at the door counts once
    query = f"""{ctes},
    doors AS (
        SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.household_id ORDER BY e.voter_id) AS nth_in_household
        FROM electors e
    ),
    joined AS (
        SELECT e.ward_id, e.nth_in_household, e.is_postal_voter, e.do_not_contact, l.*
        FROM doors e LEFT JOIN latest l ON l.voter_id = e.voter_id
    ),
    firsts AS (SELECT ward_id, {day} AS day FROM joined WHERE first_at IS NOT NULL)
    SELECT 'i', l.ward_id, l.local_intention, lp.code, l.national_intention, np.code, NULL,
           COUNT(*), COUNT(*) FILTER (WHERE l.nth_in_household = 1), COUNT(l.voter_id), {counts}
    FROM joined l
    LEFT JOIN {sql.PARTY} lp ON lp.id = l.local_party_id
    LEFT JOIN {sql.PARTY} np ON np.id = l.national_party_id
    GROUP BY l.ward_id, l.local_intention, lp.code, l.national_intention, np.code
    UNION ALL
    SELECT 'd', ward_id, NULL, NULL, NULL, NULL, day,
           COUNT(*), CAST(SUM(COUNT(*)) OVER (PARTITION BY ward_id ORDER BY day) AS INTEGER), {padding}
    FROM firsts GROUP BY ward_id, day
    UNION ALL
    SELECT 'o', ward_id, outcome, NULL, NULL, NULL, NULL, COUNT(*), NULL, {padding}
    FROM {sql.CONTACT} WHERE {counted}{outcome_where} GROUP BY ward_id, outcome"""
    filter_params = [p for _, condition_params in filters for p in condition_params]
    return query, [*params, *day_params, *filter_params, *counted_params, *outcome_params]


def _intention_key(intention: str | None, party_code: str | None) -> str | None:
    return party_code or intention or None


class WardPass:
    """The one statement's rows, sorted into per-ward totals, outcomes and first-contact days."""

    def __init__(self, rows):
        self.totals: dict[int, dict] = defaultdict(
            lambda: {"local": Counter(), "national": Counter(), **dict.fromkeys(COUNTED_FIELDS, 0)}
        )
        self.outcomes: dict[int, Counter] = defaultdict(Counter)
        self.days: list[tuple] = []
        for kind, ward_id, local, local_code, national, national_code, day, *counts in rows:
            if kind == "o":
                self.outcomes[ward_id][local] = counts[0]
            elif kind == "d":
                self.days.append((ward_id, _as_date(day), counts[0], counts[1]))
            else:
                self._add(self.totals[ward_id], local, local_code, national, national_code, counts)
        self.days.sort()

    @staticmethod
    def _add(row, local, local_code, national, national_code, counts) -> None:
        for name, value in zip(COUNTED_FIELDS, counts, strict=True):
            row[name] += value
        contacted = counts[2]
        if key := _intention_key(local, local_code):
            row["local"][key] += contacted
        if key := _intention_key(national, national_code):
            row["national"][key] += contacted


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _projection(
    stats: AreaStatistics,
    ward: Ward,
    results: list[tuple[int, bool]],
    *,
    comparable: Comparable | None = None,
    seats_up: int | None = None,
) -> None:
    """Our expected votes against the votes needed to win a seat up at the ward's next election.

    The base is the ward's last comparable (borough) contest when there is one: its turnout (ballots
    over its electorate) scaled to today's electors when no expectation was entered, and each
    candidate's votes per ballot, since in a ward electing several an elector has one vote per seat.
    Without a history the last result's party totals are used, as before.
    """
    seats_up = ward.seats_up if seats_up is None else seats_up
    if ward.expected_turnout_percent is not None:
        turnout = round(stats.electors * ward.expected_turnout_percent / 100)
    elif comparable is not None and comparable.turnout is not None and stats.electors:
        turnout = round(stats.electors * comparable.turnout)
    elif comparable is not None and comparable.ballots_issued:
        turnout = comparable.ballots_issued
    else:
        turnout = ward.last_turnout_votes
    stats.expected_turnout = turnout
    if turnout is None:
        return
    if comparable is not None and comparable.candidates:
        our_share = comparable.our_share_of_ballots()
        rival = comparable.rival_votes_per_ballot(seats_up)
        if stats.canvassed:
            our_share = Decimal(stats.supporters) / stats.canvassed
        stats.expected_votes = round(turnout * our_share)
        if rival is not None:
            stats.votes_needed = math.floor(turnout * rival) + 1
        else:
            stats.votes_needed = 1
    else:
        total = sum(votes for votes, _ in results)
        ours = sum(votes for votes, is_ours in results if is_ours)
        rivals = sorted((votes for votes, is_ours in results if not is_ours), reverse=True)
        if stats.canvassed:
            our_share = Decimal(stats.supporters) / stats.canvassed
        elif total:
            our_share = Decimal(ours) / total
        else:
            our_share = Decimal(0)
        stats.expected_votes = round(turnout * our_share)
        if total:
            # To take one of the seats up, beat the rival placed seats_up-th at the last election.
            rival_votes = rivals[seats_up - 1] if len(rivals) >= seats_up else 0
            stats.votes_needed = math.floor(Decimal(turnout) * rival_votes / total) + 1
        else:
            stats.votes_needed = turnout // (seats_up + 1) + 1  # the Droop quota, with no result to go on
    stats.winnability = (Decimal(stats.expected_votes) / stats.votes_needed).quantize(Decimal("0.001"))
    if stats.projected_win:
        stats.seats_projected_gain = min(seats_up, ward.seats - ward.seats_held)


def _ward_statistics(wards: list[Ward], counts: WardPass, now: dt.datetime) -> list[AreaStatistics]:
    results = defaultdict(list)
    for ward_id, votes, is_ours in WardResult.objects.filter(ward__in=wards).values_list(
        "ward_id", "votes", "party__is_ours"
    ):
        results[ward_id].append((votes, is_ours))
    ward_ids = [ward.id for ward in wards]
    # The election each ward follows (its open by-election first), as its target lists and pages do.
    ahead = election_selectors.current_elections_for(wards=wards, on=now.date())
    by_elections = {
        ward_id: election for ward_id, election in ahead.items() if election.kind == ElectionKind.BY_ELECTION
    }
    history = election_selectors.comparable_contests(ward_ids=ward_ids, before=now.date() + dt.timedelta(days=1))
    cycles = dict(Council.objects.filter(id__in={ward.council_id for ward in wards}).values_list("id", "cycle"))
    built = []
    for ward in wards:
        row = counts.totals[ward.id]
        stats = AreaStatistics(
            scope=Scope.WARD,
            council_id=ward.council_id,
            ward=ward,
            computed_at=now,
            outcomes=dict(counts.outcomes[ward.id]),
            local_intentions=dict(row["local"]),
            national_intentions=dict(row["national"]),
            **{name: row[name] for name in COUNTED_FIELDS},
        )
        up = election_selectors.seats_up(
            ward, cycle=cycles.get(ward.council_id, ""), by_election=by_elections.get(ward.id)
        )
        _projection(stats, ward, results[ward.id], comparable=history.get(ward.id), seats_up=up)
        built.append(stats)
    return built


def _ward_series(wards: list[Ward], counts: WardPass, electors: dict[int, int]) -> list[tuple]:
    """Rows for the ward's daily and weekly series, as plain tuples (thousands of them: no model objects)."""
    councils = {ward.id: ward.council_id for ward in wards}
    rows, weeks = [], defaultdict(lambda: [0, 0])
    for ward_id, day, new, running in counts.days:
        rows.append((councils[ward_id], ward_id, ContactRatePeriod.DAY.value, day, new, running, electors[ward_id]))
        week = weeks[(ward_id, day - dt.timedelta(days=day.weekday()))]
        week[0] += new
        week[1] = max(week[1], int(running))
    for (ward_id, week_start), (new, running) in weeks.items():
        rows.append(
            (councils[ward_id], ward_id, ContactRatePeriod.WEEK.value, week_start, new, running, electors[ward_id])
        )
    return rows


def _sum_statistics(rows: list[AreaStatistics], **fields) -> AreaStatistics:
    total = AreaStatistics(**fields)
    for name in COUNTED_FIELDS:
        setattr(total, name, sum(getattr(row, name) for row in rows))
    for name in ("outcomes", "local_intentions", "national_intentions"):
        setattr(total, name, dict(sum((Counter(getattr(row, name)) for row in rows), Counter())))
    for name in ("expected_turnout", "expected_votes", "votes_needed"):
        known = [getattr(row, name) for row in rows if getattr(row, name) is not None]
        setattr(total, name, sum(known) if known else None)
    total.seats_projected_gain = sum(row.seats_projected_gain for row in rows)
    if total.expected_votes is not None and total.votes_needed:
        total.winnability = (Decimal(total.expected_votes) / total.votes_needed).quantize(Decimal("0.001"))
    return total


def _council_totals(council_ids, now: dt.datetime) -> None:
    """Rebuild zone and council rows (and the council's series) from the stored ward rows."""
    AreaStatistics.objects.filter(council_id__in=council_ids).exclude(scope=Scope.WARD).delete()
    ContactRateSample.objects.filter(council_id__in=council_ids, ward__isnull=True).delete()
    ward_rows = list(AreaStatistics.objects.wards().filter(council_id__in=council_ids).select_related("ward"))
    totals = []
    for council_id in council_ids:
        rows = [row for row in ward_rows if row.council_id == council_id]
        totals.append(_sum_statistics(rows, scope=Scope.COUNCIL, council_id=council_id, computed_at=now))
        for zone in sorted({row.ward.zone for row in rows}):
            in_zone = [row for row in rows if row.ward.zone == zone]
            totals.append(_sum_statistics(in_zone, scope=Scope.ZONE, council_id=council_id, zone=zone, computed_at=now))
    AreaStatistics.objects.bulk_create(totals)
    _council_series(council_ids)


def _council_series(council_ids) -> None:
    """The council's line sums its wards' new contacts per period, then runs a total over them."""
    where, params = sql.ward_filter("s.council_id", council_ids)
    sql.execute(
        f"""INSERT INTO {SAMPLE} (council_id, ward_id, period, period_start, newly_contacted, contacted, electors)
        SELECT s.council_id, NULL, s.period, s.period_start, SUM(s.newly_contacted),
               CAST(SUM(SUM(s.newly_contacted)) OVER (
                   PARTITION BY s.council_id, s.period ORDER BY s.period_start) AS INTEGER),
               MAX(a.electors)
        FROM {SAMPLE} s JOIN {STATS} a ON a.council_id = s.council_id AND a.scope = %s
        WHERE s.ward_id IS NOT NULL{where}
        GROUP BY s.council_id, s.period, s.period_start""",
        [Scope.COUNCIL.value, *params],
    )


@transaction.atomic
def ward_statistics_recompute(*, ward_ids=None) -> list[AreaStatistics]:
    """Recompute the given wards' statistics (all wards when None), then their councils' totals.

    Everything is replaced inside this transaction, under per-ward and per-council locks, so
    readers see the old figures or the new and two runs at once queue instead of colliding.
    """
    wards = Ward.objects.order_by("id")
    if ward_ids is not None:
        wards = wards.filter(id__in=list(ward_ids))
    wards = list(wards)
    council_ids = sorted({ward.council_id for ward in wards})
    wards_lock([ward.id for ward in wards])
    sql.batch_memory()
    now = timezone.now()
    # No ward filter at all for a full run: the queries then read each table once, unjoined.
    query_ids = None if ward_ids is None else [ward.id for ward in wards]
    since = now - dt.timedelta(days=RECENT_DAYS)
    counts = WardPass(sql.fetch(*_ward_pass_sql(query_ids, _our_party_id(), since)))
    built = _ward_statistics(wards, counts, now)
    AreaStatistics.objects.wards().filter(ward__in=wards).delete()
    AreaStatistics.objects.bulk_create(built)
    ContactRateSample.objects.filter(ward__in=wards).delete()
    sql.insert_rows(
        SAMPLE,
        {
            "council_id": "bigint",
            "ward_id": "bigint",
            "period": "text",
            "period_start": "date",
            "newly_contacted": "integer",
            "contacted": "integer",
            "electors": "integer",
        },
        _ward_series(wards, counts, {row.ward_id: row.electors for row in built}),
    )
    councils_lock(council_ids)
    _council_totals(council_ids, now)
    return built
