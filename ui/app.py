"""The composition root: ``modconsole`` with no sub-command lands in :func:`main`.

Builds the QApplication (desktop file name, icon, stylesheet), logging, the excepthook, the
task manager and the signal hub; then shows the sign-in screen, or with ``--demo`` starts the
embedded demo community and signs in as its moderator. :class:`AppController` owns the
session and the windows and shuts everything down in order.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from typing import Any

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")  # before anything imports pyqtgraph

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from modconsole import APP_DISPLAY_NAME, APP_ID, APP_NAME
from modconsole import settings as registry
from modconsole.api.ratelimit import Budget, HostPacer
from modconsole.connectors.registry import DEFAULT_PLATFORM
from modconsole.errors import CacheError, ModConsoleError
from modconsole.log import register_secret, setup_logging
from modconsole.outbox.dispatcher import DispatchOptions
from modconsole.paths import Paths
from modconsole.workspace import SiteRef, Workspace
from ui import i18n, messages, theme
from ui.error_dialog import install_excepthook, show_error
from ui.i18n import remember_choice, remembered_choice
from ui.mainwindow import LAST_APPEARANCE_KEY, MainWindow, ui_settings
from ui.ops import QueryOp
from ui.resources import app_icon
from ui.services import Session
from ui.signals import AppSignals, set_app_signals
from ui.signin import SignInResult, SignInView
from ui.sla_dialog import migrate_legacy_sla
from ui.tasks import TaskManager, TaskManagerBase, set_task_manager

__all__ = ["AppController", "main", "open_session"]

log = logging.getLogger("modconsole.ui.app")


_DEMO_CACHE_HOSTS = {DEFAULT_PLATFORM: "http://demo.localhost"}


def open_session(
    paths: Paths, result: SignInResult, *, budget: Budget | None = None, dispatch_options: Any = None
) -> Session:
    """Open the site's cache and a long-lived client for a verified sign-in (worker thread).

    ``budget`` overrides the request pacing (default: the key kind's preset; none for the demo)."""
    register_secret(result.credentials.key)
    # The embedded demo gets a new port each start; its cache is keyed by "demo" so it survives.
    # (the Discourse demo's cache keeps its first name; another platform's demo has its own)
    demo_host = _DEMO_CACHE_HOSTS.get(result.platform, f"http://{result.platform}-demo.localhost")
    cache_site = demo_host if result.demo is not None else result.site_url
    # The embedded demo runs without Discourse's limits, so the demo session needs no pacing.
    if budget is None and result.demo is not None:
        budget = Budget.unlimited()
    site = SiteRef(
        url=result.site_url,
        username=result.username,
        credentials=result.credentials,
        cache_path=paths.site_cache_file(cache_site, result.username),
        allow_insecure_http=result.allow_insecure_http,
        pacer=HostPacer(budget) if budget is not None else None,
        platform=result.platform,
    )
    # The sign-in was verified already; an interactive push never sits out long waits (the next
    # sync pushes again).
    options = dispatch_options or DispatchOptions(max_wait=5.0, deadline=60.0)
    # The integrity check of a big cache takes seconds: the window's first writer job runs it
    # (MainWindow.start, Session.verify_storage), with the site record; every write waits for it.
    workspace = Workspace.open(
        site, verify_before_create=False, integrity_check=False, dispatch_options=options, demo=result.demo
    )
    try:
        if result.demo is None:
            _remember_site(paths, result)
        migrate_legacy_sla(ui_settings(paths), workspace.cache)
        return Session(workspace, result.secrets)
    except BaseException:
        workspace.demo = None  # the caller owns the demo server until the session exists
        workspace.close()
        raise


def _remember_site(paths: Paths, result: SignInResult) -> None:
    """The sign-in was verified: the headless commands may now use this site and key kind without
    ``--site``/``--username``/``--key-kind`` (``modconsole.sites``). A list that cannot be written
    does not stop the sign-in."""
    from modconsole.errors import ModConsoleError
    from modconsole.sites import KnownSites

    try:
        KnownSites(paths).remember(
            result.site_url,
            result.username,
            key_kind="admin" if result.credentials.kind == "admin" else "user",
            allow_insecure_http=result.allow_insecure_http,
        )
    except (ModConsoleError, OSError, sqlite3.Error):
        log.warning("could not record %s in the known sites", result.site_url, exc_info=True)


def show_storage_error(parent: QWidget | None, exc: CacheError) -> QMessageBox:
    """The cache or data folder cannot be used: its one-line message in a dialog (not a traceback)."""
    box = QMessageBox(QMessageBox.Icon.Critical, APP_DISPLAY_NAME, exc.user_message, parent=parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class AppController(QObject):
    """Sign-in → session → main window; sign-out and shutdown."""

    def __init__(
        self,
        paths: Paths,
        tasks: TaskManagerBase,
        signals: AppSignals,
        *,
        sync_interval_ms: int | None = None,
    ):
        super().__init__()
        self.paths = paths
        self.tasks = tasks
        self.signals = signals
        self.sync_interval_ms = sync_interval_ms
        self.session: Session | None = None
        self.window: MainWindow | None = None
        self.sign_in_view: SignInView | None = None
        self._pending_demo: Any = None
        self.storage_error: QMessageBox | None = None

    def show_sign_in(self) -> SignInView:
        view = SignInView()
        view.resize(900, 640)
        view.signed_in.connect(self._on_signed_in)
        self.sign_in_view = view
        view.show()
        return view

    def start_demo(self, platform: str = DEFAULT_PLATFORM) -> None:
        """``--demo [--platform vanilla]``: the sign-in screen starts the embedded community off
        the GUI thread (it shows progress meanwhile), then the main window opens."""
        view = self.sign_in_view or self.show_sign_in()
        view.try_demo(platform)

    @Slot(object)
    def _on_signed_in(self, result: SignInResult) -> None:
        QueryOp(self, op=lambda _t: open_session(self.paths, result), success=self._open_window).failure(
            lambda exc: self._session_failed(exc, result)
        ).run_in_background()

    def _session_failed(self, exc: BaseException, result: SignInResult) -> None:
        if result.demo is not None:
            result.demo.stop()
        if isinstance(exc, CacheError):  # damaged cache, disk full, read-only: no window shows
            self.storage_error = show_storage_error(self.sign_in_view, exc)  # messages yet
        else:
            messages.present_failure(exc)
        if self.sign_in_view is None:
            self.show_sign_in()

    def _open_window(self, session: Session) -> None:
        self.session = session
        self.apply_language(session)
        self.signals.clear_auth_required()
        kwargs: dict[str, Any] = {"live_counts": True}
        if self.sync_interval_ms is not None:
            kwargs["sync_interval_ms"] = self.sync_interval_ms
        window = MainWindow(session, self.paths, settings=ui_settings(self.paths), **kwargs)
        window.sign_out_requested.connect(self.sign_out)
        window.language_changed.connect(self.change_language)
        self.window = window
        window.start()
        if self.sign_in_view is not None:
            self.sign_in_view.close()
            self.sign_in_view.deleteLater()
            self.sign_in_view = None

    def apply_language(self, session: Session) -> str:
        """Put the community's language in force (``ui.language``), and remember it for the next
        sign-in screen. Returns the language (``en`` or ``de``)."""
        try:
            choice = registry.load(session.cache, registry.LANGUAGE)
        except ModConsoleError:
            choice = "system"
        remember_choice(ui_settings(self.paths), choice)
        return i18n.install(choice)

    @Slot(str)
    def change_language(self, _choice: str) -> None:
        """Settings → Language: the choice is stored; rebuild the window in it (same session, same
        page; the layout is saved and restored as on a restart; no new sync)."""
        session = self.session
        if session is None:
            return
        self._close_window()
        self.apply_language(session)
        window = MainWindow(session, self.paths, settings=ui_settings(self.paths), **self._window_kwargs())
        window.sign_out_requested.connect(self.sign_out)
        window.language_changed.connect(self.change_language)
        self.window = window
        window.start(sync_now=False)

    def _window_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"live_counts": True}  # live counts between syncs (ui.live)
        if self.sync_interval_ms is not None:
            kwargs["sync_interval_ms"] = self.sync_interval_ms
        return kwargs

    @Slot()
    def sign_out(self) -> None:
        session = self.session
        self._close_window()
        if session is not None:
            try:
                session.secrets.delete(session.site_url, session.username)
            except Exception:
                log.warning("could not remove the key from the keychain", exc_info=True)
            session.close()
            self.session = None
        self.show_sign_in()

    def _close_window(self) -> None:
        if self.window is not None:
            self.window.save_state()
            self.window.stop()
            self.window.hide()
            self.window.deleteLater()
            self.window = None

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop timers, cancel ops, wait for the writer, close the cache, stop the demo."""
        if self.window is not None:
            self.window.save_state()
            self.window.stop()
        clean = self.tasks.shutdown(timeout=timeout)
        if self.session is not None:
            if clean:
                self.session.close()
            else:  # a worker still holds the cache: leave it, but stop the demo server
                log.warning("background work did not stop; the cache is left open")
                if self.session.demo is not None:
                    self.session.demo.stop()
            self.session = None


def main(args: Any = None) -> int:
    """Run the desktop app; returns the exit code."""
    data_dir = getattr(args, "data_dir", None)
    debug = bool(getattr(args, "debug", False))
    demo = bool(getattr(args, "demo", False))
    demo_platform = str(getattr(args, "demo_platform", None) or DEFAULT_PLATFORM)
    paths = Paths.default(data_dir)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    try:
        paths.ensure()
    except CacheError as exc:  # read-only or full disk, no permission: say so, no traceback
        QMessageBox.critical(None, APP_DISPLAY_NAME, exc.user_message)
        return 7
    setup_logging(paths, debug=debug)
    i18n.install(remembered_choice(ui_settings(paths)))  # the sign-in screen; a community's own on sign-in
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setDesktopFileName(APP_ID)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    # light or dark before any window shows: the last appearance chosen on this machine (the
    # community's own choice, ui.appearance, applies when its window opens)
    theme.install(app).set_preference(str(ui_settings(paths).value(LAST_APPEARANCE_KEY, "system")))
    previous_hook = install_excepthook()
    previous_bug = messages.set_bug_hook(show_error)
    signals = AppSignals()
    set_app_signals(signals)
    tasks = TaskManager()
    set_task_manager(tasks)
    controller = AppController(paths, tasks, signals)
    if demo:
        controller.start_demo(demo_platform)
    else:
        controller.show_sign_in()
    try:
        code = int(app.exec())
    finally:
        controller.shutdown()
        set_task_manager(None)
        set_app_signals(None)
        messages.set_bug_hook(previous_bug)
        sys.excepthook = previous_hook
        theme.uninstall()
    return code
