"""Analytics benchmark: all KPIs for 24 months on the ``large`` community, and one live chart update.

    .venv/bin/python tests/benchmarks/bench_analytics.py [--size large] [--keep DIR]

The cache is **bulk-filled from the generated store** (``INSERT … SELECT`` of categories, users,
topics, posts, solutions and the report series the demo server would serve, then
``repo.rebuild_derived`` for the per-topic fields and the ``user_month``/``daily_posts`` rollups):
syncing ~1M posts over HTTP would take far longer than the figure we measure, and the KPI queries
read only what a sync writes. With ``--keep DIR`` the generated store and the filled cache are kept
and re-used by the next run.

Figures (medians of repeated runs):
* ``kpis_24m_ms`` — ``compute()`` for 24 months by month: the series, the period and the previous
  period, every KPI (the dashboard's query); target ≤ 300 ms. Also ``dashboard_24m_ms`` (plus
  snapshot check and breakdowns) and ``kpis_24m_week_ms``.
* ``dashboard_refresh_ms`` — what the page recomputes after a sync (``load_dashboard``) for its
  default period, the last 12 months so far by month (``now`` = the community's instant: the
  running month is one day old), with the month snapshots the cache holds (``snapshot_months``;
  the page compares frozen months with today's values); target ≤ 300 ms. Also ``breakdowns_12m_ms``
  (by category plus by company) and ``dashboard_refresh_3m_ms``/``dashboard_refresh_90d_ms``.
* ``walk_page_rollups_ms`` — what a first sync's whole posts walk now adds to each 50-post page
  to keep the figures live (``repo.refresh_walked``: the page's day and user-month rollups, the
  topics it completed), median over 40 pages of the large cache, in a transaction rolled back.
* ``chart_update_ms`` — one ``ChartPanel.set_result`` (``setData`` on 4 curves, 24 points each) plus
  a render of the plot (``grab()``); target ≤ 16 ms. Baseline in the same run: a bare ``setData`` of
  the same points on one curve of an otherwise empty plot plus a render (``chart_update_vs_bare``).

The last printed line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from modconsole.analytics import Period, compute, last_months, load_settings  # noqa: E402
from modconsole.analytics.breakdown import breakdown  # noqa: E402
from modconsole.analytics.dashboard import load_dashboard  # noqa: E402
from modconsole.analytics.periods import add_months  # noqa: E402
from modconsole.cache import repo  # noqa: E402
from modconsole.cache.db import Cache  # noqa: E402
from modconsole.demo.generator import generate  # noqa: E402

FILL = [
    """INSERT INTO categories (id, name, slug, parent_category_id, position, color, read_restricted,
           accepts_answers)
       SELECT id, name, slug, parent_category_id, position, color, read_restricted, enable_accepted_answers
       FROM store.categories""",
    """INSERT INTO users (id, username, name, email, trust_level, admin, moderator, title, created_at,
           last_seen_at, last_posted_at, active, staged)
       SELECT id, username, name, email, trust_level, admin, moderator, title, created_at, last_seen_at,
           last_posted_at, active, staged FROM store.users WHERE deleted_at IS NULL""",
    """INSERT INTO topics (id, title, slug, category_id, archetype, user_id, created_at, bumped_at,
           last_posted_at, posts_count, reply_count, highest_post_number, views, like_count, closed,
           archived, visible, pinned, tags, has_accepted_answer, accepted_post_id, deleted_at)
       SELECT t.id, t.title, t.slug, t.category_id, t.archetype, t.user_id, t.created_at, t.bumped_at,
           t.last_posted_at, t.posts_count, t.reply_count, t.highest_post_number, t.views, t.like_count,
           t.closed, t.archived, t.visible, t.pinned, t.tags, s.post_id IS NOT NULL, s.post_id, t.deleted_at
       FROM store.topics t LEFT JOIN store.solutions s ON s.topic_id = t.id""",
    """INSERT INTO posts (id, topic_id, post_number, user_id, created_at, updated_at, version, post_type,
           action_code, reply_to_post_number, like_count, reads, hidden, deleted_at, accepted_answer)
       SELECT p.id, p.topic_id, p.post_number, p.user_id, p.created_at, p.updated_at, p.version, p.post_type,
           p.action_code, p.reply_to_post_number, p.like_count, p.reads, p.hidden, p.deleted_at,
           EXISTS (SELECT 1 FROM store.solutions s WHERE s.post_id = p.id)
       FROM store.posts p""",
    """INSERT INTO solutions (post_id, topic_id, post_number, user_id)
       SELECT s.post_id, s.topic_id, p.post_number, p.user_id FROM store.solutions s
       JOIN store.posts p ON p.id = s.post_id""",
    """INSERT INTO report_points (report_type, facet, date, value)
       SELECT 'accepted_solutions', '', substr(accepted_at, 1, 10), count(*) FROM store.solutions
       GROUP BY 3""",
    """INSERT INTO report_points (report_type, facet, date, value)
       SELECT 'likes', '', substr(created_at, 1, 10), sum(like_count) FROM store.posts
       WHERE deleted_at IS NULL GROUP BY 3""",
    """INSERT INTO report_points (report_type, facet, date, value)
       SELECT 'daily_engaged_users', '', substr(created_at, 1, 10), count(DISTINCT user_id) FROM store.posts
       GROUP BY 3""",
]


def build_cache(store: Path, cache_path: Path) -> float:
    started = time.perf_counter()
    cache = Cache.open(cache_path)
    with cache.write() as conn:
        conn.exec_driver_sql(f"ATTACH DATABASE '{store}' AS store")
    with cache.write() as conn:
        for sql in FILL:
            conn.exec_driver_sql(sql)
    with cache.write() as conn:
        repo.rebuild_derived(conn, batch=5000)
    with cache.write() as conn:
        conn.exec_driver_sql("ANALYZE")
    cache.close()
    return time.perf_counter() - started


def _median_ms(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_kpis(cache_path: Path, now: datetime) -> dict[str, float]:
    cache = Cache.open(cache_path)
    this_month = date(now.year, now.month, 1)
    period = Period(add_months(this_month, -24), this_month)
    out: dict[str, float] = {}
    with cache.read() as conn:
        settings = load_settings(conn)
        compute(conn, settings, period, "month", now=now)  # warm the page cache
        out["kpis_24m_ms"] = _median_ms(lambda: compute(conn, settings, period, "month", now=now), 9)
        out["kpis_24m_week_ms"] = _median_ms(lambda: compute(conn, settings, period, "week", now=now), 3)
        out["dashboard_24m_ms"] = _median_ms(lambda: load_dashboard(conn, period, "month", now=now), 5)
        today = now.date()
        p12 = last_months(12, today)
        out["dashboard_refresh_ms"] = _median_ms(lambda: load_dashboard(conn, p12, "month", now=now), 7)
        out["dashboard_refresh_3m_ms"] = _median_ms(
            lambda: load_dashboard(conn, last_months(3, today), "month", now=now), 5
        )
        p90 = Period(today - timedelta(days=89), today + timedelta(days=1))
        out["dashboard_refresh_90d_ms"] = _median_ms(lambda: load_dashboard(conn, p90, "month", now=now), 5)
        out["breakdowns_12m_ms"] = _median_ms(
            lambda: (
                breakdown(conn, settings, p12, "category", now=now),
                breakdown(conn, settings, p12, "company", now=now),
            ),
            7,
        )
        out["snapshot_months"] = float(
            conn.exec_driver_sql("SELECT count(DISTINCT month) FROM kpi_snapshots").scalar_one()
        )
        counts = {
            t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one())
            for t in ("posts", "topics", "users", "user_month", "daily_posts")
        }
        result = compute(conn, settings, period, "month", now=now)
    walked = getattr(repo, "refresh_walked", None)
    if walked is not None:
        with cache.engine.connect() as conn:
            trans = conn.begin()
            try:
                top = int(conn.exec_driver_sql("SELECT max(id) FROM posts").scalar_one())
                times = []
                for k in range(40):
                    hi = top - 20_000 * (k + 1)
                    rows = [
                        dict(r)
                        for r in conn.exec_driver_sql(
                            f"SELECT * FROM posts WHERE id <= {hi} ORDER BY id DESC LIMIT 50"
                        ).mappings()
                    ]
                    t = time.perf_counter()
                    walked(conn, rows)
                    times.append((time.perf_counter() - t) * 1000)
                out["walk_page_rollups_ms"] = statistics.median(times)
            finally:
                trans.rollback()
    cache.close()
    out.update({f"rows_{k}": float(v) for k, v in counts.items()})
    out["_result"] = result  # type: ignore[assignment]
    return out


def bench_chart(result: object) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    import pyqtgraph as pg

    from ui.dashboard.charts import CHARTS, ChartPanel

    panel = ChartPanel(CHARTS[1])
    panel.resize(640, 300)
    panel.show()
    bare = pg.PlotWidget()
    bare.resize(640, 300)
    bare.show()
    curve = bare.getPlotItem().plot([], [])
    app.processEvents()
    xs, ys = result.points("questions_asked")  # type: ignore[attr-defined]

    def update_panel() -> None:
        panel.set_result(result)  # type: ignore[arg-type]
        panel.plot.grab()  # a real render of the plot (repaint() on offscreen may skip painting)

    def update_bare() -> None:
        curve.setData(xs, ys)
        bare.grab()

    for _ in range(5):
        update_panel()
        update_bare()
    chart = _median_ms(update_panel, 60)
    base = _median_ms(update_bare, 60)
    panel.close()
    bare.close()
    return {"chart_update_ms": chart, "bare_setdata_ms": base, "chart_update_vs_bare": chart / base}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="large")
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-analytics-"))
    work.mkdir(parents=True, exist_ok=True)
    store = work / f"{args.size}.sqlite3"
    cache_path = work / f"{args.size}-cache.sqlite3"
    gen_s = fill_s = 0.0
    if not store.exists():
        t = time.perf_counter()
        generate(store, size=args.size, seed=1)
        gen_s = time.perf_counter() - t
    if not cache_path.exists():
        fill_s = build_cache(store, cache_path)
    meta = json.loads(
        __import__("sqlite3").connect(store).execute("SELECT value FROM meta WHERE key = 'now'").fetchone()[0]
    )
    now = datetime.fromisoformat(meta.replace("Z", "+00:00")).astimezone(UTC)
    figures = bench_kpis(cache_path, now)
    result = figures.pop("_result")
    figures.update(bench_chart(result))
    figures.update({"generate_s": round(gen_s, 1), "fill_and_rollups_s": round(fill_s, 1)})
    out = {"size": args.size, **{k: round(v, 2) for k, v in figures.items()}}
    out["kpis_target_met"] = out["kpis_24m_ms"] <= 300
    out["chart_target_met"] = out["chart_update_ms"] <= 16
    out["refresh_target_met"] = out["dashboard_refresh_ms"] <= 300
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
