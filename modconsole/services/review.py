"""The review queue (flags, posts awaiting approval; CONTRACT-ADDITIONS §A2), offline-first.

* :meth:`ReviewService.sync` mirrors the pending items of ``/review.json`` into ``review_items``
  (server truth only: every pass is a full one — the queue is small and paged by 10 — and items
  no longer pending leave the table when a pass completes);
* :meth:`ReviewService.entries` lists them from the cache, filtered like the server's queue, with
  the outbox overlaid (SYNC.md I4): an item with a queued perform shows it; an item whose perform
  was delivered leaves the list before the next pass confirms it;
* :meth:`ReviewService.perform` queues a ``review_perform`` action in the outbox with the
  version the moderator saw. The dispatcher sends it once; a 409 (someone acted first) becomes a
  conflict with Retry (re-read the item and its version), Apply anyway and Discard
  (:mod:`modconsole.outbox.dispatcher`); an ambiguous send is verified by re-reading the item.

The offered actions are the ones the server listed for the item at the last read, never a fixed
list.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.connectors.base import ReviewQueue
from modconsole.connectors.types import Reason, ReviewAction, ReviewItem
from modconsole.outbox import store
from modconsole.services.moderation import ActionRefused, ModerationService, Queued, checked_note
from modconsole.tasks import CancelToken

__all__ = ["ReviewEntry", "ReviewService", "ReviewSyncReport"]

PRIORITY_MIN_SCORE = {"low": 0.0, "medium": 5.0, "high": 8.0}
"""Local filter thresholds (the demo's; a site's own thresholds are not readable with a user key)."""

TYPES = {"flagged": "ReviewableFlaggedPost", "queued": "ReviewableQueuedPost", "user": "ReviewableUser"}


@dataclass(frozen=True)
class ReviewSyncReport:
    items: int
    added: int
    removed: int
    changes: Changes


@dataclass(frozen=True)
class ReviewEntry:
    """One pending item as the queue shows it, with what the outbox holds for it."""

    item: ReviewItem
    queued_op: str | None = None
    """op_uuid of a queued (or conflicting) perform of this item."""
    queued_state: str | None = None
    queued_label: str | None = None

    def to_json(self) -> dict[str, Any]:
        it = self.item
        return {
            "id": it.id,
            "type": it.type,
            "status": it.status_name,
            "score": it.score,
            "version": it.version,
            "created_at": it.created_at,
            "topic_id": it.topic_id,
            "topic_title": it.topic_title,
            "category_id": it.category_id,
            "post_id": it.post_id,
            "post_number": it.post_number,
            "author": it.author,
            "raw": it.raw,
            "reasons": [
                {"type": r.type, "title": r.title, "username": r.username, "score": r.score}
                for r in it.reasons
            ],
            "actions": [a.to_json() for a in it.actions],
            "claimed_by": it.claimed_by,
            "claimable": it.claimable,
            "queued": None
            if self.queued_op is None
            else {"op_uuid": self.queued_op, "state": self.queued_state, "action": self.queued_label},
        }


def item_label(it: ReviewItem) -> str:
    kind = {"ReviewableFlaggedPost": "flagged post", "ReviewableQueuedPost": "queued post"}.get(
        it.type, it.type
    )
    where = f" in “{it.topic_title}”" if it.topic_title else ""
    return f"{kind} #{it.id}{where}"


@functools.lru_cache(maxsize=512)
def _actions(actions_json: str) -> tuple[ReviewAction, ...]:
    """Items of one kind and state offer the same actions: parsed once (the values are frozen),
    which keeps the Review page's first paint at 1,000 items within its 100 ms."""
    return tuple(ReviewAction(**a) for a in json.loads(actions_json))


def _row_item(m: Any) -> ReviewItem:
    reasons = tuple(Reason(**r) for r in json.loads(m["reasons_json"] or "[]"))
    actions = _actions(m["actions_json"] or "[]")
    return ReviewItem(
        id=int(m["id"]),
        type=str(m["type"]),
        status=int(m["status"]),
        score=float(m["score"]),
        version=int(m["version"]),
        created_at=m["created_at"],
        topic_id=m["topic_id"],
        topic_title=m["topic_title"],
        category_id=m["category_id"],
        post_id=m["post_id"],
        post_number=m["post_number"],
        author=m["author"],
        cooked=m["cooked"],
        raw=m["raw"],
        reasons=reasons,
        actions=actions,
        claimed_by=m["claimed_by"],
        claimable=bool(m["claimable"]),
    )


_UPSERT = text(
    "INSERT INTO review_items (id, type, status, score, version, created_at, topic_id, topic_title, "
    "category_id, post_id, post_number, author, cooked, raw, reasons_json, actions_json, claimed_by, "
    "claimable, seen_in_pass) VALUES (:id, :type, :status, :score, :version, :created_at, :topic_id, "
    ":topic_title, :category_id, :post_id, :post_number, :author, :cooked, :raw, :reasons, :actions, "
    ":claimed_by, :claimable, :pass) "
    "ON CONFLICT (id) DO UPDATE SET type = excluded.type, status = excluded.status, score = excluded.score, "
    "version = excluded.version, created_at = excluded.created_at, topic_id = excluded.topic_id, "
    "topic_title = excluded.topic_title, category_id = excluded.category_id, post_id = excluded.post_id, "
    "post_number = excluded.post_number, author = excluded.author, cooked = excluded.cooked, "
    "raw = excluded.raw, reasons_json = excluded.reasons_json, actions_json = excluded.actions_json, "
    "claimed_by = excluded.claimed_by, claimable = excluded.claimable, seen_in_pass = excluded.seen_in_pass"
)


def _params(it: ReviewItem, pass_id: str) -> dict[str, Any]:
    return {
        "id": it.id,
        "type": it.type,
        "status": it.status,
        "score": it.score,
        "version": it.version,
        "created_at": it.created_at,
        "topic_id": it.topic_id,
        "topic_title": it.topic_title,
        "category_id": it.category_id,
        "post_id": it.post_id,
        "post_number": it.post_number,
        "author": it.author,
        "cooked": it.cooked,
        "raw": it.raw,
        "reasons": json.dumps(
            [
                {
                    "type": r.type,
                    "title": r.title,
                    "username": r.username,
                    "score": r.score,
                    "created_at": r.created_at,
                }
                for r in it.reasons
            ]
        ),
        "actions": json.dumps([a.to_json() for a in it.actions]),
        "claimed_by": it.claimed_by,
        "claimable": it.claimable,
        "pass": pass_id,
    }


class ReviewService:
    """The review queue of one workspace: mirror, list, and queue performs through the outbox."""

    def __init__(self, cache: Cache, client: ApiClient | None, moderation: ModerationService) -> None:
        self.cache = cache
        self.client = client
        self.moderation = moderation
        self.queue: ReviewQueue | None = moderation.connector.review
        """The platform's review queue; None where it has none (``Capabilities.review_queue``)."""

    # ------------------------------------------------------------ pull

    def sync(self, token: CancelToken | None = None) -> ReviewSyncReport:
        """One full pass over the pending queue. The pass is read first, then applied in one
        transaction (no transaction is held across the network); a failed read changes nothing."""
        if self.client is None:
            raise ActionRefused("The review queue can only be read while connected to the community.")
        if self.queue is None:
            raise ActionRefused("This community has no review queue the console can read.")
        token = token or CancelToken()
        items = self.queue.list_all(self.client, {"status": "pending"})
        token.raise_if_cancelled()
        pass_id = clock.now().strftime("%Y-%m-%dT%H:%M:%S.%f")
        with self.cache.write() as conn:
            before = {int(r[0]) for r in conn.execute(text("SELECT id FROM review_items"))}
            for it in items:
                if it.status == 0:
                    conn.execute(_UPSERT, _params(it, pass_id))
            removed = conn.execute(
                text("DELETE FROM review_items WHERE seen_in_pass IS NOT :p OR status <> 0"), {"p": pass_id}
            ).rowcount
        now = {it.id for it in items if it.status == 0}
        return ReviewSyncReport(len(now), len(now - before), int(removed or 0), Changes())

    def refresh(self, ids: Iterable[int]) -> Changes:
        """Re-read these items (after a push): still pending → updated, otherwise removed."""
        if self.client is None or self.queue is None:
            return Changes()
        queue = self.queue
        read = [(int(i), queue.get_item(self.client, int(i))) for i in ids]
        pass_id = clock.now().strftime("%Y-%m-%dT%H:%M:%S.%f")
        with self.cache.write() as conn:
            for rid, it in read:
                if it is not None and it.status == 0:
                    conn.execute(_UPSERT, _params(it, pass_id))
                else:
                    conn.execute(text("DELETE FROM review_items WHERE id = :i"), {"i": rid})
        return Changes()

    def refresh_delivered(self) -> Changes:
        """Re-read the items whose perform was delivered but which the cache still lists."""
        with self.cache.read() as conn:
            ids = [
                int(r[0])
                for r in conn.execute(
                    text(
                        "SELECT r.id FROM review_items r JOIN outbox o ON o.kind = 'review_perform' "
                        "AND o.target_key = 'review:' || r.id WHERE o.state = 'done'"
                    )
                )
            ]
        return self.refresh(ids) if ids else Changes()

    # ------------------------------------------------------------ read

    def item(self, reviewable_id: int) -> ReviewItem | None:
        with self.cache.read() as conn:
            m = conn.execute(
                text("SELECT * FROM review_items WHERE id = :i"), {"i": int(reviewable_id)}
            ).first()
        return _row_item(m._mapping) if m is not None else None

    def entries(
        self,
        *,
        type: str | None = None,
        category_id: int | None = None,
        priority: str | None = None,
        include_delivered: bool = False,
    ) -> list[ReviewEntry]:
        """The pending items, highest score first, each with its queued perform (if any)."""
        where = ["status = 0"]
        args: dict[str, Any] = {}
        if type:
            where.append("type = :t")
            args["t"] = TYPES.get(type, type)
        if category_id is not None:
            where.append("category_id = :c")
            args["c"] = int(category_id)
        if priority:
            if priority not in PRIORITY_MIN_SCORE:
                raise ActionRefused(f"Priority must be one of low, medium, high (not {priority!r}).")
            where.append("score >= :s")
            args["s"] = PRIORITY_MIN_SCORE[priority]
        with self.cache.read() as conn:
            rows = conn.execute(
                text(f"SELECT * FROM review_items WHERE {' AND '.join(where)} ORDER BY score DESC, id DESC"),
                args,
            ).all()
            ops = self._ops(conn)
        out: list[ReviewEntry] = []
        for m in rows:
            it = _row_item(m._mapping)
            op = ops.get(it.id)
            if op is not None and op.state == "done" and not include_delivered:
                continue  # delivered: the next pass removes it; the list need not wait
            out.append(
                ReviewEntry(
                    it,
                    queued_op=op.op_uuid if op else None,
                    queued_state=op.state if op else None,
                    queued_label=str(op.payload.get("label")) if op else None,
                )
            )
        return out

    @staticmethod
    def _ops(conn: Connection) -> dict[int, store.OutboxRow]:
        """The latest perform of each item that is not cancelled (pending, in flight, waiting for
        the moderator, or delivered)."""
        out: dict[int, store.OutboxRow] = {}
        latest = conn.execute(
            text(
                "SELECT max(id) FROM outbox WHERE kind = 'review_perform' AND state <> 'cancelled' "
                "GROUP BY target_key"
            )
        )
        for (row_id,) in latest.all():
            r = store.get_by_id(conn, int(row_id))
            out[int(r.payload.get("reviewable_id") or 0)] = r
        return out

    # ------------------------------------------------------------ act

    def perform(self, reviewable_id: int, action_id: str, *, note: str | None = None) -> Queued:
        """Queue ``action_id`` (an id or server action the item offered) for the item, with the
        version it was read at."""
        kept = checked_note(note)
        perms = self.moderation.permissions()
        if perms.staff is False:
            raise ActionRefused(f"Your account (@{self.moderation.me}) cannot review flags: only staff can.")
        it = self.item(reviewable_id)
        if it is None:
            raise ActionRefused(
                f"No pending review item {reviewable_id} in the cache; "
                "run 'modconsole review list' to read the queue."
            )
        act = it.action(action_id.strip())
        if act is None:
            offered = ", ".join(f"{a.id} ({a.label})" for a in it.actions) or "nothing"
            raise ActionRefused(f"Review item {it.id} does not offer {action_id!r}; it offers: {offered}.")
        if act.client_action:
            raise ActionRefused(
                f"“{act.label}” needs a step the console does not do yet ({act.client_action}); use the site."
            )
        with self.cache.write() as conn:
            r = self._ops(conn).get(it.id)
            if r is not None and r.state in store.OPEN_STATES:
                raise ActionRefused(
                    f"“{r.describe()}” is already queued for this item ({r.state}); "
                    "resolve or discard it first."
                )
            payload: dict[str, Any] = {
                "reviewable_id": it.id,
                "action_id": act.id,
                "server_action": act.server_action,
                "label": act.label,
                "version": it.version,
                "type": it.type,
                "item_label": item_label(it),
                "topic_title": it.topic_title,
            }
            if it.topic_id is not None:
                payload["topic_id"] = it.topic_id
            if it.post_id is not None:
                payload["post_id"] = it.post_id
            if kept:
                payload["note"] = kept
            ins = store.insert(
                conn,
                kind="review_perform",
                target_key=f"review:{it.id}",
                payload=payload,
                precondition={"version": it.version, "score": it.score, "reasons": len(it.reasons)},
                created_by=self.moderation.me,
            )
            changes = store.changes_for(ins.row_id, "review_perform", payload)
        return Queued(
            ins.op_uuid, ins.row_id, store.describe("review_perform", payload), changes, ins.cancelled
        )

    def claim(self, reviewable_id: int, *, release: bool = False, note: str | None = None) -> Queued:
        """Queue a claim (or, with ``release``, its release) of the item's topic: where the site
        requires claiming, a perform is refused until the moderator holds the claim. Queued on the
        item's own target, so a claim goes out before a perform queued after it."""
        kept = checked_note(note)
        it = self.item(reviewable_id)
        if it is None or it.topic_id is None:
            raise ActionRefused(f"No pending review item {reviewable_id} with a topic in the cache.")
        if not it.claimable:
            raise ActionRefused("This community does not use claiming (reviewable_claiming is disabled).")
        me = self.moderation.me
        if not release and it.claimed_by:
            who = "you" if it.claimed_by.lower() == me.lower() else f"@{it.claimed_by}"
            raise ActionRefused(f"Review item {it.id} is already claimed by {who}.")
        if release and not it.claimed_by:
            raise ActionRefused(f"Review item {it.id} is not claimed.")
        kind = "review_unclaim" if release else "review_claim"
        payload: dict[str, Any] = {
            "reviewable_id": it.id,
            "topic_id": it.topic_id,
            "item_label": item_label(it),
            "type": it.type,
            "topic_title": it.topic_title,
            "claimed_by_seen": it.claimed_by,
        }
        if kept:
            payload["note"] = kept
        with self.cache.write() as conn:
            ins = store.insert(
                conn,
                kind=kind,
                target_key=f"review:{it.id}",
                payload=payload,
                precondition={"claimed_by": it.claimed_by},
                created_by=me,
            )
            changes = store.changes_for(ins.row_id, kind, payload)
        return Queued(ins.op_uuid, ins.row_id, store.describe(kind, payload), changes, ins.cancelled)
