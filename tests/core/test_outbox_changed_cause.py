"""Issue 12, finding 7: conflicts for every changed cause.

Against the demo server over loopback. A revoke queued offline whose grant an admin revoked and
awarded again meanwhile, and an unaccept of answer X queued offline when another moderator
replaced X by Y meanwhile, are conflicts with the usual choices — never "done" while the member
keeps the badge or the topic keeps another answer. Apply anyway then acts on what is there now."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.services.moderation import ModerationService
from tests.core.outbox_support import (
    OpStates,
    accepted_post,
    client_for,
    demo_rows,
    grant_count,
    opened_service,
    user_id,
)

SUPERUSER = 201


@dataclass
class Env(OpStates):
    svc: ModerationService
    cache: Cache
    client: ApiClient
    server: DemoServer
    admin: ApiClient


@pytest.fixture
def env(demo_server: DemoServer, tmp_path: Path) -> Iterator[Env]:
    with (
        opened_service(tmp_path, demo_server) as (svc, cache, client),
        client_for(demo_server, "admin") as admin,
    ):
        yield Env(svc, cache, client, demo_server, admin)


def _grants(server: DemoServer, uid: int) -> list[int]:
    rows = demo_rows(
        server, "SELECT id FROM user_badges WHERE badge_id = ? AND user_id = ? ORDER BY id", SUPERUSER, uid
    )
    return [int(r[0]) for r in rows]


def test_a_revoke_whose_grant_was_replaced_meanwhile_is_a_conflict(env: Env) -> None:
    server, rosa = env.server, user_id(env.server, "rosa_haddad")
    (meant,) = _grants(server, rosa)
    q = env.svc.revoke_badge("Superuser", "rosa_haddad", note="left the company")  # queued, not sent
    env.admin.delete_json(f"/user_badges/{meant}.json")  # meanwhile an admin revokes that grant…
    env.admin.post_json(
        "/user_badges.json", {"username": "rosa_haddad", "badge_id": SUPERUSER}
    )  # …and awards again
    (new,) = _grants(server, rosa)
    assert new != meant

    report = env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("conflict", "changed_remotely")  # was: done/already_applied
    assert report.conflicts == [q.op_uuid] and not report.done
    assert _grants(server, rosa) == [new]  # the new award is untouched
    row = env.svc.get(q.op_uuid)
    assert row is not None and set(row.choices) == {"retry", "apply_anyway", "discard"}
    assert "was awarded “Superuser” again" in (row.last_error or "")
    assert "Revoking now would take back the new one" in (row.last_error or "")
    probe = row.result["evidence"]["probe"]
    assert probe["theirs"]["id"] == new and probe["ours"]["id"] == meant
    assert row.precondition["user_badge_id"] == meant and row.precondition["granted_at"]

    env.svc.dispatcher().push()  # nothing is retried on its own
    assert env.state(q.op_uuid) == ("conflict", "changed_remotely") and _grants(server, rosa) == [new]

    env.svc.resolve(q.op_uuid, "apply-anyway", note="the new award was a mistake")
    server.clear_requests()
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "applied") and grant_count(server, SUPERUSER, rosa) == 0
    assert server.request_count("DELETE", f"/user_badges/{new}.json") == 1
    row = env.svc.get(q.op_uuid)
    assert row is not None and row.payload["user_badge_id"] == new
    assert row.payload["user_badge_id_at_enqueue"] == meant


def test_a_revoke_of_a_grant_revoked_meanwhile_and_not_regranted_is_already_done(env: Env) -> None:
    server, rosa = env.server, user_id(env.server, "rosa_haddad")
    (meant,) = _grants(server, rosa)
    q = env.svc.revoke_badge("Superuser", "rosa_haddad")
    env.admin.delete_json(f"/user_badges/{meant}.json")
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "already_applied") and _grants(server, rosa) == []


def _solved_topics(server: DemoServer, limit: int) -> list[tuple[int, int, int, int, int]]:
    """(topic, accepted post id, its number, another reply's id, its number) for solved topics."""
    rows = demo_rows(
        server,
        "SELECT t.id, s.post_id, a.post_number, o.id, o.post_number FROM topics t "
        "JOIN solutions s ON s.topic_id = t.id JOIN posts a ON a.id = s.post_id "
        "JOIN categories c ON c.id = t.category_id "
        "JOIN posts o ON o.topic_id = t.id AND o.post_number > 1 AND o.id != s.post_id "
        "AND o.post_type = 1 AND o.deleted_at IS NULL "
        "WHERE c.enable_accepted_answers = 1 AND t.deleted_at IS NULL AND t.closed = 0 AND t.visible = 1 "
        "GROUP BY t.id ORDER BY t.id LIMIT ?",
        limit,
    )
    return [(int(a), int(b), int(c), int(d), int(e)) for a, b, c, d, e in rows]


def test_an_unaccept_whose_answer_was_replaced_meanwhile_is_a_conflict(env: Env) -> None:
    server = env.server
    (t1, x1, xn1, y1, yn1), (t2, x2, _xn2, y2, _yn2), (t3, x3, _xn3, _y3, _yn3) = _solved_topics(server, 3)
    mine1 = env.svc.unaccept_answer(x1, note="not the fix")  # queued offline, not sent
    mine2 = env.svc.unaccept_answer(x2)
    mine3 = env.svc.unaccept_answer(x3)
    # meanwhile another moderator replaces X by Y in two topics, and unaccepts X in the third
    with opened_service(env.cache.path.parent, server, "moderator2", name="other") as (other, _, _):
        other.accept_answer(y1)
        other.accept_answer(y2)
        other.unaccept_answer(x3)
        assert not other.dispatcher().push().failed
    assert (
        accepted_post(server, t1) == y1
        and accepted_post(server, t2) == y2
        and accepted_post(server, t3) is None
    )
    server.clear_requests()

    report = env.svc.dispatcher().push()
    assert env.state(mine1.op_uuid) == env.state(mine2.op_uuid) == ("conflict", "changed_remotely")
    assert env.state(mine3.op_uuid) == ("done", "already_applied")  # unaccepted by the other: nothing to do
    assert sorted(report.conflicts) == sorted([mine1.op_uuid, mine2.op_uuid])
    assert server.request_count("POST", "/solution/unaccept.json") == 0  # the precheck saw it first
    assert accepted_post(server, t1) == y1 and accepted_post(server, t2) == y2  # their choice stands
    row = env.svc.get(mine1.op_uuid)
    assert row is not None and set(row.choices) == {"retry", "apply_anyway", "discard"}
    assert f"Meanwhile post #{yn1}" in (row.last_error or "") and f"in place of #{xn1}" in (
        row.last_error or ""
    )
    assert row.precondition == {"accepted_post_number": xn1}

    env.svc.resolve(mine1.op_uuid, "apply_anyway", note="the topic is not solved yet")
    env.svc.resolve(mine2.op_uuid, "discard", note="their answer is right")
    env.svc.dispatcher().push()
    assert env.state(mine1.op_uuid) == ("done", "applied") and accepted_post(server, t1) is None
    assert env.state(mine2.op_uuid) == ("cancelled", "by_moderator") and accepted_post(server, t2) == y2
    row = env.svc.get(mine1.op_uuid)
    assert row is not None and row.payload["post_id"] == y1 and row.payload["post_id_at_enqueue"] == x1
    assert server.request_count("POST", "/solution/unaccept.json") == 1
