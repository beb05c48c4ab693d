"""How long the demo generator takes per size, against a raw-SQLite baseline measured in the same run.

    .venv/bin/python tests/benchmarks/bench_generator.py [tiny small large]

Baseline: stdlib sqlite3 ``executemany`` of 200,000 posts-like rows (~300 B of text each) into an
indexed table in one transaction, i.e. the floor for writing rows from Python. The figures report
generation seconds and rows written per second, and that rate as a fraction of the baseline.
The last printed line is a JSON object of figures.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from pathlib import Path

from modconsole.demo.generator import SIZES, generate


def baseline_rows_per_s(tmp: Path, n: int = 200_000) -> float:
    con = sqlite3.connect(tmp / "baseline.sqlite3", isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "CREATE TABLE p (id INTEGER PRIMARY KEY, topic_id INT, user_id INT, created_at TEXT, raw TEXT)"
    )
    con.execute("CREATE INDEX p_user ON p(user_id, created_at)")
    text = "lorem ipsum dolor sit amet " * 11
    rows = ((i, i // 10, i % 5000, f"2026-01-01T00:00:{i % 60:02d}.000Z", text) for i in range(n))
    t0 = time.perf_counter()
    con.execute("BEGIN")
    con.executemany("INSERT INTO p VALUES (?, ?, ?, ?, ?)", rows)
    con.execute("COMMIT")
    dt = time.perf_counter() - t0
    con.close()
    return n / dt


def main(sizes: list[str]) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        base = baseline_rows_per_s(tmp)
        figures["baseline_rows_per_s"] = round(base)
        for size in sizes:
            t0 = time.perf_counter()
            res = generate(
                tmp / f"{size}.sqlite3", size=size, seed=1, progress=lambda m: print(f"  {m}", flush=True)
            )
            wall = time.perf_counter() - t0
            rows = sum(res.counts.values())
            figures[f"{size}_seconds"] = round(wall, 3)
            figures[f"{size}_rows"] = rows
            figures[f"{size}_posts"] = res.counts["posts"]
            figures[f"{size}_rows_per_s"] = round(rows / wall)
            figures[f"{size}_vs_baseline"] = round(rows / wall / base, 3)
            figures[f"{size}_mb"] = round(res.path.stat().st_size / 1e6, 1)
            print(f"{size}: {wall:.2f} s, {res.counts}", flush=True)
    return figures


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", metavar="SIZE", help=f"{', '.join(SIZES)} (default: all)")
    sizes = ap.parse_args().sizes or list(SIZES)
    if unknown := [s for s in sizes if s not in SIZES]:
        ap.error(f"unknown size {unknown[0]!r}; expected one of {', '.join(SIZES)}")
    print(json.dumps(main(sizes)))
