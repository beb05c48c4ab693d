"""Search matches, highlighted in the queue's question column.

The queue's search is the cache's full-text search: every word of the search must occur as a word
of the question or its replies (``modconsole.cache.repo.fts_query``). :func:`match_spans` finds
those words in a title — whole words, any case — and :class:`MatchDelegate` paints a marker behind
them. The marker's colour is the table's ``matchColor`` property, set by the stylesheet
(``qproperty-matchColor``); without a stylesheet, the palette's highlight, faded.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

__all__ = ["MatchDelegate", "match_spans"]

_WORD = re.compile(r"\w+", re.UNICODE)  # as the search splits its words


def match_spans(text: str, search: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each whole-word occurrence of a search word in ``text``, in order,
    overlapping ones merged."""
    words = {w.casefold() for w in _WORD.findall(search)}
    if not words or not text:
        return []
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text) if m.group().casefold() in words]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class MatchDelegate(QStyledItemDelegate):
    """Paints a cell as usual, with a marker behind the words that match :attr:`search`."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self.view = view
        self.search = ""

    def match_color(self) -> QColor:
        value = self.view.property("matchColor")
        if isinstance(value, QColor) and value.isValid():
            return value
        faded = QColor(self.view.palette().color(QPalette.ColorRole.Highlight))
        faded.setAlpha(80)
        return faded

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        spans = match_spans(text, self.search) if self.search else []
        if not spans:  # as QStyledItemDelegate.paint does, without asking the model a second time
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            return
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        opt.text = ""
        style.drawControl(
            QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget
        )  # background, selection
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        area = text_rect.adjusted(margin, 0, -margin, 0)
        fm = opt.fontMetrics
        shown = fm.elidedText(text, opt.textElideMode, area.width())
        visible = len(shown) if shown == text else max(0, len(shown) - 1)  # before the "…"
        painter.save()
        painter.setClipRect(area)
        colour = self.match_color()
        for start, end in spans:
            if start >= visible:
                break
            x0 = area.left() + fm.horizontalAdvance(text[:start])
            x1 = area.left() + fm.horizontalAdvance(text[: min(end, visible)])
            painter.fillRect(QRect(x0, area.top() + 3, x1 - x0, area.height() - 6), colour)
        painter.restore()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        style.drawItemText(
            painter,
            area,
            int(opt.displayAlignment | Qt.AlignmentFlag.AlignVCenter),
            opt.palette,
            True,
            shown,
            role,
        )
        painter.restore()
