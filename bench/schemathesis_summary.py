"""Summarise a schemathesis NDJSON report: test cases per operation and phase, answers by status, 5xx, failures.

Used by bench/schemathesis_probe.sh after each role's run; can be run on any report by hand:

    .venv/bin/python bench/schemathesis_summary.py /tmp/schemathesis-probe/vera/ndjson-*.ndjson
"""

import collections
import json
import sys


def summarise(path: str) -> dict:
    cases: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    statuses: collections.Counter = collections.Counter()
    failed: collections.Counter = collections.Counter()
    errors = 0
    with open(path) as report:
        for line in report:
            event = json.loads(line)
            (kind, body), *_ = event.items()
            if kind == "NonFatalError":
                errors += 1
            if kind != "ScenarioFinished":
                continue
            recorder = body.get("recorder") or {}
            cases[body["phase"]][recorder.get("label", "?")] += len(recorder.get("cases") or {})
            for interaction in (recorder.get("interactions") or {}).values():
                response = interaction.get("response") or {}
                statuses[response.get("status_code", "no answer")] += 1
            for check_runs in (recorder.get("checks") or {}).values():
                for check in check_runs:
                    if check.get("status") == "failure":
                        failed[check["name"]] += 1
    return {"cases": cases, "statuses": statuses, "failed": failed, "errors": errors}


def main(paths: list[str]) -> int:
    worst = 0
    for path in paths:
        found = summarise(path)
        print(f"{path}:")
        for phase, per_operation in found["cases"].items():
            counts = sorted(per_operation.values())
            if not sum(counts):
                print(f"  {phase}: no test cases (skipped)")
            else:
                fewest = min(per_operation, key=per_operation.__getitem__)
                print(
                    f"  {phase}: {sum(counts)} test cases over {len(counts)} operations "
                    f"(fewest {counts[0]}: {fewest}; median {counts[len(counts) // 2]}; most {counts[-1]})"
                )
        statuses = found["statuses"]
        server_errors = sum(n for code, n in statuses.items() if isinstance(code, int) and code >= 500)
        print(f"  answers: {sum(statuses.values())}; by status: {dict(sorted(statuses.items(), key=str))}")
        print(f"  5xx answers: {server_errors}; failed checks: {dict(found['failed']) or 'none'}")
        print(f"  schemathesis errors: {found['errors']}")
        worst = max(worst, server_errors, sum(found["failed"].values()), found["errors"])
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
