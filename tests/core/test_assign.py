"""Assign in the core against the demo community over loopback HTTP: the mirror filled by one list
walk per sync, assign / unassign through the outbox exactly once (also when the answer is lost after
the community applied it), a teammate who took the topic first as a conflict naming them, and the
command line."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer, FaultRule
from modconsole.exitcodes import ExitCode
from modconsole.outbox import store
from modconsole.services.assign import AssignService
from modconsole.services.moderation import ActionRefused, ModerationService
from tests.core.outbox_support import (
    OpStates,
    assert_outbox_check_holds,
    cache_at,
    demo_rows,
    opened_service,
)
from tests.core.outbox_support import run_cli as _run
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration

ASSIGN = "/assign/assign.json"


@dataclass
class Env(OpStates):
    server: DemoServer
    svc: ModerationService
    assign: AssignService
    cache: Cache
    client: ApiClient

    @property
    def me(self) -> str:
        return self.server.credentials.moderator.username

    @property
    def other(self) -> str:
        return self.server.credentials.moderator2.username


@pytest.fixture
def env(demo_server: DemoServer, tmp_path: Path) -> Iterator[Env]:
    with opened_service(tmp_path, demo_server) as (svc, cache, client):
        yield Env(demo_server, svc, AssignService(cache, client, svc), cache, client)


def _topics(server: DemoServer, n: int = 3) -> list[int]:
    return [
        int(i)
        for (i,) in demo_rows(
            server,
            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id WHERE t.deleted_at IS NULL "
            "AND c.read_restricted = 0 AND t.archetype = 'regular' ORDER BY t.id LIMIT ?",
            n,
        )
    ]


def _server_assign(server: DemoServer, role: str, topic: int, **who: str) -> int:
    headers = getattr(server.credentials, role).headers()
    with httpx.Client(base_url=server.base_url, timeout=WAIT_S) as c:
        path = "/assign/unassign.json" if not who else ASSIGN
        return c.put(
            path, data={"target_id": topic, "target_type": "Topic", **who}, headers=headers
        ).status_code


def _tracking(server: DemoServer, topic: int) -> list[str]:
    return [
        str(c)
        for (c,) in demo_rows(
            server,
            "SELECT action_code FROM posts WHERE topic_id = ? AND action_code LIKE '%assign%' ORDER BY id",
            topic,
        )
    ]


def _holder(server: DemoServer, topic: int) -> tuple[Any, ...] | None:
    rows = demo_rows(
        server, "SELECT assigned_to_type, assigned_to_id FROM assignments WHERE topic_id = ?", topic
    )
    return rows[0] if rows else None


def test_sync_mirrors_who_holds_what_in_one_request(env: Env) -> None:
    a, b, c = _topics(env.server)
    assert _server_assign(env.server, "moderator2", a, username=env.me) == 200
    assert _server_assign(env.server, "moderator2", b, group_name="employees") == 200
    env.server.clear_requests()
    rep = env.assign.sync()
    assert rep.available is True and rep.assigned == 2 and rep.requests == 1
    assert env.server.request_count("GET", "/latest.json") == 1
    holders = env.assign.holders()
    assert holders[a].user == env.me and holders[a].mine and not holders[a].pending
    assert holders[b].group == "employees" and holders[b].label == "@employees"
    assert a in env.assign.mine_ids() and c not in env.assign.assigned_ids()
    # unassigned elsewhere: the next walk drops it
    assert _server_assign(env.server, "moderator2", a) == 200
    rep = env.assign.sync()
    assert rep.assigned == 1 and a in rep.changes.topic_ids and set(env.assign.holders()) == {b}


def test_assign_off_leaves_the_mirror_and_is_asked_again_a_day_later(env: Env) -> None:
    a = _topics(env.server, 1)[0]
    assert _server_assign(env.server, "moderator2", a, username=env.me) == 200
    assert env.assign.sync().assigned == 1
    env.server.set_setting("assign_enabled", False)
    rep = env.assign.sync()
    assert rep.available is False and rep.requests == 1
    assert set(env.assign.holders()) == {a}  # not taken for "nobody holds anything"
    assert env.assign.sync().requests == 0  # not asked again until RECHECK_HOURS passed


def test_assign_to_me_is_sent_once_and_shows_at_once(env: Env) -> None:
    a = _topics(env.server, 1)[0]
    env.assign.sync()
    q = env.assign.assign(a)
    assert env.assign.holder(a) == env.assign.holder(a) and env.assign.holder(a).pending  # type: ignore[union-attr]
    assert a in env.assign.mine_ids()
    with pytest.raises(ActionRefused, match="already queued"):
        env.assign.assign(a, to=env.other)
    rep = env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "applied") and rep.writes == 1
    assert env.server.request_count("PUT", ASSIGN) == 1 and _tracking(env.server, a) == ["assigned"]
    env.assign.sync()
    h = env.assign.holder(a)
    assert h is not None and h.user == env.me and not h.pending
    with pytest.raises(ActionRefused, match="already assigned"):
        env.assign.assign(a, to="me")
    q2 = env.assign.unassign(a)
    env.svc.dispatcher().push()
    assert env.state(q2.op_uuid) == ("done", "applied") and _holder(env.server, a) is None
    assert _tracking(env.server, a) == ["assigned", "unassigned"]
    with pytest.raises(ActionRefused, match="not assigned"):
        env.assign.unassign(a)


def test_apply_then_drop_lands_exactly_once(env: Env) -> None:
    a, b = _topics(env.server, 2)
    env.assign.sync()
    q = env.assign.assign(a, to=env.other)
    qg = env.assign.assign(b, group="employees", note="billing team")
    env.server.add_fault(FaultRule("apply_then_drop", "PUT", ASSIGN, count=2))
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "already_applied")
    assert env.state(qg.op_uuid) == ("done", "already_applied")
    assert env.server.request_count("PUT", ASSIGN) == 2  # one each: read back, never re-sent
    assert _tracking(env.server, a) == ["assigned"] and _tracking(env.server, b) == ["assigned_group"]
    with env.cache.read() as conn:
        kinds = [(x["kind"], x["outcome"]) for x in store.attempts_of(conn, q.outbox_id)]
    assert kinds == [("precheck", "ok"), ("send", "ambiguous"), ("verify", "present")]


def test_taken_by_a_teammate_first_is_a_conflict_naming_them(env: Env) -> None:
    a = _topics(env.server, 1)[0]
    env.assign.sync()
    q = env.assign.assign(a)  # offline, the moderator takes it …
    assert _server_assign(env.server, "moderator2", a, username=env.other) == 200  # … a teammate was first
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("conflict", "changed_remotely")
    row = env.svc.get(q.op_uuid)
    assert row is not None and f"assigned to @{env.other}" in (row.last_error or "")
    assert row.choices == ("retry", "apply_anyway", "discard")
    assert env.server.request_count("PUT", ASSIGN) == 1  # theirs only: ours was never sent
    env.svc.resolve(q.op_uuid, "retry")  # read again: still theirs, nothing sent
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("conflict", "changed_remotely")
    env.svc.resolve(q.op_uuid, "apply_anyway")  # the moderator takes it over
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "applied")
    assert _tracking(env.server, a) == ["assigned", "reassigned"]
    me_id = demo_rows(env.server, "SELECT id FROM users WHERE username = ?", env.me)[0][0]
    assert _holder(env.server, a) == ("User", me_id)


def test_unassign_of_a_topic_someone_else_took_meanwhile(env: Env) -> None:
    a = _topics(env.server, 1)[0]
    assert _server_assign(env.server, "moderator2", a, username=env.me) == 200
    env.assign.sync()
    q = env.assign.unassign(a)
    assert _server_assign(env.server, "moderator2", a, username=env.other) == 200
    env.svc.dispatcher().push()
    row = env.svc.get(q.op_uuid)
    assert row is not None and (row.state, row.resolution) == ("conflict", "changed_remotely")
    assert (
        f"@{env.other}" in (row.last_error or "")
        and env.server.request_count("PUT", "/assign/unassign.json") == 0
    )


def test_a_refusal_keeps_the_communitys_sentence(env: Env) -> None:
    a, b = _topics(env.server, 2)
    env.server.set_setting("max_assigned_topics", 1)
    assert _server_assign(env.server, "moderator2", a, username=env.other) == 200
    env.assign.sync()
    q = env.assign.assign(b, to=env.other)
    env.svc.dispatcher().push()
    row = env.svc.get(q.op_uuid)
    assert row is not None and (row.state, row.resolution) == ("failed", "rejected")
    assert row.last_http_status == 400
    assert row.last_error == f"@{env.other} has already reached the maximum number of assigned topics (1)."


def test_migration_keeps_queued_actions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    cache_at(path, "0005")
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "INSERT INTO outbox(op_uuid, kind, target_key, payload_json, state, attempts, created_by, "
            "created_at, updated_at) "
            "VALUES ('u1', 'review_claim', 'review:1', '{}', 'pending', 0, 'me', 'x', 'x')"
        )
    con.close()
    with Cache.open(path) as cache, cache.write() as conn:
        assert [r.op_uuid for r in store.rows(conn)] == ["u1"]
        store.insert(
            conn,
            kind="assign_topic",
            target_key="assign-topic:1",
            payload={},
            precondition=None,
            created_by="me",
        )
    assert_outbox_check_holds(path)


def test_cli_assign_and_unassign(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    me = demo_server.credentials.moderator
    other = demo_server.credentials.moderator2.username
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", demo_server.base_url, "--username", me.username, "--key-kind", "user"]
    a, b = _topics(demo_server, 2)
    code, data, err = _run(capsys, "assign", str(a), *site, "--json")
    assert code == 0, err
    assert (
        data["state"] == "done"
        and data["resolution"] == "applied"
        and data["action"] == f"Assign topic {a} to @{me.username}"
    )
    code, out, _ = _run(capsys, "assign", str(b), "--to", other, "--note", "knows SSO", *site)
    assert code == 0 and f"Done: Assign topic {b} to @{other} (applied)." in out
    code, _, err = _run(capsys, "assign", str(a), "--to", "me", *site)
    assert code == ExitCode.BAD_INPUT and "already assigned" in err and len(err.strip().splitlines()) == 1
    code, _, err = _run(capsys, "assign", str(a), "--group", "no-such-group", *site)
    assert code == ExitCode.BAD_INPUT and "No group “no-such-group”" in err
    code, data, _ = _run(capsys, "unassign", str(a), *site, "--json")
    assert code == 0 and data["state"] == "done"
    code, _, err = _run(capsys, "assign", "0", *site)
    assert code == ExitCode.BAD_INPUT and err.count("\n") == 1
    # a teammate took it first: a conflict waits for 'resolve' (exit 3)
    assert _server_assign(demo_server, "moderator2", a, username=other) == 200
    code, out, _ = _run(capsys, "assign", str(a), *site, "--queue-only")
    assert code == 0 and "Queued" in out
    code, out, _ = _run(capsys, "push", *site)
    assert code == ExitCode.CONFLICT and f"assigned to @{other}" in out


def test_bulk_assign_dry_run_then_queue(env: Env) -> None:
    from modconsole.services.bulk import BulkService

    a, b, c = _topics(env.server)
    assert _server_assign(env.server, "moderator2", a, username=env.me) == 200
    env.assign.sync()
    env.assign.assign(b, to=env.other)  # queued, not sent
    bulk = BulkService(env.cache, env.svc)
    bulk.register(env.assign.bulk_action())
    plan = bulk.plan("assign", [a, b, c, 99999999])
    assert plan.targets == (c,)
    assert dict(plan.reasons()) == {
        "already assigned to them": 1,
        "an assignment is already queued": 1,
        "not in the cache": 1,
    }
    result = bulk.apply(plan)
    assert result.count == 1
    env.svc.dispatcher().push()
    me_id = demo_rows(env.server, "SELECT id FROM users WHERE username = ?", env.me)[0][0]
    assert _holder(env.server, c) == ("User", me_id)
