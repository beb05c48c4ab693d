"""Read routes of the demo server: topic lists, filter, search, topics, posts, categories, site."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from modconsole.demo import core, routes_assign
from modconsole.demo.core import Ctx, HttpError, error, invalid_access, invalid_params, iso, not_found, now_dt
from modconsole.demo.serializers import (
    basic_user,
    category_json,
    post_json,
    topic_list_item,
    users_by_id,
)

Row = sqlite3.Row

ORDERS = {
    "default": "t.bumped_at",
    "activity": "t.bumped_at",
    "created": "t.created_at",
    "views": "t.views",
    "posts": "t.posts_count",
    "likes": "t.like_count",
    "op_likes": "(SELECT like_count FROM posts fp WHERE fp.topic_id = t.id AND fp.post_number = 1)",
    "posters": "(SELECT COUNT(DISTINCT user_id) FROM posts pp WHERE pp.topic_id = t.id "
    "AND pp.deleted_at IS NULL)",
    "category": "t.category_id",
    "title": "t.title",
    "latest-post": "t.last_posted_at",
}
STATUSES = {
    "open",
    "closed",
    "archived",
    "listed",
    "unlisted",
    "deleted",
    "public",
    "noreplies",
    "single_user",
    "single-user",
    "solved",
    "unsolved",
}


class ListQuery:
    """Conditions of a topic list, built from list params or /filter.json's query language."""

    def __init__(self, ctx: Ctx, settings: dict[str, Any]) -> None:
        self.ctx = ctx
        self.settings = settings
        self.where: list[str] = ["t.archetype = 'regular'"]
        self.args: list[Any] = []
        self.order = "default"
        self.ascending = False
        self.deleted = False
        if not ctx.staff:
            self.where.append("c.read_restricted = 0 AND t.visible = 1")

    def add(self, cond: str, *args: Any) -> None:
        self.where.append(cond)
        self.args.extend(args)

    def status(self, value: str) -> None:
        v = value.replace("-", "_")
        if value not in STATUSES:
            raise invalid_params("status")
        if v == "open":
            self.add("t.closed = 0")
        elif v == "closed":
            self.add("t.closed = 1")
        elif v == "archived":
            self.add("t.archived = 1")
        elif v == "listed":
            self.add("t.visible = 1")
        elif v == "unlisted":
            self.add("t.visible = 0")
        elif v == "deleted":
            if self.ctx.staff:
                self.deleted = True
            else:
                self.add("0")
        elif v == "public":
            self.add("c.read_restricted = 0")
        elif v == "noreplies":
            self.add("t.posts_count = 1")
        elif v == "single_user":
            self.add(
                "NOT EXISTS (SELECT 1 FROM posts sp WHERE sp.topic_id = t.id AND sp.deleted_at IS NULL "
                "AND sp.user_id IS NOT t.user_id)"
            )
        elif v == "solved":
            self.add("EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id)")
        elif v == "unsolved":
            enabled = (
                "1" if self.settings.get("allow_solved_on_all_topics") else "c.enable_accepted_answers = 1"
            )
            self.add(f"NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) AND {enabled}")

    def set_order(self, order: str) -> None:
        if order not in ORDERS:
            raise invalid_params("order")
        self.order = order

    def sql(self) -> tuple[str, list[Any]]:
        where = list(self.where)
        where.append("t.deleted_at IS NOT NULL" if self.deleted else "t.deleted_at IS NULL")
        return " AND ".join(where), self.args

    def order_sql(self) -> str:
        d = "ASC" if self.ascending else "DESC"
        return f"{ORDERS[self.order]} {d}, t.id {d}"


def category_by_slug_or_id(con: sqlite3.Connection, value: str) -> Row | None:
    if value.isdigit():
        row = con.execute("SELECT * FROM categories WHERE id = ?", (int(value),)).fetchone()
        if row:
            return row  # type: ignore[no-any-return]
    return con.execute("SELECT * FROM categories WHERE slug = ?", (value,)).fetchone()  # type: ignore[no-any-return]


def category_by_slug_path_with_id(con: sqlite3.Connection, path: str) -> Row | None:
    """Category.find_by_slug_path_with_id: a trailing number is the id (slugs before it are ignored);
    otherwise walk the slug path from the top (``parent/child``), where ``{id}-category`` also names one."""
    parts = [p for p in path.split("/") if p]
    if parts and parts[-1].isdigit():
        return con.execute("SELECT * FROM categories WHERE id = ?", (int(parts[-1]),)).fetchone()  # type: ignore[no-any-return]
    row: Row | None = None
    parent: int | None = None
    for slug in parts:
        m = re.fullmatch(r"(\d+)-category", slug)
        row = con.execute(
            "SELECT * FROM categories WHERE parent_category_id IS ? AND (lower(slug) = lower(?) OR id = ?)",
            (parent, slug, int(m.group(1)) if m else None),
        ).fetchone()
        if row is None:
            return None
        parent = int(row["id"])
    return row


def category_slug_path_with_id(con: sqlite3.Connection, cat: Row) -> str:
    """The canonical path after ``/c/``: ancestors' slugs, the slug, the id (Category#full_slug("/"))."""
    slugs = [str(cat["slug"])]
    parent = cat["parent_category_id"]
    while parent is not None:
        up = con.execute("SELECT slug, parent_category_id FROM categories WHERE id = ?", (parent,)).fetchone()
        if up is None:
            break
        slugs.insert(0, str(up[0]))
        parent = up[1]
    return "/".join([*slugs, str(cat["id"])])


def redirect(path: str, ctx: Ctx, status: int = 301) -> HttpError:
    """Rails' ``redirect_to``: an absolute Location on the request's host, query kept, a short HTML body."""
    query = urlencode(ctx.query, doseq=True)
    host = ctx.headers.get("host")
    url = (f"http://{host}" if host else "") + path + (f"?{query}" if query else "")
    return HttpError(
        status,
        f'<html><body>You are being <a href="{url}">redirected</a>.</body></html>',
        headers={"Location": url},
        content_type="text/html; charset=utf-8",
    )


def visible_category(ctx: Ctx, cat: Row | None) -> Row:
    if cat is None or (cat["read_restricted"] and not ctx.staff):
        raise not_found()
    return cat


def solution_map(con: sqlite3.Connection, topic_ids: list[int]) -> dict[int, Row]:
    if not topic_ids:
        return {}
    q = (
        "SELECT s.topic_id, s.post_id, s.accepter_id, p.user_id, p.post_number, p.cooked FROM solutions s "
        f"JOIN posts p ON p.id = s.post_id WHERE s.topic_id IN ({','.join('?' * len(topic_ids))})"
    )
    return {int(r["topic_id"]): r for r in con.execute(q, topic_ids)}


def topic_list_json(
    con: sqlite3.Connection,
    ctx: Ctx,
    settings: dict[str, Any],
    topics: list[Row],
    per_page: int,
    more_url: str | None,
) -> dict[str, Any]:
    ids = [int(t["id"]) for t in topics]
    last: dict[int, int | None] = {}
    op_likes: dict[int, int] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for r in con.execute(
            f"SELECT p.topic_id, p.user_id FROM posts p WHERE p.topic_id IN ({marks}) AND p.post_number = "
            "(SELECT MAX(p2.post_number) FROM posts p2 WHERE p2.topic_id = p.topic_id AND p2.deleted_at "
            "IS NULL "
            "AND p2.post_type = 1)",
            ids,
        ):
            last[int(r["topic_id"])] = r["user_id"]
        for r in con.execute(
            f"SELECT topic_id, like_count FROM posts WHERE topic_id IN ({marks}) AND post_number = 1", ids
        ):
            op_likes[int(r["topic_id"])] = int(r["like_count"])
    sols = solution_map(con, ids)
    users = users_by_id(
        con, [t["user_id"] for t in topics] + list(last.values()) + [s["user_id"] for s in sols.values()]
    )
    items = []
    for t in topics:
        tid = int(t["id"])
        posters = [
            {
                "extras": None,
                "description": "Original Poster",
                "user_id": t["user_id"],
                "primary_group_id": None,
            }
        ]
        lp = last.get(tid)
        if lp is not None and lp != t["user_id"]:
            posters.append(
                {
                    "extras": "latest",
                    "description": "Most Recent Poster",
                    "user_id": lp,
                    "primary_group_id": None,
                }
            )
        else:
            posters[0]["extras"] = "latest single"
            posters[0]["description"] = "Original Poster, Most Recent Poster"
        sol = sols.get(tid)
        if sol is not None and sol["user_id"] is not None:
            # discourse-solved (TopicPostersSummaryExtension): the answerer is always listed, with
            # "Accepted Answer" after any description they already have (asker, last poster)
            mine = next((p for p in posters if p["user_id"] == sol["user_id"]), None)
            if mine is not None:
                mine["description"] = f"{mine['description']}, Accepted Answer"
            else:
                posters.insert(
                    1,
                    {
                        "extras": None,
                        "description": "Accepted Answer",
                        "user_id": sol["user_id"],
                        "primary_group_id": None,
                    },
                )
        lpu = users.get(lp) if lp is not None else None
        items.append(
            topic_list_item(
                t,
                posters=posters,
                last_poster=lpu["username"] if lpu else "",
                solved=sol is not None,
                op_like_count=op_likes.get(tid, 0),
                tag_objects=bool(settings.get("tag_objects")),
            )
        )
    routes_assign.decorate_list(con, ctx, settings, items)  # Assign's fields (when it may show them)
    tl: dict[str, Any] = {
        "can_create_topic": ctx.user is not None,
        "draft": None,
        "draft_key": "new_topic",
        "draft_sequence": 0,
        "per_page": per_page,
        "topics": items,
    }
    if more_url is not None:
        tl["more_topics_url"] = more_url
    return {"users": [basic_user(u) for u in users.values()], "primary_groups": [], "topic_list": tl}


def run_list(
    con: sqlite3.Connection,
    ctx: Ctx,
    settings: dict[str, Any],
    lq: ListQuery,
    base: str,
    keep: dict[str, str],
) -> dict[str, Any]:
    page = ctx.int_param("page", 0, lo=0) or 0
    per_page = ctx.int_param("per_page", 30, lo=1, hi=100) or 30
    where, args = lq.sql()
    # CROSS JOIN keeps topics the outer loop so ORDER BY … LIMIT walks the bumped/created index
    frm = "FROM topics t CROSS JOIN categories c ON c.id = t.category_id"
    prioritise = lq.order in ("default", "activity") and not lq.ascending and not lq.deleted
    if prioritise:
        pinned = con.execute(
            f"SELECT t.* {frm} WHERE {where} AND t.pinned = 1 ORDER BY t.bumped_at DESC, t.id DESC", args
        ).fetchall()
        n = len(pinned)
        if page == 0:
            rest = con.execute(
                f"SELECT t.* {frm} WHERE {where} AND t.pinned = 0 ORDER BY {lq.order_sql()} LIMIT ?",
                [*args, max(0, per_page - n)],
            ).fetchall()
            topics = (pinned + rest)[:per_page]
        else:
            topics = con.execute(
                f"SELECT t.* {frm} WHERE {where} AND t.pinned = 0 ORDER BY {lq.order_sql()} LIMIT ? OFFSET ?",
                [*args, per_page, page * per_page - n],
            ).fetchall()
    else:
        topics = con.execute(
            f"SELECT t.* {frm} WHERE {where} ORDER BY {lq.order_sql()} LIMIT ? OFFSET ?",
            [*args, per_page, page * per_page],
        ).fetchall()
    more = None
    if len(topics) == per_page:
        params = dict(keep)
        params["page"] = str(page + 1)
        if ctx.param("per_page"):
            params["per_page"] = str(per_page)
        from urllib.parse import urlencode

        more = f"{base}?{urlencode(params)}"
    return topic_list_json(con, ctx, settings, topics, per_page, more)


def date_or_days(value: str, name: str) -> str:
    if value.isdigit():
        return iso(now_dt() - timedelta(days=int(value)))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value + "T00:00:00.000Z"
    raise invalid_params(name)


_TOPIC_ID = re.compile(r"[0-9]{1,10}")


def list_from_params(
    ctx: Ctx, settings: dict[str, Any], con: sqlite3.Connection, base: str, category: Row | None = None
) -> dict[str, Any]:
    for key in ctx.query:  # an array parameter sent as a hash (`tags[1]=…`) is a 400 in Rails
        if re.fullmatch(r"(tags|topic_ids)\[[^\]]+\]", key):
            raise invalid_params(key.split("[", 1)[0])
    lq = ListQuery(ctx, settings)
    ids = [i for v in ctx.plist("topic_ids") for i in v.split(",") if i.strip()]
    if ids:  # TopicQuery `topic_ids`: only these topics (a comma list or topic_ids[])
        if not all(_TOPIC_ID.fullmatch(i.strip()) for i in ids):
            raise invalid_params("topic_ids")
        lq.add(f"t.id IN ({','.join('?' * len(ids))})", *[int(i) for i in ids])
    keep: dict[str, str] = {}
    for name in (
        "order",
        "ascending",
        "status",
        "min_posts",
        "max_posts",
        "before",
        "bumped_before",
        "category",
        "solved",
        "assigned",
    ):
        v = ctx.param(name)
        if v is not None and v != "":
            keep[name] = v
    if "order" in keep:
        lq.set_order(keep["order"])
    lq.ascending = keep.get("ascending", "").lower() == "true"
    if "status" in keep:
        lq.status(keep["status"])
    for name, op in (("min_posts", ">="), ("max_posts", "<=")):
        if name in keep:
            lq.add(f"t.posts_count {op} ?", ctx.int_param(name, lo=0))
    for name, col in (("before", "t.created_at"), ("bumped_before", "t.bumped_at")):
        if name in keep:
            days = ctx.int_param(name, lo=0) or 0
            lq.add(f"{col} < ?", iso(now_dt() - timedelta(days=days)))
    if "solved" in keep:
        if keep["solved"] == "yes":
            lq.status("solved")
        elif keep["solved"] == "no":
            lq.status("unsolved")
        else:
            raise invalid_params("solved")
    if "assigned" in keep:  # Assign's list filter; ignored where the viewer may not use it
        assigned = routes_assign.filter_clause(con, ctx, settings, keep["assigned"])
        if assigned is not None:
            lq.add(assigned[0], *assigned[1])
    if category is None and "category" in keep:
        category = visible_category(ctx, category_by_slug_or_id(con, keep["category"]))
    if category is not None:
        lq.add("t.category_id = ?", category["id"])
    return run_list(con, ctx, settings, lq, base, keep)


def filter_list(ctx: Ctx, settings: dict[str, Any], con: sqlite3.Connection) -> dict[str, Any]:
    lq = ListQuery(ctx, settings)
    q = ctx.param("q", "") or ""
    lq.order = "activity"
    for token in q.split():
        if ":" not in token:
            continue
        key, _, value = token.partition(":")
        key = key.lstrip("-")
        if key == "activity-after":
            lq.add("t.bumped_at >= ?", date_or_days(value, key))
        elif key == "activity-before":
            lq.add("t.bumped_at < ?", date_or_days(value, key))
        elif key == "created-after":
            lq.add("t.created_at >= ?", date_or_days(value, key))
        elif key == "created-before":
            lq.add("t.created_at < ?", date_or_days(value, key))
        elif key == "latest-post-after":
            lq.add("t.last_posted_at >= ?", date_or_days(value, key))
        elif key == "latest-post-before":
            lq.add("t.last_posted_at < ?", date_or_days(value, key))
        elif key == "status":
            for v in value.split(","):
                lq.status(v)
        elif key == "order":
            asc = value.endswith("-asc")
            name = value[:-4] if asc else value
            if name in ORDERS:
                lq.order = name
                lq.ascending = asc
        elif key == "category" or key == "categories":
            ids = []
            for slug in value.split(","):
                cat = category_by_slug_or_id(con, slug.lstrip("="))
                if cat is not None and (ctx.staff or not cat["read_restricted"]):
                    ids.append(int(cat["id"]))
            lq.add(f"t.category_id IN ({','.join(str(i) for i in ids) or '-1'})")
        elif key == "tag" or key == "tags":
            names = value.replace("+", ",").split(",")
            lq.add(
                f"EXISTS (SELECT 1 FROM json_each(t.tags) j WHERE j.value IN ({','.join('?' * len(names))}))",
                *names,
            )
        elif key == "assigned":
            assigned = routes_assign.filter_clause(con, ctx, settings, value)
            if assigned is not None:
                lq.add(assigned[0], *assigned[1])
        elif key in ("posts-min", "posts-max"):
            if not value.isdigit():
                raise invalid_params(key)
            lq.add(f"t.posts_count {'>=' if key == 'posts-min' else '<='} ?", int(value))
    return run_list(con, ctx, settings, lq, "/filter", {"q": q})


# ---------------------------------------------------------------- topic view


def load_topic(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], topic_id: int) -> Row:
    t = con.execute(
        "SELECT t.*, c.read_restricted FROM topics t JOIN categories c ON c.id = t.category_id "
        "WHERE t.id = ?",
        (topic_id,),
    ).fetchone()
    if t is None:
        raise not_found()
    if t["read_restricted"] and not ctx.staff:
        if settings.get("detailed_404"):
            raise invalid_access()
        raise not_found()
    if t["deleted_at"] is not None and not ctx.staff:
        if settings.get("detailed_404"):
            raise error(410, "The requested topic has been deleted.", "not_found")
        raise not_found()
    return t  # type: ignore[no-any-return]


def can_accept(ctx: Ctx, settings: dict[str, Any], t: Row, cat_enabled: bool) -> bool:
    if ctx.user is None or not settings.get("solved_enabled", True):
        return False
    if not (settings.get("allow_solved_on_all_topics") or cat_enabled):
        return False
    if ctx.staff or ctx.user["trust_level"] >= 4:
        return True
    return bool(
        t["user_id"] == ctx.uid and not t["closed"] and settings.get("accept_solutions_topic_author", True)
    )


def visible_post_filter(ctx: Ctx, show_deleted: bool) -> str:
    cond = "p.post_type IN (1, 2, 3)" if not ctx.whisperer else "p.post_type IN (1, 2, 3, 4)"
    if not (show_deleted and ctx.staff):
        cond += " AND p.deleted_at IS NULL"
    return cond


def posts_json(
    con: sqlite3.Connection,
    ctx: Ctx,
    settings: dict[str, Any],
    t: Row,
    posts: list[Row],
    *,
    include_raw: bool,
    extra_topic: bool = False,
) -> list[dict[str, Any]]:
    return posts_json_multi(
        con, ctx, settings, {int(t["id"]): t}, posts, include_raw=include_raw, extra_topic=extra_topic
    )


def posts_json_multi(
    con: sqlite3.Connection,
    ctx: Ctx,
    settings: dict[str, Any],
    topics: dict[int, Row],
    posts: list[Row],
    *,
    include_raw: bool,
    extra_topic: bool = False,
) -> list[dict[str, Any]]:
    """Serialise posts of one or more topics with a fixed number of queries."""
    users = users_by_id(con, [p["user_id"] for p in posts])
    liked: set[int] = set()
    if ctx.uid is not None and posts:
        marks = ",".join("?" * len(posts))
        liked = {
            int(r[0])
            for r in con.execute(
                f"SELECT post_id FROM likes WHERE user_id = ? AND post_id IN ({marks})",
                [ctx.uid, *[p["id"] for p in posts]],
            )
        }
    tids = list(topics)
    sols = {
        int(r[0]): int(r[1])
        for r in con.execute(
            f"SELECT topic_id, post_id FROM solutions WHERE topic_id IN ({','.join('?' * len(tids))})", tids
        )
    }
    enabled = {
        int(r[0]): bool(r[1]) for r in con.execute("SELECT id, enable_accepted_answers FROM categories")
    }
    acc = {
        tid: can_accept(ctx, settings, t, enabled.get(int(t["category_id"]), False))
        for tid, t in topics.items()
    }
    out = []
    for p in posts:
        tid = int(p["topic_id"])
        out.append(
            post_json(
                p,
                topics[tid],
                users.get(p["user_id"]),
                ctx,
                liked=int(p["id"]) in liked,
                solution_post_id=sols.get(tid),
                can_accept=acc[tid] and p["post_number"] > 1 and p["post_type"] == 1,
                include_raw=include_raw,
                extra_topic=extra_topic,
            )
        )
    return out


def accepted_answer_json(
    con: sqlite3.Connection, settings: dict[str, Any], topic_id: int
) -> dict[str, Any] | None:
    r = con.execute(
        "SELECT p.post_number, p.cooked, u.username, u.name, a.username AS ausername, a.name AS aname "
        "FROM solutions s JOIN posts p ON p.id = s.post_id LEFT JOIN users u ON u.id = p.user_id "
        "LEFT JOIN users a ON a.id = s.accepter_id WHERE s.topic_id = ?",
        (topic_id,),
    ).fetchone()
    if r is None:
        return None
    from modconsole.demo.core import excerpt

    # names only where the site shows names on posts (display_name_on_posts, enable_names); the accepter only
    # with show_who_marked_solved (discourse-solved topics_controller_spec)
    names = bool(settings.get("enable_names", True) and settings.get("display_name_on_posts"))
    d: dict[str, Any] = {
        "post_number": r["post_number"],
        "username": r["username"],
        "name": r["name"] if names else None,
        "excerpt": excerpt(r["cooked"], 300),
    }
    if settings.get("show_who_marked_solved"):
        d["accepter_username"] = r["ausername"]
        d["accepter_name"] = r["aname"] if names else None
    return d


def topic_view(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], topic_id: int) -> dict[str, Any]:
    t = load_topic(con, ctx, settings, topic_id)
    show_deleted = ctx.bool_param("show_deleted")
    cond = visible_post_filter(ctx, show_deleted)
    stream = [
        int(r[0])
        for r in con.execute(
            f"SELECT p.id FROM posts p WHERE p.topic_id = ? AND {cond} ORDER BY p.post_number", (topic_id,)
        )
    ]
    page = ctx.int_param("page", 1, lo=0) or 1
    chunk = stream[(page - 1) * 20 : page * 20]
    if not chunk and page > 1:
        raise not_found()
    rows = []
    if chunk:
        marks = ",".join("?" * len(chunk))
        rows = con.execute(
            f"SELECT * FROM posts WHERE id IN ({marks}) ORDER BY post_number", chunk
        ).fetchall()
    include_raw = bool(ctx.param("include_raw"))
    posts = posts_json(con, ctx, settings, t, rows, include_raw=include_raw)
    creator = con.execute("SELECT * FROM users WHERE id = ?", (t["user_id"],)).fetchone()
    last_uid = con.execute(
        "SELECT user_id FROM posts WHERE topic_id = ? AND deleted_at IS NULL AND post_type = 1 "
        "ORDER BY post_number DESC LIMIT 1",
        (topic_id,),
    ).fetchone()
    last_u = con.execute("SELECT * FROM users WHERE id = ?", (last_uid[0] if last_uid else None,)).fetchone()
    parts = con.execute(
        "SELECT u.*, COUNT(*) AS pc FROM posts p JOIN users u ON u.id = p.user_id WHERE p.topic_id = ? "
        "AND p.deleted_at IS NULL AND p.post_type = 1 GROUP BY u.id ORDER BY pc DESC LIMIT 24",
        (topic_id,),
    ).fetchall()
    has_deleted = con.execute(
        "SELECT EXISTS(SELECT 1 FROM posts WHERE topic_id = ? AND deleted_at IS NOT NULL)", (topic_id,)
    ).fetchone()[0]
    staff = ctx.staff

    def bu(u: Row | None) -> dict[str, Any]:
        return (
            basic_user(u) if u is not None else {"id": 0, "username": "", "name": "", "avatar_template": ""}
        )

    from modconsole.demo.serializers import tags_value

    d: dict[str, Any] = {
        "post_stream": {"posts": posts, "stream": stream},
        "timeline_lookup": [],
        "suggested_topics": [],
        "tags": tags_value(t["tags"], True),
        "tags_descriptions": {},
        "id": t["id"],
        "title": t["title"],
        "fancy_title": t["title"],
        "posts_count": t["posts_count"],
        "created_at": t["created_at"],
        "views": t["views"],
        "reply_count": t["reply_count"],
        "like_count": t["like_count"],
        "last_posted_at": t["last_posted_at"],
        "visible": bool(t["visible"]),
        "closed": bool(t["closed"]),
        "archived": bool(t["archived"]),
        "has_summary": False,
        "archetype": t["archetype"],
        "slug": t["slug"],
        "category_id": t["category_id"],
        "word_count": None,
        "deleted_at": t["deleted_at"],
        "user_id": t["user_id"],
        "featured_link": None,
        "pinned_globally": bool(t["pinned_globally"]),
        "pinned_at": t["bumped_at"] if t["pinned"] else None,
        "pinned_until": None,
        "image_url": None,
        "slow_mode_seconds": 0,
        "draft": None,
        "draft_key": f"topic_{t['id']}",
        "draft_sequence": 0,
        "unpinned": None,
        "pinned": bool(t["pinned"]),
        "highest_post_number": t["highest_post_number"],
        "deleted_by": ({"id": t["deleted_by_id"]} if t["deleted_by_id"] is not None else None),
        "has_deleted": bool(has_deleted) and staff,
        "actions_summary": [],
        "chunk_size": 20,
        "bookmarked": False,
        "bookmarks": [],
        "topic_timer": None,
        "message_bus_last_id": 0,
        "participant_count": len(parts),
        "show_read_indicator": False,
        "thumbnails": None,
        "slow_mode_enabled_until": None,
        "accepted_answer": accepted_answer_json(con, settings, topic_id),
        "details": {
            "can_edit": staff,
            "notification_level": 1,
            "can_move_posts": staff,
            "can_delete": staff,
            "can_remove_allowed_users": staff,
            "can_create_post": ctx.user is not None and not t["closed"],
            "can_reply_as_new_topic": ctx.user is not None,
            "can_convert_topic": staff,
            "can_review_topic": staff,
            "can_close_topic": staff,
            "can_archive_topic": staff,
            "can_split_merge_topic": staff,
            "can_edit_staff_notes": staff,
            "can_toggle_topic_visibility": staff,
            "can_pin_unpin_topic": staff,
            "can_moderate_category": staff,
            "can_remove_self_id": ctx.uid or 0,
            "participants": [
                {
                    **basic_user(u),
                    "post_count": u["pc"],
                    "primary_group_name": None,
                    "flair_name": None,
                    "flair_url": None,
                    "flair_color": None,
                    "flair_bg_color": None,
                    "flair_group_id": None,
                    "admin": bool(u["admin"]),
                    "moderator": bool(u["moderator"]),
                    "trust_level": u["trust_level"],
                }
                for u in parts
            ],
            "created_by": bu(creator),
            "last_poster": bu(last_u),
        },
    }
    if not settings.get("tag_objects"):
        d["tags"] = tags_value(t["tags"], False)
    routes_assign.decorate_view(con, ctx, settings, d)
    return d


def topic_posts(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], topic_id: int) -> dict[str, Any]:
    t = load_topic(con, ctx, settings, topic_id)
    ids: list[int] = []
    for v in ctx.plist("post_ids"):
        try:
            ids.append(int(v))
        except ValueError:
            raise invalid_params("post_ids") from None
    rows: list[Row] = []
    if ids:
        cond = visible_post_filter(ctx, True)
        marks = ",".join("?" * len(ids))
        rows = con.execute(
            f"SELECT * FROM posts p WHERE p.topic_id = ? AND p.id IN ({marks}) AND {cond} "
            "ORDER BY p.post_number",
            [topic_id, *ids],
        ).fetchall()
    return {
        "post_stream": {
            "posts": posts_json(con, ctx, settings, t, rows, include_raw=bool(ctx.param("include_raw")))
        },
        "id": topic_id,
    }


def topic_post_ids(
    con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], topic_id: int
) -> dict[str, Any]:
    load_topic(con, ctx, settings, topic_id)
    after = ctx.int_param("post_number", 0, lo=0) or 0
    cond = visible_post_filter(ctx, False)
    ids = [
        int(r[0])
        for r in con.execute(
            f"SELECT p.id FROM posts p WHERE p.topic_id = ? AND p.post_number > ? AND {cond} ORDER BY "
            "p.post_number",
            (topic_id, after),
        )
    ]
    return {"post_ids": ids}


def latest_posts(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    before = ctx.int_param("before", None)
    restricted = "" if ctx.staff else "AND c.read_restricted = 0"
    args: list[Any] = []
    cond = ""
    if before is not None:
        cond = "AND p.id <= ?"
        args.append(before)
    # a correlated EXISTS walks posts by id; a join makes SQLite build a bloom filter over every topic
    rows = con.execute(
        "SELECT p.* FROM posts p WHERE p.post_type = 1 AND p.hidden = 0 AND p.deleted_at IS NULL "
        f"{cond} AND EXISTS (SELECT 1 FROM topics t JOIN categories c ON c.id = t.category_id "
        "WHERE t.id = p.topic_id AND t.deleted_at IS NULL AND t.visible = 1 AND t.archetype = 'regular' "
        f"{restricted}) ORDER BY p.id DESC LIMIT 50",
        args,
    ).fetchall()
    tids = sorted({int(p["topic_id"]) for p in rows})
    topics: dict[int, Row] = {}
    if tids:
        q = f"SELECT * FROM topics WHERE id IN ({','.join('?' * len(tids))})"
        topics = {int(t["id"]): t for t in con.execute(q, tids)}
    out = posts_json_multi(con, ctx, settings, topics, rows, include_raw=True, extra_topic=True)
    return {"latest_posts": out}


def single_post(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any], post_id: int) -> dict[str, Any]:
    p = con.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
    if (
        p is None
        or (p["deleted_at"] is not None and not ctx.staff)
        or (p["post_type"] == 4 and not ctx.whisperer)
    ):
        raise not_found()
    t = load_topic(con, ctx, settings, int(p["topic_id"]))
    return posts_json(con, ctx, settings, t, [p], include_raw=True)[0]


# ---------------------------------------------------------------- categories and site


def category_counts(con: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    return {
        int(r[0]): (int(r[1]), int(r[2] or 0))
        for r in con.execute(
            "SELECT category_id, COUNT(*), SUM(posts_count) FROM topics WHERE deleted_at IS NULL GROUP "
            "BY category_id"
        )
    }


def categories(con: sqlite3.Connection, ctx: Ctx) -> list[dict[str, Any]]:
    counts = category_counts(con)
    out = []
    for c in con.execute("SELECT * FROM categories ORDER BY position, id"):
        if c["read_restricted"] and not ctx.staff:
            continue
        tc, pc = counts.get(int(c["id"]), (0, 0))
        out.append(category_json(c, topic_count=tc, post_count=pc, staff=ctx.staff))
    return out


def categories_route(con: sqlite3.Connection, ctx: Ctx) -> dict[str, Any]:
    cats = categories(con, ctx)
    for c in cats:
        c.update(
            {
                "topics_day": 0,
                "topics_week": 0,
                "topics_month": 0,
                "topics_year": 0,
                "topics_all_time": c["topic_count"],
                "is_uncategorized": False,
                "subcategory_list": None,
            }
        )
    return {
        "category_list": {
            "can_create_category": ctx.admin,
            "can_create_topic": ctx.user is not None,
            "categories": cats,
        }
    }


def site_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    groups = []
    for g in con.execute("SELECT * FROM groups ORDER BY name"):
        if not core.can_see_group(con, ctx, g):  # Site#groups: Group.visible_groups(user)
            continue
        groups.append(
            {
                "id": g["id"],
                "name": g["name"],
                "full_name": g["full_name"] or g["name"],
                "display_name": g["full_name"] or g["name"],
                "flair_url": g["flair_icon"],
                "flair_bg_color": g["flair_bg_color"],
                "flair_color": g["flair_color"],
                "automatic": bool(g["automatic"]),
            }
        )
    like = {
        "id": 2,
        "name_key": "like",
        "name": "Like",
        "description": "Like this post",
        "short_description": "Like",
        "is_flag": False,
        "require_message": False,
        "enabled": True,
        "applies_to": ["Post"],
        "is_used": True,
        "position": 0,
        "auto_action_type": False,
        "system": True,
    }
    return {
        "default_archetype": "regular",
        "notification_types": {
            k: i
            for i, k in enumerate(
                [
                    "mentioned",
                    "replied",
                    "quoted",
                    "edited",
                    "liked",
                    "private_message",
                    "invited_to_private_message",
                    "invitee_accepted",
                    "posted",
                    "moved_post",
                    "linked",
                    "granted_badge",
                    "invited_to_topic",
                    "custom",
                    "group_mentioned",
                    "group_message_summary",
                    "watching_first_post",
                    "topic_reminder",
                    "liked_consolidated",
                    "post_approved",
                    "code_review_commit_approved",
                    "membership_request_accepted",
                    "membership_request_consolidated",
                    "bookmark_reminder",
                    "reaction",
                    "votes_released",
                    "event_reminder",
                    "event_invitation",
                    "chat_mention",
                    "chat_message",
                    "chat_invitation",
                    "chat_group_mention",
                    "watching_category_or_tag",
                    "linked_consolidated",
                ],
                start=1,
            )
        },
        "post_types": {"regular": 1, "moderator_action": 2, "small_action": 3, "whisper": 4},
        "trust_levels": {"newuser": 0, "basic": 1, "member": 2, "regular": 3, "leader": 4},
        "groups": groups,
        "filters": ["latest", "unread", "new", "unseen", "top", "read", "posted", "bookmarks"],
        "homepage_choices": [],
        "periods": ["all", "yearly", "quarterly", "monthly", "weekly", "daily"],
        "top_menu_items": ["latest", "new", "unread", "top", "categories"],
        "anonymous_top_menu_items": ["latest", "top", "categories"],
        "uncategorized_category_id": 1,
        "user_field_max_length": 2048,
        "post_action_types": [like],
        "topic_flag_types": [],
        "can_create_tag": ctx.staff,
        "can_tag_topics": ctx.user is not None,
        "can_tag_pms": False,
        "tags_filter_regexp": "[\\/\\?#\\[\\]@!\\$&'\\(\\)\\*\\+,;=\\.%\\\\`^\\s|\\{\\}\"<>]+",
        "top_tags": [],
        "email_configured": False,
        "topic_featured_link_allowed_category_ids": [],
        "user_themes": [{"theme_id": 1, "name": "Default", "default": True, "color_scheme_id": None}],
        "user_color_schemes": [],
        "default_light_color_scheme": None,
        "default_dark_color_scheme": None,
        "censored_regexp": [],
        "custom_emoji_translation": {},
        "watched_words_replace": None,
        "watched_words_link": None,
        "categories": categories(con, ctx),
        "archetypes": [{"id": "regular", "name": "Regular Topic", "options": []}],
        "user_fields": [
            {
                "id": 1,
                "name": "Company",
                "description": "Your company",
                "field_type": "text",
                "editable": True,
                "required": False,
                "show_on_profile": True,
                "show_on_user_card": True,
                "searchable": True,
                "position": 1,
            }
        ],
        "auth_providers": [],
        "full_name_required_for_signup": False,
        "full_name_visible_in_signup": True,
        "solved_enabled": bool(settings.get("solved_enabled", True)),
    }


def search_route(con: sqlite3.Connection, ctx: Ctx, settings: dict[str, Any]) -> dict[str, Any]:
    for key in ctx.query:
        if re.fullmatch(r"(q|term)\[.*\]", key):  # a hash as the term: 400 (search_controller_spec)
            raise invalid_params(key.split("[", 1)[0])
    q = (ctx.param("q") or ctx.param("term") or "").strip()
    if "\0" in q:
        raise invalid_params("q")
    page = ctx.int_param("page", 1, lo=1) or 1
    lq = ListQuery(ctx, settings)
    terms: list[str] = []
    in_title = False
    for tok in q.split():
        low = tok.lower()
        if low.startswith("status:"):
            lq.status(low.split(":", 1)[1])
        elif low == "in:title":
            in_title = True
        elif low.startswith("category:") or (low.startswith("#") and len(low) > 1):
            slug = low.split(":", 1)[1] if ":" in low else low[1:]
            cat = category_by_slug_or_id(con, slug)
            lq.add("t.category_id = ?", cat["id"] if cat is not None else -1)
        elif low.startswith("@"):
            lq.add("p.user_id = (SELECT id FROM users WHERE username = ?)", tok[1:])
        elif low in ("in:assigned", "in:unassigned") or low.startswith("assigned:"):
            # Assign's advanced filters; silently ignored for those who may not use them
            value = {"in:assigned": "*", "in:unassigned": "nobody"}.get(low) or tok.split(":", 1)[1]
            assigned = routes_assign.filter_clause(con, ctx, settings, value)
            if assigned is not None:
                lq.add(assigned[0], *assigned[1])
        elif ":" in low and not low.startswith("http"):
            continue
        else:
            terms.append(tok)
    where, args = lq.sql()
    conds = [where, "p.deleted_at IS NULL", "p.post_type = 1", "p.hidden = 0"]
    for term in terms:
        if in_title:
            conds.append("t.title LIKE ?")
            args.append(f"%{term}%")
        else:
            conds.append("(p.raw LIKE ? OR (p.post_number = 1 AND t.title LIKE ?))")
            args.extend([f"%{term}%", f"%{term}%"])
    if in_title:
        conds.append("p.post_number = 1")
    rows = con.execute(
        "SELECT p.*, t.title AS t_title FROM posts p JOIN topics t ON t.id = p.topic_id "
        f"JOIN categories c ON c.id = t.category_id WHERE {' AND '.join(conds)} "
        "ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?",
        [*args, 51, (page - 1) * 50],
    ).fetchall()
    more = len(rows) > 50
    rows = rows[:50]
    users = users_by_id(con, [p["user_id"] for p in rows])
    from modconsole.demo.core import excerpt

    posts = []
    for p in rows:
        u = users.get(p["user_id"])
        posts.append(
            {
                "id": p["id"],
                "name": u["name"] if u else None,
                "username": u["username"] if u else None,
                "avatar_template": avatar(u),
                "created_at": p["created_at"],
                "like_count": p["like_count"],
                "blurb": excerpt(p["cooked"], 200),
                "post_number": p["post_number"],
                "topic_title_headline": p["t_title"],
                "topic_id": p["topic_id"],
            }
        )
    tids = list(dict.fromkeys(int(p["topic_id"]) for p in rows))
    topics: list[Row] = []
    if tids:
        marks = ",".join("?" * len(tids))
        found = {int(r["id"]): r for r in con.execute(f"SELECT * FROM topics WHERE id IN ({marks})", tids)}
        topics = [found[i] for i in tids if i in found]
    tl = topic_list_json(con, ctx, settings, topics, 50, None)["topic_list"]["topics"] if topics else []
    user_hits = []
    if terms and not in_title:
        for u in con.execute(
            "SELECT * FROM users WHERE deleted_at IS NULL AND (username LIKE ? OR name LIKE ?) LIMIT 10",
            (f"%{terms[0]}%", f"%{terms[0]}%"),
        ):
            user_hits.append(basic_user(u))
    return {
        "posts": posts,
        "topics": tl,
        "users": user_hits,
        "categories": [],
        "tags": [],
        "groups": [],
        "grouped_search_result": {
            "more_posts": True if more else None,
            "more_users": None,
            "more_categories": None,
            "term": q,
            "search_log_id": 0,
            "more_full_page_results": True if more else None,
            "can_create_topic": ctx.user is not None,
            "error": None,
            "post_ids": [p["id"] for p in posts],
            "user_ids": [u["id"] for u in user_hits],
            "category_ids": [],
            "tag_ids": [],
            "group_ids": [],
        },
    }


def avatar(u: Row | None) -> str:
    from modconsole.demo.core import avatar_template

    return avatar_template(u["username"] if u is not None else "deleted")


__all__ = ["HttpError"]
