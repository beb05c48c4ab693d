"""Demo server throughput over loopback (plain script; last line is a JSON object of figures).

    .venv/bin/python tests/benchmarks/bench_demo_server.py [--size small|large|tiny] [--seconds 3]
        [--skip-generate-large] [--db EXISTING.sqlite3]

Figures: seconds to generate ``large`` (unless skipped), requests/s for ``/latest.json?per_page=100``
and ``/posts.json`` (keep-alive httpx client, limits off), and the same run's baseline requests/s for a
trivial fixed-body route, reported with ratios against that baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from modconsole.demo.generator import generate
from modconsole.demo.server import DemoServer


def rate(client: httpx.Client, urls: list[str], seconds: float, headers: dict[str, str]) -> float:
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        r = client.get(urls[n % len(urls)], headers=headers)
        assert r.status_code == 200, r.text[:200]
        r.json()
        n += 1
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="small")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--skip-generate-large", action="store_true")
    ap.add_argument("--db", help="serve this existing community file (a copy) instead of generating one")
    a = ap.parse_args()
    figures: dict[str, float | str] = {"size": a.size}
    with tempfile.TemporaryDirectory() as tmp:
        if not a.skip_generate_large:
            t0 = time.perf_counter()
            generate(Path(tmp) / "large.sqlite3", size="large", seed=1)
            figures["generate_large_s"] = round(time.perf_counter() - t0, 2)
        db = Path(tmp) / f"{a.size}.sqlite3"
        if a.db:
            import shutil

            shutil.copyfile(a.db, db)
            figures["size"] = f"file:{Path(a.db).name}"
        if not db.exists():
            t0 = time.perf_counter()
            generate(db, size=a.size, seed=1)
            figures[f"generate_{a.size}_s"] = round(time.perf_counter() - t0, 2)
        with DemoServer(db) as s, httpx.Client(base_url=s.base_url, timeout=30) as c:
            h = s.credentials.admin.headers()
            c.get("/latest.json", headers=h)
            base = rate(c, ["/_demo/ping"], a.seconds, h)
            latest = rate(c, [f"/latest.json?per_page=100&page={p}" for p in range(5)], a.seconds, h)
            top = c.get("/posts.json", headers=h).json()["latest_posts"][0]["id"]
            rnd = random.Random(1)
            befores = ["/posts.json"] + [f"/posts.json?before={rnd.randint(1, top)}" for _ in range(30)]
            posts = rate(c, befores, a.seconds, h)
        figures.update(
            {
                "baseline_rps": round(base, 1),
                "latest_per_page_100_rps": round(latest, 1),
                "posts_json_rps": round(posts, 1),
                "latest_ratio": round(latest / base, 3),
                "posts_ratio": round(posts / base, 3),
                "topics_per_s_via_latest": round(latest * 100, 0),
                "posts_per_s_via_posts_json": round(posts * 50, 0),
            }
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
