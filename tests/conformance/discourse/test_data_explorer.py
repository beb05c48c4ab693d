"""The bundled Data Explorer plugin (plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb),
served by the demo since issue 13: admin query routes and group reports."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration

ADMIN = "/admin/plugins/discourse-data-explorer"
GROUP = "employees"


@pytest.fixture(scope="module", autouse=True)
def enabled(site: Site) -> Iterator[None]:
    """``before { SiteSetting.data_explorer_enabled = true }``"""
    site.server.set_setting("data_explorer_enabled", True)
    yield
    site.server.set_setting("data_explorer_enabled", False)


def _make_query(site: Site, sql: str, *, name: str | None = None, groups: list[int] | None = None) -> int:
    body: dict[str, Any] = {"query": {"name": name or f"Query {secrets.token_hex(4)}", "sql": sql}}
    if groups is not None:
        body["query"]["group_ids"] = groups
    r = site.post(f"{ADMIN}/queries.json", site.admin, json=body)
    assert r.status_code == 200, r.text
    return int(r.json()["query"]["id"])


def _run(site: Site, qid: int, params: dict[str, Any] | None = None, **extra: Any) -> Any:
    data = {"params": json.dumps({k: str(v) for k, v in (params or {}).items()}), **extra}
    return site.post(f"{ADMIN}/queries/{qid}/run.json", site.admin, data=data)


def _gid(site: Site) -> int:
    return int(site.one("SELECT id FROM groups WHERE name = ?", GROUP)["id"])


def _group_member(site: Site) -> dict[str, str]:
    u = site.one(
        "SELECT u.username FROM group_users gu JOIN users u ON u.id = gu.user_id WHERE gu.group_id = ? "
        "AND u.admin = 0 AND u.active = 1 AND u.suspended_till IS NULL ORDER BY u.id LIMIT 1",
        _gid(site),
    )
    return site.as_(u["username"])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/queries.json"),
        ("GET", "/schema.json"),
        ("GET", "/queries/3.json"),
        ("POST", "/queries.json"),
        ("POST", "/queries/3/run.json"),
        ("PUT", "/queries/3.json"),
        ("DELETE", "/queries/3.json"),
    ],
)
def test_admin_when_disabled_denies_every_request(site: Site, method: str, path: str) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "Admin" "when disabled" "denies every request"
    site.server.set_setting("data_explorer_enabled", False)
    try:
        r = site.http.request(method, ADMIN + path, headers=site.admin, data={"id": 3})
        assert r.status_code == 404
    finally:
        site.server.set_setting("data_explorer_enabled", True)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/g/1/reports.json"), ("GET", "/g/1/reports/1.json"), ("POST", "/g/1/reports/1/run.json")],
)
def test_non_admin_when_disabled_denies_every_request(site: Site, method: str, path: str) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "Non-Admin" "when disabled" "denies every request"
    site.server.set_setting("data_explorer_enabled", False)
    try:
        assert site.http.request(method, path, headers=site.member).status_code == 404
    finally:
        site.server.set_setting("data_explorer_enabled", True)


def test_index_shows_queries_sorted_by_name_when_requested(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "shows all available queries sorted by name when requested"
    _make_query(site, "SELECT 1 as value", name="BB conformance")
    _make_query(site, "SELECT 1 as value", name="AA conformance")
    r = site.get(f"{ADMIN}/queries.json", site.admin, params={"order": "name", "ascending": "true"})
    assert r.status_code == 200
    names = [q["name"] for q in r.json()["queries"]]
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    assert names.index("AA conformance") < names.index("BB conformance")


def test_index_does_not_show_hidden_queries(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "doesn't show hidden/deleted queries"
    qid = _make_query(site, "SELECT 1 as value")
    assert site.delete(f"{ADMIN}/queries/{qid}.json", site.admin).status_code == 200
    ids = [q["id"] for q in site.get(f"{ADMIN}/queries.json", site.admin).json()["queries"]]
    assert qid not in ids


def test_index_shows_no_double_ups_of_default_queries(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "doesn't show double-ups of default queries"
    before = site.get(f"{ADMIN}/queries.json", site.admin).json()["queries"]
    assert site.post(f"{ADMIN}/queries/-1/run.json", site.admin).status_code == 200
    after = site.get(f"{ADMIN}/queries.json", site.admin).json()["queries"]
    assert [q["id"] for q in after].count(-1) == 1
    assert len(after) == len(before)


def test_create_grants_the_given_groups_access(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "grants the given groups access to the new query"
    r = site.post(
        f"{ADMIN}/queries.json",
        site.admin,
        json={
            "query": {
                "name": "My query",
                "description": "A description",
                "sql": "SELECT 1",
                "group_ids": [_gid(site)],
            }
        },
    )
    assert r.status_code == 200
    assert r.json()["query"]["group_ids"] == [_gid(site)]


def test_create_without_groups(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "creates a query without groups when none are given"
    r = site.post(
        f"{ADMIN}/queries.json", site.admin, json={"query": {"name": "My query", "sql": "SELECT 1"}}
    )
    assert r.status_code == 200
    assert r.json()["query"]["group_ids"] == []


def test_update_invalid(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "returns a proper json error for invalid updates"
    # (the spec edits the system query -4; the demo ships only the system queries -1 and -2)
    r = site.put(f"{ADMIN}/queries/-1", site.admin, data={"query[name]": "", "id": -1})
    assert r.status_code == 422
    assert r.json()["errors"] == ["Name can't be blank"]


def test_destroy_unknown_query(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "returns 404 when query does not exist"
    assert site.delete(f"{ADMIN}/queries/999999.json", site.admin).status_code == 404


def test_run_queries(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "can run queries"
    r = _run(site, _make_query(site, "SELECT 23 as my_value"))
    assert r.status_code == 200
    body = r.json()
    assert (body["success"], body["errors"], body["columns"], body["rows"]) == (
        True,
        [],
        ["my_value"],
        [[23]],
    )
    assert body.get("explain") is None


def test_run_and_explain(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "can run and explain queries"
    r = _run(site, _make_query(site, "SELECT 23 as my_value"), explain="true")
    assert r.status_code == 200
    assert r.json()["rows"] == [[23]]
    assert r.json()["explain"]


def test_run_processes_parameters(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "can process parameters"
    qid = _make_query(site, "-- [params]\n-- int :foo = 34\nSELECT :foo as my_value\n")
    assert _run(site, qid, {"foo": 23}).json()["rows"] == [[23]]
    assert _run(site, qid).json()["rows"] == [[34]]
    r = _run(site, qid, {"foo": "2.3"})
    assert r.status_code == 422
    assert r.json()["success"] is False
    assert "ValidationError" in r.json()["errors"][0]


def test_run_accepts_parameters_as_a_hash(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "can accept parameters as a hash instead of JSON string"
    qid = _make_query(
        site,
        "-- [params]\n-- int :foo = 34\n-- string :bar = 'default'\nSELECT :foo as my_value, :bar as text_value\n",
    )
    r = site.post(f"{ADMIN}/queries/{qid}/run.json", site.admin, json={"params": {"foo": 42, "bar": "test"}})
    assert r.status_code == 200
    assert (r.json()["columns"], r.json()["rows"]) == (["my_value", "text_value"], [[42, "test"]])


def test_run_rejects_malformed_params(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "rejects malformed params in run"
    qid = _make_query(site, "SELECT 1")
    assert (
        site.post(
            f"{ADMIN}/queries/{qid}/run.json", site.admin, data={"params": "not-valid-json"}
        ).status_code
        == 422
    )


@pytest.mark.parametrize(
    ("name", "sql", "error"),
    [
        ("doesn't allow you to lock rows", "SELECT id FROM posts FOR UPDATE", "read-only transaction"),
        (
            "doesn't allow you to create a table",
            "CREATE TABLE mytable (id serial)",
            "read-only transaction|syntax error",
        ),
        ("doesn't allow you to break the transaction", "COMMIT", "syntax error"),
    ],
)
def test_run_refuses_writes(site: Site, name: str, sql: str, error: str) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "doesn't allow you to lock rows"
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "doesn't allow you to create a table"
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "doesn't allow you to break the transaction"
    import re

    r = _run(site, _make_query(site, sql))
    assert r.status_code == 422, name
    assert r.json()["success"] is False
    assert re.search(error, r.json()["errors"][0]), r.json()["errors"]


def test_run_exports_csv(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "can export data in CSV format"
    qid = _make_query(site, "SELECT 23 as my_value")
    assert site.post(f"{ADMIN}/queries/{qid}/run.json", site.admin, data={"download": 1}).status_code == 200


def test_run_limit_parameter(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "should limit the results in JSON response"
    qid = _make_query(site, "SELECT id FROM posts")
    assert (
        len(site.post(f"{ADMIN}/queries/{qid}/run.json", site.admin, data={"limit": 1}).json()["rows"]) == 1
    )
    assert site.post(f"{ADMIN}/queries/{qid}/run.json", site.admin, data={"limit": 10_001}).status_code == 400


def test_non_admin_cannot_access_admin_endpoints(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "cannot access admin endpoints"
    qid = _make_query(site, "SELECT 1 as value")
    assert site.post(f"{ADMIN}/queries/{qid}/run.json", _group_member(site)).status_code == 403


def test_group_reports_only_the_groups_queries(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "only returns queries that the group has access to"
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "does not return hidden queries"
    shown = _make_query(site, "SELECT 1 as value", name=f"Shared {secrets.token_hex(3)}", groups=[_gid(site)])
    hidden = _make_query(site, "SELECT 1 as value", groups=[_gid(site)])
    other = _make_query(site, "SELECT 1 as value")
    assert site.delete(f"{ADMIN}/queries/{hidden}.json", site.admin).status_code == 200
    r = site.get(f"/g/{GROUP}/reports.json", _group_member(site))
    assert r.status_code == 200
    ids = {q["id"] for q in r.json()["queries"]}
    assert shown in ids and not {hidden, other} & ids


def test_group_reports_not_for_non_members(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "returns a 404 when the user should not have access to the query "
    outsider = site.one(
        "SELECT username FROM users WHERE admin = 0 AND active = 1 AND suspended_till IS NULL AND id NOT IN "
        "(SELECT user_id FROM group_users WHERE group_id = ?) ORDER BY id LIMIT 1",
        _gid(site),
    )
    assert site.get(f"/g/{GROUP}/reports.json", site.as_(outsider["username"])).status_code == 404


def test_group_reports_run(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "#group_reports_run" "runs the query"
    qid = _make_query(site, "SELECT 1828 as value", groups=[_gid(site)])
    r = site.post(f"/g/{GROUP}/reports/{qid}/run.json", _group_member(site))
    assert r.status_code == 200
    assert (r.json()["success"], r.json()["columns"], r.json()["rows"]) == (True, ["value"], [[1828]])


def _query_count(site: Site) -> int:
    return len(site.get(f"{ADMIN}/queries.json", site.admin).json()["queries"])


def test_preview_runs_unsaved_sql_and_persists_nothing(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "runs unsaved SQL and returns the result"
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "does not persist a query"
    before = _query_count(site)
    r = site.post(f"{ADMIN}/queries/preview.json", site.admin, data={"sql": "SELECT 23 AS my_value"})
    assert r.status_code == 200
    assert (r.json()["success"], r.json()["columns"], r.json()["rows"]) == (True, ["my_value"], [[23]])
    assert _query_count(site) == before


def test_preview_invalid_sql(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "returns a 422 with errors for invalid SQL"
    r = site.post(
        f"{ADMIN}/queries/preview.json", site.admin, data={"sql": "SELECT * FROM table_that_does_not_exist"}
    )
    assert r.status_code == 422
    assert r.json()["success"] is False
    assert r.json()["errors"]


def test_preview_requires_sql(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "requires the sql parameter"
    assert site.post(f"{ADMIN}/queries/preview.json", site.admin).status_code == 400


def test_preview_not_for_non_admins(site: Site) -> None:
    # discourse/discourse plugins/discourse-data-explorer/spec/requests/query_controller_spec.rb "cannot preview unsaved SQL"
    r = site.post(f"{ADMIN}/queries/preview.json", _group_member(site), data={"sql": "SELECT 1 as value"})
    assert r.status_code == 403
