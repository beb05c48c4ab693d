"""Sync-path benchmarks: plain script, last printed line is a JSON object of figures.

    .venv/bin/python tests/benchmarks/bench_sync.py [--rows N] [--repeat K] [--only SECTION]

Every figure that is a speed is also given as a ratio against a baseline measured in the
same run on the same machine (absolute numbers on a shared machine are noise).

Structure: each section is a function ``bench_<name>(args) -> dict[str, float]`` registered in
``SECTIONS``; ``main`` runs them in order and prints ``{"<name>": {...}, ...}`` as the last line.
To add sync figures, write ``bench_sync_pull(args)`` and add it to ``SECTIONS``.

Section ``cache_writes`` (modconsole/cache/repo.py):
* baseline: stdlib ``sqlite3.executemany`` of the same post rows into the same ``posts`` table
  (a freshly migrated cache file: same indexes, WAL, synchronous=FULL), one transaction, pages of
  ``--page`` rows;
* ``upsert_posts`` with ``plain`` given (the database path alone) → ``db_ratio`` (target ≥ 0.5);
* ``upsert_posts`` from cooked HTML only (adds ``to_text`` per new post, the real pull path)
  → ``end_to_end_ratio``;
* the same rows again (nothing changed: the guarded upsert writes nothing and skips ``to_text``)
  → ``nochange_rows_per_s`` and ``nochange_ratio``.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.html import to_text

_WORDS = [
    "sync",
    "error",
    "badge",
    "topic",
    "reply",
    "customer",
    "invoice",
    "timeout",
    "server",
    "config",
    "upgrade",
    "license",
    "dashboard",
    "export",
    "import",
    "plugin",
    "webhook",
    "login",
    "password",
    "permission",
    "category",
    "moderator",
]


def make_posts(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """Post rows shaped like the contract's post fields, ~600 B of cooked HTML each."""
    rnd = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        words = " ".join(rnd.choice(_WORDS) for _ in range(70))
        cooked = f"<p>{words[:300]} <a href='/t/x/{i}'>link</a></p><pre><code>{words[300:420]}</code></pre>"
        rows.append(
            {
                "id": i,
                "topic_id": i // 20 + 1,
                "post_number": i % 20 + 1,
                "user_id": rnd.randint(1, 2000),
                "username": f"user{i % 2000}",
                "created_at": f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T10:00:00.000Z",
                "updated_at": "2026-12-01T10:00:00.000Z",
                "version": 1,
                "post_type": 1,
                "reply_to_post_number": None,
                "cooked": cooked,
                "like_count": rnd.randint(0, 5),
                "reads": rnd.randint(1, 100),
                "hidden": False,
                "deleted_at": None,
                "accepted_answer": False,
            }
        )
    return rows


def _pages(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def bench_cache_writes(args: argparse.Namespace) -> dict[str, float]:
    rows = make_posts(args.rows)
    with_plain = [{**r, "plain": to_text(r["cooked"])} for r in rows]
    cols = list(with_plain[0])
    raw_sql = f"INSERT INTO posts ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    raw_tuples = [tuple(r[c] for c in cols) for r in with_plain]
    tmp = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    counter = iter(range(1_000_000))

    def fresh() -> Path:
        path = tmp / f"c{next(counter)}.sqlite3"
        Cache.open(path).close()  # migrated schema: the same table and indexes for every path
        return path

    def raw_insert() -> float:
        conn = sqlite3.connect(fresh(), isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for i in range(0, len(raw_tuples), args.page):
            conn.executemany(raw_sql, raw_tuples[i : i + args.page])
        conn.execute("COMMIT")
        dt = time.perf_counter() - t0
        conn.close()
        return dt

    def upsert(data: list[dict[str, Any]], cache: Cache | None = None) -> float:
        own = cache is None
        c = cache or Cache.open(fresh())
        pages = _pages(data, args.page)
        t0 = time.perf_counter()
        with c.write() as conn:
            for page in pages:
                repo.upsert_posts(conn, page)
        dt = time.perf_counter() - t0
        if own:
            c.close()
        return dt

    # Interleave the paths and take the median of per-round ratios: on a shared, noisy machine
    # drift (other jobs, fsync latency) then hits baseline and candidate alike.
    n = len(rows)
    rates: dict[str, list[float]] = {"raw": [], "db": [], "e2e": [], "nochange": []}
    with Cache.open(fresh()) as warm:
        upsert(rows, warm)
        for _ in range(args.repeat):
            rates["raw"].append(n / raw_insert())
            rates["db"].append(n / upsert(with_plain))
            rates["e2e"].append(n / upsert(rows))
            rates["nochange"].append(n / upsert(rows, warm))
        with warm.read() as conn:
            assert repo.table_counts(conn)["posts"] == n

    def ratio(name: str) -> float:
        return round(statistics.median(a / b for a, b in zip(rates[name], rates["raw"], strict=True)), 3)

    med = {k: round(statistics.median(v)) for k, v in rates.items()}
    figures = {
        "rows": float(n),
        "page_rows": float(args.page),
        "raw_executemany_rows_per_s": med["raw"],
        "upsert_db_rows_per_s": med["db"],
        "db_ratio": ratio("db"),
        "upsert_end_to_end_rows_per_s": med["e2e"],
        "end_to_end_ratio": ratio("e2e"),
        "nochange_rows_per_s": med["nochange"],
        "nochange_ratio": ratio("nochange"),
    }
    for k, v in figures.items():
        print(f"  cache_writes.{k:32s} {v}")
    return figures


SECTIONS: dict[str, Callable[[argparse.Namespace], dict[str, float]]] = {
    "cache_writes": bench_cache_writes,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--page", type=int, default=100, help="rows per upsert call (a sync page)")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", choices=sorted(SECTIONS), default=None)
    args = ap.parse_args(argv)
    out: dict[str, dict[str, float]] = {}
    for name, fn in SECTIONS.items():
        if args.only and name != args.only:
            continue
        print(f"[{name}]")
        out[name] = fn(args)
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
