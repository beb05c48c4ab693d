"""Badge endpoints (CONTRACT §5)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import (
    Badge,
    UserBadge,
    UserBadgeList,
    parse_badges,
    parse_granted_badge,
    parse_success,
    parse_user_badges,
)


def badges(client: ApiClient, *, cancel: CancelLike | None = None) -> tuple[Badge, ...]:
    """``GET /badges.json``: enabled, listable badges (public)."""
    route = ep.badges()
    return parse_badges(client.get_json(route.path, cancel=cancel), route.label)


def admin_badges(client: ApiClient, *, cancel: CancelLike | None = None) -> tuple[Badge, ...]:
    """``GET /admin/badges.json`` (admins only): every badge, with ``manually_grantable`` and query flags."""
    route = ep.admin_badges()
    return parse_badges(client.get_json(route.path, cancel=cancel), route.label)


def user_badges(client: ApiClient, username: str, *, cancel: CancelLike | None = None) -> UserBadgeList:
    """``GET /user-badges/{username}.json``: the user's grants plus side-loaded badges."""
    route = ep.member_badges(username)
    return parse_user_badges(client.get_json(route.path, cancel=cancel), route.label)


def badge_grantees(
    client: ApiClient,
    badge_id: int,
    *,
    offset: int = 0,
    username: str | None = None,
    cancel: CancelLike | None = None,
) -> UserBadgeList:
    """``GET /user_badges.json?badge_id=&offset=``: one page of grantees, newest first."""
    params: dict[str, Any] = {"badge_id": int(badge_id), "offset": int(offset)}
    if username:
        params["username"] = username
    route = ep.badge_grants()
    return parse_user_badges(client.get_json(route.path, params, cancel=cancel), route.label)


def iter_badge_grantees(
    client: ApiClient, badge_id: int, *, max_pages: int | None = None, cancel: CancelLike | None = None
) -> Iterator[UserBadge]:
    """Every grant of a badge, paging by ``offset`` (page size differs by version: 96 or ≤ 50)."""
    offset, pages = 0, 0
    seen: set[int] = set()
    while max_pages is None or pages < max_pages:
        page = badge_grantees(client, badge_id, offset=offset, cancel=cancel)
        pages += 1
        fresh = [g for g in page.user_badges if g.id not in seen]
        if not fresh:
            return
        for g in fresh:
            seen.add(g.id)
            yield g
        offset += len(page.user_badges)


def grant_badge(
    client: ApiClient,
    username: str,
    badge_id: int,
    *,
    reason: str | None = None,
    cancel: CancelLike | None = None,
) -> UserBadge:
    """``POST /user_badges.json``. Single-grant badges return the existing grant if present.

    ``reason`` must be a link to a topic or post on this site (else 400). Not retried.
    """
    data: dict[str, Any] = {"username": username, "badge_id": int(badge_id)}
    if reason:
        data["reason"] = reason
    route = ep.grant_badge()
    return parse_granted_badge(client.post_json(route.path, data, cancel=cancel), route.label)


def revoke_badge(client: ApiClient, user_badge_id: int, *, cancel: CancelLike | None = None) -> None:
    """``DELETE /user_badges/{id}.json`` (404 if already revoked)."""
    route = ep.revoke_badge(user_badge_id)
    parse_success(client.delete_json(route.path, cancel=cancel), route.label)
