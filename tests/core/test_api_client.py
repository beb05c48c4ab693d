"""ApiClient against real HTTP on loopback: the demo community server, a plain HTML server, a
slow-loris server and a closed port. Also URL validation and the no-key-leak guarantee."""

from __future__ import annotations

import http.server
import logging
import socket
import sqlite3
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modconsole import USER_AGENT
from modconsole.api import ApiClient, Budget, Credentials, Delivery, HostPacer, RetryPolicy, Timeouts
from modconsole.api.client import error_for_response, normalize_base_url, parse_retry_after
from modconsole.api.ratelimit import interruptible_sleep
from modconsole.connectors.discourse import badges as badges_api
from modconsole.connectors.discourse import groups as groups_api
from modconsole.connectors.discourse import posts as posts_api
from modconsole.connectors.discourse import topics as topics_api
from modconsole.connectors.discourse.session import verify
from modconsole.demo import store
from modconsole.demo.server import DemoServer, FaultRule, RateLimitConfig
from modconsole.errors import (
    ApiError,
    AuthError,
    Conflict,
    InsecureConnectionRefused,
    InvalidInput,
    ModConsoleError,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    Rejected,
    ServerUnavailable,
    UnexpectedPayload,
)
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration

FAST = RetryPolicy(max_retries=3, base=0.01, cap=0.05, max_rate_limit_wait=10.0)
BAD_KEY = "0123456789abcdef-not-a-real-key-0123456789abcdef"

# ---------------------------------------------------------------- leak guard

_seen_errors: list[BaseException] = []


@pytest.fixture(autouse=True)
def no_key_leaks(caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Every ApiError raised in these tests and every log record (all loggers, DEBUG) is checked
    for every key the test used (demo keys and BAD_KEY)."""
    caplog.set_level(logging.DEBUG)
    _seen_errors.clear()
    keys: list[str] = [BAD_KEY]
    if "demo_db" in request.fixturenames or "demo_server" in request.fixturenames:
        db = request.getfixturevalue("demo_db")
        with sqlite3.connect(db) as con:
            con.row_factory = sqlite3.Row
            creds = store.load_credentials(con)
        keys += [creds.admin.key, creds.moderator.key, creds.moderator2.key, creds.member.key]
    yield keys
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    if len(keys) > 1:  # a demo server was used: the client logs every request at DEBUG, so the
        assert records  # guard must see records (it reads every phase, not only teardown's)
    texts = [r.getMessage() for r in records] + [logging.Formatter().format(r) for r in records]
    for exc in _seen_errors:
        texts += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
        if isinstance(exc, ModConsoleError):
            texts += [exc.user_message, exc.detail or ""]
        if isinstance(exc, ApiError):
            texts += [*exc.server_errors, exc.route or ""]
    for key in keys:
        for text in texts:
            assert key not in text


def count(server: DemoServer, method: str, path: str, expected: int) -> int:
    """The server records a request just after answering it: wait (briefly) for the log to catch up."""
    deadline = time.monotonic() + 5.0
    n = server.request_count(method, path)
    while n < expected and time.monotonic() < deadline:
        time.sleep(0.01)
        n = server.request_count(method, path)
    time.sleep(0.05)  # and give an unexpected extra request the chance to show up
    return server.request_count(method, path)


def raises(exc_type: type[BaseException], fn: Any, *args: Any, **kw: Any) -> Any:
    with pytest.raises(exc_type) as info:
        fn(*args, **kw)
    _seen_errors.append(info.value)
    return info.value


def admin_client(server: DemoServer, **kw: Any) -> ApiClient:
    a = server.credentials.admin
    kw.setdefault("retry", FAST)
    return ApiClient(server.base_url, Credentials.admin(a.key, a.username), **kw)


def user_client(server: DemoServer, role: str = "moderator", **kw: Any) -> ApiClient:
    ident = getattr(server.credentials, role)
    kw.setdefault("retry", FAST)
    return ApiClient(server.base_url, Credentials.user(ident.key, username=ident.username), **kw)


class RecordingSleeper:
    """Real (interruptible) sleeps, with the requested durations recorded."""

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self.requested: list[float] = []

    def __call__(self, seconds: float, cancel: Any = None) -> None:
        self.requested.append(seconds)
        interruptible_sleep(seconds / self.speed, cancel)


class SteppedClock:
    """A monotonic clock that only moves when its :meth:`sleep` is called (no real waiting)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.requested: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float, cancel: Any = None) -> None:
        self.requested.append(seconds)
        self.now += seconds


# ---------------------------------------------------------------- URLs and credentials (no network)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://forum.example.com/", "https://forum.example.com"),
        ("https://Forum.Example.com//", "https://forum.example.com"),
        ("forum.example.com", "https://forum.example.com"),
        ("https://example.com/community/", "https://example.com/community"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://[::1]:9/", "http://[::1]:9"),
    ],
)
def test_base_url_normalisation(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "not a url",
        "ftp://forum.example.com",
        "https://",
        "https://user:pw@forum.example.com",
        "https://forum.example.com/?q=1",
        "javascript:alert(1)",
    ],
)
def test_garbage_urls_are_rejected_with_a_clear_message(bad: str) -> None:
    exc = raises(InvalidInput, normalize_base_url, bad)
    assert exc.user_message and not isinstance(exc, InsecureConnectionRefused)


def test_plain_http_to_a_remote_host_is_refused_unless_allowed() -> None:
    exc = raises(InsecureConnectionRefused, ApiClient, "http://forum.example.com", Credentials.user(BAD_KEY))
    assert "unencrypted" in exc.user_message
    assert (
        normalize_base_url("http://forum.example.com", allow_insecure_http=True) == "http://forum.example.com"
    )


def test_credentials_never_show_the_key() -> None:
    c = Credentials.admin(BAD_KEY, "system")
    assert BAD_KEY not in repr(c) and BAD_KEY not in str(c)
    assert c.headers() == {"Api-Key": BAD_KEY, "Api-Username": "system"}
    u = Credentials.user(BAD_KEY, client_id="modconsole-1")
    assert u.headers() == {"User-Api-Key": BAD_KEY, "User-Api-Client-Id": "modconsole-1"}
    assert u.default_budget() == Budget.user_key()
    raises(InvalidInput, Credentials.admin, BAD_KEY, "")
    raises(InvalidInput, Credentials.user, "")
    with ApiClient("https://forum.example.com", c) as api:
        assert BAD_KEY not in repr(api)


def test_default_timeouts() -> None:
    t = Timeouts()
    assert (t.connect, t.read, t.write, t.pool) == (5.0, 20.0, 20.0, 5.0)
    near_deadline = t.for_remaining(3.0)
    assert (near_deadline.connect, near_deadline.read, near_deadline.write) == (3.0, 3.0, 3.0)


def test_retry_after_forms() -> None:
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert parse_retry_after("soon") is None


def test_error_mapping_table() -> None:
    """The status/body → error table, for bodies the demo server does not produce."""
    h: dict[str, str] = {}
    conflict = error_for_response(409, h, b'{"errors":["edit_conflict"]}', "PUT /posts/1.json")
    assert isinstance(conflict, Conflict) and conflict.server_errors == ("edit_conflict",)
    assert isinstance(error_for_response(403, h, b'{"failed":"FAILED"}', "r"), PermissionDenied)
    assert isinstance(error_for_response(403, h, b"", "r"), PermissionDenied)
    assert isinstance(
        error_for_response(403, h, b'{"errors":["x"],"error_type":"invalid_access"}', "r", auth_probe=True),
        AuthError,
    )
    assert isinstance(
        error_for_response(403, h, b'{"errors":["x"],"error_type":"not_logged_in"}', "r"), AuthError
    )
    gone = error_for_response(
        410, h, b'{"errors":["deleted_topic"],"error_type":"not_found"}', "GET /t/1.json"
    )
    assert isinstance(gone, NotFound) and gone.status == 410 and gone.route == "GET /t/1.json"
    bad = error_for_response(
        400, h, b'{"errors":["param is missing"],"error_type":"invalid_parameters"}', "r"
    )
    assert isinstance(bad, Rejected) and bad.server_errors == ("param is missing",)
    limited = error_for_response(
        429, {"retry-after": "7"}, b'{"error_type":"rate_limit","extras":{"wait_seconds":12}}', "r"
    )
    assert isinstance(limited, RateLimited) and limited.retry_after == 12.0
    day = error_for_response(
        429,
        {"retry-after": "7200", "discourse-rate-limit-error-code": "user_api_key_limiter_1_day"},
        b"{}",
        "r",
    )
    assert isinstance(day, RateLimited) and day.code == "user_api_key_limiter_1_day"
    assert "daily" in day.user_message and "2.0 hours" in day.user_message
    redirect = error_for_response(302, {"location": "https://sso.example.com/login"}, b"", "GET /latest.json")
    assert isinstance(redirect, UnexpectedPayload) and "sso.example.com" in redirect.user_message
    assert error_for_response(204, h, b"", "r") is None


# ---------------------------------------------------------------- every error from a real response


def test_success_headers_counters_and_clock_offset(demo_server: DemoServer) -> None:
    with admin_client(demo_server) as api:
        page = topics_api.latest(api, per_page=5)
        assert len(page.topics) == 5
        stats = api.stats()
    assert stats.requests_sent == 1 == demo_server.request_count("GET", "/latest.json")
    assert stats.last_status == 200
    assert stats.pacer.used_last_minute == 1
    assert stats.pacer.remaining_minute == Budget.admin_key().per_minute - 1  # type: ignore[operator]
    assert (
        stats.clock_offset is not None and abs(stats.clock_offset) < 2.0
    )  # same machine, 1 s Date resolution
    assert USER_AGENT.startswith("modconsole/")


def test_bad_key_is_an_auth_error(demo_server: DemoServer) -> None:
    with ApiClient(demo_server.base_url, Credentials.admin(BAD_KEY, "system"), retry=FAST) as api:
        exc = raises(AuthError, api.get_json, "/latest.json")
        assert exc.status == 403 and exc.route == "GET /latest.json" and not exc.retryable
        raises(AuthError, verify, api)
    with ApiClient(demo_server.base_url, Credentials.user(BAD_KEY), retry=FAST) as api:
        raises(AuthError, topics_api.latest, api)
    assert count(demo_server, "GET", "/latest.json", 2) == 2  # never retried


def test_verify_returns_the_signed_in_user(demo_server: DemoServer) -> None:
    with user_client(demo_server, "moderator") as api:
        me = verify(api)
    assert me["username"] == demo_server.credentials.moderator.username


def test_member_granting_a_badge_is_permission_denied(demo_server: DemoServer) -> None:
    with admin_client(demo_server) as admin:
        badge = next(b for b in badges_api.badges(admin) if not b.multiple_grant)
    with user_client(demo_server, "member") as api:
        exc = raises(
            PermissionDenied,
            badges_api.grant_badge,
            api,
            demo_server.credentials.moderator.username,
            badge.id,
        )
    assert exc.status == 403 and exc.route == "POST /user_badges.json"
    assert count(demo_server, "POST", "/user_badges.json", 1) == 1


def test_unknown_topic_is_not_found(demo_server: DemoServer) -> None:
    with admin_client(demo_server) as api:
        exc = raises(NotFound, topics_api.topic, api, 987654)
    assert exc.status == 404 and exc.route == "GET /t/987654.json"
    assert count(demo_server, "GET", "/t/987654.json", 1) == 1


def test_adding_an_existing_member_is_rejected_with_the_server_errors(demo_server: DemoServer) -> None:
    with admin_client(demo_server) as api:
        group = groups_api.group(api, "superusers")
        member = next(iter(groups_api.iter_members(api, "superusers")))
        exc = raises(Rejected, groups_api.add_members, api, group.id, [member.username])
    assert exc.status == 422 and exc.server_errors
    assert exc.server_errors[0] in exc.user_message


def test_json_429_is_honoured_then_the_get_succeeds(demo_server: DemoServer) -> None:
    demo_server.add_fault(FaultRule("rate_limit", method="GET", path="/latest.json", count=1, seconds=1.0))
    clock = SteppedClock()  # moves only when the pacer sleeps: no load can shorten the wait seen
    pacer = HostPacer(Budget.unlimited(), clock=clock, sleeper=clock.sleep)
    with admin_client(demo_server, pacer=pacer) as api:
        page = topics_api.latest(api)
        stats = api.stats()
    assert page.topics
    assert count(demo_server, "GET", "/latest.json", 2) == 2
    assert stats.rate_limited == 1 and stats.retries == 1
    assert sum(clock.requested) == pytest.approx(1.0)  # the pacer sat out the server's Retry-After


def test_text_plain_per_ip_429_is_understood(demo_server: DemoServer) -> None:
    demo_server.add_fault(FaultRule("rate_limit_ip", path="/latest.json", count=1, seconds=1.0))
    with admin_client(demo_server, retry=RetryPolicy(max_retries=0)) as api:
        exc = raises(RateLimited, api.get_json, "/latest.json")
    assert exc.code == "ip_10_secs_limit" and exc.retry_after >= 1.0
    assert "computer's address" in exc.user_message
    assert exc.server_errors and "Slow down" in exc.server_errors[0]
    assert api.pacer.snapshot().paused_for > 0


def test_real_server_limits_are_honoured_with_a_fast_clock(demo_db: Path) -> None:
    """The server enforces Discourse's limits on a 10× clock; a client with *no* budget hits the
    real 429 and still completes every request by sitting out Retry-After. (A server minute is 6 real
    seconds: a loaded machine still sends 61 requests within one, which at 60× it might not.)"""
    server = DemoServer(demo_db, limits=RateLimitConfig.discourse_defaults(), clock_speed=10.0)
    server.start()
    try:
        with admin_client(server, pacer=HostPacer(Budget.unlimited())) as api:
            for _ in range(65):
                api.get_json("/site.json")
            stats = api.stats()
        assert stats.rate_limited >= 1
        assert sum(1 for r in server.requests if r.status == 200) == 65
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("role", "limit"), [("admin", Budget.admin_key_limit()), ("moderator", Budget.user_key_limit())]
)
def test_pacing_keeps_a_burst_under_the_real_limits(demo_db: Path, role: str, limit: Budget) -> None:
    # The server's minute lasts 6 real seconds; the budget's 1 s margin is then 100 ms of real time,
    # which the jitter between our send time and the server's arrival time must not eat up. (At 30x it
    # was 33 ms: a loaded 2-core machine delays one request by more than that and the server counts
    # one request over the limit in its window.)
    speed = 10.0
    server = DemoServer(demo_db, limits=RateLimitConfig.discourse_defaults(), clock_speed=speed)
    server.start()
    try:
        pacer = HostPacer(limit, clock=lambda: time.monotonic() * speed, sleeper=RecordingSleeper(speed))
        retry = RetryPolicy(max_retries=0, max_rate_limit_wait=120.0)  # waits are in server seconds here
        burst = (limit.per_minute or 0) + 10  # crosses one full window
        api = (
            admin_client(server, pacer=pacer, retry=retry)
            if role == "admin"
            else user_client(server, role, pacer=pacer, retry=retry)
        )
        with api:
            for _ in range(burst):
                api.get_json("/latest.json", {"per_page": 1})
            stats = api.stats()
        assert stats.rate_limited == 0
        assert [r.status for r in server.requests] == [200] * burst
        assert stats.pacer.total_requests == burst
    finally:
        server.stop()


def test_5xx_is_retried_for_gets_then_succeeds(demo_server: DemoServer) -> None:
    demo_server.add_fault(FaultRule("status", method="GET", path="/latest.json", count=2, status=502))
    with admin_client(demo_server) as api:
        assert topics_api.latest(api).topics
        assert api.stats().retries == 2
    assert count(demo_server, "GET", "/latest.json", 3) == 3


def test_5xx_beyond_the_retry_cap_is_server_unavailable(demo_server: DemoServer) -> None:
    demo_server.add_fault(FaultRule("status", method="GET", path="/latest.json", status=500))
    with admin_client(demo_server) as api:
        exc = raises(ServerUnavailable, api.get_json, "/latest.json")
    assert exc.status == 500 and exc.retryable
    assert count(demo_server, "GET", "/latest.json", FAST.max_retries + 1) == FAST.max_retries + 1


def test_read_only_is_not_sent_and_writes_are_never_retried(demo_server: DemoServer) -> None:
    demo_server.add_fault(FaultRule("read_only", method="POST", path="/solution/accept.json"))
    with admin_client(demo_server) as api:
        att = api.attempt_json("POST", "/solution/accept.json", data={"id": 1})
        _seen_errors.append(att.error)  # type: ignore[arg-type]
        assert isinstance(att.error, ServerUnavailable) and att.error.error_type == "read_only"
        assert att.delivery is Delivery.NOT_SENT and att.not_sent
        raises(ServerUnavailable, api.post_json, "/solution/accept.json", {"id": 1})
    assert count(demo_server, "POST", "/solution/accept.json", 2) == 2


def test_dropped_connection_on_get_is_retried_then_a_clear_error(demo_server: DemoServer) -> None:
    demo_server.add_fault(FaultRule("drop", method="GET", path="/site.json", count=1))
    with admin_client(demo_server) as api:
        assert api.get_json("/site.json")["categories"]
    demo_server.add_fault(FaultRule("drop", method="GET", path="/site.json"))
    with admin_client(demo_server, retry=RetryPolicy(max_retries=1, base=0.01, cap=0.01)) as api:
        exc = raises(NetworkError, api.get_json, "/site.json")
    assert exc.error_type in ("dropped", "read_error") and "connection" in exc.user_message.lower()
    assert exc.route == "GET /site.json"
    assert exc.__cause__ is None and exc.__context__ is None  # httpx's request (with headers) is not chained


def test_malformed_json_names_the_route(demo_server: DemoServer) -> None:
    demo_server.add_fault(FaultRule("malformed", method="GET", path="/latest.json", count=1))
    with admin_client(demo_server) as api:
        exc = raises(UnexpectedPayload, topics_api.latest, api)
    assert exc.route == "GET /latest.json" and "/latest.json" in str(exc)
    assert exc.status == 200


def test_ambiguous_vs_not_sent_for_a_post(demo_server: DemoServer) -> None:
    topic_id = None
    with admin_client(demo_server) as api:
        topic_id = topics_api.latest(api, per_page=1).topics[0].id
        before = topics_api.topic(api, topic_id).posts_count
        demo_server.add_fault(FaultRule("apply_then_drop", method="POST", path="/posts.json", count=1))
        att = api.attempt_json(
            "POST", "/posts.json", data={"topic_id": topic_id, "raw": "Applied, then dropped."}
        )
        _seen_errors.append(att.error)  # type: ignore[arg-type]
        assert isinstance(att.error, NetworkError) and att.ambiguous and att.delivery is Delivery.AMBIGUOUS
        # the write did happen: exactly why the outbox must verify instead of re-sending
        assert topics_api.topic(api, topic_id).posts_count == before + 1
        # post_json never re-sends it either
        demo_server.add_fault(FaultRule("apply_then_drop", method="POST", path="/posts.json", count=1))
        raises(NetworkError, posts_api.reply, api, topic_id, "Second one, also dropped.")
        assert topics_api.topic(api, topic_id).posts_count == before + 2
    assert count(demo_server, "POST", "/posts.json", 2) == 2
    # 429 on a write: not sent (the handler never ran)
    demo_server.add_fault(FaultRule("rate_limit", method="POST", path="/posts.json", count=1, seconds=1.0))
    with admin_client(demo_server, retry=RetryPolicy(max_retries=0)) as api:
        att = api.attempt_json("POST", "/posts.json", data={"topic_id": topic_id, "raw": "Rate limited."})
    _seen_errors.append(att.error)  # type: ignore[arg-type]
    assert isinstance(att.error, RateLimited) and att.not_sent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused_is_a_not_sent_network_error() -> None:
    with ApiClient(f"http://127.0.0.1:{free_port()}", Credentials.user(BAD_KEY), retry=FAST) as api:
        att = api.attempt_json("POST", "/posts.json", data={"raw": "x"})
        _seen_errors.append(att.error)  # type: ignore[arg-type]
        assert isinstance(att.error, NetworkError) and att.error.error_type == "connect_error"
        assert att.delivery is Delivery.NOT_SENT
        exc = raises(NetworkError, api.get_json, "/latest.json")
        assert "reach" in exc.user_message
        assert api.stats().retries == FAST.max_retries


# ---------------------------------------------------------------- not Discourse, slow-loris


class _HtmlHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def html_server() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HtmlHandler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()
        t.join(WAIT_S)


def test_a_site_that_is_not_discourse_gives_a_clear_error(html_server: str) -> None:
    with ApiClient(html_server, Credentials.user(BAD_KEY), retry=FAST) as api:
        exc = raises(UnexpectedPayload, topics_api.latest, api)
        assert "web page" in exc.user_message and exc.route == "GET /latest.json"
        raises(UnexpectedPayload, verify, api)


@pytest.fixture
def slow_loris() -> Iterator[str]:
    """Answers with headers, then one body byte every 50 ms, forever (until the client leaves)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    stop = threading.Event()

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
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
        yield f"http://127.0.0.1:{srv.getsockname()[1]}"
    finally:
        stop.set()
        t.join(timeout=WAIT_S)
        srv.close()


def test_slow_loris_hits_the_overall_deadline(slow_loris: str) -> None:
    timeouts = Timeouts(connect=1, read=5, write=1, pool=1, deadline=0.6)
    with ApiClient(
        slow_loris, Credentials.user(BAD_KEY), timeouts=timeouts, retry=RetryPolicy(max_retries=0)
    ) as api:
        exc = raises(NetworkError, api.get_json, "/latest.json")
    assert exc.error_type == "deadline" and "0.6 s" in exc.user_message
