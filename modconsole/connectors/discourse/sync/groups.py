"""Stage ``groups``: each group of the site and its members."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import text

from modconsole.cache import repo
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import parse_group, parse_group_members
from modconsole.connectors.discourse.sync.base import Stage
from modconsole.connectors.discourse.sync.run import GROUP_KEYS, bool_row, pick
from modconsole.errors import NotFound, PermissionDenied, Rejected


class GroupsStage(Stage):
    """Stage ``groups``."""

    def sync_groups(self, *, force: bool) -> None:
        with self._cache.read() as conn:
            cur = self._cursor(conn, "groups")
            groups = [
                (int(r[0]), str(r[1]))
                for r in conn.execute(
                    text("SELECT id, name FROM groups WHERE gone_since IS NULL ORDER BY id")
                )
            ]
        if not force and cur.last_complete_pass_at is not None and cur.pass_id is None:
            return
        after = int(cur.pass_page_token or 0) if cur.pass_id else 0
        with self._cache.write() as conn:
            repo.put_cursor(
                conn, replace(self._cursor(conn, "groups"), pass_id=cur.pass_id or uuid.uuid4().hex)
            )
        run = self._run
        if run is not None and run.bulk_source is not None and cur.pass_id is None:
            from modconsole.connectors.discourse.sync import bulk

            # every group and membership in a few Data Explorer runs instead of 1+ requests a group
            if bulk.mirror_groups(self, self._client, run.bulk_source, groups):
                with self._cache.write() as conn:
                    repo.put_cursor(conn, self._pass_done(self._cursor(conn, "groups")))
                return
        for i, (gid, name) in enumerate(groups):
            if gid <= after:
                continue
            self.sync_group(gid, name)
            self._emit(i + 1, len(groups))
        with self._cache.write() as conn:
            repo.put_cursor(conn, self._pass_done(self._cursor(conn, "groups")))

    def sync_group(self, gid: int, name: str) -> None:
        try:
            data = self._get(ep.group(name).path, None, parse_group)
        except (NotFound, PermissionDenied):
            self.group_gone(gid)
            return
        g = data.get("group", data)
        row = bool_row(
            pick(g, GROUP_KEYS),
            "automatic",
            "primary_group",
            "public_admission",
            "public_exit",
            "can_admin_group",
        )
        members: dict[int, dict[str, Any]] = {}
        offset = 0
        limit = self._opts.members_page
        while True:
            try:
                page = self._get(
                    ep.group_members(name).path, {"offset": offset, "limit": limit}, parse_group_members
                )
            except Rejected:
                if limit == 50:
                    raise
                limit = 50
                continue
            except (NotFound, PermissionDenied):
                break
            owners = {int(o["id"]) for o in page.get("owners", []) if isinstance(o, Mapping)}
            batch = [m for m in page.get("members", []) if isinstance(m, Mapping)]
            for m in batch:
                uid = int(m["id"])
                members[uid] = {
                    "group_id": gid,
                    "user_id": uid,
                    "owner": uid in owners or bool(m.get("owner")),
                    "added_at": m.get("added_at"),
                }
            offset += len(batch)
            total = (page.get("meta") or {}).get("total")
            if not batch or len(batch) < limit or (isinstance(total, int) and offset >= total):
                break
        self.store_group(gid, row, members)

    def group_gone(self, gid: int) -> None:
        """The key may no longer see this group (404/403): it leaves the cache's live groups."""
        with self._cache.write() as conn:
            conn.execute(
                text("UPDATE groups SET gone_since = :n WHERE id = :g AND gone_since IS NULL"),
                {"n": self._now(), "g": gid},
            )
            cur = self._cursor(conn, "groups")
            repo.put_cursor(conn, replace(cur, pass_page_token=str(gid)))

    def store_group(self, gid: int, row: dict[str, Any], members: Mapping[int, dict[str, Any]]) -> None:
        """One group as the key sees it, with exactly ``members`` (user id -> membership row)."""
        with self._cache.write() as conn:
            self._changed("groups", repo.upsert_groups(conn, [row]))
            changed = repo.upsert_group_members(conn, list(members.values()))
            removed = conn.execute(
                text(
                    "DELETE FROM group_members WHERE group_id = :g "
                    "AND user_id NOT IN (SELECT value FROM json_each(:ids)) RETURNING user_id"
                ),
                {"g": gid, "ids": json.dumps(sorted(members))},
            ).all()
            if changed or removed:
                self._changed("groups", [gid])
                self._changed("users", [u for _, u in changed] + [int(r[0]) for r in removed])
                self._flag("group_members", len(changed) + len(removed))
            cur = self._cursor(conn, "groups")
            repo.put_cursor(conn, replace(cur, pass_page_token=str(gid)))
