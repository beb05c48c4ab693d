"""Settings → Response-time targets: the dialog edits the SLA calendar in the cache's settings
registry; the queue and the dashboard both follow it; a calendar kept in ui.ini moves over once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole import settings as registry
from modconsole.analytics.dashboard import load_dashboard
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
from ui.dashboard import DashboardPage
from ui.mainwindow import MainWindow, ui_settings
from ui.services import Session
from ui.signals import AppSignals
from ui.signin import SignInResult
from ui.sla_dialog import LEGACY_KEY, SlaDialog
from ui.tasks import InlineTaskManager, Lane

OVERDUE = QueueFilter(sla=frozenset({SlaLevel.OVERDUE}))


@pytest.fixture
def paths() -> Paths:
    return Paths.default().ensure()


def _sign_in(paths: Paths, demo_server: Any) -> Session:
    who = demo_server.credentials.moderator
    creds = Credentials.user(who.key, username=who.username)
    result = SignInResult(demo_server.base_url, who.username, creds, False, MemorySecretStore())
    return open_session(
        paths, result, budget=Budget.unlimited(), dispatch_options=DispatchOptions(max_wait=0.0)
    )


@pytest.fixture
def synced(paths: Paths, demo_server: Any) -> Iterator[Session]:
    s = _sign_in(paths, demo_server)
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
    assert dialogs[0].loaded_settings is not None  # loaded from the registry (inline task manager)
    return dialogs[0]


def _save(dialog: SlaDialog) -> None:
    button = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert button is not None
    button.click()


def _stored(session: Session) -> SlaSettings:
    return registry.load(session.cache, registry.SLA)


def test_the_queue_and_the_dashboard_follow_the_edited_calendar(
    qtbot: QtBot, window: MainWindow, synced: Session, inline_tasks: InlineTaskManager
) -> None:
    queue = window.queue_page.queue
    queue.sla_box.setCurrentIndex(queue.sla_box.findText("Overdue"))
    before = synced.queue_count(TriageQuery(filter=OVERDUE, sla_settings=synced.sla))
    assert before > 0
    assert queue.model.rowCount() == before  # the tiny community fits in one page
    assert queue._counts["Overdue"] == before
    first = queue.model.row_at(0)
    assert first is not None
    text = queue.model.index(0, 0).data()
    assert text == first.sla.describe() and text.startswith("Overdue by ")  # business time, never "130d"
    tip = str(queue.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole))
    assert tip.startswith(text + ": first response")  # the whole read-out, should the column elide it

    dashboard = window.show_page("Dashboard")
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard._data is not None, timeout=30_000)
    dashboard.set_period("Last 12 months")
    qtbot.waitUntil(lambda: not dashboard._running, timeout=30_000)
    assert dashboard._data is not None
    sla_before = dashboard._data.result.totals["sla_attainment"]
    assert sla_before is not None and sla_before < 100  # percent

    dialog = _open_dialog(window)
    assert dialog.default_target.value() == synced.sla.default_target_hours
    assert dialog.category_table.rowCount() == len(synced.filter_options()[0]) > 0
    dialog.default_target.setValue(2000)  # ~a year of business hours: hardly anything is overdue
    inline_tasks.history.clear()
    _save(dialog)
    assert not dialog.isVisible()
    assert (Lane.WRITER, None) in inline_tasks.history  # stored on the writer

    new = SlaSettings(default_target_hours=2000)
    assert _stored(synced) == new  # one source of truth: the cache's settings registry
    assert synced.sla == new
    # the queue: its SLA column, filter and the saved views' counts
    after = synced.queue_count(TriageQuery(filter=OVERDUE, sla_settings=new))
    assert after < before
    assert queue.model.rowCount() == after
    assert queue._counts["Overdue"] == after
    levels = {r.sla.level for r in (queue.model.row_at(i) for i in range(after)) if r}
    assert levels <= {SlaLevel.OVERDUE}
    # the dashboard: its SLA figures, recomputed with the same calendar
    qtbot.waitUntil(lambda: not dashboard._running, timeout=30_000)
    assert dashboard._data is not None
    sla_after = dashboard._data.result.totals["sla_attainment"]
    with synced.cache.read() as conn:
        want = load_dashboard(conn, dashboard.period(), dashboard.granularity(), now=dashboard._now())
    assert sla_after == want.result.totals["sla_attainment"]
    assert sla_after is not None and sla_after > sla_before
    # nothing went to ui.ini
    assert window.settings.value(LEGACY_KEY) is None


def test_public_holidays_from_a_country_and_region(window: MainWindow, synced: Session) -> None:
    dialog = _open_dialog(window)
    assert dialog.country_box.currentData() is None and not dialog.region_box.isEnabled()
    dialog.country_box.setCurrentIndex(dialog.country_box.findData("DE"))
    assert dialog.region_box.isEnabled()
    regions = [dialog.region_box.itemData(i) for i in range(dialog.region_box.count())]
    assert regions[0] is None and "BY" in regions
    dialog.region_box.setCurrentIndex(dialog.region_box.findData("BY"))
    assert "public holidays in 2026" in dialog.holiday_preview.text()
    dialog.holidays_edit.setPlainText("2026-12-24")
    _save(dialog)
    assert not dialog.isVisible()
    stored = _stored(synced)
    assert (stored.country, stored.subdivision) == ("DE", "BY")
    assert stored.is_holiday(date(2026, 1, 6)) and stored.is_holiday(date(2026, 12, 24))
    assert synced.sla == stored

    again = _open_dialog(window)  # shows what is stored
    assert again.country_box.currentData() == "DE" and again.region_box.currentData() == "BY"
    again.country_box.setCurrentIndex(again.country_box.findData("IS"))  # Iceland: no regions
    assert again.region_box.currentData() is None and not again.region_box.isEnabled()
    again.reject()


def test_invalid_input_is_refused_inline(window: MainWindow, synced: Session) -> None:
    original = synced.sla
    dialog = _open_dialog(window)

    dialog.timezone_box.setCurrentText("Mars/Olympus_Mons")
    assert dialog.error_label.isVisible() and "time zone" in dialog.error_label.text()
    dialog.default_target.setValue(3)
    _save(dialog)
    assert dialog.isVisible() and dialog.result_settings is None
    assert synced.sla is original and _stored(synced) == original

    dialog.timezone_box.setCurrentText("Europe/Berlin")
    assert not dialog.error_label.isVisible()
    dialog.holidays_edit.setPlainText("2026-12-25\nChristmas")
    _save(dialog)
    assert dialog.isVisible() and "Extra day off line 2" in dialog.error_label.text()
    dialog.holidays_edit.setPlainText("2026-12-25\n\n2026-12-26")
    target = dialog.category_table.item(0, 1)
    category = dialog.category_table.item(0, 0)
    assert target is not None and category is not None
    target.setText("-4")
    _save(dialog)
    assert dialog.isVisible() and "positive number" in dialog.error_label.text()
    assert _stored(synced) == original
    target.setText("2.5")
    cid = category.data(Qt.ItemDataRole.UserRole)
    _save(dialog)
    assert not dialog.isVisible()
    assert synced.sla.timezone == "Europe/Berlin" and synced.sla.default_target_hours == 3
    assert synced.sla.category_targets == {int(cid): 2.5}
    assert len(synced.sla.holidays) == 2
    assert _stored(synced) == synced.sla


def test_a_calendar_in_ui_ini_moves_to_the_registry_once(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    paths: Paths,
    demo_server: Any,
) -> None:
    legacy = SlaSettings(timezone="Europe/Berlin", default_target_hours=4)
    ui = ui_settings(paths)
    ui.setValue(LEGACY_KEY, legacy.to_json())
    ui.sync()

    first = _sign_in(paths, demo_server)
    try:
        assert first.sla == legacy and _stored(first) == legacy
        assert ui_settings(paths).value(LEGACY_KEY) is None  # moved, not copied
        window = MainWindow(first, paths, sync_interval_ms=0)
        qtbot.addWidget(window)
        assert window.queue_page.queue._sla == legacy
        registry.store(first.cache, registry.SLA, SlaSettings(default_target_hours=6))
        window.close()
    finally:
        first.close()

    # a stale ui.ini entry (written by an older version) never overrides the registry again
    ui = ui_settings(paths)
    ui.setValue(LEGACY_KEY, "{not json")
    ui.sync()
    second = _sign_in(paths, demo_server)
    try:
        assert second.sla == SlaSettings(default_target_hours=6)
        assert ui_settings(paths).value(LEGACY_KEY) is None
    finally:
        second.close()
