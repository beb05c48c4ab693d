"""Where the shell finds its files (icon, stylesheet, desktop entry) and what it reports about Qt.

The repo keeps them in the top-level ``resources/`` folder. What ships carries them *inside the
``ui`` package*, as ``ui/assets/``: the wheel maps the folder there (pyproject.toml,
``package-dir``), and the PyInstaller spec copies it to the same place in the bundle. So there
is one lookup, relative to this package: ``ui/assets/`` (wheel, bundle), else ``../resources/``
(source checkout, editable install). :data:`REQUIRED` lists every file the app loads;
``selftest --gui`` fails when one is missing, and tests/core/test_packaging.py checks that
the wheel's package-data carries each of them.
"""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QIcon

from modconsole import APP_ID

__all__ = [
    "ICON_SIZES",
    "REQUIRED",
    "app_icon",
    "missing_files",
    "qt_version_text",
    "resource_path",
    "resources_dir",
    "stylesheet",
    "stylesheet_template",
]

ICON_SIZES = (16, 32, 48, 64, 128, 256)
PACKAGE_DIR = Path(__file__).resolve().parent  # the ui package, wherever it was installed or unpacked
SHIPPED = PACKAGE_DIR / "assets"  # wheel and PyInstaller bundle
CHECKOUT = PACKAGE_DIR.parent / "resources"  # source checkout / editable install

# What ships (paths relative to resources/): what the app loads, and the desktop entry, metainfo
# and icons a package or `install` step puts into share/ (see packaging/README.md).
REQUIRED: tuple[str, ...] = (
    "style.qss",
    f"{APP_ID}.desktop",
    f"{APP_ID}.metainfo.xml",
    f"icons/{APP_ID}.svg",
    *(f"icons/{s}x{s}/{APP_ID}.png" for s in ICON_SIZES),
    "i18n/modconsole_de.qm",  # German (ui/i18n.py)
    "i18n/modconsole_en.qm",  # English plural forms
)


def resources_dir() -> Path | None:
    """The folder the app's files come from: ``ui/assets`` when installed or frozen, else the checkout's."""
    for root in (SHIPPED, CHECKOUT):
        if root.is_dir():
            return root
    return None


def resource_path(*parts: str) -> Path | None:
    """The existing ``<resources>/<parts>`` file, or ``None``."""
    root = resources_dir()
    if root is None:
        return None
    candidate = root.joinpath(*parts)
    return candidate if candidate.is_file() else None


def missing_files() -> list[str]:
    """The :data:`REQUIRED` files this installation lacks (empty when complete)."""
    return [rel for rel in REQUIRED if resource_path(*rel.split("/")) is None]


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


def stylesheet_template() -> str:
    """``style.qss`` as shipped: a template of ``$colour`` tokens (see :mod:`ui.theme`), or ``""``."""
    qss = resource_path("style.qss")
    return qss.read_text(encoding="utf-8") if qss is not None else ""


def stylesheet() -> str:
    """The app's stylesheet in the palette in use (light unless the dark theme was applied), or ``""``."""
    from ui import theme

    return theme.stylesheet(theme.current())


def qt_version_text() -> str:
    """``"PySide6 6.11.3, Qt 6.11.3"`` (runtime Qt, which may differ from the binding's)."""
    return f"PySide6 {PySide6.__version__}, Qt {qVersion()}"
