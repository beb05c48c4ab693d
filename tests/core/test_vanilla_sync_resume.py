"""An interrupted first sync of a Vanilla community resumes where it stopped (issue #16 part 4).

Each page of a full pass is committed with its checkpoint — the next page's address — so a run that
is killed (kill -9 of ``modconsole sync``) or stopped by a server fault leaves the pass open and the
next run goes on from there: it does not repeat the walks already done, and the cache ends as after
one uninterrupted sync (the reference, compared table by table). Real HTTP against the Vanilla demo
server (``vanilla_demo_server``) on loopback."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from modconsole.api import Budget, Credentials, HostPacer
from modconsole.cache.db import Cache
from modconsole.connectors.registry import connector_for
from modconsole.connectors.sync_run import SyncProgress, SyncReport
from modconsole.connectors.vanilla.sync.engine import VanillaSync, VanillaSyncOptions
from modconsole.demo.vanilla.server import VanillaDemoServer, VanillaFaultRule
from modconsole.errors import ApiError
from modconsole.paths import Paths
from modconsole.tasks import CancelToken, Progress
from tests.core.sync_support import FAST_RETRY, cached_tables, differences
from tests.helpers.waits import WAIT_S, spawn, stop

pytestmark = pytest.mark.integration

COMMENTS = "/api/v2/comments"


@contextmanager
def _engine(server: VanillaDemoServer, path: Path, **options: object) -> Iterator[VanillaSync]:
    ident = server.credentials.moderator
    client = connector_for("vanilla").open_client(
        server.base_url,
        Credentials.token(ident.token, username=ident.username),
        pacer=HostPacer(Budget.unlimited()),
        retry=FAST_RETRY,
    )
    cache = Cache.open(path)
    try:
        yield VanillaSync(
            client,
            cache,
            options=VanillaSyncOptions(retry_wait=0.01, page_retries=1, **options),  # type: ignore[arg-type]
        )
    finally:
        cache.close()
        client.close()


def _reference(server: VanillaDemoServer, path: Path) -> SyncReport:
    with _engine(server, path) as engine:
        report = engine.run_once(CancelToken())
    assert report.first_sync and report.finished
    return report


def _ok_pages(server: VanillaDemoServer, since: int, path: str) -> int:
    return sum(1 for r in server.requests[since:] if r.path == path and r.status == 200)


def test_a_first_sync_stopped_by_a_server_fault_goes_on_from_its_last_page(
    vanilla_demo_server: VanillaDemoServer, tmp_path: Path
) -> None:
    server = vanilla_demo_server
    ref = _reference(server, tmp_path / "ref.sqlite3")
    assert ref.requests["comments"] >= 4  # enough pages to stop in the middle

    path = tmp_path / "cache.sqlite3"
    start = len(server.requests)

    def fail_midway(p: Progress) -> None:
        # two pages of comments are committed: from now on the server fails every comments page
        if p.stage == "comments" and p.done >= 200 and not server.faults():
            server.add_fault(VanillaFaultRule("status", method="GET", path=COMMENTS, status=503))

    with _engine(server, path) as engine, pytest.raises(ApiError):
        engine.run_once(CancelToken(), fail_midway)
    committed = _ok_pages(server, start, COMMENTS)
    assert committed == 2
    server.clear_faults()

    with _engine(server, path) as engine:
        resumed = engine.run_once(CancelToken())
    assert resumed.first_sync and resumed.finished and resumed.queue_complete
    # the walks the stopped run finished are not walked again; the comments go on from page 3
    for done in ("categories", "users", "queue", "discussions"):
        assert resumed.requests.get(done, 0) == 0, resumed.requests
    assert resumed.requests["comments"] == ref.requests["comments"] - committed
    for rest in ("answers", "badges", "groups"):
        assert resumed.requests[rest] == ref.requests[rest]
    assert (
        resumed.requests_total
        == ref.requests_total
        - sum(ref.requests.get(s, 0) for s in ("categories", "users", "queue", "discussions"))
        - committed
    )
    # and nothing is missing: the cache is the uninterrupted sync's
    assert differences(cached_tables(tmp_path / "ref.sqlite3"), cached_tables(path)) == {}

    with _engine(server, path) as engine:  # the pass is closed: what follows is an incremental
        after = engine.run_once(CancelToken())
    assert not after.first_sync and after.requests_total <= 3


def test_a_first_sync_stopped_after_the_queue_resumes_with_the_rest(
    vanilla_demo_server: VanillaDemoServer, tmp_path: Path
) -> None:
    server = vanilla_demo_server
    ref = _reference(server, tmp_path / "ref.sqlite3")
    path = tmp_path / "cache.sqlite3"
    with _engine(server, path, stop_after_queue=True) as engine:
        quick = engine.run_once(CancelToken())
    assert quick.queue_complete and not quick.finished
    with _engine(server, path) as engine:
        rest = engine.run_once(CancelToken())
    assert rest.first_sync and rest.finished
    assert quick.requests_total + rest.requests_total == ref.requests_total
    assert differences(cached_tables(tmp_path / "ref.sqlite3"), cached_tables(path)) == {}


def test_what_changed_while_a_first_sync_was_interrupted_arrives_with_the_next_run(
    vanilla_demo_server: VanillaDemoServer, tmp_path: Path
) -> None:
    """The resumed pass keeps the server time its first run began at: a reply posted meanwhile to a
    discussion already walked (its count read before the reply) is read by the incremental after it."""
    server = vanilla_demo_server
    path = tmp_path / "cache.sqlite3"
    stopped = CancelToken()

    def stop_in_comments(p: Progress) -> None:
        if p.stage == "comments" and p.done >= 100:
            stopped.cancel()

    with _engine(server, path) as engine, pytest.raises(Exception, match="cancel"):
        engine.run_once(stopped, stop_in_comments)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tid = con.execute("SELECT min(id) FROM topics WHERE closed = 0 AND archetype = 'regular'").fetchone()[
            0
        ]
    finally:
        con.close()
    ident = server.credentials.admin
    resp = httpx.post(
        f"{server.base_url}/api/v2/comments",
        json={"body": "Posted while the sync was stopped.", "format": "markdown", "discussionID": tid},
        headers=ident.headers(),
        timeout=WAIT_S,
    )
    assert resp.status_code == 201, resp.text
    with _engine(server, path) as engine:
        assert engine.run_once(CancelToken()).finished
        engine.run_once(CancelToken())  # the incremental
    _reference(server, tmp_path / "ref.sqlite3")  # now, with the reply
    assert differences(cached_tables(tmp_path / "ref.sqlite3"), cached_tables(path)) == {}


# ---------------------------------------------------------------- kill -9 of the command


def _sync_cmd(server: VanillaDemoServer, data_dir: Path) -> list[str]:
    ident = server.credentials.moderator
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
        "--platform",
        "vanilla",
        "--unpaced",
        "--json",
    ]


def _env(server: VanillaDemoServer) -> dict[str, str]:
    env = dict(os.environ)
    env["MODCONSOLE_API_KEY"] = server.credentials.moderator.token
    env.pop("MODCONSOLE_DATA_DIR", None)
    return env


def _cache_file(server: VanillaDemoServer, data_dir: Path) -> Path:
    return Paths.default(data_dir).site_cache_file(server.base_url, server.credentials.moderator.username)


def _reached(server: VanillaDemoServer, requests: int, proc: subprocess.Popen[bytes]) -> bool:
    """Wait until the server has answered ``requests`` requests in all (True) or ``proc`` ended."""
    deadline = time.monotonic() + WAIT_S
    while server.request_count() < requests:
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise AssertionError(f"the sync made no progress in {WAIT_S} s")
        time.sleep(0.005)
    return proc.poll() is None


@pytest.mark.slow
def test_kill9_of_modconsole_sync_then_resume_gives_the_uninterrupted_cache(
    vanilla_demo_server: VanillaDemoServer, tmp_path: Path
) -> None:
    server = vanilla_demo_server
    env = _env(server)
    ref_dir = tmp_path / "ref"
    before = server.request_count()
    done = subprocess.run(_sync_cmd(server, ref_dir), env=env, capture_output=True, timeout=WAIT_S)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    full = server.request_count() - before
    # what the command asks before its sync starts (who the token is, …): every run pays it again
    startup = full - json.loads(done.stdout.decode().strip().splitlines()[-1])["requests_total"]
    reference = cached_tables(_cache_file(server, ref_dir))

    rng = random.Random(20261207)
    kills = 0
    for trial in range(2):
        data_dir = tmp_path / f"trial{trial}"
        begin = server.request_count()
        runs = 0
        for _ in range(4):
            proc = spawn(
                _sync_cmd(server, data_dir), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            runs += 1
            try:
                # a random point of the sync, counted in requests the server answered
                if _reached(server, server.request_count() + rng.randint(startup + 1, full), proc):
                    kills += 1
                    continue
            finally:
                stop(proc, sig=signal.SIGKILL)
            assert proc.returncode == 0
            break
        final = subprocess.run(_sync_cmd(server, data_dir), env=env, capture_output=True, timeout=WAIT_S)
        assert final.returncode == 0, final.stderr.decode()[-2000:]
        runs += 1
        path = _cache_file(server, data_dir)
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
        assert differences(reference, cached_tables(path)) == {}, f"trial {trial}"
        # resumed, not restarted: each run repeats at most its start, the page a kill cut off and
        # the answers fingerprint — and the last one (an incremental) its ≤ 3 requests
        assert server.request_count() - begin <= full + runs * (startup + 2) + 3, f"trial {trial}"
    assert kills > 0  # the test did interrupt syncs


# ---------------------------------------------------------------- progress


def test_a_first_sync_reports_its_stages_counts_and_what_is_left(
    vanilla_demo_server: VanillaDemoServer, tmp_path: Path
) -> None:
    """The reports a Discourse sync gives (``SyncProgress``: stage, counts, requests left, ETA) —
    what the console's status area and ``modconsole sync`` show — on Vanilla too."""
    reports: list[Progress] = []
    with _engine(vanilla_demo_server, tmp_path / "cache.sqlite3") as engine:
        report = engine.run_once(CancelToken(), reports.append)
    assert all(isinstance(p, SyncProgress) and p.cost_left is not None for p in reports)
    assert [s for s in dict.fromkeys(p.stage for p in reports)] == [
        "categories",
        "users",
        "queue",
        "discussions",
        "comments",
        "answers",
        "badges",
        "groups",
    ]
    assert all(p.eta_seconds is not None for p in reports if p.requests)
    comments = [p for p in reports if p.stage == "comments" and p.done]
    assert comments[-1].done == comments[-1].total  # every comment the discussions count
    # once the discussions are read, the comments left are known to the page; the badges' holders
    # and the groups' members only once those lists are read (till then one request each)
    first_page = comments[0]
    assert isinstance(first_page, SyncProgress) and first_page.cost_left is not None
    assert (
        report.requests["comments"] - 1 <= first_page.cost_left <= report.requests_total - first_page.requests
    )
    assert reports[-1].cost_left is not None and reports[-1].cost_left <= 1


def test_a_rescan_that_finds_a_comment_gone_counts_it_nowhere(
    vanilla_demo_server: VanillaDemoServer, tmp_path: Path
) -> None:
    # a full pass writes its pages without their derived state and settles it once at its close:
    # after what went is marked, so a deleted comment leaves the queue fields and the rollups too
    server = vanilla_demo_server
    path = tmp_path / "cache.sqlite3"
    _reference(server, path)
    with sqlite3.connect(path) as con:
        pid, tid, day = con.execute(
            "SELECT p.id, p.topic_id, substr(p.created_at, 1, 10) FROM posts p "
            "JOIN topics t ON t.id = p.topic_id WHERE p.id > 0 AND p.post_type = 1 "
            "AND p.user_id IS NOT t.user_id AND p.gone_since IS NULL ORDER BY p.id LIMIT 1"
        ).fetchone()
        (replies,) = con.execute("SELECT others_replies FROM topics WHERE id = ?", (tid,)).fetchone()
        (posts_that_day,) = con.execute("SELECT posts FROM daily_posts WHERE day = ?", (day,)).fetchone()
    assert replies >= 1 and posts_that_day >= 1
    server.write(
        lambda con: con.execute(
            "UPDATE posts SET deleted_at = '2026-11-01T12:30:00.000Z' WHERE id = ?", (pid,)
        )
    )

    with _engine(server, path, force_rescan=True) as engine:
        report = engine.run_once(CancelToken())
    assert report.finished and not report.first_sync

    with sqlite3.connect(path) as con:
        assert con.execute("SELECT gone_since FROM posts WHERE id = ?", (pid,)).fetchone()[0]
        assert con.execute("SELECT others_replies FROM topics WHERE id = ?", (tid,)).fetchone() == (
            replies - 1,
        )
        left = con.execute("SELECT posts FROM daily_posts WHERE day = ?", (day,)).fetchone()
        assert (left[0] if left else 0) == posts_that_day - 1
