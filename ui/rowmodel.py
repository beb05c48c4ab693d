"""A read-only table model over immutable rows, described by columns (the Outbox and Reminders
pages). ``data`` answers only the roles it serves and ``None`` otherwise (PERFORMANCE.md's
refcount trap is guarded by ``tests/ui/test_model_refcount.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ui import theme

__all__ = [
    "ROW_ROLE",
    "Col",
    "Place",
    "RowsModel",
    "make_view",
    "remember_place",
    "restore_place",
    "with_empty_state",
]

T = TypeVar("T")
_Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Col(Generic[T]):
    header: str
    text: Callable[[T], str]
    width: int = 120
    numeric: bool = False
    tip: Callable[[T], str] | None = None
    color: Callable[[T], str | None] | None = None  # foreground colour (#rrggbb) or None
    bold: Callable[[T], bool] | None = None


class RowsModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Col[T]], rows: Sequence[T] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[T] = list(rows)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tip(row) if col.tip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((_RIGHT if col.numeric else _LEFT).value)
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            c = col.color(row)
            return theme.brush(c) if c else None
        if role == Qt.ItemDataRole.FontRole and col.bold is not None:
            return self._bold if col.bold(row) else None
        if role == ROW_ROLE:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("Columns", self.columns[section].header)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int((_RIGHT if self.columns[section].numeric else _LEFT).value)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def make_view(model: RowsModel[Any]) -> QTableView:
    """A read-only, single-selection table over ``model`` with its columns' widths."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(28)
    hh = view.horizontalHeader()
    hh.setHighlightSections(False)
    hh.setStretchLastSection(True)
    bold = view.font()
    bold.setBold(True)
    fm = QFontMetrics(bold)
    for i, col in enumerate(model.columns):
        header = QCoreApplication.translate("Columns", col.header)
        view.setColumnWidth(i, max(col.width, fm.horizontalAdvance(header) + 28))
    hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


@dataclass(frozen=True)
class Place:
    """Where the moderator was in a table: the current row and the scroll position."""

    row: int
    scroll: int


def remember_place(view: QAbstractItemView) -> Place:
    """The place to come back to after the rows are replaced (an action, a refresh)."""
    current = view.currentIndex()
    return Place(current.row() if current.isValid() else -1, view.verticalScrollBar().value())


def restore_place(view: QAbstractItemView, place: Place, row: int) -> int:
    """Select ``row`` (the item the moderator had, found again), or — when it left the list (done,
    snoozed, filtered out) — the row that took its place; keep the scroll position as it was, moved
    only as far as the selected row needs to stay in sight. Returns the row selected (-1: none)."""
    model = view.model()
    count = model.rowCount() if model is not None else 0
    if row < 0 and place.row >= 0:
        row = min(place.row, count - 1)
    view.doItemsLayout()  # the scroll range of the new rows, before the value is put back
    bar = view.verticalScrollBar()
    if count == 0 or row < 0:
        bar.setValue(min(place.scroll, bar.maximum()))
        return -1
    index = model.index(row, max(0, view.currentIndex().column()))
    view.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    bar.setValue(min(place.scroll, bar.maximum()))
    view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
    return row


def with_empty_state(table: QTableView, text: str) -> tuple[QWidget, QLabel]:
    """``table`` above a muted, centred line shown when the list is empty (the caller toggles the
    label's visibility): the pane and its label."""
    empty = QLabel(text)
    empty.setProperty("role", "muted")
    empty.setWordWrap(True)
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    pane = QWidget()
    lay = QVBoxLayout(pane)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(table, 1)
    lay.addWidget(empty)
    return pane, empty
