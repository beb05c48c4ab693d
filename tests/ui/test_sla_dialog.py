"""Settings → Response-time targets: the dialog edits the SLA, the queue follows, QSettings keeps it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole.api.client import Credentials
from modconsole.api.ratelimit import Budget
from modconsole.outbox.dispatcher import DispatchOptions
from modconsole.paths import Paths
from modconsole.secrets import MemorySecretStore
from modconsole.services.sla import SlaLevel, SlaSettings
from modconsole.services.triage import QueueFilter, TriageQuery
from modconsole.tasks import CancelToken
from tests.helpers.messagemock import MessageRecorder
from ui.app import open_session
from ui.mainwindow import MainWindow, ui_settings
from ui.services import Session
from ui.signals import AppSignals
from ui.signin import SignInResult
from ui.sla_dialog import SlaDialog
from ui.tasks import InlineTaskManager

OVERDUE = QueueFilter(sla=frozenset({SlaLevel.OVERDUE}))


@pytest.fixture
def paths() -> Paths:
    return Paths.default().ensure()


@pytest.fixture
def synced(paths: Paths, demo_server: Any) -> Iterator[Session]:
    who = demo_server.credentials.moderator
    creds = Credentials.user(who.key, username=who.username)
    result = SignInResult(demo_server.base_url, who.username, creds, False, MemorySecretStore())
    s = open_session(paths, result, budget=Budget.unlimited(), dispatch_options=DispatchOptions(max_wait=0.0))
    assert s.sync_once(CancelToken()).changes.topics
    yield s
    s.close()


@pytest.fixture
def window(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced: Session,
    paths: Paths,
) -> Iterator[MainWindow]:
    w = MainWindow(synced, paths, sync_interval_ms=0)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def _open_dialog(window: MainWindow) -> SlaDialog:
    actions = [a for m in window.menuBar().actions() for a in (m.menu().actions() if m.menu() else [])]  # type: ignore[attr-defined]
    entry = next(a for a in actions if a.text() == "Response-time targets…")
    entry.trigger()
    QApplication.processEvents()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, SlaDialog) and w.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_changing_the_default_target_recounts_the_queue(
    qtbot: QtBot, window: MainWindow, synced: Session, paths: Paths
) -> None:
    queue = window.queue_page.queue
    queue.sla_box.setCurrentIndex(queue.sla_box.findText("Overdue"))
    before = synced.queue_count(TriageQuery(filter=OVERDUE, sla_settings=synced.sla))
    assert before > 0
    assert queue.model.rowCount() == before  # the tiny community fits in one page
    assert queue.count_label.text() == f"{before:,} questions"
    assert queue._counts["Overdue"] == before

    dialog = _open_dialog(window)
    assert dialog.default_target.value() == synced.sla.default_target_hours
    assert dialog.category_table.rowCount() == len(synced.filter_options()[0]) > 0
    dialog.default_target.setValue(2000)  # ~a year of business hours: hardly anything is overdue
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.isVisible()

    new = SlaSettings(default_target_hours=2000)
    assert synced.sla == new
    after = synced.queue_count(TriageQuery(filter=OVERDUE, sla_settings=new))
    assert after < before  # the setting really changes what is overdue
    assert queue.model.rowCount() == after
    assert queue.count_label.text() == f"{after:,} questions"
    assert queue._counts["Overdue"] == after
    level = {r.topic_id: r.sla.level for r in (queue.model.row_at(i) for i in range(after)) if r}
    assert all(lv is SlaLevel.OVERDUE for lv in level.values())

    # Persisted: a new window over the same QSettings starts with the edited targets.
    window.close()
    synced.sla = SlaSettings()
    again = MainWindow(synced, paths, sync_interval_ms=0, settings=ui_settings(paths))
    qtbot.addWidget(again)
    assert synced.sla == new
    assert again.queue_page.queue._sla == new
    again.close()


def test_invalid_input_is_refused_inline(qtbot: QtBot, window: MainWindow, synced: Session) -> None:
    original = synced.sla
    dialog = _open_dialog(window)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)

    dialog.timezone_box.setCurrentText("Mars/Olympus_Mons")
    assert dialog.error_label.isVisible() and "time zone" in dialog.error_label.text()
    dialog.default_target.setValue(3)
    save.click()
    assert dialog.isVisible() and dialog.result_settings is None
    assert synced.sla is original
    assert window.settings.value("sla/json") in (None, original.to_json())

    dialog.timezone_box.setCurrentText("Europe/Berlin")
    assert not dialog.error_label.isVisible()
    dialog.holidays_edit.setPlainText("2026-12-25\nChristmas")
    save.click()
    assert dialog.isVisible() and "Holiday line 2" in dialog.error_label.text()
    dialog.holidays_edit.setPlainText("2026-12-25\n\n2026-12-26")
    target = dialog.category_table.item(0, 1)
    category = dialog.category_table.item(0, 0)
    assert target is not None and category is not None
    target.setText("-4")
    save.click()
    assert dialog.isVisible() and "positive number" in dialog.error_label.text()
    target.setText("2.5")
    cid = category.data(Qt.ItemDataRole.UserRole)
    save.click()
    assert not dialog.isVisible()
    assert synced.sla.timezone == "Europe/Berlin" and synced.sla.default_target_hours == 3
    assert synced.sla.category_targets == {int(cid): 2.5}
    assert len(synced.sla.holidays) == 2
    assert SlaSettings.from_json(str(window.settings.value("sla/json"))) == synced.sla
