"""Light and dark: the console follows the system's colour scheme unless the moderator chose one
(Settings → Appearance, stored in the community's settings), nothing light is left in the dark
theme (the charts included), and the main colour pairs of both palettes are readable (WCAG)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from modconsole import settings as registry
from modconsole.paths import Paths
from tests.helpers.messagemock import MessageRecorder
from ui import theme
from ui.mainwindow import LAST_APPEARANCE_KEY, MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager

SMALL = QSize(1024, 700)


# ---------------------------------------------------------------- contrast (WCAG 2.x)


def _luminance(hex_colour: str) -> float:
    c = QColor(hex_colour)

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss


BODY = 4.5  # WCAG AA for text
GRAPHICS = 3.0  # WCAG AA for the parts of a chart or a status dot (1.4.11)


def _pairs(p: theme.Palette) -> list[tuple[str, str, str, float]]:
    """(what, foreground, background, least ratio) for the text and marks the console shows."""
    out: list[tuple[str, str, str, float]] = []
    for bg in ("window", "surface", "alt", "raised", "selection", "accent_soft", "accepted"):
        out.append((f"text on {bg}", p.text, getattr(p, bg), BODY))
    out += [("text on the warning banner", p.text, p.banner_warning, BODY)]
    out += [("text on the error banner", p.text, p.banner_error, BODY)]
    for fg in ("muted", "subtle", "accent", "danger", "warning", "success", "info", "breached"):
        for bg in ("window", "surface", "alt"):
            out.append((f"{fg} on {bg}", getattr(p, fg), getattr(p, bg), BODY))
    out += [("muted on raised (headers, status bar)", p.muted, p.raised, BODY)]
    out += [("muted on a selected row", p.muted, p.selection, BODY)]
    out += [("the primary button's text", p.on_accent, p.accent, BODY)]
    out += [("the chart's 'so far'", p.so_far, p.surface, BODY)]
    for i, line in enumerate(p.series):
        out.append((f"chart line {i + 1}", line, p.surface, GRAPHICS))
    for tier in ("gold", "silver", "bronze"):
        out.append((f"the {tier} dot", getattr(p, tier), p.surface, GRAPHICS))
    out += [("a focus ring", p.accent, p.surface, GRAPHICS)]
    return out


@pytest.mark.parametrize("palette", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_both_palettes_are_readable(palette: theme.Palette) -> None:
    poor = [
        f"{what}: {fg} on {bg} is {contrast(fg, bg):.2f}:1, needs {least}:1"
        for what, fg, bg, least in _pairs(palette)
        if contrast(fg, bg) < least
    ]
    assert not poor, "\n".join(poor)


def test_the_dark_palette_is_dark() -> None:
    """Not the light one again: dark backgrounds, light text, and every colour its own."""
    assert _luminance(theme.DARK.window) < 0.03 and _luminance(theme.DARK.surface) < 0.03
    assert _luminance(theme.DARK.text) > 0.6
    same = [k for k, v in theme.DARK.tokens().items() if k != "name" and v == theme.LIGHT.tokens()[k]]
    assert same == []


def test_the_stylesheet_uses_only_the_palette() -> None:
    """Every colour of style.qss is a palette token: no literal colour is left to stay light."""
    import re

    from ui.resources import stylesheet_template

    template = stylesheet_template()
    body = template[template.index("*/") :]  # after the header comment
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(", body)
    dark = theme.stylesheet(theme.DARK)
    assert theme.DARK.window in dark and theme.LIGHT.window not in dark


# ---------------------------------------------------------------- following the system


@pytest.fixture
def managed(qapp: QApplication) -> Iterator[theme.ThemeManager]:
    """A ThemeManager on the test's application, as the app installs one; the look restored after."""
    sheet, palette = qapp.styleSheet(), qapp.palette()
    manager = theme.install(qapp)
    yield manager
    theme.uninstall()
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def _system_turns(scheme: Qt.ColorScheme) -> None:
    """What the platform does when the desktop's colour scheme changes (the offscreen platform
    has no scheme of its own, so the test sends Qt's own notification)."""
    QGuiApplication.styleHints().colorSchemeChanged.emit(scheme)


def _shows(app: QApplication, pal: theme.Palette) -> bool:
    return (
        theme.current() is pal
        and f"background: {pal.window};" in app.styleSheet()
        and app.palette().color(QPalette.ColorRole.Window).name() == pal.window
    )


def test_the_theme_follows_the_system_unless_one_is_chosen(
    qapp: QApplication, managed: theme.ThemeManager
) -> None:
    managed.set_preference("system")
    _system_turns(Qt.ColorScheme.Dark)
    assert managed.system_scheme == "dark"
    assert _shows(qapp, theme.DARK)
    _system_turns(Qt.ColorScheme.Light)
    assert _shows(qapp, theme.LIGHT)
    # an explicit choice wins over the system, both ways
    managed.set_preference("dark")
    _system_turns(Qt.ColorScheme.Light)
    assert _shows(qapp, theme.DARK)
    managed.set_preference("light")
    _system_turns(Qt.ColorScheme.Dark)
    assert _shows(qapp, theme.LIGHT)
    managed.set_preference("system")  # back to following: the system is dark now
    assert _shows(qapp, theme.DARK)


@pytest.fixture
def window(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced_session: Session,
    managed: theme.ThemeManager,
) -> Iterator[MainWindow]:
    managed.set_preference("system")
    w = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(w)
    w.resize(SMALL)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_settings_appearance_is_stored_with_the_community_and_applied(
    qtbot: QtBot, qapp: QApplication, window: MainWindow, synced_session: Session
) -> None:
    actions = window.appearance_actions
    assert actions["system"].isChecked()
    assert [a.text() for a in window.findChild(QWidget, "appearanceMenu").actions()] == [  # type: ignore[union-attr]
        "Follow the system",
        "Light",
        "Dark",
    ]
    actions["dark"].trigger()
    qtbot.waitUntil(lambda: theme.current() is theme.DARK)
    assert registry.load(synced_session.cache, registry.APPEARANCE) == "dark"
    assert actions["dark"].isChecked() and _shows(qapp, theme.DARK)
    # remembered on this machine too, so the next sign-in screen (before any cache is open) is dark
    assert window.settings.value(LAST_APPEARANCE_KEY) == "dark"
    _system_turns(Qt.ColorScheme.Light)  # chosen, not followed
    assert _shows(qapp, theme.DARK)
    actions["system"].trigger()
    qtbot.waitUntil(lambda: theme.current() is theme.LIGHT)
    assert registry.load(synced_session.cache, registry.APPEARANCE) == "system"
    # a change made elsewhere (`modconsole settings ui.appearance '"dark"'`) is picked up
    registry.store(synced_session.cache, registry.APPEARANCE, "dark")
    window.reload_appearance()
    qtbot.waitUntil(lambda: theme.current() is theme.DARK)
    assert actions["dark"].isChecked()


def test_a_new_window_opens_in_the_communitys_appearance(
    qtbot: QtBot,
    qapp: QApplication,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced_session: Session,
    managed: theme.ThemeManager,
) -> None:
    registry.store(synced_session.cache, registry.APPEARANCE, "dark")
    synced_session.appearance = registry.load(synced_session.cache, registry.APPEARANCE)
    w = MainWindow(synced_session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(w)
    assert _shows(qapp, theme.DARK) and w.appearance_actions["dark"].isChecked()
    w.close()


# ---------------------------------------------------------------- nothing light left


def _light_share(image: QImage) -> float:
    """The share of (sampled) pixels that are a light theme's background: near-white."""
    light = total = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            c = image.pixelColor(x, y)
            total += 1
            if min(c.red(), c.green(), c.blue()) >= 240:
                light += 1
    return light / max(total, 1)


def _render(widget: QWidget, name: str) -> QImage:
    image = widget.grab().toImage()
    folder = os.environ.get("MODCONSOLE_THEME_PNG")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(folder) / f"{name}.png"))
    return image


def _open_thread(window: MainWindow) -> None:
    window.show_page("Queue")
    page = window.queue_page
    page.queue.table.selectRow(0)
    topic = page.queue.current_topic_id()
    assert topic is not None
    page.open_topic(topic)
    QApplication.processEvents()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_renders_in_the_theme(
    qtbot: QtBot, window: MainWindow, managed: theme.ThemeManager, scheme: str
) -> None:
    """Dark: no light background anywhere, charts included (a sampled grab of every page).
    Light (the control): the same pages are mostly light, so the measure can tell them apart."""
    managed.set_preference(scheme)
    for name in window.pages:
        page = window.show_page(name)
        qtbot.wait(50)
        if name == "Dashboard":
            charts = page.charts  # type: ignore[attr-defined]
            qtbot.waitUntil(lambda c=charts: bool(c))
            for panel in charts.values():
                bg = panel.plot.backgroundBrush().color().name()
                assert bg == theme.current().surface, (name, panel.spec.id, bg)
        share = _light_share(_render(window, f"{scheme}-{name.lower()}"))
        if scheme == "dark":
            assert share < 0.01, f"{name}: {share:.1%} of the dark page is light"
        else:
            assert share > 0.5, f"{name}: only {share:.1%} of the light page is light"
    _open_thread(window)
    qtbot.wait(50)
    share = _light_share(_render(window, f"{scheme}-queue-thread"))
    assert (share < 0.01) if scheme == "dark" else (share > 0.5), share


def test_a_chart_turns_dark_with_the_app(
    qtbot: QtBot, window: MainWindow, managed: theme.ThemeManager
) -> None:
    """Charts made in the light theme re-colour when the system turns dark (no rebuild)."""
    managed.set_preference("system")
    _system_turns(Qt.ColorScheme.Light)
    page = window.show_page("Dashboard")
    qtbot.waitUntil(lambda: bool(page.charts))  # type: ignore[attr-defined]
    panel = next(iter(page.charts.values()))  # type: ignore[attr-defined]
    assert panel.plot.backgroundBrush().color().name() == theme.LIGHT.surface
    _system_turns(Qt.ColorScheme.Dark)
    assert panel.plot.backgroundBrush().color().name() == theme.DARK.surface
    first = next(iter(panel.curves.values()))
    assert first.opts["pen"].color().name() == theme.DARK.series[0]
    image = panel.render_chart()  # the PNG export: dark too
    assert image.pixelColor(2, 2).name() == theme.DARK.surface


def test_rich_text_is_rewritten_in_the_new_palette(
    qtbot: QtBot, window: MainWindow, managed: theme.ThemeManager
) -> None:
    """Links and inline colours are fixed when rich text is parsed: the member profile, the
    superuser evidence and the open thread are written again when the palette changes."""
    managed.set_preference("light")
    members = window.show_page("Members")
    members.table.selectRow(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "@" in members.profile.toPlainText())  # type: ignore[attr-defined]
    _open_thread(window)
    qtbot.waitUntil(lambda: bool(window.queue_page.thread_panel._cards))

    def colours() -> str:
        return members.profile.toHtml().lower()  # type: ignore[attr-defined]

    assert theme.LIGHT.muted in colours() and theme.DARK.muted not in colours()
    managed.set_preference("dark")
    assert theme.DARK.muted in colours() and theme.LIGHT.muted not in colours()
    assert theme.DARK.accent in colours()  # the links: the app palette's link colour at parse time
    cards = window.queue_page.thread_panel._cards
    assert cards and all(c.property("accepted") in ("true", "false") for c in cards)
