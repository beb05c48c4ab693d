"""Enqueue: validation against the cache, the outbox row in the same transaction, coalescing,
the pending overlay over untouched mirror tables, Changes, and disk-full (nothing saved)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.errors import DiskFull
from modconsole.services.moderation import ActionRefused, ModerationService
from tests.core.outbox_support import answerable, demo_rows, open_service, user_id


@pytest.fixture
def env(demo_server: DemoServer, tmp_path: Path) -> Iterator[tuple[ModerationService, Cache, DemoServer]]:
    svc, cache, client = open_service(tmp_path, demo_server)
    try:
        yield svc, cache, demo_server
    finally:
        client.close()
        cache.close()


def _mirror(cache: Cache, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with cache.read() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def refused(fn: Any, *args: Any, **kw: Any) -> str:
    with pytest.raises(ActionRefused) as info:
        fn(*args, **kw)
    return info.value.user_message


def test_badge_validation_messages(env: tuple[ModerationService, Cache, DemoServer]) -> None:
    svc, cache, server = env
    site = server.base_url
    assert "No badge “Beta Tester” exists" in refused(svc.award_badge, "Beta Tester", "wen_meyer")
    with cache.write() as conn:  # what an admin's mirror knows: the badge exists but is disabled
        repo.upsert_badges(conn, [{"id": 204, "name": "Beta Tester", "enabled": False}])
    assert "“Beta Tester” is disabled" in refused(svc.award_badge, "beta tester", "wen_meyer")
    assert "awarded automatically" in refused(svc.award_badge, "Nice Reply", "wen_meyer")
    assert "@rosa_haddad already holds “Superuser”" in refused(svc.award_badge, "Superuser", "rosa_haddad")
    assert "No member @nobody_here is known" in refused(svc.award_badge, "Superuser", "nobody_here")
    assert "@hugo_vogel is suspended until 2026-12-01" in refused(svc.award_badge, "Superuser", "hugo_vogel")
    assert "add a reason link" in refused(svc.award_badge, "Problem Solver", "wen_meyer")
    assert "must be a link to a post on 127.0.0.1" in refused(
        svc.award_badge, "Superuser", "wen_meyer", reason="https://elsewhere.example/t/x/7/2"
    )
    assert "link to a topic or post" in refused(
        svc.award_badge, "Superuser", "wen_meyer", reason=f"{site}/about"
    )
    assert "does not hold “Community Champion”" in refused(
        svc.revoke_badge, "Community Champion", "wen_meyer"
    )
    with cache.write() as conn:  # the pull found the member deleted
        conn.execute(
            text("UPDATE users SET gone_since = '2026-01-01T00:00:00.000Z' WHERE username = 'sam_fischer'")
        )
    assert "@sam_fischer was deleted" in refused(svc.award_badge, "Superuser", "sam_fischer")
    assert svc.counts()["pending"] == 0  # nothing refused was saved


def test_solved_group_and_trust_level_messages(env: tuple[ModerationService, Cache, DemoServer]) -> None:
    svc, _cache, server = env
    ((tid, pid, _pn),) = answerable(server, solved=False, limit=1)
    question = demo_rows(server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 1", tid)[0][0]
    assert "the question itself" in refused(svc.accept_answer, question)
    off = demo_rows(
        server,
        "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id "
        "JOIN categories c ON c.id = t.category_id "
        "WHERE c.enable_accepted_answers = 0 AND c.read_restricted = 0 AND p.post_number = 2 "
        "AND p.deleted_at IS NULL AND t.deleted_at IS NULL LIMIT 1",
    )[0][0]
    assert "does not use accepted answers" in refused(svc.accept_answer, off)
    assert "is not the accepted answer" in refused(svc.unaccept_answer, pid)
    assert "Post 999999 is not known" in refused(svc.accept_answer, 999999)
    assert "automatic group" in refused(svc.add_group_member, "trust_level_2", "wen_meyer")
    assert "already a member of “superusers”" in refused(svc.add_group_member, "superusers", "rosa_haddad")
    assert "is not a member of “superusers”" in refused(svc.remove_group_member, "superusers", "wen_meyer")
    assert "No group “nope” is known" in refused(svc.add_group_member, "nope", "wen_meyer")
    for bad in (5, -1, "high"):
        assert "Trust level must be 0 (new user) to 4 (leader)" in refused(
            svc.set_trust_level, "wen_meyer", bad
        )
    assert "already at trust level 1 (basic)" in refused(svc.set_trust_level, "wen_meyer", 1)
    assert "title is too short" in refused(svc.create_topic, "Hi", "Some body text")
    assert "reply is empty" in refused(svc.reply, tid, " ")
    assert svc.counts()["pending"] == 0


def test_member_key_is_refused_early(demo_server: DemoServer, tmp_path: Path) -> None:
    svc, cache, client = open_service(tmp_path, demo_server, role="member", fill=False)
    try:
        assert svc.permissions().role == "member"
        msg = refused(svc.award_badge, "Superuser", "wen_meyer")
        assert "a member" in msg and "only moderators and admins" in msg
        assert "only moderators and admins" in refused(svc.set_trust_level, "wen_meyer", 2)
    finally:
        client.close()
        cache.close()


def test_overlay_pending_mirror_untouched_and_changes(
    env: tuple[ModerationService, Cache, DemoServer],
) -> None:
    svc, cache, server = env
    ((tid, pid, _pn),) = answerable(server, solved=False, limit=1)
    wen = user_id(server, "wen_meyer")
    before = _mirror(cache, "SELECT COUNT(*) FROM user_badges") + _mirror(
        cache, "SELECT COUNT(*) FROM solutions"
    )
    q1 = svc.accept_answer(pid, note="clear answer")
    q2 = svc.award_badge(
        "Superuser", "wen_meyer", reason=f"{server.base_url}/t/x/{tid}/2", note="helped a lot"
    )
    q3 = svc.add_group_member("superusers", "wen_meyer")
    q4 = svc.set_trust_level("wen_meyer", 3)
    assert q3.changes.group_ids == {41} and q4.changes.user_ids == {wen} and not q4.changes.user_badges
    assert q1.changes.touches("topics", tid) and q1.changes.touches("posts", pid)
    assert q1.changes.outbox_ids == {q1.outbox_id} and not q1.changes.touches("users")
    assert q2.changes.user_ids == {wen} and q2.changes.badge_ids == {201} and q2.changes.user_badges
    ov = svc.overlay()
    assert ov.accepted == {tid: pid}
    assert (wen, 201) in ov.grants and (41, wen) in ov.group_adds and ov.trust_levels == {wen: 3}
    # server truth is untouched: the mirror still says what the server said
    after = _mirror(cache, "SELECT COUNT(*) FROM user_badges") + _mirror(
        cache, "SELECT COUNT(*) FROM solutions"
    )
    assert after == before
    assert _mirror(cache, "SELECT trust_level FROM users WHERE id = :u", u=wen) == [(1,)]
    rows = {r.op_uuid: r for r in svc.outbox()}
    assert rows[q2.op_uuid].payload["reason_post_id"] is not None and rows[q2.op_uuid].note == "helped a lot"
    assert all(r.state == "pending" for r in rows.values())
    # the overlay makes a second identical intent a validation error
    assert "already holds" in refused(svc.award_badge, "Superuser", "wen_meyer", reason=f"/t/x/{tid}/2")
    assert "already at trust level 3" in refused(svc.set_trust_level, "wen_meyer", 3)
    assert server.request_count("POST") == 0 and server.request_count("PUT") == 0  # nothing sent yet


def test_coalescing(env: tuple[ModerationService, Cache, DemoServer]) -> None:
    svc, _cache, server = env
    g = svc.award_badge("Superuser", "wen_meyer")
    r = svc.revoke_badge("Superuser", "wen_meyer")
    assert set(r.cancelled) == {g.op_uuid, r.op_uuid} and r.coalesced
    states = {x.op_uuid: (x.state, x.resolution) for x in svc.outbox()}
    assert states[g.op_uuid] == states[r.op_uuid] == ("cancelled", "coalesced")
    a = svc.add_group_member("superusers", "wen_meyer")
    b = svc.remove_group_member("superusers", "wen_meyer")
    assert set(b.cancelled) == {a.op_uuid, b.op_uuid}
    ((_tid, pid_a, _),) = answerable(server, solved=False, limit=1)
    tid = _tid
    other = demo_rows(server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 3", tid)[0][0]
    first = svc.accept_answer(pid_a)
    second = svc.accept_answer(other)
    assert second.cancelled == (first.op_uuid,)
    states = {x.op_uuid: (x.state, x.resolution) for x in svc.outbox()}
    assert states[first.op_uuid] == ("cancelled", "superseded") and states[second.op_uuid] == (
        "pending",
        None,
    )
    assert svc.overlay().accepted == {tid: other}
    assert svc.counts()["pending"] == 1


def test_disk_full_reports_not_saved_and_keeps_earlier_rows(
    env: tuple[ModerationService, Cache, DemoServer],
) -> None:
    svc, cache, _server = env
    kept = [svc.set_trust_level("wen_meyer", 2, note="x").op_uuid]
    with cache.read() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())

    def full(dbapi: Any, _rec: Any) -> None:  # the file may not grow: the disk is full
        dbapi.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(cache.engine, "connect", full)
    cache.engine.pool.dispose()
    try:
        with pytest.raises(DiskFull) as info:
            for i in range(500):
                kept.append(svc.create_topic(f"Nomination number {i}", "b" * 1500, note="n" * 2000).op_uuid)
        assert "not saved" in info.value.user_message
    finally:
        event.remove(cache.engine, "connect", full)
        cache.engine.pool.dispose()
    rows = svc.outbox()
    assert [
        r.op_uuid for r in rows
    ] == kept  # every action reported as queued is there, the failed one is not
    assert all(r.state == "pending" for r in rows) and len(kept) >= 2
    with cache.read() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"


def test_week_old_undelivered_action_is_flagged_stale_but_kept(
    env: tuple[ModerationService, Cache, DemoServer],
) -> None:
    svc, cache, _server = env
    q = svc.set_trust_level("wen_meyer", 2)
    row = svc.get(q.op_uuid)
    assert row is not None and not row.stale and row.choices == ("discard",)
    with cache.write() as conn:
        conn.execute(text("UPDATE outbox SET created_at = '2020-01-01T00:00:00.000Z'"))
    row = svc.get(q.op_uuid)
    assert row is not None and row.stale and row.state == "pending"
