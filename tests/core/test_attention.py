"""The "needs you" count (issue 15, point 3): conflicts, refused actions and questions due soon,
from one cache; the waiting actions and their next try apart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from modconsole.cache.db import Cache
from modconsole.outbox import store
from modconsole.services import attention, triage
from modconsole.services.sla import SlaLevel
from modconsole.services.triage import TriageQuery
from tests.core.test_triage_sla import NOW, SLA, _fill


def _queue(cache: Cache, n: int) -> list[int]:
    with cache.write() as conn:
        return [
            store.insert(
                conn,
                kind="set_trust_level",
                target_key=f"user:{i}",
                payload={"user_id": i, "level": 2},
                precondition=None,
                created_by="mod",
            ).row_id
            for i in range(n)
        ]


def _set(cache: Cache, row_id: int, state: str, **cols: str) -> None:
    sets = ", ".join(["state = :s"] + [f"{k} = :{k}" for k in cols])
    with cache.write() as conn:
        conn.execute(text(f"UPDATE outbox SET {sets} WHERE id = :id"), {"s": state, "id": row_id, **cols})


def test_needs_you_counts_decisions_refusals_and_questions_due_soon(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    _fill(cache)
    with cache.read() as conn:
        rows = triage.page(conn, TriageQuery(sla_settings=SLA).at(NOW)).rows
        ok = next(r for r in rows if r.sla.level is SlaLevel.OK)
        assert ok.sla.due_at is not None
        now = ok.sla.due_at - timedelta(minutes=30)  # half an hour before its target: due soon
        levels = [r.sla.level for r in triage.page(conn, TriageQuery(sla_settings=SLA).at(now)).rows]
        empty = attention.load(conn, SLA, now)
    due_soon = levels.count(SlaLevel.DUE_SOON)
    assert due_soon >= 1
    assert SlaLevel.OVERDUE in levels  # overdue questions are not counted: only those still savable
    assert empty == attention.Attention(due_soon=due_soon)
    assert empty.total == due_soon

    a, b, c, d, e = _queue(cache, 5)
    _set(cache, a, "conflict", resolution="changed_remotely")
    _set(cache, b, "failed", resolution="forbidden")
    _set(cache, c, "pending", next_attempt_at="2026-11-01T13:05:00.000Z")  # backing off
    _set(cache, d, "in_flight", verify_after="2026-11-01T13:02:30.000Z")  # sent, checked again soon
    _set(cache, e, "done", resolution="applied")
    with cache.read() as conn:
        got = attention.load(conn, SLA, now)
    assert (got.conflicts, got.refused, got.due_soon, got.waiting) == (1, 1, due_soon, 2)
    assert got.total == 2 + due_soon and got.outbox == 2
    assert got.next_retry_at is not None and got.next_retry_at.isoformat() == "2026-11-01T13:02:30+00:00"
    with cache.read() as conn:  # what the window offers to undo: the rows queued since it last looked
        assert attention.queued_after(conn, None) == (e, ())
        newest, after = attention.queued_after(conn, c)
    assert newest == e and [r.id for r in after] == [d, e]
    described = got.describe()
    assert described.startswith("1 conflict, 1 refused action")
    cache.close()
