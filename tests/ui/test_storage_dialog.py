"""A cache that cannot be used is shown in a dialog with its one-line message, not as a
traceback and not silently replaced (issue 12, finding 5), on the sign-in → session path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from modconsole.api import Credentials
from modconsole.paths import Paths
from modconsole.secrets import MemorySecretStore
from tests.helpers.messagemock import MessageRecorder
from ui.app import AppController
from ui.signals import AppSignals
from ui.signin import SignInResult
from ui.tasks import InlineTaskManager


@pytest.fixture
def controller(inline_tasks: InlineTaskManager, app_signals: AppSignals) -> Iterator[AppController]:
    c = AppController(Paths.default().ensure(), inline_tasks, app_signals)
    yield c
    if c.storage_error is not None:
        c.storage_error.close()
    if c.sign_in_view is not None:
        c.sign_in_view.close()
    c.shutdown()


def _sign_in(demo_server: Any) -> SignInResult:
    who = demo_server.credentials.moderator
    creds = Credentials.user(who.key, username=who.username)
    return SignInResult(demo_server.base_url, who.username, creds, False, MemorySecretStore())


def test_an_empty_cache_is_shown_in_a_dialog_and_left_untouched(
    qtbot: QtBot, controller: AppController, messages: MessageRecorder, demo_server: Any, tmp_path: Path
) -> None:
    result = _sign_in(demo_server)
    cache = Paths.default().site_cache_file(result.site_url, result.username)
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"")
    view = controller.show_sign_in()
    view.resize(1024, 700)
    controller._on_signed_in(result)
    qtbot.waitUntil(lambda: controller.storage_error is not None and controller.storage_error.isVisible())
    box = controller.storage_error
    assert box is not None
    text = box.text()
    assert "\n" not in text and str(cache) in text and "empty (0 bytes)" in text
    assert controller.window is None and controller.session is None
    assert not messages.bugs
    assert cache.stat().st_size == 0
    assert box.grab().save(str(tmp_path / "storage-dialog.png"))  # renders (looked at by hand)


def _trash_table_root(path: Path, table: str) -> None:
    """Overwrite the root page of ``table``: the file opens and its other tables read, but the
    integrity check fails."""
    import sqlite3

    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    con.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)


def test_a_damaged_cache_found_after_the_window_showed_is_said_and_never_written(
    qtbot: QtBot, messages: MessageRecorder, controller: AppController, demo_server: Any, tmp_path: Path
) -> None:  # (messages first: the window, shut down with the controller, still finds its bridge)
    """The integrity check is deferred until the window shows (seconds on a big cache): a damage
    it finds is still said — a dialog and the banner, in one line naming the file — and the sync
    that follows writes nothing into the file."""
    from modconsole.cache.db import Cache

    result = _sign_in(demo_server)
    cache = Paths.default().site_cache_file(result.site_url, result.username)
    cache.parent.mkdir(parents=True)
    Cache.open(cache).close()
    _trash_table_root(cache, "posts")
    before = cache.read_bytes()
    view = controller.show_sign_in()
    view.resize(1024, 700)
    controller._on_signed_in(result)
    qtbot.waitUntil(lambda: controller.window is not None)  # the window shows: the check was deferred
    window = controller.window
    assert window is not None
    qtbot.waitUntil(lambda: window.storage_dialog is not None and window.storage_dialog.isVisible())
    box = window.storage_dialog
    assert box is not None
    text = box.text()
    assert "\n" not in text and str(cache) in text and "left untouched" in text
    assert window.storage_damaged is not None and not window.sync_timer.isActive()
    assert any(m.text == text for m in messages.messages)  # the banner says it too
    assert not messages.bugs
    assert window.grab().save(str(tmp_path / "damaged-after-start.png"))  # renders (looked at by hand)
    assert box.grab().save(str(tmp_path / "damaged-after-start-dialog.png"))
    assert cache.read_bytes() == before  # no site record, no synced row: nothing was written
