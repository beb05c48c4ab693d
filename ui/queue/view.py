"""The queue page: saved views with counts, filters and search, the question table.

The keys (``j``/``k``, Enter, ``o``, ``/`` …) are bound by the page that shows this view, from the
one registry in :mod:`ui.actions`; this view offers the slots (:meth:`move_selection`,
:meth:`open_current`, :meth:`open_current_in_browser`, :meth:`focus_search`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    Property,
    QByteArray,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from modconsole.changes import Changes
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.sla import SlaLevel, SlaSettings
from modconsole.services.triage import (
    MINE_VIEW,
    OPEN_STATES,
    Cursor,
    FilterOption,
    QueueFilter,
    QueuePage,
    QueueState,
    SavedView,
    TriageQuery,
    default_views,
)
from modconsole.tasks import CancelToken
from ui.i18n import core_text, day_text, fmt_number
from ui.ops import ChangeWatcher, QueryOp
from ui.queue.highlight import MatchDelegate
from ui.queue.model import COLUMN_WIDTHS, TOPIC_ID_ROLE, QueueModel
from ui.rowmodel import Place, remember_place, restore_place

if TYPE_CHECKING:
    from modconsole.analytics.filters import DrillFilter

__all__ = ["QueueBackend", "QueuePage", "QueueTable", "QueueView"]

ROW_HEIGHT = 26
_FIRST_ROW = -1
_RESTORE = "restore"
QUESTION_COLUMN = 2


class QueueTable(QTableView):
    """The question table; ``matchColor`` (set by the stylesheet) marks search matches."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._match_color = QColor()

    def _get_match_color(self) -> QColor:
        return self._match_color

    def _set_match_color(self, colour: QColor) -> None:
        self._match_color = QColor(colour)
        self.viewport().update()

    matchColor = Property(QColor, _get_match_color, _set_match_color)


class EmptyState(QWidget):
    """Over the table's empty viewport: what matched nothing, and a way back to every question."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.setObjectName("queueEmpty")
        self.label = QLabel("")
        self.label.setObjectName("queueEmptyText")
        self.label.setProperty("role", "muted")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_button = QPushButton(self.tr("Show all open questions"))
        self.clear_button.setObjectName("queueEmptyClear")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        viewport.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


class QueueBackend(Protocol):
    """What the queue needs from the app (bound to the open cache)."""

    def queue_page(self, query: TriageQuery, cursor: Cursor | None, limit: int) -> QueuePage: ...

    def queue_count(self, query: TriageQuery) -> int: ...

    def pending_labels(self, topic_ids: list[int]) -> Mapping[int, str]: ...

    def filter_options(self) -> tuple[list[FilterOption], list[FilterOption]]: ...


_STATE_CHOICES: tuple[tuple[str, frozenset[QueueState]], ...] = (
    (QT_TRANSLATE_NOOP("QueueView", "Open (unsolved)"), OPEN_STATES),
    *((s.label, frozenset({s})) for s in QueueState),  # the core's labels (context "core")
    (
        QT_TRANSLATE_NOOP("QueueView", "No answer from others"),
        frozenset({QueueState.NO_REPLY, QueueState.ASKER_ONLY}),
    ),
    (
        QT_TRANSLATE_NOOP("QueueView", "Answered"),
        frozenset({QueueState.AWAITING, QueueState.REPLIED, QueueState.SOLVED}),
    ),
    (QT_TRANSLATE_NOOP("QueueView", "Any state"), frozenset(QueueState)),
)
_SLA_CHOICES: tuple[tuple[str, frozenset[SlaLevel]], ...] = (
    (QT_TRANSLATE_NOOP("QueueView", "Any SLA"), frozenset()),
    (QT_TRANSLATE_NOOP("QueueView", "Overdue"), frozenset({SlaLevel.OVERDUE})),
    (QT_TRANSLATE_NOOP("QueueView", "Due soon"), frozenset({SlaLevel.DUE_SOON})),
    (QT_TRANSLATE_NOOP("QueueView", "Overdue or due soon"), frozenset({SlaLevel.OVERDUE, SlaLevel.DUE_SOON})),
    (QT_TRANSLATE_NOOP("QueueView", "On time"), frozenset({SlaLevel.OK})),
)


_ASSIGNED_CHOICES: tuple[tuple[str, str], ...] = (
    (QT_TRANSLATE_NOOP("QueueView", "Anyone's"), ""),
    (QT_TRANSLATE_NOOP("QueueView", "Mine"), "mine"),
    (QT_TRANSLATE_NOOP("QueueView", "Unassigned"), "unassigned"),
)


def _choice_text(label: str) -> str:
    """A filter choice's label in the language in force (the state labels come from the core)."""
    own = QCoreApplication.translate("QueueView", label)
    return own if own != label else core_text(label)


class QueueView(QWidget):
    """Saved views on the left, filters above the table."""

    open_topic = Signal(int)
    open_in_browser = Signal(int)
    current_topic_changed = Signal(int)

    def __init__(self, backend: QueueBackend | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self._backend: QueueBackend | None = None
        self._sla = SlaSettings()
        self._views: list[SavedView] = default_views()
        self._assign = True  # the platform has server-side assign (set_assign_available)
        self._counts: dict[str, int] = {}
        self._syncing_controls = False
        self._created_range: tuple[str | None, str | None] = (None, None)
        self._anchor: int | None = None  # the row of a question that left the list: j / k go on from it
        self._keep_selected: list[int] = []  # a multi-selection to select again after a refresh
        self.select_replacement = True
        """When the highlighted question leaves the list (answered, filtered away): highlight the one
        that took its row. The page turns it off while a thread is open, so the thread on screen and
        the highlight never disagree; j / k then go on from the place."""

        # -- saved views
        self.views_list = QListWidget()
        self.views_list.setObjectName("savedViews")
        self.views_list.setAccessibleName(self.tr("Saved views"))
        self.views_list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.views_list.currentRowChanged.connect(self._on_view_selected)
        self.save_view_button = QPushButton(self.tr("Save view…"))
        self.save_view_button.setToolTip(self.tr("Save the current filters and search as a named view"))
        self.save_view_button.clicked.connect(self._save_view)
        self.delete_view_button = QPushButton(self.tr("Delete"))
        self.delete_view_button.clicked.connect(self._delete_view)
        views_header = QLabel(self.tr("Views"))
        views_header.setProperty("role", "heading")
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(views_header)
        left.addWidget(self.views_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_view_button)
        buttons.addWidget(self.delete_view_button)
        left.addLayout(buttons)
        self.views_panel = QWidget()
        self.views_panel.setObjectName("viewsPanel")
        self.views_panel.setLayout(left)
        self.views_panel.setMinimumWidth(140)  # a splitter pane: dragged wider, or collapsed away

        # -- filters
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Search questions and replies"))
        self.search.setObjectName("queueSearch")
        self.search.setPlaceholderText(self.tr("Search questions and replies  ( / )"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_edited)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.apply_filters)
        self.category_box = QComboBox()
        self.company_box = QComboBox()
        self.state_box = QComboBox()
        self.sla_box = QComboBox()
        self.assigned_box = QComboBox()  # Assign: who holds the question
        self.assigned_box.setObjectName("assignedFilter")
        self.assigned_box.setAccessibleName(self.tr("Assignment filter"))
        for label, _ in _ASSIGNED_CHOICES:
            self.assigned_box.addItem(_choice_text(label))
        self.category_box.setAccessibleName(self.tr("Category filter"))
        self.company_box.setAccessibleName(self.tr("Company filter"))
        self.state_box.setAccessibleName(self.tr("State filter"))
        self.sla_box.setAccessibleName(self.tr("Response-time filter"))
        self.sla_box.setAccessibleDescription(
            self.tr("Show questions by their first-response target: overdue, due soon, on target")
        )
        for label, _ in _STATE_CHOICES:
            self.state_box.addItem(_choice_text(label))
        for label, _ in _SLA_CHOICES:
            self.sla_box.addItem(_choice_text(label))
        for box in (self.category_box, self.company_box, self.state_box, self.sla_box, self.assigned_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self._on_filter_box_changed)
        self.count_label = QLabel("")
        self.count_label.setProperty("role", "muted")
        filters = QVBoxLayout()
        filters.setSpacing(6)
        search_row = QHBoxLayout()  # the assignment filter beside the search: the boxes' row stays as wide
        search_row.setSpacing(8)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.assigned_box)
        filters.addLayout(search_row)
        boxes = QHBoxLayout()
        boxes.setSpacing(8)
        for box in (self.state_box, self.sla_box, self.category_box, self.company_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)  # four filters side by side still fit a laptop's queue pane
            boxes.addWidget(box, 1)
        filters.addLayout(boxes)
        # A date range opened from the dashboard ("questions asked in March"), shown and clearable.
        self.range_label = QLabel("")
        self.range_label.setObjectName("queueRange")
        self.range_clear = QPushButton(self.tr("Show all dates"))
        self.range_clear.clicked.connect(self.clear_date_range)
        self.range_bar = QWidget()
        rb = QHBoxLayout(self.range_bar)
        rb.setContentsMargins(0, 0, 0, 0)
        rb.addWidget(self.range_label, 1)
        rb.addWidget(self.range_clear)
        self.range_bar.hide()
        filters.addWidget(self.range_bar)

        # -- table
        self.model = QueueModel(parent=self)
        self.table = QueueTable()
        self.table.setAccessibleName(self.tr("Questions"))
        self.table.setAccessibleDescription(
            self.tr("J and K move, Enter opens the highlighted question in the thread pane")
        )
        self.table.setObjectName("queueTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Shift/Ctrl+click and Shift+arrows select several questions for a bulk action (ui.bulk)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (to the thread), not cell to cell
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Always room for the scroll bar: a search that goes from no match to a screenful would
        # otherwise show the bar, narrow the viewport and lay out and paint the table twice.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never ResizeToContents (PERFORMANCE.md)
        vh.setDefaultSectionSize(ROW_HEIGHT)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        hh.setHighlightSections(False)
        for col, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(col, width)
        self.table.setSortingEnabled(True)
        hh.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.model.modelReset.connect(self._update_count_label)
        self.model.reloaded.connect(self._on_reloaded)
        # What to do once a reload lands: select the first row (a new filter), or keep the
        # moderator's place (a refresh after changes: _RESTORE, topic, place, rows loaded before).
        self._reselect: tuple[Any, ...] | None = None
        self.model.rowsInserted.connect(self._update_count_label)
        self.model.rowsInserted.connect(self._on_rows_landed)
        self.match_delegate = MatchDelegate(self.table)
        self.table.setItemDelegateForColumn(QUESTION_COLUMN, self.match_delegate)
        self.empty_state = EmptyState(self.table.viewport())
        self.empty_state.clear_button.clicked.connect(self.show_all_open)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_empty_state)

        # while a first sync walks the history: its questions' older replies are still on the way
        self.sync_note = QLabel("")
        self.sync_note.setObjectName("queueSyncNote")
        self.sync_note.setProperty("role", "warning")
        self.sync_note.setWordWrap(True)
        self.sync_note.setVisible(False)

        centre = QVBoxLayout()
        centre.setContentsMargins(0, 0, 0, 0)
        centre.addLayout(filters)
        centre.addWidget(self.sync_note)
        centre.addWidget(self.table, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        hint = QLabel(self.tr("j / k move · Enter open · Esc close · n / p reply · a accept · F1 all keys"))
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)  # wraps rather than widening a narrow queue pane
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        footer.addWidget(hint, 1)
        centre.addLayout(footer)
        self.table_panel = QWidget()
        self.table_panel.setLayout(centre)

        # Saved views and the table share a splitter: the views pane can be narrowed or collapsed
        # (it is, on a small screen, while a thread is open) and its width is remembered.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("viewsSplitter")
        self.splitter.addWidget(self.views_panel)
        self.splitter.addWidget(self.table_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([200, 800])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._watcher = ChangeWatcher(
            self, kinds=("topics", "posts", "users", "categories", "outbox"), refresh=self.on_changes
        )
        self._rebuild_views_list()
        if backend is not None:
            self.set_backend(backend)

    # ------------------------------------------------------------ wiring

    def set_backend(self, backend: QueueBackend | None) -> None:
        self._backend = backend
        self._reload_filter_options()
        if backend is None:
            self.model.set_source(None)
        else:
            self.model.set_source(
                backend.queue_page, backend.pending_labels, getattr(backend, "holders", None)
            )
            self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
            self._update_count(self.current_filter())
        self.refresh_counts()

    def set_sla_settings(self, settings: SlaSettings) -> None:
        self._sla = settings
        self.apply_filters()

    def _reload_filter_options(self) -> None:
        cats, cos = self._backend.filter_options() if self._backend is not None else ([], [])
        self._syncing_controls = True
        try:
            for box, options, everything in (
                (self.category_box, cats, self.tr("All categories")),
                (self.company_box, cos, self.tr("All companies")),
            ):
                current = box.currentData()
                box.clear()
                box.addItem(everything, None)
                for opt in options:
                    box.addItem(opt.name, opt.id)
                if current is not None:
                    i = box.findData(current)
                    box.setCurrentIndex(max(0, i))
        finally:
            self._syncing_controls = False

    # ------------------------------------------------------------ filters

    def current_filter(self) -> QueueFilter:
        cat = self.category_box.currentData()
        co = self.company_box.currentData()
        return QueueFilter(
            states=_STATE_CHOICES[max(0, self.state_box.currentIndex())][1],
            categories=frozenset({int(cat)}) if cat is not None else frozenset(),
            companies=frozenset({int(co)}) if co is not None else frozenset(),
            sla=_SLA_CHOICES[max(0, self.sla_box.currentIndex())][1],
            search=self.search.text().strip(),
            created_from=self._created_range[0],
            created_to=self._created_range[1],
            assigned=_ASSIGNED_CHOICES[max(0, self.assigned_box.currentIndex())][1],
        )

    def set_filter(self, f: QueueFilter) -> None:
        """Show ``f`` in the controls and apply it."""
        self._syncing_controls = True
        try:
            self.search.setText(f.search)
            states = [i for i, (_, s) in enumerate(_STATE_CHOICES) if s == f.states]
            self.state_box.setCurrentIndex(states[0] if states else 0)
            slas = [i for i, (_, s) in enumerate(_SLA_CHOICES) if s == f.sla]
            self.sla_box.setCurrentIndex(slas[0] if slas else 0)
            held = [i for i, (_, a) in enumerate(_ASSIGNED_CHOICES) if a == f.assigned]
            self.assigned_box.setCurrentIndex(held[0] if held else 0)
            for box, ids in ((self.category_box, f.categories), (self.company_box, f.companies)):
                i = box.findData(next(iter(ids))) if len(ids) == 1 else 0
                box.setCurrentIndex(max(0, i))
            self._set_date_range(f.created_from, f.created_to)
        finally:
            self._syncing_controls = False
        self.apply_filters()

    def _set_date_range(self, start: str | None, end: str | None, label: str = "") -> None:
        self._created_range = (start, end)
        if start is None and end is None:
            self.range_bar.hide()
            return
        if not label:
            first, last = day_text(start) or "…", day_text(end) or "…"
            label = self.tr("asked {start} – {end}").format(start=first, end=last)
        self.range_label.setText(self.tr("Showing questions {range}").format(range=label))
        self.range_bar.show()

    @Slot()
    def clear_date_range(self) -> None:
        self._set_date_range(None, None)
        self.apply_filters()

    def open_drill(self, drill: DrillFilter) -> None:
        """Show what a dashboard selection points at (a month's questions, a company, …)."""
        states = frozenset(QueueState(s) for s in drill.queue_states()) or frozenset(QueueState)
        end = drill.created_to or drill.open_at
        self.set_filter(
            QueueFilter(
                states=states,
                categories=drill.category_ids,
                companies=drill.company_ids,
                created_from=drill.created_from,
                created_to=end,
            )
        )
        if drill.created_from or end:
            self._set_date_range(drill.created_from, end, label=f"— {drill.label}" if drill.label else "")

    @Slot()
    def apply_filters(self) -> None:
        self._search_timer.stop()
        self._anchor = None
        self._keep_selected = []  # a new filter starts at its first row
        f = self.current_filter()
        q = self.model.query
        self.match_delegate.search = f.search  # before the rows paint
        self._reselect = (_FIRST_ROW,)
        self.model.set_query(replace(q, filter=f, sla_settings=self._sla))
        self._update_empty_state()
        self._update_count(f)

    @Slot()
    def _on_reloaded(self) -> None:
        """A first page landed (the model reads off the GUI thread): the first row after a new
        filter; after a refresh, the pages the moderator had scrolled through, then their place."""
        reselect = self._reselect
        if reselect is None:
            return
        if reselect[0] == _FIRST_ROW:
            self._reselect = None
            if self.model.rowCount() and not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            return
        self._continue_restore()

    @Slot()
    def _on_rows_landed(self) -> None:
        if self._reselect is not None and self._reselect[0] == _RESTORE:
            QTimer.singleShot(0, self, self._continue_restore)  # once the model has settled

    def _continue_restore(self) -> None:
        pending = self._reselect
        if pending is None or pending[0] != _RESTORE:
            return
        _kind, current, place, loaded = pending
        while self.model.loaded_count() < loaded and self.model.has_more:
            before = self.model.loaded_count()
            if self.model.canFetchMore():
                self.model.fetchMore()  # as far as the moderator had scrolled (small indexed pages)
            if self.model.loaded_count() == before:
                return  # the page is on its way: go on when it lands
        self._reselect = None
        self._update_empty_state()
        self._keep_place(current, place)

    @Slot()
    def show_mine(self) -> None:
        """The "Mine" view: open questions held by me or a group of mine (its saved view when the
        list has one, else the filter). Nothing where the platform has no assign."""
        if not self._assign:
            return
        names = [v.name for v in self._views]
        if MINE_VIEW in names:
            self.views_list.setCurrentRow(names.index(MINE_VIEW))
            self.set_filter(self._views[names.index(MINE_VIEW)].filter)
        else:
            self.set_filter(QueueFilter(assigned="mine"))

    @Slot()
    def show_all_open(self) -> None:
        """The empty state's way out: every open question, no search, all dates."""
        self._created_range = (None, None)
        self.set_filter(QueueFilter())

    def set_sync_note(self, text: str) -> None:
        """A line above the list while the figures in it are not final ("" hides it)."""
        self.sync_note.setText(text)
        self.sync_note.setVisible(bool(text))

    @Slot()
    def _update_empty_state(self) -> None:
        empty = self.model.rowCount() == 0 and not self.model.has_more and self._backend is not None
        if empty:
            f = self.current_filter()
            if f.search:
                text = self.tr("No question matches “{search}” with these filters.").format(search=f.search)
            else:
                text = self.tr("No question matches these filters.")
            self.empty_state.label.setText(
                text + "\n" + self.tr("Change the search or the filters above, or show every open question.")
            )
            self.empty_state.setGeometry(self.table.viewport().rect())
        self.empty_state.setVisible(empty)

    @Slot(str)
    def _on_search_edited(self, _text: str) -> None:
        if not self._syncing_controls:
            self._search_timer.start()

    @Slot(int)
    def _on_filter_box_changed(self, _i: int) -> None:
        if not self._syncing_controls:
            self.apply_filters()

    # ------------------------------------------------------------ saved views and counts

    def saved_views(self) -> list[SavedView]:
        return list(self._views)

    def set_saved_views(self, views: Sequence[SavedView]) -> None:
        self._views = list(views) or default_views()
        self._rebuild_views_list()
        self.refresh_counts()

    def set_assign_available(self, available: bool) -> None:
        """Whether the community's platform has server-side assign (``Capabilities.assign``):
        without it the assignment filter and the views that filter by assignment (Mine) are hidden
        — kept in the saved views, which other communities share."""
        self._assign = available
        self.assigned_box.setVisible(available)
        if not available and self.assigned_box.currentIndex() > 0:
            self.assigned_box.setCurrentIndex(0)
        self._rebuild_views_list()

    def _rebuild_views_list(self) -> None:
        current = self.views_list.currentRow()
        self.views_list.blockSignals(True)
        self.views_list.clear()
        for view in self._views:
            item = QListWidgetItem(self._view_label(view))
            item.setData(Qt.ItemDataRole.UserRole, view.name)
            self.views_list.addItem(item)
            item.setHidden(bool(view.filter.assigned) and not self._assign)
        usable = 0 <= current < len(self._views) and not self.views_list.item(current).isHidden()
        self.views_list.setCurrentRow(current if usable else 0)
        self.views_list.blockSignals(False)

    def _view_label(self, view: SavedView) -> str:
        n = self._counts.get(view.name)
        name = core_text(view.name)  # the built-in views' names are the core's
        return f"{name}  ({fmt_number(n)})" if n is not None else name

    @Slot(int)
    def _on_view_selected(self, row: int) -> None:
        if 0 <= row < len(self._views):
            self.set_filter(self._views[row].filter)

    @Slot()
    def _save_view(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save view"), self.tr("Name of this view:"))
        if ok and name.strip():
            self.add_view(SavedView(name.strip(), self.current_filter()))

    def add_view(self, view: SavedView) -> None:
        self._views = [v for v in self._views if v.name != view.name] + [view]
        self._rebuild_views_list()
        self.views_list.blockSignals(True)
        self.views_list.setCurrentRow(len(self._views) - 1)
        self.views_list.blockSignals(False)
        self.refresh_counts()

    @Slot()
    def _delete_view(self) -> None:
        row = self.views_list.currentRow()
        if 0 <= row < len(self._views) and len(self._views) > 1:
            del self._views[row]
            self._rebuild_views_list()

    def refresh_counts(self) -> None:
        """Count every saved view off the GUI thread, then show the numbers in the list."""
        backend = self._backend
        if backend is None:
            return
        queries = [(v.name, TriageQuery(filter=v.filter, sla_settings=self._sla)) for v in self._views]

        def count_all(token: CancelToken) -> dict[str, int]:
            out = {}
            for name, q in queries:
                token.raise_if_cancelled()
                out[name] = backend.queue_count(q)
            return out

        QueryOp(self, op=count_all, success=self._show_counts).coalesce(
            f"queue-counts-{id(self)}"
        ).run_in_background()

    def _show_counts(self, counts: dict[str, int]) -> None:
        self._counts = counts
        for i, view in enumerate(self._views):
            item = self.views_list.item(i)
            if item is not None:
                item.setText(self._view_label(view))

    def _update_count(self, f: QueueFilter) -> None:
        backend = self._backend
        if backend is None:
            return
        q = TriageQuery(filter=f, sla_settings=self._sla)
        QueryOp(self, op=lambda _t: backend.queue_count(q), success=self._show_total).run_in_background()

    def _show_total(self, n: int) -> None:
        self._total = n
        self._update_count_label()

    @Slot()
    def _update_count_label(self) -> None:
        total = getattr(self, "_total", None)
        if total is None:
            more = self.model.has_more
            self.count_label.setText(
                self.tr("Counting…") if more else self.tr("%Ln question(s)", "", self.model.loaded_count())
            )
        else:
            self.count_label.setText(self.tr("%Ln question(s)", "", total))

    # ------------------------------------------------------------ changes

    def on_changes(self, changes: Changes) -> None:
        if changes.touches_any(("topics", "posts", "users", "categories")):
            current = self.current_topic_id()
            self._keep_selected = self.selected_topic_ids()
            place, loaded = remember_place(self.table), self.model.loaded_count()
            if changes.categories or changes.users:
                self._reload_filter_options()
            # the pages are read off the GUI thread: the place is kept once they have landed
            self._reselect = (_RESTORE, current, place, loaded)
            self.model.reload()
            self._update_count(self.current_filter())
            self.refresh_counts()
        elif changes.outbox:
            self.model.refresh_pending()

    def _keep_place(self, topic_id: int | None, place: Place) -> None:
        """After a refresh: the same question highlighted and the list scrolled where it was."""
        row = self.model.row_of(topic_id) if topic_id is not None else -1
        if row >= 0 or place.row < 0 or self.select_replacement:
            restore_place(self.table, place, row)
            self._reselect_others()
            return
        # it left the list while its thread is open: no other question is highlighted (the
        # thread would not show it), the scroll stays, and j / k go on from its row
        self._keep_selected = []
        self.table.selectionModel().clearCurrentIndex()
        self.table.clearSelection()
        self.table.verticalScrollBar().setValue(place.scroll)
        self._anchor = place.row

    def _reselect_others(self) -> None:
        """A multi-selection survives a refresh: the rows still listed are selected again."""
        keep, self._keep_selected = self._keep_selected, []
        if len(keep) < 2:
            return
        sm = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for tid in keep:
            row = self.model.row_of(tid)
            if row >= 0:
                sm.select(self.model.index(row, 0), flags)

    def selected_topic_ids(self) -> list[int]:
        """The selected questions, in list order (the highlighted one alone when one is selected)."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        out = []
        for r in rows:
            value = self.model.index(r, 0).data(TOPIC_ID_ROLE)
            if value is not None:
                out.append(int(value))
        return out

    # ------------------------------------------------------------ keyboard triage

    def current_topic_id(self) -> int | None:
        idx = self.table.currentIndex()
        value = idx.data(TOPIC_ID_ROLE) if idx.isValid() else None
        return int(value) if value is not None else None

    def select_topic(self, topic_id: int) -> bool:
        row = self.model.row_of(topic_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    def move_selection(self, step: int) -> None:
        rows = self.model.rowCount()
        if rows == 0:
            return
        current = self.table.currentIndex().row()
        if current < 0 and self._anchor is not None:  # the question there left: go on from its place
            current = self._anchor - (1 if step > 0 else 0)
        self._anchor = None
        target = 0 if current < 0 else current + step
        if target >= rows and self.model.canFetchMore():
            self.model.fetchMore()
            rows = self.model.rowCount()
        target = max(0, min(rows - 1, target))
        index = self.model.index(target, max(0, self.table.currentIndex().column()))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)

    def open_current(self) -> None:
        tid = self.current_topic_id()
        if tid is not None:
            self.open_topic.emit(tid)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.move_selection(0)

    def open_current_in_browser(self) -> None:
        tid = self.current_topic_id()
        if tid is not None:
            self.open_in_browser.emit(tid)

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        value = index.data(TOPIC_ID_ROLE)
        if value is not None:
            self.open_topic.emit(int(value))

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        value = current.data(TOPIC_ID_ROLE) if current.isValid() else None
        if value is not None:
            self.current_topic_changed.emit(int(value))

    # ------------------------------------------------------------ persistence

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("queue/header", self.table.horizontalHeader().saveState())
        settings.setValue("queue/views_splitter", self.splitter.saveState())
        settings.setValue("queue/views", SavedView.dump(self._views))
        import json

        settings.setValue("queue/filter", json.dumps(self.current_filter().to_dict()))
        settings.setValue("queue/view_row", self.views_list.currentRow())

    def restore_state(self, settings: QSettings) -> None:
        import json

        header = settings.value("queue/header")
        if isinstance(header, QByteArray | bytes):
            self.table.horizontalHeader().restoreState(QByteArray(header))
        views_splitter = settings.value("queue/views_splitter")
        if isinstance(views_splitter, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(views_splitter))
        views = settings.value("queue/views")
        if isinstance(views, str) and views:
            loaded = SavedView.load(views)
            if loaded:
                self._views = loaded
        row = settings.value("queue/view_row")
        self._rebuild_views_list()
        try:
            if row is not None:
                self.views_list.blockSignals(True)
                self.views_list.setCurrentRow(int(str(row)))
                self.views_list.blockSignals(False)
        except ValueError:
            pass
        f = settings.value("queue/filter")
        if isinstance(f, str) and f:
            try:
                self.set_filter(QueueFilter.from_dict(json.loads(f)))
            except (ValueError, TypeError):
                pass
        # The sort order comes back with the header state; apply it to the model.
        hh = self.table.horizontalHeader()
        self.model.sort(hh.sortIndicatorSection(), hh.sortIndicatorOrder())
