"""KPI computation over the cache (no Qt): every figure of :mod:`.definitions`, per bucket.

Sources, chosen so 24 months of a 1M-post community take well under 300 ms (PERFORMANCE.md):

* members, signups, attach rate — ``users`` (created_at, e-mail domain), ``customer_accounts``;
* new topics / posts / replies — the ``daily_posts`` rollup (kept current by the sync);
* active contributors — the ``user_month`` rollup for month-aligned buckets (distinct members over
  any run of whole months); day/week buckets read ``posts`` over the bucket only;
* support health and impact — the derived per-topic fields on ``topics`` (``first_response_at``,
  ``first_responder_id``, ``solved_at``, ``has_accepted_answer``), questions only;
* server-reported series — ``report_points``; survey scores — the imported survey (settings).

All reads happen in one read transaction the caller opens (``cache.read()``), so the figures are
consistent with each other. The result is an immutable :class:`KpiResult`.
"""

from __future__ import annotations

import functools
import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, TextClause, text

from modconsole import clock
from modconsole import settings as registry
from modconsole.analytics.business import BusinessClock
from modconsole.analytics.coverage import COMPLETE, Coverage, read_coverage
from modconsole.analytics.definitions import DEFINITIONS_VERSION, KPIS
from modconsole.analytics.periods import Bucket, Granularity, Period, add_months, buckets, iso, up_to
from modconsole.analytics.settings import AnalyticsSettings, employee_ids
from modconsole.services.sla import SlaSettings

__all__ = [
    "KpiResult",
    "compute",
    "compute_buckets",
    "median",
    "p90",
]


_MS = "CAST(round((julianday({0}) - 2440587.5) * 86400000.0) AS INTEGER)"

_COUNTED_POST = """
    p.post_type = 1 AND p.deleted_at IS NULL AND p.gone_since IS NULL
    AND NOT EXISTS (SELECT 1 FROM topics t WHERE t.id = p.topic_id
                    AND (t.deleted_at IS NOT NULL OR t.gone_since IS NOT NULL))
"""

_SUMMED_REPORTS = {"likes": "likes", "visits": "visits", "accepted_solutions": "solutions_accepted"}
_AVERAGED_REPORTS = {"daily_engaged_users": "daily_engaged_users", "dau_by_mau": "dau_by_mau"}


@functools.lru_cache(maxsize=64)
def _sql(statement: str) -> TextClause:
    """``text()`` parses bind parameters with a regex on every call: build each statement once."""
    return text(statement)


_CLOCKS: dict[tuple[SlaSettings, date, date], BusinessClock] = {}


def _clock(sla: SlaSettings, first: date, last: date) -> BusinessClock:
    """Clocks are pure functions of (calendar, range): keep the last few."""
    key = (sla, first, last)
    clock = _CLOCKS.get(key)
    if clock is None:
        if len(_CLOCKS) > 8:
            _CLOCKS.clear()
        clock = _CLOCKS[key] = BusinessClock(sla, first, last)
    return clock


def median(values: Sequence[float]) -> float | None:
    """Median of sorted ``values`` (mean of the two middle ones for an even count), 3 decimals."""
    n = len(values)
    if n == 0:
        return None
    m = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    return round(m, 3)


def p90(values: Sequence[float]) -> float | None:
    """Nearest-rank 90th percentile of sorted ``values``."""
    n = len(values)
    if n == 0:
        return None
    return values[math.ceil(0.9 * n) - 1]


def _pct(num: float, den: float) -> float | None:
    return None if den == 0 else 100.0 * num / den


# ---------------------------------------------------------------- loaded facts


@dataclass
class _Facts:
    """Rows for ``[lo, hi)`` loaded once and bucketed several ways (series, period, previous)."""

    lo: date
    hi: date
    now: datetime
    employees: frozenset[int]
    user_created: list[str]
    account_first_member: list[str]
    accounts: int
    daily: list[tuple[str, int, int]]
    reports: dict[str, list[tuple[str, float]]]
    survey: list[tuple[str, float | None, float | None]]
    emp_json: str = ""
    support: dict[tuple[tuple[str, str], ...], list[_Stats]] = field(default_factory=dict)
    clock: BusinessClock | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _load_accounts(
    conn: Connection, settings: AnalyticsSettings, employees: frozenset[int]
) -> tuple[int, list[str]]:
    """(number of customer accounts, the created_at of each attached account's first member)."""
    accounts = conn.execute(_sql("SELECT id, name, domains FROM customer_accounts")).all()
    if not accounts:
        return 0, []
    by_domain: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for aid, name, domains in accounts:
        by_name[str(name).strip().lower()] = int(aid)
        try:
            for d in json.loads(domains or "[]"):
                by_domain[str(d).strip().lower()] = int(aid)
        except ValueError:
            continue
    field_sql = "NULL"
    params: dict[str, Any] = {}
    if settings.company_field:
        field_sql = "json_extract(u.user_fields, :path)"
        params["path"] = f'$."{settings.company_field}"'
    first: dict[int, str] = {}
    rows = conn.execute(
        _sql(
            "SELECT u.id, u.created_at, lower(substr(u.email, instr(u.email, '@') + 1)), co.domain, "
            f"{field_sql} "
            "FROM users u LEFT JOIN companies co ON co.id = u.company_id "
            "WHERE u.gone_since IS NULL AND u.created_at IS NOT NULL"
        ),
        params,
    )
    for uid, created, email_domain, company_domain, field_value in rows:
        if uid in employees:
            continue
        aid = by_domain.get(email_domain or "")
        if aid is None and company_domain:
            aid = by_domain.get(str(company_domain).lower())
        if aid is None and field_value:
            aid = by_name.get(str(field_value).strip().lower())
        if aid is not None and (aid not in first or created < first[aid]):
            first[aid] = created
    return len(accounts), sorted(first.values())


def load_survey(conn: Connection) -> list[tuple[str, float | None, float | None]]:
    data = registry.get(conn, registry.SURVEY)
    try:
        return [(str(r[0]), r[1], r[2]) for r in data.get("rows", [])]
    except (TypeError, IndexError, KeyError):
        return []


def _load(
    conn: Connection,
    settings: AnalyticsSettings,
    lo: date,
    hi: date,
    now: datetime,
) -> _Facts:
    employees = employee_ids(conn, settings.employees)
    user_created = sorted(
        str(r[0])
        for r in _raw(
            conn, "SELECT created_at FROM users WHERE gone_since IS NULL AND created_at IS NOT NULL", {}
        )
    )
    n_accounts, first_member = _load_accounts(conn, settings, employees)
    daily = [
        (str(d), int(p), int(t))
        for d, p, t in conn.execute(
            _sql("SELECT day, posts, topics FROM daily_posts WHERE day >= :lo AND day < :hi ORDER BY day"),
            {"lo": lo.isoformat(), "hi": hi.isoformat()},
        )
    ]
    emp_json = json.dumps(sorted(employees))
    reports: dict[str, list[tuple[str, float]]] = {}
    for rtype, d, v in _raw(
        conn,
        "SELECT report_type, date, value FROM report_points "
        "WHERE facet = '' AND date >= :lo AND date < :hi AND report_type IN "
        "('likes', 'visits', 'accepted_solutions', 'daily_engaged_users', 'dau_by_mau') "
        "AND value IS NOT NULL ORDER BY report_type, date",
        {"lo": lo.isoformat(), "hi": hi.isoformat()},
    ):
        reports.setdefault(str(rtype), []).append((str(d), float(v)))
    survey = sorted(s for s in load_survey(conn) if lo.isoformat() <= s[0][:10] < hi.isoformat())
    facts = _Facts(
        lo,
        hi,
        now,
        employees,
        user_created,
        first_member,
        n_accounts,
        daily,
        reports,
        survey,
        emp_json=emp_json,
    )
    first_day = lo
    last_day = max(now.date(), hi) + timedelta(days=2)
    facts.clock = _clock(settings.sla, first_day - timedelta(days=2), last_day)
    return facts


@dataclass
class _Stats:
    """Support figures of one bucket before they become percentages and medians."""

    asked: int = 0
    answered: int = 0
    solved: int = 0
    fr_emp: int = 0
    acc_emp: int = 0
    views: int = 0
    sla_met: int = 0
    sla_due: int = 0
    backlog: int = 0  # questions without a response at the bucket's end (or now)
    ttfr: list[float] = field(default_factory=list)  # sorted seconds
    tts: list[float] = field(default_factory=list)

    @staticmethod
    def merge(parts: Sequence[_Stats]) -> _Stats:
        out = _Stats()
        for p in parts:
            out.asked += p.asked
            out.answered += p.answered
            out.solved += p.solved
            out.fr_emp += p.fr_emp
            out.acc_emp += p.acc_emp
            out.views += p.views
            out.sla_met += p.sla_met
            out.sla_due += p.sla_due
            out.backlog = p.backlog  # the last bucket's end is the merged bucket's end
            out.ttfr.extend(p.ttfr)
            out.tts.extend(p.tts)
        out.ttfr.sort()
        out.tts.sort()
        return out


# Questions of each bucket (``b``: index, lo, hi as ISO strings), from the ``question_facts`` rollup
# (migration 0002; kept current by triggers). ``:emp`` is a JSON list of employee ids.
_Q_FROM = """
WITH b(i, lo, hi) AS (
    SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:b)),
e(id) AS (SELECT value FROM json_each(:emp))
SELECT {cols}
FROM b JOIN question_facts q ON q.created_at >= b.lo AND q.created_at < b.hi {join}
WHERE COALESCE(q.asker_id, -1) NOT IN e {where}
{tail}
"""
_Q_ROWS = _Q_FROM.format(
    cols=(
        "b.i, q.created_ms, q.ttfr_ms, q.tts_ms, q.category_id, q.asker_id, q.solved, "
        "q.responder_id, q.accepted_author_id, q.views"
    ),
    join="",
    where="",
    tail="",
)
# Questions asked before :lo that are still without a response at :lo (the backlog carried in).
_Q_CARRIED = """
SELECT first_response_at FROM question_facts
WHERE created_at < :lo AND (first_response_at IS NULL OR first_response_at >= :lo)
  AND COALESCE(asker_id, -1) NOT IN (SELECT value FROM json_each(:emp))
"""


def _raw(conn: Connection, sql: str, params: Mapping[str, Any]) -> list[Any]:
    """Rows straight from the sqlite3 cursor (tens of thousands of small tuples: skip the Result layer)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    cur = driver.execute(_named_to_qmark(sql), tuple(params[k] for k in _param_names(sql)))
    try:
        rows: list[Any] = cur.fetchall()
        return rows
    finally:
        cur.close()


@functools.lru_cache(maxsize=64)
def _param_names(sql: str) -> tuple[str, ...]:
    import re

    return tuple(re.findall(r"(?<![:\w]):(\w+)", sql))


@functools.lru_cache(maxsize=64)
def _named_to_qmark(sql: str) -> str:
    import re

    return re.sub(r"(?<![:\w]):(\w+)", "?", sql)


def _support_stats(
    conn: Connection, settings: AnalyticsSettings, facts: _Facts, bs: Sequence[Bucket]
) -> list[_Stats]:
    """Support figures of contiguous buckets, in one pass over the questions' rows (the counts too:
    a second, counting read of the same index cost as much as this pass)."""
    n = len(bs)
    params = {"b": json.dumps([[b.start_iso, b.end_iso] for b in bs]), "emp": facts.emp_json}
    stats = [_Stats() for _ in range(n)]
    asked = [0] * n
    answered = [0] * n
    fr_emp = [0] * n
    solved_n = [0] * n
    acc_emp = [0] * n
    views_n = [0] * n
    emp = facts.employees
    ttfr: list[list[float]] = [[] for _ in range(n)]
    tts: list[list[float]] = [[] for _ in range(n)]
    met = [0] * n
    due = [0] * n
    created_all: list[int] = []
    answered_all: list[int] = []
    clock = facts.clock
    assert clock is not None
    sla = settings.sla
    default = sla.target_seconds(None)
    targets = {int(c): sla.target_seconds(int(c)) for c in sla.category_targets}
    opens, lens, cum = clock._opens, clock._lengths, clock._cum
    now_ms = int(facts.now.timestamp() * 1000)
    now_s = now_ms / 1000.0
    j = bisect_right(opens, now_s) - 1
    now_elapsed = 0.0 if j < 0 else cum[j] + min(now_s - opens[j], lens[j])
    br = bisect_right
    keep: list[list[tuple[int | None, int | None, int | None, int]]] | None = facts.extra.get("questions")
    if keep is not None:
        keep[:] = [[] for _ in range(n)]
    for i, created_ms, ttfr_ms, tts_ms, cat, asker, solved, responder, acc_author, views in _raw(
        conn, _Q_ROWS, params
    ):
        created_all.append(created_ms)
        asked[i] += 1
        if solved:
            solved_n[i] += 1
            views_n[i] += views or 0
            if acc_author in emp:
                acc_emp[i] += 1
        if keep is not None:
            keep[i].append((cat, asker, ttfr_ms, int(solved or 0)))
        t = created_ms / 1000.0
        j = br(opens, t) - 1
        t0 = 0.0 if j < 0 else cum[j] + (t - opens[j] if t - opens[j] < lens[j] else lens[j])
        target = targets.get(cat, default) if targets else default
        if ttfr_ms is not None:
            answered[i] += 1
            if responder in emp:
                fr_emp[i] += 1
            ttfr[i].append(ttfr_ms / 1000.0)
            answered_all.append(created_ms + ttfr_ms)
            t = (created_ms + ttfr_ms) / 1000.0
            j = br(opens, t) - 1
            t1 = 0.0 if j < 0 else cum[j] + (t - opens[j] if t - opens[j] < lens[j] else lens[j])
            due[i] += 1
            met[i] += t1 - t0 <= target
        elif now_elapsed - t0 > target:
            due[i] += 1
        if tts_ms is not None:
            tts[i].append(tts_ms / 1000.0)
    created_all.sort()
    answered_all.sort()
    # the backlog carried in from before the first bucket: asked earlier, answered later (or never)
    carried = sorted(
        (10**15 if fr is None else _iso_ms(fr))
        for (fr,) in _raw(conn, _Q_CARRIED, {"lo": bs[0].start_iso, "emp": facts.emp_json})
    )
    for k, b in enumerate(bs):
        st = stats[k]
        st.asked, st.answered, st.fr_emp = asked[k], answered[k], fr_emp[k]
        st.solved, st.acc_emp, st.views = solved_n[k], acc_emp[k], views_n[k]
        st.sla_met, st.sla_due = met[k], due[k]
        ttfr[k].sort()
        tts[k].sort()
        st.ttfr, st.tts = ttfr[k], tts[k]
        e = min(_date_ms(b.end), now_ms)
        # a response never precedes its question: "answered before e" implies "asked before e"
        st.backlog = (
            bisect_left(created_all, e)
            - bisect_left(answered_all, e)
            + len(carried)
            - bisect_left(carried, e)
        )
    return stats


def _date_ms(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) * 1000


def _iso_ms(value: str) -> int:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return int(dt.timestamp() * 1000)


_ACTIVE_POSTS = f"""
    SELECT p.user_id FROM posts p WHERE p.created_at >= :{{0}}_lo AND p.created_at < :{{0}}_hi
    AND p.user_id IS NOT NULL AND {_COUNTED_POST}"""
_ACTIVE_SPLIT = f"""
SELECT count(DISTINCT u), count(DISTINCT CASE WHEN u NOT IN (SELECT value FROM json_each(:emp)) THEN u END)
FROM (SELECT user_id AS u FROM user_month WHERE month >= :m_lo AND month < :m_hi
      UNION ALL {_ACTIVE_POSTS.format("h")}
      UNION ALL {_ACTIVE_POSTS.format("t")})
"""
"""Distinct contributors over any span: its whole months from ``user_month``, the rest from ``posts``."""


def _activity(
    conn: Connection, facts: _Facts, bs: Sequence[Bucket]
) -> tuple[list[float | None], list[float | None]]:
    """(active contributors, active customer contributors) per bucket."""
    total: list[float | None] = []
    customers: list[float | None] = []
    emp = facts.emp_json
    months = [b for b in bs if b.month_aligned]
    if len(months) == len(bs) and all(b.is_month for b in bs) and len(bs) > 1:
        # employees are few: count everyone per month, subtract the employees' rows
        rng = {"emp": emp, "lo": bs[0].key, "hi": f"{bs[-1].key}~"}
        everyone = dict(
            _raw(
                conn,
                "SELECT month, count(*) FROM user_month WHERE month >= :lo AND month < :hi GROUP BY month",
                rng,
            )
        )
        staff = dict(
            _raw(
                conn,
                "SELECT month, count(*) FROM user_month WHERE user_id IN (SELECT value FROM json_each(:emp)) "
                "AND month >= :lo AND month < :hi GROUP BY month",
                rng,
            )
        )
        for b in bs:
            a = int(everyone.get(b.key, 0))
            total.append(float(a))
            customers.append(float(a - int(staff.get(b.key, 0))))
        return total, customers
    for b in bs:
        if b.month_aligned:
            rng = {"emp": emp, "lo": b.start.isoformat()[:7], "hi": b.end.isoformat()[:7]}
            (a,) = _raw(
                conn, "SELECT count(DISTINCT user_id) FROM user_month WHERE month >= :lo AND month < :hi", rng
            )[0]
            (e,) = _raw(
                conn,
                "SELECT count(DISTINCT user_id) FROM user_month "
                "WHERE user_id IN (SELECT value FROM json_each(:emp)) AND month >= :lo AND month < :hi",
                rng,
            )[0]
            row = (a, int(a or 0) - int(e or 0))
        else:
            # whole months from the user_month rollup, the days before and after them from posts
            ms = b.start if b.start.day == 1 else add_months(b.start, 1)
            me = date(b.end.year, b.end.month, 1)
            if ms >= me:
                ms = me = b.end
            row = _raw(
                conn,
                _ACTIVE_SPLIT,
                {
                    "emp": emp,
                    "m_lo": ms.isoformat()[:7],
                    "m_hi": me.isoformat()[:7],
                    "h_lo": b.start_iso,
                    "h_hi": iso(ms),
                    "t_lo": iso(me),
                    "t_hi": b.end_iso,
                },
            )[0]
        total.append(float(row[0] or 0))
        customers.append(float(row[1] or 0))
    return total, customers


def _bucket_values(
    conn: Connection, settings: AnalyticsSettings, facts: _Facts, bs: Sequence[Bucket]
) -> dict[str, Sequence[float | None]]:
    n = len(bs)
    out: dict[str, Sequence[float | None]] = {}
    starts_day = [b.start.isoformat() for b in bs]

    # growth ----------------------------------------------------------------
    uc = facts.user_created
    out["signups"] = [float(bisect_left(uc, b.end_iso) - bisect_left(uc, b.start_iso)) for b in bs]
    out["members_total"] = [float(bisect_left(uc, b.end_iso)) for b in bs]
    if facts.accounts:
        out["attach_rate"] = [
            _pct(bisect_left(facts.account_first_member, b.end_iso), facts.accounts) for b in bs
        ]
    else:
        out["attach_rate"] = [None] * n
    ends_day = [b.end.isoformat() for b in bs]
    topics = [0.0] * n
    posts = [0.0] * n
    for day, p, t in facts.daily:
        i = bisect_right(starts_day, day) - 1
        if 0 <= i < n and day < ends_day[i]:
            posts[i] += p
            topics[i] += t
    out["new_topics"] = topics
    out["new_posts"] = posts
    out["new_replies"] = [p - t for p, t in zip(posts, topics, strict=True)]

    # engagement --------------------------------------------------------------
    active, active_cust = _activity(conn, facts, bs)
    out["active_contributors"] = active
    out["active_customer_contributors"] = active_cust
    out["active_contributors_pct"] = [
        _pct(a or 0, m or 0) for a, m in zip(active, out["members_total"], strict=True)
    ]
    out["posts_per_active"] = [None if not a else (p / a) for p, a in zip(posts, active, strict=True)]

    # support health ---------------------------------------------------------
    st = facts.support.get(tuple((b.start_iso, b.end_iso) for b in bs))
    if st is None:
        st = _support_stats(conn, settings, facts, bs)
    asked = [float(x.asked) for x in st]
    answered = [float(x.answered) for x in st]
    solved = [float(x.solved) for x in st]
    fr_emp = [float(x.fr_emp) for x in st]
    fr_cust = [float(x.answered - x.fr_emp) for x in st]
    acc_emp = [float(x.acc_emp) for x in st]
    acc_cust = [float(x.solved - x.acc_emp) for x in st]
    sla_met = [x.sla_met for x in st]
    sla_due = [x.sla_due for x in st]
    views = [float(x.views) for x in st]
    ttfr = [x.ttfr for x in st]
    tts = [x.tts for x in st]
    out["questions_asked"] = asked
    out["questions_answered"] = answered
    out["questions_solved"] = solved
    out["answer_rate"] = [_pct(a, q) for a, q in zip(answered, asked, strict=True)]
    out["solution_rate"] = [_pct(s, q) for s, q in zip(solved, asked, strict=True)]
    out["ttfr_median"] = [median(v) for v in ttfr]
    out["ttfr_p90"] = [p90(v) for v in ttfr]
    out["ttfr_count"] = [float(len(v)) for v in ttfr]
    out["tts_median"] = [median(v) for v in tts]
    out["tts_p90"] = [p90(v) for v in tts]
    out["first_responses_by_employees"] = fr_emp
    out["first_responses_by_customers"] = fr_cust
    out["accepted_by_employees"] = acc_emp
    out["accepted_by_customers"] = acc_cust
    out["p2p_first_response"] = [_pct(c, c + e) for c, e in zip(fr_cust, fr_emp, strict=True)]
    out["p2p_accepted"] = [_pct(c, c + e) for c, e in zip(acc_cust, acc_emp, strict=True)]
    out["sla_attainment"] = [_pct(m, d) for m, d in zip(sla_met, sla_due, strict=True)]
    # backlog at each bucket's end (or now, if earlier)
    backlog: list[float | None] = [float(x.backlog) for x in st]
    out["unanswered_backlog"] = backlog

    # impact -------------------------------------------------------------------
    out["deflected_tickets"] = [v * settings.deflection_rate for v in views]
    out["deflection_savings"] = [v * settings.deflection_rate * settings.cost_per_ticket for v in views]
    csat_n = [0] * n
    csat_hi = [0] * n
    eff_n = [0] * n
    eff_sum = [0.0] * n
    for day, csat, effort in facts.survey:
        i = bisect_right(starts_day, day[:10]) - 1
        if i < 0 or day[:10] >= ends_day[i]:
            continue
        if csat is not None:
            csat_n[i] += 1
            csat_hi[i] += csat >= 4
        if effort is not None:
            eff_n[i] += 1
            eff_sum[i] += effort
    out["csat"] = [_pct(h, c) for h, c in zip(csat_hi, csat_n, strict=True)]
    out["effort"] = [None if c == 0 else s / c for s, c in zip(eff_sum, eff_n, strict=True)]

    # server reported ------------------------------------------------------------
    for rtype, kpi_id in (*_SUMMED_REPORTS.items(), *_AVERAGED_REPORTS.items()):
        pts = facts.reports.get(rtype)
        if not pts:
            out[kpi_id] = [None] * n
            continue
        sums = [0.0] * n
        cnt = [0] * n
        for day, v in pts:
            i = bisect_right(starts_day, day) - 1
            if 0 <= i < n and day < ends_day[i]:
                sums[i] += v
                cnt[i] += 1
        if rtype in _SUMMED_REPORTS:
            out[kpi_id] = [s if c else None for s, c in zip(sums, cnt, strict=True)]
        else:
            out[kpi_id] = [s / c if c else None for s, c in zip(sums, cnt, strict=True)]
    return out


def compute_buckets(
    conn: Connection, settings: AnalyticsSettings, bs: Sequence[Bucket], *, now: datetime | None = None
) -> dict[str, Sequence[float | None]]:
    """Every KPI for each of ``bs`` (contiguous, ascending): ``{kpi_id: [value per bucket]}``."""
    now = now or clock.now()
    facts = _load(conn, settings, bs[0].start, bs[-1].end, now)
    return _bucket_values(conn, settings, facts, bs)


# ---------------------------------------------------------------- the dashboard's query


@dataclass(frozen=True)
class KpiResult:
    """Series per bucket plus whole-period and previous-period values, for every KPI."""

    period: Period
    granularity: Granularity
    buckets: tuple[Bucket, ...]
    series: Mapping[str, tuple[float | None, ...]]
    totals: Mapping[str, float | None]
    previous: Mapping[str, float | None]
    employees: int
    definitions_version: int = DEFINITIONS_VERSION
    computed_at: str = ""
    coverage: Coverage = COMPLETE
    """What the cache held completely when this was computed (a first sync may still be running)."""

    def bucket_complete(self, index: int, kpi_id: str) -> bool:
        """Whether bucket ``index`` of ``kpi_id`` counts a completely synced span (else: so far synced)."""
        b = self.buckets[index]
        return self.coverage.complete(b.start, b.end, kpi_id)

    def period_complete(self, kpi_id: str) -> bool:
        """Whether the period's value of ``kpi_id`` counts complete data."""
        return self.coverage.complete(self.period.start, self.period.end, kpi_id)

    def previous_complete(self, kpi_id: str) -> bool:
        """Whether the previous period's value of ``kpi_id`` (the change's base) counts complete data."""
        prev = self.period.previous()
        return self.coverage.complete(prev.start, prev.end, kpi_id)

    @property
    def incomplete(self) -> bool:
        """Some bucket of the period is not held completely yet (a first sync is running)."""
        return self.coverage.syncing and not all(self.coverage.complete(b.start, b.end) for b in self.buckets)

    def incomplete_points(self, kpi_id: str) -> tuple[list[float], list[float]]:
        """(x, y) of the buckets with a value that are not held completely (drawn apart, dimmed)."""
        xs: list[float] = []
        ys: list[float] = []
        for i, (b, v) in enumerate(zip(self.buckets, self.series[kpi_id], strict=True)):
            if v is not None and not self.bucket_complete(i, kpi_id):
                xs.append(b.epoch)
                ys.append(float(v))
        return xs, ys

    @property
    def partial(self) -> bool:
        """The period is still running: its last bucket (and the totals) are "so far"."""
        return any(b.partial for b in self.buckets)

    def xs(self) -> list[float]:
        """Bucket starts as epoch seconds (chart x)."""
        return [b.epoch for b in self.buckets]

    def points(self, kpi_id: str) -> tuple[list[float], list[float]]:
        """(x, y) of the buckets that have a value."""
        xs: list[float] = []
        ys: list[float] = []
        for b, v in zip(self.buckets, self.series[kpi_id], strict=True):
            if v is not None:
                xs.append(b.epoch)
                ys.append(float(v))
        return xs, ys

    def change(self, kpi_id: str) -> float | None:
        """Relative change of the period's value vs the previous period (None when undefined)."""
        cur, prev = self.totals.get(kpi_id), self.previous.get(kpi_id)
        if cur is None or prev is None or prev == 0:
            return None
        return (cur - prev) / abs(prev)


def compute(
    conn: Connection,
    settings: AnalyticsSettings,
    period: Period,
    granularity: Granularity = "month",
    *,
    now: datetime | None = None,
) -> KpiResult:
    """All KPIs over ``period`` by ``granularity``, the period as a whole and the previous period."""
    return compute_with_questions(conn, settings, period, granularity, now=now)[0]


def compute_with_questions(
    conn: Connection,
    settings: AnalyticsSettings,
    period: Period,
    granularity: Granularity = "month",
    *,
    now: datetime | None = None,
) -> tuple[KpiResult, list[tuple[int | None, int | None, int | None, int]], frozenset[int]]:
    """:func:`compute`, plus the period's questions as it read them — (category id, asker id, ms to
    first response, solved) — and the employees' ids, for the breakdowns (not read twice)."""
    now = now or clock.now()
    period = up_to(period, now.date())  # no future days: the figures end with today (so far)
    prev = period.previous()
    facts = _load(conn, settings, prev.start, period.end, now)
    bs = buckets(period, granularity, today=now.date())
    prev_b = Bucket("previous", prev.start, prev.end)
    whole_b = Bucket("period", period.start, period.end)
    kept: list[list[tuple[int | None, int | None, int | None, int]]] = []
    facts.extra["questions"] = kept
    stats = _support_stats(conn, settings, facts, [prev_b, *bs])
    del facts.extra["questions"]
    facts.support[((prev_b.start_iso, prev_b.end_iso),)] = stats[:1]
    facts.support[tuple((b.start_iso, b.end_iso) for b in bs)] = stats[1:]
    facts.support[((whole_b.start_iso, whole_b.end_iso),)] = [_Stats.merge(stats[1:])]
    series = _bucket_values(conn, settings, facts, bs)
    whole = _bucket_values(conn, settings, facts, [whole_b])
    before = _bucket_values(conn, settings, facts, [prev_b])
    result = KpiResult(
        period,
        granularity,
        tuple(bs),
        {k: tuple(v) for k, v in series.items()},
        {k: v[0] for k, v in whole.items()},
        {k: v[0] for k, v in before.items()},
        len(facts.employees),
        computed_at=now.isoformat(),
        coverage=read_coverage(conn),
    )
    return result, [q for rows in kept[1:] for q in rows], facts.employees


def known_kpis() -> Iterable[str]:
    return (k.id for k in KPIS)
