"""Site-wide calls: the site, its categories, search, the signed-in member."""

from __future__ import annotations

from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import (
    Category,
    SearchResult,
    SiteInfo,
    User,
    parse_categories,
    parse_search,
    parse_site,
    parse_user,
)
from modconsole.connectors.discourse.session import verify


def site(client: ApiClient, *, cancel: CancelLike | None = None) -> SiteInfo:
    """``GET /site.json``: categories (incl. subcategories) the caller can see, groups, user fields."""
    route = ep.site()
    return parse_site(client.get_json(route.path, cancel=cancel), route.label)


def categories(
    client: ApiClient, *, include_subcategories: bool = True, cancel: CancelLike | None = None
) -> tuple[Category, ...]:
    """``GET /categories.json``."""
    params = {"include_subcategories": "true"} if include_subcategories else None
    route = ep.categories()
    return parse_categories(client.get_json(route.path, params, cancel=cancel), route.label)


def search(
    client: ApiClient, query: str, *, page: int | None = None, cancel: CancelLike | None = None
) -> SearchResult:
    """``GET /search.json?q=…`` (e.g. ``"status:unsolved"``)."""
    params: dict[str, Any] = {"q": query}
    if page is not None:
        params["page"] = page
    route = ep.search()
    return parse_search(client.get_json(route.path, params, cancel=cancel), route.label)


def current_user(client: ApiClient, *, cancel: CancelLike | None = None) -> User:
    """Who the credentials act as (``GET /session/current.json``); any 403 is an ``AuthError``."""
    return parse_user({"user": verify(client, cancel=cancel)}, ep.session_current().label)
