"""One pusher at a time, provably (issue 12, finding 1; SYNC.md §6.2, §6.5).

A lease renewed while its holder waits, a pusher that stops when it loses the lease, a send only
after the row was won by a compare-and-set, and a recognition token that makes the verification
of a reply or a new topic exact. Against the real demo server over loopback HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from modconsole import clock
from modconsole.cache.db import Cache
from modconsole.connectors.discourse import actions
from modconsole.demo.server import DemoServer, FaultRule
from modconsole.outbox import store
from modconsole.outbox.dispatcher import PushReport
from tests.core.outbox_support import FAST, answerable, demo_rows, open_service
from tests.helpers.waits import WAIT_S, LineReader, spawn, stop

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(cond: object, what: str) -> None:
    end = time.monotonic() + WAIT_S
    while not cond():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _send_outcomes(cache: Cache, op_uuid: str) -> list[str | None]:
    with cache.read() as conn:
        row = store.get(conn, op_uuid)
        assert row is not None
        return [a["outcome"] for a in store.attempts_of(conn, row.id) if a["kind"] == "send"]


def _posts_with(server: DemoServer, needle: str) -> list[tuple[int, str, str]]:
    return [
        (int(i), str(raw), str(cooked))
        for i, raw, cooked in demo_rows(
            server, "SELECT id, raw, cooked FROM posts WHERE raw LIKE ? AND deleted_at IS NULL", f"%{needle}%"
        )
    ]


# ---------------------------------------------------------------- the compare-and-set


def test_the_lease_and_the_compare_and_set_let_only_one_owner_win_a_row(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    try:
        with cache.write() as conn:
            r1 = store.insert(
                conn,
                kind="close_topic",
                target_key="topic:1",
                payload={"topic_id": 1},
                precondition=None,
                created_by="mod",
            )
            r2 = store.insert(
                conn,
                kind="close_topic",
                target_key="topic:2",
                payload={"topic_id": 2},
                precondition=None,
                created_by="mod",
            )
            assert store.take_lease(conn, "A")[0]
            # another window of this same process may not take a fresh lease
            taken, holder = store.take_lease(conn, "B")
            assert not taken and holder is not None and holder["owner"] == "A"
            # B never won the lease: its compare-and-set is refused, the row stays pending
            assert (
                store.mark_in_flight(conn, r1.row_id, "b1", "PUT /t/1/status.json", 30.0, owner="B") is None
            )
            assert store.get_by_id(conn, r1.row_id).state == "pending"
            # A wins it once; a second compare-and-set on the row it holds in flight is refused
            assert store.mark_in_flight(conn, r1.row_id, "a1", "PUT /t/1/status.json", 30.0, owner="A")
            assert (
                store.mark_in_flight(conn, r1.row_id, "a2", "PUT /t/1/status.json", 30.0, owner="A") is None
            )
            row = store.get_by_id(conn, r1.row_id)
            assert (row.state, row.attempts, row.in_flight_attempt_id) == ("in_flight", 1, "a1")
            assert [a["attempt_id"] for a in store.attempts_of(conn, r1.row_id)] == ["a1"]
            # A's lease lapses (no heartbeat for longer than the TTL): its CAS is refused even
            # before anyone takes over, and B may now take the lease
            stale = store.now_iso(clock.now().replace(year=2000))
            conn.execute(text("UPDATE dispatcher_lease SET heartbeat_at = :h"), {"h": stale})
            assert (
                store.mark_in_flight(conn, r2.row_id, "a3", "PUT /t/2/status.json", 30.0, owner="A") is None
            )
            assert store.take_lease(conn, "B")[0]
            # A's next heartbeat finds another owner; A can win nothing more, B can
            assert not store.renew_lease(conn, "A") and store.renew_lease(conn, "B")
            assert not store.holds_lease(conn, "A") and store.holds_lease(conn, "B")
            assert (
                store.mark_in_flight(conn, r2.row_id, "a4", "PUT /t/2/status.json", 30.0, owner="A") is None
            )
            assert store.mark_in_flight(conn, r2.row_id, "b2", "PUT /t/2/status.json", 30.0, owner="B")
            store.release_lease(conn, "A")  # releasing a lease one does not hold changes nothing
            assert store.holds_lease(conn, "B")
    finally:
        cache.close()


# ---------------------------------------------------------------- a pusher that lost the lease


def test_a_pusher_whose_lease_is_taken_over_stops_without_sending(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    server = demo_server
    # the verification wait is long; the heartbeat renews the lease through it
    opts = replace(FAST, verify_delay=WAIT_S / 2, max_wait=WAIT_S, deadline=WAIT_S, heartbeat_every=0.1)
    svc, cache, client = open_service(tmp_path, server, options=opts)
    pushing: threading.Thread | None = None
    try:
        (t1, _, _), (t2, _, _) = answerable(server, limit=2)
        first = svc.reply(t1, "First reply: sent, applied, and its answer lost on the way back.")
        server.add_fault(FaultRule("apply_then_drop", "POST", "/posts.json", count=1))
        server.clear_requests()
        reports: list[PushReport] = []
        pushing = threading.Thread(target=lambda: reports.append(svc.dispatcher().push()), name="test-pusher")
        pushing.start()
        _wait_for(lambda: _send_outcomes(cache, first.op_uuid) == ["ambiguous"], "the ambiguous send")
        assert pushing.is_alive()  # waiting to verify
        with cache.write() as conn:  # another console takes the queue over (as after a hang)
            conn.execute(
                text("UPDATE dispatcher_lease SET owner = 'other-console', pid = :p, heartbeat_at = :h"),
                {"p": os.getppid(), "h": store.now_iso()},
            )
        second = svc.reply(t2, "Second reply: queued while the first push waits to verify.")
        pushing.join(WAIT_S)
        assert not pushing.is_alive()
        (rep,) = reports
        assert rep.breaker == "lease" and "took over" in rep.message
        # nothing more was sent, and nothing was written on the row the other console now owns
        assert server.request_count("POST", "/posts.json") == 1
        assert svc.get(first.op_uuid).state == "in_flight"  # type: ignore[union-attr]
        assert svc.get(second.op_uuid).state == "pending"  # type: ignore[union-attr]
        with cache.read() as conn:
            assert store.lease_holder(conn)["owner"] == "other-console"  # type: ignore[index]

        # the other console is gone; the next push verifies the first reply (found by its token)
        with cache.write() as conn:
            conn.execute(text("DELETE FROM dispatcher_lease"))
        clock.advance(WAIT_S)  # the verification time has come
        rep2 = svc.dispatcher().push()
        assert rep2.breaker is None and rep2.deferred == 0
        assert (svc.get(first.op_uuid).state, svc.get(first.op_uuid).resolution) == (
            "done",
            "already_applied",
        )  # type: ignore[union-attr]
        assert svc.get(second.op_uuid).state == "done"  # type: ignore[union-attr]
        ((first_post, _, _),) = _posts_with(server, "First reply: sent")
        assert svc.get(first.op_uuid).result["evidence"]["post_id"] == first_post  # type: ignore[union-attr]
        assert len(_posts_with(server, "Second reply: queued")) == 1
    finally:
        if pushing is not None:
            pushing.join(WAIT_S)
        client.close()
        cache.close()


# ---------------------------------------------------------------- two pushers, two processes


def _spawn_racer(cache_path: Path, server: DemoServer) -> subprocess.Popen[str]:
    ident = server.credentials.moderator
    env = {**os.environ, "MODCONSOLE_API_KEY": ident.key, "PYTHONPATH": str(ROOT)}
    return spawn(
        [
            sys.executable,
            "-m",
            "tests.core.outbox_pusher",
            "race",
            str(cache_path),
            server.base_url,
            ident.username,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["drop", "apply_then_drop"])
def test_two_pushers_in_two_processes_send_an_ambiguous_reply_once(
    demo_server: DemoServer, tmp_path: Path, fault: str
) -> None:
    """Pusher A sends a reply whose answer is lost (``drop``: never applied; ``apply_then_drop``:
    applied), then waits to verify, far longer than the lease lasts without a heartbeat. Pusher B
    starts meanwhile (another window, or the CLI beside the app). Verification reads are slow, so
    two verifications would overlap. The server ends with exactly one post."""
    server = demo_server
    svc, cache, client = open_service(tmp_path, server)
    procs: list[subprocess.Popen[str]] = []
    try:
        ((topic, _, _),) = answerable(server, limit=1)
        body = f"Thanks for the report ({fault}); we are looking into it and will follow up here."
        q = svc.reply(topic, body)
        server.add_fault(FaultRule(fault, "POST", "/posts.json", count=1))
        server.add_fault(FaultRule("latency", "GET", "/t/*", seconds=1.5))
        cache_path = tmp_path / "moderator.sqlite3"
        procs.append(_spawn_racer(cache_path, server))
        _wait_for(lambda: _send_outcomes(cache, q.op_uuid) == ["ambiguous"], "A's ambiguous send")
        time.sleep(3.0)  # longer than the racers' 2 s lease: only a heartbeat keeps A's lease now
        procs.append(_spawn_racer(cache_path, server))
        for p in procs:
            assert p.stdout is not None
            LineReader(p.stdout).until(lambda line: line.startswith("PUSHED"))
        assert len(_posts_with(server, body)) == 1
        row = svc.get(q.op_uuid)
        assert row is not None and row.state == "done"
        assert (row.resolution == "already_applied") == (fault == "apply_then_drop")
    finally:
        for p in procs:
            stop(p)
        client.close()
        cache.close()


# ---------------------------------------------------------------- recognition tokens


def test_replies_and_topics_carry_an_invisible_token_that_makes_verification_exact(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    server = demo_server
    svc, cache, client = open_service(tmp_path, server, options=replace(FAST, verify_delay=0.0))
    try:
        ((topic, _, _),) = answerable(server, limit=1)
        body = "Thanks, we are looking into it."
        # the same words twice on purpose: the first arrives, the second is dropped before the
        # server applies it. Matching by author and body would take the first for the second.
        one = svc.reply(topic, body)
        assert svc.dispatcher().push().deferred == 0
        two = svc.reply(topic, body)
        server.add_fault(FaultRule("drop", "POST", "/posts.json", count=1))
        assert svc.dispatcher().push().deferred == 0
        assert _send_outcomes(cache, two.op_uuid) == ["ambiguous", "applied"]
        posts = _posts_with(server, body)
        assert len(posts) == 2
        for (_, raw, cooked), q in zip(sorted(posts), (one, two), strict=True):
            assert actions.token_marker(q.op_uuid) in raw  # found again by it
            assert "mc:" not in cooked and "&lt;!--" not in cooked  # invisible to readers
            assert body in cooked
        assert (
            svc.get(one.op_uuid).result["evidence"]["post_id"]
            != svc.get(two.op_uuid).result["evidence"]["post_id"]
        )  # type: ignore[union-attr]

        # a new topic whose answer is lost after it was created: found by its token, not re-sent
        t = svc.create_topic("Maintenance window on Saturday", "The community will be read-only for an hour.")
        server.add_fault(FaultRule("apply_then_drop", "POST", "/posts.json", count=1))
        assert svc.dispatcher().push().deferred == 0
        row = svc.get(t.op_uuid)
        assert row is not None and (row.state, row.resolution) == ("done", "already_applied")
        assert len(_posts_with(server, actions.token_marker(t.op_uuid))) == 1
        assert server.request_count("POST", "/posts.json") == 4  # one, two (twice), the topic once
    finally:
        client.close()
        cache.close()


def test_rows_sent_before_tokens_existed_are_still_verified_by_their_body(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """A row left in flight by an older console (no token in what it sent) is verified as before."""
    server = demo_server
    svc, cache, client = open_service(tmp_path, server)
    try:
        ((topic, _, _),) = answerable(server, limit=1)
        body = "An older console sent this reply just before it was closed."
        q = svc.reply(topic, body)
        owner = "older-console"
        with cache.write() as conn:
            assert store.take_lease(conn, owner)[0]
            assert store.mark_in_flight(conn, q.outbox_id, "old", "POST /posts.json", 0.0, owner=owner)
            store.release_lease(conn, owner)
        client.post_json("/posts.json", {"topic_id": topic, "raw": body})  # what it sent arrived
        rep = svc.dispatcher().push()
        assert rep.breaker is None and rep.writes == 0
        row = svc.get(q.op_uuid)
        assert row is not None and (row.state, row.resolution) == ("done", "already_applied")
        assert "client_token" not in row.payload and len(_posts_with(server, body)) == 1
    finally:
        client.close()
        cache.close()


def test_a_body_ending_inside_a_code_fence_is_sent_without_a_token() -> None:
    """A comment inside an open fence would show as text: such a body goes without a marker and
    is recognised by author and text instead (what the row records decides the verification)."""
    assert actions.token_for("op-1", "See:\n```\nlog line") is None
    assert actions.token_for("op-1", "See:\n```\nlog line\n```\nThanks") == "op-1"
    assert actions.with_token("Hi", None) == "Hi"
    assert actions.with_token("Hi  \n", "op-1") == "Hi\n\n<!-- mc:op-1 -->"
    sent = actions.request_for("create_post", {"topic_id": 5, "raw": "Hi", "client_token": "op-1"})
    assert sent.data == {"topic_id": 5, "raw": "Hi\n\n<!-- mc:op-1 -->"}


def test_the_lease_is_kept_through_a_rate_limit_wait(demo_server: DemoServer, tmp_path: Path) -> None:
    """A 429 whose Retry-After is within the client's patience is waited out inside the send, after
    the row was won; the lease must not lapse meanwhile, or another window could take the queue."""
    server = demo_server
    opts = replace(FAST, lease_ttl=3.0, heartbeat_every=0.1, deadline=WAIT_S)
    svc, cache, client = open_service(tmp_path, server, options=opts)
    pushing: threading.Thread | None = None
    try:
        ((topic, _, _),) = answerable(server, limit=1)
        q = svc.reply(topic, "A reply that meets a rate limit first and waits it out.")
        server.add_fault(FaultRule("rate_limit", "POST", "/posts.json", count=1, seconds=4.5))
        server.clear_requests()
        reports: list[PushReport] = []
        pushing = threading.Thread(target=lambda: reports.append(svc.dispatcher().push()), name="test-pusher")
        pushing.start()
        _wait_for(lambda: server.request_count("POST", "/posts.json") >= 1, "the 429")
        time.sleep(3.5)  # longer than the lease lasts without a heartbeat; the wait is not over yet
        with cache.write() as conn:  # another window tries to take the queue
            taken, holder = store.take_lease(conn, "other-window", ttl=opts.lease_ttl)
        assert not taken and holder is not None
        pushing.join(WAIT_S)
        assert not pushing.is_alive()
        (rep,) = reports
        assert rep.breaker is None and rep.deferred == 0
        assert svc.get(q.op_uuid).state == "done"  # type: ignore[union-attr]
        assert len(_posts_with(server, "meets a rate limit first")) == 1
        assert [r.status for r in server.requests if r.path == "/posts.json"] == [429, 200]
    finally:
        if pushing is not None:
            pushing.join(WAIT_S)
        client.close()
        cache.close()
