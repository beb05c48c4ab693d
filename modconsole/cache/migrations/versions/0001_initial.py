"""Initial cache schema: mirror tables, derived queue fields, KPI rollups, FTS5, cursors, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Rules for cache migrations (see modconsole/cache/db.py):
* Never import modconsole.cache.schema here: a revision is frozen at the schema it was written for.
* The outbox must survive every upgrade: copy rows, never drop them. Use op.batch_alter_table
  (table rebuild) for SQLite changes ALTER TABLE cannot do, e.g. widening a CHECK list.
* A change to what mirror rows mean must bump sync_cursors.schema_version (forces a re-pull).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Full-text search: regular (self-contained) FTS5 tables keyed by server id.
# Not external-content/contentless: on SQLite < 3.43 (we run 3.40) those can only delete a row by
# re-supplying exactly the values that were indexed, so any missed path silently corrupts the index.
# A regular table is refreshed idempotently by id (DELETE WHERE rowid IN …; INSERT … SELECT), at
# the price of a second copy of posts.plain. Titles have their own table so "similar questions"
# can search titles only (PERFORMANCE.md: never rank the whole corpus).
FTS_DDL = (
    "CREATE VIRTUAL TABLE topics_fts USING fts5(title, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE posts_fts USING fts5(plain, tokenize = 'unicode61 remove_diacritics 2')",
)


def upgrade() -> None:
    op.create_table(
        "badges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("badge_type_id", sa.Integer(), nullable=True),
        sa.Column("badge_grouping_id", sa.Integer(), nullable=True),
        sa.Column("grant_count", sa.Integer(), nullable=True),
        sa.Column("multiple_grant", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("allow_title", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("listable", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("manually_grantable", sa.Boolean(), nullable=True),
        sa.Column("system", sa.Boolean(), nullable=True),
        sa.Column("icon", sa.String(), nullable=True),
        sa.Column("image_url", sa.String(), nullable=True),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.Column("gone_since", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_badges")),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("slug", sa.String(), nullable=True),
        sa.Column("parent_category_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("color", sa.String(), nullable=True),
        sa.Column("description_text", sa.Text(), nullable=True),
        sa.Column("topic_count", sa.Integer(), nullable=True),
        sa.Column("accepts_answers", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("read_restricted", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.Column("gone_since", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
    )
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("domain", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("is_customer", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint(
            "source IN ('email_domain', 'user_field', 'import')", name=op.f("ck_companies_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
    )
    op.create_index(
        "ix_companies_domain",
        "companies",
        ["domain"],
        unique=True,
        sqlite_where=sa.text("domain IS NOT NULL"),
    )
    op.create_table(
        "customer_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("domains", sa.Text(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("imported_at", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_accounts")),
        sa.UniqueConstraint("name", name=op.f("uq_customer_accounts_name")),
    )
    op.create_table(
        "daily_posts",
        sa.Column("day", sa.String(), nullable=False),
        sa.Column("posts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("topics", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_daily_posts")),
    )
    op.create_table(
        "dispatcher_lease",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("heartbeat_at", sa.String(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_dispatcher_lease_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatcher_lease")),
    )
    op.create_table(
        "group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("added_at", sa.String(), nullable=True),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.Column("gone_since", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_group_members")),
    )
    op.create_index("ix_group_members_user", "group_members", ["user_id"], unique=False)
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("full_name", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("user_count", sa.Integer(), nullable=True),
        sa.Column("automatic", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("grant_trust_level", sa.Integer(), nullable=True),
        sa.Column("visibility_level", sa.Integer(), nullable=True),
        sa.Column("primary_group", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("public_admission", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("public_exit", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("can_admin_group", sa.Boolean(), nullable=True),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.Column("gone_since", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
    )
    op.create_table(
        "kpi_snapshots",
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("kpi", sa.String(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("definitions_version", sa.Integer(), nullable=False),
        sa.Column("frozen_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("month", "kpi", name=op.f("pk_kpi_snapshots")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("op_uuid", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("target_key", sa.String(), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("precondition_json", sa.Text(), nullable=True),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("resolution", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", sa.String(), nullable=True),
        sa.Column("verify_after", sa.String(), nullable=True),
        sa.Column("in_flight_attempt_id", sa.String(), nullable=True),
        sa.Column("last_http_status", sa.Integer(), nullable=True),
        sa.Column("last_error_class", sa.String(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("result_json", sa.Text(), nullable=True),
        sa.Column("depends_on", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('grant_badge', 'revoke_badge', 'accept_answer', 'unaccept_answer', "
            "'add_group_member', 'remove_group_member', 'set_trust_level', 'create_topic', "
            "'create_post', 'like_post', 'close_topic')",
            name=op.f("ck_outbox_kind"),
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'in_flight', 'done', 'failed', 'conflict', 'cancelled')",
            name=op.f("ck_outbox_state"),
        ),
        sa.ForeignKeyConstraint(["depends_on"], ["outbox.id"], name=op.f("fk_outbox_depends_on_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("op_uuid", name=op.f("uq_outbox_op_uuid")),
    )
    op.create_index("ix_outbox_ready", "outbox", ["state", "next_attempt_at"], unique=False)
    op.create_index("ix_outbox_target", "outbox", ["target_key", "state"], unique=False)
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("post_number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=True),
        sa.Column("updated_at", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("post_type", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("action_code", sa.String(), nullable=True),
        sa.Column("reply_to_post_number", sa.Integer(), nullable=True),
        sa.Column("cooked", sa.Text(), nullable=True),
        sa.Column("plain", sa.Text(), nullable=True),
        sa.Column("like_count", sa.Integer(), nullable=True),
        sa.Column("reads", sa.Integer(), nullable=True),
        sa.Column("hidden", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("deleted_at", sa.String(), nullable=True),
        sa.Column("accepted_answer", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.Column("gone_since", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
    )
    op.create_index("ix_posts_created", "posts", ["created_at"], unique=False)
    op.create_index("ix_posts_topic_number", "posts", ["topic_id", "post_number"], unique=False)
    op.create_index("ix_posts_user_created", "posts", ["user_id", "created_at"], unique=False)
    op.create_table(
        "report_points",
        sa.Column("report_type", sa.String(), nullable=False),
        sa.Column("facet", sa.String(), nullable=False),
        sa.Column("date", sa.String(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("fetched_at", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("report_type", "facet", "date", name=op.f("pk_report_points")),
    )
    op.create_table(
        "server_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offset_seconds", sa.Float(), nullable=True),
        sa.Column("measured_at", sa.String(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_server_clock_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_clock")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("key_kind", sa.String(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("server_version", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.CheckConstraint("key_kind IN ('admin', 'user_api')", name=op.f("ck_site_key_kind")),
        sa.CheckConstraint("id = 1", name=op.f("ck_site_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
    )
    op.create_table(
        "solutions",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("post_number", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("accepter_username", sa.String(), nullable=True),
        sa.Column("accepted_at", sa.String(), nullable=True),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.Column("gone_since", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_solutions")),
    )
    op.create_index("ix_solutions_topic", "solutions", ["topic_id"], unique=False)
    op.create_index("ix_solutions_user", "solutions", ["user_id"], unique=False)
    op.create_table(
        "sync_cursors",
        sa.Column("resource", sa.String(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("hw_value", sa.String(), nullable=True),
        sa.Column("hw_id", sa.Integer(), nullable=True),
        sa.Column("pass_id", sa.String(), nullable=True),
        sa.Column("pass_target_value", sa.String(), nullable=True),
        sa.Column("pass_target_id", sa.Integer(), nullable=True),
        sa.Column("pass_page_token", sa.String(), nullable=True),
        sa.Column("pass_started_server_time", sa.String(), nullable=True),
        sa.Column("last_complete_pass_at", sa.String(), nullable=True),
        sa.Column("last_full_rescan_at", sa.String(), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("resource", name=op.f("pk_sync_cursors")),
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("fancy_title", sa.String(), nullable=True),
        sa.Column("slug", sa.String(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("archetype", sa.String(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=True),
        sa.Column("bumped_at", sa.String(), nullable=True),
        sa.Column("last_posted_at", sa.String(), nullable=True),
        sa.Column("posts_count", sa.Integer(), nullable=True),
        sa.Column("reply_count", sa.Integer(), nullable=True),
        sa.Column("highest_post_number", sa.Integer(), nullable=True),
        sa.Column("views", sa.Integer(), nullable=True),
        sa.Column("like_count", sa.Integer(), nullable=True),
        sa.Column("closed", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("archived", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("visible", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("pinned", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("tags", sa.Text(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("has_accepted_answer", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("accepted_post_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", sa.String(), nullable=True),
        sa.Column("first_response_at", sa.String(), nullable=True),
        sa.Column("first_responder_id", sa.Integer(), nullable=True),
        sa.Column("asker_replies", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("others_replies", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_reply_at", sa.String(), nullable=True),
        sa.Column("last_reply_by_asker", sa.Boolean(), nullable=True),
        sa.Column("solved_at", sa.String(), nullable=True),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.Column("gone_since", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
    )
    op.create_index("ix_topics_bumped", "topics", ["bumped_at", "id"], unique=False)
    op.create_index("ix_topics_category_created", "topics", ["category_id", "created_at", "id"], unique=False)
    op.create_index("ix_topics_first_response", "topics", ["created_at", "first_response_at"], unique=False)
    op.create_index(
        "ix_topics_gone",
        "topics",
        ["gone_since"],
        unique=False,
        sqlite_where=sa.text("gone_since IS NOT NULL"),
    )
    op.create_index(
        "ix_topics_queue_unanswered",
        "topics",
        ["created_at", "id"],
        unique=False,
        sqlite_where=sa.text("first_response_at IS NULL AND deleted_at IS NULL AND gone_since IS NULL"),
    )
    op.create_index(
        "ix_topics_queue_unsolved",
        "topics",
        ["last_reply_by_asker", "last_reply_at", "id"],
        unique=False,
        sqlite_where=sa.text("has_accepted_answer = 0 AND deleted_at IS NULL AND gone_since IS NULL"),
    )
    op.create_index("ix_topics_user_created", "topics", ["user_id", "created_at"], unique=False)
    op.create_table(
        "user_badges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("badge_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.String(), nullable=True),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("post_number", sa.Integer(), nullable=True),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.Column("gone_since", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_badges")),
    )
    op.create_index("ix_user_badges_badge_granted", "user_badges", ["badge_id", "granted_at"], unique=False)
    op.create_index("ix_user_badges_user", "user_badges", ["user_id", "badge_id"], unique=False)
    op.create_table(
        "user_month",
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("topics", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("replies", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("month", "user_id", name=op.f("pk_user_month")),
    )
    op.create_index("ix_user_month_user", "user_month", ["user_id", "month"], unique=False)
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(collation="NOCASE"), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("trust_level", sa.Integer(), nullable=True),
        sa.Column("admin", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("moderator", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=True),
        sa.Column("last_seen_at", sa.String(), nullable=True),
        sa.Column("last_posted_at", sa.String(), nullable=True),
        sa.Column("suspended_till", sa.String(), nullable=True),
        sa.Column("silenced", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("staged", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("user_fields", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("seen_in_pass", sa.String(), nullable=True),
        sa.Column("gone_since", sa.String(), nullable=True),
        sa.Column("change_token", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_index("ix_users_company", "users", ["company_id"], unique=False)
    op.create_index("ix_users_trust_level", "users", ["trust_level"], unique=False)
    op.create_index("ix_users_username", "users", ["username"], unique=False)
    op.create_table(
        "outbox_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("started_at", sa.String(), nullable=False),
        sa.Column("finished_at", sa.String(), nullable=True),
        sa.Column("request_line", sa.String(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error_class", sa.String(), nullable=True),
        sa.Column("server_date", sa.String(), nullable=True),
        sa.Column("response_excerpt", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.CheckConstraint("kind IN ('send', 'verify', 'precheck')", name=op.f("ck_outbox_attempt_kind")),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_outbox_attempt_outbox_id_outbox")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attempt")),
    )
    op.create_index("ix_outbox_attempt_outbox", "outbox_attempt", ["outbox_id", "id"], unique=False)
    for ddl in FTS_DDL:
        op.execute(ddl)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS posts_fts")
    op.execute("DROP TABLE IF EXISTS topics_fts")
    op.drop_index("ix_outbox_attempt_outbox", table_name="outbox_attempt")
    op.drop_table("outbox_attempt")
    op.drop_index("ix_users_username", table_name="users")
    op.drop_index("ix_users_trust_level", table_name="users")
    op.drop_index("ix_users_company", table_name="users")
    op.drop_table("users")
    op.drop_index("ix_user_month_user", table_name="user_month")
    op.drop_table("user_month")
    op.drop_index("ix_user_badges_user", table_name="user_badges")
    op.drop_index("ix_user_badges_badge_granted", table_name="user_badges")
    op.drop_table("user_badges")
    op.drop_index("ix_topics_user_created", table_name="topics")
    op.drop_index(
        "ix_topics_queue_unsolved",
        table_name="topics",
        sqlite_where=sa.text("has_accepted_answer = 0 AND deleted_at IS NULL AND gone_since IS NULL"),
    )
    op.drop_index(
        "ix_topics_queue_unanswered",
        table_name="topics",
        sqlite_where=sa.text("first_response_at IS NULL AND deleted_at IS NULL AND gone_since IS NULL"),
    )
    op.drop_index("ix_topics_gone", table_name="topics", sqlite_where=sa.text("gone_since IS NOT NULL"))
    op.drop_index("ix_topics_first_response", table_name="topics")
    op.drop_index("ix_topics_category_created", table_name="topics")
    op.drop_index("ix_topics_bumped", table_name="topics")
    op.drop_table("topics")
    op.drop_table("sync_cursors")
    op.drop_index("ix_solutions_user", table_name="solutions")
    op.drop_index("ix_solutions_topic", table_name="solutions")
    op.drop_table("solutions")
    op.drop_table("site")
    op.drop_table("settings")
    op.drop_table("server_clock")
    op.drop_table("report_points")
    op.drop_index("ix_posts_user_created", table_name="posts")
    op.drop_index("ix_posts_topic_number", table_name="posts")
    op.drop_index("ix_posts_created", table_name="posts")
    op.drop_table("posts")
    op.drop_index("ix_outbox_target", table_name="outbox")
    op.drop_index("ix_outbox_ready", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("kpi_snapshots")
    op.drop_table("groups")
    op.drop_index("ix_group_members_user", table_name="group_members")
    op.drop_table("group_members")
    op.drop_table("dispatcher_lease")
    op.drop_table("daily_posts")
    op.drop_table("customer_accounts")
    op.drop_index("ix_companies_domain", table_name="companies", sqlite_where=sa.text("domain IS NOT NULL"))
    op.drop_table("companies")
    op.drop_table("categories")
    op.drop_table("badges")
