"""Assign: ``topic_assignments`` (who holds each topic) and the assign outbox kinds.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Why: issue 14 part 2 — a moderator assigns a question to themselves, a teammate or a group
(CONTRACT-ADDITIONS §A3), and the queue shows who holds what. The cache mirrors the assignment of
each topic (server truth, one row per assigned topic, filled by ``AssignService.sync`` from one
topic list walk), and assign / unassign are queued in the outbox like every action, so the outbox's
``kind`` check gains ``assign_topic`` and ``unassign_topic``. The check is widened in place as 0005
does (see there), by adding to the kinds the check lists now, so migrations of other kinds merged
before this one keep theirs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW = ("assign_topic", "unassign_topic")
_CHECK = re.compile(r"kind IN \(([^)]*)\)")


def _set_kinds(change: dict[str, bool]) -> None:
    """Add (True) or drop (False) kinds in the outbox's ``kind`` check, in place (0005's method:
    edit the table's SQL in ``sqlite_master`` and bump the schema cookie)."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
    ).scalar()
    m = _CHECK.search(sql) if isinstance(sql, str) else None
    if m is None or not isinstance(sql, str):
        raise RuntimeError("unexpected schema of the outbox table; not changing it")
    kinds = [k.strip().strip("'") for k in m.group(1).split(",") if k.strip()]
    for kind, add in change.items():
        if add and kind not in kinds:
            kinds.append(kind)
        if not add and kind in kinds:
            kinds.remove(kind)
    new_sql = sql[: m.start()] + "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")" + sql[m.end() :]
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar() or 0)
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'outbox'", (new_sql,)
        )
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    op.create_table(
        "topic_assignments",
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("assigned_user", sa.String(), nullable=True),
        sa.Column("assigned_user_id", sa.Integer(), nullable=True),
        sa.Column("assigned_group", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("topic_id", name=op.f("pk_topic_assignments")),
    )
    op.create_index("ix_topic_assignments_user", "topic_assignments", ["assigned_user"])
    _set_kinds(dict.fromkeys(_NEW, True))


def downgrade() -> None:
    assign = "kind IN ('assign_topic', 'unassign_topic')"
    op.execute(f"DELETE FROM outbox_attempt WHERE outbox_id IN (SELECT id FROM outbox WHERE {assign})")
    op.execute(f"DELETE FROM outbox WHERE {assign}")
    _set_kinds(dict.fromkeys(_NEW, False))
    op.drop_index("ix_topic_assignments_user", table_name="topic_assignments")
    op.drop_table("topic_assignments")
