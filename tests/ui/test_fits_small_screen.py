"""The console fits a 1024×700 laptop screen on every page, a thread open or not: the main window
never asks for more than that, and no visible control is cut off by the window's edge or squeezed
below the size it needs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScrollArea, QSplitter, QWidget
from pytestqt.qtbot import QtBot

from modconsole.paths import Paths
from tests.helpers.messagemock import MessageRecorder
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager

SMALL = QSize(1024, 700)


@pytest.fixture
def window(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced_session: Session,
    qapp: QApplication,
) -> Iterator[MainWindow]:
    from ui.resources import stylesheet

    previous = qapp.styleSheet()
    qapp.setStyleSheet(stylesheet())  # as the app runs: its paddings count in every minimum size
    w = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(w)
    w.resize(SMALL)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    qapp.setStyleSheet(previous)


def _inside_scrolled_content(widget: QWidget, top: QWidget) -> bool:
    """Content inside a scroll area's viewport may extend past the window: it scrolls."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and parent is grand.viewport():
            return True
        parent = grand
    return False


def _collapsed(widget: QWidget, top: QWidget) -> bool:
    """A pane the moderator (or a splitter) collapsed to nothing is hidden, not clipped."""
    w: QWidget | None = widget
    while w is not None and w is not top:
        parent = w.parentWidget()
        if w.width() == 0 or w.height() == 0:
            return True
        if isinstance(parent, QSplitter) and parent.sizes()[parent.indexOf(w)] == 0:
            return True
        w = parent
    return False


def _name(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    label = text() if callable(text) else ""
    label = label if isinstance(label, str) else ""
    return f"{type(widget).__name__}#{widget.objectName()} {label[:40]!r}"


def clipped_controls(top: QWidget) -> list[str]:
    """Visible controls that extend outside ``top`` or are narrower/lower than they need."""
    bounds = top.rect()
    problems: list[str] = []
    for child in top.findChildren(QWidget):
        if not child.isVisibleTo(top) or child.isWindow():
            continue
        if isinstance(child, QScrollArea) and child.widget() is not None and not _collapsed(child, top):
            # a pane of text and buttons scrolls down, never sideways: wider content is cut off
            content = child.widget()
            if content.width() > child.viewport().width():
                problems.append(
                    f"{_name(content)} is {content.width()} px wide in {_name(child)}'s "
                    f"{child.viewport().width()} px: cut off at the right; "
                    + ", ".join(
                        f"{_name(w)} needs {w.minimumSizeHint().width()}"
                        for w in content.findChildren(QWidget)
                        if w.isVisibleTo(content)
                        and w.minimumSizeHint().width() > child.viewport().width() - 20
                    )
                )
        if _inside_scrolled_content(child, top) or _collapsed(child, top):
            continue
        if child.objectName().startswith("qt_") or isinstance(child.parentWidget(), QAbstractScrollArea):
            continue  # a scroll area's or spin box's own parts (headers, scroll bars, line edit)
        rect = QRect(child.mapTo(top, QPoint(0, 0)), child.size())
        if not bounds.contains(rect):
            problems.append(f"{_name(child)} at {rect.getRect()} outside {bounds.getRect()}")
            continue
        # what a layout must give it (Qt's rule): an explicit minimum (a stylesheet's min-height) wins
        hint = child.minimumSizeHint()
        least = child.minimumSize()
        hint = QSize(least.width() or hint.width(), least.height() or hint.height())
        if isinstance(child.parentWidget(), QSplitter):
            continue  # a splitter pane can be dragged smaller; what is inside must still fit
        if hint.isValid() and (child.width() < hint.width() or child.height() < hint.height()):
            problems.append(
                f"{_name(child)} is {child.width()}x{child.height()}, needs {hint.width()}x{hint.height()}"
            )
    return problems


def _render(widget: QWidget, name: str) -> None:
    folder = os.environ.get("MODCONSOLE_FIT_PNG")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def _check(qtbot: QtBot, window: MainWindow, what: str, size: QSize = SMALL) -> None:
    QApplication.processEvents()
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALL.width() and hint.height() <= SMALL.height(), (
        f"{what}: the window needs at least {hint.width()}x{hint.height()}"
    )
    assert window.size() == size, f"{what}: the window is {window.width()}x{window.height()}, not {size}"
    problems = clipped_controls(window)
    assert not problems, f"{what}: " + "\n".join(problems)


def test_every_page_fits_1024_by_700(qtbot: QtBot, window: MainWindow) -> None:
    for name in window.pages:
        window.show_page(name)
        qtbot.wait(50)
        _check(qtbot, window, name)
        _render(window, f"small-{name.lower()}")
    # the queue with a thread open: still the same window, the question column still there
    window.show_page("Queue")
    page = window.queue_page
    queue = page.queue
    queue.table.selectRow(0)
    topic = queue.current_topic_id()
    assert topic is not None
    page.open_topic(topic)
    qtbot.wait(50)
    assert page.thread_panel.isVisible()
    _check(qtbot, window, "Queue with a thread open")
    title = queue.table.columnViewportPosition(2)  # the question column
    visible = queue.table.viewport().width() - title
    assert visible >= 200, f"only {visible} px of the question column are visible with a thread open"
    _render(window, "small-queue-thread")


def test_every_page_is_calm_on_a_big_screen_too(qtbot: QtBot, window: MainWindow) -> None:
    big = QSize(1600, 1000)
    window.resize(big)
    for name in window.pages:
        window.show_page(name)
        qtbot.wait(50)
        _check(qtbot, window, name, big)
        _render(window, f"big-{name.lower()}")
    window.show_page("Queue")
    page = window.queue_page
    page.queue.table.selectRow(0)
    page.open_topic(page.queue.current_topic_id())  # type: ignore[arg-type]
    qtbot.wait(50)
    _check(qtbot, window, "Queue with a thread open", big)
    assert not page.queue.views_panel.isHidden(), "the saved views fold away only when room is short"
    _render(window, "big-queue-thread")


def test_the_outbox_detail_of_a_conflict_fits(
    qtbot: QtBot, window: MainWindow, demo_server: Any, tmp_path: Path
) -> None:
    """A conflict's detail (state, help text, three choices, the request log) at 1024×700."""
    from modconsole.outbox.policy import push_outbox
    from tests.core.outbox_support import answerable, demo_rows, open_service
    from ui.outbox.page import OutboxPage

    page = window.show_page("Outbox")
    assert isinstance(page, OutboxPage)
    port = window.session.moderation
    assert port is not None
    svc = port.service  # type: ignore[attr-defined]
    other, other_cache, other_client = open_service(tmp_path, demo_server, "moderator2")
    try:
        ((topic, post, _),) = answerable(demo_server, solved=False, limit=1)
        theirs = demo_rows(demo_server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 3", topic)
        mine = svc.accept_answer(post)
        other.accept_answer(int(theirs[0][0]))
        assert not push_outbox(other).failed
        page.push_button.click()
        qtbot.waitUntil(lambda: page.model.row_of(mine.op_uuid) >= 0)
        page.table.selectRow(page.model.row_of(mine.op_uuid))
        qtbot.waitUntil(lambda: page.discard_button.isVisible())
        _check(qtbot, window, "Outbox with a conflict selected")
        _render(window, "small-outbox-conflict")
        window.resize(1600, 1000)
        _check(qtbot, window, "Outbox with a conflict selected", QSize(1600, 1000))
        _render(window, "big-outbox-conflict")
    finally:
        other_client.close()
        other_cache.close()


def _open_first_thread(window: MainWindow) -> None:
    window.show_page("Queue")
    page = window.queue_page
    page.queue.table.selectRow(0)
    topic = page.queue.current_topic_id()
    assert topic is not None
    page.open_topic(topic)
    QApplication.processEvents()


def _horizontal_splitter(page: QWidget) -> QSplitter:
    return next(s for s in page.findChildren(QSplitter) if s.orientation() == Qt.Orientation.Horizontal)


def test_pane_sizes_are_remembered(qtbot: QtBot, window: MainWindow) -> None:
    from ui.mainwindow import ui_settings

    _open_first_thread(window)
    page = window.queue_page
    total = sum(page.splitter.sizes())
    page.splitter.setSizes([int(total * 0.6), total - int(total * 0.6)])  # the moderator drags
    page.close_thread()
    assert not page.queue.views_panel.isHidden(), "the saved views come back when the thread closes"
    superusers = window.show_page("Superusers")
    upper = _horizontal_splitter(superusers)  # candidates | score breakdown
    default = upper.sizes()[0]
    upper.setSizes([sum(upper.sizes()) - 250, 250])  # the candidates get most of the width
    QApplication.processEvents()
    dragged = upper.sizes()[0]
    assert dragged - default > 100, (default, dragged)
    window.close()

    again = MainWindow(
        window.session, Paths.default().ensure(), sync_interval_ms=0, settings=ui_settings(Paths.default())
    )
    qtbot.addWidget(again)
    again.resize(SMALL)
    again.show()
    qtbot.waitExposed(again)
    _open_first_thread(again)
    sizes = again.queue_page.splitter.sizes()
    assert abs(sizes[0] / sum(sizes) - 0.6) < 0.03, sizes
    again.show_page("Superusers")
    QApplication.processEvents()
    restored = _horizontal_splitter(again.pages["Superusers"]).sizes()[0]
    assert abs(restored - dragged) < 50, (
        default,
        dragged,
        restored,
    )  # the window's own split, not the default
    again.close()


def test_the_window_is_fitted_into_the_screen(qtbot: QtBot, window: MainWindow) -> None:
    """A geometry saved on a big monitor does not push the window past a laptop's screen."""
    screen = window.screen()
    assert screen is not None
    avail = screen.availableGeometry()
    window.resize(avail.width() + 700, avail.height() + 400)
    window.move(avail.x() + 200, avail.y() + 100)
    window.fit_to_screen()
    least = window.minimumSizeHint()
    assert window.width() <= max(avail.width(), least.width())
    assert window.height() <= max(avail.height(), least.height())
    assert window.frameGeometry().x() >= avail.x() and window.frameGeometry().y() >= avail.y()


def test_every_page_fits_in_german_too(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced_session: Session,
    qapp: QApplication,
) -> None:
    """German words are longer: the same 1024×700 fit, every page and a thread open, in German."""
    from ui import i18n
    from ui.resources import stylesheet

    previous = qapp.styleSheet()
    qapp.setStyleSheet(stylesheet())
    i18n.install("de")
    try:
        w = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
        qtbot.addWidget(w)
        w.resize(SMALL)
        w.show()
        qtbot.waitExposed(w)
        for name in w.pages:
            w.show_page(name)
            qtbot.wait(50)
            _check(qtbot, w, f"{name} (German)")
            _render(w, f"small-de-{name.lower()}")
        _open_first_thread(w)
        qtbot.wait(50)
        _check(qtbot, w, "Queue with a thread open (German)")
        _render(w, "small-de-queue-thread")
        w.close()
    finally:
        i18n.install("en")
        qapp.setStyleSheet(previous)


def test_the_dashboard_reflows_tiles_to_fit_their_texts(qtbot: QtBot, window: MainWindow) -> None:
    """A wide change read-out (e.g. "29.4× (from 550)") widens its tile: the page shows fewer tiles
    to a row rather than a sideways scroll bar on a laptop screen."""
    from ui.dashboard.page import DashboardPage

    page = window.show_page("Dashboard")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page._data is not None)
    for tile in page.tiles.values():  # as on a community that grew fast from a small start
        tile.set_values(16236.0, 28.4, [], [], previous=551.0)
        assert "×" in tile.change.text() or tile.kpi.unit != "count"
    page.resize(page.size() - QSize(1, 0))  # a layout pass, as any resize gives
    page.resize(page.size() + QSize(1, 0))
    QApplication.processEvents()
    content = page._scroll.widget()
    assert content.width() <= page._scroll.viewport().width(), "the dashboard scrolls sideways"
    _check(qtbot, window, "Dashboard with a wide tile")
