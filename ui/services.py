"""The signed-in session: API client, cache, sync and moderation, bound for the views.

One :class:`Session` per signed-in site and account. It implements the backends the views ask
for (``ui.queue.view.QueueBackend``, ``ui.thread.ThreadBackend``); its methods run on whatever
thread calls them (cache reads are short and thread-safe; the sync and pushes are called from
``MutationOp``s on the writer thread).

The wiring (client, cache, outbox, sync engine, push policy) is the core's front door,
:class:`modconsole.workspace.Workspace`; a session only adapts it to the views.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication

from modconsole import clock
from modconsole import settings as registry
from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import PacerSnapshot
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.connectors.base import Capabilities
from modconsole.errors import InvalidInput
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.outbox.policy import PushOutcome
from modconsole.outbox.store import OutboxRow
from modconsole.secrets import SecretStore
from modconsole.services import attention, triage
from modconsole.services.assign import Holder
from modconsole.services.bulk import BulkService
from modconsole.services.live import LiveCounts, LiveCountsPoller
from modconsole.services.outbox_view import describe_action
from modconsole.services.sla import SlaSettings
from modconsole.services.thread import load_thread
from modconsole.services.triage import Cursor, FilterOption, QueuePage, TriageQuery
from modconsole.services.user_notes import UserNotesService
from modconsole.tasks import CancelToken, ProgressCallback, ignore_progress
from modconsole.workspace import Workspace
from ui.i18n import core_text
from ui.thread import ModerationPort, ThreadData

__all__ = ["ACCEPT_PENDING", "LiveCounts", "OutboxModeration", "Session", "SyncOutcome", "UndoOutcome"]

log = logging.getLogger("modconsole.ui.session")

SNOOZE_UNDO = "snooze:"
"""Prefix of an undo entry that is a local snooze (``snooze:<topic id>``), not an outbox row."""
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
    resumes_at: datetime | None = None
    """Set when the sync stopped because the key's day budget is spent (``modconsole.sync.plan``)."""


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
        def listed(actions: tuple[str, ...]) -> str:
            return "; ".join(core_text(a) for a in actions)

        parts = []
        if self.cancelled:
            parts.append(
                QCoreApplication.translate("Undo", "Undone: {actions}.").format(
                    actions=listed(self.cancelled)
                )
            )
        if self.sent:
            parts.append(
                QCoreApplication.translate(
                    "Undo", "Already sent to the community, so it cannot be undone: {actions}."
                ).format(actions=listed(self.sent))
            )
        if self.sending:
            parts.append(
                QCoreApplication.translate(
                    "Undo", "Being sent right now, so it cannot be undone: {actions}."
                ).format(actions=listed(self.sending))
            )
        if self.other and not parts:
            parts.append(
                QCoreApplication.translate(
                    "Undo", "Nothing left to undo: {actions} (see the Outbox)."
                ).format(actions=listed(self.other))
            )
        return " ".join(parts) or QCoreApplication.translate("Undo", "Nothing to undo.")


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

    def pending_for_topic(self, topic_id: int, *, several: bool = False) -> Mapping[int, str]:
        """Labels of the replies with an accept or unaccept on the way, by post id; an unaccept is
        keyed ``-topic_id`` (the accepted reply) — or, where several replies may be accepted
        (``several``), by the reply it names."""
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
        named = last[-1].payload.get("post_id") if last and several else None
        return {
            (int(named) if isinstance(named, int) else -topic_id): _tr(
                "Unaccepted on the community — not re-read yet"
            )
            if sent
            else _tr("Unaccept pending")
        }

    def pending_count(self) -> int:
        counts = self.service.counts()
        return int(counts.get("pending", 0)) + int(counts.get("in_flight", 0))


class Session:
    """The views' side of one open :class:`~modconsole.workspace.Workspace` (the front door):
    the queue and thread backends, status for the shell, and the workspace's one push policy."""

    def __init__(self, workspace: Workspace, secrets: SecretStore) -> None:
        self.workspace = workspace
        self.secrets = secrets
        self.sla: SlaSettings = workspace.sla()
        """The SLA calendar in use: the registry's (:data:`modconsole.settings.SLA`), read at the start."""
        self.appearance: str = registry.load(workspace.cache, registry.APPEARANCE)
        """Light, dark or the system's (:data:`modconsole.settings.APPEARANCE`), read at the start."""
        self.capabilities: Capabilities = workspace.capabilities
        """What the site's platform offers, read once: the views show a feature only where it is
        declared here (``modconsole.connectors.base.Capabilities``), never by the platform's name."""
        self._moderation: OutboxModeration | None = OutboxModeration(workspace.moderation)
        self._bulk: BulkService | None = None

    @property
    def site_url(self) -> str:
        return self.workspace.site.url

    def topic_url(self, topic_id: int, slug: str | None = None, post_number: int | None = None) -> str:
        """A topic's address in a browser, as the site's platform spells it (its connector)."""
        return self.workspace.connector.web_url(self.site_url, topic_id, slug, post_number)

    @property
    def username(self) -> str:
        return self.workspace.site.username

    @property
    def key_kind(self) -> str:
        return self.workspace.site.credentials.kind

    @property
    def client(self) -> ApiClient:
        return self.workspace.client

    @property
    def cache(self) -> Cache:
        return self.workspace.cache

    @property
    def demo(self) -> Any:
        """The embedded demo server when signed in to the demo."""
        return self.workspace.demo

    # ------------------------------------------------------------ sync

    def verify_storage(self) -> None:
        """The cache's integrity check, deferred at sign-in so the window shows first (writer
        thread; ``CacheCorrupt`` when the file is damaged: then no write reaches it)."""
        self.workspace.verify_storage()

    def sync_once(self, token: CancelToken, progress: ProgressCallback = ignore_progress) -> SyncOutcome:
        before = self.client.stats().requests_sent
        report = self.workspace.sync(token, progress)
        return SyncOutcome(
            changes=report.changes,
            requests=self.client.stats().requests_sent - before,
            engine="sync",
            finished_at=clock.now(),
            notes=tuple(report.notes),
            resumes_at=report.resumes_at,
        )

    def fetch_badge_holders(
        self, badge_id: int, token: CancelToken, progress: ProgressCallback = ignore_progress
    ) -> Changes:
        """Read one badge's holders now (an automatic badge's are not listed by a sync; the Badges
        page asks for them when the moderator opens the badge)."""
        return self.workspace.engine.fetch_badge_holders(token, badge_id, progress).changes

    def fetch_member_badges(
        self, user_id: int, token: CancelToken, progress: ProgressCallback = ignore_progress
    ) -> Changes:
        """Read one member's badges now (the Members page, when a profile opens: automatic badges'
        holders are not listed by a sync)."""
        return self.workspace.engine.fetch_member_badges(token, user_id, progress).changes

    def push_outbox(self, token: CancelToken, progress: ProgressCallback = ignore_progress) -> PushOutcome:
        """Send what is queued, then re-read what it changed: the workspace's one push policy
        (``modconsole.outbox.policy``). Every view pushes through here (``ui.push.push_op``)."""
        return self.workspace.push(token, progress)

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
            return attention.queued_after(conn, row_id)

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

    def bulk(self) -> BulkService:
        """Bulk actions on a multi-selection (``modconsole.services.bulk``), over this cache."""
        if self._bulk is None:
            review = self.workspace.review if self.capabilities.review_queue else None
            self._bulk = BulkService(self.cache, self.workspace.moderation, review=review)
            if self.capabilities.assign:
                self._bulk.register(self.workspace.assign.bulk_action())  # "Assign…": to me, in one go
        return self._bulk

    def undo(self, op_uuids: tuple[str, ...]) -> tuple[Changes, UndoOutcome]:
        """Cancel the actions ``op_uuids`` that are still queued (Discard through the outbox, with a
        note in the journal); those already sent or being sent are reported, not touched.
        ``snooze:<topic id>`` entries (a bulk snooze, local) are undone by unsnoozing."""
        if self._moderation is None:
            return Changes(), UndoOutcome()
        service = self._moderation.service
        changes = Changes()
        cancelled: list[str] = []
        sent: list[str] = []
        sending: list[str] = []
        other: list[str] = []
        snoozed = [int(op.split(":", 1)[1]) for op in op_uuids if op.startswith(SNOOZE_UNDO)]
        if snoozed:
            changes = changes | self.bulk().unsnooze(snoozed)
            cancelled.append(QCoreApplication.translate("Undo", "the snooze of the selected questions"))
        for op in op_uuids:
            if op.startswith(SNOOZE_UNDO):
                continue
            row = service.get(op)
            if row is None:
                continue
            if row.state == "pending":
                changes = changes | service.resolve(op, "discard", note="Undone right after queueing")
                cancelled.append(describe_action(row.kind, row.payload))
            elif row.state == "done":
                sent.append(describe_action(row.kind, row.payload))
            elif row.state == "in_flight":
                sending.append(describe_action(row.kind, row.payload))
            else:
                other.append(describe_action(row.kind, row.payload))
        return changes, UndoOutcome(tuple(cancelled), tuple(sent), tuple(sending), tuple(other))

    def last_sync_at(self) -> datetime | None:
        return self.workspace.last_sync_at()

    def is_empty(self) -> bool:
        return self.workspace.is_empty()

    # ------------------------------------------------------------ queue backend

    def queue_page(self, query: TriageQuery, cursor: Cursor | None, limit: int) -> QueuePage:
        query = self._with_assignments(query)
        with self.cache.read() as conn:
            return triage.page(conn, query, cursor, limit=limit)

    def queue_count(self, query: TriageQuery) -> int:
        query = self._with_assignments(query)
        with self.cache.read() as conn:
            return triage.count(conn, query)

    def _with_assignments(self, query: TriageQuery) -> TriageQuery:
        """The topics an assignment filter means ("mine", or every held one for "unassigned")."""
        assigned = query.filter.assigned
        if not assigned or not self.capabilities.assign:
            return query
        svc = self.workspace.assign
        ids = svc.mine_ids() if assigned == "mine" else svc.assigned_ids()
        return replace(query, assignment_ids=ids)

    def holders(self, topic_ids: list[int]) -> Mapping[int, Holder]:
        """Who holds each question (Assign), the outbox overlaid: the queue's badges."""
        if not self.capabilities.assign:
            return {}
        try:
            return self.workspace.assign.holders(topic_ids)
        except Exception:
            log.warning("could not read the assignments", exc_info=True)
            return {}

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

    @property
    def user_notes(self) -> UserNotesService:
        """Staff notes on members (the thread's Notes buttons, ``ui.user_notes``)."""
        return self.workspace.notes

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
                raw = self._moderation.pending_for_topic(
                    topic_id, several=self.capabilities.multiple_accepted_answers
                )
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

    # ------------------------------------------------------------ live counts

    def live_poller(self, on_counts: Any) -> LiveCountsPoller:
        """The live-counts poller for this account (``modconsole.services.live``); ``on_counts``
        is called with each :class:`LiveCounts` on the poller's thread."""
        feed = self.workspace.connector.live
        if feed is None:  # the window asks only where Capabilities.live_counts is declared
            raise InvalidInput("This community offers no live counts.")
        return LiveCountsPoller.for_account(
            self.client, self.cache, self.username, on_counts=on_counts, feed=feed
        )

    def review_pending(self) -> int:
        """Pending review items as the cache knows them (the Review page's count)."""
        if not self.capabilities.review_queue:
            return 0
        return len(self.workspace.review.entries())

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self.workspace.close()
