"""Review queue: ``review_items`` (pending reviewables) and the review outbox kinds.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Why: issue 14 — flags and queued posts are a moderator's main daily job. The cache mirrors the
pending items of ``/review.json`` (CONTRACT-ADDITIONS §A2) with the actions the server offered for
each, and a perform is queued in the outbox like every other action, so the outbox's ``kind``
check gains ``review_perform``, ``review_claim`` and ``review_unclaim`` (changed in place, see
``modconsole.cache.outbox_kind_check``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from modconsole.cache.outbox_kind_check import add_outbox_kinds, drop_outbox_kinds

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW = ("review_perform", "review_claim", "review_unclaim")


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
    add_outbox_kinds(*_NEW)


def downgrade() -> None:
    drop_outbox_kinds(*_NEW)
    op.drop_index("ix_review_items_score", table_name="review_items")
    op.drop_table("review_items")
