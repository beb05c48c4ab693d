"""Live counts in the navigation (issue #14.5): the review count and new questions reach the
window between syncs through the demo's MessageBus, polled only while the window is in front;
closing the window leaves no poller thread. The whole main window at 1024×700, real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from modconsole import clock
from modconsole.paths import Paths
from tests.core.outbox_support import client_for
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS
from ui import tasks as _tasks
from ui.mainwindow import MainWindow
from ui.signals import AppSignals
from ui.tasks import TaskManager

SMALL = QSize(1024, 700)
POLL = "/message-bus/*/poll"


def _pending(server: Any) -> int:
    con = server.connection()
    return int(con.execute("SELECT COUNT(*) FROM reviewables WHERE status = 0").fetchone()[0])


def _threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "live-counts" and t.is_alive()]


def _settle(qtbot: QtBot) -> None:
    manager = _tasks.task_manager()
    qtbot.waitUntil(lambda: manager.active_count == 0, timeout=WAIT_MS)
    QApplication.processEvents()


@pytest.fixture
def window(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    demo_server: Any,
    qapp: QApplication,
) -> Iterator[MainWindow]:
    from ui.resources import stylesheet

    paths = Paths.default().ensure()
    previous = qapp.styleSheet()
    qapp.setStyleSheet(stylesheet())
    session = demo_session(demo_server, paths)
    try:
        w = MainWindow(session, paths, sync_interval_ms=0, live_counts=True)
        qtbot.addWidget(w)
        w.resize(SMALL)
        w.start(sync_now=False)
        w.resize(SMALL)
        qtbot.waitExposed(w)
        done = w._last_sync
        w.sync_now()
        qtbot.waitUntil(lambda: w._last_sync is not done and not w.syncing, timeout=WAIT_MS)
        _settle(qtbot)
        yield w
        w.close()
        _settle(qtbot)
    finally:
        session.close()
        qapp.setStyleSheet(previous)


def _nav(window: MainWindow, name: str) -> str:
    return window.nav.item(list(window.pages).index(name)).text()


def _new_topic(server: Any, n: int) -> int:
    c = client_for(server, "moderator2")
    try:
        cat = server.connection().execute("SELECT id FROM categories ORDER BY id LIMIT 1").fetchone()[0]
        out = c.post_json(
            "/posts.json",
            {
                "title": f"Where is the audit log export number {n}?",
                "raw": "Our auditors want a CSV of the audit log; where do I export it from?",
                "category": cat,
            },
        )
        return int(out["topic_id"])
    finally:
        c.close()


def test_counts_reach_the_nav_between_syncs_only_while_in_front(
    window: MainWindow, qtbot: QtBot, demo_server: Any
) -> None:
    assert window.live is not None
    pending = _pending(demo_server)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.live is not None and window.live.poller.running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: demo_server.request_count("POST", POLL) == 1, timeout=WAIT_MS)  # learns positions

    _new_topic(demo_server, 1)
    _new_topic(demo_server, 2)
    demo_server.write(
        lambda con: con.execute(
            "UPDATE reviewables SET status = 1 WHERE id = (SELECT MIN(id) FROM reviewables WHERE status = 0)"
        )
    )
    clock.advance(300)  # the user key's interval: the next poll is due
    qtbot.waitUntil(lambda: _nav(window, "Queue") == "Queue +2", timeout=WAIT_MS)
    # the review queue is not in the cache (the Review page reads it): the server's count, asked once
    qtbot.waitUntil(lambda: _nav(window, "Review") == f"Review ({pending - 1})", timeout=WAIT_MS)
    assert demo_server.request_count("POST", POLL) == 2
    assert demo_server.request_count("GET", "/review/count.json") == 1
    window.grab().save("/tmp/live-counts-nav.png")

    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not _threads(), timeout=WAIT_MS)  # behind another window: no poller
    clock.advance(3600)
    QApplication.processEvents()
    assert demo_server.request_count("POST", POLL) == 2

    window.activateWindow()
    qtbot.waitUntil(lambda: len(_threads()) == 1, timeout=WAIT_MS)
    window.sync_now()
    qtbot.waitUntil(lambda: _nav(window, "Queue") == "Queue", timeout=WAIT_MS)  # a sync: nothing new since

    window.close()
    assert not _threads()
