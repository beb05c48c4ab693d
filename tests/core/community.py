"""One demo community on either platform, for the integration suites that run against both
(issue #16 part 4): the ``community`` fixture (tests/conftest.py) starts the Discourse or the Vanilla
demo server over the test's own copy of the session's tiny community, and this driver opens
workspaces on it through the front door and reads the ground truth from the demo's own store.

What differs between the platforms lives here and only here — which table holds an accepted answer,
which route a write takes, which token an identity sends. The tests ask the driver and the
connector's declared :class:`~modconsole.connectors.base.Capabilities`, never the platform's name."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, ClassVar

import httpx

from modconsole import clock
from modconsole.api import Budget, Credentials, HostPacer
from modconsole.connectors.base import Capabilities
from modconsole.connectors.registry import connector_for
from modconsole.demo.server import FaultRule
from modconsole.sync.engine import SyncOptions
from modconsole.workspace import SiteRef, Workspace
from tests.core import sync_support
from tests.core.outbox_support import FAST
from tests.helpers.waits import WAIT_S

_V = "/api/v2"
# the write each action sends, as the demo records it (method, path pattern with {…} filled in)
_WRITES: dict[str, dict[str, tuple[str, str]]] = {
    "discourse": {
        "accept": ("POST", "/solution/accept.json"),
        "unaccept": ("POST", "/solution/unaccept.json"),
        "award": ("POST", "/user_badges.json"),
        "revoke": ("DELETE", "/user_badges/*.json"),
        "add_member": ("PUT", "/groups/{group}/members.json"),
        "remove_member": ("DELETE", "/groups/{group}/members.json"),
        "reply": ("POST", "/posts.json"),
        "like": ("POST", "/post_actions.json"),
    },
    "vanilla": {
        "accept": ("PATCH", _V + "/comments/{post}/answer"),
        "unaccept": ("PATCH", _V + "/comments/{post}/answer"),
        "award": ("POST", _V + "/badges/{badge}/users"),
        "revoke": ("DELETE", _V + "/badges/{badge}/users/{user}"),
        "add_member": ("POST", _V + "/groups/{group}/members"),
        "remove_member": ("DELETE", _V + "/groups/{group}/members/{user}"),
        "reply": ("POST", _V + "/comments"),
        "like": ("POST", _V + "/comments/{post}/reactions"),
    },
}


class Community:
    """A running demo server of one platform and what a test needs to know about its community."""

    def __init__(self, platform: str, server: Any, tmp_path: Path) -> None:
        self.platform = platform
        self.server = server
        self.tmp_path = tmp_path
        self.vanilla = platform == "vanilla"

    @property
    def capabilities(self) -> Capabilities:
        return connector_for(self.platform).capabilities

    @property
    def base_url(self) -> str:
        return str(self.server.base_url)

    # ------------------------------------------------------------ identities and workspaces

    def username(self, role: str = "moderator") -> str:
        return str(getattr(self.server.credentials, role).username)

    def key(self, role: str = "moderator") -> str:
        """The secret the role signs in with (an API key on Discourse, a token on Vanilla)."""
        ident = getattr(self.server.credentials, role)
        return str(ident.token if self.vanilla else ident.key)

    def credentials(self, role: str = "moderator") -> Credentials:
        ident = getattr(self.server.credentials, role)
        if self.vanilla:
            return Credentials.token(ident.token, username=ident.username)
        return sync_support.credentials(ident)

    def open(
        self, role: str = "moderator", cache: Path | None = None, *, sync: bool = False, **sync_options: Any
    ) -> Workspace:
        """A workspace through the front door (``sync``: after its first sync)."""
        site = SiteRef(
            self.base_url,
            self.username(role),
            self.credentials(role),
            cache or self.tmp_path / f"{self.platform}-{role}.sqlite3",
            pacer=HostPacer(Budget.unlimited()),
            platform=self.platform,
        )
        ws = Workspace.open(
            site, dispatch_options=FAST, sync_options=SyncOptions(retry_wait=0.01, **sync_options)
        )
        try:
            if sync:
                report = ws.sync()
                assert report.finished, report
        except BaseException:
            ws.close()
            raise
        return ws

    # ------------------------------------------------------------ the demo's store (ground truth)

    def rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        con = sqlite3.connect(self.server.db_path)
        try:
            return [tuple(r) for r in con.execute(sql, args)]
        finally:
            con.close()

    def _ids(self, sql: str, *args: Any) -> set[int]:
        return {int(r[0]) for r in self.rows(sql, *args)}

    def accepted_answers(self, topic_id: int) -> set[int]:
        if self.vanilla:
            return self._ids(
                "SELECT a.comment_id FROM vanilla_answers a JOIN posts p ON p.id = a.comment_id "
                "WHERE p.topic_id = ? AND a.status = 'accepted'",
                topic_id,
            )
        return self._ids("SELECT post_id FROM solutions WHERE topic_id = ?", topic_id)

    def solutions(self) -> set[tuple[int, int]]:
        """Every accepted answer: (post, topic)."""
        if self.vanilla:
            sql = (
                "SELECT a.comment_id, p.topic_id FROM vanilla_answers a JOIN posts p ON p.id = a.comment_id "
                "WHERE a.status = 'accepted'"
            )
        else:
            sql = (
                "SELECT s.post_id, s.topic_id FROM solutions s JOIN topics t ON t.id = s.topic_id "
                "WHERE t.archetype = 'regular'"
            )
        return {(int(a), int(b)) for a, b in self.rows(sql)}

    def badge_holders(self, badge_id: int) -> set[int]:
        return self._ids("SELECT user_id FROM user_badges WHERE badge_id = ?", badge_id)

    def grants(self, badge_id: int, user_id: int) -> int:
        return int(
            self.rows(
                "SELECT count(*) FROM user_badges WHERE badge_id = ? AND user_id = ?", badge_id, user_id
            )[0][0]
        )

    def _questions(self) -> str:
        """The open questions' topics in a public category (``t``/``c``), as the queue counts them."""
        kind = "t.is_question = 1" if self.vanilla else "c.enable_accepted_answers = 1"
        return (
            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
            f"WHERE {kind} AND c.read_restricted = 0 AND t.deleted_at IS NULL AND t.archetype = 'regular' "
        )

    def _unsolved(self) -> str:
        if self.vanilla:
            return (
                "AND NOT EXISTS (SELECT 1 FROM posts p JOIN vanilla_answers a ON a.comment_id = p.id "
                "WHERE p.topic_id = t.id AND a.status = 'accepted') "
            )
        return "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) "

    def open_questions(self) -> set[int]:
        """Questions without an accepted answer."""
        return self._ids(self._questions() + self._unsolved())

    def unanswered_questions(self) -> set[int]:
        """Open questions nobody but the asker has replied to."""
        return self._ids(
            self._questions()
            + self._unsolved()
            + "AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.topic_id = t.id AND p.post_number > 1 "
            "AND p.post_type = 1 AND p.deleted_at IS NULL AND p.user_id IS NOT t.user_id)"
        )

    def group_members(self, group_id: int) -> set[int]:
        return self._ids("SELECT user_id FROM group_users WHERE group_id = ?", group_id)

    def likes(self, post_id: int) -> set[int]:
        """Who liked (reacted to) a reply."""
        if self.vanilla:
            sql = "SELECT user_id FROM vanilla_reactions WHERE record_type = 'comment' AND record_id = ?"
        else:
            sql = "SELECT user_id FROM likes WHERE post_id = ?"
        return self._ids(sql, post_id)

    def last_reply(self, topic_id: int) -> tuple[str, str]:
        """(raw, author) of the newest post of a topic."""
        raw, who = self.rows(
            "SELECT p.raw, u.username FROM posts p JOIN users u ON u.id = p.user_id "
            "WHERE p.topic_id = ? ORDER BY p.id DESC LIMIT 1",
            topic_id,
        )[0]
        return str(raw), str(who)

    # ------------------------------------------------------------ what a scenario needs

    def questions_with_answers(self, n: int = 1, *, answers: int = 2) -> list[tuple[int, list[int]]]:
        """Open questions (open to replies too) with at least ``answers`` replies by others that can
        be accepted: (topic, the first ``answers`` of those replies' post ids)."""
        fresh = "AND q.id NOT IN (SELECT comment_id FROM vanilla_answers) " if self.vanilla else ""
        replies = (
            "FROM posts q WHERE q.topic_id = t.id AND q.post_number > 1 AND q.post_type = 1 "
            f"AND q.deleted_at IS NULL AND q.user_id IS NOT t.user_id {fresh}"
        )
        topics = self.rows(
            self._questions() + self._unsolved() + "AND t.closed = 0 AND t.visible = 1 "
            f"AND (SELECT count(*) {replies}) >= ? ORDER BY t.id LIMIT ?",
            answers,
            n,
        )
        out = [
            (
                int(tid),
                [
                    int(p[0])
                    for p in self.rows(
                        f"SELECT q.id FROM topics t, posts q WHERE t.id = ? "
                        f"AND q.id IN (SELECT q.id {replies}) ORDER BY q.post_number LIMIT ?",
                        tid,
                        answers,
                    )
                ],
            )
            for (tid,) in topics
        ]
        assert len(out) == n, "the tiny community has open questions with answers"
        return out

    def member_without_badge(self, badge_id: int, *, skip: int = 0) -> tuple[int, str]:
        """An active member (not staff, not suspended, has replied) who does not hold the badge:
        (id, username)."""
        r = self.rows(
            "SELECT id, username FROM users u WHERE id > 0 AND active = 1 AND admin = 0 AND moderator = 0 "
            "AND suspended_till IS NULL AND deleted_at IS NULL AND EXISTS (SELECT 1 FROM posts p "
            "WHERE p.user_id = u.id AND p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL) "
            "AND id NOT IN (SELECT user_id FROM user_badges WHERE badge_id = ?) ORDER BY id LIMIT 1 OFFSET ?",
            badge_id,
            skip,
        )[0]
        return int(r[0]), str(r[1])

    # ------------------------------------------------------------ others' writes, faults, counts

    def write_route(self, action: str, **ids: Any) -> tuple[str, str]:
        method, path = _WRITES[self.platform][action]
        return method, path.format(**ids)

    def drop_next(self, action: str, **ids: Any) -> None:
        """The next ``action`` write is applied and its answer lost (the connection drops)."""
        method, path = self.write_route(action, **ids)
        self.server.add_fault(FaultRule("apply_then_drop", method=method, path=path, count=1))

    def writes(self, action: str, **ids: Any) -> int:
        """How many ``action`` writes reached the server (since the last ``clear_requests``)."""
        return int(self.server.request_count(*self.write_route(action, **ids)))

    def teammate_accepts(self, post_id: int, role: str = "moderator2", *, status: str = "accepted") -> None:
        """Another moderator sets an answer's status through the API (accepted; ``pending`` undoes)."""
        if self.vanilla:
            self._api(role, "PATCH", f"{_V}/comments/{post_id}/answer", json={"status": status})
        else:
            route = "/solution/accept.json" if status == "accepted" else "/solution/unaccept.json"
            self._api(role, "POST", route, data={"id": post_id})

    def delete_topic(self, topic_id: int) -> None:
        """An admin deletes a topic (the Vanilla demo has no route for it: its store, as Vanilla's
        own admin pages would)."""
        if not self.vanilla:
            self._api("admin", "DELETE", f"/t/{topic_id}.json")
            return
        stamp = clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
        self.server.write(
            lambda con: con.execute("UPDATE topics SET deleted_at = ? WHERE id = ?", (stamp, topic_id))
        )

    def reply_as(self, role: str, topic_id: int, text: str) -> int:
        """Someone replies through the API: the new post's id."""
        if self.vanilla:
            body = {"body": text, "format": "markdown", "discussionID": topic_id}
            return int(self._api(role, "POST", f"{_V}/comments", json=body)["commentID"])
        return int(self._api(role, "POST", "/posts.json", data={"topic_id": topic_id, "raw": text})["id"])

    def _api(self, role: str, method: str, path: str, **kw: Any) -> Any:
        ident = getattr(self.server.credentials, role)
        r = httpx.request(method, self.base_url + path, headers=ident.headers(), timeout=WAIT_S, **kw)
        assert r.status_code < 300, (r.status_code, r.text[:300])
        return r.json() if r.content else None

    # ------------------------------------------------------------ the mirror, table by table

    FULL_MIRROR: ClassVar[dict[str, Any]] = {"fetch_close_actions": True, "fetch_deleted_posts": True}
    """Sync options for :meth:`expected_tables`: the "closed" notes and the posts deleted for staff."""

    def expected_tables(self) -> dict[str, set]:  # type: ignore[type-arg]
        """The server's rows as an admin's full first sync (:attr:`FULL_MIRROR`) mirrors them, in the
        columns this platform fills (compare with :meth:`cached_tables`)."""
        if not self.vanilla:
            return _drop_trailing_deleted(
                self.server.db_path, sync_support.expected_tables(self.server.db_path, admin=True)
            )
        s = _seconds
        live = "deleted_at IS NULL"
        return {
            "categories": set(self.rows("SELECT id, name FROM categories")),
            "topics": {
                (i, ti, c, u, s(cr), bool(cl), bool(q), self.accepted_answers(i) != set())
                for i, ti, c, u, cr, cl, q in self.rows(
                    "SELECT id, title, category_id, user_id, created_at, closed, is_question FROM topics "
                    f"WHERE {live} AND archetype = 'regular'"
                )
            },
            "posts": {
                (-t if n == 1 else i, t, u, s(cr))
                for i, t, n, u, cr in self.rows(
                    "SELECT p.id, p.topic_id, p.post_number, p.user_id, p.created_at FROM posts p "
                    "JOIN topics t ON t.id = p.topic_id WHERE (p.post_number = 1 OR p.post_type = 1) "
                    "AND p.deleted_at IS NULL AND t.deleted_at IS NULL AND t.archetype = 'regular'"
                )
            },
            "users": {
                (i, n, e, bool(a), bool(m))
                for i, n, e, a, m in self.rows(
                    f"SELECT id, username, email, admin, moderator FROM users WHERE {live}"
                )
            },
            "badges": set(self.rows("SELECT id, name FROM badges")),
            "user_badges": set(self.rows("SELECT DISTINCT user_id, badge_id FROM user_badges")),
            "groups": set(self.rows("SELECT id, COALESCE(full_name, name) FROM groups WHERE automatic = 0")),
            "group_members": set(
                self.rows(
                    "SELECT group_id, user_id FROM group_users "
                    "WHERE group_id IN (SELECT id FROM groups WHERE automatic = 0)"
                )
            ),
            "solutions": self.solutions(),
        }

    def cached_tables(self, cache_path: Path) -> dict[str, set]:  # type: ignore[type-arg]
        if not self.vanilla:
            return sync_support.cached_tables(cache_path)
        con = sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True)
        live = "gone_since IS NULL"

        def rows(sql: str) -> set[tuple[Any, ...]]:
            return {tuple(r) for r in con.execute(sql)}

        try:
            return {
                "categories": rows(f"SELECT id, name FROM categories WHERE {live}"),
                "topics": {
                    (i, ti, c, u, _seconds(cr), bool(cl), a == "regular", bool(acc))
                    for i, ti, c, u, cr, cl, a, acc in rows(
                        "SELECT id, title, category_id, user_id, created_at, closed, archetype, "
                        f"has_accepted_answer FROM topics WHERE {live}"
                    )
                },
                "posts": {
                    (i, t, u, _seconds(cr))
                    for i, t, u, cr in rows(
                        f"SELECT id, topic_id, user_id, created_at FROM posts WHERE {live}"
                    )
                },
                "users": {
                    (i, n, e, bool(a), bool(m))
                    for i, n, e, a, m in rows(
                        f"SELECT id, username, email, admin, moderator FROM users WHERE {live}"
                    )
                },
                "badges": rows(f"SELECT id, name FROM badges WHERE {live}"),
                "user_badges": rows(f"SELECT user_id, badge_id FROM user_badges WHERE {live}"),
                "groups": rows(f"SELECT id, name FROM groups WHERE {live}"),
                "group_members": rows(f"SELECT group_id, user_id FROM group_members WHERE {live}"),
                "solutions": rows(f"SELECT post_id, topic_id FROM solutions WHERE {live}"),
            }
        finally:
            con.close()


def _seconds(ts: str | None) -> str | None:
    """A timestamp to the second: Vanilla sends RFC 3339 without milliseconds."""
    return ts[:19] if ts else ts


def _drop_trailing_deleted(store: Path, expected: dict[str, set]) -> dict[str, set]:  # type: ignore[type-arg]
    """Discourse: posts deleted *before* the first sync that were the last of their topic leave no
    trace in any list (``highest_post_number`` is reset, ``posts_count`` excludes them): no request
    short of reading every topic finds them, so a first sync does not mirror them (documented limit)."""
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    hidden = {
        int(r[0])
        for r in con.execute(
            "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id "
            "WHERE p.deleted_at IS NOT NULL AND p.post_number > t.highest_post_number"
        )
    }
    con.close()
    return {**expected, "posts": {r for r in expected["posts"] if r[0] not in hidden}}
