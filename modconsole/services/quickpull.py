"""A small, complete pull of a *small* site into the cache through the API client (Qt-free).

This is the console's stand-in while ``modconsole.sync.SyncEngine`` is not available: it
reads categories, every topic list page, the latest-posts stream and the staff user list,
then recomputes the derived queue fields and the FTS index. It has no cursors and no deletion
detection, so it is only suitable for the demo community and tests; the app prefers the sync
engine whenever it is importable (``ui.app.Services``).
"""

from __future__ import annotations

import re
from typing import Any

from modconsole.api.client import ApiClient
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.errors import PermissionDenied
from modconsole.tasks import CancelToken, Progress, ProgressCallback, ignore_progress

__all__ = ["quick_pull"]

_FREE_MAIL = frozenset({"gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "proton.me"})


class _CancelAdapter:
    """``CancelToken`` as the client's ``CancelLike`` (``is_set()``)."""

    def __init__(self, token: CancelToken) -> None:
        self._token = token

    def is_set(self) -> bool:
        return self._token.cancelled


def _company_name(domain: str) -> str:
    stem = domain.split(".")[0]
    return " ".join(w.capitalize() for w in re.split(r"[-_]", stem) if w) or domain


def quick_pull(
    client: ApiClient,
    cache: Cache,
    token: CancelToken | None = None,
    progress: ProgressCallback = ignore_progress,
    *,
    max_topic_pages: int = 200,
    max_post_pages: int = 400,
) -> Changes:
    token = token or CancelToken()
    cancel = _CancelAdapter(token)
    progress(Progress("categories", 0, None, message="Reading categories"))
    cats = client.get_json("/categories.json", {"include_subcategories": "true"}, cancel=cancel)
    categories: list[dict[str, Any]] = []
    for c in (cats.get("category_list") or {}).get("categories", []):
        categories.append(c)
        categories.extend(c.get("subcategory_list") or [])
    with cache.write() as conn:
        repo.upsert_categories(conn, categories)

    topic_ids: set[int] = set()
    for page in range(max_topic_pages):
        token.raise_if_cancelled()
        progress(Progress("topics", page, None, message=f"Reading questions, page {page + 1}"))
        data = client.get_json(
            "/latest.json", {"page": page, "per_page": 100, "order": "created"}, cancel=cancel
        )
        tl = data.get("topic_list") or {}
        rows = []
        for t in tl.get("topics", []):
            posters = t.get("posters") or []
            asker = next(
                (p.get("user_id") for p in posters if "Original Poster" in (p.get("description") or "")), None
            )
            row = dict(t)
            if asker is not None:
                row["user_id"] = asker
            rows.append(row)
        with cache.write() as conn:
            topic_ids |= repo.upsert_topics(conn, rows)
            repo.upsert_users(conn, [u for u in data.get("users", []) if u.get("id") and u.get("username")])
        topic_ids |= {int(r["id"]) for r in rows}
        if not tl.get("more_topics_url") or not rows:
            break

    before: int | None = None
    post_ids: set[int] = set()
    for page in range(max_post_pages):
        token.raise_if_cancelled()
        progress(Progress("posts", page, None, message=f"Reading replies, page {page + 1}"))
        params: dict[str, Any] = {} if before is None else {"before": before}
        posts = client.get_json("/posts.json", params, cancel=cancel).get("latest_posts", [])
        if not posts:
            break
        solutions = [
            {
                "post_id": p["id"],
                "topic_id": p["topic_id"],
                "post_number": p.get("post_number"),
                "user_id": p.get("user_id"),
            }
            for p in posts
            if p.get("accepted_answer")
        ]
        with cache.write() as conn:
            post_ids |= repo.upsert_posts(conn, posts)
            repo.upsert_solutions(conn, solutions)
        post_ids |= {int(p["id"]) for p in posts}
        before = min(int(p["id"]) for p in posts) - 1
        if len(posts) < 50 or before < 1:
            break

    progress(Progress("people", 0, None, message="Reading members"))
    users: list[dict[str, Any]] = []
    for page in range(1, 200):
        token.raise_if_cancelled()
        try:
            batch = client.get_json(
                "/admin/users/list/active.json", {"page": page, "show_emails": "true"}, cancel=cancel
            )
        except PermissionDenied:
            try:
                batch = client.get_json("/admin/users/list/active.json", {"page": page}, cancel=cancel)
            except PermissionDenied:
                break
        if not batch:
            break
        users.extend(batch)
    with cache.write() as conn:
        repo.upsert_users(conn, [{k: v for k, v in u.items() if k != "email"} for u in users])
        for u in users:
            email = u.get("email") or ""
            domain = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
            if not domain or domain in _FREE_MAIL:
                continue
            conn.exec_driver_sql(
                "INSERT INTO companies (name, domain, source, is_customer) VALUES (?, ?, 'email_domain', 1) "
                "ON CONFLICT DO NOTHING",
                (_company_name(domain), domain),
            )
            conn.exec_driver_sql(
                "UPDATE users SET company_id = (SELECT id FROM companies WHERE domain = ?) WHERE id = ?",
                (domain, u["id"]),
            )
    progress(Progress("index", 0, None, message="Updating the queue"))
    with cache.write() as conn:
        repo.refresh_derived(conn, topic_ids)
        repo.refresh_fts(conn, post_ids=post_ids, topic_ids=topic_ids)
    return Changes(
        topics=bool(topic_ids),
        posts=bool(post_ids),
        users=bool(users),
        categories=bool(categories),
    )
