"""The status area shows the sync's plan (issue 13.4): phase, stage and counts, requests left today
and an ETA while it runs; when the key's day budget is spent, when the sync resumes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole import clock, settings
from modconsole.api import Budget
from modconsole.paths import Paths
from modconsole.sync.plan import DAY_RESERVE, SyncProgress
from modconsole.tasks import Progress
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import TaskManager

SHOTS = os.environ.get("MODCONSOLE_SHOTS")  # a folder: save the window at 1024×700 as a moderator sees it


def _shot(window: MainWindow, name: str) -> None:
    if not SHOTS:
        return
    window.show()
    QApplication.processEvents()  # let the status bar lay out the new texts first
    window.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def paths() -> Paths:
    return Paths.default().ensure()


@pytest.fixture
def session(paths: Paths, demo_server: Any) -> Iterator[Session]:
    s = demo_session(demo_server, paths)
    yield s
    s.close()


def test_status_area_shows_the_plan_and_when_a_spent_day_resumes(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    session: Session,
    paths: Paths,
) -> None:
    # the moderator's key with a day of 30 requests, 10 kept for the console's own actions
    session.client.pacer.set_budget(Budget(per_minute=None, per_day=30, margin=0.0))
    settings.store(session.workspace.cache, DAY_RESERVE, 10)
    window = MainWindow(session, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    seen: list[Progress] = []
    texts: list[str] = []
    original = window._on_progress

    def on_progress(p: Progress) -> None:  # on the GUI thread, through the task callbacks
        seen.append(p)
        original(p)
        window._render_progress()  # as once the bar shows (600 ms in): the label follows the plan
        texts.append(window.sync_label.text())

    window._on_progress = on_progress  # type: ignore[method-assign]
    window.start(sync_now=False)
    window.sync_now()
    qtbot.waitUntil(lambda: not window.syncing, timeout=WAIT_MS)

    plans = [p for p in seen if isinstance(p, SyncProgress)]
    assert plans and len(plans) == len(seen)
    assert any("left today" in t for t in texts), texts
    assert any("to go" in t for t in texts), texts
    assert any(t.startswith("Open questions · ") for t in texts), texts
    # the day's 20 requests are spent: the status says when the sync resumes
    resumes = plans[-1].resumes_at
    assert resumes is not None and resumes > clock.now()
    assert window.sync_label.text().startswith("Sync resumes at"), window.sync_label.text()
    assert "resumes at" in window.message_label.text()
    assert window.progress.isHidden() and window.sync_button.isEnabled()
    # the open questions came first: the queue is there on the first day
    queue = window.queue_page.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0)
    _shot(window, "sync-resumes")

    # a run while the day is spent sends nothing and says the same
    window.sync_now()
    qtbot.waitUntil(lambda: not window.syncing, timeout=WAIT_MS)
    assert window.sync_label.text().startswith("Sync resumes at")

    # the next day the sync goes on where it stopped
    clock.set_now(resumes + timedelta(seconds=1))
    window.refresh_status()
    assert not window.sync_label.text().startswith("Sync resumes at")
    window.close()


def test_status_text_during_history(
    qtbot: QtBot, task_manager: TaskManager, app_signals: AppSignals, session: Session, paths: Paths
) -> None:
    window = MainWindow(session, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window._sync_handle = None
    window._last_progress = SyncProgress(
        "posts",
        4200,
        9000,
        310,
        phase="history",
        history_to="2025-03",
        left_today=1850,
        cost_left=700,
        eta_seconds=2 * 3600 + 15 * 60,
    )
    window.progress.show()
    window._render_progress()
    text = window.sync_label.text()
    assert text == "History to 2025-03 · 1,850 left today · 2h 15m to go", text
    assert window.sync_label.toolTip().startswith("posts 4,200 of 9,000 · 310 request")
    assert window.progress.format().startswith("posts")
    _shot(window, "sync-progress-history")
    window.close()
