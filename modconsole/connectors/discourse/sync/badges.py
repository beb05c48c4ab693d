"""Stage ``badges``: the badge list and the grants of hand-awarded badges; holders on demand."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import text

from modconsole.cache import repo
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import parse_badges, parse_user_badges
from modconsole.connectors.discourse.sync.base import Stage
from modconsole.connectors.discourse.sync.run import (
    BADGE_KEYS,
    ON_DEMAND_BADGES,
    bool_row,
    holders_on_demand,
    parse_iso,
    pick,
)
from modconsole.errors import NotFound


class BadgesStage(Stage):
    """Stage ``badges``."""

    def badges_due(self, c: Mapping[str, repo.CursorState]) -> bool:
        """An incremental run reads the badge list when topics moved (new posts earn badges) or the
        last list is older than ``badges_interval_seconds`` (server time): a grant bumps nothing, and
        one request less keeps an unchanged incremental at 3."""
        run = self._run
        assert run is not None
        cur = c.get("badges")
        if run.topics_moved or cur is None or cur.last_complete_pass_at is None:
            return True
        last = parse_iso(cur.last_complete_pass_at)
        now = parse_iso(self._now())
        if last is None or now is None:
            return True
        return (now - last).total_seconds() >= self._opts.badges_interval_seconds

    def sync_badges(self, only: set[int] | None = None) -> None:
        """The badge list; grants for badges awarded by hand whose ``grant_count`` moved. Holders
        of automatic badges (a query or a system badge: trust levels, first like, …) are not listed:
        the forum grants them by rule — on ``large`` 1,758 requests of a first sync, mostly for
        them — and they are read on demand (:meth:`fetch_badge_holders`, when a moderator opens
        the badge). ``only``: just these badges, grants re-read whatever the count says (a changed
        badge left out keeps its old count, so the next run still reads its grants)."""
        admin = self._capability("admin")
        path = (ep.admin_badges() if admin else ep.badges()).path
        try:
            data = self._get(path, None, parse_badges)
        except NotFound:  # badges disabled site-wide
            return
        items = [b for b in data.get("badges", []) if isinstance(b, Mapping)]
        if only is not None:
            items = [b for b in items if b.get("id") in only]
        with self._cache.read() as conn:
            cached = {int(r[0]): r[1] for r in conn.execute(text("SELECT id, grant_count FROM badges"))}
        rows = []
        for b in items:
            row = bool_row(
                pick(b, BADGE_KEYS),
                "multiple_grant",
                "allow_title",
                "enabled",
                "listable",
                "manually_grantable",
                "system",
            )
            if row.get("image_url") is None and b.get("image"):
                row["image_url"] = b.get("image")
            rows.append(row)
        automatic = {int(r["id"]) for r in rows if holders_on_demand(r)}
        changed = [
            r
            for r in rows
            if only is not None  # asked for: a grant and a revoke may leave the count unchanged
            or (
                int(r["id"]) not in automatic
                and (int(r["id"]) not in cached or cached[int(r["id"])] != r.get("grant_count"))
            )
        ]
        if self._run is not None and self._run.bulk_grants and only is None:
            changed = []  # the bulk stage already mirrored every grant
        same = [r for r in rows if r not in changed]
        with self._cache.write() as conn:
            self._changed("badges", repo.upsert_badges(conn, same))
            if only is None:  # the whole list: which badges are automatic now, and when it was read
                cur = self._cursor(conn, ON_DEMAND_BADGES)
                was = json.loads(cur.hw_value or "{}")
                listed = {str(b): was.get(str(b)) for b in sorted(automatic)}
                repo.put_cursor(conn, replace(cur, hw_value=json.dumps(listed, sort_keys=True)))
                cur = self._cursor(conn, "badges")
                repo.put_cursor(conn, replace(cur, last_complete_pass_at=self._now()))
        for i, badge in enumerate(changed):
            self._sync_grants(badge)
            if int(badge["id"]) in automatic:
                with self._cache.write() as conn:  # its holders are now those of this count
                    cur = self._cursor(conn, ON_DEMAND_BADGES)
                    listed = json.loads(cur.hw_value or "{}")
                    listed[str(int(badge["id"]))] = badge.get("grant_count")
                    repo.put_cursor(conn, replace(cur, hw_value=json.dumps(listed, sort_keys=True)))
            self._emit(i + 1, len(changed))

    def sync_member_badges(self, user_id: int, username: str) -> None:
        path = ep.member_badges(username).path
        try:
            data, parsed = self._get_parsed(path, None, parse_user_badges)
        except NotFound:  # badges disabled, or the member is gone
            return
        raw = [g for g in data.get("user_badges", []) if isinstance(g, Mapping)]
        grants = [
            {
                "id": g.id,
                "user_id": g.user_id if g.user_id is not None else user_id,
                "badge_id": g.badge_id,
                "granted_at": raw_g.get("granted_at"),
                "granted_by_id": g.granted_by_id,
                "post_id": g.post_id,
                "topic_id": g.topic_id,
                "post_number": g.post_number,
            }
            for g, raw_g in zip(parsed.user_badges, raw, strict=False)
            if g.badge_id is not None
        ]
        grants = [g for g in grants if g["user_id"] == user_id]
        with self._cache.write() as conn:
            self._changed("user_badges", repo.upsert_user_badges(conn, grants))
            automatic = json.loads(self._cursor(conn, ON_DEMAND_BADGES).hw_value or "{}")
            if len(raw) < 96 and automatic:
                gone = conn.execute(
                    text(
                        "UPDATE user_badges SET gone_since = :now WHERE user_id = :u AND gone_since IS NULL "
                        "AND badge_id IN (SELECT CAST(key AS INTEGER) FROM json_each(:auto)) "
                        "AND id NOT IN (SELECT value FROM json_each(:ids)) RETURNING id"
                    ),
                    {
                        "now": self._now(),
                        "u": user_id,
                        "auto": json.dumps(automatic),
                        "ids": json.dumps([g["id"] for g in grants]),
                    },
                ).all()
                self._changed("user_badges", [int(r[0]) for r in gone])

    def _sync_grants(self, badge: dict[str, Any]) -> None:
        bid = int(badge["id"])
        expected = badge.get("grant_count")
        offset = 0
        grants: list[dict[str, Any]] = []
        seen: set[int] = set()
        first_len: int | None = None
        while True:
            route = ep.badge_grants()
            data, parsed = self._get_parsed(
                route.path, {"badge_id": bid, "offset": offset}, parse_user_badges
            )
            info = data.get("user_badge_info") if isinstance(data.get("user_badge_info"), Mapping) else data
            raw = [g for g in info.get("user_badges", []) if isinstance(g, Mapping)]
            fresh = 0
            for g, raw_g in zip(parsed.user_badges, raw, strict=False):
                if g.id in seen or g.user_id is None:
                    continue
                seen.add(g.id)
                fresh += 1
                grants.append(
                    {
                        "id": g.id,
                        "user_id": g.user_id,
                        "badge_id": g.badge_id if g.badge_id is not None else bid,
                        "granted_at": raw_g.get("granted_at"),
                        "granted_by_id": g.granted_by_id,
                        "post_id": g.post_id,
                        "topic_id": g.topic_id,
                        "post_number": g.post_number,
                    }
                )
            n = len(parsed.user_badges)
            if first_len is None:
                first_len = n
            offset += n
            if n == 0 or fresh == 0 or n < first_len or (isinstance(expected, int) and offset >= expected):
                break
        with self._cache.write() as conn:
            self._changed("user_badges", repo.upsert_user_badges(conn, grants))
            revoked = conn.execute(
                text(
                    "UPDATE user_badges SET gone_since = :now WHERE badge_id = :b AND gone_since IS NULL "
                    "AND id NOT IN (SELECT value FROM json_each(:ids)) RETURNING id"
                ),
                {"now": self._now(), "b": bid, "ids": json.dumps(sorted(seen))},
            ).all()
            self._changed("user_badges", [int(r[0]) for r in revoked])
            self._changed("badges", repo.upsert_badges(conn, [badge]))
