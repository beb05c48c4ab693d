"""Recognition benchmarks: plain script, last printed line is a JSON object of figures.

    .venv/bin/python tests/benchmarks/bench_recognition.py [--cache CACHE] [--store STORE] [--repeat 5]
        [--members 500] [--only rank|bulk]

Section ``rank`` — superuser candidate ranking (``SuperuserService.rank``, 12-month window) on the
``large`` community (~100k topics, ~1M posts, ~20k members). The cache is either ``--cache`` (e.g.
one filled by a real sync of the large demo community: say so when you quote the figure) or built
here by **bulk-filling** the cache tables from a generated ``large`` store (``--store``, generated if
missing) with ``INSERT … SELECT`` and then ``repo.rebuild_derived`` (first responders, rollups) —
the same tables and indexes a sync fills, without the 20k requests. ``plain`` is filled with the
cooked HTML so post rows are as wide as real ones. Figures: median and best of ``--repeat`` runs in
ms (target: median ≤ 500 ms), candidates, members with activity in the window.

Section ``bulk`` — bulk award of ``--members`` members (``small`` community over the demo server on
loopback, moderator key): preview, enqueue and push timings, and the **requests used** by the push
(target: one POST per member who does not hold the badge yet; the dispatcher adds two reads per
push: the suspended and silenced lists).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.demo.generator import DEFAULT_NOW, generate
from modconsole.services.moderation import ModerationService
from modconsole.services.recognition import RecognitionService
from modconsole.services.superusers import SuperuserService

_FILL = [
    """INSERT INTO categories (id, name, slug, parent_category_id, position, color, description_text,
           accepts_answers, read_restricted)
       SELECT id, name, slug, parent_category_id, position, color, description, enable_accepted_answers,
           read_restricted FROM s.categories""",
    """INSERT INTO users (id, username, name, email, trust_level, admin, moderator, title, created_at,
           last_seen_at, last_posted_at, suspended_till, silenced, staged, active)
       SELECT id, username, name, email, trust_level, admin, moderator, title, created_at, last_seen_at,
           last_posted_at, suspended_till, silenced_till IS NOT NULL, staged, active
       FROM s.users WHERE deleted_at IS NULL""",
    """INSERT INTO topics (id, title, slug, category_id, archetype, user_id, created_at, bumped_at,
           last_posted_at, posts_count, reply_count, highest_post_number, views, like_count, closed, archived,
           visible, pinned, tags, has_accepted_answer, accepted_post_id, deleted_at)
       SELECT t.id, t.title, t.slug, t.category_id, t.archetype, t.user_id, t.created_at, t.bumped_at,
           t.last_posted_at, t.posts_count, t.reply_count, t.highest_post_number, t.views, t.like_count,
           t.closed, t.archived, t.visible, t.pinned, t.tags, so.post_id IS NOT NULL, so.post_id, t.deleted_at
       FROM s.topics t LEFT JOIN s.solutions so ON so.topic_id = t.id""",
    """INSERT INTO posts (id, topic_id, post_number, user_id, username, created_at, updated_at, version,
           post_type, action_code, reply_to_post_number, cooked, plain, like_count, reads, hidden, deleted_at,
           accepted_answer)
       SELECT p.id, p.topic_id, p.post_number, p.user_id, u.username, p.created_at, p.updated_at, p.version,
           p.post_type, p.action_code, p.reply_to_post_number, p.cooked, p.cooked, p.like_count, p.reads,
           p.hidden, p.deleted_at, so.post_id IS NOT NULL
       FROM s.posts p LEFT JOIN s.users u ON u.id = p.user_id
       LEFT JOIN s.solutions so ON so.post_id = p.id""",
    """INSERT INTO solutions (post_id, topic_id, post_number, user_id)
       SELECT so.post_id, so.topic_id, p.post_number, p.user_id
       FROM s.solutions so JOIN s.posts p ON p.id = so.post_id""",
    """INSERT INTO badges (id, name, description, badge_type_id, badge_grouping_id, grant_count,
           multiple_grant, allow_title, enabled, listable, manually_grantable, system, icon)
       SELECT b.id, b.name, b.description, b.badge_type_id, b.badge_grouping_id,
           (SELECT count(*) FROM s.user_badges ub WHERE ub.badge_id = b.id), b.multiple_grant, b.allow_title,
           b.enabled, b.listable, b.query IS NULL AND b.system = 0, b.system, b.icon
       FROM s.badges b""",
    """INSERT INTO user_badges (id, user_id, badge_id, granted_at, granted_by_id, post_id)
       SELECT id, user_id, badge_id, granted_at, granted_by_id, post_id FROM s.user_badges""",
    """INSERT INTO groups (id, name, full_name, title, automatic, grant_trust_level, visibility_level,
           primary_group)
       SELECT id, name, full_name, title, automatic, grant_trust_level, visibility_level, primary_group
       FROM s.groups""",
    """INSERT INTO group_members (group_id, user_id, owner, added_at)
       SELECT group_id, user_id, owner, created_at FROM s.group_users""",
]
"""Store → cache, as the sync would mirror it (``solutions.accepted_at`` left empty, as the sync does)."""


def fill_cache_from_store(store: Path, cache_path: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    cache = Cache.open(cache_path)
    try:
        # ATTACH must happen outside a transaction: copy on one raw connection
        raw = cache.engine.raw_connection()
        try:
            dc: Any = raw.driver_connection
            dc.execute(f"ATTACH DATABASE '{store}' AS s")
            dc.execute("BEGIN IMMEDIATE")
            for sql in _FILL:
                dc.execute(sql)
            dc.execute("COMMIT")
            dc.execute("DETACH DATABASE s")
        finally:
            raw.close()
        t_copy = time.perf_counter() - t0
        with cache.write() as conn:
            repo.rebuild_derived(conn)
        return {"fill_copy_s": round(t_copy, 1), "fill_total_s": round(time.perf_counter() - t0, 1)}
    finally:
        cache.close()


def bench_rank(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="bench-recognition-"))
    if args.cache:
        cache_path = Path(args.cache)
        out["cache_source"] = "given cache file (e.g. filled by a real sync)"
    else:
        store = Path(args.store) if args.store else tmp / "large.sqlite3"
        if not store.exists():
            t0 = time.perf_counter()
            generate(store, size="large", seed=1)
            out["generate_s"] = round(time.perf_counter() - t0, 1)
        cache_path = tmp / "cache.sqlite3"
        out.update(fill_cache_from_store(store, cache_path))
        out["cache_source"] = "bulk-filled from the generated large store"
    cache = Cache.open(cache_path)
    try:
        mod = ModerationService(cache, me="bench", site_url="http://127.0.0.1")
        su = SuperuserService(cache, mod)
        with cache.read() as conn:
            out["posts"] = conn.exec_driver_sql("SELECT count(*) FROM posts").scalar()
            out["topics"] = conn.exec_driver_sql("SELECT count(*) FROM topics").scalar()
            out["users"] = conn.exec_driver_sql("SELECT count(*) FROM users").scalar()
        times = []
        ranking = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            ranking = su.rank(now=DEFAULT_NOW)  # the demo community's "now"
            times.append((time.perf_counter() - t0) * 1000)
        assert ranking is not None
        out["rank_ms_median"] = round(statistics.median(times), 1)
        out["rank_ms_best"] = round(min(times), 1)
        out["rank_ms_all"] = [round(t) for t in times]
        out["candidates"] = len(ranking.candidates)
        out["members_active_in_window"] = ranking.considered
        out["target_ms"] = 500
        t0 = time.perf_counter()
        su.evidence(ranking.candidates[0].user_id, now=DEFAULT_NOW)
        out["evidence_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    finally:
        cache.close()
    return out


def bench_bulk(args: argparse.Namespace) -> dict[str, Any]:
    from modconsole.demo.server import DemoServer
    from modconsole.sync import SyncEngine, SyncOptions
    from modconsole.tasks import CancelToken
    from tests.core.outbox_support import FAST, client_for

    out: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="bench-recognition-bulk-"))
    store = tmp / "small.sqlite3"
    generate(store, size="small", seed=3)
    server = DemoServer(store)
    server.start()
    try:
        client = client_for(server, "moderator")
        cache = Cache.open(tmp / "cache.sqlite3")
        SyncEngine(client, cache, options=SyncOptions(retry_wait=0.01)).run_once(CancelToken())
        ident = server.credentials.moderator
        mod = ModerationService(
            cache, me=ident.username, site_url=server.base_url, client=client, options=FAST
        )
        mod.probe_permissions()
        rec = RecognitionService(cache, mod)
        badge = rec.badge("Community Champion")
        with cache.read() as conn:
            holders = [
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT user_id FROM user_badges WHERE badge_id = ? AND gone_since IS NULL", (badge.id,)
                )
            ]
            others = [
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT id FROM users WHERE admin = 0 AND moderator = 0 AND id NOT IN "
                    "(SELECT user_id FROM user_badges WHERE badge_id = ?) ORDER BY id LIMIT ?",
                    (badge.id, args.members - len(holders)),
                )
            ]
        ids = holders + others
        t0 = time.perf_counter()
        preview = rec.preview_bulk(badge.id, user_ids=ids)
        out["preview_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        grantable = len(preview.grantable)
        t0 = time.perf_counter()
        bulk = rec.enqueue_bulk(preview, note="benchmark")
        out["enqueue_s"] = round(time.perf_counter() - t0, 2)
        before = client.stats().requests_sent
        t0 = time.perf_counter()
        rep = mod.dispatcher().push(CancelToken())
        out["push_s"] = round(time.perf_counter() - t0, 2)
        out["members"] = len(ids)
        out["already_held"] = preview.count("holds")
        out["not_allowed"] = preview.count("not_allowed")
        out["grantable"] = grantable
        out["queued"] = len(bulk.queued)
        out["push_writes"] = rep.writes
        out["push_reads"] = rep.reads
        out["requests_used"] = client.stats().requests_sent - before
        out["requests_per_grant"] = round(out["requests_used"] / max(1, grantable), 3)
        report = rec.bulk_report(bulk)
        out["granted"] = sum(1 for r in report if r.result == "granted")
        cache.close()
        client.close()
    finally:
        server.stop()
    return out


SECTIONS = {"rank": bench_rank, "bulk": bench_bulk}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", help="an existing large cache file (else one is bulk-filled)")
    ap.add_argument("--store", help="a generated large demo store (else generated, ~1 min)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--members", type=int, default=500)
    ap.add_argument("--only", choices=sorted(SECTIONS))
    args = ap.parse_args()
    figures: dict[str, Any] = {}
    for name, fn in SECTIONS.items():
        if args.only and name != args.only:
            continue
        figures[name] = fn(args)
        print(name, figures[name], flush=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
