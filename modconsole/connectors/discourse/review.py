"""The review queue (``/review*``, CONTRACT-ADDITIONS §A2): one function per endpoint, and the
parsing of Discourse's ``rest_serializer`` shape (rows carry ``*_id(s)``; users, topics, scores,
bundles and actions are side-loaded at the top level) into plain, flat items.

The actions a moderator may take are read from each item's bundles, never hard-coded: which ones
are offered depends on the item's type, the post's state and the site's version (§A2.3). A perform
sends the action's ``server_action`` (else its ``id``) with the ``version`` the item was read at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from modconsole.api.client import ApiClient
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.types import STATUS_NAMES, Reason, ReviewAction, ReviewItem
from modconsole.errors import NotFound, UnexpectedPayload

HISTORY_TRANSITIONED = 1
MAX_PAGES = 200
"""At 10 items a page, 2,000 pending items: far beyond a healthy queue; stops a runaway loop."""


def _d(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _int(v: Any) -> int | None:
    return int(v) if isinstance(v, int | str) and str(v).lstrip("-").isdigit() else None


def parse_items(data: Mapping[str, Any], rows: list[Any]) -> list[ReviewItem]:
    users = {u.get("id"): u for u in data.get("users") or [] if isinstance(u, dict)}
    topics = {t.get("id"): t for t in data.get("topics") or [] if isinstance(t, dict)}
    scores = {s.get("id"): s for s in data.get("reviewable_scores") or [] if isinstance(s, dict)}
    bundles = {b.get("id"): b for b in data.get("bundled_actions") or [] if isinstance(b, dict)}
    actions = {a.get("id"): a for a in data.get("actions") or [] if isinstance(a, dict)}
    histories = {h.get("id"): h for h in data.get("reviewable_histories") or [] if isinstance(h, dict)}

    def name(uid: Any) -> str | None:
        u = users.get(uid)
        return str(u["username"]) if isinstance(u, dict) and u.get("username") else None

    out: list[ReviewItem] = []
    for r in rows:
        if not isinstance(r, dict) or _int(r.get("id")) is None:
            continue
        reasons = []
        for sid in r.get("reviewable_score_ids") or []:
            s = scores.get(sid)
            if not isinstance(s, dict):
                continue
            st = _d(s.get("score_type"))
            reasons.append(
                Reason(
                    type=str(st.get("type") or "flag"),
                    title=str(st.get("title") or st.get("type") or "Flag"),
                    username=name(s.get("user_id")),
                    score=float(s.get("score") or 0.0),
                    created_at=s.get("created_at"),
                )
            )
        acts: list[ReviewAction] = []
        for bid in r.get("bundled_action_ids") or []:
            b = bundles.get(bid)
            if not isinstance(b, dict):
                continue
            for aid in b.get("action_ids") or []:
                a = actions.get(aid)
                if not isinstance(a, dict):
                    continue
                acts.append(
                    ReviewAction(
                        id=str(aid),
                        server_action=str(a.get("server_action") or aid),
                        label=str(a.get("label") or aid),
                        bundle=str(b.get("label") or ""),
                        confirm_message=a.get("confirm_message"),
                        client_action=a.get("client_action"),
                    )
                )
        hist = [histories[h] for h in r.get("reviewable_history_ids") or [] if h in histories]
        moved = [h for h in hist if h.get("reviewable_history_type") == HISTORY_TRANSITIONED]
        claimed = _d(r.get("claimed_by"))
        payload = _d(r.get("payload"))
        topic = _d(topics.get(r.get("topic_id")))
        author_id = r.get("target_created_by_id") or r.get("created_by_id")
        out.append(
            ReviewItem(
                id=int(r["id"]),
                type=str(r.get("type") or ""),
                status=_int(r.get("status")) or 0,
                score=float(r.get("score") or 0.0),
                version=_int(r.get("version")) or 0,
                created_at=r.get("created_at"),
                topic_id=_int(r.get("topic_id")),
                topic_title=topic.get("fancy_title") or topic.get("title") or payload.get("title"),
                category_id=_int(r.get("category_id")),
                post_id=_int(r.get("post_id") if r.get("post_id") is not None else r.get("target_id")),
                post_number=_int(r.get("post_number")),
                author=name(author_id),
                cooked=r.get("cooked"),
                raw=r.get("raw") if r.get("raw") is not None else payload.get("raw"),
                reasons=tuple(reasons),
                actions=tuple(acts),
                claimed_by=name(claimed.get("user_id")) if claimed.get("user_id") is not None else None,
                claimable="claimed_by" in r,
                last_transition_by=name(moved[-1].get("created_by_id")) if moved else None,
            )
        )
    return out


def list_page(
    client: ApiClient, params: Mapping[str, Any] | None = None
) -> tuple[list[ReviewItem], dict[str, Any] | None]:
    """One page of ``GET /review.json``; returns the items and the next page's params (or None)."""
    data = client.get_json(ep.review_list().path, dict(params or {}))
    if not isinstance(data, dict):
        return [], None
    items = parse_items(data, list(data.get("reviewables") or []))
    meta = _d(data.get("meta"))
    more = meta.get("load_more_reviewables")
    if not isinstance(more, str) or not items:
        return items, None
    return items, dict(parse_qsl(urlsplit(more).query))


def list_all(client: ApiClient, params: Mapping[str, Any] | None = None) -> list[ReviewItem]:
    """Every page of ``/review.json`` for ``params`` (pending items by default)."""
    items: list[ReviewItem] = []
    seen: set[int] = set()
    nxt: dict[str, Any] | None = dict(params or {})
    for _ in range(MAX_PAGES):
        if nxt is None:
            break
        page, nxt = list_page(client, nxt)
        for it in page:
            if it.id not in seen:  # a row can shift across pages while we read
                seen.add(it.id)
                items.append(it)
    return items


def get_item(client: ApiClient, reviewable_id: int) -> ReviewItem | None:
    """``GET /review/{id}.json``, or None when the item no longer exists (or is not visible)."""
    try:
        data = client.get_json(ep.review_item(reviewable_id).path)
    except NotFound:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("reviewable"), dict):
        return None
    items = parse_items(data, [data["reviewable"]])
    return items[0] if items else None


def pending_count(client: ApiClient) -> int:
    """``GET /review/count.json`` → ``{"count": N}``: pending items the caller may review (§A2)."""
    data = client.get_json(ep.review_count().path)
    value = data.get("count") if isinstance(data, dict) else None
    if not isinstance(value, int):
        raise UnexpectedPayload(
            "The community's review count answered in an unexpected way.",
            route=ep.review_count().label,
            status=200,
            detail="no integer count",
            retryable=False,
        )
    return value


__all__ = [
    "STATUS_NAMES",
    "Reason",
    "ReviewAction",
    "ReviewItem",
    "get_item",
    "list_all",
    "list_page",
    "parse_items",
    "pending_count",
]
