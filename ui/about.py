"""The About dialog: name, version, Qt, where the logs and data live, licence.

The main window calls ``show_about(parent, paths)``.
"""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from modconsole import APP_DISPLAY_NAME, __version__
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.paths import Paths
from ui.resources import app_icon, qt_version_text

__all__ = ["AboutDialog", "open_folder", "show_about"]

LICENSE_LINE = QT_TRANSLATE_NOOP(
    "AboutDialog", "Free software under the MIT licence, provided without warranty."
)
HOMEPAGE = "https://github.com/modconsole/modconsole"


def open_folder(path: Path) -> bool:
    """Open ``path`` in the system file manager (created first if missing)."""
    path.mkdir(parents=True, exist_ok=True)
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


class AboutDialog(QDialog):
    def __init__(self, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About {app}").format(app=APP_DISPLAY_NAME))
        self.paths = paths
        icon = app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)

        header = QHBoxLayout()
        header.setSpacing(16)
        logo = QLabel()
        if not icon.isNull():
            logo.setPixmap(icon.pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        header.addWidget(logo)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        name = QLabel(APP_DISPLAY_NAME)
        name.setProperty("role", "heading")
        name.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.version_label = QLabel(self.tr("Version {version}").format(version=__version__))
        self.version_label.setObjectName("versionLabel")
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tagline = QLabel(self.tr("Triage, recognition and analytics for customer communities."))
        tagline.setProperty("role", "muted")
        titles.addWidget(name)
        titles.addWidget(self.version_label)
        titles.addWidget(tagline)
        header.addLayout(titles, 1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        self.qt_label = QLabel(qt_version_text())
        self.qt_label.setObjectName("qtLabel")
        rows: list[tuple[str, QWidget]] = [
            ("Qt", self.qt_label),
            (
                "Python",
                QLabel(
                    self.tr("{version} on {system} {machine}").format(
                        version=platform.python_version(),
                        system=platform.system(),
                        machine=platform.machine(),
                    )
                ),
            ),
        ]
        for r, (key, widget) in enumerate(rows):
            grid.addWidget(self._key(key), r, 0)
            grid.addWidget(widget, r, 1, 1, 2)
        self.folder_buttons: dict[str, QPushButton] = {}
        for r, (key, folder) in enumerate((("Logs", paths.logs), ("Data", paths.data)), start=len(rows)):
            label = QLineEdit(str(folder))
            label.setObjectName(f"{key.lower()}PathField")
            label.setReadOnly(True)
            label.setCursorPosition(0)
            label.setToolTip(str(folder))
            label.setMinimumWidth(300)
            button = QPushButton(self.tr("Open folder"))
            button.setObjectName(f"open{key}Button")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, p=folder: open_folder(p))
            self.folder_buttons[key.lower()] = button
            grid.addWidget(self._key(self.tr("Logs") if key == "Logs" else self.tr("Data")), r, 0)
            grid.addWidget(label, r, 1)
            grid.addWidget(button, r, 2)
        grid.setColumnStretch(1, 1)

        licence = QLabel(f'{self.tr(LICENSE_LINE)}<br><a href="{HOMEPAGE}">{HOMEPAGE}</a>')
        licence.setObjectName("licenceLabel")
        licence.setProperty("role", "muted")
        licence.setOpenExternalLinks(True)
        licence.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addLayout(grid)
        layout.addWidget(licence)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    @staticmethod
    def _key(text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "muted")
        return label


def show_about(parent: QWidget | None, paths: Paths) -> AboutDialog:
    """Open the About dialog (window-modal, non-blocking) and return it."""
    dialog = AboutDialog(paths, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
