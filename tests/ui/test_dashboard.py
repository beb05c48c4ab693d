"""The Dashboard page over a synced tiny community: tiles, chart data, live updates, drill-down, exports."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from modconsole.analytics import DrillFilter, compute, load_settings, series_csv
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from tests.conftest import copy_db
from tests.core.sync_support import act, engine_for, sync
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS, WAIT_S
from ui.dashboard import DashboardPage
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager

DEMO_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Community:
    def __init__(self, store: Path, cache_path: Path) -> None:
        self.server = DemoServer(store)
        self.server.start()
        try:
            self.engine, self.client, self.cache = engine_for(self.server, cache_path, report_days=800)
            assert sync(self.engine).finished
        except BaseException:
            self.server.stop()  # the fixture's teardown never runs when its setup fails
            raise

    def close(self) -> None:
        self.cache.close()
        self.client.close()
        self.server.stop()


@pytest.fixture
def community(tiny_community_master: Path, tmp_path: Path) -> Iterator[Community]:
    c = Community(copy_db(tiny_community_master, tmp_path / "store.sqlite3"), tmp_path / "cache.sqlite3")
    yield c
    c.close()


def _page(qtbot: QtBot, cache: Cache, signals: AppSignals) -> DashboardPage:
    page = DashboardPage(cache, now=lambda: DEMO_NOW, signals=signals)
    qtbot.addWidget(page)
    page.resize(1300, 1000)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()
    return page


def test_tiles_and_charts_show_the_computed_figures(
    qtbot: QtBot, community: Community, inline_tasks: InlineTaskManager, app_signals: AppSignals
) -> None:
    page = _page(qtbot, community.cache, app_signals)
    with community.cache.read() as conn:
        want = compute(conn, load_settings(conn), page.period(), "month", now=DEMO_NOW)
    assert page.period().label() in page.period_label.text()
    for kid, tile in page.tiles.items():
        assert tile.current_value == want.totals[kid], kid
        assert tile.current_change == want.change(kid), kid
        assert tile.sparkline.getData() == want.points(kid), kid
        assert want.series[kid] is not None
    assert page.tiles["questions_asked"].value.text() == f"{int(want.totals['questions_asked'] or 0):,}"
    assert "median" in page.tiles["ttfr_median"].toolTip().lower()
    assert set(page.charts) == {"community", "questions", "response", "health"}
    q = page.charts["questions"].series_values()
    assert q["questions_asked"] == want.points("questions_asked")
    assert q["unanswered_backlog"] == want.points("unanswered_backlog")
    xs, ys = page.charts["response"].series_values()["ttfr_median"]
    assert xs == want.points("ttfr_median")[0]
    assert ys == pytest.approx([v / 3600 for v in want.points("ttfr_median")[1]])
    # closed months were frozen after the first load; nothing differs yet
    with community.cache.read() as conn:
        months = {r[0] for r in conn.exec_driver_sql("SELECT DISTINCT month FROM kpi_snapshots")}
    assert "2026-10" in months and "2026-11" not in months
    assert not page.banner.isVisibleTo(page)
    # another granularity updates the same plot items
    curve = page.charts["questions"].curves["questions_asked"]
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.set_period("Last 3 months", "week")
    assert page.charts["questions"].curves["questions_asked"] is curve
    assert page.data is not None
    weeks = page.data.result.buckets
    assert len(weeks) >= 9  # September and October, and November so far (DEMO_NOW is 1 November)
    assert weeks[-1].partial and weeks[-1].end == DEMO_NOW.date() + timedelta(days=1)
    with community.cache.read() as conn:
        weekly = compute(conn, load_settings(conn), page.period(), "week", now=DEMO_NOW)
    assert curve.getData()[1].tolist() == weekly.points("questions_asked")[1]


def test_live_update_after_a_sync(
    qtbot: QtBot, community: Community, inline_tasks: InlineTaskManager, app_signals: AppSignals
) -> None:
    page = _page(qtbot, community.cache, app_signals)
    with community.cache.read() as conn:
        tid, created = conn.exec_driver_sql(
            "SELECT t.id, t.created_at FROM topics t JOIN categories c ON c.id = t.category_id "
            "WHERE c.accepts_answers = 1 AND t.first_response_at IS NULL AND t.closed = 0 "
            "AND t.deleted_at IS NULL AND t.created_at < '2026-10-01' "
            "AND t.user_id NOT IN (SELECT id FROM users WHERE email LIKE '%@fernhill.example') "
            "ORDER BY t.created_at DESC LIMIT 1"
        ).one()
    panel = page.charts["questions"]
    curve = panel.curves["questions_answered"]
    x_before, y_before = (list(a) for a in curve.getData())
    bucket = next(i for i, b in enumerate(page.data.result.buckets) if b.key == created[:7])  # type: ignore[union-attr]
    count = page.refresh_count

    act(
        community.server,
        "admin",
        "POST",
        "/posts.json",
        {"topic_id": tid, "raw": "Sorry for the wait: fixed."},
    )
    report = sync(community.engine)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        app_signals.changes_applied.emit(report.changes, None)
    assert page.refresh_count == count + 1
    assert panel.curves["questions_answered"] is curve  # updated in place, not rebuilt
    x_after, y_after = (list(a) for a in curve.getData())
    assert x_after == x_before
    assert y_after[bucket] == y_before[bucket] + 1
    assert [a for i, a in enumerate(y_after) if i != bucket] == [
        b for i, b in enumerate(y_before) if i != bucket
    ]
    # the month was frozen before the reply: the banner shows the drift
    assert page.banner.isVisibleTo(page)
    assert created[:7] in page.banner_text.text()
    assert "Questions answered" in page.banner_text.toolTip()
    # the page ignores changes it made itself and kinds it does not show
    app_signals.changes_applied.emit(report.changes, page)
    from modconsole.changes import Changes

    app_signals.changes_applied.emit(Changes.of("outbox"), None)
    assert page.refresh_count == count + 1


def test_hidden_page_refreshes_when_shown(
    qtbot: QtBot, community: Community, inline_tasks: InlineTaskManager, app_signals: AppSignals
) -> None:
    from modconsole.changes import Changes

    page = _page(qtbot, community.cache, app_signals)
    page.hide()
    count = page.refresh_count
    app_signals.changes_applied.emit(Changes.of("topics"), None)
    assert page.refresh_count == count
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()
    assert page.refresh_count == count + 1


def test_click_and_hover_on_a_chart(
    qtbot: QtBot, community: Community, inline_tasks: InlineTaskManager, app_signals: AppSignals
) -> None:
    page = _page(qtbot, community.cache, app_signals)
    panel = page.charts["questions"]
    assert page.data is not None
    buckets = page.data.result.buckets
    target = len(buckets) - 2
    vb = panel.plot.getPlotItem().getViewBox()
    x_lo, x_hi = buckets[0].epoch, buckets[-1].epoch
    qtbot.waitUntil(lambda: vb.viewRange()[0][0] <= x_lo and vb.viewRange()[0][1] >= x_hi, timeout=WAIT_MS)
    ys = panel.series_values()["questions_asked"][1]
    scene = vb.mapViewToScene(QPointF(buckets[target].epoch, max(ys) / 2))
    view_pt = panel.plot.mapFromScene(scene)
    panel.plot.scene().sigMouseMoved.emit(scene)
    assert panel.readout.text().startswith(buckets[target].start.strftime("%B %Y"))
    assert "Asked " in panel.readout.text()
    with qtbot.waitSignal(page.drill_requested, timeout=WAIT_MS) as blocker:
        QTest.mouseClick(
            panel.plot.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, view_pt
        )
    f = blocker.args[0]
    assert isinstance(f, DrillFilter)
    assert f == DrillFilter(
        "questions",
        f"Unanswered questions asked in {buckets[target].start:%B %Y}",
        buckets[target].start_iso,
        buckets[target].end_iso,
        state="unanswered",
    )
    assert f.queue_states() == frozenset({"no_reply", "asker_only"})
    # members chart opens members; a breakdown row opens that category's questions
    assert page.drill_filter("community", 0).target == "members"
    with qtbot.waitSignal(page.drill_requested, timeout=WAIT_MS) as blocker:
        page.table.cellDoubleClicked.emit(0, 0)
    row = page.data.by_category[0]
    assert blocker.args[0].category_ids == frozenset({row.key})
    assert blocker.args[0].label.startswith(f"Questions in {row.name}")


def test_the_running_period_is_shown_and_marked_so_far(
    qtbot: QtBot, community: Community, inline_tasks: InlineTaskManager, app_signals: AppSignals
) -> None:
    page = _page(qtbot, community.cache, app_signals)  # "Last 12 months" on 1 November
    assert page.data is not None
    months = page.data.result.buckets
    assert [b.key for b in months][-2:] == ["2026-10", "2026-11"]  # today's month is not left out
    assert months[-1].partial and not months[-2].partial
    assert "so far" in page.period_label.text()
    panel = page.charts["questions"]
    assert panel.shows_so_far
    assert panel.readout_text(len(months) - 1).startswith("November 2026 (so far)")
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.set_period("This month so far", "day")
    days = page.data.result.buckets
    assert [b.start for b in days] == [DEMO_NOW.date()]  # no future days drawn as zeros
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.set_period("Last 30 days", "day")
    assert page.data.result.buckets[-1].start == DEMO_NOW.date()
    assert all(b.start <= DEMO_NOW.date() for b in page.data.result.buckets)


def test_exports(
    qtbot: QtBot,
    community: Community,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    tmp_path: Path,
) -> None:
    page = _page(qtbot, community.cache, app_signals)
    assert page.data is not None
    png = tmp_path / "questions.png"
    assert page.export_chart_png("questions", png)
    assert png.stat().st_size > 2000 and png.read_bytes()[:4] == b"\x89PNG"
    assert page.export_name("questions", "csv") == "questions_2025-12-01_2026-11-01.csv"  # the period
    panel = page.charts["questions"]
    image = QImage(str(png))
    # the chart alone: as wide as the plot (the panel's margins and its PNG/CSV buttons left out)
    assert image.width() == panel.plot.width() < panel.width()
    assert image.height() < panel.plot.height() + panel.png_button.height() + 20
    csv_path = tmp_path / "questions.csv"
    page.export_chart_csv("questions", csv_path)
    kpis = ["questions_asked", "questions_answered", "questions_solved", "unanswered_backlog"]
    assert csv_path.read_text() == series_csv(page.data.result, kpis)
    md = tmp_path / "report.md"
    page.export_monthly_report(md, "md")
    assert page.report_month() == "2026-10"
    text = md.read_text()
    assert text.startswith("# Community report — October 2026") and "| Questions asked |" in text
    csv_report = tmp_path / "report.csv"
    page.export_monthly_report(csv_report, "csv")
    assert csv_report.read_text().startswith("month,group,kpi,title,value")


def test_importing_the_page_does_not_import_pyqtgraph() -> None:
    code = "import sys, ui.dashboard; assert 'pyqtgraph' not in sys.modules, 'pyqtgraph imported eagerly'"
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2], timeout=WAIT_S
    )


def test_csv_imports_from_the_page(
    qtbot: QtBot,
    community: Community,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    tmp_path: Path,
) -> None:
    page = _page(qtbot, community.cache, app_signals)
    assert page.tiles["attach_rate"].current_value is None
    assert "import customer accounts" in page.tiles["attach_rate"].change.text()
    with community.cache.read() as conn:
        domains = [r[0] for r in conn.exec_driver_sql("SELECT domain FROM companies ORDER BY id")]
    good = tmp_path / "accounts.csv"
    good.write_text(
        "name,domains\n" + "".join(f"Co {i},{d}\n" for i, d in enumerate(domains)) + "Bad,not a domain\n"
    )
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.import_csv("accounts", good)
    assert page.last_import is not None and page.last_import.imported == len(domains)
    assert messages.texts("warning") == [
        f"Customer accounts from accounts.csv: Imported {len(domains)} rows. 1 row(s) skipped:\n"
        f"Line {len(domains) + 2}: 'not' is not an e-mail domain (expected something like acme.com)."
    ]
    assert page.tiles["attach_rate"].current_value == pytest.approx(100.0)  # every company has members
    bad = tmp_path / "survey.csv"
    bad.write_text("when,score\n2026-01-01,5\n")
    page.import_csv("survey", bad)
    assert messages.texts("error") == [
        "survey.csv: The first line must name the columns: date,csat,effort (the 'date' column is missing)."
    ]
