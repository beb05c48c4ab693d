"""About dialog and error dialog: version shown, folders opened, details copied redacted."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

import ui.about
import ui.error_dialog
from modconsole import __version__
from modconsole import log as mlog
from modconsole.paths import Paths
from ui.about import AboutDialog, show_about
from ui.error_dialog import ErrorDialog, install_excepthook, show_error
from ui.resources import app_icon, qt_version_text, stylesheet

KEY = "3f9c2a7be41d08c6f5a2e9b7d3c1a0f48e6b2d9c7a5f3e1b0d8c6a4f2e0b9d7c"
ODD_KEY = "sk_live-NotHexAtAll_42"
# The offscreen platform warns about size hints whenever a top-level dialog is shown.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SHOTS = Path(os.environ.get("MODCONSOLE_SHOTS", "/tmp/shots"))


@pytest.fixture
def paths() -> Paths:
    return Paths.default().ensure()


@pytest.fixture
def logging_setup(paths: Paths) -> Iterator[mlog.LoggingSetup]:
    setup = mlog.setup_logging(paths)
    yield setup
    setup.close()
    mlog.forget_secrets()


def _shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.setStyleSheet(stylesheet())
    widget.resize(widget.sizeHint().expandedTo(widget.size()))
    assert widget.grab().save(str(SHOTS / name))


def _exc_info_with_key() -> tuple[type[BaseException], BaseException, object]:
    try:
        raise RuntimeError(f"POST /posts.json failed, Api-Key: {KEY}, token {ODD_KEY}")
    except RuntimeError:
        info = sys.exc_info()
    assert info[0] is not None
    return info  # type: ignore[return-value]


def test_resources_are_found(qapp: QApplication) -> None:
    assert not app_icon().isNull()
    assert "QHeaderView::section" in stylesheet()
    assert qt_version_text().startswith("PySide6 ")


def test_about_shows_version_qt_and_paths(qtbot: QtBot, paths: Paths) -> None:
    dialog = AboutDialog(paths)
    qtbot.addWidget(dialog)
    dialog.show()
    assert __version__ in dialog.version_label.text()
    assert "Qt " in dialog.qt_label.text()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    fields = {f.objectName(): f.text() for f in dialog.findChildren(QLineEdit)}
    assert fields == {"logsPathField": str(paths.logs), "dataPathField": str(paths.data)}
    assert any("MIT" in t for t in texts)
    _shot(dialog, "about.png")


def test_about_open_folder_buttons(qtbot: QtBot, paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def fake_open_url(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(ui.about.QDesktopServices, "openUrl", fake_open_url)
    dialog = show_about(None, paths)
    qtbot.addWidget(dialog)
    dialog.folder_buttons["logs"].click()
    dialog.folder_buttons["data"].click()
    assert opened == [str(paths.logs), str(paths.data)]


def test_copy_details_puts_redacted_text_on_clipboard(qtbot: QtBot, logging_setup: mlog.LoggingSetup) -> None:
    mlog.register_secret(ODD_KEY)
    logging.getLogger("modconsole.api").info("GET /latest.json?api_key=%s (%s)", KEY, ODD_KEY)
    dialog = ErrorDialog(_exc_info_with_key())  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.details_view.isVisible()
    assert "RuntimeError" in dialog.summary_label.text()
    assert KEY not in dialog.summary_label.text()

    QGuiApplication.clipboard().clear()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == dialog.details
    assert KEY not in copied and ODD_KEY not in copied
    assert __version__ in copied
    assert "Qt:" in copied and "PySide6" in copied
    assert "RuntimeError: POST /posts.json failed, Api-Key: [REDACTED], token [REDACTED]" in copied
    assert "api_key=[REDACTED] ([REDACTED])" in copied  # the ring buffer's recent lines
    assert dialog.copy_button.text() == "Copied"
    _shot(dialog, "error-collapsed.png")

    dialog.toggle_button.click()
    assert dialog.details_view.isVisible()
    assert dialog.toggle_button.text() == "Hide details"
    assert KEY not in dialog.details_view.toPlainText()
    _shot(dialog, "error-details.png")
    dialog.toggle_button.click()
    assert not dialog.details_view.isVisible()


def test_show_error_opens_one_dialog_at_a_time(qtbot: QtBot) -> None:
    info = _exc_info_with_key()
    first = show_error(None, info)  # type: ignore[arg-type]
    assert first is not None
    assert first.isVisible()
    assert show_error(None, info) is None  # type: ignore[arg-type]
    gone: list[str] = []
    first.destroyed.connect(lambda: gone.append("first"))
    first.reject()
    qtbot.waitUntil(lambda: gone == ["first"])  # WA_DeleteOnClose
    assert not ui.error_dialog._open
    second = show_error(None, info)  # type: ignore[arg-type]
    assert second is not None
    second.destroyed.connect(lambda: gone.append("second"))
    second.reject()
    qtbot.waitUntil(lambda: gone == ["first", "second"])
    assert not ui.error_dialog._open


def test_excepthook_logs_redacted_and_shows_dialog(
    qtbot: QtBot, logging_setup: mlog.LoggingSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[object] = []
    monkeypatch.setattr(ui.error_dialog, "show_error", lambda parent, info: shown.append(info))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    assert QApplication.instance() is not None
    install_excepthook()
    info = _exc_info_with_key()
    # The hook logs at ERROR; keep that record out of pytest's own log capture checks.
    logging.getLogger("modconsole").propagate = False
    try:
        sys.excepthook(*info)  # type: ignore[arg-type]
    finally:
        logging.getLogger("modconsole").propagate = True
    assert len(shown) == 1
    text = logging_setup.log_file.read_text("utf-8")
    assert "uncaught exception" in text and "RuntimeError" in text
    assert KEY not in text and "Api-Key: [REDACTED]" in text


def test_selftest_gui_step(qapp: QApplication, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from modconsole.commands import selftest

    args = argparse.Namespace(gui=True, strict=True, only=["gui"], data_dir=None)
    assert selftest.run(args) == 0
    out = capsys.readouterr().out
    assert "ok: gui — PySide6 " in out


def test_diagnostics_picks_up_loaded_qt_without_being_told(paths: Paths) -> None:
    text = mlog.diagnostics_text(paths=paths)
    qt_line = next(line for line in text.splitlines() if line.startswith("Qt:"))
    assert qt_line.split(":", 1)[1].strip() == qt_version_text()
