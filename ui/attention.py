"""The window's attention pieces: the banner (a warning, an error, or "offline" with the next try
and **Try now**) that never moves the page below it, and the undo offer for the last queued action.

Both keep their place in the layout whatever they show: the banner sits in the header row and
keeps its size while hidden (``retainSizeWhenHidden``), its text is one elided line (the whole
text in its tooltip); the undo offer takes the status bar's message place. Colours come from the
stylesheet (``QFrame#banner[level=…]``, ``QFrame#undoToast``).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyleOptionFrame,
    QToolButton,
    QWidget,
)

from ui.messages import Message, MessageLevel

__all__ = ["Banner", "ElidedLabel", "UndoToast"]

TOAST_MS = 30_000  # the undo offer stays this long (later, the Outbox page's Discard does the same)


def _repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a property its rules select on changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class ElidedLabel(QLabel):
    """One line of text, cut with "…" to the width it gets; the whole text is its tooltip. Asks for
    no width of its own, so a long message never widens the window."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = " ".join(text.split())
        self.setText(self._full)
        self.setToolTip(text if text else "")
        self.setAccessibleName(self._full)
        self.update()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(80, super().sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        opt = QStyleOptionFrame()
        opt.initFrom(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(
            painter,
            rect,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            opt.palette,
            self.isEnabled(),
            text,
            self.foregroundRole(),
        )


class Banner(QFrame):
    """Warnings, errors and the offline state, in one line above the page.

    What it shows, most important first: an error message; "offline" with the next try (and
    **Try now**); a warning message. An info message with the same ``replace`` key as the shown
    warning or error clears it (the condition is over: "Synced" after "could not reach"); coming
    back online clears every warning; **Dismiss** clears what is shown."""

    try_now = Signal()
    shown = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._message: Message | None = None
        self._offline: str | None = None
        self._offline_tip = ""
        self.label = ElidedLabel("", self)
        self.label.setObjectName("bannerText")
        self.try_button = QPushButton(self.tr("Try now"), self)
        self.try_button.setObjectName("tryNow")
        self.try_button.setToolTip(
            self.tr("Send what waits now, and check whether the community answers again")
        )
        self.try_button.clicked.connect(self.try_now)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("bannerDismiss")
        self.close_button.setText(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 0, 4, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.try_button)
        layout.addWidget(self.close_button)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, self.sizePolicy().verticalPolicy())
        for w in (self, self.try_button):
            policy = w.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # hidden, it still holds its room: nothing moves
            w.setSizePolicy(policy)
        self._render()

    # ------------------------------------------------------------ state

    @property
    def message(self) -> Message | None:
        return self._message

    @property
    def offline_text(self) -> str | None:
        return self._offline

    def show_message(self, message: Message) -> None:
        if message.level is MessageLevel.INFO:
            shown = self._message
            if shown is not None and message.replace is not None and shown.replace == message.replace:
                self._message = None  # the same condition, now fine
                self._render()
            return
        self._message = message
        self._render()

    def set_offline(self, text: str | None, tip: str = "") -> None:
        """``text``: the offline line (with the next try), or ``None`` when the community answers;
        ``tip``: the longer explanation in its tooltip."""
        if text is None and self._message is not None and self._message.level is MessageLevel.WARNING:
            self._message = None  # "could not reach …" is over
        if (text, tip) == (self._offline, self._offline_tip):
            return
        self._offline, self._offline_tip = text, tip
        self._render()

    @Slot()
    def dismiss(self) -> None:
        self._message = None
        if self._offline is not None:
            self._offline = None
        self._render()

    def level(self) -> str:
        return str(self.property("level") or "")

    def text(self) -> str:
        """What the banner says now ("" while hidden)."""
        return "" if self.isHidden() else self.label.full_text()

    def _render(self) -> None:
        m, offline = self._message, self._offline
        if m is not None and m.level is MessageLevel.ERROR:
            text, level = m.text, "error"
        elif offline is not None:
            text, level = offline, "warning"
        elif m is not None:
            text, level = m.text, "warning"
        else:
            text, level = "", ""
        self.label.set_full_text(text)
        if offline is not None and text == offline:
            tip = [offline, self._offline_tip] + ([m.text] if m is not None else [])
            self.label.setToolTip("\n".join(t for t in tip if t))
        self.try_button.setVisible(offline is not None)
        self.close_button.setVisible(m is not None)  # "offline" ends by itself, not by a click
        if self.property("level") != level:
            self.setProperty("level", level)
            _repolish(self)
        was = not self.isHidden()
        self.setVisible(bool(text))
        if was != bool(text):
            self.shown.emit(bool(text))


class UndoToast(QFrame):
    """ "Queued: … [Undo]" in the status bar for a while after an action was queued.

    It shares the status bar's message place (a :class:`QStackedWidget`, as tall as the taller of
    the two at all times), so it covers no control and moves nothing. ``undo(op_uuids)`` is emitted
    on **Undo**; the window cancels what is still queued and calls :meth:`show_result`."""

    undo = Signal(tuple)

    def __init__(self, place: QStackedWidget, message: QWidget) -> None:
        super().__init__(place)
        self.setObjectName("undoToast")
        self.place = place
        self.message = message  # what the status bar shows when no undo is offered
        self._ops: tuple[str, ...] = ()
        self.label = ElidedLabel("", self)
        self.label.setObjectName("undoToastText")
        self.undo_button = QToolButton(self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setText(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Cancel this action while it is still waiting to be sent"))
        self.undo_button.clicked.connect(self._undo)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("undoToastClose")
        self.close_button.setText("✕")
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 2, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.undo_button)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TOAST_MS)
        self._timer.timeout.connect(self.dismiss)
        place.addWidget(self)

    @property
    def op_uuids(self) -> tuple[str, ...]:
        return self._ops

    def show_queued(self, text: str, op_uuids: tuple[str, ...]) -> None:
        self._ops = op_uuids
        self._show(text, undo=bool(op_uuids))

    def show_result(self, text: str) -> None:
        self._ops = ()
        self._show(text, undo=False)

    def _show(self, text: str, *, undo: bool) -> None:
        self.label.set_full_text(text)
        self.undo_button.setVisible(undo)
        self.undo_button.setEnabled(undo)
        self.place.setCurrentWidget(self)
        self._timer.start()

    @Slot()
    def dismiss(self) -> None:
        self._timer.stop()
        self.place.setCurrentWidget(self.message)

    @Slot()
    def _undo(self) -> None:
        if self._ops:
            self.undo_button.setEnabled(False)
            self.undo.emit(self._ops)
