"""Every recognition table model passes Qt's model tester (reads, sort, reset) and serves the
row object, text alignment and outcome colours it promises."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QAbstractTableModel, Qt
from pytestqt.modeltest import ModelTester

from tests.ui.recognition_samples import RECOGNITION_MODEL_FACTORIES
from ui.recognition.models import ROW_ROLE, RowTableModel


@pytest.mark.parametrize(
    "factory", [f for _, f in RECOGNITION_MODEL_FACTORIES], ids=[n for n, _ in RECOGNITION_MODEL_FACTORIES]
)
def test_models_pass_the_model_tester(
    qtmodeltester: ModelTester, factory: Callable[[], QAbstractTableModel]
) -> None:
    model = factory()
    assert isinstance(model, RowTableModel)
    qtmodeltester.check(model, force_py=True)
    first = model.row_at(0)
    assert model.index(0, 0).data(ROW_ROLE) is first
    for col in range(model.columnCount()):
        model.sort(col, Qt.SortOrder.DescendingOrder)
        spec = model.columns[col]
        keyf = spec.key or spec.text
        got = [keyf(r) for r in model.rows()]
        assert got == sorted(got, reverse=True)
    model.set_rows([])  # the tester stays connected: it checks the sorts' and this reset's signals
    assert model.rowCount() == 0


def test_preview_outcome_colours_and_numeric_alignment() -> None:
    from tests.ui.recognition_samples import preview_model

    model = preview_model()
    grant = next(i for i, r in enumerate(model.rows()) if r.outcome == "grant")
    missing = next(i for i, r in enumerate(model.rows()) if r.outcome == "not_found")
    g = model.index(grant, 3).data(Qt.ItemDataRole.ForegroundRole).color().name()
    m = model.index(missing, 3).data(Qt.ItemDataRole.ForegroundRole).color().name()
    assert g != m and model.index(grant, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) == right
