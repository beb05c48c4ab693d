"""The contract's quirks: an older server (``per_page`` ignored, sparse ``/posts.json`` pages) and
tags sent as objects give the same cache; a cancelled sync keeps its committed work and resumes;
progress events name the stage and count requests."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from modconsole.api import ApiClient, Budget, HostPacer
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.errors import Cancelled
from modconsole.sync import SyncEngine, SyncOptions
from modconsole.tasks import CancelToken, Progress
from tests.core.community import drop_trailing_deleted
from tests.core.sync_support import (
    FAST_RETRY,
    Proxy,
    cached_tables,
    credentials,
    differences,
    engine_for,
    expected_tables,
    identity,
    sync,
)


def test_older_server_and_tag_objects(demo_server: DemoServer, tmp_path: Path) -> None:
    demo_server.set_setting("tag_objects", True)
    proxy = Proxy(demo_server.base_url, ignore_per_page=True, sparse_posts=True)
    cache_path = tmp_path / "cache.sqlite3"
    client = ApiClient(
        proxy.url, credentials(identity(demo_server)), pacer=HostPacer(Budget.unlimited()), retry=FAST_RETRY
    )
    try:
        with Cache.open(cache_path) as cache:
            opts = SyncOptions(
                retry_wait=0.01, fetch_close_actions=True, fetch_deleted_posts=True
            )  # full mirror
            report = SyncEngine(client, cache, options=opts).run_once(CancelToken())
        assert report.finished
        expected = drop_trailing_deleted(
            demo_server.db_path, expected_tables(demo_server.db_path, admin=True)
        )
        assert differences(expected, cached_tables(cache_path)) == {}
        n_posts = len(expected["posts"])
        # sparse pages cost more requests than 50 posts each, yet nothing is missed
        assert report.requests["posts"] > n_posts / 50
    finally:
        client.close()
        proxy.stop()


def test_cancel_keeps_committed_work_and_resumes(demo_server: DemoServer, tmp_path: Path) -> None:
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path)
    token = CancelToken()
    seen: list[Progress] = []

    def progress(p: Progress) -> None:
        seen.append(p)
        if p.stage == "posts" and p.done > 0:
            token.cancel()

    try:
        with pytest.raises(Cancelled):
            engine.run_once(token, progress)
        with cache.read() as conn:
            from sqlalchemy import text

            kept = conn.execute(text("SELECT count(*) FROM posts")).scalar_one()
            pass_open = conn.execute(
                text("SELECT pass_page_token FROM sync_cursors WHERE resource = 'posts:latest'")
            ).scalar_one()
        assert kept > 0 and pass_open is not None
        stages = list(dict.fromkeys(p.stage for p in seen))
        assert stages == ["site", "queue", "solutions", "topics", "posts"]
        assert all(a.requests <= b.requests for a, b in pairwise(seen))

        demo_server.clear_requests()
        resumed = sync(engine)
        assert resumed.finished and resumed.first_sync
        # it went on from its cursor, not from the top (the first call already has before=)
        tail = [r for r in demo_server.requests if r.path == "/posts.json"]
        assert tail and tail[0].query == f"before={pass_open}"
        assert all("before=" in r.query for r in tail)
        expected = drop_trailing_deleted(
            demo_server.db_path, expected_tables(demo_server.db_path, admin=True)
        )
        assert differences(expected, cached_tables(cache_path)) == {}
    finally:
        cache.close()
        client.close()
