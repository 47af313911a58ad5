"""Load benchmark of the REST API: gunicorn on PostgreSQL, load from a second process.

Usage (PostgreSQL required; it creates its own ward, voters and bench users in that database; give it a new
database each run, as a server with autovacuum off keeps the last run's 170,000 contacts unanalysed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_api CELERY_BROKER_URL=redis://127.0.0.1:6379/11 \
        CACHE_URL=redis://127.0.0.1:6379/12 SECRET_KEY=... \
        .venv/bin/python bench/api_load.py [--port 8041] [--workers 3] [--threads 4] [--seconds 20] [--only walk] \
        [--worker-class sync]

It measures, in one run:
  1. baseline: a trivial DRF endpoint (GET /api/v1/parties/), 20 clients back to back;
  2. a 300-household walk list, 20 clients, paced at one request per client per second, then back to back:
     built for every request (a second gunicorn on --port + 1 with WALK_LIST_BODY_CACHE_SECONDS=0), then as
     deployed (the built answer kept in the shared cache under its ETag: needs CACHE_URL=redis://...), then
     revalidated (If-None-Match -> 304); `--only walk` stops after these;
  3. batch sync, 50 clients each sending batches of 50 new contacts, paced so that together they offer
     2,000 contacts/s (each client one batch every 1.25 s); latency counted from the scheduled send time,
     so a server that falls behind shows it; then every batch is replayed once and the stored contacts are
     counted: none may be missing or duplicated;
  4. the same sync with the 50 clients back to back (no pacing): the most the server gives;
  5. one client alone on the walk list and on the sync: the service time without any queueing.

For each phase it also prints the CPU time per request of gunicorn (both servers' master and workers), of the
PostgreSQL backends serving this database and of the load generator itself, read from /proc as
`bench/sync_load.py` does, and what 2 cores would give at that cost (cores ÷ total CPU per request): on a
shared machine req/s and latency say more about the other sessions' load than about the code, CPU per request
much less so. The load generator is one process of plain `http.client` threads on keep-alive connections;
its own CPU per request is printed so that it can be seen not to be the bottleneck.
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

SYNC_CLIENTS, BATCH, TARGET_CONTACTS_PER_S = 50, 50, 2000
WALK_CLIENTS, WALK_DOORS = 20, 300


def setup_data(run_id: str) -> dict:
    """A ward with a 300-door walk list assigned to 50 bench volunteers, each with an API token."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from canvass.models import ContactRecord, Profile, Role
    from canvass.services.tokens import api_token_create
    from wards.models import Council, Party, PollingDistrict, Ward

    call_command("migrate", verbosity=0)
    council, _ = Council.objects.get_or_create(name="Bench Council", defaults={"total_seats": 54})
    ward = Ward.objects.create(council=council, name=f"Bench {run_id}", zone="north")
    district = PollingDistrict.objects.create(ward=ward, code=f"B{run_id[:6]}")
    party, _ = Party.objects.get_or_create(code="BENCH", defaults={"name": "Bench Party"})
    users = []
    tokens = []
    for n in range(SYNC_CLIENTS):
        user = get_user_model().objects.create_user(f"bench-{run_id}-{n}")
        Profile.objects.create(user=user, role=Role.VOLUNTEER)
        users.append(user)
        tokens.append(api_token_create(user=user, device="bench")[1])
    # The walk list under test: 300 doors, two voters each, one earlier contact per voter (a list in use).
    walk_list, walk_voters = _walk_list(run_id, "walk", district, WALK_DOORS, users)
    ContactRecord.objects.bulk_create(
        ContactRecord(
            voter=voter,
            household_id=voter.household_id,
            ward=ward,
            contacted_at=timezone.now() - dt.timedelta(days=3),
            outcome="spoke",
            local_intention="undecided",
        )
        for voter in walk_voters
    )
    # A separate round for the syncs, so the walk list keeps a realistic number of contacts per voter.
    _, sync_voters = _walk_list(run_id, "sync", district, 500, users)
    # Fresh planner statistics, as autovacuum would have by the time a list is in use.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "tokens": tokens,
        "voter_ids": [v.pk for v in sync_voters],
        "walk_list": walk_list.pk,
        "party": party.pk,
        "ward": ward.pk,
    }


def _walk_list(run_id, label, district, doors, users):
    from canvass.models import Household, Voter, WalkList, WalkListHousehold

    households = Household.objects.bulk_create(
        Household(
            polling_district=district,
            street=f"{label.title()} Street {n // 60}",
            house_number=n % 60 + 1,
            address=f"{n % 60 + 1} {label.title()} Street {n // 60}",
            postcode="RG21 7AB",
            address_key=f"{run_id}-{label}-{n}",
        )
        for n in range(doors)
    )
    first = Voter.objects.filter(polling_district=district).count() + 1
    voters = Voter.objects.bulk_create(
        Voter(
            polling_district=district,
            household=household,
            elector_number=first + 2 * i + k,
            surname="Bench",
            forenames="B",
        )
        for i, household in enumerate(households)
        for k in range(2)
    )
    walk_list = WalkList.objects.create(name=f"Bench {label} {run_id}", ward=district.ward)
    WalkListHousehold.objects.bulk_create(
        WalkListHousehold(walk_list=walk_list, household=h, position=i) for i, h in enumerate(households, 1)
    )
    walk_list.assigned_to.add(*users)
    return walk_list, voters


def start_server(
    port: int, workers: int, threads: int, worker_class: str = "gthread", **settings: str
) -> subprocess.Popen:
    # Connections kept for the whole run: a PostgreSQL backend that ends mid-phase takes its CPU time with it.
    env = {**os.environ, "SECURE_SSL_REDIRECT": "false", "DEBUG": "false", "LOG_LEVEL": "WARNING",
           "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "3600"), **settings}  # fmt: skip
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "canvass.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--backlog",
            "512",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    return answering(server, port)


def answering(server: subprocess.Popen, port: int) -> subprocess.Popen:
    """The server once it answers /healthz (stopped, and an error, after 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


# ---- the load generator (runs in its own process) -------------------------------------------------------


def _request(connection: HTTPConnection, method: str, path: str, token: str, body: bytes | None = None, **extra):
    headers = {"Authorization": f"Token {token}", "Accept": "application/json", **extra}
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def make_batch(voter_ids: list[int], party: int, offset: int) -> list[dict]:
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    batch = []
    for n in range(BATCH):
        item = {
            "client_uuid": str(uuid.uuid4()),
            "voter": voter_ids[(offset + n) % len(voter_ids)],
            "contacted_at": when,
            "channel": "door",
            "outcome": "spoke",
            "local_intention": "party",
            "local_party": party,
            "national_intention": "undecided",
            "likelihood": 4,
            "issues": ["potholes"],
        }
        batch.append(item)
    return batch


def run_clients(port, n_clients, seconds, interval, work):
    """n_clients threads, each calling work(client_no, connection) every `interval` s (0: back to back).

    Returns (latencies in s, statuses, wall time). With pacing, latency counts from the scheduled start.
    """
    latencies, codes, lock = [], [], threading.Lock()
    start = time.monotonic() + 0.2
    stop = start + seconds

    def client(number):
        connection = HTTPConnection("127.0.0.1", port, timeout=60)
        # Spread the paced clients over the interval so they do not all fire together.
        scheduled = start + (interval * number / n_clients if interval else 0)
        while scheduled < stop:
            now = time.monotonic()
            if now < scheduled:
                time.sleep(scheduled - now)
            began = scheduled if interval else time.monotonic()
            try:
                status = work(number, connection)
            except OSError:
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            took = time.monotonic() - began
            with lock:
                latencies.append(took)
                codes.append(status)
            scheduled = scheduled + interval if interval else time.monotonic()
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(n_clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, codes, time.monotonic() - start


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def cpu_meter(server_pids: list[int]):
    """CPU seconds of these gunicorn servers (master and workers), of this database's backends, of this process."""
    import resource

    from bench.sync_load import CpuMeter, _children, _cpu_seconds

    class Meter(CpuMeter):
        def snapshot(self) -> dict:
            pids = [pid for server in server_pids for pid in (server, *_children(server))]
            return {
                "server": {pid: _cpu_seconds(pid) for pid in pids},
                "db": {pid: _cpu_seconds(pid) for pid in self._backends()},
                "client": resource.getrusage(resource.RUSAGE_SELF),
            }

    return Meter(server_pids[0])


def summary(name, latencies, codes, wall, items_per_request=1, spent=None):
    ok = sum(1 for code in codes if code == 200)
    # CPU ms per answered request, and the requests/s the machine's cores would give at that cost.
    cpu = {key: 1000 * value / max(ok, 1) for key, value in (spent or {}).items()}
    total = sum(cpu.values())
    return {
        **cpu,
        "capacity": os.cpu_count() * 1000 / total if total else float("nan"),
        "name": name,
        "requests": len(codes),
        "ok": ok,
        "non_200": len(codes) - ok,
        "requests_per_s": ok / wall,
        "items_per_s": ok * items_per_request / wall,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p95_ms": 1000 * percentile(latencies, 95),
        "p99_ms": 1000 * percentile(latencies, 99),
    }


def load(port, data, seconds, queue, only="", server_pids=()):
    """`port` serves as deployed (built answers kept in the shared cache); `port + 1` builds every answer."""
    tokens, results, build_port = data["tokens"], [], port + 1
    meter = cpu_meter(list(server_pids)) if server_pids else None

    def phase(name, on_port, n_clients, phase_seconds, interval, work, items_per_request=1):
        before = meter.snapshot() if meter is not None else None
        outcome = run_clients(on_port, n_clients, phase_seconds, interval, work)
        spent = meter.spent(before, meter.snapshot()) if meter is not None else None
        results.append(summary(name, *outcome, items_per_request=items_per_request, spent=spent))

    def parties(number, connection):
        return _request(connection, "GET", "/api/v1/parties/", tokens[number])[0]

    phase("baseline GET /api/v1/parties/ (20 clients)", port, 20, seconds, 0, parties)

    walk_path = f"/api/v1/walk-lists/{data['walk_list']}/"

    def walk(number, connection):
        return _request(connection, "GET", walk_path, tokens[number])[0]

    def walk_door(number, connection):
        return _request(connection, "GET", walk_path + "?view=door", tokens[number])[0]

    phase("walk list 300 doors, 20 clients paced at 1 req/s each, built", build_port, WALK_CLIENTS, seconds, 1.0, walk)
    phase("walk list 300 doors, 20 back to back, built", build_port, WALK_CLIENTS, seconds, 0, walk)
    phase("walk list ?view=door, 20 back to back, built", build_port, WALK_CLIENTS, seconds, 0, walk_door)
    phase("walk list 300 doors, 1 client alone, built", build_port, 1, seconds / 2, 0, walk)
    phase("walk list 300 doors, 20 back to back, shared cache", port, WALK_CLIENTS, seconds, 0, walk)
    phase("walk list ?view=door, 20 back to back, shared cache", port, WALK_CLIENTS, seconds, 0, walk_door)
    # An unchanged list asked again with its validator: a check, not a rebuild (304 counts as success).
    etags = {}

    def walk_again(number, connection):
        status, _ = _request(connection, "GET", walk_path, tokens[number], **{"If-None-Match": etags[number]})
        return 200 if status == 304 else status

    for number in range(WALK_CLIENTS):
        connection = HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", walk_path, headers={"Authorization": f"Token {tokens[number]}"})
        answer = connection.getresponse()
        answer.read()
        etags[number] = answer.getheader("ETag")
        connection.close()
    phase("walk list unchanged (If-None-Match -> 304), 20 back to back", port, WALK_CLIENTS, seconds, 0, walk_again)
    phase("walk list unchanged (304), 1 client alone", port, 1, seconds / 2, 0, walk_again)
    if only == "walk":
        queue.put({"results": results, "sent": []})
        return

    sent = []  # (client, body, acknowledged): each batch is replayed and its uuids counted afterwards
    sent_lock = threading.Lock()

    def sync(number, connection):
        batch = make_batch(data["voter_ids"], data["party"], number * BATCH)
        body = json.dumps({"contacts": batch}).encode()
        status, answer = _request(connection, "POST", "/api/v1/contacts/sync/", tokens[number], body)
        if status == 200 and any(r["status"] != "ok" for r in json.loads(answer)["results"]):
            status = 299  # a 200 with an item error counts as a failure here
        with sent_lock:
            sent.append((number, body.decode(), status == 200))
        return status

    interval = SYNC_CLIENTS * BATCH / TARGET_CONTACTS_PER_S
    phase(f"sync 50x50 paced to {TARGET_CONTACTS_PER_S} contacts/s", port, SYNC_CLIENTS, seconds, interval, sync, BATCH)
    phase("sync 50x50 back to back (saturation)", port, SYNC_CLIENTS, seconds, 0, sync, BATCH)
    # One client alone: the service time without queueing, to read the figures above against.
    phase("sync 50 contacts, 1 client alone", port, 1, seconds / 2, 0, sync, BATCH)
    queue.put({"results": results, "sent": sent})


def count_stored(uuids: list[str]) -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT client_uuid) FROM canvass_contactrecord"
            " WHERE client_uuid = ANY(%s::uuid[])",
            [uuids],
        )
        return cursor.fetchone()


def uuids_of(batches) -> list[str]:
    return [item["client_uuid"] for _, body, _ in batches for item in json.loads(body)["contacts"]]


def replay(port, tokens, sent) -> int:
    """Send every batch again, as a phone that never saw the answer would; returns the replays not all 'ok'."""
    failures, connection = 0, HTTPConnection("127.0.0.1", port, timeout=60)
    for number, body, _ in sent:
        status, answer = _request(connection, "POST", "/api/v1/contacts/sync/", tokens[number], body.encode())
        if status != 200 or any(r["status"] != "ok" for r in json.loads(answer)["results"]):
            failures += 1
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8041)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--worker-class",
        default="gthread",
        choices=["gthread", "sync"],
        help="sync: the deployed configuration's kind (canvass/config/gunicorn.py); --threads is then 1",
    )
    parser.add_argument("--only", choices=["walk"], help="walk: the baseline and the walk-list phases only")
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL"):
        # The embedded default: every sync would run its ward's recompute in the request, which no deployment does.
        sys.exit("bench/api_load.py needs CELERY_BROKER_URL=redis://… (a sync queues its recompute, as deployed)")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/api_load.py needs DATABASE_URL=postgres://… (it measures gunicorn on PostgreSQL)")

    run_id = uuid.uuid4().hex[:8]
    data = setup_data(run_id)
    if args.worker_class == "sync":
        args.threads = 1  # gunicorn runs gthread instead of sync workers given more than one thread
    servers = [start_server(args.port, args.workers, args.threads, args.worker_class)]
    try:
        servers.append(
            start_server(args.port + 1, args.workers, args.threads, args.worker_class, WALK_LIST_BODY_CACHE_SECONDS="0")
        )
        queue = multiprocessing.get_context("spawn").Queue()
        generator = multiprocessing.get_context("spawn").Process(
            target=load, args=(args.port, data, args.seconds, queue, args.only or "", [p.pid for p in servers])
        )
        generator.start()
        outcome = queue.get()
        generator.join()
        acked = uuids_of([batch for batch in outcome["sent"] if batch[2]])
        acked_stored, _ = count_stored(acked)
        replay_failures = replay(args.port, data["tokens"], outcome["sent"])
    finally:
        for process in servers:
            process.terminate()
            process.wait(timeout=30)

    stored, distinct = count_stored(uuids_of(outcome["sent"]))
    from django.conf import settings

    print(
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, walk-list answers kept "
        f"{settings.WALK_LIST_BODY_CACHE_SECONDS} s on :{args.port}, never on :{args.port + 1}"
    )
    print(
        f"gunicorn: {args.workers} {args.worker_class} workers x {args.threads} threads on 127.0.0.1:{args.port} "
        f"(and :{args.port + 1}); "
        f"{os.cpu_count()} CPUs shared with the load generator and PostgreSQL; {args.seconds:.0f} s per phase"
    )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print(
        f"{'phase':62} {'req':>6} {'non200':>6} {'req/s':>8} {'items/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f"  {'CPU ms/req: server':>18} {'db':>6} {'client':>6} {'cores/CPU req/s':>15}"
    )
    for r in outcome["results"]:
        print(
            f"{r['name']:62} {r['requests']:>6} {r['non_200']:>6} {r['requests_per_s']:>8.1f}"
            f" {r['items_per_s']:>9.0f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f}"
            f"  {r.get('server_cpu', float('nan')):>18.2f} {r.get('db_cpu', float('nan')):>6.2f}"
            f" {r.get('client_cpu', float('nan')):>6.2f} {r['capacity']:>15.0f}"
        )
    sent = len(uuids_of(outcome["sent"]))
    print(
        f"acknowledged contacts {len(acked)}, found stored before any replay {acked_stored} "
        f"(lost: {len(acked) - acked_stored})"
    )
    print(
        f"after replaying all {len(outcome['sent'])} batches ({replay_failures} replays not all 'ok'): "
        f"sent {sent}, rows {stored}, distinct {distinct}: missing {sent - distinct}, duplicated {stored - distinct}"
    )


if __name__ == "__main__":
    main()
