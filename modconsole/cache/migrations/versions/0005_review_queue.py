"""Review queue: ``review_items`` (pending reviewables) and the review outbox kinds.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Why: issue 14 — flags and queued posts are a moderator's main daily job. The cache mirrors the
pending items of ``/review.json`` (CONTRACT-ADDITIONS §A2) with the actions the server offered for
each, and a perform is queued in the outbox like every other action, so the outbox's ``kind``
check gains ``review_perform``, ``review_claim`` and ``review_unclaim`` (changed in place, see
``_set_kind_check``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = (
    "grant_badge",
    "revoke_badge",
    "accept_answer",
    "unaccept_answer",
    "add_group_member",
    "remove_group_member",
    "set_trust_level",
    "create_topic",
    "create_post",
    "like_post",
    "close_topic",
)

_NEW = ("review_perform", "review_claim", "review_unclaim")


def _kind_check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _set_kind_check(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    """Change the outbox's ``kind`` check in place. SQLite cannot alter a CHECK, and rebuilding the
    table (Alembic's batch mode: copy, drop, rename) fails here: the migration runs inside one
    transaction with ``foreign_keys`` on, and dropping ``outbox`` orphans ``outbox_attempt``. A
    CHECK does not change how rows are stored, so SQLite documents editing the table's SQL in
    ``sqlite_master`` for this ("Making Other Kinds Of Table Schema Changes"), then bumping the
    schema cookie so every connection re-reads it. Rows outside a narrowed check are deleted first
    (downgrade)."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
    ).scalar()
    if not isinstance(sql, str) or _kind_check(old) not in sql:
        raise RuntimeError("unexpected schema of the outbox table; not changing it")
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar() or 0)
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'outbox'",
            (sql.replace(_kind_check(old), _kind_check(new)),),
        )
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), server_default=sa.text("0"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("topic_title", sa.Text(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("post_number", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(), nullable=True),
        sa.Column("cooked", sa.Text(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("reasons_json", sa.Text(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("actions_json", sa.Text(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("claimable", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_items")),
    )
    op.create_index("ix_review_items_score", "review_items", ["score", "id"])
    _set_kind_check(_KINDS, (*_KINDS, *_NEW))


def downgrade() -> None:
    review = "kind IN ('review_perform', 'review_claim', 'review_unclaim')"
    op.execute(f"DELETE FROM outbox_attempt WHERE outbox_id IN (SELECT id FROM outbox WHERE {review})")
    op.execute(f"DELETE FROM outbox WHERE {review}")
    _set_kind_check((*_KINDS, *_NEW), _KINDS)
    op.drop_index("ix_review_items_score", table_name="review_items")
    op.drop_table("review_items")
