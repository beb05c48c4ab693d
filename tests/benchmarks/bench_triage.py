"""Team triage figures (issue 14), against the demo server over real HTTP on 127.0.0.1. Plain
script with sections; the last printed line is one JSON object with every section's figures.

    .venv/bin/python tests/benchmarks/bench_triage.py                    # every section
    .venv/bin/python tests/benchmarks/bench_triage.py --only replies     # one section
    .venv/bin/python tests/benchmarks/bench_triage.py --only replies --replies 20   # a smoke run

Sections (``--only`` picks some; each is a function ``bench_<name>(args, work) -> dict`` listed in
:data:`SECTIONS` — add new figures as new sections):

``replies``  replies delivered exactly once under ``apply_then_drop`` (issue 14.3; target 200/200,
    0 doubles). ``--replies`` replies (default 200) by a moderator (user API key: no server-side
    memo, staff skip the duplicate-body check — a blind retry posts twice, CONTRACT-ADDITIONS
    A4.2), spread over the community's open topics, are queued in the outbox and pushed while every
    ``POST /posts.json`` has probability ``--fault-p`` (default 0.5) of being applied by the server
    and then losing its answer (the connection dies before the response). Pushes repeat until
    nothing is left to send (bounded), then faults are cleared and one final push runs. Each reply
    is then looked up on the server by its recognition token: ``exactly_once`` (one post),
    ``doubles`` (more than one), ``lost`` (none). Also: the write and read requests spent, and
    the ambiguous answers the dispatcher had to verify.
``live_counts``  requests per hour spent on live counts with a user key while idle (issue 14.5;
    target ≤ 12 an hour, 10 % of the day budget): see :func:`bench_live_counts`.
``review_triage``  requests per triaged review item, clean and with items another moderator acted
    on first: see :func:`bench_review_triage`.
``review_paint``  the Review page's first paint at 1,000 pending items (target ≤ 100 ms): see
    :func:`bench_review_paint`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from modconsole import clock  # noqa: E402
from modconsole.demo.generator import DEFAULT_NOW, generate  # noqa: E402


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def q(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


# ---------------------------------------------------------------- replies


def bench_replies(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from modconsole.connectors.discourse import actions
    from modconsole.demo.server import DemoServer, FaultRule
    from tests.core.outbox_support import open_service

    db = work / "replies.sqlite3"
    generate(db, size=args.size, seed=args.seed)
    rng = random.Random(args.seed)
    server = DemoServer(db)
    server.rng.seed(args.seed)
    server.start()
    try:
        svc, cache, client = open_service(work, server, "moderator", name="replies-cache")
        try:
            topics = [
                int(r[0])
                for r in q(
                    db,
                    "SELECT id FROM topics WHERE deleted_at IS NULL AND visible = 1 AND closed = 0 "
                    "AND archived = 0 AND archetype = 'regular' ORDER BY id",
                )
            ]
            t0 = time.monotonic()
            ops = []
            for i in range(args.replies):
                tid = rng.choice(topics)
                ops.append(svc.reply(tid, f"Reply {i}: thanks, we are looking into this for you.").op_uuid)
            enqueue_s = time.monotonic() - t0
            server.clear_requests()
            server.add_fault(FaultRule("apply_then_drop", "POST", "/posts.json", probability=args.fault_p))
            pushes, ambiguous = 0, 0
            t0 = time.monotonic()
            for _ in range(args.max_pushes):
                report = svc.dispatcher().push()
                pushes += 1
                if not any(r.state in ("pending", "in_flight") for r in svc.outbox()):
                    break
                del report
            server.clear_faults()
            svc.dispatcher().push()  # settles anything left waiting (nothing, when all went well)
            push_s = time.monotonic() - t0
            writes = server.request_count("POST", "/posts.json")
            reads = server.request_count("GET")
            counts: dict[str, int] = {"exactly_once": 0, "doubles": 0, "lost": 0}
            states: dict[str, int] = {}
            con = sqlite3.connect(db)
            try:
                for op in ops:
                    n = con.execute(
                        "SELECT COUNT(*) FROM posts WHERE instr(raw, ?) > 0 AND deleted_at IS NULL",
                        (actions.token_marker(op),),
                    ).fetchone()[0]
                    counts["exactly_once" if n == 1 else "doubles" if n > 1 else "lost"] += 1
                    row = svc.get(op)
                    key = f"{row.state}/{row.resolution}" if row is not None else "missing"
                    states[key] = states.get(key, 0) + 1
            finally:
                con.close()
            ambiguous = states.get("done/already_applied", 0)
        finally:
            client.close()
            cache.close()
    finally:
        server.stop()
    return {
        "replies": args.replies,
        "fault": f"apply_then_drop:POST:/posts.json:p={args.fault_p}",
        **counts,
        "outbox_states": states,
        "verified_after_ambiguous_send": ambiguous,
        "post_requests": writes,
        "get_requests": reads,
        "pushes": pushes,
        "enqueue_s": round(enqueue_s, 2),
        "push_s": round(push_s, 2),
    }


# ---------------------------------------------------------------- review triage


def bench_review_triage(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Requests per triaged review item (issue 14; target: 1 write + what the version lock needs).
    A moderator mirrors the pending review queue (one read), queues one offered action for every
    pending item (the first action of the item's first bundle, as a moderator working top to
    bottom would), and pushes once. Every request the demo server sees from the push on is counted
    per item: the write (``PUT /review/{id}/perform/{action}``) and the reads the dispatcher makes
    (the item re-read before sending, for its current version). Then a second run where another
    moderator acts on ``--review-stale`` of the items first: those cost the 409 (or the refused
    precheck) and the read that names who acted."""
    import httpx

    from modconsole.demo.server import DemoServer
    from modconsole.services.review import ReviewService
    from tests.core.outbox_support import open_service

    out: dict[str, Any] = {}
    for run, stale in (("clean", 0), ("stale", args.review_stale)):
        db = work / f"review-{run}-demo.sqlite3"
        generate(db, size=args.size, seed=args.seed)
        server = DemoServer(db)
        server.rng.seed(args.seed)
        server.start()
        try:
            svc, cache, client = open_service(work, server, "moderator", name=f"review-{run}", fill=False)
            try:
                review = ReviewService(cache, client, svc)
                server.clear_requests()
                review.sync()
                mirror_reads = server.request_count("GET")
                entries = review.entries()
                picked = []
                for e in entries:
                    if e.item.actions:  # the first offered action (read from the item, never assumed)
                        a = e.item.actions[0]
                        picked.append((e.item.id, a.id, a.server_action, e.item.version))
                headers = server.credentials.admin.headers()
                with httpx.Client(base_url=server.base_url, timeout=60) as c:
                    for rid, _aid, server_action, version in picked[:stale]:  # another moderator is first
                        c.put(
                            f"/review/{rid}/perform/{server_action}.json",
                            params={"version": version},
                            headers=headers,
                        )
                for rid, aid, _server_action, _version in picked:
                    review.perform(rid, aid)
                server.clear_requests()
                svc.dispatcher().push()
                writes = server.request_count("PUT", "/review/*/perform/*")
                reads = server.request_count("GET")
                states: dict[str, int] = {}
                for row in svc.outbox():
                    key = f"{row.state}/{row.resolution}"
                    states[key] = states.get(key, 0) + 1
            finally:
                client.close()
                cache.close()
        finally:
            server.stop()
        n = max(1, len(picked))
        out[run] = {
            "items": len(picked),
            "acted_on_first_by_another": min(stale, len(picked)),
            "mirror_reads": mirror_reads,
            "push_writes": writes,
            "push_reads": reads,
            "requests_per_item": round((writes + reads) / n, 2),
            "writes_per_item": round(writes / n, 2),
            "outbox_states": states,
        }
    return out


# ---------------------------------------------------------------- live counts


def bench_live_counts(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Requests per hour spent on live counts with a user key while idle (issue 14.5; target within
    10 % of the key's day budget: ≤ 12 an hour). The moderator's user API key, Discourse's own
    window in front the whole time and nothing happening on the community: ``--live-hours`` hours
    on the test clock, the poller driven one second at a time (``LiveCountsPoller.tick``, no
    thread), every request counted by the demo server. The hours pass in seconds of real time, so
    the client's pacer (real time) and the server's limiter are off here: the figure is what the
    poller's plan asks for (tests/core/test_live_counts.py holds it to the same count)."""
    from modconsole.api.client import ApiClient, Credentials
    from modconsole.api.ratelimit import Budget, HostPacer
    from modconsole.demo.server import DemoServer
    from modconsole.services.live import LIVE_SHARE_OF_DAY, USER_KEY_PER_DAY, LiveCountsPoller, LivePlan

    db = work / "live.sqlite3"
    generate(db, size=args.size, seed=args.seed)
    server = DemoServer(db)
    server.start()
    try:
        who = server.credentials.moderator
        con = sqlite3.connect(db)
        uid = int(con.execute("SELECT id FROM users WHERE username = ?", (who.username,)).fetchone()[0])
        con.close()
        client = ApiClient(
            server.base_url,
            Credentials.user(who.key, username=who.username),
            pacer=HostPacer(Budget.unlimited()),
        )
        try:
            plan = LivePlan.for_key("user")
            poller = LiveCountsPoller(client, user_id=uid, plan=plan)
            poller.set_active(True, thread=False)
            server.clear_requests()
            start = clock.timestamp()
            hours = args.live_hours
            per_hour: list[int] = []
            for h in range(hours):
                before = server.request_count()
                for second in range(3600):
                    poller.tick(start + h * 3600 + second)
                per_hour.append(server.request_count() - before)
            total = server.request_count()
        finally:
            client.close()
    finally:
        server.stop()
    steady = max(per_hour[1:] or per_hour)
    return {
        "mode": "message_bus dlp=t",
        "interval_s": plan.interval_s,
        "requests_per_hour": per_hour,
        "requests_total": total,
        "worst_hour": max(per_hour),
        "steady_hour": steady,
        "share_of_day_budget": round(max(per_hour) * 24 / USER_KEY_PER_DAY, 3),
        "target_per_hour": int(USER_KEY_PER_DAY * LIVE_SHARE_OF_DAY / 24),
        "long_poll_per_hour_by_contract": round(3600 / 25),  # a 25 s hold: 144/h, 3,456/day
    }


# ---------------------------------------------------------------- review page first paint


def bench_review_paint(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Review page first paint at ``--pending`` pending items (issue 14; target ≤ 100 ms). The demo
    store's flags are copied until ``--pending`` items wait; the review queue is read into a cache
    over HTTP (``ReviewService.sync``, the Refresh button's work); then, offscreen at 1024×700 with
    the app's stylesheet and ops inline (so the cache read is inside the figure), the time from
    creating the page to its first full paint, ``--paints`` times (wall time, and the process's
    CPU time, which other load on a shared machine does not inflate)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from modconsole.demo.server import DemoServer
    from modconsole.services.review import ReviewService
    from tests.core.outbox_support import open_service

    db = work / "review.sqlite3"
    generate(db, size=args.size, seed=args.seed)
    server = DemoServer(db)  # seeds the review queue
    con = sqlite3.connect(db)
    base = con.execute("SELECT * FROM reviewables WHERE status = 0").fetchall()
    cols = [d[1] for d in con.execute("PRAGMA table_info(reviewables)")]
    scores = con.execute("SELECT * FROM reviewable_scores").fetchall()
    score_cols = [d[1] for d in con.execute("PRAGMA table_info(reviewable_scores)")]
    next_id = int(con.execute("SELECT MAX(id) FROM reviewables").fetchone()[0]) + 1
    next_score = int(con.execute("SELECT COALESCE(MAX(id), 0) FROM reviewable_scores").fetchone()[0]) + 1
    pending = len(base)
    while pending < args.pending:
        for row in base:
            if pending >= args.pending:
                break
            item = dict(zip(cols, row, strict=True))
            old = item["id"]
            item["id"] = next_id
            con.execute(
                f"INSERT INTO reviewables({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                list(item.values()),
            )
            for sc in scores:
                srow = dict(zip(score_cols, sc, strict=True))
                if srow["reviewable_id"] == old:
                    srow["id"], srow["reviewable_id"] = next_score, next_id
                    next_score += 1
                    marks = ",".join("?" * len(score_cols))
                    con.execute(
                        f"INSERT INTO reviewable_scores({','.join(score_cols)}) VALUES ({marks})",
                        list(srow.values()),
                    )
            next_id += 1
            pending += 1
    con.commit()
    con.close()
    server.start()
    try:
        svc, cache, client = open_service(work, server, "moderator", fill=False, name="review-cache")
        review = ReviewService(cache, client, svc)
        t0 = time.perf_counter()
        report = review.sync()
        sync_s = time.perf_counter() - t0
        client.close()
    finally:
        server.stop()

    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    from ui.resources import stylesheet
    from ui.review.page import ReviewBackend, ReviewPage
    from ui.signals import AppSignals, set_app_signals
    from ui.tasks import InlineTaskManager, set_task_manager

    app = QApplication.instance() or QApplication([])
    app.setStyleSheet(stylesheet())  # type: ignore[union-attr]
    set_app_signals(AppSignals())
    set_task_manager(InlineTaskManager())
    paints: list[float] = []
    cpu: list[float] = []
    shown = 0
    for _ in range(args.paints):
        t0 = time.perf_counter()
        c0 = time.process_time()
        page = ReviewPage(ReviewBackend(review))
        page.resize(QSize(1024, 700))
        page.show()
        page.repaint()  # the first full paint, synchronously
        paints.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        shown = page.model.rowCount()
        page.close()
        page.deleteLater()
        app.processEvents()  # type: ignore[union-attr]
    cache.close()
    paints.sort()
    cpu.sort()
    return {
        "pending": report.items,
        "rows_shown": shown,
        "sync_s": round(sync_s, 2),
        "first_paint_ms_median": round(paints[len(paints) // 2], 1),
        "first_paint_ms_max": round(paints[-1], 1),
        "first_paint_ms_all": [round(p, 1) for p in paints],
        "first_paint_cpu_ms_median": round(cpu[len(cpu) // 2], 1),  # what other load does not inflate
        "target_ms": 100,
    }


SECTIONS: dict[str, Callable[[argparse.Namespace, Path], dict[str, Any]]] = {
    "replies": bench_replies,
    "live_counts": bench_live_counts,
    "review_paint": bench_review_paint,
    "review_triage": bench_review_triage,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--only", choices=list(SECTIONS), action="append", help="run only these sections")
    ap.add_argument("--size", default="tiny", help="demo community size")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--replies", type=int, default=200, help="replies: how many")
    ap.add_argument("--fault-p", type=float, default=0.5, help="replies: apply_then_drop probability")
    ap.add_argument("--max-pushes", type=int, default=20, help="replies: bound on push rounds")
    ap.add_argument("--live-hours", type=int, default=3, help="live_counts: hours on the test clock")
    ap.add_argument("--pending", type=int, default=1000, help="review_paint: pending review items")
    ap.add_argument("--paints", type=int, default=7, help="review_paint: how many first paints")
    ap.add_argument(
        "--review-stale", type=int, default=2, help="review_triage: items another moderator acts on first"
    )
    ap.add_argument("--workdir", default=None, help="keep the files here (default: a temporary dir, removed)")
    args = ap.parse_args(argv)
    clock.set_now(DEFAULT_NOW + timedelta(hours=1))  # the community's "now"
    started = time.monotonic()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-triage-"))
    work.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {}
    try:
        for name in args.only or list(SECTIONS):
            t0 = time.monotonic()
            log(f"[{name}]")
            out[name] = SECTIONS[name](args, work)
            out[name]["elapsed_s"] = round(time.monotonic() - t0, 1)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    out["elapsed_s"] = round(time.monotonic() - started, 1)
    out["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    out["cpus"] = os.cpu_count()
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
