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

from tests.helpers.messagemock import MessageRecorder
from ui import signals as _signals
from ui import tasks as _tasks
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager, TaskManager


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
    assert manager.shutdown(timeout=10), "a background task did not stop within 10 s"


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
