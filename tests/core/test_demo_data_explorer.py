"""The demo community's Data Explorer plugin (CONTRACT-ADDITIONS §A1), over real loopback HTTP.

One server for the module (a copy of the tiny community); tests that change its configuration put it
back. Queries are created through the admin route like a client would."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pglast
import pytest

from modconsole.demo import core, store
from modconsole.demo.dataexplorer_sql import VIEWS_COMMON
from modconsole.demo.server import DemoServer
from tests.conftest import copy_db
from tests.helpers.waits import WAIT_S, LineReader, spawn, stop

pytestmark = pytest.mark.integration

ADMIN = "/admin/plugins/discourse-data-explorer"


@pytest.fixture(scope="module")
def srv(tiny_community_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    db = copy_db(tiny_community_master, tmp_path_factory.mktemp("data-explorer") / "demo.sqlite3")
    server = DemoServer(db)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http(srv: DemoServer) -> Iterator[httpx.Client]:
    control(srv, enabled=True)
    with httpx.Client(base_url=srv.base_url, timeout=WAIT_S) as c:
        yield c


def H(srv: DemoServer, role: str = "admin") -> dict[str, str]:
    return getattr(srv.credentials, role).headers()  # type: ignore[no-any-return]


def control(srv: DemoServer, **body: Any) -> dict[str, Any]:
    r = httpx.put(
        f"{srv.base_url}/_demo/data_explorer",
        json=body,
        headers={"Api-Key": srv.credentials.admin.key},
        timeout=WAIT_S,
    )
    assert r.status_code == 200, r.text
    return r.json()["data_explorer"]  # type: ignore[no-any-return]


def make(
    http: httpx.Client, srv: DemoServer, sql: str, *, name: str = "q", groups: tuple[int, ...] = ()
) -> int:
    r = http.post(
        f"{ADMIN}/queries.json",
        json={"query": {"name": name, "sql": sql, "group_ids": list(groups)}},
        headers=H(srv),
    )
    assert r.status_code == 200, r.text
    return int(r.json()["query"]["id"])


def run(http: httpx.Client, srv: DemoServer, qid: int, role: str = "admin", **data: Any) -> httpx.Response:
    return http.post(f"{ADMIN}/queries/{qid}/run.json", data=data, headers=H(srv, role))


def rows_of(http: httpx.Client, srv: DemoServer, sql: str, **data: Any) -> list[list[Any]]:
    r = run(http, srv, make(http, srv, sql), **data)
    assert r.status_code == 200, r.text
    return r.json()["rows"]  # type: ignore[no-any-return]


def store_rows(srv: DemoServer, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    con = store.connect(srv.db_path)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def error_of(r: httpx.Response) -> str:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["success"] is False and len(body["errors"]) == 1, body
    return str(body["errors"][0])


# ---------------------------------------------------------------- enablement and permissions


def test_off_by_default_every_route_answers_404(tiny_community_master: Path, tmp_path: Path) -> None:
    server = DemoServer(copy_db(tiny_community_master, tmp_path / "off.sqlite3"))
    server.start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=WAIT_S, headers=H(server)) as c:
            for method, path in (
                ("GET", f"{ADMIN}/queries.json"),
                ("GET", f"{ADMIN}/schema.json"),
                ("GET", f"{ADMIN}/queries/3.json"),
                ("POST", f"{ADMIN}/queries.json"),
                ("POST", f"{ADMIN}/queries/3/run.json"),
                ("PUT", f"{ADMIN}/queries/3.json"),
                ("DELETE", f"{ADMIN}/queries/3.json"),
                ("POST", "/admin/plugins/explorer/queries/3/run.json"),
                ("GET", "/g/moderators/reports.json"),
                ("POST", "/g/moderators/reports/3/run.json"),
                ("GET", "/data-explorer/queries/3/run.json"),
            ):
                assert c.request(method, path).status_code == 404, (method, path)
        assert server.settings["data_explorer_enabled"] is False
    finally:
        server.stop()


def test_admin_creates_updates_lists_shows_and_deletes_queries(srv: DemoServer, http: httpx.Client) -> None:
    a = H(srv)
    r = http.post(
        f"{ADMIN}/queries.json", data={"query[name]": "Mirror posts", "query[group_ids][]": ["2"]}, headers=a
    )
    assert r.status_code == 200
    q = r.json()["query"]
    assert (
        q["sql"] == "SELECT 1" and q["group_ids"] == [2] and q["username"] == srv.credentials.admin.username
    )
    assert q["param_info"] == [] and q["is_default"] is False and q["hidden"] is False
    # not idempotent: the same POST makes another query
    again = http.post(f"{ADMIN}/queries.json", json={"query": {"name": "Mirror posts"}}, headers=a).json()[
        "query"
    ]
    assert again["id"] != q["id"]
    assert http.post(f"{ADMIN}/queries.json", json={"query": {"name": " "}}, headers=a).status_code == 400

    sql = "-- [params]\n-- int :after_id = 0\n-- null int :batch\nSELECT id FROM posts WHERE id > :after_id"
    r = http.put(
        f"{ADMIN}/queries/{q['id']}.json",
        json={"query": {"name": "Mirror posts", "sql": sql, "group_ids": [2, 41]}},
        headers=a,
    )
    assert r.status_code == 200
    assert r.json()["query"]["group_ids"] == [2, 41]
    assert r.json()["query"]["param_info"] == [
        {"identifier": "after_id", "type": "int", "default": "0", "nullable": False},
        {"identifier": "batch", "type": "int", "default": None, "nullable": True},
    ]
    # the group list is replaced by exactly what is sent; none sent → none left
    r = http.put(
        f"{ADMIN}/queries/{q['id']}.json", json={"query": {"name": "Mirror posts", "sql": sql}}, headers=a
    )
    assert r.json()["query"]["group_ids"] == []
    r = http.put(f"{ADMIN}/queries/{q['id']}.json", json={"query": {"name": ""}}, headers=a)
    assert r.status_code == 422 and r.json() == {"errors": ["Name can't be blank"]}

    listed = http.get(f"{ADMIN}/queries.json", headers=a).json()
    mine = {x["id"]: x for x in listed["queries"]}
    assert q["id"] in mine and again["id"] in mine and "sql" not in mine[q["id"]]
    assert any(x["is_default"] and x["id"] < 0 for x in listed["queries"])  # Discourse's built-in queries
    assert listed["total_rows_queries"] == len(listed["queries"])
    shown = http.get(f"{ADMIN}/queries/{q['id']}.json", headers=a).json()["query"]
    assert shown["sql"] == sql
    # the legacy prefix reaches the same controller
    assert (
        http.get(f"/admin/plugins/explorer/queries/{q['id']}.json", headers=a).json()["query"]["id"]
        == q["id"]
    )

    assert http.delete(f"{ADMIN}/queries/{again['id']}.json", headers=a).json() == {
        "success": True,
        "errors": [],
    }
    assert http.get(f"{ADMIN}/queries/{again['id']}.json", headers=a).status_code == 404
    assert again["id"] not in {
        x["id"] for x in http.get(f"{ADMIN}/queries.json", headers=a).json()["queries"]
    }
    assert http.delete(f"{ADMIN}/queries/999999.json", headers=a).status_code == 404
    # an update un-hides
    http.put(f"{ADMIN}/queries/{again['id']}.json", json={"query": {"name": "back"}}, headers=a)
    assert http.get(f"{ADMIN}/queries/{again['id']}.json", headers=a).status_code == 200


def test_admin_routes_answer_403_to_a_moderator(srv: DemoServer, http: httpx.Client) -> None:
    qid = make(http, srv, "SELECT 1 AS one", groups=(2,))
    for role in ("moderator", "member"):
        m = H(srv, role)
        for method, path in (
            ("GET", f"{ADMIN}/queries.json"),
            ("GET", f"{ADMIN}/queries/{qid}.json"),
            ("GET", f"{ADMIN}/schema.json"),
            ("POST", f"{ADMIN}/queries/{qid}/run.json"),
            ("PUT", f"{ADMIN}/queries/{qid}.json"),
        ):
            r = http.request(method, path, headers=m, json={"query": {"name": "x"}})
            assert r.status_code == 403 and r.json()["error_type"] == "invalid_access", (role, method, path)
        assert http.post(f"{ADMIN}/queries.json", json={"query": {"name": "x"}}, headers=m).status_code == 403


def test_group_shared_runs_and_404_when_not_shared(srv: DemoServer, http: httpx.Client) -> None:
    shared = make(http, srv, "SELECT count(*) AS n FROM posts", name="shared", groups=(2,))  # 'moderators'
    private = make(http, srv, "SELECT 2 AS two", name="not shared")
    mod = H(srv, "moderator")
    r = http.post(f"/g/moderators/reports/{shared}/run.json", headers=mod)
    assert r.status_code == 200 and r.json()["rows"] == [
        [store_rows(srv, "SELECT count(*) FROM posts")[0][0]]
    ]
    listed = http.get("/g/moderators/reports.json", headers=mod).json()["queries"]
    assert shared in {x["id"] for x in listed} and private not in {x["id"] for x in listed}
    shown = http.get(f"/g/moderators/reports/{shared}.json", headers=mod).json()
    assert (
        "sql" not in shown["query"] and shown["query_group"]["group_id"] == 2
    )  # newest: no SQL for non-admins
    # not shared with the group, a group the user is not in, no such group, a plain member: 404, not 403
    assert http.post(f"/g/moderators/reports/{private}/run.json", headers=mod).status_code == 404
    assert http.post(f"/g/admins/reports/{shared}/run.json", headers=mod).status_code == 404
    assert http.post(f"/g/nosuchgroup/reports/{shared}/run.json", headers=mod).status_code == 404
    assert http.post(f"/g/moderators/reports/{shared}/run.json", headers=H(srv, "member")).status_code == 404
    assert http.get("/g/moderators/reports.json", headers=H(srv, "member")).status_code == 404
    # admins always pass
    assert http.post(f"/g/moderators/reports/{private}/run.json", headers=H(srv)).status_code == 200
    # a hidden (deleted) query is gone for the group too
    http.delete(f"{ADMIN}/queries/{shared}.json", headers=H(srv))
    assert http.post(f"/g/moderators/reports/{shared}/run.json", headers=mod).status_code == 404


def test_newest_core_get_run_route(srv: DemoServer, http: httpx.Client) -> None:
    sql = "-- [params]\n-- int :n = 1\nSELECT :n + 1 AS next"
    shared = make(http, srv, sql, groups=(2,))
    private = make(http, srv, sql)
    mod = H(srv, "moderator")
    r = http.get(f"/data-explorer/queries/{shared}/run.json", params={"params": '{"n":"41"}'}, headers=mod)
    assert r.status_code == 200 and r.json()["rows"] == [[42]] and r.json()["params"] == {"n": "41"}
    assert http.get(f"/data-explorer/queries/{private}/run.json", headers=mod).status_code == 404
    assert http.get(f"/data-explorer/queries/{shared}/run.json", headers=H(srv, "member")).status_code == 404
    assert http.get("/data-explorer/queries/987654/run.json", headers=mod).status_code == 404
    assert http.get(f"/data-explorer/queries/{private}/run.json", headers=H(srv)).status_code == 200


# ---------------------------------------------------------------- parameters, LIMIT, errors


def test_params_header_types_and_defaults(srv: DemoServer, http: httpx.Client) -> None:
    sql = (
        "-- [params]\n"
        "-- int :foo = 34\n"
        "-- null int :maybe\n"
        "-- text :word = hello\n"
        "--   boolean :flag = yes\n"
        "-- user_id :who = " + srv.credentials.moderator.username + "\n"
        "-- int_list :ids = 1,2,3\n"
        "-- date :since = 2026-05-01\n"
        "-- current_user_id :me\n"
        "\n"
        "-- int :after_blank = 5\n"
        "SELECT :foo AS foo, :maybe AS maybe, :word AS word, :flag AS flag, :who AS who_id,\n"
        "  (SELECT count(*) FROM posts WHERE id IN (:ids)) AS n_ids, :since AS since, :me AS me\n"
    )
    qid = make(http, srv, sql)
    info = http.get(f"{ADMIN}/queries/{qid}.json", headers=H(srv)).json()["query"]["param_info"]
    assert [p["identifier"] for p in info] == ["foo", "maybe", "word", "flag", "who", "ids", "since", "me"]
    mod_id = store_rows(srv, "SELECT id FROM users WHERE username = ?", srv.credentials.moderator.username)[
        0
    ][0]
    admin_id = store_rows(srv, "SELECT id FROM users WHERE username = ?", srv.credentials.admin.username)[0][
        0
    ]
    r = run(http, srv, qid)
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == [[34, None, "hello", True, mod_id, 3, "2026-05-01", admin_id]]
    params = {
        "foo": "23",
        "maybe": "#null",
        "word": "it's",
        "flag": "false",
        "ids": "1,2",
        "me": "999",
        "extra": "x",
    }
    r = run(http, srv, qid, params=json.dumps(params))
    assert (
        r.json()["rows"][0][:6] == [23, None, "it's", False, mod_id, 2] and r.json()["rows"][0][7] == admin_id
    )
    assert r.json()["params"] == params  # echoed as sent
    # a JSON body may carry params as an object
    r = http.post(f"{ADMIN}/queries/{qid}/run.json", json={"params": {"foo": 7}}, headers=H(srv))
    assert r.json()["rows"][0][0] == 7

    assert "'2.3' is an invalid int" in error_of(run(http, srv, qid, params='{"foo": "2.3"}'))
    assert error_of(run(http, srv, qid, params='{"foo": "2.3"}')).startswith(
        "DiscourseDataExplorer::ValidationError"
    )
    assert "The user named nobody_here was not found" in error_of(
        run(http, srv, qid, params='{"who": "nobody_here"}')
    )
    r = run(http, srv, qid, params="{not json")
    assert r.status_code == 422 and r.json() == {"success": False, "errors": ["Invalid JSON in params"]}
    missing = make(http, srv, "-- [params]\n-- int :needed\nSELECT :needed AS x")
    assert error_of(run(http, srv, missing)) == (
        "DiscourseDataExplorer::ValidationError: Missing parameter needed of type int"
    )
    # the blank line ended the block: :after_blank is not a parameter, so its marker is a syntax error
    stray = make(http, srv, "-- [params]\n-- int :a = 1\n\n-- int :b = 2\nSELECT :a AS a, :b AS b")
    assert 'syntax error at or near ":"' in error_of(run(http, srv, stray))


def test_limit_wrap_default_1000_max_10000(srv: DemoServer, http: httpx.Client) -> None:
    many = make(
        http,
        srv,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)\n"
        "SELECT i FROM n ORDER BY i",
    )
    r = run(http, srv, many)
    assert r.status_code == 200
    body = r.json()
    assert body["result_count"] == 1000 and body["default_limit"] == 1000 and len(body["rows"]) == 1000
    assert run(http, srv, many, limit="3").json()["rows"] == [[1], [2], [3]]
    assert "explain" not in body and run(http, srv, many, limit="3", explain="true").json()["explain"]
    assert run(http, srv, many, limit="10000").json()["result_count"] == 10000
    for bad in ("10001", "-1", "ALL", "2.5"):
        r = run(http, srv, many, limit=bad)
        assert r.status_code == 400 and r.json()["error_type"] == "invalid_parameters", bad
    # the inner LIMIT stays under the wrapper's
    assert rows_of(http, srv, "SELECT id FROM posts ORDER BY id LIMIT 2", limit="5") == [[1], [2]]
    # the wrapper is WITH query AS (…): SQL that closes it early is a syntax error, not a second statement
    r = run(http, srv, make(http, srv, "SELECT 1\n) SELECT * FROM query --"))
    assert "PG::SyntaxError" in error_of(r)


def test_errors_are_422_with_the_plugins_body(srv: DemoServer, http: httpx.Client) -> None:
    def err(sql: str) -> str:
        return error_of(run(http, srv, make(http, srv, sql)))

    assert err("SELECT * FROM posts WHERE").startswith("PG::SyntaxError: ERROR:  syntax error at or near")
    assert err("CREATE TABLE mytable (id serial)").startswith(
        'PG::SyntaxError: ERROR:  syntax error at or near "CREATE"'
    )
    assert "read-only transaction" in err("UPDATE posts SET raw = 'winner' WHERE id = 1 RETURNING id")
    assert "read-only transaction" in err("SELECT id FROM posts FOR UPDATE")
    assert err("SELECT * FROM api_keys").startswith(
        'PG::UndefinedTable: ERROR:  relation "api_keys" does not exist'
    )
    assert err("SELECT * FROM companies").startswith(
        "PG::UndefinedTable"
    )  # the store's own tables are not Discourse's
    assert err("SELECT nope FROM posts").startswith("PG::UndefinedColumn: ERROR:  column nope does not exist")
    assert err("SELECT generate_series(1, 3)").startswith("PG::UndefinedFunction")
    assert store_rows(srv, "SELECT count(*) FROM posts WHERE raw = 'winner'") == [(0,)]


def test_a_semicolon_anywhere_fails_the_run(srv: DemoServer, http: httpx.Client) -> None:
    for sql in ("SELECT 1;", "SELECT 1 -- done;", "SELECT ';' AS s", "SELECT 1 /* ; */"):
        assert error_of(run(http, srv, make(http, srv, sql))) == (
            "DiscourseDataExplorer::ValidationError: Remove the semicolons from the query."
        ), sql


def test_statement_timeout(srv: DemoServer, http: httpx.Client) -> None:
    assert control(srv)["statement_timeout_ms"] == 10_000  # the plugin's hard-coded 10 s
    endless = make(
        http,
        srv,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)\n"
        "SELECT count(*) FROM n",
    )
    control(srv, statement_timeout_ms=200)
    try:
        assert (
            error_of(run(http, srv, endless))
            == "PG::QueryCanceled: ERROR:  canceling statement due to statement timeout\n"
        )
        assert "statement timeout" in error_of(run(http, srv, make(http, srv, "SELECT pg_sleep(600)")))
        assert (
            run(http, srv, make(http, srv, "SELECT 1 AS quick")).status_code == 200
        )  # the connection lives on
    finally:
        control(srv, statement_timeout_ms=10_000)


# ---------------------------------------------------------------- download and relations


def test_download_json_and_csv(srv: DemoServer, http: httpx.Client) -> None:
    qid = make(http, srv, "SELECT id, user_id, topic_id FROM posts ORDER BY id", name="Posts, all of them")
    r = run(http, srv, qid, download="false", limit="4")  # any non-empty value downloads
    assert r.status_code == 200
    disposition = r.headers["content-disposition"]
    assert re.fullmatch(
        r"attachment; filename=posts-all-of-them@127-0-0-1-2026-11-01\.dcqresult\.json", disposition
    )
    body = r.json()
    assert "relations" not in body and "colrender" not in body and len(body["rows"]) == 4
    assert body["columns"] == ["id", "user_id", "topic_id"]
    r = http.post(f"{ADMIN}/queries/{qid}/run.csv", data={"download": "1"}, headers=H(srv))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].endswith(".dcqresult.csv")
    table = list(csv.reader(io.StringIO(r.text)))
    total = store_rows(srv, "SELECT count(*) FROM posts")[0][0]
    assert table[0] == ["id", "user_id", "topic_id"] and len(table) == 1 + min(total, 10_000)
    assert table[1] == [
        str(v) for v in store_rows(srv, "SELECT id, user_id, topic_id FROM posts ORDER BY id")[0]
    ]


def test_relations_side_loaded_for_id_columns(srv: DemoServer, http: httpx.Client) -> None:
    sql = (
        "SELECT p.id AS post_id, p.user_id, p.topic_id, t.category_id, ub.badge_id, 3 AS group_id,\n"
        "  p.reply_to_user_id, 'x' AS reltime$when, 'http://a' AS link_url\n"
        "FROM posts p JOIN topics t ON t.id = p.topic_id JOIN user_badges ub ON ub.user_id = p.user_id\n"
        "WHERE p.reply_to_user_id IS NOT NULL ORDER BY p.id LIMIT 1"
    )
    body = run(http, srv, make(http, srv, sql)).json()
    assert body["colrender"] == {
        "0": "post",
        "1": "user",
        "2": "topic",
        "3": "category",
        "4": "badge",
        "5": "group",
        "6": "user",
        "7": "reltime",
        "8": "url",
    }
    row = body["rows"][0]
    rel = body["relations"]
    assert [p["id"] for p in rel["post"]] == [row[0]]
    assert set(rel["post"][0]) == {"id", "topic_id", "post_number", "excerpt", "username", "avatar_template"}
    assert {u["id"] for u in rel["user"]} == {row[1], row[6]}
    assert set(rel["user"][0]) == {"id", "username", "name", "avatar_template"}
    assert rel["topic"][0]["id"] == row[2] and set(rel["topic"][0]) == {
        "id",
        "title",
        "fancy_title",
        "slug",
        "posts_count",
    }
    assert rel["badge"][0]["id"] == row[4] and rel["badge"][0]["badge_type"]["id"] in (1, 2, 3)
    assert rel["category"] == [] and rel["group"] == [] and rel["reltime"] == []


def test_relations_follow_the_runners_guardian_but_rows_do_not(srv: DemoServer, http: httpx.Client) -> None:
    """A run sees everything (whispers, deleted posts, restricted categories, PMs, e-mails); only the
    relations of a non-admin runner are filtered (newest core)."""

    def add(con: Any) -> tuple[int, int, int]:
        staff_topic = con.execute("SELECT id FROM topics WHERE category_id = 8 LIMIT 1").fetchone()[0]
        admin_id = con.execute("SELECT id FROM users WHERE admin = 1 LIMIT 1").fetchone()[0]
        whisper = core.create_post(con, admin_id, staff_topic, "only for staff eyes", post_type=4)
        pm = core.create_topic(con, admin_id, "A private word", "between us", 1)
        con.execute("UPDATE topics SET archetype = 'private_message' WHERE id = ?", (pm,))
        return whisper, pm, staff_topic

    whisper, pm, staff_topic = srv.write(add)
    deleted = store_rows(srv, "SELECT id FROM posts WHERE deleted_at IS NOT NULL ORDER BY id LIMIT 1")[0][0]
    sql = (
        "SELECT p.id AS post_id, p.topic_id, p.post_type, p.deleted_at IS NOT NULL AS gone,\n"
        "  t.archetype, e.email\n"
        "FROM posts p JOIN topics t ON t.id = p.topic_id JOIN user_emails e ON e.user_id = p.user_id\n"
        f"WHERE p.id IN ({whisper}, {deleted}) OR t.id = {pm} ORDER BY p.id"
    )
    qid = make(http, srv, sql, groups=(2,))
    as_mod = http.post(f"/g/moderators/reports/{qid}/run.json", headers=H(srv, "moderator")).json()
    as_admin = run(http, srv, qid).json()
    assert as_mod["rows"] == as_admin["rows"]
    by_post = {r[0]: r for r in as_mod["rows"]}
    assert by_post[whisper][2] == 4 and by_post[deleted][3] is True
    assert any(r[4] == "private_message" for r in as_mod["rows"]) and all("@" in r[5] for r in as_mod["rows"])
    mod_posts = {p["id"] for p in as_mod["relations"]["post"]}
    admin_posts = {p["id"] for p in as_admin["relations"]["post"]}
    assert whisper in admin_posts and whisper not in mod_posts  # whispers: admins only in the demo
    assert pm not in {t["id"] for t in as_mod["relations"]["topic"]} and pm in {
        t["id"] for t in as_admin["relations"]["topic"]
    }
    assert staff_topic in {
        t["id"] for t in as_mod["relations"]["topic"]
    }  # restricted to staff: a moderator sees it


# ---------------------------------------------------------------- the run limit


def test_run_limit_warn_mode_logs_and_serves(srv: DemoServer, http: httpx.Client) -> None:
    state = control(srv, reset_warnings=True)
    assert state["limit_mode"] == "warn" and state["reqs_per_10_seconds"] == 2
    qid = make(http, srv, "SELECT 1 AS one")
    srv.set_clock_speed(0.001)  # the 10 s window lasts hours: no race with a slow machine
    try:
        statuses = [run(http, srv, qid).status_code for _ in range(4)]
    finally:
        srv.set_clock_speed(1.0)
    assert statuses == [200, 200, 200, 200]
    assert control(srv)["warnings"] >= 2


def test_run_limit_block_mode_answers_429(srv: DemoServer, http: httpx.Client) -> None:
    qid = make(http, srv, "SELECT 1 AS one", groups=(2,))
    srv.set_clock_speed(0.001)
    control(srv, limit_mode="block")
    try:
        assert run(http, srv, qid).status_code == 200
        assert (
            http.post(f"/g/moderators/reports/{qid}/run.json", headers=H(srv, "moderator")).status_code == 200
        )
        r = http.get(
            f"/data-explorer/queries/{qid}/run.json", headers=H(srv, "moderator")
        )  # one site-wide bucket
        assert r.status_code == 429
        assert r.json()["error_type"] == "rate_limit" and set(r.json()["extras"]) == {
            "wait_seconds",
            "time_left",
        }
        assert int(r.headers["Retry-After"]) >= 1
        assert http.get(f"{ADMIN}/queries/{qid}.json", headers=H(srv)).status_code == 200  # only runs count
        srv.set_clock_speed(1_000_000.0)  # the window passes
        assert run(http, srv, qid).status_code == 200
    finally:
        srv.set_clock_speed(1.0)
        control(srv, limit_mode="warn")


# ---------------------------------------------------------------- the schema


def test_views_carry_discourse_table_and_column_names(srv: DemoServer, http: httpx.Client) -> None:
    contract = {
        "posts": "id topic_id user_id post_number raw cooked created_at updated_at deleted_at deleted_by_id "
        "reply_to_post_number reply_to_user_id post_type action_code hidden hidden_at hidden_reason_id "
        "like_count reply_count quote_count version public_version last_version_at user_deleted wiki "
        "word_count edit_reason "
        "locked_by_id",
        "topics": "id title fancy_title slug category_id user_id created_at updated_at bumped_at "
        "last_posted_at archetype visible closed archived deleted_at deleted_by_id posts_count reply_count "
        "highest_post_number "
        "like_count views pinned_at pinned_globally excerpt locale",
        "users": "id username username_lower name created_at last_seen_at admin moderator trust_level active "
        "staged "
        "suspended_till silenced_till primary_group_id",
        "user_emails": "id user_id email primary normalized_email created_at updated_at",
        "badges": "id name badge_type_id enabled",
        "user_badges": "id badge_id user_id granted_at granted_by_id post_id seq featured_rank is_favorite "
        "notification_id created_at",
        "groups": "id name automatic",
        "group_users": "group_id user_id owner notification_level created_at updated_at first_unread_pm_at",
        "categories": "id name slug parent_category_id read_restricted",
        "category_groups": "category_id group_id permission_type",
        "topic_tags": "topic_id tag_id",
        "tags": "id name",
    }
    schema = http.get(f"{ADMIN}/schema.json", headers=H(srv))
    assert schema.status_code == 200
    tables = schema.json()
    for table, cols in contract.items():
        have = {c["column_name"] for c in tables[table]}
        assert set(cols.split()) <= have, (table, set(cols.split()) - have)
        r = run(
            http,
            srv,
            make(http, srv, f"SELECT {', '.join(f'x.{c}' for c in cols.split())} FROM {table} x LIMIT 1"),
        )
        assert r.status_code == 200 and r.json()["columns"] == cols.split(), (table, r.text)
    assert {v.name for v in VIEWS_COMMON} <= set(tables)
    assert (
        http.get(
            f"{ADMIN}/schema.json", headers={**H(srv), "If-None-Match": schema.headers["etag"]}
        ).status_code
        == 304
    )
    # the same rows as the store, Discourse's types: booleans are booleans
    assert rows_of(http, srv, "SELECT count(*) AS n FROM posts") == [
        [store_rows(srv, "SELECT count(*) FROM posts")[0][0]]
    ]
    admins = rows_of(http, srv, "SELECT username, admin, moderator FROM users WHERE admin ORDER BY id")
    assert admins == [
        [u, True, False]
        for (u,) in store_rows(
            srv, "SELECT username FROM users WHERE admin = 1 AND deleted_at IS NULL ORDER BY id"
        )
    ]
    emails = rows_of(
        http,
        srv,
        "SELECT u.username, e.email FROM users u JOIN user_emails e ON e.user_id = u.id\n"
        "ORDER BY u.id LIMIT 3",
    )
    assert emails == [
        list(r)
        for r in store_rows(
            srv, "SELECT username, email FROM users WHERE deleted_at IS NULL ORDER BY id LIMIT 3"
        )
    ]


def test_solved_tables_of_each_discourse_version(srv: DemoServer, http: httpx.Client) -> None:
    truth = sorted(store_rows(srv, "SELECT topic_id, post_id FROM solutions"))
    assert truth
    assert (
        control(srv)["solved_schema"] == "topic_answers"
    )  # the newest core (2026-04 on) the demo claims to be
    newest = rows_of(
        http,
        srv,
        "SELECT st.topic_id, a.answer_post_id FROM discourse_solved_topic_answers a\n"
        "JOIN discourse_solved_solved_topics st ON st.id = a.solved_topic_id ORDER BY 1",
    )
    assert [tuple(r) for r in newest] == truth
    synced = rows_of(
        http, srv, "SELECT topic_id, answer_post_id FROM discourse_solved_solved_topics ORDER BY 1"
    )
    assert [tuple(r) for r in synced] == truth  # the old columns are kept in sync by triggers
    try:
        control(srv, solved_schema="solved_topics")  # 2025-03 … 2026-03
        assert [
            tuple(r)
            for r in rows_of(
                http, srv, "SELECT topic_id, answer_post_id FROM discourse_solved_solved_topics ORDER BY 1"
            )
        ] == truth
        assert "does not exist" in error_of(
            run(http, srv, make(http, srv, "SELECT * FROM discourse_solved_topic_answers"))
        )
        assert "discourse_solved_topic_answers" not in http.get(f"{ADMIN}/schema.json", headers=H(srv)).json()
        control(srv, solved_schema="custom_fields")  # up to early 2025
        old = rows_of(
            http,
            srv,
            "SELECT topic_id, value::int FROM topic_custom_fields\n"
            "WHERE name = 'accepted_answer_post_id' ORDER BY 1",
        )
        assert [tuple(r) for r in old] == truth
        assert "does not exist" in error_of(
            run(http, srv, make(http, srv, "SELECT * FROM discourse_solved_solved_topics"))
        )
    finally:
        control(srv, solved_schema="topic_answers")


def test_the_postgresql_subset_the_demo_translates(srv: DemoServer, http: httpx.Client) -> None:
    sql = (
        "SELECT count(*) FILTER (WHERE created_at > now() - INTERVAL '30 days') AS recent,\n"
        "  count(*) FILTER (WHERE created_at::date >= CURRENT_DATE - INTERVAL '1 month') AS month,\n"
        "  max(date_trunc('month', created_at)) AS last_month,\n"
        "  max(extract(year FROM created_at))::int AS y,\n"
        "  bool_or(hidden) AS any_hidden, count(*) FILTER (WHERE raw ILIKE '%THE%') AS ilike,\n"
        "  count(*) FILTER (WHERE raw LIKE '%THE%') AS like_cs,\n"
        "  count(*) FILTER (WHERE id = ANY(ARRAY[1, 2])) AS any2\n"
        "FROM posts"
    )
    pglast.parse_sql(sql)  # it is PostgreSQL
    r = run(http, srv, make(http, srv, sql))
    assert r.status_code == 200, r.text
    cols = r.json()["columns"]
    row = dict(zip(cols, r.json()["rows"][0], strict=True))
    since = core.iso(core.now_dt() - timedelta(days=30))
    assert row["recent"] == store_rows(srv, "SELECT count(*) FROM posts WHERE created_at > ?", since)[0][0]
    assert re.fullmatch(r"\d{4}-\d\d-01T00:00:00\.000Z", row["last_month"]) and row["y"] == 2026
    assert row["any2"] == 2 and row["ilike"] > row["like_cs"] >= 0
    assert row["any_hidden"] is (store_rows(srv, "SELECT max(hidden) FROM posts")[0][0] == 1)
    first = rows_of(
        http, srv, "SELECT DISTINCT ON (topic_id) topic_id, id FROM posts ORDER BY topic_id, id DESC LIMIT 3"
    )
    assert [tuple(r) for r in first] == store_rows(
        srv, "SELECT topic_id, max(id) FROM posts GROUP BY topic_id ORDER BY topic_id LIMIT 3"
    )


# ---------------------------------------------------------------- the command line


def test_site_settings_hold_the_changed_settings(srv: DemoServer, http: httpx.Client) -> None:
    """``site_settings`` as Discourse keeps it: a row per changed setting (no row: the default),
    booleans ``'t'``/``'f'`` with data_type 5; it follows the demo's setting as it changes."""
    sql = (
        "SELECT s.name, s.data_type, s.value FROM site_settings s "
        "WHERE s.name IN ('moderators_view_emails', 'title') ORDER BY s.name"
    )
    before = srv.settings.get("moderators_view_emails")
    title = ["title", 1, srv.settings["title"]]
    try:
        srv.set_setting("moderators_view_emails", True)
        assert rows_of(http, srv, sql) == [["moderators_view_emails", 5, "t"], title]
        srv.set_setting("moderators_view_emails", False)  # the default again: no row
        assert rows_of(http, srv, sql) == [title]
    finally:
        srv.set_setting("moderators_view_emails", before)


def test_cli_flags_turn_it_on_and_block(demo_db: Path, tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "modconsole",
        "demo-server",
        "--db",
        str(demo_db),
        "--port",
        "0",
        "--data-explorer",
        "on",
        "--data-explorer-limit",
        "block",
        "--moderators-view-emails",
        "off",
        "--clock-speed",
        "0.001",
    ]
    stderr = (tmp_path / "stderr").open("w")
    proc = spawn(
        cmd, stdout=subprocess.PIPE, stderr=stderr, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        assert proc.stdout is not None
        text = LineReader(proc.stdout).until(lambda line: line.startswith("Ctrl-C"))
        m = re.search(r"Demo community at (http://127\.0\.0\.1:\d+)", text)
        assert m and "Data Explorer: on (run limit: block)" in text, text
        key = re.search(r"admin\s+(\S+)\s+Api-Key: (\S+)\s+Api-Username: (\S+)", text)
        assert key, text
        h = {"Api-Key": key.group(2), "Api-Username": key.group(3)}
        with httpx.Client(base_url=m.group(1), timeout=WAIT_S, headers=h) as c:
            qid = c.post(
                f"{ADMIN}/queries.json", json={"query": {"name": "q", "sql": "SELECT 1 AS one"}}
            ).json()["query"]["id"]
            statuses = [c.post(f"{ADMIN}/queries/{qid}/run.json").status_code for _ in range(3)]
            settings = c.get("/_demo/settings").json()["settings"]
        assert statuses == [200, 200, 429]
        assert settings["moderators_view_emails"] is False  # the generated community has it on
    finally:
        stop(proc)
        stderr.close()
