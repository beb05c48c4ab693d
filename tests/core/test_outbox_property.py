"""Property test (SYNC.md §7 #25): random action sequences under random server faults — writes
applied then the connection dropped, answers slower than the read timeout (the server applies
after the client gave up), 429 storms, 5xx, connection resets — always end with the server in
the intended state and no doubled grant. Seeded (derandomized) and bounded in count and time."""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer, FaultRule
from modconsole.errors import InvalidInput
from modconsole.services.moderation import ModerationService
from tests.conftest import copy_db
from tests.core.outbox_support import FAST, answerable, client_for, demo_rows, fill_cache
from tests.helpers.waits import WAIT_S

USERS = ("wen_meyer", "felix_hoffmann", "sam_fischer", "rosa_haddad")
BADGES = {"Superuser": 201, "Community Champion": 203}
GROUP = 41
READ_TIMEOUT = 0.4

action = st.one_of(
    st.tuples(st.just("grant"), st.sampled_from(sorted(BADGES)), st.sampled_from(USERS)),
    st.tuples(st.just("revoke"), st.sampled_from(sorted(BADGES)), st.sampled_from(USERS)),
    st.tuples(st.just("add"), st.just("superusers"), st.sampled_from(USERS)),
    st.tuples(st.just("remove"), st.just("superusers"), st.sampled_from(USERS)),
    st.tuples(st.just("tl"), st.integers(0, 4), st.sampled_from(USERS)),
    st.tuples(st.just("accept"), st.integers(0, 1), st.integers(2, 3)),
    st.tuples(st.just("reply"), st.integers(0, 1), st.just(0)),  # not idempotent on the server at all
)
fault = st.one_of(
    st.builds(
        lambda m, p: FaultRule("apply_then_drop", m, "*", probability=p),
        st.sampled_from(["POST", "PUT", "DELETE"]),
        st.sampled_from([0.3, 0.6]),
    ),
    st.builds(lambda p: FaultRule("drop", "*", "*", probability=p), st.sampled_from([0.2, 0.4])),
    st.builds(
        lambda s: FaultRule("status", "*", "*", probability=0.3, status=s), st.sampled_from([500, 502, 503])
    ),
    st.builds(
        lambda c: FaultRule("rate_limit", "*", "*", probability=0.5, count=c, seconds=0.01), st.integers(1, 2)
    ),
    st.builds(
        lambda m: FaultRule("latency", m, "*", count=1, seconds=READ_TIMEOUT * 2),
        st.sampled_from(["POST", "PUT"]),
    ),
)


@pytest.fixture(scope="module")
def synced(tiny_community_master: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo store and a cache synced from it, made once; each example works on copies."""
    base = tmp_path_factory.mktemp("outbox-prop")
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


def _state(server: DemoServer, topics: list[int]) -> dict[str, Any]:
    ids = {u: demo_rows(server, "SELECT id FROM users WHERE username = ?", u)[0][0] for u in USERS}
    grants = {
        (u, b): demo_rows(
            server, "SELECT COUNT(*) FROM user_badges WHERE user_id = ? AND badge_id = ?", ids[u], bid
        )[0][0]
        for u in USERS
        for b, bid in BADGES.items()
    }
    members = {
        u
        for u in USERS
        if demo_rows(server, "SELECT 1 FROM group_users WHERE group_id = ? AND user_id = ?", GROUP, ids[u])
    }
    tls = {u: demo_rows(server, "SELECT trust_level FROM users WHERE id = ?", ids[u])[0][0] for u in USERS}
    acc = {
        t: (demo_rows(server, "SELECT post_id FROM solutions WHERE topic_id = ?", t) or [(None,)])[0][0]
        for t in topics
    }
    return {"grants": grants, "members": members, "tls": tls, "accepted": acc}


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(action, min_size=1, max_size=6), faults=st.lists(fault, max_size=3))
def test_random_actions_under_faults_end_in_the_intended_state(
    synced: tuple[Path, Path], actions: list[tuple[Any, ...]], faults: list[FaultRule]
) -> None:
    demo_master, cache_master = synced
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        with DemoServer(copy_db(demo_master, tmpdir / "demo.sqlite3")) as server:  # stopped on any exit
            cache = Cache.open(copy_db(cache_master, tmpdir / "cache.sqlite3"))
            client = client_for(server)
            client.timeouts = replace(client.timeouts, read=READ_TIMEOUT, write=READ_TIMEOUT, deadline=2.0)
            opts = replace(FAST, verify_delay=READ_TIMEOUT * 3, max_wait=3.0)
            svc = ModerationService(
                cache,
                me=server.credentials.moderator.username,
                site_url=server.base_url,
                client=client,
                options=opts,
            )
            try:
                topics = [t for t, _p, _n in answerable(server, solved=False, limit=2)]
                start = _state(server, topics)
                # the model: what the server should look like after every saved intent, in order
                want = {
                    "grants": {k: min(v, 1) for k, v in start["grants"].items()},
                    "members": set(start["members"]),
                    "tls": dict(start["tls"]),
                    "accepted": dict(start["accepted"]),
                }
                replies: list[str] = []
                for act in actions:
                    kind = act[0]
                    try:
                        if kind == "grant":
                            svc.award_badge(act[1], act[2])
                            want["grants"][(act[2], act[1])] = 1
                        elif kind == "revoke":
                            svc.revoke_badge(act[1], act[2])
                            want["grants"][(act[2], act[1])] = 0
                        elif kind == "add":
                            svc.add_group_member(act[1], act[2])
                            want["members"].add(act[2])
                        elif kind == "remove":
                            svc.remove_group_member(act[1], act[2])
                            want["members"].discard(act[2])
                        elif kind == "tl":
                            svc.set_trust_level(act[2], act[1])
                            want["tls"][act[2]] = act[1]
                        elif kind == "reply":
                            raw = f"Moderator follow-up number {len(replies) + 1} on this question."
                            svc.reply(topics[act[1]], raw)
                            replies.append(raw)
                        else:
                            t = topics[act[1]]
                            pid = demo_rows(
                                server,
                                "SELECT id FROM posts WHERE topic_id = ? AND post_number = ?",
                                t,
                                act[2],
                            )[0][0]
                            svc.accept_answer(pid)
                            want["accepted"][t] = pid
                    except InvalidInput:
                        continue  # refused at enqueue (e.g. already holds the badge): nothing saved
                for f in faults:
                    server.add_fault(f)
                for i in range(30):
                    report = svc.dispatcher().push()
                    if report.deferred == 0:
                        break
                    if i == 15:
                        server.clear_faults()  # a storm ends eventually
                    client.pacer.clear_pause()
                    time.sleep(0.05)
                server.clear_faults()
                assert server.wait_idle(WAIT_S)  # a slow handler whose client gave up finishes first
                rows = svc.outbox()
                assert {r.state for r in rows} <= {"done", "cancelled"}, [
                    (r.kind, r.state, r.last_error) for r in rows
                ]
                end = _state(server, topics)
                assert all(n <= 1 for n in end["grants"].values())  # no doubled grant, ever
                assert end["grants"] == want["grants"]
                assert end["members"] == want["members"]
                assert end["tls"] == want["tls"]
                assert end["accepted"] == want["accepted"]
                for raw in replies:  # every reply exactly once
                    assert demo_rows(  # the text, then its recognition token
                        server, "SELECT COUNT(*) FROM posts WHERE instr(raw, ?) = 1", raw + "\n\n<!-- mc:"
                    ) == [(1,)]
                with cache.read() as conn:
                    assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            finally:
                client.close()
                cache.close()
