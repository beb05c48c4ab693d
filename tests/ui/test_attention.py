"""Attention (issue 15, point 3) and the undo toast (point 4): one "needs you" count in the
navigation and the status bar on every page; labels true after every push; a banner that moves
nothing and clears when resolved; offline shows the next try and a **Try now** that pushes through
the one push policy; the last queued action can be undone while it is still queued. The whole main
window at 1024×700 with the app's stylesheet, a real TaskManager, the demo server over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from modconsole.demo.server import FaultRule
from modconsole.paths import Paths
from tests.core.outbox_support import accepted_post
from tests.helpers.console import demo_session
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS
from ui import tasks as _tasks
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import TaskManager
from ui.thread import ThreadPanel

SMALL = QSize(1024, 700)


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
        w = MainWindow(session, paths, sync_interval_ms=0)
        qtbot.addWidget(w)
        w.resize(SMALL)
        w.start(sync_now=False)
        w.resize(SMALL)  # a laptop's screen, whatever the offscreen screen says
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


def _settle(qtbot: QtBot) -> None:
    manager = _tasks.task_manager()
    qtbot.waitUntil(lambda: manager.active_count == 0, timeout=WAIT_MS)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: manager.active_count == 0, timeout=WAIT_MS)
    QApplication.processEvents()


def _unsolved_replies(session: Session, n: int) -> list[tuple[int, int]]:
    """``n`` open questions, each with a reply by someone other than the asker."""
    with session.cache.read() as conn:
        rows = conn.execute(
            text(
                "SELECT t.id, min(p.id) FROM topics t JOIN categories c ON c.id = t.category_id "
                "JOIN posts p ON p.topic_id = t.id AND p.post_number > 1 AND p.post_type = 1 "
                "AND p.deleted_at IS NULL AND p.user_id IS NOT t.user_id "
                "WHERE c.accepts_answers = 1 AND c.read_restricted = 0 AND t.has_accepted_answer = 0 "
                "AND t.closed = 0 AND t.deleted_at IS NULL AND t.gone_since IS NULL "
                "GROUP BY t.id ORDER BY t.id LIMIT :n"
            ),
            {"n": n},
        ).all()
    assert len(rows) == n
    return [(int(a), int(b)) for a, b in rows]


def _accept_in_thread(qtbot: QtBot, window: MainWindow, topic_id: int, post_id: int) -> None:
    """Open the question and press its reply's Accept button, as a moderator does."""
    page = window.queue_page
    window.show_page("Queue")
    page.open_topic(topic_id)
    thread: ThreadPanel = page.thread_panel
    qtbot.waitUntil(lambda: thread.shows(topic_id) and len(thread.cards()) > 1, timeout=WAIT_MS)
    _settle(qtbot)
    card = next(c for c in thread.cards() if c.post.post_id == post_id)
    assert card.accept_button.isEnabled()
    card.accept_button.click()
    _settle(qtbot)


def test_needs_you_banner_offline_and_try_now(
    qtbot: QtBot, window: MainWindow, demo_server: Any, messages: MessageRecorder
) -> None:
    session = window.session
    (t1, p1), (t2, p2) = _unsolved_replies(session, 2)
    stack_at = window.stack.geometry()

    # one count, from the core, in the navigation and the status bar, on every page
    expected = session.attention()
    assert expected.due_soon > 0  # the demo community has questions about to miss their target
    qtbot.waitUntil(lambda: window.needs_button.text() == f"Needs you: {expected.total}", timeout=WAIT_MS)
    for name in window.pages:
        window.show_page(name)
        QApplication.processEvents()
        assert window.needs_button.isVisible() and window.needs_label.isVisible(), name
        n = expected.total
        assert window.needs_label.text() == (f"{n} needs you" if n == 1 else f"{n} need you")
    assert "due soon" in window.needs_label.toolTip()

    # the community cannot be reached: the accept stays queued, the window says offline, when it
    # tries next, and offers Try now — in the header row, so the page does not move
    demo_server.stop()
    _accept_in_thread(qtbot, window, t1, p1)
    qtbot.waitUntil(lambda: "Offline" in window.online_label.text(), timeout=WAIT_MS)
    _settle(qtbot)
    banner = window.banner
    assert banner.isVisible() and banner.level() == "warning"
    assert banner.text().startswith("Offline · next try at ")
    assert banner.text().endswith(" · 1 action waiting to be sent")
    assert "could not be reached" in banner.label.toolTip()
    assert window.try_button.isVisible()
    assert window.pending_label.text() == "1 pending action"
    assert window.stack.geometry() == stack_at  # nothing moved
    window.grab().save("/tmp/attention-offline.png")

    # back online: Try now pushes through the one push policy; every label tells the truth again
    demo_server.start()
    qtbot.mouseClick(window.try_button, qtbot_left())
    qtbot.waitUntil(lambda: accepted_post(demo_server, t1) == p1, timeout=WAIT_MS)
    _settle(qtbot)
    assert "Online" in window.online_label.text()
    assert window.banner.isHidden() and window.banner.text() == ""
    assert window.pending_label.text() == "0 pending actions"
    assert window.stack.geometry() == stack_at

    # the community refuses an action: it needs the moderator, counted at once everywhere
    demo_server.add_fault(FaultRule(kind="status", method="POST", path="/solution/*", status=422))
    _accept_in_thread(qtbot, window, t2, p2)
    demo_server.clear_faults()
    after = session.attention()
    assert after.refused + after.conflicts == 1, after
    qtbot.waitUntil(lambda: window.needs_button.text() == f"Needs you: {after.total}", timeout=WAIT_MS)
    assert window.needs_button.property("attention") is True
    assert "Online" in window.online_label.text() and window.banner.isHidden()
    outbox_item = window.nav.item(list(window.pages).index("Outbox"))
    assert not outbox_item.icon().isNull() and "wait for your decision" in outbox_item.toolTip()
    window.grab().save("/tmp/attention-needs-you.png")

    # the count's button opens what needs the moderator: the Outbox's "Needs you" filter
    qtbot.mouseClick(window.needs_button, qtbot_left())
    _settle(qtbot)
    outbox = window.pages["Outbox"]
    assert window.stack.currentWidget() is outbox
    assert outbox.filter_buttons["needs_you"].isChecked()  # type: ignore[attr-defined]
    _settle(qtbot)
    rows = outbox.model.rows()  # type: ignore[attr-defined]
    assert [r.state for r in rows] in (["failed"], ["conflict"]), rows


def test_banner_clears_when_resolved_and_never_moves_the_page(qtbot: QtBot, window: MainWindow) -> None:
    from ui import messages as ui_messages

    stack_at, size_at = window.stack.geometry(), window.size()
    ui_messages.warning("The community answers slowly; retrying.", replace="sync")
    QApplication.processEvents()
    assert window.banner.isVisible() and "answers slowly" in window.banner.text()
    assert window.stack.geometry() == stack_at
    ui_messages.info("Synced (12 requests).", replace="sync")  # the same condition, resolved
    QApplication.processEvents()
    assert window.banner.isHidden()
    assert window.stack.geometry() == stack_at
    long = "The community refused this key's request. " * 12  # one elided line, never a taller row
    ui_messages.error(long)
    QApplication.processEvents()
    assert window.banner.isVisible() and window.banner.level() == "error"
    assert window.stack.geometry() == stack_at
    assert window.size() == size_at
    qtbot.mouseClick(window.banner_close, qtbot_left())
    assert window.banner.isHidden()


def test_undo_toast_cancels_a_queued_action_or_says_it_was_sent(
    qtbot: QtBot, window: MainWindow, demo_server: Any
) -> None:
    session = window.session
    (t1, p1), (t2, p2) = _unsolved_replies(session, 2)
    toast = window.undo_toast

    # queued while the community cannot be reached: Undo cancels it through the outbox
    demo_server.stop()
    _accept_in_thread(qtbot, window, t1, p1)
    qtbot.waitUntil(lambda: toast.isVisible() and toast.undo_button.isVisible(), timeout=WAIT_MS)
    assert toast.label.text().startswith("Queued: Accept ")
    op = toast.op_uuids[0]
    window.grab().save("/tmp/attention-undo-toast.png")
    qtbot.mouseClick(toast.undo_button, qtbot_left())
    _settle(qtbot)
    service = session.moderation.service  # type: ignore[union-attr]
    row = service.get(op)
    assert row is not None and row.state == "cancelled"
    assert "Undone" in toast.label.toolTip() and toast.undo_button.isHidden()
    assert session.pending_actions() == 0
    demo_server.start()
    push_done = window.session.push_outbox
    from modconsole.tasks import CancelToken

    push_done(CancelToken())
    assert accepted_post(demo_server, t1) is None  # never sent

    # sent at once (online): Undo says so and touches nothing
    _accept_in_thread(qtbot, window, t2, p2)
    qtbot.waitUntil(lambda: accepted_post(demo_server, t2) == p2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: toast.isVisible() and toast.undo_button.isVisible(), timeout=WAIT_MS)
    sent_op = toast.op_uuids[0]
    qtbot.mouseClick(toast.undo_button, qtbot_left())
    _settle(qtbot)
    assert "Already sent to the community" in toast.label.toolTip()
    sent = service.get(sent_op)
    assert sent is not None and sent.state == "done"
    assert accepted_post(demo_server, t2) == p2


def qtbot_left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
