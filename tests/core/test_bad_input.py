"""Bad input gets one clear line, the right exit code and nothing queued (issue 12, finding 8),
through the real ``modconsole`` command against the demo community over loopback — plus the
client's overall deadline against a slow-drip server and the sanitizer on absurd nesting.

Exit codes are those of i11's ``modconsole.exitcodes``: 2 bad input, 4 key refused, 5 not reached.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest

from modconsole.api import ApiClient, Credentials, RetryPolicy, Timeouts
from modconsole.commands import main as cli
from modconsole.demo.server import DemoServer
from modconsole.errors import NetworkError
from modconsole.html import MAX_DEPTH, sanitize
from tests.core.outbox_support import answerable, user_id

pytestmark = pytest.mark.integration

BAD_INPUT, KEY_REFUSED, NOT_REACHED = 2, 4, 5


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Error:" not in err
    return lines[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cache_files() -> list[Path]:
    import os

    return sorted((Path(os.environ["MODCONSOLE_DATA_DIR"]) / "data").rglob("*.sqlite3"))


@pytest.fixture
def site(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    me = demo_server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    args = ["--site", demo_server.base_url, "--username", me.username, "--key-kind", "user"]
    code, _, err = _run(capsys, "sync", *args, "--unpaced", "--json")
    assert code == 0, err
    return args


def _queued(capsys: pytest.CaptureFixture[str], site: list[str]) -> dict[str, int]:
    code, out, err = _run(capsys, "outbox", *site, "--all", "--json")
    assert code == 0, err
    return dict(json.loads(out)["counts"])


# ---------------------------------------------------------------- ids, reason links, notes


def test_ids_too_large_for_any_community_are_refused_in_one_line(
    demo_server: DemoServer, site: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    huge, huger = str(2**63), str(2**64 + 5)
    url = demo_server.base_url
    attempts = [
        ["accept", huge],
        ["unaccept", huger],
        ["award", "--badge", huge, "--user", "wen_meyer"],
        ["revoke", "--badge", huger, "--user", "wen_meyer"],
        ["award", "--badge", "Superuser", "--user", "wen_meyer", "--reason", f"{url}/t/some-topic/{huge}"],
        ["award", "--badge", "Superuser", "--user", "wen_meyer", "--reason", f"{url}/t/some-topic/5/{huger}"],
    ]
    for argv in attempts:
        code, out, err = _run(capsys, *argv, *site)
        line = _one_line(err)
        assert code == BAD_INPUT, (argv, out, err)
        assert "ids are whole numbers from 1 to 9223372036854775807" in line or "no topic has" in line, line
    assert sum(_queued(capsys, site).values()) == 0


def test_a_reason_link_to_a_topic_that_does_not_exist_is_refused_before_it_is_queued(
    demo_server: DemoServer, site: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    (missing,) = demo_server_rows(demo_server, "SELECT MAX(id) + 1000 FROM topics")[0]
    reason = f"{demo_server.base_url}/t/no-such-topic/{missing}/2"
    code, out, err = _run(
        capsys, "award", "--badge", "Superuser", "--user", "wen_meyer", "--reason", reason, *site
    )
    line = _one_line(err)
    assert code == BAD_INPUT, out + err
    assert f"The reason links to topic {missing}, which does not exist" in line
    assert sum(_queued(capsys, site).values()) == 0
    # a topic the cache does not hold but the community does is fetched, and the award goes through
    (tid,) = demo_server_rows(demo_server, "SELECT MAX(id) FROM topics WHERE deleted_at IS NULL")[0]
    code, out, err = _run(
        capsys,
        "award",
        "--badge",
        "Superuser",
        "--user",
        "wen_meyer",
        "--reason",
        f"{demo_server.base_url}/t/x/{tid}",
        *site,
        "--queue-only",
    )
    assert code == 0, err
    assert _queued(capsys, site)["pending"] == 1


def demo_server_rows(server: DemoServer, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        return list(con.execute(sql))
    finally:
        con.close()


def test_a_note_over_the_limit_is_refused_not_cut(
    demo_server: DemoServer, site: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    (_tid, pid, _n), *_ = answerable(demo_server, solved=False, limit=1)
    code, out, err = _run(capsys, "accept", str(pid), "--note", "x" * 100_000, *site, "--queue-only")
    line = _one_line(err)
    assert code == BAD_INPUT, out + err
    assert "The note is 100,000 characters long; the limit is 2,000" in line
    assert sum(_queued(capsys, site).values()) == 0
    code, out, err = _run(capsys, "accept", str(pid), "--note", "y" * 2000, *site, "--queue-only", "--json")
    assert code == 0, err
    code, out, _ = _run(capsys, "outbox", *site, "--json")
    assert [a["note"] for a in json.loads(out)["actions"]] == ["y" * 2000]  # kept whole


# ---------------------------------------------------------------- unreachable, wrong user, no key


def test_push_to_a_never_synced_site_nobody_answers_on_fails_and_leaves_no_cache(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODCONSOLE_API_KEY", "0123456789abcdef0123456789abcdef")
    nowhere = f"http://127.0.0.1:{_free_port()}"
    for verb in (["push"], ["sync"]):
        code, out, err = _run(capsys, *verb, "--site", nowhere, "--username", "alice", "--key-kind", "user")
        assert code == NOT_REACHED, (verb, out, err)
        assert _one_line(err) == f"modconsole: Cannot reach {nowhere} (no connection, or wrong address)."
        assert "delivered" not in out
    assert _cache_files() == []


def test_a_sync_with_a_wrong_username_leaves_no_cache(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODCONSOLE_API_KEY", demo_server.credentials.admin.key)
    site = ["--site", demo_server.base_url, "--username", "nobody_here", "--key-kind", "admin"]
    code, out, err = _run(capsys, "sync", *site)
    assert code == KEY_REFUSED, out + err
    line = _one_line(err)
    assert "refused this key for @nobody_here" in line and "the username is right" in line
    assert _cache_files() == []


def test_without_a_key_or_a_keychain_the_message_names_the_variable(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        code, out, err = _run(capsys, "sync", "--site", demo_server.base_url, "--username", "alice")
    finally:
        keyring.set_keyring(previous)
    assert code == BAD_INPUT, out + err
    assert "set MODCONSOLE_API_KEY" in _one_line(err)


# ---------------------------------------------------------------- server text on the terminal


def test_bidi_and_control_characters_in_server_names_are_escaped_on_the_terminal(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = "Super\u202eresu\x1b[2J\u2066x"
    con = sqlite3.connect(demo_server.db_path)
    try:
        con.execute("UPDATE badges SET name = ? WHERE id = 201", (hostile,))
        con.commit()
    finally:
        con.close()
    me = demo_server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", demo_server.base_url, "--username", me.username, "--key-kind", "user"]
    assert _run(capsys, "sync", *site, "--unpaced")[0] == 0
    assert user_id(demo_server, "wen_meyer")
    code, out, err = _run(capsys, "award", "--badge", "201", "--user", "wen_meyer", *site, "--queue-only")
    assert code == 0, err
    code, listing, _ = _run(capsys, "outbox", *site)
    for text in (out, listing):
        assert "“Super\\u202eresu\\u001b[2J\\u2066x”" in text, text
        assert not any(ch in text for ch in "\u202e\x1b\u2066")
    code, data, _ = _run(capsys, "outbox", *site, "--json")  # JSON keeps the name, escaped by JSON
    assert json.loads(data)["actions"][0]["action"] == f"Award badge “{hostile}” to @wen_meyer"


# ---------------------------------------------------------------- a slow-drip server


@pytest.fixture
def slow_drip() -> Iterator[tuple[str, list[int]]]:
    """Answers with headers, then one body byte every 50 ms (until the client leaves); counts
    the requests it got."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    stop = threading.Event()
    seen: list[int] = []

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                seen.append(1)
                try:
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
                    )
                    while not stop.is_set():
                        conn.sendall(b" ")
                        time.sleep(0.05)
                except OSError:
                    pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.getsockname()[1]}", seen
    finally:
        stop.set()
        t.join(timeout=30)
        srv.close()


def test_a_slow_drip_is_given_up_after_one_overall_deadline_not_one_per_retry(
    slow_drip: tuple[str, list[int]],
) -> None:
    url, seen = slow_drip
    timeouts = Timeouts(connect=5, read=10, write=5, pool=5, deadline=0.5)
    retry = RetryPolicy(max_retries=3, base=0.01, cap=0.05)  # the default count of retries
    with ApiClient(
        url, Credentials.user("0123456789abcdef0123456789abcdef"), timeouts=timeouts, retry=retry
    ) as api:
        with pytest.raises(NetworkError) as caught:
            api.get_json("/latest.json")
        assert caught.value.error_type == "deadline"
        assert "did not finish answering within 0.5 s" in caught.value.user_message
        assert api.stats().requests_sent == 1 and api.stats().retries == 0
    assert len(seen) == 1
    # the default deadline lets a drip hold a command for well under a minute
    assert Timeouts().deadline <= 30


DRIP_BYTES = 400


class HeaderDrip:
    """Sends its status line, then one header byte every 50 ms (:data:`DRIP_BYTES` in all, 20 s),
    then a valid answer. Each read gets a byte long before any read timeout, so only an overall
    deadline makes the client leave early; ``dripped`` records how many bytes went out before
    the client left (or all of them)."""

    def __init__(self) -> None:
        self.srv = socket.socket()
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(8)
        self.url = f"http://127.0.0.1:{self.srv.getsockname()[1]}"
        self.stop = threading.Event()
        self.finished = threading.Event()
        self.dripped: list[int] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.srv.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.srv.accept()
            except OSError:
                continue
            sent = 0
            with conn:
                conn.recv(65536)
                try:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Pad: ")
                    while sent < DRIP_BYTES and not self.stop.is_set():
                        conn.sendall(b"a")
                        sent += 1
                        time.sleep(0.05)
                    conn.sendall(b"\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                except OSError:
                    pass
            self.dripped.append(sent)
            self.finished.set()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        self.srv.close()


@pytest.fixture
def header_drip() -> Iterator[HeaderDrip]:
    drip = HeaderDrip()
    try:
        yield drip
    finally:
        drip.close()


def test_a_server_dripping_its_headers_is_bound_by_the_overall_deadline(header_drip: HeaderDrip) -> None:
    timeouts = Timeouts(connect=5, read=10, write=5, pool=5, deadline=0.5)
    creds = Credentials.user("0123456789abcdef0123456789abcdef")
    api = ApiClient(header_drip.url, creds, timeouts=timeouts, retry=RetryPolicy(max_retries=0))
    try:
        with pytest.raises(NetworkError) as caught:
            api.get_json("/latest.json")
    finally:
        api.close()
    assert caught.value.error_type == "deadline"
    assert "did not finish answering within 0.5 s" in caught.value.user_message
    assert header_drip.finished.wait(60)
    assert header_drip.dripped[0] < DRIP_BYTES  # the client left mid-drip, not at its end


# ---------------------------------------------------------------- absurd nesting


@pytest.mark.parametrize("tag", ["div", "blockquote", "li", "span"])
def test_sanitizing_absurdly_deep_nesting_is_bounded(tag: str) -> None:
    depth = 100_000
    cooked = f"<{tag}>" * depth + "the words" + f"</{tag}>" * depth
    out = sanitize(cooked)
    assert "the words" in out
    assert out.count(f"<{tag}>") <= MAX_DEPTH
    assert len(out) < (2 * len(tag) + 5) * MAX_DEPTH + 100


def test_ordinary_nesting_is_left_alone() -> None:
    cooked = "<blockquote>" * 30 + "<p>quoted <b>text</b></p>" + "</blockquote>" * 30
    out = sanitize(cooked)
    assert out.count("<blockquote>") == 30 and "<b>text</b>" in out
