"""Where the shell finds its files (icon, stylesheet) and what it reports about Qt.

``resources/`` sits next to the ``ui`` package in a source checkout and in the PyInstaller
bundle (``sys._MEIPASS``); an installed wheel has no ``resources/``, so every helper here
degrades to "nothing" (no icon, default style) instead of failing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QIcon

from modconsole import APP_ID

__all__ = ["app_icon", "qt_version_text", "resource_path", "stylesheet"]

ICON_SIZES = (16, 32, 48, 64, 128, 256)


def _roots() -> list[Path]:
    roots = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.append(Path(bundle) / "resources")
    roots.append(Path(__file__).resolve().parent.parent / "resources")
    return roots


def resource_path(*parts: str) -> Path | None:
    """The first existing ``resources/<parts>`` file, or ``None``."""
    for root in _roots():
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return None


def app_icon() -> QIcon:
    """The application icon (all PNG sizes plus the SVG); empty if the files are missing."""
    icon = QIcon()
    for size in ICON_SIZES:
        png = resource_path("icons", f"{size}x{size}", f"{APP_ID}.png")
        if png is not None:
            icon.addFile(str(png))
    svg = resource_path("icons", f"{APP_ID}.svg")
    if svg is not None and icon.isNull():
        icon.addFile(str(svg))
    return icon


def stylesheet() -> str:
    """The app's light stylesheet (``resources/style.qss``), or ``""``."""
    qss = resource_path("style.qss")
    return qss.read_text(encoding="utf-8") if qss is not None else ""


def qt_version_text() -> str:
    """``"PySide6 6.11.3, Qt 6.11.3"`` (runtime Qt, which may differ from the binding's)."""
    return f"PySide6 {PySide6.__version__}, Qt {qVersion()}"
