"""The Dashboard inside the main window on a laptop screen: the page scrolls down, never sideways.

At 1024×700 the tiles once kept a fourth column wider than the viewport (a horizontal scrollbar,
the last column's change read-out and the toolbar's last button cut at the right edge).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole.analytics import kpi
from modconsole.paths import Paths
from modconsole.tasks import CancelToken
from tests.helpers.console import demo_session, vanilla_session
from tests.helpers.waits import WAIT_MS
from ui import theme
from ui.dashboard import DashboardPage
from ui.dashboard.tiles import KpiTile
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import TaskManager

pytestmark = pytest.mark.integration


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    """The app's style sheet in force, as in the app (it sets the tiles' frames and fonts)."""
    manager = theme.install(qapp)
    manager.set_preference("light")
    yield
    theme.uninstall()


@pytest.fixture(params=["discourse", "vanilla"])
def session(request: pytest.FixtureRequest) -> Iterator[Session]:
    """The moderator's session on either demo community, after a first sync."""
    if request.param == "discourse":
        server: Any = request.getfixturevalue("demo_server")
        s = demo_session(server)
    else:
        server = request.getfixturevalue("vanilla_demo_server")
        s = vanilla_session(server)
    try:
        assert s.sync_once(CancelToken()).changes.topics
        yield s
    finally:
        s.close()


def _dashboard(qtbot: QtBot, session: Session, size: QSize) -> tuple[MainWindow, DashboardPage]:
    session.appearance = "light"  # the window applies the session's appearance, as the app does
    window = MainWindow(session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(window)
    window.show()
    window.start(sync_now=False)
    window.resize(size)  # after start(): it fits the window to the (small) offscreen screen
    page = window.show_page("Dashboard")  # made when first shown, as from the navigation
    assert isinstance(page, DashboardPage)
    # the figures come from the io thread; the charts are built one per turn of the event loop
    qtbot.waitUntil(lambda: len(page.charts) == 4 and page.refresh_count > 0, timeout=WAIT_MS)
    for _ in range(3):  # the layouts, the refit they ask for, and the scrollbars' ranges
        QApplication.processEvents()
    return window, page


def _assert_fits(page: DashboardPage) -> None:
    scroll = page._scroll
    viewport = scroll.viewport()
    content = scroll.widget()
    assert scroll.horizontalScrollBar().maximum() == 0, (
        f"content {content.width()} px (at least {content.minimumSizeHint().width()}) "
        f"in a {viewport.width()} px viewport, {page._tile_columns} tile columns"
    )
    shown = viewport.rect()
    for kid, tile in page.tiles.items():
        where = QRect(tile.mapTo(viewport, QPoint(0, 0)), tile.size())
        assert shown.left() <= where.left() and where.right() <= shown.right(), (kid, where, shown)
        # the change read-out is drawn whole, inside its tile
        change = tile.change
        if change.text():
            need = change.fontMetrics().horizontalAdvance(change.text()) if not change.wordWrap() else 0
            assert change.width() >= need, (kid, change.text(), change.width(), need)
            box = QRect(change.mapTo(tile, QPoint(0, 0)), change.size())
            assert tile.rect().contains(box), (kid, box, tile.rect())


@pytest.mark.parametrize("width", [1024, 800])
def test_the_dashboard_scrolls_down_never_sideways_on_a_laptop(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    styled: None,
    session: Session,
    width: int,
) -> None:
    _window, page = _dashboard(qtbot, session, QSize(width, 700))
    assert page._tile_columns < 5
    _assert_fits(page)


def test_a_full_hd_window_keeps_five_tiles_a_row(
    qtbot: QtBot, task_manager: TaskManager, app_signals: AppSignals, styled: None, session: Session
) -> None:
    _window, page = _dashboard(qtbot, session, QSize(1920, 1080))
    assert page._tile_columns == 5
    _assert_fits(page)


def test_a_tile_reports_the_width_of_its_new_read_out_at_once(
    qtbot: QtBot, styled: None, qapp: QApplication
) -> None:
    """The page fits its columns right after new figures (``_apply``), before Qt lays anything out:
    a tile's minimum width must count the texts it was just given."""
    tile = KpiTile(kpi("likes"))
    qtbot.addWidget(tile)
    tile.show()
    qapp.processEvents()  # laid out with no figures: "—" and no change
    narrow = tile.minimumSizeHint().width()
    tile.set_values(15942.0, 31.8, [0.0, 1.0], [486.0, 15942.0], previous=486.0)
    assert tile.change.text() == "▲ 32.8× (from 486)"
    wide = tile.minimumSizeHint().width()
    row = tile.value.minimumSizeHint().width() + tile.change.minimumSizeHint().width()
    assert wide > narrow and wide >= row, (narrow, wide, row)
    qapp.processEvents()  # what the layout enforces once Qt activates it
    assert tile.minimumSizeHint().width() == wide
