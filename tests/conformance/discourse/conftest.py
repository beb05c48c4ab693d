"""One demo community per test module, behind a real server on loopback, and a small client for it.

Tests in a module share the server, so each test works on its own topics, users or groups (``Site.pick``)
or leaves what it changed as it found it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from modconsole import clock
from modconsole.demo import store
from modconsole.demo.server import DemoServer
from tests.conftest import TEST_NOW, copy_db
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration

NOT_FOUND = "The requested URL or resource could not be found."
MASTER_KEY = "conformance-all-users-key"
TEST_BADGE_SQL = (
    "INSERT INTO badges(name, slug, description, badge_type_id, badge_grouping_id, icon, listable, enabled, "
    "allow_title, multiple_grant, system, query, auto_revoke, trigger, target_posts, show_posts) "
    "VALUES (?1, ?2, 'A badge a conformance test made', 3, 5, 'star', 1, ?4, 0, ?3, 0, NULL, 0, 0, 0, 0)"
)


class Site:
    """The demo server plus the identities the specs sign in as.

    ``as_(username)`` acts as any member through an "all users" admin API key (the specs' ``master_key``
    / ``sign_in(user)``); ``admin``, ``moderator`` and ``member`` are the demo community's own keys."""

    def __init__(self, server: DemoServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.base_url, timeout=WAIT_S)
        creds = server.credentials
        self.admin = creds.admin.headers()
        self.moderator = creds.moderator.headers()
        self.member = creds.member.headers()
        self.member_name = creds.member.username
        self.admin_name = creds.admin.username
        self.moderator_name = creds.moderator.username
        self.anon: dict[str, str] = {}
        self._used: set[Any] = set()

    # -- HTTP
    def get(self, path: str, who: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.get(path, headers=self.anon if who is None else who, **kw)

    def post(self, path: str, who: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.post(path, headers=self.anon if who is None else who, **kw)

    def put(self, path: str, who: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.put(path, headers=self.anon if who is None else who, **kw)

    def delete(self, path: str, who: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.request("DELETE", path, headers=self.anon if who is None else who, **kw)

    def as_(self, username: str) -> dict[str, str]:
        return {"Api-Key": MASTER_KEY, "Api-Username": username}

    # -- the community's data (to pick sample records, never to check an answer)
    def rows(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        con = store.connect(self.server.db_path)
        try:
            return list(con.execute(sql, args).fetchall())
        finally:
            con.close()

    def one(self, sql: str, *args: Any) -> sqlite3.Row:
        rows = self.rows(sql, *args)
        assert rows, sql
        return rows[0]

    def execute(self, sql: str, *args: Any) -> None:
        """Set up state the way a spec's fabricators do (e.g. ``group.add_owner(user)``) where the API has
        no route for it."""
        con = store.connect(self.server.db_path)
        try:
            con.execute(sql, args)
            con.commit()
        finally:
            con.close()

    def pick(self, sql: str, *args: Any) -> sqlite3.Row:
        """The first row of ``sql`` no other test of this module picked yet."""
        for row in self.rows(sql, *args):
            key = (sql, tuple(row))
            if key not in self._used:
                self._used.add(key)
                return row
        raise AssertionError(f"no unused sample left for: {sql}")

    def plain_user(self) -> sqlite3.Row:
        """An active, non-staff member (not the demo's own member identity)."""
        return self.pick(
            "SELECT * FROM users WHERE admin = 0 AND moderator = 0 AND active = 1 AND staged = 0 "
            "AND deleted_at IS NULL AND suspended_till IS NULL AND silenced_till IS NULL AND username <> ? "
            "ORDER BY id",
            self.member_name,
        )

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="module")
def site(tiny_community_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    clock.set_now(TEST_NOW)
    db = copy_db(tiny_community_master, tmp_path_factory.mktemp("conformance") / "demo.sqlite3")
    con = store.connect(db)
    try:
        con.execute(
            "INSERT INTO api_keys(key, kind, user_id, scopes, description, created_at) "
            "VALUES (?, 'admin', NULL, 'global', 'conformance: all users', ?)",
            (MASTER_KEY, TEST_NOW.strftime("%Y-%m-%dT%H:%M:%S.000Z")),
        )
        con.commit()
    finally:
        con.close()
    server = DemoServer(db)
    server.start()
    s = Site(server)
    try:
        yield s
    finally:
        s.close()
        server.stop()
