"""User notes: ``user_notes`` (staff notes on members, read on demand) and their outbox kinds.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Why: issue 14 part 6 — moderators see and add staff notes on a member (CONTRACT-ADDITIONS §A4.4).
Notes are read when a moderator opens a member or a thread, cached in ``user_notes`` with the
time and outcome of the read in ``user_note_reads`` (``disabled`` remembers that the site has the
plugin off). Adding and deleting go through the outbox, so its ``kind`` check gains
``add_user_note`` and ``delete_user_note``, widened in place as 0006 does (the kinds the check
lists now, plus ours).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW = ("add_user_note", "delete_user_note")
_CHECK = re.compile(r"kind IN \(([^)]*)\)")


def _set_kinds(change: dict[str, bool]) -> None:
    """Add (True) or drop (False) kinds in the outbox's ``kind`` check, in place (0005's method)."""
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
    _set_kinds(dict.fromkeys(_NEW, True))


def downgrade() -> None:
    notes = "kind IN ('add_user_note', 'delete_user_note')"
    op.execute(f"DELETE FROM outbox_attempt WHERE outbox_id IN (SELECT id FROM outbox WHERE {notes})")
    op.execute(f"DELETE FROM outbox WHERE {notes}")
    _set_kinds(dict.fromkeys(_NEW, False))
    op.drop_table("user_note_reads")
    op.drop_index("ix_user_notes_user", table_name="user_notes")
    op.drop_table("user_notes")
