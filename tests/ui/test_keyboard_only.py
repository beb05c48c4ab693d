"""A moderator's triage with the keyboard only (issue 15, point 2): page keys, the open thread
following the highlighted question, accept with ``a`` landing on the highlighted question's reply
(checked on the demo server over real HTTP), the cheat sheet, the menus and the focus path — all
built from the one registry in ``ui.actions``. The whole main window, a real TaskManager."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from modconsole.paths import Paths
from tests.core.outbox_support import accepted_post
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS
from ui import actions
from ui import tasks as _tasks
from ui.mainwindow import MainWindow, QueuePage
from ui.signals import AppSignals
from ui.tasks import TaskManager
from ui.thread import ThreadPanel

CTRL = Qt.KeyboardModifier.ControlModifier
AWAITING = "Awaiting an employee"


@pytest.fixture
def paths() -> Paths:
    return Paths.default().ensure()


@pytest.fixture
def window(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    demo_server: Any,
    paths: Paths,
) -> Iterator[MainWindow]:
    session = demo_session(demo_server, paths)
    try:
        w = MainWindow(session, paths, sync_interval_ms=0)
        qtbot.addWidget(w)
        w.resize(1400, 860)
        w.start(sync_now=False)
        w.activateWindow()
        qtbot.waitActive(w)
        done = w._last_sync
        w.sync_now()
        qtbot.waitUntil(lambda: w._last_sync is not done and not w.syncing, timeout=WAIT_MS)
        _settle(qtbot)
        yield w
        w.close()
        _settle(qtbot)
    finally:
        session.close()


def _settle(qtbot: QtBot) -> None:
    manager = _tasks.task_manager()
    qtbot.waitUntil(lambda: manager.active_count == 0, timeout=WAIT_MS)
    QApplication.processEvents()


def _focus(qtbot: QtBot) -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _follows(qtbot: QtBot, page: QueuePage) -> ThreadPanel:
    """Wait until the thread pane shows the highlighted question (no key pressed meanwhile)."""
    thread = page.thread_panel
    want = page.queue.current_topic_id()
    assert want is not None
    qtbot.waitUntil(lambda: thread.shows(want) and len(thread.cards()) > 0, timeout=WAIT_MS)
    _settle(qtbot)
    row = page.queue.model.row_at(page.queue.model.row_of(want))
    assert row is not None and thread.title.text() == row.title
    return thread


def _acceptable(thread: ThreadPanel) -> bool:
    post = thread.selected_post
    if post is None or post.accepted:
        return False
    card = next(c for c in thread.cards() if c.post.post_id == post.post_id)
    return not card.accept_button.isHidden() and card.accept_button.isEnabled()


def test_triage_with_keys_only(
    qtbot: QtBot, window: MainWindow, demo_server: Any, messages: MessageRecorder
) -> None:
    page = window.queue_page
    queue, thread = page.queue, page.thread_panel
    session = window.session

    # Ctrl+7 → Outbox, Ctrl+1 → the queue with the list focused
    qtbot.keyClick(window.nav, Qt.Key.Key_7, CTRL)
    assert window.stack.currentWidget() is window.pages["Outbox"]
    assert not window.key_actions["queue.next"].isEnabled()  # queue keys rest on other pages
    qtbot.keyClick(_focus(qtbot), Qt.Key.Key_1, CTRL)
    assert window.stack.currentWidget() is page
    assert _focus(qtbot) is queue.table
    assert window.key_actions["queue.next"].isEnabled()

    # the moderator's working view (a saved view: clicked, the list takes no keyboard focus)
    names = [v.name for v in queue.saved_views()]
    queue.views_list.setCurrentRow(names.index(AWAITING))
    _settle(qtbot)
    assert queue.model.rowCount() > 3
    queue.table.setFocus()
    qtbot.keyClick(queue.table, Qt.Key.Key_J)  # highlights the first question
    first = queue.current_topic_id()
    assert first is not None and thread.isHidden()

    # Enter opens it; j moves on and the open thread follows the highlight
    qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    _follows(qtbot, page)
    assert thread.topic_id == first
    qtbot.keyClick(queue.table, Qt.Key.Key_J)
    qtbot.keyClick(queue.table, Qt.Key.Key_J)
    qtbot.keyClick(queue.table, Qt.Key.Key_K)
    second = queue.current_topic_id()
    assert second is not None and second != first
    _follows(qtbot, page)
    assert thread.topic_id == second

    # move on to a question with a reply to accept — `a` pressed before its thread shows does nothing
    for _ in range(20):
        if _acceptable(thread):
            break
        qtbot.keyClick(queue.table, Qt.Key.Key_J)
        qtbot.keyClick(queue.table, Qt.Key.Key_A)  # the old thread is still on screen: refused
        assert session.pending_actions() == 0
        _follows(qtbot, page)
    assert _acceptable(thread)
    target = queue.current_topic_id()
    assert target is not None and thread.topic_id == target
    before_first = accepted_post(demo_server, first)

    qtbot.keyClick(queue.table, Qt.Key.Key_N)
    qtbot.keyClick(queue.table, Qt.Key.Key_P)  # back to the first reply
    reply = thread.selected_post
    assert reply is not None
    qtbot.keyClick(queue.table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: accepted_post(demo_server, target) == reply.post_id, timeout=WAIT_MS)
    _settle(qtbot)
    assert accepted_post(demo_server, first) == before_first  # nothing else was touched
    assert session.pending_actions() == 0
    assert not messages.bugs and not messages.texts("error")

    # the cheat sheet: F1, Escape; `?`, Escape
    for key in (Qt.Key.Key_F1, Qt.Key.Key_Question):
        qtbot.keyClick(_focus(qtbot), key)
        sheet = window.findChild(actions.CheatSheet)
        assert sheet is not None
        qtbot.waitUntil(sheet.isVisible, timeout=WAIT_MS)
        # activation is asynchronous: once it has the keyboard, Escape closes it (not the thread)
        qtbot.waitUntil(lambda s=sheet: QApplication.activeWindow() is s, timeout=WAIT_MS)
        listed = sheet.shortcuts()
        assert ("J", "Next question") in listed and ("A", "Accept / unaccept reply") in listed
        assert ("Ctrl+7", "Outbox") in listed and ("F1 / ?", "Keyboard shortcuts") in listed
        qtbot.keyClick(_focus(qtbot), Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda s=sheet: not s.isVisible(), timeout=WAIT_MS)
        # back where the moderator was: the window active again, the list focused
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
        assert _focus(qtbot) is queue.table
        assert thread.isVisible() and thread.shows(target)

    # a page key from the queue list, then back
    qtbot.keyClick(queue.table, Qt.Key.Key_6, CTRL)
    assert window.stack.currentWidget() is window.pages["Dashboard"]
    highlighted = queue.current_topic_id()
    qtbot.keyClick(_focus(qtbot), Qt.Key.Key_J)  # not on the queue page: the queue stays put
    assert queue.current_topic_id() == highlighted
    qtbot.keyClick(_focus(qtbot), Qt.Key.Key_1, CTRL)
    assert window.stack.currentWidget() is page and _focus(qtbot) is queue.table


def test_menus_list_every_key_from_the_registry(window: MainWindow) -> None:
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions() if a.menu() is not None}
    for spec in window.action_specs:  # every registered action sits in its menu with its keys
        qa = window.key_actions[spec.id]
        keys = tuple(QKeySequence(k).toString() for k in spec.keys)
        assert qa in menus[spec.menu].actions(), spec
        assert tuple(k.toString() for k in qa.shortcuts()) == keys, spec
    assert {s.id for s in window.action_specs} >= {a.id for a in actions.ACTIONS}
    go = menus["Go"].actions()
    assert [a.text() for a in go] == list(window.pages)
    assert [a.shortcut().toString() for a in go] == [f"Ctrl+{i}" for i in range(1, len(window.pages) + 1)]


def test_focus_path_nav_filters_table_thread(qtbot: QtBot, window: MainWindow) -> None:
    page = window.queue_page
    q = page.queue
    qtbot.keyClick(window.nav, Qt.Key.Key_1, CTRL)  # the queue, its list focused
    qtbot.keyClick(q.table, Qt.Key.Key_J)
    qtbot.keyClick(q.table, Qt.Key.Key_Return)  # open a thread so the pane is in the path
    _follows(qtbot, page)
    window.nav.setFocus()
    path = [
        q.search,
        q.state_box,
        q.sla_box,
        q.category_box,
        q.company_box,
        q.table,
        page.thread_panel.images_box,
    ]
    for expected in path:
        qtbot.keyClick(_focus(qtbot), Qt.Key.Key_Tab)
        assert _focus(qtbot) is expected, (expected.objectName(), _focus(qtbot).objectName())
    # and on through the thread to a post's action
    seen = []
    for _ in range(4):
        qtbot.keyClick(_focus(qtbot), Qt.Key.Key_Tab)
        seen.append(_focus(qtbot))
    assert any(
        card.accept_button in seen or card.unaccept_button in seen for card in page.thread_panel.cards()
    )


def test_the_open_thread_follows_the_highlighted_row(qtbot: QtBot, window: MainWindow) -> None:
    """j/k with a thread open: the pane shows the highlighted question, not the one opened
    before (today's ``a`` would otherwise accept in a thread the moderator moved away from)."""
    page = window.queue_page
    queue, thread = page.queue, page.thread_panel
    window.show_page("Queue")
    queue.table.setFocus()
    queue.table.selectRow(0)
    qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    opened = queue.current_topic_id()
    qtbot.waitUntil(lambda: thread.topic_id == opened, timeout=WAIT_MS)
    for key in (Qt.Key.Key_J, Qt.Key.Key_J, Qt.Key.Key_J, Qt.Key.Key_K):
        qtbot.keyClick(queue.table, key)
    highlighted = queue.current_topic_id()
    assert highlighted is not None and highlighted != opened
    qtbot.waitUntil(lambda: thread.topic_id == highlighted, timeout=WAIT_MS)
    row = queue.model.row_at(queue.model.row_of(highlighted))
    assert row is not None and thread.title.text() == row.title
