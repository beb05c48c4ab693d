"""KPI tiles: value, change vs the previous period, a sparkline and the definition (no pyqtgraph).

A dashboard has ~20 tiles; a painted polyline per tile costs nothing, where 20 plot widgets would
cost start-up time and memory. :meth:`Sparkline.getData` mirrors pyqtgraph's for tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from modconsole.analytics import KpiDef
from ui import theme
from ui.i18n import change_text, kpi_title, kpi_tooltip, value_text

__all__ = ["KpiTile", "Sparkline"]

# the change's tone: a label role of style.qss (coloured from the palette in use, ui.theme)
GOOD = "success"
BAD = "error"
MUTED = "muted"


class Sparkline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._xs: list[float] = []
        self._ys: list[float] = []
        self.dimmed = False  # the figures are not final (a first sync is running): drawn muted, dashed
        self.setMinimumHeight(26)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(120, 26)

    def setData(self, xs: Sequence[float], ys: Sequence[float]) -> None:
        self._xs, self._ys = list(xs), list(ys)
        self.update()

    def getData(self) -> tuple[list[float], list[float]]:
        return list(self._xs), list(self._ys)

    def paintEvent(self, event: QPaintEvent) -> None:
        if len(self._ys) < 2:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width() - 4, self.height() - 6
        x0, x1 = self._xs[0], self._xs[-1]
        lo, hi = min(self._ys), max(self._ys)
        span_x = (x1 - x0) or 1.0
        span_y = (hi - lo) or 1.0
        points = [
            QPointF(2 + w * (x - x0) / span_x, 3 + h - h * (y - lo) / span_y)
            for x, y in zip(self._xs, self._ys, strict=True)
        ]
        pts = QPolygonF(points)
        pal = theme.current()
        accent = QColor(pal.muted if self.dimmed else pal.accent)
        pen = QPen(accent, 1.6)
        if self.dimmed:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawPolyline(pts)
        last = points[-1]
        p.setBrush(accent)
        p.drawEllipse(last, 2.2, 2.2)
        p.end()


class KpiTile(QFrame):
    """One KPI: title, value for the period, change vs the previous period, sparkline."""

    def __init__(self, kpi: KpiDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kpi = kpi
        self.setObjectName("kpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # its frame and colours: style.qss (QFrame#kpiTile), in the palette in use
        # tiles of a row share its height (one with a wrapped title is taller)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.title = QLabel(kpi_title(kpi) + (self.tr(" ·  server") if kpi.server_reported else ""))
        self.title.setProperty("role", "muted")
        self.title.setStyleSheet("font-size: 11px;")
        self.title.setWordWrap(True)  # a long KPI name wraps in a narrow tile rather than widening the page
        self.info = QLabel("?")
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info.setFixedSize(14, 14)
        self.info.setObjectName("kpiInfo")
        self.info.setToolTip(kpi_tooltip(kpi))
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.change = QLabel("")
        self.change.setProperty("role", MUTED)
        self.change.setStyleSheet("font-size: 11px;")
        self.sparkline = Sparkline()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title, 1)
        top.addWidget(self.info, 0, Qt.AlignmentFlag.AlignTop)
        mid = QHBoxLayout()
        mid.setContentsMargins(0, 0, 0, 0)
        self._rows = (top, mid)
        mid.addWidget(self.value)
        mid.addStretch(1)
        mid.addWidget(self.change, 0, Qt.AlignmentFlag.AlignBottom)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 6)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addLayout(mid)
        lay.addWidget(self.sparkline)
        self.setToolTip(kpi_tooltip(kpi))
        self._value: float | None = None
        self._change: float | None = None
        self._complete = True

    def set_values(
        self,
        value: float | None,
        change: float | None,
        xs: Sequence[float],
        ys: Sequence[float],
        *,
        previous: float | None = None,
        currency: str = "USD",
        empty_hint: str = "",
        complete: bool = True,
        previous_complete: bool = True,
    ) -> None:
        self._value, self._change = value, change
        self._complete = complete
        shown = value_text(self.kpi.id, value, currency=currency)
        # a figure a first sync has not completed is "so far synced", never a fact: marked, muted,
        # and without a change (its base may be as incomplete as itself)
        self.value.setText(shown if complete or value is None else self.tr("{value} *").format(value=shown))
        self.value.setProperty("role", "" if complete else MUTED)
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)
        if not (complete and previous_complete):
            change = None
            self._change = None
        text = change_text(self.kpi.id, change, previous, value)
        if not complete:
            text = self.tr("incomplete")  # short: the tile is narrow; the note above says why
        elif not previous_complete and value is not None:
            text = self.tr("no comparison yet")
        self.change.setText(text if value is not None or not complete else empty_hint)
        if not (complete and previous_complete):
            color = MUTED
        elif previous == 0 and value:  # "new"
            color = GOOD if self.kpi.higher_is_better else BAD
        elif change is None or change == 0:
            color = MUTED
        else:
            color = GOOD if (change > 0) == self.kpi.higher_is_better else BAD
        if self.change.property("role") != color:
            self.change.setProperty("role", color)
            self.change.style().unpolish(self.change)
            self.change.style().polish(self.change)
        prev = value_text(self.kpi.id, previous, currency=currency)
        tip = kpi_tooltip(self.kpi) + "\n\n" + self.tr("Previous period: {value}").format(value=prev)
        if not complete:
            tip += "\n\n" + self.tr(
                "Incomplete: the first sync has not brought in this whole period yet; "
                "the value counts only what is synced so far."
            )
        self.setToolTip(tip)
        self.sparkline.dimmed = not complete
        self.sparkline.setData(xs, ys)
        # a label's new text invalidates only the tile's own layout, not the rows nested in it: until
        # Qt activates the layout (a posted event), minimumSizeHint() still answered the width of the
        # old texts, and the page fitted four columns of tiles that then grew past its right edge
        for row in self._rows:
            row.invalidate()

    @property
    def current_value(self) -> float | None:
        return self._value

    @property
    def current_change(self) -> float | None:
        return self._change

    @property
    def complete(self) -> bool:
        """False while the value counts an incompletely synced period (shown marked, muted)."""
        return self._complete
