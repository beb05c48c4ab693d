"""Rows of the demo store as Vanilla API v2 JSON (``shared/vanilla/CONTRACT.md`` §3–§7; the fragments in
``shared/vanilla/openapi/`` for discussions, comments, users, reactions, tokens, profile fields; the
vendor's published spec, as the contract reads it, for the closed badges and groups addons)."""

from __future__ import annotations

import sqlite3
from typing import Any

from modconsole.demo.core import slugify
from modconsole.demo.vanilla.api import VCtx, vtime
from modconsole.demo.vanilla.store import STATUS_NAMES

# Vanilla's default role IDs (Guest 2, Member 8, Administrator 16, Moderator 32).
ROLE_IDS = {"guest": 2, "member": 8, "admin": 16, "moderator": 32}
ROLE_NAMES = {2: "Guest", 8: "Member", 16: "Administrator", 32: "Moderator"}

# Reaction types: (tagID, urlcode, name, class, reactionValue). Seeded likes are "Like".
REACTION_TYPES: tuple[tuple[int, str, str, str, int], ...] = (
    (901, "Like", "Like", "Positive", 1),
    (902, "Insightful", "Insightful", "Positive", 1),
    (903, "Agree", "Agree", "Positive", 1),
    (904, "Disagree", "Disagree", "Negative", 0),
    (905, "LOL", "LOL", "Positive", 0),
)
REACTION_BY_CODE = {r[1].lower(): r for r in REACTION_TYPES}

# A question's statusID → status record (QnA plugin: 1–4 are question statuses).
STATUS_STATE = {1: "open", 2: "open", 3: "closed", 4: "open"}


def photo(ctx: VCtx, username: str) -> str:
    return f"{ctx.base_url}/uploads/avatars/{slugify(username)}.png"


def user_url(ctx: VCtx, username: str) -> str:
    return f"{ctx.base_url}/profile/{username}"


def role_id(row: sqlite3.Row) -> int:
    if row["admin"]:
        return ROLE_IDS["admin"]
    if row["moderator"]:
        return ROLE_IDS["moderator"]
    return ROLE_IDS["member"]


def user_fragment(ctx: VCtx, row: sqlite3.Row | None) -> dict[str, Any]:
    if row is None:  # Vanilla's "unknown user" fragment
        return {"userID": 0, "name": "unknown", "photoUrl": photo(ctx, "unknown"), "dateLastActive": None}
    return {
        "userID": int(row["id"]),
        "name": row["username"],
        "url": user_url(ctx, row["username"]),
        "photoUrl": photo(ctx, row["username"]),
        "dateLastActive": vtime(row["last_seen_at"]),
        "label": row["title"] or "",
        "private": False,
    }


def show_email(row: sqlite3.Row) -> bool:
    """Which members chose to show their address (a deterministic few, for the permission tests)."""
    return int(row["id"]) % 10 == 3


def user(
    ctx: VCtx, row: sqlite3.Row, *, expand: set[str], counts: dict[str, int] | None = None
) -> dict[str, Any]:
    rid = role_id(row)
    out: dict[str, Any] = {
        **user_fragment(ctx, row),
        "email": row["email"],
        "roles": [{"roleID": rid, "name": ROLE_NAMES[rid]}],
        "dateInserted": vtime(row["created_at"]),
        "dateUpdated": None,
        "points": (counts or {}).get("points", 0),
        "emailConfirmed": bool(row["active"]),
        "showEmail": show_email(row),
        "bypassSpam": bool(row["admin"] or row["moderator"]),
        "banned": 1 if row["suspended_till"] else 0,
        "hidden": False,
        "countVisits": (counts or {}).get("visits", 0),
    }
    # UsersApiController::checkUserPermissionMode: the address only for Garden.PersonalInfo.View (or own row,
    # or showEmail); other callers get the row without it.
    if not (ctx.has("Garden.PersonalInfo.View") or ctx.uid == int(row["id"]) or out["showEmail"]):
        del out["email"]
    if "profileFields" in expand or "all" in expand:
        out["profileFields"] = {"Company": row["user_field_company"] or "", "Title": row["title"] or ""}
    return out


def category(ctx: VCtx, row: sqlite3.Row, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "categoryID": int(row["id"]),
        "name": row["name"],
        "urlcode": row["slug"],
        "url": f"{ctx.base_url}/categories/{row['slug']}",
        "description": row["description"] or "",
        "parentCategoryID": int(row["parent_category_id"]) if row["parent_category_id"] else -1,
        "depth": 2 if row["parent_category_id"] else 1,
        "customPermissions": bool(row["read_restricted"]),
        "isArchived": False,
        "displayAs": "discussions",
        "countCategories": 0,
        "countDiscussions": counts.get("discussions", 0),
        "countComments": counts.get("comments", 0),
        "countAllDiscussions": counts.get("discussions", 0),
        "countAllComments": counts.get("comments", 0),
        "followed": False,
        "allowedDiscussionTypes": ["question", "discussion"]
        if row["enable_accepted_answers"]
        else ["discussion"],
    }


def reaction_summary(counts: dict[str, int], mine: str | None) -> list[dict[str, Any]]:
    """Every active reaction type, zero counts included; ``hasReacted`` for the caller."""
    return [
        {
            "tagID": tag,
            "urlcode": code,
            "name": name,
            "class": cls,
            "count": counts.get(code, 0),
            "hasReacted": mine == code,
            "reactionValue": value,
        }
        for tag, code, name, cls, value in REACTION_TYPES
    ]


def reaction_type(ctx: VCtx, r: tuple[int, str, str, str, int]) -> dict[str, Any]:
    tag, code, name, cls, value = r
    return {
        "urlCode": code,
        "name": name,
        "description": f"{name}: a reaction to a post.",
        "points": value,
        "class": cls,
        "tagID": tag,
        "attributes": None,
        "sort": tag - 900,
        "active": True,
        "custom": False,
        "hidden": False,
        "reactionValue": value,
        "photoUrl": f"{ctx.base_url}/plugins/Reactions/design/images/{code.lower()}.svg",
    }


def discussion(
    ctx: VCtx,
    row: sqlite3.Row,
    *,
    expand: set[str],
    users: dict[int, sqlite3.Row],
    cats: dict[int, sqlite3.Row],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """``row``: topics joined with the first post (``body``, ``post_updated_at``, ``post_created_at``) and
    ``vanilla_questions`` (``q_status``, ``q_answered``, ``q_accepted``). ``extra``: score, reactions,
    acceptedAnswers / rejectedAnswers (when expanded), computed by the route."""
    everything = "all" in expand
    is_q = bool(row["is_question"])
    edited = row["post_updated_at"] and row["post_updated_at"] != row["post_created_at"]
    did = int(row["id"])
    out: dict[str, Any] = {
        "discussionID": did,
        "type": "question" if is_q else "discussion",
        "postTypeID": "question" if is_q else "discussion",
        "name": row["title"],
        "body": row["body"] or "<p></p>",
        "url": f"{ctx.base_url}/discussion/{did}/{row['slug']}",
        "categoryID": int(row["category_id"]),
        "insertUserID": int(row["user_id"] or 0),
        "dateInserted": vtime(row["created_at"]),
        "dateUpdated": vtime(row["post_updated_at"]) if edited else None,
        "dateLastComment": vtime(row["last_posted_at"] or row["created_at"]),
        "lastUserID": int(extra.get("last_user_id") or row["user_id"] or 0),
        "countComments": int(row["reply_count"]),
        "countViews": int(row["views"]),
        "score": int(extra.get("score", 0)),
        "closed": bool(row["closed"]),
        "pinned": bool(row["pinned"] or row["pinned_globally"]),
        "pinLocation": "recent" if row["pinned_globally"] else ("category" if row["pinned"] else None),
        "announce": bool(row["pinned_globally"]),
        "sink": False,
        "bookmarked": False,
        "unread": False,
        "attributes": {},
    }
    if ctx.staff:
        out["resolved"] = not is_q or row["q_status"] == 3
    if is_q:
        sid = int(row["q_status"] or 1)
        qattr: dict[str, Any] = {
            "status": STATUS_NAMES[sid],
            "dateAnswered": vtime(row["q_answered"]),
            "dateAccepted": vtime(row["q_accepted"]),
        }
        for key in ("acceptedAnswers", "rejectedAnswers"):
            if key in extra:
                qattr[key] = extra[key]
        out["attributes"]["question"] = qattr
        out["statusID"] = sid
        if "status" in expand or everything:
            out["status"] = {
                "statusID": sid,
                "name": STATUS_NAMES[sid].capitalize(),
                "recordType": "discussion",
                "recordSubType": "question",
                "state": STATUS_STATE[sid],
            }
    else:
        out["statusID"] = 0
    if "insertUser" in expand or everything:
        out["insertUser"] = user_fragment(ctx, users.get(int(row["user_id"] or 0)))
    if "lastUser" in expand or everything:
        out["lastUser"] = user_fragment(ctx, users.get(out["lastUserID"]))
    if "category" in expand or everything:
        c = cats[int(row["category_id"])]
        out["category"] = {
            "categoryID": int(c["id"]),
            "name": c["name"],
            "url": f"{ctx.base_url}/categories/{c['slug']}",
        }
    if "reactions" in expand or everything:
        out["reactions"] = extra.get("reactions", reaction_summary({}, None))
    if "tags" in expand or everything:
        out["tags"] = extra.get("tags", [])
    return out


def comment(
    ctx: VCtx,
    row: sqlite3.Row,
    *,
    expand: set[str],
    users: dict[int, sqlite3.Row],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """``row``: posts joined with its topic (``title``, ``category_id``, ``is_question``, ``t_user_id``) and
    ``vanilla_answers`` (``a_status``, ``a_date``, ``a_user``)."""
    everything = "all" in expand
    cid = int(row["id"])
    edited = row["updated_at"] != row["created_at"]
    out: dict[str, Any] = {
        "commentID": cid,
        "discussionID": int(row["topic_id"]),
        "parentRecordType": "discussion",
        "parentRecordID": int(row["topic_id"]),
        "categoryID": int(row["category_id"]),
        "name": f"Re: {row['title']}",
        "body": row["cooked"] or "<p></p>",
        "dateInserted": vtime(row["created_at"]),
        "dateUpdated": vtime(row["updated_at"]) if edited else None,
        "insertUserID": int(row["user_id"] or 0),
        "score": int(extra.get("score", 0)),
        "depth": 1,
        "countChildComments": 0,
        "url": f"{ctx.base_url}/discussion/comment/{cid}#Comment_{cid}",
        "attributes": {},
    }
    if row["is_question"]:
        status = row["a_status"] or "pending"
        if status == "rejected" and not ctx.has("Garden.Curation.Manage"):
            status = "pending"  # QnA: rejected answers are a curator-only state
        answer: dict[str, Any] = {"status": status}
        if status == "accepted":
            answer["dateAccepted"] = vtime(row["a_date"])
            answer["acceptUserID"] = int(row["a_user"]) if row["a_user"] is not None else None
        out["attributes"]["answer"] = answer
    if "insertUser" in expand or everything:
        out["insertUser"] = user_fragment(ctx, users.get(int(row["user_id"] or 0)))
    if "reactions" in expand or everything:
        out["reactions"] = extra.get("reactions", reaction_summary({}, None))
    return out


BADGE_CLASSES = {1: ("Gold", 3, 100), 2: ("Silver", 2, 50), 3: ("Bronze", 1, 25)}


def badge(ctx: VCtx, row: sqlite3.Row, holders: int | None = None) -> dict[str, Any]:
    cls, level, points = BADGE_CLASSES[int(row["badge_type_id"])]
    out: dict[str, Any] = {
        "badgeID": int(row["id"]),
        "name": row["name"],
        "key": row["slug"] or slugify(row["name"]),
        "body": row["description"],
        "points": points,
        "class": cls,
        "classLevel": level,
        "enabled": bool(row["enabled"]),
        "photoUrl": f"{ctx.base_url}/uploads/badges/{slugify(row['name'])}.svg",
        "url": f"{ctx.base_url}/badges/detail/{int(row['id'])}-{slugify(row['name'])}",
        "type": "manual" if row["query"] is None else "custom",
    }
    if holders is not None:
        out["countRecipients"] = holders
    return out


def user_badge(
    ctx: VCtx,
    row: sqlite3.Row,
    *,
    expand: set[str],
    users: dict[int, sqlite3.Row],
    badges: dict[int, sqlite3.Row],
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "userID": int(row["user_id"]),
        "badgeID": int(row["badge_id"]),
        "reasonBody": row["reason"] if row["reason"] else "",
        "dateEarned": vtime(row["granted_at"]),
        "insertUserID": int(row["granted_by_id"]) if row["granted_by_id"] and row["granted_by_id"] > 0 else 1,
        "dateInserted": vtime(row["granted_at"]),
    }
    if "user" in expand or "all" in expand:
        out["user"] = user_fragment(ctx, users.get(out["userID"]))
    if "badge" in expand or "all" in expand:
        out["badge"] = badge(ctx, badges[out["badgeID"]])
    if "insertUser" in expand or "all" in expand:
        out["insertUser"] = user_fragment(ctx, users.get(out["insertUserID"]))
    return out


def group(ctx: VCtx, row: sqlite3.Row, members: int) -> dict[str, Any]:
    gid = int(row["id"])
    return {
        "groupID": gid,
        "name": row["full_name"] or row["name"],
        "description": row["bio_raw"] or "",
        "format": "text",
        "privacy": "public" if row["visibility_level"] == 0 else "private",
        "countMembers": members,
        "url": f"{ctx.base_url}/group/{gid}-{slugify(row['name'])}",
        "iconUrl": None,
        "bannerUrl": None,
        "dateInserted": None,
    }


def group_member(ctx: VCtx, row: sqlite3.Row, users: dict[int, sqlite3.Row]) -> dict[str, Any]:
    return {
        "groupID": int(row["group_id"]),
        "userID": int(row["user_id"]),
        "role": "leader" if row["owner"] else "member",
        "dateInserted": vtime(row["created_at"]),
        "user": user_fragment(ctx, users.get(int(row["user_id"]))),
    }
