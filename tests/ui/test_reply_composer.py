"""The reply composer in the thread view (issue 14.3): ``r`` opens it, saved replies fill their
placeholders, the preview goes through the sanitizer, the draft survives closing the composer and
a new session, Ctrl+Enter sends through the outbox, Esc closes, whispers only where allowed —
against the demo server over real HTTP. ``MODCONSOLE_SHOTS=<dir>`` saves the composer at
1024×700, light and dark."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from modconsole import settings
from modconsole.paths import Paths
from modconsole.services import replies
from modconsole.tasks import CancelToken
from tests.core.outbox_support import demo_rows
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from ui import theme
from ui.composer import ReplyComposer, SavedRepliesDialog
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager

SHOTS = os.environ.get("MODCONSOLE_SHOTS")


def _window(qtbot: QtBot, session: Session) -> MainWindow:
    w = MainWindow(session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show()
    return w


def _question_with_similar(session: Session) -> tuple[int, str]:
    """An open question whose asker has a name and that has similar solved questions."""
    with session.cache.read() as conn:
        rows = conn.execute(
            text(
                "SELECT t.id, u.name FROM topics t JOIN users u ON u.id = t.user_id "
                "WHERE t.has_accepted_answer = 0 AND t.closed = 0 AND t.deleted_at IS NULL "
                "AND t.gone_since IS NULL AND COALESCE(u.name, '') <> '' ORDER BY t.id"
            )
        ).all()
        for tid, name in rows:
            if replies.reply_context(conn, int(tid), site_url="x", me="m").similar:
                return int(tid), str(name)
    raise AssertionError("no open question with similar solved questions in the demo")


def _open(qtbot: QtBot, window: MainWindow, topic_id: int) -> ReplyComposer:
    page = window.queue_page
    page.open_topic(topic_id)
    qtbot.waitUntil(lambda: page.thread_panel.shows(topic_id))
    assert page.key_actions["thread.reply"].shortcut().toString() == "R"
    page.key_actions["thread.reply"].trigger()
    composer = page.thread_panel.composer
    qtbot.waitUntil(lambda: composer.isVisible() and composer._setup is not None)
    return composer


@pytest.fixture
def session(demo_server: Any) -> Iterator[Session]:
    s = demo_session(demo_server)
    assert s.sync_once(CancelToken()).changes.topics
    yield s
    s.close()


def test_compose_preview_draft_and_send(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    demo_server: Any,
    session: Session,
    qapp: QApplication,
) -> None:
    window = _window(qtbot, session)
    tid, asker = _question_with_similar(session)
    composer = _open(qtbot, window, tid)
    assert window.focusWidget() is composer.edit  # typing goes to the text at once
    assert composer.whisper_box.isHidden()  # a moderator, whispers not allowed on the demo by default
    assert not composer.send_button.isEnabled()  # nothing written yet

    # a saved reply, its placeholders filled from the cache
    titles = [composer.saved_box.itemText(i) for i in range(composer.saved_box.count())]
    index = titles.index("Similar solved questions (en)")
    composer.saved_box.activated.emit(index)
    body = composer.text()
    assert body.startswith(f"Hi {asker},") and "{similar}" not in body and f"{session.site_url}/t/" in body
    composer.edit.moveCursor(composer.edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(composer.edit, " **Thanks**")
    assert composer.send_button.isEnabled()

    # preview: rendered and sanitized
    composer.tabs.setCurrentWidget(composer.preview)
    html = composer.preview.toHtml()
    assert "Thanks" in html and "**Thanks**" not in composer.preview.toPlainText()
    composer.tabs.setCurrentWidget(composer.edit)
    _shoot(window, qapp, "composer")

    # Esc closes, the draft is kept — across a new session on the same cache too
    composer.edit.setFocus()
    qtbot.keyClick(composer.edit, Qt.Key.Key_Escape)
    assert composer.isHidden() and window.queue_page.thread_panel.isVisible()
    with session.cache.read() as conn:
        draft = replies.get_draft(conn, tid)
    assert draft is not None and draft.raw == composer.text()
    window.close()
    again = demo_session(demo_server)
    try:
        window2 = _window(qtbot, again)
        composer2 = _open(qtbot, window2, tid)
        assert composer2.text() == draft.raw and composer2.status.text() == "Draft restored."

        # Ctrl+Enter sends through the outbox: on the server once, draft forgotten
        composer2.edit.setFocus()
        qtbot.keyClick(composer2.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(
            lambda: (
                demo_rows(demo_server, "SELECT COUNT(*) FROM posts WHERE raw LIKE ?", "%**Thanks**%")
                == [(1,)]
            )
        )
        assert composer2.isHidden()
        with again.cache.read() as conn:
            assert replies.get_draft(conn, tid) is None
        rows = again.workspace.moderation.outbox()
        assert [(r.kind, r.state) for r in rows] == [("create_post", "done")]
        window2.close()
    finally:
        again.close()
    assert not messages.bugs and not messages.texts("error")


def test_whisper_where_allowed_and_saved_replies_dialog(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    demo_server: Any,
    session: Session,
    qapp: QApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo_server.set_setting("whispers_allowed_groups", "staff")
    assert session.workspace.moderation.probe_permissions(force=True).whisperer is True
    window = _window(qtbot, session)
    tid, _ = _question_with_similar(session)
    composer = _open(qtbot, window, tid)
    assert composer.whisper_box.isVisibleTo(composer)
    composer.whisper_box.setChecked(True)
    assert composer.send_button.text() == "Send whisper" and composer.whisper_note.isVisibleTo(composer)
    qtbot.keyClicks(composer.edit, "Escalated to the product team.")
    _shoot(window, qapp, "composer-whisper")
    composer.send_button.click()
    qtbot.waitUntil(
        lambda: (
            demo_rows(
                demo_server, "SELECT post_type FROM posts WHERE raw LIKE ?", "Escalated to the product team.%"
            )
            == [(4,)]
        )
    )

    # saved replies: "Saved replies…" opens the dialog; add one, delete one, save: stored and offered
    seen: dict[str, Any] = {}

    def edit_and_save(dialog: SavedRepliesDialog) -> int:
        count = dialog.list.count()
        dialog.add_button.click()
        dialog.title_edit.setText("")
        dialog.title_edit.textEdited.emit("")
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        save.click()
        seen["error"] = dialog.error.text()
        seen["refused"] = dialog.result() != QDialog.DialogCode.Accepted
        dialog.title_edit.setText("Release notes")
        dialog.title_edit.textEdited.emit("Release notes")
        dialog.body_edit.setPlainText("Hi {asker}, this is fixed in the next release.")
        assert dialog.list.count() == count + 1
        dialog.list.setCurrentRow(0)
        dialog.delete_button.click()  # the first default goes
        assert dialog.list.count() == count
        _shoot(dialog, qapp, "saved-replies", size=None)
        save.click()
        return int(dialog.result())

    monkeypatch.setattr(SavedRepliesDialog, "exec", edit_and_save)
    composer.manage_button.click()
    assert seen == {"error": "A saved reply needs a title.", "refused": True}
    stored = settings.load(session.cache, replies.SAVED_REPLIES)
    assert [r.title for r in stored][-1] == "Release notes" and stored[0].title != "First response"
    labels = [composer.saved_box.itemText(i) for i in range(composer.saved_box.count())]
    assert "Release notes" in labels
    window.close()
    assert not messages.bugs


def _shoot(
    window: QWidget, qapp: QApplication, name: str, size: tuple[int, int] | None = (1024, 700)
) -> None:
    if not SHOTS:
        return
    if size is not None:
        window.resize(*size)
    manager = theme.install(qapp)
    try:
        for mode in ("light", "dark"):
            manager.set_preference(mode)
            qapp.processEvents()
            window.grab().save(str(Path(SHOTS) / f"{name}-{mode}.png"))
    finally:
        theme.uninstall()
