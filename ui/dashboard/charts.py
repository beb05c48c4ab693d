"""Chart panels (pyqtgraph). Import this module only when the dashboard is first shown.

Each :class:`ChartPanel` owns one ``PlotWidget`` with a ``DateAxisItem`` (epoch seconds) and one
``PlotDataItem`` per series, created once; :meth:`ChartPanel.set_result` only calls ``setData``
(PERFORMANCE.md: re-use plot items). Hovering shows a read-out of the bucket under the mouse;
clicking a bucket emits :attr:`ChartPanel.bucket_clicked`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QCoreApplication, QDate, QLocale, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from modconsole.analytics import Bucket, KpiResult, kpi, series_csv
from modconsole.analytics.periods import add_months
from modconsole.i18n import QT_TRANSLATE_NOOP
from ui import theme
from ui.i18n import period_text, value_text

__all__ = ["CHARTS", "ChartPanel", "ChartSpec"]

pg.setConfigOptions(antialias=True, background=theme.current().surface, foreground=theme.current().muted)


@dataclass(frozen=True)
class ChartSpec:
    id: str
    title: str
    series: tuple[tuple[str, str], ...]  # (kpi id, legend label)
    scale: float = 1.0  # value → plotted value (seconds → hours)
    y_label: str = ""
    drill: str = "questions"  # what a click opens: questions | members
    drill_state: str = "all"


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "community",
        QT_TRANSLATE_NOOP("Charts", "Members and contributors"),
        (
            ("signups", QT_TRANSLATE_NOOP("Charts", "New members")),
            ("active_contributors", QT_TRANSLATE_NOOP("Charts", "Active contributors")),
        ),
        drill="members",
    ),
    ChartSpec(
        "questions",
        QT_TRANSLATE_NOOP("Charts", "Questions"),
        (
            ("questions_asked", QT_TRANSLATE_NOOP("Charts", "Asked")),
            ("questions_answered", QT_TRANSLATE_NOOP("Charts", "Answered")),
            ("questions_solved", QT_TRANSLATE_NOOP("Charts", "Solved")),
            ("unanswered_backlog", QT_TRANSLATE_NOOP("Charts", "Unanswered backlog")),
        ),
        drill_state="unanswered",
    ),
    ChartSpec(
        "response",
        QT_TRANSLATE_NOOP("Charts", "Time to first response (hours)"),
        (
            ("ttfr_median", QT_TRANSLATE_NOOP("Charts", "Median")),
            ("ttfr_p90", QT_TRANSLATE_NOOP("Charts", "90th percentile")),
        ),
        scale=1 / 3600,
        y_label="hours",
        drill_state="answered",
    ),
    ChartSpec(
        "health",
        QT_TRANSLATE_NOOP("Charts", "Support health (%)"),
        (
            ("answer_rate", QT_TRANSLATE_NOOP("Charts", "Answer rate")),
            ("solution_rate", QT_TRANSLATE_NOOP("Charts", "Solution rate")),
            ("p2p_first_response", QT_TRANSLATE_NOOP("Charts", "Peer-to-peer first responses")),
            ("sla_attainment", QT_TRANSLATE_NOOP("Charts", "SLA attainment")),
        ),
        y_label="%",
    ),
)


def _chart_text(text: str) -> str:
    """A chart's title, axis or series name (marked in :data:`CHARTS`, context ``Charts``)."""
    return QCoreApplication.translate("Charts", text)


class ChartPanel(QWidget):
    bucket_clicked = Signal(str, int)  # chart id, bucket index
    export_png_requested = Signal(str)
    export_csv_requested = Signal(str)

    def __init__(self, spec: ChartSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"chart_{spec.id}")
        self._result: KpiResult | None = None
        self.title_label = title = QLabel(_chart_text(spec.title))
        title.setStyleSheet("font-weight: 600;")
        self.readout = QLabel(" ")
        self.readout.setProperty("role", "muted")
        self.readout.setStyleSheet("font-size: 11px;")
        self.png_button = QToolButton()
        self.png_button.setText(self.tr("PNG"))
        self.png_button.setToolTip(self.tr("Save this chart as an image"))
        self.png_button.clicked.connect(lambda: self.export_png_requested.emit(spec.id))
        self.csv_button = QToolButton()
        self.csv_button.setText(self.tr("CSV"))
        self.csv_button.setToolTip(self.tr("Save this chart's data as CSV"))
        self.csv_button.clicked.connect(lambda: self.export_csv_requested.emit(spec.id))
        self.png_button.setAccessibleName(
            self.tr("Save the {chart} chart as an image").format(chart=_chart_text(spec.title))
        )
        self.csv_button.setAccessibleName(
            self.tr("Save the {chart} chart's data as CSV").format(chart=_chart_text(spec.title))
        )
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addStretch(1)
        # the note for the hatched buckets, under the title (inside the plot it covered the legend;
        # beside the title it widened the panel past a laptop screen)
        self.incomplete_label = QLabel(
            self.tr("Hatched, hollow points: incomplete, the sync is still running")
        )
        self.incomplete_label.setProperty("role", "warning")
        self.incomplete_label.setStyleSheet("font-size: 11px;")
        self.incomplete_label.setWordWrap(True)
        self.incomplete_label.setVisible(False)
        head.addWidget(self.png_button)
        head.addWidget(self.csv_button)

        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.plot.setMinimumHeight(210)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        pi = self.plot.getPlotItem()
        pi.getViewBox().setDefaultPadding(0.04)
        if spec.y_label:
            pi.setLabel("left", _chart_text(spec.y_label))
        self.plot.setAccessibleName(self.tr("{chart} chart").format(chart=_chart_text(spec.title)))
        self.plot.setAccessibleDescription(
            self.tr("{series} over time; click a point to open its questions.").format(
                series=", ".join(_chart_text(label) for _k, label in spec.series)
            )
        )
        self.legend = legend = pi.addLegend(offset=(8, 4), labelTextSize="8pt")
        legend.setColumnCount(2)
        self.curves: dict[str, pg.PlotDataItem] = {}
        for kid, label in spec.series:
            curve = pi.plot([], [], name=_chart_text(label), symbol="o", symbolSize=5, symbolPen=None)
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            self.curves[kid] = curve
        # the running (partial) bucket: a light band labelled "so far", so a short last bar or dip
        # is read as "not over yet", not as a collapse
        self.so_far = pg.LinearRegionItem(values=(0, 1), movable=False, pen=pg.mkPen(None))
        self.so_far.setZValue(-10)
        self.so_far.setVisible(False)
        pi.addItem(self.so_far, ignoreBounds=True)
        self.so_far_label = pg.TextItem(self.tr("so far"), anchor=(0, 0))
        self.so_far_label.setVisible(False)
        pi.addItem(self.so_far_label, ignoreBounds=True)
        # buckets a first sync has not completed: a hatched band labelled "incomplete", and their
        # points drawn hollow, so a half-synced month never reads as a real dip
        self.incomplete_band = pg.LinearRegionItem(values=(0, 1), movable=False, pen=pg.mkPen(None))
        self.incomplete_band.setZValue(-9)
        self.incomplete_band.setVisible(False)
        pi.addItem(self.incomplete_band, ignoreBounds=True)
        self.incomplete_points = pg.ScatterPlotItem(size=7, symbol="o")
        self.incomplete_points.setZValue(10)
        pi.addItem(self.incomplete_points, ignoreBounds=True)
        self.marker = pg.InfiniteLine(angle=90, movable=False)
        self.marker.setVisible(False)
        pi.addItem(self.marker, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._on_mouse_clicked)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(2)
        lay.addLayout(head)
        lay.addWidget(self.incomplete_label)
        lay.addWidget(self.plot)
        lay.addWidget(self.readout)
        self.setProperty("role", "chartCard")  # its frame: style.qss, in the palette in use
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.apply_theme(theme.current())
        manager = theme.installed()
        if manager is not None:
            manager.changed.connect(self.apply_theme)

    def apply_theme(self, pal: theme.Palette) -> None:
        """Colour the plot from ``pal``: background, axes, legend, lines, the "so far" band."""
        self.plot.setBackground(pal.surface)
        pi = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = pi.getAxis(name)
            axis.setPen(pg.mkPen(pal.strong))
            axis.setTextPen(pg.mkPen(pal.muted))
        self.legend.setLabelTextColor(pal.muted)
        for _sample, label in self.legend.items:  # the entries already there take the new colour too
            label.setText(label.text, color=pal.muted)
        for i, (kid, curve) in enumerate(self.curves.items()):
            color = pal.series[i % len(pal.series)]
            dashed = kid in ("unanswered_backlog", "ttfr_p90")
            style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
            curve.setPen(pg.mkPen(color, width=2, style=style))
            curve.setSymbolBrush(color)
        band = QColor(pal.so_far)
        band.setAlpha(40)
        self.so_far.setBrush(pg.mkBrush(band))
        self.so_far_label.setColor(pal.so_far)
        self.marker.setPen(pg.mkPen(pal.strong, width=1))
        hatch = QColor(pal.muted)
        hatch.setAlpha(90)
        self.incomplete_band.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        self.incomplete_points.setPen(pg.mkPen(pal.muted, width=1.4))
        self.incomplete_points.setBrush(pg.mkBrush(pal.surface))

    # ------------------------------------------------------------ data

    def set_result(self, result: KpiResult) -> None:
        """Update every curve in place (``setData``), never re-creating plot items."""
        self._result = result
        symbols = len(result.buckets) <= 40
        for kid, curve in self.curves.items():
            xs, ys = result.points(kid)
            if self.spec.scale != 1.0:
                ys = [y * self.spec.scale for y in ys]
            curve.setData(xs, ys, symbol="o" if symbols else None)
        running = [b for b in result.buckets if b.partial]
        self.so_far.setVisible(bool(running))
        self.so_far_label.setVisible(bool(running))
        if running:
            b = running[-1]
            self.so_far.setRegion((b.epoch, b.epoch + _natural_days(b) * 86400))
            ys_all = [y for _, (_, ys) in self.series_values().items() for y in ys]
            self.so_far_label.setPos(b.epoch, max(ys_all) if ys_all else 0)
        self._show_incomplete(result)
        self.plot.getPlotItem().enableAutoRange()

    def incomplete_indexes(self) -> list[int]:
        """Buckets of this chart that a first sync has not completed (for any of its series)."""
        r = self._result
        if r is None or not r.coverage.syncing:
            return []
        return [
            i
            for i in range(len(r.buckets))
            if not all(r.bucket_complete(i, kid) for kid, _ in self.spec.series)
        ]

    def _show_incomplete(self, result: KpiResult) -> None:
        idx = self.incomplete_indexes()
        self.incomplete_band.setVisible(bool(idx))
        self.incomplete_label.setVisible(bool(idx))
        xs: list[float] = []
        ys: list[float] = []
        if idx:
            first, last = result.buckets[idx[0]], result.buckets[idx[-1]]
            end = last.epoch + (last.end - last.start).days * 86400
            self.incomplete_band.setRegion((first.epoch, end))
            for kid, _ in self.spec.series:
                px, py = result.incomplete_points(kid)
                xs += px
                ys += [y * self.spec.scale for y in py]
        self.incomplete_points.setData(xs, ys)

    @property
    def shows_incomplete(self) -> bool:
        """Some bucket is marked incomplete (a hatched band, hollow points)."""
        return bool(self.incomplete_band.isVisible())

    @property
    def shows_so_far(self) -> bool:
        """The running bucket is marked (a band labelled "so far")."""
        return bool(self.so_far.isVisible())

    def csv_text(self) -> str:
        if self._result is None:
            return ""
        return series_csv(self._result, [k for k, _ in self.spec.series])

    def save_png(self, path: str | Path) -> bool:
        """The chart alone (title and plot), never the panel's own PNG/CSV buttons."""
        return bool(self.render_chart().save(str(path)))

    def render_chart(self) -> QImage:
        plot = self.plot.grab().toImage()
        title_h = self.title_label.sizeHint().height() + 8
        img = QImage(plot.width(), plot.height() + title_h, QImage.Format.Format_ARGB32)
        pal = theme.current()
        img.fill(QColor(pal.surface))
        p = QPainter(img)
        p.setFont(self.title_label.font())
        p.setPen(QColor(pal.text))
        p.drawText(8, 0, plot.width() - 16, title_h, Qt.AlignmentFlag.AlignVCenter, self._export_title())
        p.drawImage(0, title_h, plot)
        p.end()
        return img

    def _export_title(self) -> str:
        if self._result is None:
            return _chart_text(self.spec.title)
        title = self.tr("{chart} — {period}").format(
            chart=_chart_text(self.spec.title), period=period_text(self._result.period)
        )
        if self.incomplete_indexes():
            title += self.tr(" (hatched: incomplete, sync running)")
        return title + self.tr(" (last bar so far)") if self._result.partial else title

    # ------------------------------------------------------------ hover and click

    def index_at_x(self, x: float) -> int | None:
        """The bucket whose span contains epoch second ``x`` (nearest start otherwise)."""
        if self._result is None or not self._result.buckets:
            return None
        xs = self._result.xs()
        best = min(range(len(xs)), key=lambda i: abs(xs[i] - x))
        return best

    def readout_text(self, index: int) -> str:
        assert self._result is not None
        b = self._result.buckets[index]
        is_month = len(b.key) == 7  # 'YYYY-MM', whole or (running) clipped
        locale = QLocale()
        day = QDate(b.start.year, b.start.month, b.start.day)
        if is_month:
            label = locale.toString(day, "MMMM yyyy")
        elif "W" in b.key:
            label = self.tr("week {week} of {year}").format(week=int(b.key.split("W")[1]), year=b.key[:4])
        else:
            label = locale.toString(day, QLocale.FormatType.ShortFormat)
        parts = [self.tr("{label} (so far)").format(label=label) if b.partial else label]
        if index in self.incomplete_indexes():
            parts[0] = self.tr("{label} (incomplete: sync running)").format(label=parts[0])
        for kid, name in self.spec.series:
            parts.append(f"{_chart_text(name)} {value_text(kid, self._result.series[kid][index])}")
        return "  ·  ".join(parts)

    def show_readout(self, index: int) -> None:
        if self._result is None:
            return
        self.readout.setText(self.readout_text(index))
        self.marker.setPos(self._result.buckets[index].epoch)
        self.marker.setVisible(True)

    def _scene_to_index(self, pos: QPointF) -> int | None:
        vb = self.plot.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(pos):
            return None
        return self.index_at_x(vb.mapSceneToView(pos).x())

    def _on_mouse_moved(self, pos: QPointF) -> None:
        i = self._scene_to_index(pos)
        if i is None:
            self.marker.setVisible(False)
            return
        self.show_readout(i)

    def _on_mouse_clicked(self, event: object) -> None:
        pos = getattr(event, "scenePos", None)
        if pos is None:
            return
        i = self._scene_to_index(pos())
        if i is not None:
            self.bucket_clicked.emit(self.spec.id, i)

    def series_values(self) -> dict[str, tuple[list[float], list[float]]]:
        """Every curve's current (x, y), as pyqtgraph holds it."""
        out = {}
        for kid, curve in self.curves.items():
            x, y = curve.getData()
            out[kid] = (
                [] if x is None else [float(v) for v in x],
                [] if y is None else [float(v) for v in y],
            )
        return out


def _natural_days(b: Bucket) -> int:
    """The whole day, week or month a (clipped, running) bucket belongs to, in days from its start."""
    if len(b.key) == 7:  # 'YYYY-MM'
        return (add_months(b.start.replace(day=1), 1) - b.start).days
    if "W" in b.key:
        return 7 - b.start.weekday()
    return 1


def spec_kpis(spec: ChartSpec) -> Sequence[str]:
    return [k for k, _ in spec.series]


def check_specs() -> None:
    for spec in CHARTS:
        for kid, _ in spec.series:
            kpi(kid)
