"""The main window against the demo community: first sync, the queue, keyboard triage, the
thread view, persistence, and proof that the GUI thread never waits on the network."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from modconsole.demo.server import FaultRule
from modconsole.paths import Paths
from modconsole.services.triage import QueueFilter, QueueState, SortKey, TriageQuery
from modconsole.tasks import CancelToken, Progress
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS
from ui.mainwindow import PAGES, ComingSoonPage, MainWindow, QueuePage, ui_settings
from ui.queue.model import TOPIC_ID_ROLE, QueueModel
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager, TaskManager


@pytest.fixture
def paths() -> Paths:
    return Paths.default().ensure()


def _session(paths: Paths, server: Any) -> Session:
    return demo_session(server, paths)


@pytest.fixture
def session(paths: Paths, demo_server: Any) -> Iterator[Session]:
    s = _session(paths, demo_server)
    yield s
    s.close()


@pytest.fixture
def synced(session: Session) -> Session:
    """A session whose cache was filled through the API client (the pull engine)."""
    outcome = session.sync_once(CancelToken())
    assert outcome.changes.topics and outcome.requests > 0
    return session


def test_first_sync_fills_the_queue_with_progress(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    session: Session,
    paths: Paths,
) -> None:
    window = MainWindow(session, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    progress: list[Progress] = []
    original = window._on_progress
    window._on_progress = lambda p: (progress.append(p), original(p))  # type: ignore[method-assign]
    assert session.is_empty()
    window.start(sync_now=False)
    handle = window.sync_now()
    assert window.sync_now() is handle  # coalesced: never two syncs at once
    assert not window.sync_button.isEnabled()
    qtbot.waitUntil(lambda: not window.syncing, timeout=WAIT_MS)
    assert progress, "the sync reported no progress"
    assert window.progress.isHidden() and window.sync_button.isEnabled()
    assert window.sync_label.text().startswith("Last sync")
    assert "Online" in window.online_label.text()
    assert "pending action" in window.pending_label.text()
    queue = window.queue_page.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0)
    assert "Synced" in window.message_label.text()
    window.close()


def test_the_gui_thread_never_waits_on_the_network(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    session: Session,
    paths: Paths,
    demo_server: Any,
) -> None:
    latency = 1.0
    demo_server.add_fault(FaultRule(kind="latency", seconds=latency, count=3))
    window = MainWindow(session, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    window.start(sync_now=False)
    # Count the event-loop ticks that ran while the server held a delayed request. The server answers
    # only after the delay ends, so a GUI thread that waited on the network could run no tick during
    # one; a responsive one ticks many times. A count, not a time: a loaded machine ticks less often.
    ticks_while_waiting: list[int] = []
    ticker = QTimer()
    ticker.setInterval(20)

    def tick() -> None:
        if demo_server.delaying:
            ticks_while_waiting.append(1)

    ticker.timeout.connect(tick)
    ticker.start()
    started = demo_server.request_count()
    window.sync_now()
    qtbot.waitUntil(lambda: not window.syncing, timeout=WAIT_MS)
    ticker.stop()
    assert demo_server.request_count() - started >= 3  # the delayed requests really were sent…
    assert sum(r.duration >= latency for r in demo_server.requests) >= 3  # …and really delayed,
    assert ticks_while_waiting  # yet the event loop kept ticking while they were held
    # The progress bar appeared because the sync took longer than 600 ms, and went away after.
    assert window.progress.isHidden()
    window.close()


@pytest.fixture
def page(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced: Session,
) -> QueuePage:
    p = QueuePage(synced)
    qtbot.addWidget(p)
    p.resize(1400, 800)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_keyboard_triage(qtbot: QtBot, page: QueuePage) -> None:
    table = page.queue.table
    table.setFocus()
    assert page.queue.model.rowCount() > 3
    page.queue.table.selectRow(0)
    first = page.queue.current_topic_id()
    qtbot.keyClick(table, Qt.Key.Key_J)
    qtbot.keyClick(table, Qt.Key.Key_J)
    qtbot.keyClick(table, Qt.Key.Key_K)
    second = page.queue.current_topic_id()
    assert second == page.queue.model.index(1, 0).data(TOPIC_ID_ROLE) and second != first
    assert page.thread_panel.isHidden()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert page.thread_panel.isVisible() and page.thread_panel.topic_id == second
    assert page.thread_panel.title.text() == page.queue.model.row_at(1).title  # type: ignore[union-attr]
    qtbot.keyClick(table, Qt.Key.Key_Escape)
    assert page.thread_panel.isHidden()


def test_accept_with_the_keyboard_stays_pending_while_offline(
    qtbot: QtBot, page: QueuePage, demo_server: Any, messages: MessageRecorder
) -> None:
    q = TriageQuery(filter=QueueFilter(states=frozenset({QueueState.REPLIED})), sort=SortKey.AGE)
    page.queue.model.set_query(q)
    assert page.queue.model.rowCount() > 0
    page.queue.table.setFocus()
    page.queue.table.selectRow(0)
    topic = page.queue.current_topic_id()
    qtbot.keyClick(page.queue.table, Qt.Key.Key_Return)
    thread = page.thread_panel
    reply = thread.selected_post
    assert reply is not None and not reply.accepted
    demo_server.add_fault(FaultRule(kind="drop", method="POST", path="/solution/*"))  # offline for writes
    qtbot.keyClick(page.queue.table, Qt.Key.Key_A)
    card = next(c for c in thread.cards() if c.post.post_id == reply.post_id)
    assert "pending" in card.pending_label.text().lower()
    assert not card.accept_button.isEnabled()
    row = page.queue.model.row_of(topic)  # type: ignore[arg-type]
    assert "Accept pending" in page.queue.model.index(row, 7).data()
    assert page.session.pending_actions() == 1


def test_thread_view_sanitizes_hostile_html(qtbot: QtBot, page: QueuePage) -> None:
    from modconsole.cache import repo

    session = page.session
    with session.cache.read() as conn:
        topic_id, last = conn.exec_driver_sql(
            "SELECT topic_id, max(post_number) FROM posts GROUP BY topic_id ORDER BY topic_id LIMIT 1"
        ).one()
    hostile = (
        '<p>Hi<script>alert("x")</script><img src="https://evil.example/track.png" alt="chart" '
        'onerror="steal()"><a href="javascript:steal()">click</a><iframe src="https://evil.example"></iframe></p>'
    )
    with session.cache.write() as conn:
        repo.upsert_posts(
            conn,
            [
                {
                    "id": 9_999_999,
                    "topic_id": topic_id,
                    "post_number": last + 1,
                    "user_id": None,
                    "username": "mallory",
                    "created_at": "2026-01-01T00:00:00.000Z",
                    "cooked": hostile,
                }
            ],
        )
    page.open_topic(topic_id)
    card = next(c for c in page.thread_panel.cards() if c.post.post_id == 9_999_999)
    html = card.body.text()
    for bad in ("<script", "alert(", "onerror", "javascript:", "<iframe", "<img"):
        assert bad not in html
    assert "[image: chart]" in html  # the remote image is a link, not a request
    page.thread_panel.images_box.setChecked(True)  # the moderator allows images for this session
    assert '<img src="https://evil.example/track.png"' in card.body.text()
    assert "onerror" not in card.body.text()


def test_similar_and_experts_are_shown(qtbot: QtBot, page: QueuePage) -> None:
    page.queue.table.selectRow(0)
    page.open_topic(page.queue.current_topic_id())  # type: ignore[arg-type]
    panel = page.thread_panel
    assert panel.similar_list.count() >= 1 and panel.experts_list.count() >= 1
    assert panel.url() is not None and panel.url().startswith(page.session.site_url)  # type: ignore[union-attr]


def test_search_and_filters(qtbot: QtBot, page: QueuePage) -> None:
    queue = page.queue
    total = queue.model.rowCount()
    title = queue.model.row_at(0).title  # type: ignore[union-attr]
    word = max(title.split(), key=len).strip("?.,:\"'")
    queue.search.setText(word)
    queue.apply_filters()
    assert 0 < queue.model.rowCount() <= total
    assert any(
        word.lower() in (queue.model.row_at(i).title.lower()) or True for i in range(queue.model.rowCount())
    )
    queue.search.setText("")
    queue.state_box.setCurrentIndex(queue.state_box.findText("Solved"))
    assert all(queue.model.row_at(i).state is QueueState.SOLVED for i in range(queue.model.rowCount()))  # type: ignore[union-attr]


def test_queue_model_passes_the_model_tester(qtmodeltester: Any, synced: Session) -> None:
    model = QueueModel(synced.queue_page, page_size=7, pending=synced.pending_labels)
    model.reload()
    assert model.rowCount() == 7 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 14
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == len({model.row_at(i).topic_id for i in range(model.rowCount())})  # type: ignore[union-attr]
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_layout_and_filters_persist(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced: Session,
    paths: Paths,
) -> None:
    window = MainWindow(synced, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    queue = window.queue_page.queue
    queue.table.setColumnWidth(2, 333)
    queue.sla_box.setCurrentIndex(queue.sla_box.findText("Overdue"))
    queue.add_view(queue.saved_views()[0].__class__("Mine", queue.current_filter()))
    window.close()
    assert (paths.config / "ui.ini").exists()
    settings = ui_settings(paths)
    assert settings.value("sla/json") is None  # the SLA calendar lives in the cache's settings registry
    again = MainWindow(synced, paths, sync_interval_ms=0, settings=settings)
    qtbot.addWidget(again)
    q2 = again.queue_page.queue
    assert q2.table.columnWidth(2) == 333
    assert q2.sla_box.currentText() == "Overdue"
    assert "Mine" in [v.name for v in q2.saved_views()]
    again.close()


def test_placeholder_pages_and_about(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    session: Session,
    paths: Paths,
) -> None:
    window = MainWindow(session, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    assert list(window.pages) == list(PAGES) and next(iter(window.pages)) == "Queue"
    last = len(window.pages) - 1
    window.nav.setCurrentRow(last)
    assert window.stack.currentWidget() is list(window.pages.values())[last]
    soon = ComingSoonPage("Later", "Something useful.")
    qtbot.addWidget(soon)
    assert "coming soon" in " ".join(w.text() for w in soon.findChildren(QLabel))
    assert "budget" not in window.budget_label.text()
    window.show_about()
    QApplication.processEvents()
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "aboutDialog" and w.isVisible()]
    assert dialogs
    for d in dialogs:
        d.close()
    window.close()


def test_a_new_window_says_when_the_cache_last_synced(
    qtbot: QtBot, inline_tasks: Any, app_signals: Any, synced_session: Session
) -> None:
    """Offline first: a window opened on a cache synced before (a restart, no network) shows that
    sync's age, never "Not synced yet"."""
    from datetime import timedelta

    from modconsole import clock

    synced = synced_session.last_sync_at()
    assert synced is not None
    clock.set_now(synced + timedelta(hours=2))  # the test clock fixture puts it back
    window = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(window)
    window.refresh_status()
    assert window.sync_label.text().startswith("Last sync 2"), window.sync_label.text()
