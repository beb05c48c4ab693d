"""Topic endpoints (CONTRACT §3.1–§3.2). The only place that knows these URL shapes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from modconsole.api.client import ApiClient, Params
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import (
    Post,
    TopicPage,
    TopicView,
    parse_topic_list,
    parse_topic_posts,
    parse_topic_view,
)

MAX_POST_IDS_PER_CALL = 100


def _list_params(
    page: int,
    per_page: int | None,
    order: str | None,
    ascending: bool | None,
    status: str | None,
    extra: Params | None,
) -> dict[str, Any]:
    params: dict[str, Any] = {"page": page}
    if per_page is not None:
        params["per_page"] = per_page
    if order:
        params["order"] = order
    if ascending is not None:
        params["ascending"] = ascending
    if status:
        params["status"] = status
    if extra:
        params.update(extra)
    return params


def latest(
    client: ApiClient,
    *,
    page: int = 0,
    per_page: int | None = None,
    order: str | None = None,
    ascending: bool | None = None,
    status: str | None = None,
    extra: Params | None = None,
    cancel: CancelLike | None = None,
) -> TopicPage:
    """``GET /latest.json``. ``page`` is 0-based; ``per_page`` 1–100 (older servers send 30)."""
    route = ep.latest()
    data = client.get_json(
        route.path, _list_params(page, per_page, order, ascending, status, extra), cancel=cancel
    )
    return parse_topic_list(data, route.label)


def category_latest(
    client: ApiClient,
    slug: str,
    category_id: int,
    *,
    page: int = 0,
    per_page: int | None = None,
    order: str | None = None,
    ascending: bool | None = None,
    status: str | None = None,
    no_subcategories: bool = False,
    cancel: CancelLike | None = None,
) -> TopicPage:
    """``GET /c/{slug}/{id}/l/latest.json`` (deterministic latest list of one category)."""
    route = ep.category_latest(slug, category_id)
    extra: dict[str, Any] = {"no_subcategories": True} if no_subcategories else {}
    data = client.get_json(
        route.path, _list_params(page, per_page, order, ascending, status, extra), cancel=cancel
    )
    return parse_topic_list(data, route.label)


def filter_topics(
    client: ApiClient,
    query: str,
    *,
    page: int = 0,
    per_page: int | None = None,
    cancel: CancelLike | None = None,
) -> TopicPage:
    """``GET /filter.json?q=…`` (newer cores), e.g. ``"activity-after:2026-01-01 order:activity-asc"``."""
    params: dict[str, Any] = {"q": query, "page": page}
    if per_page is not None:
        params["per_page"] = per_page
    route = ep.filter_topics()
    return parse_topic_list(client.get_json(route.path, params, cancel=cancel), route.label)


def iter_latest(
    client: ApiClient,
    *,
    per_page: int | None = 100,
    order: str | None = None,
    ascending: bool | None = None,
    status: str | None = None,
    max_pages: int | None = None,
    cancel: CancelLike | None = None,
) -> Iterator[TopicPage]:
    """Page through ``/latest.json`` until a page has no ``more_topics_url``."""
    page = 0
    while max_pages is None or page < max_pages:
        result = latest(
            client,
            page=page,
            per_page=per_page,
            order=order,
            ascending=ascending,
            status=status,
            cancel=cancel,
        )
        yield result
        if not result.has_more or not result.topics:
            return
        page += 1


def topic(
    client: ApiClient,
    topic_id: int,
    *,
    page: int | None = None,
    include_raw: bool = False,
    show_deleted: bool = False,
    cancel: CancelLike | None = None,
) -> TopicView:
    """``GET /t/{id}.json``: topic, first chunk of posts (20) and the full ``stream`` of post ids."""
    params: dict[str, Any] = {}
    if page is not None:
        params["page"] = page
    if include_raw:
        params["include_raw"] = "true"
    if show_deleted:
        params["show_deleted"] = "true"
    route = ep.topic(topic_id)
    return parse_topic_view(client.get_json(route.path, params, cancel=cancel), route.label)


def topic_posts(
    client: ApiClient,
    topic_id: int,
    post_ids: Sequence[int],
    *,
    include_raw: bool = False,
    cancel: CancelLike | None = None,
) -> tuple[Post, ...]:
    """``GET /t/{id}/posts.json?post_ids[]=…`` in batches of at most 100 ids."""
    route = ep.topic_posts(topic_id)
    ids = [int(i) for i in post_ids]
    out: list[Post] = []
    for start in range(0, len(ids), MAX_POST_IDS_PER_CALL):
        params: dict[str, Any] = {"post_ids[]": ids[start : start + MAX_POST_IDS_PER_CALL]}
        if include_raw:
            params["include_raw"] = "true"
        out.extend(parse_topic_posts(client.get_json(route.path, params, cancel=cancel), route.label))
    return tuple(out)


def full_topic(
    client: ApiClient,
    topic_id: int,
    *,
    include_raw: bool = False,
    show_deleted: bool = False,
    cancel: CancelLike | None = None,
) -> tuple[TopicView, tuple[Post, ...]]:
    """The topic view plus every post of its stream, in stream order (1 + ⌈missing/100⌉ requests)."""
    view = topic(client, topic_id, include_raw=include_raw, show_deleted=show_deleted, cancel=cancel)
    rest = topic_posts(client, topic_id, view.missing_post_ids, include_raw=include_raw, cancel=cancel)
    by_id = {p.id: p for p in (*view.posts, *rest)}
    ordered = [by_id[i] for i in view.stream if i in by_id]
    ordered += [p for p in by_id.values() if p.id not in set(view.stream)]
    return view, tuple(ordered)
