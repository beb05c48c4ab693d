"""Staff notes in the console against the demo community over loopback: the notes panel under a
member's profile (read when the member is opened, a note added with the keyboard lands once), the
Notes button beside each author in the thread with the count and its dialog, and everything hidden
when the community has the plugin off or the platform has no notes — rendered at 1024×700."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole import clock
from modconsole.connectors.vanilla.connector import CAPABILITIES as VANILLA
from modconsole.paths import Paths
from modconsole.services.user_notes import RECHECK, UserNotesService
from tests.core.outbox_support import demo_rows
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_S
from ui import theme
from ui.mainwindow import MainWindow
from ui.recognition.members import MembersPage
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager
from ui.user_notes import NotesDialog, NotesPanel

SHOTS = os.environ.get("MODCONSOLE_SHOTS")  # a folder: save the screens at 1024×700, light and dark
NOTES = "/user_notes.json"


@pytest.fixture
def window(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    demo_server: Any,
    synced_session: Session,
) -> Iterator[MainWindow]:
    demo_server.set_setting("user_notes_enabled", True)
    w = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show()
    w.start(sync_now=False)
    w.resize(1024, 700)
    yield w
    w.close()


def _shoot(widget: Any, qapp: QApplication, name: str) -> None:
    if not SHOTS:
        return
    manager = theme.install(qapp)
    try:
        for mode in ("light", "dark"):
            manager.set_preference(mode)
            qapp.processEvents()
            widget.grab().save(str(Path(SHOTS) / f"{name}-{mode}.png"))
    finally:
        theme.uninstall()


def _server_notes(server: Any, uid: int) -> list[dict[str, Any]]:
    rows = demo_rows(server, "SELECT notes FROM plugin_user_notes WHERE user_id = ?", uid)
    return json.loads(rows[0][0]) if rows else []


def _post_note(server: Any, uid: int, raw: str) -> None:
    headers = server.credentials.moderator2.headers()
    with httpx.Client(base_url=server.base_url, timeout=WAIT_S) as c:
        r = c.post(NOTES, data={"user_note[user_id]": uid, "user_note[raw]": raw}, headers=headers)
    assert r.status_code == 200


def _members_page(window: MainWindow) -> MembersPage:
    page = window.show_page("Members")
    assert isinstance(page, MembersPage)
    return page


def test_members_panel_reads_on_demand_and_adds_once_by_keyboard(
    qtbot: QtBot, window: MainWindow, demo_server: Any, qapp: QApplication
) -> None:
    page = _members_page(window)
    qtbot.waitUntil(lambda: page.model.rowCount() > 1)
    hit = page.model.row_at(1)  # not the member selected first (whose notes were read already)
    assert hit is not None
    _post_note(demo_server, hit.id, "Key account: escalate billing questions")
    demo_server.clear_requests()
    page.show_profile(hit.id)
    panel = page.notes_panel
    assert panel.isVisible() and panel.user_id == hit.id
    qtbot.waitUntil(lambda: len(panel.notes()) == 1)
    assert demo_server.request_count("GET", NOTES) == 1
    assert "Key account" in panel.list.item(0).text()
    assert panel.heading.text() == f"Staff notes on @{hit.username} (1)"
    page.show_profile(hit.id)  # opened again: the cache answers
    assert demo_server.request_count("GET", NOTES) == 1
    # keyboard: Tab reaches the editor, Ctrl+Enter adds
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.editor)
    qtbot.keyClicks(panel.editor, "Prefers phone calls")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(_server_notes(demo_server, hit.id)) == 2)
    assert demo_server.request_count("POST", NOTES) == 1
    qtbot.waitUntil(lambda: bool(panel.notes()) and panel.notes()[0].raw == "Prefers phone calls")
    assert panel.editor.toPlainText() == ""
    _shoot(window, qapp, "user-notes-member")


def test_thread_shows_the_authors_note_count_and_opens_the_notes(
    qtbot: QtBot, window: MainWindow, demo_server: Any, qapp: QApplication
) -> None:
    page = window.queue_page
    queue = page.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0)
    topic = queue.model.row_at(0)
    assert topic is not None
    asker = demo_rows(demo_server, "SELECT user_id FROM topics WHERE id = ?", topic.topic_id)[0][0]
    _post_note(demo_server, int(asker), "Asked the same thing last month")
    _post_note(demo_server, int(asker), "Trial ends 1 December")
    page.open_topic(topic.topic_id)
    thread = window.queue_page.thread_panel
    qtbot.waitUntil(lambda: thread.shows(topic.topic_id) and bool(thread.cards()))
    card = thread.cards()[0]
    qtbot.waitUntil(lambda: card.notes_button.isVisible() and card.notes_button.text() == "Notes (2)")
    assert "2 staff note(s)" in card.notes_button.accessibleName()
    _shoot(window, qapp, "user-notes-thread")
    card.notes_button.click()
    dlg = thread.findChild(NotesDialog)
    assert dlg is not None
    qtbot.waitUntil(lambda: len(dlg.panel.notes()) == 2)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.panel.editor)
    dlg.panel.editor.setPlainText("Third note")
    dlg.panel.add_button.click()
    qtbot.waitUntil(lambda: len(_server_notes(demo_server, int(asker))) == 3)
    qtbot.waitUntil(lambda: thread.cards()[0].notes_button.text() == "Notes (3)")
    _shoot(dlg, qapp, "user-notes-dialog")
    dlg.close()


def test_plugin_off_hides_the_panel_and_the_thread_buttons(
    qtbot: QtBot, window: MainWindow, demo_server: Any
) -> None:
    demo_server.set_setting("user_notes_enabled", False)
    page = _members_page(window)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    hit = page.model.row_at(0)
    assert hit is not None
    page.show_profile(hit.id)
    panel = page.notes_panel
    svc = panel.service
    assert svc is not None
    qtbot.waitUntil(lambda: svc.site_state() == "off")
    qtbot.waitUntil(lambda: not panel.isVisible())
    # switched on at the site: the panel asks again a day later and shows
    demo_server.set_setting("user_notes_enabled", True)
    clock.advance(RECHECK + timedelta(minutes=1))
    other = page.model.row_at(1)
    assert other is not None
    page.show_profile(other.id)
    qtbot.waitUntil(lambda: svc.site_state() == "on" and panel.isVisible())
    demo_server.set_setting("user_notes_enabled", False)
    page.notes_panel.set_member(hit.id)
    svc.refresh(hit.id, force=True)  # off again, for the thread below
    assert svc.site_state() == "off"
    window.show_page("Queue")
    queue = window.queue_page.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0)
    topic = queue.model.row_at(0)
    assert topic is not None
    window.queue_page.open_topic(topic.topic_id)
    thread = window.queue_page.thread_panel
    qtbot.waitUntil(lambda: thread.shows(topic.topic_id) and bool(thread.cards()))
    assert not any(c.notes_button.isVisible() for c in thread.cards())


def test_a_platform_without_notes_shows_no_panel(
    qtbot: QtBot, inline_tasks: InlineTaskManager, synced_session: Session
) -> None:
    ws = synced_session.workspace
    svc = UserNotesService(ws.cache, ws.client, ws.moderation, VANILLA)
    panel = NotesPanel(svc)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_member(1)
    assert not panel.isVisible()
