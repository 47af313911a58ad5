"""Batch sync under load: gunicorn on PostgreSQL, 50 phones x 50 contacts, and where the CPU went.

Usage (PostgreSQL required; it creates its own ward, voters and bench users in that database):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_api CELERY_BROKER_URL=redis://127.0.0.1:6379/11 \
        CACHE_URL=redis://127.0.0.1:6379/12 SECRET_KEY=... \
        .venv/bin/python bench/sync_load.py [--seconds 20] [--workers N] [--worker-class sync|gthread] [--threads 4]
            [--keep-alive S] [--backlog N] [--access-log]

It measures, in one run (the setup of `bench/api_load.py`; gunicorn started with the deployed configuration,
`canvass/config/gunicorn.py`, as the Dockerfile starts it, unless told otherwise):
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
connection (when the server keeps it), in a process of its own.

Where a phase's time went: what this database's backends were doing (pg_stat_activity sampled every 50 ms:
running, waiting on a lock, on the WAL flush, or idle in a transaction waiting for Python), how the clients'
connections were spread over gunicorn's processes, and how many requests each client got through (in a
closed loop an unfair server gives some clients many times the others' share); `--access-log` adds the
server's own service time per request (gunicorn's %(D)s: from the request read to the response written).
"""

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

from bench.api_load import (  # noqa: E402
    BATCH,
    SYNC_CLIENTS,
    TARGET_CONTACTS_PER_S,
    _request,
    answering,
    count_stored,
    make_batch,
    percentile,
    replay,
    run_clients,
    setup_data,
    uuids_of,
)

TICKS = os.sysconf("SC_CLK_TCK")


def start_server(port: int, options: list[str]) -> subprocess.Popen:
    """gunicorn as `bench/api_load.py` starts it, with these command-line options."""
    env = {**os.environ, "SECURE_SSL_REDIRECT": "false", "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    command = [str(ROOT / ".venv/bin/gunicorn"), "canvass.config.wsgi", "--bind", f"127.0.0.1:{port}", *options]
    return answering(subprocess.Popen(command, cwd=ROOT, env=env), port)


def _service_times(path: Path) -> list[float]:
    """The sync requests' service times (s) from an access log written as '%(U)s %(D)s'."""
    times = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "/api/v1/contacts/sync/":
            times.append(int(parts[1]) / 1e6)
    return times


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


class Sampler(threading.Thread):
    """While a phase runs: what this database's backends wait on (pg_stat_activity, every 50 ms) and how the
    load generator's connections are spread over gunicorn's processes (`ss`, every 0.5 s)."""

    def __init__(self, port: int):
        import psycopg2

        super().__init__(daemon=True)
        self.port, self.stop = port, threading.Event()
        self.db = psycopg2.connect(os.environ["DATABASE_URL"])
        self.db.autocommit = True
        self.waits, self.samples, self.spread = Counter(), 0, Counter()

    def run(self):
        tick = 0
        while not self.stop.wait(0.05):
            with self.db.cursor() as cursor:
                cursor.execute(
                    "SELECT state, coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity"
                    " WHERE datname = current_database() AND backend_type = 'client backend'"
                    " AND pid <> pg_backend_pid() AND state <> 'idle'"
                )
                self.waits.update(f"{state} {wait}" for state, wait in cursor.fetchall())
            self.samples += 1
            tick += 1
            if tick % 10 == 1:
                self.spread.update(_connections_per_process(self.port))

    def report(self) -> dict:
        self.stop.set()
        self.join()
        self.db.close()
        n = max(self.samples, 1)
        return {
            "waits": {key: count / n for key, count in self.waits.most_common(6)},
            "spread": sorted((count / max(1, self.samples // 10) for count in self.spread.values()), reverse=True),
        }


def _connections_per_process(port: int) -> Counter:
    """Established connections to `port` by the pid of the gunicorn process holding them."""
    try:
        lines = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True
        ).stdout.splitlines()
    except OSError:
        return Counter()
    pids = Counter()
    for line in lines:
        if "pid=" in line:
            pids[int(line.split("pid=", 1)[1].split(",", 1)[0])] += 1
    return pids


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


def summary(name, latencies, codes, wall, spent, items_per_request=1, sampled=None, per_client=None):
    ok = sum(1 for code in codes if code == 200)
    items = ok * items_per_request
    return {
        "sampled": sampled or {},
        "per_client": sorted((per_client or {}).values()),
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
        # What 2 cores would give if they did nothing else: items/s at this CPU per item, everything included.
        "capacity": 2 * items / max(sum(spent.values()), 1e-9),
    }


def load(servers, data, seconds, queue):
    """`servers`: (label, port, pid) of the deployed gunicorn and, with --versus, of the one compared to it."""
    tokens, results = data["tokens"], []
    meters = {port: CpuMeter(pid) for _, port, pid in servers}
    per_client = Counter()

    def phase(port, name, n_clients, phase_seconds, interval, work, items_per_request=1):
        per_client.clear()
        sampler, meter = Sampler(port), meters[port]
        before = meter.snapshot()
        sampler.start()
        outcome = run_clients(port, n_clients, phase_seconds, interval, work)
        spent = meter.spent(before, meter.snapshot())
        sampled = sampler.report()
        result = summary(name, *outcome, spent, items_per_request, sampled, dict(per_client))
        results.append({**result, "port": port})

    def parties(number, connection):
        return _request(connection, "GET", "/api/v1/parties/", tokens[number])[0]

    deployed = servers[0][1]
    phase(deployed, "baseline GET /api/v1/parties/, 20 clients", 20, seconds, 0, parties)

    makers = [BatchMaker(data["voter_ids"], data["party"], number * BATCH) for number in range(SYNC_CLIENTS)]
    sent, sent_lock = [], threading.Lock()  # (client, body, acknowledged): replayed and counted afterwards

    def sync(number, connection):
        body = makers[number]()
        status, answer = _request(connection, "POST", "/api/v1/contacts/sync/", tokens[number], body)
        if status == 200 and any(r["status"] != "ok" for r in json.loads(answer)["results"]):
            status = 299  # a 200 with an item error counts as a failure here
        with sent_lock:
            sent.append((number, body.decode(), status == 200))
            per_client[number] += 1
        return status

    interval = SYNC_CLIENTS * BATCH / TARGET_CONTACTS_PER_S
    for label, port, _ in servers:
        prefix = f"{label}: " if len(servers) > 1 else ""
        phase(
            port,
            f"{prefix}sync 50x50 paced to {TARGET_CONTACTS_PER_S:,}/s",
            SYNC_CLIENTS,
            seconds,
            interval,
            sync,
            BATCH,
        )
        phase(port, f"{prefix}sync 50x50 back to back (saturation)", SYNC_CLIENTS, seconds, 0, sync, BATCH)
    phase(deployed, "sync 50 contacts, 1 client alone", 1, seconds / 2, 0, sync, BATCH)
    queue.put({"results": results, "sent": sent})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8042)
    parser.add_argument("--workers", type=int, help="default: as deployed (canvass/config/gunicorn.py)")
    parser.add_argument("--threads", type=int, default=4, help="per gthread worker")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], help="default: as deployed")
    parser.add_argument("--keep-alive", type=int, default=None, help="gunicorn --keep-alive (s; 0: close)")
    parser.add_argument("--backlog", type=int, help="default: as deployed")
    parser.add_argument(
        "--access-log", action="store_true", help="log each request's service time (gunicorn's %%(D)s) and print it"
    )
    parser.add_argument(
        "--versus",
        metavar="WxT",
        help="also run the sync phases against gunicorn W gthread workers x T threads (e.g. 3x4, the configuration"
        " these figures were first taken with) on --port + 1, in the same run",
    )
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL"):
        # The embedded default: every sync would run its ward's recompute in the request, which no deployment does.
        sys.exit("bench/sync_load.py needs CELERY_BROKER_URL=redis://… (a sync queues its recompute, as deployed)")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/sync_load.py needs DATABASE_URL=postgres://… (it measures gunicorn on PostgreSQL)")

    run_id = uuid.uuid4().hex[:8]
    data = setup_data(run_id)
    # The deployed configuration, as the Dockerfile starts it; the command line overrides what it is given.
    from canvass.config import gunicorn as deployed

    args.workers = args.workers or deployed.workers
    args.worker_class = args.worker_class or deployed.worker_class
    # A sync worker given threads would be a gthread worker: one request at a time means one thread.
    threads = args.threads if args.worker_class == "gthread" else 1
    options = ["-c", "python:canvass.config.gunicorn", "--log-level", "warning"]
    options += ["--workers", str(args.workers), "--worker-class", args.worker_class, "--threads", str(threads)]
    if args.backlog is not None:
        options += ["--backlog", str(args.backlog)]
    if args.keep_alive is not None:
        options += ["--keep-alive", str(args.keep_alive)]
    access_log = Path(f"/tmp/sync_load-{run_id}.log")
    # Deployed, every request writes an access line: here it goes nowhere, or timed to a file to read.
    if args.access_log:
        options += ["--access-logfile", str(access_log), "--access-logformat", "%(U)s %(D)s"]
    else:
        options += ["--access-logfile", "/dev/null"]
    server = start_server(args.port, options)
    label = f"{args.workers} {args.worker_class}" + (f" x {threads}" if args.worker_class == "gthread" else "")
    servers, processes = [(label, args.port, server.pid)], [server]
    try:
        if args.versus:
            workers, versus_threads = args.versus.split("x")
            versus = ["-c", "python:canvass.config.gunicorn", "--log-level", "warning", "--access-logfile", "/dev/null"]
            versus += ["--workers", workers, "--worker-class", "gthread", "--threads", versus_threads]
            processes.append(start_server(args.port + 1, versus))
            servers.append((f"{workers} gthread x {versus_threads}", args.port + 1, processes[-1].pid))
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        generator = context.Process(target=load, args=(servers, data, args.seconds, queue))
        generator.start()
        outcome = queue.get()
        generator.join()
        acked = uuids_of([batch for batch in outcome["sent"] if batch[2]])
        acked_stored, _ = count_stored(acked)
        replay_failures = replay(args.port, data["tokens"], outcome["sent"])
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)

    stored, distinct = count_stored(uuids_of(outcome["sent"]))
    load_average = os.getloadavg()
    print(
        f"gunicorn: {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + (f" (and {servers[1][0]} on :{args.port + 1})" if args.versus else "")
        + f"; {os.cpu_count()} CPUs shared with the load generator and PostgreSQL; {args.seconds:.0f} s per phase;"
        f" load average {load_average[0]:.1f} at the end"
    )
    print(
        f"{'phase':58} {'req':>6} {'non200':>6} {'items/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f"  {'CPU ms per item: server':>23} {'db':>6} {'client':>6} {'cores':>6} {'2 cores/CPU':>11}"
    )
    for r in outcome["results"]:
        print(
            f"{r['name']:58} {r['requests']:>6} {r['non_200']:>6} {r['items_per_s']:>8.0f} {r['p50_ms']:>8.1f}"
            f" {r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f}  {r['server_cpu']:>23.3f} {r['db_cpu']:>6.3f}"
            f" {r['client_cpu']:>6.3f} {r['cores_busy']:>6.2f} {r['capacity']:>11.0f}"
        )
    print("where the time went, per phase: PostgreSQL backends by state and wait (mean number at a time);")
    print("connections per gunicorn process (mean); requests per client (min / median / max)")
    for r in outcome["results"]:
        waits = ", ".join(f"{key} {value:.2f}" for key, value in r["sampled"].get("waits", {}).items())
        spread = " / ".join(f"{n:.0f}" for n in r["sampled"].get("spread", []))
        counts = r["per_client"]
        clients = f"{counts[0]} / {counts[len(counts) // 2]} / {counts[-1]}" if counts else "-"
        print(f"  {r['name']:58} db: {waits or '-'}")
        print(f"  {'':58} connections per process: {spread or '-'}; requests per client: {clients}")
    if args.access_log:
        # Only the deployed server logs, its syncs in order: paced, saturation, the lone client's, then the replays.
        times, start = _service_times(access_log), 0
        for r in (r for r in outcome["results"][1:] if r["port"] == args.port):
            phase_times = times[start : start + r["requests"]]
            start += r["requests"]
            print(
                f"  {r['name']:58} server service time p50 / p95 / p99 ms: "
                + " / ".join(f"{1000 * percentile(phase_times, p):.1f}" for p in (50, 95, 99))
            )
        access_log.unlink()
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
