"""Assign: ``topic_assignments`` (who holds each topic) and the assign outbox kinds.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Why: issue 14 part 2 — a moderator assigns a question to themselves, a teammate or a group
(CONTRACT-ADDITIONS §A3), and the queue shows who holds what. The cache mirrors the assignment of
each topic (server truth, one row per assigned topic, filled by ``AssignService.sync`` from one
topic list walk), and assign / unassign are queued in the outbox like every action, so the outbox's
``kind`` check gains ``assign_topic`` and ``unassign_topic``. The check is widened in place
(``modconsole.cache.outbox_kind_check``), by adding to the kinds the check lists now, so migrations
of other kinds merged before this one keep theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from modconsole.cache.outbox_kind_check import add_outbox_kinds, drop_outbox_kinds

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW = ("assign_topic", "unassign_topic")


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
    add_outbox_kinds(*_NEW)


def downgrade() -> None:
    drop_outbox_kinds(*_NEW)
    op.drop_index("ix_topic_assignments_user", table_name="topic_assignments")
    op.drop_table("topic_assignments")
