"""Batch sync under load: gunicorn on PostgreSQL, 50 phones x 50 contacts, and where the CPU went.

Usage (PostgreSQL required; it creates its own ward, voters and bench users in that database):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_api SECRET_KEY=... \
        .venv/bin/python bench/sync_load.py [--seconds 20] [--workers 3] [--threads 4] [--worker-class gthread]

It measures, in one run (the setup and server of `bench/api_load.py`):
  1. baseline: a trivial DRF endpoint (GET /api/v1/parties/), 20 clients back to back;
  2. batch sync, 50 clients each sending batches of 50 new contacts, paced so that together they offer
     2,000 contacts/s (each client one batch every 1.25 s), latency counted from the scheduled send time;
  3. the same 50 clients back to back (no pacing): the most the server gives (goal: 5,000 contacts/s, p99 < 1 s);
  4. one client alone: the service time without queueing;
then replays every batch once and counts the stored contacts: none may be missing or duplicated.

For each phase it prints the CPU time spent by gunicorn (master and workers), by the PostgreSQL backends
serving this database, and by the load generator itself, per contact: the server must do the work, and a
load generator that ate the cores would hide it. The load generator is light on purpose: each client's
batch is serialised once as a template and only its 50 UUIDs change per request, over a keep-alive
connection, in a process of its own.
"""

import argparse
import json
import multiprocessing
import os
import resource
import sys
import threading
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

from bench.api_load import (  # noqa: E402
    BATCH,
    SYNC_CLIENTS,
    TARGET_CONTACTS_PER_S,
    _request,
    count_stored,
    make_batch,
    percentile,
    replay,
    run_clients,
    setup_data,
    start_server,
    uuids_of,
)

TICKS = os.sysconf("SC_CLK_TCK")


# ---- CPU accounting: /proc of gunicorn's processes and of this database's PostgreSQL backends ----------


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    return pids


class CpuMeter:
    """CPU seconds of gunicorn (master + workers) and of the PostgreSQL backends on this database."""

    def __init__(self, server_pid: int):
        import psycopg2

        self.server_pid = server_pid
        self.db = psycopg2.connect(os.environ["DATABASE_URL"])
        self.db.autocommit = True

    def _backends(self) -> list[int]:
        with self.db.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def snapshot(self) -> dict:
        server = [self.server_pid, *_children(self.server_pid)]
        return {
            "server": {pid: _cpu_seconds(pid) for pid in server},
            "db": {pid: _cpu_seconds(pid) for pid in self._backends()},
            "client": resource.getrusage(resource.RUSAGE_SELF),
        }

    @staticmethod
    def spent(before: dict, after: dict) -> dict:
        # A process that started during the phase counts from zero; one that ended during it is not seen.
        def grown(kind):
            return sum(max(0.0, cpu - before[kind].get(pid, 0.0)) for pid, cpu in after[kind].items())

        client = (after["client"].ru_utime + after["client"].ru_stime) - (
            before["client"].ru_utime + before["client"].ru_stime
        )
        return {"server_cpu": grown("server"), "db_cpu": grown("db"), "client_cpu": client}


# ---- the light load generator ----------------------------------------------------------------------------


class BatchMaker:
    """One client's batch, serialised once; each call gives the same contacts under 50 new UUIDs."""

    def __init__(self, voter_ids: list[int], party: int, offset: int):
        batch = make_batch(voter_ids, party, offset)
        placeholders = [item["client_uuid"] for item in batch]
        text = json.dumps({"contacts": batch}).replace("%", "%%")
        for placeholder in placeholders:
            text = text.replace(placeholder, "%s")
        self.template = text

    def __call__(self) -> bytes:
        return (self.template % tuple(str(uuid.uuid4()) for _ in range(BATCH))).encode()


def summary(name, latencies, codes, wall, spent, items_per_request=1):
    ok = sum(1 for code in codes if code == 200)
    items = ok * items_per_request
    return {
        "name": name,
        "requests": len(codes),
        "non_200": len(codes) - ok,
        "items_per_s": items / wall,
        "p50_ms": 1000 * percentile(latencies, 50),
        "p95_ms": 1000 * percentile(latencies, 95),
        "p99_ms": 1000 * percentile(latencies, 99),
        "wall": wall,
        **{key: 1000 * value / max(items, 1) for key, value in spent.items()},
        "cores_busy": sum(spent.values()) / wall,
    }


def load(port, data, seconds, server_pid, queue):
    tokens, results, meter = data["tokens"], [], CpuMeter(server_pid)

    def phase(name, n_clients, phase_seconds, interval, work, items_per_request=1):
        before = meter.snapshot()
        outcome = run_clients(port, n_clients, phase_seconds, interval, work)
        results.append(summary(name, *outcome, meter.spent(before, meter.snapshot()), items_per_request))

    def parties(number, connection):
        return _request(connection, "GET", "/api/v1/parties/", tokens[number])[0]

    phase("baseline GET /api/v1/parties/, 20 clients", 20, seconds, 0, parties)

    makers = [BatchMaker(data["voter_ids"], data["party"], number * BATCH) for number in range(SYNC_CLIENTS)]
    sent, sent_lock = [], threading.Lock()  # (client, body, acknowledged): replayed and counted afterwards

    def sync(number, connection):
        body = makers[number]()
        status, answer = _request(connection, "POST", "/api/v1/contacts/sync/", tokens[number], body)
        if status == 200 and any(r["status"] != "ok" for r in json.loads(answer)["results"]):
            status = 299  # a 200 with an item error counts as a failure here
        with sent_lock:
            sent.append((number, body.decode(), status == 200))
        return status

    interval = SYNC_CLIENTS * BATCH / TARGET_CONTACTS_PER_S
    phase(f"sync 50x50 paced to {TARGET_CONTACTS_PER_S:,} contacts/s", SYNC_CLIENTS, seconds, interval, sync, BATCH)
    phase("sync 50x50 back to back (saturation)", SYNC_CLIENTS, seconds, 0, sync, BATCH)
    phase("sync 50 contacts, 1 client alone", 1, seconds / 2, 0, sync, BATCH)
    queue.put({"results": results, "sent": sent})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8042)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/sync_load.py needs DATABASE_URL=postgres://… (it measures gunicorn on PostgreSQL)")

    run_id = uuid.uuid4().hex[:8]
    data = setup_data(run_id)
    # A sync worker given threads would be a gthread worker: one request at a time means one thread.
    threads = args.threads if args.worker_class == "gthread" else 1
    server = start_server(args.port, args.workers, threads, args.worker_class)
    try:
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        generator = context.Process(target=load, args=(args.port, data, args.seconds, server.pid, queue))
        generator.start()
        outcome = queue.get()
        generator.join()
        acked = uuids_of([batch for batch in outcome["sent"] if batch[2]])
        acked_stored, _ = count_stored(acked)
        replay_failures = replay(args.port, data["tokens"], outcome["sent"])
    finally:
        server.terminate()
        server.wait(timeout=30)

    stored, distinct = count_stored(uuids_of(outcome["sent"]))
    load_average = os.getloadavg()
    print(
        f"gunicorn: {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f"; {os.cpu_count()} CPUs shared with the load generator and PostgreSQL; {args.seconds:.0f} s per phase;"
        f" load average {load_average[0]:.1f} at the end"
    )
    print(
        f"{'phase':44} {'req':>6} {'non200':>6} {'items/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f"  {'CPU ms per item: server':>23} {'db':>6} {'client':>6} {'cores':>6}"
    )
    for r in outcome["results"]:
        print(
            f"{r['name']:44} {r['requests']:>6} {r['non_200']:>6} {r['items_per_s']:>8.0f} {r['p50_ms']:>8.1f}"
            f" {r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f}  {r['server_cpu']:>23.3f} {r['db_cpu']:>6.3f}"
            f" {r['client_cpu']:>6.3f} {r['cores_busy']:>6.2f}"
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
    _clean_up(data, run_id)


def _clean_up(data: dict, run_id: str) -> None:
    """Delete what the run made (its ward, register, contacts, bench users and their tokens)."""
    from django.contrib.auth import get_user_model

    from canvass.models import ContactRecord, Household, Voter, WalkList
    from wards.models import PollingDistrict, Ward

    ward = Ward.objects.get(pk=data["ward"])
    ContactRecord.objects.filter(ward=ward).delete()
    WalkList.objects.filter(ward=ward).delete()
    Voter.objects.filter(polling_district__ward=ward).delete()
    Household.objects.filter(polling_district__ward=ward).delete()
    PollingDistrict.objects.filter(ward=ward).delete()
    ward.delete()
    get_user_model().objects.filter(username__startswith=f"bench-{run_id}-").delete()


if __name__ == "__main__":
    main()
