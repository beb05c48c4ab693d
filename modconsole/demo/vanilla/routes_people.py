"""Users, profile fields, roles, categories, badges, groups and tokens (``shared/vanilla/CONTRACT.md``
§2, §5, §6). Badges and groups are closed cloud addons: their shapes follow the published spec as the
contract reads it, and what the contract leaves open is a demo setting (``duplicate_grant``)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from modconsole.demo.core import now_iso
from modconsole.demo.vanilla import shapes
from modconsole.demo.vanilla.api import (
    FieldError,
    VCtx,
    api_error,
    not_found,
    page_links,
    paging,
    parse_date_filter,
    parse_range,
    route,
    sort_spec,
    validation,
    vtime,
)
from modconsole.demo.vanilla.routes_posts import users_by_id

if TYPE_CHECKING:
    from modconsole.demo.vanilla.server import VanillaDemoServer

Answer = tuple[int, Any]

USER_SELECT = "SELECT u.* FROM users u WHERE u.deleted_at IS NULL"
ROLE_SQL = {
    16: "u.admin = 1",
    32: "u.moderator = 1 AND u.admin = 0",
    8: "u.admin = 0 AND u.moderator = 0",
}


def _counts(con: sqlite3.Connection, ids: list[int]) -> dict[int, dict[str, int]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out: dict[int, dict[str, int]] = {i: {"visits": 0, "points": 0} for i in ids}
    for r in con.execute(
        f"SELECT user_id, COUNT(*) n FROM user_visits WHERE user_id IN ({marks}) GROUP BY user_id", ids
    ):
        out[int(r["user_id"])]["visits"] = int(r["n"])
    for r in con.execute(
        f"SELECT ub.user_id, SUM(CASE b.badge_type_id WHEN 1 THEN 100 WHEN 2 THEN 50 ELSE 25 END) n "
        f"FROM (SELECT DISTINCT user_id, badge_id FROM user_badges WHERE user_id IN ({marks})) ub "
        f"JOIN badges b ON b.id = ub.badge_id GROUP BY ub.user_id",
        ids,
    ):
        out[int(r["user_id"])]["points"] = int(r["n"] or 0)
    return out


def render_users(con: sqlite3.Connection, ctx: VCtx, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    expand = ctx.expand()
    counts = _counts(con, [int(r["id"]) for r in rows])
    return [shapes.user(ctx, r, expand=expand, counts=counts.get(int(r["id"]))) for r in rows]


def user_row(con: sqlite3.Connection, uid: int) -> sqlite3.Row:
    row: sqlite3.Row | None = con.execute(f"{USER_SELECT} AND u.id = ?", (uid,)).fetchone()
    if row is None:
        raise not_found("User")
    return row


@route("GET", "/users")
def list_users(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    ctx.require("Garden.Profiles.View")
    page, limit = paging(ctx, default=30, maximum=5000)
    exclusive = [n for n in ("dateInserted", "dateUpdated", "roleID") if ctx.q(n)]
    if len(exclusive) > 1:
        raise validation(
            *(
                FieldError(n, "onlyOneAllowed", "Only one of dateInserted, dateUpdated, roleID are allowed.")
                for n in exclusive
            )
        )
    where: list[str] = []
    args: list[Any] = []
    rng = None
    if ctx.q("userID"):
        rng = parse_range("userID", ctx.q("userID") or "", "u.id")
        where.append(rng.sql)
        args.extend(rng.args)
    role_ids = [int(x) for x in ctx.csv("roleID") + ctx.csv("roleIDs") if x.isdigit()]
    if role_ids:
        where.append("(" + " OR ".join(ROLE_SQL.get(r, "0") for r in role_ids) + ")")
    for name, col in (
        ("dateInserted", "u.created_at"),
        ("dateUpdated", "NULL"),
        ("dateLastActive", "u.last_seen_at"),
    ):
        if ctx.q(name):
            sql, a = parse_date_filter(name, ctx.q(name) or "", col)
            where.append(sql)
            args.extend(a)
    if ctx.q("name"):  # the username, exactly (case-insensitive); a trailing * matches a prefix
        name = ctx.q("name") or ""
        if name.endswith("*"):
            where.append("u.username LIKE ? ESCAPE '\\'")
            args.append(name[:-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        else:
            where.append("u.username = ? COLLATE NOCASE")
            args.append(name)
    banned = ctx.bool_q("isBanned")
    if banned is not None:
        where.append("u.suspended_till IS NOT NULL" if banned else "u.suspended_till IS NULL")
    sort, order, desc = sort_spec(
        ctx,
        {
            "dateInserted": "u.created_at|u.id",
            "dateLastActive": "u.last_seen_at|u.id",
            "name": "u.username",
            "userID": "u.id",
        },
        "userID",
    )
    cond = "".join(f" AND {w}" for w in where)
    total = int(con.execute(f"SELECT COUNT(*) FROM ({USER_SELECT}{cond})", args).fetchone()[0])
    rows = con.execute(
        f"{USER_SELECT}{cond} ORDER BY {order} LIMIT ? OFFSET ?", (*args, limit, (page - 1) * limit)
    ).fetchall()
    full = len(rows) == limit
    if (sort or "").lstrip("-") == "userID" and full:
        last = int(rows[-1]["id"])
        lo = rng.lo if rng else None
        hi = rng.hi if rng else None
        nxt = f"{lo or 0}..{last - 1}" if desc else f"{last + 1}..{'' if hi is None else hi}"
        page_links(ctx, page=page, limit=limit, full=True, total=None, cursor=("userID", nxt))
    else:
        page_links(ctx, page=page, limit=limit, full=full, total=total)
    return 200, render_users(con, ctx, rows)


@route("GET", "/users/me")
def me(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    if ctx.user is None:
        frag: dict[str, Any] = {
            "userID": 0,
            "name": "Guest",
            "photoUrl": shapes.photo(ctx, "guest"),
            "dateLastActive": None,
        }
    else:
        frag = {**shapes.user_fragment(ctx, user_row(con, ctx.uid)), "email": ctx.user["email"]}
    return 200, {
        **frag,
        "isAdmin": ctx.role == "admin",
        "isSysAdmin": False,
        "permissions": list(ctx.permissions),
        "countUnreadNotifications": 0,
        "countUnreadConversations": 0,
    }


@route("GET", "/users/{id}")
def get_user(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    ctx.require("Garden.Profiles.View")
    return 200, render_users(con, ctx, [user_row(con, int(id))])[0]


@route("GET", "/profile-fields")
def profile_fields(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    def field(api: str, label: str, desc: str) -> dict[str, Any]:
        return {
            "apiName": api,
            "label": label,
            "description": desc,
            "dataType": "text",
            "formType": "text",
            "visibility": "public",
            "mutability": "all",
            "displayOptions": {"userCards": True, "posts": False, "search": True},
            "dropdownOptions": None,
            "registrationOptions": "optional",
            "enabled": True,
        }

    return 200, [
        field("Company", "Company", "The company you work for."),
        field("Title", "Title", "Your job title."),
    ]


@route("GET", "/roles")
def roles(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    return 200, [
        {
            "roleID": rid,
            "name": name,
            "description": f"The {name} role.",
            "type": name.lower(),
            "deletable": rid > 16,
            "canSession": rid != 2,
            "personalInfo": rid in (16, 32),
        }
        for rid, name in sorted(shapes.ROLE_NAMES.items())
    ]


# ---------------------------------------------------------------- categories


def _category_counts(con: sqlite3.Connection) -> dict[int, dict[str, int]]:
    return {
        int(r["category_id"]): {"discussions": int(r["d"]), "comments": int(r["c"] or 0)}
        for r in con.execute(
            "SELECT category_id, COUNT(*) d, SUM(reply_count) c FROM topics WHERE deleted_at IS NULL "
            "GROUP BY category_id"
        )
    }


@route("GET", "/categories")
def list_categories(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    page, limit = paging(ctx, default=100, maximum=100, max_page=100)
    fmt = ctx.q("outputFormat") or "flat"
    if fmt not in ("flat", "tree"):
        raise validation(FieldError("outputFormat", "invalid", "outputFormat must be one of: tree, flat."))
    counts = _category_counts(con)
    rows = con.execute(
        "SELECT * FROM categories ORDER BY position, id LIMIT ? OFFSET ?", (limit, (page - 1) * limit)
    ).fetchall()
    total = int(con.execute("SELECT COUNT(*) FROM categories").fetchone()[0])
    page_links(ctx, page=page, limit=limit, full=len(rows) == limit, total=total)
    return 200, [
        {**shapes.category(ctx, r, counts.get(int(r["id"]), {})), "countFollowers": 0, "children": []}
        for r in rows
        if ctx.staff or not r["read_restricted"]
    ]


@route("GET", "/categories/{id}")
def get_category(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    row: sqlite3.Row | None = con.execute("SELECT * FROM categories WHERE id = ?", (int(id),)).fetchone()
    if row is None or (row["read_restricted"] and not ctx.staff):
        raise not_found("Category")
    return 200, {**shapes.category(ctx, row, _category_counts(con).get(int(id), {})), "countFollowers": 0}


# ---------------------------------------------------------------- badges (§5)

HOLDERS = (
    "SELECT badge_id, user_id, MIN(granted_at) AS granted_at, MIN(granted_by_id) AS granted_by_id, "
    "MAX(reason) AS reason FROM user_badges GROUP BY badge_id, user_id"
)


def badge_row(con: sqlite3.Connection, ctx: VCtx, bid: int) -> sqlite3.Row:
    row: sqlite3.Row | None = con.execute("SELECT * FROM badges WHERE id = ?", (bid,)).fetchone()
    if row is None or (not row["enabled"] and not ctx.staff):
        raise not_found("Badge")
    return row


@route("GET", "/badges")
def list_badges(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    page, limit = paging(ctx, default=30, maximum=100)
    cond = "" if ctx.staff else " WHERE enabled = 1"
    total = int(con.execute(f"SELECT COUNT(*) FROM badges{cond}").fetchone()[0])
    rows = con.execute(
        f"SELECT * FROM badges{cond} ORDER BY id LIMIT ? OFFSET ?", (limit, (page - 1) * limit)
    ).fetchall()
    holders = {
        int(r[0]): int(r[1])
        for r in con.execute(f"SELECT badge_id, COUNT(*) FROM ({HOLDERS}) GROUP BY badge_id")
    }
    page_links(ctx, page=page, limit=limit, full=len(rows) == limit, total=total)
    return 200, [shapes.badge(ctx, r, holders.get(int(r["id"]), 0)) for r in rows]


@route("GET", "/badges/{id}")
def get_badge(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    row = badge_row(con, ctx, int(id))
    n = con.execute(f"SELECT COUNT(*) FROM ({HOLDERS}) WHERE badge_id = ?", (int(id),)).fetchone()[0]
    return 200, shapes.badge(ctx, row, int(n))


def render_user_badges(con: sqlite3.Connection, ctx: VCtx, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    expand = ctx.expand()
    users = users_by_id(
        con, {int(r["user_id"]) for r in rows} | {int(r["granted_by_id"] or 0) for r in rows} | {1}
    )
    badges = {int(r["id"]): r for r in con.execute("SELECT * FROM badges")}
    return [shapes.user_badge(ctx, r, expand=expand, users=users, badges=badges) for r in rows]


def holder(con: sqlite3.Connection, bid: int, uid: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = con.execute(
        f"SELECT * FROM ({HOLDERS}) WHERE badge_id = ? AND user_id = ?", (bid, uid)
    ).fetchone()
    return row


@route("GET", "/badges/users")
def badge_holders(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    page, limit = paging(ctx, default=30, maximum=100)
    where, args = [], []
    for name, col in (("badgeID", "badge_id"), ("userID", "user_id")):
        v = ctx.int_q(name)
        if v is not None:
            where.append(f"{col} = ?")
            args.append(v)
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    rows = con.execute(
        f"SELECT * FROM ({HOLDERS}){cond} ORDER BY granted_at DESC, user_id DESC, badge_id LIMIT ? OFFSET ?",
        (*args, limit, (page - 1) * limit),
    ).fetchall()
    page_links(ctx, page=page, limit=limit, full=len(rows) == limit, total=None)
    return 200, render_user_badges(con, ctx, rows)


@route("GET", "/users/{id}/badges")
def users_badges(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    user_row(con, int(id))
    page, limit = paging(ctx, default=30, maximum=100, max_page=100)
    rows = con.execute(
        f"SELECT h.*, b.name, b.enabled FROM ({HOLDERS}) h JOIN badges b ON b.id = h.badge_id "
        "WHERE h.user_id = ? "
        "ORDER BY h.granted_at DESC, h.badge_id LIMIT ? OFFSET ?",
        (int(id), limit, (page - 1) * limit),
    ).fetchall()
    page_links(ctx, page=page, limit=limit, full=len(rows) == limit, total=None)
    out = []
    for r in rows:
        b = badge_row(con, ctx, int(r["badge_id"])) if (r["enabled"] or ctx.staff) else None
        if b is None:
            continue
        sb = shapes.badge(ctx, b)
        out.append(
            {
                "badgeID": sb["badgeID"],
                "name": sb["name"],
                "photoUrl": sb["photoUrl"],
                "url": sb["url"],
                "dateInserted": vtime(r["granted_at"]),
            }
        )
    return 200, out


def _grant(
    s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, bid: int, uid: int, reason: str
) -> tuple[bool, sqlite3.Row]:
    """(granted now?, the holder row). Held already: nothing is written."""
    have = holder(con, bid, uid)
    if have is not None:
        return False, have
    con.execute(
        "INSERT INTO user_badges(badge_id, user_id, granted_at, granted_by_id, reason) VALUES (?,?,?,?,?)",
        (bid, uid, now_iso(), ctx.uid, reason or None),
    )
    row = holder(con, bid, uid)
    assert row is not None
    return True, row


def _reason(ctx: VCtx) -> str:
    reason = ctx.body_field("reasonBody")
    if reason is not None and not isinstance(reason, str):
        raise validation(FieldError("reasonBody", "invalid", "reasonBody is not a valid string."))
    return reason or ""


@route("POST", "/badges/{id}/users")
def grant(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    ctx.require("Badges.Give")
    uid = ctx.body_field("userID")
    if not isinstance(uid, int) or isinstance(uid, bool):
        raise validation(
            FieldError("userID", "missingField" if uid is None else "invalid", "userID is required.")
        )
    reason = _reason(ctx)
    bid = int(id)
    badge_row(con, ctx, bid)
    user_row(con, uid)
    granted, row = _grant(s, con, ctx, bid, uid, reason)
    if not granted and s.settings.get("duplicate_grant") == "conflict":
        raise api_error(409, "The user already has this badge.")
    return 201, render_user_badges(con, ctx, [row])[0]


@route("POST", "/badges/{id}/bulk-users")
def bulk_grant(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    ctx.require("Badges.Give")
    ids = ctx.body_field("userID")
    if (
        not isinstance(ids, list)
        or not ids
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
    ):
        raise validation(FieldError("userID", "invalid", "userID must be a list of integers."))
    reason = _reason(ctx)
    bid = int(id)
    badge_row(con, ctx, bid)
    out = []
    for uid in ids:
        if con.execute(f"{USER_SELECT} AND u.id = ?", (uid,)).fetchone() is None:
            out.append({"userID": uid, "updated": False, "message": "User not found."})
            continue
        granted, _ = _grant(s, con, ctx, bid, uid, reason)
        out.append(
            {
                "userID": uid,
                "updated": granted,
                "message": None if granted else "The user already has this badge.",
            }
        )
    return 201, out


@route("DELETE", "/badges/{id}/users/{userID}")
def revoke(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str, userID: str) -> Answer:
    ctx.require("Badges.Give")
    badge_row(con, ctx, int(id))
    if holder(con, int(id), int(userID)) is None:
        raise not_found("User badge")
    con.execute("DELETE FROM user_badges WHERE badge_id = ? AND user_id = ?", (int(id), int(userID)))
    return 204, None


# ---------------------------------------------------------------- groups (§6)

GROUPS = "SELECT * FROM groups WHERE automatic = 0"


def group_row(con: sqlite3.Connection, ctx: VCtx, gid: int) -> sqlite3.Row:
    row: sqlite3.Row | None = con.execute(f"{GROUPS} AND id = ?", (gid,)).fetchone()
    if row is None or (row["visibility_level"] > 0 and not ctx.staff):
        raise not_found("Group")
    return row


def _members(con: sqlite3.Connection, gid: int) -> int:
    return int(con.execute("SELECT COUNT(*) FROM group_users WHERE group_id = ?", (gid,)).fetchone()[0])


@route("GET", "/groups")
def list_groups(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    page, limit = paging(ctx, default=30, maximum=100)
    rows = [r for r in con.execute(f"{GROUPS} ORDER BY id LIMIT ? OFFSET ?", (limit, (page - 1) * limit))]
    page_links(ctx, page=page, limit=limit, full=len(rows) == limit, total=None)
    return 200, [
        shapes.group(ctx, r, _members(con, int(r["id"])))
        for r in rows
        if r["visibility_level"] == 0 or ctx.staff
    ]


@route("GET", "/groups/{id}")
def get_group(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    return 200, shapes.group(ctx, group_row(con, ctx, int(id)), _members(con, int(id)))


def member_row(con: sqlite3.Connection, gid: int, uid: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = con.execute(
        "SELECT * FROM group_users WHERE group_id = ? AND user_id = ?", (gid, uid)
    ).fetchone()
    return row


@route("GET", "/groups/{id}/members")
def group_members(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    group_row(con, ctx, int(id))
    page, limit = paging(ctx, default=30, maximum=100)
    rows = con.execute(
        "SELECT * FROM group_users WHERE group_id = ? ORDER BY created_at, user_id LIMIT ? OFFSET ?",
        (int(id), limit, (page - 1) * limit),
    ).fetchall()
    page_links(ctx, page=page, limit=limit, full=len(rows) == limit, total=_members(con, int(id)))
    users = users_by_id(con, {int(r["user_id"]) for r in rows})
    return 200, [shapes.group_member(ctx, r, users) for r in rows]


@route("POST", "/groups/{id}/members")
def add_member(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    ctx.require("Groups.Members.Manage")
    uid = ctx.body_field("userID")
    role = ctx.body_field("role") or "member"
    errors = []
    if not isinstance(uid, int) or isinstance(uid, bool):
        errors.append(
            FieldError("userID", "missingField" if uid is None else "invalid", "userID is required.")
        )
    if role not in ("member", "leader"):
        errors.append(FieldError("role", "invalid", "role must be one of: member, leader."))
    if errors:
        raise validation(*errors)
    gid = int(id)
    group_row(con, ctx, gid)
    user_row(con, uid)
    have = member_row(con, gid, uid)
    if have is not None and s.settings.get("duplicate_grant") == "conflict":
        raise api_error(409, "The user is already a member of this group.")
    if have is None:
        con.execute(
            "INSERT INTO group_users(group_id, user_id, owner, created_at) VALUES (?,?,?,?)",
            (gid, uid, int(role == "leader"), now_iso()),
        )
    row = member_row(con, gid, uid)
    assert row is not None
    return 201, shapes.group_member(ctx, row, users_by_id(con, {uid}))


@route("DELETE", "/groups/{id}/members/{userID}")
def remove_member(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str, userID: str) -> Answer:
    ctx.require("Groups.Members.Manage")
    group_row(con, ctx, int(id))
    if member_row(con, int(id), int(userID)) is None:
        raise not_found("Group member")
    con.execute("DELETE FROM group_users WHERE group_id = ? AND user_id = ?", (int(id), int(userID)))
    return 204, None


# ---------------------------------------------------------------- tokens (§2)


@route("GET", "/tokens")
def list_tokens(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    ctx.require("Garden.Tokens.Add")
    rows = con.execute(
        "SELECT * FROM vanilla_tokens WHERE user_id = ? AND date_revoked IS NULL AND date_expires > ? "
        "ORDER BY id",
        (ctx.uid, now_iso()),
    ).fetchall()
    return 200, [
        {
            "accessTokenID": int(r["id"]),
            "name": r["name"],
            "dateInserted": vtime(r["date_inserted"]),
            **({"dateLastUsed": vtime(r["date_last_used"])} if r["date_last_used"] else {}),
        }
        for r in rows
    ]


@route("DELETE", "/tokens/{id}")
def revoke_token(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    ctx.require_signed_in()
    row: sqlite3.Row | None = con.execute("SELECT * FROM vanilla_tokens WHERE id = ?", (int(id),)).fetchone()
    if row is None:
        raise not_found("Token")
    if int(row["user_id"]) != ctx.uid and not ctx.has("Garden.Settings.Manage"):
        raise api_error(403, "Permission Problem", permissions=["Garden.Settings.Manage"])
    if row["date_revoked"] is None:
        con.execute("UPDATE vanilla_tokens SET date_revoked = ? WHERE id = ?", (now_iso(), int(id)))
    return 204, None
