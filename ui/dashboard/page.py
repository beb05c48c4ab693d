"""The Dashboard page: KPI tiles, live charts, breakdowns, exports and drill-down.

pyqtgraph is imported the first time the page is shown (PERFORMANCE.md: ~0.5 s of start-up),
from :mod:`ui.dashboard.charts`. Figures are computed on the ``io`` executor (:class:`QueryOp`);
the page refreshes when a sync or a local action changes what it shows
(``AppSignals.changes_applied`` through a :class:`ChangeWatcher`), updating the existing plot items
with ``setData``. Closed months are frozen (``kpi_snapshots``) after the first load; figures of
frozen months that a recomputation now gives differently are listed in a banner.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from modconsole import clock
from modconsole.analytics import (
    GROUPS,
    DrillFilter,
    Granularity,
    Period,
    kpi,
    last_months,
)
from modconsole.analytics.dashboard import DashboardData, load_dashboard
from modconsole.analytics.export import monthly_report
from modconsole.analytics.imports import CsvFormatError, ImportResult, import_customer_accounts, import_survey
from modconsole.analytics.periods import add_months, month_key, month_period
from modconsole.analytics.settings import load_settings
from modconsole.analytics.snapshots import freeze_closed_months, refreeze
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.connectors.base import Capabilities
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.tasks import CancelToken, ProgressCallback
from ui import messages
from ui.dashboard.settings_dialog import AnalyticsSettingsDialog
from ui.dashboard.tiles import KpiTile
from ui.i18n import core_text, fmt_number, period_text, value_text
from ui.ops import ChangeWatcher, MutationOp, QueryOp
from ui.signals import AppSignals

if TYPE_CHECKING:
    from ui.dashboard.charts import ChartPanel

__all__ = ["PERIODS", "DashboardPage", "dashboard_page"]

WATCHED = ("topics", "posts", "users", "categories", "groups", "reports", "settings", "kpis")

TILE_ORDER: dict[str, tuple[str, ...]] = {
    "growth": ("members_total", "signups", "new_topics", "new_replies", "attach_rate"),
    "engagement": ("active_contributors", "active_contributors_pct", "posts_per_active", "likes"),
    "support": (
        "questions_asked",
        "answer_rate",
        "solution_rate",
        "ttfr_median",
        "unanswered_backlog",
        "sla_attainment",
        "p2p_first_response",
        "p2p_accepted",
        "tts_median",
    ),
    "impact": ("deflected_tickets", "deflection_savings", "csat", "effort"),
    "server": ("daily_engaged_users", "dau_by_mau", "visits"),
}
COLUMNS = 5
TILE_MIN_WIDTH = 190  # a KPI tile's title, value and change side by side
EMPTY_HINTS = {
    "attach_rate": QT_TRANSLATE_NOOP("DashboardPage", "import customer accounts (CSV)"),
    "csat": QT_TRANSLATE_NOOP("DashboardPage", "import a survey (CSV)"),
    "effort": QT_TRANSLATE_NOOP("DashboardPage", "import a survey (CSV)"),
    "daily_engaged_users": QT_TRANSLATE_NOOP("DashboardPage", "needs a staff key"),
    "dau_by_mau": QT_TRANSLATE_NOOP("DashboardPage", "needs a staff key"),
    "visits": QT_TRANSLATE_NOOP("DashboardPage", "needs a staff key"),
    "likes": QT_TRANSLATE_NOOP("DashboardPage", "needs a staff key"),
}
ACTIVITY_REPORT_TILES = ("daily_engaged_users", "dau_by_mau", "visits")
"""Tiles read from the server's activity reports (``Capabilities.activity_reports``)."""
NOT_OFFERED = QT_TRANSLATE_NOOP("DashboardPage", "not offered by this platform")
"""A tile whose figure the site's platform does not report (``Capabilities``)."""


def _months_so_far(n: int) -> Callable[[date], Period]:
    """The last ``n`` months, the running one included up to today (marked "so far")."""
    return lambda t: last_months(n, t)


PERIODS: tuple[tuple[str, Callable[[date], Period]], ...] = (
    (QT_TRANSLATE_NOOP("DashboardPage", "Last 3 months"), _months_so_far(3)),
    (QT_TRANSLATE_NOOP("DashboardPage", "Last 6 months"), _months_so_far(6)),
    (QT_TRANSLATE_NOOP("DashboardPage", "Last 12 months"), _months_so_far(12)),
    (QT_TRANSLATE_NOOP("DashboardPage", "Last 24 months"), _months_so_far(24)),
    (QT_TRANSLATE_NOOP("DashboardPage", "This month so far"), lambda t: last_months(1, t)),
    (
        QT_TRANSLATE_NOOP("DashboardPage", "Last 30 days"),
        lambda t: Period(t - timedelta(days=29), t + timedelta(days=1)),
    ),
    (
        QT_TRANSLATE_NOOP("DashboardPage", "Last 90 days"),
        lambda t: Period(t - timedelta(days=89), t + timedelta(days=1)),
    ),
)
GRANULARITIES: tuple[tuple[str, Granularity], ...] = (
    (QT_TRANSLATE_NOOP("DashboardPage", "Month"), "month"),
    (QT_TRANSLATE_NOOP("DashboardPage", "Week"), "week"),
    (QT_TRANSLATE_NOOP("DashboardPage", "Day"), "day"),
)


class DashboardPage(QWidget):
    """``DashboardPage(cache)``; ``drill_requested(DrillFilter)`` asks the main window to open a list."""

    drill_requested = Signal(object)
    refreshed = Signal()  # each time new figures were applied (tests, status)

    def __init__(
        self,
        cache: Cache,
        *,
        now: Callable[[], datetime] | None = None,
        signals: AppSignals | None = None,
        capabilities: Capabilities | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.cache = cache
        self.empty_hints = dict(EMPTY_HINTS)
        """Each tile's text without a figure; a figure the platform does not report says so."""
        if capabilities is not None and not capabilities.likes_report:
            self.empty_hints["likes"] = NOT_OFFERED
        if capabilities is not None and not capabilities.activity_reports:
            for key in ACTIVITY_REPORT_TILES:
                self.empty_hints[key] = NOT_OFFERED
        self._now = now or (lambda: clock.now())
        self._data: DashboardData | None = None
        self._running = False
        self._again = False
        self._frozen_through: str | None = None  # the month "now" was in at the last freeze
        self.refresh_count = 0
        self.last_import: ImportResult | None = None
        self.charts: dict[str, ChartPanel] = {}
        self._charts_started = False  # first shown: the charts are being made
        self._charts_ready = False
        self._held: DashboardData | None = None  # figures that arrived before the charts

        # -- toolbar
        self.period_box = QComboBox()
        self.period_box.setAccessibleName(self.tr("Period"))
        for label, _fn in PERIODS:
            self.period_box.addItem(self.tr(label))
        self.period_box.setCurrentIndex(2)
        self.granularity_box = QComboBox()
        self.granularity_box.setAccessibleName(self.tr("Group by"))
        for label, _g in GRANULARITIES:
            self.granularity_box.addItem(self.tr(label))
        self.period_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.granularity_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period_label = QLabel("")
        self.period_label.setProperty("role", "muted")
        self.period_label.setWordWrap(True)  # "01 Nov 2025 – … · compared with …" wraps on a laptop
        self.report_button = QToolButton()
        self.report_button.setText(self.tr("Monthly report"))
        self.report_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.report_button)
        menu.addAction(self.tr("Save as Markdown…"), lambda: self._ask_report("md"))
        menu.addAction(self.tr("Save as CSV…"), lambda: self._ask_report("csv"))
        self.report_button.setMenu(menu)
        self.import_button = QToolButton()
        self.import_button.setText(self.tr("Import"))
        self.import_button.setToolTip(
            self.tr("Customer accounts (for the attach rate) and survey scores (CSAT, effort)")
        )
        self.import_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        imenu = QMenu(self.import_button)
        imenu.addAction(
            self.tr("Customer accounts (CSV: name,domains)…"), lambda: self._ask_import("accounts")
        )
        imenu.addAction(self.tr("Survey scores (CSV: date,csat,effort)…"), lambda: self._ask_import("survey"))
        self.import_button.setMenu(imenu)
        self.settings_button = QToolButton()
        self.settings_button.setText(self.tr("Settings…"))
        self.settings_button.setToolTip(
            self.tr("Who counts as an employee, and the ticket-deflection assumptions")
        )
        self.settings_button.clicked.connect(self.open_settings)
        # the period controls and the buttons: side by side, or the buttons on a line of their own
        # when the page is too narrow for both (see _fit_tiles)
        self._bar_left = QWidget()
        left = QHBoxLayout(self._bar_left)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(QLabel(self.tr("Period")))
        left.addWidget(self.period_box)
        left.addWidget(QLabel(self.tr("by")))
        left.addWidget(self.granularity_box)
        left.addStretch(1)
        self._bar_right = QWidget()
        right = QHBoxLayout(self._bar_right)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.settings_button)
        right.addWidget(self.import_button)
        right.addWidget(self.report_button)
        self._bar = QGridLayout()
        self._bar.setContentsMargins(0, 0, 0, 0)
        self._bar.setColumnStretch(0, 1)
        self._bar.addWidget(self._bar_left, 0, 0)
        self._bar.addWidget(self._bar_right, 0, 1)
        self._bar_wrapped = False

        # -- a first sync is running: which months are complete (figures before are "so far")
        self.sync_note = QLabel("")
        self.sync_note.setObjectName("syncCoverageNote")
        self.sync_note.setProperty("role", "warning")
        self.sync_note.setWordWrap(True)
        self.sync_note.setVisible(False)

        # -- snapshot banner
        self.banner = QFrame()
        self.banner.setObjectName("snapshotBanner")
        self.banner_text = QLabel("")
        self.banner_text.setWordWrap(True)
        self.accept_button = QPushButton(self.tr("Accept recomputed values"))
        self.accept_button.clicked.connect(self._accept_recomputed)
        bl = QHBoxLayout(self.banner)
        bl.addWidget(self.banner_text, 1)
        bl.addWidget(self.accept_button)
        self.banner.setVisible(False)

        # -- tiles (up to COLUMNS a row; fewer when the page is narrow, see _reflow_tiles)
        self.tiles: dict[str, KpiTile] = {}
        tiles_box = QWidget()
        self.tiles_grid = QGridLayout(tiles_box)
        self.tiles_grid.setContentsMargins(0, 0, 0, 0)
        self.tiles_grid.setHorizontalSpacing(8)
        self.tiles_grid.setVerticalSpacing(6)
        self._tile_heads: dict[str, QLabel] = {}
        for group, ids in TILE_ORDER.items():
            head = QLabel(core_text(GROUPS[group]))
            head.setStyleSheet("font-weight: 600; padding-top: 6px;")
            self._tile_heads[group] = head
            for kid in ids:
                self.tiles[kid] = KpiTile(kpi(kid))
        self._tile_columns = 0
        self._reflow_tiles(COLUMNS)
        # a child timer: it dies with the page, so a refit never runs on a deleted page
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_tiles)

        # -- charts (filled on first show)
        self.charts_box = QWidget()
        self.charts_grid = QGridLayout(self.charts_box)
        self.charts_grid.setContentsMargins(0, 0, 0, 0)
        self.charts_grid.setSpacing(8)
        self._chart_columns = 2  # one on a narrow page (see _fit_tiles)
        self.loading = QLabel(self.tr("Loading charts…"))
        self.loading.setProperty("role", "muted")
        self.charts_grid.addWidget(self.loading, 0, 0)

        # -- breakdown
        self.breakdown_box = QComboBox()
        self.breakdown_box.setAccessibleName(self.tr("Breakdown by"))
        self.breakdown_box.addItems([self.tr("By category"), self.tr("By company")])
        self.breakdown_box.currentIndexChanged.connect(lambda _i: self._show_breakdown())
        self.table = QTableWidget(0, 7)
        self.table.setAccessibleName(self.tr("Breakdown"))
        self.table.setAccessibleDescription(
            self.tr("Figures by category or by company; double-click a row to open its questions")
        )
        self.table.setHorizontalHeaderLabels(
            [
                "",
                self.tr("Questions"),
                self.tr("Answer rate"),
                self.tr("Solution rate"),
                self.tr("Median first response"),
                self.tr("New topics"),
                self.tr("Contributors"),
            ]
        )
        contributors = self.table.horizontalHeaderItem(6)
        if contributors is not None:
            contributors.setToolTip(
                self.tr(
                    "Distinct members who posted there in the period (by category: periods up to 3 months)."
                )
            )
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 7):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(c, 150)
        self.table.setMinimumHeight(200)
        self.table.cellDoubleClicked.connect(self._on_row_activated)
        bhead = QHBoxLayout()
        title = QLabel(self.tr("Breakdown"))
        title.setStyleSheet("font-weight: 600;")
        bhead.addWidget(title)
        bhead.addWidget(self.breakdown_box)
        hint = QLabel(self.tr("Double-click a row, or click a chart, to open those questions."))
        hint.setProperty("role", "muted")
        hint.setStyleSheet("font-size: 11px;")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bhead.addWidget(hint, 1)

        self.footer = QLabel("")
        self.footer.setProperty("role", "muted")
        self.footer.setStyleSheet("font-size: 11px;")
        self.footer.setWordWrap(True)

        content = QWidget()
        content.setObjectName("dashboardContent")
        lay = QVBoxLayout(content)
        lay.setContentsMargins(14, 10, 14, 12)
        lay.setSpacing(8)
        lay.addLayout(self._bar)
        # the period read-out has its own line: beside the controls it squeezed them off a laptop screen
        lay.addWidget(self.period_label)
        lay.addWidget(self.sync_note)
        lay.addWidget(self.banner)
        lay.addWidget(tiles_box)
        lay.addSpacing(4)
        lay.addWidget(self.charts_box)
        lay.addLayout(bhead)
        lay.addWidget(self.table)
        lay.addWidget(self.footer)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self._scroll = scroll
        # a tile, chart or button whose minimum width grew (a new figure, a polished font) asks its
        # layout again: the page refits then, not only on a resize
        self._content = content
        content.installEventFilter(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.watcher = ChangeWatcher(self, kinds=WATCHED, refresh=self._on_changes, signals=signals)

    # ------------------------------------------------------------ state

    @property
    def data(self) -> DashboardData | None:
        return self._data

    def period(self) -> Period:
        return PERIODS[self.period_box.currentIndex()][1](self._now().date())

    def granularity(self) -> Granularity:
        return GRANULARITIES[self.granularity_box.currentIndex()][1]

    def set_period(self, label: str, granularity: Granularity = "month") -> None:
        names = [p[0] for p in PERIODS]
        self.period_box.blockSignals(True)
        self.granularity_box.blockSignals(True)
        self.period_box.setCurrentIndex(names.index(label))
        self.granularity_box.setCurrentIndex([g for _l, g in GRANULARITIES].index(granularity))
        self.period_box.blockSignals(False)
        self.granularity_box.blockSignals(False)
        self.refresh()

    # ------------------------------------------------------------ lifecycle

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_tiles()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and watched is self._content:
            self._refit.start()
        return super().eventFilter(watched, event)

    def _fit_tiles(self) -> None:
        """As many tiles to a row as fit side by side at the width their contents need (a long
        change read-out such as "29.4× (from 550)" widens a tile), between one and five; the charts
        two a row or one, the toolbar's buttons beside the period or under it.

        The width is the viewport's less a vertical scrollbar, shown or not: the page nearly always
        scrolls down, and a fit made before the scrollbar appeared was 15 px too wide."""
        content = self._scroll.widget()
        margins = content.layout().contentsMargins()
        bar = self._scroll.verticalScrollBar()
        width = self._scroll.viewport().width()
        if not bar.isVisible():
            width -= bar.sizeHint().width()
        avail = width - margins.left() - margins.right()
        for tile in self.tiles.values():
            tile.ensurePolished()  # the styled fonts count in its minimum width
        need = max([TILE_MIN_WIDTH, *(t.minimumSizeHint().width() for t in self.tiles.values())])
        gap = self.tiles_grid.horizontalSpacing()
        self._reflow_tiles(max(1, min(COLUMNS, (avail + gap) // (need + gap))))
        if self.charts:
            chart_need = max(p.minimumSizeHint().width() for p in self.charts.values())
            self._reflow_charts(2 if 2 * chart_need + self.charts_grid.horizontalSpacing() <= avail else 1)
        both = (
            self._bar_left.minimumSizeHint().width()
            + self._bar_right.minimumSizeHint().width()
            + max(0, self._bar.horizontalSpacing())
        )
        self._wrap_bar(both > avail)

    def _reflow_charts(self, columns: int) -> None:
        if columns == self._chart_columns:
            return
        self._chart_columns = columns
        panels = list(self.charts.values())
        for panel in panels:
            self.charts_grid.removeWidget(panel)
        for c in range(2):
            self.charts_grid.setColumnStretch(c, 1 if c < columns else 0)
        for i, panel in enumerate(panels):
            self.charts_grid.addWidget(panel, i // columns, i % columns)

    def _wrap_bar(self, wrapped: bool) -> None:
        if wrapped == self._bar_wrapped:
            return
        self._bar_wrapped = wrapped
        self._bar.removeWidget(self._bar_right)
        if wrapped:
            self._bar.addWidget(self._bar_right, 1, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            self._bar.addWidget(self._bar_right, 0, 1)

    def _reflow_tiles(self, columns: int) -> None:
        """Lay the KPI tiles out ``columns`` to a row: five on a wide screen, fewer on a laptop,
        so the page scrolls down, never sideways."""
        if columns == self._tile_columns:
            return
        grid = self.tiles_grid
        for widget in (*self._tile_heads.values(), *self.tiles.values()):
            grid.removeWidget(widget)
        for c in range(max(columns, self._tile_columns)):
            grid.setColumnStretch(c, 1 if c < columns else 0)
        self._tile_columns = columns
        row = 0
        for group, ids in TILE_ORDER.items():
            grid.addWidget(self._tile_heads[group], row, 0, 1, columns)
            row += 1
            for i, kid in enumerate(ids):
                grid.addWidget(self.tiles[kid], row + i // columns, i % columns)
            row += (len(ids) + columns - 1) // columns

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._charts_started:
            self._charts_started = True
            self._load_charts()
            self.refresh()

    def _load_charts(self) -> None:
        """pyqtgraph and numpy take 0.5–0.9 s to import: that happens on the ``io`` runner, and then
        one chart is built per turn of the event loop, so opening the page never freezes the window
        (the stall heartbeat of bench_console.py). Figures that arrive first wait for the charts."""

        def op(_token: CancelToken) -> bool:
            importlib.import_module("ui.dashboard.charts")
            return True

        QueryOp(self, op=op, success=lambda _ok: self._build_next_chart()).failure(
            self._failed
        ).run_in_background()

    def _build_next_chart(self) -> None:
        from ui.dashboard.charts import CHARTS, ChartPanel  # imported by _load_charts

        i = len(self.charts)
        spec = CHARTS[i]
        panel = ChartPanel(spec)
        panel.bucket_clicked.connect(self._on_bucket_clicked)
        panel.export_png_requested.connect(self._ask_png)
        panel.export_csv_requested.connect(self._ask_csv)
        if i == 0:
            self.loading.setParent(None)
        self.charts[spec.id] = panel
        self.charts_grid.addWidget(panel, i // self._chart_columns, i % self._chart_columns)
        if self._data is not None:
            panel.set_result(self._data.result)
        if len(self.charts) < len(CHARTS):
            QTimer.singleShot(0, self, self._build_next_chart)
            return
        self._charts_ready = True
        held, self._held = self._held, None
        if held is not None:
            self._apply(held)

    def _on_changes(self, _changes: Changes) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute off the GUI thread; a request while one runs is run once it lands."""
        if self._running:
            self._again = True
            return
        self._running = True
        self._again = False
        period, gran, now, cache = self.period(), self.granularity(), self._now(), self.cache

        def op(_token: CancelToken) -> DashboardData:
            with cache.read() as conn:
                return load_dashboard(conn, period, gran, now=now)

        QueryOp(self, op=op, success=self._apply).failure(self._failed).run_in_background()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        from ui.messages import present_failure

        present_failure(exc, parent=self)

    def _apply(self, data: DashboardData) -> None:
        if self._charts_started and not self._charts_ready:
            self._held = data  # shown with the charts, once they are built (still "running")
            return
        self._running = False
        self._data = data
        r = data.result
        so_far = self.tr("  (so far: the last bar is still running)") if r.partial else ""
        self.period_label.setText(
            self.tr("{period}{so_far}  ·  compared with {previous}").format(
                period=period_text(r.period), so_far=so_far, previous=period_text(r.period.previous())
            )
        )
        self._show_sync_note(data)
        for kid, tile in self.tiles.items():
            xs, ys = r.points(kid)
            tile.set_values(
                r.totals.get(kid),
                r.change(kid),
                xs,
                ys,
                previous=r.previous.get(kid),
                currency=data.currency,
                empty_hint=self.tr(self.empty_hints.get(kid, "no data in this period")),
                complete=r.period_complete(kid),
                previous_complete=r.previous_complete(kid),
            )
        self._fit_tiles()
        self._refit.start()  # again once the new texts are polished (styled fonts)
        self._apply_charts(data, list(self.charts.values()))

    def sync_note_text(self, data: DashboardData) -> str:
        """ "Sync in progress: history to <month>" while a first sync runs ("" once it has finished)."""
        cov = data.coverage
        if not cov.syncing:
            return ""
        if cov.history_complete:
            where = self.tr("all history is in; members and server figures follow")
        elif cov.history_month is not None:
            month = period_text(month_period(cov.history_month))
            where = self.tr("history to {month}").format(month=month)
        else:
            where = self.tr("no month complete yet")
        return self.tr(
            "Sync in progress: {where}. Figures marked * and hatched in the charts count only what is "
            "synced so far; they are not final."
        ).format(where=where)

    def _show_sync_note(self, data: DashboardData) -> None:
        text = self.sync_note_text(data)
        self.sync_note.setText(text)
        self.sync_note.setVisible(bool(text))

    def _apply_charts(self, data: DashboardData, panels: list[ChartPanel]) -> None:
        """One chart per turn of the event loop (a chart's update is 10–30 ms on ``large``: four in
        one go stalled the window after every synced page), then the rest of the page."""
        if data is not self._data:
            return  # newer figures arrived meanwhile: they redraw everything
        if panels:
            panels[0].set_result(data.result)
            if len(panels) > 1:
                QTimer.singleShot(0, self, lambda: self._apply_charts(data, panels[1:]))
                return
        self._show_banner()
        self._show_breakdown()
        self.footer.setText(
            self.tr(
                "Employees: {employees}.  Figures marked “server” come from the site's admin reports. "
                "Hover a tile's ? for its definition."
            ).format(employees=core_text(data.employees))
        )
        self.refresh_count += 1
        self.refreshed.emit()
        current = month_key(self._now().date())
        # first load, or a month closed since, or a first sync just finished: freeze (never half-synced)
        if self._frozen_through != current and not data.coverage.syncing:
            self._frozen_through = current
            self._freeze()
        if self._again:
            self.refresh()

    # ------------------------------------------------------------ snapshots

    def _freeze(self) -> None:
        cache, now = self.cache, self._now()

        def op(_token: CancelToken, _progress: ProgressCallback) -> Changes:
            with cache.write() as conn:
                months = freeze_closed_months(conn, load_settings(conn), now)
            return Changes.of("kpis") if months else Changes.none()

        MutationOp(self, op=op).run_in_background(initiator=self)

    def _show_banner(self) -> None:
        diffs = self._data.diffs if self._data else ()
        if not diffs:
            self.banner.setVisible(False)
            return
        months = sorted({d.month for d in diffs})
        self.banner_text.setText(
            self.tr(
                "%n figure(s) of frozen month(s) {months} "
                "differ from a recomputation today (late replies, edits or deletions, or changed settings). "
                "Reports keep the frozen values.",
                "",
                len(diffs),
            ).format(months=", ".join(months))
        )
        self.banner_text.setToolTip("\n".join(d.describe() for d in diffs[:40]))
        self.banner.setVisible(True)

    def _accept_recomputed(self) -> None:
        if not self._data or not self._data.diffs:
            return
        months = sorted({d.month for d in self._data.diffs})
        cache, now = self.cache, self._now()

        def op(_token: CancelToken, _progress: ProgressCallback) -> Changes:
            with cache.write() as conn:
                refreeze(conn, load_settings(conn), months, now)
            return Changes.of("kpis")

        MutationOp(self, op=op, success=lambda _c: self.refresh()).run_in_background(initiator=self)

    # ------------------------------------------------------------ breakdown

    def _show_breakdown(self) -> None:
        if self._data is None:
            return
        rows = self._data.by_category if self.breakdown_box.currentIndex() == 0 else self._data.by_company
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [
                r.name,
                fmt_number(r.questions),
                value_text("answer_rate", r.answer_rate),
                value_text("solution_rate", r.solution_rate),
                value_text("ttfr_median", r.ttfr_median),
                fmt_number(r.new_topics),
                "—" if r.active_contributors is None else fmt_number(r.active_contributors),
            ]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)

    def _on_row_activated(self, row: int, _col: int) -> None:
        if self._data is None:
            return
        by_cat = self.breakdown_box.currentIndex() == 0
        rows = self._data.by_category if by_cat else self._data.by_company
        r = rows[row]
        p = self._data.result.period
        ids = frozenset() if r.key is None else frozenset({r.key})
        self.drill_requested.emit(
            DrillFilter(
                "questions",
                self.tr("Questions in {name}, {period}").format(name=r.name, period=period_text(p)),
                created_from=p.start.isoformat() + "T00:00:00.000Z",
                created_to=p.end.isoformat() + "T00:00:00.000Z",
                category_ids=ids if by_cat else frozenset(),
                company_ids=frozenset() if by_cat else ids,
            )
        )

    # ------------------------------------------------------------ drill-down

    def drill_filter(self, chart_id: str, index: int) -> DrillFilter:
        from ui.dashboard.charts import CHARTS

        assert self._data is not None
        spec = next(s for s in CHARTS if s.id == chart_id)
        b = self._data.result.buckets[index]
        when = period_text(Period(b.start, b.end)) + (self.tr(" (so far)") if b.partial else "")
        if spec.drill == "members":
            return DrillFilter(
                "members",
                self.tr("Members active in {when}").format(when=when),
                created_from=b.start_iso,
                created_to=b.end_iso,
                active_only=True,
            )
        state: Any = spec.drill_state
        label = {
            "unanswered": self.tr("Unanswered questions asked in {when}"),
            "answered": self.tr("Answered questions asked in {when}"),
        }.get(state, self.tr("Questions asked in {when}"))
        return DrillFilter("questions", label.format(when=when), b.start_iso, b.end_iso, state=state)

    def _on_bucket_clicked(self, chart_id: str, index: int) -> None:
        if self._data is not None:
            self.drill_requested.emit(self.drill_filter(chart_id, index))

    # ------------------------------------------------------------ settings

    def open_settings(self) -> AnalyticsSettingsDialog:
        """Open the analytics settings (window-modal); a save refreshes the page via its watcher."""
        dialog = AnalyticsSettingsDialog(self.cache, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ------------------------------------------------------------ imports

    def _ask_import(self, kind: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import CSV"), "", self.tr("CSV (*.csv *.txt)"))
        if path:
            self.import_csv(kind, path)

    def import_csv(self, kind: str, path: str | Path) -> None:
        """Import customer accounts (``kind='accounts'``) or a survey (``'survey'``) in the background."""
        try:
            content = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            messages.error(self.tr("Could not read {name}: {error}").format(name=Path(path).name, error=exc))
            return
        cache, name = self.cache, Path(path).name

        def op(_token: CancelToken, _progress: ProgressCallback) -> tuple[Changes, ImportResult]:
            with cache.write() as conn:
                if kind == "accounts":
                    result = import_customer_accounts(conn, content)
                else:
                    result = import_survey(conn, content, source=name)
            return (Changes.of("settings", "kpis") if result.imported else Changes.none()), result

        def done(result: ImportResult) -> None:
            what = self.tr("Customer accounts") if kind == "accounts" else self.tr("Survey answers")
            text = self.tr("{what} from {name}: {summary}").format(
                what=what, name=name, summary=core_text(result.summary())
            )
            (messages.info if result.ok else messages.warning)(text)
            self.last_import = result
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, CsvFormatError):
                messages.error(f"{name}: {core_text(exc.user_message)}")
            else:
                messages.present_failure(exc, parent=self)

        MutationOp(self, op=op, success=done).failure(failed).run_in_background(initiator=self)

    # ------------------------------------------------------------ exports

    def _save_path(self, title: str, name: str, filt: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, filt)
        return path or None

    def export_name(self, chart_id: str, ext: str) -> str:
        """``questions_2025-12-01_2026-11-01.csv``: the file name says the period it covers."""
        if self._data is None:
            return f"{chart_id}.{ext}"
        p = self._data.result.period
        return f"{chart_id}_{p.start.isoformat()}_{(p.end - timedelta(days=1)).isoformat()}.{ext}"

    def _ask_png(self, chart_id: str) -> None:
        path = self._save_path(
            self.tr("Save chart"), self.export_name(chart_id, "png"), self.tr("PNG image (*.png)")
        )
        if path:
            self.export_chart_png(chart_id, path)

    def _ask_csv(self, chart_id: str) -> None:
        path = self._save_path(
            self.tr("Save chart data"), self.export_name(chart_id, "csv"), self.tr("CSV (*.csv)")
        )
        if path:
            self.export_chart_csv(chart_id, path)

    def export_chart_png(self, chart_id: str, path: str | Path) -> bool:
        return self.charts[chart_id].save_png(path)

    def export_chart_csv(self, chart_id: str, path: str | Path) -> None:
        Path(path).write_text(self.charts[chart_id].csv_text(), encoding="utf-8")

    def report_month(self) -> str:
        """The month the report button exports: the last closed month."""
        today = self._now().date()
        return month_key(add_months(date(today.year, today.month, 1), -1))

    def _ask_report(self, fmt: str) -> None:
        month = self.report_month()
        path = self._save_path(
            self.tr("Save monthly report"),
            f"community-report-{month}.{fmt}",
            self.tr("Markdown (*.md)") if fmt == "md" else self.tr("CSV (*.csv)"),
        )
        if path:
            self.export_monthly_report(path, fmt, month)

    def export_monthly_report(self, path: str | Path, fmt: str, month: str | None = None) -> None:
        month = month or self.report_month()
        with self.cache.read() as conn:
            report = monthly_report(conn, load_settings(conn), month, now=self._now())
        Path(path).write_text(report.to_markdown() if fmt == "md" else report.to_csv(), encoding="utf-8")


def dashboard_page(session: Any) -> DashboardPage:
    """Page factory for the main window's registry: ``PAGES["Dashboard"] = dashboard_page``."""
    return DashboardPage(session.cache, capabilities=session.capabilities)
