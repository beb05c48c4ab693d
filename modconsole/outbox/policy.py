"""One push policy (Qt-free): deliver the outbox, then re-read what the delivery changed.

Every push goes through :func:`push_outbox` — the thread view, the Outbox page, Reminders,
Recognition and Superusers, ``modconsole push`` and the actions' own push, and the push after each
sync (``modconsole sync`` and the app's). The dispatcher sends each queued action exactly once
(SYNC.md §6.5–6.8); then the targets of the delivered actions that the cache does not show yet are
re-read through the sync engine (:meth:`~modconsole.connectors.base.SyncEntry.refresh`), so the
cache — server truth — shows them at once and after a restart. That matters because most of them
bump nothing (CONTRACT §3.6): an accepted answer, a close, a like, a trust level or a group
membership would otherwise wait for a rescan, while the overlay showing them expires with the next
pull.

    outcome = push_outbox(service, engine, token, progress)
    outcome.delivered, outcome.conflicts, outcome.still_queued
    outcome.changes      # what the views refresh (the outbox rows and the re-read targets)

A failed re-read never undoes a delivery: it is reported in ``refresh_error`` and the delivered
actions stay in the overlay until a later push or sync re-reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from modconsole.changes import Changes
from modconsole.connectors.base import SyncEntry
from modconsole.errors import ApiError, Cancelled, NetworkError, ServerUnavailable
from modconsole.outbox.store import OutboxRow
from modconsole.services.moderation import ModerationService
from modconsole.tasks import CancelToken, ProgressCallback, ignore_progress

__all__ = ["PushOutcome", "Targets", "push_outbox", "targets_of"]

_TOPIC_KINDS = frozenset(
    {"accept_answer", "unaccept_answer", "close_topic", "like_post", "create_post", "review_perform"}
)
_EMPTY: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Targets:
    """What to re-read: topics, members, groups and badges (their grants)."""

    topic_ids: frozenset[int] = _EMPTY
    user_ids: frozenset[int] = _EMPTY
    group_ids: frozenset[int] = _EMPTY
    badge_ids: frozenset[int] = _EMPTY

    def any(self) -> bool:
        return bool(self.topic_ids or self.user_ids or self.group_ids or self.badge_ids)


def targets_of(rows: Iterable[OutboxRow]) -> Targets:
    """The server objects delivered actions changed, by kind: the topic of an accept, unaccept,
    close, like or reply (and the new topic of a created one); the member of a trust level; the
    group of a membership; the badge of a grant or revoke."""
    topics: set[int] = set()
    users: set[int] = set()
    groups: set[int] = set()
    badges: set[int] = set()
    for r in rows:
        p = r.payload
        if r.kind in _TOPIC_KINDS and p.get("topic_id") is not None:
            topics.add(int(p["topic_id"]))
        elif r.kind == "create_topic":
            evidence = r.result.get("evidence")
            if isinstance(evidence, dict) and isinstance(evidence.get("topic_id"), int):
                topics.add(int(evidence["topic_id"]))
        elif r.kind == "set_trust_level":
            users.add(int(p["user_id"]))
        elif r.kind in ("add_group_member", "remove_group_member"):
            groups.add(int(p["group_id"]))
        elif r.kind in ("grant_badge", "revoke_badge"):
            badges.add(int(p["badge_id"]))
    return Targets(frozenset(topics), frozenset(users), frozenset(groups), frozenset(badges))


@dataclass(frozen=True)
class PushOutcome:
    """What one push did (immutable; safe to hand from the writer thread to the GUI)."""

    done: tuple[str, ...] = ()
    """op_uuids delivered (applied, or found already so on the server)."""
    conflicts: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    still_queued: int = 0
    """Actions still pending or in flight after the push (offline, backing off, …)."""
    breaker: str | None = None
    """Why the push stopped early: offline, auth, rate, read_only, lease, cancelled, deadline."""
    message: str = ""
    writes: int = 0
    reads: int = 0
    answered: int = 0
    """Requests the community answered (any HTTP status, a refusal too)."""
    refreshed: Targets = field(default_factory=Targets)
    """What was re-read after the delivery."""
    refresh_error: str | None = None
    """Why the re-read did not finish (the delivery stands; the overlay keeps showing it)."""
    refresh_offline: bool = False
    changes: Changes = field(default_factory=Changes)

    @property
    def delivered(self) -> int:
        return len(self.done)

    @property
    def online(self) -> bool | None:
        """Whether the community answered: ``False`` when it could not be reached (or every request
        went unanswered), ``None`` when nothing was sent or read."""
        if self.breaker == "offline" or self.refresh_offline:
            return False
        if self.answered or self.refreshed.any():
            return True
        if self.writes or self.reads:
            return False  # asked, and nothing answered
        return None


def push_outbox(
    service: ModerationService,
    engine: SyncEntry | None = None,
    token: CancelToken | None = None,
    progress: ProgressCallback = ignore_progress,
) -> PushOutcome:
    """Deliver what the outbox holds, then re-read the targets of the delivered actions that the
    cache does not show yet. ``engine`` is the session's sync engine (one run at a time: call this
    on the thread that syncs); without one, a default engine on the service's client is used.
    Raises :class:`~modconsole.services.moderation.ActionRefused` without a client."""
    token = token or CancelToken()
    report = service.dispatcher().push(token, progress)
    targets = targets_of(service.unsettled())
    changes = report.changes
    error: str | None = None
    offline = False
    if targets.any():
        assert service.client is not None  # dispatcher() refused otherwise
        engine = engine or service.connector.sync_engine(service.client, service.cache)
        try:
            refreshed = engine.refresh(
                token,
                topic_ids=targets.topic_ids,
                user_ids=targets.user_ids,
                group_ids=targets.group_ids,
                badge_ids=targets.badge_ids,
                progress=progress,
            )
            changes = changes | refreshed.changes
        except (ApiError, Cancelled) as err:
            error = err.user_message
            offline = isinstance(err, NetworkError | ServerUnavailable)
            # some targets may have been re-read before it stopped: let their views look again
            changes = changes | Changes(
                topic_ids=targets.topic_ids,
                user_ids=targets.user_ids,
                group_ids=targets.group_ids,
                badge_ids=targets.badge_ids,
            )
    return PushOutcome(
        done=tuple(report.done),
        conflicts=tuple(report.conflicts),
        failed=tuple(report.failed),
        still_queued=report.deferred,
        breaker=report.breaker,
        message=report.message,
        writes=report.writes,
        reads=report.reads,
        answered=report.answered,
        refreshed=targets if error is None else Targets(),
        refresh_error=error,
        refresh_offline=offline,
        changes=changes,
    )
