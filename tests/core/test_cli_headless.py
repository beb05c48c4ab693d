"""Headless commands tell the truth: after one ``sync --site … --username …`` the data dir knows the
site and the key kind the server accepted, so ``award`` and ``push`` need neither; a refused key
exits non-zero and says what to pass; several sites without a default give one line and code 2;
``--help`` shows examples, the environment and the exit codes; a closed pipe ends quietly.

Real HTTP against the demo server on loopback; the commands run in-process through ``cli.main``
(the closed-pipe checks run ``python -m modconsole`` as a child process)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from modconsole.api.client import normalize_base_url
from modconsole.commands import main as cli
from modconsole.commands.target import learn_key_kind
from modconsole.demo.server import DemoServer
from modconsole.errors import AuthError
from modconsole.exitcodes import ExitCode
from modconsole.paths import Paths
from modconsole.sites import KnownSites
from tests.core.outbox_support import grant_count, user_id
from tests.core.outbox_support import run_cli as _run

SUPERUSER = 201


def _sync_as_admin(
    server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    admin = server.credentials.admin
    monkeypatch.setenv("MODCONSOLE_API_KEY", admin.key)
    code, data, err = _run(
        capsys, "sync", "--site", server.base_url, "--username", admin.username, "--unpaced", "--json"
    )
    assert code == ExitCode.OK, err
    assert data["finished"] is True
    return admin.username


def test_after_one_sync_award_and_push_need_no_site_and_use_the_admin_key(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = demo_server
    me = _sync_as_admin(server, capsys, monkeypatch)
    site = normalize_base_url(server.base_url)

    (record,) = KnownSites(Paths.default()).all()
    assert (record.url, record.username, record.key_kind) == (site, me, "admin")
    assert record.learned_at is not None
    code, data, _ = _run(capsys, "sites", "--json")
    assert code == 0 and data == [
        {
            "site": site,
            "username": me,
            "key_kind": "admin",
            "learned_at": record.learned_at,
            "allow_insecure_http": False,
            "default": True,
        }
    ]

    # no --site, --username or --key-kind: the known site and the remembered kind (an admin key
    # sent as a User API key would be refused, which is what happened before)
    code, data, err = _run(
        capsys, "award", "--badge", "Superuser", "--user", "wen_meyer", "--queue-only", "--json"
    )
    assert code == ExitCode.OK, err
    assert data["state"] == "pending"
    code, data, err = _run(capsys, "push", "--json")
    assert code == ExitCode.OK, err
    assert len(data["done"]) == 1 and data["still_queued"] == 0 and data["breaker"] is None
    assert grant_count(server, SUPERUSER, user_id(server, "wen_meyer")) == 1

    code, data, err = _run(capsys, "revoke", "--badge", "Superuser", "--user", "wen_meyer", "--json")
    assert code == ExitCode.OK and data["state"] == "done", err
    assert grant_count(server, SUPERUSER, user_id(server, "wen_meyer")) == 0

    code, data, _ = _run(capsys, "status", "--json")
    assert code == 0 and [(r["site"], r["key_kind"], r["default"]) for r in data] == [(site, "admin", True)]
    code, data, _ = _run(capsys, "outbox", "--all", "--json")
    assert code == 0 and data["counts"]["done"] == 2

    # a second sync with nothing given uses the same site and kind
    code, data, err = _run(capsys, "sync", "--unpaced", "--json")
    assert code == ExitCode.OK and data["first_sync"] is False, err


def test_a_push_with_a_refused_key_exits_non_zero_and_keeps_the_action(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = demo_server
    _sync_as_admin(server, capsys, monkeypatch)
    code, data, _ = _run(
        capsys, "award", "--badge", "Superuser", "--user", "wen_meyer", "--queue-only", "--json"
    )
    assert code == ExitCode.OK
    op = data["op_uuid"]

    monkeypatch.setenv("MODCONSOLE_API_KEY", "0" * 64)  # revoked, or never valid
    code, data, err = _run(capsys, "push", "--json")
    assert code == ExitCode.KEY_REFUSED
    assert data["done"] == [] and data["still_queued"] == 1 and data["breaker"] == "auth"
    assert "may have been revoked" in err
    code, data, err = _run(capsys, "push")
    assert code == ExitCode.KEY_REFUSED and "not accepted" in data, err
    assert grant_count(server, SUPERUSER, user_id(server, "wen_meyer")) == 0

    code, data, _ = _run(capsys, "outbox", "--json")  # nothing lost
    assert code == 0 and [a["op_uuid"] for a in data["actions"]] == [op]
    assert data["actions"][0]["state"] == "pending"


def test_the_remembered_kind_refused_says_which_kind_to_pass(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record says "admin key" but the key stored for the site is a user API key (it was
    replaced): the refusal names the kind that works, and passing it is remembered from then on."""
    server = demo_server
    mod = server.credentials.moderator  # a user API key
    monkeypatch.setenv("MODCONSOLE_API_KEY", mod.key)
    site = normalize_base_url(server.base_url)
    code, _, err = _run(capsys, "sync", "--site", server.base_url, "--username", mod.username, "--unpaced")
    assert code == ExitCode.OK, err
    known = KnownSites(Paths.default())
    assert known.get(site, mod.username).key_kind == "user"  # type: ignore[union-attr]
    known.remember(site, mod.username, key_kind="admin")

    code, data, err = _run(capsys, "award", "--badge", "Superuser", "--user", "wen_meyer", "--json")
    assert code == ExitCode.KEY_REFUSED, err
    assert data["state"] == "pending" and data["push"]["breaker"] == "auth"
    assert err.strip().splitlines() == [
        "modconsole: The key was refused as an admin API key (the kind remembered for this site); it works "
        "as a user API key: pass --key-kind user."
    ]

    code, data, err = _run(capsys, "push", "--key-kind", "user", "--json")
    assert code == ExitCode.OK and len(data["done"]) == 1, err
    assert known.get(site, mod.username).key_kind == "user"  # type: ignore[union-attr]
    assert grant_count(server, SUPERUSER, user_id(server, "wen_meyer")) == 1


def test_an_explicit_kind_the_server_refuses_says_what_to_pass(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = demo_server
    admin = server.credentials.admin
    monkeypatch.setenv("MODCONSOLE_API_KEY", admin.key)
    site = ["--site", server.base_url, "--username", admin.username]
    code, _, err = _run(capsys, "sync", *site, "--key-kind", "user", "--unpaced")
    assert code == ExitCode.KEY_REFUSED
    lines = err.strip().splitlines()
    assert lines == [
        "modconsole: This key was refused as a user API key; it works as an admin API key: "
        "pass --key-kind admin (or leave --key-kind out)."
    ]
    assert KnownSites(Paths.default()).all() == []  # nothing learned from a refusal
    assert not Paths.default().site_cache_file(normalize_base_url(server.base_url), admin.username).exists()

    monkeypatch.setenv("MODCONSOLE_API_KEY", "0" * 64)
    code, _, err = _run(capsys, "push", *site)
    assert code == ExitCode.KEY_REFUSED
    assert "both as an admin API key and as a user API key" in err


def test_the_kind_is_learned_from_the_server_whatever_the_first_guess(demo_server: DemoServer) -> None:
    server = demo_server
    admin, mod = server.credentials.admin, server.credentials.moderator
    url = normalize_base_url(server.base_url)
    for ident, kind in ((admin, "admin"), (mod, "user")):
        for first in ("admin", "user"):
            found = learn_key_kind(
                url, ident.username, ident.key, first=first, explicit=False, allow_insecure_http=False
            )
            assert found == kind, (ident.role, first)
    with pytest.raises(AuthError) as err:
        learn_key_kind(url, "someone_else", mod.key, first="user", explicit=False, allow_insecure_http=False)
    assert (
        err.value.user_message
        == f"This key signs in as @{mod.username}, not @someone_else: pass --username {mod.username}."
    )


def test_several_sites_without_a_default_need_a_choice(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = demo_server
    me = _sync_as_admin(server, capsys, monkeypatch)
    site = normalize_base_url(server.base_url)
    known = KnownSites(Paths.default())
    known.remember("https://other.example.com", "alice", key_kind="user")

    code, _, err = _run(capsys, "award", "--badge", "Superuser", "--user", "wen_meyer")
    assert code == ExitCode.BAD_INPUT
    assert err.strip().splitlines() == [
        f"modconsole: 2 known sites: {site} as {me}, https://other.example.com as alice. Give --site URL "
        "--username NAME, or choose a default with 'modconsole sites use URL [--username NAME]'."
    ]
    assert grant_count(server, SUPERUSER, user_id(server, "wen_meyer")) == 0
    code, _, err = _run(capsys, "push")
    assert code == ExitCode.BAD_INPUT and "2 known sites" in err

    # one of them by --site alone (one account known there), then a default
    code, data, err = _run(capsys, "outbox", "--site", server.base_url, "--json")
    assert code == 0 and data["counts"]["pending"] == 0, err
    code, out, _ = _run(capsys, "sites", "use", server.base_url)
    assert code == 0 and out.strip() == f"Default site: {site} as {me}."
    code, data, err = _run(capsys, "push", "--json")
    assert code == ExitCode.OK and data["done"] == [], err
    code, out, _ = _run(capsys, "sites")
    ours, other = known.get(site, me), known.get("https://other.example.com", "alice")
    assert ours is not None and other is not None
    assert out.splitlines() == [
        f"* {site} as {me}  admin key (learned {ours.learned_at})",
        f"  https://other.example.com as alice  user key (learned {other.learned_at})",
    ]
    code, out, _ = _run(capsys, "sites", "forget", server.base_url)
    assert code == 0 and [s.url for s in known.all()] == ["https://other.example.com"]
    code, _, err = _run(capsys, "sites", "use", "https://nowhere.example.com", "--username", "bob")
    assert code == ExitCode.BAD_INPUT and "not a known site" in err
    code, _, err = _run(capsys, "sites", "forget", "nowhere.example.com")
    assert err.strip() == (
        "modconsole: https://nowhere.example.com is not a known site; "
        "known: https://other.example.com as alice."
    )
    assert code == ExitCode.BAD_INPUT


def test_an_older_data_dir_is_read_from_its_caches(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data dir synced before the known-sites file existed: its one cache is its one site."""
    server = demo_server
    me = _sync_as_admin(server, capsys, monkeypatch)
    KnownSites(Paths.default()).path.unlink()
    code, data, err = _run(capsys, "push", "--json")
    assert code == ExitCode.OK and data["breaker"] is None, err
    (record,) = KnownSites(Paths.default()).all()
    assert (record.username, record.key_kind) == (me, "admin")


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_help_shows_examples_environment_and_exit_codes(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "examples:\n  modconsole " in out
    for name in ("MODCONSOLE_API_KEY", "MODCONSOLE_DATA_DIR", "MODCONSOLE_NOW"):
        assert f"\n  {name}" in out
    assert "exit status:\n  0 " in out
    if command in ("sync", "accept", "unaccept", "award", "revoke", "push", "resolve"):
        for code in (ExitCode.CONFLICT, ExitCode.KEY_REFUSED, ExitCode.NOT_REACHED, ExitCode.BROKEN_PIPE):
            assert f"\n  {int(code):<3}  " in out, code


def _closed_pipe(*argv: str) -> tuple[int, str]:
    """Run ``python -m modconsole ARGV`` with its stdout's reader already gone (``| head`` that
    has exited)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "modconsole", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    try:
        assert proc.stdout is not None
        proc.stdout.close()
        _, err = proc.communicate(timeout=170)
        return proc.returncode, err.decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)


def test_a_closed_pipe_ends_quietly(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sync_as_admin(demo_server, capsys, monkeypatch)
    for argv in (("status", "--json"), ("outbox", "--json"), ("status",), ("push", "--help")):
        code, err = _closed_pipe(*argv)
        assert "Traceback" not in err and "BrokenPipe" not in err, (argv, err)
        if argv[-1] != "--help":  # argparse itself ignores a failed write of the help (exit 0)
            assert code == ExitCode.BROKEN_PIPE, (argv, err)
