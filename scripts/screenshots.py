"""Render every page of the console on the demo community, for the README and docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--size 1024x700]
        [--themes light,dark] [--languages en,de] [--platform vanilla]

Offscreen (no display needed). It starts the demo community (size ``small``, generated as of
now), signs in as its moderator, runs a first sync, then grabs the main window on every page,
and the queue with a thread open, once per theme and language, at the given size:
``<out>/<language>-<theme>/<page>.png``. With ``--readme`` it also writes the English light
set the README shows at a large size (``<out>/<page>.png``).

``--platform vanilla`` does the same on the Vanilla demo community (API v2, personal access token):
the queue, a thread with two accepted answers, the dashboard and the sign-in screen, in
``docs/screenshots/vanilla/<language>-<theme>/`` by default (English unless ``--languages``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _size(text: str) -> tuple[int, int]:
    w, _, h = text.partition("x")
    return int(w), int(h)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--size", type=_size, default=(1024, 700))
    parser.add_argument("--themes", default="light,dark")
    parser.add_argument("--languages", default="en,de")
    parser.add_argument("--readme", action="store_true", help="also the README's large English light set")
    parser.add_argument("--platform", choices=("discourse", "vanilla"), default="discourse")
    args = parser.parse_args(argv)
    if args.platform == "vanilla":
        return _vanilla(args, argv or [])

    data = Path(tempfile.mkdtemp(prefix="modconsole-shots-"))
    os.environ["MODCONSOLE_DATA_DIR"] = str(data)

    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    from modconsole.demo.server import DemoServer, ensure_db
    from modconsole.paths import Paths
    from modconsole.tasks import CancelToken
    from tests.helpers.console import demo_session
    from ui import theme
    from ui.mainwindow import MainWindow
    from ui.signals import AppSignals, set_app_signals
    from ui.signin import SignInView
    from ui.tasks import InlineTaskManager, set_task_manager

    app = QApplication([])
    set_app_signals(AppSignals())
    set_task_manager(InlineTaskManager())
    manager = theme.install(app)
    paths = Paths.default().ensure()
    db = ensure_db(data / "demo-small.sqlite3", size="small")
    server = DemoServer(db, port=0)
    server.start()
    session = demo_session(server, paths)
    try:
        session.sync_once(CancelToken())
        _assign_some(session)
        shots: list[tuple[str, str, QSize, Path]] = []
        for language in args.languages.split(","):
            for name in args.themes.split(","):
                shots.append((language, name, QSize(*args.size), args.out / f"{language}-{name}"))
        if args.readme:
            shots.append(("en", "light", QSize(1600, 1000), args.out))
        for language, name, size, folder in shots:
            _set_language(app, language)
            session.appearance = name  # the window applies the session's appearance
            manager.set_preference(name)
            folder.mkdir(parents=True, exist_ok=True)
            window = MainWindow(session, paths, sync_interval_ms=0)
            window.show()
            window.start(sync_now=False)
            window.resize(size)  # after start(): it fits the window to the (small) offscreen screen
            _settle(app)
            for page in window.pages:
                shown = window.show_page(page)
                refresh = getattr(shown, "refresh_from_community", None)
                if callable(refresh):  # the review queue is read when asked (it is no sync stage)
                    refresh()
                _settle(app)
                window.grab().save(str(folder / f"{page.lower()}.png"))
            window.show_page("Queue")
            queue = window.queue_page
            queue.queue.table.selectRow(0)
            topic = queue.queue.current_topic_id()
            if topic is not None:
                queue.open_topic(topic)
                _settle(app)
                window.grab().save(str(folder / "thread.png"))
                _composer_shot(queue, folder, app)
                queue.close_thread()
            queue.queue.show_mine()  # the "Mine" view: the questions assigned to the moderator
            _settle(app)
            window.grab().save(str(folder / "mine.png"))
            queue.queue.show_all_open()
            window.close()
            window.deleteLater()
            signin = SignInView()
            signin.resize(size)
            signin.show()
            _settle(app)
            signin.grab().save(str(folder / "signin.png"))
            signin.close()
            signin.deleteLater()
            _settle(app)
            print(f"{folder}: {len(window.pages) + 2} screens", flush=True)
    finally:
        session.close()
        server.stop()
        theme.uninstall()
    return 0


def _vanilla(args: argparse.Namespace, argv: list[str]) -> int:
    """The console on the Vanilla demo: queue, a thread with two accepted answers, dashboard, sign-in."""
    data = Path(tempfile.mkdtemp(prefix="modconsole-shots-"))
    os.environ["MODCONSOLE_DATA_DIR"] = str(data)
    out = args.out if "--out" in argv else Path("docs/screenshots/vanilla")
    languages = args.languages if "--languages" in argv else "en"

    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    from modconsole.demo.vanilla.server import VanillaDemoServer, ensure_db
    from modconsole.paths import Paths
    from modconsole.tasks import CancelToken
    from tests.helpers.console import vanilla_session
    from ui import theme
    from ui.mainwindow import MainWindow
    from ui.signals import AppSignals, set_app_signals
    from ui.signin import SignInView
    from ui.tasks import InlineTaskManager, set_task_manager

    app = QApplication([])
    set_app_signals(AppSignals())
    set_task_manager(InlineTaskManager())
    manager = theme.install(app)
    paths = Paths.default().ensure()
    server = VanillaDemoServer(ensure_db(data / "demo-small-vanilla.sqlite3", size="small"))
    server.start()
    session = vanilla_session(server, paths)
    try:
        topic = _second_accept(server)
        session.sync_once(CancelToken())
        for language in languages.split(","):
            for name in args.themes.split(","):
                folder = out / f"{language}-{name}"
                folder.mkdir(parents=True, exist_ok=True)
                _set_language(app, language)
                session.appearance = name
                manager.set_preference(name)
                window = MainWindow(session, paths, sync_interval_ms=0)
                window.show()
                window.start(sync_now=False)
                window.resize(QSize(*args.size))
                _settle(app)
                for page in ("Queue", "Dashboard"):
                    window.show_page(page)
                    _settle(app)
                    window.grab().save(str(folder / f"{page.lower()}.png"))
                window.show_page("Queue")
                queue = window.queue_page
                queue.queue.table.selectRow(0)
                queue.open_topic(topic)
                _settle(app)
                panel = queue.thread_panel
                # the posts get the pane (the helper strip dragged shut), the first accepted answer
                # at the top and the second right under it
                panel.splitter.setSizes([sum(panel.splitter.sizes()), 0, 0])
                accepted = [i for i, c in enumerate(panel.cards()) if c.post.accepted]
                if accepted:
                    panel._select(accepted[0])
                    _settle(app)
                    panel.scroll_area.verticalScrollBar().setValue(panel.cards()[accepted[0]].y())
                _settle(app)
                window.grab().save(str(folder / "thread.png"))
                queue.close_thread()
                window.close()
                window.deleteLater()
                signin = SignInView()
                signin.resize(QSize(*args.size))
                signin.show()
                signin.site_edit.setText(server.base_url)
                signin.mode_key.setChecked(True)
                signin.key_kind.setCurrentIndex(signin.key_kind.findData("token"))
                _settle(app)
                signin.grab().save(str(folder / "signin.png"))
                signin.close()
                signin.deleteLater()
                _settle(app)
                print(f"{folder}: 4 screens", flush=True)
    finally:
        session.close()
        server.stop()
        theme.uninstall()
    return 0


def _second_accept(server: object) -> int:
    """A second accepted answer on an open-looking solved question (Vanilla allows several), written
    through the demo's API like another moderator would; returns the question."""
    import httpx

    from modconsole.demo import store

    con = store.connect(server.db_path)  # type: ignore[attr-defined]
    try:
        row = con.execute(
            "SELECT t.id, o.id FROM topics t JOIN posts o ON o.topic_id = t.id "
            "WHERE t.is_question = 1 AND t.deleted_at IS NULL AND o.post_number > 1 AND o.post_type = 1 "
            "AND o.deleted_at IS NULL AND o.id NOT IN (SELECT comment_id FROM vanilla_answers) "
            "AND EXISTS (SELECT 1 FROM posts p JOIN vanilla_answers a ON a.comment_id = p.id "
            "WHERE p.topic_id = t.id AND a.status = 'accepted' AND p.post_number = o.post_number - 1) "
            "ORDER BY length(o.cooked) + (SELECT length(cooked) FROM posts WHERE topic_id = t.id "
            "AND post_number = o.post_number - 1), t.created_at DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    r = httpx.patch(
        f"{server.base_url}/api/v2/comments/{row[1]}/answer",  # type: ignore[attr-defined]
        json={"status": "accepted"},
        headers=server.credentials.moderator.headers(),  # type: ignore[attr-defined]
        timeout=60,
    )
    r.raise_for_status()
    return int(row[0])


def _assign_some(session: object) -> None:
    """Who holds what in the queue: two questions to the moderator, one to a teammate, one to a group."""
    from modconsole.services import triage
    from modconsole.tasks import CancelToken

    ws = session.workspace  # type: ignore[attr-defined]
    with ws.cache.read() as conn:
        rows = triage.page(conn, triage.TriageQuery(), limit=8).rows
    ids = [r.topic_id for r in rows]
    teammates = [u for u in ws.assign.teammates() if u.lower() != ws.assign.me.lower()]
    if len(ids) < 6:
        return
    ws.assign.assign(ids[0])
    ws.assign.assign(ids[3])
    if teammates:
        ws.assign.assign(ids[1], to=teammates[0])
    if "employees" in ws.assign.groups():
        ws.assign.assign(ids[5], group="employees")
    ws.push(CancelToken())
    ws.assign.sync(CancelToken())


def _composer_shot(queue: object, folder: Path, app: object) -> None:
    """The reply composer open on the thread, a saved reply with similar solved questions inserted."""
    panel = queue.thread_panel  # type: ignore[attr-defined]
    if not panel.open_composer():
        return
    _settle(app)
    composer = panel.composer
    box = composer.saved_box
    with_links = (i for i in range(1, box.count()) if "{similar}" in _template(composer, box.itemData(i)))
    wanted = next(with_links, 1)
    if box.count() > 1:
        box.activated.emit(wanted)
    _settle(app)
    panel.window().grab().save(str(folder / "composer.png"))
    composer.discard()  # no draft left behind in the screenshot cache
    composer.close_composer()
    _settle(app)


def _template(composer: object, rid: object) -> str:
    setup = composer._setup  # type: ignore[attr-defined]
    return next((r.body for r in setup.saved if r.id == rid), "") if setup is not None else ""


def _settle(app: object) -> None:
    """Let layouts, lazy loads and paint events finish (inline tasks run at once)."""
    import time

    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + 0.6
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def _set_language(app: object, language: str) -> None:
    """Put ``language`` (``en`` or ``de``) in force before the window is built."""
    from ui import i18n

    i18n.install(language)


if __name__ == "__main__":
    sys.exit(main())
