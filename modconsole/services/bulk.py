"""Bulk actions on a multi-selection (issue #14.4), Qt-free: a dry run first, then the queueing.

A moderator selects questions in the queue (or items in the review queue) and picks an action.
:meth:`BulkService.plan` answers, from the cache alone (no request), what *would* happen: which
targets the action would be queued for and which would be skipped and why ("Nudge 12 askers?
3 skipped: already reminded this week"). :meth:`BulkService.apply` then queues it — each target
through the same service call a single action uses (the outbox, its checks and its journal), so a
bulk nudge obeys the one-reminder-per-week rule exactly as one nudge does. What is queued can be
undone while it is still queued (the outbox's Discard, kept in the journal); snoozes are local and
are undone by unsnoozing.

The actions are a registry (:meth:`BulkService.register`): ``nudge``, ``snooze`` and ``close`` for
questions, ``review`` (perform one offered action) for review items. Another action plugs in with a
``plan`` and an ``apply`` function — the assign action (#14.2) is registered the same way when its
service exists::

    bulk = BulkService(cache, moderation, reminders, review)
    plan = bulk.plan("nudge", topic_ids)        # BulkPlan(targets=…, skipped=…)
    result = bulk.apply(plan)                    # BulkResult(op_uuids=…, refused=…)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text

from modconsole import clock
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.moderation import ActionRefused, ModerationService
from modconsole.services.reminders import ReminderService

__all__ = [
    "SKIP_REASONS",
    "BulkAction",
    "BulkPlan",
    "BulkResult",
    "BulkService",
    "Skip",
]

# Why a target is skipped (marked for translation; the UI shows them with their counts)
ALREADY_NUDGED = QT_TRANSLATE_NOOP("core", "already reminded this week")
NOT_WAITING = QT_TRANSLATE_NOOP("core", "not waiting for an accepted answer")
SAME_ASKER = QT_TRANSLATE_NOOP("core", "same asker twice in the selection")
ALREADY_SNOOZED = QT_TRANSLATE_NOOP("core", "already snoozed")
ALREADY_CLOSED = QT_TRANSLATE_NOOP("core", "already closed")
CLOSE_QUEUED = QT_TRANSLATE_NOOP("core", "a close is already queued")
NOT_KNOWN = QT_TRANSLATE_NOOP("core", "not in the cache")
NOT_OFFERED = QT_TRANSLATE_NOOP("core", "action not offered for this item")
REVIEW_QUEUED = QT_TRANSLATE_NOOP("core", "an action is already queued for it")
SKIP_REASONS = (
    ALREADY_NUDGED,
    NOT_WAITING,
    SAME_ASKER,
    ALREADY_SNOOZED,
    ALREADY_CLOSED,
    CLOSE_QUEUED,
    NOT_KNOWN,
    NOT_OFFERED,
    REVIEW_QUEUED,
)
DEFAULT_SNOOZE_DAYS = 7


@dataclass(frozen=True)
class Skip:
    target: int
    reason: str


@dataclass(frozen=True)
class BulkPlan:
    """A dry run: what ``action`` would do to the selection (computed locally, nothing sent)."""

    action: str
    targets: tuple[int, ...]
    skipped: tuple[Skip, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    def reasons(self) -> list[tuple[str, int]]:
        """Skip reasons with their counts, most frequent first."""
        return Counter(s.reason for s in self.skipped).most_common()


@dataclass(frozen=True)
class BulkResult:
    action: str
    op_uuids: tuple[str, ...] = ()
    """Outbox rows queued (undoable while still queued)."""
    snoozed: tuple[int, ...] = ()
    """Topics snoozed locally (undone by unsnoozing)."""
    refused: tuple[Skip, ...] = ()
    """Targets the queueing itself refused (the state moved between the dry run and now)."""
    changes: Changes = field(default_factory=Changes)

    @property
    def count(self) -> int:
        return len(self.op_uuids) + len(self.snoozed)


@dataclass(frozen=True)
class BulkAction:
    name: str
    plan: Callable[[tuple[int, ...], Mapping[str, Any], datetime], BulkPlan]
    apply: Callable[[BulkPlan], BulkResult]


class BulkService:
    """The bulk actions over one cache; see the module docstring."""

    def __init__(
        self,
        cache: Cache,
        moderation: ModerationService,
        reminders: ReminderService | None = None,
        review: Any = None,
    ) -> None:
        self.cache = cache
        self.moderation = moderation
        self.reminders = reminders or ReminderService(cache, moderation)
        self.review = review
        self.actions: dict[str, BulkAction] = {}
        self.register(BulkAction("nudge", self._plan_nudge, self._apply_nudge))
        self.register(BulkAction("snooze", self._plan_snooze, self._apply_snooze))
        self.register(BulkAction("close", self._plan_close, self._apply_close))
        if review is not None:
            self.register(BulkAction("review", self._plan_review, self._apply_review))

    def register(self, action: BulkAction) -> None:
        """Add (or replace) a bulk action; the UI lists what is registered."""
        self.actions[action.name] = action

    def plan(
        self, action: str, targets: Iterable[int], *, now: datetime | None = None, **params: Any
    ) -> BulkPlan:
        if action not in self.actions:
            raise ActionRefused(f"Unknown bulk action {action!r}: one of {', '.join(sorted(self.actions))}.")
        ids = tuple(dict.fromkeys(int(t) for t in targets))  # the selection's order, once each
        return self.actions[action].plan(ids, params, now or clock.now())

    def apply(self, plan: BulkPlan) -> BulkResult:
        return self.actions[plan.action].apply(plan)

    # ------------------------------------------------------------ nudge

    def _plan_nudge(self, ids: tuple[int, ...], params: Mapping[str, Any], now: datetime) -> BulkPlan:
        candidates = {c.topic_id: c for c in self.reminders.candidates(now, include_snoozed=True)}
        targets: list[int] = []
        skipped: list[Skip] = []
        askers: set[int] = set()
        for tid in ids:
            c = candidates.get(tid)
            if c is None:
                skipped.append(Skip(tid, NOT_WAITING))
            elif c.nudged_at is not None:
                skipped.append(Skip(tid, ALREADY_NUDGED))
            elif c.asker_id in askers:
                skipped.append(Skip(tid, SAME_ASKER))  # one reminder per asker per week
            else:
                askers.add(c.asker_id)
                targets.append(tid)
        return BulkPlan("nudge", tuple(targets), tuple(skipped), dict(params))

    def _apply_nudge(self, plan: BulkPlan) -> BulkResult:
        ops: list[str] = []
        refused: list[Skip] = []
        changes = Changes()
        for tid in plan.targets:
            try:
                q = self.reminders.send_nudge(tid, note=plan.params.get("note"))
            except ActionRefused as exc:
                refused.append(Skip(tid, exc.user_message))
                continue
            ops.append(q.op_uuid)
            changes = changes | q.changes
        return BulkResult("nudge", tuple(ops), refused=tuple(refused), changes=changes)

    # ------------------------------------------------------------ snooze (local)

    def _plan_snooze(self, ids: tuple[int, ...], params: Mapping[str, Any], now: datetime) -> BulkPlan:
        today = now.date()
        snoozed = self.reminders.snoozed()
        known = self._known_topics(ids)
        targets: list[int] = []
        skipped: list[Skip] = []
        for tid in ids:
            if tid not in known:
                skipped.append(Skip(tid, NOT_KNOWN))
            elif tid in snoozed and snoozed[tid] > today:
                skipped.append(Skip(tid, ALREADY_SNOOZED))
            else:
                targets.append(tid)
        days = int(params.get("days", DEFAULT_SNOOZE_DAYS))
        return BulkPlan("snooze", tuple(targets), tuple(skipped), {**params, "days": days})

    def _apply_snooze(self, plan: BulkPlan) -> BulkResult:
        changes = Changes()
        for tid in plan.targets:
            changes = changes | self.reminders.snooze(tid, int(plan.params["days"]))
        return BulkResult("snooze", snoozed=plan.targets, changes=changes)

    def unsnooze(self, topic_ids: Iterable[int]) -> Changes:
        changes = Changes()
        for tid in topic_ids:
            changes = changes | self.reminders.unsnooze(tid)
        return changes

    # ------------------------------------------------------------ close

    def _plan_close(self, ids: tuple[int, ...], params: Mapping[str, Any], now: datetime) -> BulkPlan:
        closed = self._known_topics(ids)
        queued = self.moderation.overlay().closed_topics
        targets: list[int] = []
        skipped: list[Skip] = []
        for tid in ids:
            if tid not in closed:
                skipped.append(Skip(tid, NOT_KNOWN))
            elif closed[tid]:
                skipped.append(Skip(tid, ALREADY_CLOSED))
            elif tid in queued:
                skipped.append(Skip(tid, CLOSE_QUEUED))
            else:
                targets.append(tid)
        return BulkPlan("close", tuple(targets), tuple(skipped), dict(params))

    def _apply_close(self, plan: BulkPlan) -> BulkResult:
        ops: list[str] = []
        refused: list[Skip] = []
        changes = Changes()
        for tid in plan.targets:
            try:
                q = self.moderation.close_topic(tid, note=plan.params.get("note"))
            except ActionRefused as exc:
                refused.append(Skip(tid, exc.user_message))
                continue
            ops.append(q.op_uuid)
            changes = changes | q.changes
        return BulkResult("close", tuple(ops), refused=tuple(refused), changes=changes)

    # ------------------------------------------------------------ review items: one offered action

    def _plan_review(self, ids: tuple[int, ...], params: Mapping[str, Any], now: datetime) -> BulkPlan:
        action = str(params.get("action_id", ""))
        entries = {e.item.id: e for e in self.review.entries()}
        targets: list[int] = []
        skipped: list[Skip] = []
        for rid in ids:
            e = entries.get(rid)
            if e is None:
                skipped.append(Skip(rid, NOT_KNOWN))
            elif e.queued_op is not None:
                skipped.append(Skip(rid, REVIEW_QUEUED))
            elif e.item.action(action) is None:
                skipped.append(Skip(rid, NOT_OFFERED))
            else:
                targets.append(rid)
        return BulkPlan("review", tuple(targets), tuple(skipped), dict(params))

    def _apply_review(self, plan: BulkPlan) -> BulkResult:
        ops: list[str] = []
        refused: list[Skip] = []
        changes = Changes()
        for rid in plan.targets:
            try:
                q = self.review.perform(rid, str(plan.params["action_id"]), note=plan.params.get("note"))
            except ActionRefused as exc:
                refused.append(Skip(rid, exc.user_message))
                continue
            ops.append(q.op_uuid)
            changes = changes | q.changes
        return BulkResult("review", tuple(ops), refused=tuple(refused), changes=changes)

    # ------------------------------------------------------------ helpers

    def _known_topics(self, ids: tuple[int, ...]) -> dict[int, bool]:
        """topic id → closed, for the ids the cache knows."""
        if not ids:
            return {}
        import json

        with self.cache.read() as conn:
            rows = conn.execute(
                text("SELECT id, closed FROM topics WHERE id IN (SELECT value FROM json_each(:ids))"),
                {"ids": json.dumps(list(ids))},
            )
            return {int(r[0]): bool(r[1]) for r in rows}
