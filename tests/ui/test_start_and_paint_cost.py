"""What keeps the console quick on a big cache (issue 15's figures, measured in
``tests/benchmarks/bench_console.py``) without changing what a moderator sees:

* a window builds the page it shows, the others when first shown or asked for;
* the queue answers a paint's questions in one ``multiData`` call per cell, the same answers
  ``data`` gives, and its table keeps room for the scroll bar (no second layout and paint when a
  search goes from no match to a screenful);
* background workers run at a lower OS priority than the GUI thread (Linux).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QSplitter, QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from modconsole.paths import Paths
from modconsole.tasks import CancelToken
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS
from tests.ui.console_samples import queue_model
from ui.mainwindow import MainWindow, ui_settings
from ui.ops import QueryOp
from ui.queue.model import QueueModel
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import WORKER_NICENESS, InlineTaskManager, TaskManager


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
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_a_window_builds_only_the_page_it_shows_until_another_is_wanted(
    qtbot: QtBot, window: MainWindow, messages: MessageRecorder
) -> None:
    assert list(window.pages)[:2] == ["Queue", "Reminders"] and "Dashboard" in window.pages
    assert list(window.pages.built()) == ["Queue"]  # the names, in navigation order, built nothing
    assert window.stack.currentWidget() is window.pages["Queue"]
    window.nav.setCurrentRow(list(window.pages).index("Reminders"))  # a click in the navigation
    assert sorted(window.pages.built()) == ["Queue", "Reminders"]
    reminders = window.pages["Reminders"]
    assert window.stack.currentWidget() is reminders and reminders.isVisible()
    outbox = window.pages["Outbox"]  # asked for by code: built, not shown
    assert not outbox.isVisible() and window.stack.currentWidget() is reminders
    assert window.show_page("Outbox") is outbox and outbox.isVisible()
    assert window.stack.count() == len(window.pages)
    assert [window.stack.indexOf(p) for p in window.pages.built().values()] == [
        list(window.pages).index(n) for n in window.pages.built()
    ]
    assert not messages.bugs


def test_a_page_built_later_gets_its_saved_pane_sizes_and_the_window_saves_only_built_pages(
    qtbot: QtBot, window: MainWindow
) -> None:
    settings = ui_settings(Paths.default())
    window.settings = settings
    superusers = window.show_page("Superusers")
    splitter = next(
        s for s in superusers.findChildren(QSplitter) if s.orientation() == Qt.Orientation.Horizontal
    )
    total = sum(splitter.sizes())
    splitter.setSizes([total - 260, 260])
    QApplication.processEvents()
    wanted = splitter.sizes()
    window.show_page("Queue")  # the next window opens on the queue (the page last shown)
    window.save_state()
    saved = {k for k in settings.allKeys() if k.startswith("splitters/")}
    assert saved and all(k.startswith("splitters/Superusers/") for k in saved)  # never-built pages: nothing
    again = MainWindow(window.session, Paths.default().ensure(), sync_interval_ms=0, settings=settings)
    qtbot.addWidget(again)
    again.resize(1024, 700)
    again.show()
    assert "Superusers" not in again.pages.built()
    rebuilt = again.show_page("Superusers")
    QApplication.processEvents()
    restored = next(
        s for s in rebuilt.findChildren(QSplitter) if s.orientation() == Qt.Orientation.Horizontal
    )
    assert abs(restored.sizes()[0] - wanted[0]) < 50, (wanted, restored.sizes())
    again.close()


def test_the_queue_answers_a_paint_in_one_call_with_what_data_answers(qapp: QApplication) -> None:
    """A delegate's paint takes what ``data`` says (texts, colours, bold, alignment), through one
    ``multiData`` call per cell instead of seven ``data`` calls."""
    sample = queue_model()
    asked: list[int] = []

    class Counting(QueueModel):
        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            asked.append(int(role))
            return super().data(index, role)

    model = Counting(sample._source, pending=sample._pending)
    model.reload()
    delegate = QStyledItemDelegate()
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            opt = QStyleOptionViewItem()
            delegate.initStyleOption(opt, index)
            assert asked == [], "a paint asked data() rather than multiData()"
            assert opt.text == model.data(index, Qt.ItemDataRole.DisplayRole)
            brush = model.data(index, Qt.ItemDataRole.ForegroundRole)
            if brush is not None:
                assert opt.palette.color(QPalette.ColorRole.Text) == brush.color()
            font = model.data(index, Qt.ItemDataRole.FontRole)
            assert opt.font.bold() == (font is not None and font.bold())
            right = model.data(index, Qt.ItemDataRole.TextAlignmentRole) is not None
            assert bool(opt.displayAlignment & Qt.AlignmentFlag.AlignRight) == right
            asked.clear()
    assert model.data(model.index(0, 2)) == model.row_at(0).title  # type: ignore[union-attr]
    assert "Accept pending" in model.data(model.index(0, 7))  # the outbox overlay, in the texts


def test_the_queue_table_keeps_room_for_its_scroll_bar(
    qtbot: QtBot, inline_tasks: InlineTaskManager, app_signals: AppSignals
) -> None:
    """From no match to a screenful the viewport keeps its width: one layout, one paint."""
    from ui.queue.view import QueueView

    view = QueueView()
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    QApplication.processEvents()
    empty_width = view.table.viewport().width()
    view.model.set_source(queue_model()._source)  # a screenful of rows
    QApplication.processEvents()
    assert view.model.rowCount() > 0
    assert view.table.verticalScrollBar().isVisible()
    assert view.table.viewport().width() == empty_width


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own priority: Linux only")
def test_background_workers_yield_the_cpu_to_the_gui_thread(
    qtbot: QtBot, task_manager: TaskManager, messages: MessageRecorder
) -> None:
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen: list[int] = []

    def op(_token: CancelToken) -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    QueryOp(None, op=op, success=seen.append).run_in_background()
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen[0] == min(19, gui + WORKER_NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == gui  # the GUI thread keeps its own


def test_work_at_the_lowest_priority_gives_its_result_or_its_error() -> None:
    """The deferred integrity check runs this way (MainWindow.verify_storage): on a thread of its
    own at nice 19 (Linux), the caller waiting; the caller's own priority is left as it was."""
    from ui.tasks import at_lowest_priority

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def where() -> tuple[int, int]:
        return threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    native, nice = at_lowest_priority(where)
    if sys.platform == "linux":
        assert native != threading.get_native_id() and nice == 19
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before

    def fails() -> None:
        raise ValueError("damaged")

    with pytest.raises(ValueError, match="damaged"):
        at_lowest_priority(fails)
