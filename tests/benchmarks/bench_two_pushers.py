"""On-demand battery: two pushers on one queue (issue 12, finding 1), counted on the server.

    .venv/bin/python tests/benchmarks/bench_two_pushers.py [--trials 20] [--seed 1]

Each trial copies one synced cache and the tiny demo community, queues replies, a new topic and
likes, injects a fault on the first reply sends (``drop``: lost before the handler; ``apply_then_drop``:
applied, answer lost; ``status`` 502: ambiguous) and slow verification reads, then starts two
pusher processes (``tests.core.outbox_pusher race``: a 1 s lease, a verification wait of 3 s) a
random 0–2.5 s apart. Both push until the queue is empty. Then, on the server:

* ``doubled`` — a reply or topic posted more than once (counted by its text), or a like sent
  more than once;
* ``lost`` — an action not on the server, or a row not ``done``.

The last printed line is a JSON object: trials, doubled, lost, failures (one entry per bad trial),
seconds. Each trial's own line goes before it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from modconsole import clock  # noqa: E402
from modconsole.cache.db import Cache  # noqa: E402
from modconsole.demo.generator import DEFAULT_NOW, generate  # noqa: E402
from modconsole.demo.server import DemoServer, FaultRule  # noqa: E402
from modconsole.outbox import store  # noqa: E402
from modconsole.services.moderation import ModerationService  # noqa: E402
from tests.core.outbox_support import FAST, client_for, fill_cache  # noqa: E402
from tests.helpers.waits import WAIT_S, spawn, stop  # noqa: E402

FAULTS = ("drop", "apply_then_drop", "status")
TOPIC_BODY = "The community will be read-only for an hour on Saturday."


def rows(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def copy(src: Path, dst: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    return dst


def racer(cache: Path, server: DemoServer) -> subprocess.Popen[str]:
    ident = server.credentials.moderator
    env = {
        **os.environ,
        "MODCONSOLE_API_KEY": ident.key,
        "PYTHONPATH": str(ROOT),
        clock.ENV_VAR: clock.env_value(),
        "MODCONSOLE_RACE_LEASE_TTL": "1.0",
        "MODCONSOLE_RACE_VERIFY_DELAY": "3.0",
    }
    cmd = [
        sys.executable,
        "-m",
        "tests.core.outbox_pusher",
        "race",
        str(cache),
        server.base_url,
        ident.username,
    ]
    return spawn(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def trial(i: int, rng: random.Random, demo_master: Path, cache_master: Path, tmp: Path) -> dict[str, Any]:
    d = tmp / f"t{i}"
    d.mkdir()
    server = DemoServer(copy(demo_master, d / "demo.sqlite3"))
    server.start()
    procs: list[subprocess.Popen[str]] = []
    fault = rng.choice(FAULTS)
    try:
        cache_path = copy(cache_master, d / "cache.sqlite3")
        cache = Cache.open(cache_path)
        me = server.credentials.moderator.username
        svc = ModerationService(cache, me=me, site_url=server.base_url, client=None, options=FAST)
        topics = rows(
            server.db_path,
            "SELECT t.id, p.id FROM topics t JOIN posts p ON p.topic_id = t.id AND p.post_number = 2 "
            "JOIN users u ON u.id = p.user_id WHERE t.closed = 0 AND t.deleted_at IS NULL AND t.visible = 1 "
            "AND t.archetype = 'regular' AND p.deleted_at IS NULL AND p.post_type = 1 AND u.username != ? "
            "ORDER BY t.id LIMIT 7",
            me,
        )
        bodies = [f"Trial {i}: follow-up on topic {t}, we are on it." for t, _ in topics[:4]]
        replies = [svc.reply(t, body) for (t, _), body in zip(topics, bodies, strict=False)]
        new_topic = svc.create_topic(f"Trial {i}: maintenance notice", TOPIC_BODY)
        likes = [svc.like_post(p) for _, p in topics[4:7]]
        cache.close()
        server.add_fault(
            FaultRule(fault, "POST", "/posts.json", count=rng.randint(1, 2), probability=0.7, status=502)
        )
        server.add_fault(FaultRule("latency", "GET", "/t/*", seconds=rng.uniform(0.2, 1.0)))
        server.clear_requests()
        procs.append(racer(cache_path, server))
        time.sleep(rng.uniform(0.0, 2.5))  # a random moment for the second window or the CLI
        procs.append(racer(cache_path, server))
        for p in procs:
            p.communicate(timeout=WAIT_S)
        server.clear_faults()
        cache = Cache.open(cache_path)
        with cache.read() as conn:
            states = {r.op_uuid: r.state for r in store.rows(conn)}
        cache.close()
        doubled: list[str] = []
        lost: list[str] = []
        for q, body in [*zip(replies, bodies, strict=True), (new_topic, TOPIC_BODY)]:
            n = rows(server.db_path, "SELECT COUNT(*) FROM posts WHERE instr(raw, ?) = 1", body)[0][0]
            if n > 1:
                doubled.append(q.op_uuid)
            if n == 0 or states.get(q.op_uuid) != "done":
                lost.append(q.op_uuid)
        like_sends = server.request_count("POST", "/post_actions.json")
        for q in likes:
            if states.get(q.op_uuid) != "done":
                lost.append(q.op_uuid)
        if like_sends > len(likes):
            doubled.append(f"likes sent {like_sends} times for {len(likes)}")
        return {"trial": i, "fault": fault, "doubled": doubled, "lost": lost, "like_sends": like_sends}
    finally:
        for p in procs:
            stop(p)
        server.stop()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    clock.set_now(DEFAULT_NOW + timedelta(hours=1))  # the community's "now", as in the tests
    rng = random.Random(args.seed)
    started = time.monotonic()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-two-pushers-") as t:
        tmp = Path(t)
        demo = tmp / "demo.sqlite3"
        generate(demo, size="tiny", seed=7)
        server = DemoServer(demo)
        server.start()
        try:
            cache = Cache.open(tmp / "cache.sqlite3")
            client = client_for(server)
            fill_cache(cache, client)
            client.close()
            cache.close()
        finally:
            server.stop()
        for i in range(args.trials):
            r = trial(i, rng, demo, tmp / "cache.sqlite3", tmp)
            results.append(r)
            print(json.dumps(r), flush=True)
    bad = [r for r in results if r["doubled"] or r["lost"]]
    print(
        json.dumps(
            {
                "trials": len(results),
                "doubled": sum(len(r["doubled"]) for r in results),
                "lost": sum(len(r["lost"]) for r in results),
                "failures": bad,
                "seconds": round(time.monotonic() - started, 1),
            }
        )
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
