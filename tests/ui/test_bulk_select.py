"""Multi-select and bulk actions (issue #14.4): several questions (or review items) selected, a
dry-run count asked before anything is queued, the queueing, the multi-selection and the scroll
kept afterwards, and undo — the toast and Ctrl+Z take back what is still queued (journaled) and say
what was already sent. The whole main window at 1024×700 over the demo community, real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QSize, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole.outbox import store
from modconsole.paths import Paths
from modconsole.services.reminders import ReminderService
from modconsole.services.triage import QueueFilter, QueueState
from modconsole.tasks import CancelToken
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS
from ui import tasks as _tasks
from ui import theme
from ui.mainwindow import MainWindow
from ui.review.page import ReviewPage
from ui.signals import AppSignals
from ui.tasks import TaskManager

SMALL = QSize(1024, 700)
ANY_STATE = QueueFilter(states=frozenset(QueueState))


def _settle(qtbot: QtBot) -> None:
    manager = _tasks.task_manager()
    qtbot.waitUntil(lambda: manager.active_count == 0, timeout=WAIT_MS)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: manager.active_count == 0, timeout=WAIT_MS)


@pytest.fixture
def window(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    demo_server: Any,
    qapp: QApplication,
) -> Iterator[MainWindow]:
    paths = Paths.default().ensure()
    manager = theme.install(qapp)
    manager.set_preference("light")
    session = demo_session(demo_server, paths)
    assert session.sync_once(CancelToken()).changes.topics
    session.workspace.review.sync()
    try:
        w = MainWindow(session, paths, sync_interval_ms=0)
        qtbot.addWidget(w)
        w.resize(SMALL)
        w.start(sync_now=False)
        w.resize(SMALL)
        qtbot.waitExposed(w)
        _settle(qtbot)
        yield w
        w.close()
        _settle(qtbot)
    finally:
        session.close()
        theme.uninstall()


def _select(window: MainWindow, topic_ids: list[int]) -> None:
    queue = window.queue_page.queue
    sm = queue.table.selectionModel()
    first = queue.model.index(queue.model.row_of(topic_ids[0]), 0)
    sm.setCurrentIndex(
        first, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )  # not selectRow(): it follows the keyboard modifiers Qt last saw (Ctrl held: toggle)
    for tid in topic_ids[1:]:
        row = queue.model.row_of(tid)
        assert row >= 0, tid
        sm.select(
            queue.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def _rows(window: MainWindow, kind: str) -> list[store.OutboxRow]:
    with window.session.cache.read() as conn:
        return [r for r in store.rows(conn) if r.kind == kind]


def test_bulk_nudge_asks_with_a_dry_run_count_queues_and_keeps_the_selection(
    window: MainWindow, qtbot: QtBot, messages: MessageRecorder
) -> None:
    session = window.session
    reminders = ReminderService(session.cache, session.workspace.moderation)
    found = reminders.candidates()
    by_asker: dict[int, list[int]] = {}
    for c in found:
        by_asker.setdefault(c.asker_id, []).append(c.topic_id)
    first = [ids[0] for ids in by_asker.values()]
    assert len(first) >= 3
    reminders.send_nudge(first[0])  # this asker was reminded this week already
    window.refresh_attention()  # the window has seen it (it was queued before the bulk action)
    queue = window.queue_page.queue
    queue.set_filter(ANY_STATE)
    _settle(qtbot)
    while queue.model.canFetchMore():
        queue.model.fetchMore()
        _settle(qtbot)
    chosen = sorted(first[:4], key=queue.model.row_of)
    _select(window, chosen)
    bar = window.queue_page.bulk_bar
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=WAIT_MS)
    assert bar.count_label.text() == f"{len(chosen)} selected"
    scroll = queue.table.verticalScrollBar().value()
    window.grab().save("/tmp/bulk-queue-light.png")

    asked: list[str] = []
    bar.confirm = lambda q: (asked.append(q), True)[1]
    bar.buttons["nudge"].click()
    n = len(chosen) - 1
    qtbot.waitUntil(lambda: len(_rows(window, "create_post")) == 1 + n, timeout=WAIT_MS)
    _settle(qtbot)
    assert asked == [f"Nudge {n} askers? 1 skipped: already reminded this week (1)."]
    assert queue.selected_topic_ids() == chosen  # the selection and the place are kept
    assert queue.table.verticalScrollBar().value() == scroll
    toast = window.undo_toast
    qtbot.waitUntil(lambda: toast.isVisible() and toast.undo_button.isVisible(), timeout=WAIT_MS)
    assert len(toast.op_uuids) == n

    # Ctrl+Z: what is still queued is discarded through the outbox, with a note in the journal
    queue.table.setFocus()
    qtbot.keyClick(queue.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Undone" in toast.label.toolTip(), timeout=WAIT_MS)
    states = {r.op_uuid: r.state for r in _rows(window, "create_post")}
    assert sum(1 for s in states.values() if s == "cancelled") == n
    with session.cache.read() as conn:
        notes = [e for e in store.audit_entries(conn) if "Undone right after queueing" in str(e)]
    assert len(notes) >= n


def test_ctrl_z_says_when_the_actions_were_already_sent(
    window: MainWindow, qtbot: QtBot, messages: MessageRecorder
) -> None:
    queue = window.queue_page.queue
    _settle(qtbot)
    ids = [queue.model.row_at(r).topic_id for r in (2, 3, 4)]  # type: ignore[union-attr]
    _select(window, ids)
    bar = window.queue_page.bulk_bar
    bar.confirm = lambda _q: True
    bar.buttons["close"].click()
    qtbot.waitUntil(lambda: len(_rows(window, "close_topic")) == 3, timeout=WAIT_MS)
    _settle(qtbot)
    window.session.push_outbox(CancelToken())  # delivered before the moderator changed their mind
    assert all(r.state == "done" for r in _rows(window, "close_topic"))
    window.undo_shortcut()
    toast = window.undo_toast
    qtbot.waitUntil(lambda: "Already sent" in toast.label.toolTip(), timeout=WAIT_MS)
    assert all(r.state == "done" for r in _rows(window, "close_topic"))


def test_review_items_take_one_offered_action_together(window: MainWindow, qtbot: QtBot) -> None:
    page = window.show_page("Review")
    assert isinstance(page, ReviewPage)
    qtbot.waitUntil(lambda: page.model.rowCount() >= 2, timeout=WAIT_MS)
    _settle(qtbot)  # every load the page asked for has landed
    entries = page.entries()
    action = entries[0].item.actions[0]
    offering = [i for i, e in enumerate(entries) if e.item.action(action.id) is not None][:2]
    assert len(offering) == 2
    page.table.selectionModel().setCurrentIndex(
        page.model.index(offering[0], 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    page.table.selectionModel().select(
        page.model.index(offering[1], 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    key = f"review_{action.id}"
    bar = page.bulk_bar
    assert bar.choice is not None and bar.apply_button is not None
    qtbot.waitUntil(lambda: bar.isVisible() and bar.choice.findData(key) >= 0, timeout=WAIT_MS)  # type: ignore[union-attr]
    window.grab().save("/tmp/bulk-review-light.png")
    asked: list[str] = []
    bar.confirm = lambda q: (asked.append(q), True)[1]
    bar.choose(key)
    bar.apply_button.click()
    qtbot.waitUntil(lambda: len(_rows(window, "review_perform")) == 2, timeout=WAIT_MS)
    assert asked == [f"“{action.label}” for 2 items?"]
    qtbot.waitUntil(lambda: len(window.undo_toast.op_uuids) == 2, timeout=WAIT_MS)


def test_render_the_multi_selection_and_nav_dark(
    window: MainWindow, qtbot: QtBot, qapp: QApplication
) -> None:
    manager = theme.installed()
    assert manager is not None
    manager.set_preference("dark")
    queue = window.queue_page.queue
    _settle(qtbot)
    ids = [queue.model.row_at(r).topic_id for r in (1, 2, 4, 5)]  # type: ignore[union-attr]
    _select(window, ids)
    qtbot.waitUntil(lambda: window.queue_page.bulk_bar.isVisible(), timeout=WAIT_MS)
    QApplication.processEvents()
    window.grab().save("/tmp/bulk-queue-dark.png")
    assert queue.selected_topic_ids() == ids
