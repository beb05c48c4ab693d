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
from modconsole.changes import Changes
from modconsole.paths import Paths
from modconsole.sync.plan import DAY_RESERVE, SyncProgress
from modconsole.tasks import CancelToken, Progress
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

    during: list[bool] = []

    def on_progress(p: Progress) -> None:  # on the GUI thread, through the task callbacks
        seen.append(p)
        original(p)
        window._render_progress()  # as once the bar shows (600 ms in): the label follows the plan
        texts.append(window.sync_label.text())
        during.append(window.budget_label.isHidden())

    window._on_progress = on_progress  # type: ignore[method-assign]
    window.start(sync_now=False)
    window.sync_now()
    qtbot.waitUntil(lambda: not window.syncing, timeout=WAIT_MS)

    plans = [p for p in seen if isinstance(p, SyncProgress)]
    assert plans and len(plans) == len(seen)
    # while the plan speaks, the pacer's own "left today" (counted otherwise) is not beside it
    assert during and all(during), during
    assert any("left today" in t for t in texts), texts
    assert any("to go" in t for t in texts), texts
    assert any(t.startswith("Open questions · ") for t in texts), texts
    # the day's 20 requests are spent: the status says when the sync resumes
    resumes = plans[-1].resumes_at
    assert resumes is not None and resumes > clock.now()
    assert window.sync_label.text().startswith("Sync resumes at"), window.sync_label.text()
    assert "resumes at" in window.message_label.text()
    assert window.progress.isHidden() and window.sync_button.isEnabled()
    assert not window.budget_label.isHidden()
    # the open questions came first: the queue is there on the first day
    queue = window.queue_page.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0)
    # older replies are not all in: the queue says its states are not final yet
    assert not queue.sync_note.isHidden() and "First sync in progress" in queue.sync_note.text()
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
    # the month named as the dashboard's note names it: the oldest month held completely
    assert text == "History to April 2025 · posts 4,200/9,000 · 1,850 left today · 2h 15m to go", text
    assert window.sync_label.toolTip().startswith("posts 4,200 of 9,000 · 310 request")
    assert window.progress.format().startswith("posts")
    _shot(window, "sync-progress-history")
    window.close()


def test_the_queue_lists_the_open_questions_once_the_sync_is_past_them(
    qtbot: QtBot, task_manager: TaskManager, app_signals: AppSignals, session: Session, paths: Paths
) -> None:
    """A first sync with a user key runs for hours: the queue does not wait for its end. The first
    report past the open-questions stage that carries what the run wrote refreshes it once."""
    window = MainWindow(session, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.start(sync_now=False)
    queue = window.queue_page.queue
    assert queue.model.rowCount() == 0  # nothing synced yet
    session.sync_once(CancelToken())  # pages written, as the running sync writes them (no broadcast)
    assert queue.model.rowCount() == 0
    window._on_progress(SyncProgress("queue", 1, 2, 3, changes=Changes(topics=True)))
    assert queue.model.rowCount() == 0  # still in the open questions' own stage
    window._on_progress(SyncProgress("posts", 50, 1000, 9))  # a report without the run's changes
    assert queue.model.rowCount() == 0
    window._on_progress(SyncProgress("posts", 100, 1000, 10, changes=Changes(topics=True, posts=True)))
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0)
    assert queue.sync_note.isHidden()  # this cache holds the whole history: nothing to qualify
    window.close()
