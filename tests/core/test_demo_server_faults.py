"""Rate limits (fast clock), fault injection, the control endpoint and live mode of the demo server."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from modconsole.demo import store
from modconsole.demo.server import DemoServer, FaultRule, RateLimitConfig
from tests.core.test_demo_server_api import check_counters
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration


@pytest.fixture
def http(demo_server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server.base_url, timeout=WAIT_S) as c:
        yield c


def test_admin_bucket_is_shared_and_429_is_discourse_json(
    demo_server: DemoServer, http: httpx.Client
) -> None:
    s = demo_server
    s.set_limits(
        RateLimitConfig(enabled=True, admin_per_minute=5, ip_per_10_seconds=1000, ip_per_minute=1000)
    )
    admin = s.credentials.admin.headers()
    for _ in range(5):  # at real speed: a loaded machine has a whole minute for these
        assert http.get("/site.json", headers=admin).status_code == 200
    assert http.get("/latest.json", headers=admin).status_code == 429
    s.set_clock_speed(60.0)  # from now on a minute passes in a second
    r = http.get("/latest.json", headers=admin)
    assert r.status_code == 429
    body = r.json()
    assert (
        body["error_type"] == "rate_limit"
        and r.headers["Discourse-Rate-Limit-Error-Code"] == "admin_api_key_rate_limit"
    )
    wait = body["extras"]["wait_seconds"]
    assert isinstance(wait, float) and 0 < wait <= 1.0  # real seconds at 60× speed
    assert int(r.headers["Retry-After"]) == 1  # integer ≥ 1
    # user keys have their own per-key bucket
    assert http.get("/latest.json", headers=s.credentials.moderator.headers()).status_code == 200
    time.sleep(wait + 0.05)
    assert http.get("/latest.json", headers=admin).status_code == 200


def test_user_key_limits_per_key(demo_server: DemoServer, http: httpx.Client) -> None:
    s = demo_server
    s.set_limits(
        RateLimitConfig(
            enabled=True, user_per_minute=3, user_per_day=5, ip_per_10_seconds=1000, ip_per_minute=1000
        )
    )
    mod, mod2 = s.credentials.moderator.headers(), s.credentials.moderator2.headers()
    codes = [http.get("/latest.json", headers=mod).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert (
        http.get("/latest.json", headers=mod).headers["Discourse-Rate-Limit-Error-Code"]
        == "user_api_key_limiter_60_secs"
    )
    assert http.get("/latest.json", headers=mod2).status_code == 200
    s.set_clock_speed(3600.0)
    time.sleep(0.05)  # 3 virtual minutes
    codes = [http.get("/latest.json", headers=mod).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    r = http.get("/latest.json", headers=mod)
    assert r.headers["Discourse-Rate-Limit-Error-Code"] == "user_api_key_limiter_1_day"
    assert r.json()["extras"]["wait_seconds"] > 1.0


def test_per_ip_limit_is_text_plain_and_admin_requests_roll_back(
    demo_server: DemoServer, http: httpx.Client
) -> None:
    s = demo_server
    s.set_limits(
        RateLimitConfig(enabled=True, admin_per_minute=1000, ip_per_10_seconds=3, ip_per_minute=1000)
    )
    admin = s.credentials.admin.headers()
    for _ in range(6):  # authenticated admin-API requests do not count against the IP
        assert http.get("/site.json", headers=admin).status_code == 200
    codes = [http.get("/latest.json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = http.get("/latest.json", headers=s.credentials.member.headers())
    assert r.status_code == 429 and r.headers["content-type"].startswith("text/plain")
    assert (
        r.headers["Discourse-Rate-Limit-Error-Code"] == "ip_10_secs_limit"
        and int(r.headers["Retry-After"]) >= 1
    )
    s.set_limits(RateLimitConfig.off())
    assert http.get("/latest.json").status_code == 200


def test_faults_each_kind(demo_server: DemoServer, http: httpx.Client) -> None:
    s = demo_server
    fid = s.add_fault(FaultRule("status", "GET", "/latest.json", status=502, count=1))
    r = http.get("/latest.json")
    assert r.status_code == 502 and r.json()["errors"]
    assert http.get("/latest.json").status_code == 200  # count expired
    s.remove_fault(fid)
    s.add_fault(FaultRule("read_only", "POST", "*", count=1))
    r = http.post(
        "/posts.json", data={"topic_id": 1, "raw": "hello there"}, headers=s.credentials.member.headers()
    )
    assert r.status_code == 503 and r.json()["error_type"] == "read_only"
    s.add_fault(FaultRule("malformed", path="/site.json", count=1))
    r = http.get("/site.json")
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()
    s.add_fault(FaultRule("rate_limit", path="/t/*", seconds=2.5, count=1))
    r = http.get("/t/1.json")
    assert (
        r.status_code == 429 and r.headers["Retry-After"] == "3" and r.json()["extras"]["wait_seconds"] == 2.5
    )
    s.add_fault(FaultRule("rate_limit_ip", count=1))
    r = http.get("/latest.json")
    assert r.status_code == 429 and r.headers["content-type"].startswith("text/plain")
    s.add_fault(FaultRule("latency", path="/categories.json", seconds=0.2, count=1))
    t0 = time.perf_counter()
    assert http.get("/categories.json").status_code == 200
    assert time.perf_counter() - t0 >= 0.2
    s.add_fault(FaultRule("drop", path="/latest.json", count=1))
    with pytest.raises(httpx.TransportError):
        http.get("/latest.json")
    assert http.get("/latest.json").status_code == 200
    # probability 0 never fires
    s.add_fault(FaultRule("status", probability=0.0))
    assert all(http.get("/site.json").status_code == 200 for _ in range(5))
    s.clear_faults()


def test_apply_then_drop_applied_the_write(demo_server: DemoServer, http: httpx.Client) -> None:
    s = demo_server
    con = store.connect(s.db_path)
    tid = con.execute(
        "SELECT id FROM topics WHERE deleted_at IS NULL AND closed = 0 AND archived = 0 LIMIT 1"
    ).fetchone()[0]
    before = con.execute("SELECT COUNT(*) FROM posts WHERE topic_id = ?", (tid,)).fetchone()[0]
    s.add_fault(FaultRule("apply_then_drop", "POST", "/posts.json", count=1))
    with pytest.raises(httpx.TransportError):
        http.post(
            "/posts.json",
            data={"topic_id": tid, "raw": "applied but unanswered"},
            headers=s.credentials.member.headers(),
        )
    after = con.execute("SELECT COUNT(*) FROM posts WHERE topic_id = ?", (tid,)).fetchone()[0]
    assert after == before + 1
    assert (
        con.execute(
            "SELECT raw FROM posts WHERE topic_id = ? ORDER BY post_number DESC LIMIT 1", (tid,)
        ).fetchone()[0]
        == "applied but unanswered"
    )
    s.add_fault(FaultRule("drop", "POST", "/posts.json", count=1))  # a plain drop never applies a write
    with pytest.raises(httpx.TransportError):
        http.post(
            "/posts.json",
            data={"topic_id": tid, "raw": "never arrives"},
            headers=s.credentials.member.headers(),
        )
    assert con.execute("SELECT COUNT(*) FROM posts WHERE topic_id = ?", (tid,)).fetchone()[0] == after
    con.close()


def test_fault_spec_parsing() -> None:
    r = FaultRule.parse("status:GET:/latest.json:p=0.2:status=502")
    assert r == FaultRule("status", "GET", "/latest.json", probability=0.2, status=502)
    assert FaultRule.parse("latency:*:/t/*:seconds=1.5:count=3") == FaultRule(
        "latency", "*", "/t/*", seconds=1.5, count=3
    )
    with pytest.raises(ValueError):
        FaultRule.parse("explode")


def test_control_endpoint(demo_server: DemoServer, http: httpx.Client) -> None:
    s = demo_server
    admin_key = {"Api-Key": s.credentials.admin.key}
    assert http.post("/_demo/faults", json={"spec": "status:GET:/site.json"}).status_code == 403
    assert (
        http.post(
            "/_demo/faults",
            json={"spec": "status:GET:/site.json"},
            headers={"Api-Key": s.credentials.member.key},
        ).status_code
        == 403
    )
    fid = http.post(
        "/_demo/faults", json={"spec": "status:GET:/site.json:status=503"}, headers=admin_key
    ).json()["id"]
    assert http.get("/site.json").status_code == 503
    assert [f["id"] for f in http.get("/_demo/faults", headers=admin_key).json()["faults"]] == [fid]
    assert http.delete(f"/_demo/faults/{fid}", headers=admin_key).status_code == 200
    assert http.get("/site.json").status_code == 200
    r = http.put("/_demo/limits", json={"preset": "discourse", "clock_speed": 10}, headers=admin_key)
    assert r.json()["limits"]["enabled"] is True and s.limits == RateLimitConfig.discourse_defaults()
    assert s.clock_speed == 10
    # control routes are exempt from limits and faults
    s.add_fault(FaultRule("status"))
    assert http.put("/_demo/limits", json={"preset": "off"}, headers=admin_key).status_code == 200
    assert http.delete("/_demo/faults", headers=admin_key).status_code == 200
    assert http.get("/latest.json").status_code == 200 and not s.limits.enabled
    assert (
        http.put("/_demo/settings", json={"solved_flavour": "plugin"}, headers=admin_key).status_code == 200
    )
    assert s.settings["solved_flavour"] == "plugin"
    assert http.post("/_demo/faults", json={"kind": "nonsense"}, headers=admin_key).status_code == 400


def test_request_log_never_holds_keys(demo_server: DemoServer, http: httpx.Client) -> None:
    s = demo_server
    s.clear_requests()
    http.get("/latest.json", headers=s.credentials.moderator.headers())
    http.get("/latest.json?api_key=secret&page=0")
    assert s.request_count("GET", "/latest.json") == 2 and s.request_count("POST") == 0
    rec = s.requests[0]
    assert rec.username == s.credentials.moderator.username and rec.status == 200 and rec.duration > 0
    assert all("secret" not in r.query and s.credentials.moderator.key not in repr(r) for r in s.requests)


def test_garbage_on_the_socket_keeps_the_server_alive(demo_server: DemoServer, http: httpx.Client) -> None:
    host, port = demo_server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=WAIT_S) as sock:
        sock.sendall(b"\x00\x01garbage\r\n\r\n")
        sock.recv(1024)
    assert http.get("/latest.json").status_code == 200


def test_live_mode_counters_stay_consistent(demo_server: DemoServer, http: httpx.Client) -> None:
    s = demo_server
    con = store.connect(s.db_path)

    def counts() -> tuple[int, ...]:
        return tuple(
            con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("topics", "posts", "likes", "users", "user_badges", "solutions")
        )

    before = counts()
    s.start_live(events_per_minute=6000.0, seed=3)  # ~100 events/s
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and sum(a != b for a, b in zip(counts(), before)) < 4:
        http.get("/latest.json")
        time.sleep(0.05)
    s.stop_live()
    after = counts()
    assert sum(a != b for a, b in zip(after, before)) >= 4, (before, after)
    check_counters(s.db_path)
    assert http.get("/latest.json").status_code == 200
    con.close()
