"""An action on something the cache does not know yet (a member, a badge) fetches it from the
server first — and never while holding the cache's write lock (SYNC.md §6.10 rule 2: no network
I/O inside a transaction), so a slow server cannot stall the single cache writer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from modconsole.api.client import ApiClient, Credentials
from modconsole.api.ratelimit import Budget, HostPacer
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.services.moderation import ModerationService


class LockProbe(httpx.HTTPTransport):
    """The real loopback transport; before each request it notes whether a write lock is held."""

    def __init__(self, db: Path) -> None:
        super().__init__()
        self.db = db
        self.seen: list[tuple[str, bool]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        con = sqlite3.connect(self.db, timeout=0)
        try:
            con.execute("BEGIN IMMEDIATE")
            con.rollback()
            locked = False
        except sqlite3.OperationalError:
            locked = True
        finally:
            con.close()
        self.seen.append((request.url.path, locked))
        return super().handle_request(request)


def test_a_miss_is_fetched_with_no_transaction_open(demo_server: DemoServer, tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    me = demo_server.credentials.moderator
    probe = LockProbe(db)
    with (
        Cache.open(db) as cache,  # empty: never synced
        ApiClient(
            demo_server.base_url,
            Credentials.user(me.key, username=me.username),
            pacer=HostPacer(Budget.unlimited()),
            transport=probe,
        ) as client,
    ):
        service = ModerationService(cache, me=me.username, site_url=demo_server.base_url, client=client)
        member = demo_server.credentials.member.username
        queued = service.award_badge("Community Champion", member, note="fetched on demand")
        assert queued.op_uuid
        paths = [p for p, _ in probe.seen]
        assert "/badges.json" in paths and f"/u/{member}.json" in paths
        assert [p for p, locked in probe.seen if locked] == []
        with cache.read() as conn:
            known = conn.exec_driver_sql(
                "SELECT count(*) FROM users WHERE username = ? COLLATE NOCASE", (member,)
            ).scalar_one()
        assert known == 1
