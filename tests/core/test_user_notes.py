"""User Notes against the demo community over loopback HTTP: the plugin's routes as the contract
has them (off by default, staff only, not idempotent), reading on demand with a cache, adding a note
exactly once when the answer is lost after the community stored it, deleting, the plugin off in one
line, and the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from modconsole import clock
from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.commands import main as cli
from modconsole.connectors.discourse.connector import CAPABILITIES
from modconsole.connectors.vanilla.connector import CAPABILITIES as VANILLA
from modconsole.demo.server import DemoServer, FaultRule
from modconsole.exitcodes import ExitCode
from modconsole.outbox import store
from modconsole.services.moderation import ActionRefused, ModerationService
from modconsole.services.user_notes import RECHECK, UserNotesService
from tests.core.outbox_support import OpStates, demo_rows, opened_service
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration

NOTES = "/user_notes.json"


@dataclass
class Env(OpStates):
    server: DemoServer
    svc: ModerationService
    notes: UserNotesService
    cache: Cache
    client: ApiClient


@pytest.fixture
def env(demo_server: DemoServer, tmp_path: Path) -> Iterator[Env]:
    demo_server.set_setting("user_notes_enabled", True)
    with opened_service(tmp_path, demo_server) as (svc, cache, client):
        yield Env(demo_server, svc, UserNotesService(cache, client, svc, CAPABILITIES), cache, client)


def _member(server: DemoServer) -> tuple[int, str]:
    row = demo_rows(
        server,
        "SELECT id, username FROM users WHERE id > 0 AND admin = 0 AND moderator = 0 ORDER BY id LIMIT 1",
    )[0]
    return int(row[0]), str(row[1])


def _http(server: DemoServer, role: str, method: str, path: str, **kw: Any) -> httpx.Response:
    headers = getattr(server.credentials, role).headers()
    with httpx.Client(base_url=server.base_url, timeout=WAIT_S) as c:
        return c.request(method, path, headers=headers, **kw)


def _server_notes(server: DemoServer, uid: int) -> list[dict[str, Any]]:
    rows = demo_rows(server, "SELECT notes FROM plugin_user_notes WHERE user_id = ?", uid)
    return json.loads(rows[0][0]) if rows else []


# ---------------------------------------------------------------- the demo's routes (the contract)


def test_demo_routes_follow_the_contract(demo_server: DemoServer) -> None:
    uid, username = _member(demo_server)
    # off by default: 404 for everyone, like an unknown member
    assert demo_server.settings["user_notes_enabled"] is False
    off = _http(demo_server, "moderator", "GET", NOTES, params={"user_id": uid})
    assert off.status_code == 404
    demo_server.set_setting("user_notes_enabled", True)
    assert _http(demo_server, "member", "GET", NOTES, params={"user_id": uid}).status_code == 403
    assert _http(demo_server, "moderator", "GET", NOTES, params={"user_id": 987654}).status_code == 404
    empty = _http(demo_server, "moderator", "GET", NOTES, params={"user_id": uid}).json()
    assert empty == {"extras": {"username": username}, "user_notes": []}
    form = {"user_note[user_id]": uid, "user_note[raw]": "Asked twice about SSO"}
    a = _http(demo_server, "moderator", "POST", NOTES, data=form).json()["user_note"]
    b = _http(demo_server, "moderator", "POST", NOTES, data=form).json()["user_note"]
    assert a["id"] != b["id"] and len(a["id"]) == 32 and int(a["id"], 16) >= 0  # not idempotent
    assert a["raw"] == "Asked twice about SSO" and a["user_id"] == uid and a["can_delete"] is True
    assert a["created_by"]["username"] == demo_server.credentials.moderator.username
    listed = _http(demo_server, "moderator", "GET", NOTES, params={"user_id": uid}).json()["user_notes"]
    assert [n["id"] for n in listed] == [b["id"], a["id"]]  # newest first
    too_long = {"user_note[user_id]": uid, "user_note[raw]": "x" * 32001}
    assert _http(demo_server, "moderator", "POST", NOTES, data=too_long).status_code == 422
    admin_user = _http(demo_server, "admin", "GET", f"/admin/users/{uid}.json").json()
    assert admin_user["user_notes_count"] == 2
    path = f"/user_notes/{a['id']}.json"
    assert _http(demo_server, "moderator", "DELETE", path, params={"user_id": uid}).json() == {
        "success": "OK"
    }
    again = _http(demo_server, "moderator", "DELETE", path, params={"user_id": uid})
    assert again.status_code == 200  # an unknown note id still succeeds
    demo_server.set_setting("user_notes_moderators_delete", False)
    assert _http(demo_server, "moderator", "DELETE", path, params={"user_id": uid}).status_code == 403
    assert [n["id"] for n in _server_notes(demo_server, uid)] == [b["id"]]


# ---------------------------------------------------------------- the service


def test_read_on_demand_is_cached(env: Env) -> None:
    uid, username = _member(env.server)
    form = {"user_note[user_id]": uid, "user_note[raw]": "VIP customer"}
    assert _http(env.server, "moderator2", "POST", NOTES, data=form).status_code == 200
    env.server.clear_requests()
    assert env.notes.available() and env.notes.site_state() == "unknown"
    view = env.notes.refresh(uid)
    assert view.status == "ok" and view.username == username
    assert [(n.raw, n.created_by) for n in view.notes] == [
        ("VIP customer", env.server.credentials.moderator2.username)
    ]
    assert env.notes.refresh(uid).notes == view.notes  # fresh: not read again
    assert env.server.request_count("GET", NOTES) == 1
    assert env.notes.counts([uid, uid + 1]) == {uid: 1}
    assert env.notes.site_state() == "on"


def test_add_lands_exactly_once_under_apply_then_drop(env: Env) -> None:
    uid, _ = _member(env.server)
    env.notes.refresh(uid)
    q = env.notes.add(uid, "Prefers e-mail over DMs")
    queued = env.notes.view(uid).notes
    assert [(n.raw, n.pending) for n in queued] == [("Prefers e-mail over DMs", True)]
    env.server.add_fault(FaultRule("apply_then_drop", "POST", NOTES, count=1))
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "already_applied")
    assert env.server.request_count("POST", NOTES) == 1  # read back, never re-sent
    assert [n["raw"] for n in _server_notes(env.server, uid)] == ["Prefers e-mail over DMs"]
    with env.cache.read() as conn:
        kinds = [(x["kind"], x["outcome"]) for x in store.attempts_of(conn, q.outbox_id)]
    assert kinds == [("precheck", "absent"), ("send", "ambiguous"), ("verify", "present")]
    # the delivered note shows (not pending) and, once read again, once
    assert [(n.raw, n.pending) for n in env.notes.view(uid).notes] == [("Prefers e-mail over DMs", False)]
    assert len(env.notes.refresh(uid, force=True).notes) == 1


def test_many_adds_under_faults_each_land_once(env: Env) -> None:
    uid, _ = _member(env.server)
    env.notes.refresh(uid)
    texts = [f"note {i}" for i in range(12)]
    ops = [env.notes.add(uid, t).op_uuid for t in texts]
    env.server.add_fault(FaultRule("apply_then_drop", "POST", NOTES, probability=0.5))
    for _ in range(30):  # a row left in flight is verified by the next push (verify delay 0)
        env.svc.dispatcher().push()
        if all(env.state(op)[0] == "done" for op in ops):
            break
    dropped = sum(1 for op in ops if env.state(op)[1] == "already_applied")
    assert dropped > 0  # the fault did drop answers after storing
    assert all(env.state(op)[0] == "done" for op in ops)
    raws = [n["raw"] for n in _server_notes(env.server, uid)]
    assert sorted(raws) == sorted(texts)  # every note once, none twice


def test_an_identical_earlier_note_is_not_taken_for_ours(env: Env) -> None:
    uid, _ = _member(env.server)
    env.notes.refresh(uid)
    form = {"user_note[user_id]": uid, "user_note[raw]": "same words"}
    assert _http(env.server, "moderator", "POST", NOTES, data=form).status_code == 200
    q = env.notes.add(uid, "same words")  # a deliberate second note with the same text
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "applied")
    assert [n["raw"] for n in _server_notes(env.server, uid)] == ["same words", "same words"]


def test_delete_through_the_outbox(env: Env) -> None:
    uid, _ = _member(env.server)
    form = {"user_note[user_id]": uid, "user_note[raw]": "outdated"}
    nid = _http(env.server, "moderator", "POST", NOTES, data=form).json()["user_note"]["id"]
    env.notes.refresh(uid)
    q = env.notes.delete(uid, nid)
    assert [(n.id, n.deleting) for n in env.notes.view(uid).notes] == [(nid, True)]
    env.server.add_fault(FaultRule("apply_then_drop", "DELETE", f"/user_notes/{nid}.json", count=1))
    env.svc.dispatcher().push()
    assert env.state(q.op_uuid) == ("done", "already_applied")
    assert _server_notes(env.server, uid) == [] and env.notes.view(uid).notes == ()


def test_plugin_off_hides_notes_and_refuses_in_one_line(env: Env) -> None:
    uid, _ = _member(env.server)
    env.server.set_setting("user_notes_enabled", False)
    view = env.notes.refresh(uid)
    assert view.status == "disabled" and env.notes.site_state() == "off"
    assert not env.notes.available() and not env.notes.needs_read(uid + 1)
    with pytest.raises(ActionRefused, match="turned off") as exc:
        env.notes.add(uid, "hello")
    assert "\n" not in exc.value.user_message
    # turned on later: asked again a day after the "off", not before
    env.server.set_setting("user_notes_enabled", True)
    clock.advance(RECHECK - timedelta(minutes=1))
    assert not env.notes.needs_read(uid)
    clock.advance(timedelta(minutes=2))
    assert env.notes.needs_read(uid)
    assert env.notes.refresh(uid).status == "ok" and env.notes.available()
    # a member who is gone is not taken for "off"
    assert env.notes.refresh(987654, force=True).status == "gone"
    assert env.notes.site_state() == "on"


def test_a_queued_note_turned_off_meanwhile_is_a_conflict(env: Env) -> None:
    uid, _ = _member(env.server)
    env.notes.refresh(uid)
    q = env.notes.add(uid, "queued while offline")
    env.server.set_setting("user_notes_enabled", False)
    env.svc.dispatcher().push()
    row = env.svc.get(q.op_uuid)
    assert row is not None and (row.state, row.resolution) == ("conflict", "target_gone")
    assert "User Notes off" in (row.last_error or "")
    assert env.server.request_count("POST", NOTES) == 0


def test_vanilla_has_no_user_notes(env: Env) -> None:
    notes = UserNotesService(env.cache, env.client, env.svc, VANILLA)
    assert not notes.available()
    with pytest.raises(ActionRefused, match="no staff notes"):
        notes.add(_member(env.server)[0], "x")


# ---------------------------------------------------------------- the command line


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_note_and_notes(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    me = demo_server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", demo_server.base_url, "--username", me.username, "--key-kind", "user"]
    uid, username = _member(demo_server)
    code, _, err = _run(capsys, "notes", username, *site)
    assert code == ExitCode.BAD_INPUT and "turned off" in err and len(err.strip().splitlines()) == 1
    demo_server.set_setting("user_notes_enabled", True)
    code, out, err = _run(capsys, "note", username, "--text", "Renewal due in March", *site)
    assert code == 0, err
    assert f"Done: Add a staff note on @{username} (applied)." in out
    code, out, _ = _run(capsys, "notes", username, *site, "--json")
    data = json.loads(out)
    assert code == 0 and [n["raw"] for n in data["notes"]] == ["Renewal due in March"]
    nid = data["notes"][0]["id"]
    code, out, _ = _run(capsys, "notes", username, *site)
    assert code == 0 and "Renewal due in March" in out and f"@{me.username}" in out
    code, _, err = _run(capsys, "note", "no-such-member-x", "--text", "x", *site)
    assert code == ExitCode.BAD_INPUT and "No member" in err
    code, _, err = _run(capsys, "note", username, "--text", "  ", *site)
    assert code == ExitCode.BAD_INPUT and "empty" in err
    code, out, _ = _run(capsys, "note", username, "--delete", nid, *site)
    assert code == 0 and "Done: Delete a staff note" in out
    assert _server_notes(demo_server, uid) == []
