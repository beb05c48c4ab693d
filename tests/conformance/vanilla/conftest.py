"""One Vanilla demo community per test module, behind a real server on loopback, and a small client.

Tests in a module share the server, so each works on its own discussions, users or groups (``Site.pick``)
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
from modconsole.demo.vanilla.server import VanillaDemoServer
from modconsole.demo.vanilla.store import extend
from tests.conftest import TEST_NOW, copy_db
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration

API = "/api/v2"


class Site:
    """The Vanilla demo server plus the identities the tests sign in as (Bearer tokens)."""

    def __init__(self, server: VanillaDemoServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.base_url + API, timeout=WAIT_S)
        creds = server.credentials
        self.admin = creds.admin.headers()
        self.moderator = creds.moderator.headers()
        self.member = creds.member.headers()
        self.expired = creds.expired.headers()
        self.revoked = creds.revoked.headers()
        self.member_id = creds.member.user_id
        self.moderator_id = creds.moderator.user_id
        self.guest: dict[str, str] = {}
        self._used: set[Any] = set()

    def get(self, path: str, who: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.get(path, headers=self.guest if who is None else who, **kw)

    def post(self, path: str, who: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.post(path, headers=self.guest if who is None else who, **kw)

    def patch(self, path: str, who: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.patch(path, headers=self.guest if who is None else who, **kw)

    def delete(self, path: str, who: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.request("DELETE", path, headers=self.guest if who is None else who, **kw)

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        r = httpx.request(
            method, f"{self.server.base_url}/_demo/{path}", json=body, headers=self.admin, timeout=WAIT_S
        )
        assert r.status_code == 200, r.text
        return r.json()

    # -- the community's data (to pick samples, never to check an answer)
    def rows(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        con = store.connect(self.server.db_path)
        try:
            return list(con.execute(sql, args).fetchall())
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

    def question_with_answers(self, n: int = 2) -> sqlite3.Row:
        """An open question (public category) with at least ``n`` pending answers by others, none accepted."""
        return self.pick(
            "SELECT t.id, t.user_id FROM topics t JOIN categories c ON c.id = t.category_id "
            "WHERE t.is_question = 1 AND t.deleted_at IS NULL AND t.closed = 0 AND c.read_restricted = 0 "
            "AND NOT EXISTS (SELECT 1 FROM posts p JOIN vanilla_answers a ON a.comment_id = p.id "
            "                WHERE p.topic_id = t.id) "
            "AND (SELECT COUNT(*) FROM posts p WHERE p.topic_id = t.id AND p.post_number > 1 AND p.post_type = 1 "
            "     AND p.deleted_at IS NULL AND p.user_id <> t.user_id) >= ? ORDER BY t.id",
            n,
        )

    def answers(self, discussion_id: int) -> list[int]:
        return [
            int(r[0])
            for r in self.rows(
                "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id WHERE p.topic_id = ? "
                "AND p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL AND p.user_id <> t.user_id "
                "ORDER BY p.id",
                discussion_id,
            )
        ]

    def plain_user(self) -> sqlite3.Row:
        return self.pick(
            "SELECT * FROM users WHERE admin = 0 AND moderator = 0 AND deleted_at IS NULL AND id <> ? ORDER BY id",
            self.member_id,
        )

    def close(self) -> None:
        self.http.close()


def vanilla_db(master: Path, folder: Path) -> Path:
    db = copy_db(master, folder / "vanilla.sqlite3")
    con = store.connect(db)
    try:
        extend(con)
    finally:
        con.close()
    return db


@pytest.fixture(scope="module")
def site(tiny_community_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    clock.set_now(TEST_NOW)
    db = vanilla_db(tiny_community_master, tmp_path_factory.mktemp("vanilla-conformance"))
    server = VanillaDemoServer(db)
    server.start()
    s = Site(server)
    try:
        yield s
    finally:
        s.close()
        server.stop()
