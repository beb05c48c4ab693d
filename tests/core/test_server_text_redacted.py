"""Issue 12, finding 6: secrets never leave through server text.

A gateway in front of the forum that quotes the request's headers in its error body must not put
the API key into the outbox (last error, attempt excerpts), the sync state or the terminal: the
client redacts server text where it enters. And plain http counts as local only for loopback
addresses and the literal name ``localhost`` — ``forum.localhost`` may resolve anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modconsole.api.client import ApiClient, Credentials, error_for_response, normalize_base_url
from modconsole.cache.db import Cache
from modconsole.commands import main as cli
from modconsole.connectors.discourse.session import verify
from modconsole.demo.server import DemoServer, FaultRule
from modconsole.errors import InsecureConnectionRefused, Rejected
from modconsole.log import REDACTED, forget_secrets
from modconsole.outbox import store
from modconsole.sync.engine import SyncEngine, SyncOptions
from modconsole.tasks import CancelToken
from tests.core.outbox_support import client_for, open_service


def _leaks(key: str, *paths: Path) -> list[str]:
    secret = key[:12].encode()  # stored text may be cut anywhere: even the key's start must not be there
    return [p.name for p in paths if p.exists() and secret in p.read_bytes()]


def _cache_files(cache_path: Path) -> list[Path]:
    return [p for p in cache_path.parent.iterdir() if p.name.startswith(cache_path.name)]


def test_a_gateway_echoing_headers_leaves_no_key_in_the_outbox(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    key = demo_server.credentials.moderator.key
    svc, cache, client = open_service(tmp_path, demo_server)
    try:
        refused = svc.set_trust_level("wen_meyer", 2)  # 422 from the gateway: failed, its text kept
        ambiguous = svc.set_trust_level("felix_hoffmann", 2)  # 502: sent, outcome unknown
        demo_server.add_fault(FaultRule("echo_headers", "PUT", "*", status=422, count=1))
        demo_server.add_fault(FaultRule("echo_headers", "PUT", "*", status=502, count=1))
        report = svc.dispatcher().push()
        assert key not in report.message
        row = svc.get(refused.op_uuid)
        assert row is not None and row.state == "failed" and row.last_http_status == 422
        assert "Gateway could not forward PUT" in (row.last_error or "")  # the server's words are kept…
        assert REDACTED in (row.last_error or "") and key not in (row.last_error or "")  # …without the key
        with cache.read() as conn:
            excerpts = [
                str(a["response_excerpt"] or "")
                for r in (refused, ambiguous)
                for a in store.attempts_of(conn, r.outbox_id)
            ]
            audit = json.dumps(store.audit_entries(conn))
        assert any("Request headers" in x and REDACTED in x for x in excerpts)
        assert not [x for x in excerpts if key in x] and key not in audit
    finally:
        client.close()
        cache.close()
    assert _leaks(key, *_cache_files(tmp_path / "moderator.sqlite3")) == []


def test_a_gateway_echoing_headers_leaves_no_key_in_the_sync_state(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    key = demo_server.credentials.moderator.key
    path = tmp_path / "sync.sqlite3"
    demo_server.add_fault(FaultRule("echo_headers", "GET", "/latest.json", status=400))
    with Cache.open(path) as cache, client_for(demo_server) as client:
        try:
            SyncEngine(client, cache, options=SyncOptions(reports=(), retry_wait=0.01)).run_once(
                CancelToken()
            )
        except Exception as exc:  # a refused list may end the run; its text must be clean either way
            assert key not in str(exc) and key not in repr(exc.args)
        with cache.read() as conn:
            errors = [
                str(e)
                for (e,) in conn.exec_driver_sql(
                    "SELECT last_error FROM sync_cursors WHERE last_error IS NOT NULL"
                )
            ]
    assert errors and all(key[:12] not in e for e in errors)  # stored errors are cut: look for its start
    assert _leaks(key, *_cache_files(path)) == []


def test_the_terminal_never_shows_the_key_a_gateway_echoes(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    me = demo_server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", demo_server.base_url, "--username", me.username, "--key-kind", "user"]
    demo_server.add_fault(FaultRule("echo_headers", "POST", "/user_badges.json", status=422))
    code = cli.main(["award", "--badge", "Superuser", "--user", "wen_meyer", *site])
    out, err = capsys.readouterr()
    assert code == 3 and "Gateway could not forward POST" in out, (out, err)
    assert me.key not in out and me.key not in err and REDACTED in out
    code = cli.main(["outbox", *site, "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and me.key not in out and me.key not in err


def test_error_text_is_redacted_with_the_clients_own_key_even_unregistered() -> None:
    forget_secrets()
    key = "not-hex-but-still-a-secret"  # no pattern would catch it: only the key itself
    body = json.dumps({"errors": [f"upstream said: ('user-api-key', '{key}')"]}).encode()
    err = error_for_response(422, {}, body, "PUT /x.json", secrets=(key,))
    assert isinstance(err, Rejected)
    assert (
        key not in str(err) and key not in err.user_message and all(key not in m for m in err.server_errors)
    )
    plain = error_for_response(
        429, {"retry-after": "5"}, f"slow down {key}".encode(), "GET /", secrets=(key,)
    )
    assert plain is not None and all(key not in m for m in plain.server_errors)


@pytest.mark.parametrize(
    "address",
    [
        "http://forum.localhost",
        "http://forum.localhost:8080",
        "http://a.b.localhost/",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://localhost./",
    ],
)
def test_plain_http_to_a_name_under_localhost_is_refused(address: str) -> None:
    with pytest.raises(InsecureConnectionRefused):
        normalize_base_url(address)


@pytest.mark.parametrize(
    "address", ["http://localhost:3000", "http://127.0.0.1", "http://127.8.9.10:81", "http://[::1]:9"]
)
def test_plain_http_to_a_loopback_address_is_local(address: str) -> None:
    assert normalize_base_url(address).startswith("http://")


def test_the_demo_server_by_loopback_name_works_and_by_localhost_subdomain_is_refused(
    demo_server: DemoServer,
) -> None:
    ident = demo_server.credentials.moderator
    creds = Credentials.user(ident.key, username=ident.username)
    with ApiClient(f"http://localhost:{demo_server.port}", creds) as client:  # the literal name: allowed
        assert verify(client)["username"] == ident.username
    before = demo_server.request_count("*", "*")
    with pytest.raises(InsecureConnectionRefused) as refused:
        ApiClient(f"http://forum.localhost:{demo_server.port}", creds)
    assert "unencrypted" in refused.value.user_message and ident.key not in str(refused.value)
    assert demo_server.request_count("*", "*") == before  # refused before anything was sent
