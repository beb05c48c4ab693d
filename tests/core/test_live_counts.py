"""Live counts between syncs: the demo community's MessageBus over real HTTP (channels, the
``/__status`` answer, long-polling and ``dlp=t``, who may read what, the key's rate budget) and the
core poller (its budget over an hour on the test clock, counts, focus, threads)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from modconsole import clock
from modconsole.api.client import ApiClient
from modconsole.connectors.discourse import message_bus
from modconsole.demo.server import DemoServer, RateLimitConfig
from modconsole.errors import RateLimited
from modconsole.services.live import LiveCounts, LiveCountsPoller, LivePlan
from tests.core.outbox_support import client_for
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration

POLL = "/message-bus/*/poll"


def _pending(server: Any) -> int:
    con = server.connection()
    return int(con.execute("SELECT COUNT(*) FROM reviewables WHERE status = 0").fetchone()[0])


def _uid(server: DemoServer, role: str) -> int:
    con = sqlite3.connect(server.db_path)
    try:
        name = getattr(server.credentials, role).username
        return int(con.execute("SELECT id FROM users WHERE username = ?", (name,)).fetchone()[0])
    finally:
        con.close()


def _category(server: DemoServer) -> int:
    con = sqlite3.connect(server.db_path)
    try:
        return int(con.execute("SELECT id FROM categories ORDER BY id LIMIT 1").fetchone()[0])
    finally:
        con.close()


def _new_topic(server: DemoServer, client: ApiClient, n: int = 0) -> int:
    out = client.post_json(
        "/posts.json",
        {
            "title": f"How do I rotate the webhook secret number {n}?",
            "raw": "We rotate secrets every quarter; where is the setting for the webhook secret?",
            "category": _category(server),
        },
    )
    return int(out["topic_id"])


def _resolve_one_flag(server: DemoServer) -> None:
    server.write(
        lambda con: con.execute(
            "UPDATE reviewables SET status = 1 WHERE id = (SELECT MIN(id) FROM reviewables WHERE status = 0)"
        )
    )


@pytest.fixture
def mod(demo_server: DemoServer) -> Iterator[ApiClient]:
    c = client_for(demo_server, "moderator")
    yield c
    c.close()


def _positions(msgs: list[message_bus.BusMessage]) -> dict[str, int]:
    status = [m for m in msgs if m.channel == message_bus.STATUS_CHANNEL]
    assert len(status) == 1
    return dict(status[0].data)


# ---------------------------------------------------------------- the demo's MessageBus


def test_a_new_subscription_gets_the_channels_positions_then_the_messages(
    demo_server: DemoServer, mod: ApiClient
) -> None:
    me = _uid(demo_server, "moderator")
    review = f"/reviewable_counts/{me}"
    first = message_bus.poll(mod, "console-1", {"/new": -1, "/latest": -1, review: -1})
    pos = _positions(first)
    assert set(pos) == {"/new", "/latest", review}

    topic = _new_topic(demo_server, mod)
    _resolve_one_flag(demo_server)
    msgs = message_bus.poll(mod, "console-1", pos)
    by_channel = {m.channel: m for m in msgs}
    assert by_channel["/new"].data["topic_id"] == topic
    assert by_channel["/new"].data["message_type"] == "new_topic"
    assert by_channel["/latest"].data["topic_id"] == topic
    pending = _pending(demo_server)
    assert by_channel[review].data["reviewable_count"] == pending
    assert all(m.message_id > pos[m.channel] for m in msgs)
    # polled again from the new positions: nothing new
    again = {m.channel: m.message_id for m in msgs}
    assert message_bus.poll(mod, "console-1", {**pos, **again}) == []


def test_staff_channels_are_not_served_to_members_nor_someone_elses_review_count(
    demo_server: DemoServer, mod: ApiClient
) -> None:
    member = client_for(demo_server, "member")
    try:
        me = _uid(demo_server, "moderator")
        mine = message_bus.poll(mod, "a", {f"/reviewable_counts/{me}": -1, "/staff/topic-assignment": -1})
        assert set(_positions(mine)) == {f"/reviewable_counts/{me}", "/staff/topic-assignment"}
        other = message_bus.poll(mod, "a", {f"/reviewable_counts/{me + 1}": -1})
        assert other == []
        theirs = message_bus.poll(
            member, "b", {f"/reviewable_counts/{me}": -1, "/staff/topic-assignment": -1, "/new": -1}
        )
        assert set(_positions(theirs)) == {"/new"}
    finally:
        member.close()


def test_assignment_messages_published_by_the_assign_side_reach_the_poll(
    demo_server: DemoServer, mod: ApiClient
) -> None:
    pos = _positions(message_bus.poll(mod, "c", {"/staff/topic-assignment": -1}))
    demo_server.message_bus.publish("/staff/topic-assignment", {"type": "assigned", "topic_id": 7})
    msgs = message_bus.poll(mod, "c", pos)
    assert [(m.channel, m.data["topic_id"]) for m in msgs] == [("/staff/topic-assignment", 7)]


def test_dlp_answers_at_once_and_a_long_poll_is_held_until_a_message_comes(
    demo_server: DemoServer, mod: ApiClient
) -> None:
    pos = _positions(message_bus.poll(mod, "d", {"/new": -1, "/latest": -1}))
    assert message_bus.poll(mod, "d", pos) == []  # dlp=t: nothing new, answered at once

    demo_server.message_bus.hold_seconds = WAIT_S
    got: list[list[message_bus.BusMessage]] = []
    poller = threading.Thread(target=lambda: got.append(message_bus.poll(mod, "d", pos, long_poll=True)))
    poller.start()
    other = client_for(demo_server, "moderator2")
    try:
        topic = _new_topic(demo_server, other, 1)
    finally:
        other.close()
    poller.join(WAIT_S * 2)
    assert not poller.is_alive()
    assert topic in {m.data["topic_id"] for m in got[0]}


def test_a_long_poll_with_nothing_to_say_ends_empty_after_the_hold(
    demo_server: DemoServer, mod: ApiClient
) -> None:
    pos = _positions(message_bus.poll(mod, "e", {"/new": -1}))
    demo_server.message_bus.hold_seconds = 0.2
    assert message_bus.poll(mod, "e", pos, long_poll=True) == []


def test_every_poll_spends_the_user_keys_budget(demo_server: DemoServer, mod: ApiClient) -> None:
    demo_server.set_limits(RateLimitConfig(enabled=True, user_per_minute=2))
    message_bus.poll(mod, "f", {"/new": -1})
    message_bus.poll(mod, "f", {"/new": -1})
    mod.retry = type(mod.retry)(max_retries=0, max_rate_limit_wait=0.0)
    with pytest.raises(RateLimited) as err:
        message_bus.poll(mod, "f", {"/new": -1})
    assert err.value.code == "user_api_key_limiter_60_secs"


# ---------------------------------------------------------------- the poller


def test_the_plan_keeps_a_user_key_within_ten_percent_of_its_day() -> None:
    plan = LivePlan.for_key("user")
    assert plan.interval_s == 300.0
    assert plan.requests_per_hour == 12.0
    assert plan.requests_per_hour * 24 <= 0.10 * 2880
    assert not plan.long_poll  # a 25 s hold would be ≈ 3,456 polls a day: more than the key's whole day


def test_an_idle_hour_in_front_costs_twelve_polls_whatever_the_focus_does(
    demo_server: DemoServer, mod: ApiClient
) -> None:
    start = clock.timestamp()
    poller = LiveCountsPoller(mod, user_id=_uid(demo_server, "moderator"), plan=LivePlan.for_key("user"))
    demo_server.clear_requests()
    for second in range(3600):
        # the window comes to the front and goes behind every 10 s; tick() is driven here (no thread)
        poller.set_active((second // 10) % 2 == 0, thread=False)
        poller.tick(start + second)
    # 11 polls and the review count asked once after the first: 12 requests of the key's budget
    assert demo_server.request_count("POST", POLL) == 11
    assert demo_server.request_count("GET", "/review/count.json") == 1
    assert demo_server.request_count() == 12
    assert poller.counts.polls == 11


def test_the_poller_sends_nothing_while_the_window_is_behind(demo_server: DemoServer, mod: ApiClient) -> None:
    start = clock.timestamp()
    poller = LiveCountsPoller(mod, user_id=None, plan=LivePlan.for_key("user"))
    demo_server.clear_requests()
    for second in range(0, 3600, 5):
        assert not poller.tick(start + second)
    assert demo_server.request_count("POST", POLL) == 0


def test_counts_new_questions_and_flags_until_the_next_sync(demo_server: DemoServer, mod: ApiClient) -> None:
    seen: list[LiveCounts] = []
    start = clock.timestamp()
    poller = LiveCountsPoller(
        mod, user_id=_uid(demo_server, "moderator"), plan=LivePlan.for_key("user"), on_counts=seen.append
    )
    poller.set_active(True, thread=False)
    pending = _pending(demo_server)
    assert poller.tick(start)  # learns the positions, and the review count once
    assert poller.counts.review == pending and poller.counts.new_count == 0
    a, b = _new_topic(demo_server, mod, 1), _new_topic(demo_server, mod, 2)
    _resolve_one_flag(demo_server)
    assert not poller.tick(start + 599)  # two requests spent: not due before two intervals
    assert poller.tick(start + 600)
    counts = poller.counts
    assert counts.new_topics == {a, b}
    assert counts.review == pending - 1
    assert seen[-1] == counts
    after = poller.mark_synced()
    assert after.new_count == 0 and after.review == pending - 1


def test_the_thread_runs_only_in_front_and_none_is_left_after_stop(
    demo_server: DemoServer, mod: ApiClient
) -> None:
    polled = threading.Event()
    poller = LiveCountsPoller(
        mod, user_id=None, plan=LivePlan.for_key("user"), on_counts=lambda _c: polled.set()
    )
    poller.set_active(True)
    assert polled.wait(WAIT_S)
    assert poller.running
    poller.set_active(False)
    assert not poller.running
    assert not [t for t in threading.enumerate() if t.name == "live-counts"]
    poller.set_active(True)
    assert poller.running
    poller.stop()
    assert not [t for t in threading.enumerate() if t.name == "live-counts"]
    assert demo_server.request_count("POST", POLL) == 1  # back in front within the interval: no second poll
