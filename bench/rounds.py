"""Benchmark: cutting a 5,000-door target segment into rounds, on a register of 150,000 electors.

Usage (PostgreSQL only; the data go into a throw-away `test_…` database, dropped at the end):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_ground SECRET_KEY=… \\
        .venv/bin/python bench/rounds.py [--electors 150000] [--doors 5000] [--size 40] [--runs 5]

The register has streets of 6 to 160 doors, postcode units of about 15 doors and sectors of a few streets, in
18 wards; the first ward is large enough for a segment of `--doors` households (one voter each in the target
list, as a rebuild leaves them). Prints the median of the runs, each rolled back, for:
  - the baseline: the same segment cut as one plain walk list, without splitting (`walk_list_cut_for_ward`);
  - the preview alone (read the doors, plan the rounds, save nothing);
  - the cut into rounds (`walk_list_rounds_cut`: read, plan, write the rounds and their stops), goal < 1 s.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from ward_statistics import GENERATED_NAME_KEY  # noqa: E402

from canvass.models import Household, Voter, WalkListHousehold  # noqa: E402
from canvass.sql import is_postgres  # noqa: E402
from canvass.walklists.rounds import plan_rounds  # noqa: E402
from canvass.walklists.services import (  # noqa: E402
    _cut_doors,
    walk_list_cut_for_ward,
    walk_list_rounds_cut,
    walk_list_rounds_preview,
)
from wards.models import Council, PollingDistrict, Segment, TargetListEntry, Ward  # noqa: E402

WARDS = 18
BIG_WARD_DISTRICTS = 8


def load(electors: int, doors: int) -> Ward:
    council = Council.objects.create(name="Bench Council", total_seats=54)
    districts = []
    for n in range(WARDS):
        ward = Ward.objects.create(council=council, name=f"Ward {n}", zone="north")
        for d in range(BIG_WARD_DISTRICTS if n == 0 else 3):
            districts.append(PollingDistrict.objects.create(ward=ward, code=f"{chr(65 + n)}{chr(65 + d)}1"))
    households = electors * 10 // 23
    # The first ward's districts take a share of the doors in proportion to their number.
    weights = [3 if i < BIG_WARD_DISTRICTS else 1 for i in range(len(districts))]
    rows, street, g = [], 0, 0
    while g < households:
        length = 6 + (street * 37) % 155
        district = districts[_pick(street, weights)]
        sector = f"RG{21 + street // 40} {street // 8 % 10}"
        for i in range(min(length, households - g)):
            number = i + 1
            postcode = f"{sector}{chr(65 + (i // 15) % 26)}{chr(65 + street % 26)}"
            name = f"Street {street}"
            rows.append(
                Household(
                    polling_district=district, street=name, house_number=number, postcode=postcode,
                    address=f"{number} {name}\nBasingstoke", address_key=f"K{g}",
                )
            )  # fmt: skip
            g += 1
        street += 1
    Household.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Voter._meta.db_table}
                (polling_district_id, household_id, elector_number, elector_suffix, title, surname, forenames,
                 markers, is_postal_voter, is_proxy_voter, do_not_contact, on_register, name_key)
            SELECT h.polling_district_id, h.id, g, 0, '', 'Surname' || g, 'Forename', '', false, false, false, true,
                   {GENERATED_NAME_KEY}
            FROM generate_series(1, %s) g
            JOIN {Household._meta.db_table} h
              ON h.id = (SELECT MIN(id) FROM {Household._meta.db_table}) + (g - 1) %% %s""",
            [electors, households],
        )
    big = Ward.objects.get(name="Ward 0")
    # A persuadable segment of `doors` households spread over the big ward, one voter each, as a rebuild writes.
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            f"""INSERT INTO {TargetListEntry._meta.db_table}
                (ward_id, segment, reason, position, voter_id, household_id, built_at, generation)
            SELECT %s, %s, 'undecided', ROW_NUMBER() OVER (ORDER BY pick.id), pick.voter_id, pick.id, now(), 0
            FROM (SELECT h.id, MIN(v.id) AS voter_id FROM {Household._meta.db_table} h
                  JOIN {PollingDistrict._meta.db_table} pd ON pd.id = h.polling_district_id AND pd.ward_id = %s
                  JOIN {Voter._meta.db_table} v ON v.household_id = h.id
                  GROUP BY h.id ORDER BY random() LIMIT %s) pick""",
            [big.pk, Segment.PERSUADABLE, big.pk, doors],
        )
        cursor.execute("ANALYZE")
    return big


def _pick(street: int, weights: list[int]) -> int:
    total = sum(weights)
    slot = (street * 7919) % total
    for index, weight in enumerate(weights):
        if slot < weight:
            return index
        slot -= weight
    return len(weights) - 1


def timed(fn, runs: int) -> tuple[float, object]:
    """Median of `runs`, each in a transaction rolled back afterwards."""
    times, result = [], None
    for _ in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--electors", type=int, default=150_000)
    parser.add_argument("--doors", type=int, default=5_000)
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not is_postgres():
        sys.exit("bench/rounds.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        ward = load(args.electors, args.doors)
        organiser = get_user_model().objects.create(username="bench-organiser")
        segment = Segment.PERSUADABLE
        print(
            f"loaded {Voter.objects.count():,} electors in {Household.objects.count():,} households; "
            f"segment of {TargetListEntry.objects.filter(ward=ward).count():,} doors "
            f"in {Household.objects.filter(polling_district__ward=ward).count():,} of the ward's; "
            f"{time.perf_counter() - started:.1f} s"
        )

        def plain():
            return walk_list_cut_for_ward(ward=ward, created_by=organiser, name="Plain", segment=segment).doors

        def preview():
            return walk_list_rounds_preview(ward=ward, segment=segment, size=args.size)

        def rounds():
            cut = walk_list_rounds_cut(ward=ward, created_by=organiser, name="Rounds", segment=segment, size=args.size)
            stops = WalkListHousehold.objects.filter(walk_list__cut=cut).count()
            return cut.rounds.count(), stops

        def read():
            return _cut_doors(ward=ward, segment=segment)

        read_time, doors = timed(read, args.runs)
        plan_time, _ = timed(lambda: plan_rounds(doors, size=args.size), args.runs)
        plain_time, plain_doors = timed(plain, args.runs)
        preview_time, planned = timed(preview, args.runs)
        rounds_time, (made, stops) = timed(rounds, args.runs)
        sizes = [r.size for r in planned]
        print(f"baseline, one plain walk list of {plain_doors:,} doors, no split:  {plain_time:.3f} s")
        print(f"preview, {len(planned)} rounds planned, nothing saved:              {preview_time:.3f} s")
        print(f"  of which reading the segment's doors {read_time:.3f} s, planning the rounds {plan_time:.3f} s")
        print(
            f"cut into {made} rounds of at most {args.size} ({stops:,} stops saved):     "
            f"{rounds_time:.3f} s  (goal < 1 s)"
        )
        print(f"round sizes: min {min(sizes)}, median {statistics.median(sizes):.0f}, max {max(sizes)}; "
              f"ratio rounds / plain cut: {rounds_time / plain_time:.2f}x")  # fmt: skip
        assert stops == plain_doors, "the rounds must hold every door of the segment once"
        print(f"at {timezone.now():%Y-%m-%d %H:%M} UTC, {args.runs} runs each, median")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
