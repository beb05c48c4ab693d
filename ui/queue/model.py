"""The queue's lazy table model: keyset pages from the cache, fixed columns, sorting in SQL.

Rows are :class:`~modconsole.services.triage.QueueRow` values (immutable). The first page is
read when the query changes; further pages arrive through ``canFetchMore``/``fetchMore`` as the
view scrolls. Pages are read off the GUI thread (a :class:`~ui.ops.QueryOp`): at 100k topics a
search page or a refresh after a sync costs tens of milliseconds, which the GUI thread cannot
spare (the stall heartbeat of bench_console.py). Until a new first page lands the old rows stay on
screen; an answer for a query that has been replaced meanwhile is dropped. ``reloaded`` is
emitted when a first page has been applied (the view restores its selection then). Without an
installed task manager (scripts, model tests) pages are read inline.

The first page is a screenful (``FIRST_PAGE`` rows), so a keystroke's answer is small; later
pages are ``page_size`` rows.

``data`` serves only the roles listed in ``_ROLES`` and returns ``None`` for every other role
(PySide6 refcount trap, PERFORMANCE.md): no ``QVariant`` juggling. A paint asks through
``multiData`` — every role a delegate needs in one call per cell, where ``data`` took seven calls
from C++ into Python (each one taking the GIL back from any busy worker) — and a row's texts are
formatted once per page, not at every repaint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QLocale,
    QModelIndex,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from modconsole import clock
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services import triage
from modconsole.services.sla import SlaLevel, parse_ts
from modconsole.services.triage import QueueRow, SortKey, TriageQuery
from modconsole.tasks import CancelToken
from ui import theme
from ui.assign import holder_badge, holder_text
from ui.i18n import core_text, duration_text, sla_text
from ui.ops import QueryOp
from ui.tasks import current_task_manager

__all__ = ["COLUMNS", "FIRST_PAGE", "TOPIC_ID_ROLE", "QueueModel", "RowSource"]

FIRST_PAGE = 60
"""Rows in a first page: more than a tall window shows (26 px rows), far fewer than ``page_size``."""

_Index = QModelIndex | QPersistentModelIndex

TOPIC_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 2

# The roles as plain ints, and the constant answers, computed once (not per call of a paint).
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_MUTED_COLUMNS = frozenset((1, 3, 4, 5, 6))
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

COLUMNS: tuple[tuple[str, SortKey], ...] = (
    (QT_TRANSLATE_NOOP("QueueModel", "SLA"), SortKey.SLA),
    (QT_TRANSLATE_NOOP("QueueModel", "Age"), SortKey.AGE),
    (QT_TRANSLATE_NOOP("QueueModel", "Question"), SortKey.TITLE),
    (QT_TRANSLATE_NOOP("QueueModel", "Category"), SortKey.CATEGORY),
    (QT_TRANSLATE_NOOP("QueueModel", "Company"), SortKey.COMPANY),
    (QT_TRANSLATE_NOOP("QueueModel", "Asker"), SortKey.ASKER),
    (QT_TRANSLATE_NOOP("QueueModel", "Replies"), SortKey.REPLIES),
    (QT_TRANSLATE_NOOP("QueueModel", "State"), SortKey.STATE),
)
QUESTION = 2
"""The question column: who holds it shows there, as a badge before the title."""
COLUMN_WIDTHS = (120, 52, 340, 160, 140, 120, 70, 170)  # SLA fits "Missed · 11h 14m"; the question gains

SLA_COLOURS: Mapping[SlaLevel, str] = {  # names of the current palette's colours (ui.theme)
    SlaLevel.OVERDUE: "danger",
    SlaLevel.DUE_SOON: "warning",
    SlaLevel.OK: "success",
    SlaLevel.MET: "muted",
    SlaLevel.BREACHED: "breached",
    SlaLevel.NONE: "subtle",
}

RowSource = Callable[[TriageQuery, "triage.Cursor | None", int], "triage.QueuePage"]
"""Reads one page: ``(query, cursor, limit) -> QueuePage`` (the app binds it to the cache)."""

PendingSource = Callable[[list[int]], Mapping[int, str]]
"""Topic ids → a short label of an outbox action waiting for each (e.g. "Accept pending")."""

HolderSource = Callable[[list[int]], Mapping[int, Any]]
"""Topic ids → who holds each (``modconsole.services.assign.Holder``: a user or a group; Assign)."""


def _age(created: str | None, now: datetime) -> str:
    dt = parse_ts(created)
    if dt is None:
        return ""
    seconds = (now - dt).total_seconds()
    if seconds >= 2 * 86400:
        return duration_text(seconds, compact=True)
    return duration_text(seconds)


_Loaded = tuple["triage.QueuePage", Mapping[int, str], Mapping[int, Any]]


class QueueModel(QAbstractTableModel):
    """Questions for one :class:`TriageQuery`, fetched a page at a time."""

    reloaded = Signal()

    def __init__(
        self,
        source: RowSource | None = None,
        *,
        page_size: int = 200,
        pending: PendingSource | None = None,
        holders: HolderSource | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._pending = pending
        self._holder_source = holders
        self._holders: dict[int, Any] = {}
        self._page_size = page_size
        self._query = TriageQuery()
        self._now = clock.now().astimezone()
        self._rows: list[QueueRow] = []
        self._cursor: triage.Cursor | None = None
        self._exhausted = True
        self._fetching = False
        self._loading = False  # a first page is on its way
        self._generation = 0  # bumped by every reload: answers for older queries are dropped
        self._pending_labels: dict[int, str] = {}
        self._texts: dict[int, tuple[str, ...]] = {}  # row -> its columns' texts, made when first shown
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------ query

    @property
    def query(self) -> TriageQuery:
        return self._query

    def set_source(
        self,
        source: RowSource | None,
        pending: PendingSource | None = None,
        holders: HolderSource | None = None,
    ) -> None:
        self._source = source
        self._pending = pending
        self._holder_source = holders
        self.reload()

    def set_query(self, query: TriageQuery) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        """Re-read from the first page (after a filter, sort or cache change).

        The read runs off the GUI thread; the rows shown so far stay until the answer lands."""
        self._generation += 1
        generation = self._generation
        source = self._source
        if source is None:
            self._apply_first(generation, self._now, None)
            return
        now = clock.now().astimezone()
        query = self._query.at(now)
        limit = min(self._page_size, FIRST_PAGE)
        self._loading = True
        self._read(
            lambda: source(query, None, limit),
            lambda loaded: self._apply_first(generation, now, loaded),
        )

    def _read(self, read: Callable[[], triage.QueuePage], apply: Callable[[_Loaded | None], None]) -> None:
        """Run ``read`` (and the outbox overlay of its rows) off the GUI thread, then ``apply``."""
        pending, holders = self._pending, self._holder_source

        def op(_token: CancelToken) -> _Loaded:
            page = read()
            ids = [r.topic_id for r in page.rows]
            labels = pending(ids) if pending is not None and page.rows else {}
            held = holders(ids) if holders is not None and page.rows else {}
            return page, dict(labels), dict(held)

        if current_task_manager() is None:
            apply(op(CancelToken()))
            return
        QueryOp(self, op=op, success=apply).failure(self._read_failed).run_in_background()

    def _read_failed(self, exc: BaseException) -> None:
        from ui.messages import present_failure

        self._loading = self._fetching = False
        present_failure(exc)

    def _apply_first(self, generation: int, now: datetime, loaded: _Loaded | None) -> None:
        if generation != self._generation:
            return  # a newer query was asked for meanwhile
        self._fetching = True  # nobody fetches into a model that is being reset
        try:
            self.beginResetModel()
            self._now = now
            self._texts.clear()
            self._rows = list(loaded[0].rows) if loaded is not None else []
            self._cursor = loaded[0].cursor if loaded is not None else None
            self._pending_labels = dict(loaded[1]) if loaded is not None else {}
            self._holders = dict(loaded[2]) if loaded is not None else {}
            self._exhausted = self._cursor is None  # before the reset ends: its slots ask has_more
            self._loading = False
            self.endResetModel()
        finally:
            self._fetching = False
            self._loading = False
            self._exhausted = self._cursor is None
        self.reloaded.emit()

    def _load_page(self) -> None:
        source, cursor, generation = self._source, self._cursor, self._generation
        if source is None or cursor is None:
            return
        query = self._query.at(self._now)
        # Views and testers may ask canFetchMore() while a page is on its way: no second request.
        self._fetching = True
        self._read(
            lambda: source(query, cursor, self._page_size),
            lambda loaded: self._apply_next(generation, loaded),
        )

    def _apply_next(self, generation: int, loaded: _Loaded | None) -> None:
        if generation != self._generation or loaded is None:
            return  # the model was reset meanwhile (its own first page resets _fetching)
        page, labels, held = loaded
        try:
            self._cursor = page.cursor
            self._exhausted = self._cursor is None
            if page.rows:
                first = len(self._rows)
                self._pending_labels.update(labels)
                self._holders.update(held)
                self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
                self._rows.extend(page.rows)
                self.endInsertRows()
        finally:
            self._fetching = False
            self._exhausted = self._cursor is None

    def refresh_pending(self) -> None:
        """Re-read the outbox overlay for the loaded rows (cheap; no reset)."""
        if not self._rows:
            return
        if self._holder_source is not None:  # a queued assign shows at once, marked pending
            self._holders = dict(self._holder_source([r.topic_id for r in self._rows]))
            self.dataChanged.emit(self.index(0, QUESTION), self.index(len(self._rows) - 1, QUESTION))
        if self._pending is None:
            return
        self._pending_labels = dict(self._pending([r.topic_id for r in self._rows]))
        self._texts.clear()
        col = len(COLUMNS) - 1
        self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def holder_of(self, topic_id: int) -> Any:
        """Who holds the topic, as last read (``None``: nobody)."""
        return self._holders.get(topic_id)

    # ------------------------------------------------------------ lookups

    def row_at(self, row: int) -> QueueRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, topic_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.topic_id == topic_id:
                return i
        return -1

    @property
    def loading(self) -> bool:
        """Whether a first page is on its way (the rows shown belong to the previous query)."""
        return self._loading

    @property
    def has_more(self) -> bool:
        """Whether rows beyond the loaded ones exist (independent of a fetch in progress)."""
        return not self._exhausted

    def loaded_count(self) -> int:
        return len(self._rows)

    # ------------------------------------------------------------ Qt model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return (
            not parent.isValid()
            and not self._exhausted
            and not self._fetching
            and not self._loading
            and self._source is not None
        )

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load_page()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        i = index.row()
        if not index.isValid() or not (0 <= i < len(self._rows)):
            return None
        return self._value(i, index.column(), int(role))

    def multiData(self, index: _Index, roleDataSpan: QModelRoleDataSpan) -> None:
        """Every role a delegate asks for in one call (its paint asks seven per cell)."""
        i = index.row()
        if not index.isValid() or not (0 <= i < len(self._rows)):
            for item in roleDataSpan:
                item.clearData()
            return
        col = index.column()
        for item in roleDataSpan:
            value = self._value(i, col, item.role())
            if value is None:
                item.clearData()
            else:
                item.setData(value)

    def _value(self, i: int, col: int, role: int) -> Any:
        row = self._rows[i]
        if role == _DISPLAY:
            texts = self._texts.get(i)
            if texts is None:
                texts = self._texts[i] = tuple(self._display(row, c) for c in range(len(COLUMNS)))
            return texts[col]
        if role == _FOREGROUND:
            if col == 0:
                return theme.brush(SLA_COLOURS[row.sla.level])
            if col in _MUTED_COLUMNS:
                return theme.brush("muted")
            return None
        if role == _FONT:
            if col == 0 and row.sla.level is SlaLevel.OVERDUE:
                return self._bold
            return None
        if role == _DECORATION:
            held = self._holders.get(row.topic_id) if col == QUESTION else None
            return holder_badge(held) if held is not None else None
        if role == _TOOLTIP:
            if col == 0 and row.sla.due_at is not None:
                due = row.sla.due_at.astimezone(self._query.sla_settings.tz)
                # the whole read-out (the column may elide it), then the due time
                return self.tr("{sla}: first response due {due} ({zone})").format(
                    sla=sla_text(row.sla),
                    due=QLocale().toString(QDateTime(due.replace(tzinfo=None)), "ddd d MMM HH:mm"),
                    zone=due.tzname(),
                )
            if col == 2:
                held = self._holders.get(row.topic_id)
                return f"{row.title}\n{holder_text(held)}" if held is not None else row.title
            return None
        if role == _ALIGNMENT:
            if col in (1, 6):
                return _RIGHT
            return None
        if role == TOPIC_ID_ROLE:
            return row.topic_id
        if role == ROW_ROLE:
            return row
        return None

    def _display(self, row: QueueRow, col: int) -> str:
        if col == 0:
            return sla_text(row.sla)
        if col == 1:
            return _age(row.created_at, self._now)
        if col == 2:
            return row.title
        if col == 3:
            return row.category
        if col == 4:
            return row.company
        if col == 5:
            return row.asker
        if col == 6:
            return str(row.replies)
        pending = self._pending_labels.get(row.topic_id)
        state = core_text(row.state.label)
        return f"{state} · {pending}" if pending else state

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return self.tr(COLUMNS[section][0])
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        if key is self._query.sort and descending == self._query.descending and self._rows:
            return
        from dataclasses import replace

        self.set_query(replace(self._query, sort=key, descending=descending))
