"""Console table models with in-memory rows, for model-wide checks (``test_model_refcount``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QAbstractTableModel

from modconsole import clock
from modconsole.services.sla import SlaSettings, to_ts
from modconsole.services.triage import Cursor, QueuePage, QueueRow, QueueState, TriageQuery
from ui.queue.model import QueueModel


def _rows(n: int = 20) -> list[QueueRow]:
    now = clock.now()
    sla = SlaSettings()
    out = []
    for i in range(n):
        created = now - timedelta(hours=7 * i)
        out.append(
            QueueRow(
                topic_id=i + 1,
                title=f"Question {i}",
                slug=f"q-{i}",
                category_id=1,
                category="Q&A",
                company_id=None,
                company="Acme" if i % 2 else "",
                asker_id=i,
                asker=f"user{i}",
                replies=i % 3,
                created_at=to_ts(created),
                first_response_at=None,
                solved=False,
                state=QueueState.NO_REPLY,
                sla=sla.status(created, None, 1, now),
            )
        )
    return out


def queue_model() -> QueueModel:
    rows = _rows()

    def source(_q: TriageQuery, _cursor: Cursor | None, _limit: int) -> QueuePage:
        return QueuePage(tuple(rows), None)

    model = QueueModel(source, pending=lambda ids: {ids[0]: "Accept pending"} if ids else {})
    model.reload()
    return model


CONSOLE_MODEL_FACTORIES: list[tuple[str, Callable[[], QAbstractTableModel]]] = [
    ("queue-model", queue_model),
]
