"""The one read model of walk lists: which lists a user may walk, one list's doors as a tree, and its progress.

`walk_list_tree` returns the list street by street, door by door in walking order, each door with its voters
on the register, each voter with their last contact, the reason they are on the ward's target list and
do-not-contact; each door with its own last contact and what happened there since the list was cut. The API,
the doorstep page, the CSV export and the printed walk sheet all read this tree. Rows are plain dicts: a
300-door list carries some 700 voters and their last contacts, too many to build model instances for. It
costs three queries whatever the list's length (two without contacts), each fixed SQL made once per process
(`_doors_sql`, `_voters_sql`, `_contacts_sql`): compiling them through the ORM cost more than running them.

Progress: knocked = any contact since the list was cut; contacts = every contact since then; to do =
doors someone may knock where nobody has answered yet ("not in" stays to do).
"""

import functools
from collections import defaultdict

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Subquery,
)
from django.db.models.functions import Coalesce

from canvass import sql
from canvass.franchise import franchise_for_markers
from canvass.models import ContactRecord, Household, Outcome, Voter, WalkList, WalkListHousehold
from canvass.rules import COUNTED_CONTACT
from canvass.sql import is_postgres
from wards.models import Reason, TargetListEntry

SUMMARY_FIELDS = (
    "client_uuid",
    "contacted_at",
    "outcome",
    "local_intention",
    "local_party",
    "national_intention",
    "national_party",
    "likelihood",
)
DOOR_FIELDS = ("address", "street", "house_number", "postcode")
VOTER_FIELDS = (
    "title",
    "forenames",
    "surname",
    "markers",
    "is_postal_voter",
    "is_proxy_voter",
    "do_not_contact",
    "on_register",
)


# What of a voter the version reads (what the tree shows of them).
VERSION_VOTER_FIELDS = (
    "id",
    "household_id",
    "polling_district__code",
    "elector_number",
    "elector_suffix",
    *VOTER_FIELDS,
)


def _assigned_volunteers() -> Prefetch:
    user_model = WalkList.assigned_to.rel.model
    # The names too: the API shows each assigned volunteer by display name (canvass.models.people).
    return Prefetch(
        "assigned_to", queryset=user_model.objects.only("id", "first_name", "last_name", user_model.USERNAME_FIELD)
    )


def walk_lists_for(user):
    """The lists a user may walk, newest first, each with its size and its doors knocked since it was cut."""
    return walk_lists_counted(WalkList.objects.visible_to(user).select_related("ward")).order_by("-created_at", "-id")


def walk_list_to_open(user):
    """The lists a user may open on the doorstep, without the per-list counts (the tree counts its doors)."""
    return WalkList.objects.visible_to(user).select_related("ward")


def walk_lists_with_assignees(user):
    """As `walk_lists_for`, with the ids of the volunteers each list is assigned to (the API lists them)."""
    return walk_lists_for(user).prefetch_related(_assigned_volunteers())


def walk_list_for_detail(user):
    """The lists a user may open, without the per-list counts (the tree counts its doors itself)."""
    return WalkList.objects.visible_to(user).select_related("ward").prefetch_related(_assigned_volunteers())


def newest_contact_id(**match):
    """The id of the newest contact matching `match` (OuterRefs): one index probe per row it is used on."""
    return Subquery(ContactRecord.objects.filter(**match).order_by("-contacted_at", "-id").values("id")[:1])


def _address_line(address: str) -> str:
    return ", ".join(line.strip() for line in address.splitlines() if line.strip())


def _field(model, name: str):
    """A model's field by its `values()` name (`x_id` for a foreign key's column)."""
    return model._meta.get_field(name.removesuffix("_id")) if name.endswith("_id") else model._meta.get_field(name)


def _converters(fields) -> list[tuple[int, list]]:
    """What the ORM does to each column it reads (on SQLite a datetime or uuid comes back as text, a boolean as
    0/1), as `(index, [(converter, expression), ...])` for the columns that need it: none of the tree's on
    PostgreSQL. `None` for a column read as it comes."""
    from django.db.models.expressions import Col

    found = []
    for index, field in enumerate(fields):
        if field is None:
            continue
        column = Col("t", field)
        steps = [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]
        if steps:
            found.append((index, [(step, column) for step in steps]))
    return found


def _read(query: str, params, fields) -> list:
    """The rows of a fixed query as tuples, each column converted as the ORM would (`_converters`)."""
    rows = sql.fetch(query, params)
    converters = _converters(fields)
    if not converters or not rows:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index, steps in converters:
            for step, column in steps:
                values[index] = step(values[index], column, connection)
        converted.append(tuple(values))
    return converted


def _tables() -> dict[str, str]:
    return {
        "stop": WalkListHousehold._meta.db_table,
        "door": Household._meta.db_table,
        "voter": Voter._meta.db_table,
        "contact": ContactRecord._meta.db_table,
        "entry": TargetListEntry._meta.db_table,
        "district": Voter._meta.get_field("polling_district").related_model._meta.db_table,
        "party": ContactRecord._meta.get_field("local_party").related_model._meta.db_table,
    }


# A door's contacts, newest first (the id breaks a tie), and those since the list was cut that count: a record
# corrected at the door ("change") counts once, its correction standing for it.
_NEWEST = "ORDER BY c.contacted_at DESC, c.id DESC LIMIT 1"
# A door's own (no voter): in the order of its partial index, which the planner then always takes (left to
# choose, it once walked every household-level contact on the voters' index instead).
_DOOR_NEWEST = "ORDER BY c.household_id, c.contacted_at DESC, c.id DESC LIMIT 1"


@functools.cache
def _doors_sql(with_contacts: bool) -> str:
    """The list's doors in walking order with their address; with the contacts, each door's own last contact
    (no voter), its newest counted contact since the cut, how many, and whether any answered (not "not in").
    Parameters: (the cut, the cut, the cut,) the list."""
    t = _tables()
    columns = ", ".join(f"h.{_field(Household, name).column}" for name in DOOR_FIELDS)
    extra = ""
    if with_contacts:
        counted, _ = COUNTED_CONTACT.sql("c")
        since = f"FROM {t['contact']} c WHERE c.household_id = s.household_id AND c.contacted_at >= %s AND {counted}"
        extra = f""",
            (SELECT c.id FROM {t["contact"]} c WHERE c.household_id = s.household_id AND c.voter_id IS NULL
             {_NEWEST}),
            (SELECT c.id {since} {_NEWEST}),
            (SELECT COUNT(*) {since}),
            EXISTS (SELECT 1 {since} AND c.outcome <> '{Outcome.NOT_IN}')"""
    return f"""
        SELECT s.household_id, s.position, {columns}{extra}
        FROM {t["stop"]} s JOIN {t["door"]} h ON h.id = s.household_id
        WHERE s.walk_list_id = %s
        ORDER BY s.position"""


def _doors(walk_list: WalkList, *, with_contacts: bool, rows: dict | None = None) -> list[dict]:
    params: list = []
    names: tuple[str, ...] = ("id", "position", *DOOR_FIELDS)
    fields: list = [None, None, *(None for _ in DOOR_FIELDS)]
    if with_contacts:
        _, counted_params = COUNTED_CONTACT.sql("c")
        cut = connection.ops.adapt_datetimefield_value(walk_list.created_at)
        params = [cut, *counted_params] * 3
        names += ("last_id", "visit_id", "contacts", "answered")
        fields += [None, None, None, BooleanField()]
    doors = []
    found = _read(_doors_sql(with_contacts), [*params, walk_list.pk], fields)
    for row in found:
        if rows is not None:
            rows["doors"].append(row[: 2 + len(DOOR_FIELDS)])
        door = dict(zip(names, row, strict=True))
        address = door["address"]
        door["label"] = address.splitlines()[0] if address else f"Household {door['id']}"
        door["address_line"] = _address_line(address)
        doors.append(door)
    return doors


def _reason_sql(segment: str) -> str:
    """Why the voter `v` is on the ward's target list (first by segment and position; of the segment named by the
    placeholder `segment`, when it is not empty), looked up at the voter's door.

    One index-only probe per voter of `target_door_voter_idx` (household, voter, segment, position, INCLUDE
    reason): no sort, no heap, where naming the ward (and every segment) on the (ward, segment, voter) key took
    five probes and 16 buffers, and, with stale statistics, the planner ANDed in the ward's whole position index
    (0.7 ms a voter). An entry's household is its voter's, in its voter's ward: the door names the ward. Joining
    the entries at all the doors instead (numbered per voter, or DISTINCT ON) saved 1.5 ms on a good plan, but
    the planner would as soon read the council's every entry (13 ms) or loop over them per voter (36 ms): this
    plan cannot go wrong."""
    return f"""(SELECT e.reason FROM {_tables()["entry"]} e
        WHERE e.household_id = v.household_id AND e.voter_id = v.id {f"AND e.segment = {segment}" if segment else ""}
        ORDER BY e.segment, e.position LIMIT 1)"""


@functools.cache
def _voters_sql(with_contacts: bool, segment: bool) -> str:
    """The voters on the register at the list's doors, by door and in register order: their reference's parts,
    the reason they are on the ward's target list (of the list's segment, when it was cut from one), with the
    contacts their last contact's id, and what the tree shows of them (`VOTER_FIELDS`).
    Parameters: (the segment,) the list."""
    t = _tables()
    last = f", (SELECT c.id FROM {t['contact']} c WHERE c.voter_id = v.id {_NEWEST})" if with_contacts else ""
    columns = ", ".join(f"v.{_field(Voter, name).column}" for name in VOTER_FIELDS)
    return f"""
        SELECT v.id, v.household_id, pd.code, v.elector_number, v.elector_suffix,
            {_reason_sql("%s" if segment else "")}{last}, {columns}
        FROM {t["voter"]} v JOIN {t["district"]} pd ON pd.id = v.polling_district_id
        WHERE v.on_register AND v.household_id IN (SELECT household_id FROM {t["stop"]} WHERE walk_list_id = %s)
        ORDER BY v.household_id, v.elector_number, v.elector_suffix, v.id"""


def _voters(walk_list: WalkList, *, with_contacts: bool, rows: dict | None = None) -> list[dict]:
    params = [walk_list.segment] if walk_list.segment else []  # a list cut from a segment: that segment's reason
    head = 6 + with_contacts  # id, household, code, number, suffix, reason (, last contact)
    fields = [None] * head + [_field(Voter, name) for name in VOTER_FIELDS]
    found = _read(_voters_sql(with_contacts, bool(walk_list.segment)), [*params, walk_list.pk], fields)
    reasons: dict[str | None, str] = {value: str(label) for value, label in Reason.choices}
    reasons[None] = ""
    voters = []
    kept = rows["voters"] if rows is not None else None
    for row in found:
        register = row[head:]
        if kept is not None:
            kept.append((*row[:5], *register))
        voter_id, household_id, code, number, suffix, reason = row[:6]
        voter = dict(zip(VOTER_FIELDS, register, strict=True))
        voter["id"], voter["household_id"], voter["target_reason"] = voter_id, household_id, reason
        if with_contacts:
            voter["last_id"] = row[6]
        # As Voter.reference writes it, without loading the polling district row per voter.
        voter["reference"] = f"{code}-{number}/{suffix}" if suffix else f"{code}-{number}"
        forenames, surname = voter["forenames"], voter["surname"]
        voter["full_name"] = f"{forenames} {surname}" if forenames and surname else (forenames or surname)
        voter["franchise"] = franchise_for_markers(voter["markers"])
        voter["target_reason_text"] = reasons[reason]
        voters.append(voter)
    return voters


CONTACT_KEYS = ("voter_id", *SUMMARY_FIELDS, "local_party__code", "national_party__code")


@functools.cache
def _contacts_sql(count: int) -> str:
    """The contacts by id (one array parameter on PostgreSQL, `count` placeholders elsewhere) with the party
    codes a volunteer reads."""
    t = _tables()

    def column(name: str) -> str:
        # The uuid as text on PostgreSQL: psycopg2 would make ~850 UUID objects a page only to turn them back.
        expression = f"c.{_field(ContactRecord, name).column}"
        return f"{expression}::text" if name == "client_uuid" and is_postgres() else expression

    columns = ", ".join(column(name) for name in ("voter_id", *SUMMARY_FIELDS))
    # On PostgreSQL one array literal: psycopg2 would send ARRAY[...] of ~850 constants, which cost more to parse
    # than the lookup took.
    where = "c.id = ANY(%s::bigint[])" if is_postgres() else f"c.id IN ({', '.join(['%s'] * count)})"
    return f"""
        SELECT c.id, {columns}, lp.code, np.code
        FROM {t["contact"]} c
        LEFT JOIN {t["party"]} lp ON lp.id = c.local_party_id
        LEFT JOIN {t["party"]} np ON np.id = c.national_party_id
        WHERE {where}"""


_UUID = 1 + CONTACT_KEYS.index("client_uuid")  # the uuid's column in `_contacts_sql`'s rows


def _contacts(ids: set[int]) -> dict[int, dict]:
    """The contacts with these ids as summaries (their own `id` too, and the uuid as text), with the party codes
    a volunteer reads: one query."""
    if not ids:
        return {}
    ordered = sorted(ids)
    if is_postgres():
        # Every column as the tree shows it: no converter.
        rows = sql.fetch(_contacts_sql(0), ["{" + ",".join(map(str, ordered)) + "}"])
    else:
        fields = [None, *(_field(ContactRecord, name) for name in ("voter_id", *SUMMARY_FIELDS)), None, None]
        rows = _read(_contacts_sql(len(ordered)), ordered, fields)
        rows = [(*row[:_UUID], str(row[_UUID]), *row[_UUID + 1 :]) for row in rows]
    keys = ("id", *CONTACT_KEYS)
    return {row[0]: dict(zip(keys, row, strict=True)) for row in rows}


# What the API shows of a voter's register entry, in its order (`WalkListVoterSerializer`).
VOTER_OUT_FIELDS = ("title", "forenames", "surname", "markers", "is_postal_voter", "do_not_contact", "on_register")


def _iso_sql(column: str) -> str:
    """`column` (a timestamptz) in the zone named by the parameter before it, written as the API writes
    datetimes (`isoformat()`, microseconds only when there are any, 'Z' for UTC): PostgreSQL's own JSON
    form drops trailing zeros and writes '+00:00'."""
    local, offset = (
        f"({column} AT TIME ZONE %(zone)s)",
        f"(({column} AT TIME ZONE %(zone)s) - ({column} AT TIME ZONE 'UTC'))",
    )
    return f"""(to_char({local}, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN date_part('microseconds', {local})::bigint %% 1000000 <> 0 THEN to_char({local}, '.US') ELSE '' END
        || CASE WHEN {offset} = interval '0' THEN 'Z'
                WHEN {offset} < interval '0' THEN '-' || to_char(-{offset}, 'HH24:MI')
                ELSE '+' || to_char({offset}, 'HH24:MI') END)"""


@functools.cache
def _households_json_sql(segment: bool) -> str:
    """The full API detail's `households` and `progress` as one JSON text, built in PostgreSQL from the same
    reads as `walk_list_tree` (`_doors_sql`, `_voters_sql`): one query, no rows to turn into dicts here.
    Named parameters: list, cut, counted (COUNTED_CONTACT's), segment, zone."""
    t = _tables()
    counted, _ = COUNTED_CONTACT.sql("c")
    counted = counted.replace("%s", "%(counted)s")
    since = f"FROM {t['contact']} c WHERE c.household_id = s.household_id AND c.contacted_at >= %(cut)s AND {counted}"
    fields = ", ".join(f"'{name}', c.{_field(ContactRecord, name).column}" for name in SUMMARY_FIELDS[2:])

    def summary(contact_id: str) -> str:
        at = _iso_sql("c.contacted_at")
        return f"""(SELECT json_build_object('client_uuid', c.client_uuid::text, 'contacted_at', {at}, {fields})
                   FROM {t["contact"]} c WHERE c.id = {contact_id})"""

    voter = ", ".join(
        f"'{name}', {expression}"
        for name, expression in (
            ("id", "v.id"),
            ("reference", "v.code || '-' || v.elector_number || CASE WHEN v.elector_suffix <> 0 "
             "THEN '/' || v.elector_suffix ELSE '' END"),
            *((name, f"v.{_field(Voter, name).column}") for name in VOTER_OUT_FIELDS),
            ("target_reason", "v.target_reason"),
            ("last_contact", summary("v.last_id")),
        )
    )  # fmt: skip
    knockable = "bool_or(NOT v.do_not_contact)"
    door_columns = ", ".join(f"h.{_field(Household, name).column} AS {name}" for name in DOOR_FIELDS)
    return f"""
        WITH d AS MATERIALIZED (
            SELECT s.household_id AS id, s.position, {door_columns},
                (SELECT c.id FROM {t["contact"]} c WHERE c.household_id = s.household_id AND c.voter_id IS NULL
                 {_DOOR_NEWEST}) AS last_id,
                (SELECT COUNT(*) {since}) AS contacts,
                EXISTS (SELECT 1 {since} AND c.outcome <> '{Outcome.NOT_IN}') AS answered
            FROM {t["stop"]} s JOIN {t["door"]} h ON h.id = s.household_id
            WHERE s.walk_list_id = %(list)s
        ), v AS MATERIALIZED (
            SELECT v.*, pd.code, {_reason_sql("%(segment)s" if segment else "")} AS target_reason,
                (SELECT c.id FROM {t["contact"]} c WHERE c.voter_id = v.id {_NEWEST}) AS last_id
            FROM {t["voter"]} v JOIN {t["district"]} pd ON pd.id = v.polling_district_id
            WHERE v.on_register AND v.household_id IN (SELECT id FROM d)
        ), at_door AS (
            SELECT v.household_id, {knockable} AS knockable,
                json_agg(json_build_object({voter}) ORDER BY v.elector_number, v.elector_suffix, v.id) AS voters
            FROM v GROUP BY v.household_id
        ), door AS (
            SELECT d.position, d.contacts, d.answered, COALESCE(a.knockable, false) AS knockable,
                json_build_object(
                    'id', d.id, 'position', d.position, 'address', d.address, 'street', d.street,
                    'house_number', d.house_number, 'postcode', d.postcode,
                    'knockable', COALESCE(a.knockable, false), 'do_not_contact', NOT COALESCE(a.knockable, true),
                    'last_contact', {summary("d.last_id")}, 'voters', COALESCE(a.voters, '[]'::json)
                ) AS body
            FROM d LEFT JOIN at_door a ON a.household_id = d.id
        )
        SELECT json_build_object(
            'progress', json_build_object(
                'households', COUNT(*), 'knocked', COUNT(*) FILTER (WHERE contacts > 0),
                'contacts', COALESCE(SUM(contacts), 0), 'to_do', COUNT(*) FILTER (WHERE knockable AND NOT answered)),
            'households', COALESCE(json_agg(body ORDER BY position), '[]'::json))::text
        FROM door"""


def walk_list_households_json(walk_list: WalkList) -> dict:
    """PostgreSQL only: {"progress": ..., "households": [...]} exactly as the full API detail writes them
    (`WalkListDetailSerializer` over `walk_list_detail`), built in the database in one query and parsed here
    (the C parser makes ~2,000 dicts faster than the tree and the serializer did)."""
    import json

    from django.utils import timezone

    _, (counted,) = COUNTED_CONTACT.sql("c")
    params = {
        "list": walk_list.pk,
        "cut": walk_list.created_at,
        "counted": counted,
        "segment": walk_list.segment,
        "zone": timezone.get_current_timezone_name(),
    }
    return json.loads(sql.scalar(_households_json_sql(bool(walk_list.segment)), params))


def walk_list_tree(walk_list: WalkList, *, with_contacts: bool = True, rows: dict | None = None) -> list[dict]:
    """The list as streets -> doors -> voters, in the walking order fixed when the list was cut.

    A street recurs when the route returns to it. `with_contacts=False` leaves out the contacts and progress
    (the CSV and the printed sheet need neither). `rows`, a dict, collects the doors' and voters' rows as read
    (`VERSION_VOTER_FIELDS`), for the structural part of a changes token (`walklists.changes.structure`).
    """
    if rows is not None:
        rows.update(doors=[], voters=[])
    doors = _doors(walk_list, with_contacts=with_contacts, rows=rows)
    voters = _voters(walk_list, with_contacts=with_contacts, rows=rows)
    contacts = {}
    if with_contacts:
        ids = {door[key] for door in doors for key in ("last_id", "visit_id")} | {v["last_id"] for v in voters}
        contacts = _contacts(ids - {None})
    by_household = defaultdict(list)
    for voter in voters:
        if with_contacts:
            voter["last_contact"] = contacts.get(voter.pop("last_id"))
        by_household[voter.pop("household_id")].append(voter)
    streets: list[dict] = []
    for door in doors:
        door["voters"] = by_household.get(door["id"], [])
        door["knockable"] = any(not voter["do_not_contact"] for voter in door["voters"])
        door["do_not_contact"] = bool(door["voters"]) and not door["knockable"]
        if with_contacts:
            door["last_contact"] = contacts.get(door.pop("last_id"))
            door["visit"] = contacts.get(door.pop("visit_id"))
            door["knocked"] = door["contacts"] > 0
            door["to_do"] = door["knockable"] and not door["answered"]
        if not streets or streets[-1]["name"] != door["street"]:
            streets.append({"name": door["street"], "doors": []})
        streets[-1]["doors"].append(door)
    return streets


def tree_doors(streets: list[dict]) -> list[dict]:
    return [door for street in streets for door in street["doors"]]


def walk_list_progress(streets: list[dict]) -> dict:
    """The list's figures, from a tree read with its contacts."""
    doors = tree_doors(streets)
    return {
        "households": len(doors),
        "knocked": sum(door["knocked"] for door in doors),
        "contacts": sum(door["contacts"] for door in doors),
        "to_do": sum(door["to_do"] for door in doors),
    }


def contactable(streets: list[dict]) -> list[dict]:
    """The tree with only the voters who may be contacted, dropping doors left with nobody (exports)."""
    kept: list[dict] = []
    for street in streets:
        doors = [
            {**door, "voters": voters}
            for door in street["doors"]
            if (voters := [voter for voter in door["voters"] if not voter["do_not_contact"]])
        ]
        if not doors:
            continue
        if kept and kept[-1]["name"] == street["name"]:
            kept[-1]["doors"].extend(doors)
        else:
            kept.append({"name": street["name"], "doors": doors})
    return kept


def walk_list_detail(walk_list: WalkList) -> WalkList:
    """A list with its tree, its doors in a flat list and its progress, as the API's detail renders it."""
    walk_list.streets = walk_list_tree(walk_list)
    walk_list.doors = tree_doors(walk_list.streets)
    walk_list.households_count = len(walk_list.doors)
    walk_list.progress = walk_list_progress(walk_list.streets)
    return walk_list


def _since_cut_on_list():
    """Contacts at a list's doors since it was cut (for an annotation on walk lists)."""
    return ContactRecord.objects.filter(
        household__walk_list_stops__walk_list=OuterRef("pk"), contacted_at__gte=OuterRef("created_at")
    ).order_by()


def walk_lists_with_progress(queryset):
    """Lists with their live figures, read from the contacts (not the statistics recompute), so a sync shows
    at once: doors, doors knocked, contacts since the cut, and the last sync (when it landed, who made it)."""
    contacts = _since_cut_on_list().values("household__walk_list_stops__walk_list").annotate(n=Count("id")).values("n")
    last = _since_cut_on_list().order_by("-recorded_at", "-id")
    return walk_lists_counted(queryset).annotate(
        contacts_count=Coalesce(Subquery(contacts), 0),
        last_sync_at=Subquery(last.values("recorded_at")[:1]),
        last_sync_first_name=Subquery(last.values("volunteer__first_name")[:1]),
        last_sync_last_name=Subquery(last.values("volunteer__last_name")[:1]),
        last_sync_username=Subquery(last.values("volunteer__username")[:1]),
    )


def walk_lists_counted(queryset):
    """Lists with their doors and their doors knocked since the cut (a counted contact since then)."""
    # Per stop, does a contact since the cut exist: one probe of the (household, contacted_at) index that
    # reads only the contacts since the cut, so the cost follows the list's doors, not their history. Both
    # counts are per-list subqueries (no join and GROUP BY over the stops, which made the planner run the
    # knocked count once per stop: 90,000 probes for a 300-door list).
    since_cut = ContactRecord.objects.filter(
        household_id=OuterRef("household_id"), contacted_at__gte=OuterRef("walk_list__created_at")
    ).filter(COUNTED_CONTACT.q())
    stops = WalkListHousehold.objects.filter(walk_list=OuterRef("pk")).order_by().values("walk_list")
    knocked = stops.filter(Exists(since_cut)).annotate(doors=Count("id")).values("doors")
    return queryset.annotate(
        households_count=Coalesce(Subquery(stops.annotate(doors=Count("id")).values("doors")), 0),
        knocked_count=Coalesce(Subquery(knocked), 0),
    )


def walk_list_progress_rows(queryset, *, limit: int | None = None) -> list:
    """`walk_lists_with_progress` read (the first `limit`), each with `last_sync_by`: who made the last sync."""
    from canvass.models.people import name_shown

    lists = list(walk_lists_with_progress(queryset)[:limit])
    for walk_list in lists:
        walk_list.last_sync_by = name_shown(
            first_name=walk_list.last_sync_first_name,
            last_name=walk_list.last_sync_last_name,
            username=walk_list.last_sync_username,
        )
    return lists


def delivery_doors(walk_list) -> list[dict]:
    """A delivery round's doors in walking order, by street, each with its latest mark: two queries."""
    from canvass.models import Delivery

    marks = {
        row["household_id"]: row
        for row in Delivery.objects.filter(walk_list=walk_list).values("household_id", "status", "delivered_at")
    }
    streets: list[dict] = []
    rows = WalkListHousehold.objects.filter(walk_list=walk_list).order_by("position")
    for row in rows.values("household_id", "household__street", "household__address"):
        address = row["household__address"]
        mark = marks.get(row["household_id"])
        door = {
            "id": row["household_id"],
            "label": address.splitlines()[0] if address else f"Household {row['household_id']}",
            "status": mark["status"] if mark else "",
        }
        if not streets or streets[-1]["name"] != row["household__street"]:
            streets.append({"name": row["household__street"], "doors": []})
        streets[-1]["doors"].append(door)
    return streets


def leaflet_coverage(ward) -> list:
    """Each of the ward's leaflets with its doors, how many were delivered or could not be, and the share of the
    ward's households delivered to: one query for the leaflets, one for the ward's households."""
    from canvass.models import Delivery, DeliveryStatus, Leaflet

    def counted(status=None):
        deliveries = Delivery.objects.filter(walk_list__leaflet=OuterRef("pk"))
        if status:
            deliveries = deliveries.filter(status=status)
        return Coalesce(
            Subquery(deliveries.order_by().values("walk_list__leaflet").annotate(n=Count("id")).values("n")), 0
        )

    doors = WalkListHousehold.objects.filter(walk_list__leaflet=OuterRef("pk")).order_by().values("walk_list__leaflet")
    leaflets = list(
        Leaflet.objects.filter(ward=ward)
        .annotate(
            doors=Coalesce(Subquery(doors.annotate(n=Count("household_id", distinct=True)).values("n")), 0),
            rounds_count=Count("rounds", distinct=True),
            delivered=counted(DeliveryStatus.DELIVERED),
            no_letterbox=counted(DeliveryStatus.NO_LETTERBOX),
            inaccessible=counted(DeliveryStatus.INACCESSIBLE),
        )
        .order_by("-created_at", "-id")
    )
    if leaflets:
        households = Household.objects.filter(polling_district__ward=ward).count()
        for leaflet in leaflets:
            leaflet.ward_households = households
            leaflet.coverage = round(100 * leaflet.delivered / households) if households else 0
    return leaflets


def delivery_rounds_progress(queryset):
    """Delivery rounds with their doors and how many doors have a mark (any status)."""
    from canvass.models import Delivery

    marked = Delivery.objects.filter(walk_list=OuterRef("pk")).order_by().values("walk_list")
    return walk_lists_counted(queryset).annotate(
        marked_count=Coalesce(Subquery(marked.annotate(n=Count("id")).values("n")), 0)
    )
