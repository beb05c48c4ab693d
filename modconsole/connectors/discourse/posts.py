"""Post calls (CONTRACT §3.3–§3.5) and posting."""

from __future__ import annotations

from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import Post, parse_latest_posts, parse_post

LATEST_POSTS_PAGE = 50


def latest_posts(
    client: ApiClient, *, before: int | None = None, cancel: CancelLike | None = None
) -> tuple[Post, ...]:
    """``GET /posts.json[?before=id]``: up to 50 newest public regular posts, newest first.

    ``before`` is inclusive on current cores; page on with ``min(id) - 1`` (older cores may
    return short or empty pages even though older posts exist, CONTRACT §3.3).
    """
    params = {"before": int(before)} if before is not None else None
    route = ep.latest_posts()
    return parse_latest_posts(client.get_json(route.path, params, cancel=cancel), route.label)


def post(client: ApiClient, post_id: int, *, cancel: CancelLike | None = None) -> Post:
    """``GET /posts/{id}.json`` (includes ``raw``)."""
    route = ep.post(post_id)
    return parse_post(client.get_json(route.path, cancel=cancel), route.label)


def create_topic(
    client: ApiClient,
    title: str,
    raw: str,
    *,
    category_id: int | None = None,
    tags: list[str] | None = None,
    cancel: CancelLike | None = None,
) -> Post:
    """``POST /posts.json`` with a title: creates a topic, returns its first post. Not retried."""
    data: dict[str, Any] = {"title": title, "raw": raw}
    if category_id is not None:
        data["category"] = category_id
    if tags:
        data["tags[]"] = tags
    route = ep.create_post()
    return parse_post(client.post_json(route.path, data, cancel=cancel), route.label)


def reply(
    client: ApiClient,
    topic_id: int,
    raw: str,
    *,
    reply_to_post_number: int | None = None,
    cancel: CancelLike | None = None,
) -> Post:
    """``POST /posts.json`` with ``topic_id``: a reply. Not retried (the caller verifies)."""
    data: dict[str, Any] = {"topic_id": int(topic_id), "raw": raw}
    if reply_to_post_number is not None:
        data["reply_to_post_number"] = int(reply_to_post_number)
    route = ep.create_post()
    return parse_post(client.post_json(route.path, data, cancel=cancel), route.label)
