"""discourse-solved (bundled as plugins/discourse-solved): accept, unaccept, solutions by user."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration

ANSWER_SPEC = "plugins/discourse-solved/spec/requests/answer_controller_spec.rb"
BY_USER_SPEC = "plugins/discourse-solved/spec/requests/solved_topics_controller_spec.rb"


def _unsolved_reply(site: Site) -> sqlite3.Row:
    """A reply in an open, unsolved question of a category with accepted answers, by someone else than the
    topic's author."""
    return site.pick(
        "SELECT p.id, p.topic_id, p.post_number, t.user_id AS author_id, u.username AS author "
        "FROM posts p JOIN topics t ON t.id = p.topic_id JOIN categories c ON c.id = t.category_id "
        "JOIN users u ON u.id = t.user_id "
        "WHERE c.enable_accepted_answers = 1 AND c.read_restricted = 0 AND t.deleted_at IS NULL "
        "AND t.closed = 0 AND t.archetype = 'regular' AND p.post_number > 1 AND p.post_type = 1 "
        "AND p.deleted_at IS NULL AND p.user_id IS NOT t.user_id AND u.admin = 0 AND u.moderator = 0 "
        "AND u.active = 1 AND u.suspended_till IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) "
        "GROUP BY t.id ORDER BY t.id"
    )


def test_accept_is_not_rate_limited_for_staff(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/answer_controller_spec.rb
    # "does not apply rate limits to staff"
    p = _unsolved_reply(site)
    r = site.post("/solution/accept.json", site.admin, data={"id": p["id"]})
    assert r.status_code == 200
    view = site.get(f"/t/{p['topic_id']}.json", site.admin).json()
    assert view["accepted_answer"]["post_number"] == p["post_number"]


def test_accepting_the_accepted_answer_again_is_200(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/answer_controller_spec.rb
    # "allows plugins to bypass rate limiting" (the topic's author accepts the same post twice: 200, 200)
    p = _unsolved_reply(site)
    author = site.as_(p["author"])
    assert site.post("/solution/accept.json", author, data={"id": p["id"]}).status_code == 200
    again = site.post("/solution/accept.json", author, data={"id": p["id"]})
    assert again.status_code == 200
    view = site.get(f"/t/{p['topic_id']}.json", site.admin).json()
    assert view["accepted_answer"]["post_number"] == p["post_number"]


def test_unaccept_after_accept(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/answer_controller_spec.rb
    # "#unaccept" (before: the author accepts → 200; then unaccepts)
    p = _unsolved_reply(site)
    author = site.as_(p["author"])
    assert site.post("/solution/accept.json", author, data={"id": p["id"]}).status_code == 200
    assert site.post("/solution/unaccept.json", author, data={"id": p["id"]}).status_code == 200
    assert not site.get(f"/t/{p['topic_id']}.json", site.admin).json().get("accepted_answer")


def _solver(site: Site) -> sqlite3.Row:
    return site.pick(
        "SELECT u.username, COUNT(*) AS n FROM solutions s JOIN posts p ON p.id = s.post_id "
        "JOIN topics t ON t.id = s.topic_id JOIN categories c ON c.id = t.category_id "
        "JOIN users u ON u.id = p.user_id WHERE c.read_restricted = 0 AND t.deleted_at IS NULL "
        "AND t.visible = 1 AND p.deleted_at IS NULL AND u.deleted_at IS NULL "
        "GROUP BY u.id HAVING n >= 2 ORDER BY n DESC"
    )


def test_by_user_returns_solved_posts(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/solved_topics_controller_spec.rb
    # "returns solved posts for the specified user"
    u = _solver(site)
    r = site.get("/solution/by_user.json", site.admin, params={"username": u["username"]})
    assert r.status_code == 200
    posts = r.json()["user_solved_posts"]
    assert len(posts) == u["n"]
    assert all(p["username"] == u["username"] for p in posts)


def test_by_user_unknown_user(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/solved_topics_controller_spec.rb
    # "returns 404 for a non-existent user"
    r = site.get("/solution/by_user.json", site.admin, params={"username": "non-existent-user"})
    assert r.status_code == 404


def test_by_user_offset_and_limit(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/solved_topics_controller_spec.rb
    # "correctly handles the offset parameter", "correctly handles the limit parameter"
    u = _solver(site)
    r = site.get("/solution/by_user.json", site.admin, params={"username": u["username"], "offset": u["n"]})
    assert r.status_code == 200
    assert r.json()["user_solved_posts"] == []
    r = site.get("/solution/by_user.json", site.admin, params={"username": u["username"], "limit": 1})
    assert r.status_code == 200
    assert len(r.json()["user_solved_posts"]) == 1


@pytest.mark.parametrize("who", ["member", "anon"])
def test_by_user_without_username(site: Site, who: str) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/solved_topics_controller_spec.rb
    # "returns 400 for the current user", "returns 400 if not logged in"
    assert site.get("/solution/by_user.json", getattr(site, who)).status_code == 400


def test_by_user_respects_category_permissions(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/solved_topics_controller_spec.rb
    # "respects category permissions" (a solution in a restricted category is not listed to others)
    row = site.one(
        "SELECT s.topic_id, p.id AS post_id, u.username FROM solutions s JOIN posts p ON p.id = s.post_id "
        "JOIN topics t ON t.id = s.topic_id JOIN users u ON u.id = p.user_id "
        "WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL ORDER BY s.topic_id LIMIT 1"
    )
    site.put(f"/t/{row['topic_id']}.json", site.admin, data={"category_id": 8})  # Moderators (restricted)
    try:
        params = {"username": row["username"]}
        seen = [
            p["post_id"]
            for p in site.get("/solution/by_user.json", site.member, params=params).json()[
                "user_solved_posts"
            ]
        ]
        assert row["post_id"] not in seen
        staff = [
            p["post_id"]
            for p in site.get("/solution/by_user.json", site.admin, params=params).json()["user_solved_posts"]
        ]
        assert row["post_id"] in staff
    finally:
        site.put(f"/t/{row['topic_id']}.json", site.admin, data={"category_id": 2})


def test_by_user_does_not_return_posts_of_unlisted_topics_to_others(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/solved_topics_controller_spec.rb
    # "does not return posts in invisible topics to another user", "returns posts in invisible topics to staff"
    row = site.one(
        "SELECT s.topic_id, p.id AS post_id, u.username FROM solutions s JOIN posts p ON p.id = s.post_id "
        "JOIN topics t ON t.id = s.topic_id JOIN users u ON u.id = p.user_id JOIN categories c "
        "ON c.id = t.category_id WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL "
        "AND c.read_restricted = 0 AND u.username <> ? ORDER BY s.topic_id DESC LIMIT 1",
        site.member_name,
    )
    assert (
        site.put(
            f"/t/{row['topic_id']}/status.json", site.admin, data={"status": "visible", "enabled": "false"}
        ).status_code
        == 200
    )
    try:
        params = {"username": row["username"]}
        for who, expect in ((site.member, False), (site.anon, False), (site.admin, True)):
            posts = site.get("/solution/by_user.json", who, params=params).json()["user_solved_posts"]
            assert (row["post_id"] in [p["post_id"] for p in posts]) is expect
    finally:
        site.put(
            f"/t/{row['topic_id']}/status.json", site.admin, data={"status": "visible", "enabled": "true"}
        )


def _solved_topic(site: Site) -> sqlite3.Row:
    return site.one(
        "SELECT s.topic_id, u.username, u.name, a.username AS ausername, a.name AS aname FROM solutions s "
        "JOIN posts p ON p.id = s.post_id JOIN users u ON u.id = p.user_id JOIN users a ON a.id = s.accepter_id "
        "JOIN topics t ON t.id = s.topic_id JOIN categories c ON c.id = t.category_id "
        "WHERE c.read_restricted = 0 AND t.deleted_at IS NULL AND u.name IS NOT NULL AND a.name IS NOT NULL "
        "ORDER BY s.topic_id LIMIT 1"
    )


def test_topic_view_names_with_the_corresponding_site_settings(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/topics_controller_spec.rb
    # "should include user name in output with the corresponding site setting"
    s = _solved_topic(site)
    srv = site.server
    srv.set_setting("display_name_on_posts", True)
    try:
        aa = site.get(f"/t/{s['topic_id']}.json", site.member).json()["accepted_answer"]
        assert (aa["name"], aa["username"]) == (s["name"], s["username"])
        assert (aa["accepter_name"], aa["accepter_username"]) == (s["aname"], s["ausername"])
        srv.set_setting("show_who_marked_solved", False)
        aa = site.get(f"/t/{s['topic_id']}.json", site.member).json()["accepted_answer"]
        assert aa.get("accepter_name") is None and aa.get("accepter_username") is None
        srv.set_setting("enable_names", False)
        aa = site.get(f"/t/{s['topic_id']}.json", site.member).json()["accepted_answer"]
        assert aa["name"] is None and aa.get("accepter_name") is None
    finally:
        srv.set_setting("display_name_on_posts", False)
        srv.set_setting("show_who_marked_solved", True)
        srv.set_setting("enable_names", True)


def test_topic_view_no_name_when_the_setting_is_disabled(site: Site) -> None:
    # discourse/discourse plugins/discourse-solved/spec/requests/topics_controller_spec.rb
    # "should not include user name when site setting is disabled"
    s = _solved_topic(site)
    aa = site.get(f"/t/{s['topic_id']}.json", site.member).json()["accepted_answer"]
    assert aa["name"] is None
    assert aa["username"] == s["username"]
