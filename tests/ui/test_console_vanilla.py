"""The console on a Vanilla community (issue #16 part 4): sign-in with a personal access token, the
platform found from the address, and a window that follows the platform's declared capabilities —
real HTTP against the Vanilla demo server (``vanilla_demo_server``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from modconsole.connectors.vanilla.connector import CAPABILITIES
from modconsole.demo import store
from modconsole.paths import Paths
from modconsole.tasks import CancelToken
from tests.helpers.console import vanilla_session
from tests.helpers.memkeyring import MemoryKeyring
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_S
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.signin import SignInResult, SignInView
from ui.tasks import InlineTaskManager, TaskManager

pytestmark = pytest.mark.integration


@pytest.fixture
def paths() -> Paths:
    return Paths.default().ensure()


@pytest.fixture
def view(qtbot: QtBot, inline_tasks: InlineTaskManager, messages: MessageRecorder) -> SignInView:
    v = SignInView(client_id="modconsole-test-client")
    qtbot.addWidget(v)
    return v


def _token_mode(v: SignInView, site: str, token: str, kind: str = "token") -> list[SignInResult]:
    got: list[SignInResult] = []
    v.signed_in.connect(got.append)
    v.site_edit.setText(site)
    v.mode_key.setChecked(True)
    v.key_kind.setCurrentIndex(v.key_kind.findData(kind))
    v.key_edit.setText(token)
    return got


# ---------------------------------------------------------------- sign-in


@pytest.mark.parametrize("kind", ["token", "user"])
def test_sign_in_on_vanilla_with_a_personal_access_token(
    view: SignInView, vanilla_demo_server: Any, memory_keyring: MemoryKeyring, kind: str
) -> None:
    # the address says Vanilla (found by the core's detection): a pasted key is sent as a token,
    # whichever kind the list shows
    who = vanilla_demo_server.credentials.moderator
    got = _token_mode(view, vanilla_demo_server.base_url, who.token, kind)
    view.sign_in_button.click()
    assert view.error_label.isHidden(), view.error_label.text()
    assert len(got) == 1
    result = got[0]
    assert (result.platform, result.username, result.site_url) == (
        "vanilla",
        who.username,
        vanilla_demo_server.base_url,
    )
    assert result.credentials.kind == "token"
    assert result.secrets.get(result.site_url, who.username) == who.token  # kept for the session…
    assert memory_keyring.store == {}  # …and never written anywhere else
    assert who.token not in repr(result)


@pytest.mark.parametrize("which", ["expired", "revoked", "bogus"])
def test_a_refused_token_is_one_line_and_nothing_is_signed_in(
    view: SignInView, vanilla_demo_server: Any, which: str
) -> None:
    token = "va.not-a-token" if which == "bogus" else getattr(vanilla_demo_server.credentials, which).token
    got = _token_mode(view, vanilla_demo_server.base_url, token)
    view.sign_in_button.click()
    text = view.error_label.text()
    assert not got and not view.error_label.isHidden()
    assert "refused this key" in text and "\n" not in text
    assert token not in text


def test_an_unreachable_vanilla_address_is_one_line(view: SignInView, vanilla_demo_server: Any) -> None:
    url = vanilla_demo_server.base_url
    vanilla_demo_server.stop()  # nobody answers at the address any more
    got = _token_mode(view, url, vanilla_demo_server.credentials.moderator.token)
    view.sign_in_button.click()
    text = view.error_label.text()
    assert not got and text.startswith("Could not reach") and "\n" not in text


def test_the_browser_flow_is_refused_on_vanilla_with_what_to_do(
    view: SignInView, vanilla_demo_server: Any
) -> None:
    # Vanilla declares no per-user key flow (Capabilities.user_api_keys): the pasted payload of the
    # Discourse flow cannot sign in there, and the screen says to paste a token instead
    from ui.signin import NoBrowserFlow, explain

    assert not CAPABILITIES.user_api_keys
    text = explain(NoBrowserFlow("x"), vanilla_demo_server.base_url)
    assert "personal access token" in text and "\n" not in text


# ---------------------------------------------------------------- the console


@pytest.fixture
def synced(paths: Paths, vanilla_demo_server: Any) -> Iterator[Session]:
    s = vanilla_session(vanilla_demo_server, paths)
    try:
        s.sync_once(CancelToken())
        yield s
    finally:
        s.close()


def _second_accept(server: Any) -> tuple[int, list[int]]:
    """Accept a second answer on a solved question through the demo's API (Vanilla allows several)."""
    con = store.connect(server.db_path)
    try:
        row = con.execute(
            "SELECT t.id, MIN(a.comment_id) FROM topics t JOIN posts p ON p.topic_id = t.id "
            "JOIN vanilla_answers a ON a.comment_id = p.id AND a.status = 'accepted' "
            "WHERE t.is_question = 1 AND t.deleted_at IS NULL AND EXISTS (SELECT 1 FROM posts o "
            "WHERE o.topic_id = t.id AND o.post_number > 1 AND o.post_type = 1 AND o.deleted_at IS NULL "
            "AND o.id NOT IN (SELECT comment_id FROM vanilla_answers)) GROUP BY t.id ORDER BY t.id LIMIT 1"
        ).fetchone()
        other = con.execute(
            "SELECT id FROM posts WHERE topic_id = ? AND post_number > 1 AND post_type = 1 "
            "AND deleted_at IS NULL AND id NOT IN (SELECT comment_id FROM vanilla_answers) "
            "ORDER BY id LIMIT 1",
            (row[0],),
        ).fetchone()[0]
    finally:
        con.close()
    r = httpx.patch(
        f"{server.base_url}/api/v2/comments/{other}/answer",
        json={"status": "accepted"},
        headers=server.credentials.moderator.headers(),
        timeout=WAIT_S,
    )
    assert r.status_code == 200, r.text
    return int(row[0]), sorted([int(row[1]), int(other)])


def test_the_console_opens_on_vanilla_with_the_queue_and_without_discourse_only_pages(
    qtbot: QtBot, task_manager: TaskManager, app_signals: AppSignals, synced: Session, paths: Paths
) -> None:
    assert synced.capabilities is CAPABILITIES  # through the session, read once
    window = MainWindow(synced, paths, sync_interval_ms=0)
    qtbot.addWidget(window)
    window.start(sync_now=False)
    queue = window.queue_page.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0)
    # no review queue: no page, no navigation entry, no Ctrl+8 (nor any "Go" entry for it)
    assert "Review" not in window.pages
    nav = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert not any(t.startswith("Review") for t in nav) and len(nav) == len(window.pages)
    assert "go.Review" not in window.key_actions
    assert all("Ctrl+8" not in a.shortcut().toString() for a in window.key_actions.values())
    # no server-side assign: no keys, no assignment filter, no Mine view, no holder line
    for key in ("queue.assign_me", "queue.assign", "queue.mine"):
        assert key not in window.key_actions
    assert queue.assigned_box.isHidden()
    hidden = {
        queue.views_list.item(i).text()
        for i in range(queue.views_list.count())
        if queue.views_list.item(i).isHidden()
    }
    assert any(t.startswith("Mine") for t in hidden)
    assert window.queue_page.assign_strip.isHidden()
    assert "assign" not in synced.bulk().actions
    # no trust levels: the Members table has no TL column
    members = window.show_page("Members")
    assert members.table.isColumnHidden(3)  # type: ignore[attr-defined]
    window.close()


def test_the_thread_shows_two_accepted_answers_and_no_whisper_toggle(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    paths: Paths,
    vanilla_demo_server: Any,
) -> None:
    topic, answers = _second_accept(vanilla_demo_server)
    session = vanilla_session(vanilla_demo_server, paths)
    try:
        session.sync_once(CancelToken())
        window = MainWindow(session, paths, sync_interval_ms=0)
        qtbot.addWidget(window)
        window.start(sync_now=False)
        page = window.queue_page
        page.open_topic(topic)
        panel = page.thread_panel
        qtbot.waitUntil(lambda: panel.shows(topic) and len(panel.cards()) > 2)
        accepted = sorted(c.post.post_id for c in panel.cards() if c.post.accepted)
        assert accepted == answers
        badges = [c for c in panel.cards() if c.badge.text()]
        assert len(badges) == 2 and all("Accepted answer" in c.badge.text() for c in badges)
        assert "2 accepted answers" in panel.meta.text()
        # no whispers on Vanilla: the composer opens without the toggle
        assert panel.open_composer()
        qtbot.waitUntil(lambda: panel.composer.isVisible() and not panel.composer._loading)
        assert panel.composer.whisper_box.isHidden()
        window.close()
    finally:
        session.close()


def test_no_live_poller_no_discourse_link_and_no_likes_report_on_vanilla(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    synced: Session,
    paths: Paths,
    vanilla_demo_server: Any,
) -> None:
    # live counts follow the capability: Vanilla has no MessageBus, so no poller and not one
    # Discourse route; "Open in browser" is the connector's discussion address; the likes tile
    # says the platform does not report likes per day (reactions carry no day they were given)
    assert not synced.capabilities.live_counts and not synced.capabilities.likes_report
    vanilla_demo_server.clear_requests()
    window = MainWindow(synced, paths, sync_interval_ms=0, live_counts=True)
    qtbot.addWidget(window)
    window.start(sync_now=False)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    assert window.live is None
    assert not [t for t in threading.enumerate() if t.name == "live-counts" and t.is_alive()]

    queue = window.queue_page.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0)
    row = queue.model.row_at(0)
    assert row is not None
    page = window.queue_page
    page.open_topic(row.topic_id)
    panel = page.thread_panel
    qtbot.waitUntil(lambda: panel.shows(row.topic_id))
    base = vanilla_demo_server.base_url.rstrip("/")
    assert panel.url() == f"{base}/discussion/{row.topic_id}"
    assert synced.topic_url(row.topic_id, "a-slug") == f"{base}/discussion/{row.topic_id}/a-slug"

    dashboard = window.show_page("Dashboard")
    qtbot.waitUntil(lambda: dashboard.refresh_count > 0)  # type: ignore[attr-defined]
    likes = dashboard.tiles["likes"]  # type: ignore[attr-defined]
    assert likes.current_value is None
    assert likes.change.text() == "not offered by this platform"
    for key in ("visits", "daily_engaged_users", "dau_by_mau"):
        # Vanilla keeps a member's running visit count only: no visits per day to report
        tile = dashboard.tiles[key]  # type: ignore[attr-defined]
        assert tile.current_value is None
        assert tile.change.text() == "not offered by this platform"
    for route in ("*message-bus*", "/review/count.json*", "/admin/*", "/t/*", "*.json*"):
        assert vanilla_demo_server.request_count("*", route) == 0, route
    window.close()


# ---------------------------------------------------------------- the launcher


def test_demo_flag_with_platform_vanilla_opens_the_console_on_the_vanilla_demo(
    qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``modconsole --demo --platform vanilla``: the embedded Vanilla demo (tiny), signed in with its
    moderator's token, synced into the queue; closing the window stops everything."""
    import argparse
    import sys

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui import app as app_module
    from ui import messages as ui_messages
    from ui import signals, tasks
    from ui.signin import ENV_DEMO_SIZE

    sheet, hook, bug = qapp.styleSheet(), sys.excepthook, ui_messages.set_bug_hook(None)
    ui_messages.set_bug_hook(bug)
    monkeypatch.setenv(ENV_DEMO_SIZE, "tiny")
    seen: dict[str, Any] = {}

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and not windows[0].syncing and windows[0].queue_page.queue.model.rowCount() > 0:
            window = windows[0]
            seen["rows"] = window.queue_page.queue.model.rowCount()
            seen["platform"] = window.session.workspace.connector.platform
            seen["pages"] = list(window.pages)
            seen["demo"] = window.session.demo
            window.close()  # the last window: the app quits
            return
        QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)
    QTimer.singleShot(120_000, qapp.quit)  # a safety net, never the normal path
    try:
        code = app_module.main(
            argparse.Namespace(demo=True, demo_platform="vanilla", data_dir=None, debug=False)
        )
    finally:
        qapp.setStyleSheet(sheet)
        sys.excepthook = hook
        ui_messages.set_bug_hook(bug)
        signals.set_app_signals(None)
        tasks.set_task_manager(None)
    assert code == 0
    assert seen.get("rows", 0) > 0, "the main window never showed the synced queue"
    assert seen["platform"] == "vanilla" and "Review" not in seen["pages"]
    assert seen["demo"] is not None and seen["demo"]._httpd is None  # the demo server was stopped


def test_an_unaccept_queued_on_one_of_two_accepted_answers_marks_only_that_one(
    paths: Paths, vanilla_demo_server: Any
) -> None:
    topic, answers = _second_accept(vanilla_demo_server)
    session = vanilla_session(vanilla_demo_server, paths)
    try:
        session.sync_once(CancelToken())
        session.workspace.moderation.unaccept_answer(answers[1])  # queued, not pushed
        pending = session.thread_data(topic).pending
        assert list(pending) == [answers[1]] and "Unaccept pending" in pending[answers[1]]
    finally:
        session.close()
