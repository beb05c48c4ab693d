"""What needs the moderator now, in one count (Qt-free): the window shows it in the navigation and
the status bar on every page.

"Needs you" = actions waiting for a decision (conflicts), actions the community refused
(``failed``) and open questions whose first-response target is *about to* be missed (SLA "due
soon"). Overdue questions are not counted: a backlog that is already late does not get later by
looking at a badge, and it would drown the three things that still can be saved. Also here, for
the offline read-out: how many actions still wait to be sent and when the earliest of them is
tried again.

    with cache.read() as conn:
        a = attention.load(conn, sla)
    a.total, a.describe(), a.next_retry_at
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.outbox import store
from modconsole.outbox.store import OutboxRow
from modconsole.services import triage
from modconsole.services.sla import SlaLevel, SlaSettings
from modconsole.services.triage import OPEN_STATES, QueueFilter, TriageQuery

__all__ = ["DUE_SOON_FILTER", "Attention", "load", "queued_after"]

DUE_SOON_FILTER = QueueFilter(states=OPEN_STATES, sla=frozenset({SlaLevel.DUE_SOON}))
"""The queue filter behind the "due soon" part of the count (the window opens it on a click)."""


@dataclass(frozen=True)
class Attention:
    conflicts: int = 0
    refused: int = 0
    """Actions the community refused (outbox state ``failed``)."""
    due_soon: int = 0
    waiting: int = 0
    """Actions still to be sent (pending or in flight): not the moderator's to do, shown apart."""
    next_retry_at: datetime | None = None
    """When the earliest waiting action that is backing off is tried (or checked) again (``None``: none
    waits)."""

    @property
    def total(self) -> int:
        return self.conflicts + self.refused + self.due_soon

    @property
    def outbox(self) -> int:
        """The part of :attr:`total` that is decided on the Outbox page."""
        return self.conflicts + self.refused

    def describe(self) -> str:
        """``2 conflicts, 1 refused action, 3 questions due soon`` (``Nothing needs you``)."""
        parts = []
        if self.conflicts:
            parts.append(f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''}")
        if self.refused:
            parts.append(f"{self.refused} refused action{'s' if self.refused != 1 else ''}")
        if self.due_soon:
            parts.append(f"{self.due_soon} question{'s' if self.due_soon != 1 else ''} due soon")
        return ", ".join(parts) if parts else "Nothing needs you"


def load(conn: Connection, sla: SlaSettings, now: datetime | None = None) -> Attention:
    """Count what needs the moderator at ``now`` (default: the clock) — small indexed reads."""
    now = now or clock.now()
    counts = store.counts(conn)
    due_soon = triage.count(conn, TriageQuery(filter=DUE_SOON_FILTER, sla_settings=sla, now=now))
    next_at = conn.execute(
        text(
            "SELECT min(CASE state WHEN 'pending' THEN next_attempt_at ELSE verify_after END) FROM outbox "
            "WHERE state IN ('pending', 'in_flight')"
        )
    ).scalar()
    return Attention(
        conflicts=counts.get("conflict", 0),
        refused=counts.get("failed", 0),
        due_soon=due_soon,
        waiting=counts.get("pending", 0) + counts.get("in_flight", 0),
        next_retry_at=store.parse_iso(next_at) if isinstance(next_at, str) else None,
    )


def queued_after(conn: Connection, row_id: int | None) -> tuple[int, tuple[OutboxRow, ...]]:
    """The newest outbox row id, and the actions queued after ``row_id`` (``None``: only the id) —
    what the window offers to undo."""
    newest = int(conn.execute(text("SELECT coalesce(max(id), 0) FROM outbox")).scalar() or 0)
    if row_id is None or newest <= row_id:
        return newest, ()
    ids = conn.execute(text("SELECT id FROM outbox WHERE id > :id ORDER BY id"), {"id": row_id}).scalars()
    return newest, tuple(store.get_by_id(conn, int(i)) for i in ids)
