"""User notes: ``user_notes`` (staff notes on members, read on demand) and their outbox kinds.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Why: issue 14 part 6 — moderators see and add staff notes on a member (CONTRACT-ADDITIONS §A4.4).
Notes are read when a moderator opens a member or a thread, cached in ``user_notes`` with the
time and outcome of the read in ``user_note_reads`` (``disabled`` remembers that the site has the
plugin off). Adding and deleting go through the outbox, so its ``kind`` check gains
``add_user_note`` and ``delete_user_note``, widened in place as 0006 does (the kinds the check
lists now, plus ours; ``modconsole.cache.outbox_kind_check``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from modconsole.cache.outbox_kind_check import add_outbox_kinds, drop_outbox_kinds

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW = ("add_user_note", "delete_user_note")


def upgrade() -> None:
    op.create_table(
        "user_notes",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("can_delete", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_notes")),
    )
    op.create_index("ix_user_notes_user", "user_notes", ["user_id"])
    op.create_table(
        "user_note_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_note_reads")),
    )
    add_outbox_kinds(*_NEW)


def downgrade() -> None:
    drop_outbox_kinds(*_NEW)
    op.drop_table("user_note_reads")
    op.drop_index("ix_user_notes_user", table_name="user_notes")
    op.drop_table("user_notes")
