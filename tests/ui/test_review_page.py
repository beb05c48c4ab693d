"""The Review page against the demo community over loopback: Refresh reads the queue, the list
shows the post, reasons, reporters and scores, the buttons are the actions the community offered,
and a click queues the action in the outbox and pushes it once (the one push policy)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from modconsole.paths import Paths
from tests.core.outbox_support import demo_rows
from tests.helpers.messagemock import MessageRecorder
from ui import theme
from ui.mainwindow import MainWindow
from ui.review.page import ReviewPage
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager

SHOTS = os.environ.get("MODCONSOLE_SHOTS")  # a folder: save the page at 1024×700, light and dark


@pytest.fixture
def window(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced_session: Session,
) -> Iterator[MainWindow]:
    w = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show()
    yield w
    w.close()


def _buttons(page: ReviewPage) -> list[QPushButton]:
    return list(page.action_buttons)


def test_review_page_lists_and_performs_through_the_outbox(
    qtbot: QtBot, window: MainWindow, demo_server: Any, qapp: QApplication
) -> None:
    names = list(window.pages)
    page = window.show_page("Review")
    assert isinstance(page, ReviewPage)
    assert "Ctrl+" in window.findChild(object, "action:go.Review").shortcut().toString()  # type: ignore[union-attr]
    assert not page.entries() and page.empty_label.isVisibleTo(page)  # nothing read yet
    page.refresh_button.click()
    qtbot.waitUntil(lambda: len(page.entries()) == 5)
    assert page.count_label.text() == "5 items waiting"
    first = page.entries()[0]
    assert page.detail_title.text().startswith(("Flagged post in", "Post awaiting approval in"))
    flagged = next(e for e in page.entries() if e.item.type == "ReviewableFlaggedPost")
    page.table.selectRow(page.entries().index(flagged))
    qtbot.waitUntil(lambda: page._selected == flagged.item.id)
    labels = [b.text() for b in _buttons(page)]
    assert labels == [a.label for a in flagged.item.actions] and "Hide Post" in labels
    assert all(b.accessibleName() for b in _buttons(page))
    reporter = flagged.item.reasons[0].username
    assert f"reported by @{reporter}" in page.reasons_label.text()
    assert page.post.toPlainText().strip()
    _shoot(page, window, qapp, "review")

    hide = next(b for b in _buttons(page) if b.text() == "Hide Post")
    hide.click()
    qtbot.waitUntil(
        lambda: (
            demo_rows(demo_server, "SELECT status FROM reviewables WHERE id = ?", flagged.item.id) == [(1,)]
        )
    )
    assert demo_rows(demo_server, "SELECT hidden FROM posts WHERE id = ?", flagged.item.post_id) == [(1,)]
    assert demo_server.request_count("PUT", "/review/*/perform/*") == 1
    qtbot.waitUntil(lambda: flagged.item.id not in [e.item.id for e in page.entries()])
    assert len(page.entries()) == 4 and first is not None
    # the filters narrow the cached list
    page.type_filter.setCurrentIndex(2)  # queued posts
    qtbot.waitUntil(lambda: len(page.entries()) == 1)
    assert [b.text() for b in _buttons(page)] == ["Approve Post", "Reject Post"]
    assert names[-1] == "Review"


def _shoot(page: ReviewPage, window: MainWindow, qapp: QApplication, name: str) -> None:
    if not SHOTS:
        return
    manager = theme.install(qapp)
    try:
        for mode in ("light", "dark"):
            manager.set_preference(mode)
            qapp.processEvents()
            window.grab().save(str(Path(SHOTS) / f"{name}-{mode}.png"))
    finally:
        theme.uninstall()


def test_claim_button_where_the_site_uses_claiming(
    qtbot: QtBot, window: MainWindow, demo_server: Any, qapp: QApplication
) -> None:
    demo_server.set_setting("reviewable_claiming", "required")
    page = window.show_page("Review")
    assert isinstance(page, ReviewPage)
    page.refresh_button.click()
    qtbot.waitUntil(lambda: len(page.entries()) == 5 and page.claim_button is not None)
    item = next(e.item for e in page.entries() if e.item.id == page._selected)
    assert page.claim_button is not None and page.claim_button.text() == "Claim"
    assert page.claim_button.accessibleName()
    page.claim_button.click()
    qtbot.waitUntil(
        lambda: (
            demo_rows(
                demo_server,
                "SELECT COUNT(*) FROM reviewable_claimed_topics WHERE topic_id = ?",
                item.topic_id,
            )
            == [(1,)]
        )
    )
    qtbot.waitUntil(lambda: page.claim_button is not None and page.claim_button.text() == "Release claim")
    _shoot(page, window, qapp, "review-claimed")


def test_the_review_page_in_german(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced_session: Session,
    demo_server: Any,
    qapp: QApplication,
) -> None:
    """With items, reasons and the claim row: the page's own words are German; the community's
    action labels and reasons stay as the community names them."""
    from ui import i18n

    demo_server.set_setting("reviewable_claiming", "required")
    i18n.install("de")
    try:
        w = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
        qtbot.addWidget(w)
        w.resize(1024, 700)
        w.show()
        page = w.show_page("Review")
        assert isinstance(page, ReviewPage)
        assert w.nav.currentItem().text() == "Prüfung"  # type: ignore[union-attr]
        page.refresh_button.click()
        qtbot.waitUntil(lambda: len(page.entries()) == 5 and page.claim_button is not None)
        assert page.count_label.text() == "5 Einträge warten"
        assert page.refresh_button.text() == "Aktualisieren"
        assert page.claim_button is not None and page.claim_button.text() == "Beanspruchen"
        flagged = next(e for e in page.entries() if e.item.type == "ReviewableFlaggedPost")
        page.table.selectRow(page.entries().index(flagged))
        qtbot.waitUntil(lambda: page._selected == flagged.item.id)
        assert page.detail_title.text().startswith("Gemeldeter Beitrag in „")
        assert f"gemeldet von @{flagged.item.reasons[0].username}" in page.reasons_label.text()
        assert "Punktzahl" in page.detail_meta.text()
        headers = [str(page.model.headerData(c, Qt.Orientation.Horizontal)) for c in range(6)]
        assert headers == ["Punkte", "Art", "Gründe", "Thema", "Verfasser", "Eingereiht"]
        if SHOTS:
            qtbot.wait(100)
            w.grab().save(str(Path(SHOTS) / "review-de.png"))
        w.close()
    finally:
        i18n.install("en")
