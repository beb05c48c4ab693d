"""Recognition: narrow partial covering indexes for the superuser score over a window.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Why: ranking superuser candidates aggregates every counted post of a window (a year of the
``large`` community: ~225k of ~1M posts) with its topic's asker and category. Read through
``ix_posts_created`` each post costs a lookup of its wide row (cooked and plain text): 4–6 s.
These partial indexes hold only counted rows (``post_type = 1``, not deleted, not gone) and every
column the aggregate reads, so SQLite answers from the indexes alone (SEARCH … USING COVERING INDEX):

* ``ix_posts_window``: posts by ``created_at`` with author, topic, number and likes;
* ``ix_topics_people``: live topics by id with asker and category (the join side);
* ``ix_topics_first_responder``: live topics by ``first_response_at`` with the first responder.

The filter columns are repeated in each index so that it covers queries that restate the filter.
Indexes only: no data changes, nothing for the sync to maintain beyond the index itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE_POST = sa.text("post_type = 1 AND deleted_at IS NULL AND gone_since IS NULL")
_LIVE_TOPIC = sa.text("deleted_at IS NULL AND gone_since IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_posts_window",
        "posts",
        [
            "created_at",
            "user_id",
            "topic_id",
            "post_number",
            "like_count",
            "post_type",
            "deleted_at",
            "gone_since",
        ],
        sqlite_where=_LIVE_POST,
    )
    op.create_index(
        "ix_topics_people",
        "topics",
        ["id", "user_id", "category_id", "deleted_at", "gone_since"],
        sqlite_where=_LIVE_TOPIC,
    )
    op.create_index(
        "ix_topics_first_responder",
        "topics",
        ["first_response_at", "first_responder_id", "deleted_at", "gone_since"],
        sqlite_where=_LIVE_TOPIC,
    )


def downgrade() -> None:
    op.drop_index("ix_topics_first_responder", table_name="topics")
    op.drop_index("ix_topics_people", table_name="topics")
    op.drop_index("ix_posts_window", table_name="posts")
