"""Sign-in against the demo community: API keys, the User API key flow, and clear refusals."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from tests.helpers.memkeyring import MemoryKeyring
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_S
from ui.signin import ENV_DEMO_SIZE, SignInResult, SignInView
from ui.tasks import InlineTaskManager


@pytest.fixture
def view(qtbot: QtBot, inline_tasks: InlineTaskManager, messages: MessageRecorder) -> SignInView:
    v = SignInView(client_id="modconsole-test-client")
    qtbot.addWidget(v)
    v.opened: list[str] = []  # type: ignore[misc]
    v.url_opener = lambda url: v.opened.append(url.toString())  # type: ignore[attr-defined]
    return v


def _signed(qtbot: QtBot, v: SignInView) -> list[SignInResult]:
    got: list[SignInResult] = []
    v.signed_in.connect(got.append)
    return got


def _key_mode(v: SignInView, site: str, key: str, *, username: str = "", kind: str = "user") -> None:
    v.site_edit.setText(site)
    v.mode_key.setChecked(True)
    v.key_kind.setCurrentIndex(v.key_kind.findData(kind))
    v.username_edit.setText(username)
    v.key_edit.setText(key)


def test_no_keychain_is_said_plainly_and_session_only_is_offered(view: SignInView) -> None:
    # The test keyring is not an OS keychain: the screen says so and pre-ticks "session only".
    assert not view.keychain_note.isHidden() and "session only" in view.keychain_note.text()
    assert view.session_only_box.isChecked()


def test_sign_in_with_a_user_api_key(
    qtbot: QtBot, view: SignInView, demo_server: Any, memory_keyring: MemoryKeyring
) -> None:
    who = demo_server.credentials.moderator
    got = _signed(qtbot, view)
    _key_mode(view, demo_server.base_url, who.key, username=who.username)
    view.sign_in_button.click()
    assert view.error_label.isHidden(), view.error_label.text()
    assert len(got) == 1 and got[0].username == who.username
    assert got[0].site_url == demo_server.base_url
    assert got[0].secrets.get(got[0].site_url, who.username) == who.key  # kept for the session…
    assert memory_keyring.store == {}  # …and never written anywhere else


def test_sign_in_with_an_admin_key_needs_its_username(
    qtbot: QtBot, view: SignInView, demo_server: Any
) -> None:
    admin = demo_server.credentials.admin
    got = _signed(qtbot, view)
    _key_mode(view, demo_server.base_url, admin.key, kind="admin")
    view.sign_in_button.click()
    assert not got and "username" in view.error_label.text().lower()
    view.username_edit.setText(admin.username)
    view.sign_in_button.click()
    assert [r.username for r in got] == [admin.username]


def test_user_api_key_flow_with_consent_given_in_the_browser(
    qtbot: QtBot, view: SignInView, demo_server: Any
) -> None:
    who = demo_server.credentials.moderator
    got = _signed(qtbot, view)
    view.site_edit.setText(demo_server.base_url)
    view.username_edit.setText(who.username)
    assert view.mode_browser.isChecked()
    view.open_browser_button.click()
    assert len(view.opened) == 1  # type: ignore[attr-defined]
    url = urlsplit(view.opened[0])  # type: ignore[attr-defined]
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/user-api-key/new" and params["scopes"] == "read,write"
    # The moderator approves in the browser; the demo shows the payload to paste back.
    consent = dict(params, username=who.username, password="demo")
    payload = httpx.post(f"{demo_server.base_url}/user-api-key.json", data=consent, timeout=WAIT_S).json()[
        "payload"
    ]
    view.payload_edit.setPlainText(payload)
    view.sign_in_button.click()
    assert view.error_label.isHidden(), view.error_label.text()
    assert len(got) == 1 and got[0].credentials.kind == "user"
    assert got[0].credentials.client_id == "modconsole-test-client"


def test_a_payload_from_another_attempt_is_refused(qtbot: QtBot, view: SignInView, demo_server: Any) -> None:
    got = _signed(qtbot, view)
    view.site_edit.setText(demo_server.base_url)
    view.sign_in_button.click()
    assert "authorization page" in view.error_label.text()
    view.open_browser_button.click()
    view.payload_edit.setPlainText("bm90IGEgcGF5bG9hZA==")
    view.sign_in_button.click()
    assert not got and "could not be decrypted" in view.error_label.text()


def test_a_bad_key_is_refused_clearly(qtbot: QtBot, view: SignInView, demo_server: Any) -> None:
    got = _signed(qtbot, view)
    _key_mode(view, demo_server.base_url, "0" * 32, username=demo_server.credentials.moderator.username)
    view.sign_in_button.click()
    assert not got
    assert "refused this key" in view.error_label.text()
    assert view.sign_in_button.isEnabled()


def test_an_address_nobody_answers_on(qtbot: QtBot, view: SignInView) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    got = _signed(qtbot, view)
    _key_mode(view, f"http://127.0.0.1:{port}", "k" * 32, username="someone")
    view.sign_in_button.click()
    assert not got and view.error_label.text().startswith("Could not reach")


class _NotDiscourse(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><html><body>Welcome to my blog</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def blog() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotDiscourse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(WAIT_S)


def test_a_site_that_is_not_discourse(qtbot: QtBot, view: SignInView, blog: str) -> None:
    got = _signed(qtbot, view)
    _key_mode(view, blog, "k" * 32, username="someone")
    view.sign_in_button.click()
    assert not got and "does not look like a Discourse or Vanilla community" in view.error_label.text()


def test_plain_http_to_another_host_needs_explicit_consent(qtbot: QtBot, view: SignInView) -> None:
    got = _signed(qtbot, view)
    _key_mode(view, "http://forum.example.com", "k" * 32, username="someone")
    view.sign_in_button.click()
    assert not got and "plain http" in view.error_label.text()
    view.open_browser_button.click()
    assert view.opened == []  # type: ignore[attr-defined]
    assert "plain http" in view.error_label.text()


def test_a_wrong_address_is_explained(qtbot: QtBot, view: SignInView) -> None:
    got = _signed(qtbot, view)
    _key_mode(view, "https://exa mple.com", "k" * 32)
    view.sign_in_button.click()
    assert not got and "not a web address" in view.error_label.text()


def test_without_a_keychain_the_key_is_not_kept_unless_session_only(
    qtbot: QtBot, view: SignInView, demo_server: Any
) -> None:
    got = _signed(qtbot, view)
    who = demo_server.credentials.moderator
    _key_mode(view, demo_server.base_url, who.key, username=who.username)
    view.session_only_box.setChecked(False)
    view.sign_in_button.click()
    assert not got and "Keep the key for this session only" in view.error_label.text()


def test_try_the_demo_community(qtbot: QtBot, view: SignInView, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DEMO_SIZE, "tiny")
    got = _signed(qtbot, view)
    view.demo_button.click()
    assert len(got) == 1, view.error_label.text()
    try:
        assert got[0].demo is not None and got[0].site_url == got[0].demo.base_url
        assert got[0].username == got[0].demo.credentials.moderator.username
        assert QUrl(got[0].site_url).host() == "127.0.0.1"
    finally:
        got[0].demo.stop()


def test_a_sign_in_is_remembered_for_the_headless_commands(
    demo_server: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a verified sign-in with an admin key, ``modconsole push`` needs no site and sends
    the admin headers (the kind the sign-in used)."""
    from modconsole.api.client import Credentials, normalize_base_url
    from modconsole.commands import main as cli
    from modconsole.paths import Paths
    from modconsole.secrets import MemorySecretStore
    from modconsole.sites import KnownSites
    from ui.app import open_session

    who = demo_server.credentials.admin
    site = normalize_base_url(demo_server.base_url)
    result = SignInResult(
        site, who.username, Credentials.admin(who.key, who.username), False, MemorySecretStore()
    )
    open_session(Paths.default().ensure(), result).close()
    (record,) = KnownSites(Paths.default()).all()
    assert (record.url, record.username, record.key_kind) == (site, who.username, "admin")

    monkeypatch.setenv("MODCONSOLE_API_KEY", who.key)
    argv = ["award", "--badge", "Superuser", "--user", "wen_meyer", "--queue-only"]
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert cli.main(["push", "--json"]) == 0, capsys.readouterr().err
    assert '"done": ["' in capsys.readouterr().out  # an admin key sent as a user key is refused
