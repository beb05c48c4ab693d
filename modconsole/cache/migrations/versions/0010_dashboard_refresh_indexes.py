"""Dashboard refresh: covering indexes for the breakdowns' topics count and the carried-in backlog.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07

Why: after a sync the dashboard recomputes its default period (#13: ≤ 300 ms on ``large``). Two of its
reads still looked up a wide row per match:

* the breakdowns count the period's live topics per (category, author); read through
  ``ix_topics_category_created`` each of ~21k topics cost a lookup of its row (author and the
  ``deleted_at``/``gone_since`` filter) — ~55 ms. ``ix_topics_breakdown`` holds live topics only,
  with every column that query reads (the filter columns repeated so the index covers it): ~10 ms.
  The query names it (``INDEXED BY``): with ``sqlite_stat1`` present the planner prefers a skip-scan
  of ``ix_topics_category_created`` over the few categories, without it ``ix_topics_first_response``
  — both non-covering.
* the backlog carried into the series (questions asked before its start, answered after it or not
  yet) read ``ix_question_facts_response`` and then each row for ``created_at``/``asker_id``;
  ``ix_question_facts_carried`` answers it from the index alone.

Indexes only: no data changes, every figure stays what it was.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE_TOPIC = sa.text("deleted_at IS NULL AND gone_since IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_topics_breakdown",
        "topics",
        ["created_at", "category_id", "user_id", "deleted_at", "gone_since"],
        sqlite_where=_LIVE_TOPIC,
    )
    op.create_index(
        "ix_question_facts_carried",
        "question_facts",
        ["first_response_at", "created_at", "asker_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_question_facts_carried", table_name="question_facts")
    op.drop_index("ix_topics_breakdown", table_name="topics")
