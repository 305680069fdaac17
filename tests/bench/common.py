"""Shared by the benchmarks: printing a table, and writing the numbers as JSON for later comparison."""

from __future__ import annotations

import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain-text table with right-aligned numbers."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    for row in cells:
        out.append("  ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(out)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _numeric(text: str) -> bool:
    return text.replace(".", "", 1).replace("-", "", 1).replace("x", "").isdigit()


def write_json(name: str, data: dict, path: Path | None = None) -> Path:
    """Writes results with when and where they were measured; returns the file written."""
    target = path or RESULTS / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    meta = {"measured": datetime.now(UTC).isoformat(timespec="seconds"), "python": sys.version.split()[0],
            "machine": platform.machine(), "argv": sys.argv[1:]}  # fmt: skip
    target.write_text(json.dumps({"meta": meta, **data}, indent=2), encoding="utf-8")
    return target
