"""Shared pieces of the demo server: HTTP errors, request context, time helpers and the
domain writes (posting, likes, solutions, badge grants, signups) that both the routes and
live mode go through, so the store's denormalised counters stay right after every write."""

from __future__ import annotations

import html
import json
import re
import sqlite3
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from modconsole import clock

JSON = Any

DEFAULT_SETTINGS: dict[str, Any] = {
    "title": "Demo Community",
    "solved_flavour": "core",  # 'core' | 'plugin'
    "solved_enabled": True,
    "allow_solved_on_all_topics": False,
    "accept_solutions_topic_author": True,
    "show_who_marked_solved": True,
    "display_name_on_posts": False,  # Discourse's default: usernames, not full names, beside posts
    "enable_names": True,
    "moderators_manage_groups": False,
    "moderators_view_emails": False,
    "detailed_404": False,
    "tag_objects": False,  # tags on list items as {id,name,slug} objects instead of strings
    "enable_badges": True,
    "enable_user_directory": True,
    "data_explorer_enabled": False,  # the bundled Data Explorer plugin: off by default (routes_data_explorer)
    "data_explorer_query_result_limit": 1000,  # hidden setting; the plugin caps `limit` at 10,000
    # Assign (routes_assign): Discourse ships it off; the demo turns it on. The rest are Discourse's defaults.
    "assign_enabled": True,
    "assign_allowed_on_groups": "3",
    "max_assigned_topics": 10,
    "assigns_public": False,
    "unassign_creates_tracking_post": True,
    # User Notes (routes_user_notes): off by default, as Discourse ships it; staff may delete notes.
    "user_notes_enabled": False,
    "user_notes_moderators_delete": True,
}


# ---------------------------------------------------------------- time


def now_dt() -> datetime:
    return clock.now()


def iso(dt: datetime) -> str:
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def now_iso() -> str:
    return iso(now_dt())


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def days_ago_iso(days: int) -> str:
    return iso(now_dt() - timedelta(days=days))


# ---------------------------------------------------------------- errors


class HttpError(Exception):
    """An answer other than success: status, body (JSON value or text) and extra headers."""

    def __init__(
        self,
        status: int,
        body: JSON,
        *,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json; charset=utf-8",
    ) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.content_type = content_type


def error(
    status: int, message: str, error_type: str | None = None, extras: dict[str, Any] | None = None
) -> HttpError:
    body: dict[str, Any] = {"errors": [message]}
    if error_type:
        body["error_type"] = error_type
    if extras:
        body["extras"] = extras
    return HttpError(status, body)


def not_found() -> HttpError:
    return error(404, "The requested URL or resource could not be found.", "not_found")


def invalid_access() -> HttpError:
    return error(403, "You are not permitted to view the requested resource.", "invalid_access")


def bad_credentials() -> HttpError:
    return error(
        403,
        "You are not permitted to view the requested resource. The API username or key is invalid.",
        "invalid_access",
    )


def not_logged_in() -> HttpError:
    return error(403, "You need to be logged in to do that.", "not_logged_in")


def invalid_params(name: str) -> HttpError:
    return error(400, f"You supplied invalid parameters to the request: {name}", "invalid_parameters")


def missing_param(name: str) -> HttpError:
    return error(400, f"param is missing or the value is empty: {name}")


def failed(status: int = 403, message: str | None = None) -> HttpError:
    body: dict[str, Any] = {"failed": "FAILED"}
    if message:
        body["message"] = message
    return HttpError(status, body)


# ---------------------------------------------------------------- request context

_INTEGER = re.compile(r"-?[0-9]+")
INT_MAX = 2**31 - 1


@dataclass
class Ctx:
    method: str
    path: str
    query: dict[str, list[str]]
    body: dict[str, Any]
    user: dict[str, Any] | None = None
    key_kind: str | None = None  # 'admin' | 'user' | None (anonymous)
    scopes: str = "global"
    xhr: bool = False
    files: dict[str, bytes] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    whisperer: bool = False  # may read and post whispers (set with the user: is_whisperer)

    def param(self, name: str, default: str | None = None) -> str | None:
        if name in self.body:
            v = self.body[name]
            if isinstance(v, list):
                v = v[0] if v else None
            if v is None:
                return default
            if isinstance(v, bool):
                return "true" if v else "false"
            return str(v)
        vals = self.query.get(name)
        if vals:
            return vals[0]
        return default

    def plist(self, name: str) -> list[str]:
        out: list[str] = []
        for key in (name, name + "[]"):
            if key in self.body:
                v = self.body[key]
                out.extend(str(x) for x in (v if isinstance(v, list) else [v]))
            out.extend(self.query.get(key, []))
        return out

    def int_param(
        self, name: str, default: int | None = None, *, lo: int | None = None, hi: int | None = None
    ) -> int | None:
        raw = self.param(name)
        if raw is None or raw == "":
            return default
        # Rails hands Discourse the text as sent: padded (" 3 "), signed ("+3"), grouped ("3_000") or
        # non-ASCII digits are invalid, and so is anything past a 32-bit integer column (ListController spec
        # "does not return a 500 for invalid input": page=2147483648 → 400, page=2147483647 → 200).
        if not _INTEGER.fullmatch(raw):
            raise invalid_params(name)
        v = int(raw)
        if abs(v) > INT_MAX or (lo is not None and v < lo) or (hi is not None and v > hi):
            raise invalid_params(name)
        return v

    def bool_param(self, name: str) -> bool:
        return (self.param(name) or "").lower() in ("true", "1", "yes", "on")

    @property
    def uid(self) -> int | None:
        return int(self.user["id"]) if self.user else None

    @property
    def admin(self) -> bool:
        return bool(self.user and self.user["admin"])

    @property
    def moderator(self) -> bool:
        return bool(self.user and self.user["moderator"])

    @property
    def staff(self) -> bool:
        return self.admin or self.moderator

    def require_login(self) -> dict[str, Any]:
        if self.user is None:
            raise not_logged_in()
        return self.user

    def require_staff(self) -> None:
        self.require_login()
        if not self.staff:
            raise invalid_access()

    def require_admin(self) -> None:
        self.require_login()
        if not self.admin:
            raise invalid_access()


# ---------------------------------------------------------------- whispers

_AUTO_GROUPS = {"everyone": 0, "admins": 1, "moderators": 2, "staff": 3} | {
    f"trust_level_{n}": 10 + n for n in range(5)
}


# Group.visibility_levels: who may see a group (visibility_level) or its members (members_visibility_level)
PUBLIC, LOGGED_ON_USERS, MEMBERS, STAFF, OWNERS = range(5)


def _sees_level(con: sqlite3.Connection, ctx: Ctx, gid: int, level: int) -> bool:
    """Guardian#can_see_groups? / can_see_group_members? for one group at ``level``: admins and public
    always; staff at the members/staff levels; any signed-in user at logged-on-users; otherwise only
    members — owners at every level, other members at the members level."""
    if ctx.admin or level == PUBLIC:
        return True
    if ctx.staff and level in (MEMBERS, STAFF):
        return True
    if ctx.user is not None and level == LOGGED_ON_USERS:
        return True
    if ctx.user is None:
        return False
    mine = con.execute(
        "SELECT owner FROM group_users WHERE group_id = ? AND user_id = ?", (gid, ctx.uid)
    ).fetchone()
    if mine is None:
        return False
    return bool(mine[0]) or level not in (OWNERS, STAFF)


def can_see_group(con: sqlite3.Connection, ctx: Ctx, g: Any) -> bool:
    return _sees_level(con, ctx, int(g["id"]), int(g["visibility_level"] or 0))


def can_see_group_members(con: sqlite3.Connection, ctx: Ctx, g: Any) -> bool:
    return _sees_level(con, ctx, int(g["id"]), int(g["members_visibility_level"] or 0))


def is_whisperer(con: sqlite3.Connection, user: Any, settings: dict[str, Any]) -> bool:
    """Who may read and post whispers (``post_type`` 4): admins, and members of the groups listed in
    ``whispers_allowed_groups`` (names or ids, ``|``-separated; the automatic groups by their
    Discourse ids too) — CONTRACT-ADDITIONS §A4.1, CONTRACT "Read whispers"."""
    if not user:
        return False
    if user["admin"]:
        return True
    wanted = [w.strip().lower() for w in str(settings.get("whispers_allowed_groups") or "").split("|")]
    wanted = [w for w in wanted if w]
    if not wanted:
        return False
    auto = {0} | {10 + n for n in range(int(user["trust_level"] or 0) + 1)}
    if user["moderator"]:
        auto |= {2, 3}
    for w in wanted:
        gid = _AUTO_GROUPS.get(w, int(w) if w.isdigit() else None)
        if gid is not None and gid in auto:
            return True
    ids = [int(w) for w in wanted if w.isdigit()]
    names = [w for w in wanted if not w.isdigit()]
    row = con.execute(
        "SELECT 1 FROM group_users gu JOIN groups g ON g.id = gu.group_id WHERE gu.user_id = ? AND "
        f"(g.id IN ({','.join('?' * len(ids)) or 'NULL'}) OR lower(g.name) IN "
        f"({','.join('?' * len(names)) or 'NULL'})) LIMIT 1",
        (user["id"], *ids, *names),
    ).fetchone()
    return row is not None


# ---------------------------------------------------------------- small helpers


def slugify(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:80] or "topic"


_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)


def cook(raw: str) -> str:
    """A tiny stand-in for Discourse's cooking: paragraphs, escaped text. HTML comments are dropped
    as Discourse's sanitiser drops them (they stay in ``raw``, invisible to readers)."""
    raw = _HTML_COMMENT.sub("", raw)
    paras = [p.strip() for p in raw.split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paras) or "<p></p>"


def excerpt(cooked: str, length: int = 300) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", cooked))
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= length else text[:length] + "…"


def tag_id(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def avatar_template(username: str) -> str:
    return f"/letter_avatar_proxy/v4/letter/{username[:1].lower() or 'x'}/8e7dd6/{{size}}.png"


def loads_json(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


# ---------------------------------------------------------------- domain writes


def refresh_topic(con: sqlite3.Connection, topic_id: int) -> None:
    """Recompute a topic's denormalised counters from its posts (definitions as the generator's
    ``DEFINITIONS['counters']``: Discourse's ``Topic.reset_highest``). ``bumped_at`` is left alone: only
    a new regular post or an edit of the last one bumps."""
    con.execute(
        """
        UPDATE topics SET
          posts_count = (SELECT COUNT(*) FROM posts WHERE topic_id = :t AND deleted_at IS NULL
                           AND post_type IN (1, 4)),
          reply_count = (SELECT COUNT(*) FROM posts WHERE topic_id = :t AND deleted_at IS NULL
                           AND post_type IN (1, 4) AND post_number > 1),
          highest_post_number = COALESCE((SELECT MAX(post_number) FROM posts WHERE topic_id = :t
                           AND deleted_at IS NULL AND post_type <> 4), 1),
          like_count = COALESCE((SELECT SUM(like_count) FROM posts WHERE topic_id = :t
                           AND deleted_at IS NULL), 0),
          last_posted_at = COALESCE((SELECT MAX(created_at) FROM posts WHERE topic_id = :t
                           AND deleted_at IS NULL AND post_type = 1), last_posted_at)
        WHERE id = :t
        """,
        {"t": topic_id},
    )


def refresh_post_replies(con: sqlite3.Connection, topic_id: int, post_number: int | None) -> None:
    if post_number is None:
        return
    con.execute(
        "UPDATE posts SET reply_count = (SELECT COUNT(*) FROM posts r WHERE r.topic_id = :t "
        "AND r.reply_to_post_number = :n AND r.deleted_at IS NULL AND r.post_type = 1) "
        "WHERE topic_id = :t AND post_number = :n",
        {"t": topic_id, "n": post_number},
    )


def refresh_user(con: sqlite3.Connection, user_id: int | None) -> None:
    if user_id is None:
        return
    con.execute(
        "UPDATE users SET last_posted_at = (SELECT MAX(created_at) FROM posts WHERE user_id = :u "
        "AND deleted_at IS NULL AND post_type = 1) WHERE id = :u",
        {"u": user_id},
    )


def record_visit(con: sqlite3.Connection, user_id: int, when: str) -> None:
    con.execute(
        "INSERT INTO user_visits(user_id, visited_at, posts_read) VALUES (?, ?, 1) "
        "ON CONFLICT(user_id, visited_at) DO UPDATE SET posts_read = posts_read + 1",
        (user_id, when[:10]),
    )
    con.execute("UPDATE users SET last_seen_at = ? WHERE id = ?", (when, user_id))


def create_topic(
    con: sqlite3.Connection,
    user_id: int,
    title: str,
    raw: str,
    category_id: int,
    *,
    tags: list[str] | None = None,
    is_question: bool = False,
    when: str | None = None,
) -> int:
    when = when or now_iso()
    cur = con.execute(
        "INSERT INTO topics(title, slug, category_id, user_id, created_at, bumped_at, last_posted_at, "
        "posts_count, reply_count, highest_post_number, tags, is_question) VALUES (?,?,?,?,?,?,?,0,0,0,?,?)",
        (
            title,
            slugify(title),
            category_id,
            user_id,
            when,
            when,
            when,
            json.dumps(tags or []),
            int(is_question),
        ),
    )
    topic_id = int(cur.lastrowid or 0)
    create_post(con, user_id, topic_id, raw, when=when)
    return topic_id


def create_post(
    con: sqlite3.Connection,
    user_id: int,
    topic_id: int,
    raw: str,
    *,
    reply_to_post_number: int | None = None,
    when: str | None = None,
    post_type: int = 1,
    action_code: str | None = None,
) -> int:
    when = when or now_iso()
    nxt = con.execute(
        "SELECT COALESCE(MAX(post_number), 0) + 1 FROM posts WHERE topic_id = ?", (topic_id,)
    ).fetchone()[0]
    cur = con.execute(
        "INSERT INTO posts(topic_id, post_number, user_id, created_at, updated_at, raw, cooked, post_type, "
        "action_code, reply_to_post_number) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (topic_id, nxt, user_id, when, when, raw, cook(raw), post_type, action_code, reply_to_post_number),
    )
    post_id = int(cur.lastrowid or 0)
    if post_type == 1:
        con.execute("UPDATE topics SET bumped_at = ? WHERE id = ?", (when, topic_id))
    refresh_topic(con, topic_id)
    refresh_post_replies(con, topic_id, reply_to_post_number)
    refresh_user(con, user_id)
    record_visit(con, user_id, when)
    return post_id


def set_like(
    con: sqlite3.Connection, user_id: int, post_id: int, liked: bool, *, when: str | None = None
) -> bool:
    """Add or remove a like; returns whether anything changed."""
    if liked:
        cur = con.execute(
            "INSERT OR IGNORE INTO likes(post_id, user_id, created_at) VALUES (?,?,?)",
            (post_id, user_id, when or now_iso()),
        )
    else:
        cur = con.execute("DELETE FROM likes WHERE post_id = ? AND user_id = ?", (post_id, user_id))
    if cur.rowcount == 0:
        return False
    con.execute(
        "UPDATE posts SET like_count = (SELECT COUNT(*) FROM likes WHERE post_id = ?) WHERE id = ?",
        (post_id, post_id),
    )
    topic_id = con.execute("SELECT topic_id FROM posts WHERE id = ?", (post_id,)).fetchone()[0]
    refresh_topic(con, int(topic_id))
    return True


def accept_solution(
    con: sqlite3.Connection, post_id: int, accepter_id: int | None, *, when: str | None = None
) -> None:
    topic_id = con.execute("SELECT topic_id FROM posts WHERE id = ?", (post_id,)).fetchone()[0]
    con.execute("DELETE FROM solutions WHERE topic_id = ? OR post_id = ?", (topic_id, post_id))
    con.execute(
        "INSERT INTO solutions(topic_id, post_id, accepter_id, accepted_at) VALUES (?,?,?,?)",
        (topic_id, post_id, accepter_id, when or now_iso()),
    )


def grant_badge(
    con: sqlite3.Connection,
    badge_id: int,
    user_id: int,
    granted_by_id: int | None,
    post_id: int | None = None,
    *,
    when: str | None = None,
) -> int:
    cur = con.execute(
        "INSERT INTO user_badges(badge_id, user_id, granted_at, granted_by_id, post_id) VALUES (?,?,?,?,?)",
        (badge_id, user_id, when or now_iso(), granted_by_id, post_id),
    )
    return int(cur.lastrowid or 0)


def create_user(
    con: sqlite3.Connection,
    username: str,
    name: str,
    email: str,
    *,
    company_id: int | None = None,
    when: str | None = None,
) -> int:
    when = when or now_iso()
    cur = con.execute(
        "INSERT INTO users(username, name, email, company_id, created_at, last_seen_at, trust_level) "
        "VALUES (?,?,?,?,?,?,0)",
        (username, name, email, company_id, when, when),
    )
    uid = int(cur.lastrowid or 0)
    record_visit(con, uid, when)
    return uid
