"""The review queue of the demo community (``shared/discourse/CONTRACT-ADDITIONS.md`` §A2).

Routes (staff only, 403 for anyone else, as ``can_see_review_queue?`` without category group
moderation):

* ``GET /review.json`` — filters ``status`` (``pending`` default, ``approved``, ``rejected``,
  ``ignored``, ``deleted``, ``reviewed``, ``all``; other → 400), ``type`` (unknown → 400),
  ``category_id``, ``topic_id``, ``priority`` (``low``/``medium``/``high`` → minimum score),
  ``sort_order``, ``offset`` (page size fixed at 10); rows carry ``*_id(s)`` with ``users``,
  ``topics``, ``reviewable_scores``, ``bundled_actions``, ``actions`` and ``reviewable_histories``
  side-loaded, and ``meta`` with ``total_rows_reviewables`` and ``load_more_reviewables`` while more
  rows exist;
* ``GET /review/{id}.json`` (root ``reviewable``), ``GET /review/count.json``;
* ``PUT /review/{id}/perform/{action_id}.json?version=N`` — missing version → 422; claim gate (site
  setting ``reviewable_claiming``: ``disabled`` by default, ``optional``, ``required``) → 422;
  action not offered now (an item already handled offers none) → 403; stale version → 409 with
  Discourse's conflict message; success → ``reviewable_perform_result`` with the new version;
* ``POST /reviewable_claimed_topics.json`` (already claimed → 409, claiming disabled → 403),
  ``DELETE /reviewable_claimed_topics/{topic_id}.json`` (idempotent).

Actions follow the *legacy* scheme of §A2.3 for flagged posts (``agree_and_hide`` /
``agree_and_keep_hidden``, ``agree_and_keep``, ``delete_and_agree``; ``disagree`` or
``disagree_and_restore``; ``ignore_and_do_nothing``, ``delete_and_ignore``; aliases carry the
performed action in ``server_action``) and ``approve_post`` / ``reject_post`` for queued posts. A
client must read them from each item: which ones are offered depends on the post's state.

Scores (demo values, documented here rather than Discourse's formula): each flag scores
``1 + flagger trust level`` plus 5 for spam and inappropriate; priority thresholds are
``low`` 0, ``medium`` 5, ``high`` 8.

:func:`seed` writes a few flagged posts and one queued post, deterministically from the
community's seed and generation instant (the generator calls it; the server calls it for a store
generated before the review queue existed).
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from modconsole.demo import core
from modconsole.demo.core import Ctx, HttpError, error, invalid_access, not_found, now_iso

if TYPE_CHECKING:
    from modconsole.demo.server import DemoServer

PER_PAGE = 10
STATUSES = {"pending": 0, "approved": 1, "rejected": 2, "ignored": 3, "deleted": 4}
STATUS_NAMES = {v: k for k, v in STATUSES.items()}
TYPES = ("ReviewableFlaggedPost", "ReviewableQueuedPost", "ReviewableUser", "ReviewablePost")
PRIORITY_MIN_SCORE = {"low": 0.0, "medium": 5.0, "high": 8.0}
SORT_ORDERS = {
    "score": "r.score DESC, r.id DESC",
    "score_asc": "r.score ASC, r.id ASC",
    "created_at": "r.created_at DESC, r.id DESC",
    "created_at_asc": "r.created_at ASC, r.id ASC",
}
FLAG_TYPES = {3: "off_topic", 4: "inappropriate", 8: "spam"}
FLAG_TITLES = {3: "Off-Topic", 4: "Inappropriate", 8: "Spam"}
HISTORY = {"created": 0, "transitioned": 1, "edited": 2, "claimed": 3, "unclaimed": 4}

# Discourse's messages (config/locales/server.en.yml, reviewables.*); the conflict text is [unverified]
MSG_CONFLICT = "There was an update conflict preventing you from doing that."
MSG_MISSING_VERSION = "You must supply a version parameter"
MSG_MUST_CLAIM = "You must claim items before acting on them."
MSG_CLAIMED = "This item has been claimed by another user."

DDL = (
    """CREATE TABLE IF NOT EXISTS reviewables (
        id          INTEGER PRIMARY KEY,
        type        TEXT NOT NULL,
        status      INTEGER NOT NULL DEFAULT 0,
        topic_id    INTEGER,
        category_id INTEGER,
        target_type TEXT,
        target_id   INTEGER,
        created_by_id INTEGER,
        target_created_by_id INTEGER,
        score       REAL NOT NULL DEFAULT 0,
        version     INTEGER NOT NULL DEFAULT 0,
        payload     TEXT NOT NULL DEFAULT '{}',
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS reviewable_scores (
        id            INTEGER PRIMARY KEY,
        reviewable_id INTEGER NOT NULL,
        user_id       INTEGER NOT NULL,
        score_type    INTEGER NOT NULL,
        score         REAL NOT NULL,
        status        INTEGER NOT NULL DEFAULT 0,
        reason        TEXT,
        created_at    TEXT NOT NULL,
        reviewed_by_id INTEGER,
        reviewed_at   TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS reviewable_histories (
        id            INTEGER PRIMARY KEY,
        reviewable_id INTEGER NOT NULL,
        reviewable_history_type INTEGER NOT NULL,
        status        INTEGER NOT NULL,
        created_by_id INTEGER,
        created_at    TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS reviewable_claimed_topics (
        topic_id   INTEGER PRIMARY KEY,
        user_id    INTEGER NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS reviewables_status ON reviewables(status, score)",
    "CREATE INDEX IF NOT EXISTS reviewable_scores_item ON reviewable_scores(reviewable_id)",
)


def ensure_schema(con: sqlite3.Connection) -> None:
    for stmt in DDL:
        con.execute(stmt)


# ---------------------------------------------------------------- seeding


def _fmt(dt: datetime) -> str:
    return core.iso(dt)


def seed(con: sqlite3.Connection, *, seed: int, now: datetime) -> int:
    """Flag a few posts and queue one post for approval (once per store); returns items written.

    Its own random stream (``modconsole-demo/review/<seed>``), so the rest of the community is
    unchanged; timestamps are minutes to hours before ``now``."""
    ensure_schema(con)
    if con.execute("SELECT 1 FROM meta WHERE key = 'review_seeded'").fetchone():
        return 0
    rng = random.Random(f"modconsole-demo/review/{seed}")
    posts = con.execute(
        "SELECT p.id, p.topic_id, p.user_id, t.category_id FROM posts p JOIN topics t ON t.id = p.topic_id "
        "JOIN users u ON u.id = p.user_id WHERE p.deleted_at IS NULL AND p.hidden = 0 AND p.post_type = 1 "
        "AND t.deleted_at IS NULL AND t.archetype = 'regular' AND u.admin = 0 AND u.moderator = 0 "
        "ORDER BY p.id DESC LIMIT 300"
    ).fetchall()
    flaggers = con.execute(
        "SELECT id, trust_level FROM users WHERE admin = 0 AND moderator = 0 AND suspended_till IS NULL "
        "AND trust_level >= 1 ORDER BY id"
    ).fetchall()
    newbies = (
        con.execute(
            "SELECT id FROM users WHERE admin = 0 AND moderator = 0 AND suspended_till IS NULL "
            "AND trust_level = 0 ORDER BY id"
        ).fetchall()
        or flaggers
    )
    if len(posts) < 6 or len(flaggers) < 3:
        return 0
    picked = rng.sample(posts, 5)
    plans = [(8, 2), (3, 1), (4, 1), (8, 1)]  # (flag type, number of flaggers)
    written = 0
    for i, (ptype, n_flags) in enumerate(plans):
        post_id, topic_id, author, cat = picked[i]
        created = now - timedelta(minutes=20 + 37 * i + int(rng.random() * 30))
        who = [f for f in rng.sample(flaggers, min(len(flaggers), n_flags + 1)) if f[0] != author][:n_flags]
        scores = [1.0 + int(tl) + (5.0 if ptype in (4, 8) else 0.0) for _, tl in who]
        rid = _insert_item(
            con,
            "ReviewableFlaggedPost",
            topic_id=topic_id,
            category_id=cat,
            target_type="Post",
            target_id=post_id,
            created_by_id=who[0][0],
            target_created_by_id=author,
            score=sum(scores),
            payload={},
            when=_fmt(created),
        )
        for k, ((uid, _tl), sc) in enumerate(zip(who, scores, strict=True)):
            con.execute(
                "INSERT INTO reviewable_scores(reviewable_id, user_id, score_type, score, reason, "
                "created_at) VALUES (?,?,?,?,?,?)",
                (rid, uid, ptype, sc, None, _fmt(created + timedelta(minutes=3 * k))),
            )
        written += 1
    # one reply from a new member held for approval
    _pid, topic_id, _author, cat = picked[4]
    author_id = int(newbies[int(rng.random() * len(newbies))][0])
    created = now - timedelta(minutes=12)
    raw = "Thanks for the tips! For anyone else stuck here, our full export script is at example.invalid/x"
    _insert_item(
        con,
        "ReviewableQueuedPost",
        topic_id=topic_id,
        category_id=cat,
        target_type=None,
        target_id=None,
        created_by_id=author_id,
        target_created_by_id=author_id,
        score=1.0,
        payload={"raw": raw, "reply_to_post_number": None},
        when=_fmt(created),
    )
    written += 1
    con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('review_seeded', ?)", (json.dumps(written),))
    return written


def _insert_item(
    con: sqlite3.Connection,
    rtype: str,
    *,
    topic_id: int | None,
    category_id: int | None,
    target_type: str | None,
    target_id: int | None,
    created_by_id: int | None,
    target_created_by_id: int | None,
    score: float,
    payload: dict[str, Any],
    when: str,
) -> int:
    cur = con.execute(
        "INSERT INTO reviewables(type, status, topic_id, category_id, target_type, target_id, created_by_id, "
        "target_created_by_id, score, version, payload, created_at, updated_at) "
        "VALUES (?,0,?,?,?,?,?,?,?,0,?,?,?)",
        (
            rtype,
            topic_id,
            category_id,
            target_type,
            target_id,
            created_by_id,
            target_created_by_id,
            score,
            json.dumps(payload),
            when,
            when,
        ),
    )
    rid = int(cur.lastrowid or 0)
    con.execute(
        "INSERT INTO reviewable_histories(reviewable_id, reviewable_history_type, status, created_by_id, "
        "created_at) VALUES (?,?,0,?,?)",
        (rid, HISTORY["created"], created_by_id, when),
    )
    return rid


# ---------------------------------------------------------------- actions offered


def _action(aid: str, label: str, *, server_action: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": aid,
        "server_action": server_action or aid,
        "label": label,
        "icon": extra.pop("icon", None),
        "button_class": extra.pop("button_class", None),
        "description": extra.pop("description", None),
        "confirm_message": extra.pop("confirm_message", None),
        "client_action": extra.pop("client_action", None),
        "require_reject_reason": False,
        "completed_message": None,
    }


def actions_for(con: sqlite3.Connection, item: sqlite3.Row) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """``[(bundle suffix, bundle label, [actions])]`` offered now: none once the item is handled."""
    if int(item["status"]) != 0:
        return []
    if item["type"] == "ReviewableQueuedPost":
        return [
            ("approve_post", "Approve Post", [_action("approve_post", "Approve Post", icon="check")]),
            ("reject_post", "Reject Post", [_action("reject_post", "Reject Post", icon="xmark")]),
        ]
    post = con.execute("SELECT hidden, deleted_at FROM posts WHERE id = ?", (item["target_id"],)).fetchone()
    hidden = bool(post and post["hidden"])
    deleted = bool(post and post["deleted_at"])
    agree = []
    if hidden:
        agree.append(_action("agree_and_keep_hidden", "Keep Post Hidden", server_action="agree_and_keep"))
    else:
        agree.append(_action("agree_and_hide", "Hide Post"))
    agree.append(_action("agree_and_keep", "Keep Post"))
    if not deleted:
        agree.append(_action("delete_and_agree", "Delete Post", confirm_message="Delete this post?"))
    disagree = (
        _action("disagree_and_restore", "No, Restore Post", server_action="disagree")
        if hidden
        else _action("disagree", "No")
    )
    ignore = [_action("ignore_and_do_nothing", "Do Nothing", server_action="ignore")]
    if not deleted:
        ignore.append(_action("delete_and_ignore", "Ignore and Delete Post"))
    return [
        ("agree", "Yes", agree),
        (disagree["id"], disagree["label"], [disagree]),
        ("ignore", "Ignore", ignore),
    ]


def _offered(con: sqlite3.Connection, item: sqlite3.Row) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for _suffix, _label, acts in actions_for(con, item):
        for a in acts:
            out[a["id"]] = a
            out.setdefault(a["server_action"], a)
    return out


# ---------------------------------------------------------------- serialising


def _user_json(u: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": u["id"],
        "username": u["username"],
        "name": u["name"],
        "avatar_template": core.avatar_template(u["username"]),
        "trust_level": u["trust_level"],
    }


def serialize(server: DemoServer, con: sqlite3.Connection, items: list[sqlite3.Row]) -> dict[str, Any]:
    """Rows and their side-loads, as ``rest_serializer`` renders them."""
    users: dict[int, dict[str, Any]] = {}
    topics: dict[int, dict[str, Any]] = {}
    scores: list[dict[str, Any]] = []
    bundles: list[dict[str, Any]] = []
    actions: dict[str, dict[str, Any]] = {}
    histories: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    want_users: set[int] = set()
    claiming = str(server.settings.get("reviewable_claiming", "disabled")) != "disabled"
    for it in items:
        rid = int(it["id"])
        row: dict[str, Any] = {
            "id": rid,
            "type": it["type"],
            "type_source": "core",
            "status": int(it["status"]),
            "score": float(it["score"]),
            "version": int(it["version"]),
            "created_at": it["created_at"],
            "topic_id": it["topic_id"],
            "category_id": it["category_id"],
            "target_type": it["target_type"],
            "target_id": it["target_id"],
            "created_by_id": it["created_by_id"],
            "target_created_by_id": it["target_created_by_id"],
            "can_edit": it["type"] == "ReviewableQueuedPost" and int(it["status"]) == 0,
            "editable_fields": [],
            "payload": core.loads_json(it["payload"], {}),
            "created_from_flag?": it["type"] == "ReviewableFlaggedPost",
        }
        for k in ("created_by_id", "target_created_by_id"):
            if it[k] is not None:
                want_users.add(int(it[k]))
        t = None
        if it["topic_id"] is not None:
            t = con.execute(
                "SELECT id, title, slug, posts_count, deleted_at FROM topics WHERE id = ?", (it["topic_id"],)
            ).fetchone()
        if t is not None:
            row["topic_url"] = f"/t/{t['slug']}/{t['id']}"
            topics[int(t["id"])] = {
                "id": t["id"],
                "title": t["title"],
                "fancy_title": t["title"],
                "slug": t["slug"],
                "posts_count": t["posts_count"],
            }
        else:
            row["removed_topic_id"] = it["topic_id"]
        if it["target_type"] == "Post" and it["target_id"] is not None:
            p = con.execute(
                "SELECT id, post_number, raw, cooked, created_at, deleted_at, deleted_by_id, hidden "
                "FROM posts WHERE id = ?",
                (it["target_id"],),
            ).fetchone()
            row["post_id"] = it["target_id"]
            if p is not None:
                row["target_url"] = f"{row.get('topic_url', '')}/{p['post_number']}"
                row["target_created_at"] = p["created_at"]
                row["post_number"] = p["post_number"]
                row["raw"] = p["raw"]
                row["cooked"] = p["cooked"]
                row["blank_post"] = False
                if p["deleted_at"]:
                    row["target_deleted_at"] = p["deleted_at"]
                    row["target_deleted_by_id"] = p["deleted_by_id"]
        if it["target_created_by_id"] is not None:
            tl = con.execute(
                "SELECT trust_level FROM users WHERE id = ?", (it["target_created_by_id"],)
            ).fetchone()
            row["target_created_by_trust_level"] = tl[0] if tl else None
        sc = con.execute(
            "SELECT * FROM reviewable_scores WHERE reviewable_id = ? ORDER BY id", (rid,)
        ).fetchall()
        row["reviewable_score_ids"] = [int(s["id"]) for s in sc]
        for s in sc:
            want_users.add(int(s["user_id"]))
            if s["reviewed_by_id"] is not None:
                want_users.add(int(s["reviewed_by_id"]))
            agreed = con.execute(
                "SELECT COUNT(*) FROM reviewable_scores WHERE user_id = ? AND status = 1", (s["user_id"],)
            ).fetchone()[0]
            disagreed = con.execute(
                "SELECT COUNT(*) FROM reviewable_scores WHERE user_id = ? AND status = 2", (s["user_id"],)
            ).fetchone()[0]
            ignored = con.execute(
                "SELECT COUNT(*) FROM reviewable_scores WHERE user_id = ? AND status = 3", (s["user_id"],)
            ).fetchone()[0]
            stype = int(s["score_type"])
            scores.append(
                {
                    "id": s["id"],
                    "score": float(s["score"]),
                    "agree_stats": {"agreed": agreed, "disagreed": disagreed, "ignored": ignored},
                    "status": int(s["status"]),
                    "reason": s["reason"],
                    "created_at": s["created_at"],
                    "reviewed_at": s["reviewed_at"],
                    "user_id": s["user_id"],
                    "reviewed_by_id": s["reviewed_by_id"],
                    "score_type": {
                        "id": stype,
                        "type": FLAG_TYPES.get(stype, "flag"),
                        "title": FLAG_TITLES.get(stype, "Flag"),
                        "score_bonus": 0.0,
                    },
                }
            )
        row["bundled_action_ids"] = []
        for suffix, label, acts in actions_for(con, it):
            bid = f"{rid}-{suffix}"
            row["bundled_action_ids"].append(bid)
            bundles.append({"id": bid, "icon": None, "label": label, "action_ids": [a["id"] for a in acts]})
            for a in acts:
                actions[a["id"]] = a
        hs = con.execute(
            "SELECT * FROM reviewable_histories WHERE reviewable_id = ? ORDER BY id", (rid,)
        ).fetchall()
        row["reviewable_history_ids"] = [int(h["id"]) for h in hs]
        for h in hs:
            if h["created_by_id"] is not None:
                want_users.add(int(h["created_by_id"]))
            histories.append(
                {
                    "id": h["id"],
                    "reviewable_history_type": h["reviewable_history_type"],
                    "status": h["status"],
                    "created_at": h["created_at"],
                    "created_by_id": h["created_by_id"],
                }
            )
        row["reviewable_note_ids"] = []
        if claiming:
            claim = con.execute(
                "SELECT user_id FROM reviewable_claimed_topics WHERE topic_id = ?", (it["topic_id"],)
            ).fetchone()
            row["claimed_by"] = {"user_id": claim[0], "automatic": False} if claim else None
            if claim:
                want_users.add(int(claim[0]))
        rows.append(row)
    for uid in sorted(want_users):
        u = con.execute("SELECT id, username, name, trust_level FROM users WHERE id = ?", (uid,)).fetchone()
        if u is not None:
            users[uid] = _user_json(u)
    return {
        "rows": rows,
        "users": list(users.values()),
        "topics": list(topics.values()),
        "reviewable_scores": scores,
        "bundled_actions": bundles,
        "actions": list(actions.values()),
        "reviewable_histories": histories,
    }


def _require_reviewer(ctx: Ctx) -> None:
    ctx.require_login()
    if not ctx.staff:
        raise invalid_access()


def _get_item(con: sqlite3.Connection, rid: int) -> sqlite3.Row:
    it: sqlite3.Row | None = con.execute("SELECT * FROM reviewables WHERE id = ?", (rid,)).fetchone()
    if it is None:
        raise not_found()
    return it


def pending_count(con: sqlite3.Connection) -> int:
    return int(con.execute("SELECT COUNT(*) FROM reviewables WHERE status = 0").fetchone()[0])


# ---------------------------------------------------------------- routes


def index(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _require_reviewer(ctx)
    where: list[str] = []
    args: list[Any] = []
    status = ctx.param("status") or "pending"
    if status == "reviewed":
        where.append("r.status <> 0")
    elif status == "all":
        pass
    elif status in STATUSES:
        where.append("r.status = ?")
        args.append(STATUSES[status])
    else:
        raise error(400, f"Invalid status: {status}", "invalid_parameters")
    rtype = ctx.param("type")
    if rtype:
        if rtype not in TYPES:
            raise error(400, f"Invalid type: {rtype}", "invalid_parameters")
        where.append("r.type = ?")
        args.append(rtype)
    for name in ("category_id", "topic_id"):
        v = ctx.int_param(name)
        if v is not None:
            where.append(f"r.{name} = ?")
            args.append(v)
    ids = [int(x) for x in ctx.plist("ids") if x.strip().lstrip("-").isdigit()]
    if ids:
        where.append(f"r.id IN ({','.join('?' * len(ids))})")
        args.extend(ids)
    priority = ctx.param("priority") or "low"
    where.append("r.score >= ?")
    args.append(PRIORITY_MIN_SCORE.get(priority, 0.0))
    order = SORT_ORDERS.get(ctx.param("sort_order") or "score", SORT_ORDERS["score"])
    offset = ctx.int_param("offset", 0, lo=0) or 0
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = int(con.execute(f"SELECT COUNT(*) FROM reviewables r {clause}", args).fetchone()[0])
    items = con.execute(
        f"SELECT r.* FROM reviewables r {clause} ORDER BY {order} LIMIT ? OFFSET ?", [*args, PER_PAGE, offset]
    ).fetchall()
    out = serialize(s, con, items)
    rows = out.pop("rows")
    meta: dict[str, Any] = {
        "status": status,
        "type": rtype,
        "priority": priority,
        "sort_order": ctx.param("sort_order") or "score",
        "offset": offset,
        "total_rows_reviewables": total,
        "types": {t: t for t in TYPES},
        "reviewable_types": list(TYPES),
        "reviewable_count": pending_count(con),
        "unseen_reviewable_count": 0,
    }
    for name in ("category_id", "topic_id"):
        if ctx.param(name):
            meta[name] = ctx.param(name)
    if offset + PER_PAGE < total:
        q = {k: v for k, v in (("status", status), ("type", rtype), ("priority", priority)) if v}
        for name in ("category_id", "topic_id", "sort_order"):
            if ctx.param(name):
                q[name] = str(ctx.param(name))
        q["offset"] = str(offset + PER_PAGE)
        meta["load_more_reviewables"] = "/review?" + "&".join(f"{k}={v}" for k, v in q.items())
    return {"reviewables": rows, **out, "meta": meta}


def show(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    _require_reviewer(ctx)
    out = serialize(s, con, [_get_item(con, int(id))])
    row = out.pop("rows")[0]
    return {"reviewable": row, **out, "meta": {"reviewable_count": pending_count(con)}}


def count(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _require_reviewer(ctx)
    return {"count": pending_count(con)}


def _history(con: sqlite3.Connection, rid: int, htype: str, status: int, uid: int | None) -> None:
    con.execute(
        "INSERT INTO reviewable_histories(reviewable_id, reviewable_history_type, status, created_by_id, "
        "created_at) VALUES (?,?,?,?,?)",
        (rid, HISTORY[htype], status, uid, now_iso()),
    )


def perform(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str, action_id: str) -> Any:
    _require_reviewer(ctx)
    if not action_id.replace("_", "").isalpha() or action_id.lower() != action_id:
        raise not_found()  # the route only matches [a-z_]+
    it = _get_item(con, int(id))
    raw_version = ctx.param("version")
    if raw_version is None or raw_version == "":
        raise error(422, MSG_MISSING_VERSION)
    claiming = str(s.settings.get("reviewable_claiming", "disabled"))
    if claiming != "disabled" and it["topic_id"] is not None:
        claim = con.execute(
            "SELECT user_id FROM reviewable_claimed_topics WHERE topic_id = ?", (it["topic_id"],)
        ).fetchone()
        if claim is None and claiming == "required":
            raise error(422, MSG_MUST_CLAIM)
        if claim is not None and int(claim[0]) != ctx.uid:
            raise error(422, MSG_CLAIMED)
    offered = _offered(con, it)
    if action_id not in offered:
        raise invalid_access()
    try:
        version = int(raw_version)
    except ValueError:
        raise error(409, MSG_CONFLICT) from None
    cur = con.execute(
        "UPDATE reviewables SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        (now_iso(), it["id"], version),
    )
    if cur.rowcount == 0:
        raise error(409, MSG_CONFLICT)
    server_action = str(offered[action_id]["server_action"])
    result: dict[str, Any] = {}
    new_status = _apply(con, it, server_action, ctx.uid, result)
    now = now_iso()
    con.execute("UPDATE reviewables SET status = ? WHERE id = ?", (new_status, it["id"]))
    con.execute(
        "UPDATE reviewable_scores SET status = ?, reviewed_by_id = ?, reviewed_at = ? "
        "WHERE reviewable_id = ?",
        (new_status, ctx.uid, now, it["id"]),
    )
    _history(con, int(it["id"]), "transitioned", new_status, ctx.uid)
    if claiming != "disabled" and it["topic_id"] is not None:
        con.execute("DELETE FROM reviewable_claimed_topics WHERE topic_id = ?", (it["topic_id"],))
    return {
        "reviewable_perform_result": {
            "success": "OK",
            "version": version + 1,
            "transition_to": STATUS_NAMES[new_status],
            "transition_to_id": new_status,
            "remove_reviewable_ids": [int(it["id"])],
            "reviewable_count": pending_count(con),
            "unseen_reviewable_count": 0,
            **result,
        }
    }


def _apply(
    con: sqlite3.Connection, it: sqlite3.Row, action: str, uid: int | None, result: dict[str, Any]
) -> int:
    """Run the action's effect on the community; returns the item's new status."""
    post_id = it["target_id"]
    now = now_iso()

    def delete_post() -> None:
        con.execute(
            "UPDATE posts SET deleted_at = ?, deleted_by_id = ? WHERE id = ? AND deleted_at IS NULL",
            (now, uid, post_id),
        )
        core.refresh_topic(con, int(it["topic_id"]))

    if action == "approve_post":
        p = core.loads_json(it["payload"], {})
        new_id = core.create_post(
            con,
            int(it["created_by_id"]),
            int(it["topic_id"]),
            str(p.get("raw") or ""),
            reply_to_post_number=p.get("reply_to_post_number"),
        )
        con.execute(
            "UPDATE reviewables SET target_type = 'Post', target_id = ? WHERE id = ?", (new_id, it["id"])
        )
        result["created_post_id"] = new_id
        result["created_post_topic_id"] = it["topic_id"]
        return STATUSES["approved"]
    if action == "reject_post":
        return STATUSES["rejected"]
    if action == "agree_and_hide":
        con.execute("UPDATE posts SET hidden = 1 WHERE id = ?", (post_id,))
        return STATUSES["approved"]
    if action == "agree_and_keep":
        return STATUSES["approved"]
    if action == "delete_and_agree":
        delete_post()
        return STATUSES["approved"]
    if action == "disagree":
        con.execute("UPDATE posts SET hidden = 0 WHERE id = ?", (post_id,))
        return STATUSES["rejected"]
    if action == "ignore":
        return STATUSES["ignored"]
    if action == "delete_and_ignore":
        delete_post()
        return STATUSES["ignored"]
    raise invalid_access()  # pragma: no cover - actions_for offers only the ones above


def claim(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _require_reviewer(ctx)
    if str(s.settings.get("reviewable_claiming", "disabled")) == "disabled":
        raise invalid_access()
    raw = ctx.param("reviewable_claimed_topic[topic_id]") or ctx.param("topic_id")
    body_claim = ctx.body.get("reviewable_claimed_topic")
    if raw is None and isinstance(body_claim, dict):
        raw = str(body_claim.get("topic_id") or "")
    if not raw or not raw.isdigit():
        raise error(400, "param is missing or the value is empty: reviewable_claimed_topic")
    topic_id = int(raw)
    if con.execute("SELECT 1 FROM topics WHERE id = ?", (topic_id,)).fetchone() is None:
        raise not_found()
    if con.execute("SELECT 1 FROM reviewable_claimed_topics WHERE topic_id = ?", (topic_id,)).fetchone():
        raise error(409, MSG_CONFLICT)
    con.execute(
        "INSERT INTO reviewable_claimed_topics(topic_id, user_id, created_at) VALUES (?,?,?)",
        (topic_id, ctx.uid, now_iso()),
    )
    for (rid,) in con.execute("SELECT id FROM reviewables WHERE topic_id = ?", (topic_id,)).fetchall():
        _history(con, int(rid), "claimed", 0, ctx.uid)
    return {"success": "OK"}


def unclaim(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    _require_reviewer(ctx)
    if str(s.settings.get("reviewable_claiming", "disabled")) == "disabled":
        raise invalid_access()
    topic_id = int(id)
    if con.execute("SELECT 1 FROM topics WHERE id = ?", (topic_id,)).fetchone() is None:
        raise not_found()
    gone = con.execute("DELETE FROM reviewable_claimed_topics WHERE topic_id = ?", (topic_id,)).rowcount
    if gone:
        for (rid,) in con.execute("SELECT id FROM reviewables WHERE topic_id = ?", (topic_id,)).fetchall():
            _history(con, int(rid), "unclaimed", 0, ctx.uid)
    return {"success": "OK"}


def register(route: Callable[..., Callable[[Callable[..., Any]], Callable[..., Any]]]) -> None:
    """Add the review queue's routes to the demo server's table."""
    route("GET", "/review.json")(index)
    route("GET", "/review/count.json")(count)
    route("GET", "/review/{id:int}.json")(show)
    route("PUT", "/review/{id:int}/perform/{action_id}.json", write=True)(perform)
    route("POST", "/reviewable_claimed_topics.json", write=True)(claim)
    route("DELETE", "/reviewable_claimed_topics/{id:int}.json", write=True)(unclaim)


__all__ = ["HttpError", "actions_for", "ensure_schema", "register", "seed"]
