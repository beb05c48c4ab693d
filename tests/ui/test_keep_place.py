"""Keeping the moderator's place (issue 15, point 4): the selection and the scroll position survive
actions and refreshes (a snooze goes on with the next question, not back to row 1); a dialog checks
its note before it closes and keeps the typed text; a filter that matches nothing says so; search
matches are marked in the queue. Demo server over real HTTP, ops inline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole.changes import Changes
from modconsole.demo.server import DemoServer
from modconsole.services.triage import QueueFilter, QueueState
from modconsole.tasks import CancelToken
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from tests.ui.test_recognition_ui import Env
from ui.queue.highlight import match_spans
from ui.queue.view import QUESTION_COLUMN, QueueView
from ui.recognition.superusers import SuperusersPage
from ui.reminders import reminders_page
from ui.reminders.page import RemindersPage
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager

ANY_STATE = QueueFilter(states=frozenset(QueueState))


@pytest.fixture
def session(demo_server: Any) -> Iterator[Session]:
    s = demo_session(demo_server)
    assert s.sync_once(CancelToken()).changes.topics
    yield s
    s.close()


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    from ui.resources import stylesheet

    previous = qapp.styleSheet()
    qapp.setStyleSheet(stylesheet())
    yield
    qapp.setStyleSheet(previous)


@pytest.fixture
def queue(
    qtbot: QtBot, inline_tasks: InlineTaskManager, app_signals: AppSignals, session: Session, styled: None
) -> QueueView:
    view = QueueView(session)
    qtbot.addWidget(view)
    view.resize(900, 420)  # a short list: it scrolls
    view.show()
    qtbot.waitExposed(view)
    return view


def test_snooze_goes_on_with_the_next_question_where_the_list_was(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    session: Session,
) -> None:
    page = reminders_page(session)
    assert isinstance(page, RemindersPage)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.table.setFixedHeight(150)  # room for a few rows only: the list scrolls
    page.show()
    qtbot.waitExposed(page)
    n = page.model.rowCount()
    assert n >= 6, n
    i = n - 3  # far enough down that the list had to scroll
    page.table.selectRow(i)
    bar = page.table.verticalScrollBar()
    assert bar.value() > 0
    scrolled = bar.value()
    snoozed, following = page.model.row_at(i), page.model.row_at(i + 1)
    assert snoozed is not None and following is not None and page.current() == snoozed

    page.snooze_button.click()

    assert page.model.row_of(snoozed.topic_id) < 0  # it left the list …
    current = page.current()
    assert current is not None and current.topic_id == following.topic_id  # … the next one is up
    assert page.table.currentIndex().row() == i and page.topic_title.text() == following.title
    assert abs(bar.value() - scrolled) <= 1  # the list did not jump
    assert f"Snoozed “{snoozed.title}”" in " ".join(messages.texts())


def test_queue_keeps_selection_and_scroll_through_a_refresh(
    qtbot: QtBot, queue: QueueView, app_signals: AppSignals
) -> None:
    queue.set_filter(ANY_STATE)
    assert queue.model.rowCount() > 40
    queue.table.selectRow(35)
    topic = queue.current_topic_id()
    bar = queue.table.verticalScrollBar()
    assert bar.value() > 0
    scrolled = bar.value()

    app_signals.changes_applied.emit(Changes(topic_ids={topic}), None)  # a sync or an action elsewhere

    assert queue.current_topic_id() == topic
    assert bar.value() == scrolled


def test_a_filter_that_matches_nothing_says_so(qtbot: QtBot, queue: QueueView) -> None:
    assert queue.model.rowCount() > 0 and queue.empty_state.isHidden()
    queue.search.setText("zzyzx quokka")
    queue.apply_filters()
    assert queue.model.rowCount() == 0
    assert queue.empty_state.isVisible()
    assert "No question matches “zzyzx quokka”" in queue.empty_state.label.text()
    queue.grab().save("/tmp/keep-place-empty.png")
    qtbot.mouseClick(queue.empty_state.clear_button, Qt.MouseButton.LeftButton)
    assert queue.search.text() == "" and queue.model.rowCount() > 0
    assert queue.empty_state.isHidden()


def test_search_matches_are_marked_in_the_question_column(qtbot: QtBot, queue: QueueView) -> None:
    assert match_spans("Payroll: pay slips, PAY run", "pay") == [(9, 12), (20, 23)]  # whole words, any case
    assert match_spans("Single Sign-On", "sign on") == [(7, 11), (12, 14)]
    assert match_spans("anything", "") == []

    title = queue.model.row_at(0).title  # type: ignore[union-attr]
    word = max((w for w in title.split() if w.isalpha()), key=len)
    queue.search.setText(word)
    queue.apply_filters()
    assert queue.model.rowCount() > 0
    row = next(
        r for r in range(queue.model.rowCount()) if word.lower() in queue.model.row_at(r).title.lower()
    )  # type: ignore[union-attr]
    queue.table.clearSelection()
    queue.table.setCurrentIndex(queue.model.index(row, 0))
    queue.table.clearSelection()
    QApplication.processEvents()
    mark = QColor(queue.table.property("matchColor"))
    assert mark.isValid() and mark == QColor("#ffe08a")  # from the stylesheet

    image = queue.table.viewport().grab().toImage()
    cell = queue.table.visualRect(queue.model.index(row, QUESTION_COLUMN))
    marked = sum(
        1
        for x in range(cell.left(), cell.right(), 2)
        for y in range(cell.top(), cell.bottom(), 2)
        if QColor(image.pixel(QPoint(x, y))) == mark
    )
    assert marked > 10, (word, title)
    other = queue.table.visualRect(queue.model.index(row, 0))  # the SLA cell has no words of the search
    assert not any(
        QColor(image.pixel(QPoint(x, other.center().y()))) == mark for x in range(other.left(), other.right())
    )
    queue.grab().save("/tmp/keep-place-highlight.png")


@pytest.fixture
def env(
    demo_server: DemoServer, tmp_path: Path, inline_tasks: InlineTaskManager, app_signals: Any
) -> Iterator[Env]:
    e = Env(tmp_path, demo_server)
    yield e
    e.close()


def test_the_nomination_note_is_checked_inside_the_dialog_and_kept(
    qtbot: QtBot, env: Env, messages: MessageRecorder
) -> None:
    page = SuperusersPage(env.backend)
    qtbot.addWidget(page)
    page.show()
    page.table.selectRow(0)
    cand = page.current_candidate()
    assert cand is not None
    dialog = page.nominate_selected()
    assert dialog is not None
    qtbot.waitExposed(dialog)

    dialog.editor.setPlainText("Great")  # too short: refused here, not after the dialog closed
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "at least 10 characters" in dialog.error.text() and dialog.error.isVisible()
    assert dialog.editor.toPlainText() == "Great"  # the typed text stays
    assert env.mod.outbox() == []
    dialog.grab().save("/tmp/keep-place-nominate.png")

    dialog.editor.setPlainText("Great answers on every payroll question, week after week.")
    assert dialog.error.isHidden()  # typing clears the complaint
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    queued = env.mod.outbox()
    assert [r.kind for r in queued] == ["create_topic"]
    assert "Great answers on every payroll question" in str(queued[0].payload)
    assert f"Nomination of @{cand.username} queued" in messages.texts()
