"""``modconsole accept|unaccept|award|revoke|push|outbox|resolve`` against the demo server over
loopback, on the same service the screens use: online they deliver, offline they queue."""

from __future__ import annotations

import sqlite3

import pytest

from modconsole.demo.server import DemoServer
from modconsole.exitcodes import ExitCode
from modconsole.paths import Paths
from tests.core.outbox_support import accepted_post, answerable, client_for, demo_rows, grant_count, user_id
from tests.core.outbox_support import run_cli as _run


def test_cli_online_offline_conflict_and_resolve(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = demo_server
    me = server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", server.base_url, "--username", me.username]
    code, _, err = _run(capsys, "sync", *site, "--key-kind", "user", "--unpaced", "--json")
    assert code == 0, err

    # online: saved, then delivered at once
    code, data, _ = _run(
        capsys, "award", "--badge", "Superuser", "--user", "wen_meyer", "--note", "helped", *site, "--json"
    )
    assert code == 0 and data["state"] == "done" and data["resolution"] == "applied"
    assert grant_count(server, 201, user_id(server, "wen_meyer")) == 1

    # refused early with a readable message, nothing saved
    code, _, err = _run(capsys, "award", "--badge", "Superuser", "--user", "rosa_haddad", *site)
    assert code == ExitCode.BAD_INPUT and "@rosa_haddad already holds “Superuser”" in err

    # offline: the command queues; 'outbox' reads the local queue; 'push' delivers later
    (tid, pid, _), (tid2, pid2, _) = answerable(server, solved=False, limit=2)
    port = server.port
    server.stop()
    try:
        code, data, _ = _run(capsys, "accept", str(pid), "--note", "answers it", *site, "--json")
        assert code == ExitCode.NOT_REACHED  # asked to send it: not sent, still queued
        assert data["state"] == "pending" and data["push"]["breaker"] == "offline"
        code, data, _ = _run(capsys, "outbox", *site, "--json")
        assert code == 0 and data["counts"]["pending"] == 1
        assert [a["action"] for a in data["actions"]] == [f"Accept post #2 as the answer in topic {tid}"]
    finally:
        server.port = port
        server.start()
    code, data, _ = _run(capsys, "push", *site, "--json")
    assert code == 0 and data["still_queued"] == 0 and len(data["done"]) == 1
    assert accepted_post(server, tid) == pid

    # a conflict: another moderator accepted a different answer meanwhile
    code, data, _ = _run(capsys, "accept", str(pid2), *site, "--queue-only", "--json")
    op = data["op_uuid"]
    theirs = demo_rows(server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 3", tid2)[0][0]
    with client_for(server, "moderator2") as other:
        other.post_json("/solution/accept.json", {"id": theirs})
    code, data, _ = _run(capsys, "push", *site, "--json")
    assert code == ExitCode.CONFLICT and data["conflicts"] == [op]
    code, out, _ = _run(capsys, "outbox", *site)
    assert (
        "conflict/changed_remotely" in out
        and f"modconsole resolve {op[:8]} retry|apply-anyway|discard" in out
    )
    code, data, _ = _run(
        capsys, "resolve", op[:8], "apply-anyway", "--note", "ours is right", *site, "--json"
    )
    assert code == 0 and data["state"] == "done" and accepted_post(server, tid2) == pid2
    code, data, _ = _run(capsys, "unaccept", str(pid2), *site, "--json")
    assert code == 0 and data["state"] == "done" and accepted_post(server, tid2) is None
    code, data, _ = _run(capsys, "revoke", "--badge", "201", "--user", "wen_meyer", *site, "--json")
    assert (
        code == 0 and data["state"] == "done" and grant_count(server, 201, user_id(server, "wen_meyer")) == 0
    )
    code, data, _ = _run(capsys, "outbox", *site, "--all", "--json")
    assert data["counts"]["done"] == 5 and {a["created_by"] for a in data["actions"]} == {me.username}


def test_cli_demo_awards_on_the_embedded_community(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, err = _run(capsys, "outbox", "--demo", "--demo-size", "tiny", "--json")
    assert code == 0 and data["counts"]["pending"] == 0, err
    db = Paths.default().demo_dir / "tiny.sqlite3"
    con = sqlite3.connect(db)
    try:  # a member of the generated community who has no Superuser badge yet
        (name,) = con.execute(
            "SELECT username FROM users WHERE admin = 0 AND moderator = 0 AND deleted_at IS NULL "
            "AND active = 1 AND suspended_till IS NULL AND silenced_till IS NULL AND staged = 0 "
            "AND id NOT IN (SELECT user_id FROM user_badges WHERE badge_id = 201) ORDER BY id LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    code, data, err = _run(
        capsys, "--demo", "award", "--demo-size", "tiny", "--badge", "Superuser", "--user", name, "--json"
    )
    assert code == 0, err
    assert data["state"] == "done" and data["action"] == f"Award badge “Superuser” to @{name}"
    code, data, _ = _run(capsys, "outbox", "--demo", "--demo-size", "tiny", "--all", "--json")
    assert code == 0 and data["counts"]["done"] == 1
