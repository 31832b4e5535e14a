"""`make bench`: run every benchmark in its own process and write docs/benchmarks.md.

Each benchmark prints its own markdown (a short table and the exact command); this harness adds the
machine, the versions and the date, and never edits a figure. Figures in tests are never timed.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (title, module, args) — in the order of the document
BENCHES: list[tuple[str, str, list[str]]] = [
    ("Detector quality against the simulator's truth", "benchmarks.bench_scores", []),
    ("Simulation rate", "benchmarks.bench_simulate", []),
    ("Ingest rate (CSV and Parquet)", "benchmarks.bench_ingest", []),
    ("Trip building and the detector suite: DuckDB vs Spark, pandas baselines", "benchmarks.bench_detect", []),
    ("Overload determination (batch path)", "benchmarks.bench_overload", []),
    ("Watch-list matcher, Redis live path, latency", "benchmarks.bench_matcher", []),
    ("Cases: opening from leads, the officer's case list", "benchmarks.bench_cases", []),
    ("Public complaint form under load", "benchmarks.bench_public_form", []),
    ("Yearly report and dashboard", "benchmarks.bench_reports", []),
    ("Remote-sensing change detection", "benchmarks.bench_changes", []),
]


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    versions = []
    for mod in ("duckdb", "polars", "ibis", "pyspark", "sqlalchemy", "redis"):
        try:
            m = __import__(mod)
            versions.append(f"{mod} {getattr(m, '__version__', '?')}")
        except ImportError:
            continue
    return (f"- CPU: {cpu}, {os.cpu_count()} cores; memory {mem}\n"
            f"- Python {platform.python_version()} on {platform.system()} {platform.release()}\n"
            f"- {', '.join(versions)}")


def _as_markdown(text: str) -> str:
    """A benchmark that prints one JSON object gets it shown as a two-column table; others as printed."""
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return text
    if not isinstance(data, dict):
        return text
    rows = ["| figure | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in data.items()]
    return "\n".join(rows)


def _sections(text: str) -> dict[str, str]:
    parts = text.split("\n## ")
    return {p.split("\n", 1)[0]: p for p in parts[1:]}


def _merge(old: str, new: str) -> str:
    """A run of some benchmarks replaces only their sections (and the header); the rest stays as measured,
    in the order of BENCHES."""
    merged = {**_sections(old), **_sections(new)}
    order = ["Machine"] + [title for title, _m, _a in BENCHES]
    head = new.split("\n## ")[0]
    body = [merged[t] for t in order if t in merged] + [v for t, v in merged.items() if t not in order]
    return "\n## ".join([head, *body])


def main(argv: list[str]) -> int:
    only = set(argv)
    out = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`python -m benchmarks.run`) on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}. "
        "Each section is the verbatim output of one benchmark run in its own process on this machine; "
        "ratios are against a baseline measured in the same run.",
        "",
        "## Machine",
        machine(),
        "",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    failures = 0
    for title, module, args in BENCHES:
        if only and module.rsplit(".", 1)[-1] not in only:
            continue
        if not (ROOT / (module.replace(".", "/") + ".py")).exists():
            out += [f"## {title}", "", f"_not measured: `{module}` does not exist yet_", ""]
            continue
        cmd = [sys.executable, "-m", module, *args]
        print(f"running {' '.join(cmd)}", flush=True)
        t0 = time.monotonic()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        took = time.monotonic() - t0
        out += [f"## {title}", "", f"Command: `python -m {module} {' '.join(args)}`".rstrip() + f" ({took:.0f} s wall)", ""]
        if proc.returncode != 0:
            failures += 1
            out += ["_failed:_", "", "```", (proc.stderr or proc.stdout)[-3000:], "```", ""]
        else:
            out += [_as_markdown(proc.stdout.strip()), ""]
    target = ROOT / "docs" / "benchmarks.md"
    text = "\n".join(out) + "\n"
    if only and target.exists():
        text = _merge(target.read_text(encoding="utf-8"), text)
    target.write_text(text, encoding="utf-8")
    print(f"wrote docs/benchmarks.md ({failures} failed)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
