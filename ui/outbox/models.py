"""Table models of the Outbox page: the actions and the audit journal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QTime

from modconsole import clock
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.outbox.store import parse_iso
from modconsole.services.outbox_view import RESOLUTION_LABELS, STATE_LABELS, OutboxEntry
from ui.i18n import core_text
from ui.rowmodel import Col, RowsModel

__all__ = ["STATE_COLOURS", "JournalModel", "OutboxModel", "local_time"]

STATE_COLOURS = {  # names of the current palette's colours (ui.theme)
    "conflict": "danger",
    "failed": "danger",
    "in_flight": "info",
    "pending": "text",
    "done": "success",
    "cancelled": "muted",
}


def local_time(value: str | None, *, seconds: bool = False) -> str:
    """``2026-11-22T19:45:03.120Z`` -> ``22 Nov 20:45`` in the moderator's time zone (German:
    ``22. Nov. 20:45``: the patterns are translated, the month names come from the locale)."""
    dt = parse_iso(value)
    if dt is None:
        return value or ""
    local = dt.astimezone()
    fmt = (
        QCoreApplication.translate("Dates", "d MMM HH:mm:ss")
        if seconds
        else QCoreApplication.translate("Dates", "d MMM HH:mm")
    )
    if local.year != clock.now().astimezone().year:
        fmt = QCoreApplication.translate("Dates", "d MMM yyyy HH:mm")
    naive = local.replace(tzinfo=None)
    return QLocale().toString(QDateTime(naive.date(), QTime(naive.hour, naive.minute, naive.second)), fmt)


class OutboxModel(RowsModel[OutboxEntry]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col[OutboxEntry](
                    QT_TRANSLATE_NOOP("Columns", "State"),
                    lambda e: core_text(STATE_LABELS.get(e.state, e.state)) + (" ⚑" if e.stale else ""),
                    width=92,
                    color=lambda e: STATE_COLOURS.get(e.state),
                    bold=lambda e: e.needs_you,
                    tip=lambda e: core_text(e.state_label),
                ),
                Col[OutboxEntry](
                    QT_TRANSLATE_NOOP("Columns", "Action"),
                    lambda e: core_text(e.action),
                    width=300,
                    tip=lambda e: core_text(e.action),
                ),
                Col[OutboxEntry](QT_TRANSLATE_NOOP("Columns", "By"), lambda e: f"@{e.created_by}", width=126),
                Col[OutboxEntry](
                    QT_TRANSLATE_NOOP("Columns", "Queued"),
                    lambda e: local_time(e.created_at),
                    width=118,
                    tip=lambda e: e.created_at,
                ),
                Col[OutboxEntry](
                    QT_TRANSLATE_NOOP("Columns", "Tries"), lambda e: str(e.attempts), width=50, numeric=True
                ),
                Col[OutboxEntry](
                    QT_TRANSLATE_NOOP("Columns", "Server's message"),
                    lambda e: core_text(e.message),
                    width=260,
                    tip=lambda e: core_text(e.message),
                ),
            ],
            parent=parent,
        )

    def row_of(self, op_uuid: str) -> int:
        return next((i for i, e in enumerate(self._rows) if e.op_uuid == op_uuid), -1)


def _result(e: dict[str, Any]) -> str:
    state = str(e.get("state") or "")
    res = str(e.get("resolution") or "")
    text = core_text(STATE_LABELS.get(state, state))
    if res:
        text += f" ({core_text(RESOLUTION_LABELS.get(res, res))})"
    return text


def _why(e: dict[str, Any]) -> str:
    """The note given when queueing, then the notes of the moderator's later decisions."""
    parts = [str(e.get("note") or "")]
    for d in str(e.get("decisions") or "").split("; "):
        if "(" in d and d.endswith(")"):
            parts.append(d[d.index("(") + 1 : -1])
    return " · ".join(p for p in parts if p)


class JournalModel(RowsModel[dict[str, Any]]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col[dict[str, Any]](
                    QT_TRANSLATE_NOOP("Columns", "When"),
                    lambda e: local_time(str(e["created_at"])),
                    width=110,
                    tip=lambda e: str(e["created_at"]),
                ),
                Col[dict[str, Any]](
                    QT_TRANSLATE_NOOP("Columns", "Who"), lambda e: f"@{e['created_by']}", width=126
                ),
                Col[dict[str, Any]](
                    QT_TRANSLATE_NOOP("Columns", "What"),
                    lambda e: core_text(e["action"]),
                    width=330,
                    tip=lambda e: core_text(e["action"]),
                ),
                Col[dict[str, Any]](QT_TRANSLATE_NOOP("Columns", "Why"), _why, width=200, tip=_why),
                Col[dict[str, Any]](
                    QT_TRANSLATE_NOOP("Columns", "Result"),
                    _result,
                    width=170,
                    color=lambda e: STATE_COLOURS.get(str(e.get("state"))),
                    tip=lambda e: str(e.get("decisions") or ""),
                ),
                Col[dict[str, Any]](
                    QT_TRANSLATE_NOOP("Columns", "Server response"),
                    lambda e: str(e["last_error"] or e["server_response"] or "").replace("\n", " ")[:200],
                    width=260,
                    tip=lambda e: str(e["request_log"] or ""),
                ),
            ],
            parent=parent,
        )
