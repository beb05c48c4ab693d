"""The one push policy against the demo server over loopback: it delivers the outbox and then
re-reads exactly the targets of what it delivered, so the cache (server truth) shows every action
at once — most of them bump nothing a later incremental pull would list (CONTRACT §3.6)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.outbox.policy import PushOutcome, Targets, push_outbox
from modconsole.services.moderation import ModerationService
from modconsole.sync.engine import SyncEngine
from modconsole.tasks import CancelToken
from tests.core.outbox_support import answerable, client_for, demo_rows, open_service, user_id

SUPERUSER = 201
SUPERUSERS_GROUP = 41


@pytest.fixture
def env(demo_server: DemoServer, tmp_path: Path) -> Iterator[tuple[ModerationService, Cache, ApiClient]]:
    svc, cache, client = open_service(tmp_path, demo_server)
    try:
        yield svc, cache, client
    finally:
        client.close()
        cache.close()


def _one(cache: Cache, sql: str, **params: object) -> object:
    with cache.read() as conn:
        row = conn.execute(text(sql), params).first()
    return None if row is None else row[0]


def test_every_delivered_action_is_in_the_cache_after_the_push(
    env: tuple[ModerationService, Cache, ApiClient], demo_server: DemoServer
) -> None:
    svc, cache, _client = env
    (tid, pid, _), (tid2, _, _) = answerable(demo_server, solved=False, limit=2)
    like_target = int(
        demo_rows(
            demo_server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 3 AND user_id != 2", tid2
        )[0][0]
    )
    wen, felix, rosa = (user_id(demo_server, n) for n in ("wen_meyer", "felix_hoffmann", "rosa_haddad"))
    svc.accept_answer(pid)
    svc.award_badge("Superuser", "wen_meyer")
    svc.revoke_badge("Superuser", "rosa_haddad")
    svc.add_group_member("superusers", "felix_hoffmann")
    svc.set_trust_level("wen_meyer", 3)
    svc.reply(tid2, "Thanks, a moderator will follow up on this.")
    svc.like_post(like_target)
    svc.close_topic(tid2)
    demo_server.clear_requests()

    outcome = push_outbox(svc)

    assert isinstance(outcome, PushOutcome) and outcome.breaker is None and outcome.refresh_error is None
    assert outcome.delivered == 8 and outcome.still_queued == 0 and not outcome.failed
    assert outcome.online is True
    # exactly the delivered actions' targets were re-read
    assert outcome.refreshed == Targets(
        topic_ids=frozenset({tid, tid2}),
        user_ids=frozenset({wen}),
        group_ids=frozenset({SUPERUSERS_GROUP}),
        badge_ids=frozenset({SUPERUSER}),
    )
    reads = {r.path for r in demo_server.requests if r.method == "GET"}
    assert {f"/t/{tid}.json", f"/t/{tid2}.json", f"/admin/users/{wen}.json"} <= reads
    # … and the cache holds the server's state for each of them
    assert _one(cache, "SELECT post_id FROM solutions WHERE topic_id = :t", t=tid) == pid
    assert _one(cache, "SELECT has_accepted_answer FROM topics WHERE id = :t", t=tid) == 1
    assert _one(cache, "SELECT closed FROM topics WHERE id = :t", t=tid2) == 1
    assert _one(cache, "SELECT trust_level FROM users WHERE id = :u", u=wen) == 3
    held = "SELECT count(*) FROM user_badges WHERE user_id = :u AND badge_id = :b AND gone_since IS NULL"
    assert _one(cache, held, u=wen, b=SUPERUSER) == 1
    assert _one(cache, held, u=rosa, b=SUPERUSER) == 0
    member = "SELECT count(*) FROM group_members WHERE group_id = :g AND user_id = :u AND gone_since IS NULL"
    assert _one(cache, member, g=SUPERUSERS_GROUP, u=felix) == 1
    reply = "SELECT count(*) FROM posts WHERE topic_id = :t AND cooked LIKE '%a moderator will follow up%'"
    assert _one(cache, reply, t=tid2) == 1
    # nothing left for the overlay to stand in for (a like shows on no mirror row of ours)
    assert {r.kind for r in svc.unsettled()} <= {"like_post"}
    assert outcome.changes.touches("topics", tid) and outcome.changes.touches("users", wen)
    assert outcome.changes.outbox and outcome.changes.user_badges

    # nothing queued: nothing sent, nothing re-read beyond what is still unsettled
    again = push_outbox(svc)
    assert again.delivered == 0 and again.writes == 0


def test_a_failed_re_read_keeps_the_delivery_and_says_so(
    env: tuple[ModerationService, Cache, ApiClient], demo_server: DemoServer
) -> None:
    svc, cache, _client = env
    ((tid, pid, _),) = answerable(demo_server, solved=False, limit=1)
    svc.accept_answer(pid)
    with socket.socket() as s:  # a port nobody listens on: the re-read cannot reach the server
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    unreachable = client_for(demo_server, base_url=f"http://127.0.0.1:{dead}")
    try:
        outcome = push_outbox(svc, SyncEngine(unreachable, cache), CancelToken())
    finally:
        unreachable.close()
    assert outcome.delivered == 1 and outcome.refresh_error and outcome.refresh_offline
    assert outcome.online is False and outcome.refreshed == Targets()
    assert outcome.changes.touches("topics", tid)  # the views look again anyway
    # delivered for good; the overlay keeps showing it until a re-read succeeds
    assert svc.overlay().accepted == {tid: pid}
    assert [r.kind for r in svc.unsettled()] == ["accept_answer"]
    assert push_outbox(svc).refreshed.topic_ids == {tid}  # the next push re-reads it
    assert svc.overlay().accepted == {} and svc.unsettled() == []
    assert _one(cache, "SELECT post_id FROM solutions WHERE topic_id = :t", t=tid) == pid


def test_nothing_to_push_reads_nothing(
    env: tuple[ModerationService, Cache, ApiClient], demo_server: DemoServer
) -> None:
    svc, _cache, _client = env
    demo_server.clear_requests()
    outcome = push_outbox(svc)
    assert outcome.delivered == 0 and outcome.online is None and not outcome.refreshed.any()
    assert [r for r in demo_server.requests if r.method == "GET" and not r.path.startswith("/session")] == []
