"""Benchmark: ward statistics and target lists for 150,000 electors and 500,000 contacts.

Usage (PostgreSQL only; the data go into a throw-away `test_…` database, dropped at the end):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_jobs SECRET_KEY=… \\
        .venv/bin/python bench/ward_statistics.py [--electors 150000] [--contacts 500000] [--runs 3]

Prints the median of the runs for a full recompute (every ward's statistics and target lists),
a one-ward recompute, and, as the baseline the issue names, one hand-written SQL query computing
the same ward statistics, with the ratio of the service's statistics pass to it. Also the share of Popley's
target-list entries a 300-contact sync there rewrote, beside the share a dense 1, 2, 3... numbering (the
representation before) would have rewritten for the same sync.

    ... bench/ward_statistics.py --sizes 50000,150000,450000 [--runs 1]

prints instead the growth table of the recompute after a register import (every ward named), at each size
(contacts 10/3 of the electors), before (contacts filtered to the wards' voters, then sorted) and after, with
k, the exponent of its growth (1 is linear), and which of its two big statements sorted on disk.
"""

import argparse
import datetime as dt
import json
import math
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from canvass import rules  # noqa: E402
from canvass.models import ContactRecord, Household, Voter  # noqa: E402
from canvass.register.names import name_key_sql  # noqa: E402
from canvass.sql import is_postgres  # noqa: E402
from wards.models import (  # noqa: E402
    AreaStatistics,
    ContactRateSample,
    Council,
    Party,
    PollingDistrict,
    TargetListEntry,
    Ward,
    WardResult,
)
from wards.services import statistics as stats_service  # noqa: E402
from wards.services import ward_statistics_recompute, wards_recompute  # noqa: E402
from wards.services.sql import batch_memory  # noqa: E402

# The generated electors' stored name key (Surname<g>, Forename), as the import would store it.
GENERATED_NAME_KEY = name_key_sql("'Surname' || g", "'Forename'", postgres=True)

WARDS = {
    "north": ["Popley", "Norden", "Chineham", "Winklebury & Manydown", "Sherborne St John & Rooksdown",
              "Brookvale & Kings Furlong"],
    "south": ["Brighton Hill", "South Ham", "Kempshott & Buckskin", "Hatch Warren & Beggarwood", "Eastrop & Grove"],
    "villages": ["Basing & Upton Grey", "Bramley", "Evingar", "Oakley & The Candovers", "Tadley & Pamber",
                 "Tadley North, Kingsclere & Baughurst", "Whitchurch, Overton & Laverstoke"],
}  # fmt: skip
PARTIES = [("LAB", "Labour", True), ("CON", "Conservative", False), ("LD", "Liberal Democrat", False),
           ("IND", "Independent", False), ("GRN", "Green", False)]  # fmt: skip


def load(electors: int, contacts: int) -> None:
    council = Council.objects.create(name="Basingstoke and Deane", ons_code="E07000084", total_seats=54)
    parties = [Party.objects.create(code=c, name=n, is_ours=o) for c, n, o in PARTIES]
    n = 0
    for zone, names in WARDS.items():
        for order, name in enumerate(names):
            ward = Ward.objects.create(
                council=council, name=name, zone=zone, rollout_order=order, seats_held=n % 3,
                expected_turnout_percent=30 + n % 10,
            )  # fmt: skip
            for i, party in enumerate(parties):
                WardResult.objects.create(ward=ward, party=party, votes=400 + ((n + 1) * (i + 3) * 37) % 900)
            for d in range(3):
                PollingDistrict.objects.create(ward=ward, code=f"{chr(65 + n)}{chr(65 + d)}1")
            n += 1
    households = electors * 10 // 23
    with connection.cursor() as cursor:
        # Generated rows are consistent by construction: skip the per-row foreign key triggers while loading.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            f"""INSERT INTO {Household._meta.db_table}
                (polling_district_id, address, postcode, street, house_number, address_key)
            SELECT d.id, g || ' Street ' || (g / 120), 'RG21 1AA', 'Street ' || (g / 120), 1 + g %% 120, 'K' || g
            FROM generate_series(0, %s - 1) g
            JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS rn FROM {PollingDistrict._meta.db_table}) d
              ON d.rn = (g / 120) %% 54""",
            [households],
        )
        cursor.execute(
            f"""INSERT INTO {Voter._meta.db_table}
                (polling_district_id, household_id, elector_number, elector_suffix, title, surname, forenames,
                 markers, is_postal_voter, is_proxy_voter, do_not_contact, on_register, name_key)
            SELECT h.polling_district_id, h.id, g, 0, '', 'Surname' || g, 'Forename',
                   CASE WHEN g %% 97 = 0 THEN 'F' WHEN g %% 53 = 0 THEN 'G' ELSE '' END,
                   g %% 5 = 0, false, g %% 101 = 0, g %% 59 <> 0, {GENERATED_NAME_KEY}
            FROM generate_series(1, %s) g
            JOIN {Household._meta.db_table} h
              ON h.id = (SELECT MIN(id) FROM {Household._meta.db_table}) + (g - 1) %% %s""",
            [electors, households],
        )
        insert_contacts(cursor, contacts, days=365)
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE")


def insert_contacts(cursor, count: int, *, days: int, ward: Ward | None = None) -> None:
    """`count` random contacts with random voters (of `ward`, or anyone), over the last `days` days."""
    parties = list(Party.objects.order_by("id").values_list("id", flat=True))
    in_ward = "WHERE pd.ward_id = %s" if ward else ""
    cursor.execute(
        f"""WITH pool AS (
            SELECT v.id, v.household_id, pd.ward_id, ROW_NUMBER() OVER (ORDER BY v.id) AS n
            FROM {Voter._meta.db_table} v
            JOIN {PollingDistrict._meta.db_table} pd ON pd.id = v.polling_district_id {in_ward}
        ), size AS (SELECT COUNT(*) AS n FROM pool)
        INSERT INTO {ContactRecord._meta.db_table}
            (client_uuid, voter_id, household_id, ward_id, contacted_at, recorded_at, channel, outcome,
             local_intention, local_party_id, national_intention, national_party_id, likelihood, issues,
             wants_postal_vote, will_take_poster, wants_to_volunteer, casework, do_not_knock, notes,
             voter_was_off_register, is_superseded)
        SELECT gen_random_uuid(), v.id, v.household_id, v.ward_id,
               now() - r.r1 * %s * interval '1 day', now(), 'door',
               CASE WHEN r.r2 < 0.6 THEN 'spoke' WHEN r.r2 < 0.9 THEN 'not_in' ELSE 'refused' END,
               CASE WHEN r.r2 >= 0.6 THEN '' WHEN r.r3 < 0.7 THEN 'party' WHEN r.r3 < 0.85 THEN 'undecided'
                    ELSE 'wont_say' END,
               CASE WHEN r.r2 < 0.6 AND r.r3 < 0.7 THEN (%s::bigint[])[1 + floor(r.r4 * 5)::int] END,
               CASE WHEN r.r2 >= 0.6 THEN '' WHEN r.r5 < 0.8 THEN 'party' ELSE 'undecided' END,
               CASE WHEN r.r2 < 0.6 AND r.r5 < 0.8 THEN (%s::bigint[])[1 + floor(r.r6 * 5)::int] END,
               CASE WHEN r.r2 < 0.6 AND r.r6 < 0.8 THEN 1 + floor(r.r7 * 5)::int END,
               '[]'::jsonb, false, false, false, false, r.r7 < 0.002, '', false, false
        FROM size CROSS JOIN (SELECT g, random() r0, random() r1, random() r2, random() r3, random() r4,
                                     random() r5, random() r6, random() r7 FROM generate_series(1, %s) g) r
        JOIN pool v ON v.n = 1 + floor(r.r0 * size.n)::int""",
        [*([ward.id] if ward else []), days, parties, parties, count],
    )


OURS = "(SELECT id FROM ours)"


def _inline(rule: rules.Rule, alias: str) -> str:
    """A rule's SQL with its values written in, for the baseline's one hand-written statement (named params)."""
    condition, params = rule.sql(alias, OURS)
    for value in params:
        if value is OURS:
            literal = OURS
        elif isinstance(value, bool):
            literal = "TRUE" if value else "FALSE"
        elif isinstance(value, int):
            literal = str(value)
        else:
            literal = "'" + str(value).replace("'", "''").replace("%", "%%") + "'"
        condition = condition.replace("%s", literal, 1)
    return condition


HAND_WRITTEN = f"""
WITH ours AS (SELECT id FROM wards_party WHERE is_ours),
latest AS (
    SELECT DISTINCT ON (c.voter_id) c.voter_id, c.contacted_at, c.local_intention, c.local_party_id,
           c.national_intention, c.national_party_id, c.likelihood,
           MIN(c.contacted_at) OVER (PARTITION BY c.voter_id) AS first_at
    FROM canvass_contactrecord c WHERE c.outcome = 'spoke' AND c.voter_id IS NOT NULL
    ORDER BY c.voter_id, c.contacted_at DESC, c.id DESC
),
electors AS (
    SELECT pd.ward_id, v.household_id, v.is_postal_voter, l.*,
           COALESCE(lp.code, NULLIF(l.local_intention, '')) AS local_key,
           COALESCE(np.code, NULLIF(l.national_intention, '')) AS national_key
    FROM canvass_voter v
    JOIN wards_pollingdistrict pd ON pd.id = v.polling_district_id
    LEFT JOIN latest l ON l.voter_id = v.id
    LEFT JOIN wards_party lp ON lp.id = l.local_party_id
    LEFT JOIN wards_party np ON np.id = l.national_party_id
    WHERE {_inline(rules.COUNCIL_ELECTOR, "v")}
),
local_shares AS (
    SELECT ward_id, jsonb_object_agg(local_key, n) AS local_intentions
    FROM (SELECT ward_id, local_key, COUNT(*) AS n FROM electors WHERE local_key IS NOT NULL
          GROUP BY ward_id, local_key) s GROUP BY ward_id
),
national_shares AS (
    SELECT ward_id, jsonb_object_agg(national_key, n) AS national_intentions
    FROM (SELECT ward_id, national_key, COUNT(*) AS n FROM electors WHERE national_key IS NOT NULL
          GROUP BY ward_id, national_key) s GROUP BY ward_id
),
first_days AS (
    SELECT ward_id, CAST(first_at AT TIME ZONE %(tz)s AS date) AS day, COUNT(*) AS n
    FROM electors WHERE first_at IS NOT NULL GROUP BY 1, 2
),
series AS (
    SELECT ward_id, jsonb_object_agg(day, jsonb_build_array(n, running)) AS series
    FROM (SELECT ward_id, day, n, SUM(n) OVER (PARTITION BY ward_id ORDER BY day) AS running FROM first_days) s
    GROUP BY ward_id
),
outcomes AS (
    SELECT ward_id, jsonb_object_agg(outcome, n) AS outcomes
    FROM (SELECT ward_id, outcome, COUNT(*) AS n FROM canvass_contactrecord GROUP BY ward_id, outcome) s
    GROUP BY ward_id
),
counts AS (
    SELECT e.ward_id,
           COUNT(*) AS electors,
           COUNT(DISTINCT e.household_id) AS households,
           COUNT(e.voter_id) AS contacted_ever,
           COUNT(*) FILTER (WHERE e.contacted_at >= %(since)s) AS contacted_recently,
           COUNT(*) FILTER (WHERE {_inline(rules.OURS_LOCALLY, "e")}) AS ours_locally,
           COUNT(*) FILTER (WHERE {_inline(rules.SPLIT_TICKET, "e")}) AS split_ticket,
           COUNT(*) FILTER (WHERE {_inline(rules.PROMISE, "e")}) AS promises,
           COUNT(*) FILTER (WHERE {_inline(rules.LIKELY_SUPPORTER, "e")}) AS likely,
           COUNT(*) FILTER (WHERE {_inline(rules.UNDECIDED, "e")}) AS undecided,
           COUNT(*) FILTER (WHERE e.is_postal_voter AND {_inline(rules.SUPPORTER, "e")}) AS postal
    FROM electors e GROUP BY e.ward_id
)
SELECT counts.*, COALESCE(local_intentions, '{{}}'), COALESCE(national_intentions, '{{}}'), COALESCE(outcomes, '{{}}'),
       COALESCE(series, '{{}}')
FROM counts
LEFT JOIN local_shares USING (ward_id)
LEFT JOIN national_shares USING (ward_id)
LEFT JOIN outcomes USING (ward_id)
LEFT JOIN series USING (ward_id)
ORDER BY ward_id
"""
STORED = (
    "electors", "households", "contacted_ever", "contacted_recently", "ours_locally", "split_ticket", "promises",
    "likely_supporters", "undecided", "postal_supporters", "local_intentions", "national_intentions", "outcomes",
)  # fmt: skip


def add_contacts(count: int, ward: Ward | None = None) -> None:
    """A day's canvassing arriving between recomputes (today's contacts), committed first."""
    with connection.cursor() as cursor:
        insert_contacts(cursor, count, days=1, ward=ward)


def timed(fn, runs: int, before=None) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def hand_written(since=None):
    # The same transaction settings as the service (its work_mem), so the ratio compares the SQL alone.
    since = since or timezone.now() - dt.timedelta(days=stats_service.RECENT_DAYS)
    with transaction.atomic(), connection.cursor() as cursor:
        batch_memory()
        cursor.execute(HAND_WRITTEN, {"since": since, "tz": settings.TIME_ZONE})
        return cursor.fetchall()


def service_statement():
    """The service's own aggregation statement, without the Python and the writes around it."""
    with transaction.atomic(), connection.cursor() as cursor:
        batch_memory()
        since = timezone.now() - dt.timedelta(days=stats_service.RECENT_DAYS)
        cursor.execute(*stats_service._ward_pass_sql(None, stats_service._our_party_id(), since))
        return cursor.fetchall()


def dense_entries(ward: Ward) -> dict:
    """The ward's entries as the old dense numbering would store them: (segment, voter) -> (1, 2, 3... along the
    walk, reason). The stored positions keep the walking order, so numbering them densely gives the old positions."""
    rows = TargetListEntry.objects.filter(ward=ward).order_by("segment", "position")
    numbered, last_segment, n = {}, None, 0
    for segment, voter_id, reason in rows.values_list("segment", "voter_id", "reason"):
        n = 1 if segment != last_segment else n + 1
        last_segment = segment
        numbered[(segment, voter_id)] = (n, reason)
    return numbered


def rewrite_share(ward: Ward, contacts: int) -> tuple[int, int, int]:
    """A sync of `contacts` in the ward, then its recompute: (entries after, entries the recompute wrote, entries a
    dense 1, 2, 3... numbering would have written: new, moved or with another reason)."""
    before = dense_entries(ward)
    add_contacts(contacts, ward)
    wards_recompute(ward_ids=[ward.id])
    after = dense_entries(ward)
    entries = TargetListEntry.objects.filter(ward=ward)
    newest = entries.order_by("-generation").values_list("generation", flat=True).first()
    written = entries.filter(generation=newest).count() if newest is not None else 0
    dense_written = sum(1 for key, value in after.items() if before.get(key) != value)
    return len(after), written, dense_written


def cpu_seconds() -> float:
    """CPU time of this process and of the PostgreSQL backend serving it (on a busy machine wall time is mostly
    waiting); parallel workers' time is not in it."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    backend = 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        pass  # PostgreSQL on another machine: only our own CPU is known
    return own.ru_utime + own.ru_stime + backend


def register_recompute(ward_ids: list[int], *, filtered: bool) -> tuple[float, float]:
    """The recompute a register import queues (`wards.tasks.recompute_wards`: every ward it covered): (wall, CPU
    seconds); `filtered` as before: the contacts filtered to the wards' voters first, then sorted for the latest
    reading."""
    from wards.services import sql as wards_sql

    saved = wards_sql.MOST_OF_THE_REGISTER
    wards_sql.MOST_OF_THE_REGISTER = float("inf") if filtered else saved
    try:
        started, cpu = time.perf_counter(), cpu_seconds()
        wards_recompute(ward_ids=ward_ids)
        return time.perf_counter() - started, cpu_seconds() - cpu
    finally:
        wards_sql.MOST_OF_THE_REGISTER = saved


def spilled(ward_ids: list[int], *, filtered: bool) -> str:
    """Which of the recompute's two big statements (the statistics pass, the target lists) sort on disk at this
    size ("external merge" in EXPLAIN ANALYZE): "stats", "lists", both, or "no"."""
    from wards.services import sql as wards_sql
    from wards.services import targets

    saved = wards_sql.MOST_OF_THE_REGISTER
    wards_sql.MOST_OF_THE_REGISTER = float("inf") if filtered else saved
    found = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            batch_memory()
            since = timezone.now() - dt.timedelta(days=stats_service.RECENT_DAYS)
            statements = {
                "stats": stats_service._ward_pass_sql(ward_ids, stats_service._our_party_id(), since),
                "lists": targets._fresh_entries_sql(ward_ids, targets.franchises_for(Ward.objects.order_by("id"))),
            }
            for name, (query, params) in statements.items():
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                if "external merge" in plan or "Disk:" in plan:
                    found.append(name)
            transaction.set_rollback(True)
    finally:
        wards_sql.MOST_OF_THE_REGISTER = saved
    return "+".join(found) or "no"


def growth(sizes: list[int], runs: int) -> None:
    """The recompute after a register import at each size (contacts 10/3 of the electors, as 500,000 for 150,000),
    before (contacts filtered, then sorted) and after, in one run, alternating, the best of `runs` each: wall and
    CPU seconds, CPU microseconds per elector, and k, the exponent of the CPU time's growth from the size before
    (1 is linear)."""
    old_name = connection.settings_dict["NAME"]
    rows = []
    for size in sizes:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            load(size, size * 10 // 3)
            ids = list(Ward.objects.order_by("id").values_list("id", flat=True))
            wards_recompute()  # the first build, so every timing below replaces standing lists
            timings: dict[bool, list] = {True: [], False: []}
            for _ in range(runs):
                for filtered in (True, False):
                    timings[filtered].append(register_recompute(ids, filtered=filtered))
            before, after = min(timings[True], key=lambda t: t[1]), min(timings[False], key=lambda t: t[1])
            rows.append((size, before, after, spilled(ids, filtered=True), spilled(ids, filtered=False)))
            print(f"  {size:,} electors: before {before[0]:.2f} s ({before[1]:.2f} s CPU), "
                  f"after {after[0]:.2f} s ({after[1]:.2f} s CPU)", flush=True)  # fmt: skip
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print("\nrecompute after a register import (every ward), growth with the register (k = 1 is linear, from CPU):")
    print(f"{'electors':>10} | {'before s':>8} {'CPU s':>6} {'µs/el.':>6} {'k':>5} {'sorts on disk':>13} | "
          f"{'after s':>8} {'CPU s':>6} {'µs/el.':>6} {'k':>5} {'sorts on disk':>13}")  # fmt: skip
    previous = None
    for size, before, after, spilled_before, spilled_after in rows:
        ks = ["", ""]
        if previous:
            scale = math.log(size / previous[0])
            ks = [
                f"{math.log(before[1] / previous[1][1]) / scale:.2f}",
                f"{math.log(after[1] / previous[2][1]) / scale:.2f}",
            ]
        marks = [spilled_before, spilled_after]
        cells = [
            f"{wall:>8.2f} {cpu:>6.2f} {cpu / size * 1e6:>6.1f} {k:>5} {mark:>13}"
            for (wall, cpu), k, mark in zip((before, after), ks, marks, strict=True)
        ]
        print(f"{size:>10,} | {cells[0]} | {cells[1]}")
        previous = (size, before, after)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--electors", type=int, default=150_000)
    parser.add_argument("--contacts", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--sizes", help="only the growth table of the recompute after a register import, e.g. 50000,150000,450000"
    )
    args = parser.parse_args()
    if not is_postgres():
        sys.exit("bench/ward_statistics.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    if args.sizes:
        growth([int(size) for size in args.sizes.split(",")], args.runs)
        return
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        load(args.electors, args.contacts)
        print(f"loaded {Voter.objects.count():,} electors, {ContactRecord.objects.count():,} contacts "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        popley = Ward.objects.get(name="Popley")
        first, _ = timed(lambda: wards_recompute(), 1)
        full, _ = timed(lambda: wards_recompute(), args.runs, before=lambda: add_contacts(5_000))
        one, _ = timed(
            lambda: wards_recompute(ward_ids=[popley.id]), args.runs, before=lambda: add_contacts(300, popley)
        )
        entries, written, dense_written = rewrite_share(popley, 300)
        stats_only, _ = timed(lambda: ward_statistics_recompute(), args.runs)
        baseline, rows = timed(hand_written, args.runs)
        statement, _ = timed(service_statement, args.runs)
        series = {}
        for sample in ContactRateSample.objects.filter(ward__isnull=False, period="day"):
            series.setdefault(sample.ward_id, {})[str(sample.period_start)] = [sample.newly_contacted, sample.contacted]
        stored = {
            s.ward_id: (*(getattr(s, f) for f in STORED), series.get(s.ward_id, {}))
            for s in AreaStatistics.objects.wards()
        }  # fmt: skip
        # The same "last 90 days" as the stored figures, so the check does not depend on the seconds between.
        since = AreaStatistics.objects.wards().first().computed_at - dt.timedelta(days=stats_service.RECENT_DAYS)
        rows = hand_written(since)
        # Django leaves jsonb undecoded on raw cursors: decode the three breakdowns before comparing.
        computed = {row[0]: (*row[1:-4], *(json.loads(value) for value in row[-4:])) for row in rows}
        agree = computed == stored
        differ = sorted(
            {
                f
                for w in stored
                for f, a, b in zip((*STORED, "daily series"), stored[w], computed.get(w, ()), strict=False)
                if a != b
            }
        )
        print(f"target list entries: {TargetListEntry.objects.count():,} in {Ward.objects.count()} wards")
        print(f"first build, every ward's statistics + target lists + rollout:   {first:.3f} s")
        print(f"full recompute after 5,000 new contacts (every ward, all lists):  {full:.3f} s  (goal < 10 s)")
        print(f"one-ward recompute after 300 new contacts there (+ council):      {one:.3f} s  (goal < 1 s)")
        print(f"entries a 300-contact sync in Popley rewrote: {written:,} of {entries:,} ({written / entries:.1%}); "
              f"a dense 1, 2, 3... numbering (before): {dense_written:,} ({dense_written / entries:.1%})")  # fmt: skip
        print(f"service statistics pass, every ward (incl. series, writes):      {stats_only:.3f} s")
        print(f"hand-written SQL, the same ward statistics (baseline):           {baseline:.3f} s")
        print(f"  of which its one aggregation statement (also first-contact days): {statement:.3f} s")
        print(f"ratio service / hand-written: {stats_only / baseline:.2f}x  (goal <= 1.5x); "
              f"statement alone / hand-written: {statement / baseline:.2f}x")  # fmt: skip
        print(f"figures agree with the hand-written query: {'yes' if agree else 'NO: ' + ', '.join(differ)}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
