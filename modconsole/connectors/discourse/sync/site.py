"""Stage ``site``: who the key acts as, the categories, groups and user fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import text

from modconsole.cache import repo
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import parse_site
from modconsole.connectors.discourse.session import verify
from modconsole.connectors.discourse.sync.base import Stage
from modconsole.connectors.discourse.sync.run import bool_row, pick


class SiteStage(Stage):
    """Stage ``site``."""

    def sync_site(self, *, refresh: bool) -> None:
        if not refresh:
            return
        me: dict[str, Any] = self._retrying(lambda: verify(self._client, cancel=self._cancel))
        staff = bool(me.get("admin") or me.get("moderator") or me.get("staff"))
        admin = bool(me.get("admin"))
        data = self._get(ep.site().path, None, parse_site)
        cats = [
            bool_row(
                {
                    **pick(
                        c,
                        (
                            "id",
                            "name",
                            "slug",
                            "parent_category_id",
                            "position",
                            "color",
                            "topic_count",
                            "read_restricted",
                        ),
                    ),
                    "description_text": c.get("description_text", c.get("description")),
                    "accepts_answers": self._accepts(c),
                },
                "read_restricted",
            )
            for c in data.get("categories", [])
            if isinstance(c, Mapping)
        ]
        groups = [
            bool_row(pick(g, ("id", "name", "full_name", "automatic")), "automatic")
            for g in data.get("groups", [])
            if isinstance(g, Mapping)
        ]
        with self._cache.write() as conn:
            self._changed("categories", repo.upsert_categories(conn, cats))
            self._changed("groups", repo.upsert_groups(conn, groups))
            self._set_capability(conn, staff=staff, admin=admin)
            cur = self._cursor(conn, "site")
            repo.put_cursor(conn, replace(cur, last_complete_pass_at=self._now()))
            site = conn.execute(text("SELECT id FROM site WHERE id = 1")).first()
            if site is None:
                creds = self._client.credentials
                conn.execute(
                    text(
                        "INSERT INTO site (id, url, username, key_kind, user_id, created_at) "
                        "VALUES (1, :url, :u, :k, :uid, :now)"
                    ),
                    {
                        "url": self._client.base_url,
                        "u": str(me.get("username")),
                        "k": "admin" if creds is not None and creds.kind == "admin" else "user_api",
                        "uid": me.get("id") if isinstance(me.get("id"), int) else None,
                        "now": self._now(),
                    },
                )
            offset = self._client.clock_offset
            if offset is not None:
                conn.execute(
                    text(
                        "INSERT INTO server_clock (id, offset_seconds, measured_at) VALUES (1, :o, :m) "
                        "ON CONFLICT (id) DO UPDATE SET offset_seconds = :o, measured_at = :m"
                    ),
                    {"o": offset, "m": self._now()},
                )

    @staticmethod
    def _accepts(c: Mapping[str, Any]) -> bool:
        v = c.get("enable_accepted_answers")
        if v is None:
            cf = c.get("custom_fields")
            if isinstance(cf, Mapping):
                v = cf.get("enable_accepted_answers")
        return str(v).lower() == "true" if v is not None else False
