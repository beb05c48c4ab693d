"""Two consoles (two caches; the ``moderator`` and ``moderator2`` keys) act on the same topics and
members while offline, then come online, push and sync. The server ends in a defined state, and
each console shows the conflicts it met."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from modconsole.demo.server import DemoServer
from modconsole.services.moderation import ModerationService, _mirror_agrees
from tests.core.outbox_support import (
    FAST,
    accepted_post,
    answerable,
    demo_rows,
    fill_cache,
    grant_count,
    open_service,
    user_id,
)


def test_two_consoles_offline_then_online(demo_server: DemoServer, tmp_path: Path) -> None:
    server = demo_server
    a_online, a_cache, a_client = open_service(tmp_path, server, "moderator")
    b_online, b_cache, b_client = open_service(tmp_path, server, "moderator2")
    try:
        # offline: no client at all, so nothing can reach the server; validation uses each cache
        a = ModerationService(a_cache, me=a_online.me, site_url=server.base_url, client=None, options=FAST)
        b = ModerationService(b_cache, me=b_online.me, site_url=server.base_url, client=None, options=FAST)
        (t1, p1, _), (t2, _p2, _) = answerable(server, solved=False, limit=2)
        p1b = demo_rows(server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 3", t1)[0][0]
        wen, felix = user_id(server, "wen_meyer"), user_id(server, "felix_hoffmann")
        server.clear_requests()

        a_accept = a.accept_answer(p1, note="A: post 2 answers it")
        b_accept = b.accept_answer(p1b, note="B: post 3 answers it")
        a_grant = a.award_badge("Superuser", "wen_meyer", note="A nominates")
        b_grant = b.award_badge("Superuser", "wen_meyer", note="B nominates too")
        a_add = a.add_group_member("superusers", "felix_hoffmann")
        b_add = b.add_group_member("superusers", "felix_hoffmann")
        a_tl = a.set_trust_level("wen_meyer", 3)
        b_tl = b.set_trust_level("wen_meyer", 2)
        a_reply = a.reply(t2, "We are looking into this, thanks for the details.")
        b_close = b.close_topic(t2, note="duplicate of an earlier question")
        assert server.requests == []  # everything above stayed local
        assert a.overlay().accepted == {t1: p1} and b.overlay().accepted == {t1: p1b}

        # a pull while actions are queued leaves the outbox alone (I4) and the overlay in place
        with a_cache.read() as conn:
            before = [tuple(r) for r in conn.execute(text("SELECT * FROM outbox ORDER BY id"))]
        fill_cache(a_cache, a_client)
        with a_cache.read() as conn:
            assert [tuple(r) for r in conn.execute(text("SELECT * FROM outbox ORDER BY id"))] == before
        assert a_online.overlay().accepted == {t1: p1}

        # online: A pushes first, then B
        ra = a_online.dispatcher().push()
        rb = b_online.dispatcher().push()
        assert ra.breaker is None and rb.breaker is None and ra.deferred == rb.deferred == 0
        sa = {r.op_uuid: (r.state, r.resolution) for r in a_online.outbox()}
        sb = {r.op_uuid: (r.state, r.resolution) for r in b_online.outbox()}
        assert sa == {
            a_accept.op_uuid: ("done", "applied"),
            a_grant.op_uuid: ("done", "applied"),
            a_add.op_uuid: ("done", "applied"),
            a_tl.op_uuid: ("done", "applied"),
            a_reply.op_uuid: ("done", "applied"),
        }
        assert sb == {
            b_accept.op_uuid: ("conflict", "changed_remotely"),  # never silently replaces A's choice
            b_grant.op_uuid: ("done", "already_applied"),  # the server returned A's grant
            b_add.op_uuid: ("done", "already_applied"),  # 422 member_already_exist, then the probe
            b_tl.op_uuid: ("done", "applied"),  # trust level: the last write wins
            b_close.op_uuid: ("done", "applied"),
        }
        assert rb.conflicts == [b_accept.op_uuid] and ra.conflicts == []
        conflict = b_online.get(b_accept.op_uuid)
        assert conflict is not None and "was accepted" in (conflict.last_error or "")
        assert conflict.result["evidence"]["theirs"]["post_number"] == 2

        # the server's defined end state
        assert accepted_post(server, t1) == p1
        assert grant_count(server, 201, wen) == 1  # one grant, not two
        assert demo_rows(
            server, "SELECT COUNT(*) FROM group_users WHERE group_id = 41 AND user_id = ?", felix
        ) == [(1,)]
        assert demo_rows(server, "SELECT trust_level FROM users WHERE id = ?", wen) == [(2,)]
        assert demo_rows(server, "SELECT closed FROM topics WHERE id = ?", t2) == [(1,)]
        assert server.request_count("POST", "/solution/accept.json") == 1

        # both sync: the mirrors agree with the server, only B's conflict is still shown
        fill_cache(a_cache, a_client, rescan=True)
        fill_cache(b_cache, b_client, rescan=True)
        for cache in (a_cache, b_cache):
            with cache.read() as conn:
                assert conn.execute(
                    text("SELECT post_id FROM solutions WHERE topic_id = :t"), {"t": t1}
                ).all() == [(p1,)]
                assert (
                    conn.execute(
                        text("SELECT COUNT(*) FROM user_badges WHERE badge_id = 201 AND user_id = :u"),
                        {"u": wen},
                    ).scalar_one()
                    == 1
                )
        for svc, cache in ((a_online, a_cache), (b_online, b_cache)):
            ov = svc.overlay()  # only delivered actions the mirror does not show yet stay overlaid
            assert t1 not in ov.accepted and all(r.state == "done" for r in ov.rows)
            with cache.read() as conn:
                assert not any(_mirror_agrees(conn, r) for r in ov.rows)
        assert [r.op_uuid for r in b_online.outbox(("conflict",))] == [b_accept.op_uuid]
        assert a_online.outbox(("conflict", "failed")) == []
        # B keeps A's answer: the conflict is closed by a recorded decision
        b_online.resolve(b_accept.op_uuid, "discard", note="A's answer is fine")
        assert b_online.outbox(("conflict",)) == []
    finally:
        for c in (a_client, b_client):
            c.close()
        a_cache.close()
        b_cache.close()
