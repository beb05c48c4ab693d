"""The Data Explorer plugin of the demo community (``shared/discourse/CONTRACT-ADDITIONS.md`` §A1).

Off by default, like Discourse (site setting ``data_explorer_enabled``; ``modconsole demo-server
--data-explorer on``); while off every route below answers 404. Routes:

* admin (``/admin/plugins/discourse-data-explorer/…`` and the legacy ``/admin/plugins/explorer/…``):
  list, show, create, update, delete queries, run, schema, groups — admins only, 403 for anyone else;
* group reports (``/g/{group}/reports…``): members of a group a query is shared with (admins always),
  404 otherwise;
* the newest core's ``GET /data-explorer/queries/{id}/run.json`` (admin, or a member of a group the
  query is shared with; 404 otherwise).

Runs follow the plugin's controller: the site-wide API run limit
(``max_data_explorer_api_reqs_per_10_seconds`` = 2, mode ``warn`` by default — logged only — or
``block``: 429), ``limit`` (default ``data_explorer_query_result_limit`` = 1,000, at most 10,000,
400 above), ``download`` (attachment, no ``relations``/``colrender``; ``.csv`` too), ``explain=true``,
422 with ``{"success": false, "errors": [...]}`` for SQL, parameter and timeout errors, ``relations``
for ``*_id`` columns. The SQL
itself runs in :mod:`modconsole.demo.dataexplorer_sql` (PostgreSQL validated by ``pglast``,
translated to SQLite, over views with Discourse's table names). Results are not cached.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from modconsole import clock
from modconsole.demo import core
from modconsole.demo.core import Ctx, HttpError, error, invalid_access, not_found, now_iso
from modconsole.demo.dataexplorer_sql import (
    SOLVED_SCHEMAS,
    Engine,
    Lookup,
    QueryError,
    Result,
    cast_params,
    param_info,
    parse_params,
    schema_json,
)

if TYPE_CHECKING:
    from modconsole.demo.server import DemoServer

QUERY_RESULT_MAX_LIMIT = 10_000
INDEX_LIMIT = 50
LIMIT_MODES = ("warn", "block", "warn+block")
RUN_BUCKET = "api-query-run-10-sec"  # RateLimiter key without a user: one bucket for the whole site
ADMIN_PREFIXES = ("/admin/plugins/discourse-data-explorer", "/admin/plugins/explorer")

DDL = """
CREATE TABLE IF NOT EXISTS data_explorer_queries (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT,
    sql         TEXT NOT NULL DEFAULT 'SELECT 1',
    user_id     INTEGER,
    hidden      INTEGER NOT NULL DEFAULT 0,
    last_run_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS data_explorer_query_groups (
    id       INTEGER PRIMARY KEY,
    query_id INTEGER NOT NULL,
    group_id INTEGER NOT NULL,
    UNIQUE (query_id, group_id)
);
"""

# Discourse ships built-in queries with negative ids; they are listed (and runnable) before anyone saves one.
DEFAULT_QUERIES: dict[int, dict[str, str]] = {
    -1: {
        "name": "Most Common Likers",
        "description": "Which users like particular other users the most?",
        "sql": "-- [params]\n-- int :limit = 100\n\nSELECT pa.user_id AS liker_user_id, p.user_id AS "
        "liked_user_id, count(*) AS like_count\nFROM post_actions pa\nJOIN posts p ON p.id = pa.post_id\n"
        "WHERE pa.post_action_type_id = 2\nGROUP BY pa.user_id, p.user_id\nORDER BY like_count DESC\n"
        "LIMIT :limit\n",
    },
    -2: {
        "name": "Top 50 Posters",
        "description": "The 50 members with the most posts.",
        "sql": "SELECT user_id, count(*) AS posts\nFROM posts\nWHERE deleted_at IS NULL\nGROUP BY user_id\n"
        "ORDER BY posts DESC\nLIMIT 50\n",
    },
}


@dataclass
class DataExplorerConfig:
    """Server configuration (Discourse's GlobalSettings: invisible to clients) and the demo's knobs."""

    limit_mode: str = "warn"  # max_data_explorer_api_req_mode
    reqs_per_10_seconds: int = 2  # max_data_explorer_api_reqs_per_10_seconds
    statement_timeout_ms: int = 10_000  # the plugin's hard-coded statement_timeout
    solved_schema: str = SOLVED_SCHEMAS[0]  # how accepted answers are stored (see dataexplorer_sql)


class DataExplorer:
    """The plugin's state on one demo server: configuration, the run limiter's warnings, the engine."""

    def __init__(self, server: DemoServer) -> None:
        self.server = server
        self.config = DataExplorerConfig()
        self.warnings = (
            0  # runs over the limit in warn mode (Discourse logs "Query run … rate limit exceeded")
        )
        self.runs = 0
        self._lock = threading.Lock()

        def register(con: sqlite3.Connection) -> None:
            with server._conns_lock:
                server._conns.append(con)

        self.engine = Engine(server.db_path, register)
        con = server.connection()
        con.executescript(DDL)
        con.commit()

    def configure(self, **changes: Any) -> None:
        cfg = dict(asdict(self.config))
        for k, v in changes.items():
            if k not in cfg:
                raise ValueError(f"unknown Data Explorer option {k!r}")
            cfg[k] = v
        new = DataExplorerConfig(
            limit_mode=str(cfg["limit_mode"]),
            reqs_per_10_seconds=int(cfg["reqs_per_10_seconds"]),
            statement_timeout_ms=int(cfg["statement_timeout_ms"]),
            solved_schema=str(cfg["solved_schema"]),
        )
        if new.limit_mode not in LIMIT_MODES:
            raise ValueError(f"limit_mode must be one of {', '.join(LIMIT_MODES)}")
        if new.reqs_per_10_seconds < 1 or new.statement_timeout_ms < 1:
            raise ValueError("reqs_per_10_seconds and statement_timeout_ms must be positive")
        self.engine.set_solved_schema(new.solved_schema)
        if (new.limit_mode, new.reqs_per_10_seconds) != (
            self.config.limit_mode,
            self.config.reqs_per_10_seconds,
        ):
            with self.server._limiter.lock:  # a new limit starts with an empty bucket (a restarted site)
                self.server._limiter.hits.pop(RUN_BUCKET, None)
        self.config = new

    def state(self) -> dict[str, Any]:
        return {
            **asdict(self.config),
            "enabled": bool(self.server.settings.get("data_explorer_enabled")),
            "warnings": self.warnings,
            "runs": self.runs,
        }

    def control(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        """``GET/PUT /_demo/data_explorer``: the configuration, the run limit's warnings; ``enabled`` and
        ``query_result_limit`` set the site settings."""
        if method == "PUT":
            body = dict(body)
            if "enabled" in body:
                self.server.set_setting("data_explorer_enabled", body.pop("enabled") in (True, "true", "on"))
            if "query_result_limit" in body:
                self.server.set_setting(
                    "data_explorer_query_result_limit", int(body.pop("query_result_limit"))
                )
            if body.pop("reset_warnings", False):
                self.warnings = 0
            try:
                self.configure(**body)
            except (TypeError, ValueError) as exc:
                raise error(400, str(exc), "invalid_parameters") from None
        elif method != "GET":
            raise not_found()
        return {"data_explorer": self.state()}

    def rate_limit(self, ctx: Ctx) -> None:
        """``rate_limit_query_runs!``: one bucket for the whole site, API and user-API runs only."""
        if ctx.key_kind not in ("admin", "user"):
            return
        s = self.server
        wait = s._limiter.hit(RUN_BUCKET, self.config.reqs_per_10_seconds, 10.0)
        if wait is None:
            return
        if "warn" in self.config.limit_mode:
            with self._lock:
                self.warnings += 1
        if "block" in self.config.limit_mode:
            raise s._limit_error(wait, RUN_BUCKET)


# ---------------------------------------------------------------- access


def _plugin(s: DemoServer) -> DataExplorer:
    if not s.settings.get("data_explorer_enabled"):
        raise not_found()  # requires_plugin: the plugin is off
    return s.data_explorer


def _admin(s: DemoServer, ctx: Ctx) -> DataExplorer:
    de = _plugin(s)
    if not ctx.admin:  # ensure_admin: a moderator too gets 403
        raise invalid_access()
    return de


def _load(con: sqlite3.Connection, qid: int) -> dict[str, Any] | None:
    row = con.execute("SELECT * FROM data_explorer_queries WHERE id = ?", (qid,)).fetchone()
    if row is not None:
        return dict(row)
    if qid in DEFAULT_QUERIES:
        d = DEFAULT_QUERIES[qid]
        return {
            "id": qid,
            "name": d["name"],
            "description": d["description"],
            "sql": d["sql"],
            "user_id": -1,
            "hidden": 0,
            "last_run_at": None,
            "created_at": now_iso(),
            "updated_at": now_iso(),
        }
    return None


def _query(con: sqlite3.Connection, qid: str) -> dict[str, Any]:
    q = _load(con, int(qid))
    if q is None:
        raise not_found()
    return q


def _group_ids(con: sqlite3.Connection, qid: int) -> list[int]:
    return [
        int(r[0])
        for r in con.execute(
            "SELECT group_id FROM data_explorer_query_groups WHERE query_id = ? ORDER BY id", (qid,)
        )
    ]


def _member(con: sqlite3.Connection, ctx: Ctx, group_id: int) -> bool:
    if ctx.uid is None:
        return False
    return (
        con.execute(
            "SELECT 1 FROM group_users WHERE group_id = ? AND user_id = ?", (group_id, ctx.uid)
        ).fetchone()
        is not None
    )


def _user_can_access(con: sqlite3.Connection, ctx: Ctx, q: dict[str, Any]) -> bool:
    """``user_can_access_query?``: admins, or members of a group the query is shared with."""
    if ctx.admin:
        return True
    return any(_member(con, ctx, g) for g in _group_ids(con, int(q["id"])))


def _group_access(con: sqlite3.Connection, ctx: Ctx, group_name: str, q: dict[str, Any] | None) -> Any:
    """``group_and_user_can_access_query?`` (and not hidden) or 404."""
    group = con.execute("SELECT * FROM groups WHERE name = ?", (group_name,)).fetchone()
    if group is None or ctx.user is None or q is None or q["hidden"]:
        raise not_found()
    if not (ctx.admin or _member(con, ctx, int(group["id"]))):
        raise not_found()
    if not (ctx.admin or int(group["id"]) in _group_ids(con, int(q["id"]))):
        raise not_found()
    return group


# ---------------------------------------------------------------- serializers


def _username(con: sqlite3.Connection, uid: Any) -> str | None:
    if uid == -1:
        return "system"
    row = con.execute("SELECT username FROM users WHERE id = ?", (uid,)).fetchone()
    return None if row is None else str(row[0])


def _serialize(con: sqlite3.Connection, q: dict[str, Any], *, details: bool, admin: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": q["id"],
        "name": q["name"],
        "description": q["description"],
        "username": _username(con, q["user_id"]),
        "group_ids": _group_ids(con, int(q["id"])),
        "last_run_at": q["last_run_at"],
        "user_id": q["user_id"],
        "is_default": int(q["id"]) < 0,
    }
    if details:
        if admin:  # include_sql?: the newest core shows the SQL to admins only
            out["sql"] = q["sql"]
        out["param_info"] = param_info(q["sql"])
        out["created_at"] = q["created_at"]
        out["hidden"] = bool(q["hidden"])
        if admin:
            out["dashboard_mountable"] = False
            out["dashboard_mounted"] = False
    return out


def _query_params(ctx: Ctx) -> dict[str, Any]:
    """``params.require(:query)`` from a JSON body (``{"query": {...}}``) or a form (``query[name]=…``)."""
    found: dict[str, Any] = {}
    nested = ctx.body.get("query")
    if isinstance(nested, dict):
        found.update(nested)
    for source in (ctx.query, ctx.body):
        for key, value in source.items():
            m = re.fullmatch(r"query\[(\w+)\](\[\])?", key)
            if m:
                if m.group(2):
                    found[m.group(1)] = value if isinstance(value, list) else [value]
                else:
                    found[m.group(1)] = value[0] if isinstance(value, list) and source is ctx.query else value
    if not found:
        raise core.missing_param("query")
    return found


def _ids(value: Any) -> list[int] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    out = []
    for v in items:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return out


def _set_groups(con: sqlite3.Connection, qid: int, group_ids: list[int] | None) -> None:
    keep = group_ids or []  # missing group_ids: every link goes (QueryGroup.where.not(group_id: nil))
    con.execute(
        "DELETE FROM data_explorer_query_groups WHERE query_id = ? AND group_id NOT IN "
        f"({','.join('?' * len(keep))})",
        (qid, *keep),
    )
    for g in keep:
        con.execute(
            "INSERT OR IGNORE INTO data_explorer_query_groups(query_id, group_id) VALUES (?, ?)", (qid, g)
        )


def _persist_default(con: sqlite3.Connection, q: dict[str, Any]) -> None:
    """A built-in query is saved (under its negative id) the first time it is run or edited."""
    con.execute(
        "INSERT OR IGNORE INTO data_explorer_queries(id, name, description, sql, user_id, hidden, "
        "created_at, updated_at) VALUES (?,?,?,?,?,0,?,?)",
        (q["id"], q["name"], q["description"], q["sql"], q["user_id"], q["created_at"], q["updated_at"]),
    )


# ---------------------------------------------------------------- handlers: admin


def index(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _admin(s, ctx)
    m = re.match(r"\s*([-+]?\d+)", ctx.param("offset") or "")
    offset = max(0, int(m.group(1))) if m else 0  # params[:offset].to_i
    flt = (ctx.param("filter") or "").strip().lower()
    order = ctx.param("order") if ctx.param("order") in ("name", "username", "last_run_at") else "last_run_at"
    ascending = ctx.param("ascending") == "true"
    persisted = [dict(r) for r in con.execute("SELECT * FROM data_explorer_queries WHERE hidden = 0")]
    if flt:
        persisted = [
            q
            for q in persisted
            if flt in (q["name"] or "").lower() or flt in (q["description"] or "").lower()
        ]

    def key(q: dict[str, Any]) -> tuple[bool, Any]:
        v = _username(con, q["user_id"]) if order == "username" else q[str(order)]
        return (v is None) != ascending, v or ""  # Postgres puts NULLs last ascending, first descending

    persisted.sort(key=key, reverse=not ascending)
    persisted_ids = {int(q["id"]) for q in persisted}
    all_ids = {int(r[0]) for r in con.execute("SELECT id FROM data_explorer_queries")}
    defaults = [
        q
        for qid in DEFAULT_QUERIES
        if qid not in all_ids
        for q in [_load(con, qid)]
        if q is not None and (not flt or flt in q["name"].lower() or flt in (q["description"] or "").lower())
    ]
    if offset == 0:
        page = persisted[: max(INDEX_LIMIT - len(defaults), 0)]
        queries = page + defaults
        next_offset = len(page)
    else:
        queries = persisted[offset : offset + INDEX_LIMIT]
        next_offset = offset + INDEX_LIMIT
    out: dict[str, Any] = {
        "queries": [_serialize(con, q, details=False, admin=True) for q in queries],
        "total_rows_queries": len(persisted_ids) + len(defaults),
    }
    if next_offset < len(persisted):
        more = f"offset={next_offset}"
        if flt:
            more += f"&filter={flt}"
        if order != "last_run_at":
            more += f"&order={order}"
        if ascending:
            more += "&ascending=true"
        out["load_more_queries"] = f"{ctx.path.removesuffix('.json')}.json?{more}"
    return out


def show(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    _admin(s, ctx)
    q = _query(con, id)
    if q["hidden"]:
        raise not_found()
    return {"query": _serialize(con, q, details=True, admin=True)}


def create(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _admin(s, ctx)
    qp = _query_params(ctx)
    name = str(qp.get("name") or "").strip()
    if not name:
        raise core.invalid_params("name")  # QueryCreator (newer core): 400 invalid_parameters
    now = now_iso()
    sql = qp.get("sql")
    cur = con.execute(
        "INSERT INTO data_explorer_queries(name, description, sql, user_id, hidden, created_at, updated_at) "
        "VALUES (?,?,?,?,0,?,?)",
        (name, qp.get("description") or "", sql if sql else "SELECT 1", ctx.uid, now, now),
    )
    qid = int(cur.lastrowid or 0)
    _set_groups(con, qid, _ids(qp.get("group_ids")))
    return {"query": _serialize(con, _query(con, str(qid)), details=True, admin=True)}


def update(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    _admin(s, ctx)
    q = _query(con, id)
    qp = _query_params(ctx)
    name = str(qp.get("name", q["name"]) or "").strip()
    if not name:
        raise HttpError(422, {"errors": ["Name can't be blank"]})
    if int(q["id"]) < 0:
        _persist_default(con, q)
    con.execute(
        "UPDATE data_explorer_queries SET name = ?, sql = ?, description = ?, hidden = 0, updated_at = ? "
        "WHERE id = ?",
        (
            name,
            qp.get("sql", q["sql"]),
            qp.get("description", q["description"]),
            now_iso(),
            q["id"],
        ),
    )
    _set_groups(con, int(q["id"]), _ids(qp.get("group_ids")))
    return {"query": _serialize(con, _query(con, id), details=True, admin=True)}


def destroy(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    _admin(s, ctx)
    q = con.execute("SELECT id FROM data_explorer_queries WHERE id = ?", (int(id),)).fetchone()
    if q is None:
        raise not_found()
    con.execute("UPDATE data_explorer_queries SET hidden = 1 WHERE id = ?", (int(id),))
    return {"success": True, "errors": []}


def schema(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    de = _admin(s, ctx)
    tag = f'"demo-{de.config.solved_schema}"'
    if ctx.headers.get("if-none-match") == tag:
        raise HttpError(304, b"", headers={"ETag": tag}, content_type="application/json; charset=utf-8")
    raise HttpError(
        200,
        json.dumps(schema_json(de.config.solved_schema), separators=(",", ":")).encode(),
        headers={"ETag": tag, "Cache-Control": "public"},
    )


def groups(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    _admin(s, ctx)
    return [{"id": r[0], "name": r[1]} for r in con.execute("SELECT id, name FROM groups ORDER BY id")]


def admin_run(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    de = _admin(s, ctx)
    return run(s, de, con, ctx, id)


def preview(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    """``POST …/queries/preview.json`` (newer plugin): run unsaved ``sql`` like a saved query, persisting
    nothing; no ``sql`` → 400, SQL errors → 422 (query_controller_spec "#preview")."""
    de = _admin(s, ctx)
    sql = ctx.param("sql")
    if not sql or not sql.strip():
        raise core.missing_param("sql")
    de.rate_limit(ctx)
    default_limit = int(s.settings.get("data_explorer_query_result_limit") or 1000)
    limit = ctx.int_param("limit", default_limit, lo=0, hi=QUERY_RESULT_MAX_LIMIT) or 0
    supplied = _request_params(ctx)
    with de._lock:
        de.runs += 1
    try:
        values = cast_params(parse_params(sql), supplied, Lookup(con), ctx.uid)
        result = de.engine.run(sql, values, limit=limit, timeout=de.config.statement_timeout_ms / 1000)
    except QueryError as exc:
        raise HttpError(422, {"success": False, "errors": [exc.message]}) from None
    relations, colrender = _relations(s, con, ctx, result)
    return {
        "success": True,
        "errors": [],
        "duration": result.duration_ms,
        "result_count": len(result.rows),
        "params": supplied,
        "columns": result.columns,
        "default_limit": default_limit,
        "relations": relations,
        "colrender": colrender,
        "rows": result.rows,
    }


# ---------------------------------------------------------------- handlers: groups and public run


def group_reports(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, name: str) -> Any:
    _plugin(s)
    group = con.execute("SELECT * FROM groups WHERE name = ?", (name,)).fetchone()
    if group is None or ctx.user is None or not (ctx.admin or _member(con, ctx, int(group["id"]))):
        raise not_found()
    rows = con.execute(
        "SELECT q.* FROM data_explorer_queries q JOIN data_explorer_query_groups g ON g.query_id = q.id "
        "WHERE g.group_id = ? AND q.hidden = 0 ORDER BY q.last_run_at DESC, q.id",
        (group["id"],),
    ).fetchall()
    return {"queries": [_serialize(con, dict(r), details=False, admin=ctx.admin) for r in rows]}


def group_report(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, name: str, id: str) -> Any:
    _plugin(s)
    q = _load(con, int(id))
    group = _group_access(con, ctx, name, q)
    assert q is not None
    link = con.execute(
        "SELECT id, group_id, query_id FROM data_explorer_query_groups WHERE query_id = ? AND group_id = ?",
        (q["id"], group["id"]),
    ).fetchone()
    return {
        "query": _serialize(con, q, details=True, admin=ctx.admin),
        "query_group": None if link is None else dict(link),
    }


def group_run(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, name: str, id: str) -> Any:
    de = _plugin(s)
    _group_access(con, ctx, name, _load(con, int(id)))
    return run(s, de, con, ctx, id)


def public_run(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    de = _plugin(s)
    q = _load(con, int(id))
    if q is None or q["hidden"] or not _user_can_access(con, ctx, q):
        raise not_found()
    return run(s, de, con, ctx, id)


# ---------------------------------------------------------------- running


def _request_params(ctx: Ctx) -> dict[str, Any]:
    raw: Any = ctx.body.get("params") if "params" in ctx.body else None
    if raw is None and ctx.query.get("params"):
        raw = ctx.query["params"][0]
    nested = {
        m.group(1): v
        for source in (ctx.query, ctx.body)
        for k, v in source.items()
        for m in [re.fullmatch(r"params\[(\w+)\]", k)]
        if m
    }
    if raw is None or raw == "":
        return {k: (v[0] if isinstance(v, list) else v) for k, v in nested.items()}
    if isinstance(raw, dict):
        return raw
    try:
        parsed = json.loads(str(raw))
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise HttpError(422, {"success": False, "errors": ["Invalid JSON in params"]})
    return parsed


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def run(s: DemoServer, de: DataExplorer, con: sqlite3.Connection, ctx: Ctx, qid: str) -> Any:
    de.rate_limit(ctx)
    q = _query(con, qid)

    def touch(c: sqlite3.Connection) -> None:
        if int(q["id"]) < 0:
            _persist_default(c, q)
        c.execute("UPDATE data_explorer_queries SET last_run_at = ? WHERE id = ?", (now_iso(), q["id"]))

    s.write(touch)
    explain = ctx.param("explain") == "true"
    download = bool(ctx.param("download"))
    as_csv = download and ctx.path.endswith(".csv")
    default_limit = int(s.settings.get("data_explorer_query_result_limit") or 1000)
    if as_csv:
        m = re.match(r"\s*([-+]?\d+)", ctx.param("limit") or str(QUERY_RESULT_MAX_LIMIT))
        limit = min(int(m.group(1)) if m else 0, QUERY_RESULT_MAX_LIMIT)
    else:
        limit = ctx.int_param("limit", default_limit, lo=0, hi=QUERY_RESULT_MAX_LIMIT) or 0
    supplied = _request_params(ctx)
    with de._lock:
        de.runs += 1
    try:
        values = cast_params(parse_params(q["sql"]), supplied, Lookup(con), ctx.uid)
        result = de.engine.run(
            q["sql"],
            values,
            limit=limit,
            timeout=de.config.statement_timeout_ms / 1000,
            explain=explain,
        )
    except QueryError as exc:
        raise HttpError(422, {"success": False, "errors": [exc.message]}) from None
    body: dict[str, Any] = {
        "success": True,
        "errors": [],
        "duration": result.duration_ms,
        "result_count": len(result.rows),
        "params": supplied,
        "columns": result.columns,
        "default_limit": default_limit,
    }
    if explain:
        body["explain"] = result.explain
    if not download:
        relations, colrender = _relations(s, con, ctx, result)
        body["relations"] = relations
        body["colrender"] = colrender
        body["rows"] = result.rows
        return body
    body["rows"] = result.rows
    host = (ctx.headers.get("host") or "localhost").split(":")[0]
    filename = (
        f"{_slug(q['name']) or 'query-' + str(q['id'])}@{_slug(host) or 'discourse'}-"
        f"{clock.now().date().isoformat()}.dcqresult"
    )
    if as_csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.columns)
        for row in result.rows:
            w.writerow([("true" if v else "false") if isinstance(v, bool) else v for v in row])
        raise HttpError(
            200,
            buf.getvalue().encode(),
            headers={"Content-Disposition": f"attachment; filename={filename}.csv"},
            content_type="text/csv; charset=utf-8",
        )
    raise HttpError(
        200,
        json.dumps(body, separators=(",", ":")).encode(),
        headers={"Content-Disposition": f"attachment; filename={filename}.json"},
    )


# ---------------------------------------------------------------- relations (DE-RUN add_extra_data)

_REL_ORDER = ("user", "badge", "post", "topic", "tag_group", "group", "category")
_IGNORED = {"group", "category", "reltime", "html", "json"}


def _relations(
    s: DemoServer, con: sqlite3.Connection, ctx: Ctx, result: Result
) -> tuple[dict[str, Any], dict[str, str]]:
    needed: dict[str, list[int]] = {}
    colrender: dict[str, str] = {}
    for idx, col in enumerate(result.columns):
        cls = next((c for c in _REL_ORDER if re.search(rf"({c})_id$", col)), None)
        m = re.match(r"^(\w+)\$", col)
        if cls is None and m:
            cls = m.group(1)
        if cls is not None:
            needed.setdefault(cls, []).append(idx)
        elif re.fullmatch(r"\w+_url", col):
            colrender[str(idx)] = "url"
        elif re.fullmatch(r"\w+_payload", col) or col == "payload":
            colrender[str(idx)] = "json"
    relations: dict[str, Any] = {}
    for cls, idxs in needed.items():
        if cls not in _REL_ORDER and cls not in _IGNORED:
            continue
        for i in idxs:
            colrender[str(i)] = cls
        if cls in _IGNORED or cls == "tag_group":
            relations[cls] = []
            continue
        ids: set[int] = set()
        for i in idxs:
            for row in result.rows:
                v = row[i]
                if v is None:
                    continue
                try:
                    ids.add(int(v))
                except (TypeError, ValueError):
                    continue
        relations[cls] = _LOADERS[cls](s, con, ctx, sorted(ids))
    return relations, colrender


def _in(ids: list[int]) -> str:
    return ",".join("?" * len(ids)) or "NULL"


def _users_rel(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, ids: list[int]) -> list[dict[str, Any]]:
    rows = con.execute(
        f"SELECT id, username, name FROM users WHERE id IN ({_in(ids)}) AND deleted_at IS NULL ORDER BY id",
        ids,
    )
    return [
        {"id": r[0], "username": r[1], "name": r[2], "avatar_template": core.avatar_template(r[1])}
        for r in rows
    ]


def _badges_rel(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, ids: list[int]) -> list[dict[str, Any]]:
    names = {1: ("Gold", 9), 2: ("Silver", 8), 3: ("Bronze", 7)}
    out = []
    for r in con.execute(
        f"SELECT id, name, description, icon, image_url, badge_type_id FROM badges WHERE id IN ({_in(ids)}) "
        "ORDER BY id",
        ids,
    ):
        bt = names.get(int(r[5]), ("Bronze", 7))
        out.append(
            {
                "id": r[0],
                "name": r[1],
                "display_name": r[1],
                "description": r[2],
                "icon": r[3],
                "image_url": r[4],
                "badge_type": {"id": r[5], "name": bt[0], "sort_order": bt[1]},
            }
        )
    return out


def _topic_visible(ctx: Ctx, t: sqlite3.Row) -> bool:
    """What the runner's Guardian lets through (the newest core filters post/topic relations)."""
    if t["read_restricted"] and not ctx.staff:
        return False
    if t["deleted_at"] is not None and not ctx.staff:
        return False
    return not (t["archetype"] == "private_message" and not ctx.admin)


def _posts_rel(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, ids: list[int]) -> list[dict[str, Any]]:
    out = []
    for r in con.execute(
        "SELECT p.id, p.topic_id, p.post_number, p.cooked, p.post_type, p.deleted_at AS post_deleted, "
        "u.username, t.deleted_at, t.archetype, c.read_restricted FROM posts p "
        "JOIN topics t ON t.id = p.topic_id JOIN categories c ON c.id = t.category_id "
        f"LEFT JOIN users u ON u.id = p.user_id WHERE p.id IN ({_in(ids)}) ORDER BY p.id",
        ids,
    ):
        if not _topic_visible(ctx, r) or (r["post_type"] == 4 and not ctx.admin):
            continue
        if r["post_deleted"] is not None and not ctx.staff:
            continue
        username = r["username"] or ""
        out.append(
            {
                "id": r["id"],
                "topic_id": r["topic_id"],
                "post_number": r["post_number"],
                "excerpt": core.excerpt(r["cooked"], 70),
                "username": r["username"],
                "avatar_template": core.avatar_template(username),
            }
        )
    return out


def _topics_rel(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, ids: list[int]) -> list[dict[str, Any]]:
    out = []
    for r in con.execute(
        "SELECT t.id, t.title, t.slug, t.posts_count, t.deleted_at, t.archetype, c.read_restricted "
        f"FROM topics t JOIN categories c ON c.id = t.category_id WHERE t.id IN ({_in(ids)}) ORDER BY t.id",
        ids,
    ):
        if not _topic_visible(ctx, r):
            continue
        out.append(
            {
                "id": r["id"],
                "title": r["title"],
                "fancy_title": r["title"],
                "slug": r["slug"],
                "posts_count": r["posts_count"],
            }
        )
    return out


_LOADERS: dict[str, Callable[[DemoServer, sqlite3.Connection, Ctx, list[int]], list[dict[str, Any]]]] = {
    "user": _users_rel,
    "badge": _badges_rel,
    "post": _posts_rel,
    "topic": _topics_rel,
}


# ---------------------------------------------------------------- routing


def register(route: Callable[..., Callable[[Callable[..., Any]], Callable[..., Any]]]) -> None:
    """Add the plugin's routes to the demo server's table (both admin prefixes, as current core wires)."""
    for prefix in ADMIN_PREFIXES:
        route("GET", f"{prefix}/queries.json")(index)
        route("POST", f"{prefix}/queries.json", write=True)(create)
        route("POST", f"{prefix}/queries/preview.json")(preview)
        route("GET", f"{prefix}/queries/{{id:int}}.json")(show)
        route("PUT", f"{prefix}/queries/{{id:int}}.json", write=True)(update)
        route("PUT", f"{prefix}/queries/{{id:int}}", write=True)(update)
        route("DELETE", f"{prefix}/queries/{{id:int}}.json", write=True)(destroy)
        for suffix in (".json", ".csv", ""):
            route("POST", f"{prefix}/queries/{{id:int}}/run{suffix}")(admin_run)
        route("GET", f"{prefix}/schema.json")(schema)
        route("GET", f"{prefix}/groups.json")(groups)
    route("GET", "/g/{name}/reports.json")(group_reports)
    route("GET", "/g/{name}/reports/{id:int}.json")(group_report)
    for suffix in (".json", ".csv", ""):
        route("POST", f"/g/{{name}}/reports/{{id:int}}/run{suffix}")(group_run)
    for suffix in (".json", ".csv"):
        route("GET", f"/data-explorer/queries/{{id:int}}/run{suffix}")(public_run)
