"""Posting, editing, topic status, likes and the user-API-key flow of the demo server."""

from __future__ import annotations

import base64
import html
import json
import secrets
import sqlite3
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlencode

from modconsole.demo import core
from modconsole.demo.core import Ctx, HttpError, error, invalid_access, missing_param, not_found, now_iso
from modconsole.demo.routes_read import load_topic, posts_json

Row = sqlite3.Row


def _post_out(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], post_id: int) -> dict[str, Any]:
    p = con.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
    t = con.execute("SELECT * FROM topics WHERE id = ?", (p["topic_id"],)).fetchone()
    d = posts_json(con, ctx, settings, t, [p], include_raw=True)[0]
    d["draft_sequence"] = 0
    return d


def can_see_category(con: sqlite3.Connection, ctx: Ctx, cid: int) -> Row:
    c = con.execute("SELECT * FROM categories WHERE id = ?", (cid,)).fetchone()
    if c is None:
        raise error(422, "Category can't be blank", "record_invalid")
    if c["read_restricted"] and not ctx.staff:
        # posts_controller_spec "can not create a post in a disallowed category": 403
        raise invalid_access()
    return c  # type: ignore[no-any-return]


def nested(post: dict[str, Any], wanted: bool) -> dict[str, Any]:
    """PostsController#backwards_compatible_json: with ``nested_post`` the post comes wrapped."""
    return {"action": "create_post", "post": post, "success": True} if wanted else post


UNIQUE_POSTS_MINS = 5


def _too_similar(con: sqlite3.Connection, ctx: Ctx, raw: str) -> None:
    """UniquePostValidator: the same body from the same non-staff member within `unique_posts_mins` is a 422
    (posts_controller_spec "protects against dupes"); staff are not checked."""
    if ctx.staff:
        return
    since = core.iso(core.now_dt() - timedelta(minutes=UNIQUE_POSTS_MINS))
    dup = con.execute(
        "SELECT 1 FROM posts WHERE user_id = ? AND raw = ? AND created_at >= ? AND deleted_at IS NULL "
        "LIMIT 1",
        (ctx.uid, raw, since),
    ).fetchone()
    if dup is not None:
        raise error(422, "Body is too similar to what you recently posted")


def create_post_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    user = ctx.require_login()
    if user["silenced_till"] and user["silenced_till"] > now_iso():
        raise invalid_access()
    raw = (ctx.param("raw") or "").strip()
    if len(raw) < 2:
        raise error(422, "Body is too short (minimum is 2 characters)")
    _too_similar(con, ctx, raw)
    topic_id = ctx.int_param("topic_id", None)
    if topic_id is None:
        title = (ctx.param("title") or "").strip()
        if len(title) < 5:
            raise error(422, "Title is too short (minimum is 5 characters)")
        cid = ctx.int_param("category", None)
        if cid is None:
            cid = ctx.int_param("category_id", None)
        if cid is None:
            first = con.execute(
                "SELECT id FROM categories WHERE read_restricted = 0 ORDER BY position LIMIT 1"
            ).fetchone()
            cid = int(first[0])
        can_see_category(con, ctx, cid)
        tags = [t for t in ctx.plist("tags") if t]
        tid = core.create_topic(con, int(user["id"]), title, raw, cid, tags=tags)
        pid = con.execute("SELECT id FROM posts WHERE topic_id = ? AND post_number = 1", (tid,)).fetchone()[0]
        return _post_out(con, ctx, settings, int(pid))
    t = load_topic(con, ctx, settings, topic_id)
    if t["deleted_at"] is not None:
        raise not_found()
    if (t["closed"] or t["archived"]) and not ctx.staff:
        raise invalid_access()
    whisper = ctx.bool_param("whisper")
    if whisper and not ctx.whisperer:  # PostsController: Guardian#can_create_whisper? (A4.1)
        raise invalid_whisper_access()
    if ctx.bool_param("no_bump") and not ctx.staff:  # can_skip_bump? is staff only
        raise core.invalid_params("no_bump")
    reply_to = ctx.int_param("reply_to_post_number", None)
    if (
        reply_to is not None
        and con.execute(
            "SELECT 1 FROM posts WHERE topic_id = ? AND post_number = ?", (topic_id, reply_to)
        ).fetchone()
        is None
    ):
        reply_to = None
    pid = core.create_post(
        con, int(user["id"]), topic_id, raw, reply_to_post_number=reply_to, post_type=4 if whisper else 1
    )
    return _post_out(con, ctx, settings, pid)


def invalid_whisper_access() -> HttpError:
    """403 ``invalid_access`` with the custom message key ``invalid_whisper_access`` (the English
    text is Discourse's locale string as remembered, not re-read: CONTRACT-ADDITIONS §A6)."""
    return error(
        403,
        "Either whispers are not enabled or you do not have access to create whisper posts",
        "invalid_access",
    )


def _editable_post(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], post_id: int) -> Row:
    ctx.require_login()
    p = con.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
    if p is None or (p["deleted_at"] is not None and not ctx.staff):
        raise not_found()
    load_topic(con, ctx, settings, int(p["topic_id"]))
    if not (ctx.staff or p["user_id"] == ctx.uid):
        raise invalid_access()
    return p  # type: ignore[no-any-return]


def edit_post_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], post_id: int
) -> dict[str, Any]:
    p = _editable_post(con, ctx, settings, post_id)
    raw = ctx.param("post[raw]") or ctx.param("raw")
    if raw is None and isinstance(ctx.body.get("post"), dict):
        raw = ctx.body["post"].get("raw")
    if not raw or len(raw.strip()) < 2:
        raise missing_param("post")
    original = ctx.param("post[original_text]") or ctx.param("original_text")
    if original is not None and original != p["raw"]:
        raise error(409, "Someone else has edited this post.", "edit_conflict")
    reason = ctx.param("post[edit_reason]") or ctx.param("edit_reason")
    if raw != p["raw"]:
        now = now_iso()
        con.execute(
            "UPDATE posts SET raw = ?, cooked = ?, version = version + 1, updated_at = ?, edit_reason = ? "
            "WHERE id = ?",
            (raw, core.cook(raw), now, reason, post_id),
        )
        last = con.execute(
            "SELECT MAX(post_number) FROM posts WHERE topic_id = ? AND deleted_at IS NULL AND post_type = 1",
            (p["topic_id"],),
        ).fetchone()[0]
        if last == p["post_number"] and p["post_type"] == 1:
            con.execute("UPDATE topics SET bumped_at = ? WHERE id = ?", (now, p["topic_id"]))
    return {"post": _post_out(con, ctx, settings, post_id)}


def delete_post_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], post_id: int
) -> dict[str, Any]:
    p = _editable_post(con, ctx, settings, post_id)
    if p["deleted_at"] is not None:
        raise not_found()
    if p["post_number"] == 1:
        if not ctx.staff and p["user_id"] != ctx.uid:
            raise invalid_access()
        delete_topic(con, ctx, int(p["topic_id"]))
        return {}
    now = now_iso()
    con.execute("UPDATE posts SET deleted_at = ?, deleted_by_id = ? WHERE id = ?", (now, ctx.uid, post_id))
    con.execute("DELETE FROM solutions WHERE post_id = ?", (post_id,))
    core.refresh_topic(con, int(p["topic_id"]))
    core.refresh_post_replies(con, int(p["topic_id"]), p["reply_to_post_number"])
    core.refresh_user(con, p["user_id"])
    return {}


def delete_topic(con: sqlite3.Connection, ctx: Ctx, topic_id: int) -> None:
    now = now_iso()
    con.execute("UPDATE topics SET deleted_at = ?, deleted_by_id = ? WHERE id = ?", (now, ctx.uid, topic_id))
    con.execute(
        "UPDATE posts SET deleted_at = ?, deleted_by_id = ? WHERE topic_id = ? AND post_number = 1",
        (now, ctx.uid, topic_id),
    )


def delete_topic_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], topic_id: int
) -> dict[str, Any]:
    ctx.require_login()
    t = load_topic(con, ctx, settings, topic_id)
    if t["deleted_at"] is not None:
        raise not_found()
    if not ctx.staff:
        if t["user_id"] != ctx.uid:
            raise invalid_access()
        # its author may delete a topic nobody answered within a day of writing it; otherwise
        # TopicsController#destroy answers 422 (topics_controller_spec "#delete" without access)
        day_ago = core.iso(core.now_dt() - timedelta(days=1))
        if t["posts_count"] > 1 or t["created_at"] < day_ago:
            raise error(422, "You can't delete this topic.")
    delete_topic(con, ctx, topic_id)
    return {}


def recover_topic_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], topic_id: int
) -> dict[str, Any]:
    ctx.require_staff()
    t = load_topic(con, ctx, settings, topic_id)
    if t["deleted_at"] is None:
        raise not_found()
    con.execute("UPDATE topics SET deleted_at = NULL, deleted_by_id = NULL WHERE id = ?", (topic_id,))
    con.execute(
        "UPDATE posts SET deleted_at = NULL, deleted_by_id = NULL WHERE topic_id = ? AND post_number = 1",
        (topic_id,),
    )
    core.refresh_topic(con, topic_id)
    return {"success": "OK"}


def update_topic_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], topic_id: int
) -> dict[str, Any]:
    ctx.require_login()
    t = load_topic(con, ctx, settings, topic_id)
    if not (ctx.staff or (t["user_id"] == ctx.uid and not t["archived"])):  # archived: staff only
        raise invalid_access()
    title = ctx.param("title")
    cid = ctx.int_param("category_id", None)
    if title is not None:
        if len(title.strip()) < 5:
            raise error(422, "Title is too short (minimum is 5 characters)")
        con.execute(
            "UPDATE topics SET title = ?, slug = ? WHERE id = ?",
            (title.strip(), core.slugify(title), topic_id),
        )
    if cid is not None:
        can_see_category(con, ctx, cid)
        con.execute("UPDATE topics SET category_id = ? WHERE id = ?", (cid, topic_id))
    tags = ctx.plist("tags")
    if tags:
        con.execute("UPDATE topics SET tags = ? WHERE id = ?", (json.dumps([x for x in tags if x]), topic_id))
    t = con.execute("SELECT * FROM topics WHERE id = ?", (topic_id,)).fetchone()
    return {
        "basic_topic": {
            "id": t["id"],
            "title": t["title"],
            "fancy_title": t["title"],
            "slug": t["slug"],
            "posts_count": t["posts_count"],
        }
    }


def status_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], topic_id: int
) -> dict[str, Any]:
    ctx.require_staff()
    load_topic(con, ctx, settings, topic_id)
    status = ctx.param("status")
    enabled = ctx.param("enabled")
    if status not in ("closed", "archived", "visible", "pinned", "pinned_globally"):
        raise core.invalid_params("status")
    if enabled is None or enabled == "":
        raise core.missing_param("enabled")
    # Rails' boolean cast: these mean false, anything else true (topics_controller_spec "updates the status
    # when enabled is truthy": "t", "0", true)
    on = enabled.lower() not in ("0", "f", "false", "off")
    col = {"pinned_globally": "pinned_globally"}.get(status, status)
    con.execute(f"UPDATE topics SET {col} = ? WHERE id = ?", (int(on), topic_id))
    if status == "pinned_globally":
        con.execute("UPDATE topics SET pinned = ? WHERE id = ?", (int(on), topic_id))
    if status in ("closed", "archived", "visible"):
        code = {
            "closed": ("closed.enabled", "closed.disabled"),
            "archived": ("archived.enabled", "archived.disabled"),
            "visible": ("visible.enabled", "visible.disabled"),
        }[status][0 if on else 1]
        _small_action(con, ctx.uid or 0, topic_id, code)
    return {"success": "OK", "topic_status_update": None}


def _small_action(con: sqlite3.Connection, user_id: int, topic_id: int, code: str) -> None:
    now = now_iso()
    nxt = con.execute(
        "SELECT COALESCE(MAX(post_number), 0) + 1 FROM posts WHERE topic_id = ?", (topic_id,)
    ).fetchone()[0]
    con.execute(
        "INSERT INTO posts(topic_id, post_number, user_id, created_at, updated_at, raw, cooked, post_type, "
        "action_code) VALUES (?,?,?,?,?,'','',3,?)",
        (topic_id, nxt, user_id, now, now, code),
    )
    core.refresh_topic(con, topic_id)


def like_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    user = ctx.require_login()
    pid = ctx.int_param("id", None)
    if pid is None:
        raise missing_param("id")
    kind = ctx.int_param("post_action_type_id", None)
    if kind is None:
        raise missing_param("post_action_type_id")
    if kind != 2:
        raise error(422, "Only likes are supported by the demo community")
    p = con.execute("SELECT * FROM posts WHERE id = ? AND deleted_at IS NULL", (pid,)).fetchone()
    if p is None:
        raise not_found()
    load_topic(con, ctx, settings, int(p["topic_id"]))
    if p["user_id"] == user["id"]:
        raise invalid_access()
    if not core.set_like(con, int(user["id"]), pid, True):
        raise error(403, "You already performed this action.", "invalid_access")
    return _post_out(con, ctx, settings, pid)


POST_UNDO_ACTION_WINDOW_MINS = 10


def unlike_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], post_id: int) -> dict[str, Any]:
    """PostActionsController#destroy: ``post_action_type_id`` is required (400); no such action → 404; a like
    older than ``post_undo_action_window_mins`` can no longer be taken back (403)."""
    user = ctx.require_login()
    kind = ctx.int_param("post_action_type_id", None)
    if kind is None:
        raise missing_param("post_action_type_id")
    p = con.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
    if p is None:
        raise not_found()
    like = con.execute(
        "SELECT created_at FROM likes WHERE post_id = ? AND user_id = ?", (post_id, user["id"])
    ).fetchone()
    if kind != 2 or like is None:
        raise not_found()
    if like[0] < core.iso(core.now_dt() - timedelta(minutes=POST_UNDO_ACTION_WINDOW_MINS)):
        raise invalid_access()
    core.set_like(con, int(user["id"]), post_id, False)
    return _post_out(con, ctx, settings, post_id)


# ---------------------------------------------------------------- user API keys (CONTRACT §2.2)

UAK_PARAMS = ("application_name", "client_id", "scopes", "public_key", "nonce", "auth_redirect")


def html_page(title: str, body: str, status: int = 200) -> HttpError:
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return HttpError(status, page, content_type="text/html; charset=utf-8")


def uak_new_page(ctx: Ctx, settings: dict[str, Any]) -> HttpError:
    values = {k: ctx.param(k) for k in UAK_PARAMS}
    missing = [k for k in ("client_id", "scopes", "public_key", "nonce", "application_name") if not values[k]]
    if missing:
        return html_page("Error", f"<p>Missing parameters: {html.escape(', '.join(missing))}</p>", 400)
    hidden = "".join(
        f"<input type='hidden' name='{k}' value='{html.escape(v or '', quote=True)}'>"
        for k, v in values.items()
        if v is not None
    )
    body = (
        f"<p><b>{html.escape(values['application_name'] or '')}</b> is asking for access to your account "
        f"({html.escape(values['scopes'] or '')}) on {html.escape(str(settings.get('title')))}.</p>"
        "<p>Demo sign-in: any active demo username, password <code>demo</code>.</p>"
        "<form method='post' action='/user-api-key'>"
        f"{hidden}<label>Username <input name='username' autofocus></label> "
        "<label>Password <input name='password' type='password' value='demo'></label> "
        "<button type='submit' name='commit' value='Authorize'>Authorize</button></form>"
    )
    return html_page("Authorize application", body)


def uak_create(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> HttpError:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    values = {k: ctx.param(k) for k in UAK_PARAMS}
    for k in ("client_id", "scopes", "public_key", "nonce"):
        if not values[k]:
            raise missing_param(k)
    user = ctx.user
    if user is None or ctx.key_kind is not None:
        username = ctx.param("username") or ""
        if (ctx.param("password") or "") != "demo":
            return html_page("Error", "<p>Wrong username or password.</p>", 403)
        user = con.execute(
            "SELECT * FROM users WHERE username = ? AND active = 1 AND deleted_at IS NULL", (username,)
        ).fetchone()
        if user is None:
            return html_page("Error", "<p>Wrong username or password.</p>", 403)
    scopes = values["scopes"] or ""
    allowed = {
        "read",
        "write",
        "message_bus",
        "push",
        "notifications",
        "session_info",
        "one_time_password",
        "bookmarks_calendar",
        "user_status",
        "solved:answer",
    }
    if not set(scopes.split(",")) <= allowed:
        return html_page("Error", "<p>One of the requested scopes is not allowed.</p>", 403)
    try:
        pub = serialization.load_pem_public_key((values["public_key"] or "").encode())
    except ValueError:
        raise error(400, "public_key is not a PEM RSA public key", "invalid_parameters") from None
    if not isinstance(pub, rsa.RSAPublicKey):
        raise error(400, "public_key is not an RSA key", "invalid_parameters")
    key = secrets.token_hex(16)
    con.execute(
        "UPDATE api_keys SET revoked_at = ? WHERE kind = 'user' AND user_id = ? AND client_id = ? "
        "AND revoked_at IS NULL AND (description IS NULL OR description NOT LIKE 'demo:%')",
        (now_iso(), user["id"], values["client_id"]),
    )
    con.execute(
        "INSERT INTO api_keys(key, kind, user_id, client_id, scopes, description, created_at) "
        "VALUES (?, 'user', ?, ?, ?, ?, ?)",
        (key, user["id"], values["client_id"], scopes, values["application_name"], now_iso()),
    )
    payload = json.dumps({"key": key, "nonce": values["nonce"], "push": False, "api": 4}).encode()
    enc = pub.encrypt(payload, padding.PKCS1v15())
    b64 = base64.encodebytes(enc).decode()
    redirect = values["auth_redirect"]
    if redirect:
        sep = "&" if "?" in redirect else "?"
        return HttpError(
            302,
            "",
            headers={"Location": f"{redirect}{sep}payload={quote(b64, safe='')}"},
            content_type="text/plain",
        )
    if ctx.path.endswith(".json"):
        return HttpError(200, {"payload": b64, "instructions": "Paste this payload into the application."})
    return html_page(
        "Authorized", f"<p>Paste this into the application:</p><pre id='payload'>{html.escape(b64)}</pre>"
    )


def uak_revoke(con: sqlite3.Connection, ctx: Ctx) -> dict[str, Any]:
    ctx.require_login()
    kid = ctx.param("id")
    if kid is None:
        key = ctx.headers.get("user-api-key")
        if not key:
            raise missing_param("id")
        con.execute("UPDATE api_keys SET revoked_at = ? WHERE key = ?", (now_iso(), key))
        return {"success": "OK"}
    row = con.execute("SELECT rowid, * FROM api_keys WHERE kind = 'user' AND rowid = ?", (kid,)).fetchone()
    if row is None:
        raise not_found()
    if row["user_id"] != ctx.uid and not ctx.admin:
        raise invalid_access()
    con.execute("UPDATE api_keys SET revoked_at = ? WHERE rowid = ?", (now_iso(), kid))
    return {"success": "OK"}


__all__ = ["urlencode"]
