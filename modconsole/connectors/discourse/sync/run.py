"""What a sync run is made of: its options and report, the run's state, and the row helpers every
stage uses to turn Discourse's JSON into cache rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from modconsole.connectors.discourse.parse import bad_payload
from modconsole.connectors.discourse.reports import CHART_REPORTS
from modconsole.connectors.sync_run import ClientCancel, Run, SyncReport, iso, parse_iso
from modconsole.emails import FREE_MAIL_DOMAINS

__all__ = ["ClientCancel", "Run", "SyncReport", "iso", "parse_iso"]  # moved: shared by every platform

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


# ---------------------------------------------------------------- options and report


@dataclass(frozen=True)
class SyncOptions:
    """How a run behaves. Defaults suit a real site; tests shorten the retry waits."""

    per_page: int = 100
    """Topic list page size asked for (servers that ignore it send 30; both work)."""
    overlap_seconds: float = 600.0
    """The activity pass re-reads this much before the watermark (clock and ordering slack)."""
    rescan_interval_seconds: float = 24 * 3600.0
    """A metadata rescan runs when the last one is older than this (server time)."""
    force_rescan: bool = False
    deep_rescan: bool = False
    """Also re-read every post through the ``/posts.json`` tail (catches edits of earlier posts)."""
    reports: tuple[str, ...] = CHART_REPORTS
    report_days: int = 365
    members_page: int = 1000
    """``/groups/{name}/members.json`` page size (Discourse accepts up to 1000; 50 on refusal)."""
    page_retries: int = 2
    """Extra attempts for a page after the client's own retries gave up on a transient error."""
    retry_wait: float = 1.0
    vendor_domains: frozenset[str] | None = None
    """E-mail domains of the vendor running the community; ``None``: the staff's domains."""
    free_mail_domains: frozenset[str] = FREE_MAIL_DOMAINS
    fetch_close_actions: bool = False
    """Re-read closed topics whose only missing post is the trailing "closed" small action (one
    request per such topic: on the ``small`` demo it doubles a first sync's requests per 1,000
    posts, 40 instead of 22). Off by default: the topic's ``closed`` flag is synced either way and
    the note only says who closed it; at a user key's 20 requests/minute the notes would cost a
    moderator ~18 extra minutes of first sync. ``True`` mirrors them too (the full-mirror tests)."""
    fetch_deleted_posts: bool = False
    """Re-read topics whose only difference from the cache is a gap in post numbers (every counted
    post cached, counts, solution and bump explained): the gap holds deleted posts a staff key may
    read with ``show_deleted``, or small-action notes. On ``large`` that is 2,727 topic reads of a
    first sync for posts nothing shows; off by default. ``True`` mirrors them (the full-mirror
    tests); a topic re-read for any other reason brings them anyway."""
    badges_interval_seconds: float = 600.0
    """An incremental run in which no topic moved reads the badge list only when the last one is
    older than this (server time); a rescan, and any run that moved topics, reads it always."""
    stop_after_queue: bool = False
    """Stop once the open-questions queue is complete (the GUI's "get me started" run)."""
    bulk: bool = True
    """First sync and rescans read topics and posts through the Data Explorer's shared mirror
    queries when this key may run them (:mod:`.bulk`); ``False``: REST only."""
    bulk_groups: tuple[str, ...] = ("moderators", "staff")
    """Groups whose shared reports a user key looks in for the mirror queries."""
    bulk_run_interval: float = 5.0
    """Seconds between two Data Explorer runs (the site-wide limit is 2 runs per 10 s)."""


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


ON_DEMAND_BADGES = "badges:on_demand"
"""Cursor whose ``hw_value`` maps each automatic badge's id to the ``grant_count`` its cached holders
were read at (``null``: never read). Holders are current when that equals the badge's count."""


def holders_on_demand(badge: Mapping[str, Any]) -> bool:
    """An automatic badge — a system badge or one granted by a query (``manually_grantable``
    false) — whose holders a sync does not list (they follow from the forum's rules)."""
    return bool(badge.get("system")) or badge.get("manually_grantable") is False
