"""Load benchmark of polling day: tellers, knock-up phones and committee-room boards at once.

Usage (PostgreSQL; loads the demo council at 150,000 electors first if the database has fewer):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_bench SECRET_KEY=... \
        .venv/bin/python bench/polling_day.py [--port 8042] [--workers 3] [--threads 4] [--seconds 60] [--samples 60] \
        [--turnout 30]

It makes 20,000 promises, rebuilds the target lists, opens polling day for an election today in every ward, gives
40 bench tellers a station each and 30 bench volunteers a knock-up round each, enters `--turnout` per cent of
each station's electors as voted already (the board and the knock-up rounds are measured at mid-afternoon,
not at 7 am with nothing entered), then runs at once:
40 tellers each sending one number every 2 s, 30 knock-up phones each loading their round every 30 s,
3 boards each refreshing every 10 s, and one client on a trivial endpoint (GET /api/v1/parties/) every
0.5 s as the baseline. Latency counts from each request's scheduled time. Then each kind of request is
sent one at a time (`--samples` of each, the trivial endpoint too), which shows what the code costs when
the machine is shared and the paced load queues, with the gunicorn workers' CPU time per request (from
/proc, so other work on the machine does not count in it). Afterwards every teller entry is sent again: nothing may
be recorded twice, and every entry sent must be stored exactly once. The machine's load average is printed
with the figures, and each goal of issue #14 is judged PASS or FAIL (the exit status is 1 on a FAIL).

The load comes from one scheduler thread and a small pool of sender threads, not a thread per simulated
phone, and the client's own CPU time is printed beside the server's: on a 2-core machine the client must
not take the CPU the server is being measured on. gunicorn runs 3 gthread workers of 4 threads by default:
the GIL lets one worker use one core, so 2 cores need at least 2 workers, and a third keeps both cores
busy while a worker waits on PostgreSQL (which shares the same 2 cores); 4 threads a worker overlap those
waits, and 12 requests in flight is well above what this load keeps open (about 23 requests a second of
10-50 ms each). More workers only add memory and context switches on 2 cores.
The bench users it makes are deleted at the end; the polling day stays until the next run replaces it.
"""

import argparse
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

from api_load import _request, start_server, summary  # noqa: E402

ELECTORS, PROMISES = 150_000, 20_000
TELLERS, PHONES, BOARDS, ROUND_SIZE = 40, 30, 3, 60


def setup_data(run_id: str, turnout: float = 30) -> dict:
    import datetime as dt
    import random

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from canvass.models import ContactRecord, Intention, Profile, Role, Voter
    from canvass.services.tokens import api_token_create
    from wards.models import Election, ElectionKind, Party, Segment, TargetListEntry, TellerReturn, Ward
    from wards.polling.models import PollingDay, PollingStation
    from wards.polling.services import knock_up_round_send, knock_up_rounds_build, polling_day_open, teller_assign
    from wards.services import target_lists_rebuild

    call_command("migrate", verbosity=0)
    if Voter.objects.count() < ELECTORS * 0.99:  # the demo draws about 150,000
        call_command("load_demo", electors=ELECTORS, force=True)
    ours = Party.objects.get(is_ours=True)
    rng = random.Random(5)
    # Top the demo's promises up to 20,000: promised contacts for voters not yet promises.
    existing = TargetListEntry.objects.filter(segment=Segment.PROMISE)
    candidates = list(
        Voter.objects.filter(do_not_contact=False, on_register=True)
        .exclude(id__in=existing.values("voter_id"))
        .values_list("id", "household_id")
    )
    chosen = rng.sample(candidates, max(0, PROMISES - existing.count()))
    wards = dict(Voter.objects.filter(id__in=[c[0] for c in chosen]).values_list("id", "polling_district__ward_id"))
    when = timezone.now() - dt.timedelta(minutes=1)  # the latest contact, so each counts as a promise
    ContactRecord.objects.bulk_create(
        [
            ContactRecord(
                voter_id=voter_id,
                household_id=household_id,
                ward_id=wards[voter_id],
                contacted_at=when,
                outcome="spoke",
                local_intention=Intention.PARTY,
                local_party=ours,
                likelihood=5,
            )
            for voter_id, household_id in chosen
        ],
        batch_size=5000,
    )
    taking_part = list(Ward.objects.filter(polling_districts__voters__isnull=False).distinct())
    for ward in taking_part:
        target_lists_rebuild(ward=ward)
    # A fresh day each run: the last run's polling day and the votes its tellers recorded go.
    PollingDay.objects.filter(election_date=timezone.localdate()).delete()
    TellerReturn.objects.filter(election_date=timezone.localdate()).delete()
    election, _ = Election.objects.get_or_create(
        council=taking_part[0].council, date=timezone.localdate(), kind=ElectionKind.ALL_OUT
    )
    day = polling_day_open(election=election, wards=taking_part, opens_at=dt.time(0), closes_at=dt.time(23, 59, 59))
    stations = list(PollingStation.objects.filter(polling_day=day).order_by("id"))

    def bench_user(kind, n, role):
        user = get_user_model().objects.create_user(f"pd-{run_id}-{kind}-{n}")
        Profile.objects.create(user=user, role=role)
        # The board's admins signed in with their authenticator code, as two-factor sign-in requires.
        return user, api_token_create(user=user, device="bench", second_factor=role == Role.ADMIN)[1]

    tellers = []
    for n in range(TELLERS):
        user, token = bench_user("teller", n, Role.VOLUNTEER)
        station = stations[n % len(stations)]
        teller_assign(station=station, user=user)
        numbers = list(
            Voter.objects.filter(polling_district__polling_stations=station).values_list(
                "elector_number", "elector_suffix"
            )
        )
        rng.shuffle(numbers)
        tellers.append({"token": token, "station": station.id, "numbers": numbers})
    rounds = []
    for ward in taking_part:
        rounds += knock_up_rounds_build(polling_day=day, ward=ward, size=ROUND_SIZE)
    phones = []
    for n in range(PHONES):
        user, token = bench_user("phone", n, Role.VOLUNTEER)
        round_ = rounds[n * len(rounds) // PHONES]
        knock_up_round_send(round=round_, volunteer=user)
        phones.append({"token": token, "round": round_.id})
    boards = [bench_user("board", n, Role.ADMIN)[1] for n in range(BOARDS)]
    entered = _turnout_enter(day, stations, turnout, rng)
    # VACUUM too: a freshly loaded table has no visibility map, and the board's counts are index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    promises = TargetListEntry.objects.filter(segment=Segment.PROMISE).count()
    print(
        f"{Voter.objects.count()} electors, {promises} promises, {len(stations)} stations, {len(rounds)} rounds,"
        f" {entered} voted already ({turnout:g}% turnout entered)"
    )
    voted_before = TellerReturn.objects.filter(election_date=timezone.localdate()).count()
    return {"day": day.id, "tellers": tellers, "phones": phones, "boards": boards, "voted_before": voted_before}


def _turnout_enter(day, stations, turnout: float, rng) -> int:
    """`turnout` per cent of each station's electors voted, as the tellers' entries would have left it."""
    from django.utils import timezone

    from canvass.models import Voter
    from wards.models import Segment, TargetListEntry, TellerReturn
    from wards.polling.models import Outcome, TellerEntry

    promises = set(
        TargetListEntry.objects.filter(
            segment=Segment.PROMISE, voter__is_postal_voter=False, voter__do_not_contact=False
        ).values_list("voter_id", flat=True)
    )
    now, voted = timezone.now(), []
    for station in stations:
        electors = list(
            Voter.objects.filter(polling_district__polling_stations=station, on_register=True).values_list(
                "id", "polling_district_id", "elector_number", "elector_suffix"
            )
        )
        voted += [(station.id, *e) for e in rng.sample(electors, int(len(electors) * turnout / 100))]
    returns = TellerReturn.objects.bulk_create(
        [
            TellerReturn(election_date=day.election_date, polling_district_id=d, elector_number=n, elector_suffix=s)
            for _, _, d, n, s in voted
        ],
        batch_size=5000,
    )
    TellerEntry.objects.bulk_create(
        [
            TellerEntry(
                client_uuid=uuid.uuid4(),
                station_id=station_id,
                typed=str(n),
                district_id=d,
                elector_number=n,
                elector_suffix=s,
                outcome=Outcome.RECORDED,
                answer="Recorded (entered by the bench)",
                teller_return=vote,
                promise=voter_id in promises,
                entered_at=now,
            )
            for (station_id, voter_id, d, n, s), vote in zip(voted, returns, strict=True)
        ],
        batch_size=5000,
    )
    return len(voted)


def typed(number: int, suffix: int, n: int) -> str:
    # The forms tellers write, in turn.
    return [f"{number}", f"{number}/{suffix}", f"{number}.{suffix}"][n % 3] if suffix else f"{number}"


class Work:
    """The four kinds of client, each `call(n, connection)` returning the status; teller entries sent are kept."""

    def __init__(self, port: int, data: dict):
        self.port, self.data = port, data
        self.sent: list[tuple[int, str]] = []
        self.outcomes: dict[str, int] = {}
        self.lock = threading.Lock()
        self.counters = [0] * TELLERS

    def fresh(self, work):
        # Paced phones open a connection per request, as a phone on a mobile network does; a kept-alive
        # connection would be closed by the server between requests and count as a failure.
        def call(n, _connection=None):
            connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                return work(n, connection)
            finally:
                connection.close()

        return call

    def teller(self, n, connection):
        t = self.data["tellers"][n]
        with self.lock:
            number, suffix = t["numbers"][self.counters[n] % len(t["numbers"])]
            self.counters[n] += 1
            count = self.counters[n]
        item = {"client_uuid": str(uuid.uuid4()), "typed": typed(number, suffix, count)}
        body = json.dumps({"entries": [item]}).encode()
        status, answer = _request(
            connection, "POST", f"/api/v1/polling/stations/{t['station']}/entries/sync/", t["token"], body
        )
        if status == 200:
            (result,) = json.loads(answer)["results"]
            with self.lock:
                self.sent.append((n, body.decode()))
                self.outcomes[result["outcome"]] = self.outcomes.get(result["outcome"], 0) + 1
        return status

    def phone(self, n, connection):
        p = self.data["phones"][n]
        return _request(connection, "GET", f"/api/v1/polling/rounds/{p['round']}/", p["token"])[0]

    def board(self, n, connection):
        return _request(connection, "GET", f"/api/v1/polling/days/{self.data['day']}/board/", self.data["boards"][n])[0]

    def baseline(self, n, connection):
        return _request(connection, "GET", "/api/v1/parties/", self.data["boards"][0])[0]


def load(work: Work, seconds: float, senders: int = 24) -> tuple[list[dict], float]:
    """Everyone at once, paced; latency from each request's scheduled time.

    One scheduler thread hands each request, at its scheduled time, to a pool of `senders` threads (a
    thread per simulated phone would be 74 threads in this process). A request waiting for a free sender
    counts that wait in its latency, so the pool is sized well above the requests in flight. Returns the
    rows and the client's CPU seconds over the run.
    """
    plan = {
        f"teller entry ({TELLERS} tellers, one number every 2 s each)": (TELLERS, 2.0, work.fresh(work.teller)),
        f"knock-up round load ({PHONES} phones, every 30 s each)": (PHONES, 30.0, work.fresh(work.phone)),
        f"committee board ({BOARDS} boards, every 10 s each)": (BOARDS, 10.0, work.fresh(work.board)),
        "baseline GET /api/v1/parties/ (1 client, every 0.5 s)": (1, 0.5, work.fresh(work.baseline)),
    }
    start = time.monotonic() + 0.5
    stop = start + seconds
    # Each client's requests spread over its interval, so they do not all fire together.
    schedule = [
        (start + interval * (n / clients + k), name, n)
        for name, (clients, interval, _) in plan.items()
        for n in range(clients)
        for k in range(int(seconds / interval) + 1)
        if start + interval * (n / clients + k) < stop
    ]
    schedule.sort()
    latencies: dict[str, list[float]] = {name: [] for name in plan}
    codes: dict[str, list[int]] = {name: [] for name in plan}
    lock = threading.Lock()

    def send(scheduled, name, n):
        try:
            status = plan[name][2](n)
        except OSError:
            status = 0
        took = time.monotonic() - scheduled
        with lock:
            latencies[name].append(took)
            codes[name].append(status)

    cpu_before = time.process_time()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        for scheduled, name, n in schedule:
            wait = scheduled - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            pool.submit(send, scheduled, name, n)
    client_cpu = time.process_time() - cpu_before
    wall = time.monotonic() - start
    return [summary(name, latencies[name], codes[name], wall) for name in plan], client_cpu


def warm_up(work: Work, requests: int) -> None:
    """Each worker's first requests load URL confs, serializers and connections: sent before the measured run
    (a few at once, so every worker gets some), not counted. The tellers' entries are checked like the others."""
    calls = [work.teller, work.phone, work.board, work.baseline]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: work.fresh(calls[n % 4])(n // 4 % BOARDS), range(4 * requests)))


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) the gunicorn workers have used so far, from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def one_at_a_time(work: Work, samples: int, server_pid: int) -> list[dict]:
    """Each kind of request sent one after another by one client, nothing else of ours running: what the
    code costs with no queue in front of it, beside the trivial endpoint measured the same way."""
    plan = {
        "teller entry, one at a time": (TELLERS, work.teller),
        "knock-up round load, one at a time": (PHONES, work.phone),
        "committee board, one at a time": (BOARDS, work.board),
        "baseline GET /api/v1/parties/, one at a time": (1, work.baseline),
    }
    results = []
    for name, (clients, call) in plan.items():
        latencies, codes = [], []
        cpu_before = server_cpu_seconds(server_pid)
        for n in range(samples):
            began = time.monotonic()
            codes.append(work.fresh(call)(n % clients))
            latencies.append(time.monotonic() - began)
        row = summary(name, latencies, codes, sum(latencies))
        row["cpu_ms"] = 1000 * (server_cpu_seconds(server_pid) - cpu_before) / samples
        results.append(row)
    return results


def check_entries(port, data, sent, recorded: int) -> dict:
    """Every entry answered is stored exactly once; replaying each stores nothing more; one vote a recorded answer."""
    from django.utils import timezone

    from wards.models import TellerReturn
    from wards.polling.models import TellerEntry

    uuids = [json.loads(body)["entries"][0]["client_uuid"] for _, body in sent]
    stored = TellerEntry.objects.filter(client_uuid__in=uuids).count()
    connection, new_on_replay = HTTPConnection("127.0.0.1", port, timeout=60), 0
    for n, body in sent:
        t = data["tellers"][n]
        status, answer = _request(
            connection, "POST", f"/api/v1/polling/stations/{t['station']}/entries/sync/", t["token"], body.encode()
        )
        if status != 200 or not json.loads(answer)["results"][0]["replayed"]:
            new_on_replay += 1
    after = TellerEntry.objects.filter(client_uuid__in=uuids).count()
    votes = TellerReturn.objects.filter(election_date=timezone.localdate()).count() - data["voted_before"]
    return {
        "sent": len(uuids),
        "stored": stored,
        "not_replayed": new_on_replay,
        "stored_after_replay": after,
        "votes": votes,
        "recorded": recorded,
    }


def cleanup(run_id: str) -> None:
    """The bench users and their tokens go (entries and audit rows keep their figures, without the user)."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__startswith=f"pd-{run_id}-").delete()


GOALS = {"teller entry": 100, "knock-up round load": 200, "committee board": 300}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8042)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--samples", type=int, default=60, help="Requests of each kind in the one-at-a-time pass.")
    parser.add_argument("--turnout", type=float, default=30, help="Per cent of electors entered as voted first.")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/polling_day.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    run_id = uuid.uuid4().hex[:8]
    try:
        data = setup_data(run_id, args.turnout)
        from django.db import connection

        connection.close()  # the paced run holds no idle connection of ours
        server = start_server(args.port, args.workers, args.threads)
        loads = [os.getloadavg()[0]]
        try:
            work = Work(args.port, data)
            warm_up(work, 4 * args.workers * args.threads)
            server_before = server_cpu_seconds(server.pid)
            results, client_cpu = load(work, args.seconds)
            server_load_cpu = server_cpu_seconds(server.pid) - server_before
            loads.append(os.getloadavg()[0])
            results += one_at_a_time(work, args.samples, server.pid)
            loads.append(os.getloadavg()[0])
            check = check_entries(args.port, data, work.sent, work.outcomes.get("recorded", 0))
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        cleanup(run_id)
    print("teller answers:", ", ".join(f"{k} {v}" for k, v in sorted(work.outcomes.items())))
    print(
        f"machine: {os.cpu_count()} cores, load average {loads[0]:.1f} at the start, {loads[1]:.1f} after the load,"
        f" {loads[2]:.1f} after the one-at-a-time pass (other work on the machine counts in every figure)"
    )
    print(
        f"paced run ({args.seconds:g} s, gunicorn {args.workers} workers x {args.threads} threads): server CPU"
        f" {server_load_cpu:.1f} s ({100 * server_load_cpu / args.seconds:.0f}% of one core), bench client CPU"
        f" {client_cpu:.1f} s ({100 * client_cpu / args.seconds:.0f}% of one core)"
    )
    header = f"{'scenario':66} {'requests':>8} {'non-200':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(f"{header} {'server CPU ms/request':>22}")
    for r in results:
        figures = f"{r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f}"
        cpu = f"{r['cpu_ms']:>22.1f}" if "cpu_ms" in r else ""
        print(f"{r['name']:66} {r['requests']:>8} {r['non_200']:>7} {figures} {cpu}")
    print(
        f"teller entries: {check['sent']} sent, {check['stored']} stored,"
        f" {check['stored_after_replay']} after replaying every one, {check['not_replayed']} replays not recognised;"
        f" {check['votes']} votes stored for {check['recorded']} 'recorded' answers"
    )
    verdicts = []
    for r in results[:3]:  # the paced rows
        goal = next(v for k, v in GOALS.items() if r["name"].startswith(k))
        ok = r["p95_ms"] < goal and r["non_200"] == 0
        verdicts.append(ok)
        print(f"{'PASS' if ok else 'FAIL'}: {r['name'].split(' (')[0]} p95 {r['p95_ms']:.0f} ms < {goal} ms, all 200")
    once = (
        check["stored"] == check["sent"] == check["stored_after_replay"]
        and check["not_replayed"] == 0
        and check["votes"] == check["recorded"]
    )
    verdicts.append(once)
    print(f"{'PASS' if once else 'FAIL'}: every teller entry stored exactly once, no vote lost or doubled")
    sys.exit(0 if all(verdicts) else 1)


if __name__ == "__main__":
    main()
