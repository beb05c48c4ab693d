"""Breakdowns of one period by category or by company (support figures and participation).

Both are made in one pass (:func:`breakdowns`): the period's questions are the rows the KPI
computation has just read from the ``question_facts`` rollup (the dashboard hands them over; a
standalone call reads them once), topics are counted once per (category, author), and members map
to companies in memory — where each breakdown used to read every source again by itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection

from modconsole.analytics.kpis import _raw, median
from modconsole.analytics.periods import Period, iso
from modconsole.analytics.settings import AnalyticsSettings, employee_ids

__all__ = ["BreakdownRow", "QuestionRow", "breakdown", "breakdowns"]

By = Literal["category", "company"]
CATEGORY_CONTRIBUTORS_MAX_DAYS = 92
"""Distinct contributors per category read posts (no rollup by category): only for short periods."""


@dataclass(frozen=True)
class BreakdownRow:
    key: int | None  # category id / company id; None = none (no company known)
    name: str
    new_topics: int
    questions: int
    answered: int
    solved: int
    ttfr_median: float | None
    active_contributors: int | None  # per category only for periods up to ~3 months (reads posts)

    @property
    def answer_rate(self) -> float | None:
        return None if not self.questions else 100.0 * self.answered / self.questions

    @property
    def solution_rate(self) -> float | None:
        return None if not self.questions else 100.0 * self.solved / self.questions


QuestionRow = tuple[int | None, int | None, int | None, int]
"""One question of the period: (category id, asker id, ms to first response or None, solved 0/1)."""

_QUESTIONS = (
    "SELECT q.category_id, q.asker_id, q.ttfr_ms, q.solved FROM question_facts q "
    "WHERE q.created_at >= :lo AND q.created_at < :hi "
    "AND COALESCE(q.asker_id, -1) NOT IN (SELECT value FROM json_each(:emp))"
)


def _rows(
    names: dict[int, str],
    none_name: str,
    stats: dict[int | None, list[int]],
    ttfr: dict[int | None, list[float]],
    topics: dict[int | None, int],
    active: dict[int | None, int] | None,
) -> list[BreakdownRow]:
    rows = []
    for key in set(stats) | set(topics) | set(active or ()):
        s = stats.get(key, [0, 0, 0])
        name = names.get(key, "—") if key is not None else none_name
        rows.append(
            BreakdownRow(
                key,
                name,
                int(topics.get(key, 0)),
                s[0],
                s[1],
                s[2],
                median(sorted(ttfr.get(key, []))),
                None if active is None else int(active.get(key, 0)),
            )
        )
    rows.sort(key=lambda r: (-r.questions, -r.new_topics, r.name))
    return rows


def breakdowns(
    conn: Connection,
    settings: AnalyticsSettings,
    period: Period,
    *,
    employees: Iterable[int] | None = None,
    questions: Sequence[QuestionRow] | None = None,
) -> tuple[list[BreakdownRow], list[BreakdownRow]]:
    """(by category, by company): one row per category (company) with activity in ``period``,
    busiest first. ``employees``/``questions``: already known to the caller (else read here)."""
    emp = frozenset(employee_ids(conn, settings.employees) if employees is None else employees)
    lo, hi = iso(period.start), iso(period.end)
    if questions is None:
        params = {"lo": lo, "hi": hi, "emp": json.dumps(sorted(emp))}
        questions = [(c, a, t, int(s or 0)) for c, a, t, s in _raw(conn, _QUESTIONS, params)]
    company_of: dict[int, int | None] = dict(_raw(conn, "SELECT id, company_id FROM users", {}))
    cat_stats: dict[int | None, list[int]] = {}
    co_stats: dict[int | None, list[int]] = {}
    cat_ttfr: dict[int | None, list[float]] = {}
    co_ttfr: dict[int | None, list[float]] = {}
    for cat, asker, ttfr_ms, solved in questions:
        co = None if asker is None else company_of.get(asker)
        for stats, ttfr, key in ((cat_stats, cat_ttfr, cat), (co_stats, co_ttfr, co)):
            s = stats.get(key)
            if s is None:
                s = stats[key] = [0, 0, 0]
            s[0] += 1
            s[2] += solved
            if ttfr_ms is not None:
                s[1] += 1
                ttfr.setdefault(key, []).append(ttfr_ms / 1000.0)
    cat_topics: dict[int | None, int] = {}
    co_topics: dict[int | None, int] = {}
    for cat, uid, n in _raw(
        conn,
        # the live topics' covering index (migration 0010): the planner would pick a non-covering one
        "SELECT category_id, user_id, count(*) FROM topics INDEXED BY ix_topics_breakdown "
        "WHERE created_at >= :lo AND created_at < :hi "
        "AND deleted_at IS NULL AND gone_since IS NULL GROUP BY 1, 2",
        {"lo": lo, "hi": hi},
    ):
        cat_topics[cat] = cat_topics.get(cat, 0) + n
        co = None if uid is None else company_of.get(uid)
        co_topics[co] = co_topics.get(co, 0) + n
    cat_active: dict[int | None, int] | None = None
    if period.days <= CATEGORY_CONTRIBUTORS_MAX_DAYS:
        cat_active = dict(
            _raw(
                conn,
                "SELECT t.category_id, count(DISTINCT p.user_id) FROM posts p "
                "JOIN topics t ON t.id = p.topic_id WHERE p.created_at >= :lo AND p.created_at < :hi "
                "AND p.post_type = 1 AND p.deleted_at IS NULL "
                "AND p.gone_since IS NULL AND t.deleted_at IS NULL AND t.gone_since IS NULL "
                "GROUP BY t.category_id",
                {"lo": lo, "hi": hi},
            )
        )
    co_active: dict[int | None, int] = {}
    for (uid,) in _raw(
        conn,
        "SELECT DISTINCT user_id FROM user_month WHERE month >= :lo AND month < :hi",
        {"lo": period.start.isoformat()[:7], "hi": period.end.isoformat()[:7]},
    ):
        if uid in company_of:  # members the cache knows (as the join with users counted them)
            co = company_of[uid]
            co_active[co] = co_active.get(co, 0) + 1
    cat_names = {int(i): str(n) for i, n in _raw(conn, "SELECT id, name FROM categories", {})}
    co_names = {int(i): str(n) for i, n in _raw(conn, "SELECT id, name FROM companies", {})}
    return (
        _rows(cat_names, "No category", cat_stats, cat_ttfr, cat_topics, cat_active),
        _rows(co_names, "No company", co_stats, co_ttfr, co_topics, co_active),
    )


def breakdown(
    conn: Connection, settings: AnalyticsSettings, period: Period, by: By, *, now: datetime | None = None
) -> list[BreakdownRow]:
    """One row per category (or company) with activity in ``period``, busiest first."""
    del now  # the breakdown counts what was asked in the period: it does not depend on "now"
    by_category, by_company = breakdowns(conn, settings, period)
    return by_category if by == "category" else by_company
