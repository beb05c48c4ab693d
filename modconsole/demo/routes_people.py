"""Users, directory, badges, groups, solved, reports routes of the demo server."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import time
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlparse

from modconsole.demo import core
from modconsole.demo.core import (
    Ctx,
    can_see_group,
    can_see_group_members,
    error,
    failed,
    invalid_access,
    invalid_params,
    missing_param,
    not_found,
    now_dt,
    now_iso,
)
from modconsole.demo.routes_read import accepted_answer_json, can_accept, load_topic
from modconsole.demo.serializers import (
    BADGE_TYPES,
    badge_json,
    basic_user,
    group_basic,
    grouping_json,
    user_full_basic,
    users_by_id,
)

Row = sqlite3.Row
TL_FLAGS = {"newuser": 0, "basic": 1, "member": 2, "regular": 3, "leader": 4}


def find_user(con: sqlite3.Connection, username: str, ctx: Ctx | None = None) -> Row:
    u = con.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
    if u is None or (u["deleted_at"] is not None):
        raise not_found()
    return u  # type: ignore[no-any-return]


def user_by_id(con: sqlite3.Connection, uid: int) -> Row:
    u = con.execute("SELECT * FROM users WHERE id = ? AND deleted_at IS NULL", (uid,)).fetchone()
    if u is None:
        raise not_found()
    return u  # type: ignore[no-any-return]


def user_stats(con: sqlite3.Connection, uid: int, *, likes: bool = True) -> dict[str, int]:
    if not likes:
        r = con.execute(
            "SELECT (SELECT COUNT(*) FROM posts WHERE user_id = :u AND deleted_at IS NULL AND post_type = 1) "
            "AS pc, "
            "(SELECT COUNT(*) FROM topics WHERE user_id = :u AND deleted_at IS NULL) AS tc, "
            "(SELECT COUNT(*) FROM user_visits WHERE user_id = :u) AS dv, "
            "(SELECT COALESCE(SUM(posts_read), 0) FROM user_visits WHERE user_id = :u) AS pr",
            {"u": uid},
        ).fetchone()
        return {"post_count": r["pc"], "topic_count": r["tc"], "days_visited": r["dv"], "posts_read": r["pr"]}
    r = con.execute(
        "SELECT (SELECT COUNT(*) FROM posts WHERE user_id = :u AND deleted_at IS NULL AND post_type = 1) "
        "AS pc, "
        "(SELECT COUNT(*) FROM topics WHERE user_id = :u AND deleted_at IS NULL) AS tc, "
        "(SELECT COUNT(*) FROM user_badges WHERE user_id = :u) AS bc, "
        "(SELECT COUNT(*) FROM likes WHERE user_id = :u) AS lg, "
        "(SELECT COUNT(*) FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.user_id = :u) AS lr, "
        "(SELECT COUNT(*) FROM user_visits WHERE user_id = :u) AS dv, "
        "(SELECT COALESCE(SUM(posts_read), 0) FROM user_visits WHERE user_id = :u) AS pr, "
        "(SELECT COUNT(*) FROM solutions s JOIN posts p ON p.id = s.post_id JOIN topics t ON t.id = "
        "s.topic_id "
        "  WHERE p.user_id = :u AND t.user_id IS NOT :u) AS sc",
        {"u": uid},
    ).fetchone()
    return {
        "post_count": r["pc"],
        "topic_count": r["tc"],
        "badge_count": r["bc"],
        "likes_given": r["lg"],
        "likes_received": r["lr"],
        "days_visited": r["dv"],
        "posts_read": r["pr"],
        "solved_count": r["sc"],
    }


def user_groups(con: sqlite3.Connection, uid: int) -> list[Row]:
    return con.execute(
        "SELECT g.*, gu.owner FROM group_users gu JOIN groups g ON g.id = gu.group_id "
        "WHERE gu.user_id = ? ORDER BY g.name",
        (uid,),
    ).fetchall()


def group_counts(con: sqlite3.Connection) -> dict[int, int]:
    return {
        int(r[0]): int(r[1])
        for r in con.execute("SELECT group_id, COUNT(*) FROM group_users GROUP BY group_id")
    }


_PROFILE_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(
        (
            "can_be_deleted",
            "can_change_bio",
            "can_change_location",
            "can_change_tracking_preferences",
            "can_change_website",
            "can_delete_all_posts",
            "can_edit_email",
            "can_edit_name",
            "can_edit_username",
            "can_ignore_user",
            "can_mute_user",
            "can_send_private_messages",
            "can_upload_profile_header",
            "can_upload_user_card_background",
            "has_title_badges",
            "ignored",
            "muted",
            "second_factor_enabled",
            "use_logo_small_as_avatar",
        ),
        False,
    ),
    **{
        k: []
        for k in (
            "allowed_pm_usernames",
            "featured_user_badge_ids",
            "ignored_usernames",
            "muted_category_ids",
            "muted_tags",
            "muted_usernames",
            "regular_category_ids",
            "tracked_category_ids",
            "tracked_tags",
            "watched_category_ids",
            "watched_tags",
            "watching_first_post_tags",
            "watched_first_post_category_ids",
        )
    },
    **dict.fromkeys(
        (
            "featured_topic",
            "flair_group_id",
            "invited_by",
            "locale",
            "system_avatar_upload_id",
            "uploaded_avatar_id",
            "user_api_keys",
            "bio_raw",
            "bio_cooked",
            "bio_excerpt",
            "website",
            "website_name",
            "location",
            "card_background_upload_url",
            "profile_background_upload_url",
            "timezone",
        ),
        None,
    ),
    "custom_fields": {},
    "mailing_list_posts_per_day": 0,
    "pending_count": 0,
}


def user_route(con: sqlite3.Connection, ctx: Ctx, username: str) -> dict[str, Any]:
    u = find_user(con, username)
    st = user_stats(con, int(u["id"]))
    counts = group_counts(con)
    groups = [group_basic(g, counts.get(int(g["id"]), 0)) for g in user_groups(con, int(u["id"]))]
    d = user_full_basic(u)
    d.update(
        {
            "badge_count": st["badge_count"],
            "post_count": st["post_count"],
            "topic_count": st["topic_count"],
            "time_read": st["days_visited"] * 600,
            "recent_time_read": 0,
            "profile_view_count": 0,
            "can_edit": ctx.staff or ctx.uid == u["id"],
            "groups": groups,
            "group_users": [
                {"group_id": g["id"], "user_id": u["id"], "notification_level": 3} for g in groups
            ],
            "primary_group_id": None,
            "primary_group_name": None,
            "flair_name": None,
            "flair_url": None,
            "flair_bg_color": None,
            "flair_color": None,
            "user_fields": {"1": u["user_field_company"]},
            "staged": bool(u["staged"]),
            "suspended_till": u["suspended_till"],
        }
    )
    d.update(_PROFILE_DEFAULTS)
    d["system_avatar_template"] = d["avatar_template"]
    d["can_send_private_message_to_user"] = ctx.user is not None
    ubs = con.execute(
        "SELECT * FROM user_badges WHERE user_id = ? ORDER BY granted_at DESC, id DESC LIMIT 50", (u["id"],)
    ).fetchall()
    return {"user_badges": [user_badge_json(ub) for ub in ubs], "user": d}


def user_badge_json(ub: Row, *, post: Row | None = None, topic: Row | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": ub["id"],
        "granted_at": ub["granted_at"],
        "created_at": ub["granted_at"],
        "grouping_position": 0,
        "is_favorite": None,
        "can_favorite": False,
        "badge_id": ub["badge_id"],
        "user_id": ub["user_id"],
        "granted_by_id": ub["granted_by_id"] if ub["granted_by_id"] is not None else -1,
    }
    if ub["post_id"] is not None:
        d["post_id"] = ub["post_id"]
        if post is not None:
            d["post_number"] = post["post_number"]
            d["topic_id"] = post["topic_id"]
        if topic is not None:
            d["topic_title"] = topic["title"]
    return d


def summary_route(con: sqlite3.Connection, ctx: Ctx, username: str) -> dict[str, Any]:
    u = find_user(con, username)
    uid = int(u["id"])
    st = user_stats(con, uid)
    topics = con.execute(
        "SELECT id, title, slug, like_count, created_at, category_id FROM topics WHERE user_id = ? "
        "AND deleted_at IS NULL ORDER BY like_count DESC, id DESC LIMIT 6",
        (uid,),
    ).fetchall()
    replies = con.execute(
        "SELECT p.id, p.topic_id, p.post_number, p.like_count, p.created_at FROM posts p "
        "WHERE p.user_id = ? AND p.post_number > 1 AND p.deleted_at IS NULL "
        "ORDER BY p.like_count DESC, p.id DESC LIMIT 6",
        (uid,),
    ).fetchall()
    badges = con.execute(
        "SELECT * FROM user_badges WHERE user_id = ? ORDER BY granted_at DESC LIMIT 6", (uid,)
    ).fetchall()
    return {
        "topics": [dict(t) for t in topics],
        "badges": [],
        "user_summary": {
            "likes_given": st["likes_given"],
            "likes_received": st["likes_received"],
            "topics_entered": st["days_visited"],
            "posts_read_count": st["posts_read"],
            "days_visited": st["days_visited"],
            "topic_count": st["topic_count"],
            "post_count": st["post_count"],
            "time_read": st["days_visited"] * 600,
            "recent_time_read": 0,
            "bookmark_count": 0,
            "can_see_summary_stats": True,
            "can_see_user_actions": True,
            "solved_count": st["solved_count"],
            "topic_ids": [t["id"] for t in topics],
            "replies": [dict(r) for r in replies],
            "links": [],
            "most_liked_by_users": [],
            "most_liked_users": [],
            "most_replied_to_users": [],
            "badges": [user_badge_json(b) for b in badges],
            "top_categories": [],
        },
    }


def emails_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], username: str
) -> dict[str, Any]:
    ctx.require_login()
    if not (ctx.admin or (ctx.moderator and settings.get("moderators_view_emails"))):
        raise invalid_access()
    u = find_user(con, username)
    return {"email": u["email"], "secondary_emails": [], "unconfirmed_emails": [], "associated_accounts": []}


def admin_user_json(
    con: sqlite3.Connection, u: Row, *, show_email: bool, full: bool = False
) -> dict[str, Any]:
    st = user_stats(con, int(u["id"]), likes=full)
    d = user_full_basic(u)
    d.update(
        {
            "active": bool(u["active"]),
            "staged": bool(u["staged"]),
            "manual_locked_trust_level": u["manual_locked_trust_level"],
            "days_visited": st["days_visited"],
            "post_count": st["post_count"],
            "topic_count": st["topic_count"],
            "topics_entered": st["days_visited"],
            "posts_read_count": st["posts_read"],
            "time_read": st["days_visited"] * 600,
            "last_emailed_at": None,
            "last_emailed_age": None,
            "created_at_age": None,
            "last_seen_age": None,
            "time_read_age": None,
            "suspended_at": None,
            "suspended_till": u["suspended_till"],
            "silenced_till": u["silenced_till"],
            "suspended": bool(u["suspended_till"] and u["suspended_till"] > now_iso()),
            "silenced": bool(u["silenced_till"] and u["silenced_till"] > now_iso()),
            "can_be_deleted": not (u["admin"] or u["moderator"]) and st["post_count"] == 0,
            "can_be_deleted_with_posts": not (u["admin"] or u["moderator"]),
        }
    )
    if show_email:
        d["email"] = u["email"]
        d["secondary_emails"] = []
    if full:
        counts = group_counts(con)
        d.update(
            {
                "like_count": st["likes_received"],
                "like_given_count": st["likes_given"],
                "flags_given_count": 0,
                "flags_received_count": 0,
                "private_topics_count": 0,
                "badge_count": st["badge_count"],
                "warnings_received_count": 0,
                "bounce_score": 0,
                "reset_bounce_score_after": None,
                "can_view_action_logs": True,
                "can_disable_second_factor": False,
                "can_delete_all_posts": False,
                "api_key_count": 0,
                "single_sign_on_record": None,
                "approved_by": None,
                "suspended_by": None,
                "silenced_by": None,
                "penalty_counts": {"silenced": 0, "suspended": 0},
                "external_ids": {},
                "include_ip": False,
                "groups": [
                    group_basic(g, counts.get(int(g["id"]), 0)) for g in user_groups(con, int(u["id"]))
                ],
            }
        )
    return d


def admin_list_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], flag: str
) -> list[dict[str, Any]]:
    ctx.require_staff()
    page = ctx.int_param("page", 1, lo=1) or 1
    show = ctx.bool_param("show_emails")
    if show and not (ctx.admin or settings.get("moderators_view_emails")):
        raise invalid_access()
    where = ["deleted_at IS NULL"]
    args: list[Any] = []
    now = now_iso()
    if flag == "staff":
        where.append("(admin = 1 OR moderator = 1)")
    elif flag == "admins":
        where.append("admin = 1")
    elif flag == "moderators":
        where.append("moderator = 1")
    elif flag == "suspended":
        where.append("suspended_till > ?")
        args.append(now)
    elif flag == "silenced":
        where.append("silenced_till > ?")
        args.append(now)
    elif flag == "pending":
        where.append("active = 0")
    elif flag == "staged":
        where.append("staged = 1")
    elif flag in TL_FLAGS:
        where.append("trust_level = ?")
        args.append(TL_FLAGS[flag])
    order_map = {
        "created": "created_at",
        "seen": "last_seen_at",
        "username": "username",
        "email": "email",
        "trust_level": "trust_level",
        "last_emailed": "created_at",
    }
    order = ctx.param("order")
    col = order_map.get(order or "", "last_seen_at" if flag == "active" else "created_at")
    asc = "ASC" if ctx.param("asc") else "DESC"
    filt = ctx.param("filter") or ctx.param("email") or ctx.param("username")
    if filt:
        where.append("(username LIKE ? OR email LIKE ? OR name LIKE ?)")
        args.extend([f"%{filt}%"] * 3)
    rows = con.execute(
        f"SELECT * FROM users WHERE {' AND '.join(where)} ORDER BY {col} {asc}, id {asc} LIMIT 100 OFFSET ?",
        [*args, (page - 1) * 100],
    ).fetchall()
    return [admin_user_json(con, u, show_email=show) for u in rows]


PERIOD_DAYS = {"all": None, "yearly": 365, "quarterly": 90, "monthly": 30, "weekly": 7, "daily": 1}
DIR_COLUMNS = [
    "likes_received",
    "likes_given",
    "topic_count",
    "post_count",
    "topics_entered",
    "posts_read",
    "days_visited",
    "solutions",
]


DIRECTORY_TTL_S = 300.0
_DIRECTORY_CACHE: dict[tuple[str, str], tuple[float, str, dict[str, dict[int, int]]]] = {}


def directory_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    if not settings.get("enable_user_directory", True):
        raise invalid_access()
    period = ctx.param("period")
    if period not in PERIOD_DAYS:
        raise invalid_params("period")
    order = ctx.param("order") or "likes_received"
    if order not in DIR_COLUMNS and order != "username":
        raise invalid_params("order")
    page = ctx.int_param("page", 0, lo=0) or 0
    limit = ctx.int_param("limit", 50, lo=1, hi=50) or 50  # PAGE_SIZE; above it is a 400, not a clamp
    asc = ctx.param("asc") is not None
    days = PERIOD_DAYS[period]
    since = core.iso(now_dt() - timedelta(days=days)) if days else "0000"
    since_d = since[:10]
    args = {"s": since, "d": since_d}
    aggregates = {
        "likes_received": "SELECT p.user_id, COUNT(*) FROM likes l JOIN posts p ON p.id = l.post_id "
        "WHERE l.created_at >= :s GROUP BY p.user_id",
        "likes_given": "SELECT user_id, COUNT(*) FROM likes WHERE created_at >= :s GROUP BY user_id",
        "topic_count": "SELECT user_id, COUNT(*) FROM topics WHERE deleted_at IS NULL AND created_at >= :s "
        "GROUP BY user_id",
        "post_count": "SELECT user_id, COUNT(*) FROM posts WHERE deleted_at IS NULL AND post_type = 1 "
        "AND post_number > 1 AND created_at >= :s GROUP BY user_id",
        "days_visited": "SELECT user_id, COUNT(*) FROM user_visits WHERE visited_at >= :d GROUP BY user_id",
        "posts_read": "SELECT user_id, SUM(posts_read) FROM user_visits WHERE visited_at >= :d "
        "GROUP BY user_id",
        "solutions": "SELECT p.user_id, COUNT(*) FROM solutions s JOIN posts p ON p.id = s.post_id "
        "WHERE s.accepted_at >= :s GROUP BY p.user_id",
    }
    dbfile = con.execute("PRAGMA database_list").fetchone()[2]
    cached = _DIRECTORY_CACHE.get((dbfile, period))
    if cached is None or time.monotonic() - cached[0] > DIRECTORY_TTL_S:
        # like Discourse, directory figures are precomputed and refreshed periodically (meta.last_updated_at)
        fresh = {col: {r[0]: int(r[1] or 0) for r in con.execute(q, args)} for col, q in aggregates.items()}
        cached = (time.monotonic(), now_iso(), fresh)
        _DIRECTORY_CACHE[(dbfile, period)] = cached
    _, updated_at, values = cached
    rows = []
    for u in con.execute("SELECT * FROM users WHERE deleted_at IS NULL AND active = 1 AND staged = 0"):
        r = dict(u)
        for col, vals in values.items():
            r[col] = vals.get(r["id"], 0)
        rows.append(r)
    for r in rows:
        r["topics_entered"] = r["days_visited"]
    group = ctx.param("group")
    if group:
        g = con.execute("SELECT id FROM groups WHERE name = ?", (group,)).fetchone()
        if g is None:
            raise invalid_params("group")
        inside = _member_ids(con, int(g[0]))
        rows = [r for r in rows if r["id"] in inside]
    name = (ctx.param("name") or "").strip().lower()
    if name:
        rows = [r for r in rows if name in r["username"].lower() or name in (r["name"] or "").lower()]
    excluded = {n.lower() for n in _split(ctx.param("exclude_usernames"))}
    if excluded:
        rows = [r for r in rows if r["username"].lower() not in excluded]
    key = (lambda r: r["username"].lower()) if order == "username" else (lambda r: (r[order], -r["id"]))
    rows.sort(key=key, reverse=not asc)
    total = len(rows)
    chunk = rows[page * limit : (page + 1) * limit]
    items = [dir_item(r, period) for r in chunk]
    if page == 0 and ctx.uid is not None and not group:
        top10 = {r["id"] for r in rows[:10]}
        if ctx.uid not in top10:
            me = next((r for r in rows if r["id"] == ctx.uid), None)
            if me is not None:
                items.insert(0, dir_item(me, period))
    from urllib.parse import urlencode

    params = {k: v[0] for k, v in ctx.query.items()}
    params["page"] = str(page + 1)
    return {
        "directory_items": items,
        "meta": {
            "last_updated_at": updated_at,
            "total_rows_directory_items": total,
            "load_more_directory_items": f"/directory_items.json?{urlencode(params)}",
        },
    }


def dir_item(r: dict[str, Any], period: str) -> dict[str, Any]:
    d = {c: r[c] for c in DIR_COLUMNS if c != "solutions"}
    d["id"] = r["id"]
    if period == "all":
        d["time_read"] = r["days_visited"] * 600
    d["user"] = {**basic_user(r), "title": r["title"]}
    return d


def trust_level_route(con: sqlite3.Connection, ctx: Ctx, uid: int) -> dict[str, Any]:
    ctx.require_staff()
    u = user_by_id(con, uid)
    level = ctx.int_param("level", None)
    if level is None or not 0 <= level <= 4:
        raise error(422, "Invalid trust level")
    if u["manual_locked_trust_level"] is None:
        qualifies = qualified_level(con, u)
        if (level <= 2 and qualifies > level) or (level == 3 and qualifies < 3):
            con.execute("UPDATE users SET manual_locked_trust_level = ? WHERE id = ?", (level, uid))
    else:
        con.execute("UPDATE users SET manual_locked_trust_level = ? WHERE id = ?", (level, uid))
    con.execute("UPDATE users SET trust_level = ? WHERE id = ?", (level, uid))
    return {"admin_user": admin_user_json(con, user_by_id(con, uid), show_email=False, full=True)}


def qualified_level(con: sqlite3.Connection, u: Row) -> int:
    """A crude automatic trust level from activity (the demo's stand-in for Discourse's promotion rules)."""
    st = user_stats(con, int(u["id"]))
    level = 0
    if st["days_visited"] >= 1 and st["posts_read"] >= 5:
        level = 1
    if st["days_visited"] >= 15 and st["likes_received"] >= 1 and st["post_count"] >= 3:
        level = 2
    if st["days_visited"] >= 50 and st["post_count"] >= 10 and st["likes_received"] >= 20:
        level = 3
    return level


def suspend_route(con: sqlite3.Connection, ctx: Ctx, uid: int) -> dict[str, Any]:
    ctx.require_staff()
    u = user_by_id(con, uid)
    if u["admin"] and not ctx.admin:
        raise invalid_access()
    till = ctx.param("suspend_until")
    reason = ctx.param("reason")
    if not till or not reason:
        raise missing_param("suspend_until" if not till else "reason")
    if u["suspended_till"] and u["suspended_till"] > now_iso():
        # Admin::UsersController#suspend: a second suspension is a 409 naming the first one
        raise core.HttpError(
            409,
            {
                "failed": "FAILED",
                "message": f"This user is already suspended until {u['suspended_till'][:10]}.",
            },
        )
    if len(till) == 10:
        till += "T00:00:00.000Z"
    con.execute("UPDATE users SET suspended_till = ? WHERE id = ?", (till, uid))
    return {
        "suspension": {
            "suspend_reason": reason,
            "full_suspend_reason": reason,
            "suspended_till": till,
            "suspended_at": now_iso(),
            "suspended_by": basic_user(ctx.require_login()),
        }
    }


def delete_user_route(con: sqlite3.Connection, ctx: Ctx, uid: int) -> dict[str, Any]:
    ctx.require_admin()
    u = user_by_id(con, uid)
    if u["admin"] or u["moderator"]:
        raise error(403, "You can't delete a staff member.", "invalid_access")
    posts = con.execute(
        "SELECT COUNT(*) FROM posts WHERE user_id = ? AND deleted_at IS NULL", (uid,)
    ).fetchone()[0]
    if posts and not ctx.bool_param("delete_posts"):
        # Admin::UsersController#destroy answers the refusal as `{deleted: false, message}`
        raise core.HttpError(
            403,
            {
                "deleted": False,
                "message": f"User {u['username']} has {posts} {'post' if posts == 1 else 'posts'} "
                "in public topics and cannot be deleted.",
            },
        )
    now = now_iso()
    topics = {
        int(r[0])
        for r in con.execute("SELECT topic_id FROM posts WHERE user_id = ? AND deleted_at IS NULL", (uid,))
    }
    con.execute(
        "UPDATE posts SET deleted_at = ?, deleted_by_id = ? WHERE user_id = ? AND deleted_at IS NULL",
        (now, ctx.uid, uid),
    )
    con.execute(
        "UPDATE topics SET deleted_at = ?, deleted_by_id = ? WHERE user_id = ? AND deleted_at IS NULL",
        (now, ctx.uid, uid),
    )
    con.execute("UPDATE users SET deleted_at = ?, active = 0 WHERE id = ?", (now, uid))
    con.execute("UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", (now, uid))
    con.execute("DELETE FROM group_users WHERE user_id = ?", (uid,))
    for t in topics:
        core.refresh_topic(con, t)
    return {"deleted": True}


# ---------------------------------------------------------------- badges


def ensure_badges(settings: dict[str, Any]) -> None:
    if not settings.get("enable_badges", True):
        raise not_found()


def grant_counts(con: sqlite3.Connection) -> dict[int, int]:
    return {
        int(r[0]): int(r[1])
        for r in con.execute("SELECT badge_id, COUNT(*) FROM user_badges GROUP BY badge_id")
    }


def badges_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], *, admin: bool
) -> dict[str, Any]:
    ensure_badges(settings)
    if admin:
        ctx.require_admin()
    counts = grant_counts(con)
    # Disabled and non-listable badges: the admin list, and staff asking over XHR without only_listable
    # (BadgesController#index; badges_controller_spec "allows staff to see disabled and non-listable
    # badges via XHR requests", "does not expose disabled badges via XHR requests").
    where = (
        ""
        if admin or (ctx.staff and ctx.xhr and not ctx.bool_param("only_listable"))
        else "WHERE enabled = 1 AND listable = 1"
    )
    badges = [
        badge_json(b, counts.get(int(b["id"]), 0), admin=admin)
        for b in con.execute(f"SELECT * FROM badges {where} ORDER BY name")
    ]
    search = (ctx.param("search") or "").lower()
    if search:
        badges = [b for b in badges if search in b["name"].lower()]
    groupings = [grouping_json(g) for g in con.execute("SELECT * FROM badge_groupings ORDER BY position")]
    out: dict[str, Any] = {"badges": badges, "badge_types": BADGE_TYPES, "badge_groupings": groupings}
    if admin:
        out["admin_badges"] = {
            "protected_system_fields": [
                "name",
                "badge_type_id",
                "multiple_grant",
                "target_posts",
                "show_posts",
                "query",
                "trigger",
                "auto_revoke",
                "listable",
            ],
            "triggers": {
                "none": 0,
                "post_action": 1,
                "post_revision": 2,
                "trust_level_change": 4,
                "user_change": 8,
            },
            "badge_ids": [b["id"] for b in badges],
            "badge_grouping_ids": [g["id"] for g in groupings],
            "badge_type_ids": [1, 2, 3],
        }
    return out


def badge_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], badge_id: int) -> dict[str, Any]:
    """BadgesController#show: an enabled badge (others are not found)."""
    ensure_badges(settings)
    b = con.execute("SELECT * FROM badges WHERE id = ? AND enabled = 1", (badge_id,)).fetchone()
    if b is None:
        raise not_found()
    return {"badge_types": BADGE_TYPES, "badge": badge_json(b, grant_counts(con).get(badge_id, 0))}


def delete_badge_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], badge_id: int) -> None:
    """Admin::BadgesController#destroy: system badges cannot be deleted (403); a deleted badge takes its
    grants, and the titles it gave, with it."""
    ensure_badges(settings)
    ctx.require_admin()
    b = con.execute("SELECT * FROM badges WHERE id = ?", (badge_id,)).fetchone()
    if b is None:
        raise not_found()
    if b["system"]:
        raise invalid_access()
    holders = [r[0] for r in con.execute("SELECT user_id FROM user_badges WHERE badge_id = ?", (badge_id,))]
    for uid in holders:
        con.execute("UPDATE users SET title = NULL WHERE id = ? AND title = ?", (uid, b["name"]))
    con.execute("DELETE FROM user_badges WHERE badge_id = ?", (badge_id,))
    con.execute("DELETE FROM badges WHERE id = ?", (badge_id,))


def find_badge(con: sqlite3.Connection, ctx: Ctx) -> Row:
    bid = ctx.param("badge_id")
    if bid:
        try:
            b = con.execute("SELECT * FROM badges WHERE id = ?", (int(bid),)).fetchone()
        except ValueError:
            raise invalid_params("badge_id") from None
    elif ctx.param("badge_name"):
        b = con.execute("SELECT * FROM badges WHERE name = ?", (ctx.param("badge_name"),)).fetchone()
    else:
        raise missing_param("badge_id")
    if b is None:
        raise not_found()
    return b  # type: ignore[no-any-return]


def update_badge_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], badge_id: int
) -> dict[str, Any]:
    ensure_badges(settings)
    ctx.require_admin()
    b = con.execute("SELECT * FROM badges WHERE id = ?", (badge_id,)).fetchone()
    if b is None:
        raise not_found()
    sets: dict[str, Any] = {}
    for f in (
        "enabled",
        "listable",
        "allow_title",
        "multiple_grant",
        "show_posts",
        "target_posts",
        "auto_revoke",
    ):
        v = ctx.param(f)
        if v is not None:
            sets[f] = 1 if v.lower() == "true" else 0
    for f in ("name", "description", "long_description", "icon"):
        v = ctx.param(f)
        if v is not None and not (f == "name" and b["system"]):  # a system badge keeps its name
            sets[f] = v
    for f in ("badge_type_id", "badge_grouping_id"):
        v2 = ctx.int_param(f)
        if v2 is not None:
            sets[f] = v2
    if sets:
        con.execute(
            f"UPDATE badges SET {', '.join(k + ' = ?' for k in sets)} WHERE id = ?",
            [*sets.values(), badge_id],
        )
    b = con.execute("SELECT * FROM badges WHERE id = ?", (badge_id,)).fetchone()
    return {
        "badge_types": BADGE_TYPES,
        "badge": badge_json(b, grant_counts(con).get(badge_id, 0), admin=True),
    }


def user_badges_of_user(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], username: str
) -> dict[str, Any]:
    ensure_badges(settings)
    u = find_user(con, username)
    ubs = con.execute(
        "SELECT * FROM user_badges WHERE user_id = ? ORDER BY granted_at DESC, id DESC", (u["id"],)
    ).fetchall()
    if not ctx.bool_param("grouped"):
        return side_loaded(con, ubs, root="user_badges")
    # grouped=true: one row per badge (its latest grant) with the number of grants as `count`
    counts: dict[int, int] = {}
    latest: dict[int, Row] = {}
    for ub in ubs:
        counts[int(ub["badge_id"])] = counts.get(int(ub["badge_id"]), 0) + 1
        latest.setdefault(int(ub["badge_id"]), ub)
    out = side_loaded(con, list(latest.values()), root="user_badges")
    for item in out["user_badges"]:
        item["count"] = counts[int(item["badge_id"])]
    return out


def side_loaded(
    con: sqlite3.Connection, ubs: list[Row], *, root: str, private_posts: bool = False
) -> dict[str, Any]:
    """Grants with their side-loads. ``private_posts``: the grantee list of a badge (UserBadgesController
    #index) keeps the post of a grant private when the badge does not show posts."""
    counts = grant_counts(con)
    bids = sorted({int(ub["badge_id"]) for ub in ubs})
    badges = []
    if bids:
        badges = [
            badge_json(b, counts.get(int(b["id"]), 0))
            for b in con.execute(f"SELECT * FROM badges WHERE id IN ({','.join('?' * len(bids))})", bids)
        ]
    granters = users_by_id(con, [ub["granted_by_id"] for ub in ubs] + [ub["user_id"] for ub in ubs])
    posts: dict[int, Row] = {}
    topics: dict[int, Row] = {}
    for ub in ubs:
        if ub["post_id"] is not None and int(ub["post_id"]) not in posts:
            p = con.execute("SELECT * FROM posts WHERE id = ?", (ub["post_id"],)).fetchone()
            if p is not None:
                posts[int(p["id"])] = p
                topics[int(p["topic_id"])] = con.execute(
                    "SELECT * FROM topics WHERE id = ?", (p["topic_id"],)
                ).fetchone()
    # a badge that does not show its posts keeps them private: no post, no topic (user_badges_controller_spec
    # "does not leak private info")
    shown = {
        int(b["id"])
        for b in con.execute("SELECT id FROM badges" + (" WHERE show_posts = 1" if private_posts else ""))
    }
    items = []
    shown_topics: set[int] = set()
    for ub in ubs:
        p = posts.get(int(ub["post_id"])) if ub["post_id"] is not None else None
        if int(ub["badge_id"]) not in shown:
            item = user_badge_json(ub)
            item.pop("post_id", None)
            items.append(item)
            continue
        if p is not None:
            shown_topics.add(int(p["topic_id"]))
        items.append(
            user_badge_json(ub, post=p, topic=topics.get(int(p["topic_id"])) if p is not None else None)
        )
    topics = {k: v for k, v in topics.items() if k in shown_topics}
    gb = [
        {
            **basic_user(u),
            "flair_name": None,
            "admin": bool(u["admin"]),
            "moderator": bool(u["moderator"]),
            "trust_level": u["trust_level"],
        }
        for u in granters.values()
    ]
    out: dict[str, Any] = {
        "badges": badges,
        "badge_types": BADGE_TYPES,
        "granted_bies": gb,
        "users": [basic_user(u) for u in granters.values()],
    }
    if topics:
        out["topics"] = [
            {
                "id": t["id"],
                "title": t["title"],
                "fancy_title": t["title"],
                "slug": t["slug"],
                "posts_count": t["posts_count"],
            }
            for t in topics.values()
        ]
    out[root] = items
    return out


def user_badges_index(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    ensure_badges(settings)
    b = find_badge(con, ctx)
    offset = ctx.int_param("offset", 0, lo=0) or 0
    limit = min(ctx.int_param("limit", 50, lo=1) or 50, 50)
    username = ctx.param("username")
    where, args = "ub.badge_id = ?", [b["id"]]
    grant_count = None
    if username:
        u = find_user(con, username)
        where += " AND ub.user_id = ?"
        args.append(u["id"])
        grant_count = con.execute(
            "SELECT COUNT(*) FROM user_badges WHERE badge_id = ? AND user_id = ?", (b["id"], u["id"])
        ).fetchone()[0]
    ubs = con.execute(
        f"SELECT ub.* FROM user_badges ub JOIN users u ON u.id = ub.user_id WHERE {where} AND "
        "u.deleted_at IS NULL ORDER BY ub.granted_at DESC, ub.id DESC LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    out = side_loaded(con, ubs, root="user_badges", private_posts=True)
    items = out.pop("user_badges")
    info: dict[str, Any] = {"user_badges": items}
    if grant_count is not None:
        info["grant_count"] = grant_count
        info["username"] = username
    out["user_badge_info"] = info
    return out


REASON_RE = re.compile(r"^/t/(?:[^/]+/)?(\d+)(?:/(\d+))?/?$")


def resolve_reason(con: sqlite3.Connection, reason: str, base_url: str) -> int:
    """A post id for a badge reason link to this site, or 400."""
    msg = "The reason must be a link to a topic or post on this site."
    u = urlparse(reason.strip())
    base = urlparse(base_url)
    if (u.scheme or u.netloc) and (u.scheme not in ("http", "https") or u.netloc != base.netloc):
        raise failed(400, msg)
    m = REASON_RE.match(u.path)
    if not m:
        raise failed(400, msg)
    tid, num = int(m.group(1)), int(m.group(2) or 1)
    p = con.execute("SELECT id FROM posts WHERE topic_id = ? AND post_number = ?", (tid, num)).fetchone()
    if p is None:
        raise failed(400, msg)
    return int(p[0])


def grant_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], base_url: str) -> dict[str, Any]:
    ensure_badges(settings)
    if not ctx.staff:
        raise failed(403)
    username = ctx.param("username")
    if not username:
        raise missing_param("username")
    b = find_badge(con, ctx)
    if not b["enabled"]:
        raise not_found()
    u = find_user(con, username)
    reason = ctx.param("reason")
    post_id = resolve_reason(con, reason, base_url) if reason else None
    existing = None
    if not b["multiple_grant"]:
        existing = con.execute(
            "SELECT * FROM user_badges WHERE badge_id = ? AND user_id = ? ORDER BY id LIMIT 1",
            (b["id"], u["id"]),
        ).fetchone()
    elif post_id is not None:
        existing = con.execute(
            "SELECT * FROM user_badges WHERE badge_id = ? AND user_id = ? AND post_id = ?",
            (b["id"], u["id"], post_id),
        ).fetchone()
    if existing is None:
        ubid = core.grant_badge(con, int(b["id"]), int(u["id"]), ctx.uid, post_id)
        existing = con.execute("SELECT * FROM user_badges WHERE id = ?", (ubid,)).fetchone()
    out = side_loaded(con, [existing], root="user_badges")
    item = out.pop("user_badges")[0]
    out["user_badge"] = item
    return out


def revoke_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], ubid: int) -> dict[str, Any]:
    ensure_badges(settings)
    ub = con.execute(
        "SELECT ub.*, b.name FROM user_badges ub JOIN badges b ON b.id = ub.badge_id WHERE ub.id = ?", (ubid,)
    ).fetchone()
    if not ctx.staff:
        raise failed(403)
    if ub is None:
        raise not_found()
    con.execute("DELETE FROM user_badges WHERE id = ?", (ubid,))
    con.execute("UPDATE users SET title = NULL WHERE id = ? AND title = ?", (ub["user_id"], ub["name"]))
    return {"success": "OK"}


def award_csv_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], badge_id: int | None
) -> dict[str, Any]:
    """Admin::BadgesController#mass_award: no file, or no such badge (``fake_id`` too) → 400; disabled → 422.
    Each line is an e-mail address or a username, matched case-insensitively; unmatched lines come back
    once each."""
    ensure_badges(settings)
    ctx.require_admin()
    data = ctx.files.get("file")
    if not data:
        raise missing_param("file")
    b = con.execute("SELECT * FROM badges WHERE id = ?", (badge_id,)).fetchone() if badge_id else None
    if b is None:
        raise invalid_params("badge_id")
    badge_id = int(b["id"])
    if not b["enabled"]:
        raise error(422, "Badge is disabled")
    grant_existing = ctx.bool_param("grant_existing_holders")
    if grant_existing and not b["multiple_grant"]:
        raise error(422, f"Can't grant {b['name']} multiple times.")
    try:
        lines = [r[0].strip() for r in csv.reader(io.StringIO(data.decode("utf-8"))) if r and r[0].strip()]
    except (UnicodeDecodeError, csv.Error):
        raise error(400, "invalid CSV", "invalid_csv") from None
    if len(lines) > 50000:
        raise error(400, "too many CSV entries", "too_many_csv_entries")
    if ctx.bool_param("replace_badge_owners"):
        con.execute("DELETE FROM user_badges WHERE badge_id = ?", (badge_id,))
    unmatched: list[str] = []
    matched: set[int] = set()
    for entry in lines:
        col = "email" if "@" in entry else "username"
        u = con.execute(f"SELECT id FROM users WHERE {col} = ? AND deleted_at IS NULL", (entry,)).fetchone()
        if u is None:
            if entry not in unmatched:
                unmatched.append(entry)
            continue
        uid = int(u[0])
        has = con.execute(
            "SELECT 1 FROM user_badges WHERE badge_id = ? AND user_id = ?", (badge_id, uid)
        ).fetchone()
        if has is None or (grant_existing and b["multiple_grant"]):
            core.grant_badge(con, badge_id, uid, ctx.uid)
        matched.add(uid)
    return {
        "unmatched_entries": unmatched,
        "matched_users_count": len(matched),
        "unmatched_entries_count": len(unmatched),
    }


# ---------------------------------------------------------------- groups


def find_group(con: sqlite3.Connection, key: str, *, by_id: bool) -> Row:
    if by_id:
        try:
            g = con.execute("SELECT * FROM groups WHERE id = ?", (int(key),)).fetchone()
        except ValueError:
            raise not_found() from None
    else:
        g = con.execute("SELECT * FROM groups WHERE name = ?", (key,)).fetchone()
    if g is None:
        raise not_found()
    return g  # type: ignore[no-any-return]


def can_manage_group(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], g: Row) -> bool:
    if ctx.user is None or g["automatic"]:
        return False
    if ctx.admin:
        return True
    if g["name"].lower() == "admins":
        return False
    if ctx.moderator and settings.get("moderators_manage_groups"):
        return True
    owner = con.execute(
        "SELECT owner FROM group_users WHERE group_id = ? AND user_id = ?", (g["id"], ctx.uid)
    ).fetchone()
    return bool(owner and owner[0])


def can_admin_group(ctx: Ctx, settings: dict[str, Any], g: Row) -> bool:
    """GroupGuardian#can_admin_group? (the ``can_admin_group`` field): admins; moderators when
    ``moderators_manage_groups`` is on, for any group they can see but ``admins``. Who may change
    members is :func:`can_manage_group` (can_edit_group?: owners too, never automatic groups)."""
    if ctx.admin:
        return True
    return bool(ctx.moderator and settings.get("moderators_manage_groups") and g["name"].lower() != "admins")


def visible_group(con: sqlite3.Connection, ctx: Ctx, name: str) -> Row:
    """GroupsController#find_group: a group the caller may not see is not found."""
    g = find_group(con, name, by_id=False)
    if not can_see_group(con, ctx, g):
        raise not_found()
    return g


def group_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], name: str) -> dict[str, Any]:
    g = visible_group(con, ctx, name)
    count = con.execute("SELECT COUNT(*) FROM group_users WHERE group_id = ?", (g["id"],)).fetchone()[0]
    d = group_basic(g, count)
    mine = con.execute(
        "SELECT owner FROM group_users WHERE group_id = ? AND user_id = ?", (g["id"], ctx.uid)
    ).fetchone()
    can = can_manage_group(con, ctx, settings, g)
    d.update(
        {
            "can_admin_group": can_admin_group(ctx, settings, g),
            "can_edit_group": can,
            "can_see_members": can_see_group_members(con, ctx, g),
            "is_group_user": mine is not None,
            "is_group_owner_display": bool(mine and mine[0]),
            "mentionable": False,
            "messageable": False,
            "automatic_membership_email_domains": None,
            "smtp_server": None,
            "smtp_port": None,
            "smtp_ssl_mode": None,
            "email_username": None,
            "email_password": None,
            "message_count": 0,
            "allow_unknown_sender_topic_replies": False,
            "watching_category_ids": [],
            "tracking_category_ids": [],
            "watching_first_post_category_ids": [],
            "regular_category_ids": [],
            "muted_category_ids": [],
        }
    )
    visible = [
        r["name"] for r in con.execute("SELECT * FROM groups ORDER BY name") if can_see_group(con, ctx, r)
    ]
    return {"group": d, "extras": {"visible_group_names": visible}}


def members_route(con: sqlite3.Connection, ctx: Ctx, name: str) -> dict[str, Any]:
    """GroupsController#members: ``limit`` (≤ 1000) / ``offset``; ``order`` one of the allowed columns (others
    are ignored), newest first unless ``asc``, members without a value last; ``filter`` matches usernames
    and names, and e-mail addresses (comma-separated list allowed) only for staff."""
    g = visible_group(con, ctx, name)
    if not can_see_group_members(con, ctx, g):
        raise invalid_access()
    limit = ctx.int_param("limit", 50, lo=1, hi=1000) or 50
    offset = ctx.int_param("offset", 0, lo=0) or 0
    total = con.execute("SELECT COUNT(*) FROM group_users WHERE group_id = ?", (g["id"],)).fetchone()[0]

    def member(r: Row) -> dict[str, Any]:
        return {
            **basic_user(r),
            "title": r["title"],
            "last_posted_at": r["last_posted_at"],
            "last_seen_at": r["last_seen_at"],
            "added_at": r["added_at"],
            "timezone": "UTC",
        }

    sel = (
        "SELECT u.*, gu.created_at AS added_at FROM group_users gu JOIN users u ON u.id = gu.user_id "
        "WHERE gu.group_id = ?"
    )
    where, args = "", [g["id"]]
    filt = (ctx.param("filter") or "").strip()
    if filt:
        terms = [t.strip().lower() for t in filt.split(",") if t.strip()]
        ors = []
        for t in terms:
            ors.append("lower(u.username) LIKE ? OR lower(COALESCE(u.name, '')) LIKE ?")
            args += [f"%{t}%", f"%{t}%"]
            if ctx.staff:
                ors.append("lower(u.email) LIKE ?")
                args.append(f"%{t}%")
        where = f" AND ({' OR '.join(ors)})"
    order_col = {
        "last_seen_at": "u.last_seen_at",
        "last_posted_at": "u.last_posted_at",
        "added_at": "gu.created_at",
    }
    col = order_col.get(ctx.param("order") or "")
    if col:
        direction = "ASC" if ctx.param("asc") else "DESC"
        order = f" ORDER BY ({col} IS NULL), {col} {direction}, u.username"
    else:
        order = " ORDER BY u.username"
    members = con.execute(sel + where + order + " LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
    owners = con.execute(sel + " AND gu.owner = 1 ORDER BY u.username", (g["id"],)).fetchall()
    return {
        "members": [member(r) for r in members],
        "owners": [member(r) for r in owners],
        "meta": {"total": total, "limit": limit, "offset": offset},
    }


ADD_MEMBERS_LIMIT = 1000


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def users_from_params(con: sqlite3.Connection, ctx: Ctx) -> list[Row]:
    """GroupsController#users_from_params: the first form present of ``usernames``, ``user_id``,
    ``user_ids``, ``username``, ``user_email``, ``user_emails`` (comma-separated lists, case-insensitive
    names and addresses). Unknown entries are dropped; none known at all is a 400 naming the parameter."""
    live = "deleted_at IS NULL"

    def lookup(param: str, column: str, values: list[str]) -> list[Row]:
        if not values:
            return []
        if column == "id":
            try:
                keys: list[Any] = [int(v) for v in values]
            except ValueError:
                raise invalid_params(param) from None
        else:
            keys = [v.lower() for v in values]
        col = "id" if column == "id" else f"lower({column})"
        rows = con.execute(
            f"SELECT * FROM users WHERE {live} AND {col} IN ({','.join('?' * len(keys))}) ORDER BY id", keys
        ).fetchall()
        if not rows:
            raise invalid_params(param)
        return rows

    for param, column in (
        ("usernames", "username"),
        ("user_id", "id"),
        ("user_ids", "id"),
        ("username", "username"),
        ("user_email", "email"),
        ("user_emails", "email"),
    ):
        values = _split(",".join(ctx.plist(param)))
        if values:
            return lookup(param, column, values)
    return []


def _member_ids(con: sqlite3.Connection, gid: int) -> set[int]:
    return {int(r[0]) for r in con.execute("SELECT user_id FROM group_users WHERE group_id = ?", (gid,))}


def add_members_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], gid: int
) -> dict[str, Any]:
    """GroupsController#add_members (users by any form of :func:`users_from_params`; ``emails`` adds known
    addresses and would invite the rest — the demo invites nobody: unknown addresses are listed back)."""
    ctx.require_login()
    g = find_group(con, str(gid), by_id=True)
    if not can_manage_group(con, ctx, settings, g):
        raise invalid_access()
    users = users_from_params(con, ctx)
    emails: list[str] = []
    for addr in _split(ctx.param("emails")):
        known = con.execute(
            "SELECT * FROM users WHERE deleted_at IS NULL AND lower(email) = ?", (addr.lower(),)
        ).fetchone()
        if known is not None:
            users.append(known)
        else:
            emails.append(addr)
    if not users and not emails:
        raise error(
            400,
            "You supplied invalid parameters to the request: Usernames or emails are required.",
            "invalid_parameters",
        )
    if len(users) > ADD_MEMBERS_LIMIT:
        raise error(422, f"You cannot add more than {ADD_MEMBERS_LIMIT} users at once.")
    inside = _member_ids(con, gid)
    already = sorted(u["username"] for u in users if int(u["id"]) in inside)
    if already and len(already) == len({int(u["id"]) for u in users}) and not emails:
        text = (
            f"'{already[0]}' is already a member of this group."
            if len(already) == 1
            else f"The following users are already members of this group: {', '.join(already)}"
        )
        raise core.HttpError(422, {"errors": [text], "error_type": "member_already_exist"})
    added: list[str] = []
    for u in users:
        if int(u["id"]) in inside:
            continue
        inside.add(int(u["id"]))
        con.execute(
            "INSERT INTO group_users(group_id, user_id, owner, created_at) VALUES (?,?,0,?)",
            (gid, u["id"], now_iso()),
        )
        if g["grant_trust_level"] is not None and u["trust_level"] < g["grant_trust_level"]:
            con.execute("UPDATE users SET trust_level = ? WHERE id = ?", (g["grant_trust_level"], u["id"]))
        added.append(u["username"])
    return {"success": "OK", "usernames": added, "emails": emails}


def remove_members_route(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], gid: int
) -> dict[str, Any]:
    """GroupsController#remove_member: the same user forms as adding (``username``/``user_email`` kept for old
    clients); known users who are not members come back in ``skipped_usernames``."""
    ctx.require_login()
    g = find_group(con, str(gid), by_id=True)
    if not can_manage_group(con, ctx, settings, g):
        raise invalid_access()
    users = users_from_params(con, ctx)
    if not users:
        raise invalid_params("usernames")
    removed: list[str] = []
    skipped: list[str] = []
    for u in users:
        cur = con.execute("DELETE FROM group_users WHERE group_id = ? AND user_id = ?", (gid, u["id"]))
        (removed if cur.rowcount else skipped).append(u["username"])
    return {"success": "OK", "usernames": removed, "skipped_usernames": skipped}


# ---------------------------------------------------------------- solved


def solution_target(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> tuple[Row, Row]:
    if not settings.get("solved_enabled", True):
        raise not_found()
    ctx.require_login()
    pid = ctx.int_param("id", None)
    if pid is None:
        raise missing_param("id")
    p = con.execute("SELECT * FROM posts WHERE id = ? AND deleted_at IS NULL", (pid,)).fetchone()
    if p is None:
        raise not_found()
    t = load_topic(con, ctx, settings, int(p["topic_id"]))
    cat = con.execute(
        "SELECT enable_accepted_answers FROM categories WHERE id = ?", (t["category_id"],)
    ).fetchone()
    if p["post_number"] == 1 or p["post_type"] != 1 or not can_accept(ctx, settings, t, bool(cat[0])):
        raise invalid_access()
    return p, t


def accept_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    p, t = solution_target(con, ctx, settings)
    core_flavour = settings.get("solved_flavour", "core") == "core"
    cur = con.execute("SELECT post_id FROM solutions WHERE topic_id = ?", (t["id"],)).fetchone()
    if cur is None or cur[0] != p["id"]:
        # Accepting the post that already is the answer changes nothing and answers 200 like a first
        # accept (plugins/discourse-solved answer_controller_spec: the same post accepted twice → 200, 200).
        core.accept_solution(con, int(p["id"]), ctx.uid)
    if core_flavour:
        return accepted_answer_json(con, settings, int(t["id"])) or {}
    return {"success": "OK"}


def unaccept_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    p, _t = solution_target(con, ctx, settings)
    cur = con.execute("DELETE FROM solutions WHERE post_id = ?", (p["id"],))
    if cur.rowcount == 0 and settings.get("solved_flavour", "core") == "core":
        raise core.failed(422)
    return {"success": "OK"}


def by_user_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    username = ctx.param("username")
    if not username:
        raise missing_param("username")
    u = find_user(con, username)
    offset = ctx.int_param("offset", 0, lo=0) or 0
    limit = ctx.int_param("limit", 30, lo=1, hi=100) or 30
    restricted = "" if ctx.staff else "AND c.read_restricted = 0"
    if not (ctx.staff or ctx.uid == u["id"] or (ctx.user and ctx.user["trust_level"] >= 4)):
        restricted += " AND t.visible = 1"  # unlisted topics: their owner, TL4 and staff only
    rows = con.execute(
        "SELECT p.*, t.title, t.slug, t.category_id, t.closed, t.archived FROM solutions s "
        "JOIN posts p ON p.id = s.post_id JOIN topics t ON t.id = s.topic_id JOIN categories c ON c.id = "
        "t.category_id "
        "WHERE p.user_id = ? AND t.deleted_at IS NULL AND p.deleted_at IS NULL AND p.post_type = 1 "
        f"AND t.archetype = 'regular' {restricted} ORDER BY s.accepted_at DESC LIMIT ? "
        "OFFSET ?",
        (u["id"], limit, offset),
    ).fetchall()
    return {
        "user_solved_posts": [
            {
                "post_id": r["id"],
                "topic_id": r["topic_id"],
                "topic_title": r["title"],
                "topic_slug": r["slug"],
                "post_number": r["post_number"],
                "created_at": r["created_at"],
                "excerpt": core.excerpt(r["cooked"], 300),
                "url": f"/t/{r['slug']}/{r['topic_id']}/{r['post_number']}",
                "username": u["username"],
                "name": u["name"],
                "avatar_template": core.avatar_template(u["username"]),
                "user_id": u["id"],
                "category_id": r["category_id"],
                "closed": bool(r["closed"]),
                "archived": bool(r["archived"]),
                "cooked": r["cooked"],
                "raw": r["raw"],
            }
            for r in rows
        ]
    }


# ---------------------------------------------------------------- reports

REPORT_TITLES = {
    "signups": "Signups",
    "topics": "Topics",
    "posts": "Posts",
    "likes": "Likes",
    "visits": "User Visits",
    "dau_by_mau": "DAU/MAU",
    "daily_engaged_users": "Daily Engaged Users",
    "time_to_first_response": "Time to first response",
    "topics_with_no_response": "Topics with no response",
    "accepted_solutions": "Accepted solutions",
}


def _daily(
    con: sqlite3.Connection, kind: str, start: date, end: date, category: int | None
) -> dict[str, float]:
    s, e = start.isoformat(), (end + timedelta(days=1)).isoformat()
    cat = ""
    args: list[Any] = [s, e]
    if category is not None:
        cat = "AND t.category_id = ?"
        args.append(category)
    pub = "JOIN categories c ON c.id = t.category_id AND c.read_restricted = 0"
    q: str
    if kind == "signups":
        q = (
            "SELECT substr(created_at,1,10), COUNT(*) FROM users WHERE created_at >= ? AND created_at < ? "
            "AND staged = 0 GROUP BY 1"
        )
        args = [s, e]
    elif kind == "topics":
        q = (
            f"SELECT substr(t.created_at,1,10), COUNT(*) FROM topics t {pub} WHERE t.created_at >= ? "
            f"AND t.created_at < ? AND t.deleted_at IS NULL {cat} GROUP BY 1"
        )
    elif kind == "posts":
        q = (
            f"SELECT substr(p.created_at,1,10), COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id "
            f"{pub} "
            f"WHERE p.created_at >= ? AND p.created_at < ? AND p.deleted_at IS NULL AND p.post_type = 1 "
            f"AND t.deleted_at IS NULL {cat} GROUP BY 1"
        )
    elif kind == "likes":
        q = (
            f"SELECT substr(l.created_at,1,10), COUNT(*) FROM likes l JOIN posts p ON p.id = l.post_id "
            f"JOIN topics t ON t.id = p.topic_id WHERE l.created_at >= ? AND l.created_at < ? {cat} GROUP "
            "BY 1"
        )
    elif kind == "visits":
        q = "SELECT visited_at, COUNT(*) FROM user_visits WHERE visited_at >= ? AND visited_at < ? GROUP BY 1"
        args = [s, e]
    elif kind == "daily_engaged_users":
        q = (
            "SELECT d, COUNT(DISTINCT u) FROM (SELECT substr(created_at,1,10) d, user_id u FROM posts "
            "WHERE created_at >= ? AND created_at < ? AND deleted_at IS NULL UNION ALL "
            "SELECT substr(created_at,1,10), user_id FROM likes WHERE created_at >= ? AND created_at < "
            "?) GROUP BY d"
        )
        args = [s, e, s, e]
    elif kind == "accepted_solutions":
        q = (
            f"SELECT substr(s.accepted_at,1,10), COUNT(*) FROM solutions s JOIN topics t ON t.id = "
            "s.topic_id "
            f"WHERE s.accepted_at >= ? AND s.accepted_at < ? {cat} GROUP BY 1"
        )
    elif kind == "topics_with_no_response":
        q = (
            f"SELECT substr(t.created_at,1,10), COUNT(*) FROM topics t {pub} WHERE t.created_at >= ? "
            f"AND t.created_at < ? AND t.deleted_at IS NULL {cat} AND NOT EXISTS (SELECT 1 FROM posts p "
            "WHERE p.topic_id = t.id AND p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL "
            "AND p.user_id IS NOT t.user_id) GROUP BY 1"
        )
    elif kind == "time_to_first_response":
        q = (
            f"SELECT substr(t.created_at,1,10), AVG((julianday(f.first) - julianday(t.created_at)) * 24) "
            f"FROM topics t {pub} JOIN (SELECT p.topic_id, MIN(p.created_at) AS first FROM posts p JOIN "
            "topics t2 "
            "ON t2.id = p.topic_id WHERE p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL "
            "AND p.user_id IS NOT t2.user_id GROUP BY p.topic_id) f ON f.topic_id = t.id "
            f"WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted_at IS NULL {cat} GROUP BY 1"
        )
    elif kind == "dau_by_mau":
        out: dict[str, float] = {}
        d = start
        while d <= end:
            dau = con.execute(
                "SELECT COUNT(*) FROM user_visits WHERE visited_at = ?", (d.isoformat(),)
            ).fetchone()[0]
            mau = con.execute(
                "SELECT COUNT(DISTINCT user_id) FROM user_visits WHERE visited_at > ? AND visited_at <= ?",
                ((d - timedelta(days=30)).isoformat(), d.isoformat()),
            ).fetchone()[0]
            if mau:
                out[d.isoformat()] = round(dau * 100.0 / mau, 2)
            d += timedelta(days=1)
        return out
    else:
        raise not_found()
    return {r[0]: float(r[1]) for r in con.execute(q, args)}


def parse_day(value: str | None, default: date, name: str) -> date:
    if value is None or value == "":
        return default
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise invalid_params(name) from None


def report_route(con: sqlite3.Connection, ctx: Ctx, rtype: str) -> dict[str, Any]:
    ctx.require_staff()
    if rtype not in REPORT_TITLES:
        raise not_found()
    today = now_dt().date()
    start = parse_day(ctx.param("start_date"), today - timedelta(days=1), "start_date")
    end = parse_day(ctx.param("end_date"), start + timedelta(days=30), "end_date")
    if end < start:
        raise invalid_params("end_date")
    ctx.int_param("limit", None, lo=1, hi=50)  # REPORTS_LIMIT: negative, non-numeric or above → 400
    cat = ctx.int_param("filters[category]", None)
    if cat is None:
        cat = ctx.int_param("category_id", None)  # the older, still accepted form
    span = (end - start).days + 1
    pstart, pend = start - timedelta(days=span), start - timedelta(days=1)
    cur = _daily(con, rtype, start, end, cat)
    prev = _daily(con, rtype, pstart, pend, cat)

    def series(vals: dict[str, float], a: date, b: date) -> list[dict[str, Any]]:
        out = []
        d = a
        while d <= b:
            k = d.isoformat()
            if k in vals or rtype not in ("time_to_first_response", "dau_by_mau"):
                v = vals.get(k, 0.0)
                out.append(
                    {
                        "x": k,
                        "y": int(v)
                        if float(v).is_integer() and rtype not in ("time_to_first_response", "dau_by_mau")
                        else round(v, 2),
                    }
                )
            d += timedelta(days=1)
        return out

    data = series(cur, start, end)
    prev_data = series(prev, pstart, pend)
    average = rtype in ("daily_engaged_users", "dau_by_mau", "time_to_first_response")
    total = sum(float(p["y"]) for p in data)
    prev_total = sum(float(p["y"]) for p in prev_data)
    if average:
        total = round(total / len(data), 2) if data else 0
        prev_total = round(prev_total / len(prev_data), 2) if prev_data else 0
    report = {
        "type": rtype,
        "title": REPORT_TITLES[rtype],
        "xaxis": "Day",
        "yaxis": REPORT_TITLES[rtype],
        "description": None,
        "description_link": None,
        "data": data,
        "start_date": start.isoformat() + "T00:00:00Z",
        "end_date": end.isoformat() + "T23:59:59Z",
        "prev_data": prev_data,
        "prev_start_date": pstart.isoformat() + "T00:00:00Z",
        "prev_end_date": pend.isoformat() + "T23:59:59Z",
        "prev30Days": int(prev_total) if not average else prev_total,
        "dates_filtering": True,
        "report_key": f"reports:{rtype}:{start}:{end}",
        "primary_color": "rgba(0,136,204,1)",
        "secondary_color": "rgba(0,136,204,0.1)",
        "available_filters": [],
        "labels": [
            {"type": "date", "property": "x", "title": "Day"},
            {"type": "number", "property": "y", "title": "Count"},
        ],
        "average": average,
        "percent": rtype == "dau_by_mau",
        "higher_is_better": rtype not in ("time_to_first_response", "topics_with_no_response"),
        "modes": ["table", "chart"],
        "total": total if not average else None,
        "prev_period": prev_total,
    }
    return {"report": report}
