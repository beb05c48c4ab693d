"""The console during a paced first sync, for the README (issue 13: progress, ETA, incomplete periods).

    .venv/bin/python scripts/screenshots_paced_sync.py [--out docs/screenshots/paced-sync]
        [--speed 40] [--size small] [--offscreen] [--language en|de]

1. Starts the demo community as a separate process with a user key's limits on a fast clock:
   ``modconsole demo-server --limits discourse --clock-speed N`` (20 requests a minute and 2,880
   a day per user API key; its windows pass N times faster than real time).
2. Starts the desktop app in this process as ``modconsole`` does (real task manager with its
   writer and io threads, the theme, English), under Xvfb: with no ``DISPLAY`` it runs itself again
   through ``xvfb-run`` (a 1920×1080 screen; ``apt-get install xvfb``). ``--offscreen`` uses Qt's
   offscreen platform instead.
3. Signs in on the sign-in screen with the moderator's user API key ("Enter an API key"; the key
   kept for the session only); the window opens and starts the first sync by itself.

The app paces the key as it always does (``Budget.user_key``: 15 a minute, 2,400 a day, of which the
sync plans with 2,160 and keeps 240 for the moderator's own actions), only on the demo's fast clock:
its pacer is the app's own ``HostPacer`` with the clock and sleep scaled by N. So the sync of ``small``
takes about a minute instead of half an hour, while the status area shows what a moderator would
see: requests left today from the day ledger, and an ETA at the key's real pace.

At two moments the script holds the sync (its next request waits in the pacer, nothing is cut
short) and grabs the window, light and dark, at 1024×700 and at 1920×1080:

* ``progress-<theme>-<size>.png`` — the queue while recent months arrive: the status area with the
  phase, requests left today and the ETA, the bar with the stage and how far it is;
* ``dashboard-<theme>-<size>.png`` — the dashboard while the history walk is under way: "Sync in
  progress: history to <month>", the incomplete periods hatched and the figures marked ``*``.

The clock is pinned to an hour after the demo generator's instant (as in the tests), so the months
shown are the same on every run. It prints each file it writes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = ((1024, 700), (1920, 1080))
THEMES = ("light", "dark")
NOW = "2026-11-01T13:00:00Z"  # an hour after modconsole.demo.generator.DEFAULT_NOW, as in the tests


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "paced-sync")
    parser.add_argument("--speed", type=float, default=40.0, help="the demo's and the pacer's clock speed")
    parser.add_argument("--size", choices=("tiny", "small"), default="small", help="demo community size")
    parser.add_argument("--offscreen", action="store_true", help="Qt's offscreen platform, no X server")
    parser.add_argument("--language", choices=("en", "de"), default="en", help="the console's language")
    args = parser.parse_args(argv)

    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif not os.environ.get("DISPLAY"):
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            sys.exit("No display and no xvfb-run: apt-get install xvfb, or pass --offscreen.")
        screen = f"-screen 0 {SIZES[-1][0]}x{SIZES[-1][1]}x24"
        os.execv(xvfb, [xvfb, "-a", "-s", screen, sys.executable, __file__, *argv])
    else:
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    os.environ["MODCONSOLE_NOW"] = NOW
    data = Path(tempfile.mkdtemp(prefix="modconsole-paced-"))
    os.environ["MODCONSOLE_DATA_DIR"] = str(data / "app")
    try:
        return _run(args, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


# ---------------------------------------------------------------- the demo community


class Demo:
    """``modconsole demo-server`` in a process of its own, with Discourse's limits on a fast clock."""

    def __init__(self, data: Path, size: str, speed: float) -> None:
        cmd = [
            sys.executable,
            "-m",
            "modconsole",
            "demo-server",
            "--size",
            size,
            "--port",
            "0",
            "--db",
            str(data / f"demo-{size}.sqlite3"),
            "--limits",
            "discourse",
            "--clock-speed",
            str(speed),
        ]
        env = {**os.environ, "MODCONSOLE_DATA_DIR": str(data / "demo")}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        self.url = ""
        self.username = ""
        self.key = ""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if "Key:" not in line:  # its keys stay off the terminal
                print("demo:", line.rstrip(), flush=True)
            if m := re.match(r"Demo community at (\S+)", line):
                self.url = m.group(1)
            if m := re.match(r"\s+moderator\s+(\S+)\s+User-Api-Key: (\S+)", line):
                self.username, self.key = m.group(1), m.group(2)
            if line.startswith("Ctrl-C"):
                break
        if not (self.url and self.key):
            self.stop()
            sys.exit("the demo community did not start")
        # whatever it prints later is read, so a full pipe never stalls it
        threading.Thread(target=_drain, args=(self.proc.stdout,), daemon=True).start()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _drain(stream: Any) -> None:
    try:
        for _ in stream:
            pass
    except (OSError, ValueError):  # closed when the demo stops
        pass


# ---------------------------------------------------------------- the app's pacer on the fast clock


class Hold:
    """Holds the sync between two requests while the window is grabbed."""

    def __init__(self) -> None:
        self.go = threading.Event()
        self.go.set()
        self.waiting = threading.Event()

    def gate(self) -> None:
        if not self.go.is_set():
            self.waiting.set()
            self.go.wait()
            self.waiting.clear()


def fast_pacer(speed: float, hold: Hold) -> type:
    """The app's ``HostPacer``, its clock and sleep running ``speed`` times fast (as the demo's)."""
    from modconsole.api import ratelimit

    t0 = time.monotonic()

    def virtual() -> float:
        return (time.monotonic() - t0) * speed

    def sleep(seconds: float, cancel: Any = None) -> None:
        ratelimit.interruptible_sleep(seconds / speed, cancel)

    class FastPacer(ratelimit.HostPacer):
        def __init__(self, budget: Any = None, **_: Any) -> None:
            super().__init__(budget, clock=virtual, sleeper=sleep)

        def acquire(self, cancel: Any = None, *, max_wait: float | None = None) -> float:
            hold.gate()
            return super().acquire(cancel, max_wait=max_wait)

    return FastPacer


# ---------------------------------------------------------------- the app


def _run(args: argparse.Namespace, data: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from modconsole import clock
    from modconsole import settings as registry
    from modconsole.api import client as api_client
    from modconsole.paths import Paths
    from modconsole.sync.plan import SyncProgress
    from ui import i18n, theme
    from ui.app import AppController
    from ui.signals import AppSignals, set_app_signals
    from ui.tasks import TaskManager, set_task_manager

    os.environ[clock.ENV_VAR] = clock.env_value()  # the demo process shares this clock exactly
    hold = Hold()
    # the session's client builds its pacer from the key's preset (Credentials.default_budget)
    api_client.HostPacer = fast_pacer(args.speed, hold)  # type: ignore[misc]

    print(f"starting the demo community ({args.size}, limits on, clock ×{args.speed:g}) …", flush=True)
    demo = Demo(data, args.size, args.speed)
    app = QApplication([sys.argv[0]])
    paths = Paths.default().ensure()
    i18n.install(args.language)
    manager = theme.install(app)
    manager.set_preference("light")
    signals = AppSignals()
    set_app_signals(signals)
    tasks = TaskManager()
    set_task_manager(tasks)
    controller = AppController(paths, tasks, signals)
    written: list[Path] = []
    try:
        view = controller.show_sign_in()
        view.site_edit.setText(demo.url)
        view.mode_key.setChecked(True)
        view.key_kind.setCurrentIndex(view.key_kind.findData("user"))
        view.key_edit.setText(demo.key)
        view.username_edit.setText(demo.username)
        view.session_only_box.setChecked(True)
        view.sign_in()
        window = _wait(app, lambda: controller.window, 120, "the window did not open")
        if args.language != "en":  # the community's language (ui.language), as Settings → Language keeps it
            registry.store(window.session.cache, registry.LANGUAGE, args.language)
            controller.change_language(args.language)
            window = controller.window
        window.resize(*SIZES[0])
        args.out.mkdir(parents=True, exist_ok=True)

        def plan() -> SyncProgress | None:
            p = window._last_progress
            return p if isinstance(p, SyncProgress) else None

        def recent() -> bool:
            p = plan()
            return bool(p and p.stage == "posts" and p.phase == "recent" and (p.fraction or 0) >= 0.1)

        def history() -> bool:
            p = plan()
            return bool(p and p.stage == "posts" and p.phase == "history" and (p.fraction or 0) >= 0.55)

        window.show_page("Queue")
        _wait(app, recent, 600, "the sync never reached recent months")
        written += _moment(app, window, manager, hold, "progress", "Queue", args.out)
        _wait(app, history, 600, "the sync never reached the history")
        written += _moment(app, window, manager, hold, "dashboard", "Dashboard", args.out)
    finally:
        hold.go.set()
        controller.shutdown()
        set_task_manager(None)
        set_app_signals(None)
        theme.uninstall()
        demo.stop()
    for path in written:
        print(f"{path}  {path.stat().st_size // 1024} KB", flush=True)
    return 0


def _moment(app: Any, window: Any, manager: Any, hold: Hold, name: str, page: str, out: Path) -> list[Path]:
    """Hold the sync, grab ``page`` in each theme and size, let it go on."""
    hold.go.clear()
    _wait(app, hold.waiting.is_set, 120, "the sync did not come to its next request")
    _settle(app, 1.5)  # the last page's progress and the dashboard's live refresh (≤ once a second)
    window._render_progress()
    paths = []
    for theme_name in THEMES:
        window.apply_appearance(theme_name)
        shown = window.show_page(page)
        for w, h in SIZES:
            window.resize(w, h)
            _settle(app, 1.0)
            if page == "Dashboard":
                _scroll_dashboard(app, shown, to_charts=(w, h) != SIZES[0])
            path = out / f"{name}-{theme_name}-{w}x{h}.png"
            window.grab().save(str(path), "PNG", 0)
            paths.append(path)
    window.apply_appearance("light")
    window.resize(*SIZES[0])
    hold.go.set()
    _ = manager
    return paths


def _scroll_dashboard(app: Any, page: Any, *, to_charts: bool) -> None:
    """The small window shows the note and the tiles (marked *); the large one the charts, where
    the months not yet complete are hatched (the status bar names the month the history is at)."""
    from PySide6.QtCore import QPoint

    bar = page._scroll.verticalScrollBar()
    if to_charts and page.charts:
        first = next(iter(page.charts.values()))
        bar.setValue(first.mapTo(page._scroll.widget(), QPoint(0, 0)).y() - 12)
    else:
        bar.setValue(0)
    _settle(app, 0.5)


def _wait(app: Any, cond: Any, seconds: float, failure: str) -> Any:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        value = cond()
        if value:
            return value
        time.sleep(0.02)
    sys.exit(failure)


def _settle(app: Any, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    sys.exit(main())
