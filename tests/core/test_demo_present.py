"""The demo community lives in the present (issue 15, point 9): a community made now ends now.

``ensure_db`` (what ``modconsole --demo`` and ``modconsole demo-server`` call) generates the
community as of the one clock's "now": its newest activity is hours old, the queue holds questions
overdue, due soon and on time under the default SLA, and the same seed at the same instant gives
the same community.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from modconsole import clock
from modconsole.demo.server import ensure_db
from modconsole.services.sla import SlaLevel, SlaSettings, parse_ts

# A Wednesday morning and a Tuesday afternoon, years apart and far from the generator's default.
INSTANTS = (datetime(2027, 3, 10, 11, 0, tzinfo=UTC), datetime(2029, 6, 19, 15, 30, tzinfo=UTC))


def _digest(path: Path) -> str:
    con = sqlite3.connect(path)
    h = hashlib.sha256()
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        h.update(table.encode())
        for row in sorted(repr(r) for r in con.execute(f"SELECT * FROM {table}")):
            h.update(row.encode())
    con.close()
    return h.hexdigest()


def _queue_levels(path: Path, now: datetime) -> Counter[SlaLevel]:
    """Every question's first-response clock under the default SLA, as the queue computes it."""
    con = sqlite3.connect(path)
    rows = con.execute(
        """SELECT t.created_at, t.category_id,
               (SELECT min(p.created_at) FROM posts p WHERE p.topic_id = t.id AND p.post_number > 1
                  AND p.user_id <> t.user_id AND p.deleted_at IS NULL AND p.post_type = 1),
               EXISTS (SELECT 1 FROM solutions so WHERE so.topic_id = t.id)
           FROM topics t JOIN categories c ON c.id = t.category_id
           WHERE t.archetype = 'regular' AND t.deleted_at IS NULL AND c.enable_accepted_answers = 1
             AND c.read_restricted = 0"""
    ).fetchall()
    con.close()
    sla = SlaSettings()
    return Counter(
        sla.status(parse_ts(created), parse_ts(first), cat, now, solved=bool(solved)).level
        for created, cat, first, solved in rows
    )


def _newest(path: Path) -> datetime:
    con = sqlite3.connect(path)
    newest = con.execute("SELECT max(created_at) FROM posts WHERE deleted_at IS NULL").fetchone()[0]
    con.close()
    ts = parse_ts(newest)
    assert ts is not None
    return ts


@pytest.mark.parametrize("instant", INSTANTS, ids=lambda d: d.strftime("%Y-%m-%d"))
def test_a_new_demo_community_ends_at_the_clocks_now(tmp_path: Path, instant: datetime) -> None:
    clock.set_now(instant)
    path = ensure_db(tmp_path / "small.sqlite3", size="small", seed=1)
    newest = _newest(path)
    assert instant - timedelta(days=1) <= newest <= instant  # fresh, and nothing from the future
    levels = _queue_levels(path, instant)
    assert levels[SlaLevel.OVERDUE] > 0
    assert levels[SlaLevel.DUE_SOON] > 0
    assert levels[SlaLevel.OK] > 0


def test_same_seed_and_instant_same_community(tmp_path: Path) -> None:
    clock.set_now(INSTANTS[0])
    a = ensure_db(tmp_path / "a" / "tiny.sqlite3", size="tiny", seed=5)
    b = ensure_db(tmp_path / "b" / "tiny.sqlite3", size="tiny", seed=5)
    clock.set_now(INSTANTS[1])
    c = ensure_db(tmp_path / "c" / "tiny.sqlite3", size="tiny", seed=5)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)  # another instant: the same community, moved to that present
    assert _newest(c) > INSTANTS[1] - timedelta(days=3)
