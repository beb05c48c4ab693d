"""Paging parameters out of range: Discourse validates them and answers 400, never 500 and never a silent
clamp (ListController "does not return a 500 for invalid input", DirectoryItemsController "with limit
parameter" / "with page parameter", the shared "invalid limit params" examples)."""

from __future__ import annotations

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "query",
    [
        "min_posts=bob",
        "max_posts=bob",
        "max_posts=1111111111111111111111111111111111111111",
        "page=-1",
        "page=2147483648",
        "page=1111111111111111111111111111111111111111",
        "tags[1]=hello",
    ],
)
def test_latest_rejects_invalid_input_with_400(site: Site, query: str) -> None:
    # discourse/discourse spec/requests/list_controller_spec.rb "does not return a 500 for invalid input"
    assert site.get(f"/latest.json?{query}", site.member).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "no_definitions=true&no_subcategories=false&page=1&_=1534296100767",
        "max_posts=12",
        "min_posts=0",
        "page=0",
        "page=1",
        "page=2147483647",
        "search=",
        "topic_ids%5B%5D=14583&topic_ids%5B%5D=14584",
        "topic_ids=14583%2C14584",
        "tags[]=hello",
    ],
)
def test_latest_accepts_legit_requests(site: Site, query: str) -> None:
    # discourse/discourse spec/requests/list_controller_spec.rb "returns 200 for legit requests"
    r = site.get(f"/latest.json?{query}", site.member)
    assert r.status_code == 200
    assert "topic_list" in r.json()


def test_latest_filters_on_a_set_of_topic_ids(site: Site) -> None:
    # discourse/discourse spec/requests/list_controller_spec.rb "allows users to filter on a set of topic ids"
    t = site.one(
        "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id WHERE c.read_restricted = 0 "
        "AND t.deleted_at IS NULL AND t.visible = 1 ORDER BY t.id LIMIT 1"
    )
    r = site.get("/latest.json", site.member, params={"topic_ids": str(t["id"])})
    assert r.status_code == 200
    assert [x["id"] for x in r.json()["topic_list"]["topics"]] == [t["id"]]


def test_directory_requires_a_period(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "requires a `period` param"
    assert site.get("/directory_items.json", site.member).status_code == 400


def test_directory_requires_a_proper_period(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "requires a proper `period` param"
    assert site.get("/directory_items.json", site.member, params={"period": "eviltrout"}).status_code >= 400


def test_directory_limits_the_number_of_items(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "limits the number of returned items"
    r = site.get("/directory_items.json", site.anon, params={"period": "all", "limit": 2})
    assert r.status_code == 200
    assert len(r.json()["directory_items"]) == 2


@pytest.mark.parametrize("limit", ["-1", "1; DROP TABLE users", "51"])
def test_directory_invalid_limit_params(site: Site, limit: str) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb include_examples "invalid limit params"
    # (negative, suspicious, PAGE_SIZE + 1 = 51)
    r = site.get("/directory_items.json", site.member, params={"period": "all", "limit": limit})
    assert r.status_code == 400


def test_directory_only_accepts_valid_page_numbers(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "only accepts valid page numbers"
    assert (
        site.get("/directory_items.json", site.member, params={"period": "all", "page": -1}).status_code
        == 400
    )
    assert (
        site.get("/directory_items.json", site.member, params={"period": "all", "page": 0}).status_code == 200
    )


def test_directory_succeeds_with_a_valid_value(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "succeeds with a valid value"
    r = site.get("/directory_items.json", site.anon, params={"period": "all"})
    assert r.status_code == 200
    meta = r.json()["meta"]
    assert r.json()["directory_items"]
    assert meta["total_rows_directory_items"]
    assert meta["last_updated_at"]
    assert ".json" in meta["load_more_directory_items"]


def test_directory_respects_more_params_in_load_more(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "respects more_params in load_more_directory_items"
    r = site.get(
        "/directory_items.json",
        site.member,
        params={"period": "all", "order": "likes_given", "group": "employees"},
    )
    assert r.status_code == 200
    more = r.json()["meta"]["load_more_directory_items"]
    assert "group=employees" in more and "order=likes_given" in more and "period=all" in more


@pytest.mark.parametrize(("asc", "reverse"), [({"asc": "true"}, False), ({}, True)])
def test_directory_sorts_by_username(site: Site, asc: dict[str, str], reverse: bool) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "sort username with asc as a parameter"
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "sort username without asc as a parameter"
    r = site.get("/directory_items.json", site.anon, params={"period": "all", "order": "username", **asc})
    names = [i["user"]["username"] for i in r.json()["directory_items"]]
    assert names == sorted(names, reverse=reverse)


def test_directory_finds_user_by_name(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "finds user by name"
    u = site.plain_user()
    r = site.get("/directory_items.json", site.anon, params={"period": "all", "name": u["username"]})
    assert r.status_code == 200
    assert [i["user"]["username"] for i in r.json()["directory_items"]] == [u["username"]]
    assert r.json()["meta"]["total_rows_directory_items"] == 1


def test_directory_excludes_users_by_username(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "excludes users by username"
    a, b = site.plain_user(), site.plain_user()
    everyone = site.get("/directory_items.json", site.anon, params={"period": "all"}).json()["meta"]
    r = site.get(
        "/directory_items.json",
        site.anon,
        params={"period": "all", "exclude_usernames": f"{a['username']},{b['username']}", "limit": 50},
    )
    assert r.status_code == 200
    assert r.json()["meta"]["total_rows_directory_items"] == everyone["total_rows_directory_items"] - 2
    assert not {a["username"], b["username"]} & {i["user"]["username"] for i in r.json()["directory_items"]}


def test_directory_filters_users_by_group(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "filters users by group"
    members = {
        r["username"]
        for r in site.rows(
            "SELECT u.username FROM group_users gu JOIN users u ON u.id = gu.user_id JOIN groups g "
            "ON g.id = gu.group_id WHERE g.name = 'employees' AND u.active = 1 AND u.deleted_at IS NULL"
        )
    }
    r = site.get("/directory_items.json", site.anon, params={"period": "all", "group": "employees"})
    assert r.status_code == 200
    assert {i["user"]["username"] for i in r.json()["directory_items"]} <= members
    assert r.json()["meta"]["total_rows_directory_items"] == len(members)


def test_directory_unknown_group(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "checks group permissions"
    r = site.get("/directory_items.json", site.member, params={"period": "all", "group": "not a group"})
    assert r.status_code == 400


def test_directory_fails_when_disabled(site: Site) -> None:
    # discourse/discourse spec/requests/directory_items_controller_spec.rb "fails when the directory is disabled"
    site.server.set_setting("enable_user_directory", False)
    try:
        assert site.get("/directory_items.json", site.member, params={"period": "all"}).status_code >= 400
    finally:
        site.server.set_setting("enable_user_directory", True)


@pytest.mark.parametrize("query", ["page=3", "page=xawesome%27%22%3C/a%5C%26", "page=%203%20%20"])
def test_search_page_parameter(site: Site, query: str) -> None:
    # discourse/discourse spec/requests/search_controller_spec.rb "doesn't raise an error if the page is a string number"
    # discourse/discourse spec/requests/search_controller_spec.rb "returns a 400 error if the page parameter is invalid"
    # discourse/discourse spec/requests/search_controller_spec.rb "returns a 400 error if the page parameter is padded with spaces"
    expect = 200 if query == "page=3" else 400
    assert site.get(f"/search.json?q=kittens&{query}", site.member).status_code == expect


@pytest.mark.parametrize("query", ["q[foo]", "q=hello%00hello"])
def test_search_rejects_hash_terms_and_null_bytes(site: Site, query: str) -> None:
    # discourse/discourse spec/requests/search_controller_spec.rb "raises an error when search term is a hash"
    # discourse/discourse spec/requests/search_controller_spec.rb "returns a 400 error if you search for null bytes"
    assert site.get(f"/search.json?{query}", site.member).status_code == 400
