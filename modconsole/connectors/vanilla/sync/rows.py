"""Vanilla's typed values (:mod:`..parse`) as rows of the platform-neutral cache.

The mappings (the cache's columns were named after Discourse's; what each one holds for Vanilla):

* category → ``categories``: ``slug`` = ``urlcode``; ``topic_count`` = ``countDiscussions``;
  ``accepts_answers`` = ``question`` is among the category's ``allowedDiscussionTypes``;
  ``read_restricted`` = ``customPermissions``.
* discussion → ``topics``: ``archetype`` = ``regular`` for a question (what the queue and the KPIs
  count), else Vanilla's type (``discussion``, ``idea``, …: not a question); ``user_id`` = the
  author; ``bumped_at``/``last_posted_at`` = ``dateLastComment``; ``reply_count`` = ``countComments``
  and ``posts_count``/``highest_post_number`` = that + 1 (the body is post 1); ``like_count`` = the
  positive reactions on the body; ``has_accepted_answer`` = the question's status ``accepted``;
  ``accepted_post_id`` = the lowest accepted comment (the set is in ``solutions``).
* the discussion's body → ``posts`` as post number 1 with id **−discussionID** (Vanilla's bodies have
  no comment id; negative ids cannot meet a comment's).
* comment → ``posts``: ``id`` = ``commentID``; ``post_number`` = 2 + its rank by id within the
  discussion (Vanilla numbers nothing); ``cooked`` = ``body`` read with ``quoteParent=false``;
  ``updated_at`` = ``dateUpdated`` or ``dateInserted``; ``accepted_answer`` = answer status
  ``accepted``; ``like_count`` = positive reactions (reactions generalise likes: every reaction type
  of class ``Positive`` counts).
* accepted answer → ``solutions`` (a set per topic: several rows may share a ``topic_id``):
  ``user_id`` = the answer's author, ``accepted_at`` = ``dateAccepted``, ``accepter_username`` = the
  ``acceptUserID``'s name when that member is cached.
* user → ``users``: ``username``/``name`` = ``name``; ``admin``/``moderator`` = a role named
  Administrator/Moderator; ``title`` = the ``Title`` profile field; ``created_at`` = ``dateInserted``;
  ``last_seen_at`` = ``dateLastActive``; ``user_fields`` = the ``Company``/``Title`` profile fields;
  ``email`` only when the token may see it; ``trust_level`` stays NULL (Vanilla has none);
  ``suspended_till`` = the end of time while ``banned`` (a ban has no end date).
* badge → ``badges``: ``description`` = ``body``; ``badge_type_id`` 1/2/3 from ``classLevel`` 3/2/1
  (gold/silver/bronze); ``grant_count`` = ``countRecipients``; ``image_url`` = ``photoUrl``;
  ``manually_grantable`` true. holder → ``user_badges`` with id ``badgeID × 2³² + userID`` (Vanilla
  holds a badge once and has no grant id); ``granted_by_id`` = ``insertUserID``.
* group → ``groups``: ``name``/``full_name`` = ``name``, ``user_count`` = ``countMembers``,
  ``visibility_level`` 0 public / 1 otherwise; member → ``group_members``, ``owner`` = role leader.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from modconsole.connectors.sync_run import iso
from modconsole.connectors.vanilla import parse


def ts(dt: datetime | None) -> str | None:
    """:func:`iso` (the cache's timestamps), without ``strftime``: a page has hundreds of them."""
    if dt is None:
        return None
    if dt.utcoffset() != _ZERO:
        return iso(dt)
    return (
        f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}."
        f"{dt.microsecond // 1000:03d}Z"
    )


_ZERO = timedelta(0)


def positive(reactions: Iterable[parse.ReactionCount]) -> int:
    return sum(r.count for r in reactions if r.cls.lower() == "positive")


def category_row(c: parse.Category) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": c.category_id,
        "name": c.name,
        "slug": c.urlcode or None,
        "parent_category_id": c.parent_id,
        "accepts_answers": "question" in c.allowed_types,
        "read_restricted": c.restricted,
    }
    if c.count_discussions is not None:
        row["topic_count"] = c.count_discussions
    return row


def topic_row(d: parse.Discussion, accepted: Iterable[int] = ()) -> dict[str, Any]:
    ids = sorted(set(accepted) | set(d.question.accepted_ids if d.question else ()))
    row: dict[str, Any] = {
        "id": d.discussion_id,
        "title": d.name,
        "fancy_title": d.name,
        "category_id": d.category_id,
        "archetype": "regular" if d.is_question else d.type,
        "user_id": d.insert_user_id,
        "created_at": ts(d.date_inserted),
        "bumped_at": ts(d.date_last_comment or d.date_inserted),
        "last_posted_at": ts(d.date_last_comment or d.date_inserted),
        "posts_count": d.count_comments + 1,
        "reply_count": d.count_comments,
        "highest_post_number": d.count_comments + 1,
        "views": d.count_views,
        "closed": d.closed,
        "archived": False,
        "visible": True,
        "pinned": d.pinned,
        "has_accepted_answer": d.question is not None and d.question.status == "accepted",
    }
    if d.reactions:
        row["like_count"] = positive(d.reactions)
    if ids or d.question is None or d.question.status != "accepted":
        row["accepted_post_id"] = ids[0] if ids and row["has_accepted_answer"] else None
    return row


def opening_post_row(d: parse.Discussion, username: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": -d.discussion_id,
        "topic_id": d.discussion_id,
        "post_number": 1,
        "user_id": d.insert_user_id,
        "username": username,
        "created_at": ts(d.date_inserted),
        "updated_at": ts(d.date_updated or d.date_inserted),
        "post_type": 1,
        "cooked": d.body_html,
        "hidden": False,
        "accepted_answer": False,
    }
    if d.reactions:
        row["like_count"] = positive(d.reactions)
    return row


def comment_row(c: parse.Comment, post_number: int, username: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": c.comment_id,
        "topic_id": c.discussion_id,
        "post_number": post_number,
        "user_id": c.insert_user_id,
        "username": username,
        "created_at": ts(c.date_inserted),
        "updated_at": ts(c.date_updated or c.date_inserted),
        "post_type": 1,
        "cooked": c.body_html,
        "hidden": False,
        "accepted_answer": c.answer is not None and c.answer.status == "accepted",
    }
    if c.reactions:
        row["like_count"] = positive(c.reactions)
    return row


def solution_row(c: parse.Comment, post_number: int | None, accepter: str | None) -> dict[str, Any]:
    assert c.answer is not None
    return {
        "post_id": c.comment_id,
        "topic_id": c.discussion_id,
        "post_number": post_number,
        "user_id": c.insert_user_id,
        "accepter_username": accepter,
        "accepted_at": ts(c.answer.date_accepted),
    }


BANNED_TILL = "9999-12-31T23:59:59.000Z"


def user_row(u: parse.User) -> dict[str, Any]:
    roles = {n.lower() for n in u.role_names}
    fields = {k: v for k, v in (("Company", u.company), ("Title", u.title)) if v}
    return {
        "id": u.user_id,
        "username": u.name or f"user{u.user_id}",
        "name": u.name,
        "admin": "administrator" in roles,
        "moderator": "moderator" in roles,
        "title": u.title,
        "created_at": ts(u.date_inserted),
        "last_seen_at": ts(u.date_last_active),
        "active": True,
        # a ban has no end on Vanilla: held as a suspension until the end of time, so the console
        # refuses awards and nominations for a banned member as for a suspended one (None: lifted)
        "suspended_till": BANNED_TILL if u.banned else None,
        "user_fields": fields,
    }


BADGE_TYPE = {3: 1, 2: 2, 1: 3}  # classLevel → gold/silver/bronze


def badge_row(b: parse.Badge) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": b.badge_id,
        "name": b.name,
        "description": b.body,
        "badge_type_id": BADGE_TYPE.get(b.class_level or 0),
        "enabled": b.enabled,
        "multiple_grant": False,
        "manually_grantable": True,
        "system": False,
        "image_url": b.photo_url,
    }
    if b.recipients is not None:
        row["grant_count"] = b.recipients
    return row


def grant_id(badge_id: int, user_id: int) -> int:
    return (badge_id << 32) + user_id


def user_badge_row(g: parse.UserBadge) -> dict[str, Any]:
    return {
        "id": grant_id(g.badge_id, g.user_id),
        "user_id": g.user_id,
        "badge_id": g.badge_id,
        "granted_at": ts(g.date_earned),
        "granted_by_id": g.insert_user_id,
    }


def group_row(g: parse.Group) -> dict[str, Any]:
    return {
        "id": g.group_id,
        "name": g.name,
        "full_name": g.name,
        "user_count": g.count_members,
        "visibility_level": 0 if g.privacy == "public" else 1,
    }


def member_row(group_id: int, m: parse.GroupMember) -> dict[str, Any]:
    return {
        "group_id": group_id,
        "user_id": m.user_id,
        "owner": m.role == "leader",
        "added_at": ts(m.date_inserted),
    }
