"""Helpers for the sync tests: clients for the demo identities and a table-by-table comparison of
the cache with the demo server's own store, through the visibility the key has."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx

from modconsole.api import ApiClient, Budget, Credentials, HostPacer, RetryPolicy
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.demo.store import DemoIdentity, connect, load_credentials
from modconsole.sync import SyncEngine, SyncOptions
from modconsole.tasks import CancelToken
from tests.helpers.waits import WAIT_S

FAST_RETRY = RetryPolicy(max_retries=3, base=0.02, cap=0.2)


def identity(server: DemoServer, role: str = "admin") -> DemoIdentity:
    con = connect(server.db_path, readonly=True)
    try:
        ident: DemoIdentity = getattr(load_credentials(con), role)
        return ident
    finally:
        con.close()


def credentials(ident: DemoIdentity) -> Credentials:
    if ident.kind == "admin":
        return Credentials.admin(ident.key, ident.username)
    return Credentials.user(ident.key, username=ident.username)


def client_for(server: DemoServer, role: str = "admin", *, retry: RetryPolicy = FAST_RETRY) -> ApiClient:
    return ApiClient(
        server.base_url, credentials(identity(server, role)), pacer=HostPacer(Budget.unlimited()), retry=retry
    )


def engine_for(
    server: DemoServer, cache_path: Path, role: str = "admin", **options: Any
) -> tuple[SyncEngine, ApiClient, Cache]:
    client = client_for(server, role)
    cache = Cache.open(cache_path)
    # The full-mirror comparisons want every post: the "closed" notes and, for staff, the deleted
    # posts too (both off by default).
    options.setdefault("fetch_close_actions", True)
    options.setdefault("fetch_deleted_posts", True)
    opts = SyncOptions(retry_wait=0.01, **options)
    return SyncEngine(client, cache, options=opts), client, cache


def sync(engine: SyncEngine) -> Any:
    return engine.run_once(CancelToken())


def act(server: DemoServer, role: str, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
    """A write on the demo server through its HTTP API, as another identity."""
    ident = identity(server, role)
    resp = httpx.request(method, server.base_url + path, data=data, headers=ident.headers(), timeout=WAIT_S)
    assert resp.status_code < 300, (resp.status_code, resp.text[:300])
    return resp.json() if resp.content else None


def _rows(con: sqlite3.Connection, sql: str, args: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in con.execute(sql, args)}


def expected_tables(
    store: Path, *, admin: bool, staff: bool = True, emails: bool | None = None, holders: str = "manual"
) -> dict[str, set]:  # type: ignore[type-arg]
    """The server's rows as a key with this visibility would mirror them. ``holders``: whose grants
    a sync lists — ``"manual"`` (badges awarded by hand: automatic badges' holders are fetched when
    a moderator opens the badge) or ``"all"``."""
    emails = admin if emails is None else emails
    visible_badges = [] if admin else ["b.enabled = 1 AND b.listable = 1"]
    if holders == "manual":
        visible_badges.append("b.query IS NULL AND b.system = 0")
    badge_filter = (" WHERE " + " AND ".join(visible_badges)) if visible_badges else ""
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    post_types = "(1, 2, 3, 4)" if admin else "(1, 2, 3)"
    deleted_ok = "1" if staff else "p.deleted_at IS NULL AND t.deleted_at IS NULL"
    out = {
        "categories": _rows(
            con,
            "SELECT id, name, slug, read_restricted, enable_accepted_answers FROM categories "
            + ("" if staff else "WHERE read_restricted = 0"),
        ),
        "topics": _rows(
            con,
            "SELECT t.id, t.title, t.category_id, t.user_id, t.created_at, t.bumped_at, t.posts_count, "
            "t.highest_post_number, t.closed, t.visible, t.deleted_at, "
            "EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) "
            "FROM topics t WHERE t.archetype = 'regular'" + ("" if staff else " AND t.deleted_at IS NULL"),
        ),
        "posts": _rows(
            con,
            "SELECT p.id, p.topic_id, p.post_number, p.user_id, p.created_at, p.updated_at, p.post_type, "
            "p.action_code, p.cooked, p.hidden, p.deleted_at, p.like_count, p.version "
            f"FROM posts p JOIN topics t ON t.id = p.topic_id WHERE t.archetype = 'regular' "
            f"AND p.post_type IN {post_types} AND {deleted_ok}",
        ),
        "users": _rows(
            con,
            "SELECT id, username, trust_level, admin, moderator, "
            + ("email" if emails else "NULL")
            + " FROM users WHERE deleted_at IS NULL",
        ),
        "badges": _rows(
            con,
            "SELECT b.id, b.name, (SELECT count(*) FROM user_badges ub WHERE ub.badge_id = b.id) "
            "FROM badges b" + ("" if admin else " WHERE enabled = 1 AND listable = 1"),
        ),
        "user_badges": _rows(
            con,
            "SELECT ub.id, ub.user_id, ub.badge_id, ub.granted_at, ub.granted_by_id, ub.post_id "
            "FROM user_badges ub JOIN badges b ON b.id = ub.badge_id" + badge_filter,
        ),
        "groups": _rows(con, "SELECT id, name FROM groups"),
        "group_members": _rows(con, "SELECT group_id, user_id, owner FROM group_users"),
        "solutions": _rows(
            con,
            "SELECT s.post_id, s.topic_id FROM solutions s JOIN topics t ON t.id = s.topic_id "
            "WHERE t.archetype = 'regular'",
        ),
    }
    con.close()
    return out


def cached_tables(cache_path: Path) -> dict[str, set]:  # type: ignore[type-arg]
    con = sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True)
    live = "gone_since IS NULL"
    out = {
        "categories": _rows(
            con, f"SELECT id, name, slug, read_restricted, accepts_answers FROM categories WHERE {live}"
        ),
        "topics": _rows(
            con,
            "SELECT id, title, category_id, user_id, created_at, bumped_at, posts_count, "
            "highest_post_number, "
            f"closed, visible, deleted_at, has_accepted_answer FROM topics WHERE {live}",
        ),
        "posts": _rows(
            con,
            "SELECT id, topic_id, post_number, user_id, created_at, updated_at, post_type, action_code, "
            "cooked, "
            f"hidden, deleted_at, like_count, version FROM posts WHERE {live}",
        ),
        "users": _rows(
            con, f"SELECT id, username, trust_level, admin, moderator, email FROM users WHERE {live}"
        ),
        "badges": _rows(con, f"SELECT id, name, grant_count FROM badges WHERE {live}"),
        "user_badges": _rows(
            con,
            f"SELECT id, user_id, badge_id, granted_at, granted_by_id, post_id FROM user_badges WHERE {live}",
        ),
        "groups": _rows(con, f"SELECT id, name FROM groups WHERE {live}"),
        "group_members": _rows(con, f"SELECT group_id, user_id, owner FROM group_members WHERE {live}"),
        "solutions": _rows(con, f"SELECT post_id, topic_id FROM solutions WHERE {live}"),
    }
    con.close()
    return out


def differences(expected: dict[str, set], cached: dict[str, set]) -> dict[str, Any]:  # type: ignore[type-arg]
    """Per table: rows only on the server / only in the cache (a few of each, for the message)."""
    out: dict[str, Any] = {}
    for name, exp in expected.items():
        got = cached[name]
        if exp != got:
            out[name] = {
                "missing": sorted(exp - got, key=repr)[:3],
                "extra": sorted(got - exp, key=repr)[:3],
                "n_missing": len(exp - got),
                "n_extra": len(got - exp),
            }
    return out


class Proxy:
    """A loopback HTTP proxy in front of the demo server that can play an older Discourse:
    ``per_page`` ignored on topic lists (30 per page), sparse ``/posts.json`` pages (only ids in
    ``(before-50, before]``), or HTML instead of JSON on one route."""

    def __init__(
        self,
        upstream: str,
        *,
        ignore_per_page: bool = False,
        sparse_posts: bool = False,
        html_path: str | None = None,
    ) -> None:
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qsl, urlencode, urlsplit

        outer = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer.requests += 1
                split = urlsplit(self.path)
                query = parse_qsl(split.query, keep_blank_values=True)
                if ignore_per_page and split.path.endswith("latest.json"):
                    query = [(k, v) for k, v in query if k != "per_page"]
                ctype = "application/json; charset=utf-8"
                if html_path is not None and split.path == html_path:
                    body, status = b"<!doctype html><html><body>Maintenance</body></html>", 200
                    ctype = "text/html; charset=utf-8"
                else:
                    headers = {
                        k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                    }
                    r = httpx.get(
                        f"{upstream}{split.path}?{urlencode(query)}", headers=headers, timeout=WAIT_S
                    )
                    body, status = r.content, r.status_code
                    ctype = r.headers.get("content-type", ctype)
                    before = dict(query).get("before")
                    if sparse_posts and split.path == "/posts.json" and before is not None and status == 200:
                        data = json.loads(body)
                        low = int(before) - 50
                        data["latest_posts"] = [p for p in data["latest_posts"] if p["id"] > low]
                        body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(WAIT_S)
