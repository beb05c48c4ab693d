"""The demo server answers the paths Discourse answers for one resource (config/routes.rb, openapi.json).

Each alias is asked over real HTTP next to its canonical route: same status, same body. Category paths
follow Discourse's ListController#set_category: a non-canonical path is a 301 to the canonical one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from modconsole.demo import store
from modconsole.demo.server import DemoServer
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Sample:
    username: str
    user_id: int
    topic_id: int
    topic_slug: str
    post_id: int
    post_number: int
    category_id: int
    category_slug: str
    group_id: int
    group_name: str


def _sample(srv: DemoServer) -> Sample:
    con: sqlite3.Connection = store.connect(srv.db_path)
    try:

        def one(sql: str) -> Any:
            return con.execute(sql).fetchone()

        uid, uname = one(
            "SELECT id, username FROM users WHERE deleted_at IS NULL AND id > 0 ORDER BY id LIMIT 1"
        )
        tid, tslug = one(
            "SELECT t.id, t.slug FROM topics t JOIN categories c ON c.id = t.category_id "
            "WHERE t.deleted_at IS NULL AND t.archetype = 'regular' AND c.read_restricted = 0 "
            "AND t.posts_count > 2 ORDER BY t.id LIMIT 1"
        )
        pid, pnum = one(f"SELECT id, post_number FROM posts WHERE topic_id = {tid} AND post_number = 2")
        cid, cslug = one(
            "SELECT id, slug FROM categories WHERE read_restricted = 0 AND parent_category_id IS NULL "
            "ORDER BY id DESC LIMIT 1"
        )
        gid, gname = one("SELECT id, name FROM groups WHERE automatic = 0 ORDER BY id LIMIT 1")
    finally:
        con.close()
    return Sample(uname, uid, tid, tslug, pid, pnum, cid, cslug, gid, gname)


@pytest.fixture
def http(demo_server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server.base_url, timeout=WAIT_S) as c:
        yield c


def H(srv: DemoServer, role: str) -> dict[str, str]:
    return getattr(srv.credentials, role).headers()  # type: ignore[no-any-return]


def same(alias: httpx.Response, canonical: httpx.Response) -> None:
    assert (alias.status_code, alias.content) == (canonical.status_code, canonical.content), alias.url


# (alias, canonical, role); {…} are filled from Sample
GET_ALIASES = [
    ("/users/{username}.json", "/u/{username}.json", "moderator"),
    ("/users/{username}/summary.json", "/u/{username}/summary.json", "moderator"),
    ("/users/{username}/emails.json", "/u/{username}/emails.json", "admin"),
    ("/users/no_such_member_x.json", "/u/no_such_member_x.json", "moderator"),
    ("/u/by-external/ext-1.json", "/u/no_such_member_x.json", "admin"),
    ("/users/by-external/ext-1.json", "/u/no_such_member_x.json", "admin"),
    ("/u/by-external/oidc/ext-1.json", "/u/no_such_member_x.json", "admin"),
    ("/users/by-external/oidc/ext-1.json", "/u/no_such_member_x.json", "admin"),
    ("/admin/users/{user_id}/{username}.json", "/admin/users/{user_id}.json", "moderator"),
    ("/admin/users/{user_id}/{username}/badges.json", "/admin/users/{user_id}.json", "moderator"),
    ("/admin/users/{user_id}/{username}/tl3_requirements.json", "/admin/users/{user_id}.json", "moderator"),
    ("/admin/users/{user_id}/{username}.json", "/admin/users/{user_id}.json", "member"),
    ("/admin/users.json", "/admin/users/list/new.json", "moderator"),
    ("/admin/users/list.json", "/admin/users/list/new.json", "moderator"),
    (
        "/admin/users.json?order=username&asc=true",
        "/admin/users/list/new.json?order=username&asc=true",
        "admin",
    ),
    ("/t/{topic_id}.json", "/t/{topic_slug}/{topic_id}.json", "moderator"),
    ("/t/{topic_id}.json", "/t/{topic_slug}/{topic_id}.json", "member"),
    ("/posts/by_number/{topic_id}/{post_number}.json", "/posts/{post_id}.json", "moderator"),
    ("/posts/by_number/{topic_id}/9999.json", "/posts/999999999.json", "moderator"),
    ("/g/{group_name}.json", "/groups/{group_name}.json", "moderator"),
    ("/g/{group_name}/members.json?limit=5", "/groups/{group_name}/members.json?limit=5", "moderator"),
    ("/groups/by-id/{group_id}.json", "/groups/{group_name}.json", "moderator"),
    ("/groups/by-id/999999.json", "/groups/no_such_group_x.json", "moderator"),
]


@pytest.mark.parametrize(("alias", "canonical", "role"), GET_ALIASES)
def test_get_alias_answers_like_the_canonical_route(
    demo_server: DemoServer, http: httpx.Client, alias: str, canonical: str, role: str
) -> None:
    s = _sample(demo_server).__dict__
    h = H(demo_server, role)
    a, c = http.get(alias.format(**s), headers=h), http.get(canonical.format(**s), headers=h)
    same(a, c)


@pytest.mark.parametrize(
    "alias",
    [
        "/c/{category_id}.json",
        "/c/{category_id}/l/latest.json",
        "/c/{category_slug}.json",
        "/c/{category_slug}/l/latest.json",
        "/c/old-slug/{category_id}.json",
        "/c/old-slug/{category_id}/l/latest.json",
        "/c/{category_id}-category/l/latest.json",
    ],
)
def test_category_paths_redirect_to_the_canonical_one(
    demo_server: DemoServer, http: httpx.Client, alias: str
) -> None:
    s = _sample(demo_server)
    h = H(demo_server, "moderator")
    suffix = "/l/latest.json" if alias.endswith("/l/latest.json") else ".json"
    canonical = f"/c/{s.category_slug}/{s.category_id}{suffix}"
    r = http.get(alias.format(**s.__dict__) + "?page=0&order=created", headers=h)
    assert r.status_code == 301
    assert r.headers["location"] == f"{demo_server.base_url}{canonical}?page=0&order=created"
    followed = http.get(r.headers["location"], headers=h)
    same(followed, http.get(canonical, params={"page": 0, "order": "created"}, headers=h))
    assert followed.status_code == 200 and followed.json()["topic_list"]["topics"]


def test_canonical_category_paths_answer_directly_and_hidden_ones_stay_hidden(
    demo_server: DemoServer, http: httpx.Client
) -> None:
    s = _sample(demo_server)
    h = H(demo_server, "moderator")
    for path in (
        f"/c/{s.category_slug}/{s.category_id}.json",
        f"/c/{s.category_slug}/{s.category_id}/l/latest.json",
    ):
        assert http.get(path, headers=h).status_code == 200
    assert http.get("/c/no-such-category.json", headers=h).status_code == 404
    assert http.get("/c/999999/l/latest.json", headers=h).status_code == 404
    con = store.connect(demo_server.db_path)
    try:
        hidden = con.execute("SELECT id FROM categories WHERE read_restricted = 1 LIMIT 1").fetchone()
    finally:
        con.close()
    if hidden is not None:  # a member gets Discourse's 404, not a redirect that names the category
        member = H(demo_server, "member")
        assert http.get(f"/c/{hidden[0]}.json", headers=member).status_code == 404


def _members_roundtrip(
    http: httpx.Client, add: str, remove: str, username: str, h: dict[str, str]
) -> tuple[tuple[int, bytes], tuple[int, bytes]]:
    a = http.put(add, data={"usernames": username}, headers=h)
    r = http.delete(remove, params={"usernames": username}, headers=h)
    return (a.status_code, a.content), (r.status_code, r.content)


def test_group_member_writes_on_every_alias(demo_server: DemoServer, http: httpx.Client) -> None:
    s = _sample(demo_server)
    con = store.connect(demo_server.db_path)
    try:
        outsider = con.execute(
            "SELECT username FROM users WHERE deleted_at IS NULL AND id > 0 AND id NOT IN "
            "(SELECT user_id FROM group_users WHERE group_id = ?) ORDER BY id LIMIT 1",
            (s.group_id,),
        ).fetchone()[0]
    finally:
        con.close()
    admin, mod = H(demo_server, "admin"), H(demo_server, "moderator")
    canonical = f"/groups/{s.group_id}/members.json"
    expected = _members_roundtrip(http, canonical, canonical, outsider, admin)
    assert expected[0][0] == 200 and expected[1][0] == 200
    for alias in (f"/g/{s.group_id}/members.json", f"/admin/groups/{s.group_id}/members.json"):
        assert _members_roundtrip(http, alias, alias, outsider, admin) == expected
        assert _members_roundtrip(http, alias, canonical, outsider, admin) == expected
    # the admin alias is behind AdminConstraint: for a moderator the route does not exist
    r = http.put(f"/admin/groups/{s.group_id}/members.json", data={"usernames": outsider}, headers=mod)
    assert r.status_code == 404
    assert _members_roundtrip(http, f"/g/{s.group_id}/members.json", canonical, outsider, mod)[0][0] == 200


def test_topic_writes_on_every_alias(demo_server: DemoServer, http: httpx.Client) -> None:
    s = _sample(demo_server)
    h = H(demo_server, "moderator")
    original = http.get(f"/t/{s.topic_id}.json", headers=h).json()["title"]

    def rename(path: str, title: str) -> tuple[int, bytes]:
        r = http.put(path, data={"title": title}, headers=h)
        return r.status_code, r.content

    new_title = "Renamed through an alias of the topic route"
    expected = rename(f"/t/{s.topic_slug}/{s.topic_id}.json", new_title)
    assert expected[0] == 200
    for alias in (f"/t/{s.topic_id}.json", f"/t/-/{s.topic_id}.json"):
        assert rename(f"/t/-/{s.topic_id}.json", original)[0] == 200
        assert rename(alias, new_title) == expected
    assert http.get(f"/t/{s.topic_id}.json", headers=h).json()["title"] == new_title

    def status(path: str, enabled: str) -> tuple[int, bytes]:
        r = http.put(path, data={"status": "closed", "enabled": enabled}, headers=h)
        return r.status_code, r.content

    canonical = f"/t/{s.topic_id}/status.json"
    expected = status(canonical, "true")
    assert expected[0] == 200 and status(canonical, "false")[0] == 200
    assert status(f"/t/{s.topic_slug}/{s.topic_id}/status.json", "true") == expected
    assert http.get(f"/t/{s.topic_id}.json", headers=h).json()["closed"] is True


def test_admin_user_group_routes_change_membership_like_the_group_routes(
    demo_server: DemoServer, http: httpx.Client
) -> None:
    """``POST /admin/users/{id}/groups`` and ``DELETE /admin/users/{id}/groups/{group_id}`` (CONTRACT §6
    "Admin aliases"): the same membership change as the group routes, answered with an empty 200."""
    s = _sample(demo_server)
    con = store.connect(demo_server.db_path)
    try:
        uid, uname = con.execute(
            "SELECT id, username FROM users WHERE deleted_at IS NULL AND id > 0 AND id NOT IN "
            "(SELECT user_id FROM group_users WHERE group_id = ?) ORDER BY id LIMIT 1",
            (s.group_id,),
        ).fetchone()
        auto = con.execute("SELECT id FROM groups WHERE automatic = 1 LIMIT 1").fetchone()[0]
    finally:
        con.close()
    admin = H(demo_server, "admin")

    def members() -> list[tuple[str, int]]:  # who, at which trust level (join times move with the clock)
        r = http.get(f"/groups/{s.group_name}/members.json", params={"limit": 1000}, headers=admin)
        return sorted((m["username"], m.get("trust_level", -1)) for m in r.json()["members"])

    before = members()
    canonical = http.put(f"/groups/{s.group_id}/members.json", data={"usernames": uname}, headers=admin)
    assert canonical.status_code == 200
    with_member = members()
    assert with_member != before
    http.delete(f"/groups/{s.group_id}/members.json", params={"usernames": uname}, headers=admin)
    assert members() == before

    for _ in range(2):  # adding someone already in the group is no error here
        r = http.post(f"/admin/users/{uid}/groups.json", data={"group_id": s.group_id}, headers=admin)
        assert (r.status_code, r.content) == (200, b"")
        assert members() == with_member
    r = http.delete(f"/admin/users/{uid}/groups/{s.group_id}.json", headers=admin)
    assert (r.status_code, r.content) == (200, b"")
    assert members() == before

    mod = H(demo_server, "moderator")
    assert (
        http.post(f"/admin/users/{uid}/groups.json", data={"group_id": s.group_id}, headers=mod).status_code
        == 404
    )
    assert http.delete(f"/admin/users/{uid}/groups/{s.group_id}.json", headers=mod).status_code == 404
    r = http.post(f"/admin/users/{uid}/groups.json", data={"group_id": auto}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"]
    assert (
        http.post(f"/admin/users/{uid}/groups.json", data={"group_id": 999999}, headers=admin).status_code
        == 404
    )
    assert members() == before
