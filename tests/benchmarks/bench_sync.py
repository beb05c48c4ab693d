"""Sync-path benchmarks: plain script, last printed line is a JSON object of figures.

    .venv/bin/python tests/benchmarks/bench_sync.py [--rows N] [--repeat K] [--only SECTION]

Every figure that is a speed is also given as a ratio against a baseline measured in the
same run on the same machine (absolute numbers on a shared machine are noise).

Structure: each section is a function ``bench_<name>(args) -> dict[str, float]`` registered in
``SECTIONS``; ``main`` runs them in order and prints ``{"<name>": {...}, ...}`` as the last line.

Section ``sync_pull`` (modconsole/sync): a first sync of the ``small`` demo over loopback (limits
off, no client pacing: requests are counted, not timed) — requests per 1,000 posts and per 1,000
topics against the floors (20: ``/posts.json`` carries 50 posts; 10: lists carry 100 topics),
requests until the open-questions queue is complete as a % of the whole first sync, incrementals
with no change and with k changed topics (a reply each), a forced rescan; ``--large`` adds the
first sync of ``large`` (its time).

The **REST floor** (``floor_*``, computed from the served demo store, i.e. its ground truth, for an
admin key): the requests no REST mirror can do without —
``site`` 2 (session + site) · ``posts`` ⌈posts ``/posts.json`` shows / 50⌉ (regular, not deleted, not
hidden, in listed live topics) · ``topics`` ⌈live topics / 100⌉ + ⌈deleted topics / 100⌉ (staff's
deleted list) · ``unlisted`` one topic read per topic whose posts ``/posts.json`` never shows
(unlisted topics, topics with a hidden post) · ``users`` ⌈users / 100⌉ · ``badges`` 1 list +
⌈grants / 50⌉ per badge awarded by hand (automatic badges' holders follow from the forum and are
fetched on demand) · ``groups`` 1 + ⌈members / 1000⌉ per group · ``reports`` one per chart report.
``first_vs_floor`` is the first sync's requests over that sum (target ≤ 1.05);
``first_bytes_received`` the response bytes of the first sync as they crossed the wire (the demo
gzips bodies of 1 KB and more for clients that accept it, as Discourse behind nginx does).

Section ``vanilla_pull`` (modconsole/connectors/vanilla/sync): a first sync of the ``small`` demo
served by the Vanilla demo server (API v2, the moderator's personal access token; limits off, no
client pacing) — requests per 1,000 comments against the floor (10: 100 comments a page), requests
until the open-questions queue is complete (and its share of the first sync), an incremental with no
change (target ≤ 3) and one after a new comment and an accepted answer. Its cache write rate
(``db_ratio``, target ≥ 0.75): the comments of that first sync (every page, as parsed) written
through the Vanilla write path (``CommentsStage.walk_page``: post numbers, names, the posts upsert,
the pass's seen marks, the accepted-answer set, search rows, queue fields and rollups), one
transaction a page as the sync commits them, against stdlib ``sqlite3`` writing the same rows — the
posts (with their seen mark), their search rows and the accepted answers — with ``executemany``,
one transaction a page; both into copies of one cache synced up to the comments (same schema,
indexes, triggers, WAL, synchronous=FULL), interleaved, the median of ``--repeat`` ratios. HTML to
text is computed once beforehand for both (it is the same work on every path; ``cache_writes``
measures it). ``upsert_ratio``: the same comment rows (with their text) through
``repo.upsert_posts`` alone against raw ``executemany`` of them, a page a transaction each.

Section ``cache_writes`` (modconsole/cache/repo.py):
* baseline: stdlib ``sqlite3.executemany`` of the same post rows into the same ``posts`` table
  (a freshly migrated cache file: same indexes, WAL, synchronous=FULL), one transaction, pages of
  ``--page`` rows;
* ``upsert_posts`` with ``plain`` given (the database path alone) → ``db_ratio`` (target ≥ 0.5);
* ``upsert_posts`` from cooked HTML only (adds ``to_text`` per new post, the real pull path)
  → ``end_to_end_ratio``;
* the same rows again (nothing changed: the guarded upsert writes nothing and skips ``to_text``)
  → ``nochange_rows_per_s`` and ``nochange_ratio``.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.html import to_text
from tests.benchmarks.sync_child import run_sync_child

_WORDS = [
    "sync",
    "error",
    "badge",
    "topic",
    "reply",
    "customer",
    "invoice",
    "timeout",
    "server",
    "config",
    "upgrade",
    "license",
    "dashboard",
    "export",
    "import",
    "plugin",
    "webhook",
    "login",
    "password",
    "permission",
    "category",
    "moderator",
]


def make_posts(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """Post rows shaped like the contract's post fields, ~600 B of cooked HTML each."""
    rnd = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        words = " ".join(rnd.choice(_WORDS) for _ in range(70))
        cooked = f"<p>{words[:300]} <a href='/t/x/{i}'>link</a></p><pre><code>{words[300:420]}</code></pre>"
        rows.append(
            {
                "id": i,
                "topic_id": i // 20 + 1,
                "post_number": i % 20 + 1,
                "user_id": rnd.randint(1, 2000),
                "username": f"user{i % 2000}",
                "created_at": f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T10:00:00.000Z",
                "updated_at": "2026-12-01T10:00:00.000Z",
                "version": 1,
                "post_type": 1,
                "reply_to_post_number": None,
                "cooked": cooked,
                "like_count": rnd.randint(0, 5),
                "reads": rnd.randint(1, 100),
                "hidden": False,
                "deleted_at": None,
                "accepted_answer": False,
            }
        )
    return rows


def _pages(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def bench_cache_writes(args: argparse.Namespace) -> dict[str, float]:
    rows = make_posts(args.rows)
    with_plain = [{**r, "plain": to_text(r["cooked"])} for r in rows]
    cols = list(with_plain[0])
    raw_sql = f"INSERT INTO posts ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    raw_tuples = [tuple(r[c] for c in cols) for r in with_plain]
    tmp = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    counter = iter(range(1_000_000))

    def fresh() -> Path:
        path = tmp / f"c{next(counter)}.sqlite3"
        Cache.open(path).close()  # migrated schema: the same table and indexes for every path
        return path

    def raw_insert() -> float:
        conn = sqlite3.connect(fresh(), isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for i in range(0, len(raw_tuples), args.page):
            conn.executemany(raw_sql, raw_tuples[i : i + args.page])
        conn.execute("COMMIT")
        dt = time.perf_counter() - t0
        conn.close()
        return dt

    def upsert(data: list[dict[str, Any]], cache: Cache | None = None) -> float:
        own = cache is None
        c = cache or Cache.open(fresh())
        pages = _pages(data, args.page)
        t0 = time.perf_counter()
        with c.write() as conn:
            for page in pages:
                repo.upsert_posts(conn, page)
        dt = time.perf_counter() - t0
        if own:
            c.close()
        return dt

    # Interleave the paths and take the median of per-round ratios: on a shared, noisy machine
    # drift (other jobs, fsync latency) then hits baseline and candidate alike.
    n = len(rows)
    rates: dict[str, list[float]] = {"raw": [], "db": [], "e2e": [], "nochange": []}
    with Cache.open(fresh()) as warm:
        upsert(rows, warm)
        for _ in range(args.repeat):
            rates["raw"].append(n / raw_insert())
            rates["db"].append(n / upsert(with_plain))
            rates["e2e"].append(n / upsert(rows))
            rates["nochange"].append(n / upsert(rows, warm))
        with warm.read() as conn:
            assert repo.table_counts(conn)["posts"] == n

    def ratio(name: str) -> float:
        return round(statistics.median(a / b for a, b in zip(rates[name], rates["raw"], strict=True)), 3)

    med = {k: round(statistics.median(v)) for k, v in rates.items()}
    figures = {
        "rows": float(n),
        "page_rows": float(args.page),
        "raw_executemany_rows_per_s": med["raw"],
        "upsert_db_rows_per_s": med["db"],
        "db_ratio": ratio("db"),
        "upsert_end_to_end_rows_per_s": med["e2e"],
        "end_to_end_ratio": ratio("e2e"),
        "nochange_rows_per_s": med["nochange"],
        "nochange_ratio": ratio("nochange"),
    }
    for k, v in figures.items():
        print(f"  cache_writes.{k:32s} {v}")
    return figures


def _reply_in_topics(server: Any, topic_ids: list[int]) -> None:
    import httpx

    from modconsole.demo.store import connect, load_credentials

    con = connect(server.db_path, readonly=True)
    member = load_credentials(con).member
    con.close()
    with httpx.Client(base_url=server.base_url, headers=member.headers(), timeout=30) as http:
        for tid in topic_ids:
            r = http.post(
                "/posts.json", data={"topic_id": tid, "raw": f"Bench reply in topic {tid}, thanks!"}
            )
            r.raise_for_status()


def rest_floor(db: Path) -> dict[str, int]:
    """The REST floor of a first sync of the demo store ``db`` with an admin key, by stage."""
    import math

    from modconsole.connectors.discourse.reports import CHART_REPORTS

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def one(sql: str) -> int:
        return int(con.execute(sql).fetchone()[0] or 0)

    live = "t.archetype = 'regular' AND t.deleted_at IS NULL"
    tail = one(
        "SELECT count(*) FROM posts p JOIN topics t ON t.id = p.topic_id WHERE "
        f"{live} AND t.visible = 1 AND p.post_type = 1 AND p.deleted_at IS NULL AND p.hidden = 0"
    )
    topics = one(f"SELECT count(*) FROM topics t WHERE {live}")
    deleted = one("SELECT count(*) FROM topics WHERE archetype = 'regular' AND deleted_at IS NOT NULL")
    unlisted = one(
        f"SELECT count(*) FROM topics t WHERE {live} AND (t.visible = 0 OR EXISTS (SELECT 1 FROM posts p "
        "WHERE p.topic_id = t.id AND p.hidden = 1 AND p.deleted_at IS NULL))"
    )
    users = one("SELECT count(*) FROM users WHERE deleted_at IS NULL")
    grants = sum(
        math.ceil(int(n) / 50)
        for (n,) in con.execute(
            "SELECT count(*) FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
            "WHERE b.query IS NULL AND b.system = 0 GROUP BY b.id"
        )
    )
    groups = sum(
        1 + math.ceil(int(n) / 1000)
        for (n,) in con.execute(
            "SELECT (SELECT count(*) FROM group_users gu WHERE gu.group_id = g.id) FROM groups g"
        )
    )
    con.close()
    floor = {
        "site": 2,
        "posts": math.ceil(tail / 50),
        "topics": math.ceil(topics / 100) + max(1, math.ceil(deleted / 100)),
        "unlisted": unlisted,
        "users": math.ceil(users / 100),
        "badges": 1 + grants,
        "groups": groups,
        "reports": len(CHART_REPORTS),
    }
    floor["total"] = sum(floor.values())
    return floor


def missing_after_sync(db: Path, cache_path: Path) -> dict[str, int]:
    """ "Nothing lost": rows the served store has that an admin's cache lacks after a first sync —
    live topics, posts that are not deleted (nor a "closed" note), users, grants of badges awarded
    by hand, accepted answers. All must be 0."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.execute("ATTACH DATABASE ? AS c", (f"file:{cache_path}?mode=ro",))

    def one(sql: str) -> int:
        return int(con.execute(sql).fetchone()[0] or 0)

    live = "t.archetype = 'regular' AND t.deleted_at IS NULL"
    out = {
        "topics": one(
            f"SELECT count(*) FROM topics t WHERE {live} AND t.id NOT IN "
            "(SELECT id FROM c.topics WHERE gone_since IS NULL)"
        ),
        "posts": one(
            f"SELECT count(*) FROM posts p JOIN topics t ON t.id = p.topic_id WHERE {live} "
            "AND p.deleted_at IS NULL AND p.post_type != 3 "
            "AND p.id NOT IN (SELECT id FROM c.posts WHERE gone_since IS NULL)"
        ),
        "users": one(
            "SELECT count(*) FROM users WHERE deleted_at IS NULL AND id NOT IN "
            "(SELECT id FROM c.users WHERE gone_since IS NULL)"
        ),
        "manual_grants": one(
            "SELECT count(*) FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
            "WHERE b.query IS NULL AND b.system = 0 AND ub.id NOT IN "
            "(SELECT id FROM c.user_badges WHERE gone_since IS NULL)"
        ),
        "solutions": one(
            f"SELECT count(*) FROM solutions s JOIN topics t ON t.id = s.topic_id WHERE {live} "
            "AND s.post_id NOT IN (SELECT post_id FROM c.solutions WHERE gone_since IS NULL)"
        ),
    }
    con.close()
    return out


def _pull_once(
    size: str,
    seed: int,
    workdir: Path,
    *,
    changed: list[int],
    close_actions: bool = False,
    rescan: bool = True,
) -> dict[str, float]:
    """First sync of one community, then incrementals: no change, and k changed topics."""
    import shutil

    from modconsole.api import ApiClient, Budget, Credentials, HostPacer, Timeouts
    from modconsole.demo.generator import generate
    from modconsole.demo.server import DemoServer
    from modconsole.demo.store import connect, load_credentials
    from modconsole.sync import SyncEngine, SyncOptions
    from modconsole.tasks import CancelToken

    master = workdir / f"{size}-{seed}.sqlite3"
    t0 = time.perf_counter()
    if not master.exists():
        generate(master, size=size, seed=seed)
    gen_s = time.perf_counter() - t0
    db = workdir / f"{size}-served.sqlite3"
    with sqlite3.connect(master) as a, sqlite3.connect(db) as b:
        a.backup(b)
    con = sqlite3.connect(db)
    posts_visible = con.execute(
        "SELECT count(*) FROM posts p JOIN topics t ON t.id = p.topic_id WHERE t.archetype = 'regular'"
    ).fetchone()[0]
    topics_visible = con.execute("SELECT count(*) FROM topics WHERE archetype = 'regular'").fetchone()[0]
    candidates = [
        int(r[0])
        for r in con.execute(
            "SELECT id FROM topics WHERE archetype = 'regular' AND deleted_at IS NULL AND closed = 0 "
            "AND visible = 1 ORDER BY id LIMIT ?",
            (max(changed, default=0) * 2 + 1,),
        )
    ]
    con.close()
    admin = load_credentials(connect(db, readonly=True)).admin
    floor = rest_floor(db)
    server = DemoServer(db)
    server.start()
    cache_path = workdir / f"{size}-cache.sqlite3"
    for p in workdir.glob(f"{size}-cache.sqlite3*"):
        p.unlink()
    out: dict[str, float] = {"generate_s": round(gen_s, 2)}
    try:
        creds = Credentials.admin(admin.key, admin.username)
        # The first sync runs in a process of its own: its peak RSS is the console's alone.
        t0 = time.perf_counter()
        spec = {
            "label": size,
            "base_url": server.base_url,
            "kind": "admin",
            "key": admin.key,
            "username": admin.username,
            "cache": str(cache_path),
            "options": {"fetch_close_actions": close_actions},
        }
        got, rss_mb = run_sync_child(spec)
        first = SimpleNamespace(**got)
        out["first_sync_s"] = round(time.perf_counter() - t0, 2)
        out["first_sync_peak_rss_mb"] = rss_mb
        out["first_bytes_received"] = float(got["client_bytes_received"])
        with (
            # generous timeouts: requests are counted, not timed (a loaded machine answers a heavy
            # report slowly; a retry would count twice)
            ApiClient(
                server.base_url,
                creds,
                pacer=HostPacer(Budget.unlimited()),
                timeouts=Timeouts(read=300.0, write=60.0, deadline=600.0),
            ) as client,
            Cache.open(cache_path) as cache,
        ):
            engine = SyncEngine(client, cache, options=SyncOptions(fetch_close_actions=close_actions))
            assert first.finished
            req = dict(first.requests)
            total = first.requests_total
            post_req = req.get("posts", 0)
            recon = req.get("reconcile", 0)
            topic_req = req.get("topics", 0)
            queue_req = req.get("queue", 0)
            out.update(
                {
                    "posts": float(posts_visible),
                    "topics": float(topics_visible),
                    "first_sync_requests": float(total),
                    "requests_until_queue": float(first.requests_until_queue or 0),
                    "queue_pct_of_full": round(100.0 * (first.requests_until_queue or 0) / total, 2),
                    "posts_tail_requests": float(post_req),
                    "reconcile_requests": float(recon),
                    "req_per_1000_posts_tail": round(1000.0 * post_req / posts_visible, 2),
                    "req_per_1000_posts_tail_vs_floor20": round(1000.0 * post_req / posts_visible / 20, 3),
                    "req_per_1000_posts_with_reconcile": round(
                        1000.0 * (post_req + recon) / posts_visible, 2
                    ),
                    "req_per_1000_posts_with_reconcile_vs_floor20": round(
                        1000.0 * (post_req + recon) / posts_visible / 20, 3
                    ),
                    "req_per_1000_topics_listing": round(1000.0 * topic_req / topics_visible, 2),
                    "req_per_1000_topics_listing_vs_floor10": round(
                        1000.0 * topic_req / topics_visible / 10, 3
                    ),
                    "req_per_1000_topics_with_queue": round(
                        1000.0 * (topic_req + queue_req) / topics_visible, 2
                    ),
                    "req_per_1000_posts_all_stages": round(1000.0 * total / posts_visible, 2),
                }
            )
            for stage, n in sorted(req.items()):
                out[f"first_stage_{stage}"] = float(n)
            for stage, n in sorted(first.bytes_received.items()):
                out[f"first_mb_{stage}"] = round(n / 1e6, 2)
            for kind, n in missing_after_sync(db, cache_path).items():
                out[f"first_missing_{kind}"] = float(n)
            for part, n in floor.items():
                out[f"floor_{part}"] = float(n)
            out["first_vs_floor"] = round(total / floor["total"], 4)
            out["first_mb_received"] = round(out["first_bytes_received"] / 1e6, 2)
            nochange = engine.run_once(CancelToken())
            out["incremental_nochange_requests"] = float(nochange.requests_total)
            for stage, n in sorted(nochange.requests.items()):
                if n:
                    out[f"incremental_nochange_stage_{stage}"] = float(n)
            used = 0
            for k in changed:
                topics = candidates[used : used + k]
                used += k
                _reply_in_topics(server, topics)
                inc = engine.run_once(CancelToken())
                out[f"incremental_{k}_changed_requests"] = float(inc.requests_total)
            if rescan:
                again = SyncEngine(client, cache, options=SyncOptions(force_rescan=True))
                out["rescan_requests"] = float(again.run_once(CancelToken()).requests_total)
    finally:
        server.stop()
        shutil.rmtree(workdir / "unused", ignore_errors=True)
    return out


def bench_sync_pull(args: argparse.Namespace) -> dict[str, float]:
    """Requests of a first sync of ``small`` against the floors (20 per 1,000 posts: 50 posts a call;
    10 per 1,000 topics: 100 a page), the queue's share, incrementals; ``--large``: time of ``large``."""
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bench-sync-"))
    workdir.mkdir(parents=True, exist_ok=True)
    figures: dict[str, float] = {}
    quick = args.first_only
    if not args.large_only:
        changed = [] if quick else [1, 5, 20, 50]
        small = _pull_once("small", 1, workdir, changed=changed, rescan=not quick)
        figures.update({f"small.{k}": v for k, v in small.items()})
        if not quick:
            complete = _pull_once("small", 1, workdir, changed=[], close_actions=True)
            keep = {k: v for k, v in complete.items() if "first" in k or "req_per" in k}
            figures.update({f"small_with_close_actions.{k}": v for k, v in keep.items()})
    if args.large or args.large_only:
        large = _pull_once("large", 1, workdir, changed=[], rescan=not quick)
        figures.update({f"large.{k}": v for k, v in large.items()})
    for k, v in figures.items():
        print(f"  sync_pull.{k:50s} {v}")
    return figures


_RUN_PATHS = (
    "/admin/plugins/discourse-data-explorer/queries/*/run.json",
    "/g/*/reports/*/run.json",
    "/data-explorer/queries/*/run.json",
)


def _bulk_pull(size: str, workdir: Path, *, with_rest: bool, roles: tuple[str, ...]) -> dict[str, float]:
    """First sync of ``small`` by the moderator's (user) key and the admin's key, each with the Data
    Explorer mirror queries (``modconsole setup bulk-sync``) and without (``--no-bulk``): requests of
    each, bulk as a % of REST (target ≤ 10 %), and the table-by-table comparison of the two caches
    (0 tables differ)."""
    import shutil

    import httpx

    from modconsole.api import ApiClient, Budget, Credentials, HostPacer
    from modconsole.connectors.discourse.sync import bulk
    from modconsole.demo.generator import generate
    from modconsole.demo.server import DemoServer
    from modconsole.demo.store import connect, load_credentials
    from tests.core.test_sync_bulk import compare

    master = workdir / f"{size}-1.sqlite3"
    if not master.exists():
        generate(master, size=size, seed=1)
    db = workdir / f"{size}-bulk-served.sqlite3"
    with sqlite3.connect(master) as a, sqlite3.connect(db) as b:
        a.backup(b)
    ids = load_credentials(connect(db, readonly=True))
    server = DemoServer(db)
    server.start()
    out: dict[str, float] = {}
    try:
        unpaced = HostPacer(Budget.unlimited())
        httpx.put(
            f"{server.base_url}/_demo/data_explorer",
            json={"enabled": True},
            headers={"Api-Key": ids.admin.key},
            timeout=30,
        ).raise_for_status()
        with ApiClient(
            server.base_url, Credentials.admin(ids.admin.key, ids.admin.username), pacer=unpaced
        ) as admin:
            bulk.install(admin, "moderators")
        keys = {"moderator": ("user", ids.moderator), "admin": ("admin", ids.admin)}
        for role, (kind, ident) in keys.items():
            if role not in roles:
                continue
            fig: dict[str, float] = {}
            caches = {}
            for mode, use in (("bulk", True), ("rest", False)) if with_rest else (("bulk", True),):
                path = workdir / f"{size}-{role}-{mode}-cache.sqlite3"
                for p in workdir.glob(f"{size}-{role}-{mode}-cache.sqlite3*"):
                    p.unlink()
                spec = {
                    "label": f"{size} {role} {mode}",
                    "base_url": server.base_url,
                    "kind": kind,
                    "key": ident.key,
                    "username": ident.username,
                    "cache": str(path),
                    # the full mirror, as the equality test syncs: REST's default skips deleted
                    # posts a staff key could read (a topic re-read brings them), the mirror does not
                    "options": {
                        "fetch_close_actions": True,
                        "fetch_deleted_posts": True,
                        "bulk": use,
                        "bulk_run_interval": 0,
                    },
                }
                # in a process of its own: its peak RSS is the console's alone
                server.clear_requests()
                t0 = time.perf_counter()
                report, rss_mb = run_sync_child(spec)
                fig[f"{mode}_first_sync_s"] = round(time.perf_counter() - t0, 2)
                fig[f"{mode}_peak_rss_mb"] = rss_mb
                fig[f"{mode}_requests"] = float(report["requests_total"])
                # Data Explorer runs, whichever stage sent them (each must wait for the run limit)
                fig[f"{mode}_explorer_runs"] = float(
                    sum(server.request_count("*", pat) for pat in _RUN_PATHS)
                )
                for stage, n in sorted(report["requests"].items()):
                    fig[f"{mode}_stage_{stage}"] = float(n)
                for note in report["notes"]:
                    if note.startswith("bulk:"):
                        print(f"  {size} {role} {mode}: {note}")
                caches[mode] = path
            if with_rest:
                fig["bulk_pct_of_rest"] = round(100.0 * fig["bulk_requests"] / fig["rest_requests"], 2)
                diffs = compare(caches["bulk"], caches["rest"])
                for t, d in diffs.items():
                    print(f"  differs ({role}): {t}: {d[:300]}")
                fig["tables_differing"] = float(len(diffs))
            out.update({f"{role}.{k}": v for k, v in fig.items()})
    finally:
        server.stop()
        shutil.rmtree(workdir / "unused", ignore_errors=True)
    return out


def bench_bulk_mirror(args: argparse.Namespace) -> dict[str, float]:
    """``small``: bulk vs REST for both keys (above). ``--large``/``--large-only``: also (only) a
    bulk first sync of ``large`` by the moderator's (user) key and by the admin's key — requests,
    Data Explorer runs, time and the sync process's peak RSS (no REST run: ``sync_pull --large``)."""
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bench-bulk-"))
    workdir.mkdir(parents=True, exist_ok=True)
    out: dict[str, float] = {}
    if not args.large_only:
        small = _bulk_pull("small", workdir, with_rest=True, roles=("moderator", "admin"))
        out.update({f"small.{k}": v for k, v in small.items()})
    if args.large or args.large_only:
        large = _bulk_pull("large", workdir, with_rest=False, roles=("moderator", "admin"))
        out.update({f"large.{k}": v for k, v in large.items()})
    for k, v in out.items():
        print(f"  bulk_mirror.{k:48s} {v}")
    return out


LARGE_REST_MEASURED = 20_752
"""``large`` first sync over REST (admin key): 20,751 requests measured at a982ed8 plus the one the
solutions-report gate added since (docs/sync-design.md §6.9). Used when no REST count of ``large`` is
given (``--counts``) or measured in the same run (``--large`` with ``sync_pull``)."""


def _counts_for_wall_time(args: argparse.Namespace) -> dict[str, tuple[float, str]]:
    """Request counts of a first sync of ``large``: (count, where it came from)."""
    figures: dict[str, dict[str, float]] = dict(getattr(args, "figures", {}) or {})
    if args.counts:
        lines = [ln for ln in Path(args.counts).read_text().splitlines() if ln.startswith("{")]
        for name, section in json.loads(lines[-1]).items():
            figures.setdefault(name, section)
    pull = figures.get("sync_pull", {})
    bulk = figures.get("bulk_mirror", {})
    out: dict[str, tuple[float, str]] = {}
    if "large.first_sync_requests" in pull:
        out["rest"] = (pull["large.first_sync_requests"], "measured: sync_pull large (admin key)")
    else:
        out["rest"] = (float(LARGE_REST_MEASURED), "docs/sync-design.md §6.9 (admin key, +1 solutions gate)")
    for role in ("moderator", "admin"):
        if f"large.{role}.bulk_requests" in bulk:
            src = f"measured: bulk_mirror large ({role})"
            out[f"bulk_{role}"] = (bulk[f"large.{role}.bulk_requests"], src)
            runs = bulk.get(f"large.{role}.bulk_explorer_runs")
            if runs is not None:
                out[f"bulk_{role}_runs"] = (runs, "Data Explorer runs (server log)")
            else:
                stage = bulk.get(f"large.{role}.bulk_stage_bulk", 0.0)
                out[f"bulk_{role}_runs"] = (stage, "bulk stage requests")
    return out


def bench_wall_time(args: argparse.Namespace) -> dict[str, float]:
    """Simulated wall time of a first sync of ``large`` under Discourse's real limits, with an admin
    key (60/min, no day limit) and a moderator's user key (20/min and 2,880/day, of which the sync
    leaves ``sync.day_reserve`` = 240 for the console's own actions), REST and bulk.

    The time is computed, not waited for: each request count is sent through the console's own
    pacer (``HostPacer``, the sliding windows Discourse uses) on a simulated clock
    (``modconsole.sync.plan.simulate_wall_time``), with the Data Explorer runs 5 s apart
    (``SyncOptions.bulk_run_interval``). Server and transfer time are left out: the figure is
    what the limits alone impose. The demo's fast clock (``/_demo/clock``) speeds up its limiter,
    but it would also multiply the machine's own processing time of a ``large`` sync; the section
    ``--validate`` instead checks the model against that limiter on ``small`` (a paced REST sync by
    the user key on the demo's virtual clock: 429s seen, and the virtual time spent waiting for
    the limits next to the model's). Counts: ``--counts FILE`` (a previous run's output), the
    ``sync_pull``/``bulk_mirror`` sections of this run with ``--large``, or the last documented
    REST measurement."""
    from modconsole.sync.plan import DEFAULT_DAY_RESERVE, simulate_wall_time

    counts = _counts_for_wall_time(args)
    for name, (n, src) in counts.items():
        print(f"  counts: {name:22s} {n:>9.0f}  ({src})")
    keys = {"admin": (60, None), "user": (20, 2880)}
    out: dict[str, float] = {}
    for key, (per_minute, per_day) in keys.items():
        for mode in ("rest", "bulk"):
            if mode == "rest":
                n, runs = counts["rest"][0], 0.0
            else:
                role = "moderator" if key == "user" else "admin"
                got = counts.get(f"bulk_{role}") or counts.get("bulk_moderator")
                if got is None:
                    continue
                n = got[0]
                runs = (counts.get(f"bulk_{role}_runs") or counts.get("bulk_moderator_runs") or (0.0, ""))[0]
            seconds = simulate_wall_time(
                int(n),
                per_minute=per_minute,
                per_day=per_day,
                reserve=DEFAULT_DAY_RESERVE if per_day else 0,
                spacing=5.0,
                spaced=int(runs),
            )
            out[f"large.{key}_{mode}_requests"] = float(n)
            out[f"large.{key}_{mode}_minutes"] = round(seconds / 60, 1)
            out[f"large.{key}_{mode}_days"] = round(seconds / 86_400, 2)
    if "large.user_bulk_minutes" in out:
        out["large.user_bulk_target_met"] = float(out["large.user_bulk_minutes"] <= 15.0)
    if args.validate:
        out.update({f"small_validation.{k}": v for k, v in _validate_on_demo(args).items()})
    for k, v in out.items():
        print(f"  wall_time.{k:44s} {v}")
    return out


def _validate_on_demo(args: argparse.Namespace) -> dict[str, float]:
    """A REST first sync of ``small`` by the moderator's user key against the demo with Discourse's
    limits on and its clock ``speed`` times fast; the client's pacer runs on the same virtual time.
    Reports the 429s (0: the pacer keeps the server's windows), the virtual seconds spent waiting
    for the limits, and the model's figure for the same request count."""
    import shutil

    import httpx

    from modconsole.api import ApiClient, Budget, Credentials, HostPacer
    from modconsole.api.ratelimit import interruptible_sleep
    from modconsole.demo.generator import generate
    from modconsole.demo.server import DemoServer
    from modconsole.demo.store import connect, load_credentials
    from modconsole.sync import SyncEngine, SyncOptions
    from modconsole.sync.plan import simulate_wall_time
    from modconsole.tasks import CancelToken

    speed = float(args.speed)
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bench-wall-"))
    workdir.mkdir(parents=True, exist_ok=True)
    master = workdir / "small-1.sqlite3"
    if not master.exists():
        generate(master, size="small", seed=1)
    db = workdir / "small-wall-served.sqlite3"
    with sqlite3.connect(master) as a, sqlite3.connect(db) as b:
        a.backup(b)
    ids = load_credentials(connect(db, readonly=True))
    server = DemoServer(db)
    server.start()
    out: dict[str, float] = {}
    try:
        httpx.put(
            f"{server.base_url}/_demo/limits",
            json={"enabled": True, "clock_speed": speed},
            headers={"Api-Key": ids.admin.key},
            timeout=30,
        ).raise_for_status()
        t0 = time.monotonic()
        waited = [0.0]

        def virtual() -> float:
            return (time.monotonic() - t0) * speed

        def sleep(seconds: float, cancel: Any = None) -> None:
            waited[0] += seconds
            interruptible_sleep(seconds / speed, cancel)

        # the server's own limits (20/min, 2,880/day), kept by the client on the virtual clock
        pacer = HostPacer(Budget.user_key_limit(), clock=virtual, sleeper=sleep)
        creds = Credentials.user(ids.moderator.key, username=ids.moderator.username)
        path = workdir / "small-wall-cache.sqlite3"
        for p in workdir.glob("small-wall-cache.sqlite3*"):
            p.unlink()
        with ApiClient(server.base_url, creds, pacer=pacer) as client, Cache.open(path) as cache:
            report = SyncEngine(client, cache, options=SyncOptions(bulk=False)).run_once(CancelToken())
        elapsed_virtual = virtual()
        out["requests"] = float(report.requests_total)
        out["finished"] = float(report.finished)
        out["server_429s"] = float(sum(1 for r in server.requests if r.status == 429))
        out["clock_speed"] = speed
        out["virtual_minutes_waiting_for_limits"] = round(waited[0] / 60, 1)
        out["virtual_minutes_elapsed"] = round(elapsed_virtual / 60, 1)
        out["model_minutes"] = round(
            simulate_wall_time(report.requests_total, per_minute=20, per_day=2880) / 60, 1
        )
    finally:
        server.stop()
        shutil.rmtree(workdir / "unused", ignore_errors=True)
    return out


def bench_vanilla_pull(args: argparse.Namespace) -> dict[str, float]:
    """First sync of ``small`` from the Vanilla demo (above); its figures."""
    import httpx

    from modconsole.api import Budget, Credentials, HostPacer
    from modconsole.demo.generator import generate
    from modconsole.demo.store import connect
    from modconsole.demo.vanilla.server import VanillaDemoServer
    from modconsole.demo.vanilla.store import extend
    from modconsole.workspace import SiteRef, Workspace

    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bench-vanilla-"))
    workdir.mkdir(parents=True, exist_ok=True)
    master = workdir / "small-1.sqlite3"
    if not master.exists():
        generate(master, size="small", seed=1)
    db = workdir / "small-vanilla-served.sqlite3"
    with sqlite3.connect(master) as a, sqlite3.connect(db) as b:
        a.backup(b)
    con = connect(db)
    try:
        extend(con)
        comments = con.execute(
            "SELECT count(*) FROM posts p JOIN topics t ON t.id = p.topic_id WHERE p.post_number > 1 "
            "AND p.post_type = 1 AND p.deleted_at IS NULL AND t.deleted_at IS NULL "
            "AND t.archetype = 'regular'"
        ).fetchone()[0]
        question = con.execute(
            "SELECT q.discussion_id FROM vanilla_questions q JOIN topics t ON t.id = q.discussion_id "
            "WHERE q.status_id = 1 AND t.closed = 0 AND t.deleted_at IS NULL ORDER BY t.id LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    server = VanillaDemoServer(db)
    server.start()
    cache = workdir / "vanilla-cache.sqlite3"
    cache.unlink(missing_ok=True)
    ident = server.credentials.moderator
    site = SiteRef(
        server.base_url,
        ident.username,
        Credentials.token(ident.token, username=ident.username),
        cache,
        pacer=HostPacer(Budget.unlimited()),
        platform="vanilla",
    )
    try:
        with Workspace.open(site) as ws:
            t0 = time.perf_counter()
            first = ws.sync()
            first_s = time.perf_counter() - t0
            none = ws.sync()
            api = f"{server.base_url}/api/v2"
            made = httpx.post(
                f"{api}/comments",
                json={"body": "Try the new setting.", "format": "markdown", "discussionID": question},
                headers=server.credentials.admin.headers(),
                timeout=60,
            ).json()
            httpx.patch(
                f"{api}/comments/{made['commentID']}/answer",
                json={"status": "accepted"},
                headers=ident.headers(),
                timeout=60,
            )
            changed = ws.sync()
        writes = _vanilla_write_rate(server, workdir, args.repeat)
    finally:
        server.stop()
    figures: dict[str, float] = {
        "comments": float(comments),
        "first_requests": float(first.requests_total),
        "first_s": round(first_s, 2),
        "first_req_per_1000_comments": round(first.requests.get("comments", 0) * 1000 / comments, 2),
        "first_req_per_1000_comments_floor": 10.0,
        "first_requests_until_queue": float(first.requests_until_queue or 0),
        "queue_share_pct": round(100 * (first.requests_until_queue or 0) / first.requests_total, 1),
        "incremental_nochange_requests": float(none.requests_total),
        "incremental_comment_and_accept_requests": float(changed.requests_total),
    }
    for stage, n in sorted(first.requests.items()):
        figures[f"first_stage.{stage}"] = float(n)
    figures.update(writes)
    for k, v in figures.items():
        print(f"  vanilla_pull.{k:48s} {v}")
    return figures


def _vanilla_write_rate(server: Any, workdir: Path, repeat: int) -> dict[str, float]:
    """The Vanilla comment write path against raw ``sqlite3`` (above)."""
    from modconsole.api import Budget, Credentials, HostPacer
    from modconsole.connectors.registry import connector_for
    from modconsole.connectors.sync_run import ClientCancel, Run
    from modconsole.connectors.vanilla import endpoints as ep
    from modconsole.connectors.vanilla import parse
    from modconsole.connectors.vanilla.sync import rows as vrows
    from modconsole.connectors.vanilla.sync.engine import VanillaSync
    from modconsole.errors import Cancelled
    from modconsole.tasks import CancelToken, Progress

    ident = server.credentials.moderator
    client = connector_for("vanilla").open_client(
        server.base_url,
        Credentials.token(ident.token, username=ident.username),
        pacer=HostPacer(Budget.unlimited()),
    )
    base = workdir / "vanilla-writes-base.sqlite3"
    for old in workdir.glob("vanilla-writes-*"):
        old.unlink()
    cache = Cache.open(base)
    engine = VanillaSync(client, cache)
    token = CancelToken()

    def before_comments(p: Progress) -> None:
        if p.stage == "comments":
            token.cancel()

    try:
        engine.run_once(token, before_comments)
    except Cancelled:
        pass
    engine.ctx.run = Run(CancelToken(), lambda p: None, client.stats().requests_sent)
    engine.ctx.cancel = ClientCancel(CancelToken())
    pages = list(engine.pages(ep.comments(), engine.comments.params(sort="commentID"), parse.comments))
    engine.ctx.run = None
    cache.close()
    client.close()
    n = sum(len(p) for p in pages)
    plains = {c.body_html: to_text(c.body_html) for p in pages for c in p}
    counter = iter(range(1_000_000))

    def fresh() -> Path:
        path = workdir / f"vanilla-writes-{next(counter)}.sqlite3"
        with sqlite3.connect(base) as a, sqlite3.connect(path) as b:
            a.backup(b)
        return path

    # the rows the write path ends with, for the raw path: post numbers by id within a discussion
    number: dict[int, int] = {}
    post_cols = [*vrows.comment_row(pages[0][0], 2, None), "like_count", "plain", "seen_in_pass"]
    post_cols = list(dict.fromkeys(post_cols))
    raw_pages = []
    for page in pages:
        posts, fts, sols = [], [], []
        for c in page:
            number[c.discussion_id] = number.get(c.discussion_id, 1) + 1
            row = {**vrows.comment_row(c, number[c.discussion_id], None), "plain": plains[c.body_html]}
            row.setdefault("like_count", 0)
            row["seen_in_pass"] = "pass"
            posts.append(row)
            if row["plain"]:
                fts.append((c.comment_id, row["plain"]))
            if c.answer is not None and c.answer.status == "accepted":
                sols.append(tuple(vrows.solution_row(c, number[c.discussion_id], None).values()))
        raw_pages.append(([tuple(r[k] for k in post_cols) for r in posts], fts, sols))
    sol_cols = ["post_id", "topic_id", "post_number", "user_id", "accepter_username", "accepted_at"]
    post_sql = f"INSERT INTO posts ({', '.join(post_cols)}) VALUES ({', '.join('?' for _ in post_cols)})"
    sol_sql = f"INSERT INTO solutions ({', '.join(sol_cols)}) VALUES ({', '.join('?' for _ in sol_cols)})"

    def raw() -> float:
        conn = sqlite3.connect(fresh(), isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        t0 = time.perf_counter()
        for posts_t, fts_t, sols_t in raw_pages:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(post_sql, posts_t)
            conn.executemany("INSERT INTO posts_fts (rowid, plain) VALUES (?, ?)", fts_t)
            conn.executemany(sol_sql, sols_t)
            conn.execute("COMMIT")
        dt = time.perf_counter() - t0
        conn.close()
        return dt

    def ours() -> float:
        c = Cache.open(fresh())
        stage = VanillaSync(client, c).comments
        stage.ctx.run = Run(CancelToken(), lambda p: None, 0)
        t0 = time.perf_counter()
        for i, page in enumerate(pages):
            with c.write() as conn:
                stage.walk_page(conn, page, "pass")
                if i == len(pages) - 1:  # the pass closes: derived state once (the engine's _gone)
                    repo.rebuild_derived(conn)
        dt = time.perf_counter() - t0
        c.close()
        return dt

    # the posts alone: the same rows (with their text) through ``repo.upsert_posts`` and raw
    upsert_pages = [
        [{**vrows.comment_row(c, 2, None), "plain": plains[c.body_html]} for c in page] for page in pages
    ]
    plain_cols = [c for c in post_cols if c != "seen_in_pass"]
    plain_sql = f"INSERT INTO posts ({', '.join(plain_cols)}) VALUES ({', '.join('?' for _ in plain_cols)})"
    plain_pages = [
        [tuple(r.get(k, 0) if k == "like_count" else r[k] for k in plain_cols) for r in p]
        for p in upsert_pages
    ]

    def raw_posts() -> float:
        conn = sqlite3.connect(fresh(), isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        t0 = time.perf_counter()
        for page_t in plain_pages:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(plain_sql, page_t)
            conn.execute("COMMIT")
        dt = time.perf_counter() - t0
        conn.close()
        return dt

    def upsert() -> float:
        c = Cache.open(fresh())
        data = [[dict(r) for r in p] for p in upsert_pages]
        t0 = time.perf_counter()
        for page_rows in data:
            with c.write() as conn:
                repo.upsert_posts(conn, page_rows)
        dt = time.perf_counter() - t0
        c.close()
        return dt

    real_to_text = repo.to_text
    repo.to_text = plains.__getitem__  # type: ignore[assignment]  # computed once, above
    ratios, raw_rates, our_rates, upsert_ratios = [], [], [], []
    try:
        for _ in range(repeat):
            a, b = raw(), ours()
            raw_rates.append(n / a)
            our_rates.append(n / b)
            ratios.append(a / b)
            a, b = raw_posts(), upsert()
            upsert_ratios.append(a / b)
    finally:
        repo.to_text = real_to_text
        for old in workdir.glob("vanilla-writes-*"):
            old.unlink()
    return {
        "write_rows": float(n),
        "raw_executemany_rows_per_s": float(round(statistics.median(raw_rates))),
        "write_path_rows_per_s": float(round(statistics.median(our_rates))),
        "db_ratio": round(statistics.median(ratios), 3),
        "upsert_ratio": round(statistics.median(upsert_ratios), 3),
    }


SECTIONS: dict[str, Callable[[argparse.Namespace], dict[str, float]]] = {
    "cache_writes": bench_cache_writes,
    "sync_pull": bench_sync_pull,
    "bulk_mirror": bench_bulk_mirror,
    "wall_time": bench_wall_time,
    "vanilla_pull": bench_vanilla_pull,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--page", type=int, default=100, help="rows per upsert call (a sync page)")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", choices=sorted(SECTIONS), default=None)
    ap.add_argument(
        "--large", action="store_true", help="sync_pull: also a first sync of 'large' (slow to generate)"
    )
    ap.add_argument("--large-only", action="store_true", help="sync_pull: only the 'large' first sync")
    ap.add_argument("--workdir", default=None, help="sync_pull: keep (and reuse) generated communities here")
    ap.add_argument(
        "--first-only",
        action="store_true",
        help="sync_pull: first sync and one unchanged incremental only (no k-changed runs, no rescan)",
    )
    ap.add_argument(
        "--counts",
        default=None,
        help="wall_time: a previous bench_sync output (its last line) with large's request counts",
    )
    ap.add_argument(
        "--validate",
        action="store_true",
        help="wall_time: also check the model against the demo's limiter (fast clock) on small",
    )
    ap.add_argument("--speed", type=float, default=60.0, help="wall_time --validate: the demo's clock speed")
    args = ap.parse_args(argv)
    out: dict[str, dict[str, float]] = {}
    args.figures = out  # wall_time reads the counts the sections before it measured
    for name, fn in SECTIONS.items():
        if args.only and name != args.only:
            continue
        print(f"[{name}]")
        out[name] = fn(args)
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
