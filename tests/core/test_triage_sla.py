"""Business-hours SLA arithmetic and the triage read model over a real cache file."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.errors import InvalidInput
from modconsole.services import triage
from modconsole.services.sla import (
    SlaLevel,
    SlaSettings,
    add_business_seconds,
    business_seconds_between,
    format_duration,
    subtract_business_seconds,
    to_ts,
)
from modconsole.services.thread import load_thread
from modconsole.services.triage import QueueFilter, QueueState, SortKey, TriageQuery

H = 3600.0
UTC_SETTINGS = SlaSettings()  # Mon–Fri 09:00–17:00 UTC, 8 business hours


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


# ---------------------------------------------------------------- business-hours arithmetic

# 2026-03-06 is a Friday, 2026-03-09 a Monday.


def test_within_one_working_day() -> None:
    assert add_business_seconds(utc(2026, 3, 9, 10), 2 * H, UTC_SETTINGS) == utc(2026, 3, 9, 12)


def test_evening_question_starts_next_morning() -> None:
    # Asked Monday 20:00: the clock starts Tuesday 09:00; 8 business hours → Tuesday 17:00.
    assert add_business_seconds(utc(2026, 3, 9, 20), 8 * H, UTC_SETTINGS) == utc(2026, 3, 10, 17)


def test_friday_afternoon_rolls_over_the_weekend() -> None:
    # Friday 15:00 + 8h: 2h on Friday, 6h on Monday → Monday 15:00.
    assert add_business_seconds(utc(2026, 3, 6, 15), 8 * H, UTC_SETTINGS) == utc(2026, 3, 9, 15)


def test_weekend_question_counts_from_monday() -> None:
    assert add_business_seconds(utc(2026, 3, 7, 11), 1 * H, UTC_SETTINGS) == utc(2026, 3, 9, 10)
    assert business_seconds_between(utc(2026, 3, 7, 0), utc(2026, 3, 8, 23), UTC_SETTINGS) == 0


def test_holidays_are_skipped() -> None:
    s = SlaSettings(holidays=frozenset({date(2026, 3, 9)}))
    assert add_business_seconds(utc(2026, 3, 6, 16), 2 * H, s) == utc(2026, 3, 10, 10)


def test_business_seconds_between_spans_days_and_is_antisymmetric() -> None:
    a, b = utc(2026, 3, 6, 16), utc(2026, 3, 9, 10)  # Fri 16:00 → Mon 10:00
    assert business_seconds_between(a, b, UTC_SETTINGS) == 2 * H
    assert business_seconds_between(b, a, UTC_SETTINGS) == -2 * H


def test_time_zone_shifts_the_working_day() -> None:
    berlin = SlaSettings(timezone="Europe/Berlin")
    # 07:30 UTC in March is 08:30 in Berlin (CET, +1): the day starts at 09:00 local = 08:00 UTC.
    assert add_business_seconds(utc(2026, 3, 9, 7, 30), 1 * H, berlin) == utc(2026, 3, 9, 9)
    # 16:30 UTC is 17:30 Berlin: after hours, so the clock starts the next morning at 08:00 UTC.
    assert add_business_seconds(utc(2026, 3, 9, 16, 30), 1 * H, berlin) == utc(2026, 3, 10, 9)


def test_dst_change_keeps_local_working_hours() -> None:
    ny = SlaSettings(timezone="America/New_York")
    # 2026-03-08 US DST starts; Monday 2026-03-09 09:00 EDT is 13:00 UTC (the Friday before: 14:00 UTC).
    # Friday 22:30 UTC is 17:30 EST, after hours; the clock resumes Monday 09:00 EDT (13:00 UTC).
    assert add_business_seconds(utc(2026, 3, 6, 22, 30), 0.5 * H, ny) == utc(2026, 3, 9, 13, 30)
    friday_open = datetime.combine(date(2026, 3, 6), time(9), tzinfo=ZoneInfo("America/New_York"))
    assert friday_open.astimezone(UTC).hour == 14


@pytest.mark.parametrize("hours", [0.5, 3, 8, 17, 40])
@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin", "Asia/Kolkata"])
def test_subtract_is_the_inverse_of_add(hours: float, tz: str) -> None:
    s = SlaSettings(timezone=tz)
    for start in (utc(2026, 3, 6, 15), utc(2026, 3, 7, 12), utc(2026, 3, 10, 3)):
        due = add_business_seconds(start, hours * H, s)
        assert business_seconds_between(subtract_business_seconds(due, hours * H, s), due, s) == hours * H
        assert business_seconds_between(start, due, s) == hours * H


def test_per_category_targets_and_levels() -> None:
    s = SlaSettings(default_target_hours=8, category_targets={7: 2})
    asked = utc(2026, 3, 9, 9)
    now = utc(2026, 3, 9, 10, 45)
    assert s.status(asked, None, 7, now).level is SlaLevel.DUE_SOON  # 15 min of 2 h left (≤ 25 %)
    assert s.status(asked, None, 3, now).level is SlaLevel.OK
    assert s.status(asked, None, 7, utc(2026, 3, 9, 11)).level is SlaLevel.OVERDUE
    assert s.status(asked, utc(2026, 3, 9, 10), 7, now).level is SlaLevel.MET
    assert s.status(asked, utc(2026, 3, 9, 12), 7, now).level is SlaLevel.BREACHED
    assert s.status(asked, None, 7, now, solved=True).level is SlaLevel.NONE
    assert s.status(asked, None, 7, utc(2026, 3, 9, 12)).describe() == "Overdue by 1h"


def test_cutoff_agrees_with_status() -> None:
    s = SlaSettings(category_targets={5: 4})
    now = utc(2026, 3, 10, 11, 20)
    for cat in (5, 9):
        over = s.cutoff(now, cat, SlaLevel.OVERDUE)
        soon = s.cutoff(now, cat, SlaLevel.DUE_SOON)
        assert s.status(over, None, cat, now).level is SlaLevel.OVERDUE
        assert s.status(over + timedelta(seconds=1), None, cat, now).level is SlaLevel.DUE_SOON
        assert s.status(soon, None, cat, now).level in (SlaLevel.DUE_SOON, SlaLevel.OVERDUE)
        assert s.status(soon + timedelta(seconds=1), None, cat, now).level is SlaLevel.OK


def test_settings_round_trip_and_validation() -> None:
    s = SlaSettings(
        timezone="Europe/Paris", category_targets={3: 4.0}, holidays=frozenset({date(2026, 12, 25)})
    )
    assert SlaSettings.from_json(s.to_json()) == s
    with pytest.raises(InvalidInput):
        SlaSettings(timezone="Mars/Olympus")
    with pytest.raises(InvalidInput):
        SlaSettings(day_start=time(17), day_end=time(9))
    with pytest.raises(InvalidInput):
        SlaSettings(workdays=frozenset())
    assert format_duration(2 * 86400 + 5 * H, compact=True) == "2d"
    assert format_duration(5400) == "1h 30m"


# ---------------------------------------------------------------- the triage read model

NOW = utc(2026, 3, 11, 12)  # Wednesday noon


def _fill(cache: Cache) -> None:
    """Categories 1 (Q&A, 8 h), 2 (Q&A, 2 h target in tests), 3 (discussion), 4 (staff only)."""
    with cache.write() as conn:
        repo.upsert_categories(
            conn,
            [
                {"id": 1, "name": "Payroll Q&A", "accepts_answers": True, "position": 1},
                {"id": 2, "name": "Integrations", "accepts_answers": True, "position": 2},
                {"id": 3, "name": "Ideas", "accepts_answers": False, "position": 3},
                {
                    "id": 4,
                    "name": "Moderators",
                    "accepts_answers": False,
                    "read_restricted": True,
                    "position": 4,
                },
            ],
        )
        conn.exec_driver_sql(
            "INSERT INTO companies (id, name, domain, source, is_customer) VALUES "
            "(1, 'Acme', 'acme.example', 'email_domain', 1), "
            "(2, 'Globex', 'globex.example', 'email_domain', 1)"
        )
        users = [{"id": i, "username": f"user{i}", "company_id": 1 if i % 2 else 2} for i in range(1, 9)]
        repo.upsert_users(conn, users)
        topics, posts = [], []
        pid = 1000
        # (topic id, category, asker, created, replies [(user, created)], accepted post offset)
        spec: list[tuple[int, int, int, datetime, list[tuple[int, datetime]], int | None]] = [
            (1, 1, 1, utc(2026, 3, 2, 10), [], None),  # no reply, long overdue
            (2, 2, 2, utc(2026, 3, 11, 9, 30), [], None),  # no reply, 2 h target: due 11:30 → overdue at noon
            (3, 1, 3, utc(2026, 3, 11, 9), [(3, utc(2026, 3, 11, 10))], None),  # asker only, 8 h: ok
            (
                4,
                1,
                4,
                utc(2026, 3, 5, 9),
                [(5, utc(2026, 3, 5, 11)), (4, utc(2026, 3, 6, 9))],
                None,
            ),  # awaiting
            (5, 2, 5, utc(2026, 3, 4, 9), [(6, utc(2026, 3, 4, 10))], None),  # replied, unsolved
            (6, 1, 6, utc(2026, 3, 3, 9), [(7, utc(2026, 3, 3, 10))], 0),  # solved
            (7, 3, 7, utc(2026, 3, 1, 9), [], None),  # discussion category: not a question by default
            (8, 4, 8, utc(2026, 3, 1, 9), [], None),  # staff only
            (9, 1, 1, utc(2026, 3, 11, 3), [], None),  # no reply, asked at night: clock from 09:00 → ok
            (10, 2, 3, utc(2026, 3, 10, 16), [], None),  # no reply, 2 h: due Wed 10:00 → overdue
        ]
        titles = {
            1: "Payroll export fails with webhook error",
            2: "Webhook signature mismatch after upgrade",
            3: "How do I export payslips per country",
            4: "Holiday calendar not syncing",
            5: "SCIM provisioning skips new hires",
            6: "Webhook signature mismatch on payroll export",
            7: "Idea: dark mode",
            8: "Weekly roster",
            9: "Overtime rules for part time staff",
            10: "API rate limit for bulk updates",
        }
        for tid, cat, asker, created, replies, accepted in spec:
            topics.append(
                {
                    "id": tid,
                    "title": titles[tid],
                    "slug": f"t-{tid}",
                    "category_id": cat,
                    "user_id": asker,
                    "created_at": to_ts(created),
                    "archetype": "regular",
                    "has_accepted_answer": accepted is not None,
                }
            )
            posts.append(
                {
                    "id": pid,
                    "topic_id": tid,
                    "post_number": 1,
                    "user_id": asker,
                    "created_at": to_ts(created),
                    "cooked": f"<p>{titles[tid]}</p>",
                }
            )
            pid += 1
            for n, (user, when) in enumerate(replies):
                posts.append(
                    {
                        "id": pid,
                        "topic_id": tid,
                        "post_number": n + 2,
                        "user_id": user,
                        "created_at": to_ts(when),
                        "cooked": "<p>reply <script>alert(1)</script></p>",
                        "accepted_answer": accepted == n,
                    }
                )
                if accepted == n:
                    repo.upsert_solutions(
                        conn, [{"post_id": pid, "topic_id": tid, "user_id": user, "accepted_at": to_ts(when)}]
                    )
                pid += 1
        repo.upsert_topics(conn, topics)
        repo.upsert_posts(conn, posts)
        repo.refresh_derived(conn, [t["id"] for t in topics])
        repo.refresh_fts(conn, topic_ids=[t["id"] for t in topics], post_ids=[p["id"] for p in posts])


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    c = Cache.open(tmp_path / "cache.sqlite3")
    _fill(c)
    return c


SLA = SlaSettings(category_targets={2: 2.0})


def _ids(cache: Cache, q: TriageQuery, limit: int = 200) -> list[int]:
    out: list[int] = []
    cursor = None
    with cache.read() as conn:
        while True:
            page = triage.page(conn, q.at(NOW), cursor, limit=limit)
            out.extend(r.topic_id for r in page.rows)
            if page.cursor is None:
                return out
            cursor = page.cursor


def test_states_and_default_question_set(cache: Cache) -> None:
    q = TriageQuery(filter=QueueFilter(states=frozenset(QueueState)), sla_settings=SLA, sort=SortKey.AGE)
    with cache.read() as conn:
        rows = {r.topic_id: r for r in triage.page(conn, q.at(NOW)).rows}
    assert set(rows) == {1, 2, 3, 4, 5, 6, 9, 10}  # discussion (7) and staff-only (8) are not questions
    assert rows[1].state is QueueState.NO_REPLY
    assert rows[3].state is QueueState.ASKER_ONLY
    assert rows[4].state is QueueState.AWAITING
    assert rows[5].state is QueueState.REPLIED
    assert rows[6].state is QueueState.SOLVED
    assert rows[1].company == "Acme" and rows[2].company == "Globex" and rows[1].category == "Payroll Q&A"
    # An explicit category filter shows that category's topics, question or not.
    only_ideas = TriageQuery(filter=QueueFilter(categories=frozenset({3})), sla_settings=SLA)
    assert _ids(cache, only_ideas) == [7]


def test_sla_sort_is_exact_across_targets_and_overdue_first(cache: Cache) -> None:
    q = TriageQuery(sla_settings=SLA)  # open questions, SLA order
    ids = _ids(cache, q)
    with cache.read() as conn:
        rows = {r.topic_id: r for r in triage.page(conn, q.at(NOW)).rows}
    running = [i for i in ids if rows[i].sla.level.running]
    dues = [rows[i].sla.due_at for i in running]
    assert dues == sorted(dues)  # type: ignore[type-var]
    assert running == [1, 10, 2, 9, 3]  # Mar 2 + 8h, Wed 10:00, Wed 11:30, Wed 17:00, Wed 17:00 (id order)
    assert [rows[i].sla.level for i in running[:3]] == [SlaLevel.OVERDUE] * 3
    assert ids[len(running) :] == [5, 4]  # clocks stopped, oldest first


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_equal_one_big_page(cache: Cache, sort: SortKey, descending: bool) -> None:
    q = TriageQuery(
        filter=QueueFilter(states=frozenset(QueueState)), sort=sort, descending=descending, sla_settings=SLA
    )
    whole = _ids(cache, q, limit=500)
    assert len(whole) == 8 and len(set(whole)) == 8
    for size in (1, 2, 3):
        assert _ids(cache, q, limit=size) == whole


def test_sql_sorts(cache: Cache) -> None:
    base = QueueFilter(states=frozenset(QueueState))
    by_replies = _ids(
        cache, TriageQuery(filter=base, sort=SortKey.REPLIES, descending=True, sla_settings=SLA)
    )
    assert by_replies[0] == 4  # two replies
    by_title = _ids(cache, TriageQuery(filter=base, sort=SortKey.TITLE, sla_settings=SLA))
    assert by_title[0] == 10  # "API rate limit…"
    by_state = _ids(cache, TriageQuery(filter=base, sort=SortKey.STATE, sla_settings=SLA))
    assert by_state[-1] == 6


def test_filters_and_counts(cache: Cache) -> None:
    def count(f: QueueFilter) -> int:
        with cache.read() as conn:
            return triage.count(conn, TriageQuery(filter=f, sla_settings=SLA).at(NOW))

    assert count(QueueFilter()) == 7  # open questions
    assert count(QueueFilter(sla=frozenset({SlaLevel.OVERDUE}))) == 3
    assert count(QueueFilter(sla=frozenset({SlaLevel.OK}))) == 2
    assert count(QueueFilter(companies=frozenset({1}))) == len(
        _ids(cache, TriageQuery(filter=QueueFilter(companies=frozenset({1})), sla_settings=SLA))
    )
    assert count(QueueFilter(states=frozenset({QueueState.AWAITING}))) == 1
    assert _ids(cache, TriageQuery(filter=QueueFilter(search="webhook"), sla_settings=SLA)) == [1, 2]
    assert count(QueueFilter(search="zzzz")) == 0
    assert count(QueueFilter(search="!!!")) == 0


@pytest.mark.parametrize("sort", [SortKey.SLA, SortKey.AGE])
def test_search_through_the_post_topic_index_finds_the_same_rows(cache: Cache, sort: SortKey) -> None:
    # "reply" is only in replies' bodies: those topics are found through the matching posts, whose
    # topic ids page() reads from ix_posts_topic_lookup (0008) — the same rows as from the table.
    every = frozenset(QueueState)
    searches = [QueueFilter(states=every, search=w) for w in ("reply", "payroll", "webhook signature")]
    with cache.read() as conn:
        indexes = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_posts_topic_lookup" in indexes
    statements: list[str] = []
    with cache.read() as conn:
        event.listen(conn, "before_cursor_execute", lambda *a: statements.append(a[2]))
        triage.page(conn, TriageQuery(filter=searches[0], sort=sort, sla_settings=SLA).at(NOW))
    assert any("posts p INDEXED BY ix_posts_topic_lookup" in st for st in statements)
    through_index = [
        _ids(cache, TriageQuery(filter=f, sort=sort, sla_settings=SLA), limit=2) for f in searches
    ]
    assert (
        through_index[0]
        == [
            t
            for t in _ids(cache, TriageQuery(filter=QueueFilter(states=every), sort=sort, sla_settings=SLA))
            if t in {3, 4, 5, 6}
        ]
        and through_index[0]
    )
    with cache.write() as conn:
        conn.exec_driver_sql("DROP INDEX ix_posts_topic_lookup")
    assert [_ids(cache, TriageQuery(filter=f, sort=sort, sla_settings=SLA), limit=2) for f in searches] == (
        through_index
    )


def test_saved_views_round_trip() -> None:
    views = [
        *triage.default_views(),
        triage.SavedView("Acme", QueueFilter(companies=frozenset({1}), search="x")),
    ]
    assert triage.SavedView.load(triage.SavedView.dump(views)) == views
    assert triage.SavedView.load("not json") == []


def test_similar_solved_and_experts(cache: Cache) -> None:
    with cache.read() as conn:
        similar = triage.similar_solved(conn, 2)
        experts = triage.suggested_experts(conn, 1, since=utc(2026, 1, 1))
    assert [s.topic_id for s in similar] == [6]  # the only solved topic sharing rare title words
    assert [(e.username, e.solved) for e in experts] == [("user7", 1)]
    assert experts[0].company == "Acme"


def test_thread_read_model(cache: Cache) -> None:
    with cache.read() as conn:
        view = load_thread(conn, 6)
    assert view.title.startswith("Webhook signature") and view.solved
    assert [p.post_number for p in view.posts] == [1, 2]
    assert view.posts[1].accepted and view.posts[0].by_asker
    assert view.posts[0].author.company == "Globex"


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin", "America/New_York"])
def test_long_spans_agree_with_a_day_by_day_walk(tz: str) -> None:
    from modconsole.services.sla import _walk

    s = SlaSettings(timezone=tz, holidays=frozenset({date(2026, 5, 1), date(2026, 12, 25), date(2027, 1, 1)}))
    a = utc(2026, 2, 3, 14, 17)
    for days in (15, 30, 100, 400):
        b = a + timedelta(days=days, hours=5)
        assert business_seconds_between(a, b, s) == _walk(a.astimezone(s.tz), b.astimezone(s.tz), s)
