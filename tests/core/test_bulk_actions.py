"""Bulk actions on a multi-selection (issue #14.4): the dry run computed from the cache (what
would be queued, what skipped and why), then the queueing through the same services a single
action uses — against the demo community's cache over loopback HTTP (nudge and snooze on both
platforms; closing and the review queue are Discourse's)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from modconsole.demo.server import DemoServer
from modconsole.outbox import store
from modconsole.services.bulk import (
    ALREADY_CLOSED,
    ALREADY_NUDGED,
    ALREADY_SNOOZED,
    CLOSE_QUEUED,
    NOT_OFFERED,
    NOT_WAITING,
    REVIEW_QUEUED,
    SAME_ASKER,
    BulkAction,
    BulkPlan,
    BulkResult,
    BulkService,
)
from modconsole.services.reminders import ReminderService
from modconsole.services.review import ReviewService
from tests.core.community import Community
from tests.core.outbox_support import open_service

pytestmark = pytest.mark.integration


@pytest.fixture
def env(demo_server: DemoServer, tmp_path: Path) -> Iterator[Any]:
    svc, cache, client = open_service(tmp_path, demo_server, "moderator")
    review = ReviewService(cache, client, svc)
    review.sync()
    bulk = BulkService(cache, svc, ReminderService(cache, svc), review)
    try:
        yield bulk, svc, cache
    finally:
        client.close()
        cache.close()


@pytest.fixture
def shared(community: Community) -> Iterator[Any]:
    """The nudge and snooze bulk actions on either platform, through the front door."""
    with community.open(sync=True) as ws:
        mod = ws.moderation
        yield BulkService(ws.cache, mod, ReminderService(ws.cache, mod), ws.review), mod, ws.cache


def _pending(cache: Any) -> list[store.OutboxRow]:
    with cache.read() as conn:
        return store.rows(conn, ("pending",))


def test_nudge_dry_run_counts_who_would_be_skipped_and_why(shared: Any) -> None:
    bulk, _svc, cache = shared
    found = bulk.reminders.candidates()
    by_asker: dict[int, list[int]] = {}
    for c in found:
        by_asker.setdefault(c.asker_id, []).append(c.topic_id)
    first = found[0]
    bulk.reminders.send_nudge(first.topic_id)  # reminded this week already
    with cache.read() as conn:
        not_waiting = int(conn.execute(text("SELECT MIN(id) FROM topics")).scalar_one())
    twice = next((ids for a, ids in by_asker.items() if len(ids) > 1 and a != first.asker_id), None)
    others = [ids[0] for a, ids in by_asker.items() if a != first.asker_id and ids != twice]  # one each
    selection = [first.topic_id, not_waiting, *(twice or []), *others[:3]]

    plan = bulk.plan("nudge", selection)
    reasons = dict(plan.reasons())
    assert reasons[ALREADY_NUDGED] == len([t for t in selection if t in by_asker[first.asker_id]])
    if not_waiting not in {c.topic_id for c in found}:
        assert reasons[NOT_WAITING] == 1
    if twice:
        assert reasons[SAME_ASKER] == len(twice) - 1
    assert len(plan.targets) + len(plan.skipped) == len(selection)
    assert _pending(cache) and len(_pending(cache)) == 1  # the dry run queued nothing

    result = bulk.apply(plan)
    assert len(result.op_uuids) == len(plan.targets) and not result.refused
    queued = {r.op_uuid for r in _pending(cache)}
    assert set(result.op_uuids) <= queued
    # asked again: every target is now "already reminded"
    again = bulk.plan("nudge", plan.targets)
    assert not again.targets and dict(again.reasons()) == {ALREADY_NUDGED: len(plan.targets)}


def test_close_skips_closed_and_already_queued_topics(env: Any) -> None:
    bulk, svc, cache = env
    with cache.read() as conn:
        ids = [
            int(r[0])
            for r in conn.execute(text("SELECT id FROM topics WHERE closed = 0 ORDER BY id LIMIT 4"))
        ]
        closed = conn.execute(text("SELECT id FROM topics WHERE closed = 1 LIMIT 1")).scalar()
    svc.close_topic(ids[0])
    selection = ids + ([int(closed)] if closed is not None else [])
    plan = bulk.plan("close", selection)
    reasons = dict(plan.reasons())
    assert reasons[CLOSE_QUEUED] == 1
    assert reasons.get(ALREADY_CLOSED, 0) == (1 if closed is not None else 0)
    assert plan.targets == tuple(ids[1:])
    result = bulk.apply(plan)
    assert len(result.op_uuids) == 3
    assert {r.payload["topic_id"] for r in _pending(cache) if r.kind == "close_topic"} == set(ids)


def test_snooze_is_local_and_undone_by_unsnoozing(shared: Any) -> None:
    bulk, _svc, cache = shared
    with cache.read() as conn:
        ids = [int(r[0]) for r in conn.execute(text("SELECT id FROM topics ORDER BY id DESC LIMIT 3"))]
    bulk.reminders.snooze(ids[0], 3)
    plan = bulk.plan("snooze", ids, days=5)
    assert dict(plan.reasons()) == {ALREADY_SNOOZED: 1} and plan.targets == tuple(ids[1:])
    result = bulk.apply(plan)
    assert result.snoozed == tuple(ids[1:]) and not result.op_uuids and not _pending(cache)
    assert set(bulk.reminders.snoozed()) == set(ids)
    bulk.unsnooze(result.snoozed)
    assert set(bulk.reminders.snoozed()) == {ids[0]}


def test_review_items_get_one_offered_action_each(env: Any) -> None:
    bulk, _svc, _cache = env
    entries = bulk.review.entries()
    assert len(entries) >= 2
    action = entries[0].item.actions[0].id
    offering = [e.item.id for e in entries if e.item.action(action) is not None]
    not_offering = [e.item.id for e in entries if e.item.action(action) is None]
    bulk.review.perform(offering[0], action)
    plan = bulk.plan("review", [e.item.id for e in entries], action_id=action)
    reasons = dict(plan.reasons())
    assert reasons[REVIEW_QUEUED] == 1
    assert reasons.get(NOT_OFFERED, 0) == len(not_offering)
    assert plan.targets == tuple(offering[1:])
    result = bulk.apply(plan)
    assert len(result.op_uuids) == len(offering) - 1


def test_another_action_plugs_in(env: Any) -> None:
    bulk, _svc, _cache = env
    seen: list[BulkPlan] = []
    bulk.register(
        BulkAction(
            "assign",
            lambda ids, params, _now: BulkPlan("assign", ids, (), dict(params)),
            lambda plan: (seen.append(plan), BulkResult("assign"))[1],
        )
    )
    plan = bulk.plan("assign", [3, 1, 3], to="alex")
    assert plan.targets == (3, 1) and plan.params == {"to": "alex"}
    assert bulk.apply(plan).action == "assign" and seen == [plan]
