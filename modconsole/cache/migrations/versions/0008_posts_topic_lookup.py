"""Queue search: a narrow index from a post's id to its topic.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Why: a queue search keeps the topics of (up to) the first 5000 posts whose text matches. Reading
each post's ``topic_id`` through the table's own b-tree visits its wide row pages (cooked and
plain text): ~8 ms of a filter keystroke over the ``large`` community. ``ix_posts_topic_lookup``
holds ``(id, topic_id)`` only, so the same 5000 lookups read a few dense index pages
(SEARCH … USING COVERING INDEX; the query names it with INDEXED BY, since the planner prefers the
rowid). Index only: no data changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_posts_topic_lookup", "posts", ["id", "topic_id"])


def downgrade() -> None:
    op.drop_index("ix_posts_topic_lookup", table_name="posts")
