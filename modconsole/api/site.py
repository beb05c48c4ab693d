"""Site-wide endpoints: ``/site.json``, ``/categories.json``, ``/search.json``, the session."""

from __future__ import annotations

from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.parse import (
    Category,
    SearchResult,
    SiteInfo,
    User,
    parse_categories,
    parse_search,
    parse_site,
    parse_user,
)
from modconsole.api.ratelimit import CancelLike


def site(client: ApiClient, *, cancel: CancelLike | None = None) -> SiteInfo:
    """``GET /site.json``: categories (incl. subcategories) the caller can see, groups, user fields."""
    return parse_site(client.get_json("/site.json", cancel=cancel), "GET /site.json")


def categories(
    client: ApiClient, *, include_subcategories: bool = True, cancel: CancelLike | None = None
) -> tuple[Category, ...]:
    """``GET /categories.json``."""
    params = {"include_subcategories": "true"} if include_subcategories else None
    return parse_categories(
        client.get_json("/categories.json", params, cancel=cancel), "GET /categories.json"
    )


def search(
    client: ApiClient, query: str, *, page: int | None = None, cancel: CancelLike | None = None
) -> SearchResult:
    """``GET /search.json?q=…`` (e.g. ``"status:unsolved"``)."""
    params: dict[str, Any] = {"q": query}
    if page is not None:
        params["page"] = page
    return parse_search(client.get_json("/search.json", params, cancel=cancel), "GET /search.json")


def current_user(client: ApiClient, *, cancel: CancelLike | None = None) -> User:
    """Who the credentials act as (``GET /session/current.json``); any 403 is an ``AuthError``."""
    return parse_user({"user": client.verify(cancel=cancel)}, "GET /session/current.json")
