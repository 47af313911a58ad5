"""Benchmark: one walk list's doorstep page and API detail at 150,000 electors and 500,000 contacts.

Usage (PostgreSQL only; the register is loaded once into the database DATABASE_URL names and reused after):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_walk SECRET_KEY=… \\
        .venv/bin/python bench/walk_list_speed.py [--electors 150000] [--contacts 500000] [--runs 30]

Server time in one process (Django's test client, no network, no gunicorn), so the figures are the view's
own cost: the median and the 95th percentile over `--runs` requests, the queries and the SQL time of one
request, and the body size. In the same run, as the baseline, a trivial API endpoint (GET /api/v1/parties/).
Measured for a 300-door list in one ward; then again after the ward's doors get as many contacts again as
the whole council had (its history doubled, and more): the page must cost the same. The page is measured
built every time and with its doors kept in the shared cache (set CACHE_URL to Redis, as deployed). Last, the cost of an
unchanged list asked again with its validator (If-None-Match -> 304), and the ward's dashboard and the
campaign overview as an organiser of every ward.

`--dashboards-only` measures only those two pages (after an ANALYZE), beside the trivial endpoint.

The machine is shared, so absolute figures are noisy: compare each figure with the baseline of its run. Each
figure also gives its CPU time per request (this process, where the test client runs the view, and its PostgreSQL
backend), which a loaded machine disturbs much less than the wall time.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # Django's test client, in this process
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("PRIVACY_REQUIRE_2FA", "0")  # the bench organiser has no second factor to show

import django  # noqa: E402
import django.utils.timezone  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from canvass.models import ContactRecord, Household, Profile, Role, Voter, WalkList, WalkListHousehold  # noqa: E402
from canvass.sql import is_postgres  # noqa: E402
from wards.models import Council, Ward  # noqa: E402

DOORS = 300
COUNCIL = "Basingstoke and Deane"


def ensure_register(electors: int, contacts: int) -> None:
    import ward_statistics

    call_command("migrate", verbosity=0)
    if Council.objects.filter(name=COUNCIL).exists():
        print(f"reusing {Voter.objects.count():,} electors, {ContactRecord.objects.count():,} contacts")
        return
    started = time.perf_counter()
    ward_statistics.load(electors, contacts)
    from wards.services import wards_recompute

    wards_recompute()
    with connection.cursor() as cursor:  # as autovacuum leaves a table in use: statistics, visibility map
        cursor.execute("VACUUM ANALYZE")
    print(f"loaded {Voter.objects.count():,} electors, {ContactRecord.objects.count():,} contacts "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip


def bench_list(ward: Ward) -> WalkList:
    """A 300-door list in the ward, cut 30 days ago (so some of its doors' contacts came since), for Vera."""
    from django.contrib.auth import get_user_model

    user, made = get_user_model().objects.get_or_create(username="bench-walker")
    if made:
        Profile.objects.create(user=user, role=Role.VOLUNTEER)
    walk_list = WalkList.objects.filter(name="Bench walk list", ward=ward).first()
    if walk_list is None:
        walk_list = WalkList.objects.create(name="Bench walk list", ward=ward)
        households = Household.objects.filter(polling_district__ward=ward).order_by("id")[:DOORS]
        WalkListHousehold.objects.bulk_create(
            WalkListHousehold(walk_list=walk_list, household=h, position=i) for i, h in enumerate(households, 1)
        )
        WalkList.objects.filter(pk=walk_list.pk).update(created_at=django.utils.timezone.now() - dt.timedelta(days=30))
        walk_list.refresh_from_db()
        walk_list.assigned_to.add(user)
        with connection.cursor() as cursor:  # as autovacuum would after 300 new stops (it is off on some servers)
            cursor.execute("ANALYZE canvass_walklisthousehold")
    return walk_list, user


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cpu_seconds() -> float:
    """CPU time of this process (the view: the test client runs it here) and of its PostgreSQL backend (the SQL):
    what a request costs, whatever the machine's load (`bench/ward_statistics.py` reads the backend the same way)."""
    import ward_statistics

    return ward_statistics.cpu_seconds()


def measure(client: Client, path: str, runs: int, **headers) -> dict:
    client.get(path, **headers)  # warm
    times = []
    cpu = cpu_seconds()
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, **headers)
        times.append(time.perf_counter() - started)
    cpu = (cpu_seconds() - cpu) / runs
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return {
        "p50": statistics.median(times) * 1000,
        "p95": percentile(times, 95) * 1000,
        "cpu": cpu * 1000,
        "queries": len(queries),
        "sql": sum(float(q["time"]) for q in queries.captured_queries) * 1000,
        "bytes": len(response.content),
        "status": response.status_code,
        "etag": response.get("ETag"),
        "slowest": max(queries.captured_queries, key=lambda q: float(q["time"]))["sql"][:160] if queries else "",
    }


def show(label: str, figures: dict, baseline: dict) -> None:
    print(
        f"{label:<44} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
        f"({figures['p50'] / baseline['p50']:5.1f}x baseline)  CPU {figures['cpu']:6.1f} ms "
        f"({figures['cpu'] / baseline['cpu']:4.1f}x)  {figures['queries']:2d} queries, "
        f"{figures['sql']:6.1f} ms SQL, {figures['bytes'] / 1000:6.1f} KB, HTTP {figures['status']}"
    )


def run_dashboards(ward: Ward, runs: int) -> None:
    """The ward dashboard and the campaign overview as an organiser of every ward, beside the trivial endpoint."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics as autovacuum would leave them after the recompute
    organiser = Client()
    organiser.force_login(bench_organiser())
    baseline = measure(organiser, "/api/v1/parties/", runs)
    show("baseline: GET /api/v1/parties/", baseline, baseline)
    dashboard = measure(organiser, f"/campaign/wards/{ward.id}/", runs)
    show("ward dashboard (goal p50 < 100 ms)", dashboard, baseline)
    overview = measure(organiser, "/campaign/", runs)
    show("campaign overview (goal p50 < 100 ms)", overview, baseline)
    print(f"  slowest query of the dashboard: {dashboard['slowest']}")
    print(f"  slowest query of the overview: {overview['slowest']}")


def run(walk_list: WalkList, user, runs: int, label: str) -> None:
    client = Client()
    client.force_login(user)
    doors = WalkListHousehold.objects.filter(walk_list=walk_list).values("household_id")
    history = ContactRecord.objects.filter(household_id__in=doors).count()
    since = ContactRecord.objects.filter(household_id__in=doors, contacted_at__gte=walk_list.created_at).count()
    print(f"-- {label}: the list's doors have had {history:,} contacts, {since:,} since it was cut; "
          f"the ward {ContactRecord.objects.filter(ward=walk_list.ward).count():,}")  # fmt: skip
    baseline = measure(client, "/api/v1/parties/", runs)
    show("baseline: GET /api/v1/parties/", baseline, baseline)
    # Every page built (as the embedded default does), then an unchanged list's doors from the shared cache (as
    # deployed with Redis: the next volunteer on the list, an organiser, a phone signed in again).
    with override_settings(WALK_LIST_BODY_CACHE_SECONDS=0):
        page = measure(client, f"/doorstep/lists/{walk_list.pk}/", runs)
        show("doorstep page, 300 doors, built (goal p50 < 60 ms)", page, baseline)
    with override_settings(WALK_LIST_BODY_CACHE_SECONDS=300):
        kept = measure(client, f"/doorstep/lists/{walk_list.pk}/", runs)
        show("doorstep page, unchanged: shared cache", kept, baseline)
    # Every answer built: nothing kept in the shared cache (as deployed, an unchanged list's answer is).
    with override_settings(WALK_LIST_BODY_CACHE_SECONDS=0):
        api = measure(client, f"/api/v1/walk-lists/{walk_list.pk}/", runs, HTTP_ACCEPT="application/json")
        show("API walk list, 300 doors, built (goal < 60 ms)", api, baseline)
        door = measure(client, f"/api/v1/walk-lists/{walk_list.pk}/?view=door", runs, HTTP_ACCEPT="application/json")
        show("API walk list ?view=door, built", door, baseline)
    with override_settings(WALK_LIST_BODY_CACHE_SECONDS=300):
        cached = measure(client, f"/api/v1/walk-lists/{walk_list.pk}/?view=door", runs, HTTP_ACCEPT="application/json")
        show("API ?view=door, unchanged: shared cache", cached, baseline)
    voters = sum(len(d["v"]) for s in client.get(f"/api/v1/walk-lists/{walk_list.pk}/?view=door").json()["streets"]
                 for d in s["doors"])  # fmt: skip
    print(f"  API body for {voters} voters: full {api['bytes'] / 1000:.1f} KB, door view {door['bytes'] / 1000:.1f} KB "
          f"uncompressed ({door['bytes'] / api['bytes']:.0%} of the full), {door['bytes'] / voters:.0f} bytes a voter: "
          f"{door['bytes'] / voters * 670 / 1000:.1f} KB for 670 (goal <= 60 KB for about 670 voters)")  # fmt: skip
    if api["etag"]:
        again = measure(
            client, f"/api/v1/walk-lists/{walk_list.pk}/", runs, HTTP_ACCEPT="application/json",
            HTTP_IF_NONE_MATCH=api["etag"],
        )  # fmt: skip
        show("API walk list unchanged (If-None-Match)", again, baseline)
    if page["etag"]:
        again = measure(client, f"/doorstep/lists/{walk_list.pk}/", runs, HTTP_IF_NONE_MATCH=page["etag"])
        show("doorstep page unchanged (If-None-Match)", again, baseline)
    print(f"  slowest query of the page: {page['slowest']}")
    organiser = Client()
    organiser.force_login(bench_organiser())
    dashboard = measure(organiser, f"/campaign/wards/{walk_list.ward_id}/", runs)
    show("ward dashboard (goal p50 < 100 ms)", dashboard, baseline)
    overview = measure(organiser, "/campaign/", runs)
    show("campaign overview (goal p50 < 100 ms)", overview, baseline)
    print(f"  slowest query of the dashboard: {dashboard['slowest']}")


def bench_organiser():
    from django.contrib.auth import get_user_model

    user, made = get_user_model().objects.get_or_create(username="bench-organiser")
    if made:
        Profile.objects.create(user=user, role=Role.ORGANISER).wards.set(Ward.objects.all())
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--electors", type=int, default=150_000)
    parser.add_argument("--contacts", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--dashboards-only", action="store_true", help="only the ward dashboard and the overview")
    args = parser.parse_args()
    if not is_postgres():
        sys.exit("bench/walk_list_speed.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    ensure_register(args.electors, args.contacts)
    if args.load_only:
        return
    ward = Ward.objects.get(name="Popley")
    if args.dashboards_only:
        run_dashboards(ward, args.runs)
        return
    walk_list, user = bench_list(ward)
    run(walk_list, user, args.runs, "as loaded")
    import ward_statistics

    doubled = ContactRecord.objects.filter(ward=ward).count()
    last_id = ContactRecord.objects.order_by("-id").values_list("id", flat=True).first()
    with connection.cursor() as cursor:
        ward_statistics.insert_contacts(cursor, doubled, days=365, ward=ward)
        cursor.execute("ANALYZE canvass_contactrecord")
    try:
        run(walk_list, user, args.runs, "the ward's contacts doubled")
    finally:
        # Back as loaded, so the next run compares like with like: the rows and their dead versions (a server with
        # autovacuum off kept every run's 30,000 dead contacts in the tables and indexes the next run read).
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM canvass_contactrecord WHERE id > %s", [last_id])
            cursor.execute("VACUUM ANALYZE canvass_contactrecord")


if __name__ == "__main__":
    main()
