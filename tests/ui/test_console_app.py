"""The composition root end to end: ``modconsole --demo`` starts the embedded (tiny) demo, signs in,
opens the main window, syncs, and shuts everything down cleanly when the window closes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from modconsole.paths import Paths
from ui import messages, signals, tasks
from ui.mainwindow import MainWindow
from ui.signin import ENV_DEMO_SIZE


@pytest.fixture
def restore_app(qapp: QApplication) -> Iterator[QApplication]:
    sheet, hook, bug = qapp.styleSheet(), sys.excepthook, messages.set_bug_hook(None)
    messages.set_bug_hook(bug)
    yield qapp
    qapp.setStyleSheet(sheet)
    sys.excepthook = hook
    messages.set_bug_hook(bug)
    signals.set_app_signals(None)
    tasks.set_task_manager(None)


def test_demo_flag_signs_in_syncs_and_shuts_down(
    restore_app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import app as app_module

    monkeypatch.setenv(ENV_DEMO_SIZE, "tiny")
    seen: dict[str, Any] = {}

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and not windows[0].syncing and windows[0].queue_page.queue.model.rowCount() > 0:
            window = windows[0]
            seen["rows"] = window.queue_page.queue.model.rowCount()
            seen["demo"] = window.session.demo
            seen["title"] = window.windowTitle()
            window.close()  # the last window: the app quits
            return
        QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)
    QTimer.singleShot(120_000, restore_app.quit)  # a safety net, never the normal path
    code = app_module.main(argparse.Namespace(demo=True, data_dir=None, debug=False))
    assert code == 0
    assert seen.get("rows", 0) > 0, "the main window never showed the synced queue"
    assert "127.0.0.1" in seen["title"]
    assert seen["demo"] is None or seen["demo"]._httpd is None  # the demo server was stopped
    assert tasks.current_task_manager() is None  # uninstalled after shutdown
    paths = Paths.default()
    assert (paths.config / "ui.ini").exists()  # the layout was saved on close
    assert list(paths.data.glob("sites/*/*.sqlite3"))
