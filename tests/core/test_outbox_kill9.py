"""kill -9 of a pushing (and of an enqueuing) process at random moments (SYNC.md §7 #19): after a
restart the outbox is intact and every action took effect exactly once (counted in the demo store)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer, FaultRule
from modconsole.outbox import store
from modconsole.services.moderation import ModerationService
from tests.conftest import copy_db
from tests.core.outbox_support import FAST, answerable, client_for, demo_rows, fill_cache
from tests.helpers.waits import WAIT_S, LineReader, spawn, stop

ROOT = Path(__file__).resolve().parents[2]
USERS = ("wen_meyer", "felix_hoffmann", "sam_fischer", "tariq_haddad", "mei_kowalski")


@pytest.fixture(scope="module")
def synced(tiny_community_master: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("outbox-kill9")
    demo = copy_db(tiny_community_master, base / "demo.sqlite3")
    server = DemoServer(demo)
    server.start()
    try:
        cache = Cache.open(base / "cache.sqlite3")
        client = client_for(server)
        fill_cache(cache, client)
        client.close()
        cache.close()
    finally:
        server.stop()
    return demo, base / "cache.sqlite3"


def _spawn(mode: str, cache: Path, server: DemoServer) -> subprocess.Popen[str]:
    ident = server.credentials.moderator
    env = {**os.environ, "MODCONSOLE_API_KEY": ident.key, "PYTHONPATH": str(ROOT)}
    return spawn(  # its own process group: stop() ends it whatever happens
        [sys.executable, "-m", "tests.core.outbox_pusher", mode, str(cache), server.base_url, ident.username],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(4))
def test_kill9_while_pushing_then_restart_applies_each_action_once(
    synced: tuple[Path, Path], tmp_path: Path, trial: int
) -> None:
    rng = random.Random(1000 + trial)
    demo_master, cache_master = synced
    server = DemoServer(copy_db(demo_master, tmp_path / "demo.sqlite3"))
    server.start()
    cache_path = copy_db(cache_master, tmp_path / "cache.sqlite3")
    procs: list[subprocess.Popen[str]] = []
    try:
        cache = Cache.open(cache_path)
        svc = ModerationService(
            cache,
            me=server.credentials.moderator.username,
            site_url=server.base_url,
            client=None,
            options=FAST,
        )
        topics = [t for t, _p, _n in answerable(server, solved=False, limit=3)]
        replies = []
        for i, user in enumerate(USERS):
            svc.award_badge("Superuser", user)
            svc.award_badge("Community Champion", user)
            svc.award_badge("Problem Solver", user, reason=f"{server.base_url}/t/x/{topics[i % 3]}/2")
        for i, t in enumerate(topics):
            raw = f"Crash-safe reply {i} in trial {trial}: thanks for the report."
            svc.reply(t, raw)
            replies.append(raw)
        svc.set_trust_level("wen_meyer", 3)
        cache.close()
        queued = len(USERS) * 3 + len(topics) + 1
        # slow every request a little, and drop some answers after the write was applied
        server.add_fault(FaultRule("latency", "*", "*", seconds=0.03))
        server.add_fault(FaultRule("apply_then_drop", "POST", "*", probability=0.25))
        proc = _spawn("push", cache_path, server)
        procs.append(proc)
        time.sleep(rng.uniform(0.6, 2.0))  # when to kill: a random moment, not a wait for work
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=WAIT_S)
        server.clear_faults()
        again = _spawn("push", cache_path, server)  # the restarted console
        procs.append(again)
        out, _ = again.communicate(timeout=WAIT_S)
        assert "PUSHED" in out

        cache = Cache.open(cache_path)  # quick_check on open: never a damaged file
        with cache.read() as conn:
            rows = store.rows(conn)
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        cache.close()
        assert len(rows) == queued and {r.state for r in rows} == {"done"}, [(r.kind, r.state) for r in rows]
        for user in USERS:
            uid = demo_rows(server, "SELECT id FROM users WHERE username = ?", user)[0][0]
            assert demo_rows(
                server, "SELECT COUNT(*) FROM user_badges WHERE user_id = ? AND badge_id IN (201, 203)", uid
            ) == [(2,)]
        for r in rows:  # multiple-grant badge: exactly one grant on the linked post
            if r.kind == "grant_badge" and r.payload["multiple_grant"]:
                assert demo_rows(
                    server,
                    "SELECT COUNT(*) FROM user_badges WHERE user_id = ? AND badge_id = 202 AND post_id = ?",
                    r.payload["user_id"],
                    r.payload["reason_post_id"],
                ) == [(1,)]
        for raw in replies:
            assert demo_rows(  # the text, then its recognition token
                server, "SELECT COUNT(*) FROM posts WHERE instr(raw, ?) = 1", raw + "\n\n<!-- mc:"
            ) == [(1,)]
        assert demo_rows(server, "SELECT trust_level FROM users WHERE username = 'wen_meyer'") == [(3,)]
    finally:
        for p in procs:
            stop(p, sig=signal.SIGKILL)
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(2))
def test_kill9_while_enqueuing_keeps_every_queued_action(
    synced: tuple[Path, Path], tmp_path: Path, trial: int
) -> None:
    rng = random.Random(2000 + trial)
    demo_master, cache_master = synced
    server = DemoServer(copy_db(demo_master, tmp_path / "demo.sqlite3"))  # never contacted: enqueue only
    cache_path = copy_db(cache_master, tmp_path / "cache.sqlite3")
    server.base_url = "http://127.0.0.1:9"
    proc = _spawn("enqueue", cache_path, server)
    try:
        assert proc.stdout is not None
        said: list[str] = []
        out = LineReader(proc.stdout)
        first = out.until(lambda line: True)  # wait until it is enqueuing
        said.append(first.split()[1])
        time.sleep(rng.uniform(0.05, 0.5))  # when to kill: a random moment, not a wait for work
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=WAIT_S)
        rest = out.rest()
    finally:
        stop(proc, sig=signal.SIGKILL)
    # a line cut short by the kill is not a report of a queued action
    said.extend(w[1] for w in (line.split() for line in rest.splitlines()) if len(w) == 2 and len(w[1]) == 36)
    cache = Cache.open(cache_path)
    try:
        with cache.read() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            rows = store.rows(conn)
        saved = [r.op_uuid for r in rows]
        # every action the process reported as queued survived; at most the one in progress is extra
        assert set(said) <= set(saved) and len(saved) - len(said) <= 1
        assert all(r.state == "pending" and r.payload["title"].startswith("Crash test topic") for r in rows)
        assert len(said) >= 1
    finally:
        cache.close()
