"""The cache's tables, as SQLAlchemy 2 typed declarative models.

The database itself is created and upgraded **only** by the Alembic revisions in
``migrations/versions``; these models describe the same schema for queries and are checked
against the migrated database by a test (``compare_metadata`` must find no difference).

Conventions
-----------
* Timestamps are TEXT, exactly as the server sent them (ISO-8601 UTC with milliseconds,
  ``2026-03-01T14:05:09.123Z``): they sort lexicographically and round-trip without loss.
  Local times (outbox bookkeeping) use the same format. Dates are ``YYYY-MM-DD``, months ``YYYY-MM``.
* Booleans are 0/1 integers.
* JSON columns are TEXT holding compact JSON.
* **Mirror tables** (categories … report_points) hold server truth only (SYNC.md I4) and are
  keyed by server id, so every pull write is an idempotent upsert (I5). They carry no foreign keys
  between each other: pages arrive in any order (a post before its topic, a grant before its
  user), and a pull must never fail on ordering. ``seen_in_pass``/``gone_since`` support deletion
  detection (SYNC.md §6.3, §6.9). ``change_token`` is upsert bookkeeping: the random token of the
  last upsert call that inserted or changed the row (how upserts report changed ids cheaply).
* **Derived columns** on ``topics`` (``first_response_at`` … ``solved_at``) and the rollup tables
  (``user_month``, ``daily_posts``) are computed from cached posts by
  :func:`modconsole.cache.repo.refresh_derived`, never written by upserts.
* **Local tables** (outbox, outbox_attempt, dispatcher_lease, server_clock, settings,
  kpi_snapshots, companies, customer_accounts, day_ledger) are never touched by a pull (SYNC.md §6.10.7).
* Full-text search lives in two FTS5 tables created by the migration (not modelled here):
  ``topics_fts(title)`` keyed by topic id and ``posts_fts(plain)`` keyed by post id.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

FTS_TABLES = ("topics_fts", "posts_fts")
"""Virtual tables created by the migration, outside the models (excluded from parity checks)."""

OUTBOX_KINDS = (
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
    "review_perform",
    "review_claim",
    "review_unclaim",
    "assign_topic",
    "unassign_topic",
    "add_user_note",
    "delete_user_note",
)
OUTBOX_STATES = ("pending", "in_flight", "done", "failed", "conflict", "cancelled")
ATTEMPT_KINDS = ("send", "verify", "precheck")
COMPANY_SOURCES = ("email_domain", "user_field", "import")
KEY_KINDS = ("admin", "user_api")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# ================================================================ site identity


class Site(Base):
    """The one site and account this cache file belongs to. Never holds the API key."""

    __tablename__ = "site"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint(_in("key_kind", KEY_KINDS), name="key_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String)
    username: Mapped[str] = mapped_column(String)
    key_kind: Mapped[str] = mapped_column(String)  # 'admin' | 'user_api'; the key is in the keyring
    user_id: Mapped[int | None] = mapped_column(Integer)
    server_version: Mapped[str | None] = mapped_column(String)
    created_at: Mapped[str] = mapped_column(String)


class ServerClock(Base):
    """Server ``Date`` minus local time, smoothed (SYNC.md §6.9). The site's clock offset lives here."""

    __tablename__ = "server_clock"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offset_seconds: Mapped[float | None] = mapped_column(Float)
    measured_at: Mapped[str | None] = mapped_column(String)


# ================================================================ mirror: forum content


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    slug: Mapped[str | None] = mapped_column(String)
    parent_category_id: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int | None] = mapped_column(Integer)
    color: Mapped[str | None] = mapped_column(String)
    description_text: Mapped[str | None] = mapped_column(Text)
    topic_count: Mapped[int | None] = mapped_column(Integer)
    accepts_answers: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    read_restricted: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    seen_in_pass: Mapped[str | None] = mapped_column(String)
    gone_since: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


class Topic(Base):
    __tablename__ = "topics"
    __table_args__ = (
        Index("ix_topics_bumped", "bumped_at", "id"),
        Index("ix_topics_category_created", "category_id", "created_at", "id"),
        Index("ix_topics_user_created", "user_id", "created_at"),
        # Queue: no response from anyone but the asker yet, oldest first (keyset on created_at, id).
        Index(
            "ix_topics_queue_unanswered",
            "created_at",
            "id",
            sqlite_where=text("first_response_at IS NULL AND deleted_at IS NULL AND gone_since IS NULL"),
        ),
        # Queue: answered but not solved; who spoke last decides whose turn it is.
        Index(
            "ix_topics_queue_unsolved",
            "last_reply_by_asker",
            "last_reply_at",
            "id",
            sqlite_where=text("has_accepted_answer = 0 AND deleted_at IS NULL AND gone_since IS NULL"),
        ),
        # KPI: median time to first response per creation month.
        Index("ix_topics_first_response", "created_at", "first_response_at"),
        Index("ix_topics_gone", "gone_since", sqlite_where=text("gone_since IS NOT NULL")),
        # Recognition (migrations 0003, 0004): covering, live topics only.
        Index(
            "ix_topics_people",
            "id",
            "user_id",
            "category_id",
            "deleted_at",
            "gone_since",
            sqlite_where=text("deleted_at IS NULL AND gone_since IS NULL"),
        ),
        Index(
            "ix_topics_first_responder",
            "first_response_at",
            "first_responder_id",
            "deleted_at",
            "gone_since",
            sqlite_where=text("first_response_at IS NOT NULL AND deleted_at IS NULL AND gone_since IS NULL"),
        ),
        # Dashboard breakdowns (migration 0010): the period's live topics per category and author.
        Index(
            "ix_topics_breakdown",
            "created_at",
            "category_id",
            "user_id",
            "deleted_at",
            "gone_since",
            sqlite_where=text("deleted_at IS NULL AND gone_since IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # server fields (list items and topic view)
    title: Mapped[str | None] = mapped_column(String)
    fancy_title: Mapped[str | None] = mapped_column(String)
    slug: Mapped[str | None] = mapped_column(String)
    category_id: Mapped[int | None] = mapped_column(Integer)
    archetype: Mapped[str | None] = mapped_column(String)
    user_id: Mapped[int | None] = mapped_column(Integer)  # the asker (topic view / posters[0])
    created_at: Mapped[str | None] = mapped_column(String)
    bumped_at: Mapped[str | None] = mapped_column(String)
    last_posted_at: Mapped[str | None] = mapped_column(String)
    posts_count: Mapped[int | None] = mapped_column(Integer)
    reply_count: Mapped[int | None] = mapped_column(Integer)
    highest_post_number: Mapped[int | None] = mapped_column(Integer)
    views: Mapped[int | None] = mapped_column(Integer)
    like_count: Mapped[int | None] = mapped_column(Integer)
    closed: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    archived: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    visible: Mapped[bool] = mapped_column(default=True, server_default=text("1"))
    pinned: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    tags: Mapped[str] = mapped_column(Text, default="[]", server_default=text("'[]'"))  # JSON list of names
    has_accepted_answer: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    accepted_post_id: Mapped[int | None] = mapped_column(Integer)
    deleted_at: Mapped[str | None] = mapped_column(String)
    # derived queue fields (refresh_derived)
    first_response_at: Mapped[str | None] = mapped_column(String)
    first_responder_id: Mapped[int | None] = mapped_column(Integer)
    asker_replies: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    others_replies: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_reply_at: Mapped[str | None] = mapped_column(String)
    last_reply_by_asker: Mapped[bool | None] = mapped_column()
    solved_at: Mapped[str | None] = mapped_column(String)
    # deletion detection
    seen_in_pass: Mapped[str | None] = mapped_column(String)
    gone_since: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_topic_number", "topic_id", "post_number"),
        Index("ix_posts_user_created", "user_id", "created_at"),
        Index("ix_posts_created", "created_at"),
        # Recognition (migration 0003): counted posts of a window, covering the score's aggregate.
        Index(
            "ix_posts_window",
            "created_at",
            "user_id",
            "topic_id",
            "post_number",
            "like_count",
            "post_type",
            "deleted_at",
            "gone_since",
            sqlite_where=text("post_type = 1 AND deleted_at IS NULL AND gone_since IS NULL"),
        ),
        # Queue search (migration 0008): a matching post's topic without reading its wide row.
        Index("ix_posts_topic_lookup", "id", "topic_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(Integer)
    post_number: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)  # null for deleted users
    username: Mapped[str | None] = mapped_column(String)
    created_at: Mapped[str | None] = mapped_column(String)
    updated_at: Mapped[str | None] = mapped_column(String)
    version: Mapped[int | None] = mapped_column(Integer)
    post_type: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    action_code: Mapped[str | None] = mapped_column(String)
    reply_to_post_number: Mapped[int | None] = mapped_column(Integer)
    cooked: Mapped[str | None] = mapped_column(Text)
    plain: Mapped[str | None] = mapped_column(Text)  # to_text(cooked), for FTS and excerpts
    like_count: Mapped[int | None] = mapped_column(Integer)
    reads: Mapped[int | None] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    deleted_at: Mapped[str | None] = mapped_column(String)
    accepted_answer: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    seen_in_pass: Mapped[str | None] = mapped_column(String)
    gone_since: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


class Solution(Base):
    """Accepted answers (one row per accepted post; newer cores allow several per topic)."""

    __tablename__ = "solutions"
    __table_args__ = (Index("ix_solutions_topic", "topic_id"), Index("ix_solutions_user", "user_id"))

    post_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(Integer)
    post_number: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)  # who wrote the answer
    accepter_username: Mapped[str | None] = mapped_column(String)
    accepted_at: Mapped[str | None] = mapped_column(String)  # when known (webhooks, demo server)
    seen_in_pass: Mapped[str | None] = mapped_column(String)
    gone_since: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


# ================================================================ mirror: people


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_username", "username"),
        Index("ix_users_company", "company_id"),
        Index("ix_users_trust_level", "trust_level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(collation="NOCASE"))
    name: Mapped[str | None] = mapped_column(String)
    email: Mapped[str | None] = mapped_column(String)  # only when the key may see e-mails
    trust_level: Mapped[int | None] = mapped_column(Integer)
    admin: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    moderator: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    title: Mapped[str | None] = mapped_column(String)
    created_at: Mapped[str | None] = mapped_column(String)
    last_seen_at: Mapped[str | None] = mapped_column(String)
    last_posted_at: Mapped[str | None] = mapped_column(String)
    suspended_till: Mapped[str | None] = mapped_column(String)
    silenced: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    staged: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    active: Mapped[bool] = mapped_column(default=True, server_default=text("1"))
    company_id: Mapped[int | None] = mapped_column(Integer)  # local attribution -> companies.id
    user_fields: Mapped[str] = mapped_column(Text, default="{}", server_default=text("'{}'"))  # JSON
    seen_in_pass: Mapped[str | None] = mapped_column(String)
    gone_since: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


class Badge(Base):
    __tablename__ = "badges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    description: Mapped[str | None] = mapped_column(Text)
    badge_type_id: Mapped[int | None] = mapped_column(Integer)  # 1 gold, 2 silver, 3 bronze
    badge_grouping_id: Mapped[int | None] = mapped_column(Integer)
    grant_count: Mapped[int | None] = mapped_column(Integer)
    multiple_grant: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    allow_title: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    enabled: Mapped[bool] = mapped_column(default=True, server_default=text("1"))
    listable: Mapped[bool] = mapped_column(default=True, server_default=text("1"))
    manually_grantable: Mapped[bool | None] = mapped_column()
    system: Mapped[bool | None] = mapped_column()
    icon: Mapped[str | None] = mapped_column(String)
    image_url: Mapped[str | None] = mapped_column(String)
    seen_in_pass: Mapped[str | None] = mapped_column(String)
    gone_since: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


class UserBadge(Base):
    __tablename__ = "user_badges"
    __table_args__ = (
        Index("ix_user_badges_badge_granted", "badge_id", "granted_at"),
        Index("ix_user_badges_user", "user_id", "badge_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    badge_id: Mapped[int] = mapped_column(Integer)
    granted_at: Mapped[str | None] = mapped_column(String)
    granted_by_id: Mapped[int | None] = mapped_column(Integer)
    post_id: Mapped[int | None] = mapped_column(Integer)
    topic_id: Mapped[int | None] = mapped_column(Integer)
    post_number: Mapped[int | None] = mapped_column(Integer)
    seen_in_pass: Mapped[str | None] = mapped_column(String)
    gone_since: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    full_name: Mapped[str | None] = mapped_column(String)
    title: Mapped[str | None] = mapped_column(String)
    user_count: Mapped[int | None] = mapped_column(Integer)
    automatic: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    grant_trust_level: Mapped[int | None] = mapped_column(Integer)
    visibility_level: Mapped[int | None] = mapped_column(Integer)
    primary_group: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    public_admission: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    public_exit: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    can_admin_group: Mapped[bool | None] = mapped_column()
    seen_in_pass: Mapped[str | None] = mapped_column(String)
    gone_since: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (Index("ix_group_members_user", "user_id"),)

    group_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    added_at: Mapped[str | None] = mapped_column(String)
    seen_in_pass: Mapped[str | None] = mapped_column(String)
    gone_since: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


class ReportPoint(Base):
    """One point of an admin report series (``/admin/reports/{type}.json``)."""

    __tablename__ = "report_points"

    report_type: Mapped[str] = mapped_column(String, primary_key=True)
    facet: Mapped[str] = mapped_column(String, primary_key=True)  # '' = the main series; or filter key
    date: Mapped[str] = mapped_column(String, primary_key=True)  # YYYY-MM-DD
    value: Mapped[float | None] = mapped_column(Float)
    fetched_at: Mapped[str | None] = mapped_column(String)
    change_token: Mapped[int | None] = mapped_column(Integer)  # see repo._upsert


# ================================================================ local: companies


class Company(Base):
    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint(_in("source", COMPANY_SOURCES), name="source"),
        Index("ix_companies_domain", "domain", unique=True, sqlite_where=text("domain IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    domain: Mapped[str | None] = mapped_column(String)
    source: Mapped[str] = mapped_column(String)  # 'email_domain' | 'user_field' | 'import'
    is_customer: Mapped[bool] = mapped_column(default=False, server_default=text("0"))


class CustomerAccount(Base):
    """Imported CSV of customer companies."""

    __tablename__ = "customer_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    domains: Mapped[str] = mapped_column(Text, default="[]", server_default=text("'[]'"))  # JSON list
    imported_at: Mapped[str | None] = mapped_column(String)


# ================================================================ local: derived rollups (KPI)


class UserMonth(Base):
    """Posts per member and month (post_type 1, not deleted, topic not deleted)."""

    __tablename__ = "user_month"
    __table_args__ = (Index("ix_user_month_user", "user_id", "month"),)

    month: Mapped[str] = mapped_column(String, primary_key=True)  # YYYY-MM
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    topics: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    replies: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class DailyPosts(Base):
    __tablename__ = "daily_posts"

    day: Mapped[str] = mapped_column(String, primary_key=True)  # YYYY-MM-DD (UTC)
    posts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    topics: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class QuestionFact(Base):
    """KPI rollup: one narrow row per counted topic in a category that accepts solutions.

    Maintained by triggers (migration 0002) from ``topics``, ``solutions`` and ``categories``;
    never written by application code. Durations are milliseconds; ``asker_id`` is filtered against
    the employee setting at query time.
    """

    __tablename__ = "question_facts"
    __table_args__ = (
        Index(
            "ix_question_facts_created",
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
        ),
        Index("ix_question_facts_response", "first_response_at", "asker_id"),
        # the backlog carried into a period (migration 0010), from the index alone
        Index("ix_question_facts_carried", "first_response_at", "created_at", "asker_id"),
    )

    topic_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[str] = mapped_column(String)
    created_ms: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int | None] = mapped_column(Integer)
    asker_id: Mapped[int | None] = mapped_column(Integer)
    first_response_at: Mapped[str | None] = mapped_column(String)
    ttfr_ms: Mapped[int | None] = mapped_column(Integer)
    responder_id: Mapped[int | None] = mapped_column(Integer)
    solved: Mapped[bool] = mapped_column(default=False, server_default=text("0"))
    tts_ms: Mapped[int | None] = mapped_column(Integer)
    accepted_author_id: Mapped[int | None] = mapped_column(Integer)
    views: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class KpiSnapshot(Base):
    """A KPI value frozen at month end, with the version of the definitions that produced it."""

    __tablename__ = "kpi_snapshots"

    month: Mapped[str] = mapped_column(String, primary_key=True)  # YYYY-MM
    kpi: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)
    definitions_version: Mapped[int] = mapped_column(Integer)
    frozen_at: Mapped[str] = mapped_column(String)


class Setting(Base):
    """Domain settings that must travel with the cache (key -> JSON value)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String)


class ReviewItem(Base):
    """A pending item of the review queue (``/review.json``, CONTRACT-ADDITIONS §A2), server truth
    only: what a moderator needs to decide it offline — the post, the reasons and reporters, and
    the actions the server offered for it (never hard-coded). Rows no longer pending at a complete
    pass are removed."""

    __tablename__ = "review_items"
    __table_args__ = (Index("ix_review_items_score", "score", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the reviewable id
    type: Mapped[str] = mapped_column(String)  # ReviewableFlaggedPost, ReviewableQueuedPost, …
    status: Mapped[int] = mapped_column(Integer)  # 0 pending
    score: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))
    version: Mapped[int] = mapped_column(Integer)  # the optimistic lock a perform must send
    created_at: Mapped[str | None] = mapped_column(String)
    topic_id: Mapped[int | None] = mapped_column(Integer)
    topic_title: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(Integer)
    post_id: Mapped[int | None] = mapped_column(Integer)
    post_number: Mapped[int | None] = mapped_column(Integer)
    author: Mapped[str | None] = mapped_column(String)  # username of the post's (or queued post's) author
    cooked: Mapped[str | None] = mapped_column(Text)  # the post as the server rendered it
    raw: Mapped[str | None] = mapped_column(Text)
    reasons_json: Mapped[str] = mapped_column(Text, default="[]", server_default=text("'[]'"))
    actions_json: Mapped[str] = mapped_column(Text, default="[]", server_default=text("'[]'"))
    claimed_by: Mapped[str | None] = mapped_column(String)
    claimable: Mapped[bool] = mapped_column(default=False, server_default=text("0"))  # site claims on
    seen_in_pass: Mapped[str | None] = mapped_column(String)


class TopicAssignment(Base):
    """Who holds a topic (Assign, CONTRACT-ADDITIONS §A3): a user or a group, as the community
    lists it. Server truth only: one row per assigned topic, written by ``AssignService.sync`` from
    the assigned-topics list; a topic missing from a complete walk of that list is unassigned."""

    __tablename__ = "topic_assignments"
    __table_args__ = (Index("ix_topic_assignments_user", "assigned_user"),)

    topic_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assigned_user: Mapped[str | None] = mapped_column(String)  # username
    assigned_user_id: Mapped[int | None] = mapped_column(Integer)
    assigned_group: Mapped[str | None] = mapped_column(String)  # group name (when a group holds it)
    note: Mapped[str | None] = mapped_column(Text)
    seen_in_pass: Mapped[str | None] = mapped_column(String)


class UserNote(Base):
    """A staff note on a member (User Notes, CONTRACT-ADDITIONS §A4.4), as the community listed it
    when a moderator last opened that member or a thread of theirs (read on demand, never by sync)."""

    __tablename__ = "user_notes"
    __table_args__ = (Index("ix_user_notes_user", "user_id"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)  # the plugin's 32-hex id
    user_id: Mapped[int] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String)  # username
    created_at: Mapped[str | None] = mapped_column(String)
    post_id: Mapped[int | None] = mapped_column(Integer)
    can_delete: Mapped[bool] = mapped_column(default=False, server_default=text("0"))


class UserNoteRead(Base):
    """When a member's notes were last read and what the community said: ``ok``, ``gone`` (no such
    member) or ``disabled`` (the User Notes plugin is off — the newest read decides for the site)."""

    __tablename__ = "user_note_reads"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    read_at: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String)


# ================================================================ sync cursors and the outbox (SYNC.md §6.3)


class SyncCursor(Base):
    __tablename__ = "sync_cursors"

    resource: Mapped[str] = mapped_column(String, primary_key=True)
    schema_version: Mapped[int] = mapped_column(Integer)
    hw_value: Mapped[str | None] = mapped_column(String)
    hw_id: Mapped[int | None] = mapped_column(Integer)
    pass_id: Mapped[str | None] = mapped_column(String)
    pass_target_value: Mapped[str | None] = mapped_column(String)
    pass_target_id: Mapped[int | None] = mapped_column(Integer)
    pass_page_token: Mapped[str | None] = mapped_column(String)
    pass_started_server_time: Mapped[str | None] = mapped_column(String)
    last_complete_pass_at: Mapped[str | None] = mapped_column(String)
    last_full_rescan_at: Mapped[str | None] = mapped_column(String)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)


class Outbox(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(_in("kind", OUTBOX_KINDS), name="kind"),
        CheckConstraint(_in("state", OUTBOX_STATES), name="state"),
        Index("ix_outbox_ready", "state", "next_attempt_at"),
        Index("ix_outbox_target", "target_key", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    op_uuid: Mapped[str] = mapped_column(String, unique=True)
    kind: Mapped[str] = mapped_column(String)
    target_key: Mapped[str] = mapped_column(String)
    payload_json: Mapped[str] = mapped_column(Text)
    precondition_json: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String)
    resolution: Mapped[str | None] = mapped_column(String)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    next_attempt_at: Mapped[str | None] = mapped_column(String)
    verify_after: Mapped[str | None] = mapped_column(String)
    in_flight_attempt_id: Mapped[str | None] = mapped_column(String)
    last_http_status: Mapped[int | None] = mapped_column(Integer)
    last_error_class: Mapped[str | None] = mapped_column(String)
    last_error: Mapped[str | None] = mapped_column(Text)
    result_json: Mapped[str | None] = mapped_column(Text)
    depends_on: Mapped[int | None] = mapped_column(Integer, ForeignKey("outbox.id"))
    created_by: Mapped[str] = mapped_column(String)
    created_at: Mapped[str] = mapped_column(String)
    updated_at: Mapped[str] = mapped_column(String)


class OutboxAttempt(Base):
    """Append-only audit of every send and verification."""

    __tablename__ = "outbox_attempt"
    __table_args__ = (
        CheckConstraint(_in("kind", ATTEMPT_KINDS), name="kind"),
        Index("ix_outbox_attempt_outbox", "outbox_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(Integer, ForeignKey("outbox.id"))
    attempt_id: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    started_at: Mapped[str] = mapped_column(String)
    finished_at: Mapped[str | None] = mapped_column(String)
    request_line: Mapped[str] = mapped_column(String)
    http_status: Mapped[int | None] = mapped_column(Integer)
    error_class: Mapped[str | None] = mapped_column(String)
    server_date: Mapped[str | None] = mapped_column(String)
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String)


class DayLedgerMinute(Base):
    """Requests this key sent in the last 24 hours, one row per UTC epoch minute (issue 13.4).

    Written only by adding to a row (``INSERT … ON CONFLICT DO UPDATE SET requests = requests +
    excluded.requests``), never by replacing the whole ledger: two processes spending the same key's
    day (the app and a ``modconsole sync`` in a terminal) both count (``modconsole.sync.plan``)."""

    __tablename__ = "day_ledger"

    minute: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    requests: Mapped[int] = mapped_column(Integer)


class DispatcherLease(Base):
    __tablename__ = "dispatcher_lease"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String)
    pid: Mapped[int] = mapped_column(Integer)
    heartbeat_at: Mapped[str] = mapped_column(String)


__all__ = [
    "ATTEMPT_KINDS",
    "COMPANY_SOURCES",
    "FTS_TABLES",
    "KEY_KINDS",
    "OUTBOX_KINDS",
    "OUTBOX_STATES",
    "Badge",
    "Base",
    "Category",
    "Company",
    "CustomerAccount",
    "DailyPosts",
    "DayLedgerMinute",
    "DispatcherLease",
    "Group",
    "GroupMember",
    "KpiSnapshot",
    "Outbox",
    "OutboxAttempt",
    "Post",
    "QuestionFact",
    "ReportPoint",
    "ServerClock",
    "Setting",
    "Site",
    "Solution",
    "SyncCursor",
    "Topic",
    "TopicAssignment",
    "User",
    "UserBadge",
    "UserMonth",
    "UserNote",
    "UserNoteRead",
]
