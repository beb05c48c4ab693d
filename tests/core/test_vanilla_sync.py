"""What only Vanilla has in sign-in and sync (issue #16 part 4): its connector and capabilities, a
refused token answered as a guest, platform detection and the command line on a Vanilla site.

Real HTTP against the Vanilla demo server (``vanilla_demo_server``) on loopback. The sync itself —
first sync equal to the ground truth, incremental runs, the queue — runs on both platforms in
tests/core/test_sync_full.py."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from modconsole.api import Budget, Credentials, HostPacer
from modconsole.commands import main as cli
from modconsole.connectors.registry import connector_for, detect_platform
from modconsole.connectors.vanilla.connector import CAPABILITIES, VanillaConnector
from modconsole.connectors.vanilla.session import BAD_KEY, RATE_LIMIT_WAIT, response_check
from modconsole.demo.server import DemoServer
from modconsole.demo.vanilla.server import VanillaDemoServer
from modconsole.errors import AuthError, RateLimited
from modconsole.exitcodes import ExitCode
from modconsole.workspace import SiteRef, Workspace

pytestmark = pytest.mark.integration


def _site(
    server: VanillaDemoServer, cache: Path, token: str | None = None, platform: str = "vanilla"
) -> SiteRef:
    ident = server.credentials.moderator
    return SiteRef(
        server.base_url,
        ident.username,
        Credentials.token(token or ident.token, username=ident.username),
        cache,
        pacer=HostPacer(Budget.unlimited()),
        platform=platform,
    )


# ---------------------------------------------------------------- the connector


def test_vanilla_is_registered_with_its_capabilities() -> None:
    c = connector_for("vanilla")
    assert isinstance(c, VanillaConnector) and c.capabilities is CAPABILITIES
    assert CAPABILITIES.multiple_accepted_answers and CAPABILITIES.likes
    assert not (CAPABILITIES.trust_levels or CAPABILITIES.whispers or CAPABILITIES.review_queue)
    assert not (CAPABILITIES.bulk_mirror or CAPABILITIES.staff_category_for_nominations)


def test_verify_says_who_the_token_is_and_a_refused_token_is_the_bad_key_error(
    vanilla_demo_server: VanillaDemoServer,
) -> None:
    server = vanilla_demo_server
    c = connector_for("vanilla")
    ident = server.credentials.moderator
    with c.open_client(
        server.base_url, Credentials.token(ident.token), pacer=HostPacer(Budget.unlimited())
    ) as client:
        me = c.verify(client)
        assert client.credentials is not None and client.credentials.headers() == ident.headers()
    assert me["username"] == ident.username and me["id"] == ident.user_id and me["moderator"] is True
    assert not me["admin"] and me["email"]
    for bad in (server.credentials.revoked.token, server.credentials.expired.token, "va.nonsense"):
        with (
            c.open_client(
                server.base_url, Credentials.token(bad), pacer=HostPacer(Budget.unlimited())
            ) as client,
            pytest.raises(AuthError) as exc,
        ):
            c.verify(client)
        assert exc.value.user_message == BAD_KEY and bad not in str(exc.value)
    # the client paces writes apart from reads (Vanilla: 300 GET / 120 writes a minute per IP)
    with c.open_client(server.base_url, Credentials.token(ident.token)) as client:
        assert (
            client.pacer.budget == Budget.vanilla_reads()
            and client.write_pacer.budget == Budget.vanilla_writes()
        )
        assert client.pacer.budget.per_minute <= 300 and client.write_pacer.budget.per_minute <= 120  # type: ignore[operator]


def test_vanilla_answers_are_read_the_vanilla_way() -> None:
    """Its own reading, before the common mapping: a guest answer after a refused token (any
    status) is the bad key; a 429 without Retry-After waits the minute Vanilla blocks for."""
    refused = {
        "X-WWW-Authenticate": 'error="invalid_token", error_description="Your access token was revoked."'
    }
    for status in (200, 403):
        err = response_check("GET /api/v2/discussions", status, refused)
        assert isinstance(err, AuthError) and err.user_message == BAD_KEY
    limited = response_check("GET /api/v2/discussions", 429, {})
    assert isinstance(limited, RateLimited) and limited.retry_after == RATE_LIMIT_WAIT
    assert response_check("GET /api/v2/discussions", 429, {"Retry-After": "5"}) is None  # the common path
    assert response_check("GET /api/v2/discussions", 200, {}) is None


def test_the_vanilla_connector_imports_nothing_of_discourse() -> None:
    root = Path(__file__).resolve().parents[2] / "modconsole" / "connectors" / "vanilla"
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith(("modconsole.connectors.discourse", "modconsole.sync"))
            ]
    assert found == []


def test_a_refused_token_leaves_no_cache_behind(
    vanilla_demo_server: VanillaDemoServer, tmp_path: Path
) -> None:
    site = _site(
        vanilla_demo_server, tmp_path / "c.sqlite", token=vanilla_demo_server.credentials.revoked.token
    )
    with pytest.raises(AuthError):
        Workspace.open(site)
    assert not (tmp_path / "c.sqlite").exists()


# ---------------------------------------------------------------- detection and the command line
# (the first sync equal to the ground truth, incremental runs, the queue complete early and its SLA
# clocks run on both platforms: tests/core/test_sync_full.py)


def test_the_platform_is_detected_from_the_address(
    vanilla_demo_server: VanillaDemoServer, demo_server: DemoServer, tmp_path: Path
) -> None:
    assert detect_platform(vanilla_demo_server.base_url) == "vanilla"
    assert detect_platform(demo_server.base_url) == "discourse"
    site = _site(vanilla_demo_server, tmp_path / "auto.sqlite", platform="auto")
    with Workspace.open(site) as w:
        assert w.connector.platform == "vanilla"
        w.sync()
    assert Workspace.recorded_platform(tmp_path / "auto.sqlite") == "vanilla"


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_modconsole_sync_detects_vanilla_and_a_bad_token_exits_with_one_line(
    vanilla_demo_server: VanillaDemoServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = vanilla_demo_server
    ident = server.credentials.moderator
    site = ["--site", server.base_url, "--username", ident.username, "--unpaced"]
    monkeypatch.setenv("MODCONSOLE_API_KEY", server.credentials.revoked.token)
    code, out, err = _cli(capsys, "sync", *site, "--platform", "vanilla")
    assert code == ExitCode.KEY_REFUSED
    assert err.strip().splitlines() == [f"modconsole: {BAD_KEY}"]
    assert server.credentials.revoked.token not in out + err

    monkeypatch.setenv("MODCONSOLE_API_KEY", ident.token)
    code, out, err = _cli(capsys, "sync", *site, "--json")  # no --platform: detected
    assert code == ExitCode.OK, err
    data = json.loads(out.strip().splitlines()[-1])
    assert data["first_sync"] is True and data["finished"] is True
    # the site is remembered and its cache says Vanilla: no address, no detection the second time
    code, out, err = _cli(capsys, "sync", "--unpaced", "--json")
    assert code == ExitCode.OK, err
    assert json.loads(out.strip().splitlines()[-1])["requests_total"] <= 3
