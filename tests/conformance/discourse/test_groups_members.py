"""Group membership (GroupsController#add_members / #remove_member, the ``#edit`` and "membership edits"
contexts of spec/requests/groups_controller_spec.rb) and the group routes around them."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration

GROUP = "superusers"


def _gid(site: Site) -> int:
    return int(site.one("SELECT id FROM groups WHERE name = ?", GROUP)["id"])


def _members(site: Site) -> set[str]:
    r = site.get(f"/groups/{GROUP}/members.json", site.admin, params={"limit": 1000})
    return {m["username"] for m in r.json()["members"]}


def _outsider(site: Site) -> sqlite3.Row:
    return site.pick(
        "SELECT * FROM users WHERE admin = 0 AND moderator = 0 AND active = 1 AND staged = 0 "
        "AND deleted_at IS NULL AND id NOT IN (SELECT user_id FROM group_users WHERE group_id = ?) "
        "ORDER BY id",
        _gid(site),
    )


def _insider(site: Site) -> sqlite3.Row:
    u = _outsider(site)
    r = site.put(f"/groups/{_gid(site)}/members.json", site.admin, data={"usernames": u["username"]})
    assert r.status_code == 200, r.text
    return u


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_edit_not_signed_in(site: Site, method: str) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "#edit when user is not signed in should be forbidden"
    key = "usernames" if method == "PUT" else "username"
    r = site.http.request(method, f"/groups/{_gid(site)}/members.json", data={key: "bob"})
    assert r.status_code == 403


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_edit_refuses_unauthorized_users(site: Site, method: str) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "refuses membership changes to unauthorized users"
    key = "usernames" if method == "PUT" else "username"
    r = site.http.request(
        method, f"/groups/{_gid(site)}/members.json", headers=site.member, data={key: "bob"}
    )
    assert r.status_code == 403


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_edit_cannot_touch_automatic_groups(site: Site, method: str) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "cannot add members to automatic groups"
    # discourse/discourse spec/requests/groups_controller_spec.rb "cannot remove members from automatic groups"
    key = "usernames" if method == "PUT" else "user_id"
    value = site.member_name if method == "PUT" else "42"
    r = site.http.request(method, "/groups/14/members.json", headers=site.admin, data={key: value})
    assert r.status_code == 403


def test_add_incremental(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "can make incremental adds"
    u = _outsider(site)
    r = site.put(f"/groups/{_gid(site)}/members.json", site.admin, data={"usernames": u["username"]})
    assert r.status_code == 200
    assert r.json()["success"] == "OK"
    assert u["username"] in _members(site)


def test_add_by_usernames_case_insensitively(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "adds by username"
    a, b = _outsider(site), _outsider(site)
    names = f"{a['username']},{b['username'].upper()}"
    r = site.put(f"/groups/{_gid(site)}/members.json", site.admin, data={"usernames": names})
    assert r.status_code == 200
    assert {a["username"], b["username"]} <= _members(site)


def test_add_by_user_ids(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "adds by id"
    a, b = _outsider(site), _outsider(site)
    r = site.put(f"/groups/{_gid(site)}/members.json", site.admin, data={"user_ids": f"{a['id']},{b['id']}"})
    assert r.status_code == 200
    assert {a["username"], b["username"]} <= _members(site)


def test_add_by_user_emails(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "adds by email"
    a, b = _outsider(site), _outsider(site)
    emails = f"{a['email']},{b['email']}"
    r = site.put(f"/groups/{_gid(site)}/members.json", site.admin, data={"user_emails": emails})
    assert r.status_code == 200
    assert {a["username"], b["username"]} <= _members(site)


def test_add_missing_users_even_if_some_exist(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "adds missing users even if some exists"
    inside, outside = _insider(site), _outsider(site)
    emails = f"{inside['email']},{outside['email']}"
    r = site.put(f"/groups/{_gid(site)}/members.json", site.admin, data={"user_emails": emails})
    assert r.status_code == 200
    assert outside["username"] in _members(site)


def test_add_when_all_members_already_exist(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "displays warning when all members already exists"
    # discourse/discourse spec/requests/groups_controller_spec.rb "returns 422 if member already exists"
    a, b = _insider(site), _insider(site)
    r = site.put(
        f"/groups/{_gid(site)}/members.json", site.admin, data={"user_emails": f"{a['email']},{b['email']}"}
    )
    assert r.status_code == 422
    (message,) = r.json()["errors"]
    assert a["username"] in message and b["username"] in message
    r = site.put(f"/groups/{_gid(site)}/members.json", site.admin, data={"usernames": a["username"]})
    assert r.status_code == 422
    assert a["username"] in r.json()["errors"][0]


@pytest.mark.parametrize(
    "params", [{"usernames": "some thing"}, {"user_ids": "-5,-6"}, {"user_emails": "some@test.org"}]
)
def test_add_member_not_found(site: Site, params: dict[str, str]) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "returns 400 if member is not found"
    r = site.put(f"/groups/{_gid(site)}/members.json", site.admin, data=params)
    assert r.status_code == 400
    assert r.json()["error_type"] == "invalid_parameters"


@pytest.mark.parametrize(
    "params", [{"usernames": "nouserwiththisusername", "emails": ""}, {"usernames": "", "emails": ""}]
)
def test_add_without_users_or_emails(site: Site, params: dict[str, str]) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "return a 400 if no user or emails are present"
    r = site.put(f"/groups/{_gid(site)}/members.json", site.admin, data=params)
    assert r.status_code == 400
    assert r.json()["error_type"] == "invalid_parameters"


def test_add_by_group_owner(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "does not add users without sufficient permission"
    # (before: group.add_owner(user); the owner adds another member: 200)
    owner = _insider(site)
    site.execute(
        "UPDATE group_users SET owner = 1 WHERE group_id = ? AND user_id = ?", _gid(site), owner["id"]
    )
    u = _outsider(site)
    r = site.put(
        f"/groups/{_gid(site)}/members.json", site.as_(owner["username"]), data={"usernames": u["username"]}
    )
    assert r.status_code == 200
    assert u["username"] in _members(site)


def test_remove_unknown_user_id(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "raises an error if user to be removed is not found"
    assert (
        site.delete(f"/groups/{_gid(site)}/members.json", site.admin, data={"user_id": -10}).status_code
        == 400
    )


def test_remove_a_non_member_is_skipped(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb
    # "returns skipped_usernames response body when removing a valid user but is not a member of that group"
    u = _outsider(site)
    r = site.delete(f"/groups/{_gid(site)}/members.json", site.admin, data={"user_id": u["id"]})
    assert r.status_code == 200
    assert r.json()["usernames"] == []
    assert r.json()["skipped_usernames"] == [u["username"]]


@pytest.mark.parametrize(
    ("name", "param", "column"),
    [
        ("removes by id", "user_id", "id"),
        ("removes by username", "username", "username"),
        ("removes by user_email", "user_email", "email"),
        ("removes by username (usernames)", "usernames", "username"),
        ("removes by id (user_ids)", "user_ids", "id"),
        ("removes by email (user_emails)", "user_emails", "email"),
    ],
)
def test_remove_by_each_form(site: Site, name: str, param: str, column: str) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "is able to remove a member" / "#remove_members"
    # ("removes by id", "removes by username", "removes by user_email"; several: "removes by username",
    # "removes by id", "removes by email")
    u = _insider(site)
    r = site.delete(f"/groups/{_gid(site)}/members.json", site.admin, data={param: str(u[column])})
    assert r.status_code == 200, (name, r.text)
    assert u["username"] not in _members(site)


@pytest.mark.parametrize("param", ["user_id", "user_ids"])
def test_remove_by_id_with_integer_in_json(site: Site, param: str) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "removes by id with integer in json"
    u = _insider(site)
    r = site.delete(
        f"/groups/{_gid(site)}/members.json",
        {**site.admin, "Content-Type": "application/json"},
        content=json.dumps({param: u["id"]}),
    )
    assert r.status_code == 200
    assert u["username"] not in _members(site)


def test_remove_several_members(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "removes by username" (several, one upper-case)
    a, b = _insider(site), _insider(site)
    names = f"{a['username']},{b['username'].upper()}"
    r = site.delete(f"/groups/{_gid(site)}/members.json", site.admin, data={"usernames": names})
    assert r.status_code == 200
    assert not {a["username"], b["username"]} & _members(site)


def test_remove_only_removes_users_in_that_group(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "only removes users in that group"
    inside, outside = _insider(site), _outsider(site)
    names = f"{outside['username']},{inside['username']}"
    r = site.delete(f"/groups/{_gid(site)}/members.json", site.admin, data={"usernames": names})
    assert r.status_code == 200
    assert r.json()["usernames"] == [inside["username"]]
    assert r.json()["skipped_usernames"] == [outside["username"]]


def test_members_filter_by_email_only_for_staff(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "should not allow members to be filterable by email"
    # discourse/discourse spec/requests/groups_controller_spec.rb "should allow members to be filterable by username"
    u = _insider(site)
    r = site.get(f"/groups/{GROUP}/members.json", site.member, params={"filter": u["email"]})
    assert r.status_code == 200
    assert r.json()["members"] == []
    r = site.get(f"/groups/{GROUP}/members.json", site.admin, params={"filter": u["email"].upper()})
    assert [m["id"] for m in r.json()["members"]] == [u["id"]]
    r = site.get(f"/groups/{GROUP}/members.json", site.admin, params={"filter": u["username"].upper()})
    assert u["id"] in [m["id"] for m in r.json()["members"]]


def test_members_sorted_by_last_seen(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "should allow members to be sorted by"
    r = site.get(f"/groups/{GROUP}/members.json", site.admin, params={"order": "last_seen_at", "limit": 1000})
    assert r.status_code == 200
    seen = [m["last_seen_at"] or "" for m in r.json()["members"]]
    assert seen == sorted(seen, reverse=True)
    r = site.get(
        f"/groups/{GROUP}/members.json",
        site.admin,
        params={"order": "last_seen_at", "asc": "true", "limit": 1000},
    )
    seen = [m["last_seen_at"] for m in r.json()["members"] if m["last_seen_at"]]
    assert seen == sorted(seen)


def test_members_sort_by_a_column_that_is_not_allowed(site: Site) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb
    # "should not allow members to be sorted by columns that are not allowed"
    r = site.get(f"/groups/{GROUP}/members.json", site.admin, params={"order": "email", "limit": 1000})
    assert r.status_code == 200
    assert {m["username"] for m in r.json()["members"]} == _members(site)


@pytest.mark.parametrize("limit", ["-1", "1; DROP TABLE users", "1001"])
def test_members_invalid_limit_params(site: Site, limit: str) -> None:
    # discourse/discourse spec/requests/groups_controller_spec.rb "#members" include_examples "invalid limit params"
    # (spec/support/shared_examples_for_invalid_limit_params; GroupsController MEMBERS_MAX_PAGE_SIZE = 1000)
    r = site.get(f"/groups/{GROUP}/members.json", site.admin, params={"limit": limit})
    assert r.status_code == 400


@pytest.mark.parametrize("root", ["groups", "g"])
@pytest.mark.parametrize(
    "page",
    ["activity", "activity/posts", "requests", "messages", "messages/inbox", "manage", "manage/members"],
)
def test_every_path_routed_to_groups_show_serves_the_group(site: Site, root: str, page: str) -> None:
    # discourse/discourse config/routes.rb (the group member pages activity(/:filter), requests, messages(/…),
    # manage(/…) are all groups#show: the same group resource as /groups/:name.json)
    canonical = site.get(f"/groups/{GROUP}.json", site.admin)
    r = site.get(f"/{root}/{GROUP}/{page}.json", site.admin)
    assert (r.status_code, r.json()) == (200, canonical.json())
