"""Bad input gives one clear error and leaves the cache untouched: nothing listening, a site that is
not Discourse, a bad key, and a server answering HTML on a JSON route (the pass pauses there)."""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from modconsole.api import ApiClient, Budget, Credentials, HostPacer
from modconsole.cache.db import Cache
from modconsole.commands.main import main
from modconsole.demo.server import DemoServer
from modconsole.errors import AuthError, NetworkError, UnexpectedPayload
from modconsole.exitcodes import ExitCode
from modconsole.sync import SyncEngine, SyncOptions
from modconsole.tasks import CancelToken
from tests.core.sync_support import FAST_RETRY, credentials, identity
from tests.helpers.waits import WAIT_S

HTML = b"<!doctype html><html><head><title>Welcome</title></head><body>Hello</body></html>"


def _mirror_rows(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sum(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("topics", "posts", "users", "badges", "user_badges", "group_members", "solutions")
        )
    finally:
        con.close()


_CLIENTS: list[ApiClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


def _engine(url: str, creds: Credentials, cache: Cache) -> SyncEngine:
    client = ApiClient(url, creds, pacer=HostPacer(Budget.unlimited()), retry=FAST_RETRY)
    _CLIENTS.append(client)
    return SyncEngine(client, cache, options=SyncOptions(retry_wait=0.01))


class _Server:
    """A loopback HTTP server: HTML everywhere, or a proxy to the demo that breaks one route."""

    def __init__(self, upstream: str | None, html_path: str | None) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if outer.upstream is None or path == outer.html_path:
                    body, ctype, status = HTML, "text/html; charset=utf-8", 200
                else:
                    headers = {
                        k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                    }
                    r = httpx.get(outer.upstream + self.path, headers=headers, timeout=WAIT_S)
                    body, ctype, status = r.content, r.headers.get("content-type", ""), r.status_code
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.upstream = upstream
        self.html_path = html_path
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(WAIT_S)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.sqlite3")
    yield c
    c.close()


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


def test_nothing_listening(cache: Cache) -> None:
    engine = _engine(f"http://127.0.0.1:{_free_port()}", Credentials.admin("k" * 64, "someone"), cache)
    with pytest.raises(NetworkError) as err:
        engine.run_once(CancelToken())
    assert "reach" in err.value.user_message
    assert _mirror_rows(cache.path) == 0


def test_not_a_discourse_site(cache: Cache) -> None:
    server = _Server(None, None)
    try:
        engine = _engine(server.url, Credentials.admin("k" * 64, "someone"), cache)
        with pytest.raises(UnexpectedPayload) as err:
            engine.run_once(CancelToken())
        assert "web page" in err.value.user_message
        assert _mirror_rows(cache.path) == 0
    finally:
        server.stop()


def test_bad_key(demo_server: DemoServer, cache: Cache) -> None:
    ident = identity(demo_server, "admin")
    engine = _engine(demo_server.base_url, Credentials.admin("0" * 64, ident.username), cache)
    with pytest.raises(AuthError) as err:
        engine.run_once(CancelToken())
    assert "not accepted" in err.value.user_message
    assert _mirror_rows(cache.path) == 0


def test_html_on_a_json_route_pauses_the_pass(demo_server: DemoServer, cache: Cache) -> None:
    proxy = _Server(demo_server.base_url, "/latest.json")
    try:
        creds = credentials(identity(demo_server, "admin"))
        engine = _engine(proxy.url, creds, cache)
        with pytest.raises(UnexpectedPayload) as err:
            engine.run_once(CancelToken())
        assert err.value.route == "GET /latest.json"
        assert _mirror_rows(cache.path) == 0  # categories came first; no topic page was applied
        con = sqlite3.connect(f"file:{cache.path}?mode=ro", uri=True)
        paused = con.execute("SELECT last_error FROM sync_cursors WHERE resource = 'stage:queue'").fetchone()
        con.close()
        assert paused is not None and "/latest.json" in paused[0]
        # once the site answers properly again, the same cache syncs to the end
        fine = _engine(demo_server.base_url, creds, cache)
        assert fine.run_once(CancelToken()).finished
        assert _mirror_rows(cache.path) > 0
    finally:
        proxy.stop()


def test_cli_exit_codes_and_no_key_in_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    secret = "s3cr3t-" + "x" * 40
    monkeypatch.setenv("MODCONSOLE_API_KEY", secret)
    argv = [
        "--data-dir",
        str(tmp_path / "d"),
        "sync",
        "--site",
        f"http://127.0.0.1:{_free_port()}",
        "--username",
        "someone",
        "--unpaced",
    ]
    assert main(argv) == ExitCode.NOT_REACHED
    out = capsys.readouterr()
    assert f"modconsole: Cannot reach {argv[4]}" in out.err
    assert secret not in out.err + out.out
    assert main(["--data-dir", str(tmp_path / "d"), "status", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"  # no empty cache left behind
