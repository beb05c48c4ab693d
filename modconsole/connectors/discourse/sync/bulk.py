"""The bulk mirror: topics and posts through Discourse's Data Explorer (CONTRACT-ADDITIONS §A1).

A REST first sync of a large community costs one request per 50 posts; a Data Explorer run returns
up to 10,000 rows. An admin installs the mirror queries once (``modconsole setup bulk-sync``:
:func:`install`), shared with the moderators' group; the sync then finds them (:func:`discover`,
through the route the key may use) and pages the big tables by id (:class:`BulkMirror`).

**What a run sees.** The SQL runs outside Discourse's Guardian: it sees private messages, whispers,
deleted rows and restricted categories (§A1.8). Each query therefore filters, in SQL, to exactly
what the *runner* could read over REST — the runner being ``current_user_id`` (newest core:
injected by the server, never taken from the client), so a member cannot ask for someone else's
view:

* topics: ``archetype = 'regular'`` (no private messages); restricted categories only for admins
  or members of a group the category grants (the automatic groups ``everyone``, ``staff``,
  ``trust_level_N`` included); unlisted and deleted topics only for staff;
* posts: those of the topics above; whispers (``post_type = 4``) only for admins (the demo's
  ``whispers_allowed_groups``); deleted posts only for staff.

Columns are the ones the cache keeps from the REST answers (``run.TOPIC_KEYS``/``POST_KEYS``),
aliased so none ends in ``_id`` where that would make the plugin side-load relations; runs use
``download=1`` (no ``relations``/``colrender``). Accepted answers are read from the tables of the
site's Discourse version (:data:`SOLVED_SCHEMAS`), chosen at install time from ``schema.json``.

Runs are serialised, at least ``bulk_run_interval`` apart (the site-wide run limit is 2 per 10 s);
a 429 is waited out by the client's rate-limit handling (``Retry-After``).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from modconsole.api.client import ApiClient
from modconsole.cache import repo
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.endpoints import Route
from modconsole.connectors.discourse.sync.run import GROUP_KEYS
from modconsole.errors import ApiError, Cancelled, NotFound, PermissionDenied, Rejected, UnexpectedPayload

if TYPE_CHECKING:
    from modconsole.connectors.discourse.sync.base import Stage
    from modconsole.connectors.discourse.sync.groups import GroupsStage

log = logging.getLogger("modconsole.sync.bulk")

PREFIX = "modconsole mirror: "
BATCH = 10_000
SETTING = "data_explorer_enabled"
SOLVED_SCHEMAS = ("topic_answers", "solved_topics", "custom_fields")

# ---------------------------------------------------------------- the SQL

_HEADER = "-- [params]\n-- current_user_id :me\n-- int :after = 0\n-- int :batch = 10000\n"

# The runner, and whether a topic/category is readable by them (Discourse's automatic groups:
# 0 everyone, 1 admins, 2 moderators, 3 staff, 10 + n trust_level_n).
_VIEWER = "JOIN users v ON v.id = :me"
_STAFF = "(v.admin OR v.moderator)"
_CATEGORY_OK = (
    "(NOT c.read_restricted OR v.admin OR EXISTS (SELECT 1 FROM category_groups cg "
    "WHERE cg.category_id = c.id AND (cg.group_id = 0 "
    "OR (cg.group_id = 2 AND v.moderator) "
    f"OR (cg.group_id = 3 AND {_STAFF}) "
    "OR (cg.group_id BETWEEN 10 AND 14 AND v.trust_level >= cg.group_id - 10) "
    "OR EXISTS (SELECT 1 FROM group_users gu WHERE gu.group_id = cg.group_id AND gu.user_id = v.id))))"
)
_TOPIC_OK = (
    f"t.archetype = 'regular' AND {_CATEGORY_OK} AND ({_STAFF} OR (t.visible AND t.deleted_at IS NULL))"
)


def _solved(schema: str) -> tuple[str, str, str]:
    """SQL for a solved storage version: (the topic has an accepted answer, the post is one, the
    topic's accepted post id). Who accepted is left out: REST shows it only with the site setting
    ``show_who_marked_solved`` (off by default), which a run cannot see (the topic view fills it)."""
    if schema == "topic_answers":
        src = (
            "FROM discourse_solved_solved_topics s JOIN discourse_solved_topic_answers a "
            "ON a.solved_topic_id = s.id WHERE s.topic_id = t.id"
        )
        return (
            f"EXISTS (SELECT 1 {src})",
            "EXISTS (SELECT 1 FROM discourse_solved_topic_answers a WHERE a.answer_post_id = p.id)",
            f"(SELECT min(a.answer_post_id) {src})",
        )
    if schema == "solved_topics":
        return (
            "EXISTS (SELECT 1 FROM discourse_solved_solved_topics s WHERE s.topic_id = t.id)",
            "EXISTS (SELECT 1 FROM discourse_solved_solved_topics s WHERE s.answer_post_id = p.id)",
            "(SELECT s.answer_post_id FROM discourse_solved_solved_topics s WHERE s.topic_id = t.id)",
        )
    if schema == "custom_fields":
        field = "f.name = 'accepted_answer_post_id'"
        return (
            f"EXISTS (SELECT 1 FROM topic_custom_fields f WHERE f.topic_id = t.id AND {field})",
            f"EXISTS (SELECT 1 FROM topic_custom_fields f WHERE {field} AND f.value = CAST(p.id AS text))",
            "(SELECT CAST(f.value AS integer) FROM topic_custom_fields f "
            f"WHERE f.topic_id = t.id AND {field})",
        )
    raise ValueError(f"unknown solved schema {schema!r}")


def topics_sql(schema: str) -> str:
    solved, _, answer = _solved(schema)
    return (
        _HEADER + "\n"
        "SELECT t.id, t.title, t.fancy_title, t.slug, t.category_id AS category, t.archetype,\n"
        "  t.user_id AS author, t.created_at, t.bumped_at, t.last_posted_at, t.posts_count,\n"
        "  t.reply_count, t.highest_post_number, t.views, t.like_count, t.closed, t.archived,\n"
        "  t.visible, (t.pinned_at IS NOT NULL) AS pinned, t.deleted_at,\n"
        f"  {solved} AS has_accepted_answer, {answer} AS accepted_post,\n"
        "  (SELECT string_agg(x.name, ',') FROM (SELECT tg.name FROM topic_tags tt JOIN tags tg "
        "ON tg.id = tt.tag_id WHERE tt.topic_id = t.id ORDER BY tt.id) x) AS tag_names\n"
        "FROM topics t\n"
        "JOIN categories c ON c.id = t.category_id\n"
        f"{_VIEWER}\n"
        f"WHERE t.id > :after AND {_TOPIC_OK}\n"
        "ORDER BY t.id\n"
        "LIMIT :batch\n"
    )


def posts_sql(schema: str) -> str:
    _, accepted, _ = _solved(schema)
    return (
        _HEADER + "\n"
        "SELECT p.id, p.topic_id AS topic, p.post_number, p.user_id AS author, u.username,\n"
        "  p.created_at, p.updated_at, p.version, p.post_type, p.action_code, p.reply_to_post_number,\n"
        "  p.cooked, p.reads, p.hidden, p.deleted_at, p.like_count,\n"
        f"  {accepted} AS accepted_answer\n"
        "FROM posts p\n"
        "JOIN topics t ON t.id = p.topic_id\n"
        "JOIN categories c ON c.id = t.category_id\n"
        f"{_VIEWER}\n"
        "LEFT JOIN users u ON u.id = p.user_id\n"
        f"WHERE p.id > :after AND {_TOPIC_OK}\n"
        "  AND (p.post_type IN (1, 2, 3) OR (p.post_type = 4 AND v.admin))\n"
        # A deleted post is read by staff over REST through the gap it leaves in the post numbers;
        # a deleted *last* post lowers highest_post_number (Topic.reset_highest) and leaves none.
        f"  AND (p.deleted_at IS NULL OR ({_STAFF} AND p.post_number <= t.highest_post_number))\n"
        "ORDER BY p.id\n"
        "LIMIT :batch\n"
    )


def grants_sql(_schema: str) -> str:
    """Badge grants as ``/user_badges.json?badge_id=`` shows them, for the hand-awarded badges the
    REST sync lists (automatic badges' holders are read on demand, as over REST): of the badges the
    runner's badge list shows (admins: all; others: enabled and listable), holders not deleted; the post of
    a grant only when the badge shows its posts (``show_posts``: the grantee list keeps it private
    otherwise)."""
    return (
        _HEADER + "\n"
        "SELECT ub.id, ub.user_id AS holder, ub.badge_id AS badge, ub.granted_at,\n"
        "  COALESCE(ub.granted_by_id, -1) AS granter,\n"
        "  CASE WHEN b.show_posts THEN ub.post_id END AS post, p.topic_id AS topic,\n"
        "  p.post_number\n"
        "FROM user_badges ub\n"
        "JOIN users u ON u.id = ub.user_id\n"
        "JOIN badges b ON b.id = ub.badge_id\n"
        f"{_VIEWER}\n"
        "LEFT JOIN posts p ON p.id = ub.post_id AND b.show_posts\n"
        "WHERE ub.id > :after AND (v.admin OR (b.enabled AND b.listable))\n"
        # automatic badges (system ones: id < 100; query-granted ones) are left out, as the REST
        # sync leaves their holders to be read when a moderator opens the badge
        "  AND b.id >= 100 AND (b.query IS NULL OR b.query = '')\n"
        "ORDER BY ub.id\n"
        "LIMIT :batch\n"
    )


def _setting_on(*names: str) -> str:
    """Whether a boolean site setting is on. ``site_settings`` holds only the settings an admin
    changed (no row: the default applies — off for every setting asked about here, an assumption:
    CONTRACT.md §11 could not read the current defaults); booleans are stored as ``'t'``/``'f'``.
    Several names: the setting's names across Discourse versions."""
    listed = ", ".join(f"'{n}'" for n in names)
    return f"EXISTS (SELECT 1 FROM site_settings s WHERE s.name IN ({listed}) AND s.value IN ('t', 'true'))"


# Guardian#can_check_emails?: admins, and moderators while ``moderators_view_emails`` is on.
_EMAILS = f"(v.admin OR (v.moderator AND {_setting_on('moderators_view_emails')}))"


def users_sql(_schema: str) -> str:
    """Members as staff's ``/admin/users/list`` shows them (staff only: nothing for anyone else),
    with the e-mail exactly when this runner sees e-mails over REST (``show_emails``: admins, and
    moderators while ``moderators_view_emails`` is on). ``emails_shown`` says which: the sync
    compares it with what REST told it and lists members over REST when the two disagree."""
    return (
        _HEADER + "\n"
        "SELECT u.id, u.username, u.name, u.trust_level, u.admin, u.moderator, u.title, u.created_at,\n"
        "  u.last_seen_at, u.last_posted_at, u.suspended_till,\n"
        "  (u.silenced_till IS NOT NULL AND u.silenced_till > now()) AS silenced, u.staged, u.active,\n"
        f"  CASE WHEN {_EMAILS} THEN (SELECT e.email FROM user_emails e WHERE e.user_id = u.id "
        'AND e."primary") END AS email,\n'
        f"  {_EMAILS} AS emails_shown\n"
        "FROM users u\n"
        f"{_VIEWER}\n"
        f"WHERE u.id > :after AND {_STAFF}\n"
        "ORDER BY u.id\n"
        "LIMIT :batch\n"
    )


def _sees(level: str) -> str:
    """Guardian#can_see_groups? (``g.visibility_level``) and #can_see_group_members?
    (``g.members_visibility_level``) for the runner ``v`` and the group ``g``. Group.visibility_levels:
    0 public, 1 logged-on users, 2 members, 3 staff, 4 owners. Admins see all; staff the members and
    staff levels; anyone signed in levels 0 and 1; otherwise owners of the group see it at any level
    and its other members at the members level."""
    return (
        f"(v.admin OR {level} IN (0, 1) OR ({_STAFF} AND {level} IN (2, 3)) "
        "OR EXISTS (SELECT 1 FROM group_users mine WHERE mine.group_id = g.id AND mine.user_id = v.id "
        f"AND (mine.owner OR {level} = 2)))"
    )


def groups_sql(_schema: str) -> str:
    """Groups as ``/groups/{name}.json`` shows them to the runner: only those it may see (Site#groups
    and GroupsController#find_group: Group.visible_groups), the automatic ones included as they are
    stored. ``can_admin_group`` is GroupGuardian#can_admin_group?: admins; moderators while
    ``moderators_manage_groups`` (older: ``moderators_manage_categories_and_groups``) is on, for a
    group they see other than ``admins`` (id 1). ``members_shown``: whether the runner may list its
    members (a group whose members it may not see keeps none in the cache, as over REST)."""
    manage = _setting_on("moderators_manage_groups", "moderators_manage_categories_and_groups")
    return (
        _HEADER + "\n"
        "SELECT g.id, g.name, g.full_name, g.title, g.user_count, g.automatic, g.grant_trust_level,\n"
        "  g.visibility_level, g.primary_group, g.public_admission, g.public_exit,\n"
        f"  (v.admin OR (v.moderator AND g.id <> 1 AND {manage})) AS can_admin_group,\n"
        f"  {_sees('g.members_visibility_level')} AS members_shown\n"
        "FROM groups g\n"
        f"{_VIEWER}\n"
        f"WHERE g.id > :after AND {_sees('g.visibility_level')}\n"
        "ORDER BY g.id\n"
        "LIMIT :batch\n"
    )


def group_members_sql(_schema: str) -> str:
    """Memberships as ``/groups/{name}/members.json`` lists them (``group.users.human_users``: no
    system user or bots, no deleted users), of the groups whose members the runner may see."""
    return (
        _HEADER + "\n"
        "SELECT gu.id, gu.group_id AS grp, gu.user_id AS member, gu.owner, gu.created_at AS added_at\n"
        "FROM group_users gu\n"
        "JOIN groups g ON g.id = gu.group_id\n"
        "JOIN users u ON u.id = gu.user_id\n"
        f"{_VIEWER}\n"
        f"WHERE gu.id > :after AND u.id > 0 AND {_sees('g.visibility_level')}\n"
        f"  AND {_sees('g.members_visibility_level')}\n"
        "ORDER BY gu.id\n"
        "LIMIT :batch\n"
    )


@dataclass(frozen=True)
class MirrorQuery:
    table: str
    name: str
    sql: Callable[[str], str]
    description: str


QUERIES: tuple[MirrorQuery, ...] = (
    MirrorQuery(
        "topics",
        PREFIX + "topics v1",
        topics_sql,
        "modconsole bulk mirror: topics the runner may read over REST, by id (keyset paging).",
    ),
    MirrorQuery(
        "posts",
        PREFIX + "posts v1",
        posts_sql,
        "modconsole bulk mirror: posts the runner may read over REST, by id (keyset paging).",
    ),
    MirrorQuery(
        "user_badges",
        PREFIX + "badge grants v1",
        grants_sql,
        "modconsole bulk mirror: badge grants the runner may read over REST, by id (keyset paging).",
    ),
    MirrorQuery(
        "users",
        PREFIX + "users v1",
        users_sql,
        "modconsole bulk mirror: members as staff's admin list shows them, by id (keyset paging).",
    ),
    MirrorQuery(
        "groups",
        PREFIX + "groups v1",
        groups_sql,
        "modconsole bulk mirror: groups the runner may see, by id (keyset paging).",
    ),
    MirrorQuery(
        "group_members",
        PREFIX + "group members v1",
        group_members_sql,
        "modconsole bulk mirror: members of the groups whose members the runner may see, by id.",
    ),
)
REQUIRED = frozenset({"topics", "posts", "user_badges"})
"""The queries the bulk stage needs; the others (members, groups) serve their stages when present
(a site set up by an older console has only these: its members and groups come over REST)."""


def all_sql() -> list[tuple[str, str, str]]:
    """(name, solved schema, SQL) of every mirror query in every storage version (for tests)."""
    return [(q.name, s, q.sql(s)) for q in QUERIES for s in SOLVED_SCHEMAS]


# ---------------------------------------------------------------- setup (admin key)


class PluginOff(Exception):
    """The Data Explorer answers 404 to an admin: the plugin is not enabled."""


@dataclass(frozen=True)
class SetupResult:
    group: str
    solved_schema: str
    actions: tuple[tuple[str, str, int], ...]  # (query name, "created"|"updated"|"unchanged", id)


def solved_schema_of(schema: Mapping[str, Any]) -> str:
    if "discourse_solved_topic_answers" in schema:
        return "topic_answers"
    if "discourse_solved_solved_topics" in schema:
        return "solved_topics"
    return "custom_fields"


def _admin_list(client: ApiClient) -> list[dict[str, Any]]:
    """Every non-hidden query named like ours (newer cores page by 50; older: one array)."""
    out: list[dict[str, Any]] = []
    offset = 0
    while True:
        data = client.get_json(ep.explorer_queries().path, {"filter": PREFIX.strip(), "offset": offset})
        items = data if isinstance(data, list) else (data or {}).get("queries", [])
        page = [q for q in items if isinstance(q, dict)]
        out.extend(page)
        more = isinstance(data, dict) and data.get("load_more_queries") and page
        if not more:
            return out
        offset += len(page)


def install(client: ApiClient, group: str = "moderators") -> SetupResult:
    """Create or update the mirror queries and share them with ``group`` (safe to repeat)."""
    try:
        schema = client.get_json(ep.explorer_schema().path)
    except NotFound as err:
        raise PluginOff() from err
    solved = solved_schema_of(schema if isinstance(schema, Mapping) else {})
    groups = client.get_json(ep.explorer_groups().path)
    gid = next(
        (
            int(g["id"])
            for g in groups or []
            if isinstance(g, Mapping) and str(g.get("name", "")).lower() == group.lower()
        ),
        None,
    )
    if gid is None:
        raise Rejected(f"There is no group named '{group}' on this site.", route=ep.explorer_groups().label)
    existing = {str(q.get("name")): q for q in _admin_list(client)}
    actions = []
    for mq in QUERIES:
        sql = mq.sql(solved)
        body = {"query[name]": mq.name, "query[sql]": sql, "query[description]": mq.description}
        form: dict[str, Any] = {**body, "query[group_ids][]": [str(gid)]}
        old = existing.get(mq.name)
        if old is None:
            data = client.post_json(ep.explorer_create_query().path, form)
            actions.append((mq.name, "created", int(data["query"]["id"])))
            continue
        qid = int(old["id"])
        detail = client.get_json(ep.explorer_query(qid).path).get("query", {})
        same = (
            detail.get("sql") == sql
            and detail.get("description") == mq.description
            and [int(g) for g in detail.get("group_ids") or []] == [gid]
        )
        if same:
            actions.append((mq.name, "unchanged", qid))
        else:
            client.put_json(ep.explorer_update_query(qid).path, form)
            actions.append((mq.name, "updated", qid))
    return SetupResult(group, solved, tuple(actions))


# ---------------------------------------------------------------- finding and running (any key)


@dataclass(frozen=True)
class Source:
    """Where this key runs the mirror queries: the admin route or a group's reports route."""

    route: str  # "admin" or "group"
    group: str | None
    ids: Mapping[str, int]  # table -> query id
    read_only: bool = False
    """The key may not POST (a user API key with the ``read`` scope only): the newest core's
    ``GET /data-explorer/queries/{id}/run.json`` instead of the group route."""

    def run_route(self, qid: int) -> Route:
        if self.route == "admin":
            return ep.explorer_run(qid)
        if self.read_only:
            return ep.explorer_run_read_only(qid)
        return ep.group_report_run(str(self.group), qid)


def _pick_ours(items: Sequence[Any]) -> dict[str, int]:
    by_name = {str(q.get("name")): int(q["id"]) for q in items if isinstance(q, Mapping) and "id" in q}
    return {mq.table: by_name[mq.name] for mq in QUERIES if mq.name in by_name}


def discover(client: ApiClient, *, admin: bool, groups: Sequence[str]) -> Source | None:
    """The shared mirror queries this key may run, or ``None`` (plugin off, not shared: 404/403)."""
    if admin:
        try:
            ids = _pick_ours(_admin_list(client))
        except (NotFound, PermissionDenied):
            return None
        return Source("admin", None, ids) if ids.keys() >= REQUIRED else None
    for g in groups:
        try:
            data = client.get_json(ep.group_reports(g).path)
        except (NotFound, PermissionDenied):
            continue
        items = data.get("queries", []) if isinstance(data, Mapping) else []
        ids = _pick_ours(items)
        if ids.keys() >= REQUIRED:
            return Source("group", g, ids)
    return None


def _validate_run(data: Any, route: str) -> None:
    if not (
        isinstance(data, Mapping)
        and data.get("success") is True
        and isinstance(data.get("columns"), list)
        and isinstance(data.get("rows"), list)
    ):
        raise UnexpectedPayload(
            "The Data Explorer sent an answer modconsole does not understand.",
            route=route,
            status=200,
            detail="expected success, columns and rows",
            retryable=False,
        )


# ---------------------------------------------------------------- the mirror stage


def _b(v: Any) -> bool:
    return bool(v) and v not in ("f", "false", 0)


def _topic_row(r: Mapping[str, Any]) -> dict[str, Any]:
    tags = str(r["tag_names"]).split(",") if r.get("tag_names") else []
    return {
        "id": int(r["id"]),
        "title": r["title"],
        "fancy_title": r["fancy_title"],
        "slug": r["slug"],
        "category_id": r["category"],
        "archetype": r["archetype"],
        "user_id": r["author"],
        "created_at": r["created_at"],
        "bumped_at": r["bumped_at"],
        "last_posted_at": r["last_posted_at"],
        "posts_count": r["posts_count"] or 0,
        "reply_count": r["reply_count"] or 0,
        "highest_post_number": r["highest_post_number"] or 0,
        "views": r["views"] or 0,
        "like_count": r["like_count"] or 0,
        "closed": _b(r["closed"]),
        "archived": _b(r["archived"]),
        "visible": _b(r["visible"]),
        "pinned": _b(r["pinned"]),
        "deleted_at": r["deleted_at"],
        "has_accepted_answer": _b(r["has_accepted_answer"]),
        "accepted_post_id": r["accepted_post"] if _b(r["has_accepted_answer"]) else None,
        "tags": tags,
    }


def _post_row(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": int(r["id"]),
        "topic_id": int(r["topic"]),
        "post_number": int(r["post_number"]),
        "user_id": r["author"],
        "username": r["username"],
        "created_at": r["created_at"],
        "updated_at": r["updated_at"],
        "version": r["version"],
        "post_type": r["post_type"] if r["post_type"] is not None else 1,
        "action_code": r["action_code"],
        "reply_to_post_number": r["reply_to_post_number"],
        "cooked": r["cooked"],
        "reads": r["reads"],
        "hidden": _b(r["hidden"]),
        "deleted_at": r["deleted_at"],
        "like_count": r["like_count"] or 0,
        "accepted_answer": _b(r["accepted_answer"]),
    }


def _grant_row(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": int(r["id"]),
        "user_id": int(r["holder"]),
        "badge_id": int(r["badge"]),
        "granted_at": r["granted_at"],
        "granted_by_id": r["granter"],
        "post_id": r["post"],
        "topic_id": r["topic"] if r["post"] is not None else None,
        "post_number": r["post_number"] if r["post"] is not None else None,
    }


class Fallback(Exception):
    """The bulk path cannot serve this run; ``reason`` is the one line the report shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BulkMirror:
    """Topics and posts of a first sync or rescan, by keyset pages of Data Explorer runs."""

    def __init__(self, engine: Stage, client: ApiClient, source: Source) -> None:
        self.engine = engine
        self.client = client
        self.source = source
        self._last_run: float | None = None

    def _run(self, table: str, after: int) -> list[dict[str, Any]]:
        eng = self.engine
        run = eng._run
        assert run is not None
        interval = eng._opts.bulk_run_interval
        if self._last_run is not None and interval > 0:
            left = interval - (time.monotonic() - self._last_run)
            if left > 0 and run.token.wait(left):
                raise Cancelled("The sync was cancelled.")
        data = {
            "params": json.dumps({"after": str(after), "batch": str(BATCH)}),
            "limit": str(BATCH),
            "download": "1",
        }

        def once() -> Any:
            src = self.source
            route = src.run_route(src.ids[table])
            if route.method == "GET":
                got = self.client.get_json(route.path, data, cancel=eng._cancel)
            else:
                got = self.client.post_json(route.path, data, cancel=eng._cancel)
            _validate_run(got, route.label)
            return got

        try:
            try:
                got = eng._retrying(once)
            except PermissionDenied:
                if self.source.route != "group" or self.source.read_only:
                    raise
                # 403 on the group's POST route: a read-only user key; the newest core's GET route
                self.source = replace(self.source, read_only=True)
                got = eng._retrying(once)
        except (NotFound, PermissionDenied) as err:
            raise Fallback(
                f"bulk: the Data Explorer refused the {table} query ({err.status or 404}); synced over REST"
            ) from err
        except Rejected as err:  # 422: SQL error, timeout; 400: limit
            why = " ".join(err.user_message.split())
            raise Fallback(f"bulk: the {table} query failed ({why}); synced over REST") from err
        finally:
            self._last_run = time.monotonic()
        cols = [str(c) for c in got["columns"]]
        return [dict(zip(cols, row, strict=False)) for row in got["rows"] if isinstance(row, list)]

    def rows(self, table: str, start: int = 0) -> list[dict[str, Any]]:
        """Every row of a small table (groups, memberships), paged by id, without a saved cursor:
        an interrupted walk starts again (a handful of runs)."""
        out: list[dict[str, Any]] = []
        after = start
        while True:
            page = self._run(table, after)
            out.extend(page)
            self.engine._emit(len(out), None, f"bulk {table}")
            if len(page) < BATCH:
                return out
            after = max(int(r["id"]) for r in page)

    def _walk(self, table: str, apply: Callable[[Connection, list[dict[str, Any]], str], None]) -> int:
        """Page ``table`` by id from its saved cursor to the end; returns the highest id seen."""
        eng = self.engine
        res = f"bulk:{table}"
        with eng._cache.read() as conn:
            cur = eng._cursor(conn, res)
        if cur.pass_id is None:
            cur = replace(cur, pass_id=uuid.uuid4().hex, pass_page_token="0", hw_id=0)
            with eng._cache.write() as conn:
                repo.put_cursor(conn, cur)
        after = int(cur.pass_page_token or 0)
        pass_id = str(cur.pass_id)
        done = 0
        while True:
            rows = self._run(table, after)
            with eng._cache.write() as conn:
                if rows:
                    apply(conn, rows, pass_id)
                    after = max(int(r["id"]) for r in rows)
                c = eng._cursor(conn, res)
                last = len(rows) < BATCH
                repo.put_cursor(
                    conn,
                    replace(c, pass_page_token=str(after))
                    if not last
                    else eng._pass_done(c, hw_id=after, hw_value=pass_id),
                )
            done += len(rows)
            eng._emit(done, None, f"bulk {table}")
            if last:
                return after

    def _apply_topics(self, conn: Connection, rows: list[dict[str, Any]], pass_id: str) -> None:
        eng = self.engine
        topics = [_topic_row(r) for r in rows]
        changed = repo.upsert_topics(conn, topics)
        repo.mark_seen(conn, "topics", [t["id"] for t in topics], pass_id)
        eng._changed("topics", changed)
        repo.refresh_fts(conn, topic_ids=changed)

    def _apply_posts(self, conn: Connection, rows: list[dict[str, Any]], _pass_id: str) -> None:
        self.engine.stages.posts.apply_posts(conn, [_post_row(r) for r in rows], derive=False)

    def _apply_grants(self, conn: Connection, rows: list[dict[str, Any]], pass_id: str) -> None:
        grants = [_grant_row(r) for r in rows]
        self.engine._changed("user_badges", repo.upsert_user_badges(conn, grants))
        repo.mark_seen(conn, "user_badges", [g["id"] for g in grants], pass_id)

    def mirror(self, after_topics: Callable[[], None] | None = None) -> None:
        """Topics, posts, grants; on success the REST listing and tail cursors are marked complete
        and the badge stage lists badges without re-reading their grants."""
        eng = self.engine
        self._walk("topics", self._apply_topics)
        if after_topics is not None:
            after_topics()
        top_post = self._walk("posts", self._apply_posts)
        self._walk("user_badges", self._apply_grants)
        eng.stages.posts.derive_all()
        with eng._cache.write() as conn:
            tcur = eng._cursor(conn, "bulk:topics")
            if tcur.hw_value:
                gone = repo.mark_unseen_gone(conn, "topics", tcur.hw_value, eng._now())
                eng._changed("topics", gone)
            gcur = eng._cursor(conn, "bulk:user_badges")
            if gcur.hw_value:
                revoked = repo.mark_unseen_gone(conn, "user_badges", gcur.hw_value, eng._now())
                eng._changed("user_badges", revoked)
            for res in ("bulk:topics", "bulk:posts", "bulk:user_badges"):  # a rescan starts new passes
                c = eng._cursor(conn, res)
                repo.put_cursor(conn, replace(c, pass_id=None, pass_page_token=None))
            listing = eng._cursor(conn, "topics:listing")
            repo.put_cursor(conn, eng._pass_done(listing, pass_target_value=None))
            posts = eng._cursor(conn, "posts:latest")
            eng.stages.posts.complete_posts(conn, replace(posts, pass_id=None), top_post)
            act = eng._cursor(conn, "topics:activity")
            hw = conn.execute(text("SELECT max(bumped_at) FROM topics WHERE gone_since IS NULL")).scalar()
            if hw is not None and (act.hw_value is None or str(hw) > act.hw_value):
                repo.put_cursor(
                    conn,
                    replace(act, hw_value=str(hw), last_complete_pass_at=eng._now()),
                )


def mirror_users(
    engine: Stage,
    client: ApiClient,
    source: Source,
    *,
    emails: bool,
    vendor: frozenset[str],
    pass_id: str,
) -> set[int] | None:
    """The users stage's member walk through the mirror query. Returns the users not listed (to
    be confirmed as REST does), or ``None`` (with a note) when the REST walk must do it."""
    run = engine._run
    assert run is not None
    if "users" not in source.ids:
        run.notes.append(
            "bulk: members listed over REST (no members query shared: 'modconsole setup bulk-sync')"
        )
        return None

    def apply(conn: Connection, rows: list[dict[str, Any]], _pass: str) -> None:
        if any("emails_shown" not in r or _b(r["emails_shown"]) != emails for r in rows):
            # the query and REST disagree on whether this key sees e-mails (an older query, or a
            # setting whose default on this site is not the one assumed): REST has the last word
            raise Fallback(
                "bulk: members listed over REST (the members query and the site disagree on whether "
                "this key sees e-mails; 'modconsole setup bulk-sync' updates the query)"
            )
        items = [{**r, "email": r.get("email")} for r in rows]
        engine._changed(
            "users", repo.upsert_users(conn, engine.stages.users.user_rows(conn, items, emails, vendor))
        )
        repo.mark_seen(conn, "users", [int(r["id"]) for r in rows], pass_id)

    try:
        BulkMirror(engine, client, source)._walk("users", apply)
    except Fallback as fb:
        run.notes.append(fb.reason)
        with engine._cache.write() as conn:  # the REST walk lists them all: no half pass to resume
            c = engine._cursor(conn, "bulk:users")
            repo.put_cursor(conn, replace(c, pass_id=None, pass_page_token=None))
        return None
    with engine._cache.write() as conn:
        unseen = repo.mark_unseen_gone(conn, "users", pass_id, engine._now())
        engine._changed("users", unseen)
        c = engine._cursor(conn, "bulk:users")
        repo.put_cursor(conn, replace(c, pass_id=None, pass_page_token=None))
        repo.put_cursor(conn, engine._pass_done(engine._cursor(conn, "users")))
    return unseen


def mirror_groups(
    engine: GroupsStage, client: ApiClient, source: Source, groups: Sequence[tuple[int, str]]
) -> bool:
    """The groups stage through the mirror: each of ``groups`` (the site's list, as REST walks it)
    with its row and members as the key reads them over REST, or gone when it may not see it.
    ``False`` (with a note): the REST walk does it."""
    run = engine._run
    assert run is not None
    if not {"groups", "group_members"} <= source.ids.keys():
        run.notes.append(
            "bulk: groups listed over REST (no groups queries shared: 'modconsole setup bulk-sync')"
        )
        return False
    mirror = BulkMirror(engine, client, source)
    try:
        # the automatic group 'everyone' has id 0
        seen = {int(r["id"]): r for r in mirror.rows("groups", start=-1)}
        memberships = mirror.rows("group_members") if seen else []
    except Fallback as fb:
        run.notes.append(fb.reason)
        return False
    members: dict[int, dict[int, dict[str, Any]]] = {}
    for m in memberships:
        gid, uid = int(m["grp"]), int(m["member"])
        members.setdefault(gid, {})[uid] = {
            "group_id": gid,
            "user_id": uid,
            "owner": _b(m["owner"]),
            "added_at": m["added_at"],
        }
    for gid, _name in groups:
        g = seen.get(gid)
        if g is None:
            engine.group_gone(gid)
            continue
        row = {k: g[k] for k in GROUP_KEYS if k in g}
        for flag in ("automatic", "primary_group", "public_admission", "public_exit", "can_admin_group"):
            row[flag] = _b(g[flag])
        shown = _b(g.get("members_shown"))
        engine.store_group(gid, row, members.get(gid, {}) if shown else {})
    run.notes.append("bulk: groups and their members mirrored through the Data Explorer")
    return True


def find(engine: Stage, client: ApiClient, *, admin: bool) -> Source | None:
    """The engine's first hook: the shared mirror queries, or ``None`` with one note (REST)."""
    run = engine._run
    assert run is not None
    try:
        source = discover(client, admin=admin, groups=engine._opts.bulk_groups)
    except ApiError as err:
        run.notes.append(f"bulk: the Data Explorer could not be asked ({err.user_message}); synced over REST")
        return None
    if source is None:
        run.notes.append(
            "bulk: no shared mirror queries for this key (Data Explorer off, or not set up / shared: "
            "'modconsole setup bulk-sync'); synced over REST"
        )
    return source


def run_stage(
    engine: Stage, client: ApiClient, source: Source, after_topics: Callable[[], None] | None = None
) -> bool:
    """The engine's second hook: topics, posts and grants in bulk; ``False`` (with a note): REST.
    ``after_topics`` runs between the topics and the posts walks."""
    run = engine._run
    assert run is not None
    mirror = BulkMirror(engine, client, source)
    try:
        mirror.mirror(after_topics)
    except Fallback as fb:
        run.notes.append(fb.reason)
        return False
    source = mirror.source
    run.bulk_grants = True
    run.bulk_source = source
    where = (
        "admin route"
        if source.route == "admin"
        else "run route for read-only keys"
        if source.read_only
        else f"group '{source.group}'"
    )
    run.notes.append(f"bulk: topics, posts and badge grants mirrored through the Data Explorer ({where})")
    return True
