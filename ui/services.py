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

from PySide6.QtCore import QCoreApplication

from modconsole import clock
from modconsole import settings as registry
from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import PacerSnapshot
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.outbox.policy import PushOutcome, push_outbox
from modconsole.secrets import SecretStore
from modconsole.services import triage
from modconsole.services.sla import SlaSettings
from modconsole.services.thread import load_thread
from modconsole.services.triage import Cursor, FilterOption, QueuePage, TriageQuery
from modconsole.sync import SyncEngine, SyncOptions
from modconsole.tasks import CancelToken, ProgressCallback, ignore_progress
from ui.thread import ModerationPort, ThreadData

__all__ = ["ACCEPT_PENDING", "OutboxModeration", "Session", "SyncOutcome"]

log = logging.getLogger("modconsole.ui.session")

ACCEPT_PENDING = QT_TRANSLATE_NOOP("Session", "Accept pending — will be sent when online")


def _tr(text: str) -> str:
    """Thread-safe (QCoreApplication.translate): these labels are made on worker threads."""
    return QCoreApplication.translate("Session", text)


@dataclass(frozen=True)
class SyncOutcome:
    changes: Changes
    requests: int
    engine: str  # which puller ran ("sync": the pull engine)
    finished_at: datetime
    notes: tuple[str, ...] = ()


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
            return {post: _tr("Accepted on the community — not re-read yet") if sent else _tr(ACCEPT_PENDING)}
        return {
            -topic_id: _tr("Unaccepted on the community — not re-read yet")
            if sent
            else _tr("Unaccept pending")
        }

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
            tid: (_tr("Accept pending") if post is not None else _tr("Unaccept pending"))
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
