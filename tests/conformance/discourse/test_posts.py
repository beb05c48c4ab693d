"""PostsController#create (spec/requests/posts_controller_spec.rb)."""

from __future__ import annotations

import secrets

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration


def _open_topic(site: Site) -> int:
    return int(
        site.pick(
            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id WHERE c.read_restricted = 0 "
            "AND t.deleted_at IS NULL AND t.closed = 0 AND t.archived = 0 ORDER BY t.id DESC"
        )["id"]
    )


def test_create_requires_login(site: Site) -> None:
    # discourse/discourse spec/requests/posts_controller_spec.rb "#create" include_examples "action requires login"
    r = site.post("/posts.json", data={"raw": "this is a reply text", "topic_id": _open_topic(site)})
    assert r.status_code == 403


def test_create_memoizes_duplicate_api_requests(site: Site) -> None:
    # discourse/discourse spec/requests/posts_controller_spec.rb "with api" "memoizes duplicate requests"
    u = site.plain_user()
    raw = f"this is a test post 123 {secrets.token_hex(8)}"
    title = f"this is a title {secrets.token_hex(8)}"
    first = site.post("/posts.json", site.as_(u["username"]), data={"raw": raw, "title": title, "wpid": 1})
    assert first.status_code == 200
    second = site.post(
        "/posts.json", site.as_(u["username"].lower()), data={"raw": raw, "title": title, "wpid": 2}
    )
    assert second.status_code == 200
    assert second.content == first.content


def test_create_protects_against_dupes(site: Site) -> None:
    # discourse/discourse spec/requests/posts_controller_spec.rb "protects against dupes"
    # (signed in, not through the admin API: the same topic twice is refused)
    raw = f"this is a test post 123 {secrets.token_hex(8)}"
    title = f"this is a title {secrets.token_hex(8)}"
    first = site.post("/posts.json", site.member, data={"raw": raw, "title": title, "wpid": 1})
    assert first.status_code == 200
    second = site.post("/posts.json", site.member, data={"raw": raw, "title": title, "wpid": 2})
    assert second.status_code != 200


def test_create_not_in_a_disallowed_category(site: Site) -> None:
    # discourse/discourse spec/requests/posts_controller_spec.rb "can not create a post in a disallowed category"
    r = site.post(
        "/posts.json",
        site.member,
        data={
            "raw": "this is the test content",
            "title": "this is the test title for the topic",
            "category": 8,
        },
    )
    assert r.status_code == 403


def test_create_the_post(site: Site) -> None:
    # discourse/discourse spec/requests/posts_controller_spec.rb "creates the post"
    raw = f"this is the test content {secrets.token_hex(8)}"
    r = site.post(
        "/posts.json",
        site.member,
        data={"raw": raw, "title": f"this is the test title {secrets.token_hex(4)}"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["post_number"] == 1
    assert body["topic_id"]
    assert body["username"] == site.member_name


def test_create_a_reply_to_a_post(site: Site) -> None:
    # discourse/discourse spec/requests/posts_controller_spec.rb "can create a reply to a post"
    tid = _open_topic(site)
    r = site.post(
        "/posts.json",
        site.member,
        data={
            "raw": f"this is the test content {secrets.token_hex(8)}",
            "topic_id": tid,
            "reply_to_post_number": 1,
        },
    )
    assert r.status_code == 200
    assert r.json()["topic_id"] == tid
    assert r.json()["reply_to_post_number"] == 1


def test_create_returns_the_nested_post_with_a_param(site: Site) -> None:
    # discourse/discourse spec/requests/posts_controller_spec.rb "returns the nested post with a param"
    r = site.post(
        "/posts.json",
        site.member,
        data={
            "raw": f"this is the test content {secrets.token_hex(8)}",
            "title": f"this is the test title {secrets.token_hex(4)}",
            "nested_post": "true",
        },
    )
    assert r.status_code == 200
    assert r.json()["post"]
    assert r.json()["post"]["post_number"] == 1


def test_create_errors_do_not_succeed(site: Site) -> None:
    # discourse/discourse spec/requests/posts_controller_spec.rb "errors" "does not succeed"
    r = site.post("/posts.json", site.member, data={"raw": "x", "topic_id": _open_topic(site)})
    assert r.status_code == 422
    assert r.json()["errors"]
