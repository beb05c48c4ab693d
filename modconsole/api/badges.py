"""Badge endpoints (CONTRACT §5)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from modconsole.api.client import ApiClient
from modconsole.api.parse import (
    Badge,
    UserBadge,
    UserBadgeList,
    parse_badges,
    parse_granted_badge,
    parse_success,
    parse_user_badges,
)
from modconsole.api.ratelimit import CancelLike


def badges(client: ApiClient, *, cancel: CancelLike | None = None) -> tuple[Badge, ...]:
    """``GET /badges.json``: enabled, listable badges (public)."""
    return parse_badges(client.get_json("/badges.json", cancel=cancel), "GET /badges.json")


def admin_badges(client: ApiClient, *, cancel: CancelLike | None = None) -> tuple[Badge, ...]:
    """``GET /admin/badges.json`` (admins only): every badge, with ``manually_grantable`` and query flags."""
    return parse_badges(client.get_json("/admin/badges.json", cancel=cancel), "GET /admin/badges.json")


def user_badges(client: ApiClient, username: str, *, cancel: CancelLike | None = None) -> UserBadgeList:
    """``GET /user-badges/{username}.json``: the user's grants plus side-loaded badges."""
    route = f"/user-badges/{quote(username, safe='')}.json"
    return parse_user_badges(client.get_json(route, cancel=cancel), f"GET {route}")


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
    return parse_user_badges(
        client.get_json("/user_badges.json", params, cancel=cancel), "GET /user_badges.json"
    )


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
    return parse_granted_badge(
        client.post_json("/user_badges.json", data, cancel=cancel), "POST /user_badges.json"
    )


def revoke_badge(client: ApiClient, user_badge_id: int, *, cancel: CancelLike | None = None) -> None:
    """``DELETE /user_badges/{id}.json`` (404 if already revoked)."""
    route = f"/user_badges/{int(user_badge_id)}.json"
    parse_success(client.delete_json(route, cancel=cancel), f"DELETE {route}")
