"""The dialog for unexpected errors (bugs), and the excepthook that shows it.

Known, explainable failures (``ModConsoleError``) never come here; they become messages
(``ui.messages.present_failure``). This dialog is for everything else: a short calm message,
collapsible details (``modconsole.log.diagnostics_text``: version, platform, Qt, paths,
traceback, recent log lines, all redacted) and **Copy details**.

The main window calls ``show_error(parent, exc_info)``; ``show_error`` also fits
``ui.messages.set_bug_hook``. ``install_excepthook()`` routes uncaught exceptions here.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from modconsole import APP_DISPLAY_NAME
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.log import diagnostics_text, redact
from ui.resources import qt_version_text

__all__ = ["ErrorDialog", "install_excepthook", "show_error"]

log = logging.getLogger("modconsole.ui")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

HEADING = QT_TRANSLATE_NOOP("ErrorDialog", "Something went wrong")
MESSAGE = QT_TRANSLATE_NOOP(
    "ErrorDialog",
    "{app} ran into an unexpected problem. You can usually carry on working. "
    "If it happens again, please copy the details and include them in a bug report.",
)


class ErrorDialog(QDialog):
    def __init__(self, exc_info: ExcInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(self.tr("Unexpected problem"))
        self.exc_info = exc_info
        self.details = diagnostics_text(exc_info, qt_version=qt_version_text())

        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(40, 40)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        message = QLabel(self.tr(MESSAGE).format(app=APP_DISPLAY_NAME))
        message.setWordWrap(True)
        message.setObjectName("errorMessage")
        exc_type, exc, _ = exc_info
        summary = redact("".join(traceback.format_exception_only(exc_type, exc)).strip())
        self.summary_label = QLabel(summary)
        self.summary_label.setObjectName("errorSummary")
        self.summary_label.setProperty("role", "muted")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text_col = QVBoxLayout()
        text_col.setSpacing(8)
        heading = QLabel(self.tr(HEADING))
        heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
        text_col.addWidget(heading)
        text_col.addWidget(message)
        text_col.addWidget(self.summary_label)
        text_col.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(icon)
        top.addLayout(text_col, 1)

        self.details_view = QPlainTextEdit(self.details)
        self.details_view.setObjectName("errorDetails")
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_view.setMinimumHeight(260)
        self.details_view.setVisible(False)

        self.toggle_button = QPushButton(self.tr("Show details"))
        self.toggle_button.setObjectName("toggleDetailsButton")
        self.toggle_button.setCheckable(True)
        self.toggle_button.setAutoDefault(False)
        self.toggle_button.toggled.connect(self._set_details_visible)
        self.copy_button = QPushButton(self.tr("Copy details"))
        self.copy_button.setObjectName("copyDetailsButton")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox()
        buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _set_details_visible(self, visible: bool) -> None:
        self.details_view.setVisible(visible)
        self.toggle_button.setText(self.tr("Hide details") if visible else self.tr("Show details"))
        if visible:
            self.resize(max(self.width(), 720), self.sizeHint().height())
        else:
            self.adjustSize()

    def copy_details(self) -> None:
        """Put the (redacted) details on the clipboard."""
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Copied"))
        QTimer.singleShot(1500, self, lambda: self.copy_button.setText(self.tr("Copy details")))


_open: list[ErrorDialog] = []


def show_error(parent: QWidget | Any | None, exc_info: ExcInfo) -> ErrorDialog | None:
    """Show the error dialog for ``exc_info`` (window-modal, non-blocking).

    While one error dialog is open, further errors are only logged (a burst of the same
    failure must not bury the window under dialogs); returns ``None`` then.
    """
    for dialog in _open:
        if dialog.isVisible():
            log.info("further error while the error dialog is open: %s", exc_info[0].__name__)
            return None
    widget_parent = parent if isinstance(parent, QWidget) else None
    dialog = ErrorDialog(exc_info, widget_parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open.append(dialog)
    dialog.finished.connect(lambda _r: _open.remove(dialog) if dialog in _open else None)
    dialog.open()
    return dialog


ParentGetter = Callable[[], QWidget | None]


def install_excepthook(parent: ParentGetter | None = None) -> Callable[..., Any]:
    """Route uncaught exceptions to the log and the error dialog; returns the previous hook.

    ``KeyboardInterrupt`` keeps Python's default behaviour. Without a running
    ``QApplication`` the traceback is only logged and printed.
    """
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("uncaught exception", exc_info=(exc_type, exc, tb))
        if QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            show_error(parent() if parent else QApplication.activeWindow(), (exc_type, exc, tb))
        except Exception:  # the dialog itself failed: never recurse into the hook
            log.exception("the error dialog failed")
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook
    return previous
