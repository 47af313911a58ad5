"""Set-based SQL that applies a staged file: no loop over electors in Python.

Every statement runs in the caller's transaction; the same SQL runs on PostgreSQL and SQLite.
"""

import datetime as dt
import itertools

from django.db import connection
from django.db.models import UniqueConstraint

from canvass.models import Household, TurnoutRecord, Voter
from canvass.privacy.models import CarriedObjection, Erasure
from canvass.privacy.services.erasure import register_key
from canvass.privacy.services.objections import carried_objections_restore
from canvass.register.records import Rejection
from canvass.register.staging import (
    KEPT,
    REJECTED,
    STAGE,
    bytewise_sql,
    exact_name_sql,
    rejected_stored,
    stage_has_duplicates,
    stage_scope,
    stage_scope_refresh,
    stage_voter_ids_set,
)
from canvass.sql import column as _column
from canvass.sql import execute as _execute
from canvass.sql import is_postgres
from canvass.sql import scalar as _scalar
from wards.models import PollingDistrict

V = Voter._meta.db_table
H = Household._meta.db_table
T = TurnoutRecord._meta.db_table
P = PollingDistrict._meta.db_table
UNIQUE_REFERENCE = next(c.name for c in Voter._meta.constraints if isinstance(c, UniqueConstraint))
REFERENCE = "pd || '-' || number || CASE WHEN suffix > 0 THEN '/' || suffix ELSE '' END"
SAMPLE = 50


def imports_serialised(council_id: int) -> None:
    """One import at a time per council, until this transaction ends: two files adding the same new door
    at once would otherwise both insert it."""
    if is_postgres():
        _execute("SELECT pg_advisory_xact_lock(hashtext('register-import'), %s)", [council_id])


# New households past this many make the planner's row estimate for the table stale enough to pick a poor join.
ANALYZE_AFTER_NEW_HOUSEHOLDS = 10_000


def households_link() -> int:
    """Create the households the file needs: one per normalised address in a district, from its first row.
    (Found here, in SQL, not while parsing: a set of every address in the file cost tens of megabytes.)
    An update's deletions carry no address (`address_key` empty): they need no household."""
    created = _execute(
        f"""
        INSERT INTO {H} (polling_district_id, address, postcode, street, house_number, address_key)
        SELECT s.pd_id, s.address, s.postcode, s.street, s.house_number, s.address_key FROM {STAGE} s
        JOIN (SELECT MIN(line) AS line FROM {STAGE} n WHERE n.address_key <> '' AND NOT EXISTS
                (SELECT 1 FROM {H} h WHERE h.polling_district_id = n.pd_id AND h.address_key = n.address_key)
              GROUP BY pd_id, address_key) first_rows ON first_rows.line = s.line
        ORDER BY s.line
        """
    )
    # (A join, not `line IN (...)`: the planner guessed 200 distinct first lines for IN and probed the
    # staging table's index once per new household; the join hashes them.) The households' statistics are
    # needed at once, even when the indexes are rebuilt (and the table analysed again) at the end: without
    # them the voters' INSERT joins a table the planner believes empty, with a nested loop (minutes at 150,000).
    if created >= ANALYZE_AFTER_NEW_HOUSEHOLDS and is_postgres():
        _execute(f"ANALYZE {H} (id, polling_district_id, address_key)")
    return created


# The household of a staged row, found through the (district, address key) unique index.
HOUSEHOLD_JOIN = f"JOIN {H} h ON h.polling_district_id = s.pd_id AND h.address_key = s.address_key"


def _stage_link_by_reference(changes: tuple[str, ...]) -> None:
    placeholders = ", ".join(["%s"] * len(changes))
    _execute(
        f"""
        UPDATE {STAGE} SET voter_id = v.id FROM {V} v
        WHERE v.on_register AND v.polling_district_id = {STAGE}.pd_id AND v.elector_number = {STAGE}.number
          AND v.elector_suffix = {STAGE}.suffix AND {STAGE}.change IN ({placeholders})
        """,
        changes,
    )


def _rejections(where: str, column: str, reason_sql: str) -> list[Rejection]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT line, {reason_sql} FROM {STAGE} WHERE {where} ORDER BY line")
        return [Rejection(line, column, reason) for line, reason in cursor.fetchall()]


def stage_duplicates(column: str) -> list[Rejection]:
    """Rows whose reference an earlier row of the file already has, naming that first line. They are discarded
    (when one was the first row of its address, the next row there creates the household)."""
    if not stage_has_duplicates():
        return []
    # The references seen more than once are grouped first (a hash of three integers); only their rows are read
    # again, rather than a window sorting every row by reference.
    # An update's deletion followed by an addition of the same reference is no duplicate: the number was reused
    # (`update_repeats_combined` leaves only such pairs of an update's repeated rows).
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT s.line, 'duplicate elector reference ' || {REFERENCE} || ' (first on line ' || d.first || ')'
            FROM {STAGE} s JOIN (SELECT pd_id, number, suffix, MIN(line) AS first, COUNT(*) AS copies FROM {STAGE}
                                 GROUP BY pd_id, number, suffix HAVING COUNT(*) > 1) d USING (pd_id, number, suffix)
            WHERE s.line > d.first AND NOT (d.copies = 2 AND s.change = 'add'
                AND EXISTS (SELECT 1 FROM {STAGE} f WHERE f.line = d.first AND f.change = 'delete'))
            ORDER BY s.line"""
        )
        rejections = [Rejection(line, column, reason) for line, reason in cursor.fetchall()]
    if rejections:
        stage_discard([r.line for r in rejections])
    return rejections


def touched_ward_ids() -> list[int]:
    """The wards of the polling districts the staged file covers."""
    return _column(f"SELECT DISTINCT ward_id FROM {P} WHERE id IN {stage_scope()} ORDER BY ward_id")


def stage_discard(lines: list[int]) -> None:
    for start in range(0, len(lines), 500):
        chunk = lines[start : start + 500]
        _execute(f"DELETE FROM {STAGE} WHERE line IN ({', '.join(['%s'] * len(chunk))})", chunk)
    if lines:
        stage_scope_refresh()  # a district whose every row was refused is no longer covered


def _sample(sql: str) -> list[str]:
    return _column(f"{sql} LIMIT {SAMPLE}")


# Electors whose rows were rejected, in a file that lists every elector of its districts -----------------------

KEPT_LABEL = "kept as they were (their rows were rejected)"
UNREADABLE_LABEL = "rejected rows with no readable elector reference (anyone they were counts as gone)"
VOTER_REFERENCE = (
    "p.code || '-' || v.elector_number || CASE WHEN v.elector_suffix > 0 THEN '/' || v.elector_suffix ELSE '' END"
)
_kept = 0


def kept_find() -> int:
    """The voters to leave exactly as they were because their row was rejected (skipping accepted or not: a dry
    run counts the same): on the register under the reference of a rejected row (`staging.rejected_remember`),
    in a district the file covers, with that reference on no staged row (a staged row decides for its reference:
    a duplicate's first row, or a good row given the same reference) and not paired with a staged row by the
    match (then that row is theirs: after a renumbering, the previous holder of the number). Without rejected
    references this runs no statement, and the statements below are unchanged (`_not_kept` is empty)."""
    global _kept
    _kept = 0
    if not rejected_stored():
        return 0
    _execute(f"DROP TABLE IF EXISTS {KEPT}")
    _execute(
        f"""CREATE TEMPORARY TABLE {KEPT} AS
        SELECT DISTINCT v.id FROM {REJECTED} r
        JOIN {V} v ON v.on_register AND v.polling_district_id = r.pd_id AND v.elector_number = r.number
            AND v.elector_suffix = r.suffix
        WHERE r.pd_id IN {stage_scope()}
          AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.pd_id = r.pd_id AND s.number = r.number
                          AND s.suffix = r.suffix)
          AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.voter_id = v.id)"""
    )
    _kept = _scalar(f"SELECT COUNT(*) FROM {KEPT}")
    return _kept


def _not_kept(voter_id: str) -> str:
    """A condition leaving out the voters `kept_find` keeps; empty (no cost) when there are none."""
    return f"AND NOT EXISTS (SELECT 1 FROM {KEPT} k WHERE k.id = {voter_id})" if _kept else ""


def kept_sample() -> list[str]:
    return _sample(
        f"""SELECT {VOTER_REFERENCE} FROM {KEPT} k JOIN {V} v ON v.id = k.id JOIN {P} p ON p.id = v.polling_district_id
        ORDER BY p.code, v.elector_number, v.elector_suffix"""
    )


# Full register ----------------------------------------------------------------------------------------------


MOVERS = "register_movers"
MAX_AMBIGUOUS_SHOWN = 1000


def full_match() -> None:
    """Pair each row with an existing voter: by name and address first (so the annual renumbering keeps
    contact history), then by unchanged reference and name, then (a mover who was also renumbered) by name
    within the polling district where that identifies one voter of the previous register and one row.
    Namesakes at one address pair up in order, the same spelling (accents included) first."""
    _execute(f"DROP TABLE IF EXISTS {MOVERS}")
    if not _scalar(f"SELECT EXISTS (SELECT 1 FROM {V} WHERE polling_district_id IN {stage_scope()})"):
        _execute(f"CREATE TEMPORARY TABLE {MOVERS} (line integer, id bigint, per_line integer, per_voter integer)")
        return  # a first import: nobody to match
    voter_exact = exact_name_sql("v.surname", "v.forenames")
    # The voters with their addresses read apart (a hash join), then sorted: left in the pairing, the planner fed
    # the sort from households already in address order, one index probe of their voters each (0.3 s at 150,000).
    materialized = "MATERIALIZED" if is_postgres() else ""
    row_exact = exact_name_sql(f"{STAGE}.surname", f"{STAGE}.forenames")
    _execute("DROP TABLE IF EXISTS register_match")
    _execute(
        f"""
        CREATE TEMPORARY TABLE register_match AS
        WITH named_voters AS {materialized} (
            SELECT v.id, v.on_register, {bytewise_sql("h.address_key")} AS address_key,
                   {bytewise_sql("v.name_key")} AS name_key, {voter_exact} AS exact_name
            FROM {V} v JOIN {H} h ON h.id = v.household_id
            WHERE v.polling_district_id IN {stage_scope()})
        SELECT s.line, c.id FROM
          (SELECT line, address_key, name_key,
                  ROW_NUMBER() OVER (PARTITION BY address_key, name_key ORDER BY exact_name, line) AS rn
           FROM (SELECT line, {bytewise_sql("address_key")} AS address_key, {bytewise_sql("name_key")} AS name_key,
                        {row_exact} AS exact_name
                 FROM {STAGE}) named_rows) s
        JOIN
          (SELECT id, address_key, name_key,
                  ROW_NUMBER() OVER (PARTITION BY address_key, name_key ORDER BY on_register DESC, exact_name, id)
                  AS rn
           FROM named_voters) c
        ON c.address_key = s.address_key AND c.name_key = s.name_key AND c.rn = s.rn
        """
    )
    stage_voter_ids_set("register_match")
    _execute(
        f"""
        UPDATE {STAGE} SET voter_id = v.id FROM {V} v
        WHERE {STAGE}.voter_id IS NULL AND v.on_register AND v.polling_district_id = {STAGE}.pd_id
          AND v.elector_number = {STAGE}.number AND v.elector_suffix = {STAGE}.suffix
          AND v.name_key = {STAGE}.name_key
          AND NOT EXISTS (SELECT 1 FROM {STAGE} t WHERE t.voter_id = v.id)
        """
    )
    _execute("DROP TABLE register_match")
    _movers_match()


def _movers_match() -> None:
    """Rows still unpaired and voters of the previous register still unpaired, with the same name in the same
    polling district. A pair that is the only candidate both ways is the same person; any other is listed in
    the report as ambiguous (`full_counts`) and left for an admin to confirm, never guessed."""
    _execute(
        f"""
        CREATE TEMPORARY TABLE {MOVERS} AS
        SELECT line, id, COUNT(*) OVER (PARTITION BY line) AS per_line, COUNT(*) OVER (PARTITION BY id) AS per_voter
        FROM (SELECT s.line, v.id FROM
                (SELECT s.line, s.pd_id, s.name_key FROM {STAGE} s WHERE s.voter_id IS NULL) s
              JOIN
                (SELECT v.id, v.polling_district_id AS pd_id, v.name_key FROM {V} v
                 WHERE v.on_register AND v.polling_district_id IN {stage_scope()}
                   AND NOT EXISTS (SELECT 1 FROM {STAGE} t WHERE t.voter_id = v.id)) v
              ON v.pd_id = s.pd_id AND v.name_key = s.name_key AND s.name_key <> '') pairs
        """
    )
    _execute(
        f"""UPDATE {STAGE} SET voter_id = m.id FROM {MOVERS} m
        WHERE m.line = {STAGE}.line AND m.per_line = 1 AND m.per_voter = 1"""
    )


def ambiguous_matches() -> list[dict]:
    """Each staged row with several possible voters (or whose voter several rows could be), with the candidates:
    what an admin confirms (`services.register_match_confirm`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT s.line, {REFERENCE} AS ref, s.pd_id, s.number, s.suffix, v.id,
                   p.code || '-' || v.elector_number || CASE WHEN v.elector_suffix > 0
                       THEN '/' || v.elector_suffix ELSE '' END
            FROM {MOVERS} m JOIN {STAGE} s ON s.line = m.line JOIN {V} v ON v.id = m.id
            JOIN {P} p ON p.id = v.polling_district_id
            WHERE (m.per_line > 1 OR m.per_voter > 1) AND s.voter_id IS NULL {_not_kept("v.id")}
            ORDER BY s.line, v.elector_number, v.elector_suffix"""
        )
        found: dict[int, dict] = {}
        for line, reference, pd_id, number, suffix, voter_id, candidate in cursor.fetchall():
            entry = found.setdefault(
                line,
                {"line": line, "reference": reference, "pd_id": pd_id, "number": number, "suffix": suffix},
            )
            entry.setdefault("candidates", []).append({"id": voter_id, "reference": candidate})
    return list(found.values())[:MAX_AMBIGUOUS_SHOWN]


def ambiguous_text(entry: dict) -> str:
    candidates = " or ".join(c["reference"] for c in entry["candidates"])
    return f"line {entry['line']} {entry['reference']}: {candidates}"


def full_counts() -> tuple[dict[str, int], dict[str, list[str]]]:
    # A voter is paired with one staged row at most (the pairing's row numbers, then NOT EXISTS, then the movers'
    # one-to-one test), so the matched, the renumbered and the new are counted with one join.
    gone_where = f"""v.on_register AND v.polling_district_id IN {stage_scope()}
        AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.voter_id = v.id) {_not_kept("v.id")}"""
    ambiguous = ambiguous_matches()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT COUNT(s.voter_id), COUNT(*) FILTER (WHERE NOT (v.on_register AND v.polling_district_id = s.pd_id
                    AND v.elector_number = s.number AND v.elector_suffix = s.suffix)),
                COUNT(*) - COUNT(s.voter_id)
            FROM {STAGE} s LEFT JOIN {V} v ON v.id = s.voter_id"""
        )
        matched, renumbered, new = cursor.fetchone()
        # The gone and the first of them, in one reading: the count rides along on each row of the sample.
        cursor.execute(
            f"""SELECT {VOTER_REFERENCE}, COUNT(*) OVER ()
            FROM {V} v JOIN {P} p ON p.id = v.polling_district_id
            WHERE {gone_where} ORDER BY p.code, v.elector_number, v.elector_suffix LIMIT {SAMPLE}"""
        )
        gone = cursor.fetchall()
    counts = {"matched": matched, "renumbered": renumbered, "new": new, "gone": gone[0][1] if gone else 0}
    movers = _scalar(f"SELECT COUNT(*) FROM {MOVERS} m JOIN {STAGE} s ON s.line = m.line AND s.voter_id = m.id")
    if movers:
        counts["matched by name alone (moved and renumbered)"] = movers
    if ambiguous:
        counts["ambiguous matches (an admin confirms)"] = len(ambiguous)
    samples = {
        "ambiguous matches": [ambiguous_text(entry) for entry in ambiguous],
        "new": _sample(f"SELECT {REFERENCE} FROM {STAGE} WHERE voter_id IS NULL ORDER BY line"),
        "gone": [reference for reference, _ in gone],
    }
    return counts, samples


def _references_unique_now() -> bool:
    """False while a whole-register load has dropped the unique-reference index: it is built, and so
    checked, again before the import commits, and meanwhile voters may swap numbers in one statement."""
    if not is_postgres():
        return True
    return _scalar("SELECT to_regclass(%s) IS NOT NULL", [UNIQUE_REFERENCE])


def full_apply(today: dt.date) -> None:
    _execute("DROP TABLE IF EXISTS register_previous")
    _execute(
        f"""CREATE TEMPORARY TABLE register_previous AS
        SELECT id, polling_district_id, elector_number, elector_suffix FROM {V}
        WHERE on_register AND polling_district_id IN {stage_scope()}"""
    )
    _execute("ANALYZE register_previous")
    # Off the register first: the gone, and (while references must stay unique) the renumbered too, so no
    # new reference collides mid-statement with an old one. The renumbered come back on below, which
    # clears the date they left; voters keeping their reference are rewritten only if something changed.
    same_reference = (
        "AND s.pd_id = p.polling_district_id AND s.number = p.elector_number AND s.suffix = p.elector_suffix"
        if _references_unique_now()
        else ""
    )
    _execute(
        f"""UPDATE {V} SET on_register = false, left_register_on = %s WHERE id IN (
            SELECT p.id FROM register_previous p
            WHERE NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.voter_id = p.id {same_reference}) {_not_kept("p.id")})""",
        [today],
    )
    _execute(
        f"""
        UPDATE {V} SET polling_district_id = s.pd_id, household_id = h.id, elector_number = s.number,
            elector_suffix = s.suffix, title = s.title, surname = s.surname, forenames = s.forenames,
            markers = s.markers, attainer_date = s.attainer_date, name_key = s.name_key, on_register = true,
            left_register_on = NULL
        FROM {STAGE} s {HOUSEHOLD_JOIN}
        WHERE s.voter_id = {V}.id AND (
            NOT {V}.on_register OR {V}.polling_district_id <> s.pd_id OR {V}.elector_number <> s.number
            OR {V}.elector_suffix <> s.suffix OR {V}.household_id <> h.id OR {V}.title <> s.title
            OR {V}.surname <> s.surname OR {V}.forenames <> s.forenames OR {V}.markers <> s.markers
            OR {V}.attainer_date IS DISTINCT FROM s.attainer_date OR {V}.left_register_on IS NOT NULL
            OR {V}.name_key <> s.name_key)
        """
    )
    voters_insert("change = ''")
    erased_objections_restore("change = ''")
    _execute("DROP TABLE register_previous")


def voters_insert(where: str) -> int:
    return _execute(
        f"""
        INSERT INTO {V} (polling_district_id, household_id, elector_number, elector_suffix, title, surname,
            forenames, markers, attainer_date, name_key, is_postal_voter, is_proxy_voter, do_not_contact, on_register)
        SELECT s.pd_id, h.id, s.number, s.suffix, s.title, s.surname, s.forenames, s.markers, s.attainer_date,
            s.name_key, false, false, false, true
        FROM {STAGE} s {HOUSEHOLD_JOIN} WHERE s.voter_id IS NULL AND s.{where} ORDER BY s.line
        """
    )


# Erased people named again by the register (canvass/privacy, docs/privacy.md) -------------------------------

ERASED = f"SELECT voter_id FROM {Erasure._meta.db_table}"


def erased_amends_readd(today: dt.date) -> None:
    """An amendment to an erased person's tombstone never writes their name back into it (that would tie the
    tombstone's anonymised contacts to them again): the tombstone leaves the register and the row comes in as a
    new elector, with no history, as a full register brings them back."""
    _execute(
        f"""UPDATE {V} SET on_register = false, left_register_on = %s
        WHERE id IN (SELECT voter_id FROM {STAGE} WHERE change = 'amend') AND id IN ({ERASED})""",
        [today],
    )
    _execute(f"UPDATE {STAGE} SET change = 'add', voter_id = NULL WHERE change = 'amend' AND voter_id IN ({ERASED})")


def erased_objections_restore(where: str) -> int:
    """New voters who are erased people who had objected get their objection back (matched by a keyed digest
    of name and address, `privacy.CarriedObjection`). Costs nothing while no erased person's objection waits."""
    if not CarriedObjection.objects.exists():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT v.id, s.address_key, s.name_key FROM {STAGE} s
            JOIN {V} v ON v.on_register AND v.polling_district_id = s.pd_id AND v.elector_number = s.number
                AND v.elector_suffix = s.suffix
            WHERE s.voter_id IS NULL AND s.{where}"""
        )
        new_voters = [
            (pk, register_key(address_key=address_key, name_key=name_key))
            for pk, address_key, name_key in cursor.fetchall()
        ]
    return carried_objections_restore(new_voters=new_voters)


# Monthly updates --------------------------------------------------------------------------------------------


def update_check() -> list[Rejection]:
    _stage_link_by_reference(("amend", "delete", "add"))
    missing = _rejections(
        "change IN ('amend', 'delete') AND voter_id IS NULL",
        "Elector Number",
        f"'cannot ' || CASE change WHEN 'amend' THEN 'amend' ELSE 'delete' END || ' elector ' || {REFERENCE}"
        " || ': not on the register'",
    )
    clash = _rejections(
        f"""change = 'add' AND voter_id IS NOT NULL AND NOT EXISTS
            (SELECT 1 FROM {STAGE} d WHERE d.change = 'delete' AND d.voter_id = {STAGE}.voter_id)""",
        "Elector Number",
        f"'cannot add elector ' || {REFERENCE} || ': already on the register'",
    )
    # An addition may reuse a reference deleted in the same file: it is a new voter, not that one.
    _execute(f"UPDATE {STAGE} SET voter_id = NULL WHERE change = 'add'")
    return missing + clash


# Two changes to one elector in one file, in file order, and the one change they make (the later row's details).
CHANGES_COMBINED = {
    ("add", "amend"): "add",
    ("amend", "amend"): "amend",
    ("add", "delete"): "skip",
    ("amend", "delete"): "delete",
    ("skip", "add"): "add",
}
_combined = 0


def update_repeats_combined() -> None:
    """An elector changed in several months of one file (Halarose months concatenated, each with its header) has
    a row per month: they make one change, in file order (`CHANGES_COMBINED`), and a row with no change adds
    nothing. A deletion followed by an addition stays two rows: the number was reused. Any other repeat is left
    for `stage_duplicates` to refuse. Only references that repeat are read (none, when the unique index held)."""
    global _combined
    _combined = 0
    if not stage_has_duplicates():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT s.pd_id, s.number, s.suffix, s.line, s.change FROM {STAGE} s
            JOIN (SELECT pd_id, number, suffix FROM {STAGE} GROUP BY pd_id, number, suffix HAVING COUNT(*) > 1) d
                USING (pd_id, number, suffix)
            ORDER BY s.pd_id, s.number, s.suffix, s.line"""
        )
        repeated = cursor.fetchall()
    discarded: list[int] = []
    relabelled: list[tuple[str, int]] = []
    for _, rows in itertools.groupby(repeated, key=lambda row: row[:3]):
        kept: list[tuple[int, str]] = []  # (line, change), in file order
        for *_, line, change in rows:
            last_line, last_change = kept[-1] if kept else (0, "")
            combined = CHANGES_COMBINED.get((last_change, change))
            if kept and change == "":
                discarded.append(line)
            elif kept and last_change == "":
                discarded.append(last_line)
                kept[-1] = (line, change)
            elif kept and combined:
                discarded.append(last_line)
                kept[-1] = (line, combined)
                if combined == "skip" and len(kept) > 1:  # deleted, then added and deleted again: one deletion
                    discarded.append(kept.pop()[0])
                elif combined != change:
                    relabelled.append((combined, line))
            else:
                kept.append((line, change))
    if relabelled:
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {STAGE} SET change = %s WHERE line = %s", relabelled)
    stage_discard(discarded)
    _combined = len(discarded)


def update_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT change, COUNT(*) FROM {STAGE} GROUP BY change")
        by_change = dict(cursor.fetchall())
    names = {"add": "added", "amend": "amended", "delete": "deleted", "skip": "created and deleted in this file"}
    counts = {label: by_change.get(change, 0) for change, label in names.items()} | {"unchanged": by_change.get("", 0)}
    if _combined:
        counts["rows combined with a later row of the same elector"] = _combined
    return counts


def update_apply(today: dt.date) -> None:
    erased_amends_readd(today)
    _execute(
        f"""UPDATE {V} SET on_register = false, left_register_on = %s
        WHERE id IN (SELECT voter_id FROM {STAGE} WHERE change = 'delete')""",
        [today],
    )
    _execute(
        f"""
        UPDATE {V} SET household_id = h.id, title = s.title, surname = s.surname,
            forenames = s.forenames, markers = s.markers, attainer_date = s.attainer_date, name_key = s.name_key
        FROM {STAGE} s {HOUSEHOLD_JOIN} WHERE s.voter_id = {V}.id AND s.change = 'amend'
        """
    )
    voters_insert("change = 'add'")
    erased_objections_restore("change = 'add'")


# Absent voters and marked registers -------------------------------------------------------------------------


def keyed_check(kind_label: str) -> list[Rejection]:
    _stage_link_by_reference(("",))
    return _rejections(
        "voter_id IS NULL", "Elector Number", f"'elector ' || {REFERENCE} || ': not on the register ({kind_label})'"
    )


def absent_counts() -> dict[str, int]:
    previously = _scalar(
        f"""SELECT COUNT(*) FROM {V} WHERE polling_district_id IN {stage_scope()}
        AND (is_postal_voter OR is_proxy_voter)
        AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.voter_id = {V}.id) {_not_kept(f"{V}.id")}"""
    )
    return {
        "postal voters": _scalar(f"SELECT COUNT(*) FROM {STAGE} WHERE extra = 'postal'"),
        "proxy voters": _scalar(f"SELECT COUNT(*) FROM {STAGE} WHERE extra = 'proxy'"),
        "no longer absent voters": previously,
    }


def absent_apply() -> None:
    # The list is complete for the districts it covers: anyone not on it votes in person again. Only the rows
    # whose flags change are written: rewriting every voter of the districts cost most of a re-sent list's time.
    postal = f"id IN (SELECT voter_id FROM {STAGE} WHERE extra = 'postal')"
    proxy = f"id IN (SELECT voter_id FROM {STAGE} WHERE extra = 'proxy')"
    _execute(
        f"""UPDATE {V} SET is_postal_voter = {postal}, is_proxy_voter = {proxy}
        WHERE polling_district_id IN {stage_scope()}
          AND (is_postal_voter <> ({postal}) OR is_proxy_voter <> ({proxy})) {_not_kept(f"{V}.id")}"""
    )


def marked_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT extra, COUNT(*) FROM {STAGE} GROUP BY extra")
        by_mark = dict(cursor.fetchall())
    return {
        "voted in person": by_mark.get(TurnoutRecord.Method.IN_PERSON, 0),
        "voted by post": by_mark.get(TurnoutRecord.Method.POSTAL, 0),
        "did not vote": by_mark.get("", 0),
    }


def marked_apply(election_date: dt.date, source_id: int | None) -> None:
    # Re-importing the same election's marked register replaces its turnout rows: idempotent.
    _execute(
        f"""DELETE FROM {T} WHERE election_date = %s
        AND voter_id IN (SELECT id FROM {V} WHERE polling_district_id IN {stage_scope()})
        {_not_kept(f"{T}.voter_id")}""",
        [election_date],
    )
    _execute(
        f"""INSERT INTO {T} (voter_id, election_date, method, source_id)
        SELECT voter_id, %s, extra, %s FROM {STAGE} WHERE extra <> '' ORDER BY line""",
        [election_date, source_id],
    )
