"""Assign in the console against the demo community over loopback: M assigns the highlighted
question to me (saved, pushed once), the queue shows who holds what as a badge, Shift+M opens the
picker (a teammate, a group, unassign) driven by the keyboard, the Mine view (Ctrl+Shift+M), the
thread's line, and the review queue's assign row — in the Queue menu with their keys, in German."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPixmap
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole.paths import Paths
from modconsole.tasks import CancelToken
from tests.core.outbox_support import demo_rows
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_S
from ui import theme
from ui.assign import AssignDialog
from ui.mainwindow import MainWindow
from ui.review.page import ReviewPage
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager

SHOTS = os.environ.get("MODCONSOLE_SHOTS")  # a folder: save the screens at 1024×700, light and dark
QUESTION = 2


@pytest.fixture
def window(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced_session: Session,
) -> Iterator[MainWindow]:
    w = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show()
    w.start(sync_now=False)
    w.resize(1024, 700)
    yield w
    w.close()


def _shoot(window: MainWindow, qapp: QApplication, name: str) -> None:
    if not SHOTS:
        return
    manager = theme.install(qapp)
    try:
        for mode in ("light", "dark"):
            manager.set_preference(mode)
            qapp.processEvents()
            window.grab().save(str(Path(SHOTS) / f"{name}-{mode}.png"))
    finally:
        theme.uninstall()


def _holder(server: Any, topic: int) -> tuple[Any, ...] | None:
    rows = demo_rows(
        server,
        "SELECT a.assigned_to_type, COALESCE(u.username, g.name) FROM assignments a "
        "LEFT JOIN users u ON a.assigned_to_type = 'User' AND u.id = a.assigned_to_id "
        "LEFT JOIN groups g ON a.assigned_to_type = 'Group' AND g.id = a.assigned_to_id WHERE a.topic_id = ?",
        topic,
    )
    return rows[0] if rows else None


def _key(
    qtbot: QtBot, widget: Any, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(widget, key, mods)


def test_assign_from_the_queue_and_the_thread_by_keyboard(
    qtbot: QtBot, window: MainWindow, demo_server: Any, qapp: QApplication, messages: MessageRecorder
) -> None:
    page = window.queue_page
    queue = page.queue
    menu_ids = {a.objectName() for a in window.findChildren(QAction)}
    assert {"action:queue.assign_me", "action:queue.assign", "action:queue.mine"} <= menu_ids
    assert window.key_actions["queue.assign_me"].shortcut().toString() == "M"
    assert window.key_actions["queue.assign"].shortcut().toString() == "Shift+M"
    assert window.key_actions["queue.mine"].shortcut().toString() == "Ctrl+Shift+M"
    qtbot.waitUntil(lambda: queue.model.rowCount() > 3)
    queue.focus_table()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is queue.table)
    first = queue.current_topic_id()
    assert first is not None
    me = demo_server.credentials.moderator.username
    _key(qtbot, queue.table, Qt.Key.Key_M)  # to me: saved, pushed once
    qtbot.waitUntil(lambda: _holder(demo_server, first) == ("User", me))
    assert demo_server.request_count("PUT", "/assign/assign.json") == 1
    qtbot.waitUntil(
        lambda: isinstance(queue.model.index(0, QUESTION).data(Qt.ItemDataRole.DecorationRole), QPixmap)
    )
    assert f"Assigned to @{me}" in queue.model.index(0, QUESTION).data(Qt.ItemDataRole.ToolTipRole)
    views = queue.views_list
    qtbot.waitUntil(lambda: "Mine  (1)" in [views.item(i).text() for i in range(views.count())])

    # the next one to a teammate through the picker, by keyboard only
    queue.move_selection(1)
    second = queue.current_topic_id()
    assert second is not None and second != first
    other = demo_server.credentials.moderator2.username
    _key(qtbot, queue.table, Qt.Key.Key_M, Qt.KeyboardModifier.ShiftModifier)
    dlg = page.assigner.dialog
    assert isinstance(dlg, AssignDialog) and dlg.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.filter)
    assert dlg.list.item(0).text() == f"Me (@{me})"
    qtbot.keyClicks(dlg.filter, other[:5])
    assert dlg.list.currentItem() is not None and dlg.list.currentItem().text() == f"@{other}"
    _key(qtbot, dlg.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _holder(demo_server, second) == ("User", other))
    assert not messages.bugs
    _shoot(window, qapp, "assign-queue")

    # the Mine view: only mine
    window.activateWindow()
    queue.focus_table()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is queue.table)
    _key(
        qtbot,
        queue.table,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1 and queue.model.row_at(0).topic_id == first)  # type: ignore[union-attr]
    assert queue.current_filter().assigned == "mine" and queue.assigned_box.currentText() == "Mine"
    _shoot(window, qapp, "assign-mine")

    # the thread's line, and a group through the picker, then unassign
    queue.focus_table()
    page.open_topic(first)
    strip = page.assign_strip
    qtbot.waitUntil(lambda: strip.label.text() == f"Assigned to @{me}")
    assert not strip.me_button.isEnabled() and strip.pick_button.isEnabled()
    _shoot(window, qapp, "assign-thread")
    strip.pick_button.click()
    dlg = page.assigner.dialog
    assert dlg is not None and dlg.unassign_button.isEnabled()
    qtbot.keyClicks(dlg.filter, "employees")
    dlg.note.setText("billing question")
    dlg.assign_button.click()
    qtbot.waitUntil(lambda: _holder(demo_server, first) == ("Group", "employees"))
    qtbot.waitUntil(lambda: strip.label.text() == "Assigned to @employees")
    strip.pick_button.click()
    dlg = page.assigner.dialog
    assert dlg is not None
    dlg.unassign_button.click()
    qtbot.waitUntil(lambda: _holder(demo_server, first) is None)
    qtbot.waitUntil(lambda: strip.label.text() == "Not assigned")
    codes = [
        c
        for (c,) in demo_rows(
            demo_server,
            "SELECT action_code FROM posts WHERE topic_id = ? AND action_code LIKE '%assign%' ORDER BY id",
            first,
        )
    ]
    assert codes == ["assigned", "reassigned_group", "unassigned_group"]


def test_a_teammate_first_shows_in_the_queue_after_a_sync(
    qtbot: QtBot, window: MainWindow, demo_server: Any, synced_session: Session
) -> None:
    queue = window.queue_page.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0)
    topic = queue.model.row_at(0).topic_id  # type: ignore[union-attr]
    other = demo_server.credentials.moderator2
    with httpx.Client(base_url=demo_server.base_url, timeout=WAIT_S) as c:
        r = c.put(
            "/assign/assign.json",
            data={"target_id": topic, "target_type": "Topic", "username": other.username},
            headers=other.headers(),
        )
        assert r.status_code == 200
    synced_session.sync_once(CancelToken())
    queue.model.reload()
    qtbot.waitUntil(lambda: queue.model.holder_of(topic) is not None)
    assert queue.model.holder_of(topic).label == f"@{other.username}"


def test_assign_from_the_review_queue(
    qtbot: QtBot, window: MainWindow, demo_server: Any, qapp: QApplication
) -> None:
    page = window.show_page("Review")
    assert isinstance(page, ReviewPage)
    page.refresh_button.click()
    qtbot.waitUntil(lambda: len(page.entries()) == 5 and page.assign_button is not None)
    item = next(e.item for e in page.entries() if e.item.id == page._selected)
    me = demo_server.credentials.moderator.username
    page.table.setFocus()
    _key(qtbot, page.table, Qt.Key.Key_M)
    assert item.topic_id is not None
    qtbot.waitUntil(lambda: _holder(demo_server, item.topic_id) == ("User", me))
    qtbot.waitUntil(
        lambda: page.assign_holder is not None and page.assign_holder.text() == f"Assigned to @{me}"
    )
    _shoot(window, qapp, "assign-review")


def test_the_assign_words_in_german(
    qtbot: QtBot, window: MainWindow, demo_server: Any, qapp: QApplication
) -> None:
    from ui import i18n

    i18n.install("de")
    try:
        page = window.queue_page
        dlg = AssignDialog("Frage", me="ich", teammates=["ada"], groups=["team"], holder=None, parent=window)
        assert dlg.windowTitle() == "Zuweisen"
        assert dlg.list.item(0).text() == "Ich (@ich)" and dlg.list.item(2).text() == "Gruppe: team"
        assert dlg.unassign_button.text() == "Zuweisung aufheben"
        dlg.close()
        from ui.assign import AssignStrip, holder_text

        strip = AssignStrip(page.assigner)
        assert strip.me_button.text() == "Mir zuweisen" and holder_text(None) == "Nicht zugewiesen"
        strip.deleteLater()
    finally:
        i18n.install("en")


def test_bulk_assign_from_a_multi_selection(qtbot: QtBot, window: MainWindow, demo_server: Any) -> None:
    from PySide6.QtCore import QItemSelectionModel

    queue = window.queue_page.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() > 3)
    ids = [queue.model.row_at(r).topic_id for r in range(3)]  # type: ignore[union-attr]
    sm = queue.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag
    sm.setCurrentIndex(queue.model.index(0, 0), flags.ClearAndSelect | flags.Rows)
    for r in (1, 2):
        sm.select(queue.model.index(r, 0), flags.Select | flags.Rows)
    bar = window.queue_page.bulk_bar
    qtbot.waitUntil(lambda: bar.isVisible() and "assign" in bar.buttons)
    assert bar.buttons["assign"].text() == "Assign…"
    asked: list[str] = []
    bar.confirm = lambda q: (asked.append(q), True)[1]
    bar.buttons["assign"].click()
    me = demo_server.credentials.moderator.username
    qtbot.waitUntil(lambda: len(window.session.workspace.assign.mine_ids() & set(ids)) == 3)
    assert asked and "3" in asked[0]
    window.session.push_outbox(CancelToken(), lambda _p: None)
    assert all(_holder(demo_server, t) == ("User", me) for t in ids)
