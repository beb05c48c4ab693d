"""Push against the demo server over loopback: one request per action, the fault classes of
SYNC.md §7 that apply to writes, conflicts and the moderator's choices, lease, audit journal. The
last part runs on both platforms (the ``community`` fixture): exactly-once for each kind under a
lost answer, an award pushed twice, an answer accepted by a teammate meanwhile."""

from __future__ import annotations

import csv
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import text

from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer, FaultRule
from modconsole.errors import InvalidInput
from modconsole.outbox import store
from modconsole.services.moderation import ModerationService, Queued, _mirror_agrees
from modconsole.workspace import Workspace
from tests.core.community import Community
from tests.core.outbox_support import (
    accepted_post,
    answerable,
    client_for,
    demo_rows,
    fill_cache,
    grant_count,
    open_service,
    user_id,
)

SUPERUSER = 201


@dataclass
class Env:
    svc: ModerationService
    cache: Cache
    client: ApiClient
    server: DemoServer
    admin: ApiClient

    def states(self) -> dict[str, tuple[str, str | None]]:
        return {r.op_uuid: (r.state, r.resolution) for r in self.svc.outbox()}


@pytest.fixture
def env(demo_server: DemoServer, tmp_path: Path) -> Iterator[Env]:
    svc, cache, client = open_service(tmp_path, demo_server)
    admin = client_for(demo_server, "admin")
    try:
        yield Env(svc, cache, client, demo_server, admin)
    finally:
        admin.close()
        client.close()
        cache.close()


def _integrity(cache: Cache) -> None:
    with cache.read() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"


def test_one_write_per_action_and_server_state(env: Env) -> None:
    svc, server = env.svc, env.server
    (tid, pid, _), (tid2, _pid2, _) = answerable(server, solved=False, limit=2)
    like_target = demo_rows(
        server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 3 AND user_id != 2", tid2
    )[0][0]
    wen, felix = user_id(server, "wen_meyer"), user_id(server, "felix_hoffmann")
    queued = [
        svc.accept_answer(pid, note="resolves the question"),
        svc.award_badge("Superuser", "wen_meyer", reason=f"{server.base_url}/t/x/{tid}/2", note="nominated"),
        svc.revoke_badge("Superuser", "rosa_haddad", note="left the company"),
        svc.add_group_member("superusers", "felix_hoffmann"),
        svc.remove_group_member("superusers", "rosa_haddad"),
        svc.set_trust_level("wen_meyer", 3),
        svc.reply(tid2, "Thanks, a moderator will follow up on this."),
        svc.like_post(like_target),
        svc.create_topic("Superuser nomination: wen_meyer", "Please second this nomination."),
        svc.close_topic(tid2),
    ]
    server.clear_requests()
    report = svc.dispatcher().push()
    assert report.breaker is None and report.deferred == 0
    assert sorted(report.done) == sorted(q.op_uuid for q in queued)
    assert all(v == ("done", "applied") for v in env.states().values())
    writes = [r for r in server.requests if r.method != "GET"]
    assert len(writes) == len(queued) == report.writes  # exactly one write request per action
    reads = [r for r in server.requests if r.method == "GET"]
    # the only reads: the accept precheck and one suspension/silence list each for the whole push
    assert sorted(r.path for r in reads) == sorted(
        [f"/t/{tid}.json", "/admin/users/list/suspended.json", "/admin/users/list/silenced.json"]
    )
    assert accepted_post(server, tid) == pid
    assert grant_count(server, SUPERUSER, wen) == 1
    assert grant_count(server, SUPERUSER, user_id(server, "rosa_haddad")) == 0
    members = {r[0] for r in demo_rows(server, "SELECT user_id FROM group_users WHERE group_id = 41")}
    assert felix in members and user_id(server, "rosa_haddad") not in members
    assert demo_rows(server, "SELECT trust_level FROM users WHERE id = ?", wen) == [(3,)]
    assert demo_rows(server, "SELECT closed FROM topics WHERE id = ?", tid2) == [(1,)]
    assert demo_rows(server, "SELECT COUNT(*) FROM likes WHERE post_id = ? AND user_id = 2", like_target) == [
        (1,)
    ]
    assert demo_rows(
        server, "SELECT COUNT(*) FROM topics WHERE title = 'Superuser nomination: wen_meyer'"
    ) == [(1,)]
    # delivered, but the mirror has not re-read them yet: the overlay keeps showing them
    assert {r.state for r in svc.overlay().rows} == {"done"} and svc.overlay().accepted == {tid: pid}
    fill_cache(env.cache, env.client, rescan=True)
    ov = svc.overlay()  # the rescan re-read the topic: the mirror now shows the accepted answer itself
    assert tid not in ov.accepted and all(r.state == "done" for r in ov.rows)
    with env.cache.read() as conn:  # what is still overlaid is exactly what the mirror does not show yet
        assert not any(_mirror_agrees(conn, r) for r in ov.rows)
        assert conn.execute(text("SELECT post_id FROM solutions WHERE topic_id = :t"), {"t": tid}).all() == [
            (pid,)
        ]
    _integrity(env.cache)


def test_500_before_apply_is_verified_absent_then_sent_again(env: Env) -> None:
    wen = user_id(env.server, "wen_meyer")
    q = env.svc.award_badge("Superuser", "wen_meyer")
    env.server.add_fault(FaultRule("status", "POST", "/user_badges.json", status=500, count=1))
    report = env.svc.dispatcher().push()
    assert env.states()[q.op_uuid] == ("done", "applied") and report.writes == 2
    assert env.server.request_count("POST", "/user_badges.json") == 2
    assert grant_count(env.server, SUPERUSER, wen) == 1
    with env.cache.read() as conn:
        kinds = [(a["kind"], a["outcome"]) for a in store.attempts_of(conn, q.outbox_id)]
    assert (
        ("send", "ambiguous") in kinds and ("verify", "absent") in kinds and kinds[-1] == ("send", "applied")
    )


def test_rate_limit_storm_keeps_rows_pending_never_failed(env: Env) -> None:
    qs = [env.svc.set_trust_level(u, 2) for u in ("wen_meyer", "felix_hoffmann", "sam_fischer")]
    env.server.add_fault(FaultRule("rate_limit", "PUT", "*", seconds=30.0))  # every write: 429, 30 s
    report = env.svc.dispatcher().push()
    assert report.writes >= 1 and not report.failed and not report.conflicts
    assert {s for s, _ in env.states().values()} == {"pending"}
    rows = env.svc.outbox()
    assert [r.attempts for r in rows] == [
        1,
        0,
        0,
    ]  # after the first 429 nothing else is sent before Retry-After
    assert rows[0].last_http_status == 429 and env.server.request_count("PUT") == 1
    env.server.clear_faults()
    env.client.pacer.clear_pause()
    with env.cache.write() as conn:  # the Retry-After time has passed
        conn.execute(text("UPDATE outbox SET next_attempt_at = NULL"))
    env.svc.dispatcher().push()
    assert all(env.states()[q.op_uuid] == ("done", "applied") for q in qs)
    assert env.server.request_count("PUT") >= 3


def test_short_429s_are_waited_out_in_the_same_push(env: Env) -> None:
    q = env.svc.set_trust_level("wen_meyer", 2)
    env.server.add_fault(FaultRule("rate_limit", "PUT", "*", seconds=0.05, count=4))
    env.svc.options = replace(env.svc.options, max_wait=5.0)  # Retry-After is whole seconds
    report = env.svc.dispatcher().push()
    assert env.states()[q.op_uuid] == ("done", "applied") and not report.failed
    assert demo_rows(env.server, "SELECT trust_level FROM users WHERE username = 'wen_meyer'") == [(2,)]


def test_read_only_pauses_the_queue(env: Env) -> None:
    q = env.svc.award_badge("Superuser", "wen_meyer")
    env.server.add_fault(FaultRule("read_only", "POST", "*"))
    report = env.svc.dispatcher().push()
    assert report.breaker == "read_only" and "read-only" in report.message
    assert env.states()[q.op_uuid] == ("pending", None) and not report.failed
    env.server.clear_faults()
    env.svc.dispatcher().push()
    assert env.states()[q.op_uuid] == ("done", "applied")
    assert grant_count(env.server, SUPERUSER, user_id(env.server, "wen_meyer")) == 1


def test_403_everywhere_opens_the_auth_breaker(env: Env) -> None:
    q1 = env.svc.set_trust_level("wen_meyer", 2)
    q2 = env.svc.set_trust_level("felix_hoffmann", 2)
    env.server.add_fault(FaultRule("status", "*", "*", status=403))
    report = env.svc.dispatcher().push()
    assert report.breaker == "auth"
    assert env.states()[q1.op_uuid] == ("pending", None) and env.states()[q2.op_uuid] == ("pending", None)
    assert env.server.request_count("PUT") == 1  # the queue stopped after the first refusal
    env.server.clear_faults()  # the moderator signed in again
    assert env.svc.dispatcher().push().breaker is None
    assert {env.states()[q.op_uuid] for q in (q1, q2)} == {("done", "applied")}


def test_revoked_key_opens_the_auth_breaker(env: Env) -> None:
    q = env.svc.set_trust_level("wen_meyer", 2)
    env.client.post_json("/user-api-key/revoke")
    report = env.svc.dispatcher().push()
    assert report.breaker == "auth" and env.states()[q.op_uuid] == ("pending", None)


def test_deleted_topic_is_a_conflict_target_gone(env: Env) -> None:
    (tid, pid, _), (tid2, _, _) = answerable(env.server, solved=False, limit=2)
    acc = env.svc.accept_answer(pid)
    rep = env.svc.reply(tid2, "Following up on this one.")
    env.admin.delete_json(f"/t/{tid}.json")
    env.admin.delete_json(f"/t/{tid2}.json")
    report = env.svc.dispatcher().push()
    assert env.states()[acc.op_uuid] == ("conflict", "target_gone")
    assert env.states()[rep.op_uuid] == ("conflict", "target_gone")
    assert sorted(report.conflicts) == sorted([acc.op_uuid, rep.op_uuid])
    assert env.server.request_count("POST", "/solution/accept.json") == 0  # the precheck saw it first
    row = env.svc.get(rep.op_uuid)
    assert row is not None and row.last_http_status == 404 and row.choices == ("retry", "discard")
    env.svc.resolve(rep.op_uuid, "discard", note="topic was spam")
    assert env.states()[rep.op_uuid] == ("cancelled", "by_moderator")
    env.svc.dispatcher().push()  # nothing retried on its own
    assert env.server.request_count("POST", "/posts.json") == 1


def test_member_already_in_group_is_already_applied(env: Env) -> None:
    q = env.svc.add_group_member("superusers", "wen_meyer")
    env.admin.put_json("/groups/41/members.json", {"usernames": "wen_meyer"})
    env.svc.dispatcher().push()
    assert env.states()[q.op_uuid] == ("done", "already_applied")
    row = env.svc.get(q.op_uuid)
    assert row is not None and row.last_http_status == 422


def test_suspended_since_queueing_needs_confirmation(env: Env) -> None:
    wen = user_id(env.server, "wen_meyer")
    q = env.svc.award_badge("Superuser", "wen_meyer")
    env.admin.put_json(f"/admin/users/{wen}/suspend.json", {"suspend_until": "2099-01-01", "reason": "spam"})
    env.svc.dispatcher().push()
    assert env.states()[q.op_uuid] == ("conflict", "needs_confirmation")
    assert grant_count(env.server, SUPERUSER, wen) == 0  # never granted silently
    env.svc.resolve(q.op_uuid, "apply_anyway", note="earned before the suspension")
    env.svc.dispatcher().push()
    assert env.states()[q.op_uuid] == ("done", "applied") and grant_count(env.server, SUPERUSER, wen) == 1


def test_in_flight_rows_at_start_up_are_verified_not_resent(env: Env) -> None:
    wen, felix = user_id(env.server, "wen_meyer"), user_id(env.server, "felix_hoffmann")
    applied = env.svc.award_badge("Superuser", "wen_meyer")
    lost = env.svc.award_badge("Superuser", "felix_hoffmann")
    with env.cache.write() as conn:  # a crash after the in_flight commit (one request arrived, one did not)
        assert store.take_lease(conn, "crashed-console")[0]
        for q in (applied, lost):
            assert store.mark_in_flight(
                conn, q.outbox_id, "crashed", "POST /user_badges.json", 0.0, owner="crashed-console"
            )
        conn.execute(text("UPDATE dispatcher_lease SET pid = 2147483600"))  # that process is gone
    env.admin.post_json("/user_badges.json", {"username": "wen_meyer", "badge_id": SUPERUSER})
    env.server.clear_requests()
    env.svc.dispatcher().push()
    assert env.states()[applied.op_uuid] == ("done", "already_applied")
    assert env.states()[lost.op_uuid] == ("done", "applied")
    assert env.server.request_count("POST", "/user_badges.json") == 1  # only the absent one was sent
    assert grant_count(env.server, SUPERUSER, wen) == 1 and grant_count(env.server, SUPERUSER, felix) == 1


def test_offline_rows_stay_pending_breaker_opens(env: Env, tmp_path: Path) -> None:
    q = env.svc.set_trust_level("wen_meyer", 2)
    q2 = env.svc.set_trust_level("felix_hoffmann", 2)
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    offline = client_for(env.server, base_url=f"http://127.0.0.1:{dead}")
    try:
        svc = ModerationService(
            env.cache, me=env.svc.me, site_url=env.server.base_url, client=offline, options=env.svc.options
        )
        report = svc.dispatcher().push()
        assert report.breaker == "offline" and "cannot be reached" in report.message
        assert env.states()[q.op_uuid] == ("pending", None) == env.states()[q2.op_uuid] and not report.failed
        # which rows were tried before the breaker opened depends on their back-off and the
        # machine's load (a quick retry of the first can come before the second): every try failed
        # to connect, and nothing else was recorded
        tried = [r.last_error_class for r in svc.outbox() if r.last_error_class is not None]
        assert tried and set(tried) == {"connect_error"}
    finally:
        offline.close()
    env.svc.dispatcher().push()
    assert env.states()[q2.op_uuid] == ("done", "applied")
    assert env.states()[q.op_uuid] == ("done", "applied")


def test_second_dispatcher_on_the_same_cache_stays_read_only(env: Env) -> None:
    q = env.svc.set_trust_level("wen_meyer", 2)
    with env.cache.write() as conn:  # another live console holds a fresh lease
        conn.execute(
            text("INSERT INTO dispatcher_lease(id, owner, pid, heartbeat_at) VALUES (1, 'other', :p, :h)"),
            {"p": os.getppid(), "h": store.now_iso()},
        )
    report = env.svc.dispatcher().push()
    assert report.breaker == "lease" and report.writes == 0
    assert env.states()[q.op_uuid] == ("pending", None)
    with env.cache.write() as conn:  # that console was killed: its pid is gone
        conn.execute(text("UPDATE dispatcher_lease SET pid = 2147483600"))
    assert env.svc.dispatcher().push().breaker is None and env.states()[q.op_uuid] == ("done", "applied")


def test_audit_journal_csv(env: Env, tmp_path: Path) -> None:
    ((tid, pid, _),) = answerable(env.server, solved=False, limit=1)
    theirs = demo_rows(env.server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 3", tid)[0][0]
    a = env.svc.award_badge("Superuser", "wen_meyer", note="=HYPERLINK(evil)")
    b = env.svc.accept_answer(pid, note="clear answer")
    env.admin.post_json("/solution/accept.json", {"id": theirs})
    env.svc.dispatcher().push()
    env.svc.resolve(b.op_uuid, "discard", note="keep theirs")
    out = tmp_path / "audit.csv"
    assert env.svc.export_audit_csv(out) == 2
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["op_uuid"]: r for r in csv.DictReader(fh)}
    ra, rb = rows[a.op_uuid], rows[b.op_uuid]
    assert ra["created_by"] == "dana_nakamura" and ra["state"] == "done" and ra["resolution"] == "applied"
    assert ra["note"] == "'=HYPERLINK(evil)"  # spreadsheet formula neutralised
    assert "user_badge" in ra["server_response"] and "POST /user_badges.json -> 200" in ra["request_log"]
    assert ra["action"] == "Award badge “Superuser” to @wen_meyer"
    assert rb["state"] == "cancelled" and "discard (keep theirs)" in rb["decisions"]
    assert "changed_remotely" not in rb["resolution"] and "precheck GET /t/" in rb["request_log"]
    assert env.svc.export_audit_csv(tmp_path / "none.csv", since="2999-01-01") == 0


def test_group_permission_lost_is_forbidden_and_remembered(env: Env, tmp_path: Path) -> None:
    q = env.svc.add_group_member("superusers", "wen_meyer")
    env.server.set_setting("moderators_manage_groups", False)  # an admin changed the site setting meanwhile
    env.svc.dispatcher().push()
    row = env.svc.get(q.op_uuid)
    assert (
        row is not None
        and (row.state, row.resolution) == ("failed", "forbidden")
        and row.last_http_status == 403
    )
    assert "may not do this" in (row.last_error or "")
    assert env.svc.permissions().group_overrides == {"41": False}  # observed and cached
    with pytest.raises(InvalidInput, match="cannot manage the group “superusers”"):
        env.svc.add_group_member("superusers", "felix_hoffmann")  # refused early from now on
    # a console that probes afresh learns it up front
    other, cache, client = open_service(tmp_path, env.server, name="fresh", fill=False)
    try:
        with cache.write() as conn:
            conn.execute(text("INSERT INTO groups(id, name, automatic) VALUES (41, 'superusers', 0)"))
        assert other.probe_permissions(force=True).manage_groups is False
    finally:
        client.close()
        cache.close()


# ---------------------------------------------------------------- the same on both platforms

CHAMPION = 203
""""Community Champion": awarded by hand, held once."""


def test_an_offline_award_pushed_twice_lands_exactly_once(community: Community) -> None:
    uid, name = community.member_without_badge(CHAMPION)
    cache = community.tmp_path / "offline.sqlite3"
    with community.open(cache=cache, sync=True) as ws:
        q = ws.moderation.award_badge("Community Champion", name, note="offline")  # saved, not sent
    assert community.grants(CHAMPION, uid) == 0
    community.drop_next("award", badge=CHAMPION)  # the first send lands, its answer is lost
    community.server.clear_requests()
    for _ in range(2):  # two pushes, as from two sittings
        with community.open(cache=cache) as ws:
            ws.push()
    assert community.grants(CHAMPION, uid) == 1 and community.writes("award", badge=CHAMPION) == 1
    with community.open(cache=cache) as ws:
        row = ws.moderation.get(q.op_uuid)
        assert row is not None and (row.state, row.resolution) == ("done", "already_applied")
        with ws.cache.read() as conn:  # the push re-read the member's badges
            held = conn.exec_driver_sql(
                "SELECT count(*) FROM user_badges WHERE user_id = ? AND badge_id = ? AND gone_since IS NULL",
                (uid, CHAMPION),
            ).scalar()
        assert held == 1


def test_each_kind_lands_once_when_the_answer_is_lost(community: Community) -> None:
    """Revoke, group add and remove, reply and like: the write lands, its answer is lost, the
    verification finds it applied (never sent twice); a reply carries its invisible token."""
    holder, group = min(community.badge_holders(CHAMPION)), 41  # 41: the superusers group
    uid, name = community.member_without_badge(CHAMPION)
    assert uid not in community.group_members(group)
    ((tid, _),) = community.questions_with_answers()
    my_id = int(community.rows("SELECT id FROM users WHERE username = ?", community.username())[0][0])
    pid = next(  # a reply by someone else the moderator has not liked yet
        p
        for (p,) in community.rows(
            "SELECT id FROM posts WHERE post_number > 1 AND post_type = 1 AND deleted_at IS NULL "
            "AND topic_id = ? AND user_id <> ? ORDER BY id",
            tid,
            my_id,
        )
        if my_id not in community.likes(p)
    )
    with community.open(sync=True) as ws:
        mod = ws.moderation
        with ws.cache.read() as conn:
            gname = str(conn.exec_driver_sql(f"SELECT name FROM groups WHERE id = {group}").scalar())
            hname = str(conn.exec_driver_sql(f"SELECT username FROM users WHERE id = {holder}").scalar())
        steps: list[tuple[str, dict[str, int], Callable[[], Queued]]] = [
            (
                "revoke",
                {"badge": CHAMPION, "user": holder},
                lambda: mod.revoke_badge("Community Champion", hname),
            ),
            ("add_member", {"group": group}, lambda: mod.add_group_member(gname, name)),
            ("remove_member", {"group": group, "user": uid}, lambda: mod.remove_group_member(gname, name)),
            ("like", {"post": pid}, lambda: mod.like_post(pid)),
            ("reply", {}, lambda: mod.reply(tid, "Thanks, this helps — could you share your config too?")),
        ]
        for action, ids, queue in steps:
            community.drop_next(action, **ids)
            community.server.clear_requests()
            q = queue()
            ws.push()
            row = mod.get(q.op_uuid)
            assert row is not None and (row.state, row.resolution) == ("done", "already_applied"), action
            assert community.writes(action, **ids) == 1, action
        me = mod.me
    assert community.grants(CHAMPION, holder) == 0 and uid not in community.group_members(group)
    assert my_id in community.likes(pid)
    assert community.last_reply(tid) == (
        f"Thanks, this helps — could you share your config too?\n\n<!-- mc:{q.op_uuid} -->",
        me,
    )


def _cached_answers(ws: Workspace, topic_id: int) -> set[int]:
    with ws.cache.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT post_id FROM solutions WHERE topic_id = ? AND gone_since IS NULL", (topic_id,)
        )
        return {int(r[0]) for r in rows}


def test_accept_and_unaccept_land_once_when_the_answer_is_lost(community: Community) -> None:
    ((tid, (pid, _)),) = community.questions_with_answers()
    with community.open(sync=True) as ws:
        for action, want in (("accept", {pid}), ("unaccept", set())):
            community.drop_next(action, post=pid)
            community.server.clear_requests()
            q = ws.moderation.accept_answer(pid) if action == "accept" else ws.moderation.unaccept_answer(pid)
            ws.push()
            ws.push()  # pushed again: nothing left to send
            row = ws.moderation.get(q.op_uuid)
            assert row is not None and (row.state, row.resolution) == ("done", "already_applied"), action
            assert community.writes(action, post=pid) == 1, action
            assert community.accepted_answers(tid) == want == _cached_answers(ws, tid), action


def test_an_answer_accepted_by_a_teammate_meanwhile(community: Community) -> None:
    """One accepted answer per question: a conflict with the moderator's choices, our write never
    sent. Several accepted answers: the teammate's replaces nothing of ours."""
    (t1, (ours1, theirs1)), (t2, (ours2, theirs2)) = community.questions_with_answers(2)
    with community.open(sync=True) as ws:
        mod = ws.moderation
        q1, q2 = mod.accept_answer(ours1, note="queued offline"), mod.accept_answer(ours2)
        community.teammate_accepts(theirs1)
        community.teammate_accepts(theirs2)
        community.server.clear_requests()
        ws.push()
        rows = [mod.get(q.op_uuid) for q in (q1, q2)]
        if community.capabilities.multiple_accepted_answers:
            assert [(r.state, r.resolution) for r in rows if r] == [("done", "applied")] * 2
            assert community.accepted_answers(t1) == {ours1, theirs1} == _cached_answers(ws, t1)
            mod.unaccept_answer(ours1)  # either can be unaccepted on its own (not only the latest)
            ws.push()
            assert community.accepted_answers(t1) == {theirs1} == _cached_answers(ws, t1)
            return
        assert [(r.state, r.resolution) for r in rows if r] == [("conflict", "changed_remotely")] * 2
        assert community.writes("accept", post=ours1) == 0  # our write was never sent
        row = rows[0]
        assert row is not None and "was accepted" in (row.last_error or "")
        assert set(row.choices) == {"retry", "apply_anyway", "discard"}
        mod.resolve(q1.op_uuid, "apply-anyway", note="the earlier answer is the right one")
        mod.resolve(q2.op_uuid, "discard", note="theirs is fine")
        ws.push()
        assert [(r.state, r.resolution) for r in map(mod.get, (q1.op_uuid, q2.op_uuid)) if r] == [
            ("done", "applied"),
            ("cancelled", "by_moderator"),
        ]
        assert community.accepted_answers(t1) == {ours1} and community.accepted_answers(t2) == {theirs2}
        with pytest.raises(InvalidInput, match="you can choose"):
            mod.resolve(q1.op_uuid, "retry")
