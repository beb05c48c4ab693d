"""Recognition: ``ix_topics_first_responder`` only over answered topics.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Why: as created in 0003 (partial on live topics only) SQLite also chose it for the open-questions
queue's ``first_response_at IS NULL`` filter, instead of ``ix_topics_queue_unanswered`` (which is
ordered for the queue's keyset paging). Restricted to ``first_response_at IS NOT NULL`` it can only
serve what it is for: first responses within a window.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ["first_response_at", "first_responder_id", "deleted_at", "gone_since"]


def upgrade() -> None:
    op.drop_index("ix_topics_first_responder", table_name="topics")
    op.create_index(
        "ix_topics_first_responder",
        "topics",
        _COLUMNS,
        sqlite_where=sa.text("first_response_at IS NOT NULL AND deleted_at IS NULL AND gone_since IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_topics_first_responder", table_name="topics")
    op.create_index(
        "ix_topics_first_responder",
        "topics",
        _COLUMNS,
        sqlite_where=sa.text("deleted_at IS NULL AND gone_since IS NULL"),
    )
