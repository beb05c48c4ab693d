"""Table models of the recognition pages. Rows are immutable dataclasses from the core; each model
is a :class:`RowTableModel` with a column spec (header, text, sort key, alignment).

``data`` serves DisplayRole, ToolTipRole, TextAlignmentRole, ForegroundRole (outcome colours) and
``ROW_ROLE`` (the row object); every other role returns ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.recognition import BadgeInfo, Grantee, MemberHit, PreviewRow, ReportRow
from modconsole.services.superusers import (
    COMPONENT_LABELS,
    Candidate,
    Component,
    Nomination,
    RenewalRow,
)
from ui import theme
from ui.i18n import core_text, day_text, fmt_number

__all__ = [
    "ROW_ROLE",
    "BadgeModel",
    "BreakdownModel",
    "CandidateModel",
    "Column",
    "GranteeModel",
    "MemberModel",
    "NominationModel",
    "PreviewModel",
    "RenewalModel",
    "ReportModel",
    "RowTableModel",
]

T = TypeVar("T")
_Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

# cell colours: names of the current palette's colours (ui.theme), resolved when painted
GOOD = "success"
BAD = "danger"
MUTED = "muted"
PENDING = "warning"


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    key: Callable[[T], Any] | None = None  # sort key (default: the text)
    numeric: bool = False
    width: int = 120
    tip: Callable[[T], str] | None = None


class RowTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table of immutable rows described by ``columns``."""

    def __init__(self, columns: Sequence[Column[T]], rows: Sequence[T] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[T] = list(rows)

    # -------------------------------------------------------- data

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def color(self, row: T, column: int) -> str | None:
        return None

    # -------------------------------------------------------- Qt

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tip(row) if col.tip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col.numeric else _LEFT)
        if role == Qt.ItemDataRole.ForegroundRole:
            c = self.color(row, index.column())
            return theme.brush(c) if c is not None else None
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
                return int(_RIGHT if self.columns[section].numeric else _LEFT)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        col = self.columns[column]
        keyf = col.key or col.text
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=keyf, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


def _date(s: str) -> str:
    return day_text(s)


# ---------------------------------------------------------------- badges


class BadgeModel(RowTableModel[BadgeInfo]):
    def __init__(self, rows: Sequence[BadgeInfo] = (), parent: Any = None) -> None:
        super().__init__(
            [
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Badge"),
                    lambda b: b.name,
                    lambda b: b.name.lower(),
                    width=170,
                    tip=lambda b: b.description,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Type"),
                    lambda b: core_text(b.type_name).capitalize(),
                    lambda b: ("gold", "silver", "bronze").index(b.type_name),
                    width=74,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Granted"),
                    lambda b: fmt_number(b.grant_count),
                    lambda b: b.grant_count,
                    numeric=True,
                    width=70,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Awarded"),
                    lambda b: (
                        QCoreApplication.translate("RecognitionModels", "by hand")
                        if b.manual
                        else QCoreApplication.translate("RecognitionModels", "automatic")
                    ),
                    width=90,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Status"),
                    lambda b: (
                        (
                            QCoreApplication.translate("RecognitionModels", "enabled")
                            if b.enabled
                            else QCoreApplication.translate("RecognitionModels", "disabled")
                        )
                        + (
                            " · "
                            + QCoreApplication.translate("RecognitionModels", "{n} queued").format(n=b.queued)
                            if b.queued
                            else ""
                        )
                    ),
                    width=110,
                ),
            ],
            rows,
            parent,
        )

    def color(self, row: BadgeInfo, column: int) -> str | None:
        if not row.enabled or not row.manual:
            return MUTED
        if column == 4 and row.queued:
            return PENDING
        return None


class GranteeModel(RowTableModel[Grantee]):
    def __init__(self, rows: Sequence[Grantee] = (), parent: Any = None) -> None:
        super().__init__(
            [
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Member"),
                    lambda g: "@" + g.username,
                    lambda g: g.username.lower(),
                    width=150,
                    tip=lambda g: g.name,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Granted"),
                    lambda g: g.pending or _date(g.granted_at),
                    lambda g: g.granted_at,
                    width=100,
                ),
                Column(QT_TRANSLATE_NOOP("Columns", "By"), lambda g: g.granted_by, width=130),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Reason"),
                    lambda g: g.reason_title or g.reason_url or "",
                    width=260,
                    tip=lambda g: g.reason_url or "",
                ),
            ],
            rows,
            parent,
        )

    def color(self, row: Grantee, column: int) -> str | None:
        return PENDING if row.pending else None


MEMBER_TL_COLUMN = 3
"""The trust-level column of :class:`MemberModel` (hidden where the platform has no trust levels)."""


class MemberModel(RowTableModel[MemberHit]):
    def __init__(self, rows: Sequence[MemberHit] = (), parent: Any = None) -> None:
        super().__init__(
            [
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Member"),
                    lambda m: "@" + m.username,
                    lambda m: m.username.lower(),
                    width=150,
                ),
                Column(QT_TRANSLATE_NOOP("Columns", "Name"), lambda m: m.name, width=150),
                Column(QT_TRANSLATE_NOOP("Columns", "Company"), lambda m: m.company, width=150),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "TL"),
                    lambda m: "" if m.trust_level is None else str(m.trust_level),
                    lambda m: m.trust_level or 0,
                    numeric=True,
                    width=36,
                ),
                Column(QT_TRANSLATE_NOOP("Columns", "E-mail"), lambda m: m.email, width=220),
            ],
            rows,
            parent,
        )


_OUTCOME_COLOR = {"grant": GOOD, "holds": MUTED, "duplicate": MUTED, "not_found": BAD, "not_allowed": BAD}


class PreviewModel(RowTableModel[PreviewRow]):
    def __init__(self, rows: Sequence[PreviewRow] = (), parent: Any = None) -> None:
        super().__init__(
            [
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Line"),
                    lambda r: "" if r.line is None else str(r.line),
                    lambda r: r.line or 0,
                    numeric=True,
                    width=44,
                ),
                Column(QT_TRANSLATE_NOOP("Columns", "Entry"), lambda r: r.entry, width=190),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Member"),
                    lambda r: "@" + r.username if r.username else r.entry,
                    width=150,
                    tip=lambda r: r.name,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Outcome"), lambda r: core_text(r.outcome_label), width=120
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Detail"),
                    lambda r: core_text(r.detail),
                    width=300,
                    tip=lambda r: core_text(r.detail),
                ),
            ],
            rows,
            parent,
        )

    def color(self, row: PreviewRow, column: int) -> str | None:
        return _OUTCOME_COLOR.get(row.outcome) if column == 3 else None


def _dec(value: float, decimals: int) -> str:
    """A decimal as the language writes it (``12.5`` / ``12,5``)."""
    return QLocale().toString(float(value), "f", decimals)


RESULTS = (  # what a bulk award's report says of each member (ReportRow.result)
    QT_TRANSLATE_NOOP("RecognitionModels", "granted"),
    QT_TRANSLATE_NOOP("RecognitionModels", "already held"),
    QT_TRANSLATE_NOOP("RecognitionModels", "queued"),
    QT_TRANSLATE_NOOP("RecognitionModels", "sending"),
    QT_TRANSLATE_NOOP("RecognitionModels", "conflict"),
    QT_TRANSLATE_NOOP("RecognitionModels", "failed"),
    QT_TRANSLATE_NOOP("RecognitionModels", "cancelled"),
    QT_TRANSLATE_NOOP("RecognitionModels", "not queued"),
)


def result_text(result: str) -> str:
    """A bulk report's result in the language in force (the core's outcome labels included)."""
    own = QCoreApplication.translate("RecognitionModels", result)
    return own if own != result else core_text(result)


_RESULT_COLOR = {"granted": GOOD, "already held": MUTED, "queued": PENDING, "sending": PENDING}


class ReportModel(RowTableModel[ReportRow]):
    def __init__(self, rows: Sequence[ReportRow] = (), parent: Any = None) -> None:
        super().__init__(
            [
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Member"),
                    lambda r: "@" + r.username if r.user_id is not None else r.username,
                    width=170,
                ),
                Column(QT_TRANSLATE_NOOP("Columns", "Result"), lambda r: result_text(r.result), width=120),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Detail"),
                    lambda r: r.detail,
                    width=360,
                    tip=lambda r: r.detail,
                ),
            ],
            rows,
            parent,
        )

    def color(self, row: ReportRow, column: int) -> str | None:
        if column != 1:
            return None
        return _RESULT_COLOR.get(
            row.result, BAD if row.result in ("conflict", "failed", "not queued") else MUTED
        )


# ---------------------------------------------------------------- superusers


def _raw(c: Candidate, name: str) -> str:
    return f"{c.component(name).raw:g}"


class CandidateModel(RowTableModel[Candidate]):
    def __init__(self, rows: Sequence[Candidate] = (), parent: Any = None) -> None:
        def comp(name: str, header: str) -> Column[Candidate]:
            return Column(
                header,
                lambda c: _raw(c, name),
                lambda c: c.component(name).raw,
                numeric=True,
                width=52,
                tip=lambda c: QCoreApplication.translate(
                    "RecognitionModels", "{component}: {points} points"
                ).format(
                    component=core_text(COMPONENT_LABELS[name]),
                    points=QLocale().toString(float(c.component(name).contribution), "f", 1),
                ),
            )

        super().__init__(
            [
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Member"),
                    lambda c: "@" + c.username,
                    lambda c: c.username.lower(),
                    width=150,
                    tip=lambda c: c.name,
                ),
                Column(QT_TRANSLATE_NOOP("Columns", "Company"), lambda c: c.company, width=120),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Score"),
                    lambda c: _dec(c.score, 1),
                    lambda c: c.score,
                    numeric=True,
                    width=56,
                ),
                comp("accepted", QT_TRANSLATE_NOOP("Columns", "Solved")),
                comp("first_responses", QT_TRANSLATE_NOOP("Columns", "First")),
                comp("replies", QT_TRANSLATE_NOOP("Columns", "Replies")),
                comp("helped", QT_TRANSLATE_NOOP("Columns", "Helped")),
                comp("likes", QT_TRANSLATE_NOOP("Columns", "Likes")),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Nominated"),
                    lambda c: QCoreApplication.translate("RecognitionModels", "yes") if c.nominated else "",
                    width=60,
                ),
            ],
            rows,
            parent,
        )

    def color(self, row: Candidate, column: int) -> str | None:
        return PENDING if column == len(self.columns) - 1 and row.nominated else None


class BreakdownModel(RowTableModel[Component]):
    def __init__(self, rows: Sequence[Component] = (), parent: Any = None) -> None:
        super().__init__(
            [
                Column(QT_TRANSLATE_NOOP("Columns", "Component"), lambda c: core_text(c.label), width=140),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Raw"),
                    lambda c: f"{c.raw:g}",
                    lambda c: c.raw,
                    numeric=True,
                    width=60,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Normalised"),
                    lambda c: _dec(c.normalised, 2),
                    lambda c: c.normalised,
                    numeric=True,
                    width=80,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Weight"),
                    lambda c: f"{c.weight:g}",
                    lambda c: c.weight,
                    numeric=True,
                    width=56,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Points"),
                    lambda c: _dec(c.contribution, 1),
                    lambda c: c.contribution,
                    numeric=True,
                    width=56,
                ),
            ],
            rows,
            parent,
        )


_STATE_COLOR = {"approved": GOOD, "declined": MUTED, "queued": PENDING}


class NominationModel(RowTableModel[Nomination]):
    def __init__(self, rows: Sequence[Nomination] = (), parent: Any = None) -> None:
        super().__init__(
            [
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Member"),
                    lambda n: "@" + n.username,
                    lambda n: n.username.lower(),
                    width=150,
                    tip=lambda n: n.note,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Score"),
                    lambda n: _dec(n.score, 1),
                    lambda n: n.score,
                    numeric=True,
                    width=56,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Seconds"),
                    lambda n: str(n.seconds) + (" ✓" if n.seconded_by_me else ""),
                    lambda n: n.seconds,
                    numeric=True,
                    width=64,
                ),
                Column(QT_TRANSLATE_NOOP("Columns", "State"), lambda n: n.pending or n.state, width=170),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Nominated by"),
                    lambda n: "@" + n.nominated_by if n.nominated_by else "",
                    width=120,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Date"),
                    lambda n: _date(n.created_at),
                    lambda n: n.created_at,
                    width=90,
                ),
            ],
            rows,
            parent,
        )

    def color(self, row: Nomination, column: int) -> str | None:
        if column != 3:
            return None
        return PENDING if row.pending else _STATE_COLOR.get(row.state)


class RenewalModel(RowTableModel[RenewalRow]):
    def __init__(self, rows: Sequence[RenewalRow] = (), parent: Any = None) -> None:
        super().__init__(
            [
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Superuser"),
                    lambda r: "@" + r.username,
                    lambda r: r.username.lower(),
                    width=150,
                    tip=lambda r: r.name,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Last post"),
                    lambda r: _date(r.last_post_at) or "never",
                    lambda r: r.last_post_at,
                    width=100,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Months inactive"),
                    lambda r: "—" if r.months_inactive is None else f"{r.months_inactive:g}",
                    lambda r: r.months_inactive if r.months_inactive is not None else 1e9,
                    numeric=True,
                    width=110,
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Superuser since"),
                    lambda r: _date(r.since),
                    lambda r: r.since,
                    width=110,
                ),
            ],
            rows,
            parent,
        )
