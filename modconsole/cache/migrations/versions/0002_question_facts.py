"""KPI rollup: question_facts, one narrow row per counted topic in a category that accepts solutions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Why: support KPIs over 24 months of a 100k-topic community must not parse timestamps or read the
wide ``topics`` rows (PERFORMANCE.md; ~0.5 s that way). Each row holds what the analytics need, as
integers where possible (creation instant and response/solution durations in ms), behind a covering
index on ``created_at``.

How it stays current: triggers, so every writer (the sync's upserts, ``refresh_derived``'s queue
fields, deletion tracking, local moderation) keeps it right without knowing it exists:

* ``topics`` insert/delete and updates of the columns it reads → that topic's row is rebuilt;
* ``solutions`` insert/update/delete → the accepted answer's author of that topic;
* ``categories.accepts_answers`` updates → every topic of that category.

A row exists only for topics with ``deleted_at`` and ``gone_since`` NULL, a regular archetype and a
category with ``accepts_answers = 1``. Whether the asker is an employee is a setting, so it is
filtered at query time (``asker_id``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MS = "CAST(round((julianday({0}) - 2440587.5) * 86400000.0) AS INTEGER)"

# Rebuild the rows of the topics selected by {where} (a predicate on t).
_REFRESH = f"""
DELETE FROM question_facts WHERE topic_id IN (SELECT t.id FROM topics t WHERE {{where}});
INSERT INTO question_facts (topic_id, created_at, created_ms, category_id, asker_id, first_response_at,
    ttfr_ms, responder_id, solved, tts_ms, accepted_author_id, views)
SELECT t.id, t.created_at, {_MS.format("t.created_at")}, t.category_id,
    COALESCE(t.user_id, (SELECT p1.user_id FROM posts p1 WHERE p1.topic_id = t.id AND p1.post_number = 1)),
    t.first_response_at,
    {_MS.format("t.first_response_at")} - {_MS.format("t.created_at")},
    t.first_responder_id,
    COALESCE(t.has_accepted_answer, 0),
    CASE WHEN t.has_accepted_answer = 1 THEN {_MS.format("t.solved_at")} - {_MS.format("t.created_at")} END,
    CASE WHEN t.has_accepted_answer = 1 THEN COALESCE(
        (SELECT s.user_id FROM solutions s WHERE s.topic_id = t.id AND s.gone_since IS NULL
         ORDER BY s.post_number LIMIT 1),
        (SELECT p.user_id FROM posts p WHERE p.id = t.accepted_post_id)) END,
    COALESCE(t.views, 0)
FROM topics t JOIN categories c ON c.id = t.category_id AND c.accepts_answers = 1
WHERE {{where}} AND t.created_at IS NOT NULL AND t.deleted_at IS NULL AND t.gone_since IS NULL
    AND COALESCE(t.archetype, 'regular') = 'regular';
"""

_WATCHED = (
    "created_at, category_id, user_id, archetype, deleted_at, gone_since, first_response_at, "
    "first_responder_id, has_accepted_answer, accepted_post_id, solved_at, views"
)

TRIGGERS = (
    f"""CREATE TRIGGER question_facts_topic_insert AFTER INSERT ON topics BEGIN
        {_REFRESH.format(where="t.id = NEW.id")} END""",
    f"""CREATE TRIGGER question_facts_topic_update AFTER UPDATE OF {_WATCHED} ON topics BEGIN
        {_REFRESH.format(where="t.id = NEW.id")} END""",
    """CREATE TRIGGER question_facts_topic_delete AFTER DELETE ON topics BEGIN
        DELETE FROM question_facts WHERE topic_id = OLD.id; END""",
    f"""CREATE TRIGGER question_facts_solution_insert AFTER INSERT ON solutions BEGIN
        {_REFRESH.format(where="t.id = NEW.topic_id")} END""",
    f"""CREATE TRIGGER question_facts_solution_update AFTER UPDATE ON solutions BEGIN
        {_REFRESH.format(where="t.id IN (OLD.topic_id, NEW.topic_id)")} END""",
    f"""CREATE TRIGGER question_facts_solution_delete AFTER DELETE ON solutions BEGIN
        {_REFRESH.format(where="t.id = OLD.topic_id")} END""",
    f"""CREATE TRIGGER question_facts_category_update AFTER UPDATE OF accepts_answers ON categories BEGIN
        {_REFRESH.format(where="t.category_id = NEW.id")} END""",
    f"""CREATE TRIGGER question_facts_category_insert AFTER INSERT ON categories BEGIN
        {_REFRESH.format(where="t.category_id = NEW.id")} END""",
)
TRIGGER_NAMES = (
    "question_facts_topic_insert",
    "question_facts_topic_update",
    "question_facts_topic_delete",
    "question_facts_solution_insert",
    "question_facts_solution_update",
    "question_facts_solution_delete",
    "question_facts_category_update",
    "question_facts_category_insert",
)


def upgrade() -> None:
    op.create_table(
        "question_facts",
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("created_ms", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("asker_id", sa.Integer(), nullable=True),
        sa.Column("first_response_at", sa.String(), nullable=True),
        sa.Column("ttfr_ms", sa.Integer(), nullable=True),
        sa.Column("responder_id", sa.Integer(), nullable=True),
        sa.Column("solved", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("tts_ms", sa.Integer(), nullable=True),
        sa.Column("accepted_author_id", sa.Integer(), nullable=True),
        sa.Column("views", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("topic_id", name=op.f("pk_question_facts")),
    )
    op.create_index(
        "ix_question_facts_created",
        "question_facts",
        [
            "created_at",
            "asker_id",
            "created_ms",
            "ttfr_ms",
            "responder_id",
            "solved",
            "tts_ms",
            "accepted_author_id",
            "category_id",
            "views",
        ],
        unique=False,
    )
    op.create_index(
        "ix_question_facts_response", "question_facts", ["first_response_at", "asker_id"], unique=False
    )
    for ddl in TRIGGERS:
        op.execute(ddl)
    for stmt in _REFRESH.format(where="1").split(";"):
        if stmt.strip():
            op.execute(stmt)


def downgrade() -> None:
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_question_facts_response", table_name="question_facts")
    op.drop_index("ix_question_facts_created", table_name="question_facts")
    op.drop_table("question_facts")
