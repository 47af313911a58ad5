"""`make run` a second time on the embedded default: the set-up steps before the server must take under 10 s.

Usage:
    .venv/bin/python bench/second_run.py [--fresh]

Runs `make run`'s steps before runserver (migrate, createcachetable, load_demo, recompute_statistics
--if-stale) on the embedded SQLite file, db.sqlite3, twice: the first pass builds the demo council if
the file lacks it, the second is the figure. --fresh first moves db.sqlite3 aside to
db.sqlite3.before-bench, so the first pass is a newcomer's first `make run`. Baseline in the same run:
`manage.py check`, the start-up every one of those commands pays.

Where the time went (cProfile of `load_demo` on a loaded council, 2 busy cores): 89 s, of which 84 s in
the register importer re-checking the 19,986 electors it already held, 76 s of that in
`canvass.register.apply.full_counts` (its SQLite count and sample queries); contacts 3 s. Now a finished
build leaves a `DemoLoad` marker (seed, size, the demo's code, electors on the register) and `load_demo`
reads it in two queries; `recompute_statistics --if-stale` skips figures newer than the data. Measured
on the same machine: second run 137.9 s before (load_demo 134.4 s), 6.3 s after, of which about 4 x 1 s
is start-up (manage.py check 1.1 s).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = (
    ("migrate", "--no-input"),
    ("createcachetable",),
    ("load_demo",),
    ("recompute_statistics", "--if-stale"),
)


def timed(*command: str) -> float:
    env = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "CACHE_URL")}
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def run_pass(label: str) -> float:
    times = [timed(*step) for step in STEPS]
    steps = ", ".join(f"{step[0]} {seconds:.1f}" for step, seconds in zip(STEPS, times, strict=True))
    print(f"{label}: {sum(times):6.1f} s   ({steps})")
    return sum(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fresh", action="store_true", help="Move db.sqlite3 aside and start from nothing.")
    args = parser.parse_args()
    database = ROOT / "db.sqlite3"
    if args.fresh and database.exists():
        database.rename(ROOT / "db.sqlite3.before-bench")
    run_pass("first run ")
    second = run_pass("second run")
    baseline = timed("check")
    print(f"baseline:   {baseline:6.1f} s   (manage.py check, one command's start-up; the run has {len(STEPS)})")
    print(f"second run {'under' if second < 10 else 'OVER'} the 10 s target")


if __name__ == "__main__":
    main()
