"""What a sync run is made of: its options and report, the run's state, and the row helpers every
stage uses to turn Discourse's JSON into cache rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from modconsole.connectors.discourse.parse import bad_payload
from modconsole.connectors.discourse.reports import CHART_REPORTS
from modconsole.connectors.sync_run import (
    ON_DEMAND_BADGES,
    ClientCancel,
    Run,
    SyncOptions,
    SyncReport,
    iso,
    parse_iso,
)

__all__ = [  # moved: shared by every platform
    "ON_DEMAND_BADGES",
    "ClientCancel",
    "Run",
    "SyncOptions",
    "SyncReport",
    "iso",
    "parse_iso",
]


def chart_reports(options: SyncOptions) -> tuple[str, ...]:
    """The admin reports a run reads: the options' choice, else every chart the dashboard draws."""
    return CHART_REPORTS if options.reports is None else options.reports


SYNC_SCHEMA_VERSION = 1
"""Bump when the mirror's meaning changes: every cursor is then forgotten and data re-pulled."""

TOPIC_KEYS = (
    "id",
    "title",
    "fancy_title",
    "slug",
    "category_id",
    "archetype",
    "created_at",
    "bumped_at",
    "last_posted_at",
    "posts_count",
    "reply_count",
    "highest_post_number",
    "views",
    "like_count",
    "closed",
    "archived",
    "visible",
    "pinned",
    "tags",
)
POST_KEYS = (
    "id",
    "topic_id",
    "post_number",
    "user_id",
    "username",
    "created_at",
    "updated_at",
    "version",
    "post_type",
    "action_code",
    "reply_to_post_number",
    "cooked",
    "reads",
    "hidden",
    "deleted_at",
    "accepted_answer",
    "actions_summary",
)
USER_KEYS = (
    "id",
    "username",
    "name",
    "trust_level",
    "admin",
    "moderator",
    "title",
    "created_at",
    "last_seen_at",
    "last_posted_at",
    "suspended_till",
    "silenced",
    "staged",
    "active",
)
BADGE_KEYS = (
    "id",
    "name",
    "description",
    "badge_type_id",
    "badge_grouping_id",
    "grant_count",
    "multiple_grant",
    "allow_title",
    "enabled",
    "listable",
    "manually_grantable",
    "system",
    "icon",
    "image_url",
)
GROUP_KEYS = (
    "id",
    "name",
    "full_name",
    "title",
    "user_count",
    "automatic",
    "grant_trust_level",
    "visibility_level",
    "primary_group",
    "public_admission",
    "public_exit",
    "can_admin_group",
)

# Topic lists are paged by page number (Discourse offers no finer key: ``created-before`` takes whole
# days), oldest first: a topic created while a list is paged is appended after the cursor (newest
# first would put it on page 0, already read), and an answer accepted on a recent question — the
# common change — removes a topic from the part not yet read, which shifts only unread topics.
# Only a topic leaving the part already read (an old question answered or deleted meanwhile) can
# shift one unread topic across a page boundary; the ``/posts.json`` tail, keyed by post id, then
# brings its posts, and the orphan pass reads the topic (``_resolve_orphans``).
QUEUE_MODE = "unsolved-asc"
PARTS = "parts-asc"
FULL = "full-asc"

STAGES = (
    "site",
    "queue",
    "bulk",
    "topics",
    "activity",
    "posts",
    "reconcile",
    "users",
    "badges",
    "groups",
    "reports",
)


# ---------------------------------------------------------------- helpers


def pick(item: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {k: item[k] for k in keys if k in item}


def topic_row(item: Mapping[str, Any]) -> dict[str, Any]:
    row = pick(item, TOPIC_KEYS)
    if "has_accepted_answer" in item:
        row["has_accepted_answer"] = bool(item["has_accepted_answer"])
    posters = item.get("posters")
    if isinstance(posters, list):
        for p in posters:
            if isinstance(p, Mapping) and "Original Poster" in str(p.get("description") or ""):
                if isinstance(p.get("user_id"), int):
                    row["user_id"] = p["user_id"]
                break
    for flag in ("closed", "archived", "visible", "pinned"):
        if flag in row:
            row[flag] = bool(row[flag]) if row[flag] is not None else flag == "visible"
    for num in ("posts_count", "reply_count", "highest_post_number", "views", "like_count"):
        if num in row and row[num] is None:
            row[num] = 0
    return row


def post_row(item: Mapping[str, Any], route: str, topic_id: int | None = None) -> dict[str, Any]:
    row = pick(item, POST_KEYS)
    if topic_id is not None and row.get("topic_id") is None:
        row["topic_id"] = topic_id
    if not isinstance(row.get("topic_id"), int) or not isinstance(row.get("post_number"), int):
        raise bad_payload(route, f"post {item.get('id')!r} without topic_id/post_number")
    for flag in ("hidden", "accepted_answer"):
        if flag in row:
            row[flag] = bool(row[flag])
    if row.get("post_type") is None:
        row["post_type"] = 1
    return row


def bool_row(row: dict[str, Any], *flags: str) -> dict[str, Any]:
    for f in flags:
        if f in row and row[f] is not None:
            row[f] = bool(row[f])
    return row


def day(d: date) -> str:
    return d.isoformat()


def holders_on_demand(badge: Mapping[str, Any]) -> bool:
    """An automatic badge — a system badge or one granted by a query (``manually_grantable``
    false) — whose holders a sync does not list (they follow from the forum's rules)."""
    return bool(badge.get("system")) or badge.get("manually_grantable") is False
