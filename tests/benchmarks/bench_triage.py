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
    from modconsole.demo.server import DemoServer, FaultRule
    from modconsole.outbox import actions
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


SECTIONS: dict[str, Callable[[argparse.Namespace, Path], dict[str, Any]]] = {"replies": bench_replies}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--only", choices=list(SECTIONS), action="append", help="run only these sections")
    ap.add_argument("--size", default="tiny", help="demo community size")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--replies", type=int, default=200, help="replies: how many")
    ap.add_argument("--fault-p", type=float, default=0.5, help="replies: apply_then_drop probability")
    ap.add_argument("--max-pushes", type=int, default=20, help="replies: bound on push rounds")
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
