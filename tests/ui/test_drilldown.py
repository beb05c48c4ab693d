"""A selection on the dashboard opens the matching rows: a month's questions in the queue, the
members active that month in the members list — checked against independent SQL counts."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from modconsole.analytics.filters import DrillFilter
from modconsole.paths import Paths
from tests.helpers.messagemock import MessageRecorder
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager


@pytest.fixture
def synced(synced_session: Session) -> Session:
    return synced_session


def _busiest_month(session: Session) -> tuple[str, str]:
    with session.cache.read() as conn:
        month = conn.execute(
            text(
                "SELECT substr(t.created_at, 1, 7) AS m FROM topics t "
                "JOIN categories c ON c.id = t.category_id "
                "WHERE c.accepts_answers = 1 GROUP BY m ORDER BY count(*) DESC, m LIMIT 1"
            )
        ).scalar_one()
    y, m = (int(x) for x in month.split("-"))
    nxt = f"{y + (m == 12):04d}-{m % 12 + 1:02d}"
    return f"{month}-01T00:00:00.000Z", f"{nxt}-01T00:00:00.000Z"


def test_a_month_on_the_dashboard_opens_its_questions_and_members(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced: Session,
) -> None:
    window = MainWindow(synced, Paths.default(), sync_interval_ms=0)
    qtbot.addWidget(window)
    window.start(sync_now=False)
    start, end = _busiest_month(synced)
    with synced.cache.read() as conn:
        expected = conn.execute(
            text(
                "SELECT count(*) FROM topics t JOIN categories c ON c.id = t.category_id "
                "WHERE c.accepts_answers = 1 AND c.read_restricted = 0 AND t.gone_since IS NULL "
                "AND t.created_at >= :a AND t.created_at < :b AND t.others_replies = 0 "
                "AND t.has_accepted_answer = 0"
            ),
            {"a": start, "b": end},
        ).scalar_one()
        active = conn.execute(
            text(
                "SELECT count(DISTINCT p.user_id) FROM posts p JOIN users u ON u.id = p.user_id "
                "WHERE p.created_at >= :a AND p.created_at < :b AND p.deleted_at IS NULL AND p.post_type = 1"
            ),
            {"a": start, "b": end},
        ).scalar_one()
    assert expected > 0 and active > 0

    dashboard = window.pages["Dashboard"]
    dashboard.drill_requested.emit(  # type: ignore[attr-defined]
        DrillFilter("questions", "Unanswered questions asked then", start, end, state="unanswered")
    )
    queue = window.queue_page.queue
    assert window.stack.currentWidget() is window.queue_page
    assert queue.range_bar.isVisibleTo(window) and "Unanswered questions" in queue.range_label.text()
    while queue.model.canFetchMore():
        queue.model.fetchMore()
    assert queue.model.rowCount() == expected
    assert queue.state_box.currentText() == "No answer from others"

    queue.clear_date_range()
    assert not queue.range_bar.isVisibleTo(window)
    assert queue.current_filter().created_from is None

    dashboard.drill_requested.emit(  # type: ignore[attr-defined]
        DrillFilter("members", "Members active then", start, end, active_only=True)
    )
    members = window.pages["Members"]
    assert window.stack.currentWidget() is members
    qtbot.waitUntil(lambda: members.model.rowCount() == active)  # type: ignore[attr-defined]
    assert "Members active then" in members.drill_label.text()  # type: ignore[attr-defined]
    window.close()
