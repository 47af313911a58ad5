"""Benchmark: target lists that follow each ward's election, against the same lists with no election ahead.

Usage (PostgreSQL only; the data go into a throw-away `test_…` database, dropped at the end):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_jobs SECRET_KEY=… \\
        .venv/bin/python bench/election_lists.py [--electors 150000] [--contacts 500000] [--runs 3]

Loads the council of bench/ward_statistics.py (plus attainers coming of age over the next two months), then
prints the median full and one-ward target-list rebuild (every list written from scratch each run) with no
election ahead (the baseline), with a borough election ahead of every ward (one rule: attainers of age by
polling day), and with a mix (a by-election in Popley, a general election in the town's wards: three rules
in one statement).
"""

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection  # noqa: E402
from ward_statistics import load, timed  # noqa: E402  (sets Django up)

from canvass.models import Voter  # noqa: E402
from canvass.sql import is_postgres  # noqa: E402
from wards.elections.services import by_election_open  # noqa: E402
from wards.models import Constituency, Contest, Council, Election, ElectionKind, TargetListEntry, Ward  # noqa: E402
from wards.services.targets import target_lists_rebuild_many  # noqa: E402


def rebuild(ward_ids=None):
    def run():
        TargetListEntry.objects.all().delete()
        return target_lists_rebuild_many(ward_ids=ward_ids)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--electors", type=int, default=150_000)
    parser.add_argument("--contacts", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not is_postgres():
        sys.exit("bench/election_lists.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load(args.electors, args.contacts)
        today = dt.date.today()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Voter._meta.db_table} SET attainer_date = %s + CAST(id %% 60 AS integer) WHERE id %% 41 = 0",
                [today],
            )
            cursor.execute("ANALYZE")
        council, popley = Council.objects.get(), Ward.objects.get(name="Popley")
        one = [popley.id]
        results = {}
        results["none"] = (timed(rebuild(), args.runs)[0], timed(rebuild(one), args.runs)[0], entries_count())
        Election.objects.create(council=council, date=today + dt.timedelta(days=30), kind=ElectionKind.THIRDS)
        results["borough"] = (timed(rebuild(), args.runs)[0], timed(rebuild(one), args.runs)[0], entries_count())
        by_election_open(ward=popley, date=today + dt.timedelta(days=20))
        town = Constituency.objects.create(name="Basingstoke", code="BENCH-BAS")
        town.wards.set(Ward.objects.filter(zone__in=["north", "south"]).exclude(pk=popley.pk))
        general = Election.objects.create(date=today + dt.timedelta(days=10), kind=ElectionKind.GENERAL)
        Contest.objects.create(election=general, constituency=town)
        results["mixed"] = (timed(rebuild(), args.runs)[0], timed(rebuild(one), args.runs)[0], entries_count())
        base_full, base_one, _ = results["none"]
        print(f"{Voter.objects.count():,} electors in {Ward.objects.count()} wards; median of {args.runs} runs")
        for name, label in (
            ("none", "no election ahead (baseline)"),
            ("borough", "a borough election ahead of every ward"),
            ("mixed", "by-election + general + borough (3 rules)"),
        ):
            full, single, entries = results[name]
            print(
                f"{label:45} full {full:.3f} s ({full / base_full:.2f}x)   one ward {single:.3f} s "
                f"({single / base_one:.2f}x)   Popley: {entries:,} entries"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def entries_count() -> int:  # noqa: N802
    return TargetListEntry.objects.count()


if __name__ == "__main__":
    main()
