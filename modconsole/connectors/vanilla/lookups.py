"""Vanilla's side of the services' seam: cache misses fetched through API v2
(:class:`~modconsole.connectors.base.Lookups`) and its links (``/discussion/{id}/{slug}``,
``/discussion/comment/{id}``, :class:`~modconsole.connectors.base.Links`).

Discussions, comments, members, badges and group members are read through the sync stages'
``refresh`` (one mapping to cache rows, the sync's own); what has no refresh (a member or a group
by name, the categories) is found with one list read first. A lookup never asks a Discourse route.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy import text

from modconsole.api.client import ApiClient
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.connectors.types import Found, LinkRef, TopicHead
from modconsole.connectors.vanilla import endpoints as ep
from modconsole.connectors.vanilla import parse
from modconsole.connectors.vanilla.sync import rows
from modconsole.errors import ApiError, NotFound, PermissionDenied, UnexpectedPayload
from modconsole.tasks import CancelToken

__all__ = ["LINKS", "LOOKUPS", "VanillaLinks", "VanillaLookups"]

PAGE = 100
MAX_PAGES = 100  # Vanilla caps numbered pages at 100 (CONTRACT §3.4)
LIST_LIMIT = 30  # one page of a category's discussions, as Discourse's latest list gives 30

T = TypeVar("T")


def _pages(
    client: ApiClient, route: ep.Route, params: dict[str, Any], parse_fn: Callable[[Any, str], tuple[T, ...]]
) -> Iterator[tuple[T, ...]]:
    """A numbered list, page after page while the answer names a next one."""
    for page in range(1, MAX_PAGES + 1):
        data, headers = client.get_page(route.path, {**params, "page": page, "limit": PAGE})
        yield parse_fn(data, route.label)
        if parse.paging(headers).next_url is None:
            return


def _sync(client: ApiClient, cache: Cache) -> Any:
    from modconsole.connectors.vanilla.sync.engine import VanillaSync  # with the first lookup

    return VanillaSync(client, cache)


def _has(cache: Cache, sql: str, **params: Any) -> bool:
    with cache.read() as conn:
        return conn.execute(text(sql), params).first() is not None


def _discussions(client: ApiClient, params: dict[str, Any]) -> list[TopicHead]:
    """One page of discussions, newest activity first (the list's default sort)."""
    route = ep.discussions()
    query = {**params, "limit": LIST_LIMIT, **ep.discussion_sync_params()}
    found = parse.discussions(client.get_json(route.path, query), route.label)
    return [TopicHead(d.discussion_id, d.name, None, d.category_id, d.closed) for d in found]


class VanillaLookups:
    """Members by name (``GET /users?name=``), badges, comments and discussions, categories, groups
    by name (``GET /groups``), a category's discussions."""

    def user(self, client: ApiClient, cache: Cache, username: str) -> Found:
        try:
            found = parse.users(client.get_json(ep.users().path, {"name": username}), ep.users().label)
            match = [u for u in found if u.name.lower() == username.lower()]
            if not match:
                return "absent"
            _sync(client, cache).refresh(CancelToken(), user_ids=[match[0].user_id])
        except (ApiError, UnexpectedPayload):
            return "failed"
        return "found"

    def badges(self, client: ApiClient, cache: Cache) -> Found:
        try:
            _sync(client, cache).refresh(CancelToken(), badge_ids=[0])
        except ApiError:
            return "failed"
        return "found"

    def post(self, client: ApiClient, cache: Cache, post_id: int) -> Found:
        """A comment (by its id), or a discussion's body (the cache's post −discussionID): read
        with its discussion."""
        pid = int(post_id)
        if pid < 0:
            return self.topic(client, cache, -pid)
        try:
            data = client.get_json(ep.comment(pid).path)
        except (NotFound, PermissionDenied):
            return "absent"
        except ApiError:
            return "failed"
        did = data.get("discussionID") if isinstance(data, dict) else None
        if not isinstance(did, int):
            return "failed"
        return self.topic(client, cache, did)

    def topic(self, client: ApiClient, cache: Cache, topic_id: int) -> Found:
        tid = int(topic_id)
        try:
            _sync(client, cache).refresh(CancelToken(), topic_ids=[tid])
        except (NotFound, PermissionDenied):
            return "absent"  # its comments answer 404 (403): gone, or not ours to see
        except ApiError:
            return "failed"
        if not _has(cache, "SELECT 1 FROM topics WHERE id = :t AND gone_since IS NULL", t=tid):
            return "absent"  # the discussion list did not answer it: gone, or not ours to see
        if not _has(
            cache, "SELECT 1 FROM categories c JOIN topics t ON t.category_id = c.id WHERE t.id = :t", t=tid
        ):
            self.categories(client, cache)
        return "found"

    def categories(self, client: ApiClient, cache: Cache) -> Found:
        got: list[dict[str, Any]] = []
        try:
            for page in _pages(client, ep.categories(), {"outputFormat": "flat"}, parse.categories):
                got += [rows.category_row(c) for c in page]
        except (ApiError, UnexpectedPayload):
            return "failed"
        with cache.write() as conn:
            repo.upsert_categories(conn, got)
        return "found"

    def group(self, client: ApiClient, cache: Cache, name: str) -> Found:
        """The group named so (case ignored) from ``GET /groups``, then its members."""
        want = name.strip().lower()
        try:
            match = next(
                (
                    g
                    for page in _pages(client, ep.groups(), {}, parse.groups)
                    for g in page
                    if g.name.lower() == want
                ),
                None,
            )
            if match is None:
                return "absent"
            with cache.write() as conn:
                repo.upsert_groups(conn, [rows.group_row(match)])
            _sync(client, cache).refresh(CancelToken(), group_ids=[match.group_id])
        except (ApiError, UnexpectedPayload):
            return "failed"
        return "found"

    def category_topics(self, client: ApiClient, category_id: int, slug: str | None) -> list[TopicHead]:
        return _discussions(client, {"categoryID": int(category_id)})

    def recent_topics(self, client: ApiClient) -> list[TopicHead]:
        return _discussions(client, {})


class VanillaLinks:
    """A discussion: ``/discussion/{id}/{slug}``; a comment: ``/discussion/comment/{id}`` (Vanilla
    numbers no posts: a post is named by its id, a discussion's body by the discussion)."""

    def permalink(
        self,
        site_url: str,
        topic_id: int,
        slug: str | None = None,
        post_number: int | None = None,
        *,
        post_id: int | None = None,
    ) -> str:
        if post_id is not None and int(post_id) > 0:
            return ep.comment_link(site_url, int(post_id))
        return ep.discussion_link(site_url, topic_id, slug)

    def parse(self, path: str) -> LinkRef | None:
        found = ep.link_path(path)
        if found is None:
            return None
        kind, ident = found
        return LinkRef(post_id=ident) if kind == "comment" else LinkRef(topic_id=ident)

    def example(self, site_url: str) -> str:
        return ep.comment_link(site_url, 456)


LOOKUPS = VanillaLookups()
LINKS = VanillaLinks()
