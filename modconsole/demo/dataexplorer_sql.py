"""The demo's Data Explorer engine: PostgreSQL as Discourse would run it, answered by SQLite.

Discourse's Data Explorer runs an admin's SQL in PostgreSQL against Discourse's own tables
(``shared/discourse/CONTRACT-ADDITIONS.md`` §A1). The demo community lives in SQLite with a smaller
schema of its own, so a run goes through four steps, each mirroring the plugin where it can:

1. **Parameters** (``-- [params]`` header, :class:`Param`): declared, cast and checked exactly as the
   plugin's ``Parameter`` class does (types, aliases, ``null`` prefix/suffix, ``#null``, the same
   ``ValidationError`` texts).
2. **PostgreSQL validation**: comments are stripped, declared ``:name`` markers become ``$N`` binds
   (lists expand to ``$1, $2``), the SQL is put in the plugin's wrapper
   ``WITH query AS (…) SELECT * FROM query LIMIT n`` and parsed by ``pglast`` (PostgreSQL's own
   parser): what PostgreSQL would reject as a syntax error is rejected here with its message. Writes
   and ``FOR UPDATE`` fail as in the plugin's read-only transaction.
3. **Translation** of the parsed statement to SQLite with ``sqlglot`` plus the rewrites below.
4. **Execution** on a read-only connection where Discourse's tables are TEMP views over the store
   (:data:`VIEWS`), under the statement timeout.

The PostgreSQL subset the demo answers (anything else valid in PostgreSQL is answered with a 422 in
the plugin's error body, naming what the demo lacks):

* ``SELECT`` with joins, sub-queries, CTEs (``WITH``, ``WITH RECURSIVE``), ``UNION``/``INTERSECT``/
  ``EXCEPT``, ``GROUP BY``/``HAVING``, window functions, ``DISTINCT ON``, ``ORDER BY … NULLS
  FIRST/LAST``, ``LIMIT``/``OFFSET``, aggregate ``FILTER (WHERE …)``, ``CASE``, ``COALESCE``,
  ``NULLIF``, ``GREATEST``/``LEAST``, ``string_agg``, ``count``/``sum``/``min``/``max``/``avg``;
* ``LIKE`` (case-sensitive, as in PostgreSQL) and ``ILIKE``; ``~``/``~*`` regular expressions (Python's
  ``re``); ``x = ANY(ARRAY[…])``;
* casts ``::int``/``::integer``/``::bigint``/``::text``/``::varchar``/``::float``/``::numeric``/
  ``::date``/``::timestamp``; ``now()`` and the standard current timestamp and date keywords (on the
  demo's clock); ``± INTERVAL '<n> <unit>'``; ``date_trunc``; ``extract``/``date_part``; ``pg_sleep``.
* Values: integers and floats as JSON numbers, booleans as ``true``/``false`` (columns whose type is
  known from the views or the expression), timestamps as ISO-8601 UTC strings with milliseconds
  (``2026-03-01T14:05:09.123Z``, as the demo's REST API sends them), dates as ``YYYY-MM-DD``.
* Not supported: JSON operators and functions, arrays as values, ``generate_series``, full-text
  search, ``age()``, PostgreSQL system catalogs, tables the views below do not provide.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from modconsole import clock
from modconsole.demo.core import iso, tag_id

# ---------------------------------------------------------------- errors


class QueryError(Exception):
    """A run that fails: ``message`` is the plugin's error text (``<class>: <message>``), answered 422."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def validation_error(text: str) -> QueryError:
    return QueryError(f"DiscourseDataExplorer::ValidationError: {text}")


def pg_error(pg_class: str, text: str) -> QueryError:
    """The text of a PostgreSQL error as the plugin reports it (``PG::<Class>: ERROR:  <text>``)."""
    return QueryError(f"PG::{pg_class}: ERROR:  {text}\n")


SEMICOLON_ERROR = "Remove the semicolons from the query."

# ---------------------------------------------------------------- the views: Discourse's schema


@dataclass(frozen=True)
class View:
    name: str
    columns: tuple[tuple[str, str, str], ...]  # (column, PostgreSQL data_type, SQLite expression)
    source: str  # FROM … (tables of the attached store are in schema ``demo``)


def _v(name: str, source: str, *cols: tuple[str, str, str]) -> View:
    return View(name, cols, source)


_NOW_DAY = "CAST(julianday(substr({c}, 1, 10)) AS INTEGER)"

VIEWS_COMMON: tuple[View, ...] = (
    _v(
        "users",
        "demo.users u WHERE u.deleted_at IS NULL",
        ("id", "serial", "u.id"),
        ("username", "character varying", "u.username"),
        ("created_at", "timestamp", "u.created_at"),
        ("updated_at", "timestamp", "COALESCE(u.last_seen_at, u.created_at)"),
        ("name", "character varying", "u.name"),
        ("last_posted_at", "timestamp", "u.last_posted_at"),
        ("active", "boolean", "u.active"),
        ("username_lower", "character varying", "lower(u.username)"),
        ("last_seen_at", "timestamp", "u.last_seen_at"),
        ("admin", "boolean", "u.admin"),
        ("trust_level", "integer", "u.trust_level"),
        ("approved", "boolean", "1"),
        ("moderator", "boolean", "u.moderator"),
        ("title", "character varying", "u.title"),
        ("locale", "character varying", "NULL"),
        ("primary_group_id", "integer", "NULL"),
        ("staged", "boolean", "u.staged"),
        ("suspended_till", "timestamp", "u.suspended_till"),
        ("silenced_till", "timestamp", "u.silenced_till"),
        ("manual_locked_trust_level", "integer", "u.manual_locked_trust_level"),
        ("uploaded_avatar_id", "integer", "NULL"),
        ("ip_address", "inet", "NULL"),
    ),
    _v(
        "user_emails",
        "demo.users u WHERE u.deleted_at IS NULL",
        ("id", "serial", "u.id"),
        ("user_id", "integer", "u.id"),
        ("email", "character varying", "u.email"),
        ("primary", "boolean", "1"),
        ("created_at", "timestamp", "u.created_at"),
        ("updated_at", "timestamp", "u.created_at"),
        ("normalized_email", "character varying", "lower(u.email)"),
    ),
    _v(
        "categories",
        "demo.categories c",
        ("id", "serial", "c.id"),
        ("name", "character varying", "c.name"),
        ("color", "character varying", "c.color"),
        (
            "topic_count",
            "integer",
            "(SELECT count(*) FROM demo.topics t WHERE t.category_id = c.id "
            "AND t.deleted_at IS NULL AND t.archetype = 'regular')",
        ),
        (
            "created_at",
            "timestamp",
            "(SELECT min(t.created_at) FROM demo.topics t WHERE t.category_id = c.id)",
        ),
        ("user_id", "integer", "-1"),
        ("slug", "character varying", "c.slug"),
        ("description", "text", "c.description"),
        ("text_color", "character varying", "c.text_color"),
        ("read_restricted", "boolean", "c.read_restricted"),
        ("position", "integer", "c.position"),
        ("parent_category_id", "integer", "c.parent_category_id"),
    ),
    _v(
        "category_groups",
        "demo.categories c WHERE c.read_restricted",
        ("id", "serial", "c.id"),
        ("category_id", "integer", "c.id"),
        ("group_id", "integer", "3"),  # the automatic 'staff' group: the demo's restricted = staff only
        ("permission_type", "integer", "1"),
    ),
    _v(
        "category_custom_fields",
        "demo.categories c WHERE c.enable_accepted_answers",
        ("id", "serial", "c.id"),
        ("category_id", "integer", "c.id"),
        ("name", "character varying", "'enable_accepted_answers'"),
        ("value", "text", "'true'"),
    ),
    _v(
        "topics",
        "demo.topics t",
        ("id", "serial", "t.id"),
        ("title", "character varying", "t.title"),
        ("last_posted_at", "timestamp", "t.last_posted_at"),
        ("created_at", "timestamp", "t.created_at"),
        ("updated_at", "timestamp", "t.bumped_at"),
        ("views", "integer", "t.views"),
        ("posts_count", "integer", "t.posts_count"),
        ("user_id", "integer", "t.user_id"),
        (
            "last_post_user_id",
            "integer",
            "(SELECT p.user_id FROM demo.posts p WHERE p.topic_id = t.id "
            "AND p.post_number = t.highest_post_number)",
        ),
        ("reply_count", "integer", "t.reply_count"),
        ("highest_post_number", "integer", "t.highest_post_number"),
        ("like_count", "integer", "t.like_count"),
        ("category_id", "integer", "t.category_id"),
        ("visible", "boolean", "t.visible"),
        ("deleted_at", "timestamp", "t.deleted_at"),
        ("deleted_by_id", "integer", "t.deleted_by_id"),
        ("pinned_at", "timestamp", "CASE WHEN t.pinned THEN t.created_at END"),
        ("closed", "boolean", "t.closed"),
        ("archived", "boolean", "t.archived"),
        ("bumped_at", "timestamp", "t.bumped_at"),
        ("archetype", "character varying", "t.archetype"),
        ("pinned_globally", "boolean", "t.pinned_globally"),
        ("slug", "character varying", "t.slug"),
        ("fancy_title", "character varying", "t.title"),
        ("excerpt", "character varying", "NULL"),
        ("subtype", "character varying", "NULL"),
        ("locale", "character varying", "NULL"),
    ),
    _v(
        "posts",
        "demo.posts p",
        ("id", "serial", "p.id"),
        ("user_id", "integer", "p.user_id"),
        ("topic_id", "integer", "p.topic_id"),
        ("post_number", "integer", "p.post_number"),
        ("raw", "text", "p.raw"),
        ("cooked", "text", "p.cooked"),
        ("created_at", "timestamp", "p.created_at"),
        ("updated_at", "timestamp", "p.updated_at"),
        ("reply_to_post_number", "integer", "p.reply_to_post_number"),
        ("reply_count", "integer", "p.reply_count"),
        ("quote_count", "integer", "0"),
        ("deleted_at", "timestamp", "p.deleted_at"),
        ("like_count", "integer", "p.like_count"),
        ("reads", "integer", "p.reads"),
        ("sort_order", "integer", "p.post_number"),
        ("last_editor_id", "integer", "p.user_id"),
        ("hidden", "boolean", "p.hidden"),
        ("hidden_reason_id", "integer", "NULL"),
        ("hidden_at", "timestamp", "NULL"),
        ("version", "integer", "p.version"),
        ("public_version", "integer", "p.version"),
        ("last_version_at", "timestamp", "p.updated_at"),
        (
            "user_deleted",
            "boolean",
            "(SELECT u.deleted_at IS NOT NULL FROM demo.users u WHERE u.id = p.user_id)",
        ),
        (
            "reply_to_user_id",
            "integer",
            "(SELECT r.user_id FROM demo.posts r WHERE r.topic_id = p.topic_id "
            "AND r.post_number = p.reply_to_post_number)",
        ),
        ("wiki", "boolean", "0"),
        ("post_type", "integer", "p.post_type"),
        ("action_code", "character varying", "p.action_code"),
        ("deleted_by_id", "integer", "p.deleted_by_id"),
        ("edit_reason", "character varying", "p.edit_reason"),
        ("word_count", "integer", "length(trim(p.raw)) - length(replace(trim(p.raw), ' ', '')) + 1"),
        ("locked_by_id", "integer", "NULL"),
    ),
    _v(
        "post_actions",
        "demo.likes l",
        ("id", "serial", "l.post_id * 1000000 + l.user_id"),
        ("post_id", "integer", "l.post_id"),
        ("user_id", "integer", "l.user_id"),
        ("post_action_type_id", "integer", "2"),
        ("deleted_at", "timestamp", "NULL"),
        ("created_at", "timestamp", "l.created_at"),
        ("updated_at", "timestamp", "l.created_at"),
        ("deleted_by_id", "integer", "NULL"),
        ("staff_took_action", "boolean", "0"),
        ("targets_topic", "boolean", "0"),
    ),
    _v(
        "tags",
        "demo.topics t, json_each(t.tags) j GROUP BY j.value",
        ("id", "serial", "demo_tag_id(j.value)"),
        ("name", "character varying", "j.value"),
        ("created_at", "timestamp", "min(t.created_at)"),
        ("updated_at", "timestamp", "max(t.created_at)"),
        ("staff_topic_count", "integer", "count(*)"),
        ("public_topic_count", "integer", "count(*)"),
    ),
    _v(
        "topic_tags",
        "demo.topics t, json_each(t.tags) j",
        ("id", "serial", "t.id * 100 + j.key"),
        ("topic_id", "integer", "t.id"),
        ("tag_id", "integer", "demo_tag_id(j.value)"),
        ("created_at", "timestamp", "t.created_at"),
        ("updated_at", "timestamp", "t.created_at"),
    ),
    _v(
        "badge_types",
        "(SELECT 1 AS id, 'Gold' AS name, 9 AS sort_order UNION ALL SELECT 2, 'Silver', 8 "
        "UNION ALL SELECT 3, 'Bronze', 7) bt",
        ("id", "serial", "bt.id"),
        ("name", "character varying", "bt.name"),
        ("sort_order", "integer", "bt.sort_order"),
    ),
    _v(
        "badge_groupings",
        "demo.badge_groupings g",
        ("id", "serial", "g.id"),
        ("name", "character varying", "g.name"),
        ("description", "text", "g.description"),
        ("position", "integer", "g.position"),
    ),
    _v(
        "badges",
        "demo.badges b",
        ("id", "serial", "b.id"),
        ("name", "character varying", "b.name"),
        ("description", "text", "b.description"),
        ("badge_type_id", "integer", "b.badge_type_id"),
        ("grant_count", "integer", "(SELECT count(*) FROM demo.user_badges ub WHERE ub.badge_id = b.id)"),
        ("allow_title", "boolean", "b.allow_title"),
        ("multiple_grant", "boolean", "b.multiple_grant"),
        ("icon", "character varying", "b.icon"),
        ("listable", "boolean", "b.listable"),
        ("target_posts", "boolean", "b.target_posts"),
        ("query", "text", "b.query"),
        ("enabled", "boolean", "b.enabled"),
        ("auto_revoke", "boolean", "b.auto_revoke"),
        ("badge_grouping_id", "integer", "b.badge_grouping_id"),
        ("trigger", "integer", "b.trigger"),
        ("show_posts", "boolean", "b.show_posts"),
        ("system", "boolean", "b.system"),
        ("long_description", "text", "b.long_description"),
        ("image_upload_id", "integer", "NULL"),
    ),
    _v(
        "user_badges",
        "demo.user_badges ub",
        ("id", "serial", "ub.id"),
        ("badge_id", "integer", "ub.badge_id"),
        ("user_id", "integer", "ub.user_id"),
        ("granted_at", "timestamp", "ub.granted_at"),
        ("granted_by_id", "integer", "ub.granted_by_id"),
        ("post_id", "integer", "ub.post_id"),
        ("notification_id", "integer", "NULL"),
        ("seq", "integer", "0"),
        ("featured_rank", "integer", "NULL"),
        ("created_at", "timestamp", "ub.granted_at"),
        ("is_favorite", "boolean", "NULL"),
    ),
    _v(
        "groups",
        "demo.groups g",
        ("id", "serial", "g.id"),
        ("name", "character varying", "g.name"),
        ("created_at", "timestamp", "NULL"),
        ("automatic", "boolean", "g.automatic"),
        ("user_count", "integer", "(SELECT count(*) FROM demo.group_users gu WHERE gu.group_id = g.id)"),
        ("automatic_membership_email_domains", "text", "NULL"),
        ("primary_group", "boolean", "g.primary_group"),
        ("title", "character varying", "g.title"),
        ("grant_trust_level", "integer", "g.grant_trust_level"),
        ("visibility_level", "integer", "g.visibility_level"),
        ("public_admission", "boolean", "g.public_admission"),
        ("public_exit", "boolean", "g.public_exit"),
        ("bio_raw", "text", "g.bio_raw"),
        ("full_name", "character varying", "g.full_name"),
        ("flair_icon", "character varying", "g.flair_icon"),
        ("flair_bg_color", "character varying", "g.flair_bg_color"),
        ("flair_color", "character varying", "g.flair_color"),
        ("members_visibility_level", "integer", "g.members_visibility_level"),
    ),
    _v(
        "group_users",
        "demo.group_users gu",
        ("id", "serial", "gu.group_id * 10000000 + gu.user_id"),
        ("group_id", "integer", "gu.group_id"),
        ("user_id", "integer", "gu.user_id"),
        ("created_at", "timestamp", "gu.created_at"),
        ("updated_at", "timestamp", "gu.created_at"),
        ("owner", "boolean", "gu.owner"),
        ("notification_level", "integer", "3"),
        ("first_unread_pm_at", "timestamp", "gu.created_at"),
    ),
    # Discourse keeps only the settings an admin changed (no row: the default applies); the demo's
    # are the ones its store records as changed from the demo's own defaults, which for the settings
    # a query asks about here (moderators_view_emails, moderators_manage_groups: off) are
    # Discourse's. Booleans are stored as 't'/'f' with data_type 5, as SiteSetting stores them.
    _v(
        "site_settings",
        "demo.meta m, json_each(m.value) j WHERE m.key = 'site_settings'",
        ("id", "serial", "j.id"),
        ("name", "character varying", "j.key"),
        (
            "data_type",
            "integer",
            "CASE j.type WHEN 'true' THEN 5 WHEN 'false' THEN 5 WHEN 'integer' THEN 3 "
            "WHEN 'real' THEN 4 WHEN 'array' THEN 8 ELSE 1 END",
        ),
        (
            "value",
            "text",
            "CASE j.type WHEN 'true' THEN 't' WHEN 'false' THEN 'f' WHEN 'null' THEN NULL "
            "ELSE CAST(j.value AS TEXT) END",
        ),
        ("created_at", "timestamp", "NULL"),
        ("updated_at", "timestamp", "NULL"),
    ),
    _v(
        "user_visits",
        "demo.user_visits v",
        ("id", "serial", "v.user_id * 10000000 + " + _NOW_DAY.format(c="v.visited_at")),
        ("user_id", "integer", "v.user_id"),
        ("visited_at", "date", "v.visited_at"),
        ("posts_read", "integer", "v.posts_read"),
        ("mobile", "boolean", "0"),
        ("time_read", "integer", "0"),
    ),
)

SOLVED_SCHEMAS = ("topic_answers", "solved_topics", "custom_fields")
"""How accepted answers are stored, by Discourse version (§A1.8): ``topic_answers`` (from 2026-04, the
newest core the demo claims to be: ``discourse_solved_solved_topics`` + ``discourse_solved_topic_answers``),
``solved_topics`` (2025-03 … 2026-03: ``discourse_solved_solved_topics`` only), ``custom_fields`` (up to
early 2025: ``topic_custom_fields`` rows named ``accepted_answer_post_id``)."""

_SOLVED_TOPICS = _v(
    "discourse_solved_solved_topics",
    "demo.solutions s",
    ("id", "serial", "s.topic_id"),
    ("topic_id", "integer", "s.topic_id"),
    ("answer_post_id", "integer", "s.post_id"),
    ("accepter_user_id", "integer", "s.accepter_id"),
    ("topic_timer_id", "integer", "NULL"),
    ("created_at", "timestamp", "s.accepted_at"),
    ("updated_at", "timestamp", "s.accepted_at"),
)
_TOPIC_ANSWERS = _v(
    "discourse_solved_topic_answers",
    "demo.solutions s",
    ("id", "serial", "s.topic_id"),
    ("solved_topic_id", "integer", "s.topic_id"),
    ("answer_post_id", "integer", "s.post_id"),
    ("accepter_user_id", "integer", "s.accepter_id"),
    ("created_at", "timestamp", "s.accepted_at"),
    ("updated_at", "timestamp", "s.accepted_at"),
)


def _topic_custom_fields(with_answers: bool) -> View:
    return _v(
        "topic_custom_fields",
        "demo.solutions s" + ("" if with_answers else " WHERE 0"),
        ("id", "serial", "s.topic_id"),
        ("topic_id", "integer", "s.topic_id"),
        ("name", "character varying", "'accepted_answer_post_id'"),
        ("value", "text", "CAST(s.post_id AS TEXT)"),
        ("created_at", "timestamp", "s.accepted_at"),
        ("updated_at", "timestamp", "s.accepted_at"),
    )


def views_for(solved_schema: str) -> tuple[View, ...]:
    if solved_schema not in SOLVED_SCHEMAS:
        raise ValueError(f"solved schema must be one of {', '.join(SOLVED_SCHEMAS)}")
    solved: tuple[View, ...] = {
        "topic_answers": (_SOLVED_TOPICS, _TOPIC_ANSWERS, _topic_custom_fields(False)),
        "solved_topics": (_SOLVED_TOPICS, _topic_custom_fields(False)),
        "custom_fields": (_topic_custom_fields(True),),
    }[solved_schema]
    return VIEWS_COMMON + solved


def schema_json(solved_schema: str) -> dict[str, list[dict[str, Any]]]:
    """``GET …/schema.json``: ``{table: [{column_name, data_type, primary?, is_nullable?}]}`` (DE-RUN)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for view in sorted(views_for(solved_schema), key=lambda v: v.name):
        cols = []
        for name, typ, _ in view.columns:
            col: dict[str, Any] = {"column_name": name, "data_type": typ}
            if name == "id":
                col["primary"] = True
            else:
                col["is_nullable"] = True
            cols.append(col)
        out[view.name] = cols
    return out


_SQLGLOT_TYPES = {
    "serial": "INT",
    "integer": "INT",
    "bigint": "BIGINT",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
}


def _type_schema(views: tuple[View, ...]) -> dict[str, object]:
    return {v.name: {c: _SQLGLOT_TYPES.get(t, "TEXT") for c, t, _ in v.columns} for v in views}


def _view_ddl(view: View) -> str:
    cols = ", ".join(f'{expr} AS "{name}"' for name, _, expr in view.columns)
    return f'CREATE TEMP VIEW "{view.name}" AS SELECT {cols} FROM {view.source}'


# ---------------------------------------------------------------- parameters (DE-PARAM)

TYPES = (
    "int",
    "bigint",
    "boolean",
    "string",
    "date",
    "time",
    "datetime",
    "double",
    "user_id",
    "post_id",
    "topic_id",
    "category_id",
    "group_id",
    "badge_id",
    "int_list",
    "string_list",
    "user_list",
    "group_list",
    "current_user_id",
)
TYPE_ALIASES = {"integer": "int", "text": "string", "timestamp": "datetime"}
_PARAM_LINE = re.compile(r"^\s*--\s*([a-zA-Z_ ]+)\s*:([a-z_]+)\s*(?:=\s+(.*)\s*)?$")
_PARAMS_HEADER = re.compile(r"^\s*--\s*\[params\]\s*$")
_NULLABLE = re.compile(r"^(null)?(.*?)(null)?$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Param:
    identifier: str
    type: str
    default: str | None
    nullable: bool

    def to_hash(self) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "type": self.type,
            "default": self.default,
            "nullable": self.nullable,
        }


def parse_params(sql: str) -> list[Param]:
    """``Parameter.create_from_sql`` (non-strict, as at run time: a bad declaration is dropped)."""
    out: list[Param] = []
    in_params = False
    for line in sql.split("\n"):
        line = line.rstrip("\r")
        if not in_params:
            if _PARAMS_HEADER.match(line):
                in_params = True
            continue
        m = _PARAM_LINE.match(line)
        if m:
            typ, ident, default = m.group(1), m.group(2), m.group(3)
            nm = _NULLABLE.match(typ)
            nullable = bool(nm and (nm.group(1) or nm.group(3)))
            typ = (nm.group(2) if nm else typ).strip()
            typ = TYPE_ALIASES.get(typ, typ)
            if typ in TYPES:
                out.append(Param(ident, typ, default, nullable))
        elif line and not line.strip():
            continue
        else:
            break
    return out


def param_info(sql: str) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for p in parse_params(sql):
        if p.identifier not in seen:
            seen.add(p.identifier)
            out.append(p.to_hash())
    return out


def _ruby_to_i(text: str) -> int:
    m = re.match(r"\s*([-+]?\d+)", text)
    return int(m.group(1)) if m else 0


class Lookup:
    """Finds users, posts, … for the ``*_id`` parameter types (a connection to the store's own tables)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def one(self, sql: str, *args: Any) -> Any:
        row = self.con.execute(sql, args).fetchone()
        return None if row is None else row[0]


def _invalid(p: Param, text: str, msg: str | None = None) -> QueryError:
    if msg:
        return validation_error(f"'{text}' is an invalid {p.type} - {msg}")
    return validation_error(f"'{text}' is an invalid value for {p.type}")


def _parse_time(p: Param, text: str) -> datetime:
    try:
        dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace(" UTC", "+00:00"))
    except ValueError:
        raise _invalid(p, text, "invalid date") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def cast_param(p: Param, raw: str | None, look: Lookup) -> Any:
    """``Parameter#cast_to_ruby``: the value a declared parameter binds, or a ValidationError."""
    text = p.default if raw is None else raw
    if text is None or not text.strip():
        if p.nullable:
            return None
        raise validation_error(f"Missing parameter {p.identifier} of type {p.type}")
    if text.lower() == "#null":
        return None
    t = p.type
    if t in ("int", "bigint"):
        if not re.fullmatch(r"-?\d+", text):
            raise _invalid(p, text, "Not an integer")
        return int(text)
    if t == "boolean":
        return bool(re.search(r"t|true|y|yes|1", text, re.IGNORECASE))
    if t == "string":
        return text
    if t == "date":
        try:
            return date.fromisoformat(text.strip()[:10])
        except ValueError:
            raise _invalid(p, text, "invalid date") from None
    if t in ("time", "datetime"):
        return _parse_time(p, text)
    if t == "double":
        if re.fullmatch(r"-?\d*\.?\d+", text.strip()):
            return float(text)
        m = re.fullmatch(r"(-?)Inf(inity)?", text, re.IGNORECASE)
        if m:
            return -math.inf if m.group(1) else math.inf
        if re.fullmatch(r"-?NaN", text, re.IGNORECASE):
            return math.nan
        raise _invalid(p, text)
    if t == "category_id":
        if "/" in text:
            parent_name, child_name = text.rsplit("/", 1)
            parent = look.one(
                "SELECT id FROM categories WHERE parent_category_id IS NULL AND (slug = ? OR name = ?)",
                parent_name,
                parent_name,
            )
            if parent is None:
                raise _invalid(p, text, f"Could not find category named {parent_name}")
            child = look.one(
                "SELECT id FROM categories WHERE parent_category_id = ? AND (slug = ? OR name = ?)",
                parent,
                child_name,
                child_name,
            )
            if child is None:
                raise _invalid(p, text, f"Could not find subcategory of {parent_name} named {child_name}")
            return child
        found = look.one(
            "SELECT id FROM categories WHERE id = ? UNION ALL SELECT id FROM categories WHERE slug = ? "
            "UNION ALL SELECT id FROM categories WHERE name = ? LIMIT 1",
            _ruby_to_i(text),
            text,
            text,
        )
        if found is None:
            raise _invalid(p, text, f"Could not find category named {text}")
        return found
    if t in ("user_id", "post_id", "topic_id", "group_id", "badge_id"):
        digits = re.sub(r"[ _]", "", text)
        klass = {
            "user_id": "User",
            "post_id": "Post",
            "topic_id": "Topic",
            "group_id": "Group",
            "badge_id": "Badge",
        }[t]
        if re.fullmatch(r"-?\d+", digits):
            table = {
                "User": "users WHERE deleted_at IS NULL AND",
                "Post": "posts WHERE",
                "Topic": "topics WHERE",
                "Group": "groups WHERE",
                "Badge": "badges WHERE",
            }[klass]
            found = look.one(f"SELECT id FROM {table} id = ?", int(digits))
            if found is None:
                raise _invalid(p, text, f"The specified {klass} was not found")
            return found
        if t == "user_id":
            found = _user_by_name_or_email(look, text)
            if found is None:
                raise _invalid(p, text, f"The user named {text} was not found")
            return found
        if t == "post_id":
            m = re.search(r"/t/[^/]+/(\d+)(\?u=.*)?$", text)
            if m:
                found = look.one(
                    "SELECT id FROM posts WHERE topic_id = ? AND post_number = 1", int(m.group(1))
                )
                if found is None:
                    raise _invalid(p, text, f"The first post for topic:{m.group(1)} was not found")
                return found
            m = re.search(r"(\d+)/(\d+)(\?u=.*)?$", text)
            if m:
                found = look.one(
                    "SELECT id FROM posts WHERE topic_id = ? AND post_number = ?",
                    int(m.group(1)),
                    int(m.group(2)),
                )
                if found is None:
                    raise _invalid(
                        p, text, f"The post at topic:{m.group(1)} post_number:{m.group(2)} was not found"
                    )
                return found
            return None
        if t == "topic_id":
            m = re.search(r"/t/[^/]+/(\d+)", text)
            if m:
                found = look.one("SELECT id FROM topics WHERE id = ?", int(m.group(1)))
                if found is None:
                    raise _invalid(p, text, f"The topic with id {m.group(1)} was not found")
                return found
            return None
        if t == "group_id":
            found = look.one("SELECT id FROM groups WHERE name = ?", text)
            if found is None:
                raise _invalid(p, text, f"The group named {text} was not found")
            return found
        raise _invalid(p, text)
    if t in ("int_list", "string_list", "user_list", "group_list"):
        parts = text.split(",")
        while parts and parts[-1] == "":  # Ruby's String#split drops trailing empty fields
            parts.pop()
        if not parts:
            raise _invalid(p, text, "can't be empty")
        if t == "int_list":
            return [None if s.lower() == "#null" else _ruby_to_i(s) for s in parts]
        if t == "string_list":
            return [None if s.lower() == "#null" else s for s in parts]
        if t == "user_list":
            ids = []
            for s in parts:
                uid = _user_by_name_or_email(look, s)
                if uid is None:
                    raise _invalid(p, text, f"The user named {s} was not found")
                ids.append(uid)
            return ids
        names = []
        for s in parts:
            name = look.one("SELECT name FROM groups WHERE name = ?", s)
            if name is None:
                raise _invalid(p, text, f"The group with id {text} was not found")
            names.append(name)
        return names
    raise _invalid(p, text)


def _user_by_name_or_email(look: Lookup, text: str) -> Any:
    return look.one(
        "SELECT id FROM users WHERE deleted_at IS NULL AND (username = ? OR email = ?)", text, text
    )


def cast_params(
    params: list[Param], supplied: dict[str, Any], look: Lookup, current_user_id: int | None
) -> dict[str, Any]:
    """``Query#cast_params``: every declared parameter's value; undeclared keys are ignored."""
    values: dict[str, Any] = {}
    for p in params:
        if p.identifier in values:
            continue
        if p.type == "current_user_id":
            values[p.identifier] = current_user_id
            continue
        raw = supplied.get(p.identifier)
        if raw is not None and not isinstance(raw, str):
            raw = ("true" if raw else "false") if isinstance(raw, bool) else str(raw)
        values[p.identifier] = cast_param(p, raw, look)
    return values


# ---------------------------------------------------------------- SQL text (DE-RUN)

_PARAM_MARKER = re.compile(r"(?<!:):([a-zA-Z_][a-zA-Z0-9_]*)")
_SEGMENT = re.compile(
    r"(?P<line>--[^\n]*)"
    r"|(?P<block>/\*)"
    r"|(?P<string>')"
    r'|(?P<ident>")'
    r"|(?P<dollar>\$\w*\$)"
)


def _segments(sql: str) -> Iterator[tuple[str, str]]:
    """``scan_sql_segments``: (kind, text) spans by PostgreSQL's lexical rules."""
    pos, n = 0, len(sql)
    while pos < n:
        m = _SEGMENT.search(sql, pos)
        if m is None:
            yield "code", sql[pos:]
            return
        if m.start() > pos:
            yield "code", sql[pos : m.start()]
        start = m.start()
        kind = m.lastgroup
        if kind == "line":
            yield "line_comment", m.group()
            pos = m.end()
        elif kind == "block":
            depth, i = 1, m.end()
            while depth > 0:
                nxt = re.compile(r"\*/|/\*").search(sql, i)
                if nxt is None:
                    i = n
                    break
                depth += 1 if nxt.group() == "/*" else -1
                i = nxt.end()
            yield "block_comment", sql[start:i]
            pos = i
        elif kind == "string":
            e_string = bool(re.search(r"(?<![\w\"])[eE]\Z", sql[:start]))
            pat = re.compile(r"'(?:''|[^'\\]|\\.)*'" if e_string else r"'(?:''|[^'])*'", re.S)
            sm = pat.match(sql, start)
            end = sm.end() if sm else n
            yield "string", sql[start:end]
            pos = end
        elif kind == "ident":
            im = re.compile(r'"(?:""|[^"])*"').match(sql, start)
            end = im.end() if im else n
            yield "identifier", sql[start:end]
            pos = end
        else:
            tag = re.escape(m.group())
            dm = re.compile(rf"{tag}.*?{tag}", re.S).match(sql, start)
            end = dm.end() if dm else n
            yield "dollar_quote", sql[start:end]
            pos = end


def strip_comments(sql: str) -> str:
    out = []
    for kind, text in _segments(sql):
        if kind == "line_comment":
            continue
        out.append(" " if kind == "block_comment" else text)
    return "".join(out)


def rewrite_to_binds(sql: str, values: dict[str, Any]) -> tuple[str, list[Any]]:
    """Declared ``:name`` markers in code position become ``$N`` (lists ``$1, $2``, empty/None → NULL)."""
    if not values:
        return sql, []
    binds: list[Any] = []
    slots: dict[str, str] = {}

    def placeholders(value: Any) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, list):
            if not value:
                return "NULL"
            parts = []
            for v in value:
                if v is None:
                    parts.append("NULL")
                else:
                    binds.append(v)
                    parts.append(f"${len(binds)}")
            return ", ".join(parts)
        binds.append(value)
        return f"${len(binds)}"

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in values:
            return m.group()
        if name not in slots:
            slots[name] = placeholders(values[name])
        return slots[name]

    out = []
    for kind, text in _segments(sql):
        if kind == "code":
            out.append(_PARAM_MARKER.sub(sub, text))
        elif kind == "dollar_quote" and any(n in values for n in _PARAM_MARKER.findall(text)):
            raise validation_error("Parameters cannot be used inside dollar-quoted literals")
        else:
            out.append(text)
    return "".join(out), binds


def wrap(sql: str, limit: int) -> str:
    return f"WITH query AS (\n{sql}\n) SELECT * FROM query\nLIMIT {limit}"


def _sqlite_bind(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return None
    return value


# ---------------------------------------------------------------- PostgreSQL → SQLite


def _syntax_error(exc: Exception, sql: str) -> QueryError:
    msg = str(exc.args[0]) if exc.args else str(exc)
    loc = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
    msg = re.sub(r", at index \d+$", "", msg)
    if loc is not None:
        line_no = sql.count("\n", 0, loc) + 1
        line = sql.split("\n")[line_no - 1]
        return QueryError(f"PG::SyntaxError: ERROR:  {msg}\nLINE {line_no}: {line}\n")
    return pg_error("SyntaxError", msg)


def _interval_text(node: Any) -> str:
    from sqlglot import exp

    this = node.this
    text = this.name if isinstance(this, exp.Literal) else this.sql()
    unit = node.args.get("unit")
    return f"{text} {unit.name if unit is not None else ''}".strip()


@functools.cache
def _sqlite_dialect() -> Any:
    """SQLite with identifiers quoted in backticks: SQLite reads an unknown "double-quoted" name as a
    string literal (so a misspelt column would not fail as in PostgreSQL), never a backticked one."""
    from sqlglot.dialects.sqlite import SQLite

    class DemoSQLite(SQLite):
        class Tokenizer(SQLite.Tokenizer):
            IDENTIFIERS = ["`", '"', ("[", "]")]  # noqa: RUF012 - sqlglot's own class attribute

    return DemoSQLite


def _cte_body(tree: Any) -> Any:
    """The first SELECT of the wrapper's ``query`` CTE (the left-most one of a UNION)."""
    from sqlglot import exp

    with_ = tree.args.get("with_") or tree.args.get("with")
    if with_ is None or not with_.expressions:
        return None
    body = with_.expressions[0].this
    while isinstance(body, exp.SetOperation):
        body = body.this
    return body if isinstance(body, exp.Select) else None


def _distinct_on(select: Any) -> Any:
    """``SELECT DISTINCT ON (k) a, b … ORDER BY o LIMIT n`` as a ROW_NUMBER() filter SQLite can run."""
    from sqlglot import exp

    on = select.args["distinct"].args.get("on")
    keys = list(on.expressions) if isinstance(on, exp.Tuple) else [on]
    if any(isinstance(e, exp.Star) or (isinstance(e, exp.Column) and e.is_star) for e in select.expressions):
        raise pg_error("FeatureNotSupported", "the demo supports DISTINCT ON only with named columns")
    inner = select.copy()
    for arg in ("distinct", "order", "limit", "offset"):
        inner.set(arg, None)
    order = select.args.get("order")
    ordered = list(order.expressions) if order is not None else []
    names = []
    projections = []
    for i, item in enumerate(inner.expressions):
        name = item.alias_or_name if isinstance(item, exp.Alias | exp.Column) else _pg_name(item)
        names.append(name)
        projections.append(exp.alias_(item.unalias() if isinstance(item, exp.Alias) else item, f"_do_c{i}"))
    window = exp.Window(
        this=exp.RowNumber(),
        partition_by=[k.copy() for k in keys],
        order=exp.Order(expressions=[o.copy() for o in ordered]) if ordered else None,
    )
    projections.append(exp.alias_(window, "_do_rn"))
    outer_order = []
    for j, o in enumerate(ordered):
        projections.append(exp.alias_(o.this.copy(), f"_do_o{j}"))
        outer_order.append(
            exp.Ordered(
                this=exp.column(f"_do_o{j}"), desc=o.args.get("desc"), nulls_first=o.args.get("nulls_first")
            )
        )
    inner.set("expressions", projections)
    outer = exp.select(*[exp.alias_(exp.column(f"_do_c{i}"), n, quoted=True) for i, n in enumerate(names)])
    outer = outer.from_(exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("_do"))))
    outer = outer.where(exp.EQ(this=exp.column("_do_rn"), expression=exp.Literal.number(1)))
    if outer_order:
        outer.set("order", exp.Order(expressions=outer_order))
    for arg in ("limit", "offset"):
        if select.args.get(arg) is not None:
            outer.set(arg, select.args[arg].copy())
    return outer


def _translate(tree: Any, binds: list[Any], tables: set[str]) -> tuple[str, dict[str, Any]]:
    """The parsed PostgreSQL statement as SQLite text, with its binds by name."""
    from sqlglot import exp
    from sqlglot.optimizer.normalize_identifiers import normalize_identifiers

    def fn(name: str, *args: Any) -> Any:
        # a replaced node's children are not visited again by transform(): rewrite them here
        return exp.Anonymous(this=name, expressions=[a.transform(rewrite) for a in args])

    def unit_of(node: Any) -> Any:
        u = node.args.get("unit")
        return exp.Literal.string(u.name.lower() if u is not None else "")

    def rewrite(node: Any) -> Any:
        if isinstance(node, exp.Parameter):
            idx = int(node.name)
            if not 1 <= idx <= len(binds):
                raise pg_error("UndefinedParameter", f"there is no parameter ${idx}")
            return exp.Placeholder(this=f"p{idx}")
        if isinstance(node, exp.CurrentTimestamp | exp.CurrentDatetime):
            return fn("demo_now")
        if isinstance(node, exp.CurrentDate):
            return fn("demo_today")
        if isinstance(node, exp.Anonymous) and node.name.lower() in (
            "now",
            "transaction_timestamp",
            "statement_timestamp",
            "clock_timestamp",
        ):
            return fn("demo_now")
        if isinstance(node, exp.Add | exp.Sub) and isinstance(node.expression, exp.Interval):
            sign = "-" if isinstance(node, exp.Sub) else "+"
            return fn(
                "demo_add_interval", node.this, exp.Literal.string(sign + _interval_text(node.expression))
            )
        if isinstance(node, exp.Add) and isinstance(node.this, exp.Interval):
            return fn(
                "demo_add_interval", node.expression, exp.Literal.string("+" + _interval_text(node.this))
            )
        if isinstance(node, exp.Interval):
            raise pg_error(
                "FeatureNotSupported", "the demo supports intervals only as timestamp ± INTERVAL '…'"
            )
        if isinstance(node, exp.Cast | exp.TryCast):
            to = node.to.this
            T = exp.DataType.Type
            if to == T.DATE:
                return fn("demo_date", node.this)
            if to in (T.TIMESTAMP, T.TIMESTAMPTZ, T.DATETIME):
                return fn("demo_ts", node.this)
            if to == T.BOOLEAN:
                return fn("demo_bool", node.this)
            if to in (T.JSON, T.JSONB, T.ARRAY) or node.to.args.get("expressions"):
                raise pg_error(
                    "FeatureNotSupported", f"the demo does not support {node.to.sql('postgres')} values"
                )
            return node
        if isinstance(node, exp.TimestampTrunc | exp.DateTrunc):
            return fn("demo_date_trunc", unit_of(node), node.this)
        if isinstance(node, exp.Extract):
            return fn("demo_extract", exp.Literal.string(node.this.name.lower()), node.expression)
        if isinstance(node, exp.Anonymous) and node.name.lower() == "date_part":
            return fn("demo_extract", *node.expressions)
        if isinstance(node, exp.RegexpLike | exp.RegexpILike):
            flags = exp.Literal.number(1 if isinstance(node, exp.RegexpILike) else 0)
            return fn("demo_regexp", node.this, node.expression, flags)
        if isinstance(node, exp.EQ) and isinstance(node.expression, exp.Any):
            inner = node.expression.this
            while isinstance(inner, exp.Paren):
                inner = inner.this
            if isinstance(inner, exp.Array):
                return exp.In(
                    this=node.this.transform(rewrite),
                    expressions=[e.transform(rewrite) for e in inner.expressions],
                )
            raise pg_error("FeatureNotSupported", "the demo supports = ANY only over ARRAY[…]")
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
            if node.args.get("db") is not None:
                if node.db.lower() != "public":
                    raise pg_error("UndefinedTable", f'relation "{node.db}.{node.name}" does not exist')
                node.set("db", None)
            if node.name.lower() not in known:
                raise pg_error("UndefinedTable", f'relation "{node.name}" does not exist')
        if isinstance(node, exp.Column) and str(node.args.get("db") or "").lower() == "public":
            node.set("db", None)
        distinct = node.args.get("distinct") if isinstance(node, exp.Select) else None
        if isinstance(distinct, exp.Distinct) and distinct.args.get("on") is not None:
            return _distinct_on(node).transform(rewrite)
        return node

    # what a FROM may name: the views and the query's own CTEs (not the store's other tables)
    known = set(tables) | {str(c.alias).lower() for c in tree.find_all(exp.CTE)}
    tree = normalize_identifiers(
        tree.transform(rewrite), dialect="postgres"
    )  # unquoted names fold to lower case
    sql = tree.sql(dialect=_sqlite_dialect(), identify=True)  # `x`.`primary` is a column, not a keyword
    return sql, {f"p{i}": _sqlite_bind(v) for i, v in enumerate(binds, start=1)}


def _pg_name(node: Any) -> str:
    """The column name PostgreSQL gives an unaliased select item."""
    from sqlglot import exp

    if isinstance(node, exp.Column):
        return str(node.name)
    if isinstance(node, exp.Cast):
        return _pg_name(node.this) if isinstance(node.this, exp.Column) else node.to.sql("postgres").lower()
    if isinstance(node, exp.Window):
        return _pg_name(node.this)
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if isinstance(node, exp.Func):
        return str(node.sql_name()).lower()
    return "?column?"


def _name_projections(tree: Any) -> None:
    """Alias the query's unaliased select items the way PostgreSQL names them (SQLite names
    ``count(*)`` ``COUNT(*)``; PostgreSQL names it ``count``)."""
    from sqlglot import exp

    body = _cte_body(tree)
    if body is None:
        return
    named: list[Any] = []
    for item in body.expressions:
        if isinstance(item, exp.Alias | exp.Star | exp.Column):
            named.append(item)
        else:
            named.append(exp.alias_(item, _pg_name(item), quoted=True))
    body.set("expressions", named)


def _read_only_check(tree: Any) -> None:
    from sqlglot import exp

    for node in tree.walk():
        if isinstance(node, exp.Insert | exp.Update | exp.Delete | exp.Merge):
            verb = type(node).__name__.upper()
            raise pg_error("ReadOnlySqlTransaction", f"cannot execute {verb} in a read-only transaction")
        if isinstance(node, exp.Lock):
            raise pg_error(
                "ReadOnlySqlTransaction", "cannot execute SELECT FOR UPDATE in a read-only transaction"
            )


def _column_types(tree: Any, schema: dict[str, object]) -> list[str | None]:
    """PostgreSQL types of the result columns where sqlglot can infer them (booleans matter)."""
    try:
        from sqlglot.optimizer.annotate_types import annotate_types
        from sqlglot.optimizer.qualify import qualify

        q = qualify(tree.copy(), schema=schema, dialect="postgres", validate_qualify_columns=False)
        q = annotate_types(q, schema=schema, dialect="postgres")
        body = _cte_body(q)  # its columns, duplicates included (the outer star would fold them)
        selects = body.selects if body is not None else q.selects
        return [s.type.sql().upper() if s.type is not None else None for s in selects]
    except Exception:  # inference is a nicety: without it values come back as SQLite has them
        return []


# ---------------------------------------------------------------- SQLite functions


def _now_iso() -> str:
    return iso(clock.now())


def _to_dt(value: Any) -> datetime | None:
    if value is None:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        try:
            dt = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


_UNITS = {
    "microsecond": "microseconds",
    "millisecond": "milliseconds",
    "second": "seconds",
    "sec": "seconds",
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "mon": "months",
    "year": "years",
}


def _unit(word: str) -> str:
    w = word.lower().rstrip("s") if word.lower() not in ("s",) else word.lower()
    return _UNITS.get(w, _UNITS.get(word.lower(), ""))


def _add_interval(ts: Any, spec: str) -> str | None:
    dt = _to_dt(ts)
    if dt is None:
        return None
    sign = -1 if spec.startswith("-") else 1
    tokens = spec[1:].replace(",", " ").split()
    i = 0
    while i < len(tokens):
        try:
            n = float(tokens[i])
        except ValueError:
            raise sqlite3.DataError(f'invalid input syntax for type interval: "{spec[1:]}"') from None
        unit = _unit(tokens[i + 1]) if i + 1 < len(tokens) else "seconds"
        if not unit:
            raise sqlite3.DataError(f'invalid input syntax for type interval: "{spec[1:]}"')
        n *= sign
        if unit in ("months", "years"):
            months = int(n) * (12 if unit == "years" else 1)
            y, m = divmod(dt.month - 1 + months, 12)
            year, month = dt.year + y, m + 1
            day = min(
                dt.day,
                [
                    31,
                    29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                    31,
                    30,
                    31,
                    30,
                    31,
                    31,
                    30,
                    31,
                    30,
                    31,
                ][month - 1],
            )
            dt = dt.replace(year=year, month=month, day=day)
        else:
            dt = dt + timedelta(**{unit: n})
        i += 2
    return iso(dt)


def _date_trunc(unit: str, ts: Any) -> str | None:
    dt = _to_dt(ts)
    if dt is None:
        return None
    u = _unit(unit)
    if u == "years":
        dt = dt.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    elif u == "months":
        dt = dt.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elif u == "weeks":
        dt = (dt - timedelta(days=dt.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    elif u == "days":
        dt = dt.replace(hour=0, minute=0, second=0, microsecond=0)
    elif u == "hours":
        dt = dt.replace(minute=0, second=0, microsecond=0)
    elif u == "minutes":
        dt = dt.replace(second=0, microsecond=0)
    elif u == "seconds":
        dt = dt.replace(microsecond=0)
    elif unit.lower() == "quarter":
        dt = dt.replace(month=(dt.month - 1) // 3 * 3 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)
    else:
        raise sqlite3.DataError(f'unit "{unit}" not recognized for type timestamp without time zone')
    return iso(dt)


def _extract(unit: str, ts: Any) -> float | int | None:
    dt = _to_dt(ts)
    if dt is None:
        return None
    u = unit.lower()
    if u == "epoch":
        return dt.timestamp()
    if u in ("dow",):
        return (dt.weekday() + 1) % 7
    if u in ("isodow",):
        return dt.isoweekday()
    if u in ("doy",):
        return dt.timetuple().tm_yday
    if u in ("quarter",):
        return (dt.month - 1) // 3 + 1
    if u in ("week",):
        return dt.isocalendar()[1]
    attr = {"year": "year", "month": "month", "day": "day", "hour": "hour", "minute": "minute"}.get(u)
    if attr:
        return int(getattr(dt, attr))
    if u == "second":
        return dt.second + dt.microsecond / 1e6
    raise sqlite3.DataError(f'unit "{unit}" not recognized for type timestamp without time zone')


def _as_date(value: Any) -> str | None:
    dt = _to_dt(value)
    return None if dt is None else dt.date().isoformat()


def _as_ts(value: Any) -> str | None:
    dt = _to_dt(value)
    return None if dt is None else iso(dt)


def _regexp(text: Any, pattern: Any, flags: int) -> int | None:
    if text is None or pattern is None:
        return None
    return int(re.search(str(pattern), str(text), re.IGNORECASE if flags else 0) is not None)


def _demo_bool(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return int(bool(value))
    v = str(value).strip().lower()
    if v in ("t", "true", "y", "yes", "on", "1"):
        return 1
    if v in ("f", "false", "n", "no", "off", "0"):
        return 0
    raise sqlite3.DataError(f'invalid input syntax for type boolean: "{value}"')


# ---------------------------------------------------------------- running


@dataclass
class Result:
    columns: list[str]
    rows: list[list[Any]]
    duration_ms: float
    explain: str | None = None
    column_types: list[str | None] = field(default_factory=list)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.until = time.monotonic() + seconds
        self.expired = False

    def check(self) -> int:
        if time.monotonic() > self.until:
            self.expired = True
            return 1
        return 0


class Engine:
    """Runs Data Explorer SQL over one demo store (a read-only connection per thread)."""

    def __init__(self, db_path: Path, register: Callable[[sqlite3.Connection], None]) -> None:
        self.db_path = db_path
        self._register = register  # hands each connection to the server, which closes it on stop
        self._local = threading.local()
        self._generation = 0
        self.solved_schema = SOLVED_SCHEMAS[0]
        self._lock = threading.Lock()
        self._pool: list[tuple[sqlite3.Connection, tuple[View, ...], int]] = []

    def set_solved_schema(self, value: str) -> None:
        views_for(value)  # validates
        with self._lock:
            self.solved_schema = value
            self._generation += 1

    def _acquire(self) -> tuple[sqlite3.Connection, tuple[View, ...], int]:
        """An idle connection of the current generation from the pool, else a new one (the HTTP server
        runs each request on a new thread, so connections are pooled, not kept per thread)."""
        with self._lock:
            while self._pool:
                con, views, gen = self._pool.pop()
                if gen != self._generation:
                    with contextlib.suppress(sqlite3.Error):
                        con.close()
                    continue
                try:
                    con.total_changes  # noqa: B018 - raises once the server closed it (stop)
                except sqlite3.ProgrammingError:
                    continue
                return con, views, gen
            gen = self._generation
            schema = self.solved_schema
        con, views = self._connect(schema)
        return con, views, gen

    def _release(self, entry: tuple[sqlite3.Connection, tuple[View, ...], int]) -> None:
        with self._lock:
            self._pool.append(entry)

    def _connect(self, solved_schema: str) -> tuple[sqlite3.Connection, tuple[View, ...]]:
        con = sqlite3.connect("file::memory:", uri=True, check_same_thread=False)
        con.execute("ATTACH DATABASE ? AS demo", (f"file:{self.db_path.resolve().as_posix()}?mode=ro",))
        con.execute("PRAGMA demo.busy_timeout = 10000")
        con.execute("PRAGMA case_sensitive_like = ON")  # LIKE is case-sensitive in PostgreSQL
        for name, nargs, func in (
            ("demo_now", 0, _now_iso),
            ("demo_today", 0, lambda: clock.now().date().isoformat()),
            ("demo_add_interval", 2, _add_interval),
            ("demo_date_trunc", 2, _date_trunc),
            ("demo_extract", 2, _extract),
            ("demo_date", 1, _as_date),
            ("demo_ts", 1, _as_ts),
            ("demo_bool", 1, _demo_bool),
            ("demo_regexp", 3, _regexp),
            ("demo_tag_id", 1, lambda name: None if name is None else tag_id(str(name))),
            ("pg_sleep", 1, self._sleep),
        ):
            con.create_function(name, nargs, self._keep_error(func), deterministic=name != "pg_sleep")
        views = views_for(solved_schema)
        for view in views:
            con.execute(_view_ddl(view))
        self._register(con)
        return con, views

    def _keep_error(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """SQLite reports only "user-defined function raised exception": keep the real one."""

        def call(*args: Any) -> Any:
            try:
                return func(*args)
            except Exception as exc:
                self._local.udf_error = exc
                raise

        return call

    def _sleep(self, seconds: Any) -> None:
        deadline: _Deadline | None = getattr(self._local, "deadline", None)
        end = time.monotonic() + float(seconds or 0)
        while time.monotonic() < end:
            if deadline is not None and deadline.check():
                raise sqlite3.OperationalError("interrupted")
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))

    def run(
        self, sql: str, values: dict[str, Any], *, limit: int, timeout: float, explain: bool = False
    ) -> Result:
        """Validate as PostgreSQL, translate, run; raises :class:`QueryError` as the plugin reports it."""
        import pglast
        import sqlglot
        from sqlglot.errors import SqlglotError

        if ";" in sql:
            raise validation_error(SEMICOLON_ERROR)
        executable, binds = rewrite_to_binds(strip_comments(sql), values)
        wrapped = wrap(executable, limit)
        try:
            pglast.parse_sql(wrapped)
        except pglast.parser.ParseError as exc:
            raise _syntax_error(exc, wrapped) from None
        try:
            tree = sqlglot.parse_one(wrapped, read="postgres")
        except SqlglotError as exc:
            raise pg_error(
                "FeatureNotSupported", f"the demo's Data Explorer cannot translate this query: {exc}"
            ) from None
        _read_only_check(tree)
        entry = self._acquire()
        try:
            return self._run_on(entry[0], entry[1], tree, binds, timeout=timeout, explain=explain)
        finally:
            self._release(entry)

    def _run_on(
        self,
        con: sqlite3.Connection,
        views: tuple[View, ...],
        tree: Any,
        binds: list[Any],
        *,
        timeout: float,
        explain: bool,
    ) -> Result:
        from sqlglot.errors import SqlglotError

        types = _column_types(tree, _type_schema(views))
        _name_projections(tree)
        try:
            sqlite_sql, named = _translate(tree, binds, {v.name for v in views})
        except SqlglotError as exc:
            raise pg_error(
                "FeatureNotSupported", f"the demo's Data Explorer cannot translate this query: {exc}"
            ) from None
        deadline = _Deadline(timeout)
        self._local.deadline = deadline
        con.set_progress_handler(deadline.check, 1000)
        started = time.perf_counter()
        try:
            cur = con.execute(sqlite_sql, named)
            rows = [list(r) for r in cur.fetchall()]
            columns = [d[0] for d in cur.description or ()]
            # SQLite renames a repeated column "id:1"; PostgreSQL repeats the name
            columns = [
                c.rsplit(":", 1)[0] if re.fullmatch(r".+:\d+", c) and c.rsplit(":", 1)[0] in columns else c
                for c in columns
            ]
            plan = None
            if explain:
                plan = "\n".join(
                    str(r[3]) for r in con.execute("EXPLAIN QUERY PLAN " + sqlite_sql, named).fetchall()
                )
        except sqlite3.Error as exc:
            udf_error = getattr(self._local, "udf_error", None)
            if deadline.expired or "interrupted" in str(exc) or "interrupted" in str(udf_error or ""):
                raise pg_error("QueryCanceled", "canceling statement due to statement timeout") from None
            raise _sqlite_error(udf_error if isinstance(udf_error, sqlite3.Error) else exc) from None
        finally:
            con.set_progress_handler(None, 0)
            self._local.deadline = None
            self._local.udf_error = None
            if con.in_transaction:
                con.rollback()
        duration = (time.perf_counter() - started) * 1000
        if len(types) == len(columns):
            for i, t in enumerate(types):
                if t == "BOOLEAN":
                    for row in rows:
                        if isinstance(row[i], int):
                            row[i] = bool(row[i])
        return Result(columns, rows, round(duration, 1), plan, types if len(types) == len(columns) else [])


def _sqlite_error(exc: sqlite3.Error) -> QueryError:
    text = str(exc)
    m = re.match(r"no such table: (?:\w+\.)?(\S+)", text)
    if m:
        return pg_error("UndefinedTable", f'relation "{m.group(1)}" does not exist')
    m = re.match(r"no such column: (\S+)", text)
    if m:
        return pg_error("UndefinedColumn", f"column {m.group(1)} does not exist")
    m = re.match(r"no such function: (\S+)", text)
    if m:
        return pg_error(
            "UndefinedFunction",
            f"function {m.group(1).lower()} does not exist (the demo's Data Explorer has no equivalent)",
        )
    if isinstance(exc, sqlite3.DataError):
        return pg_error(
            "InvalidDatetimeFormat" if "interval" in text or "timestamp" in text else "DataException", text
        )
    return pg_error("InternalError", f"{text} (in the demo's SQLite translation)")
