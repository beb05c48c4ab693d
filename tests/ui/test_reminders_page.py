"""The Reminders page against the demo community: preview a nudge, send it (it reaches the server
as a reply after the push), a second nudge to the same asker the same week is refused with a
clear message; accept a reply on the asker's behalf; snooze; the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from modconsole.services.reminders import NUDGE_MARKER
from modconsole.tasks import CancelToken
from tests.core.outbox_support import accepted_post, demo_rows
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from ui.outbox.page import ChoiceDialog
from ui.reminders import reminders_page
from ui.reminders.page import RemindersPage
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager


@pytest.fixture
def session(demo_server: Any) -> Iterator[Session]:
    s = demo_session(demo_server)
    assert s.sync_once(CancelToken()).changes.topics
    yield s
    s.close()


@pytest.fixture
def page(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    session: Session,
) -> RemindersPage:
    p = reminders_page(session)
    assert isinstance(p, RemindersPage)
    qtbot.addWidget(p)
    p.resize(1300, 800)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_a_nudge_is_previewed_sent_and_limited_to_one_a_week(
    qtbot: QtBot, page: RemindersPage, demo_server: Any, messages: MessageRecorder, qtmodeltester: Any
) -> None:
    assert page.model.rowCount() > 1
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.replies_model)
    page.table.setFocus()
    page.table.selectRow(0)
    c = page.current()
    assert c is not None and page.topic_title.text() == c.title
    preview = page.preview.toPlainText()
    assert preview.startswith(f"Hi @{c.asker},") and preview.endswith(NUDGE_MARKER)
    assert f"{c.days_waiting} days" in preview
    assert page.send_button.isEnabled() and page.refusal.isHidden()
    assert page.replies_model.rowCount() == len(c.replies)

    page.send_button.click()  # queued, then pushed
    last = demo_rows(
        demo_server,
        "SELECT p.raw, u.username FROM posts p JOIN users u ON u.id = p.user_id "
        "WHERE p.topic_id = ? ORDER BY p.post_number DESC LIMIT 1",
        c.topic_id,
    )
    ((raw, who),) = last  # the text as previewed, then its invisible recognition token
    assert who == page.backend.service.moderation.me
    assert raw.startswith(preview + "\n\n<!-- mc:") and raw.endswith(" -->")
    assert f"Reminder to @{c.asker} sent." in messages.texts()

    # the page refreshed: same topic, now refused with the reason, for every topic of this asker
    assert page.current() is not None and page.current().topic_id == c.topic_id  # type: ignore[union-attr]
    assert not page.send_button.isEnabled()
    assert page.refusal.isVisible() and "one reminder per member per week" in page.refusal.text()
    for row, other in enumerate(page.model.rows()):
        if other.asker_id == c.asker_id:
            assert page.model.index(row, 4).data().startswith("Reminded")
    # and the core refuses it even if asked directly: nothing more reaches the server
    before = demo_rows(demo_server, "SELECT COUNT(*) FROM posts WHERE topic_id = ?", c.topic_id)
    messages.clear()
    page.send_nudge()
    assert any("already reminded" in t and "one reminder per member per week" in t for t in messages.texts())
    assert demo_rows(demo_server, "SELECT COUNT(*) FROM posts WHERE topic_id = ?", c.topic_id) == before
    assert page.backend.service.moderation.counts()["pending"] == 0


def test_accept_on_behalf_and_snooze_with_the_keyboard(
    qtbot: QtBot, page: RemindersPage, demo_server: Any
) -> None:
    page.table.setFocus()
    page.table.selectRow(0)
    c = page.current()
    assert c is not None and len(c.replies) >= 1
    qtbot.keyClick(page.table, Qt.Key.Key_J)  # next reply
    qtbot.keyClick(page.table, Qt.Key.Key_K)  # back to the newest
    reply = page.selected_reply()
    assert reply is not None and reply.post_id == c.replies[0].post_id
    qtbot.keyClick(page.table, Qt.Key.Key_A)
    dialog = page.findChild(ChoiceDialog)
    assert (
        dialog is not None
        and dialog.isVisible()
        and f"@{reply.username}" in dialog.findChildren(type(page.meta))[0].text()
    )
    dialog.note.setText("asker confirmed by e-mail")
    dialog.confirm.click()
    assert accepted_post(demo_server, c.topic_id) == reply.post_id
    assert c.topic_id not in {x.topic_id for x in page.model.rows()}  # no longer waiting

    page.table.setFocus()
    page.table.selectRow(0)
    nxt = page.current()
    assert nxt is not None
    page.snooze_days.setValue(3)
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    assert nxt.topic_id not in {x.topic_id for x in page.model.rows()}
    assert page.backend.service.snoozed()[nxt.topic_id] is not None
