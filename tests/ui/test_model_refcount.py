"""The PySide6 6.12 ``none_dealloc`` trap (shared/design/PERFORMANCE.md).

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` each time Qt hands an empty
value back to Python, and the interpreter aborts after a few thousand. This test asks every
table model for a role it does not serve a few thousand times and checks that
``sys.getrefcount(None)`` does not fall.

Add each new table model to ``MODEL_FACTORIES`` (a factory returning a model with at least
one row and one column).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.console_samples import CONSOLE_MODEL_FACTORIES
from tests.ui.outbox_samples import OUTBOX_MODEL_FACTORIES
from tests.ui.recognition_samples import RECOGNITION_MODEL_FACTORIES

CALLS = 5_000
SLACK = 50  # unrelated code may drop a handful of None references; the bug drops thousands

_Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """A minimal model following our conventions: rows are immutable tuples, ``data`` serves
    DisplayRole only and returns ``None`` for every other role."""

    HEADERS = ("Id", "Title", "Replies")

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self._rows = rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._rows[index.row()][index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


def _rows_model() -> QAbstractTableModel:
    return RowsModel([(i, f"Topic {i}", i % 7) for i in range(20)])


MODEL_FACTORIES: list[tuple[str, Callable[[], QAbstractTableModel]]] = [
    ("rows-model", _rows_model),
    *RECOGNITION_MODEL_FACTORIES,
    *OUTBOX_MODEL_FACTORIES,
    *CONSOLE_MODEL_FACTORIES,
]


@pytest.mark.parametrize("factory", [f for _, f in MODEL_FACTORIES], ids=[n for n, _ in MODEL_FACTORIES])
def test_unserved_roles_do_not_leak_none_references(
    qapp: QApplication, factory: Callable[[], QAbstractTableModel]
) -> None:
    model = factory()
    assert model.rowCount() > 0 and model.columnCount() > 0, "give the factory at least one cell"
    index = model.index(0, 0)
    assert index.isValid()
    assert index.data(Qt.ItemDataRole.DecorationRole) is None  # the role must really be unserved

    before = sys.getrefcount(None)
    for _ in range(CALLS):
        index.data(Qt.ItemDataRole.DecorationRole)
        model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole)
    after = sys.getrefcount(None)
    assert after >= before - SLACK, f"None lost {before - after} references in {CALLS} calls"
