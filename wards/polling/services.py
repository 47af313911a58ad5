"""Polling day's writes: set-up, tellers' entries and their undo, knock-up rounds, postal votes back,
and the day's numbers turned into turnout history."""

import contextlib
import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from canvass import sql
from canvass.models import TurnoutRecord, Voter
from canvass.models.people import display_name
from canvass.models.register import elector_reference
from canvass.scoping import role_of
from wards.models import Election, ElectionKind, PollingDistrict, Segment, TargetListEntry, TellerReturn, Ward
from wards.polling.models import (
    CLOSES,
    OPENS,
    KnockUpDoor,
    KnockUpRound,
    Outcome,
    PollingDay,
    PollingStation,
    PostalVoteReturned,
    TellerEntry,
)
from wards.polling.numbers import UnreadableNumber, number_parse
from wards.selectors import knock_up_list

# A phone whose clock is further off than this is told so (its times are corrected by the offset).
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
# Entries a teller may still take back: their last few, and only recent ones.
UNDO_LAST = 5
UNDO_WITHIN = dt.timedelta(minutes=30)


REPLAYED_ELSEWHERE = "This client UUID is already used by another entry: the phone must make a new one."


class PollingDayError(ValueError):
    """Set-up or a round that cannot be done as asked; the message says what and where."""


@transaction.atomic
def polling_day_open(
    *,
    election: Election,
    wards: list[Ward],
    opens_at: dt.time = OPENS,
    closes_at: dt.time = CLOSES,
    opened_by=None,
) -> PollingDay:
    """Opens polling day for an election, with one station per polling district of the wards taking part.

    The wards must be the election's council's (a by-election's: the wards it is held in). Polls held
    together on one date share one polling day, so a second election on an open date is refused.
    """
    if not wards:
        raise PollingDayError("choose at least one ward taking part")
    if opens_at >= closes_at:
        raise PollingDayError(f"the polls must open before they close (opens {opens_at}, closes {closes_at})")
    if PollingDay.objects.filter(election=election).exists():
        raise PollingDayError(f"polling day for {election} is already open")
    if PollingDay.objects.filter(election_date=election.date).exists():
        raise PollingDayError(f"polling day {election.date:%-d %B %Y} is already open (polls that day share it)")
    if election.council_id:
        elsewhere = [w.name for w in wards if w.council_id != election.council_id]
        if elsewhere:
            raise PollingDayError(f"{', '.join(elsewhere)}: not in {election.council}, which holds {election}")
    if election.kind == ElectionKind.BY_ELECTION:
        contested = set(election.contests.values_list("ward_id", flat=True))
        outside = [w.name for w in wards if w.id not in contested]
        if outside:
            raise PollingDayError(f"{', '.join(outside)}: no poll at {election}")
    election_date = election.date
    day = PollingDay.objects.create(
        election=election, election_date=election_date, opens_at=opens_at, closes_at=closes_at, opened_by=opened_by
    )
    day.wards.set(wards)
    districts = list(PollingDistrict.objects.filter(ward__in=wards).order_by("ward_id", "code"))
    stations = PollingStation.objects.bulk_create(
        [PollingStation(polling_day=day, ward_id=d.ward_id, name=f"{d.code} {d.name}".strip()) for d in districts]
    )
    PollingStation.districts.through.objects.bulk_create(
        [
            PollingStation.districts.through(pollingstation_id=s.id, pollingdistrict_id=d.id)
            for s, d in zip(stations, districts, strict=True)
        ]
    )
    return day


@transaction.atomic
def polling_station_merge(*, stations: list[PollingStation], name: str) -> PollingStation:
    """Several districts voting at one station: the first station takes the others' districts."""
    keep, *rest = stations
    if any(s.polling_day_id != keep.polling_day_id or s.ward_id != keep.ward_id for s in rest):
        raise PollingDayError("a station's districts must share one polling day and one ward")
    if TellerEntry.objects.filter(station__in=rest).exists():  # merging would delete what tellers typed
        raise PollingDayError("tellers have entered numbers at these stations: merge them before the polls open")
    for station in rest:
        keep.districts.add(*station.districts.all())
        keep.tellers.add(*station.tellers.all())
    PollingStation.objects.filter(id__in=[s.id for s in rest]).delete()
    keep.name = name
    keep.save(update_fields=["name"])
    return keep


@transaction.atomic
def teller_assign(*, station: PollingStation, user) -> PollingStation | None:
    """`user` tells at `station`. A teller stands at one station on the day, so they leave any other
    station of that polling day; returns that station (None if they were at none)."""
    if role_of(user) is None:
        raise PollingDayError(f"{display_name(user)} has no role in the campaign: make them a volunteer first")
    previous = (
        PollingStation.objects.select_for_update()
        .filter(polling_day_id=station.polling_day_id, tellers=user)
        .exclude(id=station.id)
        .first()
    )
    if previous is not None:
        previous.tellers.remove(user)
    station.tellers.add(user)
    return previous


def teller_unassign(*, station: PollingStation, user) -> None:
    """`user` no longer tells at `station`; the numbers they took stay recorded."""
    if not station.tellers.filter(pk=user.pk).exists():
        raise PollingDayError(f"{display_name(user)} does not tell at {station}")
    station.tellers.remove(user)


@dataclass(frozen=True)
class EntryAnswer:
    client_uuid: uuid.UUID
    outcome: str
    message: str
    reference: str = ""
    clock_offset_seconds: int = 0
    replayed: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.RECORDED, Outcome.ALREADY_RECORDED)


def _message(outcome: str, reference: str, station: PollingStation, detail: str = "") -> str:
    return {
        Outcome.RECORDED: f"{reference} recorded",
        Outcome.ALREADY_RECORDED: f"{reference} was already recorded",
        Outcome.NOT_ON_REGISTER: f"{reference} is not on the register",
        Outcome.OTHER_STATION: f"{reference} votes at {detail}, not at {station.name}",
        Outcome.UNKNOWN_DISTRICT: f"{reference}: no polling district {detail}",
        Outcome.OUTSIDE_HOURS: f"{reference} taken at {detail}, outside opening hours",
        Outcome.UNREADABLE: detail,
    }[outcome]


def _answer(entry: TellerEntry, *, replayed=False) -> EntryAnswer:
    return EntryAnswer(
        client_uuid=entry.client_uuid,
        outcome=entry.outcome,
        message=entry.answer,
        reference=entry_reference(entry),
        clock_offset_seconds=entry.clock_offset_seconds,
        replayed=replayed,
    )


def entry_reference(entry: TellerEntry) -> str:
    if entry.elector_number is None or not entry.district_id:
        return entry.typed.strip()
    return elector_reference(entry.district.code, entry.elector_number, entry.elector_suffix)


def _clock(entered_at: dt.datetime | None, sent_at: dt.datetime | None, now: dt.datetime):
    """The entry's time on the server's clock, and how far the phone's clock is off."""
    offset = (sent_at - now) if sent_at else dt.timedelta(0)
    if abs(offset) <= CLOCK_TOLERANCE:
        offset = dt.timedelta(0)
    when = (entered_at or sent_at or now) - offset
    return min(when, now), int(offset.total_seconds())


def teller_entry_record(
    *,
    station: PollingStation,
    typed: str,
    client_uuid: uuid.UUID,
    entered_by=None,
    entered_at: dt.datetime | None = None,
    sent_at: dt.datetime | None = None,
    keyed_from_sheet: bool = False,
) -> EntryAnswer:
    """Records one number a teller took, answering for that entry alone.

    Idempotent by the phone's `client_uuid`: a replay gets the first answer again and records nothing
    (the entry's unique client UUID rolls the replay back, its vote with it). `entered_at` and `sent_at`
    are on the phone's clock; the gap between `sent_at` and now corrects a clock that is far off (and
    the answer says by how much). `station` comes with its polling day (select_related).

    Polling day's busiest write (bench/polling_day.py): a new number is two statements on PostgreSQL, one
    query judging it and one writing the vote and the entry together.
    """
    now = timezone.now()
    when, offset = _clock(entered_at, sent_at, now)
    entry = TellerEntry(
        client_uuid=client_uuid,
        station=station,
        typed=(typed or "")[:40],
        entered_by=entered_by,
        entered_at=when,
        clock_offset_seconds=offset,
        keyed_from_sheet=keyed_from_sheet,
    )
    outcome, detail = _judge(entry, station)
    entry.outcome = outcome
    entry.answer = _message(outcome, entry_reference(entry), station, detail)[:200]
    # One statement on PostgreSQL needs no transaction; elsewhere the vote and the entry share one. Inside
    # a transaction already (a test, a command), a savepoint keeps a replay's IntegrityError from breaking it.
    two_statements = outcome == Outcome.RECORDED and not sql.is_postgres()
    guard = transaction.atomic() if two_statements or connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard:
            if outcome != Outcome.RECORDED:
                entry.save(force_insert=True)
            elif not two_statements:
                _vote_and_save_in_one_statement(entry, station, now)
            else:
                entry.teller_return_id = _vote(entry, station, now)
                _already_recorded_if(entry, station, not entry.teller_return_id)
                entry.save(force_insert=True)
    except IntegrityError:
        # This client UUID was sent before (or is being sent at this moment): answer as the first did.
        existing = TellerEntry.objects.select_related("district").filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        if (existing.station_id, existing.entered_by_id) != (station.id, entered_by.pk if entered_by else None):
            # Someone else's entry (or another station's): its number and outcome are not this caller's to read.
            return EntryAnswer(client_uuid=client_uuid, outcome="error", message=REPLAYED_ELSEWHERE)
        return _answer(existing, replayed=True)
    return _answer(entry)


def _already_recorded_if(entry: TellerEntry, station: PollingStation, already: bool) -> None:
    if already:
        entry.outcome = Outcome.ALREADY_RECORDED
        entry.answer = _message(Outcome.ALREADY_RECORDED, entry_reference(entry), station)[:200]


def _judge(entry: TellerEntry, station: PollingStation) -> tuple[str, str]:
    """The entry's outcome before voting, from one query: the district it names (or the station's one),
    whether that district votes here and whether the number is on its register."""
    try:
        number = number_parse(entry.typed)
    except UnreadableNumber as error:
        return Outcome.UNREADABLE, str(error)
    entry.elector_number, entry.elector_suffix = number.number, number.suffix
    here = PollingStation.districts.through.objects.filter(
        pollingstation_id=station.id, pollingdistrict_id=OuterRef("pk")
    )
    on_register = Voter.objects.filter(
        polling_district_id=OuterRef("pk"),
        elector_number=number.number,
        elector_suffix=number.suffix,
        on_register=True,
    )
    # An in-person promise (the knock-up list's people): flagged on the entry, so the board counts
    # promises voted from the day's entries alone.
    promise = TargetListEntry.objects.filter(
        ward_id=OuterRef("ward_id"),
        segment=Segment.PROMISE,
        voter__polling_district_id=OuterRef("pk"),
        voter__elector_number=number.number,
        voter__elector_suffix=number.suffix,
        voter__on_register=True,
        voter__is_postal_voter=False,
        voter__do_not_contact=False,
    )
    if number.district is None:
        named = Q(polling_stations=station.id)
    else:
        named = Q(code=number.district, ward__council__wards=station.ward_id)
    rows = list(
        PollingDistrict.objects.filter(named)
        .annotate(here=Exists(here), on_register=Exists(on_register), promise=Exists(promise))
        .order_by("code")
        .values("id", "code", "here", "on_register", "promise")[:20]
    )
    if number.district is None and len(rows) != 1:
        codes = ", ".join(row["code"] for row in rows)
        return Outcome.UNREADABLE, f"{entry.typed!r}: type the district too ({codes} vote here)"
    if not rows:
        return Outcome.UNKNOWN_DISTRICT, number.district or ""
    row = rows[0]
    entry.district = PollingDistrict(id=row["id"], code=row["code"])
    if not row["here"]:
        other = PollingStation.objects.filter(polling_day_id=station.polling_day_id, districts=row["id"]).first()
        return Outcome.OTHER_STATION, other.name if other else f"another station ({row['code']})"
    day = station.polling_day
    local = timezone.localtime(entry.entered_at)
    if local.date() != day.election_date or not day.opens_at <= local.time() <= day.closes_at:
        return Outcome.OUTSIDE_HOURS, f"{local:%d %b %H:%M}"
    if not row["on_register"]:
        return Outcome.NOT_ON_REGISTER, ""
    entry.promise = row["promise"]
    return Outcome.RECORDED, ""


def _vote_and_save_in_one_statement(entry: TellerEntry, station: PollingStation, now: dt.datetime) -> None:
    """PostgreSQL: the vote and the entry in one statement (a data-modifying CTE is atomic by itself), so a
    new number is one round trip, not a transaction's four. The entry's unique client UUID fails the whole
    statement for a replay, its vote with it."""
    fields = [f for f in TellerEntry._meta.concrete_fields if not f.primary_key]
    columns, values, params = [], [], []
    recorded, already = entry.answer, _message(Outcome.ALREADY_RECORDED, entry_reference(entry), station)[:200]
    for field in fields:
        columns.append(connection.ops.quote_name(field.column))
        if field.attname == "teller_return_id":
            values.append("vote.id")
        elif field.attname == "outcome":
            values.append("CASE WHEN vote.id IS NULL THEN %s ELSE %s END")
            params += [Outcome.ALREADY_RECORDED.value, Outcome.RECORDED.value]
        elif field.attname == "answer":
            values.append("CASE WHEN vote.id IS NULL THEN %s ELSE %s END")
            params += [already, recorded]
        else:
            if field.attname == "received_at":
                entry.received_at = now
            values.append("%s")
            params.append(field.get_db_prep_save(getattr(entry, field.attname), connection))
    rows = sql.fetch(
        f"""WITH vote AS ({_VOTE_INSERT})
            INSERT INTO {TellerEntry._meta.db_table} ({", ".join(columns)})
            SELECT {", ".join(values)} FROM (SELECT 1) AS one LEFT JOIN vote ON TRUE
            RETURNING id, teller_return_id""",
        [*_vote_params(entry, station, now), *params],
    )
    entry.id, entry.teller_return_id = rows[0]
    _already_recorded_if(entry, station, entry.teller_return_id is None)


_VOTE_INSERT = f"""INSERT INTO {TellerReturn._meta.db_table}
        (election_date, polling_district_id, elector_number, elector_suffix, recorded_by_id, recorded_at)
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT DO NOTHING RETURNING id"""


def _vote_params(entry: TellerEntry, station: PollingStation, now: dt.datetime) -> list:
    ops = connection.ops
    return [
        ops.adapt_datefield_value(station.polling_day.election_date),
        entry.district_id,
        entry.elector_number,
        entry.elector_suffix,
        entry.entered_by.pk if entry.entered_by else None,
        ops.adapt_datetimefield_value(now),
    ]


def _vote(entry: TellerEntry, station: PollingStation, now: dt.datetime) -> int | None:
    """The elector's vote, once: the new `TellerReturn`'s id, or None if another entry recorded it."""
    rows = sql.fetch(_VOTE_INSERT, _vote_params(entry, station, now))
    return rows[0][0] if rows else None


class UndoRefused(PollingDayError):
    pass


@transaction.atomic
def teller_entry_undo(*, entry: TellerEntry, user) -> None:
    """Takes back one of the teller's last few entries: the elector is no longer counted as voted."""
    if entry.undone_at:
        return
    recent = TellerEntry.objects.filter(station_id=entry.station_id, entered_by=entry.entered_by, undone_at=None)
    last = list(recent.order_by("-received_at", "-id").values_list("id", flat=True)[:UNDO_LAST])
    if entry.id not in last or timezone.now() - entry.received_at > UNDO_WITHIN:
        raise UndoRefused(
            f"only the last {UNDO_LAST} entries of the past {UNDO_WITHIN.seconds // 60} minutes can be undone"
        )
    if entry.teller_return_id:
        TellerReturn.objects.filter(id=entry.teller_return_id).delete()
    entry.undone_at = timezone.now()
    entry.teller_return = None
    entry.save(update_fields=["undone_at", "teller_return"])


@transaction.atomic
def knock_up_rounds_build(*, polling_day: PollingDay, ward: Ward, size: int) -> list[KnockUpRound]:
    """Splits the ward's knock-up list, in walking order, into rounds of about `size` voters.

    A household is never split between rounds. Rounds not yet sent out are rebuilt from the list as
    it stands (voted promises gone); rounds already out keep their doors and their numbers.
    """
    if size < 1:
        raise PollingDayError(f"a round needs at least one voter (asked for {size})")
    if not polling_day.wards.filter(id=ward.id).exists():
        raise PollingDayError(f"{ward} is not taking part in {polling_day}")
    KnockUpRound.objects.filter(polling_day=polling_day, ward=ward, sent_out_at=None).delete()
    taken = KnockUpDoor.objects.filter(round__polling_day=polling_day, round__ward=ward).values("voter_id")
    entries = knock_up_list(ward=ward, election_date=polling_day.election_date).exclude(voter_id__in=taken)
    chunks: list[list[tuple[int, int]]] = []
    last_household = None
    for voter_id, household_id in entries.values_list("voter_id", "household_id"):
        if not chunks or (len(chunks[-1]) >= size and household_id != last_household):
            chunks.append([])
        chunks[-1].append((voter_id, household_id))
        last_household = household_id
    start = (
        KnockUpRound.objects.filter(polling_day=polling_day, ward=ward)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    rounds = KnockUpRound.objects.bulk_create(
        [KnockUpRound(polling_day=polling_day, ward=ward, number=start + i) for i in range(1, len(chunks) + 1)]
    )
    KnockUpDoor.objects.bulk_create(
        [
            KnockUpDoor(round=r, voter_id=v, household_id=h, position=p)
            for r, chunk in zip(rounds, chunks, strict=True)
            for p, (v, h) in enumerate(chunk, start=1)
        ]
    )
    return rounds


def knock_up_round_send(*, round: KnockUpRound, volunteer) -> KnockUpRound:
    """The round goes out with `volunteer`, who loads it on their phone: someone with no role (or a deactivated
    account) could never load it, and its promises would not be knocked up."""
    if role_of(volunteer) is None:
        raise PollingDayError(f"{display_name(volunteer)} has no role in the campaign: make them a volunteer first")
    round.assigned_to = volunteer
    round.sent_out_at = timezone.now()
    round.back_at = None
    round.save(update_fields=["assigned_to", "sent_out_at", "back_at"])
    return round


def knock_up_round_back(*, round: KnockUpRound) -> KnockUpRound:
    round.back_at = timezone.now()
    round.save(update_fields=["back_at"])
    return round


def postal_vote_returned_mark(*, polling_day: PollingDay, voter: Voter, marked_by=None) -> PostalVoteReturned:
    if not voter.is_postal_voter:
        raise PollingDayError(f"{voter.reference} has no postal vote")
    mark, _ = PostalVoteReturned.objects.get_or_create(
        polling_day=polling_day, voter=voter, defaults={"marked_by": marked_by}
    )
    return mark


class TurnoutRefused(PollingDayError):
    pass


@transaction.atomic
def polling_day_turnout_record(*, polling_day: PollingDay, now: dt.datetime | None = None) -> int:
    """After the day, the tellers' numbers become the election's turnout history, marked as from tellers.

    Refused while the polls are open, and once the election's marked register is in (it is the
    turnout history then, and better: tellers miss some voters). A marked register imported later
    replaces the election's rows, these among them. Running it again adds only electors seen since.
    Returns how many rows were added.
    """
    now = now or timezone.now()
    if now < polling_day.closes:
        local = timezone.localtime(polling_day.closes)
        raise TurnoutRefused(f"the polls close at {local:%H:%M on %-d %B %Y}: turnout history is made after the day")
    in_wards = PollingDistrict.objects.filter(ward__in=polling_day.wards.all())
    # Turnout for the date that is not the tellers' came from the marked register (apply.marked_apply).
    marked = TurnoutRecord.objects.filter(
        election_date=polling_day.election_date, from_tellers=False, voter__polling_district__in=in_wards
    )
    if marked.exists():
        raise TurnoutRefused(
            f"the marked register for {polling_day.election_date:%-d %B %Y} is already imported:"
            " it is the turnout history now, and better than the tellers' numbers"
        )
    voters = Voter.objects.filter(polling_district__in=in_wards).filter(
        id__in=_voted_voter_ids(polling_day.election_date),
    )
    before = TurnoutRecord.objects.filter(election_date=polling_day.election_date).count()
    TurnoutRecord.objects.bulk_create(
        [
            TurnoutRecord(
                voter_id=voter_id,
                election_date=polling_day.election_date,
                method=TurnoutRecord.Method.IN_PERSON,
                from_tellers=True,
            )
            for voter_id in voters.values_list("id", flat=True).iterator()
        ],
        ignore_conflicts=True,
        batch_size=5000,
    )
    polling_day.turnout_recorded_at = now
    polling_day.save(update_fields=["turnout_recorded_at"])
    return TurnoutRecord.objects.filter(election_date=polling_day.election_date).count() - before


def _voted_voter_ids(election_date: dt.date):
    voted = TellerReturn.objects.filter(
        election_date=election_date,
        polling_district_id=OuterRef("polling_district_id"),
        elector_number=OuterRef("elector_number"),
        elector_suffix=OuterRef("elector_suffix"),
    )
    return Voter.objects.filter(Exists(voted)).values("id")
