"""Console figures over the ``large`` cache: queue first paint, filter keystroke latency, cold
start to a usable window, GUI-thread stalls, memory with the dashboard open.

The cache (default) is the demo ``large`` community (~100k topics, ~1M posts, 20k members)
**bulk-filled from the generated store** as ``bench_analytics.py`` fills it (the same tables,
rollups and indexes a sync writes, without its 20k requests), plus the posts' text and both FTS
indexes, so a search matches titles and replies as after a real sync. ``--keep DIR`` keeps the
store and the cache for the next run (``bench_analytics.py --keep DIR`` fills the same files);
``--cache FILE`` uses a cache you have (e.g. filled by a real sync: say so when you quote it).
Either way the measured run works on a copy: it never migrates or writes the given cache, nor
the kept one once prepared;
``--synthetic N`` builds the older topics-only cache of N bulk-inserted topics (fast, no posts).
The clock is pinned to one hour after the community's "now", as in the tests. Run::

    .venv/bin/python tests/benchmarks/bench_console.py [--keep DIR | --cache FILE | --synthetic 100000]

Figures:

* in this process (ops inline, so each figure is the whole work, read included): ``first_paint``,
  ``filter_keystroke`` (set the search text, apply it as the debounce timer does, repaint: the time
  until the table shows the answer; target p90 ≤ 30 ms; ``filter_keystroke_cpu`` is the same in
  process CPU time, which other load on a shared machine does not inflate),
  ``filter_combo_change``, ``sort_click``, ``next_page_fetch``, ``view_counts_ms``; baseline in
  the same run: ``fts_match_ms``, a bare ``MATCH`` count of the same words in the titles index,
  and ``keystroke_vs_fts`` (p90 ratio);
* in a child process (the app's real task manager, worker threads): ``cold_start_s`` (process
  start to a window showing queue rows; target ≤ 1.5 s; ``cache_open_s`` is the part spent opening
  the cache — as in the app, its integrity check is deferred to the cache writer's first job once
  the window shows, and ``integrity_checked_s`` says when (from process start) it had run; it runs
  during the ``startup`` stall phase), ``rss_mb`` with the dashboard open and its
  charts drawn (target ≤ 300 MB), and **GUI-thread stalls**: a heartbeat ``QTimer`` (5 ms) records
  every gap between its ticks; a stall is a gap minus the interval. Phases: ``startup`` (3 s from
  the first show), ``typing`` (three words typed into the queue's search box at ~8 keys a second,
  through the debounce, as in the app), ``dashboard_open`` (the window builds the page when
  first shown, as every page but the first; until its figures and charts are drawn, +1 s), and
  ``live_sync`` (4 syncs with the queue shown, 4 with the dashboard shown: each a ``MutationOp`` on
  the writer lane that writes 50 new replies into 50 questions with the sync's own repo calls —
  derived fields, rollups, FTS — and broadcasts its ``Changes``, so every view reacts as after a
  synced page). Target: no stall over 50 ms. Baseline in the same run: ``idle`` (2 s of an open
  window with nothing to do: the machine's own noise).

The last printed line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WORDS = tuple(
    [
        "payroll",
        "export",
        "webhook",
        "sync",
        "calendar",
        "holiday",
        "overtime",
        "scim",
        "provisioning",
        "dashboard",
        "report",
        "audit",
        "import",
        "csv",
        "api",
        "token",
        "rate",
        "limit",
        "leave",
        "request",
        "review",
        "cycle",
        "onboarding",
        "benefits",
        "pay",
        "slip",
        "cost",
        "centre",
        "country",
        "timezone",
        "integration",
        "sso",
        "saml",
        "error",
        "upgrade",
        "mobile",
        "app",
        "notification",
        "approval",
        "workflow",
    ]
)


def build_large(work: Path) -> tuple[Path, datetime]:
    """The generated ``large`` store and its bulk-filled cache in ``work`` (re-used when there)."""
    import sqlite3

    from bench_analytics import build_cache as fill_from_store

    from modconsole.demo.generator import generate

    store, cache_path = work / "large.sqlite3", work / "large-cache.sqlite3"
    if not store.exists():
        t = time.perf_counter()
        generate(store, size="large", seed=1)
        print(f"generated the large community in {time.perf_counter() - t:.0f} s", flush=True)
    con = sqlite3.connect(store)
    stored = json.loads(con.execute("SELECT value FROM meta WHERE key = 'now'").fetchone()[0])
    now = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    con.close()
    if not cache_path.exists():
        t = time.perf_counter()
        fill_from_store(store, cache_path)
        print(f"filled the cache in {time.perf_counter() - t:.0f} s", flush=True)
    con = sqlite3.connect(cache_path)
    try:
        if con.execute("SELECT count(*) FROM topics_fts").fetchone()[0] == 0:
            t = time.perf_counter()
            con.execute(f"ATTACH DATABASE '{store}' AS s")
            con.execute("BEGIN")
            con.execute("UPDATE posts SET plain = (SELECT sp.raw FROM s.posts sp WHERE sp.id = posts.id)")
            con.execute("COMMIT")
            con.execute("DETACH DATABASE s")
            con.execute("BEGIN")
            con.execute(
                "INSERT INTO posts_fts (rowid, plain) SELECT id, plain FROM posts WHERE deleted_at IS NULL "
                "AND gone_since IS NULL AND post_type IN (1, 4) AND plain IS NOT NULL AND plain <> ''"
            )
            con.execute(
                "INSERT INTO topics_fts (rowid, title) SELECT id, title FROM topics WHERE deleted_at IS NULL "
                "AND gone_since IS NULL AND title IS NOT NULL AND title <> ''"
            )
            con.execute("COMMIT")
            print(f"indexed posts and titles in {time.perf_counter() - t:.0f} s", flush=True)
    finally:
        con.close()
    return cache_path, now


def build_cache(path: Path, topics: int, seed: int = 1) -> None:
    from modconsole.cache.db import Cache

    rng = random.Random(seed)
    cache = Cache.open(path)
    now = datetime.now(UTC)
    with cache.write() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.executemany(
            "INSERT INTO categories (id, name, slug, position, accepts_answers, read_restricted) "
            "VALUES (?,?,?,?,?,0)",
            [(i, f"Category {i}", f"c{i}", i, 1 if i <= 9 else 0) for i in range(1, 13)],
        )
        raw.executemany(
            "INSERT INTO companies (id, name, domain, source, is_customer) VALUES (?,?,?,'email_domain',1)",
            [(i, f"Company {i:02d}", f"c{i}.example") for i in range(1, 41)],
        )
        raw.executemany(
            "INSERT INTO users (id, username, trust_level, company_id) VALUES (?,?,?,?)",
            [(i, f"member{i}", rng.randint(0, 4), rng.randint(1, 40)) for i in range(1, 20_001)],
        )
        rows = []
        for tid in range(1, topics + 1):
            created = now - timedelta(minutes=rng.randint(10, 60 * 24 * 365 * 3))
            others = rng.choice((0, 0, 1, 2, 3, 5))
            asker_r = rng.choice((0, 0, 1))
            solved = others > 0 and rng.random() < 0.55
            first = created + timedelta(minutes=rng.randint(5, 60 * 48)) if others else None
            last_by_asker = None if others + asker_r == 0 else int(asker_r > 0 and rng.random() < 0.5)
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize() + "?"
            ts = created.strftime("%Y-%m-%dT%H:%M:%S.000Z")
            rows.append(
                (
                    tid,
                    title,
                    f"t-{tid}",
                    rng.randint(1, 12),
                    "regular",
                    rng.randint(1, 20_000),
                    ts,
                    ts,
                    1 + others + asker_r,
                    int(solved),
                    first.strftime("%Y-%m-%dT%H:%M:%S.000Z") if first else None,
                    rng.randint(1, 20_000) if others else None,
                    asker_r,
                    others,
                    ts if others + asker_r else None,
                    last_by_asker,
                )
            )
        raw.executemany(
            "INSERT INTO topics (id, title, slug, category_id, archetype, user_id, created_at, bumped_at, "
            "posts_count, has_accepted_answer, first_response_at, first_responder_id, asker_replies, "
            "others_replies, last_reply_at, last_reply_by_asker) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        raw.execute("INSERT INTO topics_fts (rowid, title) SELECT id, title FROM topics")
    cache.close()


def copy_cache(src: Path, dst: Path) -> None:
    """A consistent copy of a SQLite file (backup API, WAL included)."""
    import sqlite3

    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()


def bare_fts(cache: object, words: str) -> float:
    """The baseline: a bare MATCH count of ``words`` in the titles index (ms)."""
    from modconsole.cache.repo import fts_query

    match = fts_query(words)
    if match is None:
        return 0.0
    t = time.perf_counter()
    with cache.read() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql("SELECT count(*) FROM topics_fts WHERE topics_fts MATCH ?", (match,)).scalar()
    return (time.perf_counter() - t) * 1000


def _percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "median_ms": round(statistics.median(values), 2),
        "p90_ms": round(values[int(len(values) * 0.9) - 1], 2),
        "max_ms": round(values[-1], 2),
    }


CHILD = r"""
import os, sys, time, json, random
t0 = float(sys.argv[2])
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, sys.argv[3])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
# The heartbeat: every gap between two ticks, labelled with the phase it ended in.
INTERVAL_MS = 5
phase = "construct"
gaps = {}
last = time.perf_counter()
def beat():
    global last
    t = time.perf_counter()
    gaps.setdefault(phase, []).append((t - last) * 1000 - INTERVAL_MS)
    last = t
heartbeat = QTimer()
heartbeat.setInterval(INTERVAL_MS)
heartbeat.timeout.connect(beat)
heartbeat.start()
from ui.resources import stylesheet
from ui.signals import AppSignals, set_app_signals
from ui.tasks import TaskManager, set_task_manager
from modconsole.api.client import ApiClient, Credentials
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.paths import Paths
from modconsole.secrets import MemorySecretStore
from sqlalchemy import text
from ui.ops import MutationOp
from ui.services import Session
from ui.mainwindow import MainWindow
app.setStyleSheet(stylesheet())
set_app_signals(AppSignals()); tasks = TaskManager(); set_task_manager(tasks)
paths = Paths.default(sys.argv[4]).ensure()
from pathlib import Path
from modconsole.workspace import SiteRef, Workspace
t_open = time.perf_counter()
ws = Workspace.open(  # as the app opens it (ui.app.open_session): the integrity check deferred to
    SiteRef("http://127.0.0.1:9", "bench", Credentials.user("k" * 32, username="bench"), Path(sys.argv[1])),
    verify_before_create=False,  # the writer's first job, which MainWindow.start() submits
    integrity_check=False,
)
cache_open_s = time.perf_counter() - t_open
cache, client = ws.cache, ws.client
session = Session(ws, MemorySecretStore())
window = MainWindow(session, paths, sync_interval_ms=0)
window.resize(1500, 900)
window.start(sync_now=False)
queue = window.queue_page.queue
while queue.model.rowCount() == 0 or not window.isVisible():
    app.processEvents()
usable = time.time() - t0
checked_s = None  # when the deferred integrity check had run (on the writer, after the window showed)
def pump(seconds, until=None):
    global checked_s
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or (until is not None and not until()):
        app.processEvents()
        if checked_s is None and not cache.integrity_pending:
            checked_s = time.time() - t0
        time.sleep(0.001)
phase = "startup"
last = time.perf_counter()  # the construction is the cold start, not a stall
pump(3)
phase = "idle"
pump(2)
phase = "typing"  # a moderator types in the search box (debounced), ~8 keys a second
for word in ("payroll", "webhook", "calendar"):
    for i in range(1, len(word) + 1):
        queue.search.setText(word[:i])
        pump(0.12)
    pump(0.6)
queue.search.setText("")
pump(0.6)
phase = "dashboard_open"
dash = window.pages["Dashboard"]
window.show_page("Dashboard")
pump(1, until=lambda: dash.refresh_count > 0)
pump(1)
rss = 0
with open("/proc/self/status") as f:
    for line in f:
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) // 1024
with cache.read() as conn:
    next_post = int(conn.execute(text("SELECT max(id) FROM posts")).scalar() or 0) + 1
    newest = text("SELECT id FROM topics ORDER BY created_at DESC LIMIT 400")
    recent = [int(r[0]) for r in conn.execute(newest)]
    users = [int(r[0]) for r in conn.execute(text("SELECT id FROM users LIMIT 2000"))]
rng = random.Random(7)
stamp = sys.argv[5]
def live_sync(done):
    global next_post
    topic_ids = rng.sample(recent, 50)
    post_ids = list(range(next_post, next_post + 50))
    next_post += 50
    def op(_token, _progress):
        with cache.write() as conn:
            for pid, tid in zip(post_ids, topic_ids):
                conn.execute(text(
                    "INSERT INTO posts (id, topic_id, post_number, user_id, created_at, updated_at, "
                    "post_type, plain) VALUES (:id, :t, "
                    "(SELECT COALESCE(max(post_number), 0) + 1 FROM posts WHERE topic_id = :t), "
                    ":u, :c, :c, 1, 'Following up on the payroll export: the webhook now works')"),
                    {"id": pid, "t": tid, "u": rng.choice(users), "c": stamp})
                conn.execute(text(
                    "UPDATE topics SET bumped_at = :c, last_posted_at = :c, posts_count = posts_count + 1 "
                    "WHERE id = :t"), {"c": stamp, "t": tid})
            repo.refresh_derived(conn, topic_ids)
            repo.refresh_fts(conn, post_ids=post_ids)
        return Changes(topics=True, posts=True, topic_ids=topic_ids, post_ids=post_ids)
    MutationOp(window, op=op, success=lambda _c: done.append(1)).run_in_background()
for page in ("Queue", "Dashboard"):
    window.show_page(page)
    phase = "live_sync"
    for _ in range(4):
        done = []
        live_sync(done)
        pump(1.5, until=lambda: bool(done))
phase = "end"
window.stop(); tasks.shutdown(); session.close()
def summary(values):
    values = sorted(values)
    p99 = values[int(len(values) * 0.99) - 1]
    return {"max_ms": round(max(values[-1], 0.0), 1), "p99_ms": round(max(p99, 0.0), 1),
            "over_50ms": sum(1 for v in values if v > 50), "ticks": len(values)}
PHASES = ("startup", "idle", "typing", "dashboard_open", "live_sync")
stalls = {name: summary(gaps[name]) for name in PHASES if gaps.get(name)}
print(json.dumps({"cold_start_s": round(usable, 3), "cache_open_s": round(cache_open_s, 3),
                  "integrity_checked_s": None if checked_s is None else round(checked_s, 3), "rss_mb": rss,
                  "stalls": stalls}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--keep", type=Path, help="keep (and re-use) the large store and cache in DIR")
    source.add_argument("--cache", type=Path, help="an existing cache file (it is copied, never changed)")
    source.add_argument("--synthetic", type=int, metavar="N", help="N bulk-inserted topics, no posts")
    args = parser.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from modconsole import clock

    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            db = Path(tmp) / "synthetic.sqlite3"
            t = time.perf_counter()
            build_cache(db, args.synthetic)
            print(f"built a cache of {args.synthetic:,} topics in {time.perf_counter() - t:.1f} s")
            label, now = f"synthetic: {args.synthetic:,} bulk-inserted topics", clock.now()
        elif args.cache:
            db, label, now = args.cache, f"given cache {args.cache.name}", clock.now()
        else:
            work = args.keep or Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            db, community_now = build_large(work)
            label, now = "large, bulk-filled from the generated store", community_now + timedelta(hours=1)
        clock.set_now(now)
        # Both processes work on a copy, so a kept or given cache stays exactly as it was: opening
        # a cache migrates it to this checkout's schema (in place), and the child writes (live
        # syncs). This process opens the copy first (and migrates it, untimed); the child then
        # starts on a cache at the newest schema, as an app does on its second launch.
        work_db = Path(tmp) / "work-cache.sqlite3"
        copy_cache(db, work_db)

        from PySide6.QtWidgets import QApplication

        from modconsole.api.client import Credentials
        from modconsole.secrets import MemorySecretStore
        from ui.queue.view import QueueView
        from ui.resources import stylesheet
        from ui.services import Session
        from ui.signals import AppSignals, set_app_signals
        from ui.tasks import InlineTaskManager, set_task_manager

        app = QApplication([])
        app.setStyleSheet(stylesheet())
        set_app_signals(AppSignals())
        set_task_manager(InlineTaskManager())
        from modconsole.workspace import SiteRef, Workspace

        ws = Workspace.open(
            SiteRef("http://127.0.0.1:9", "bench", Credentials.user("k" * 32, username="bench"), work_db),
            verify_before_create=False,
        )
        session = Session(ws, MemorySecretStore())
        cache = ws.cache

        # Counts per view run on the io executor in the app; here they would run inline and be
        # timed with the paint, so switch them off for the paint/keystroke figures.
        QueueView.refresh_counts = lambda self: None  # type: ignore[method-assign]
        QueueView._update_count = lambda self, f: None  # type: ignore[method-assign]

        paints = []
        for _ in range(7):
            view = QueueView()
            view.resize(1400, 850)
            view.show()
            app.processEvents()
            t = time.perf_counter()
            view.set_backend(session)
            view.table.viewport().repaint()
            app.processEvents()
            paints.append((time.perf_counter() - t) * 1000)
            view.close()
            view.deleteLater()
            app.processEvents()

        view = QueueView()
        view.resize(1400, 850)
        view.show()
        view.set_backend(session)
        app.processEvents()
        keystrokes = []
        keystrokes_cpu = []  # process CPU time: what the machine's other load does not inflate
        fts_ms = []
        text = ""
        for word in ("payroll", "webhook", "calendar"):
            for ch in word:
                text += ch
                t, cpu = time.perf_counter(), time.process_time()
                view.search.setText(text)
                view.apply_filters()  # what the debounce timer fires
                view.table.viewport().repaint()
                app.processEvents()
                keystrokes.append((time.perf_counter() - t) * 1000)
                keystrokes_cpu.append((time.process_time() - cpu) * 1000)
                fts_ms.append(bare_fts(cache, text))
            text = ""
        combos = []
        for i in range(view.state_box.count()):
            for j in range(view.sla_box.count()):
                t = time.perf_counter()
                view._syncing_controls = True
                view.state_box.setCurrentIndex(i)
                view._syncing_controls = False
                view.sla_box.setCurrentIndex(j)  # applies
                view.table.viewport().repaint()
                app.processEvents()
                combos.append((time.perf_counter() - t) * 1000)
        sorts = []
        view.search.setText("")
        view._syncing_controls = True
        view.sla_box.setCurrentIndex(0)
        view._syncing_controls = False
        view.state_box.setCurrentIndex(0)  # back to "Open questions, any SLA"
        for col in range(8):
            t = time.perf_counter()
            view.model.sort(col)
            view.table.viewport().repaint()
            app.processEvents()
            sorts.append((time.perf_counter() - t) * 1000)
        pages = []
        view.model.sort(0)  # the default SLA order: the merged keyset streams
        for _ in range(50):
            assert view.model.canFetchMore()
            t = time.perf_counter()
            view.model.fetchMore()
            pages.append((time.perf_counter() - t) * 1000)
        from modconsole.services.triage import QueueFilter, TriageQuery

        t = time.perf_counter()
        counts = [session.queue_count(TriageQuery(filter=v.filter)) for v in view.saved_views()]
        counts_ms = (time.perf_counter() - t) * 1000

        with cache.read() as conn:
            topics = int(conn.exec_driver_sql("SELECT count(*) FROM topics").scalar_one())
            posts = int(conn.exec_driver_sql("SELECT count(*) FROM posts").scalar_one())
        session.close()

        env = {**os.environ, "MODCONSOLE_NOW": clock.env_value()}
        stamp = clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
        t0 = time.time()
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(work_db), str(t0), str(ROOT), str(Path(tmp) / "home"), stamp],
            capture_output=True,
            text=True,
            env=env,
        )
        if child.returncode != 0:
            sys.exit(f"the console process failed:\n{child.stderr[-3000:]}")
        start = json.loads(child.stdout.strip().splitlines()[-1])
        keystroke = _percentiles(keystrokes)
        fts = _percentiles(fts_ms)
        result = {
            "cache": label,
            "topics": topics,
            "posts": posts,
            "first_paint": _percentiles(paints),
            "filter_keystroke": keystroke,
            "filter_keystroke_cpu": _percentiles(keystrokes_cpu),
            "fts_match_ms": fts,
            "keystroke_vs_fts": round(keystroke["p90_ms"] / max(fts["p90_ms"], 0.01), 1),
            "filter_combo_change": _percentiles(combos),
            "sort_click": _percentiles(sorts),
            "next_page_fetch": _percentiles(pages),
            "view_counts_ms": round(counts_ms, 1),
            "view_counts": counts,
            **start,
            "targets": {
                "first_paint_ms": 100,
                "filter_keystroke_ms": 30,
                "cold_start_s": 1.5,
                "rss_mb": 300,
                "stall_ms": 50,
            },
        }
        _ = QueueFilter
        print(json.dumps(result))


if __name__ == "__main__":
    main()
