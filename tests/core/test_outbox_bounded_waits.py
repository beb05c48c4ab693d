"""Issue 12, finding 4: a far-future ``Retry-After`` must not park an action for decades.

Against the demo server over loopback: a 429 asking for 999,999,999 s (and one whose
``Retry-After`` is an HTTP-date in 2099) leaves the row waiting at most a day, the wait a push
reports is the wait stored, a row stored far ahead by an older version is brought back on the next
push, and the moderator can retry a waiting action now (``resolve … retry``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from modconsole import clock
from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.commands import main as cli
from modconsole.demo.server import DemoServer, FaultRule
from modconsole.outbox import store
from modconsole.outbox.dispatcher import PushReport
from modconsole.services.moderation import ModerationService
from tests.core.outbox_support import demo_rows, open_service

Env = tuple[ModerationService, Cache, ApiClient, DemoServer]
MAX_WAIT = 86_400.0  # a day: the longest wait the console accepts (modconsole.api.ratelimit.MAX_WAIT)


@pytest.fixture
def env(demo_server: DemoServer, tmp_path: Path) -> Iterator[Env]:
    svc, cache, client = open_service(tmp_path, demo_server)
    try:
        yield svc, cache, client, demo_server
    finally:
        client.close()
        cache.close()


def _stored_wait(svc: ModerationService, op_uuid: str) -> float:
    row = svc.get(op_uuid)
    assert row is not None and row.state == "pending" and row.next_attempt_at is not None
    when = store.parse_iso(row.next_attempt_at)
    assert when is not None
    return (when - clock.now()).total_seconds()


def _shown_wait(report: PushReport) -> int:
    m = re.search(r"Next attempt in (\d+) s", report.message)
    assert m is not None, report.message
    return int(m.group(1))


def _assert_bounded(svc: ModerationService, client: ApiClient, op_uuid: str, report: PushReport) -> None:
    stored = _stored_wait(svc, op_uuid)
    assert MAX_WAIT - 60 <= stored <= MAX_WAIT  # a day at most (was: 2058 / 2099)
    assert abs(_shown_wait(report) - stored) <= 2  # the wait shown is the wait stored
    assert client.pacer.delay() <= MAX_WAIT  # the client's own pause is bounded too
    assert not report.failed and not report.conflicts


def test_retry_after_999999999_seconds_waits_at_most_a_day(env: Env) -> None:
    svc, _cache, client, server = env
    q = svc.set_trust_level("wen_meyer", 2)
    server.add_fault(FaultRule("rate_limit", "PUT", "*", seconds=999_999_999.0, count=1))
    report = svc.dispatcher().push()
    assert server.request_count("PUT") == 1
    _assert_bounded(svc, client, q.op_uuid, report)


def test_retry_after_http_date_in_2099_waits_at_most_a_day(env: Env) -> None:
    svc, _cache, client, server = env
    q = svc.set_trust_level("wen_meyer", 2)
    far = (datetime(2099, 1, 1, tzinfo=UTC) - clock.now()).total_seconds()
    server.add_fault(FaultRule("rate_limit_date", "PUT", "*", seconds=far, count=1))
    report = svc.dispatcher().push()
    row = svc.get(q.op_uuid)
    assert row is not None and row.last_http_status == 429
    _assert_bounded(svc, client, q.op_uuid, report)


def test_a_row_stored_decades_ahead_is_brought_back_by_the_next_push(env: Env) -> None:
    svc, cache, _client, server = env
    q = svc.set_trust_level("wen_meyer", 2)
    with cache.write() as conn:  # what an older version stored after such a 429
        conn.execute(text("UPDATE outbox SET next_attempt_at = '2058-09-12T01:46:39.000Z'"))
    report = svc.dispatcher().push()
    stored = _stored_wait(svc, q.op_uuid)
    assert MAX_WAIT - 60 <= stored <= MAX_WAIT
    assert abs(_shown_wait(report) - stored) <= 2
    assert server.request_count("PUT") == 0  # bounded, not sent early


def test_the_moderator_retries_a_waiting_action_now(env: Env) -> None:
    svc, _cache, _client, server = env
    q = svc.set_trust_level("wen_meyer", 2)
    server.add_fault(FaultRule("rate_limit", "PUT", "*", seconds=999_999_999.0, count=1))
    svc.dispatcher().push()
    row = svc.get(q.op_uuid)
    assert row is not None and row.state == "pending" and row.choices == ("retry", "discard")
    svc.resolve(q.op_uuid[:8], "retry", note="the limit is over")  # was refused for a pending row
    row = svc.get(q.op_uuid)
    assert row is not None and row.state == "pending" and row.next_attempt_at is None
    decision = row.result["decisions"][-1]
    assert decision["choice"] == "retry" and decision["from_state"] == "pending"
    report = svc.dispatcher().push()
    assert svc.get(q.op_uuid).state == "done"  # type: ignore[union-attr]
    assert report.done == [q.op_uuid] and server.request_count("PUT") == 2
    assert demo_rows(server, "SELECT trust_level FROM users WHERE username = 'wen_meyer'") == [(2,)]


def test_resolve_retry_on_the_command_line_sends_a_waiting_action(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    me = demo_server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", demo_server.base_url, "--username", me.username, "--key-kind", "user"]
    demo_server.add_fault(
        FaultRule("rate_limit", "POST", "/user_badges.json", seconds=999_999_999.0, count=1)
    )
    cli.main(["award", "--badge", "Superuser", "--user", "wen_meyer", *site, "--json"])
    queued = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert queued["state"] == "pending" and "86400 s" in queued["push"]["message"]
    cli.main(["outbox", *site, "--json"])
    (action,) = json.loads(capsys.readouterr().out)["actions"]
    assert action["choices"] == ["retry", "discard"]
    cli.main(["resolve", queued["op_uuid"][:8], "retry", *site, "--json"])  # was: refused, exit 2
    out, err = capsys.readouterr()
    row = json.loads(out.strip().splitlines()[-1])
    assert row["state"] == "done" and row["resolution"] == "applied", err
    assert demo_server.request_count("POST", "/user_badges.json") == 2
