"""Fixtures for UI tests: offscreen Qt, the app signal hub, task managers and a message
recorder. The environment is set at import, before pytest-qt creates the QApplication."""

from __future__ import annotations

import gc
import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS, WAIT_S
from ui import signals as _signals
from ui import tasks as _tasks
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager, TaskManager


class PatientQtBot(QtBot):
    """pytest-qt's waits give up after 5 s by default, which a loaded 2-core CI machine can miss. Here
    every wait defaults to ``WAIT_MS``; a wait returns as soon as its condition holds, so this costs
    nothing when things go well. (A wait meant to *time out* passes its own short ``timeout``.)"""

    def waitSignal(self, signal: Any, *, timeout: int = WAIT_MS, **kw: Any) -> Any:
        return super().waitSignal(signal, timeout=timeout, **kw)

    def waitSignals(self, signals: Any, *, timeout: int = WAIT_MS, **kw: Any) -> Any:
        return super().waitSignals(signals, timeout=timeout, **kw)

    def waitUntil(self, callback: Any, *, timeout: int = WAIT_MS) -> None:
        super().waitUntil(callback, timeout=timeout)

    def waitCallback(self, *, timeout: int = WAIT_MS, **kw: Any) -> Any:
        return super().waitCallback(timeout=timeout, **kw)

    def waitExposed(self, widget: Any, *, timeout: int = WAIT_MS) -> Any:
        return super().waitExposed(widget, timeout=timeout)

    def waitActive(self, widget: Any, *, timeout: int = WAIT_MS) -> Any:
        return super().waitActive(widget, timeout=timeout)

    wait_signal = waitSignal
    wait_signals = waitSignals
    wait_until = waitUntil
    wait_callback = waitCallback
    wait_exposed = waitExposed
    wait_active = waitActive


@pytest.fixture
def qtbot(qapp: QApplication, request: pytest.FixtureRequest) -> PatientQtBot:
    """pytest-qt's ``qtbot`` with waits that a loaded machine does not miss (see ``PatientQtBot``)."""
    return PatientQtBot(request)


@pytest.fixture(autouse=True, scope="session")
def english(qapp: QApplication) -> Iterator[None]:
    """The UI in English, as on an English machine: the English catalogue carries the plural
    forms ("1 question", "2 questions"); a test that wants German installs it and restores this."""
    from ui import i18n

    i18n.install("en")
    yield


@pytest.fixture
def app_signals(qapp: QApplication) -> Iterator[AppSignals]:
    """A fresh ``AppSignals`` hub, installed app-wide for the test."""
    previous = _signals.current_app_signals()
    hub = AppSignals()
    _signals.set_app_signals(hub)
    yield hub
    _signals.set_app_signals(previous)


@pytest.fixture
def task_manager(qapp: QApplication) -> Iterator[TaskManager]:
    """A real ``TaskManager`` (writer + io threads), installed app-wide and shut down after."""
    previous = _tasks.current_task_manager()
    manager = TaskManager()
    _tasks.set_task_manager(manager)
    yield manager
    _tasks.set_task_manager(previous)
    assert manager.shutdown(timeout=WAIT_S), f"a background task did not stop within {WAIT_S:.0f} s"


@pytest.fixture
def inline_tasks(qapp: QApplication) -> Iterator[InlineTaskManager]:
    """An ``InlineTaskManager`` (ops run synchronously on the calling thread), installed."""
    previous = _tasks.current_task_manager()
    manager = InlineTaskManager()
    _tasks.set_task_manager(manager)
    yield manager
    _tasks.set_task_manager(previous)
    manager.shutdown()


@pytest.fixture
def messages(qapp: QApplication) -> Iterator[MessageRecorder]:
    """Records ``ui.messages`` output and bugs from ``present_failure`` for the test."""
    recorder = MessageRecorder().install()
    yield recorder
    recorder.uninstall()


@pytest.fixture
def synced_session(demo_server: Any) -> Iterator[Session]:
    """The moderator's session on the demo community, after a first sync."""
    from modconsole.tasks import CancelToken
    from tests.helpers.console import demo_session

    session = demo_session(demo_server)
    assert session.sync_once(CancelToken()).changes.topics
    yield session
    session.close()


@pytest.fixture(autouse=True)
def collect_qt_garbage(qapp: QApplication) -> Iterator[None]:
    """Free what a test left behind at its end, outside any event loop.

    Left to chance, a cyclic-GC pass ran inside the *next* test's ``qtbot.waitUntil`` and freed
    Qt/pyqtgraph objects from earlier tests mid-event: a rare segfault ("Garbage-collecting")
    in the main thread. Autouse fixtures are torn down last, after pytest-qt closed the widgets.
    """
    yield
    deferred = QEvent.Type.DeferredDelete
    QApplication.sendPostedEvents(None, deferred)
    gc.collect()
    QApplication.sendPostedEvents(None, deferred)
