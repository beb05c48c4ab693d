"""Accepting an answer online from the thread view leaves every view on the server's state: the
thread (Solved, "Unaccept" offered, nothing pending), the queue (the topic left the open views),
the saved views' counts, the status bar — and the same after a restart. Demo server over real
HTTP, a real TaskManager (writer and io threads), the whole main window."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from modconsole.paths import Paths
from tests.core.outbox_support import accepted_post
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from ui import tasks as _tasks
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import TaskManager
from ui.thread import PostCard, ThreadPanel

WAIT = 120_000  # ms: generous for a loaded 2-core machine; the conditions, not the clock, decide
AWAITING = "Awaiting an employee"


@pytest.fixture
def paths() -> Paths:
    return Paths.default().ensure()


def _window(qtbot: QtBot, session: Session, paths: Paths, *, sync: bool = True) -> MainWindow:
    window = MainWindow(session, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.start(sync_now=False)
    if sync:
        _sync(qtbot, window)
    _settle(qtbot)
    return window


def _sync(qtbot: QtBot, window: MainWindow) -> None:
    done = window._last_sync
    window.sync_now()
    qtbot.waitUntil(lambda: window._last_sync is not done and not window.syncing, timeout=WAIT)
    _settle(qtbot)


def _settle(qtbot: QtBot) -> None:
    """Let every background op finish and deliver (views re-render on their results)."""
    manager = _tasks.task_manager()
    qtbot.waitUntil(lambda: manager.active_count == 0, timeout=WAIT)
    QApplication.processEvents()


def _awaiting_answer(session: Session) -> tuple[int, int]:
    """A question in "Awaiting an employee" and a reply by someone other than the asker."""
    with session.cache.read() as conn:
        topic_id, post_id = conn.execute(
            text(
                "SELECT t.id, p.id FROM topics t JOIN categories c ON c.id = t.category_id "
                "JOIN posts p ON p.topic_id = t.id AND p.post_number > 1 AND p.post_type = 1 "
                "AND p.deleted_at IS NULL AND p.user_id IS NOT t.user_id "
                "WHERE c.accepts_answers = 1 AND c.read_restricted = 0 AND t.has_accepted_answer = 0 "
                "AND t.others_replies > 0 AND t.last_reply_by_asker = 1 AND t.closed = 0 "
                "AND t.deleted_at IS NULL AND t.gone_since IS NULL ORDER BY t.id, p.post_number LIMIT 1"
            )
        ).one()
    return int(topic_id), int(post_id)


def _show_view(qtbot: QtBot, window: MainWindow, name: str) -> None:
    queue = window.queue_page.queue
    names = [v.name for v in queue.saved_views()]
    queue.views_list.setCurrentRow(names.index(name))  # the model reads the cache at once
    while queue.model.canFetchMore():
        queue.model.fetchMore()


def _counts(qtbot: QtBot, window: MainWindow) -> dict[str, int]:
    queue = window.queue_page.queue
    queue.refresh_counts()
    qtbot.waitUntil(lambda: len(queue._counts) == len(queue.saved_views()), timeout=WAIT)
    return dict(queue._counts)


def _open(qtbot: QtBot, window: MainWindow, topic_id: int) -> ThreadPanel:
    window.queue_page.open_topic(topic_id)
    thread = window.queue_page.thread_panel
    qtbot.waitUntil(lambda: thread.topic_id == topic_id and len(thread.cards()) > 1, timeout=WAIT)
    _settle(qtbot)
    return thread


def _card(thread: ThreadPanel, post_id: int) -> PostCard:
    return next(c for c in thread.cards() if c.post.post_id == post_id)


def _shows_accepted(thread: ThreadPanel, post_id: int) -> None:
    """The thread shows the server's state: Solved, the answer accepted, nothing pending (an
    assertion, so ``waitUntil`` reports what was on screen when it gave up)."""
    card = _card(thread, post_id)
    seen = (
        f"meta={thread.meta.text()!r} accepted={card.post.accepted} "
        f"pending={card.pending_label.text()!r} unaccept={not card.unaccept_button.isHidden()}"
        f"/{card.unaccept_button.isEnabled()} accept={not card.accept_button.isHidden()}"
    )
    assert "· Solved ·" in thread.meta.text(), seen
    assert card.post.accepted and card.badge.text() == "✔ Accepted answer", seen
    assert card.pending_label.text() == "", seen
    assert not card.unaccept_button.isHidden() and card.unaccept_button.isEnabled(), seen
    assert card.accept_button.isHidden(), seen


def test_accept_online_from_the_thread_view(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    demo_server: Any,
    paths: Paths,
) -> None:
    session = demo_session(demo_server, paths)
    try:
        window = _window(qtbot, session, paths)
        assert "Online" in window.online_label.text()
        topic_id, post_id = _awaiting_answer(session)
        before = _counts(qtbot, window)
        _show_view(qtbot, window, AWAITING)
        queue = window.queue_page.queue
        assert queue.model.row_of(topic_id) >= 0  # the question is in the view the moderator works from

        thread = _open(qtbot, window, topic_id)
        assert "· Unsolved ·" in thread.meta.text()
        card = _card(thread, post_id)
        assert not card.accept_button.isHidden() and card.accept_button.isEnabled()
        qtbot.waitUntil(card.accept_button.isVisible, timeout=WAIT)  # the layout shows new cards queued
        card.accept_button.click()  # what a mouse click does (QTest's synthetic click was now and then lost)

        # delivered: the server has it …
        qtbot.waitUntil(lambda: accepted_post(demo_server, topic_id) == post_id, timeout=WAIT)
        _settle(qtbot)
        # … and the thread shows the server's state, without a sync
        _shows_accepted(thread, post_id)
        assert "pending" not in " ".join(c.pending_label.text() for c in thread.cards()).lower()
        # the queue: the topic left the open views, and the counts moved with it
        qtbot.waitUntil(lambda: queue.model.row_of(topic_id) < 0, timeout=WAIT)
        after = _counts(qtbot, window)
        assert after[AWAITING] == before[AWAITING] - 1
        assert after["Open questions"] == before["Open questions"] - 1
        assert after["Solved"] == before["Solved"] + 1
        # the status bar: online, nothing waiting
        assert "Online" in window.online_label.text()
        qtbot.waitUntil(lambda: window.pending_label.text() == "0 pending actions", timeout=WAIT)
        assert not messages.bugs and not messages.texts("error")

        # a sync changes nothing of it
        _sync(qtbot, window)
        thread.show_topic(topic_id)
        _settle(qtbot)
        _shows_accepted(thread, post_id)
        assert _counts(qtbot, window) == after
        window.close()
        _settle(qtbot)
    finally:
        session.close()

    # restart: a new session on the same cache and a new window; then it syncs
    again = demo_session(demo_server, paths)
    try:
        window2 = _window(qtbot, again, paths, sync=False)
        for synced in (False, True):
            if synced:
                _sync(qtbot, window2)
            thread2 = _open(qtbot, window2, topic_id)
            _shows_accepted(thread2, post_id)
            assert _counts(qtbot, window2) == after
            _show_view(qtbot, window2, AWAITING)
            assert window2.queue_page.queue.model.row_of(topic_id) < 0
            assert window2.pending_label.text() == "0 pending actions"
        window2.close()
        _settle(qtbot)
    finally:
        again.close()
    assert accepted_post(demo_server, topic_id) == post_id
    assert not messages.bugs
