"""The review queue in the core: mirrored into the cache, performed through the outbox exactly
once with the version lock, conflicts (409 / handled first) with Retry, Apply anyway and Discard —
all against the demo community over loopback HTTP."""

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
from modconsole.services.moderation import ActionRefused, ModerationService
from modconsole.services.review import ReviewService
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

PERFORM = "/review/*/perform/*"


@dataclass
class Env(OpStates):
    server: DemoServer
    svc: ModerationService
    review: ReviewService
    cache: Cache
    client: ApiClient

    def flagged(self) -> Any:
        return next(e.item for e in self.review.entries(type="flagged"))


@pytest.fixture
def env(demo_server: DemoServer, tmp_path: Path) -> Iterator[Env]:
    with opened_service(tmp_path, demo_server, fill=False) as (svc, cache, client):
        review = ReviewService(cache, client, svc)
        review.sync()
        yield Env(demo_server, svc, review, cache, client)


def _status(server: DemoServer, rid: int) -> tuple[int, int]:
    return demo_rows(server, "SELECT status, version FROM reviewables WHERE id = ?", rid)[0]  # type: ignore[return-value]


def _put_as(server: DemoServer, role: str, rid: int, action: str, version: int) -> int:
    headers = getattr(server.credentials, role).headers()
    with httpx.Client(base_url=server.base_url, timeout=WAIT_S) as c:
        return c.put(
            f"/review/{rid}/perform/{action}.json", params={"version": version}, headers=headers
        ).status_code


def test_sync_mirrors_the_pending_queue_with_offered_actions(env: Env) -> None:
    entries = env.review.entries()
    assert len(entries) == 5 and [e.item.score for e in entries] == sorted(
        (e.item.score for e in entries), reverse=True
    )
    flag = env.flagged()
    assert flag.reasons and all(r.username for r in flag.reasons) and flag.author and flag.raw
    assert [a.id for a in flag.actions][:2] == ["agree_and_hide", "agree_and_keep"]
    queued = next(e.item for e in env.review.entries(type="queued"))
    assert [a.id for a in queued.actions] == ["approve_post", "reject_post"]
    assert all(e.item.score >= 8 for e in env.review.entries(priority="high"))
    # the offered actions follow the post's state: read from the item, never a fixed list
    con = sqlite3.connect(env.server.db_path)
    with con:
        con.execute("UPDATE posts SET hidden = 1 WHERE id = ?", (flag.post_id,))
    con.close()
    rep = env.review.sync()
    assert rep.items == 5 and rep.removed == 0
    again = env.review.item(flag.id)
    assert again is not None and "agree_and_keep_hidden" in [a.id for a in again.actions]
    assert "agree_and_hide" not in [a.id for a in again.actions]
    # handled elsewhere: the next pass drops it
    assert _put_as(env.server, "moderator2", flag.id, "agree_and_keep", 0) == 200
    assert env.review.sync().removed == 1 and env.review.item(flag.id) is None


def test_perform_sends_once_with_the_version(env: Env) -> None:
    flag = env.flagged()
    q = env.review.perform(flag.id, "agree_and_hide", note="spam link")
    assert env.review.entries()[0].item.id == flag.id or any(
        e.queued_op == q.op_uuid for e in env.review.entries()
    )
    with pytest.raises(ActionRefused, match="already queued"):
        env.review.perform(flag.id, "agree_and_keep")
    rep = env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "applied") and rep.writes == 1
    assert env.server.request_count("PUT", PERFORM) == 1
    assert _status(env.server, flag.id) == (1, 1)
    assert demo_rows(env.server, "SELECT hidden FROM posts WHERE id = ?", flag.post_id) == [(1,)]
    assert flag.id not in [e.item.id for e in env.review.entries()]  # delivered: off the list at once
    env.review.refresh_delivered()
    assert env.review.item(flag.id) is None


def test_refused_before_saving(env: Env) -> None:
    flag = env.flagged()
    with pytest.raises(ActionRefused, match="does not offer 'approve_post'"):
        env.review.perform(flag.id, "approve_post")
    with pytest.raises(ActionRefused, match="No pending review item"):
        env.review.perform(999999, "agree_and_keep")
    with env.cache.read() as conn:
        assert store.counts(conn).get("pending", 0) == 0


def test_stale_version_is_a_conflict_and_retry_rereads_the_version(env: Env) -> None:
    flag = env.flagged()
    q = env.review.perform(flag.id, "agree_and_keep")
    con = sqlite3.connect(
        env.server.db_path
    )  # the item changed meanwhile (a new flag, an edit): still pending
    with con:
        con.execute("UPDATE reviewables SET version = version + 1 WHERE id = ?", (flag.id,))
    con.close()
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("conflict", "changed_remotely")
    row = env.svc.get(q.op_uuid)
    assert row is not None and row.last_http_status == 409 and "version 0 → 1" in (row.last_error or "")
    assert row.choices == ("retry", "apply_anyway", "discard")
    env.svc.resolve(q.op_uuid, "retry")
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "applied")
    assert env.server.request_count("PUT", PERFORM) == 2  # the refused one and one that applied
    assert _status(env.server, flag.id) == (1, 2)
    row = env.svc.get(q.op_uuid)
    assert row is not None and row.payload["version"] == 1


def test_someone_else_acted_first(env: Env) -> None:
    flag = env.flagged()
    q = env.review.perform(flag.id, "agree_and_hide")
    assert _put_as(env.server, "moderator2", flag.id, "disagree", 0) == 200
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("conflict", "changed_remotely")
    row = env.svc.get(q.op_uuid)
    other = env.server.credentials.moderator2.username
    assert row is not None and f"@{other} already handled this item (rejected)" in (row.last_error or "")
    env.svc.resolve(q.op_uuid, "retry")  # re-read: still handled by them, nothing is sent
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("conflict", "changed_remotely")
    assert env.server.request_count("PUT", PERFORM) == 2  # theirs and our first attempt
    env.svc.resolve(q.op_uuid, "discard")
    assert env.state(q.op_uuid) == ("cancelled", "by_moderator")
    assert demo_rows(env.server, "SELECT hidden FROM posts WHERE id = ?", flag.post_id) == [(0,)]


def test_apply_then_drop_is_verified_by_rereading_the_item(env: Env) -> None:
    flag = env.flagged()
    q = env.review.perform(flag.id, "delete_and_agree")
    env.server.add_fault(FaultRule("apply_then_drop", "PUT", PERFORM, count=1))
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "already_applied")
    assert env.server.request_count("PUT", PERFORM) == 1 and _status(env.server, flag.id) == (1, 1)
    with env.cache.read() as conn:
        kinds = [(a["kind"], a["outcome"]) for a in store.attempts_of(conn, q.outbox_id)]
    assert ("send", "ambiguous") in kinds and ("verify", "present") in kinds


def test_500_before_apply_is_sent_again_once(env: Env) -> None:
    flag = env.flagged()
    q = env.review.perform(flag.id, "ignore_and_do_nothing")
    env.server.add_fault(FaultRule("status", "PUT", PERFORM, status=500, count=1))
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "applied")
    assert env.server.request_count("PUT", PERFORM) == 2 and _status(env.server, flag.id) == (3, 1)


def test_claim_required_is_a_failure_with_the_servers_words(env: Env) -> None:
    env.server.set_setting("reviewable_claiming", "required")
    flag = env.flagged()
    q = env.review.perform(flag.id, "agree_and_keep")
    env.svc.dispatcher().push()
    row = env.svc.get(q.op_uuid)
    assert row is not None and (row.state, row.resolution) == ("failed", "rejected")
    assert "claim" in (row.last_error or "") and _status(env.server, flag.id) == (0, 0)


def test_migration_keeps_queued_actions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    cache_at(path, "0004")
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "INSERT INTO outbox(op_uuid, kind, target_key, payload_json, state, attempts, created_by, "
            "created_at, updated_at) VALUES ('u1', 'like_post', 'post:1', '{}', 'pending', 1, 'me', 'x', 'x')"
        )
        con.execute(
            "INSERT INTO outbox_attempt(outbox_id, attempt_id, kind, started_at, request_line) "
            "VALUES (1, 'a', 'send', 'x', 'POST /post_actions.json')"
        )
    con.close()
    with Cache.open(path) as cache, cache.write() as conn:
        assert [r.op_uuid for r in store.rows(conn)] == ["u1"] and len(store.attempts_of(conn, 1)) == 1
        store.insert(
            conn, kind="review_perform", target_key="review:1", payload={}, precondition=None, created_by="me"
        )
    assert_outbox_check_holds(path)


def test_cli_review_list_and_perform(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    me = demo_server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", demo_server.base_url, "--username", me.username, "--key-kind", "user"]
    code, data, err = _run(capsys, "review", "list", *site, "--json")
    assert code == 0, err
    items = data["items"]
    assert len(items) == 5 and not data["from_cache_only"]
    flag = next(i for i in items if i["type"] == "ReviewableFlaggedPost")
    assert flag["reasons"] and flag["actions"][0]["id"] == "agree_and_hide"
    code, out, _ = _run(capsys, "review", "list", *site, "--cached")
    assert code == 0 and "5 item(s) waiting for review" in out and "agree_and_hide (Hide Post)" in out
    code, data, _ = _run(capsys, "review", "perform", str(flag["id"]), "agree_and_hide", *site, "--json")
    assert code == 0 and data["state"] == "done" and data["resolution"] == "applied"
    assert demo_rows(demo_server, "SELECT status FROM reviewables WHERE id = ?", flag["id"]) == [(1,)]
    code, _, err = _run(capsys, "review", "perform", str(flag["id"]), "agree_and_hide", *site)
    assert code == ExitCode.BAD_INPUT and "No pending review item" in err
    code, data, _ = _run(capsys, "review", "list", *site, "--cached", "--json")
    assert code == 0 and len(data["items"]) == 4


def test_claim_then_perform_where_the_site_requires_it(env: Env) -> None:
    env.server.set_setting("reviewable_claiming", "required")
    env.review.sync()
    flag = env.flagged()
    assert flag.claimable and flag.claimed_by is None
    claim = env.review.claim(flag.id)
    q = env.review.perform(flag.id, "agree_and_keep")  # queued behind the claim on the same item
    env.svc.dispatcher().push()
    assert env.state(claim.op_uuid) == ("done", "applied") and env.state(q.op_uuid) == ("done", "applied")
    assert _status(env.server, flag.id) == (1, 1)
    with pytest.raises(ActionRefused, match=r"not claimed|No pending"):
        env.review.claim(flag.id, release=True)


def test_claimed_by_someone_else_first(env: Env) -> None:
    env.server.set_setting("reviewable_claiming", "optional")
    env.review.sync()
    flag = env.flagged()
    q = env.review.claim(flag.id)
    headers = env.server.credentials.moderator2.headers()
    with httpx.Client(base_url=env.server.base_url, timeout=WAIT_S) as c:
        r = c.post(
            "/reviewable_claimed_topics.json",
            data={"reviewable_claimed_topic[topic_id]": str(flag.topic_id)},
            headers=headers,
        )
        assert r.status_code == 200
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("conflict", "changed_remotely")
    row = env.svc.get(q.op_uuid)
    other = env.server.credentials.moderator2.username
    assert (
        row is not None
        and row.last_http_status == 409
        and f"@{other} claimed this item first" in (row.last_error or "")
    )
    env.review.sync()
    assert env.review.item(flag.id).claimed_by == other  # type: ignore[union-attr]


def test_claiming_off_is_refused_before_saving(env: Env) -> None:
    with pytest.raises(ActionRefused, match="does not use claiming"):
        env.review.claim(env.flagged().id)
