"""Vanilla demo server: milliseconds per list page over loopback (plain script; last line is JSON).

    .venv/bin/python tests/benchmarks/bench_vanilla_demo.py [--size tiny|small|large] [--db EXISTING]
        [--repeat 3]

Generates the community (or serves an existing Vanilla demo file, extended if needed), then times the
pages a sync reads (median of ``--repeat`` runs, moderator token, limits off): the default discussion
list, a deep page, the unanswered queue, a comment key-range page, a dated comment page, 500 users,
badge holders, the discussions edited since a date.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from modconsole.demo.vanilla.server import VanillaDemoServer
from modconsole.demo.vanilla.store import ensure_db

PAGES = {
    "discussions_default": "/discussions?limit=100&pinOrder=mixed",
    "discussions_page_20": "/discussions?limit=100&page=20&pinOrder=mixed",
    "unanswered": "/discussions?type=question&status=unanswered&limit=100",
    "comments_by_key": "/comments?limit=100&sort=commentID&quoteParent=false",
    "comments_since": "/comments?limit=100&dateInserted=>=2026-10-01&quoteParent=false",
    "users_500": "/users?limit=500&expand=profileFields",
    "badge_holders": "/badges/users?limit=100",
    "discussions_edited_since": "/discussions?dateUpdated=>=2026-10-01&limit=100",
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="small")
    ap.add_argument("--db", help="an existing Vanilla demo file to serve")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    figures: dict[str, float | str] = {"size": a.size}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(a.db) if a.db else Path(tmp) / f"{a.size}-vanilla.sqlite3"
        t0 = time.perf_counter()
        ensure_db(db, size=a.size)
        figures["generate_s"] = round(time.perf_counter() - t0, 2)
        server = VanillaDemoServer(db)
        server.start()
        try:
            with httpx.Client(
                base_url=server.api_url, headers=server.credentials.moderator.headers(), timeout=120
            ) as c:
                for name, url in PAGES.items():
                    times = []
                    for _ in range(a.repeat):
                        t = time.perf_counter()
                        r = c.get(url)
                        assert r.status_code == 200, r.text[:200]
                        r.json()
                        times.append((time.perf_counter() - t) * 1000)
                    figures[f"{name}_ms"] = round(statistics.median(times), 1)
                    print(f"{name:<28} {figures[f'{name}_ms']:>8} ms  {url}")
        finally:
            server.stop()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
