"""The Outbox page against the demo community: an answer accepted offline shows as waiting, then
done after the sync pushes it; a conflict (another moderator accepted a different answer first)
shows its choices, and Discard and Apply anyway are recorded; the journal exports as CSV."""

from __future__ import annotations

import csv
import socket
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from modconsole import clock
from modconsole.outbox.policy import push_outbox
from modconsole.paths import Paths
from modconsole.services.moderation import ModerationService
from tests.core.outbox_support import FAST, accepted_post, answerable, client_for, demo_rows, open_service
from tests.helpers.messagemock import MessageRecorder
from ui.mainwindow import MainWindow
from ui.ops import MutationOp
from ui.outbox import outbox_page
from ui.outbox.page import ChoiceDialog, OutboxBackend, OutboxPage
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager


@pytest.fixture
def paths() -> Paths:
    return Paths.default().ensure()


@pytest.fixture
def session(synced_session: Session) -> Session:
    return synced_session


def _today() -> QDate:
    """Today on the app's clock (the journal's since filter counts days on it)."""
    d = clock.now().astimezone().date()
    return QDate(d.year, d.month, d.day)


def _service(session: Session) -> ModerationService:
    port = session.moderation
    assert port is not None
    svc: ModerationService = port.service  # type: ignore[attr-defined]
    return svc


def _author(server: Any, post_id: int) -> tuple[str, str]:
    r = demo_rows(
        server,
        "SELECT u.username, t.title FROM posts p JOIN users u ON u.id = p.user_id "
        "JOIN topics t ON t.id = p.topic_id WHERE p.id = ?",
        post_id,
    )
    return str(r[0][0]), str(r[0][1])


def _rows(page: OutboxPage) -> list[Any]:
    return page.model.rows()


def test_accept_offline_then_sync(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    session: Session,
    paths: Paths,
    demo_server: Any,
) -> None:
    window = MainWindow(session, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    names = list(window.pages)
    assert names.index("Reminders") == names.index("Queue") + 1
    window.nav.setCurrentRow(names.index("Outbox"))
    page = window.pages["Outbox"]
    assert isinstance(page, OutboxPage)
    qtbot.waitUntil(lambda: window.nav.item(names.index("Outbox")).text() == "Outbox")

    # offline: a console whose server cannot be reached (a port nobody listens on)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    offline_client = client_for(demo_server, base_url=f"http://127.0.0.1:{dead}")
    offline = ModerationService(
        session.cache, me=session.username, site_url=session.site_url, client=offline_client, options=FAST
    )
    page.backend = OutboxBackend(offline, lambda t, p: push_outbox(offline, token=t, progress=p))
    (topic, post, _), *_ = answerable(demo_server, solved=False, limit=1)
    author, title = _author(demo_server, post)
    MutationOp(window, op=lambda _t, _p: offline.accept_answer(post).changes).run_in_background()

    entry = _rows(page)[0]
    assert entry.state == "pending" and entry.action == f"Accept @{author}'s reply in “{title}”"
    assert window.nav.item(names.index("Outbox")).text() == "Outbox (1)"
    assert window.pending_label.text() == "1 pending action"
    assert page.filter_buttons["waiting"].text() == "Waiting (1)"
    assert page.detail_title.text() == entry.action
    assert page.discard_button.isVisible() and not page.retry_button.isVisible()
    assert "Not sent yet" in page.detail_body.text()
    page.push_button.click()  # the server cannot be reached: nothing lost, still waiting
    assert _rows(page)[0].state == "pending" and accepted_post(demo_server, topic) is None
    offline_client.close()

    # online again: the sync pushes what waits, and the page shows it done
    online = OutboxBackend.from_session(session)
    page.backend = online
    window.sync_now()
    qtbot.waitUntil(lambda: not window.syncing)
    assert accepted_post(demo_server, topic) == post
    done = _rows(page)[0]
    assert done.state == "done" and done.attempts == 1 and done.message == "Applied"
    assert window.nav.item(names.index("Outbox")).text() == "Outbox"
    assert window.pending_label.text() == "0 pending actions"
    assert "POST /solution/accept.json" in page.detail_body.text()
    window.close()


def test_conflict_choices_discard_and_apply_anyway_are_recorded(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    session: Session,
    demo_server: Any,
    tmp_path: Path,
) -> None:
    page = outbox_page(session)
    assert isinstance(page, OutboxPage)
    qtbot.addWidget(page)
    page.resize(1300, 760)
    page.show()
    svc = _service(session)
    other, other_cache, other_client = open_service(tmp_path, demo_server, "moderator2")
    try:
        (t1, p1, _), (t2, p2, _) = answerable(demo_server, solved=False, limit=2)
        theirs1 = int(
            demo_rows(demo_server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 3", t1)[0][0]
        )
        theirs2 = int(
            demo_rows(demo_server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 3", t2)[0][0]
        )
        mine1 = svc.accept_answer(p1)
        mine2 = svc.accept_answer(p2)
        # another moderator accepts different answers on the server first
        other.accept_answer(theirs1)
        other.accept_answer(theirs2)
        assert not push_outbox(other).failed
        page.push_button.click()
        states = {e.op_uuid: (e.state, e.resolution) for e in _rows(page)}
        assert states[mine1.op_uuid] == states[mine2.op_uuid] == ("conflict", "changed_remotely")
        assert [e.state for e in _rows(page)][:2] == ["conflict", "conflict"]  # conflicts first
        assert page.filter_buttons["needs_you"].text() == "Needs you (2)"
        page.set_group("needs_you")
        assert {e.op_uuid for e in _rows(page)} == {mine1.op_uuid, mine2.op_uuid}

        # select the first conflict: its choices are offered
        page.table.selectRow(page.model.row_of(mine1.op_uuid))
        assert page.selected_entry() is not None and page.selected_entry().op_uuid == mine1.op_uuid  # type: ignore[union-attr]
        for b in (page.retry_button, page.apply_button, page.discard_button):
            assert b.isVisible() and b.isEnabled()
        assert "was accepted" in page.detail_body.text() or "accepted" in _rows(page)[0].message
        assert "Apply anyway replaces their change" in page.choice_help.text()

        # Discard, with a note, after the confirmation
        page.discard_button.click()
        dialog = page.findChild(ChoiceDialog)
        assert dialog is not None and dialog.isVisible()
        dialog.note.setText("their answer is right")
        dialog.confirm.click()
        assert svc.get(mine1.op_uuid).state == "cancelled"  # type: ignore[union-attr]
        assert accepted_post(demo_server, t1) == theirs1

        # Apply anyway on the second: sent at once, replaces their answer
        page.table.selectRow(page.model.row_of(mine2.op_uuid))
        assert page.selected_entry().op_uuid == mine2.op_uuid  # type: ignore[union-attr]
        page.apply_button.click()
        dialog2 = next(d for d in page.findChildren(ChoiceDialog) if d.isVisible())
        dialog2.confirm.click()
        assert svc.get(mine2.op_uuid).state == "done"  # type: ignore[union-attr]
        assert accepted_post(demo_server, t2) == p2

        # both choices are in the journal, with who and the note
        page.set_group("all")
        journal = {e["op_uuid"]: e for e in page.journal_model.rows()}
        assert "discard (their answer is right)" in journal[mine1.op_uuid]["decisions"]
        assert f"{svc.me}: apply_anyway" in journal[mine2.op_uuid]["decisions"]
        assert journal[mine2.op_uuid]["state"] == "done"
        row = [e["op_uuid"] for e in page.journal_model.rows()].index(mine1.op_uuid)
        assert page.journal_model.index(row, 3).data() == "their answer is right"  # Why
        assert page.journal_model.index(row, 4).data() == "Cancelled (discarded)"  # Result
        assert page.model.row_at(page.model.row_of(mine1.op_uuid)).message == (  # type: ignore[union-attr]
            f"Discarded by @{svc.me}: their answer is right"
        )
        page.table.selectRow(page.model.row_of(mine1.op_uuid))
        assert "Discard — their answer is right" in page.detail_body.text()
        assert not page.discard_button.isVisible()  # finished: no choices left
    finally:
        other_client.close()
        other_cache.close()


def test_journal_date_filter_and_csv_export(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    session: Session,
    demo_server: Any,
    tmp_path: Path,
    qtmodeltester: Any,
) -> None:
    page = outbox_page(session)
    assert isinstance(page, OutboxPage)
    qtbot.addWidget(page)
    page.show()
    svc = _service(session)
    (_t, post, _), *_ = answerable(demo_server, solved=False, limit=1)
    q = svc.accept_answer(post, note="+1+cmd|' /C calc'!A0")  # a digit second: the old guard let it by
    svc.resolve(q.op_uuid, "discard", note="changed my mind")
    page.reload()
    assert [e["op_uuid"] for e in page.journal_model.rows()] == [q.op_uuid]
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.journal_model)
    page.since_edit.setDate(_today().addDays(1))  # tomorrow: nothing queued since
    assert page.journal_model.rows() == [] and page.journal_count.text() == "0 actions"
    page.since_edit.setDate(_today())
    assert len(page.journal_model.rows()) == 1

    out = tmp_path / "journal.csv"
    page.ask_export()
    assert page._file_dialog is not None and page._file_dialog.isVisible()
    page._file_dialog.selectFile(str(out))
    page._file_dialog.accept()
    assert out.exists()
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["op_uuid"] for r in rows] == [q.op_uuid]
    assert rows[0]["created_by"] == svc.me and rows[0]["state"] == "cancelled"
    assert rows[0]["note"] == "'+1+cmd|' /C calc'!A0"  # formula neutralised
    assert "discard (changed my mind)" in rows[0]["decisions"]
    assert any(f"Exported 1 action to {out}" in t for t in messages.texts())
    # nothing before the since date is exported
    page.since_edit.setDate(_today().addDays(1))
    page.export_csv(str(out))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.DictReader(fh)) == []
