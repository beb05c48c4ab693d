"""Solved reminders against the demo community on both platforms: candidates recounted
independently, the weekly nudge limit per asker (one console, two consoles after sync), snoozes,
and the nudge text."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from modconsole import clock
from modconsole.cache.db import Cache
from modconsole.demo.generator import DEFAULT_NOW
from modconsole.services.moderation import ActionRefused, ModerationService
from modconsole.services.reminders import (
    DEFAULT_TEMPLATE,
    NUDGE_MARKER,
    ReminderRefused,
    ReminderService,
    ReminderSettings,
    escape_markdown,
    render_template,
)
from modconsole.workspace import Workspace
from tests.core.community import Community


def _recount(cache: Cache, now: datetime, after_days: int = 3, max_days: int = 60) -> set[int]:
    """Candidates recounted from the cache file with plain sqlite3 and Python (not the service's SQL)."""
    with cache.read() as conn:
        db_path = conn.execute(text("PRAGMA database_list")).all()[0][2]
    con = sqlite3.connect(db_path)
    try:
        accepting = {r[0] for r in con.execute("SELECT id FROM categories WHERE accepts_answers = 1")}
        solved = {r[0] for r in con.execute("SELECT topic_id FROM solutions WHERE gone_since IS NULL")}
        out: set[int] = set()
        for tid, cat, asker, closed, archived, deleted, gone, has_acc, acc_id, archetype in con.execute(
            "SELECT id, category_id, user_id, closed, archived, deleted_at, gone_since, "
            "has_accepted_answer, accepted_post_id, archetype FROM topics"
        ):
            if cat not in accepting or closed or archived or deleted or gone or has_acc or acc_id:
                continue
            if tid in solved or (archetype or "regular") != "regular":
                continue
            times = [
                datetime.fromisoformat(c.replace("Z", "+00:00"))
                for uid, c, ptype, pdel, pgone, hidden, plain in con.execute(
                    "SELECT user_id, created_at, post_type, deleted_at, gone_since, hidden, plain "
                    "FROM posts WHERE topic_id = ? AND post_number > 1",
                    (tid,),
                )
                if uid is not None
                and uid != asker
                and ptype == 1
                and not pdel
                and not pgone
                and not hidden
                and "solved-answer reminder" not in (plain or "").lower()
            ]
            if not times or now - min(times) < timedelta(days=after_days):
                continue
            if max_days and now - min(times) > timedelta(days=max_days):
                continue
            out.add(tid)
        return out
    finally:
        con.close()


@pytest.fixture
def env(community: Community) -> Iterator[tuple[ReminderService, ModerationService, Cache, Workspace]]:
    with community.open(sync=True) as ws:
        # default settings: the test clock is the community's "now"
        yield ReminderService(ws.cache, ws.moderation), ws.moderation, ws.cache, ws


def test_candidates_match_an_independent_recount(env) -> None:  # type: ignore[no-untyped-def]
    rem, _svc, cache, _client = env
    now = clock.now()
    found = rem.candidates(now)
    assert found, "the tiny community has topics waiting for an accepted answer"
    assert {c.topic_id for c in found} == _recount(cache, now, 3, 60)
    with cache.read() as conn:
        for c in found[:5]:
            asker = conn.execute(text("SELECT user_id FROM topics WHERE id = :t"), {"t": c.topic_id}).scalar()
            assert c.asker_id == asker
            assert c.replies and all(r.username != c.asker for r in c.replies)
            stamps = [r.created_at for r in c.replies]
            assert stamps == sorted(stamps, reverse=True)  # newest first
            assert c.days_waiting >= 3
    # the default window (3 to 60 days), seen ten days after the demo community's last activity
    at = DEFAULT_NOW + timedelta(days=10)
    rem.save_settings(ReminderSettings())
    recent = rem.candidates(at)
    assert recent and {c.topic_id for c in recent} == _recount(cache, at, 3, 60)
    rem.save_settings(ReminderSettings(max_days=0))
    assert len(rem.candidates(at)) > len(recent)  # the window really leaves old questions out
    rem.save_settings(ReminderSettings())
    # a longer delay only removes candidates
    rem.save_settings(ReminderSettings(after_days=30))
    later = rem.candidates(at)
    assert {c.topic_id for c in later} == _recount(cache, at, 30, 60) and len(later) < len(recent)
    with pytest.raises(ReminderRefused):
        rem.save_settings(ReminderSettings(after_days=10, max_days=5))


def test_weekly_limit_per_asker_across_two_nudges(env, community: Community) -> None:  # type: ignore[no-untyped-def]
    rem, svc, _cache, ws = env
    found = rem.candidates()
    by_asker: dict[int, list[int]] = {}
    for c in found:
        by_asker.setdefault(c.asker_id, []).append(c.topic_id)
    first = found[0]
    preview = rem.preview(first.topic_id)
    assert preview.allowed and preview.refusal is None
    assert preview.text.endswith(NUDGE_MARKER) and f"@{first.asker}" in preview.text
    q = rem.send_nudge(first.topic_id)
    assert svc.get(q.op_uuid) is not None and svc.get(q.op_uuid).state == "pending"  # type: ignore[union-attr]
    # the same topic again, and any other topic of the same asker: refused with a clear message
    others = by_asker[first.asker_id]
    for tid in others:
        with pytest.raises(ReminderRefused, match=r"already reminded .* one reminder per member per week"):
            rem.send_nudge(tid)
        assert not rem.preview(tid).allowed
    assert all(not c.can_nudge for c in rem.candidates() if c.asker_id == first.asker_id)
    # delivered, it still counts; and it reached the server as a reply by the moderator
    report = ws.push()
    assert not report.failed and svc.get(q.op_uuid).state == "done"  # type: ignore[union-attr]
    # the text as previewed, then the invisible token that finds it again after an ambiguous send
    assert community.last_reply(first.topic_id) == (f"{preview.text}\n\n<!-- mc:{q.op_uuid} -->", svc.me)
    with pytest.raises(ReminderRefused):
        rem.send_nudge(first.topic_id)
    # another asker is not affected
    other_asker = next((c for c in found if c.asker_id != first.asker_id), None)
    assert other_asker is not None and rem.preview(other_asker.topic_id).allowed


def test_two_consoles_converge_after_sync(community: Community) -> None:
    with community.open(sync=True) as one, community.open("moderator2", sync=True) as two:
        a, b = ReminderService(one.cache, one.moderation), ReminderService(two.cache, two.moderation)
        target = a.candidates()[0]
        assert b.preview(target.topic_id).allowed  # B does not know yet
        a.send_nudge(target.topic_id)
        assert not one.push().failed
        two.sync()  # B syncs: the nudge is now a post on the server
        refused = b.preview(target.topic_id)
        assert not refused.allowed and f"@{target.asker}" in (refused.refusal or "")
        with pytest.raises(ReminderRefused, match="one reminder per member per week"):
            b.send_nudge(target.topic_id)
        # the nudge itself is not taken for a candidate answer
        c = b.candidate(target.topic_id)
        assert c is not None and all(NUDGE_MARKER not in r.excerpt for r in c.replies)
        assert two.moderation.outbox() == []


def test_snooze_hides_until_the_date(env) -> None:  # type: ignore[no-untyped-def]
    rem, _svc, _cache, _ws = env
    now = clock.now()
    target = rem.candidates(now)[0].topic_id
    changes = rem.snooze(target, 5, now=now)
    assert changes.settings and target in changes.topic_ids
    assert target not in {c.topic_id for c in rem.candidates(now)}
    assert target not in {c.topic_id for c in rem.candidates(now + timedelta(days=4))}
    assert target in {c.topic_id for c in rem.candidates(now + timedelta(days=5))}
    assert rem.snoozed()[target] == (now + timedelta(days=5)).date()
    rem.unsnooze(target)
    assert target in {c.topic_id for c in rem.candidates(now)}
    with pytest.raises(ReminderRefused):
        rem.snooze(target, 0)


def test_accept_on_behalf_goes_through_the_outbox(env) -> None:  # type: ignore[no-untyped-def]
    rem, svc, _cache, _ws = env
    c = rem.candidates()[0]
    q = rem.accept_for_asker(c.replies[0].post_id)
    row = svc.get(q.op_uuid)
    assert row is not None and row.kind == "accept_answer" and row.payload["post_id"] == c.replies[0].post_id
    assert c.topic_id not in {x.topic_id for x in rem.candidates()}  # pending accept: not a candidate


def test_nudge_text_rendering_and_escaping() -> None:
    values = {
        "asker": "dana",
        "topic_title": escape_markdown("<img src=x onerror=alert(1)> *SSO* [x](javascript:y)"),
        "days": 4,
        "replies": 2,
        "moderator": "mo",
    }
    out = render_template(
        "Hi @{asker}: {topic_title} ({days} days, {replies}) {{literal}} — {moderator}", values
    )
    assert out.startswith("Hi @dana: \\<img src=x onerror=alert(1)\\> \\*SSO\\* \\[x\\](javascript:y)")
    assert out.endswith("(4 days, 2) {literal} — mo")
    assert escape_markdown("line\nbreak {asker}") == "line break {asker}"  # values are not re-expanded
    assert "{asker}" in render_template("{topic_title}", {"topic_title": "{asker}"})
    with pytest.raises(ReminderRefused, match=r"Unknown placeholder \{name\}"):
        render_template("Hi {name}", values)
    with pytest.raises(ReminderRefused, match="unmatched brace"):
        render_template("Hi {asker", values)
    with pytest.raises(ReminderRefused, match="Unknown placeholder"):
        render_template("{asker.__class__}", values)
    rendered = render_template(DEFAULT_TEMPLATE, values)
    assert "@dana" in rendered and "4 days" in rendered and "{" not in rendered


def test_a_broken_template_is_refused_when_saved(env) -> None:  # type: ignore[no-untyped-def]
    rem, _svc, _cache, _ws = env
    with pytest.raises(ReminderRefused):
        rem.save_settings(ReminderSettings(template="Hi {whoever}"))
    assert rem.settings().template == DEFAULT_TEMPLATE and rem.settings().max_days == 60
    offline = ReminderService(
        rem.cache, ModerationService(rem.cache, me="mo", site_url="http://x", client=None)
    )
    assert offline.settings().after_days == 3
    with offline.cache.write() as conn:
        conn.execute(text("DELETE FROM settings WHERE key = 'reminders.settings'"))
    assert offline.settings() == ReminderSettings()  # the defaults: 3 to 60 days


def test_a_nudge_note_over_the_limit_is_refused_not_cut(env) -> None:  # type: ignore[no-untyped-def]
    rem, svc, _cache, _ws = env
    target = rem.candidates()[0].topic_id
    with pytest.raises(ActionRefused, match="the limit is 2,000"):
        rem.send_nudge(target, note="x" * 100_000)
    assert svc.counts()["pending"] == 0  # nothing queued
    q = rem.send_nudge(target, note="  " + "y" * 2000 + "  ")
    (row,) = [r for r in svc.outbox() if r.op_uuid == q.op_uuid]
    assert row.payload["note"] == "y" * 2000  # kept whole
