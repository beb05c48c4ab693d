"""The signed-in session: API client, cache, sync and moderation, bound for the views.

One :class:`Session` per signed-in site and account. It implements the backends the views ask
for (``ui.queue.view.QueueBackend``, ``ui.thread.ThreadBackend``); its methods run on whatever
thread calls them (cache reads are short and thread-safe; the sync and pushes are called from
``MutationOp``s on the writer thread).

Wiring the optional parts lives here and only here: the pull engine (``modconsole.sync``; a
small built-in pull stands in when it is not importable) and the outbox
(``modconsole.services.moderation``; accepting answers is disabled without it).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from modconsole import clock
from modconsole import settings as registry
from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import PacerSnapshot
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.outbox import store as outbox_store
from modconsole.outbox.policy import PushOutcome, push_outbox
from modconsole.outbox.store import OutboxRow
from modconsole.secrets import SecretStore
from modconsole.services import attention, triage
from modconsole.services.sla import SlaSettings
from modconsole.services.thread import load_thread
from modconsole.services.triage import Cursor, FilterOption, QueuePage, TriageQuery
from modconsole.sync import SyncEngine, SyncOptions
from modconsole.tasks import CancelToken, ProgressCallback, ignore_progress
from ui.thread import ModerationPort, ThreadData

__all__ = ["ACCEPT_PENDING", "OutboxModeration", "Session", "SyncOutcome", "UndoOutcome"]

log = logging.getLogger("modconsole.ui.session")

ACCEPT_PENDING = "Accept pending — will be sent when online"


@dataclass(frozen=True)
class SyncOutcome:
    changes: Changes
    requests: int
    engine: str  # which puller ran ("sync": the pull engine)
    finished_at: datetime
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class UndoOutcome:
    """What an undo of just-queued actions did: each action's description, by what became of it."""

    cancelled: tuple[str, ...] = ()
    sent: tuple[str, ...] = ()
    """Already delivered to the community: an undo cannot call it back."""
    sending: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    """Already cancelled, or waiting for a decision on the Outbox page."""

    def message(self) -> str:
        parts = []
        if self.cancelled:
            parts.append(f"Undone: {'; '.join(self.cancelled)}.")
        if self.sent:
            parts.append(f"Already sent to the community, so it cannot be undone: {'; '.join(self.sent)}.")
        if self.sending:
            parts.append(f"Being sent right now, so it cannot be undone: {'; '.join(self.sending)}.")
        if self.other and not parts:
            parts.append(f"Nothing left to undo: {'; '.join(self.other)} (see the Outbox).")
        return " ".join(parts) or "Nothing to undo."


class OutboxModeration:
    """:class:`ui.thread.ModerationPort` over ``ModerationService`` (queue; the session pushes)."""

    def __init__(self, service: Any) -> None:
        self.service = service

    def accept(self, post_id: int, topic_id: int, token: CancelToken, progress: ProgressCallback) -> Changes:
        changes: Changes = self.service.accept_answer(post_id).changes
        return changes

    def unaccept(
        self, post_id: int, topic_id: int, token: CancelToken, progress: ProgressCallback
    ) -> Changes:
        changes: Changes = self.service.unaccept_answer(post_id).changes
        return changes

    def overlay_accepted(self) -> Mapping[int, int | None]:
        return dict(self.service.overlay().accepted)

    def pending_for_topic(self, topic_id: int) -> Mapping[int, str]:
        overlay = self.service.overlay()
        if topic_id not in overlay.accepted:
            return {}
        post = overlay.accepted[topic_id]
        last = [
            r
            for r in overlay.rows
            if r.kind in ("accept_answer", "unaccept_answer") and r.payload.get("topic_id") == topic_id
        ]
        # delivered, but the re-read after the push did not finish (e.g. the connection dropped)
        sent = bool(last) and last[-1].state == "done"
        if post is not None:
            return {post: "Accepted on the community — not re-read yet" if sent else ACCEPT_PENDING}
        return {-topic_id: "Unaccepted on the community — not re-read yet" if sent else "Unaccept pending"}

    def pending_count(self) -> int:
        counts = self.service.counts()
        return int(counts.get("pending", 0)) + int(counts.get("in_flight", 0))


@dataclass
class Session:
    site_url: str
    username: str
    key_kind: str  # "admin" | "user"
    client: ApiClient
    cache: Cache
    secrets: SecretStore
    demo: Any = None  # the embedded DemoServer when signed in to the demo
    sla: SlaSettings = field(default_factory=SlaSettings, init=False)
    """The SLA calendar in use: the registry's (:data:`modconsole.settings.SLA`), read at the start."""
    dispatch_options: Any = None  # modconsole.outbox.dispatcher.DispatchOptions for pushes
    _moderation: OutboxModeration | None = None
    _engine: SyncEngine | None = None

    def __post_init__(self) -> None:
        self.sla = registry.load(self.cache, registry.SLA)
        try:
            from modconsole.outbox.dispatcher import DispatchOptions
            from modconsole.services.moderation import ModerationService

            if self.dispatch_options is None:
                # An interactive push never sits out long waits; the next sync pushes again.
                self.dispatch_options = DispatchOptions(max_wait=5.0, deadline=60.0)
            service = ModerationService(
                self.cache,
                me=self.username,
                site_url=self.site_url,
                client=self.client,
                options=self.dispatch_options,
            )
            self._moderation = OutboxModeration(service)
        except Exception:  # the outbox is optional; the thread view explains why accepting is off
            log.warning("outbox unavailable; accepting answers is disabled", exc_info=True)
            self._moderation = None

    # ------------------------------------------------------------ sync

    def sync_once(self, token: CancelToken, progress: ProgressCallback = ignore_progress) -> SyncOutcome:
        before = self.client.stats().requests_sent
        report = self._sync_engine().run_once(token, progress)
        return SyncOutcome(
            changes=report.changes,
            requests=self.client.stats().requests_sent - before,
            engine="sync",
            finished_at=clock.now(),
            notes=tuple(report.notes),
        )

    def _sync_engine(self) -> SyncEngine:
        if self._engine is None:
            self._engine = SyncEngine(self.client, self.cache, options=SyncOptions())
        return self._engine

    def push_outbox(self, token: CancelToken, progress: ProgressCallback = ignore_progress) -> PushOutcome:
        """Send what is queued, then re-read what it changed: the one push policy
        (``modconsole.outbox.policy``), on this session's sync engine. Every view pushes through
        here (``ui.push.push_op``)."""
        if self._moderation is None:
            return PushOutcome()
        return push_outbox(self._moderation.service, self._sync_engine(), token, progress)

    # ------------------------------------------------------------ status

    def pacer(self) -> PacerSnapshot:
        return self.client.pacer.snapshot()

    def pending_actions(self) -> int:
        return self._moderation.pending_count() if self._moderation is not None else 0

    def attention(self) -> attention.Attention:
        """What needs the moderator now (``modconsole.services.attention``), for the window."""
        with self.cache.read() as conn:
            return attention.load(conn, self.sla)

    def queued_after(self, row_id: int | None) -> tuple[int, tuple[OutboxRow, ...]]:
        """The newest outbox row id, and the actions queued after ``row_id`` (``None``: just the id)."""
        with self.cache.read() as conn:
            newest = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM outbox").scalar() or 0)
            if row_id is None or newest <= row_id:
                return newest, ()
            ids = conn.exec_driver_sql("SELECT id FROM outbox WHERE id > ? ORDER BY id", (row_id,)).scalars()
            rows = tuple(outbox_store.get_by_id(conn, int(i)) for i in ids)
        return newest, rows

    def retry_waiting(self) -> Changes:
        """The moderator's "Try now": every action backing off (offline, rate limit) is due now, so
        the next push sends it (``ModerationService.resolve(retry)``, kept in the journal)."""
        if self._moderation is None:
            return Changes()
        service = self._moderation.service
        changes = Changes()
        for row in service.outbox(("pending",)):
            if row.next_attempt_at:
                changes = changes | service.resolve(row.op_uuid, "retry", note="Try now")
        return changes

    def undo(self, op_uuids: tuple[str, ...]) -> tuple[Changes, UndoOutcome]:
        """Cancel the actions ``op_uuids`` that are still queued (Discard through the outbox, with a
        note in the journal); those already sent or being sent are reported, not touched."""
        if self._moderation is None:
            return Changes(), UndoOutcome()
        service = self._moderation.service
        changes = Changes()
        cancelled: list[str] = []
        sent: list[str] = []
        sending: list[str] = []
        other: list[str] = []
        for op in op_uuids:
            row = service.get(op)
            if row is None:
                continue
            if row.state == "pending":
                changes = changes | service.resolve(op, "discard", note="Undone right after queueing")
                cancelled.append(row.describe())
            elif row.state == "done":
                sent.append(row.describe())
            elif row.state == "in_flight":
                sending.append(row.describe())
            else:
                other.append(row.describe())
        return changes, UndoOutcome(tuple(cancelled), tuple(sent), tuple(sending), tuple(other))

    def last_sync_at(self) -> datetime | None:
        with self.cache.read() as conn:
            value = conn.exec_driver_sql("SELECT max(last_complete_pass_at) FROM sync_cursors").scalar()
        from modconsole.services.sla import parse_ts

        return parse_ts(value) if isinstance(value, str) else None

    def is_empty(self) -> bool:
        with self.cache.read() as conn:
            return conn.exec_driver_sql("SELECT 1 FROM topics LIMIT 1").first() is None

    # ------------------------------------------------------------ queue backend

    def queue_page(self, query: TriageQuery, cursor: Cursor | None, limit: int) -> QueuePage:
        with self.cache.read() as conn:
            return triage.page(conn, query, cursor, limit=limit)

    def queue_count(self, query: TriageQuery) -> int:
        with self.cache.read() as conn:
            return triage.count(conn, query)

    def pending_labels(self, topic_ids: list[int]) -> Mapping[int, str]:
        if self._moderation is None:
            return {}
        try:
            accepted = self._moderation.overlay_accepted()
        except Exception:
            log.warning("could not read the outbox overlay", exc_info=True)
            return {}
        wanted = set(topic_ids)
        return {
            tid: ("Accept pending" if post is not None else "Unaccept pending")
            for tid, post in accepted.items()
            if tid in wanted
        }

    def filter_options(self) -> tuple[list[FilterOption], list[FilterOption]]:
        with self.cache.read() as conn:
            return triage.categories(conn), triage.companies(conn)

    # ------------------------------------------------------------ thread backend

    @property
    def moderation(self) -> ModerationPort | None:
        return self._moderation

    def thread_data(self, topic_id: int) -> ThreadData:
        with self.cache.read() as conn:
            view = load_thread(conn, topic_id)
            similar = tuple(triage.similar_solved(conn, topic_id))
            exclude = {view.asker_id} if view.asker_id is not None else set()
            experts = tuple(
                triage.suggested_experts(
                    conn, view.category_id, exclude=exclude, since=clock.now() - timedelta(days=180)
                )
            )
        pending: dict[int, str] = {}
        if self._moderation is not None:
            try:
                raw = self._moderation.pending_for_topic(topic_id)
            except Exception:
                log.warning("could not read the outbox overlay", exc_info=True)
                raw = {}
            for post_id, label in raw.items():
                if post_id < 0:  # unaccept pending: show it on the accepted reply
                    for p in view.posts:
                        if p.accepted:
                            pending[p.post_id] = label
                else:
                    pending[post_id] = label
        return ThreadData(view=view, similar=similar, experts=experts, pending=pending)

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            self.cache.close()
            if self.demo is not None:
                self.demo.stop()
                self.demo = None
