"""The Qt half of ``modconsole selftest --gui``: the QApplication, every ``ui`` module, every
file of ``resources/`` (``ui/assets`` once installed or frozen), a main window and the About
dialog, shown offscreen. Kept here so the core (``modconsole/commands/selftest.py``) never imports Qt."""

from __future__ import annotations

import importlib
import sys

from modconsole import APP_DISPLAY_NAME
from modconsole.paths import Paths


def gui_check(paths: Paths) -> str:
    import pkgutil

    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    import ui
    from ui.about import AboutDialog
    from ui.resources import app_icon, missing_files, qt_version_text, resources_dir, stylesheet

    modules = [m.name for m in pkgutil.walk_packages(ui.__path__, prefix="ui.")]
    for name in modules:
        importlib.import_module(name)
    missing = missing_files()
    if missing:
        raise RuntimeError(f"resource files missing from {resources_dir()}: {', '.join(missing)}")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    icon = app_icon()
    if icon.isNull():
        raise RuntimeError("the application icon was not found (resources/ missing)")
    qss = stylesheet()
    if not qss:
        raise RuntimeError("resources/style.qss was not found")
    app.setStyleSheet(qss)
    from PySide6.QtCore import QCoreApplication

    from ui import i18n

    try:  # the German catalogue loads and translates (the wheel and the bundle ship the .qm)
        i18n.install("de")
        if QCoreApplication.translate("Pages", "Outbox") != "Postausgang":
            raise RuntimeError(f"the German translation did not load from {resources_dir()}/i18n")
    finally:
        i18n.install("en")
    window = QMainWindow()
    window.setWindowTitle(APP_DISPLAY_NAME)
    window.setWindowIcon(icon)
    window.setCentralWidget(QLabel("selftest"))
    window.statusBar().showMessage("selftest")
    window.resize(800, 600)
    window.show()
    about = AboutDialog(paths, window)
    about.show()
    app.processEvents()
    ok = window.isVisible() and about.isVisible()
    about.close()
    window.close()
    app.processEvents()
    if not ok:
        raise RuntimeError("the window did not show")
    return (
        f"{qt_version_text()}, platform {app.platformName()}, {len(modules)} ui modules imported, "
        f"resources from {resources_dir()}"
    )
