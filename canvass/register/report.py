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
    file_name: str = ""
    rows_read: int = 0  # rows parsed
    lines_read: int = 0  # physical lines, header and blank lines included
    nothing_to_change: bool = False  # an update in which nothing would change: never applied
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
    to_confirm: list[dict] = field(default_factory=list)  # ambiguous matches, for an admin to confirm

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
        if self.nothing_to_change:
            return "nothing to change"
        return "dry_run" if self.dry_run else "not applied"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "layout": self.layout,
            "file_name": self.file_name,
            "rows_read": self.rows_read,
            "lines_read": self.lines_read,
            "nothing_to_change": self.nothing_to_change,
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
            "to_confirm": self.to_confirm,
        }

    def as_text(self) -> str:
        return report_text(self.as_dict())


def report_text(report: dict) -> str:
    """The report as the management command prints it (the admin page shows the same dict)."""
    file_name = report.get("file_name") or "the file"
    lines = [
        f"{report['kind']} import of {file_name} ({report['layout']}): {report.get('lines_read', 0)} lines read, "
        f"{report['rows_read']} rows parsed; {report['outcome']}."
    ]
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
        for r in report["rejections"]:
            lines.append(f"    {file_name} line {r['line']}, column {r['column']}: {r['reason']}")
        if not report["applied"] and not report["accept_skipped_rows"]:
            lines.append("  Nothing was changed. Fix the file, or accept skipping the bad rows to apply the rest.")
    if report.get("nothing_to_change"):
        lines.append(
            "  Nothing in this update would change the register (or its rows cancel each other out): it was "
            "not applied. Check it is the file you meant (a month already imported?), then confirm it."
        )
    if report["dry_run"]:
        lines.append("  Dry run: nothing was changed.")
    return "\n".join(lines)
