"""Assign (the bundled ``discourse-assign`` plugin) in the demo community
(``shared/discourse/CONTRACT-ADDITIONS.md`` §A3).

Enabled by the site setting ``assign_enabled`` — Discourse's default is **off** (every ``/assign/*``
route answers 404 and list filters are ignored); the demo turns it **on** (``DEFAULT_SETTINGS``) so
the console's assign features have something to talk to. Other settings as Discourse's defaults:
``assign_allowed_on_groups`` ``"3"`` (the automatic *staff* group: its members may assign and be
assigned; admins always may), ``max_assigned_topics`` 10 (assigning to yourself and to a group is
exempt), ``assigns_public`` off (assignment fields only for those who may assign; tracking posts are
whispers, post type 4 — small actions, type 3, when public), ``unassign_creates_tracking_post`` on.

Routes:

* ``PUT /assign/assign.json`` — ``target_id``, ``target_type`` (``Topic``; ``Post`` too), ``username``
  or ``group_name`` (username wins), ``note``. ``{"success": "OK"}``; a business refusal is **400 with
  one string** ``{"error": "…"}`` — the same assignee with the same note again ("Topic is already
  assigned to @user"), over ``max_assigned_topics``, an assignee outside the allowed groups, one who
  cannot see the topic, the 5-per-topic cap. Neither name → 400 ``invalid_parameters``; unknown
  user, group or target → 404; caller not allowed → 403. Each change adds a tracking post
  (``assigned``, ``reassigned``, ``assigned_group``, ``reassigned_group``, ``note_change``) that does not
  bump the topic.
* ``PUT /assign/unassign.json`` — idempotent ``{"success": "OK"}``; an ``unassigned`` /
  ``unassigned_group`` tracking post when something was assigned.
* ``GET /topics/messages-assigned/{username}.json`` (the user's and their groups'; ``direct=true``:
  only the user's), ``GET /topics/group-topics-assigned/{group}.json`` — topic lists; ``?assigned=``
  on ``/latest.json`` etc. (``<username>``, ``me``, ``<group>``, ``nobody``, ``*``),
  ``assigned:`` in ``/filter.json``'s query and ``in:assigned``, ``in:unassigned``, ``assigned:<name>``
  in ``/search.json`` — ignored unless the viewer may assign (or
  ``assigns_public``), as Discourse ignores them.
* Topic list items and ``/t/{id}.json`` carry ``assigned_to_user`` / ``assigned_to_group`` (and
  ``assignment_note``, ``indirectly_assigned_to`` for posts) when something is assigned and the
  viewer may see it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from modconsole.demo.core import Ctx, HttpError, error, invalid_access, not_found, now_iso
from modconsole.demo.serializers import basic_user

if TYPE_CHECKING:
    from modconsole.demo.server import DemoServer

PER_TOPIC_LIMIT = 5
STAFF_GROUP_ID = 3

DDL = (
    """CREATE TABLE IF NOT EXISTS assignments (
        id               INTEGER PRIMARY KEY,
        topic_id         INTEGER NOT NULL,
        target_id        INTEGER NOT NULL,
        target_type      TEXT NOT NULL,
        assigned_to_id   INTEGER NOT NULL,
        assigned_to_type TEXT NOT NULL,
        assigned_by_user_id INTEGER,
        note             TEXT,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL,
        UNIQUE (target_id, target_type)
    )""",
    "CREATE INDEX IF NOT EXISTS assignments_topic ON assignments(topic_id)",
    "CREATE INDEX IF NOT EXISTS assignments_to ON assignments(assigned_to_type, assigned_to_id)",
)


def ensure_schema(con: sqlite3.Connection) -> None:
    for stmt in DDL:
        con.execute(stmt)


# ---------------------------------------------------------------- who may


def enabled(settings: dict[str, Any]) -> bool:
    return bool(settings.get("assign_enabled", False))


def _allowed_group_ids(settings: dict[str, Any]) -> set[int]:
    raw = str(settings.get("assign_allowed_on_groups", str(STAFF_GROUP_ID)))
    return {int(x) for x in raw.split("|") if x.strip().isdigit()}


def user_allowed(
    con: sqlite3.Connection, settings: dict[str, Any], user: sqlite3.Row | dict[str, Any]
) -> bool:
    """Admins, and members of ``assign_allowed_on_groups`` (staff: admins and moderators)."""
    if user["admin"]:
        return True
    groups = _allowed_group_ids(settings)
    if STAFF_GROUP_ID in groups and user["moderator"]:
        return True
    if not groups:
        return False
    marks = ",".join("?" * len(groups))
    return (
        con.execute(
            f"SELECT 1 FROM group_users WHERE user_id = ? AND group_id IN ({marks})", (user["id"], *groups)
        ).fetchone()
        is not None
    )


def can_assign(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> bool:
    return enabled(settings) and ctx.user is not None and user_allowed(con, settings, ctx.user)


def visible_to(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> bool:
    """Whether assignment fields show to this viewer (``assigns_public`` or they may assign)."""
    return enabled(settings) and (bool(settings.get("assigns_public")) or can_assign(con, ctx, settings))


def _require(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> None:
    if not enabled(settings):
        raise not_found()
    ctx.require_login()
    if not can_assign(con, ctx, settings):
        raise invalid_access()


def _refused(text: str) -> HttpError:
    """Assign's business refusals: HTTP 400 with a single string, no ``errors[]``."""
    return HttpError(400, {"error": text})


# ---------------------------------------------------------------- serialising


def _group_json(g: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": g["id"],
        "name": g["name"],
        "flair_bg_color": g["flair_bg_color"],
        "flair_color": g["flair_color"],
        "flair_icon": g["flair_icon"],
        "flair_upload_id": None,
    }


def _assignee(con: sqlite3.Connection, a: sqlite3.Row) -> tuple[str, dict[str, Any]] | None:
    if a["assigned_to_type"] == "User":
        u = con.execute("SELECT * FROM users WHERE id = ?", (a["assigned_to_id"],)).fetchone()
        return ("assigned_to_user", basic_user(u)) if u is not None else None
    g = con.execute("SELECT * FROM groups WHERE id = ?", (a["assigned_to_id"],)).fetchone()
    return ("assigned_to_group", _group_json(g)) if g is not None else None


def decorate_list(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], items: list[dict[str, Any]]
) -> None:
    """Add ``assigned_to_user`` / ``assigned_to_group`` to the list items of assigned topics."""
    if not items or not visible_to(con, ctx, settings):
        return
    ids = [int(i["id"]) for i in items]
    rows = con.execute(
        "SELECT * FROM assignments WHERE target_type = 'Topic' "
        f"AND target_id IN ({','.join('?' * len(ids))})",
        ids,
    ).fetchall()
    by_topic = {int(r["target_id"]): r for r in rows}
    for item in items:
        a = by_topic.get(int(item["id"]))
        if a is None:
            continue
        who = _assignee(con, a)
        if who is not None:
            item[who[0]] = who[1]


def decorate_view(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], view: dict[str, Any]) -> None:
    """The topic view's assignment fields (and posts assigned within it)."""
    if not visible_to(con, ctx, settings):
        return
    view["can_assign"] = can_assign(con, ctx, settings)
    rows = con.execute("SELECT * FROM assignments WHERE topic_id = ?", (view["id"],)).fetchall()
    indirect: dict[str, Any] = {}
    for a in rows:
        who = _assignee(con, a)
        if who is None:
            continue
        if a["target_type"] == "Topic":
            view[who[0]] = who[1]
            view["assignment_note"] = a["note"]
        else:
            num = con.execute("SELECT post_number FROM posts WHERE id = ?", (a["target_id"],)).fetchone()
            indirect[str(a["target_id"])] = {
                "assigned_to": who[1],
                "post_number": num[0] if num else None,
                "assignment_note": a["note"],
            }
    if indirect:
        view["indirectly_assigned_to"] = indirect


# ---------------------------------------------------------------- list filters


def _user_group_ids(con: sqlite3.Connection, user_id: int) -> list[int]:
    return [int(r[0]) for r in con.execute("SELECT group_id FROM group_users WHERE user_id = ?", (user_id,))]


def filter_clause(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], value: str
) -> tuple[str, list[Any]] | None:
    """SQL over topics ``t`` for ``assigned=<value>`` (comma list: users, groups, ``me``,
    ``nobody``, ``*``); None when the viewer may not filter by assignment (Discourse ignores it)."""
    if not value or not visible_to(con, ctx, settings):
        return None
    direct = "SELECT target_id FROM assignments WHERE target_type = 'Topic'"
    ors: list[str] = []
    args: list[Any] = []
    for name in [v.strip() for v in value.split(",") if v.strip()]:
        if name == "*":
            ors.append(f"t.id IN ({direct})")
        elif name == "nobody":
            ors.append(f"t.id NOT IN ({direct})")
        else:
            if name == "me" and ctx.user is not None:
                name = str(ctx.user["username"])
            u = con.execute("SELECT id FROM users WHERE username = ? COLLATE NOCASE", (name,)).fetchone()
            if u is not None:
                ors.append(f"t.id IN ({direct} AND assigned_to_type = 'User' AND assigned_to_id = ?)")
                args.append(int(u[0]))
                continue
            g = con.execute("SELECT id FROM groups WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
            if g is not None:
                ors.append(f"t.id IN ({direct} AND assigned_to_type = 'Group' AND assigned_to_id = ?)")
                args.append(int(g[0]))
            else:
                ors.append("0")
    if not ors:
        return None
    return "(" + " OR ".join(ors) + ")", args


_LISTS: Any = None
"""The read routes' list machinery (``routes_read``), handed over by :func:`register`: that module
calls this one for the assignment fields and filters, so this one does not import it back."""


def _assigned_list(
    s: DemoServer, con: sqlite3.Connection, ctx: Ctx, base: str, clause: str, args: list[Any]
) -> Any:
    rd = _LISTS
    lq = rd.ListQuery(ctx, s.settings)
    lq.add(clause, *args)
    keep = {k: v for k in ("order", "ascending", "direct") if (v := ctx.param(k))}
    if "order" in keep:
        lq.set_order(keep["order"])
    lq.ascending = keep.get("ascending", "").lower() == "true"
    return rd.run_list(con, ctx, s.settings, lq, base, keep)


def messages_assigned(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, username: str) -> Any:
    """Topics assigned to the user and (without ``direct=true``) to the groups they belong to."""
    _require(con, ctx, s.settings)
    u = con.execute("SELECT id FROM users WHERE username = ? COLLATE NOCASE", (username,)).fetchone()
    if u is None:
        raise not_found()
    clause = (
        "t.id IN (SELECT topic_id FROM assignments WHERE (assigned_to_type = 'User' AND assigned_to_id = ?)"
    )
    args: list[Any] = [int(u[0])]
    groups = [] if ctx.bool_param("direct") else _user_group_ids(con, int(u[0]))
    if groups:
        clause += f" OR (assigned_to_type = 'Group' AND assigned_to_id IN ({','.join('?' * len(groups))}))"
        args.extend(groups)
    return _assigned_list(s, con, ctx, f"/topics/messages-assigned/{username}", clause + ")", args)


def group_topics_assigned(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, name: str) -> Any:
    """Topics assigned to the group or (without ``direct=true``) to any of its members."""
    _require(con, ctx, s.settings)
    g = con.execute("SELECT id FROM groups WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
    if g is None:
        raise not_found()
    clause = (
        "t.id IN (SELECT topic_id FROM assignments WHERE (assigned_to_type = 'Group' AND assigned_to_id = ?)"
    )
    args: list[Any] = [int(g[0])]
    if not ctx.bool_param("direct"):
        clause += (
            " OR (assigned_to_type = 'User' "
            "AND assigned_to_id IN (SELECT user_id FROM group_users WHERE group_id = ?))"
        )
        args.append(int(g[0]))
    return _assigned_list(s, con, ctx, f"/topics/group-topics-assigned/{name}", clause + ")", args)


# ---------------------------------------------------------------- assign / unassign


def _target(con: sqlite3.Connection, ctx: Ctx) -> tuple[int, str, int, sqlite3.Row]:
    """(target id, type, topic id, topic row) of the request; 400 when unnamed, 404 when unknown."""
    raw = ctx.param("target_id")
    ttype = ctx.param("target_type") or ""
    if not raw or not raw.strip().isdigit() or ttype.lower() not in ("topic", "post"):
        raise error(400, "You supplied invalid parameters to the request: target_id", "invalid_parameters")
    if ttype not in ("Topic", "Post"):  # the type check is case-insensitive, the class lookup is not
        raise not_found()
    tid = int(raw)
    if ttype == "Post":
        p = con.execute("SELECT topic_id FROM posts WHERE id = ? AND deleted_at IS NULL", (tid,)).fetchone()
        if p is None:
            raise not_found()
        topic_id = int(p[0])
    else:
        topic_id = tid
    t = con.execute(
        "SELECT t.*, c.read_restricted FROM topics t JOIN categories c ON c.id = t.category_id "
        "WHERE t.id = ? AND t.deleted_at IS NULL",
        (topic_id,),
    ).fetchone()
    if t is None:
        raise not_found()
    return tid, ttype, topic_id, t


def _tracking_post(
    s: DemoServer, con: sqlite3.Connection, actor: int | None, topic_id: int, code: str, text: str
) -> None:
    from modconsole.demo import core

    post_type = 3 if s.settings.get("assigns_public") else 4
    core.create_post(con, int(actor or 0), topic_id, text, post_type=post_type, action_code=code)


def assign(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _require(con, ctx, s.settings)
    tid, ttype, topic_id, topic = _target(con, ctx)
    username, group_name = ctx.param("username"), ctx.param("group_name")
    note = (ctx.param("note") or "").strip() or None
    if username:
        who = con.execute("SELECT * FROM users WHERE username = ? COLLATE NOCASE", (username,)).fetchone()
        if who is None:
            raise not_found()
        kind, aid, label = "User", int(who["id"]), f"@{who['username']}"
    elif group_name:
        who = con.execute("SELECT * FROM groups WHERE name = ? COLLATE NOCASE", (group_name,)).fetchone()
        if who is None or (who["visibility_level"] and not ctx.staff):
            raise not_found()
        kind, aid, label = "Group", int(who["id"]), f"@{who['name']}"
    else:
        raise error(400, "You supplied invalid parameters to the request: username", "invalid_parameters")
    what = "Topic" if ttype == "Topic" else "Post"
    current = con.execute(
        "SELECT * FROM assignments WHERE target_id = ? AND target_type = ?", (tid, ttype)
    ).fetchone()
    same = (
        current is not None and current["assigned_to_type"] == kind and int(current["assigned_to_id"]) == aid
    )
    if same and (current["note"] or None) == note:
        raise _refused(f"{what} is already assigned to {label}")
    if kind == "User":
        if not user_allowed(con, s.settings, who):
            raise _refused(f"{label} can't be assigned since they don't belong to assigned allowed groups.")
        if topic["read_restricted"] and not (who["admin"] or who["moderator"]):
            raise _refused(f"{label} can't be assigned because they don't have access to this topic.")
        limit = int(s.settings.get("max_assigned_topics", 10))
        held = con.execute(
            "SELECT COUNT(*) FROM assignments WHERE assigned_to_type = 'User' AND assigned_to_id = ? "
            "AND target_type = 'Topic'",
            (aid,),
        ).fetchone()[0]
        if not same and aid != ctx.uid and held >= limit:
            raise _refused(f"{label} has already reached the maximum number of assigned topics ({limit}).")
    if current is None:
        on_topic = con.execute("SELECT COUNT(*) FROM assignments WHERE topic_id = ?", (topic_id,)).fetchone()[
            0
        ]
        if on_topic >= PER_TOPIC_LIMIT:
            raise _refused(f"Limit of {PER_TOPIC_LIMIT} assignments per topic has been reached.")
    now = now_iso()
    if same:
        con.execute(
            "UPDATE assignments SET note = ?, updated_at = ? WHERE id = ?", (note, now, current["id"])
        )
        code = "note_change"
    elif current is not None:
        con.execute(
            "UPDATE assignments SET assigned_to_id = ?, assigned_to_type = ?, assigned_by_user_id = ?, "
            "note = ?, updated_at = ? WHERE id = ?",
            (aid, kind, ctx.uid, note, now, current["id"]),
        )
        code = "reassigned" if kind == "User" else "reassigned_group"
    else:
        con.execute(
            "INSERT INTO assignments(topic_id, target_id, target_type, assigned_to_id, assigned_to_type, "
            "assigned_by_user_id, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (topic_id, tid, ttype, aid, kind, ctx.uid, note, now, now),
        )
        code = "assigned" if kind == "User" else "assigned_group"
        if ttype == "Post":
            code = "assigned_to_post" if kind == "User" else "assigned_group_to_post"
    _tracking_post(s, con, ctx.uid, topic_id, code, note or "")
    return {"success": "OK"}


def unassign(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _require(con, ctx, s.settings)
    tid, ttype, topic_id, _topic = _target(con, ctx)
    current = con.execute(
        "SELECT * FROM assignments WHERE target_id = ? AND target_type = ?", (tid, ttype)
    ).fetchone()
    if current is not None:
        con.execute("DELETE FROM assignments WHERE id = ?", (current["id"],))
        if s.settings.get("unassign_creates_tracking_post", True):
            code = "unassigned" if current["assigned_to_type"] == "User" else "unassigned_group"
            if ttype == "Post":
                code += "_from_post"
            _tracking_post(s, con, ctx.uid, topic_id, code, "")
    return {"success": "OK"}


def register(route: Callable[..., Callable[[Callable[..., Any]], Callable[..., Any]]], lists: Any) -> None:
    """Add Assign's routes to the demo server's table; ``lists`` is ``routes_read`` (topic lists)."""
    global _LISTS
    _LISTS = lists
    route("PUT", "/assign/assign.json", write=True)(assign)
    route("PUT", "/assign/unassign.json", write=True)(unassign)
    route("GET", "/topics/messages-assigned/{username}.json")(messages_assigned)
    route("GET", "/topics/group-topics-assigned/{name}.json")(group_topics_assigned)


__all__ = ["decorate_list", "decorate_view", "ensure_schema", "filter_clause", "register"]
