"""Fault run: phones sync while gunicorn workers, the Celery worker and database connections are killed.

Usage (PostgreSQL and Redis required; the demo council is loaded into that database if it is not there):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_fault CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
        CACHE_URL=redis://127.0.0.1:6379/1 SECRET_KEY=... .venv/bin/python bench/fault_run.py [--seconds 60]

It starts gunicorn and a Celery worker (with bench/fault_settings.py: a queue and cache keys of its own), then
for `--seconds` the demo volunteers (vera in Popley, victor in South Ham) send batches of new contacts the
way the phone does: a batch that gets no answer or a 5xx is sent again, unchanged, until every item is
answered "ok". Meanwhile, every couple of seconds, one of: a gunicorn worker killed (SIGKILL), the Celery
worker's pool process killed mid-task (SIGKILL), the whole Celery worker killed and started again, or every
database connection of the run terminated (pg_terminate_backend). Then it checks:

  - nothing lost or doubled: each contact sent is stored exactly once (by its client UUID, and by content);
  - every ward that got contacts has figures computed after its last contact, within two minutes of the end.

It prints each fault, the counts and the time each ward took to be fresh, and exits 1 if a check failed.
"""

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ["DJANGO_SETTINGS_MODULE"] = "fault_settings"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
APP = "canvass-fault-run"  # the application_name of every connection the run's processes open
if "application_name" not in os.environ.get("DATABASE_URL", ""):
    joiner = "&" if "?" in os.environ["DATABASE_URL"] else "?"
    os.environ["DATABASE_URL"] += f"{joiner}application_name={APP}"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from canvass.models import ContactRecord, Voter  # noqa: E402
from wards.models import AreaStatistics  # noqa: E402

BIN = ROOT / ".venv" / "bin"
PASSWORDS = {"vera": "demo-volunteer-pass", "victor": "demo-volunteer-pass"}
FRESH_WITHIN = 120


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


def request(port: int, method: str, path: str, body=None, token: str = "", timeout: float = 30):
    connection_ = HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    try:
        connection_.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection_.getresponse()
        return response.status, response.read()
    finally:
        connection_.close()


class Processes:
    def __init__(self, port: int, web_workers: int):
        self.port, self.web_workers = port, web_workers
        self.gunicorn = self.worker = None

    def start_gunicorn(self):
        self.gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "canvass.config.wsgi", "--pythonpath", str(ROOT / "bench"), "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(self.web_workers), "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        for _ in range(120):
            try:
                if request(self.port, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def start_worker(self):
        self.worker = subprocess.Popen(
            [str(BIN / "celery"), "-A", "canvass", "worker", "-Q", "fault-run", "--concurrency", "1",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "-n", f"fault-run-{os.getpid()}@%h"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "bench")}, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip

    def children(self, pid: int) -> list[int]:
        try:
            out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
        except OSError:
            return []
        return [int(line) for line in out.split()]

    def stop(self):
        for process in (self.gunicorn, self.worker):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.gunicorn, self.worker):
            if process:
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def token(port: int, username: str) -> str:
    body = {"username": username, "password": PASSWORDS[username], "device": "fault run"}
    status, content = request(port, "POST", "/api/v1/auth/token/", body)
    assert status == 200, (status, content[:200])
    return json.loads(content)["token"]


def walk_list_voters(username: str) -> list[int]:
    return list(
        Voter.objects.filter(household__walk_list_stops__walk_list__assigned_to__username=username)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


class Phone(threading.Thread):
    """One volunteer's phone: batches of new contacts, each sent again until every item is answered ok."""

    def __init__(self, port, username, voters, until, batch):
        super().__init__(daemon=True)
        self.port, self.username, self.voters, self.until, self.batch = port, username, voters, until, batch
        self.sent: dict[str, dict] = {}
        self.retries = self.refused = 0
        self.key = token(port, username)

    def run(self):
        while time.monotonic() < self.until:
            items = [self.item(voter) for voter in random.sample(self.voters, min(self.batch, len(self.voters)))]
            self.send(items)

    def item(self, voter: int) -> dict:
        contacted = timezone.now() - dt.timedelta(minutes=random.randint(1, 300))
        item = {
            "client_uuid": str(uuid.uuid4()),
            "voter": voter,
            "contacted_at": contacted.isoformat(),
            "outcome": random.choice(["spoke", "not_in", "refused"]),
        }
        self.sent[item["client_uuid"]] = item
        return item

    def send(self, items):
        while True:
            try:
                status, content = request(self.port, "POST", "/api/v1/contacts/sync/", {"contacts": items}, self.key)
            except OSError:
                status, content = 0, b""
            if status == 200:
                results = json.loads(content)["results"]
                if all(result["status"] == "ok" for result in results):
                    return
                self.refused += sum(result["status"] != "ok" for result in results)
                log(f"{self.username}: refused {[r for r in results if r['status'] != 'ok'][:2]}")
                return
            if status == 401:
                self.key = token(self.port, self.username)
            self.retries += 1
            time.sleep(0.5)


def terminate_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s AND pid <> pg_backend_pid()",
            [APP],
        )
        return cursor.fetchone()[0]


def inject_faults(processes: Processes, until: float, faults: list[str]):
    kinds = ["gunicorn worker", "celery pool process", "celery worker", "database connections"]
    while time.monotonic() < until:
        time.sleep(random.uniform(1.5, 3.0))
        kind = random.choice(kinds)
        if kind == "gunicorn worker":
            workers = processes.children(processes.gunicorn.pid)
            if workers:
                os.kill(random.choice(workers), signal.SIGKILL)
        elif kind == "celery pool process":
            pool = processes.children(processes.worker.pid)
            if pool:
                os.kill(random.choice(pool), signal.SIGKILL)
        elif kind == "celery worker":
            os.killpg(processes.worker.pid, signal.SIGKILL)
            processes.worker.wait()
            time.sleep(1)
            processes.start_worker()
        else:
            kind = f"{terminate_connections()} database connections"
        faults.append(kind)
        log(f"killed: {kind}")


def stale_wards(ward_ids) -> dict[int, str]:
    """Wards whose figures were computed before their last contact arrived (or never)."""
    connection.close()
    last = {
        row["ward_id"]: row["last"]
        for row in ContactRecord.objects.filter(ward_id__in=ward_ids)
        .values("ward_id")
        .annotate(last=Max("recorded_at"))
    }
    computed = dict(AreaStatistics.objects.wards().filter(ward_id__in=ward_ids).values_list("ward_id", "computed_at"))
    return {
        ward: f"last contact {last[ward]:%H:%M:%S}, figures {computed[ward]:%H:%M:%S}" if ward in computed else "none"
        for ward in ward_ids
        if ward not in computed or computed[ward] < last[ward]
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="how long phones sync under faults")
    parser.add_argument("--port", type=int, default=8741)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    random.seed(args.seed)

    manage = [str(BIN / "python"), "manage.py"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "bench")}
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo", "--force"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    before = ContactRecord.objects.count()

    processes = Processes(args.port, args.web_workers)
    faults: list[str] = []
    try:
        processes.start_gunicorn()
        processes.start_worker()
        until = time.monotonic() + args.seconds
        phones = [Phone(args.port, name, walk_list_voters(name), until, args.batch) for name in PASSWORDS]
        log(f"{len(phones)} phones syncing for {args.seconds} s under faults; {before} contacts stored before")
        for phone in phones:
            phone.start()
        inject_faults(processes, until, faults)
        for phone in phones:
            phone.join()
        ended = time.monotonic()
        log("faults stopped; phones done")

        sent = {key: item for phone in phones for key, item in phone.sent.items()}
        stored = dict(ContactRecord.objects.filter(client_uuid__in=list(sent)).values_list("client_uuid", "voter_id"))
        missing = [key for key in sent if uuid.UUID(key) not in stored]
        after = ContactRecord.objects.count()
        doubled = (after - before) - len(stored)
        wrong = [key for key, voter in stored.items() if sent[str(key)]["voter"] != voter]
        ours = ContactRecord.objects.filter(client_uuid__in=list(sent))
        ward_ids = sorted(set(ours.values_list("ward_id", flat=True)))

        fresh_after = {}
        while time.monotonic() - ended < FRESH_WITHIN + 5:
            stale = stale_wards(ward_ids)
            for ward in ward_ids:
                if ward not in stale and ward not in fresh_after:
                    fresh_after[ward] = time.monotonic() - ended
            if not stale:
                break
            time.sleep(3)
        stale = stale_wards(ward_ids)
    finally:
        processes.stop()

    print()
    kinds = {fault.split(" ", 1)[-1] if fault[0].isdigit() else fault for fault in faults}
    print(f"faults injected: {len(faults)} ({', '.join(sorted(kinds))})")
    resent, refused = sum(p.retries for p in phones), sum(p.refused for p in phones)
    print(f"contacts sent: {len(sent)}, batches sent again: {resent}, items refused: {refused}")
    print(f"stored: {len(stored)}; missing: {len(missing)}; doubled: {doubled}; with other content: {len(wrong)}")
    for ward in ward_ids:
        when = f"fresh {fresh_after[ward]:.0f} s after the end" if ward in fresh_after else f"STALE: {stale.get(ward)}"
        print(f"ward {ward}: {when}")
    in_time = all(seconds <= FRESH_WITHIN for seconds in fresh_after.values())
    ok = not missing and doubled == 0 and not wrong and not stale and in_time
    print("RESULT:", "ok: nothing lost or doubled, every ward fresh within two minutes" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
