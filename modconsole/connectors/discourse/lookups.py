"""Discourse's side of the services' seam: cache misses fetched through its routes
(:class:`~modconsole.connectors.base.Lookups`) and its links (``/t/{slug}/{id}/{post_number}``,
:class:`~modconsole.connectors.base.Links`).

A lookup reads first and then writes in one short transaction of its own (SYNC.md §6.10 rule 2:
no request ever holds the cache's write lock); the rows are Discourse's JSON as the cache's
upserts take them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from modconsole.api.client import ApiClient
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.types import Found, LinkRef, TopicHead
from modconsole.errors import ApiError, NotFound

__all__ = ["LINKS", "LOOKUPS", "DiscourseLinks", "DiscourseLookups"]

_TOPIC_KEYS = (
    "id",
    "title",
    "slug",
    "category_id",
    "closed",
    "archived",
    "posts_count",
    "highest_post_number",
    "created_at",
    "deleted_at",
)


def _heads(data: Any) -> list[TopicHead]:
    items = ((data or {}).get("topic_list") or {}).get("topics") or [] if isinstance(data, dict) else []
    return [
        TopicHead(
            int(t["id"]),
            str(t.get("title") or ""),
            t.get("slug") if isinstance(t.get("slug"), str) else None,
            t.get("category_id") if isinstance(t.get("category_id"), int) else None,
            bool(t.get("closed")),
        )
        for t in items
        if isinstance(t, dict) and isinstance(t.get("id"), int)
    ]


class DiscourseLookups:
    """``/u/{name}.json``, ``/badges.json``, ``/posts/{id}.json``, ``/t/{id}.json``,
    ``/categories.json``, ``/groups/{name}.json`` and the topic lists."""

    def user(self, client: ApiClient, cache: Cache, username: str) -> Found:
        try:
            data = client.get_json(ep.user(username).path)
        except NotFound:
            return "absent"
        except ApiError:
            return "failed"
        user = data.get("user") if isinstance(data, dict) else None
        if not isinstance(user, dict) or not isinstance(user.get("id"), int):
            return "failed"
        grants = [g for g in data.get("user_badges") or [] if isinstance(g, dict) and "badge_id" in g]
        groups = [g for g in user.get("groups") or [] if isinstance(g, dict) and "id" in g and "name" in g]
        with cache.write() as conn:
            repo.upsert_users(conn, [{k: v for k, v in user.items() if k != "user_fields"}])
            repo.upsert_user_badges(conn, [{**g, "user_id": g.get("user_id", user["id"])} for g in grants])
            repo.upsert_groups(conn, groups)
            repo.upsert_group_members(conn, [{"group_id": g["id"], "user_id": user["id"]} for g in groups])
        return "found"

    def badges(self, client: ApiClient, cache: Cache) -> Found:
        try:
            data = client.get_json(ep.badges().path)
        except ApiError:
            return "failed"
        with cache.write() as conn:
            repo.upsert_badges(conn, [x for x in (data or {}).get("badges") or [] if isinstance(x, dict)])
        return "found"

    def post(self, client: ApiClient, cache: Cache, post_id: int) -> Found:
        try:
            data = client.get_json(ep.post(post_id).path)
            topic_id = int(data["topic_id"])
        except NotFound:
            return "absent"
        except (ApiError, KeyError, TypeError, ValueError):
            return "failed"
        with cache.write() as conn:
            repo.upsert_posts(conn, [data])
        self.topic(client, cache, topic_id)
        return "found"

    def topic(self, client: ApiClient, cache: Cache, topic_id: int) -> Found:
        """The topic view (topic row, first posts, accepted answer) and, if its category is not
        cached yet, the categories — all read first, then written in one short transaction."""
        try:
            view = client.get_json(ep.topic(topic_id).path)
        except NotFound:
            return "absent"
        except ApiError:
            return "failed"
        if not isinstance(view, dict):
            return "failed"
        with cache.read() as conn:
            known = conn.execute(
                text("SELECT id FROM categories WHERE id = :c"), {"c": view.get("category_id")}
            ).first()
        categories = [] if known is not None else self._categories(client)
        aa = view.get("accepted_answer") if isinstance(view.get("accepted_answer"), dict) else None
        row = {k: view.get(k) for k in _TOPIC_KEYS if k in view}
        row["has_accepted_answer"] = aa is not None
        posts = [x for x in (view.get("post_stream") or {}).get("posts") or [] if isinstance(x, dict)]
        with cache.write() as conn:
            repo.upsert_topics(conn, [row])
            repo.upsert_posts(conn, posts)
            if aa is not None:
                acc = conn.execute(
                    text("SELECT id FROM posts WHERE topic_id = :t AND post_number = :n"),
                    {"t": topic_id, "n": aa.get("post_number")},
                ).first()
                if acc is not None:
                    repo.upsert_solutions(
                        conn,
                        [{"post_id": acc[0], "topic_id": topic_id, "post_number": aa.get("post_number")}],
                    )
            if categories:
                repo.upsert_categories(conn, categories)
        return "found"

    @staticmethod
    def _categories(client: ApiClient) -> list[dict[str, Any]]:
        try:
            cats = client.get_json(ep.categories().path)
        except ApiError:
            return []
        items = ((cats or {}).get("category_list") or {}).get("categories") or []
        return [c for c in items if isinstance(c, dict)]

    def categories(self, client: ApiClient, cache: Cache) -> Found:
        found = self._categories(client)
        if not found:
            return "failed"
        with cache.write() as conn:
            repo.upsert_categories(conn, found)
        return "found"

    def group(self, client: ApiClient, cache: Cache, name: str) -> Found:
        try:
            data = client.get_json(ep.group(name).path)
            group = data["group"]
        except NotFound:
            return "absent"
        except (ApiError, KeyError, TypeError):
            return "failed"
        with cache.write() as conn:
            repo.upsert_groups(conn, [group])
        return "found"

    def category_topics(self, client: ApiClient, category_id: int, slug: str | None) -> list[TopicHead]:
        return _heads(client.get_json(ep.category_latest(slug or "c", int(category_id)).path))

    def recent_topics(self, client: ApiClient) -> list[TopicHead]:
        return _heads(client.get_json(ep.latest().path))


class DiscourseLinks:
    """``/t/{slug}/{id}[/{post_number}]`` (the slug optional when read back)."""

    def permalink(
        self,
        site_url: str,
        topic_id: int,
        slug: str | None = None,
        post_number: int | None = None,
        *,
        post_id: int | None = None,
    ) -> str:
        return ep.topic_link(site_url, topic_id, slug, post_number)

    def parse(self, path: str) -> LinkRef | None:
        m = ep.topic_link_path(path)
        if m is None:
            return None
        return LinkRef(topic_id=int(m.group(1)), post_number=int(m.group(2)) if m.group(2) else None)

    def example(self, site_url: str) -> str:
        return ep.topic_link(site_url, 123, "some-topic", 4)


LOOKUPS = DiscourseLookups()
LINKS = DiscourseLinks()
