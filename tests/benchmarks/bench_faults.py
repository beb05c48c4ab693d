"""Fault battery (issue 12, on demand): kill -9 during sync and push, two pushers on one queue, and
answers accepted by others — against the demo server over real HTTP on 127.0.0.1. Plain script;
the last printed line is one JSON object with every figure.

    .venv/bin/python tests/benchmarks/bench_faults.py            # the issue's figures (50/50/20 trials)
    .venv/bin/python tests/benchmarks/bench_faults.py --quick    # a smoke run (5/5/3 trials)
    .venv/bin/python tests/benchmarks/bench_faults.py --only push --push-trials 10

Sections (``--only`` picks one; every loop is bounded and every process it starts is stopped):

``sync``  kill -9 during sync, live activity on. Each trial runs ``python -m modconsole sync`` (admin
    key, ``--unpaced``) as a subprocess and kills it with SIGKILL at a random point counted in
    requests the server answered (``DemoServer.request_count``, not seconds: the same point on a
    loaded machine). Even trials kill a *first* sync (fresh data dir); odd trials kill an
    *incremental* sync of a long-lived data dir that the community has moved on from. Then live
    activity is paused, one resync runs, and the cache is compared with the server's store:
    ``missing`` counts topics, posts, users, accepted answers and open-question queue members the
    server has and the cache lacks (must be 0); ``stale_open`` counts solved questions the cache
    still shows as open. Out of scope by design (not counted): the trailing "closed" small-action
    notes (``fetch_close_actions`` is off in the CLI), deleted posts a topic's counts do not ask for
    (``fetch_deleted_posts`` is off in the CLI) and posts deleted before a first sync that were
    the last of their topic (no list shows them; SYNC.md). A control run (no kill, no live
    activity) checks that the comparison itself is right (``control_missing`` must be 0).
``push``  kill -9 during push with ``drop`` / ``apply_then_drop`` / ``status 502`` faults on writes.
    Each trial queues a mix (accept, award — single and multiple-grant —, reply, like, group add,
    trust level) offline, pushes in a subprocess killed at a random point (again counted in
    requests), then pushes to completion with the faults off. ``lost``: an action saved and never
    applied; ``doubled``: applied twice (two identical replies, two grants of one badge for one
    post, two likes or memberships). Accepts, single grants, likes, group adds and trust levels are
    deduplicated by the server itself, so only replies and multiple-grant awards can double visibly.
``pair``  two pushers (two processes, one cache file) on one queue: B starts a random moment (0 to
    1.5 lease lifetimes) after A's first write. Half the writes get an ambiguous answer — ``drop``,
    ``apply_then_drop`` or ``latency`` past the read timeout, by turns — and topic reads (the
    verification of a reply) are slow, with the dispatcher's and client's production timings scaled
    by ``--time-scale`` (verify delay, lease TTL, heartbeat, timeouts keep their ratios). Then one
    completion push; ``doubled`` and ``lost`` as above; ``trials_where_both_sent`` says how often the
    race was really run (B sent a write too).
``accept`` N answers accepted, unaccepted or replaced by another moderator (``moderator2``, through
    the demo server's HTTP API) after a complete sync by ``moderator`` (a user key); one incremental
    sync; ``visible_pct``: the share of those topics whose accepted answer in the cache equals the
    server's; ``incremental_requests``: what that incremental cost (and a quiet one, for scale).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from modconsole import clock  # noqa: E402
from modconsole.demo.generator import DEFAULT_NOW, generate  # noqa: E402

WAIT_S = 120.0
"""The longest any single wait on a process or the server lasts (a bound, not an expectation)."""
MODERATOR_GROUP = "superusers"
SINGLE_BADGE = "Superuser"
MULTI_BADGE = "Problem Solver"


def log(msg: str) -> None:
    print(msg, flush=True)


def q(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def copy_db(src: Path, dst: Path) -> Path:
    for p in dst.parent.glob(dst.name + "*"):
        p.unlink()
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    return dst


def spawn(cmd: list[str], env: dict[str, str], **kw: Any) -> subprocess.Popen[Any]:
    """Its own process group, so :func:`stop` ends it and anything it started."""
    return subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True, **kw)


def stop(proc: subprocess.Popen[Any], sig: int = signal.SIGKILL) -> None:
    try:
        if proc.poll() is None:
            proc.send_signal(sig)
        proc.wait(timeout=WAIT_S)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if proc.poll() is None:
            proc.wait(timeout=WAIT_S)
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def quiet(server: Any) -> Any:
    """A client killed mid-request resets its connection; the stdlib server prints a traceback for
    that (noise here, where killing clients is the point). Other errors still print."""
    httpd = server._httpd
    original = httpd.handle_error

    def handle_error(request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            original(request, client_address)

    httpd.handle_error = handle_error
    return server


def child_env(key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MODCONSOLE_DATA_DIR"}
    env["MODCONSOLE_API_KEY"] = key
    env["PYTHONPATH"] = str(ROOT)
    env[clock.ENV_VAR] = clock.env_value()  # the children share this run's clock
    return env


def reached(server: Any, requests: int, proc: subprocess.Popen[Any]) -> bool:
    """Wait until the server answered ``requests`` requests in all (True) or ``proc`` ended (False)."""
    deadline = time.monotonic() + WAIT_S
    while server.request_count() < requests:
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise RuntimeError(f"no progress in {WAIT_S:.0f} s")
        time.sleep(0.003)
    return proc.poll() is None


# ---------------------------------------------------------------- sync: kill -9, live activity


_OPEN_ON_SERVER = (
    "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id WHERE t.archetype = 'regular' "
    "AND t.deleted_at IS NULL AND c.enable_accepted_answers = 1 "
    "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id)"
)
_OPEN_IN_CACHE = (
    "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id WHERE t.gone_since IS NULL "
    "AND t.deleted_at IS NULL AND t.has_accepted_answer = 0 AND c.accepts_answers = 1"
)


def server_truth(db: Path) -> dict[str, set[Any]]:
    """What an admin key's mirror must hold (ids), minus the documented out-of-scope posts."""
    return {
        "topics": {r[0] for r in q(db, "SELECT id FROM topics WHERE archetype = 'regular'")},
        "posts": {
            r[0]
            for r in q(
                db,
                "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id WHERE t.archetype = 'regular' "
                "AND NOT (p.post_type = 3 AND p.action_code = 'closed.enabled') "
                "AND p.deleted_at IS NULL",
            )
        },
        "users": {r[0] for r in q(db, "SELECT id FROM users WHERE deleted_at IS NULL")},
        "accepted": {
            (r[0], r[1])
            for r in q(
                db,
                "SELECT s.topic_id, s.post_id FROM solutions s JOIN topics t ON t.id = s.topic_id "
                "WHERE t.archetype = 'regular'",
            )
        },
        "open_queue": {r[0] for r in q(db, _OPEN_ON_SERVER)},
    }


def cache_holds(path: Path) -> dict[str, set[Any]]:
    live = "gone_since IS NULL"
    return {
        "topics": {r[0] for r in q(path, f"SELECT id FROM topics WHERE {live}")},
        "posts": {r[0] for r in q(path, f"SELECT id FROM posts WHERE {live}")},
        "users": {r[0] for r in q(path, f"SELECT id FROM users WHERE {live}")},
        "accepted": {(r[0], r[1]) for r in q(path, f"SELECT topic_id, post_id FROM solutions WHERE {live}")},
        "open_queue": {r[0] for r in q(path, _OPEN_IN_CACHE)},
    }


def compare(db: Path, cache: Path) -> tuple[dict[str, int], int, dict[str, list[Any]]]:
    """Missing per kind (server has, cache lacks), stale open questions (cache open, server solved),
    and a few of the missing items per kind (for the progress line: a reproduction starts there)."""
    truth, got = server_truth(db), cache_holds(cache)
    missing = {k: len(truth[k] - got[k]) for k in truth}
    samples = {k: sorted(truth[k] - got[k])[:3] for k in truth if truth[k] - got[k]}
    return missing, len(got["open_queue"] - truth["open_queue"]), samples


def _detects_a_missing_topic(db: Path, cache: Path, work: Path) -> bool:
    """The comparison is not blind: the same cache with one open question taken out shows it missing."""
    probe = copy_db(cache, work / "sync-probe.sqlite3")
    gone = next(iter(server_truth(db)["open_queue"]))
    con = sqlite3.connect(probe)
    con.execute("UPDATE topics SET gone_since = '2026-01-01T00:00:00Z' WHERE id = ?", (gone,))
    con.commit()
    con.close()
    missing, _, _ = compare(db, probe)
    probe.unlink()
    return missing["topics"] == 1 and missing["open_queue"] == 1


def bench_sync(args: argparse.Namespace, work: Path, master: Path) -> dict[str, Any]:
    from modconsole.demo.server import DemoServer
    from modconsole.paths import Paths

    db = copy_db(master, work / "sync-demo.sqlite3")
    server = DemoServer(db, seed=args.seed)
    server.start()
    quiet(server)
    ident = server.credentials.admin
    env = child_env(ident.key)
    rng = random.Random(args.seed)

    def cmd(data_dir: Path) -> list[str]:
        return [
            sys.executable,
            "-m",
            "modconsole",
            "--data-dir",
            str(data_dir),
            "sync",
            "--site",
            server.base_url,
            "--username",
            ident.username,
            "--allow-insecure-http",
            "--unpaced",
        ]

    def cache_of(data_dir: Path) -> Path:
        return Paths.default(data_dir).site_cache_file(server.base_url, ident.username)

    def run(data_dir: Path) -> tuple[int, int]:
        before = server.request_count()
        done = subprocess.run(cmd(data_dir), env=env, cwd=ROOT, capture_output=True, timeout=WAIT_S)
        if done.returncode != 0:
            raise RuntimeError(f"sync exited {done.returncode}: {done.stderr.decode()[-1500:]}")
        return done.returncode, server.request_count() - before

    totals: Counter[str] = Counter()
    figures: dict[str, Any] = {}
    try:
        # control: one uninterrupted first sync, nothing moving — the comparison must find nothing
        control_dir = work / "sync-control"
        _, first_requests = run(control_dir)
        control_missing, control_stale, _ = compare(db, cache_of(control_dir))
        figures["control_missing"] = sum(control_missing.values()) + control_stale
        figures["detector_sees_a_missing_topic"] = _detects_a_missing_topic(db, cache_of(control_dir), work)
        log(
            f"sync control: first sync {first_requests} requests, "
            f"missing {control_missing}, stale {control_stale}"
        )
        long_lived = work / "sync-long-lived"
        run(long_lived)
        _, incremental_requests = run(long_lived)
        incremental_requests = max(incremental_requests, 4)

        kills = finished_first = 0
        kinds: Counter[str] = Counter()
        live_events = 0
        for trial in range(args.sync_trials):
            first = trial % 2 == 0
            data_dir = work / f"sync-trial{trial}" if first else long_lived
            span = first_requests if first else incremental_requests
            server.start_live(args.live_rate, seed=args.seed * 1000 + trial)
            if not first:  # let the community move on from the long-lived cache first
                time.sleep(rng.uniform(0.2, 1.0))
            server.clear_requests()
            proc = spawn(cmd(data_dir), env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                killed = reached(server, rng.randint(1, span), proc)
            finally:
                stop(proc)  # SIGKILL (and the whole group)
            before_kill = server.request_count()
            kills += killed
            finished_first += not killed
            time.sleep(rng.uniform(0.0, 1.0))  # the community goes on while the console is down
            live = server._live
            live_events += len(live.events) if live is not None else 0
            server.stop_live()  # paused for the resync and the comparison
            _, resync_requests = run(data_dir)
            if not first:  # the next incremental's kill point: anywhere in what this one cost
                incremental_requests = max(4, before_kill + resync_requests)
            path = cache_of(data_dir)
            ok = q(path, "PRAGMA integrity_check")[0][0] == "ok"
            missing, stale, samples = compare(db, path)
            totals.update(missing)
            totals["stale_open"] += stale
            totals["integrity_failures"] += not ok
            kinds["first" if first else "incremental"] += 1
            log(
                f"sync trial {trial + 1}/{args.sync_trials} ({'first' if first else 'incremental'}): "
                f"{'killed' if killed else 'finished before the kill point'}; after one resync missing "
                f"{sum(missing.values())} {samples or ''}stale_open {stale}"
            )
            if first:
                shutil.rmtree(data_dir, ignore_errors=True)
        figures.update(
            {
                "trials": args.sync_trials,
                "first_sync_trials": kinds["first"],
                "incremental_trials": kinds["incremental"],
                "kills": kills,
                "finished_before_kill": finished_first,
                "missing": sum(totals[k] for k in ("topics", "posts", "users", "accepted", "open_queue")),
                "missing_by_kind": {
                    k: totals[k] for k in ("topics", "posts", "users", "accepted", "open_queue")
                },
                "stale_open": totals["stale_open"],
                "integrity_failures": totals["integrity_failures"],
                "live_events": live_events,
                "live_events_per_minute": args.live_rate,
                "first_sync_requests": first_requests,
            }
        )
    finally:
        server.stop()
    return figures


# ---------------------------------------------------------------- push: the queued actions


@dataclass
class Action:
    kind: str
    args: dict[str, Any]
    expect: dict[str, Any] = field(default_factory=dict)


def pick_targets(db: Path, rng: random.Random, me_id: int, counts: dict[str, int]) -> list[Action]:
    """A mix of actions on distinct targets of the (fresh) demo store, drawn with ``rng``."""
    members = [
        r[0]
        for r in q(
            db,
            "SELECT username FROM users WHERE admin = 0 AND moderator = 0 AND deleted_at IS NULL "
            "AND suspended_till IS NULL AND silenced_till IS NULL AND staged = 0 AND active = 1 "
            "AND id NOT IN (SELECT user_id FROM user_badges WHERE badge_id IN "
            "  (SELECT id FROM badges WHERE name = ?)) "
            "AND id NOT IN (SELECT gu.user_id FROM group_users gu JOIN groups g ON g.id = gu.group_id "
            "  WHERE g.name = ?) AND trust_level < 3 ORDER BY id",
            SINGLE_BADGE,
            MODERATOR_GROUP,
        )
    ]
    rng.shuffle(members)
    answerable = q(
        db,
        "SELECT t.id, p.id FROM topics t JOIN posts p ON p.topic_id = t.id JOIN categories c "
        "ON c.id = t.category_id WHERE c.enable_accepted_answers = 1 AND t.deleted_at IS NULL "
        "AND t.closed = 0 AND t.visible = 1 AND t.archetype = 'regular' AND p.post_number = 2 "
        "AND p.deleted_at IS NULL AND p.post_type = 1 AND p.user_id != ? "
        "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) ORDER BY t.id",
        me_id,
    )
    rng.shuffle(answerable)
    open_topics = [
        r[0]
        for r in q(
            db,
            "SELECT id FROM topics WHERE archetype = 'regular' AND deleted_at IS NULL AND closed = 0 "
            "AND archived = 0 AND visible = 1 ORDER BY id",
        )
    ]
    rng.shuffle(open_topics)
    likeable = q(
        db,
        "SELECT p.id, p.topic_id, p.post_number FROM posts p JOIN topics t ON t.id = p.topic_id "
        "WHERE p.deleted_at IS NULL AND p.post_type = 1 AND p.user_id != ? AND t.deleted_at IS NULL "
        "AND t.archetype = 'regular' AND t.visible = 1 AND t.closed = 0 AND t.archived = 0 "
        "AND NOT EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = ?) ORDER BY p.id",
        me_id,
        me_id,
    )
    rng.shuffle(likeable)
    nonce = rng.randrange(1 << 30)
    out: list[Action] = []
    for _ in range(counts.get("accept", 0)):
        topic, post = answerable.pop()
        out.append(Action("accept", {"post_id": post}, {"topic_id": topic}))
    for _ in range(counts.get("award", 0)):
        out.append(Action("award", {"badge": SINGLE_BADGE, "username": members.pop()}))
    for _ in range(counts.get("award_multi", 0)):
        topic, post = answerable.pop()
        out.append(
            Action(
                "award_multi",
                {"badge": MULTI_BADGE, "username": members.pop()},
                {"topic_id": topic, "post_id": post},
            )
        )
    used_topics = {a.expect.get("topic_id") for a in out}
    for i in range(counts.get("reply", 0)):
        topic = next(t for t in open_topics if t not in used_topics)
        used_topics.add(topic)
        out.append(
            Action("reply", {"topic_id": topic, "raw": f"Battery reply {nonce}-{i}: thanks for the details."})
        )
    for _ in range(counts.get("like", 0)):
        post, topic, _n = likeable.pop()
        out.append(Action("like", {"post_id": post}, {"topic_id": topic}))
    for _ in range(counts.get("group_add", 0)):
        out.append(Action("group_add", {"group": MODERATOR_GROUP, "username": members.pop()}))
    for _ in range(counts.get("trust_level", 0)):
        out.append(Action("trust_level", {"username": members.pop(), "level": rng.choice([3, 4])}))
    rng.shuffle(out)
    return out


def enqueue(svc: Any, base_url: str, actions: list[Action]) -> None:
    for a in actions:
        if a.kind == "accept":
            svc.accept_answer(a.args["post_id"])
        elif a.kind == "award":
            svc.award_badge(a.args["badge"], a.args["username"])
        elif a.kind == "award_multi":
            reason = f"{base_url}/t/x/{a.expect['topic_id']}/2"
            svc.award_badge(a.args["badge"], a.args["username"], reason=reason)
        elif a.kind == "reply":
            svc.reply(a.args["topic_id"], a.args["raw"])
        elif a.kind == "like":
            svc.like_post(a.args["post_id"])
        elif a.kind == "group_add":
            svc.add_group_member(a.args["group"], a.args["username"])
        elif a.kind == "trust_level":
            svc.set_trust_level(a.args["username"], a.args["level"])
        else:  # pragma: no cover - a typo in this script
            raise ValueError(a.kind)


def applications(db: Path, a: Action, me_id: int) -> int:
    """How many times the server's store shows ``a`` applied (0 = lost, 2+ = doubled)."""

    def uid(name: str) -> int:
        return int(q(db, "SELECT id FROM users WHERE username = ?", name)[0][0])

    def one(sql: str, *args: Any) -> int:
        return int(q(db, sql, *args)[0][0])

    if a.kind == "accept":
        return one("SELECT COUNT(*) FROM solutions WHERE post_id = ?", a.args["post_id"])
    if a.kind == "award":
        return one(
            "SELECT COUNT(*) FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
            "WHERE b.name = ? AND ub.user_id = ?",
            a.args["badge"],
            uid(a.args["username"]),
        )
    if a.kind == "award_multi":
        return one(
            "SELECT COUNT(*) FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
            "WHERE b.name = ? AND ub.user_id = ? AND ub.post_id = ?",
            a.args["badge"],
            uid(a.args["username"]),
            a.expect["post_id"],
        )
    if a.kind == "reply":
        return one(
            # instr, not equality: a console may add an invisible recognition token to what it sends
            "SELECT COUNT(*) FROM posts WHERE topic_id = ? AND instr(raw, ?) > 0 AND user_id = ? "
            "AND deleted_at IS NULL",
            a.args["topic_id"],
            a.args["raw"],
            me_id,
        )
    if a.kind == "like":
        return one("SELECT COUNT(*) FROM likes WHERE post_id = ? AND user_id = ?", a.args["post_id"], me_id)
    if a.kind == "group_add":
        return one(
            "SELECT COUNT(*) FROM group_users gu JOIN groups g ON g.id = gu.group_id "
            "WHERE g.name = ? AND gu.user_id = ?",
            a.args["group"],
            uid(a.args["username"]),
        )
    if a.kind == "trust_level":
        return one(
            "SELECT COUNT(*) FROM users WHERE username = ? AND trust_level = ?",
            a.args["username"],
            a.args["level"],
        )
    raise ValueError(a.kind)  # pragma: no cover


def push_cmd(cache: Path, url: str, user: str, timing: str, scale: float) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child-push",
        str(cache),
        url,
        user,
        timing,
        str(scale),
    ]


def child_push(cache_path: str, url: str, user: str, timing: str, scale: str) -> int:
    """The pushing process: push until nothing is left (bounded), then print ``PUSHED``.

    ``fast``: no waits worth the name (what matters is where the kill lands). ``scaled``: the
    dispatcher's and the client's production defaults multiplied by ``scale`` (their ratios kept:
    the verification wait outlasts the read timeout, the lease lives as long as that wait)."""
    from modconsole.api.client import ApiClient, Credentials, Timeouts
    from modconsole.api.ratelimit import Budget, HostPacer, RetryPolicy
    from modconsole.cache.db import Cache
    from modconsole.outbox.dispatcher import DispatchOptions
    from modconsole.services.moderation import ModerationService

    s = float(scale)
    if timing == "fast":
        timeouts = Timeouts(connect=WAIT_S, read=WAIT_S, write=WAIT_S, pool=WAIT_S, deadline=WAIT_S)
        opts = replace(DispatchOptions(), verify_delay=0.0, backoff_base=0.01, backoff_cap=0.05, max_wait=1.0)
    else:
        d, t = DispatchOptions(), Timeouts()
        timeouts = Timeouts(
            connect=t.connect * s,
            read=t.read * s,
            write=t.write * s,
            pool=t.pool * s,
            deadline=t.deadline * s,
        )
        opts = replace(
            d,
            verify_delay=d.verify_delay * s,
            backoff_base=d.backoff_base * s,
            backoff_cap=d.backoff_cap * s,
            max_wait=d.max_wait * s,
            heartbeat_every=d.heartbeat_every * s,
            lease_ttl=d.lease_ttl * s,
            read_only_pause=d.read_only_pause * s,
        )
    cache = Cache.open(Path(cache_path))
    client = ApiClient(
        url,
        Credentials.user(os.environ["MODCONSOLE_API_KEY"], username=user),
        timeouts=timeouts,
        pacer=HostPacer(Budget.unlimited()),
        retry=RetryPolicy(max_retries=2, base=0.01, cap=0.05, max_rate_limit_wait=5.0),
    )
    svc = ModerationService(cache, me=user, site_url=url, client=client, options=opts, fetch_missing=False)
    deadline = time.monotonic() + WAIT_S
    try:
        while time.monotonic() < deadline:
            rep = svc.dispatcher().push()
            print(f"PUSH breaker={rep.breaker} writes={rep.writes} deferred={rep.deferred}", flush=True)
            if (
                rep.breaker == "lease"
            ):  # another pusher holds the queue: look again shortly (a window's retry)
                time.sleep(0.1)
                continue
            if rep.deferred == 0:
                break
    finally:
        client.close()
        cache.close()
    print("PUSHED", flush=True)
    return 0


class PushRig:
    """A synced master (demo store + moderator's cache), copied fresh for every trial."""

    def __init__(self, work: Path, master: Path) -> None:
        from modconsole.api.client import ApiClient, Credentials
        from modconsole.api.ratelimit import Budget, HostPacer
        from modconsole.cache.db import Cache
        from modconsole.demo.server import DemoServer
        from modconsole.sync.engine import SyncEngine, SyncOptions
        from modconsole.tasks import CancelToken

        self.work = work
        self.demo_master = copy_db(master, work / "push-demo-master.sqlite3")
        self.cache_master = work / "push-cache-master.sqlite3"
        server = DemoServer(self.demo_master)
        server.start()
        try:
            me = server.credentials.moderator
            self.me = me
            with (
                ApiClient(
                    server.base_url,
                    Credentials.user(me.key, username=me.username),
                    pacer=HostPacer(Budget.unlimited()),
                ) as client,
                Cache.open(self.cache_master) as cache,
            ):
                SyncEngine(client, cache, options=SyncOptions(reports=(), retry_wait=0.01)).run_once(
                    CancelToken()
                )
        finally:
            server.stop()
        self.me_id = int(q(self.demo_master, "SELECT id FROM users WHERE username = ?", me.username)[0][0])

    def trial(self, name: str, rng: random.Random, counts: dict[str, int]) -> tuple[Any, Path, list[Action]]:
        from modconsole.cache.db import Cache
        from modconsole.demo.server import DemoServer
        from modconsole.services.moderation import ModerationService

        db = copy_db(self.demo_master, self.work / f"{name}-demo.sqlite3")
        cache_path = copy_db(self.cache_master, self.work / f"{name}-cache.sqlite3")
        server = DemoServer(db, seed=rng.randrange(1 << 30))
        server.start()
        quiet(server)
        actions = pick_targets(db, rng, self.me_id, counts)
        already = [a.kind for a in actions if applications(db, a, self.me_id)]
        if already:  # the detector would miss a lost action: a bug in this script, not in the console
            raise RuntimeError(f"targets already in the state the actions ask for: {already}")
        with Cache.open(cache_path) as cache:  # offline: nothing reaches the server while queuing
            svc = ModerationService(cache, me=self.me.username, site_url=server.base_url, client=None)
            enqueue(svc, server.base_url, actions)
        return server, cache_path, actions

    def outcome(self, server: Any, cache_path: Path, actions: list[Action]) -> dict[str, Any]:
        server.wait_idle(WAIT_S)  # a write held by a latency fault still lands: count it
        lost: list[str] = []
        doubled: list[str] = []
        for a in actions:
            n = applications(server.db_path, a, self.me_id)
            if n == 0:
                lost.append(a.kind)
            elif n > 1:
                doubled.append(a.kind)
        states = Counter(r[0] for r in q(cache_path, "SELECT state FROM outbox"))
        integrity = q(cache_path, "PRAGMA integrity_check")[0][0] == "ok"
        return {"lost": lost, "doubled": doubled, "states": dict(states), "integrity": integrity}

    def clean(self, name: str) -> None:
        for p in self.work.glob(f"{name}-*"):
            p.unlink()


PUSH_MIX = {
    "accept": 2,
    "award": 2,
    "award_multi": 1,
    "reply": 3,
    "like": 2,
    "group_add": 2,
    "trust_level": 1,
}
PAIR_MIX = {
    "accept": 1,
    "award": 1,
    "award_multi": 1,
    "reply": 4,
    "like": 2,
    "group_add": 1,
    "trust_level": 1,
}


def _finish(
    rig: PushRig, server: Any, cache_path: Path, env: dict[str, str], args: argparse.Namespace
) -> str:
    server.clear_faults()
    server.wait_idle(WAIT_S)
    proc = spawn(
        push_cmd(cache_path, server.base_url, rig.me.username, "fast", args.time_scale),
        env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(timeout=WAIT_S)
    finally:
        stop(proc)
    if "PUSHED" not in out:
        raise RuntimeError(f"the completion push did not finish: {err[-1500:]}")
    return out


def _detects_a_double(server: Any, rig: PushRig, actions: list[Action]) -> bool:
    import httpx

    reply = next(a for a in actions if a.kind == "reply")
    with httpx.Client(base_url=server.base_url, headers=rig.me.headers(), timeout=WAIT_S) as http:
        r = http.post("/posts.json", data={"topic_id": reply.args["topic_id"], "raw": reply.args["raw"]})
        r.raise_for_status()
    return applications(Path(server.db_path), reply, rig.me_id) == 2


def bench_push(args: argparse.Namespace, work: Path, rig: PushRig) -> dict[str, Any]:
    from modconsole.demo.server import FaultRule

    rng = random.Random(args.seed + 1)
    env = child_env(rig.me.key)
    lost: Counter[str] = Counter()
    doubled: Counter[str] = Counter()
    not_done: Counter[str] = Counter()
    kills = integrity_failures = queued = 0
    span = 0
    for trial in range(-1, args.push_trials):  # trial -1: the control, not killed (sets the kill range)
        name = f"push{trial + 1}"
        server, cache_path, actions = rig.trial(name, rng, PUSH_MIX)
        try:
            for method in ("POST", "PUT", "DELETE"):
                server.add_fault(FaultRule("drop", method, "*", probability=args.fault_p))
                server.add_fault(FaultRule("apply_then_drop", method, "*", probability=args.fault_p))
                server.add_fault(FaultRule("status", method, "*", probability=args.fault_p, status=502))
            server.clear_requests()
            proc = spawn(
                push_cmd(cache_path, server.base_url, rig.me.username, "fast", args.time_scale),
                env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                if trial < 0:
                    proc.wait(timeout=WAIT_S)
                    # kill points within the first 80 % of a run: a kill past the end is no trial
                    span = max(int(server.request_count() * 0.8), 2)
                    killed = False
                else:
                    killed = reached(server, rng.randint(1, span), proc)
            finally:
                stop(proc)
            _finish(rig, server, cache_path, env, args)
            res = rig.outcome(server, cache_path, actions)
            if trial < 0:  # the detector sees a double: send one reply a second time by hand
                detector_ok = _detects_a_double(server, rig, actions)
        finally:
            server.stop()
            rig.clean(name)
        if trial < 0:
            log(f"push control: {len(actions)} actions, {span} requests with faults; result {res}")
            control = res
            continue
        kills += killed
        queued += len(actions)
        lost.update(res["lost"])
        doubled.update(res["doubled"])
        not_done.update({k: v for k, v in res["states"].items() if k != "done"})
        integrity_failures += not res["integrity"]
        log(
            f"push trial {trial + 1}/{args.push_trials}: "
            f"{'killed' if killed else 'finished before the kill'}; "
            f"lost {len(res['lost'])} {res['lost'] or ''} "
            f"doubled {len(res['doubled'])} {res['doubled'] or ''} "
            f"states {res['states']}"
        )
    return {
        "trials": args.push_trials,
        "kills": kills,
        "actions": queued,
        "lost": sum(lost.values()),
        "doubled": sum(doubled.values()),
        "lost_by_kind": dict(lost),
        "doubled_by_kind": dict(doubled),
        "not_done_by_state": dict(not_done),
        "integrity_failures": integrity_failures,
        "fault_probability_each": args.fault_p,
        "detector_sees_a_double": detector_ok,
        "control_lost": len(control["lost"]),
        "control_doubled": len(control["doubled"]),
    }


def bench_pair(args: argparse.Namespace, work: Path, rig: PushRig) -> dict[str, Any]:
    """Pusher A starts; once it has sent its first write, B starts after a random delay of up to
    1.5 lease lifetimes (0 included: both at once). Writes get an ambiguous answer (``drop``: lost
    before applying; ``apply_then_drop``; or ``latency`` past the read timeout, applied late), and
    the verification reads of topics are slow (half a lease), so two verifications can overlap."""
    from modconsole.api.client import Timeouts
    from modconsole.demo.server import FaultRule
    from modconsole.outbox.dispatcher import DispatchOptions

    rng = random.Random(args.seed + 2)
    env = child_env(rig.me.key)
    lost: Counter[str] = Counter()
    doubled: Counter[str] = Counter()
    by_fault: Counter[str] = Counter()
    trials_with_double = integrity_failures = queued = both_wrote = 0
    read_timeout = Timeouts().read * args.time_scale
    lease = DispatchOptions().lease_ttl * args.time_scale
    faults = ("drop", "apply_then_drop", "latency")
    for trial in range(args.pair_trials):
        name = f"pair{trial}"
        server, cache_path, actions = rig.trial(name, rng, PAIR_MIX)
        fault = faults[trial % len(faults)]
        procs: list[subprocess.Popen[str]] = []
        outs: list[str] = []
        try:
            if fault == "latency":  # the answer comes after the client gave up; the write lands anyway
                server.add_fault(
                    FaultRule("latency", "POST", "*", probability=0.5, seconds=read_timeout * 1.5)
                )
            else:
                server.add_fault(FaultRule(fault, "POST", "*", probability=0.5))
            server.add_fault(FaultRule("latency", "GET", "/t/*", seconds=lease / 2))
            server.clear_requests()

            cmd = push_cmd(cache_path, server.base_url, rig.me.username, "scaled", args.time_scale)

            def start(cmd: list[str] = cmd, procs: list[subprocess.Popen[str]] = procs) -> None:
                procs.append(
                    spawn(
                        cmd,
                        env,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL,
                        text=True,
                    )
                )

            start()
            delay = rng.uniform(0.0, 1.5 * lease)
            deadline = time.monotonic() + WAIT_S
            while server.request_count("POST") + server.request_count("PUT") == 0 and procs[0].poll() is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("pusher A sent nothing")
                time.sleep(0.005)
            time.sleep(delay)
            start()
            for p in procs:
                outs.append(p.communicate(timeout=WAIT_S * 2)[0])
            _finish(rig, server, cache_path, env, args)
            res = rig.outcome(server, cache_path, actions)
        finally:
            for p in procs:
                stop(p)
            server.stop()
            rig.clean(name)
        writers = sum(
            1 for out in outs if any(int(w.split("=")[1]) > 0 for w in out.split() if w.startswith("writes="))
        )
        both_wrote += writers == 2
        if args.verbose:
            for label, out in zip("AB", outs, strict=False):
                reports = [line for line in out.splitlines() if line.startswith("PUSH ")]
                refused = sum("breaker=lease" in line for line in reports)
                log(
                    f"  pusher {label}: {len(reports)} pushes, {refused} refused the lease; "
                    f"last: {reports[-1:]}"
                )
        queued += len(actions)
        lost.update(res["lost"])
        doubled.update(res["doubled"])
        by_fault[fault] += len(res["doubled"])
        trials_with_double += bool(res["doubled"])
        integrity_failures += not res["integrity"]
        log(
            f"pair trial {trial + 1}/{args.pair_trials} ({fault}, B after {delay:.2f} s): "
            f"{writers} pusher(s) sent writes; lost {len(res['lost'])} "
            f"doubled {len(res['doubled'])} {res['doubled'] or ''} states {res['states']}"
        )
    return {
        "trials": args.pair_trials,
        "actions": queued,
        "doubled": sum(doubled.values()),
        "trials_with_a_double": trials_with_double,
        "trials_where_both_sent": both_wrote,
        "lost": sum(lost.values()),
        "doubled_by_kind": dict(doubled),
        "doubled_by_fault": dict(by_fault),
        "lost_by_kind": dict(lost),
        "integrity_failures": integrity_failures,
        "time_scale": args.time_scale,
        "lease_ttl_s": lease,
    }


# ---------------------------------------------------------------- accepted answers by others


def bench_accept(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    import httpx

    from modconsole.api.client import ApiClient, Credentials
    from modconsole.api.ratelimit import Budget, HostPacer, RetryPolicy
    from modconsole.cache.db import Cache
    from modconsole.demo.server import DemoServer
    from modconsole.sync.engine import SyncEngine, SyncOptions
    from modconsole.tasks import CancelToken

    master = work / f"accept-{args.accept_size}-master.sqlite3"
    generate(master, size=args.accept_size, seed=args.seed)
    db = copy_db(master, work / "accept-demo.sqlite3")
    server = DemoServer(db)
    server.start()
    rng = random.Random(args.seed + 3)
    me, other = server.credentials.moderator, server.credentials.moderator2
    cache_path = work / "accept-cache.sqlite3"
    try:
        with (
            ApiClient(
                server.base_url,
                Credentials.user(me.key, username=me.username),
                pacer=HostPacer(Budget.unlimited()),
                retry=RetryPolicy(max_retries=3, base=0.02, cap=0.2),
            ) as client,
            Cache.open(cache_path) as cache,
            httpx.Client(base_url=server.base_url, headers=other.headers(), timeout=WAIT_S) as http,
        ):
            engine = SyncEngine(client, cache, options=SyncOptions(retry_wait=0.01))
            first = engine.run_once(CancelToken())
            assert first.finished, "the first sync did not finish"
            engine.run_once(CancelToken())
            quiet = engine.run_once(CancelToken())

            replies = (
                "SELECT id FROM posts WHERE topic_id = ? AND post_number > 1 AND post_type = 1 "
                "AND deleted_at IS NULL"
            )
            base = (
                "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id WHERE "
                "c.enable_accepted_answers = 1 AND t.deleted_at IS NULL AND t.archetype = 'regular' "
                "AND t.visible = 1 AND t.closed = 0 AND t.archived = 0 AND {} EXISTS "
                "(SELECT 1 FROM solutions s WHERE s.topic_id = t.id) ORDER BY t.id"
            )
            unsolved = [r[0] for r in q(db, base.format("NOT")) if len(q(db, replies, r[0])) >= 1]
            solved = [r[0] for r in q(db, base.format("")) if len(q(db, replies, r[0])) >= 2]
            rng.shuffle(unsolved)
            rng.shuffle(solved)
            n = args.accept_n
            n_accept, n_unaccept = n - 2 * (n // 3), n // 3
            n_replace = n - n_accept - n_unaccept
            touched: list[tuple[int, str]] = []
            ops: Counter[str] = Counter()

            def post(path: str, pid: int) -> None:
                r = http.post(path, data={"id": pid})
                if r.status_code >= 300:
                    raise RuntimeError(f"{path} {pid}: {r.status_code} {r.text[:200]}")

            for t in unsolved[:n_accept]:
                post("/solution/accept.json", rng.choice(q(db, replies, t))[0])
                touched.append((t, "accepted"))
                ops["accepted"] += 1
            for t in solved[:n_unaccept]:
                post(
                    "/solution/unaccept.json",
                    q(db, "SELECT post_id FROM solutions WHERE topic_id = ?", t)[0][0],
                )
                touched.append((t, "unaccepted"))
                ops["unaccepted"] += 1
            for t in solved[n_unaccept : n_unaccept + n_replace]:
                current = q(db, "SELECT post_id FROM solutions WHERE topic_id = ?", t)[0][0]
                post("/solution/accept.json", next(r[0] for r in q(db, replies, t) if r[0] != current))
                touched.append((t, "replaced"))
                ops["replaced"] += 1

            before = server.request_count()
            inc = engine.run_once(CancelToken())
            inc_server = server.request_count() - before
            after = engine.run_once(CancelToken())

            def accepted_in(path: Path, sql: str, t: int) -> Any:
                r = q(path, sql, t)
                return r[0][0] if r else None

            visible = 0
            seen: Counter[str] = Counter()
            for t, change in touched:
                truth = accepted_in(db, "SELECT post_id FROM solutions WHERE topic_id = ?", t)
                got = accepted_in(
                    cache_path, "SELECT post_id FROM solutions WHERE topic_id = ? AND gone_since IS NULL", t
                )
                flag = accepted_in(cache_path, "SELECT has_accepted_answer FROM topics WHERE id = ?", t)
                ok = got == truth and bool(flag) == (truth is not None)
                visible += ok
                seen[change] += ok
            figures = {
                "community": args.accept_size,
                "changed": len(touched),
                "by_change": dict(ops),
                "visible": visible,
                "visible_pct": round(100.0 * visible / max(1, len(touched)), 1),
                "visible_by_change": {k: f"{seen[k]}/{ops[k]}" for k in ops},
                "incremental_requests": inc.requests_total,
                "incremental_requests_seen_by_server": inc_server,
                "incremental_requests_by_stage": dict(inc.requests),
                "incremental_rescanned": inc.rescanned,
                "quiet_incremental_requests": quiet.requests_total,
                "quiet_incremental_requests_by_stage": dict(quiet.requests),
                "next_quiet_incremental_requests": after.requests_total,
                "first_sync_requests": first.requests_total,
            }
            log(
                f"accept: {len(touched)} changed by another moderator ({dict(ops)}); visible after one "
                f"incremental {visible}/{len(touched)} {dict(seen)}; it cost {inc.requests_total} requests "
                f"({dict(inc.requests)}), a quiet one {quiet.requests_total}"
            )
    finally:
        server.stop()
    return figures


# ---------------------------------------------------------------- main


SECTIONS = ("sync", "push", "pair", "accept")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child-push":
        return child_push(*argv[1:])
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sync-trials", type=int, default=50)
    ap.add_argument("--push-trials", type=int, default=50)
    ap.add_argument("--pair-trials", type=int, default=20)
    ap.add_argument(
        "--accept-n", type=int, default=30, help="answers accepted/unaccepted/replaced by another moderator"
    )
    ap.add_argument("--accept-size", default="small", help="demo community size for the accept section")
    ap.add_argument("--size", default="tiny", help="demo community size for sync, push and pair")
    ap.add_argument("--live-rate", type=float, default=600.0, help="live activity, events per minute")
    ap.add_argument("--fault-p", type=float, default=0.15, help="push: probability of each write fault")
    ap.add_argument("--time-scale", type=float, default=0.1, help="pair: production timings times this")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--verbose", action="store_true", help="pair: print each pusher's reports")
    ap.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections")
    ap.add_argument("--quick", action="store_true", help="a smoke run: 5/5/3 trials, 9 accepts, tiny")
    ap.add_argument("--workdir", default=None, help="keep the files here (default: a temporary dir, removed)")
    args = ap.parse_args(argv)
    if args.quick:
        args.sync_trials, args.push_trials, args.pair_trials = 5, 5, 3
        args.accept_n, args.accept_size = 9, "tiny"
    sections = args.only or list(SECTIONS)
    clock.set_now(DEFAULT_NOW + timedelta(hours=1))  # the community's "now", shared with every child
    started = time.monotonic()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {}
    try:
        master = work / f"{args.size}-master.sqlite3"
        generate(master, size=args.size, seed=7)
        for name in sections:
            t0 = time.monotonic()
            log(f"[{name}]")
            if name == "sync":
                out[name] = bench_sync(args, work, master)
            elif name in ("push", "pair"):
                rig = PushRig(work, master)
                out[name] = (bench_push if name == "push" else bench_pair)(args, work, rig)
            else:
                out[name] = bench_accept(args, work)
            out[name]["elapsed_s"] = round(time.monotonic() - t0, 1)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    out["elapsed_s"] = round(time.monotonic() - started, 1)
    out["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    out["cpus"] = os.cpu_count()
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
