"""API client overhead, measured against baselines in the same run (loopback demo server).

* client vs raw httpx: pages/s for GET /latest.json?per_page=100 with our ApiClient (pacing off,
  error mapping, JSON decode) vs a bare httpx.Client doing get + .json() on the same URL;
* parsing: topic-list pages parsed into records vs json.loads alone;
* pacer: acquire() cost with a real budget vs unlimited (fake clock, no sleeping).

Run: .venv/bin/python tests/benchmarks/bench_api.py  — the last line is a JSON object of figures.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from modconsole.api import ApiClient, Budget, Credentials, HostPacer  # noqa: E402
from modconsole.connectors.discourse.parse import parse_topic_list  # noqa: E402
from modconsole.demo.generator import generate  # noqa: E402
from modconsole.demo.server import DemoServer  # noqa: E402


def rate(fn: object, n: int, repeats: int = 5) -> float:
    """Median calls per second over ``repeats`` runs of ``n`` calls."""
    rates = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(n):
            fn()  # type: ignore[operator]
        rates.append(n / (time.perf_counter() - t))
    return statistics.median(rates)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite3"
        generate(db, size="tiny", seed=7)
        server = DemoServer(db)
        server.start()
        try:
            admin = server.credentials.admin
            creds = Credentials.admin(admin.key, admin.username)
            params = {"per_page": 100, "order": "created"}
            raw = httpx.Client(base_url=server.base_url, headers=creds.headers())
            api = ApiClient(server.base_url, creds, pacer=HostPacer(Budget.unlimited()))
            body = raw.get("/latest.json", params=params).content
            n = 40
            raw_rate = rate(lambda: raw.get("/latest.json", params=params).json(), n)
            client_rate = rate(lambda: api.get_json("/latest.json", params), n)
            payload = json.loads(body)
            loads_rate = rate(lambda: json.loads(body), 300)
            parse_rate = rate(lambda: parse_topic_list(json.loads(body), "GET /latest.json"), 300)
            topics_per_page = len(payload["topic_list"]["topics"])
            raw.close()
            api.close()
        finally:
            server.stop()

    class Clock:
        now = 0.0

        def __call__(self) -> float:
            Clock.now += 0.001
            return Clock.now

    unlimited = HostPacer(Budget.unlimited(), clock=Clock())
    budgeted = HostPacer(Budget(per_minute=1_000_000, per_day=10_000_000), clock=Clock())
    free_rate = rate(unlimited.acquire, 20_000, 3)
    paced_rate = rate(budgeted.acquire, 20_000, 3)

    figures = {
        "topics_per_page": topics_per_page,
        "raw_httpx_pages_per_s": round(raw_rate, 1),
        "client_pages_per_s": round(client_rate, 1),
        "client_vs_raw_ratio": round(client_rate / raw_rate, 3),
        "json_loads_pages_per_s": round(loads_rate, 1),
        "parse_pages_per_s": round(parse_rate, 1),
        "parse_vs_loads_ratio": round(parse_rate / loads_rate, 3),
        "pacer_acquire_unlimited_per_s": round(free_rate),
        "pacer_acquire_budgeted_per_s": round(paced_rate),
        "pacer_budgeted_vs_unlimited_ratio": round(paced_rate / free_rate, 3),
        "note": "requests/min budget (60 or 20) dominates: client overhead is irrelevant at these rates",
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
