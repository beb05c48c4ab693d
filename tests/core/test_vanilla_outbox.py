"""What only Vanilla has in the outbox (issue #16 part 4): its own conflicts (a re-award, a rejected
answer), the kinds it cannot send, a 409 for a repeated grant, cache misses read through its routes.
Exactly-once for each kind, the award pushed twice and the action verbs run on both platforms
(test_outbox_push.py, test_outbox_cli.py).

Real HTTP against the Vanilla demo server (``vanilla_demo_server``) on loopback; the demo's own store
is the ground truth. Faults are the demo's: ``apply_then_drop`` runs the write and drops the
connection before the answer, so the console cannot know whether it landed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from modconsole.commands import main as cli
from modconsole.connectors.vanilla.actions import ACTIONS
from modconsole.demo import store
from modconsole.demo.server import FaultRule
from modconsole.demo.vanilla.server import VanillaDemoServer, VanillaFaultRule
from modconsole.errors import InvalidInput
from modconsole.exitcodes import ExitCode
from modconsole.outbox import store as outbox_store
from modconsole.workspace import Workspace
from tests.core.community import Community
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration

API = "/api/v2"


CHAMPION = 203


def _van(server: VanillaDemoServer, tmp_path: Path = Path()) -> Community:
    return Community("vanilla", server, tmp_path)


@pytest.fixture
def ws(vanilla_demo_server: VanillaDemoServer, tmp_path: Path) -> Iterator[Workspace]:
    with _van(vanilla_demo_server, tmp_path).open(sync=True) as w:
        yield w


def _demo(server: VanillaDemoServer, sql: str, *args: Any) -> list[sqlite3.Row]:
    con = store.connect(server.db_path)
    try:
        return list(con.execute(sql, args).fetchall())
    finally:
        con.close()


def _api(server: VanillaDemoServer, method: str, path: str, who: str = "admin", **kw: Any) -> Any:
    ident = getattr(server.credentials, who)
    r = httpx.request(method, f"{server.base_url}{API}{path}", headers=ident.headers(), timeout=WAIT_S, **kw)
    assert r.status_code in (200, 201, 204), r.text
    return r.json() if r.content else None


def _drop_next(server: VanillaDemoServer, method: str, path: str) -> None:
    server.add_fault(FaultRule("apply_then_drop", method=method, path=f"{API}{path}", count=1))


def _row(ws: Workspace, op: str) -> Any:
    row = ws.moderation.get(op)
    assert row is not None
    return row


def _holders(server: VanillaDemoServer, bid: int, uid: int) -> int:
    return _van(server).grants(bid, uid)


def _open_answer(server: VanillaDemoServer) -> tuple[int, int]:
    """(question, a pending answer) on an open question."""
    ((tid, (pid,)),) = _van(server).questions_with_answers(answers=1)
    return tid, pid


# (the award pushed twice, each kind under a lost answer, a teammate's second accept and the action
# verbs online and offline run on both platforms: test_outbox_push.py, test_outbox_cli.py)


# ---------------------------------------------------------------- conflicts


def test_a_revoke_after_someone_re_awarded_is_a_conflict_with_the_usual_choices(
    ws: Workspace, vanilla_demo_server: VanillaDemoServer
) -> None:
    server = vanilla_demo_server
    b = _demo(
        server, "SELECT badge_id, user_id, granted_at FROM user_badges ORDER BY badge_id, user_id LIMIT 1"
    )[0]
    bid, uid = int(b["badge_id"]), int(b["user_id"])
    name = _demo(server, "SELECT username FROM users WHERE id = ?", uid)[0]["username"]
    q = ws.moderation.revoke_badge(str(bid), name)  # queued offline
    # meanwhile an admin took the award back and gave it again: a new award
    con = store.connect(server.db_path)
    try:
        con.execute(
            "UPDATE user_badges SET granted_at = '2026-11-01T12:30:00.000Z' "
            "WHERE badge_id = ? AND user_id = ?",
            (bid, uid),
        )
        con.commit()
    finally:
        con.close()
    ws.push()
    row = _row(ws, q.op_uuid)
    assert (row.state, row.resolution) == ("conflict", "changed_remotely")
    assert "again" in (row.last_error or "")
    assert set(row.choices) >= {"retry", "apply_anyway", "discard"}
    assert _holders(server, bid, uid) == 1
    assert server.request_count("DELETE", f"{API}/badges/{bid}/users/{uid}") == 0
    ws.moderation.resolve(q.op_uuid, "apply_anyway")
    ws.push()
    assert _row(ws, q.op_uuid).state == "done"
    assert _holders(server, bid, uid) == 0


def test_accepting_an_answer_a_teammate_rejected_is_a_conflict(
    ws: Workspace, vanilla_demo_server: VanillaDemoServer
) -> None:
    server = vanilla_demo_server
    _tid, pid = _open_answer(server)
    q = ws.moderation.accept_answer(pid)
    _api(server, "PATCH", f"/comments/{pid}/answer", json={"status": "rejected"})
    ws.push()
    row = _row(ws, q.op_uuid)
    assert (row.state, row.resolution) == ("conflict", "changed_remotely")
    assert "rejected" in (row.last_error or "")
    assert server.request_count("PATCH", f"{API}/comments/{pid}/answer") == 1  # the teammate's only


# ---------------------------------------------------------------- refusals


def test_kinds_vanilla_does_not_offer_are_refused_in_one_line(
    ws: Workspace, vanilla_demo_server: VanillaDemoServer
) -> None:
    server = vanilla_demo_server
    tid, _ = _open_answer(server)
    member = _demo(server, "SELECT username FROM users WHERE id > 0 AND admin = 0 ORDER BY id LIMIT 1")[0][0]
    before = ws.moderation.counts()
    for attempt in (
        lambda: ws.moderation.set_trust_level(member, 2),
        lambda: ws.moderation.close_topic(tid),
        lambda: ws.moderation.create_topic("A brand new topic", "Body text here"),
    ):
        with pytest.raises(InvalidInput) as exc:
            attempt()
        said = exc.value.user_message
        assert "\n" not in said and "cannot be sent to a Vanilla community" in said, said
    assert ws.moderation.counts() == before  # nothing saved
    for kind in ("set_trust_level", "close_topic", "review_perform", "assign_topic", "create_topic"):
        with pytest.raises(InvalidInput):
            ACTIONS.request_for(kind, {"topic_id": 1})


def test_a_queued_row_vanilla_cannot_send_fails_in_one_line_and_the_push_goes_on(
    ws: Workspace, vanilla_demo_server: VanillaDemoServer
) -> None:
    """A row saved by a path that does not ask the adapter (or before a site was re-detected as
    Vanilla) fails with the adapter's line; the rows behind it are still delivered."""
    server = vanilla_demo_server
    tid, pid = _open_answer(server)
    with ws.cache.write() as conn:
        odd = outbox_store.insert(
            conn,
            kind="close_topic",
            target_key=f"topic:{tid}/close",
            payload={"topic_id": tid, "topic_title": "x"},
            precondition=None,
            created_by=server.credentials.moderator.username,
        )
    q = ws.moderation.accept_answer(pid)
    ws.push()
    bad = _row(ws, odd.op_uuid)
    assert (bad.state, bad.resolution) == ("failed", "invalid")
    assert bad.last_error is not None and "\n" not in bad.last_error and "Close topic" in bad.last_error
    assert _row(ws, q.op_uuid).state == "done"


def test_the_client_sends_json_to_vanilla_and_a_form_to_discourse(ws: Workspace) -> None:
    assert ws.client.json_bodies is True
    from modconsole.connectors.discourse.connector import CONNECTOR

    with CONNECTOR.open_client("https://forum.example.com", None) as c:
        assert c.json_bodies is False


def test_reply_by_command_carries_a_token_and_what_vanilla_lacks_is_refused_in_one_line(
    vanilla_demo_server: VanillaDemoServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = vanilla_demo_server
    ident = server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", ident.token)
    site = ["--site", server.base_url, "--username", ident.username]
    assert cli.main(["sync", *site, "--unpaced", "--json"]) == ExitCode.OK
    capsys.readouterr()
    tid, _ = _open_answer(server)
    assert cli.main(["reply", str(tid), "--text", "Thanks — marking this for the docs team.", *site]) == 0
    raw = _demo(server, "SELECT raw FROM posts WHERE topic_id = ? ORDER BY id DESC LIMIT 1", tid)[0]["raw"]
    assert raw.startswith("Thanks — marking this for the docs team.") and "<!-- mc:" in raw
    capsys.readouterr()

    refusals = [
        ["reply", str(tid), "--text", "psst", "--whisper", *site],  # Vanilla has no whispers
        ["accept", str(-tid), *site],  # the question's body (cached as post −discussionID)
        ["award", "--badge", "Community Champion", "--user", "nobody-by-this-name", *site],
    ]
    said: list[str] = []
    for argv in refusals:
        code = cli.main(argv)
        out, err = capsys.readouterr()
        assert code == ExitCode.BAD_INPUT, (argv, out, err)
        assert len(err.strip().splitlines()) == 1 and err.startswith("modconsole: "), err
        said.append(err)
    assert "whispers" in said[0] and "No member @nobody-by-this-name" in said[2]
    assert "No post has the id" in said[1]  # the body is no comment: answers are named by comment id


def test_an_answer_posted_after_the_sync_is_fetched_on_the_miss_and_accepted(
    ws: Workspace, vanilla_demo_server: VanillaDemoServer
) -> None:
    """A cache miss is read through Vanilla's own routes (never a Discourse one on a Vanilla site)."""
    server = vanilla_demo_server
    tid, _ = _open_answer(server)
    new = _api(
        server, "POST", "/comments", who="member", json={"discussionID": tid, "body": "Try a restart."}
    )
    server.clear_requests()
    q = ws.moderation.accept_answer(int(new["commentID"]))
    ws.push()
    assert _row(ws, q.op_uuid).state == "done"
    status = _demo(server, "SELECT status FROM vanilla_answers WHERE comment_id = ?", new["commentID"])
    assert status[0]["status"] == "accepted"
    assert server.request_count("*", "*.json") == 0  # no /u/…json, /posts/…json, /t/…json
    with pytest.raises(InvalidInput, match="sync first"):
        ws.moderation.award_badge("1", "nobody-by-this-name")
    assert server.request_count("*", "*.json") == 0


def test_a_409_for_a_grant_the_precheck_could_not_see_is_read_back_as_done(
    ws: Workspace, vanilla_demo_server: VanillaDemoServer
) -> None:
    """A site that answers a repeated grant with 409 (``duplicate_grant: conflict``), while the
    precheck's page came back empty (rows dropped for the caller): the 409 is read back, not
    taken for someone else's conflict."""
    server = vanilla_demo_server
    server.set_setting("duplicate_grant", "conflict")
    (uid, name), bid = _van(server).member_without_badge(CHAMPION), CHAMPION
    q = ws.moderation.award_badge(str(bid), name)
    _api(server, "POST", f"/badges/{bid}/users", json={"userID": uid})  # a teammate, meanwhile
    server.add_fault(VanillaFaultRule("empty_page", method="GET", path=f"{API}/badges/users", count=1))
    server.clear_requests()
    ws.push()
    row = _row(ws, q.op_uuid)
    assert (row.state, row.resolution) == ("done", "already_applied")
    assert row.last_http_status == 409
    assert _holders(server, bid, uid) == 1
    assert server.request_count("POST", f"{API}/badges/{bid}/users") == 1
