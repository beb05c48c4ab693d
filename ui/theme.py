"""Light and dark: the app's two palettes, and which one is in use.

One :class:`Palette` per theme names every colour the console uses, by what it is for (text,
muted text, surfaces, the accent, danger …). The stylesheet (``resources/style.qss``) is a
template of ``$name`` tokens filled from a palette (:func:`stylesheet`), and Python code that
colours something itself (table cells, HTML it writes, the dashboard's charts) asks
:func:`current` at the moment it paints, so nothing light is left behind in the dark theme.

Which theme is used: the moderator's choice (the registry's ``ui.appearance``: ``system``,
``light`` or ``dark``); with ``system`` the platform's colour scheme (``QStyleHints.colorScheme``,
followed while the app runs through its change signal). :class:`ThemeManager` applies it to the
application (stylesheet and ``QPalette``) and announces each change (:attr:`ThemeManager.changed`)
for what paints with Python colours (the charts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from string import Template
from typing import Literal

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from modconsole.settings import APPEARANCES

__all__ = [
    "APPEARANCES",
    "DARK",
    "LIGHT",
    "Palette",
    "ThemeManager",
    "brush",
    "current",
    "follow",
    "install",
    "installed",
    "stylesheet",
    "tier",
    "uninstall",
]

log = logging.getLogger("ui.theme")

Scheme = Literal["light", "dark"]


@dataclass(frozen=True)
class Palette:
    """Every colour of one theme (``#rrggbb``), named by its use."""

    name: Scheme
    window: str  # the window's and dialogs' background
    surface: str  # inputs, tables, cards, menus
    alt: str  # alternate table rows
    raised: str  # hovered buttons, headers, tabs, the status bar
    line: str  # grid lines, splitters, separators
    border: str  # frames of tables, cards, group boxes
    strong: str  # frames of buttons and inputs
    text: str
    muted: str  # secondary text: counts, hints, dates
    subtle: str  # "no target" and other de-emphasised cells (still readable)
    disabled: str
    accent: str  # focus rings, links, the primary button, progress
    accent_hover: str
    accent_focus: str  # the primary button's focus ring
    on_accent: str  # text on the accent
    accent_soft: str  # hovered menu items, pressed buttons
    selection: str  # the selected row of the focused list
    danger: str  # errors, overdue, conflicts
    danger_border: str
    breached: str  # a first-response target missed in the past (less loud than overdue)
    warning: str  # due soon, waiting, notes
    success: str  # online, done, on target
    info: str  # in flight, employees
    banner_warning: str  # backgrounds of message banners
    banner_error: str
    banner_border: str
    accepted: str  # an accepted answer's card
    accepted_border: str
    scroll: str
    scroll_hover: str
    gold: str  # badge tiers (dots)
    silver: str
    bronze: str
    so_far: str  # the dashboard's "so far" label; its band is this colour, faint
    match: str  # behind search matches in the queue
    series: tuple[str, ...]  # the charts' lines

    @property
    def dark(self) -> bool:
        return self.name == "dark"

    def tokens(self) -> dict[str, str]:
        """The stylesheet's ``$name`` tokens."""
        return {f.name: getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), str)}


LIGHT = Palette(
    name="light",
    window="#f4f5f7",
    surface="#ffffff",
    alt="#f8f9fb",
    raised="#eef1f5",
    line="#e6e9ee",
    border="#d5d9e0",
    strong="#b8bec8",
    text="#1f2328",
    muted="#566070",
    subtle="#646c79",
    disabled="#9aa1ab",
    accent="#2a6496",
    accent_hover="#23557f",
    accent_focus="#163a5a",
    on_accent="#ffffff",
    accent_soft="#e3eef7",
    selection="#cfe1f0",
    danger="#b3261e",
    danger_border="#d9a09c",
    breached="#8c5a55",
    warning="#8a5a00",
    success="#2e6b30",
    info="#1f5fa3",
    banner_warning="#fdf3e1",
    banner_error="#fbe9e7",
    banner_border="#e6c960",
    accepted="#f3fbf3",
    accepted_border="#9ccc9f",
    scroll="#c6ccd5",
    scroll_hover="#a9b1bd",
    gold="#a8861a",
    silver="#7b8794",
    bronze="#b0723a",
    so_far="#8a6d00",
    match="#ffe08a",
    series=("#2a6496", "#d06a28", "#5b9a57", "#8c6bb1", "#c24e6c"),
)

DARK = Palette(
    name="dark",
    window="#1b1e23",
    surface="#23272e",
    alt="#272b33",
    raised="#2c313a",
    line="#333944",
    border="#3a404b",
    strong="#4f5663",
    text="#e6e8eb",
    muted="#a8b0bd",
    subtle="#959dab",
    disabled="#6b7380",
    accent="#6cb0f0",
    accent_hover="#8cc2f4",
    accent_focus="#dcecfb",
    on_accent="#0f1720",
    accent_soft="#26384b",
    selection="#243c56",
    danger="#f28b82",
    danger_border="#8a4a45",
    breached="#d3a19b",
    warning="#e2b056",
    success="#81c784",
    info="#8ab4f8",
    banner_warning="#3b321f",
    banner_error="#46292a",
    banner_border="#7a6428",
    accepted="#1e2d22",
    accepted_border="#3f6e44",
    scroll="#4b5260",
    scroll_hover="#606877",
    gold="#e0bb4a",
    silver="#aab5c2",
    bronze="#d08f57",
    so_far="#e2c15a",
    match="#6b5413",
    series=("#6cb0f0", "#f0995c", "#81c784", "#b59ae0", "#ec7f9c"),
)

THEMES: dict[Scheme, Palette] = {"light": LIGHT, "dark": DARK}

_current: Palette = LIGHT


def current() -> Palette:
    """The palette in use (light until a :class:`ThemeManager` applies another)."""
    return _current


_brushes: dict[tuple[Scheme, str], QBrush] = {}


def brush(colour: str) -> QBrush:
    """A (cached) brush of the current palette's ``colour`` (a field name, e.g. ``"danger"``)."""
    pal = _current
    hit = _brushes.get((pal.name, colour))
    if hit is None:
        hit = _brushes[(pal.name, colour)] = QBrush(QColor(getattr(pal, colour)))
    return hit


def tier(type_name: str) -> str:
    """A badge tier's colour (gold, silver, bronze; muted for anything else)."""
    pal = _current
    return str(getattr(pal, type_name)) if type_name in ("gold", "silver", "bronze") else pal.muted


def follow(slot: Callable[[Palette], None]) -> None:
    """Call ``slot`` (a bound method of a QObject: disconnected when it goes) after each change
    of palette: for what wrote colours into rich text (links and inline colours are fixed when
    rich text is parsed, so it must be written again)."""
    if _manager is not None:
        _manager.changed.connect(slot)


def stylesheet(palette: Palette) -> str:
    """The app's stylesheet in ``palette``'s colours (``""`` when ``style.qss`` is missing)."""
    from ui.resources import stylesheet_template

    template = stylesheet_template()
    return Template(template).substitute(palette.tokens()) if template else ""


def qpalette(p: Palette) -> QPalette:
    """A ``QPalette`` of ``p`` for what the stylesheet does not reach (rich text, item views'
    defaults, pyqtgraph's surroundings, native dialogs)."""
    qp = QPalette()
    roles = {
        QPalette.ColorRole.Window: p.window,
        QPalette.ColorRole.WindowText: p.text,
        QPalette.ColorRole.Base: p.surface,
        QPalette.ColorRole.AlternateBase: p.alt,
        QPalette.ColorRole.ToolTipBase: p.surface,
        QPalette.ColorRole.ToolTipText: p.text,
        QPalette.ColorRole.PlaceholderText: p.muted,
        QPalette.ColorRole.Text: p.text,
        QPalette.ColorRole.Button: p.raised,
        QPalette.ColorRole.ButtonText: p.text,
        QPalette.ColorRole.BrightText: p.danger,
        QPalette.ColorRole.Highlight: p.selection,
        QPalette.ColorRole.HighlightedText: p.text,
        QPalette.ColorRole.Link: p.accent,
        QPalette.ColorRole.LinkVisited: p.accent_hover,
        QPalette.ColorRole.Light: p.raised,
        QPalette.ColorRole.Midlight: p.line,
        QPalette.ColorRole.Mid: p.border,
        QPalette.ColorRole.Dark: p.strong,
        QPalette.ColorRole.Shadow: p.window,
    }
    for role, colour in roles.items():
        qp.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        qp.setColor(QPalette.ColorGroup.Disabled, role, QColor(p.disabled))
    return qp


def _scheme_of(value: Qt.ColorScheme) -> Scheme | None:
    if value == Qt.ColorScheme.Dark:
        return "dark"
    if value == Qt.ColorScheme.Light:
        return "light"
    return None


class ThemeManager(QObject):
    """Applies the chosen appearance to the application and follows the system's while the
    choice is ``system``. One per application (:func:`manager`)."""

    changed = Signal(object)  # the Palette now in use

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self.preference = "system"
        # When the platform does not say (Unknown), its own palette does: a dark desktop theme
        # gives a dark window colour. Read once, before our palette replaces it.
        window = app.palette().color(QPalette.ColorRole.Window)
        self._fallback: Scheme = "dark" if window.lightness() < 128 else "light"
        hints = QGuiApplication.styleHints()
        self._system: Scheme = _scheme_of(hints.colorScheme()) or self._fallback
        hints.colorSchemeChanged.connect(self._on_system_scheme)
        self.applied: Palette | None = None

    @property
    def system_scheme(self) -> Scheme:
        return self._system

    def wanted(self) -> Palette:
        if self.preference in ("light", "dark"):
            return THEMES["light" if self.preference == "light" else "dark"]
        return THEMES[self._system]

    def set_preference(self, preference: str) -> Palette:
        """``system``, ``light`` or ``dark`` (anything else reads as ``system``); applies it."""
        self.preference = preference if preference in APPEARANCES else "system"
        return self.apply()

    @Slot(Qt.ColorScheme)
    def _on_system_scheme(self, scheme: Qt.ColorScheme) -> None:
        self._system = _scheme_of(scheme) or self._fallback
        log.info("the system colour scheme is now %s", self._system)
        if self.preference == "system":
            self.apply()

    def apply(self) -> Palette:
        """Put the wanted palette on the application (only when it differs from the applied one)."""
        global _current
        pal = self.wanted()
        if pal is self.applied:
            return pal
        _current = pal
        self.applied = pal
        self._app.setPalette(qpalette(pal))
        self._app.setStyleSheet(stylesheet(pal))
        _configure_pyqtgraph(pal)
        self.changed.emit(pal)
        return pal


def _configure_pyqtgraph(p: Palette) -> None:
    """pyqtgraph's defaults for charts made from now on (only once it is imported: it is heavy)."""
    import sys

    pg = sys.modules.get("pyqtgraph")
    if pg is not None:
        pg.setConfigOptions(background=p.surface, foreground=p.muted)


_manager: ThemeManager | None = None


def install(app: QApplication) -> ThemeManager:
    """Give ``app`` a :class:`ThemeManager` (the app does at start; tests that look at themes)."""
    global _manager
    if _manager is not None:
        uninstall()
    _manager = ThemeManager(app)
    return _manager


def installed() -> ThemeManager | None:
    """The application's :class:`ThemeManager`, ``None`` when nothing manages the look (a test)."""
    return _manager


def uninstall() -> None:
    """Stop following the system and forget the manager; the palette in use reads light again
    (what the application shows stays as it is: the caller restores it)."""
    global _manager, _current
    if _manager is not None:
        QGuiApplication.styleHints().colorSchemeChanged.disconnect(_manager._on_system_scheme)
        _manager.deleteLater()
    _manager = None
    _current = LIGHT
