"""Every control has a name a screen reader can say: each interactive widget of every page (a
thread open too), of the sign-in screen and of the settings dialogs, asked through Qt's
accessibility interface (what an assistive technology reads), has a non-empty accessible name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGraphicsView,
    QHeaderView,
    QLineEdit,
    QSlider,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from modconsole.paths import Paths
from tests.helpers.messagemock import MessageRecorder
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager

SMALL = QSize(1024, 700)

INTERACTIVE = (
    QAbstractButton,  # push and tool buttons, check boxes, radio buttons
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,  # spin boxes, date and time edits
    QAbstractItemView,  # tables, lists (the navigation), trees
    QTextEdit,  # text fields, and the read-only browsers of posts and profiles (links, selection)
    QSlider,
    QTabBar,
    QGraphicsView,  # the dashboard's charts (hover read-out, click to drill down)
)


def _part_of_another_control(widget: QWidget, top: QWidget) -> bool:
    """A spin box's line edit, a table's corner button or header, a combo's pop-up list, a tab
    bar's scroll arrows: parts a control draws for itself, named through the control."""
    if isinstance(widget, QHeaderView):
        return True
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, INTERACTIVE):
            return True
        parent = parent.parentWidget()
    return False


def _describe(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    label = text() if callable(text) and isinstance(widget, QAbstractButton | QLineEdit) else ""
    path = []
    w: QWidget | None = widget
    while w is not None and len(path) < 4:
        path.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return f"{type(widget).__name__} {label!r} in {' < '.join(path)}"


def _value(widget: QComboBox | QAbstractSpinBox) -> str:
    return (widget.currentText() if isinstance(widget, QComboBox) else widget.text()).strip()


def unnamed_controls(top: QWidget) -> list[str]:
    """The interactive widgets under ``top`` (shown or not) whose accessible name is empty."""
    missing = []
    for w in [top, *top.findChildren(QWidget)]:
        if not isinstance(w, INTERACTIVE) or _part_of_another_control(w, top):
            continue
        if w is not top and w.window() is not top.window():
            continue  # a pop-up or dialog of its own: checked where it is opened
        iface = QAccessible.queryAccessibleInterface(w)
        assert iface is not None and iface.isValid(), _describe(w)
        name = iface.text(QAccessible.Text.Name).strip()
        if isinstance(w, QComboBox):
            # Qt on Unix reports a combo box's value as its name ("Any SLA") and says what it is
            # through a label relation (AT-SPI's labelled-by); elsewhere the name is its own
            labels = [
                r.text(QAccessible.Text.Name) for r, _ in iface.relations(QAccessible.RelationFlag.Label)
            ]
            if not (w.accessibleName().strip() or any(x.strip() for x in labels)):
                missing.append(f"{_describe(w)}: only its value {name!r}")
        elif not name:
            missing.append(_describe(w))
        elif isinstance(w, QAbstractSpinBox) and name == _value(w):
            missing.append(f"{_describe(w)}: only its value {name!r}")
    return missing


def test_the_check_sees_an_unnamed_control(qapp: QApplication) -> None:
    """The measure itself: a bare table and a bare combo box have no name; a label names a field."""
    from PySide6.QtWidgets import QFormLayout, QTableWidget

    box = QWidget()
    form = QFormLayout(box)
    named = QLineEdit()
    form.addRow("Search", named)
    bare_combo = QComboBox()
    form.addRow(bare_combo)
    table = QTableWidget(1, 1)
    form.addRow(table)
    missing = unnamed_controls(box)
    assert len(missing) == 2 and all(m.startswith(("QComboBox", "QTableWidget")) for m in missing), missing
    table.setAccessibleName("Results")
    bare_combo.setAccessibleName("Period")
    assert unnamed_controls(box) == []
    bare_combo.setAccessibleName("")
    bare_combo.addItem("Last 12 months")  # Qt now reads the value as its name: not enough
    assert [m for m in unnamed_controls(box) if "only its value 'Last 12 months'" in m]


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
    w.resize(SMALL)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_every_control_of_every_page_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    problems: dict[str, list[str]] = {}
    for name in window.pages:
        page = window.show_page(name)
        qtbot.wait(50)
        if name == "Dashboard":
            qtbot.waitUntil(lambda p=page: bool(p.charts))  # type: ignore[attr-defined]
        missing = unnamed_controls(page)
        if missing:
            problems[name] = missing
    window.show_page("Queue")
    page = window.queue_page
    page.queue.table.selectRow(0)
    topic = page.queue.current_topic_id()
    assert topic is not None
    page.open_topic(topic)
    qtbot.waitUntil(lambda: bool(page.thread_panel._cards))
    seen = {m for v in problems.values() for m in v}
    chrome = [m for m in unnamed_controls(window) if m not in seen]  # navigation, header, the thread
    if chrome:
        problems["window"] = chrome
    assert not problems, "\n".join(f"{k}: {m}" for k, v in problems.items() for m in v)


def test_the_dialogs_name_their_controls(qtbot: QtBot, window: MainWindow) -> None:
    sla = window.open_sla_dialog()
    qtbot.waitUntil(lambda: sla.isVisible())
    sheet = window.show_shortcuts()
    problems = {"SLA": unnamed_controls(sla), "shortcuts": unnamed_controls(sheet)}
    sla.close()
    sheet.close()
    dashboard = window.show_page("Dashboard")
    analytics = dashboard.open_settings()  # type: ignore[attr-defined]
    problems["analytics settings"] = unnamed_controls(analytics)
    analytics.close()
    superusers = window.show_page("Superusers")
    programme = superusers.open_settings(show=False)  # type: ignore[attr-defined]
    problems["superuser programme"] = unnamed_controls(programme)
    programme.close()
    badges = window.show_page("Badges")
    award = badges.open_award(show=False)  # type: ignore[attr-defined]
    bulk = badges.open_bulk(show=False)  # type: ignore[attr-defined]
    problems["award"], problems["bulk award"] = unnamed_controls(award), unnamed_controls(bulk)
    award.close()
    bulk.close()
    assert not any(problems.values()), problems


def test_the_sign_in_screen_names_its_controls(qtbot: QtBot, qapp: QApplication) -> None:
    from ui.signin import SignInView

    view = SignInView()
    qtbot.addWidget(view)
    assert unnamed_controls(view) == []
