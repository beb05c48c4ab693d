"""Breakdowns of one period by category or by company (support figures and participation)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, text

from modconsole.analytics.kpis import _raw, median
from modconsole.analytics.periods import Period, iso
from modconsole.analytics.settings import AnalyticsSettings, employee_ids

__all__ = ["BreakdownRow", "breakdown"]

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


def breakdown(
    conn: Connection, settings: AnalyticsSettings, period: Period, by: By, *, now: datetime | None = None
) -> list[BreakdownRow]:
    """One row per category (or company) with activity in ``period``, busiest first."""
    del now  # the breakdown counts what was asked in the period: it does not depend on "now"
    emp_json = json.dumps(sorted(employee_ids(conn, settings.employees)))
    lo, hi = iso(period.start), iso(period.end)
    if by == "category":
        names = {int(i): str(n) for i, n in conn.execute(text("SELECT id, name FROM categories"))}
        topics: dict[int | None, int] = dict(
            conn.execute(
                text(
                    "SELECT category_id, count(*) FROM topics WHERE created_at >= :lo AND created_at < :hi "
                    "AND deleted_at IS NULL AND gone_since IS NULL GROUP BY category_id"
                ),
                {"lo": lo, "hi": hi},
            ).all()
        )
        active: dict[int | None, int] | None = None
        if period.days <= CATEGORY_CONTRIBUTORS_MAX_DAYS:
            active = dict(
                conn.execute(
                    text(
                        "SELECT t.category_id, count(DISTINCT p.user_id) FROM posts p "
                        "JOIN topics t ON t.id = p.topic_id WHERE p.created_at >= :lo AND p.created_at < :hi "
                        "AND p.post_type = 1 AND p.deleted_at IS NULL "
                        "AND p.gone_since IS NULL AND t.deleted_at IS NULL AND t.gone_since IS NULL "
                        "GROUP BY t.category_id"
                    ),
                    {"lo": lo, "hi": hi},
                ).all()
            )
    else:
        names = {int(i): str(n) for i, n in conn.execute(text("SELECT id, name FROM companies"))}
        topics = dict(
            conn.execute(
                text(
                    "SELECT u.company_id, count(*) FROM topics t LEFT JOIN users u ON u.id = t.user_id "
                    "WHERE t.created_at >= :lo AND t.created_at < :hi AND t.deleted_at IS NULL "
                    "AND t.gone_since IS NULL GROUP BY u.company_id"
                ),
                {"lo": lo, "hi": hi},
            ).all()
        )
        active = dict(
            conn.execute(
                text(
                    "SELECT u.company_id, count(DISTINCT um.user_id) FROM user_month um "
                    "JOIN users u ON u.id = um.user_id WHERE um.month >= :lo AND um.month < :hi "
                    "GROUP BY u.company_id"
                ),
                {"lo": period.start.isoformat()[:7], "hi": period.end.isoformat()[:7]},
            ).all()
        )
    key_expr = "q.category_id" if by == "category" else "u.company_id"
    join = "" if by == "category" else "LEFT JOIN users u ON u.id = q.asker_id"
    base = (
        f"FROM question_facts q {join} WHERE q.created_at >= :lo AND q.created_at < :hi "
        "AND COALESCE(q.asker_id, -1) NOT IN (SELECT value FROM json_each(:emp))"
    )
    params = {"lo": lo, "hi": hi, "emp": emp_json}
    stats: dict[int | None, list[int]] = {
        k: [int(a), int(b), int(c or 0)]
        for k, a, b, c in _raw(
            conn, f"SELECT {key_expr}, count(*), count(q.ttfr_ms), sum(q.solved) {base} GROUP BY 1", params
        )
    }
    ttfr: dict[int | None, list[float]] = {}
    for k, v in _raw(
        conn, f"SELECT {key_expr}, q.ttfr_ms {base} AND q.ttfr_ms IS NOT NULL ORDER BY 1, 2", params
    ):
        ttfr.setdefault(k, []).append(v / 1000.0)
    keys = set(stats) | set(topics) | set(active or ())
    rows = []
    for key in keys:
        s = stats.get(key, [0, 0, 0])
        vals = sorted(ttfr.get(key, []))
        name = (
            names.get(key, "—") if key is not None else ("No category" if by == "category" else "No company")
        )
        rows.append(
            BreakdownRow(
                key,
                name,
                int(topics.get(key, 0)),
                s[0],
                s[1],
                s[2],
                median(vals),
                None if active is None else int(active.get(key, 0)),
            )
        )
    rows.sort(key=lambda r: (-r.questions, -r.new_topics, r.name))
    return rows
