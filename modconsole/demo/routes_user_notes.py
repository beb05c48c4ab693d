"""User Notes (the bundled ``discourse-user-notes`` plugin) in the demo community
(``shared/discourse/CONTRACT-ADDITIONS.md`` §A4.4).

Enabled by the site setting ``user_notes_enabled`` — **off** by default, as on Discourse: then every
``/user_notes`` route answers 404 (the plugin's controller ``requires_plugin``), the same body as an
unknown member. ``modconsole demo-server --user-notes on`` (or ``set_setting``) turns it on.

Routes (staff only — anyone else 403 ``invalid_access``):

* ``GET /user_notes.json?user_id=N`` — ``{"extras": {"username": …}, "user_notes": […]}``, newest
  first; unknown member 404.
* ``POST /user_notes.json`` — ``user_note[user_id]``, ``user_note[raw]`` (≤ ``max_post_length``, else
  422), optional ``user_note[post_id]`` (kept only when the post is visible) →
  ``{"user_note": {…}}``. **Not idempotent**: every POST adds a note with a fresh 32-hex id.
* ``DELETE /user_notes/{id}.json?user_id=N`` — admins, or moderators while
  ``user_notes_moderators_delete`` (default on); ``{"success": "OK"}`` even for an unknown note id.

Storage mirrors the plugin's: one JSON array per member (``notes:<user_id>`` in the plugin store,
newest first); the count is ``user_notes_count`` on ``/admin/users/{id}.json``.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from modconsole.demo.core import Ctx, avatar_template, error, invalid_access, not_found, now_iso

if TYPE_CHECKING:
    from modconsole.demo.server import DemoServer

MAX_POST_LENGTH = 32000  # Discourse's default max_post_length

DDL = (
    """CREATE TABLE IF NOT EXISTS plugin_user_notes (
        user_id INTEGER PRIMARY KEY,
        notes   TEXT NOT NULL
    )""",
)


def ensure_schema(con: sqlite3.Connection) -> None:
    for stmt in DDL:
        con.execute(stmt)


def enabled(settings: dict[str, Any]) -> bool:
    return bool(settings.get("user_notes_enabled", False))


def _require(ctx: Ctx, settings: dict[str, Any]) -> None:
    if not enabled(settings):
        raise not_found()
    ctx.require_login()
    if not ctx.staff:
        raise invalid_access()


def _member(con: sqlite3.Connection, raw: str | None) -> sqlite3.Row:
    if raw is None or not raw.strip().isdigit():
        raise not_found()
    u: sqlite3.Row | None = con.execute("SELECT * FROM users WHERE id = ?", (int(raw),)).fetchone()
    if u is None:
        raise not_found()
    return u


def _load(con: sqlite3.Connection, user_id: int) -> list[dict[str, Any]]:
    row = con.execute("SELECT notes FROM plugin_user_notes WHERE user_id = ?", (user_id,)).fetchone()
    value = json.loads(row[0]) if row else []
    return value if isinstance(value, list) else []


def _save(con: sqlite3.Connection, user_id: int, notes: list[dict[str, Any]]) -> None:
    con.execute(
        "INSERT INTO plugin_user_notes(user_id, notes) VALUES (?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET notes = excluded.notes",
        (user_id, json.dumps(notes)),
    )


def count(con: sqlite3.Connection, user_id: int) -> int:
    """``user_notes_count`` (the plugin's user custom field)."""
    try:
        return len(_load(con, user_id))
    except sqlite3.OperationalError:  # a community file made before the table existed
        return 0


def _can_delete(ctx: Ctx, settings: dict[str, Any]) -> bool:
    return ctx.admin or (ctx.staff and bool(settings.get("user_notes_moderators_delete", True)))


def _serialize(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], n: dict[str, Any]
) -> dict[str, Any]:
    by = con.execute("SELECT id, username, name FROM users WHERE id = ?", (n["created_by"],)).fetchone()
    d: dict[str, Any] = {
        "id": n["id"],
        "user_id": n["user_id"],
        "raw": n["raw"],
        "created_by": {
            "id": n["created_by"],
            "username": by["username"] if by else None,
            "name": (by["name"] or "") if by else "",
            "avatar_template": avatar_template(by["username"]) if by else None,
        },
        "created_at": n["created_at"],
        "can_delete": _can_delete(ctx, settings),
    }
    if n.get("post_id"):
        p = con.execute(
            "SELECT p.post_number, t.id AS topic_id, t.slug, t.title FROM posts p "
            "JOIN topics t ON t.id = p.topic_id WHERE p.id = ?",
            (n["post_id"],),
        ).fetchone()
        if p is not None:
            d["post_id"] = n["post_id"]
            d["post_url"] = f"/t/{p['slug']}/{p['topic_id']}/{p['post_number']}"
            d["post_title"] = p["title"]
    return d


def index(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _require(ctx, s.settings)
    u = _member(con, ctx.param("user_id"))
    notes = _load(con, int(u["id"]))
    return {
        "extras": {"username": u["username"]},
        "user_notes": [_serialize(con, ctx, s.settings, n) for n in notes],
    }


def create(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _require(ctx, s.settings)
    u = _member(con, ctx.param("user_note[user_id]"))
    raw = ctx.param("user_note[raw]") or ""
    if not raw.strip():
        raise error(422, "Raw can't be blank")
    if len(raw) > int(s.settings.get("max_post_length", MAX_POST_LENGTH)):
        raise error(422, "Raw is too long")
    note: dict[str, Any] = {
        "id": secrets.token_hex(16),
        "user_id": int(u["id"]),
        "raw": raw,
        "created_by": ctx.uid,
        "created_at": now_iso(),
    }
    post_id = ctx.param("user_note[post_id]")
    if post_id and post_id.isdigit():
        visible = con.execute(
            "SELECT 1 FROM posts WHERE id = ? AND deleted_at IS NULL", (int(post_id),)
        ).fetchone()
        if visible is not None:
            note["post_id"] = int(post_id)
    notes = _load(con, int(u["id"]))
    notes.insert(0, note)  # newest first, as the plugin unshifts
    _save(con, int(u["id"]), notes)
    return {"user_note": _serialize(con, ctx, s.settings, note)}


def destroy(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, note_id: str) -> Any:
    _require(ctx, s.settings)
    if not _can_delete(ctx, s.settings):
        raise invalid_access()
    u = _member(con, ctx.param("user_id"))
    notes = _load(con, int(u["id"]))
    kept = [n for n in notes if n.get("id") != note_id]
    if len(kept) != len(notes):
        _save(con, int(u["id"]), kept)
    return {"success": "OK"}


def register(route: Callable[..., Callable[[Callable[..., Any]], Callable[..., Any]]]) -> None:
    """Add User Notes' routes to the demo server's table."""
    route("GET", "/user_notes.json")(index)
    route("POST", "/user_notes.json", write=True)(create)
    route("DELETE", "/user_notes/{note_id}.json", write=True)(destroy)


__all__ = ["count", "enabled", "ensure_schema", "register"]
