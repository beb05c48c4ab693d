"""Writes and small reads over the cache: bulk upserts, derived fields, FTS, cursors, counts.

Every function takes an open SQLAlchemy ``Connection`` inside a transaction (``Cache.write()`` or
``Cache.read()``) and never commits: the caller decides what commits together. A pull page is
applied like this, in **one** ``cache.write()`` (SYNC.md I6)::

    with cache.write() as conn:
        changed_topics = repo.upsert_topics(conn, page.topics)
        changed_posts = repo.upsert_posts(conn, page.posts)
        repo.refresh_fts(conn, post_ids=changed_posts, topic_ids=changed_topics)
        repo.refresh_derived(conn, touched_topic_ids)   # queue fields + KPI rollups
        repo.mark_seen(conn, "topics", page_topic_ids, pass_id)
        repo.put_cursor(conn, cursor)

Upserts
-------
Input rows are plain mappings (e.g. the decoded JSON items) or dataclass instances, using the
contract's field names (CONTRACT.md §3–§7); unknown keys are ignored. **A key that is absent
leaves that column untouched** (list items lack fields the topic view has), while a key present
with ``None`` stores NULL. Rows of one call may have different key sets. Each upsert is
``INSERT … ON CONFLICT DO UPDATE … WHERE <some column IS NOT excluded>`` with executemany, so a
row that did not change is not written at all, and each returns the keys of the rows that were
inserted or actually changed (a row marked ``gone_since`` that shows up again also counts). How
the changed keys are found without RETURNING is explained in ``_upsert``.

Expected keys. Keys in **[brackets]** must be in every row (the row may be new and they are
NOT NULL); all others are optional:

* categories: **[id, name]**, slug, parent_category_id, position, color, description_text (or
  description), topic_count, read_restricted, accepts_answers (or
  ``custom_fields.enable_accepted_answers`` = "true")
* topics: **[id]**, title, fancy_title, slug, category_id, archetype, user_id (the asker),
  created_at, bumped_at, last_posted_at, posts_count, reply_count, highest_post_number, views,
  like_count, closed, archived, visible, pinned, tags (strings or ``{name}`` objects),
  has_accepted_answer, accepted_post_id, deleted_at
* posts: **[id, topic_id, post_number]**, user_id, username, created_at, updated_at, version,
  post_type, action_code, reply_to_post_number, cooked, like_count (or derived from
  ``actions_summary`` id 2), reads, hidden, deleted_at, accepted_answer. ``plain`` is computed from
  ``cooked`` (only when the cooked HTML differs from the cached one) unless given.
* users: **[id, username]**, name, email, trust_level, admin, moderator, title, created_at,
  last_seen_at, last_posted_at, suspended_till, silenced, staged, active, user_fields (dict), company_id
* badges: **[id, name]**, description, badge_type_id, badge_grouping_id, grant_count, multiple_grant,
  allow_title, enabled, listable, manually_grantable, system, icon, image_url
* user_badges: **[id, user_id, badge_id]**, granted_at, granted_by_id, post_id, topic_id, post_number
* groups: **[id, name]**, full_name, title, user_count, automatic, grant_trust_level,
  visibility_level, primary_group, public_admission, public_exit, can_admin_group
* group_members: **[group_id, user_id]**, owner, added_at
* solutions: **[post_id, topic_id]**, post_number, user_id, accepter_username, accepted_at
* report_points: **[report_type, date (or x)]**, facet ('' = main series), value (or y), fetched_at
"""

from __future__ import annotations

import dataclasses
import json
import operator
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, null, or_, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from modconsole.html import to_text

Row = Mapping[str, Any] | Any  # a mapping, or a dataclass instance with the same field names

_TRACKING = ("seen_in_pass", "gone_since")
# Columns no upsert writes: derived by refresh_derived, or deletion tracking (mark_seen/mark_gone).
_DERIVED_TOPIC = (
    "first_response_at",
    "first_responder_id",
    "asker_replies",
    "others_replies",
    "last_reply_at",
    "last_reply_by_asker",
    "solved_at",
)

MIRROR_TABLES = (
    "categories",
    "topics",
    "posts",
    "users",
    "badges",
    "user_badges",
    "groups",
    "group_members",
    "solutions",
)


def _table(name: str) -> Table:
    # The ORM schema is imported on the first write that needs a table object, not with this
    # module (~0.15 s of the console's start-up, on the writer thread instead).
    from modconsole.cache.schema import Base

    return Base.metadata.tables[name]


def _as_dict(row: Row) -> dict[str, Any]:
    if isinstance(row, Mapping):
        return dict(row)
    if dataclasses.is_dataclass(row) and not isinstance(row, type):
        return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
    raise TypeError(f"expected a mapping or a dataclass instance, got {type(row).__name__}")


def _json(value: Any, empty: str) -> str:
    if value is None:
        return empty
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=isinstance(value, dict))


# ---------------------------------------------------------------- the generic upsert


def _upsert(
    conn: Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    keys: tuple[str, ...],
) -> list[tuple[Any, ...]]:
    """Upsert dict rows (already normalised) grouped by key set; return the keys of changed rows.

    How "changed" is known without RETURNING (which costs SQLite ~30 % and forces one statement
    per page): every row is written with a fresh random ``change_token``, but the guarded
    ``DO UPDATE … WHERE`` only fires when a server column differs, so afterwards exactly the
    inserted and changed rows carry this call's token; one indexed SELECT by key finds them.
    """
    writable = {c.name for c in table.columns} - {*_TRACKING, _TOKEN}
    token = secrets.randbits(62)
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        row[_TOKEN] = token  # rows are the caller-private dicts made by _prepare
        groups.setdefault(frozenset(row), []).append(row)
    if not groups:
        return []
    required = (*keys, *_required(table))
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    written: list[tuple[Any, ...]] = []
    all_changed = True
    for keyset, batch in groups.items():
        missing = [k for k in required if k not in keyset]
        if missing:
            raise ValueError(f"{table.name}: row without {missing}: {batch[0]!r:.200}")
        plan = _upsert_plan(conn, table, (keyset & writable) | {_TOKEN}, keys)
        keys_of = [plan.key_getter(row) for row in batch]
        for row, key in zip(batch, keys_of, strict=True):
            if None in key:
                raise ValueError(f"{table.name}: row without {list(keys)}: {row!r:.200}")
        if plan.defaults:  # columns with a Python-side default that these rows do not carry
            batch = [{**plan.defaults, **row} for row in batch]
        result = conn.exec_driver_sql(plan.sql, [plan.getter(row) for row in batch])
        # Each row is one insert, one update or nothing, so the change count settles the common
        # cases without a query: none changed, or every row did. The cursor's rowcount counts only
        # this statement's own rows; ``total_changes`` would also count rows written by triggers
        # (the question_facts rollup, migration 0002) and call unchanged rows changed.
        delta = result.rowcount
        if delta == 0:
            continue
        if delta != len(batch) or len(set(keys_of)) != len(keys_of):
            all_changed = False
        written.extend(keys_of)
    if not written:
        return []
    if all_changed:
        return written
    return _changed_keys(conn, table, keys, written, token)


_TOKEN = "change_token"


def _changed_keys(
    conn: Connection, table: Table, keys: tuple[str, ...], written: list[tuple[Any, ...]], token: int
) -> list[tuple[Any, ...]]:
    prep = conn.dialect.identifier_preparer
    names = [prep.quote(k) for k in keys]
    if len(keys) == 1:
        match = f"{names[0]} IN (SELECT value FROM json_each(?))"
        arg = json.dumps(sorted({w[0] for w in written}))
    else:
        extract = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(keys)))
        match = f"({', '.join(names)}) IN (SELECT {extract} FROM json_each(?))"
        arg = json.dumps(sorted(set(written)))
    sql = f"SELECT {', '.join(names)} FROM {prep.format_table(table)} WHERE {match} AND {_TOKEN} = ?"
    return [tuple(r) for r in conn.exec_driver_sql(sql, (arg, token))]


@dataclass(frozen=True)
class _UpsertPlan:
    sql: str  # compiled statement, positional parameters
    params: tuple[str, ...]  # column names in bind order
    defaults: dict[str, Any]  # values for bound columns the rows do not carry (model defaults)
    getter: Callable[[Mapping[str, Any]], tuple[Any, ...]]
    key_getter: Callable[[Mapping[str, Any]], tuple[Any, ...]]


_PLANS: dict[tuple[str, frozenset[str], tuple[str, ...]], _UpsertPlan] = {}


def _tuple_getter(names: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    if len(names) == 1:
        (name,) = names
        return lambda row: (row[name],)
    return operator.itemgetter(*names)


def _upsert_plan(
    conn: Connection, table: Table, colset: frozenset[str], keys: tuple[str, ...]
) -> _UpsertPlan:
    """The guarded upsert for one column set, built with SQLAlchemy Core and compiled once.

    ``INSERT … VALUES (…) ON CONFLICT (keys) DO UPDATE SET c = excluded.c, …
    WHERE t.c IS NOT excluded.c OR … [OR t.gone_since IS NOT NULL]``, sent with the driver's
    ``executemany`` (PERFORMANCE.md: the fastest upsert path; values are plain ints, strings,
    floats, bools and None, which sqlite3 binds natively, so SQLAlchemy's per-row parameter
    processing is skipped).
    """
    cache_key = (table.name, colset, keys)
    plan = _PLANS.get(cache_key)
    if plan is not None:
        return plan
    cols = [c.name for c in table.columns if c.name in colset]
    key_cols = [table.c[k] for k in keys]
    stmt = sqlite_insert(table).values({c: bindparam(c) for c in cols})
    update = [c for c in cols if c not in keys]
    set_: dict[str, Any] = {c: stmt.excluded[c] for c in update}
    conditions = [table.c[c].is_distinct_from(stmt.excluded[c]) for c in update if c != _TOKEN]
    if "gone_since" in table.c:  # the server lists it again: it is not gone
        set_["gone_since"] = null()
        conditions.append(table.c.gone_since.is_not(None))
    if conditions:
        final = stmt.on_conflict_do_update(index_elements=key_cols, set_=set_, where=or_(*conditions))
    else:
        final = stmt.on_conflict_do_nothing(index_elements=key_cols)
    compiled = final.compile(dialect=conn.dialect)
    params = tuple(compiled.positiontup or ())
    defaults: dict[str, Any] = {}
    for name in set(params) - set(cols):
        default = table.c[name].default
        if default is None or not default.is_scalar:
            raise AssertionError(f"{table.name}.{name}: bound without a scalar default")
        defaults[name] = default.arg  # type: ignore[attr-defined]
    if not set(cols) <= set(params) or len(params) != compiled.string.count("?"):
        raise AssertionError(f"unexpected upsert SQL for {table.name}: {compiled.string}")
    plan = _PLANS[cache_key] = _UpsertPlan(
        compiled.string, params, defaults, _tuple_getter(params), _tuple_getter(keys)
    )
    return plan


def _required(table: Table) -> tuple[str, ...]:
    """Columns every upserted row must carry (NOT NULL without a default), besides the key."""
    return tuple(
        c.name
        for c in table.columns
        if not c.nullable and not c.primary_key and c.default is None and c.server_default is None
    )


def _ids(changed: list[tuple[Any, ...]]) -> set[int]:
    return {int(r[0]) for r in changed}


def _prepare(
    rows: Iterable[Row], fix: Callable[[dict[str, Any]], None] | None = None
) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        d = _as_dict(row)
        if fix is not None:
            fix(d)
        out.append(d)
    return out


# ---------------------------------------------------------------- per aggregate


def _fix_category(d: dict[str, Any]) -> None:
    if "accepts_answers" not in d:
        custom = d.get("custom_fields")
        if isinstance(custom, Mapping) and "enable_accepted_answers" in custom:
            d["accepts_answers"] = str(custom["enable_accepted_answers"]).lower() == "true"
    if "description_text" not in d and "description" in d:
        d["description_text"] = d["description"]


def upsert_categories(conn: Connection, rows: Iterable[Row]) -> set[int]:
    return _ids(_upsert(conn, _table("categories"), _prepare(rows, _fix_category), ("id",)))


def _tag_names(tags: Any) -> list[str]:
    names = []
    for tag in tags or ():
        if isinstance(tag, str):
            names.append(tag)
        elif isinstance(tag, Mapping) and tag.get("name"):
            names.append(str(tag["name"]))
        else:
            name = getattr(tag, "name", None)
            if name:
                names.append(str(name))
    return names


def _fix_topic(d: dict[str, Any]) -> None:
    if "tags" in d:
        d["tags"] = _json(_tag_names(d["tags"]), "[]")
    for derived in _DERIVED_TOPIC:
        d.pop(derived, None)


def upsert_topics(conn: Connection, rows: Iterable[Row]) -> set[int]:
    return _ids(_upsert(conn, _table("topics"), _prepare(rows, _fix_topic), ("id",)))


def _like_count(actions_summary: Any) -> int | None:
    if not isinstance(actions_summary, Sequence):
        return None
    for action in actions_summary:
        if isinstance(action, Mapping) and action.get("id") == 2:
            return int(action.get("count") or 0)
    return 0


def upsert_posts(conn: Connection, rows: Iterable[Row]) -> set[int]:
    """Upsert posts; ``plain`` is computed from ``cooked`` only where the cooked HTML changed."""
    prepared = _prepare(rows)
    need_text = [d for d in prepared if "cooked" in d and "plain" not in d]
    if need_text:
        ids = json.dumps([d["id"] for d in need_text])
        cached = {
            r[0]: (r[1], r[2])
            for r in conn.execute(
                text("SELECT id, cooked, plain FROM posts WHERE id IN (SELECT value FROM json_each(:ids))"),
                {"ids": ids},
            )
        }
        for d in need_text:
            old = cached.get(d["id"])
            d["plain"] = old[1] if old is not None and old[0] == d["cooked"] else to_text(d["cooked"])
    for d in prepared:
        if "like_count" not in d and "actions_summary" in d:
            d["like_count"] = _like_count(d["actions_summary"])
    return _ids(_upsert(conn, _table("posts"), prepared, ("id",)))


def _fix_user(d: dict[str, Any]) -> None:
    if "user_fields" in d:
        d["user_fields"] = _json(d["user_fields"], "{}")


def upsert_users(conn: Connection, rows: Iterable[Row]) -> set[int]:
    return _ids(_upsert(conn, _table("users"), _prepare(rows, _fix_user), ("id",)))


def upsert_badges(conn: Connection, rows: Iterable[Row]) -> set[int]:
    return _ids(_upsert(conn, _table("badges"), _prepare(rows), ("id",)))


def upsert_user_badges(conn: Connection, rows: Iterable[Row]) -> set[int]:
    return _ids(_upsert(conn, _table("user_badges"), _prepare(rows), ("id",)))


def upsert_groups(conn: Connection, rows: Iterable[Row]) -> set[int]:
    return _ids(_upsert(conn, _table("groups"), _prepare(rows), ("id",)))


def upsert_group_members(conn: Connection, rows: Iterable[Row]) -> set[tuple[int, int]]:
    changed = _upsert(conn, _table("group_members"), _prepare(rows), ("group_id", "user_id"))
    return {(int(g), int(u)) for g, u in changed}


def upsert_solutions(conn: Connection, rows: Iterable[Row]) -> set[int]:
    """Keyed by the accepted post id; returns changed post ids."""
    return _ids(_upsert(conn, _table("solutions"), _prepare(rows), ("post_id",)))


def _fix_point(d: dict[str, Any]) -> None:
    d.setdefault("facet", "")
    if "date" not in d and "x" in d:
        d["date"] = d["x"]
    if "value" not in d and "y" in d:
        d["value"] = d["y"]


def upsert_report_points(conn: Connection, rows: Iterable[Row]) -> set[tuple[str, str, str]]:
    """Rows ``{report_type, facet, date, value}`` (``x``/``y`` accepted for date/value)."""
    changed = _upsert(
        conn, _table("report_points"), _prepare(rows, _fix_point), ("report_type", "facet", "date")
    )
    return {(str(a), str(b), str(c)) for a, b, c in changed}


# ---------------------------------------------------------------- deletion tracking


def _tracked(table: str) -> Table:
    if table not in MIRROR_TABLES or table == "group_members":
        raise ValueError(f"not a mirror table keyed by id: {table!r}")
    return _table(table)


def mark_seen(conn: Connection, table: str, ids: Iterable[int], pass_id: str) -> None:
    """Record that ``ids`` were listed by the server in pass ``pass_id`` (and are not gone)."""
    t = _tracked(table)
    pk = next(iter(t.primary_key.columns))
    params = {"p": pass_id, "ids": json.dumps(sorted(set(ids)))}
    # two statements: writing ``gone_since`` (even NULL over NULL) rewrites every index holding it
    conn.execute(
        text(f"UPDATE {t.name} SET seen_in_pass = :p WHERE {pk.name} IN (SELECT value FROM json_each(:ids))"),
        params,
    )
    conn.execute(
        text(
            f"UPDATE {t.name} SET gone_since = NULL WHERE gone_since IS NOT NULL "
            f"AND {pk.name} IN (SELECT value FROM json_each(:ids))"
        ),
        params,
    )


def mark_unseen_gone(conn: Connection, table: str, pass_id: str, now: str) -> set[int]:
    """After a *complete* pass: rows not seen in it get ``gone_since = now``; returns their ids."""
    t = _tracked(table)
    pk = next(iter(t.primary_key.columns))
    result = conn.execute(
        text(
            f"UPDATE {t.name} SET gone_since = :now "
            f"WHERE gone_since IS NULL AND seen_in_pass IS NOT :p RETURNING {pk.name}"
        ),
        {"now": now, "p": pass_id},
    )
    return {int(r[0]) for r in result}


# ---------------------------------------------------------------- derived queue fields and rollups

_REPLIES_SQL = text(
    """
    SELECT t.id, t.has_accepted_answer, t.accepted_post_id,
           COALESCE(t.user_id, (SELECT p1.user_id FROM posts p1
                                WHERE p1.topic_id = t.id AND p1.post_number = 1 LIMIT 1)) AS asker,
           p.user_id, p.created_at, p.post_number
    FROM topics t
    LEFT JOIN posts p
      ON p.topic_id = t.id AND p.post_number > 1 AND p.post_type = 1
         AND p.deleted_at IS NULL AND p.gone_since IS NULL
    WHERE t.id IN (SELECT value FROM json_each(:ids))
    ORDER BY t.id, p.created_at, p.post_number
    """
)

_SOLVED_AT_SQL = text(
    """
    SELECT t.id,
      COALESCE(
        (SELECT s.accepted_at FROM solutions s WHERE s.topic_id = t.id AND s.accepted_at IS NOT NULL
           AND (t.accepted_post_id IS NULL OR s.post_id = t.accepted_post_id)
         ORDER BY s.accepted_at DESC LIMIT 1),
        (SELECT p.created_at FROM posts p WHERE p.id = t.accepted_post_id),
        (SELECT p.created_at FROM posts p WHERE p.topic_id = t.id AND p.accepted_answer = 1
           AND p.deleted_at IS NULL ORDER BY p.post_number LIMIT 1),
        (SELECT p.created_at FROM posts p JOIN solutions s ON s.post_id = p.id WHERE s.topic_id = t.id
         ORDER BY p.post_number LIMIT 1)
      )
    FROM topics t
    WHERE t.id IN (SELECT value FROM json_each(:ids)) AND t.has_accepted_answer = 1
    """
)

_UPDATE_TOPIC_SQL = text(
    """
    UPDATE topics SET first_response_at = :first_response_at, first_responder_id = :first_responder_id,
        asker_replies = :asker_replies, others_replies = :others_replies, last_reply_at = :last_reply_at,
        last_reply_by_asker = :last_reply_by_asker, solved_at = :solved_at
    WHERE id = :id AND (first_response_at IS NOT :first_response_at
        OR first_responder_id IS NOT :first_responder_id OR asker_replies IS NOT :asker_replies
        OR others_replies IS NOT :others_replies OR last_reply_at IS NOT :last_reply_at
        OR last_reply_by_asker IS NOT :last_reply_by_asker OR solved_at IS NOT :solved_at)
    """
)

# Which posts count in the KPI rollups: regular posts (post_type 1) that are neither deleted nor gone,
# in topics that are neither deleted nor gone (a post whose topic is not cached yet counts).
_COUNTED = """
    p.post_type = 1 AND p.deleted_at IS NULL AND p.gone_since IS NULL
    AND NOT EXISTS (SELECT 1 FROM topics t WHERE t.id = p.topic_id
                    AND (t.deleted_at IS NOT NULL OR t.gone_since IS NOT NULL))
"""

_USER_MONTH_SQL = text(
    f"""
    WITH k(user_id, month) AS (
        SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:keys))
    INSERT INTO user_month (month, user_id, posts, topics, replies)
    SELECT k.month, k.user_id, count(*), sum(p.post_number = 1), sum(p.post_number > 1)
    FROM k JOIN posts p
      ON p.user_id = k.user_id AND p.created_at >= k.month || '-01' AND p.created_at < k.month || '-32'
    WHERE {_COUNTED}
    GROUP BY k.month, k.user_id
    """
)

_DAILY_SQL = text(
    f"""
    WITH k(day) AS (SELECT value FROM json_each(:keys))
    INSERT INTO daily_posts (day, posts, topics)
    SELECT k.day, count(*), sum(p.post_number = 1)
    FROM k JOIN posts p ON p.created_at >= k.day AND p.created_at < k.day || 'U'
    WHERE {_COUNTED}
    GROUP BY k.day
    """
)


def refresh_derived(conn: Connection, topic_ids: Iterable[int], *, rollups: bool = True) -> None:
    """Recompute queue fields of ``topic_ids`` and the rollups their posts feed, from cached posts
    (``rollups=False``: the queue fields alone, for a caller that keeps the rollups current itself).

    Queue fields (replies = non-deleted, not-gone posts of post_type 1 after the first post; small
    actions, moderator actions and whispers are not replies; the asker is ``topics.user_id``, else
    the author of post 1):

    * ``first_response_at``/``first_responder_id``: earliest reply by someone other than the asker
      (a deleted user counts as someone else);
    * ``asker_replies``/``others_replies``: reply counts; ``last_reply_at``; ``last_reply_by_asker``
      (NULL when there is no reply);
    * ``solved_at``: only when ``has_accepted_answer``: the solution's ``accepted_at`` when known,
      else the accepted post's ``created_at`` (the time the answer was given). Whether a topic is
      solved is ``has_accepted_answer`` (server truth), not ``solved_at``.

    Rollups (``user_month``, ``daily_posts``; UTC months and days of ``created_at``) are recomputed
    completely for every (user, month) and day that any post of these topics falls in.
    """
    ids = sorted({int(i) for i in topic_ids})
    if not ids:
        return
    ids_json = json.dumps(ids)

    per_topic: dict[int, dict[str, Any]] = {}
    for tid, _solved, _acc, asker, user_id, created_at, post_number in conn.execute(
        _REPLIES_SQL, {"ids": ids_json}
    ):
        state = per_topic.get(tid)
        if state is None:
            state = per_topic[tid] = {
                "id": tid,
                "first_response_at": None,
                "first_responder_id": None,
                "asker_replies": 0,
                "others_replies": 0,
                "last_reply_at": None,
                "last_reply_by_asker": None,
                "solved_at": None,
            }
        if post_number is None:  # LEFT JOIN: no replies
            continue
        by_asker = asker is not None and user_id == asker
        if by_asker:
            state["asker_replies"] += 1
        else:
            state["others_replies"] += 1
            if state["first_response_at"] is None:
                state["first_response_at"] = created_at
                state["first_responder_id"] = user_id
        state["last_reply_at"] = created_at  # rows are ordered by created_at, post_number
        state["last_reply_by_asker"] = by_asker
    for tid, solved_at in conn.execute(_SOLVED_AT_SQL, {"ids": ids_json}):
        if tid in per_topic:
            per_topic[tid]["solved_at"] = solved_at
    if per_topic:
        conn.execute(_UPDATE_TOPIC_SQL, list(per_topic.values()))
    if not rollups:
        return

    # Rollup keys touched by these topics' posts.
    keys = conn.execute(
        text(
            "SELECT DISTINCT user_id, substr(created_at, 1, 7), substr(created_at, 1, 10) FROM posts "
            "WHERE topic_id IN (SELECT value FROM json_each(:ids)) AND created_at IS NOT NULL"
        ),
        {"ids": ids_json},
    ).all()
    um_keys = sorted({(u, m) for u, m, _ in keys if u is not None})
    days = sorted({d for _, _, d in keys})
    refresh_rollups(conn, user_months=um_keys, days=days)


def refresh_rollups(
    conn: Connection, *, user_months: Iterable[tuple[int, str]] = (), days: Iterable[str] = ()
) -> None:
    """Recompute the given ``user_month`` keys (user_id, 'YYYY-MM') and ``daily_posts`` days."""
    um = json.dumps([[u, m] for u, m in user_months])
    if um != "[]":
        conn.execute(
            text(
                "DELETE FROM user_month WHERE (user_id, month) IN "
                "(SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:keys))"
            ),
            {"keys": um},
        )
        conn.execute(_USER_MONTH_SQL, {"keys": um})
    dj = json.dumps(list(days))
    if dj != "[]":
        conn.execute(
            text("DELETE FROM daily_posts WHERE day IN (SELECT value FROM json_each(:keys))"), {"keys": dj}
        )
        conn.execute(_DAILY_SQL, {"keys": dj})


def refresh_walked(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Keep the rollups current during a whole ``/posts.json`` walk (newest first), one page at a time.

    The walk defers each topic's queue fields to its end (a topic's posts span many pages); the
    figures need not wait: the page's days and (user, month) rollups are recomputed from the posts
    cached so far, and a topic whose first post is on this page has all its posts cached (the walk
    goes down post ids), so its queue fields — and its row in ``question_facts`` — are final now.
    """
    started = {int(r["topic_id"]) for r in rows if r.get("post_number") == 1 and r.get("topic_id")}
    if started:
        refresh_derived(conn, started)
    um = {
        (int(r["user_id"]), str(r["created_at"])[:7])
        for r in rows
        if r.get("user_id") is not None and r.get("created_at")
    }
    days = {str(r["created_at"])[:10] for r in rows if r.get("created_at")}
    refresh_rollups(conn, user_months=sorted(um), days=sorted(days))


def rebuild_derived(conn: Connection, *, batch: int = 2000) -> None:
    """Recompute every topic's queue fields and all rollups from scratch (after an upgrade, at the
    end of a full pass): the queue fields a batch of topics at a time, then every rollup key the
    posts name once (not again for each batch's posts)."""
    conn.execute(text("DELETE FROM user_month"))
    conn.execute(text("DELETE FROM daily_posts"))
    ids = [r[0] for r in conn.execute(text("SELECT id FROM topics ORDER BY id"))]
    for i in range(0, len(ids), batch):
        refresh_derived(conn, ids[i : i + batch], rollups=False)
    keys = conn.execute(
        text(
            "SELECT DISTINCT user_id, substr(created_at, 1, 7), substr(created_at, 1, 10) FROM posts "
            "WHERE created_at IS NOT NULL"
        )
    ).all()
    refresh_rollups(
        conn,
        user_months=sorted({(u, m) for u, m, _ in keys if u is not None}),
        days=sorted({d for _, _, d in keys}),
    )


# ---------------------------------------------------------------- full-text search


def refresh_fts(conn: Connection, *, post_ids: Iterable[int] = (), topic_ids: Iterable[int] = ()) -> None:
    """Bring the FTS rows of these posts/topics in line with the cache (one INSERT…SELECT each).

    Indexed: posts of type 1 (regular) and 4 (whisper) with text, topics with a title; deleted or
    gone rows are removed. Safe to call for any ids, any number of times.
    """
    for table, source, column, ids in (
        ("posts_fts", "posts", "plain", post_ids),
        ("topics_fts", "topics", "title", topic_ids),
    ):
        ids_json = json.dumps(sorted({int(i) for i in ids}))
        if ids_json == "[]":
            continue
        # Only rows that are indexed are deleted: an FTS5 delete flushes the table's pending
        # inserts into a new segment, so deleting absent rowids before every page's inserts (all of
        # them absent in a first sync) costs a segment a page and the merges after.
        present = [
            int(r[0])
            for r in conn.execute(
                text(f"SELECT rowid FROM {table} WHERE rowid IN (SELECT value FROM json_each(:ids))"),
                {"ids": ids_json},
            )
        ]
        if present:
            conn.execute(
                text(f"DELETE FROM {table} WHERE rowid IN (SELECT value FROM json_each(:ids))"),
                {"ids": json.dumps(present)},
            )
        conn.execute(
            text(
                f"INSERT INTO {table} (rowid, {column}) SELECT id, {column} FROM {source} "
                "WHERE id IN (SELECT value FROM json_each(:ids)) AND deleted_at IS NULL "
                "AND gone_since IS NULL "
                + ("AND post_type IN (1, 4) " if source == "posts" else "")
                + f"AND {column} IS NOT NULL AND {column} <> ''"
            ),
            {"ids": ids_json},
        )


def rebuild_fts(conn: Connection) -> None:
    """Rebuild both FTS tables from the cache (e.g. after restoring a backup)."""
    conn.execute(text("DELETE FROM posts_fts"))
    conn.execute(text("DELETE FROM topics_fts"))
    conn.execute(
        text(
            "INSERT INTO posts_fts (rowid, plain) SELECT id, plain FROM posts WHERE deleted_at IS NULL "
            "AND gone_since IS NULL AND post_type IN (1, 4) AND plain IS NOT NULL AND plain <> ''"
        )
    )
    conn.execute(
        text(
            "INSERT INTO topics_fts (rowid, title) SELECT id, title FROM topics WHERE deleted_at IS NULL "
            "AND gone_since IS NULL AND title IS NOT NULL AND title <> ''"
        )
    )


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression for free text: every word must occur (words quoted, so no operators)."""
    words = _WORD.findall(user_text)
    if not words:
        return None
    return " ".join(f'"{w}"' for w in words)


def search_posts(conn: Connection, user_text: str, *, limit: int = 50) -> list[int]:
    """Ids of posts containing every word of ``user_text``, newest first (no ranking: fast)."""
    q = fts_query(user_text)
    if q is None:
        return []
    rows = conn.execute(
        text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH :q ORDER BY rowid DESC LIMIT :n"),
        {"q": q, "n": limit},
    )
    return [int(r[0]) for r in rows]


def search_topics(conn: Connection, user_text: str, *, limit: int = 50, ranked: bool = True) -> list[int]:
    """Ids of topics whose title contains every word, best match first (titles are a small corpus)."""
    q = fts_query(user_text)
    if q is None:
        return []
    order = "rank" if ranked else "rowid DESC"
    rows = conn.execute(
        text(f"SELECT rowid FROM topics_fts WHERE topics_fts MATCH :q ORDER BY {order} LIMIT :n"),
        {"q": q, "n": limit},
    )
    return [int(r[0]) for r in rows]


# ---------------------------------------------------------------- sync cursors


@dataclass(frozen=True)
class CursorState:
    """One row of ``sync_cursors`` (SYNC.md §6.3, §6.9)."""

    resource: str
    schema_version: int
    hw_value: str | None = None
    hw_id: int | None = None
    pass_id: str | None = None
    pass_target_value: str | None = None
    pass_target_id: int | None = None
    pass_page_token: str | None = None
    pass_started_server_time: str | None = None
    last_complete_pass_at: str | None = None
    last_full_rescan_at: str | None = None
    consecutive_failures: int = 0
    last_error: str | None = None


_CURSOR_FIELDS = tuple(f.name for f in dataclasses.fields(CursorState))


def get_cursor(conn: Connection, resource: str, *, schema_version: int | None = None) -> CursorState | None:
    """The stored cursor, or None. With ``schema_version``, a cursor stored under another version
    counts as absent (the mirror's meaning changed: re-pull)."""
    t = _table("sync_cursors")
    row = conn.execute(select(t).where(t.c.resource == resource)).mappings().first()
    if row is None:
        return None
    state = CursorState(**{k: row[k] for k in _CURSOR_FIELDS})
    if schema_version is not None and state.schema_version != schema_version:
        return None
    return state


def put_cursor(conn: Connection, state: CursorState) -> None:
    """Store the whole cursor row (insert or replace)."""
    t = _table("sync_cursors")
    values = dataclasses.asdict(state)
    stmt = sqlite_insert(t).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.c.resource], set_={k: stmt.excluded[k] for k in _CURSOR_FIELDS if k != "resource"}
    )
    conn.execute(stmt)


# ---------------------------------------------------------------- small reads


COUNTED_TABLES = (
    *MIRROR_TABLES,
    "report_points",
    "companies",
    "customer_accounts",
    "user_month",
    "daily_posts",
    "kpi_snapshots",
    "sync_cursors",
    "outbox",
)


def table_counts(conn: Connection) -> dict[str, int]:
    """Row count per table (for ``modconsole status``)."""
    return {
        name: int(conn.execute(select(func.count()).select_from(_table(name))).scalar_one())
        for name in COUNTED_TABLES
    }


def outbox_counts(conn: Connection) -> dict[str, int]:
    """Outbox rows per state (every state present, zero when none)."""
    from modconsole.cache.schema import OUTBOX_STATES

    t = _table("outbox")
    counts = dict.fromkeys(OUTBOX_STATES, 0)
    for state, n in conn.execute(select(t.c.state, func.count()).group_by(t.c.state)):
        counts[str(state)] = int(n)
    return counts


__all__ = [
    "COUNTED_TABLES",
    "MIRROR_TABLES",
    "CursorState",
    "fts_query",
    "get_cursor",
    "mark_seen",
    "mark_unseen_gone",
    "outbox_counts",
    "put_cursor",
    "rebuild_derived",
    "rebuild_fts",
    "refresh_derived",
    "refresh_fts",
    "refresh_rollups",
    "search_posts",
    "search_topics",
    "table_counts",
    "upsert_badges",
    "upsert_categories",
    "upsert_group_members",
    "upsert_groups",
    "upsert_posts",
    "upsert_report_points",
    "upsert_solutions",
    "upsert_topics",
    "upsert_user_badges",
    "upsert_users",
]
