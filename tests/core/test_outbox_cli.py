"""``modconsole accept|unaccept|award|revoke|push|outbox|resolve`` against the demo server over
loopback (both platforms), on the same service the screens use: online they deliver, offline they
queue."""

from __future__ import annotations

import sqlite3

import pytest

from modconsole.exitcodes import ExitCode
from modconsole.paths import Paths
from tests.core.community import Community
from tests.core.outbox_support import run_cli as _run


def test_cli_online_offline_conflict_and_resolve(
    community: Community, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, champion = community.server, 203
    monkeypatch.setenv("MODCONSOLE_API_KEY", community.key())
    site = ["--site", community.base_url, "--username", community.username()]
    code, _, err = _run(capsys, "sync", *site, "--unpaced", "--json")
    assert code == 0, err

    # online: saved, then delivered at once
    uid, name = community.member_without_badge(champion)
    code, data, _ = _run(
        capsys, "award", "--badge", "Community Champion", "--user", name, "--note", "helped", *site, "--json"
    )
    assert code == 0 and data["state"] == "done" and data["resolution"] == "applied"
    assert community.grants(champion, uid) == 1

    # refused early with a readable message, nothing saved
    code, _, err = _run(capsys, "award", "--badge", "Community Champion", "--user", name, *site)
    assert code == ExitCode.BAD_INPUT and f"@{name} already holds “Community Champion”" in err

    # offline: the command queues; 'outbox' reads the local queue; 'push' delivers later
    (tid, (pid, _)), (tid2, (pid2, theirs)) = community.questions_with_answers(2)
    port = server.port
    server.stop()
    try:
        code, data, _ = _run(capsys, "accept", str(pid), "--note", "answers it", *site, "--json")
        assert code == ExitCode.NOT_REACHED  # asked to send it: not sent, still queued
        assert data["state"] == "pending" and data["push"]["breaker"] == "offline"
        code, data, _ = _run(capsys, "outbox", *site, "--json")
        assert code == 0 and data["counts"]["pending"] == 1
        assert [a["action"].endswith(f"as the answer in topic {tid}") for a in data["actions"]] == [True]
    finally:
        server.port = port
        server.start()
    code, data, _ = _run(capsys, "push", *site, "--json")
    assert code == 0 and data["still_queued"] == 0 and len(data["done"]) == 1
    assert community.accepted_answers(tid) == {pid}

    # another moderator accepted a different answer meanwhile: a conflict where one answer is accepted
    code, data, _ = _run(capsys, "accept", str(pid2), *site, "--queue-only", "--json")
    op = data["op_uuid"]
    community.teammate_accepts(theirs)
    code, data, _ = _run(capsys, "push", *site, "--json")
    several = community.capabilities.multiple_accepted_answers
    if not several:
        assert code == ExitCode.CONFLICT and data["conflicts"] == [op]
        code, out, _ = _run(capsys, "outbox", *site)
        assert (
            "conflict/changed_remotely" in out
            and f"modconsole resolve {op[:8]} retry|apply-anyway|discard" in out
        )
        code, data, _ = _run(
            capsys, "resolve", op[:8], "apply-anyway", "--note", "ours is right", *site, "--json"
        )
        assert data["state"] == "done"
    assert code == 0 and community.accepted_answers(tid2) == ({pid2, theirs} if several else {pid2})
    code, data, _ = _run(capsys, "unaccept", str(pid2), *site, "--json")
    assert code == 0 and data["state"] == "done"
    assert community.accepted_answers(tid2) == ({theirs} if several else set())
    code, data, _ = _run(capsys, "revoke", "--badge", str(champion), "--user", name, *site, "--json")
    assert code == 0 and data["state"] == "done" and community.grants(champion, uid) == 0
    code, data, _ = _run(capsys, "outbox", *site, "--all", "--json")
    assert data["counts"]["done"] == 5 and {a["created_by"] for a in data["actions"]} == {
        community.username()
    }


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
