"""Claim / assign (Discourse's bundled Assign, CONTRACT-ADDITIONS §A3), offline-first.

* :meth:`AssignService.sync` mirrors who holds each topic into ``topic_assignments``. Assigning
  bumps nothing (the tracking post is written with ``bump: false``), so the lists an incremental
  sync reads do not show it; one list route does: ``/latest.json?assigned=*&order=created
  &ascending=true&per_page=100`` (Assign's list filter, oldest first so a bump mid-walk cannot hide a
  topic). Its items carry ``assigned_to_user`` / ``assigned_to_group``. Cost: ⌈assigned topics /
  100⌉ requests per sync — one on most communities. A complete walk replaces the table (a topic no
  longer listed was unassigned). Where Assign is off, or the key may not use the filter, Discourse
  ignores it and answers the plain latest list: an item without an assignee says so; the walk
  stops there, the table is left alone, and it is tried again after :data:`RECHECK_HOURS`.
* :meth:`AssignService.holders` is that mirror with the outbox overlaid (SYNC.md I4): a queued
  assign shows its assignee (marked pending) until the community confirms it.
* :meth:`AssignService.assign` / :meth:`AssignService.unassign` queue ``assign_topic`` /
  ``unassign_topic`` with the holder the moderator saw; the dispatcher reads the topic's
  assignment before sending (Assign is not idempotent: a repeat is a 400 and every change writes a
  tracking post), so it lands exactly once and a teammate who took the topic meanwhile is a
  conflict naming them (the Discourse connector's action adapter, ``assign_state``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, text

from modconsole import clock, settings
from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.connectors.base import AssignList
from modconsole.errors import ApiError
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.outbox import store
from modconsole.outbox.store import OutboxRow
from modconsole.services.bulk import NOT_KNOWN, BulkAction, BulkPlan, BulkResult, Skip
from modconsole.services.moderation import ActionRefused, ModerationService, Queued, checked_id, checked_note
from modconsole.tasks import CancelToken

__all__ = ["ASSIGN_SYNC", "RECHECK_HOURS", "AssignService", "AssignSyncReport", "Holder"]

PER_PAGE = 100
RECHECK_HOURS = 24
"""Where Assign is unavailable, how long until the assigned list is asked for again."""

ASSIGN_SYNC: settings.Key[dict[str, Any]] = settings.key(
    "assign.sync",
    "Whether the community's Assign answered the last assigned-topics walk (and when it was asked).",
    dict,
    lambda v: dict(settings.json_object(v, "assign.sync")),
    lambda v: dict(v),
)
_KINDS = ("assign_topic", "unassign_topic")
ALREADY_HELD = QT_TRANSLATE_NOOP("core", "already assigned to them")
ASSIGN_QUEUED = QT_TRANSLATE_NOOP("core", "an assignment is already queued")


@dataclass(frozen=True)
class AssignSyncReport:
    assigned: int
    requests: int
    available: bool | None  # None: not asked this time (Assign was unavailable recently)
    changes: Changes


@dataclass(frozen=True)
class Holder:
    """Who holds a topic: a user or a group; ``pending`` while it comes from a queued action."""

    user: str | None = None
    group: str | None = None
    note: str | None = None
    pending: bool = False
    mine: bool = False

    @property
    def label(self) -> str:
        return f"@{self.user}" if self.user else (f"@{self.group}" if self.group else "")

    def to_json(self) -> dict[str, Any]:
        return {"user": self.user, "group": self.group, "note": self.note, "pending": self.pending}


class AssignService:
    """Assignments of one workspace: mirror, overlay, and queue assign / unassign."""

    def __init__(self, cache: Cache, client: ApiClient | None, moderation: ModerationService) -> None:
        self.cache = cache
        self.client = client
        self.moderation = moderation
        self.api: AssignList | None = moderation.connector.assign
        """The platform's server-side assign (None where it has none: nothing to mirror)."""

    @property
    def me(self) -> str:
        return self.moderation.me

    # ------------------------------------------------------------ pull

    def sync(self, token: CancelToken | None = None, *, force: bool = False) -> AssignSyncReport:
        """Walk the assigned-topics list once (see the module docstring); a failed read changes
        nothing. Raises :class:`~modconsole.errors.ApiError` when a page cannot be read."""
        if self.client is None or self.api is None:
            return AssignSyncReport(0, 0, None, Changes())
        token = token or CancelToken()
        state = settings.load(self.cache, ASSIGN_SYNC)
        asked = store.parse_iso(state.get("checked_at"))
        if (
            not force
            and state.get("available") is False
            and asked is not None
            and clock.now() - asked < timedelta(hours=RECHECK_HOURS)
        ):
            return AssignSyncReport(0, 0, None, Changes())
        rows: dict[int, tuple[str | None, int | None, str | None]] = {}
        page, requests, available = 0, 0, True
        while True:
            token.raise_if_cancelled()
            found = self.api.assigned_page(self.client, page, PER_PAGE)
            requests += 1
            rows.update((tid, (w.user, w.user_id, w.group)) for tid, w in found.assigned.items())
            if not found.honoured:
                available = False  # the filter was ignored: Assign is off or not ours to use
            if not found.honoured or not found.assigned or not found.more:
                break
            page += 1
        pass_id = clock.now().strftime("%Y-%m-%dT%H:%M:%S.%f")
        with self.cache.write() as conn:
            settings.put(conn, ASSIGN_SYNC, {"available": available, "checked_at": store.now_iso()})
            if not available:
                return AssignSyncReport(0, requests, False, Changes())
            before = {
                int(r[0]): (r[1], r[2], r[3])
                for r in conn.execute(
                    text(
                        "SELECT topic_id, assigned_user, assigned_user_id, assigned_group "
                        "FROM topic_assignments"
                    )
                )
            }
            for tid, (user, uid, group) in rows.items():
                conn.execute(
                    text(
                        "INSERT INTO topic_assignments (topic_id, assigned_user, assigned_user_id, "
                        "assigned_group, seen_in_pass) VALUES (:t, :u, :i, :g, :p) ON CONFLICT (topic_id) "
                        "DO UPDATE SET assigned_user = excluded.assigned_user, "
                        "assigned_user_id = excluded.assigned_user_id, "
                        "assigned_group = excluded.assigned_group, seen_in_pass = excluded.seen_in_pass"
                    ),
                    {"t": tid, "u": user, "i": uid, "g": group, "p": pass_id},
                )
            conn.execute(text("DELETE FROM topic_assignments WHERE seen_in_pass IS NOT :p"), {"p": pass_id})
        moved = {t for t in set(before) | set(rows) if before.get(t) != rows.get(t)}
        return AssignSyncReport(len(rows), requests, True, Changes(topic_ids=frozenset(moved)))

    # ------------------------------------------------------------ read

    def _queued(self, conn: Connection) -> list[OutboxRow]:
        """Assign actions still to be delivered, or delivered since the mirror was last filled
        (oldest first: the last one of a topic is what the community holds)."""
        state = settings.get(conn, ASSIGN_SYNC)
        mirrored = str(state.get("checked_at") or "") if state.get("available") else ""
        ids = conn.execute(
            text(
                "SELECT id FROM outbox WHERE kind IN ('assign_topic', 'unassign_topic') "
                "AND (state IN ('pending', 'in_flight') OR (state = 'done' "
                "AND resolution IN ('applied', 'already_applied') AND updated_at > :m)) ORDER BY id"
            ),
            {"m": mirrored},
        )
        return [store.get_by_id(conn, int(r[0])) for r in ids.all()]

    def _my_groups(self, conn: Connection) -> set[str]:
        return {
            str(r[0]).lower()
            for r in conn.execute(
                text(
                    "SELECT g.name FROM groups g JOIN group_members m ON m.group_id = g.id "
                    "JOIN users u ON u.id = m.user_id WHERE u.username = :me COLLATE NOCASE "
                    "AND m.gone_since IS NULL"
                ),
                {"me": self.me},
            )
        }

    def _mine(self, user: str | None, group: str | None, groups: set[str]) -> bool:
        return (user or "").lower() == self.me.lower() if user else (group or "").lower() in groups

    def holders(self, topic_ids: Iterable[int] | None = None) -> dict[int, Holder]:
        """Who holds each of ``topic_ids`` (every assigned topic when None), the outbox overlaid."""
        wanted = None if topic_ids is None else {int(t) for t in topic_ids}
        with self.cache.read() as conn:
            queued = self._queued(conn)
            groups = self._my_groups(conn)
            if wanted is None:
                rows = conn.execute(
                    text("SELECT topic_id, assigned_user, assigned_group, note FROM topic_assignments")
                )
            else:
                rows = conn.execute(
                    text(
                        "SELECT topic_id, assigned_user, assigned_group, note FROM topic_assignments "
                        "WHERE topic_id IN (SELECT value FROM json_each(:ids))"
                    ),
                    {"ids": json.dumps(sorted(wanted))},
                )
            out: dict[int, Holder] = {
                int(r[0]): Holder(
                    r[1], r[2] if not r[1] else None, r[3], False, self._mine(r[1], r[2], groups)
                )
                for r in rows
            }
        for r in queued:
            tid = int(r.payload.get("topic_id") or 0)
            if wanted is not None and tid not in wanted:
                continue
            if r.kind == "unassign_topic":
                out.pop(tid, None)
                continue
            user, group = r.payload.get("username"), r.payload.get("group_name")
            out[tid] = Holder(
                user,
                None if user else group,
                r.payload.get("note"),
                r.state != "done",
                self._mine(user, group, groups),
            )
        return out

    def holder(self, topic_id: int) -> Holder | None:
        return self.holders([topic_id]).get(int(topic_id))

    def mine_ids(self) -> frozenset[int]:
        """Topics held by me or by a group I belong to (the "Mine" view), the outbox overlaid."""
        return frozenset(t for t, h in self.holders().items() if h.mine)

    def assigned_ids(self) -> frozenset[int]:
        return frozenset(self.holders())

    def teammates(self) -> list[str]:
        """Who may be assigned, as the cache knows them: staff (Assign's default allowed group)."""
        with self.cache.read() as conn:
            return [
                str(r[0])
                for r in conn.execute(
                    text(
                        "SELECT username FROM users WHERE (admin = 1 OR moderator = 1) "
                        "AND gone_since IS NULL AND active = 1 ORDER BY username COLLATE NOCASE"
                    )
                )
            ]

    def groups(self) -> list[str]:
        """Groups a topic may be assigned to: the community's own (not the automatic ones)."""
        with self.cache.read() as conn:
            return [
                str(r[0])
                for r in conn.execute(
                    text("SELECT name FROM groups WHERE automatic = 0 ORDER BY name COLLATE NOCASE")
                )
            ]

    # ------------------------------------------------------------ act

    def prepare(self, topic_id: int, *, to: str | None = None, group: str | None = None) -> None:
        """Before acting from a fresh cache (the command line): read the topic when it is not
        cached, and the assigned topics when they were never read. Offline this does nothing; the
        action then explains what is missing."""
        if self.client is None:
            return
        name = (to or "").strip().lstrip("@")
        gname = (group or "").strip().lstrip("@")
        with self.cache.read() as conn:
            known = conn.execute(text("SELECT 1 FROM topics WHERE id = :i"), {"i": int(topic_id)}).first()
            member = conn.execute(
                text("SELECT 1 FROM users WHERE username = :n COLLATE NOCASE"), {"n": name}
            ).first()
            team = conn.execute(
                text("SELECT 1 FROM groups WHERE name = :n COLLATE NOCASE"), {"n": gname}
            ).first()
        if known is None:
            self.moderation._fetch_topic(int(topic_id))
        if name and name.lower() != "me" and member is None:
            self.moderation._fetch_user(name)
        if gname and team is None:
            self.moderation._fetch_group(gname)
        if not settings.load(self.cache, ASSIGN_SYNC):
            try:
                self.sync()
            except ApiError:
                pass

    def _topic(self, conn: Connection, topic_id: int) -> dict[str, Any]:
        tid = checked_id(topic_id, "topic")
        r = conn.execute(
            text("SELECT id, title, deleted_at, gone_since FROM topics WHERE id = :i"), {"i": tid}
        ).first()
        if r is None:
            raise ActionRefused(f"Topic {tid} is not known here (it may be deleted, or sync first).")
        if r[2] or r[3]:
            raise ActionRefused(f"Topic {tid} “{r[1]}” was deleted.")
        return {"id": tid, "title": r[1]}

    def assign(
        self, topic_id: int, *, to: str | None = None, group: str | None = None, note: str | None = None
    ) -> Queued:
        """Queue assigning the topic to the member ``to`` (``"me"`` or ``None`` with no group: the
        moderator) or to the ``group``."""
        kept = checked_note(note)
        self._require_staff()
        name = (to or "").strip().lstrip("@")
        gname = (group or "").strip().lstrip("@")
        if name and gname:
            raise ActionRefused("Assign to a member or to a group, not both.")
        with self.cache.write() as conn:
            t = self._topic(conn, topic_id)
            payload: dict[str, Any] = {"topic_id": t["id"], "topic_title": t["title"]}
            if gname:
                g = conn.execute(
                    text("SELECT name FROM groups WHERE name = :n COLLATE NOCASE"), {"n": gname}
                ).first()
                if g is None:
                    raise ActionRefused(f"No group “{gname}” is known on this community.")
                payload["group_name"] = str(g[0])
            elif not name or name.lower() in ("me", self.me.lower()):
                payload["username"] = self.me  # the key's own account: no lookup needed
            else:
                u = conn.execute(
                    text("SELECT username, gone_since FROM users WHERE username = :n COLLATE NOCASE"),
                    {"n": name},
                ).first()
                if u is None or u[1]:
                    raise ActionRefused(f"No member @{name} is known on this community (check the spelling).")
                payload["username"] = str(u[0])
            seen = self._seen(conn, t["id"])
            target = (payload.get("username") or "", payload.get("group_name") or "")
            if (seen.get("user", "").lower(), seen.get("group", "").lower()) == (
                target[0].lower(),
                target[1].lower(),
            ) and not kept:
                who = f"@{target[0] or target[1]}"
                raise ActionRefused(f"“{t['title']}” is already assigned to {who}.")
            payload["seen"] = seen
            if kept:
                payload["note"] = kept
            return self._enqueue(conn, "assign_topic", payload, seen)

    def unassign(self, topic_id: int, *, note: str | None = None) -> Queued:
        kept = checked_note(note)
        self._require_staff()
        with self.cache.write() as conn:
            t = self._topic(conn, topic_id)
            seen = self._seen(conn, t["id"])
            if not seen:
                raise ActionRefused(f"“{t['title']}” is not assigned to anyone.")
            payload: dict[str, Any] = {"topic_id": t["id"], "topic_title": t["title"], "seen": seen}
            if kept:
                payload["note"] = kept
            return self._enqueue(conn, "unassign_topic", payload, seen)

    def _require_staff(self) -> None:
        if self.moderation.permissions().staff is False:
            raise ActionRefused(f"Your account (@{self.me}) cannot assign topics: only staff can.")

    def _seen(self, conn: Connection, topic_id: int) -> dict[str, str]:
        """The holder as the community last showed it (the mirror), recorded with the action: the
        dispatcher tells a deliberate re-assign from a topic a teammate took meanwhile by it. One
        assign action per topic at a time (as one review action per item): a second is refused
        while the first waits; one delivered but not re-read yet counts as the community's."""
        for row in store.rows(conn, store.OPEN_STATES):
            if row.kind in _KINDS and row.payload.get("topic_id") == topic_id:
                raise ActionRefused(
                    f"“{row.describe()}” is already queued for this topic ({row.state}); "
                    "let it be sent, or resolve or discard it on the Outbox page first."
                )
        r = conn.execute(
            text("SELECT assigned_user, assigned_group FROM topic_assignments WHERE topic_id = :t"),
            {"t": topic_id},
        ).first()
        seen: dict[str, str] = {}
        if r is not None and r[0]:
            seen = {"user": str(r[0])}
        elif r is not None and r[1]:
            seen = {"group": str(r[1])}
        for row in self._queued(conn):  # delivered, not re-read yet: the community has it
            if row.state == "done" and row.payload.get("topic_id") == topic_id:
                p = row.payload
                if row.kind == "unassign_topic":
                    seen = {}
                elif p.get("username"):
                    seen = {"user": str(p["username"])}
                else:
                    seen = {"group": str(p.get("group_name"))}
        return seen

    def _enqueue(self, conn: Connection, kind: str, payload: dict[str, Any], seen: dict[str, str]) -> Queued:
        ins = store.insert(
            conn,
            kind=kind,
            target_key=f"assign-topic:{payload['topic_id']}",
            payload=payload,
            precondition={"seen": seen},
            created_by=self.me,
        )
        changes = store.changes_for(ins.row_id, kind, payload)
        return Queued(ins.op_uuid, ins.row_id, store.describe(kind, payload), changes, ins.cancelled)

    # ------------------------------------------------------------ bulk (the queue's multi-selection)

    def bulk_action(self) -> BulkAction:
        """``assign`` for :class:`~modconsole.services.bulk.BulkService`: the selected questions to
        ``to`` (default: me) or ``group``; a dry run names those already held by them or with an
        assignment queued."""
        return BulkAction("assign", self._plan_bulk, self._apply_bulk)

    def _plan_bulk(self, ids: tuple[int, ...], params: Mapping[str, Any], _now: Any) -> BulkPlan:
        to = str(params.get("to") or "") or (None if params.get("group") else self.me)
        group = str(params.get("group") or "") or None
        held = self.holders(ids)
        with self.cache.read() as conn:
            known = {
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM topics WHERE id IN (SELECT value FROM json_each(:ids))"),
                    {"ids": json.dumps(list(ids))},
                )
            }
            queued = {
                int(r.payload.get("topic_id") or 0)
                for r in store.rows(conn, store.OPEN_STATES)
                if r.kind in _KINDS
            }
        targets: list[int] = []
        skipped: list[Skip] = []
        for tid in ids:
            h = held.get(tid)
            if tid not in known:
                skipped.append(Skip(tid, NOT_KNOWN))
            elif tid in queued:
                skipped.append(Skip(tid, ASSIGN_QUEUED))
            elif h is not None and (
                (to is not None and (h.user or "").lower() == to.lower())
                or (group is not None and (h.group or "").lower() == group.lower())
            ):
                skipped.append(Skip(tid, ALREADY_HELD))
            else:
                targets.append(tid)
        return BulkPlan("assign", tuple(targets), tuple(skipped), {**params, "to": to, "group": group})

    def _apply_bulk(self, plan: BulkPlan) -> BulkResult:
        ops: list[str] = []
        refused: list[Skip] = []
        changes = Changes()
        for tid in plan.targets:
            try:
                q = self.assign(tid, to=plan.params.get("to"), group=plan.params.get("group"))
            except ActionRefused as exc:
                refused.append(Skip(tid, exc.user_message))
                continue
            ops.append(q.op_uuid)
            changes = changes | q.changes
        return BulkResult("assign", tuple(ops), refused=tuple(refused), changes=changes)
