"""Outbox benchmark: requests per action with no faults (target 1), and actions per minute pushed
against the rate-limit ceiling (target >= 90 % of it).

Part 1 runs the demo server without limits and pushes batches of each kind, counting the requests
the server saw. Part 2 switches on Discourse's limits (a user API key: 20 requests/min) with a
fast server clock, paces the client on the same virtual clock at the server's own budget, measures
the ceiling actually reachable with plain GETs (baseline, same run), then pushes a long queue.

    .venv/bin/python tests/benchmarks/bench_outbox.py      # last line: JSON figures
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from modconsole.api.client import ApiClient, Credentials  # noqa: E402
from modconsole.api.ratelimit import Budget, HostPacer, RetryPolicy, interruptible_sleep  # noqa: E402
from modconsole.cache.db import Cache  # noqa: E402
from modconsole.demo.generator import generate  # noqa: E402
from modconsole.demo.server import DemoServer, RateLimitConfig  # noqa: E402
from modconsole.outbox.dispatcher import DispatchOptions  # noqa: E402
from modconsole.services.moderation import ModerationService  # noqa: E402
from modconsole.sync.engine import SyncEngine, SyncOptions  # noqa: E402
from modconsole.tasks import CancelToken, Progress  # noqa: E402

SPEED = 10.0  # one virtual minute per 6 real seconds (faster would magnify local per-action overhead)
OPTS = DispatchOptions(verify_delay=0.0, backoff_base=0.01, backoff_cap=0.1, max_wait=30.0)


def q(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def service(server: DemoServer, cache: Cache, pacer: HostPacer | None = None) -> ModerationService:
    me = server.credentials.moderator
    client = ApiClient(
        server.base_url,
        Credentials.user(me.key, username=me.username),
        pacer=pacer or HostPacer(Budget.unlimited()),
        retry=RetryPolicy(max_rate_limit_wait=600.0),
    )
    svc = ModerationService(cache, me=me.username, site_url=server.base_url, client=client, options=OPTS)
    svc.probe_permissions()
    return svc


def sustained(stamps: list[float], window_count: int) -> float:
    """Steady-state rate per minute: under a sliding window of ``window_count`` requests, the
    (i+n)-th completion can come no sooner than a window after the i-th; average those spans."""
    spans = [stamps[i + window_count] - stamps[i] for i in range(len(stamps) - window_count)]
    return window_count * 60.0 / (sum(spans) / len(spans))


def part1(db: Path, tmp: Path) -> dict[str, Any]:
    server = DemoServer(db)
    server.start()
    cache = Cache.open(tmp / "p1.sqlite3")
    svc = service(server, cache)
    assert svc.client is not None
    SyncEngine(svc.client, cache, options=SyncOptions(reports=())).run_once(CancelToken())
    members = [
        r[0]
        for r in q(
            db,
            "SELECT username FROM users WHERE admin = 0 AND moderator = 0 AND deleted_at IS NULL "
            "AND suspended_till IS NULL AND silenced_till IS NULL AND staged = 0 AND active = 1 "
            "AND id NOT IN (SELECT user_id FROM user_badges WHERE badge_id IN (201, 203)) "
            "AND id NOT IN (SELECT user_id FROM group_users WHERE group_id = 41) AND trust_level < 4 "
            "ORDER BY id",
        )
    ]
    topics = q(
        db,
        "SELECT t.id, p.id FROM topics t JOIN posts p ON p.topic_id = t.id JOIN categories c "
        "ON c.id = t.category_id WHERE c.enable_accepted_answers = 1 AND t.deleted_at IS NULL "
        "AND t.closed = 0 AND p.post_number = 2 AND p.deleted_at IS NULL AND p.post_type = 1 "
        "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) AND p.user_id != 2 ORDER BY t.id",
    )
    holders = [
        r[0]
        for r in q(
            db,
            "SELECT DISTINCT u.username FROM user_badges ub JOIN users u ON u.id = ub.user_id "
            "WHERE ub.badge_id = 202 AND u.deleted_at IS NULL ORDER BY u.id",
        )
    ]
    n = 8
    batches: dict[str, list[Any]] = {
        "grant_badge": [lambda u=u: svc.award_badge("Superuser", u) for u in members[:n]],
        "add_group_member": [lambda u=u: svc.add_group_member("superusers", u) for u in members[n : 2 * n]],
        "set_trust_level": [lambda u=u: svc.set_trust_level(u, 4) for u in members[2 * n : 3 * n]],
        "create_post": [
            lambda t=t: svc.reply(t[0], f"Benchmark follow-up on topic {t[0]}.") for t in topics[:n]
        ],
        "like_post": [lambda t=t: svc.like_post(t[1]) for t in topics[n : 2 * n]],
        "accept_answer": [lambda t=t: svc.accept_answer(t[1]) for t in topics[2 * n : 3 * n]],
        "close_topic": [lambda t=t: svc.close_topic(t[0]) for t in topics[3 * n : 4 * n]],
        # grants the mirror knows (the usual case): the grant id is cached, no lookup needed
        "revoke_badge": [lambda u=u: svc.revoke_badge("Problem Solver", u) for u in holders[:n]],
    }
    out: dict[str, Any] = {}
    total_actions = total_requests = total_writes = 0
    push_seconds = 0.0
    for kind, makers in batches.items():
        for make in makers:
            make()
        server.clear_requests()
        t = time.perf_counter()
        rep = svc.dispatcher().push()
        push_seconds += time.perf_counter() - t
        assert rep.deferred == 0 and not rep.failed and not rep.conflicts, rep
        reqs = list(server.requests)
        writes = sum(1 for r in reqs if r.method != "GET")
        out[f"{kind}_requests_per_action"] = round(len(reqs) / len(makers), 3)
        out[f"{kind}_writes_per_action"] = round(writes / len(makers), 3)
        total_actions += len(makers)
        total_requests += len(reqs)
        total_writes += writes
        print(f"{kind}: {len(makers)} actions, {len(reqs)} requests ({writes} writes)", flush=True)
    out["requests_per_action"] = round(total_requests / total_actions, 3)
    out["writes_per_action"] = round(total_writes / total_actions, 3)
    out["unpaced_ms_per_action"] = round(
        push_seconds / total_actions * 1000, 1
    )  # local cost, loopback server
    svc.client.close()
    cache.close()
    server.stop()
    return out


def part2(db: Path, tmp: Path) -> dict[str, Any]:
    server = DemoServer(db)
    server.start()
    cache = Cache.open(tmp / "p2.sqlite3")
    plain = service(server, cache)
    assert plain.client is not None
    SyncEngine(plain.client, cache, options=SyncOptions(reports=())).run_once(CancelToken())
    plain.client.close()
    server.set_limits(RateLimitConfig.discourse_defaults())
    server.set_clock_speed(SPEED)
    ceiling = RateLimitConfig.discourse_defaults().user_per_minute
    t0 = time.monotonic()

    def vclock() -> float:
        return (time.monotonic() - t0) * SPEED

    def vsleep(seconds: float, cancel: Any = None) -> None:
        interruptible_sleep(seconds / SPEED, cancel)

    def pacer() -> HostPacer:  # the server's own per-key budget, with a 1 s (virtual) safety margin
        return HostPacer(Budget(per_minute=ceiling, per_day=2880, margin=1.0), clock=vclock, sleeper=vsleep)

    time.sleep(70 / SPEED)  # let the server's window forget the sync's requests
    # baseline: the best rate reachable through this pacer with the cheapest request
    base = service(server, cache, pacer())
    assert base.client is not None
    k = 3 * ceiling
    stamps: list[float] = []
    for _ in range(k):
        base.client.get_json("/session/current.json")
        stamps.append(vclock())
    base_rate = sustained(stamps, ceiling)
    base.client.close()
    time.sleep(70 / SPEED)

    users = [
        r[0]
        for r in q(
            db,
            "SELECT username, trust_level FROM users WHERE admin = 0 AND moderator = 0 "
            "AND deleted_at IS NULL ORDER BY id",
        )
    ]
    svc = service(server, cache, pacer())
    assert svc.client is not None
    levels = {r[0]: r[1] for r in q(db, "SELECT username, trust_level FROM users")}
    queued = 0
    for u in users:
        svc.set_trust_level(u, 4 if levels[u] != 4 else 3)
        queued += 1
    server.clear_requests()
    done: list[float] = []

    def progress(p: Progress) -> None:
        if p.done > len(done):
            done.append(vclock())

    start = vclock()
    rep = svc.dispatcher().push(progress=progress)
    minutes = (vclock() - start) / 60.0
    assert rep.deferred == 0 and not rep.failed, rep
    rate = sustained(done, ceiling)
    limited = sum(1 for r in server.requests if r.status == 429)
    svc.client.close()
    cache.close()
    server.stop()
    return {
        "ceiling_requests_per_min": ceiling,
        "baseline_get_per_min": round(base_rate, 2),
        "actions_pushed": queued,
        "actions_per_min": round(rate, 2),
        "actions_per_min_incl_first_burst": round(queued / minutes, 2),
        "fraction_of_ceiling": round(rate / ceiling, 3),
        "fraction_of_baseline": round(rate / base_rate, 3),
        "server_429s": limited,
    }


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        master = tmp / "tiny.sqlite3"
        generate(master, size="tiny", seed=7)
        p1 = tmp / "p1-demo.sqlite3"
        p2 = tmp / "p2-demo.sqlite3"
        for dst in (p1, p2):
            with sqlite3.connect(master) as a, sqlite3.connect(dst) as b:
                a.backup(b)
            a.close()
            b.close()
        figures = part1(p1, tmp)
        figures.update(part2(p2, tmp))
    return figures


if __name__ == "__main__":
    print(json.dumps(main()))
