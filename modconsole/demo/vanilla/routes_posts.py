"""Discussions, comments, Q&A answers and reactions (``shared/vanilla/CONTRACT.md`` §3, §4, §7).

Pages are cut over every row the filters match and *then* rows the caller may not see (the staff-only
category, for members and guests) are dropped, so a page can be short or empty while ``next`` is
offered, as the contract warns (§3.4, KB40)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from modconsole.demo.core import create_post, now_iso
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
from modconsole.demo.vanilla.store import STATUS_NAMES, recalc_question

if TYPE_CHECKING:
    from modconsole.demo.vanilla.server import VanillaDemoServer

Answer = tuple[int, Any]

DISCUSSION_SELECT = """
SELECT t.*, p.cooked AS body, p.updated_at AS post_updated_at, p.created_at AS post_created_at,
       q.status_id AS q_status, q.date_answered AS q_answered, q.date_accepted AS q_accepted,
       c.read_restricted AS restricted
FROM topics t
JOIN categories c ON c.id = t.category_id
LEFT JOIN posts p ON p.topic_id = t.id AND p.post_number = 1
LEFT JOIN vanilla_questions q ON q.discussion_id = t.id
WHERE t.deleted_at IS NULL AND t.archetype = 'regular'
"""

COMMENT_SELECT = """
SELECT p.*, t.title, t.category_id, t.is_question, t.user_id AS t_user_id, t.closed AS t_closed,
       c.read_restricted AS restricted,
       a.status AS a_status, a.date_accepted AS a_date, a.accept_user_id AS a_user
FROM posts p
JOIN topics t ON t.id = p.topic_id
JOIN categories c ON c.id = t.category_id
LEFT JOIN vanilla_answers a ON a.comment_id = p.id
WHERE p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL AND t.deleted_at IS NULL
"""

# Pages are cut on ids with only the joins the filters need (no categories, no bodies), then the rows of
# that page are read in full: a sort over 100,000 discussions then walks an index instead of sorting.
# Comments: CROSS JOIN keeps posts the outer loop (SQLite's planner otherwise walks every topic to
# count the comments of a date filter: seconds on the large community instead of milliseconds).
DISCUSSION_FROM = """
FROM topics t
LEFT JOIN posts p ON p.topic_id = t.id AND p.post_number = 1
LEFT JOIN vanilla_questions q ON q.discussion_id = t.id
WHERE t.deleted_at IS NULL AND t.archetype = 'regular'
"""

COMMENT_FROM = """
FROM posts p
CROSS JOIN topics t ON t.id = p.topic_id
LEFT JOIN vanilla_answers a ON a.comment_id = p.id
WHERE p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL AND t.deleted_at IS NULL
"""


def rows_by_id(con: sqlite3.Connection, select: str, column: str, ids: list[int]) -> list[sqlite3.Row]:
    """The full rows of ``ids`` (``select`` ends in a WHERE clause), in the order of ``ids``."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    found = {int(r["id"]): r for r in con.execute(f"{select} AND {column} IN ({marks})", ids)}
    return [found[i] for i in ids if i in found]


D_UPDATED = "(CASE WHEN p.updated_at <> p.created_at THEN p.updated_at END)"
C_UPDATED = "(CASE WHEN p.updated_at <> p.created_at THEN p.updated_at END)"


def visible(ctx: VCtx, row: sqlite3.Row) -> bool:
    return ctx.staff or not row["restricted"]


def users_by_id(con: sqlite3.Connection, ids: set[int]) -> dict[int, sqlite3.Row]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {int(r["id"]): r for r in con.execute(f"SELECT * FROM users WHERE id IN ({marks})", tuple(ids))}


def reactions_of(con: sqlite3.Connection, ctx: VCtx, rtype: str, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per record: ``score`` (sum of reaction values) and the reaction summary."""
    out: dict[int, dict[str, Any]] = {i: {"counts": {}, "mine": None} for i in ids}
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    for r in con.execute(
        f"SELECT record_id, urlcode, COUNT(*) n, SUM(user_id = ?) mine FROM vanilla_reactions "
        f"WHERE record_type = ? AND record_id IN ({marks}) GROUP BY record_id, urlcode",
        (ctx.uid, rtype, *ids),
    ):
        slot = out[int(r["record_id"])]
        slot["counts"][r["urlcode"]] = int(r["n"])
        if r["mine"]:
            slot["mine"] = r["urlcode"]
    result: dict[int, dict[str, Any]] = {}
    for i, slot in out.items():
        values = {code: value for _, code, _, _, value in shapes.REACTION_TYPES}
        result[i] = {
            "score": sum(values.get(code, 0) * n for code, n in slot["counts"].items()),
            "reactions": shapes.reaction_summary(slot["counts"], slot["mine"]),
        }
    return result


def categories(con: sqlite3.Connection) -> dict[int, sqlite3.Row]:
    return {int(r["id"]): r for r in con.execute("SELECT * FROM categories")}


def _answers(con: sqlite3.Connection, did: int, status: str) -> list[dict[str, Any]]:
    return [
        {"commentID": int(r["id"]), "body": r["cooked"]}
        for r in con.execute(
            "SELECT p.id, p.cooked FROM vanilla_answers a JOIN posts p ON p.id = a.comment_id "
            "WHERE p.topic_id = ? AND a.status = ? AND p.deleted_at IS NULL ORDER BY p.id",
            (did, status),
        )
    ]


def render_discussions(con: sqlite3.Connection, ctx: VCtx, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    expand = ctx.expand()
    everything = "all" in expand
    ids = [int(r["id"]) for r in rows]
    reacts = reactions_of(con, ctx, "discussion", ids)
    last_users: dict[int, int] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for r in con.execute(
            f"SELECT topic_id, user_id FROM posts WHERE id IN "
            f"(SELECT MAX(id) FROM posts WHERE topic_id IN ({marks}) "
            "AND post_type = 1 AND deleted_at IS NULL GROUP BY topic_id)",
            tuple(ids),
        ):
            last_users[int(r["topic_id"])] = int(r["user_id"] or 0)
    users = users_by_id(con, {int(r["user_id"] or 0) for r in rows} | set(last_users.values()))
    cats = categories(con)
    out = []
    for r in rows:
        did = int(r["id"])
        extra: dict[str, Any] = {**reacts.get(did, {}), "last_user_id": last_users.get(did)}
        if r["is_question"]:
            if "acceptedAnswers" in expand or everything:
                extra["acceptedAnswers"] = _answers(con, did, "accepted")
            if ("rejectedAnswers" in expand or everything) and ctx.has("Garden.Curation.Manage"):
                extra["rejectedAnswers"] = _answers(con, did, "rejected")
        out.append(shapes.discussion(ctx, r, expand=expand, users=users, cats=cats, extra=extra))
    return out


def _cursor(
    ctx: VCtx, param: str, rows: list[sqlite3.Row], desc: bool, rng_lo: int | None, rng_hi: int | None
) -> tuple[str, str]:
    last = int(rows[-1]["id"]) if rows else 0
    if desc:
        lo = "" if rng_lo is None else str(rng_lo)
        return param, f"{lo or 0}..{last - 1}"
    return param, f"{last + 1}..{'' if rng_hi is None else rng_hi}"


@route("GET", "/discussions")
def list_discussions(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    # the code's defaults (Vanilla.Discussions.PerPage 50, APIv2.MaxLimit 500), not the YAML's 30/100
    page, limit = paging(ctx, default=50, maximum=500)
    where: list[str] = []
    args: list[Any] = []
    rng = None
    if ctx.q("discussionID"):
        rng = parse_range("discussionID", ctx.q("discussionID") or "", "t.id")
        where.append(rng.sql)
        args.extend(rng.args)
    if ctx.q("categoryID"):
        r = parse_range("categoryID", ctx.q("categoryID") or "", "t.category_id")
        where.append(r.sql)
        args.extend(r.args)
    if ctx.q("insertUserID"):
        r = parse_range("insertUserID", ctx.q("insertUserID") or "", "t.user_id")
        where.append(r.sql)
        args.extend(r.args)
    types = ctx.csv("type")
    for t in types:
        if t not in ("discussion", "question", "idea", "poll", "event"):
            raise validation(
                FieldError("type", "invalid", "type must be one of: discussion, question, idea.")
            )
    if types:
        want = []
        if "question" in types:
            want.append("t.is_question = 1")
        if "discussion" in types:
            want.append("t.is_question = 0")
        where.append("(" + (" OR ".join(want) or "0") + ")")
    status = ctx.csv("status")
    if status:
        ids = []
        for st in status:
            code = {v: k for k, v in STATUS_NAMES.items()}.get(st)
            if code is None:
                raise validation(
                    FieldError(
                        "status",
                        "invalid",
                        "status must be one of: unanswered, answered, accepted, rejected.",
                    )
                )
            ids.append(code)
        where.append(f"q.status_id IN ({','.join('?' * len(ids))})")
        args.extend(ids)
    for sid in ctx.csv("statusID"):
        if not sid.isdigit():
            raise validation(FieldError("statusID", "invalid", "statusID is not a valid integer."))
    if ctx.csv("statusID"):
        sids = [int(x) for x in ctx.csv("statusID")]
        where.append(f"q.status_id IN ({','.join('?' * len(sids))})")
        args.extend(sids)
    for name, col in (
        ("dateInserted", "t.created_at"),
        ("dateUpdated", D_UPDATED),
        ("dateLastComment", "COALESCE(t.last_posted_at, t.created_at)"),
    ):
        if ctx.q(name):
            sql, a = parse_date_filter(name, ctx.q(name) or "", col)
            where.append(sql)
            args.extend(a)
    has_comments = ctx.bool_q("hasComments")
    if has_comments is not None:
        where.append("t.reply_count > 0" if has_comments else "t.reply_count = 0")
    pinned = ctx.bool_q("pinned")
    if pinned is not None:
        where.append("(t.pinned OR t.pinned_globally)" if pinned else "NOT (t.pinned OR t.pinned_globally)")
    pin_order = ctx.q("pinOrder") or "mixed"
    if pin_order not in ("first", "mixed"):
        raise validation(FieldError("pinOrder", "invalid", "pinOrder must be one of: first, mixed."))
    sort, order, desc = sort_spec(
        ctx,
        {
            "dateLastComment": "COALESCE(t.last_posted_at, t.created_at)|t.id",
            "dateInserted": "t.created_at|t.id",
            "discussionID": "t.id",
            "score": "t.like_count|t.id",
        },
        "-dateLastComment",
    )
    cond = "".join(f" AND {w}" for w in where)
    announced: list[sqlite3.Row] = []
    if pin_order == "first":  # announcements fetched apart and put before page 1: it can exceed `limit`
        pin_sql = "(t.pinned = 1 OR t.pinned_globally = 1)"
        if page == 1:
            pinned_ids = [
                int(r[0])
                for r in con.execute(
                    f"SELECT t.id {DISCUSSION_FROM}{cond} AND {pin_sql} ORDER BY {order}", args
                )
            ]
            announced = rows_by_id(con, DISCUSSION_SELECT, "t.id", pinned_ids)
        cond += f" AND NOT {pin_sql}"
    total = int(con.execute(f"SELECT COUNT(*) {DISCUSSION_FROM}{cond}", args).fetchone()[0])
    keyed = (sort or "").lstrip("-") == "discussionID"
    ids = [
        int(r[0])
        for r in con.execute(
            f"SELECT t.id {DISCUSSION_FROM}{cond} ORDER BY {order} LIMIT ? OFFSET ?",
            (*args, limit, (page - 1) * limit),
        )
    ]
    rows = rows_by_id(con, DISCUSSION_SELECT, "t.id", ids)
    full = len(rows) == limit
    shown = [r for r in announced + rows if visible(ctx, r)]
    if keyed and full:
        cursor = _cursor(ctx, "discussionID", rows, desc, rng.lo if rng else None, rng.hi if rng else None)
        page_links(ctx, page=page, limit=limit, full=full, total=None, cursor=cursor)
    else:
        page_links(ctx, page=page, limit=limit, full=full, total=total)
    return 200, render_discussions(con, ctx, shown)


def discussion_row(con: sqlite3.Connection, ctx: VCtx, did: int) -> sqlite3.Row:
    row: sqlite3.Row | None = con.execute(f"{DISCUSSION_SELECT} AND t.id = ?", (did,)).fetchone()
    if row is None:
        raise not_found("Discussion")
    if not visible(ctx, row):
        raise api_error(
            403,
            "Permission Problem",
            permissions=["discussions.view"],
            description="You need the discussions.view permission to do that.",
            recordIDs=[int(row["category_id"])],
        )
    return row


@route("GET", "/discussions/{id}")
def get_discussion(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    return 200, render_discussions(con, ctx, [discussion_row(con, ctx, int(id))])[0]


@route("GET", "/discussions/{id}/edit")
def get_discussion_edit(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    row = discussion_row(con, ctx, int(id))
    if not (ctx.staff or ctx.uid == int(row["user_id"] or -1)):
        raise api_error(403, "Permission Problem", permissions=["Vanilla.Discussions.Edit"])
    raw = con.execute("SELECT raw FROM posts WHERE topic_id = ? AND post_number = 1", (int(id),)).fetchone()
    return 200, {
        "discussionID": int(id),
        "name": row["title"],
        "body": raw["raw"] if raw else "",
        "format": "markdown",
        "categoryID": int(row["category_id"]),
        "sink": False,
        "closed": bool(row["closed"]),
        "pinned": bool(row["pinned"] or row["pinned_globally"]),
        "pinLocation": "recent" if row["pinned_globally"] else ("category" if row["pinned"] else None),
        "postTypeID": "question" if row["is_question"] else "discussion",
    }


# ---------------------------------------------------------------- comments


def render_comments(con: sqlite3.Connection, ctx: VCtx, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    expand = ctx.expand()
    ids = [int(r["id"]) for r in rows]
    reacts = reactions_of(con, ctx, "comment", ids)
    users = users_by_id(con, {int(r["user_id"] or 0) for r in rows})
    quote = ctx.bool_q("quoteParent") is not False
    out = []
    for r in rows:
        item = shapes.comment(ctx, r, expand=expand, users=users, extra=reacts.get(int(r["id"]), {}))
        parent_no = r["reply_to_post_number"]
        if parent_no and int(parent_no) > 1:
            parent = con.execute(
                "SELECT p.id, p.cooked, u.username FROM posts p LEFT JOIN users u ON u.id = p.user_id "
                "WHERE p.topic_id = ? AND p.post_number = ? AND p.post_type = 1 AND p.deleted_at IS NULL",
                (int(r["topic_id"]), int(parent_no)),
            ).fetchone()
            if parent is not None:
                item["parentCommentID"] = int(parent["id"])
                item["depth"] = 2
                if quote:  # CommentsApiController: the parent is quoted into the child's body by default
                    item["body"] = (
                        f'<blockquote class="blockquote"><div class="blockquote-content">'
                        f"{parent['username'] or 'unknown'} wrote: {parent['cooked']}</div></blockquote>"
                        + item["body"]
                    )
        out.append(item)
    return out


@route("GET", "/comments")
def list_comments(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    page, limit = paging(ctx, default=30, maximum=500)
    where: list[str] = []
    args: list[Any] = []
    did = ctx.int_q("discussionID")
    if ctx.q("parentRecordType") not in (None, "discussion"):
        raise validation(
            FieldError("parentRecordType", "invalid", "parentRecordType must be one of: discussion.")
        )
    if did is None and ctx.q("parentRecordID"):
        did = ctx.int_q("parentRecordID")
    if did is not None:
        discussion_row(con, ctx, did)  # 404 / 403 on the parent
        where.append("p.topic_id = ?")
        args.append(did)
    rng = None
    if ctx.q("commentID"):
        rng = parse_range("commentID", ctx.q("commentID") or "", "p.id")
        where.append(rng.sql)
        args.extend(rng.args)
    for name, col in (("insertUserID", "p.user_id"), ("categoryID", "t.category_id")):
        if ctx.q(name):
            r = parse_range(name, ctx.q(name) or "", col)
            where.append(r.sql)
            args.extend(r.args)
    for name, col in (("dateInserted", "p.created_at"), ("dateUpdated", C_UPDATED)):
        if ctx.q(name):
            sql, a = parse_date_filter(name, ctx.q(name) or "", col)
            where.append(sql)
            args.extend(a)
    qna = ctx.q("qna")
    if qna is not None:
        if qna not in ("accepted", "rejected"):
            raise validation(FieldError("qna", "invalid", "qna must be one of: accepted, rejected."))
        if qna == "rejected":
            ctx.require("Garden.Curation.Manage")
        where.append("a.status = ?")
        args.append(qna)
    sort, order, desc = sort_spec(
        ctx,
        {"dateInserted": "p.created_at|p.id", "commentID": "p.id", "dateUpdated": f"{C_UPDATED}|p.id"},
        "dateInserted",
    )
    cond = "".join(f" AND {w}" for w in where)
    counted = int(
        con.execute(f"SELECT COUNT(*) FROM (SELECT 1 {COMMENT_FROM}{cond} LIMIT 10001)", args).fetchone()[0]
    )
    total = counted if counted <= 10_000 else None  # the paging count is capped: a "more" pager beyond
    ids = [
        int(r[0])
        for r in con.execute(
            f"SELECT p.id {COMMENT_FROM}{cond} ORDER BY {order} LIMIT ? OFFSET ?",
            (*args, limit, (page - 1) * limit),
        )
    ]
    rows = rows_by_id(con, COMMENT_SELECT, "p.id", ids)
    full = len(rows) == limit
    shown = [r for r in rows if visible(ctx, r)]
    if (sort or "").lstrip("-") == "commentID" and full:
        cursor = _cursor(ctx, "commentID", rows, desc, rng.lo if rng else None, rng.hi if rng else None)
        page_links(ctx, page=page, limit=limit, full=full, total=None, cursor=cursor)
    else:
        page_links(ctx, page=page, limit=limit, full=full, total=total)
    return 200, render_comments(con, ctx, shown)


def comment_row(con: sqlite3.Connection, ctx: VCtx, cid: int) -> sqlite3.Row:
    row: sqlite3.Row | None = con.execute(f"{COMMENT_SELECT} AND p.id = ?", (cid,)).fetchone()
    if row is None:
        raise not_found("Comment")
    if not visible(ctx, row):
        raise api_error(403, "Permission Problem", permissions=["discussions.view"])
    return row


@route("GET", "/comments/{id}")
def get_comment(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    return 200, render_comments(con, ctx, [comment_row(con, ctx, int(id))])[0]


@route("GET", "/comments/{id}/edit")
def get_comment_edit(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    """The raw source of a comment (CONTRACT §3.2): its author or staff."""
    row = comment_row(con, ctx, int(id))
    if not (ctx.staff or ctx.uid == int(row["user_id"] or -1)):
        raise api_error(403, "Permission Problem", permissions=["Vanilla.Comments.Edit"])
    raw = con.execute("SELECT raw FROM posts WHERE id = ?", (int(id),)).fetchone()
    return 200, {
        "commentID": int(id),
        "discussionID": int(row["topic_id"]),
        "body": raw["raw"] if raw else "",
        "format": "markdown",
    }


@route("POST", "/comments")
def post_comment(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    ctx.require("Vanilla.Comments.Add")
    errors = []
    body = ctx.body_field("body")
    did = ctx.body_field("discussionID") or ctx.body_field("parentRecordID")
    if not isinstance(body, str) or not body.strip():
        errors.append(FieldError("body", "missingField", "body is required."))
    if not isinstance(did, int) or isinstance(did, bool):
        errors.append(FieldError("discussionID", "missingField", "discussionID is required."))
    fmt = ctx.body_field("format")
    if fmt is not None and fmt not in ("markdown", "text", "html", "rich", "rich2", "wysiwyg", "bbcode"):
        errors.append(FieldError("format", "invalid", "format is not a valid format."))
    if errors:
        raise validation(*errors)
    assert isinstance(did, int) and isinstance(body, str)
    row = discussion_row(con, ctx, did)
    if row["closed"] and not ctx.has("Garden.Moderation.Manage"):
        raise api_error(403, "This discussion has been closed.")
    pid = create_post(con, ctx.uid, did, body, when=now_iso())
    if row["is_question"]:
        recalc_question(con, did)
    return 201, render_comments(con, ctx, [comment_row(con, ctx, pid)])[0]


# ---------------------------------------------------------------- Q&A answers (§4)

ANSWER_STATUSES = ("accepted", "rejected", "pending")


@route("PATCH", "/comments/{id}/answer")
@route("PATCH", "/comments/answer/{id}")
def patch_answer(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    status = ctx.body_field("status")
    if status is None:
        raise validation(FieldError("status", "missingField", "status is required."))
    if status not in ANSWER_STATUSES:
        raise validation(
            FieldError("status", "invalid", "status must be one of: accepted, rejected, pending.")
        )
    ctx.require_signed_in()
    row = comment_row(con, ctx, int(id))
    if not row["is_question"]:
        raise api_error(400, "The comment is not an answer.")
    asker = ctx.uid == int(row["t_user_id"] or -1)
    if not (asker or ctx.has("Garden.Curation.Manage")):
        raise api_error(403, "Permission Problem", permissions=["Garden.Curation.Manage"])
    if row["t_closed"] and not ctx.has("Garden.Moderation.Manage"):
        raise api_error(403, "Permission Problem", permissions=["Garden.Moderation.Manage"])
    current = row["a_status"] or "pending"
    if current != status:  # AnswerModel::updateCommentQnA: the same status again changes nothing
        cid = int(id)
        if status == "pending":
            con.execute("DELETE FROM vanilla_answers WHERE comment_id = ?", (cid,))
        elif status == "accepted":
            con.execute(
                "INSERT OR REPLACE INTO vanilla_answers(comment_id, status, date_accepted, accept_user_id) "
                "VALUES (?, 'accepted', ?, ?)",
                (cid, now_iso(), ctx.uid),
            )
        else:
            con.execute(
                "INSERT OR REPLACE INTO vanilla_answers(comment_id, status, date_accepted, accept_user_id) "
                "VALUES (?, 'rejected', NULL, NULL)",
                (cid,),
            )
        recalc_question(con, int(row["topic_id"]))
    return 200, render_comments(con, ctx, [comment_row(con, ctx, int(id))])[0]


# ---------------------------------------------------------------- reactions (§7)


def _record(con: sqlite3.Connection, ctx: VCtx, rtype: str, rid: int) -> sqlite3.Row:
    if rtype == "discussion":
        return discussion_row(con, ctx, rid)
    return comment_row(con, ctx, rid)


def _who_reacted(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, rtype: str, rid: int) -> Answer:
    _record(con, ctx, rtype, rid)
    page, limit = paging(ctx, default=30, maximum=100, max_page=100)
    code = ctx.q("type")
    where, args = "record_type = ? AND record_id = ?", [rtype, rid]
    if code:
        if code.lower() not in shapes.REACTION_BY_CODE:
            raise not_found("Reaction")
        where += " AND urlcode = ?"
        args.append(shapes.REACTION_BY_CODE[code.lower()][1])
    rows = con.execute(
        f"SELECT * FROM vanilla_reactions WHERE {where} ORDER BY date_inserted, user_id LIMIT ? OFFSET ?",
        (*args, limit, (page - 1) * limit),
    ).fetchall()
    page_links(ctx, page=page, limit=limit, full=len(rows) == limit, total=None)
    users = users_by_id(con, {int(r["user_id"]) for r in rows})
    out = []
    for r in rows:
        tag, urlcode, name, cls, _ = shapes.REACTION_BY_CODE[r["urlcode"].lower()]
        out.append(
            {
                "recordType": rtype,
                "recordID": rid,
                "tagID": tag,
                "userID": int(r["user_id"]),
                "dateInserted": vtime(r["date_inserted"]),
                "user": shapes.user_fragment(ctx, users.get(int(r["user_id"]))),
                "reactionType": {"tagID": tag, "urlcode": urlcode, "name": name, "class": cls},
            }
        )
    return 200, out


def _react(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, rtype: str, rid: int) -> Answer:
    ctx.require("Reactions.Positive.Add")
    code = ctx.body_field("reactionType")
    if not isinstance(code, str) or not code:
        raise validation(FieldError("reactionType", "missingField", "reactionType is required."))
    if code.lower() not in shapes.REACTION_BY_CODE:
        raise validation(FieldError("reactionType", "invalid", "reactionType is not a valid reaction type."))
    row = _record(con, ctx, rtype, rid)
    if int(row["user_id"] or 0) == ctx.uid and not ctx.has("Garden.Moderation.Manage"):
        raise api_error(403, "You can't react to your own post.")
    urlcode = shapes.REACTION_BY_CODE[code.lower()][1]
    had = con.execute(
        "SELECT urlcode FROM vanilla_reactions WHERE record_type = ? AND record_id = ? AND user_id = ?",
        (rtype, rid, ctx.uid),
    ).fetchone()
    if (
        had is None or had["urlcode"] != urlcode
    ):  # the same reaction again is a no-op; another one replaces it
        con.execute(
            "INSERT OR REPLACE INTO vanilla_reactions"
            "(record_type, record_id, user_id, urlcode, date_inserted) "
            "VALUES (?,?,?,?,?)",
            (rtype, rid, ctx.uid, urlcode, now_iso()),
        )
    return 201, reactions_of(con, ctx, rtype, [rid])[rid]["reactions"]


def _unreact(
    s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, rtype: str, rid: int, user_id: int
) -> Answer:
    ctx.require_signed_in()
    _record(con, ctx, rtype, rid)
    if user_id != ctx.uid and not ctx.has("Garden.Moderation.Manage"):
        raise api_error(403, "Permission Problem", permissions=["Garden.Moderation.Manage"])
    con.execute(
        "DELETE FROM vanilla_reactions WHERE record_type = ? AND record_id = ? AND user_id = ?",
        (rtype, rid, user_id),
    )
    return 204, None


@route("GET", "/discussions/{id}/reactions")
def discussion_reactions(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    return _who_reacted(s, con, ctx, "discussion", int(id))


@route("GET", "/comments/{id}/reactions")
def comment_reactions(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    return _who_reacted(s, con, ctx, "comment", int(id))


@route("POST", "/discussions/{id}/reactions")
def react_discussion(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    return _react(s, con, ctx, "discussion", int(id))


@route("POST", "/comments/{id}/reactions")
def react_comment(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str) -> Answer:
    return _react(s, con, ctx, "comment", int(id))


@route("DELETE", "/discussions/{id}/reactions/{userID}")
def unreact_discussion(
    s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str, userID: str
) -> Answer:
    return _unreact(s, con, ctx, "discussion", int(id), int(userID))


@route("DELETE", "/comments/{id}/reactions/{userID}")
def unreact_comment(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx, id: str, userID: str) -> Answer:
    return _unreact(s, con, ctx, "comment", int(id), int(userID))


@route("GET", "/reactions")
def reaction_types(s: VanillaDemoServer, con: sqlite3.Connection, ctx: VCtx) -> Answer:
    return 200, [shapes.reaction_type(ctx, r) for r in shapes.REACTION_TYPES]
