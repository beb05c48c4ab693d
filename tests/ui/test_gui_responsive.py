"""The GUI thread stays free (issue 15, figures): the queue reads its pages on a worker, the old
rows stay until the new ones land, an answer to a replaced query is dropped, and the task manager
keeps workers from holding the GIL for long. Timings live in ``tests/benchmarks/bench_console.py``."""

from __future__ import annotations

import sys
import threading
from dataclasses import replace

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from modconsole.changes import Changes
from modconsole.paths import Paths
from modconsole.services.triage import Cursor, QueueFilter, QueuePage, QueueRow, QueueState, TriageQuery
from tests.helpers.waits import WAIT_S
from tests.ui.console_samples import _rows
from ui.mainwindow import MainWindow
from ui.ops import first_load, pages_load_when_shown
from ui.queue.model import FIRST_PAGE, QueueModel
from ui.queue.view import QueueView
from ui.recognition.superusers import SuperusersPage
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import GUI_SWITCH_INTERVAL, InlineTaskManager, TaskManager


class Source:
    """Rows per search word; a word in ``held`` waits until released (a slow read)."""

    def __init__(self) -> None:
        rows = _rows(20)
        self.rows = {"": tuple(rows), "one": tuple(rows[:1]), "two": tuple(rows[:2])}
        self.held: dict[str, threading.Event] = {}
        self.threads: list[int] = []
        self.limits: list[int] = []

    def __call__(self, q: TriageQuery, cursor: Cursor | None, limit: int) -> QueuePage:
        self.threads.append(threading.get_ident())
        self.limits.append(limit)
        gate = self.held.get(q.filter.search)
        if gate is not None:
            assert gate.wait(WAIT_S), "the test never released the read"
        return QueuePage(self.rows[q.filter.search][:limit], None)


def _topics(model: QueueModel) -> list[int]:
    rows = [model.row_at(i) for i in range(model.rowCount())]
    return [r.topic_id for r in rows if isinstance(r, QueueRow)]


def _search(model: QueueModel, word: str) -> None:
    model.set_query(replace(model.query, filter=QueueFilter(search=word)))


def test_queue_pages_are_read_off_the_gui_thread_and_old_rows_stay_until_then(
    qtbot: QtBot, task_manager: TaskManager
) -> None:
    source = Source()
    model = QueueModel(source)
    with qtbot.waitSignal(model.reloaded):
        model.reload()
    assert len(_topics(model)) == 20
    assert threading.get_ident() not in source.threads  # never read on the GUI thread
    assert source.limits == [min(200, FIRST_PAGE)]  # a screenful first, not a full page

    source.held["one"] = threading.Event()
    _search(model, "one")
    assert model.loading and len(_topics(model)) == 20  # the previous answer stays on screen
    assert not model.canFetchMore()  # no page of the old query is fetched into the new one
    with qtbot.waitSignal(model.reloaded):
        source.held["one"].set()
    assert _topics(model) == [1] and not model.loading


def test_an_answer_to_a_replaced_query_is_dropped(qtbot: QtBot, task_manager: TaskManager) -> None:
    source = Source()
    model = QueueModel(source)
    with qtbot.waitSignal(model.reloaded):
        model.reload()
    slow = source.held["one"] = threading.Event()
    _search(model, "one")  # the slow read: typed, then corrected before it answered
    with qtbot.waitSignal(model.reloaded):
        _search(model, "two")
    assert _topics(model) == [1, 2]
    slow.set()
    qtbot.waitUntil(lambda: len(source.threads) == 3 and task_manager.active_count == 0)
    assert _topics(model) == [1, 2] and not model.loading  # "one" landed last and was dropped


def test_the_task_manager_keeps_workers_from_holding_the_gil(task_manager: TaskManager) -> None:
    # A repaint calls into Python hundreds of times; each call waits for the GIL up to this long.
    assert sys.getswitchinterval() <= GUI_SWITCH_INTERVAL < 0.005


def test_a_page_a_window_builds_loads_when_first_shown(qtbot: QtBot) -> None:
    loads: list[str] = []
    with pages_load_when_shown():
        page = QWidget()
        first_load(page, lambda: loads.append("page"))
    alone = QWidget()
    first_load(alone, lambda: loads.append("alone"))  # a page on its own (a dialog, a test) loads now
    assert loads == ["alone"]
    qtbot.addWidget(page)
    qtbot.addWidget(alone)
    page.show()
    qtbot.waitExposed(page)
    page.hide()
    page.show()
    assert loads == ["alone", "page"]  # once, when first shown


def test_the_window_reads_a_hidden_page_when_it_is_first_shown(
    qtbot: QtBot, inline_tasks: InlineTaskManager, app_signals: AppSignals, synced_session: Session
) -> None:
    window = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(window)
    window.show()
    superusers = window.pages["Superusers"]
    assert isinstance(superusers, SuperusersPage)
    assert superusers.candidates.rowCount() == 0  # not ranked while nobody looks at it
    window.show_page("Superusers")
    assert superusers.candidates.rowCount() > 0


def test_a_refresh_keeps_the_place_beyond_the_first_page_when_pages_come_from_a_worker(
    qtbot: QtBot, task_manager: TaskManager, app_signals: AppSignals, synced_session: Session
) -> None:
    view = QueueView(synced_session)
    qtbot.addWidget(view)
    view.resize(900, 420)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.model.reloaded):
        view.set_filter(QueueFilter(states=frozenset(QueueState)))
    qtbot.waitUntil(lambda: view.model.fetchMore() is None and not view.model.has_more)  # every page
    assert view.model.rowCount() > FIRST_PAGE + 5
    view.table.selectRow(FIRST_PAGE + 5)  # on the second page
    topic = view.current_topic_id()
    scrolled = view.table.verticalScrollBar().value()
    assert topic is not None and scrolled > 0

    with qtbot.waitSignal(view.model.reloaded):  # a sync or an action elsewhere
        app_signals.changes_applied.emit(Changes(topic_ids={topic}), None)
    qtbot.waitUntil(lambda: view.current_topic_id() == topic)  # once the second page has landed
    assert view.table.verticalScrollBar().value() == scrolled
