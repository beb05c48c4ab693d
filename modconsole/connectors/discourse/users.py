"""User, directory and trust-level endpoints (CONTRACT §6)."""

from __future__ import annotations

from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import (
    DirectoryPage,
    User,
    UserEmails,
    UserSummary,
    parse_directory,
    parse_user,
    parse_user_emails,
    parse_user_list,
    parse_user_summary,
)

ADMIN_LIST_PAGE = 100
DIRECTORY_PERIODS = ("all", "yearly", "quarterly", "monthly", "weekly", "daily")


def user(client: ApiClient, username: str, *, cancel: CancelLike | None = None) -> User:
    """``GET /u/{username}.json`` (no e-mail)."""
    route = ep.user(username)
    return parse_user(client.get_json(route.path, cancel=cancel), route.label)


def user_summary(client: ApiClient, username: str, *, cancel: CancelLike | None = None) -> UserSummary:
    route = ep.user_summary(username)
    return parse_user_summary(client.get_json(route.path, cancel=cancel), route.label)


def user_emails(client: ApiClient, username: str, *, cancel: CancelLike | None = None) -> UserEmails:
    """``GET /u/{username}/emails.json`` (admin, or moderators if ``moderators_view_emails``)."""
    route = ep.user_emails(username)
    return parse_user_emails(client.get_json(route.path, cancel=cancel), route.label)


def admin_user(client: ApiClient, user_id: int, *, cancel: CancelLike | None = None) -> User:
    """``GET /admin/users/{id}.json`` (staff)."""
    route = ep.admin_user(user_id)
    return parse_user(client.get_json(route.path, cancel=cancel), route.label)


def admin_users(
    client: ApiClient,
    flag: str = "active",
    *,
    page: int = 1,
    order: str | None = None,
    asc: bool = False,
    show_emails: bool = False,
    filter: str | None = None,
    cancel: CancelLike | None = None,
) -> tuple[User, ...]:
    """``GET /admin/users/list/{flag}.json`` (staff). ``page`` is **1-based**, 100 per page."""
    params: dict[str, Any] = {"page": page}
    if order:
        params["order"] = order
    if asc:
        params["asc"] = "true"
    if show_emails:
        params["show_emails"] = "true"
    if filter:
        params["filter"] = filter
    route = ep.admin_user_list(flag)
    return parse_user_list(client.get_json(route.path, params, cancel=cancel), route.label)


def directory(
    client: ApiClient,
    period: str = "all",
    *,
    order: str = "likes_received",
    page: int = 0,
    asc: bool = False,
    group: str | None = None,
    cancel: CancelLike | None = None,
) -> DirectoryPage:
    """``GET /directory_items.json`` (0-based pages of ≤ 50; the caller's own row is de-duplicated)."""
    if period not in DIRECTORY_PERIODS:
        raise ValueError(f"period must be one of {DIRECTORY_PERIODS}")
    params: dict[str, Any] = {"period": period, "order": order, "page": page}
    if asc:  # any value, even "false", means ascending on the server
        params["asc"] = "true"
    if group:
        params["group"] = group
    route = ep.directory_items()
    return parse_directory(client.get_json(route.path, params, cancel=cancel), route.label)


def set_trust_level(
    client: ApiClient, user_id: int, level: int, *, cancel: CancelLike | None = None
) -> User | None:
    """``PUT /admin/users/{id}/trust_level.json`` with ``level`` 0–4 (naturally idempotent).

    Returns the updated user when the server sends one (it may lock the level, see
    ``manual_locked_trust_level``), else ``None``.
    """
    if not 0 <= int(level) <= 4:
        raise ValueError("trust level must be 0..4")
    route = ep.set_trust_level(user_id)
    data = client.put_json(route.path, {"level": int(level)}, cancel=cancel)
    if isinstance(data, dict) and ("admin_user" in data or "id" in data or "user" in data):
        inner = data.get("admin_user", data)
        return parse_user(inner, route.label)
    return None
