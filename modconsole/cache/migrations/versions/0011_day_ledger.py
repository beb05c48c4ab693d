"""The day ledger gets a table of its own: adding to it is one statement, so processes add up.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

Why: the requests a key spent in the last 24 hours (``modconsole.sync.plan.DayLedger``) were one JSON
value in ``settings`` (``sync.day_ledger``) that each process read when its sync started and wrote
back whole. Two processes on the same key (the app and ``modconsole sync`` in a terminal, or two
syncs) overwrote each other's counts, and together could spend more than a user key's 2,880 a day.
``day_ledger`` holds one row per minute; a process adds its new requests with
``INSERT … ON CONFLICT (minute) DO UPDATE SET requests = requests + excluded.requests`` and reads the
sum back, so every process's requests count.

The stored JSON moves into the table (its minutes and counts unchanged) and its settings row goes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "day_ledger",
        sa.Column("minute", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("minute", name=op.f("pk_day_ledger")),
    )
    # the old JSON value {"minutes": {"<minute>": count}}; an unreadable one is dropped (it only
    # ever lowers what the next sync thinks is left, and a day later it would be gone anyway)
    op.execute(
        """
        INSERT INTO day_ledger (minute, requests)
        SELECT CAST(m.key AS INTEGER), CAST(m.value AS INTEGER)
        FROM settings AS s, json_each(s.value_json, '$.minutes') AS m
        WHERE s.key = 'sync.day_ledger' AND json_valid(s.value_json)
          AND m.type = 'integer' AND m.value > 0
        """
    )
    op.execute("DELETE FROM settings WHERE key = 'sync.day_ledger'")


def downgrade() -> None:
    from modconsole import clock

    stamp = clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    op.get_bind().execute(
        sa.text(
            """
            INSERT OR REPLACE INTO settings (key, value_json, updated_at)
            SELECT 'sync.day_ledger',
                   json_object('minutes', json_group_object(CAST(minute AS TEXT), requests)), :t
            FROM day_ledger HAVING count(*) > 0
            """
        ),
        {"t": stamp},
    )
    op.drop_table("day_ledger")
