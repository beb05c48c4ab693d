"""JSON shapes of the demo server (field names as in openapi.json / CONTRACT.md)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from modconsole.demo.core import Ctx, avatar_template, excerpt, tag_id

Row = sqlite3.Row


def basic_user(u: Row | dict[str, Any]) -> dict[str, Any]:
    return {
        "id": u["id"],
        "username": u["username"],
        "name": u["name"] or "",
        "avatar_template": avatar_template(u["username"]),
    }


def user_full_basic(u: Row | dict[str, Any]) -> dict[str, Any]:
    d = basic_user(u)
    d.update(
        {
            "title": u["title"],
            "trust_level": u["trust_level"],
            "admin": bool(u["admin"]),
            "moderator": bool(u["moderator"]),
            "last_seen_at": u["last_seen_at"],
            "last_posted_at": u["last_posted_at"],
            "created_at": u["created_at"],
        }
    )
    return d


def users_by_id(con: sqlite3.Connection, ids: Iterable[int | None]) -> dict[int, Row]:
    wanted = sorted({i for i in ids if i is not None})
    out: dict[int, Row] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        q = f"SELECT * FROM users WHERE id IN ({','.join('?' * len(chunk))})"
        for r in con.execute(q, chunk):
            out[int(r["id"])] = r
    return out


def tags_value(raw: str, tag_objects: bool) -> list[Any]:
    names = json.loads(raw or "[]")
    if tag_objects:
        return [{"id": tag_id(n), "name": n, "slug": n} for n in names]
    return list(names)


def topic_list_item(
    t: Row,
    *,
    posters: list[dict[str, Any]],
    last_poster: str,
    solved: bool,
    op_like_count: int,
    tag_objects: bool,
) -> dict[str, Any]:
    return {
        "id": t["id"],
        "title": t["title"],
        "fancy_title": t["title"],
        "slug": t["slug"],
        "posts_count": t["posts_count"],
        "reply_count": t["reply_count"],
        "highest_post_number": t["highest_post_number"],
        "image_url": None,
        "created_at": t["created_at"],
        "last_posted_at": t["last_posted_at"],
        "bumped": t["bumped_at"] != t["created_at"],
        "bumped_at": t["bumped_at"],
        "archetype": t["archetype"],
        "unseen": False,
        "pinned": bool(t["pinned"]),
        "unpinned": None,
        "excerpt": "",
        "visible": bool(t["visible"]),
        "closed": bool(t["closed"]),
        "archived": bool(t["archived"]),
        "bookmarked": None,
        "liked": None,
        "tags": tags_value(t["tags"], tag_objects),
        "tags_descriptions": {},
        "views": t["views"],
        "like_count": t["like_count"],
        "op_like_count": op_like_count,
        "has_summary": False,
        "last_poster_username": last_poster,
        "category_id": t["category_id"],
        "pinned_globally": bool(t["pinned_globally"]),
        "featured_link": None,
        "has_accepted_answer": solved,
        "posters": posters,
    }


def actions_summary(like_count: int, acted: bool, can_act: bool) -> list[dict[str, Any]]:
    entry: dict[str, Any] = {"id": 2, "can_act": can_act}
    if like_count:
        entry["count"] = like_count
    if acted:
        entry["acted"] = True
        entry["can_undo"] = True
    return [entry]


def post_json(
    p: Row,
    topic: Row,
    author: Row | None,
    ctx: Ctx,
    *,
    liked: bool,
    solution_post_id: int | None,
    can_accept: bool,
    include_raw: bool,
    extra_topic: bool = False,
) -> dict[str, Any]:
    staff = ctx.staff
    yours = ctx.uid is not None and p["user_id"] == ctx.uid
    accepted = solution_post_id == p["id"]
    d: dict[str, Any] = {
        "id": p["id"],
        "name": author["name"] if author else None,
        "username": author["username"] if author else None,
        "avatar_template": avatar_template(author["username"] if author else "deleted"),
        "created_at": p["created_at"],
        "cooked": p["cooked"],
        "post_number": p["post_number"],
        "post_type": p["post_type"],
        "posts_count": topic["posts_count"],
        "updated_at": p["updated_at"],
        "reply_count": p["reply_count"],
        "reply_to_post_number": p["reply_to_post_number"],
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": p["reads"],
        "readers_count": max(0, p["reads"] - 1),
        "score": float(p["like_count"] * 15 + p["reads"] * 0.2),
        "yours": yours,
        "topic_id": p["topic_id"],
        "topic_slug": topic["slug"],
        "display_username": author["name"] if author else None,
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "flair_group_id": None,
        "badges_granted": [],
        "version": p["version"],
        "can_edit": staff or yours,
        "can_delete": staff or (yours and p["post_number"] > 1),
        "can_recover": staff and p["deleted_at"] is not None,
        "can_see_hidden_post": staff,
        "can_wiki": staff,
        "link_counts": [],
        "read": True,
        "user_title": author["title"] if author else None,
        "bookmarked": False,
        "actions_summary": actions_summary(p["like_count"], liked, ctx.user is not None and not yours),
        "moderator": bool(author and author["moderator"]),
        "admin": bool(author and author["admin"]),
        "staff": bool(author and (author["admin"] or author["moderator"])),
        "user_id": p["user_id"],
        "hidden": bool(p["hidden"]),
        "trust_level": author["trust_level"] if author else 0,
        "deleted_at": p["deleted_at"],
        "user_deleted": author is None or author["deleted_at"] is not None,
        "edit_reason": p["edit_reason"],
        "can_view_edit_history": True,
        "wiki": False,
        "reviewable_id": 0,
        "reviewable_score_count": 0,
        "reviewable_score_pending_count": 0,
        "post_url": f"/t/{topic['slug']}/{topic['id']}/{p['post_number']}",
        "accepted_answer": accepted,
        "topic_accepted_answer": solution_post_id is not None,
        "can_accept_answer": can_accept and not accepted,
        "can_unaccept_answer": can_accept and accepted,
    }
    if p["action_code"]:
        d["action_code"] = p["action_code"]
    if staff:
        d["deleted_by"] = None if p["deleted_by_id"] is None else {"id": p["deleted_by_id"]}
    if include_raw and (not p["hidden"] or staff or yours):
        d["raw"] = p["raw"]
    if extra_topic:
        d["topic_title"] = topic["title"]
        d["topic_html_title"] = topic["title"]
        d["category_id"] = topic["category_id"]
        d["excerpt"] = excerpt(p["cooked"], 300)
        d["truncated"] = len(d["excerpt"]) < len(p["cooked"])
    return d


def category_json(c: Row, *, topic_count: int, post_count: int, staff: bool) -> dict[str, Any]:
    return {
        "id": c["id"],
        "name": c["name"],
        "color": c["color"],
        "text_color": c["text_color"],
        "style_type": "square",
        "emoji": None,
        "icon": None,
        "slug": c["slug"],
        "topic_count": topic_count,
        "post_count": post_count,
        "position": c["position"],
        "description": c["description"],
        "description_text": c["description"],
        "description_excerpt": c["description"],
        "topic_url": f"/t/about-the-{c['slug']}-category",
        "read_restricted": bool(c["read_restricted"]),
        "permission": 1 if staff else (1 if not c["read_restricted"] else None),
        "notification_level": 1,
        "can_edit": staff,
        "topic_template": None,
        "topic_title_placeholder": None,
        "has_children": False,
        "subcategory_count": None,
        "sort_order": None,
        "sort_ascending": None,
        "show_subcategory_list": False,
        "num_featured_topics": 3,
        "default_view": None,
        "subcategory_list_style": "rows_with_featured_topics",
        "default_top_period": "all",
        "default_list_filter": "all",
        "minimum_required_tags": 0,
        "navigate_to_first_post_after_read": False,
        "allow_global_tags": False,
        "required_tag_groups": [],
        "read_only_banner": None,
        "uploaded_logo": None,
        "uploaded_logo_dark": None,
        "uploaded_background": None,
        "uploaded_background_dark": None,
        "parent_category_id": c["parent_category_id"],
        "custom_fields": {"enable_accepted_answers": "true" if c["enable_accepted_answers"] else "false"},
        "subcategory_ids": [],
        "form_template_ids": [],
    }


BADGE_TYPES = [
    {"id": 1, "name": "Gold", "sort_order": 9},
    {"id": 2, "name": "Silver", "sort_order": 8},
    {"id": 3, "name": "Bronze", "sort_order": 7},
]


def badge_json(b: Row, grant_count: int, *, admin: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": b["id"],
        "name": b["name"],
        "description": b["description"],
        "grant_count": grant_count,
        "allow_title": bool(b["allow_title"]),
        "multiple_grant": bool(b["multiple_grant"]),
        "icon": b["icon"],
        "image_url": b["image_url"],
        "listable": bool(b["listable"]),
        "enabled": bool(b["enabled"]),
        "badge_grouping_id": b["badge_grouping_id"],
        "system": bool(b["system"]),
        "long_description": b["long_description"] or "",
        "slug": b["slug"],
        "manually_grantable": b["query"] is None and not b["system"],
        "badge_type_id": b["badge_type_id"],
        "show_in_post_header": False,
    }
    if admin:
        d.update(
            {
                "query": b["query"],
                "trigger": b["trigger"],
                "target_posts": bool(b["target_posts"]),
                "auto_revoke": bool(b["auto_revoke"]),
                "show_posts": bool(b["show_posts"]),
                "i18n_name": None,
                "image_upload_id": None,
            }
        )
    return d


def grouping_json(g: Row) -> dict[str, Any]:
    return {
        "id": g["id"],
        "name": g["name"],
        "description": g["description"],
        "position": g["position"],
        "system": bool(g["system"]),
    }


def group_basic(g: Row, user_count: int) -> dict[str, Any]:
    return {
        "id": g["id"],
        "automatic": bool(g["automatic"]),
        "name": g["name"],
        "display_name": g["full_name"] or g["name"],
        "user_count": user_count,
        "mentionable_level": 0,
        "messageable_level": 0,
        "visibility_level": g["visibility_level"],
        "primary_group": bool(g["primary_group"]),
        "title": g["title"],
        "grant_trust_level": g["grant_trust_level"],
        "incoming_email": None,
        "has_messages": False,
        "flair_url": g["flair_icon"],
        "flair_bg_color": g["flair_bg_color"],
        "flair_color": g["flair_color"],
        "bio_raw": g["bio_raw"],
        "bio_cooked": g["bio_raw"],
        "bio_excerpt": g["bio_raw"],
        "public_admission": bool(g["public_admission"]),
        "public_exit": bool(g["public_exit"]),
        "allow_membership_requests": False,
        "full_name": g["full_name"],
        "default_notification_level": 3,
        "membership_request_template": None,
        "members_visibility_level": g["members_visibility_level"],
        "can_see_members": True,
        "can_admin_group": False,
        "publish_read_state": False,
    }
