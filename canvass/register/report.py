"""What an import did (or would do): counts, samples of references, and every rejected row."""

from dataclasses import dataclass, field

from canvass.register.records import Rejection

# A file of garbage could reject every one of 150,000 rows: the stored report keeps the first ones.
MAX_REJECTIONS_KEPT = 1000
MAX_SAMPLE = 50


@dataclass
class ImportReport:
    kind: str
    layout: str = ""
    rows_read: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[str]] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    rejected_total: int = 0
    unknown_districts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    applied: bool = False
    accept_skipped_rows: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    indexes_rebuilt: bool = False  # a whole-register load rebuilt the indexes instead of updating them
    ward_ids: list[int] = field(default_factory=list)  # the wards of the districts an applied file covered

    def reject(self, rejection: Rejection) -> None:
        self.rejected_total += 1
        if len(self.rejections) < MAX_REJECTIONS_KEPT:
            self.rejections.append(rejection)

    @property
    def outcome(self) -> str:
        if self.applied:
            return "applied"
        if self.rejected_total and not self.accept_skipped_rows:
            return "rejected"
        return "dry_run" if self.dry_run else "not applied"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "layout": self.layout,
            "rows_read": self.rows_read,
            "counts": self.counts,
            "samples": self.samples,
            "rejections": [r.as_dict() for r in sorted(self.rejections, key=lambda r: r.line)],
            "rejected_total": self.rejected_total,
            "unknown_districts": self.unknown_districts,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "accept_skipped_rows": self.accept_skipped_rows,
            "outcome": self.outcome,
            "timings": self.timings,
            "indexes_rebuilt": self.indexes_rebuilt,
            "ward_ids": self.ward_ids,
        }

    def as_text(self) -> str:
        return report_text(self.as_dict())


def report_text(report: dict) -> str:
    """The report as the management command prints it (the admin page shows the same dict)."""
    lines = [f"{report['kind']} import ({report['layout']}): {report['rows_read']} rows read; {report['outcome']}."]
    lines += [f"  {name.replace('_', ' ')}: {count}" for name, count in report["counts"].items()]
    for name, references in report["samples"].items():
        if references:
            lines.append(f"  {name.replace('_', ' ')} (first {len(references)}): {', '.join(references)}")
    if report["unknown_districts"]:
        unknown = ", ".join(f"{code} ({rows} rows)" for code, rows in report["unknown_districts"].items())
        lines.append(f"  unknown polling districts: {unknown}")
    if report["rejected_total"]:
        shown = len(report["rejections"])
        more = f", first {shown} shown" if shown < report["rejected_total"] else ""
        lines.append(f"  rejected rows: {report['rejected_total']}{more}")
        lines += [f"    line {r['line']}, column {r['column']}: {r['reason']}" for r in report["rejections"]]
        if not report["applied"] and not report["accept_skipped_rows"]:
            lines.append("  Nothing was changed. Fix the file, or accept skipping the bad rows to apply the rest.")
    if report["dry_run"]:
        lines.append("  Dry run: nothing was changed.")
    return "\n".join(lines)
