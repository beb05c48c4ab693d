"""TopicsController (spec/requests/topics_controller_spec.rb): status changes and reading a topic."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration


def _topic(site: Site) -> sqlite3.Row:
    return site.pick(
        "SELECT t.* FROM topics t JOIN categories c ON c.id = t.category_id WHERE c.read_restricted = 0 "
        "AND t.deleted_at IS NULL AND t.closed = 0 AND t.archived = 0 AND t.visible = 1 AND t.pinned = 0 "
        "ORDER BY t.id"
    )


def _last_action(site: Site, topic_id: int) -> str | None:
    posts = site.get(f"/t/{topic_id}.json", site.admin).json()["post_stream"]["posts"]
    return posts[-1].get("action_code")


def test_status_needs_login(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "#status needs you to be logged in"
    r = site.put(f"/t/{_topic(site)['id']}/status.json", data={"status": "visible", "enabled": "true"})
    assert r.status_code == 403


def test_status_refused_when_you_cannot_change_it(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "raises an exception if you can't change it"
    r = site.put(
        f"/t/{_topic(site)['id']}/status.json", site.member, data={"status": "visible", "enabled": "true"}
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("requires the status parameter", {"enabled": "true"}),
        ("requires the enabled parameter", {"status": "visible"}),
        ("raises an error with a status not in the allowlist", {"status": "title", "enabled": "true"}),
    ],
)
def test_status_parameter_errors(site: Site, name: str, data: dict[str, str]) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "requires the status parameter"
    # discourse/discourse spec/requests/topics_controller_spec.rb "requires the enabled parameter"
    # discourse/discourse spec/requests/topics_controller_spec.rb "raises an error with a status not in the allowlist"
    assert site.put(f"/t/{_topic(site)['id']}/status.json", site.moderator, data=data).status_code == 400, (
        name
    )


def test_status_updates_the_topic_status(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "updates the topic status"
    t = _topic(site)
    assert (
        site.put(
            f"/t/{t['id']}/status.json", site.moderator, data={"status": "closed", "enabled": "true"}
        ).status_code
        == 200
    )
    r = site.put(f"/t/{t['id']}/status.json", site.moderator, data={"status": "closed", "enabled": "false"})
    assert r.status_code == 200
    assert r.json()["topic_status_update"] is None
    assert site.get(f"/t/{t['id']}.json", site.admin).json()["closed"] is False


def test_status_when_enabled_is_truthy(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "updates the status when enabled is truthy"
    t = _topic(site)
    for enabled, closed in (("t", True), ("0", False)):
        r = site.put(
            f"/t/{t['id']}/status.json", site.moderator, data={"status": "closed", "enabled": enabled}
        )
        assert r.status_code == 200
        assert site.get(f"/t/{t['id']}.json", site.admin).json()["closed"] is closed
    r = site.put(f"/t/{t['id']}/status.json", site.moderator, json={"status": "closed", "enabled": True})
    assert r.status_code == 200
    assert site.get(f"/t/{t['id']}.json", site.admin).json()["closed"] is True


@pytest.mark.parametrize(
    ("status", "enabled", "code"),
    [
        ("closed", "true", "closed.enabled"),
        ("archived", "true", "archived.enabled"),
        ("visible", "false", "visible.disabled"),
    ],
)
def test_status_adds_the_small_action(site: Site, status: str, enabled: str, code: str) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "allows a group moderator to close a topic"
    # discourse/discourse spec/requests/topics_controller_spec.rb "allows a group moderator to archive a topic"
    # discourse/discourse spec/requests/topics_controller_spec.rb "allows a group moderator to unlist a topic"
    t = _topic(site)
    r = site.put(f"/t/{t['id']}/status.json", site.moderator, data={"status": status, "enabled": enabled})
    assert r.status_code == 200
    assert _last_action(site, t["id"]) == code


def test_pin_and_unpin(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "allows a group moderator to pin a topic"
    # discourse/discourse spec/requests/topics_controller_spec.rb "allows a group moderator to unpin a topic"
    t = _topic(site)
    r = site.put(
        f"/t/{t['id']}/status.json",
        site.moderator,
        data={"status": "pinned", "enabled": "true", "until": "2030-12-31"},
    )
    assert r.status_code == 200
    assert site.get(f"/t/{t['id']}.json", site.admin).json()["pinned"] is True
    r = site.put(f"/t/{t['id']}/status.json", site.moderator, data={"status": "pinned", "enabled": "false"})
    assert r.status_code == 200
    assert site.get(f"/t/{t['id']}.json", site.admin).json()["pinned"] is False


def test_show_unknown_topic(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "with permission errors" "returns 404 for nonexistent"
    assert site.get("/t/999999999.json", site.member).status_code == 404


def _deleted_topic(site: Site) -> int:
    t = _topic(site)
    assert site.delete(f"/t/{t['id']}.json", site.admin).status_code == 200
    return int(t["id"])


def _secure_topic(site: Site) -> int:
    return int(
        site.one(
            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id WHERE c.read_restricted = 1 "
            "AND t.deleted_at IS NULL ORDER BY t.id LIMIT 1"
        )["id"]
    )


@pytest.mark.parametrize(
    ("detailed", "who", "expected"),
    [
        (False, "member", {"normal": 200, "secure": 404, "deleted": 404, "nonexistent": 404}),
        (False, "anon", {"normal": 200, "secure": 404, "deleted": 404, "nonexistent": 404}),
        (False, "moderator", {"normal": 200, "deleted": 200, "nonexistent": 404}),
        (False, "admin", {"normal": 200, "secure": 200, "deleted": 200, "nonexistent": 404}),
        (True, "member", {"normal": 200, "secure": 403, "deleted": 410, "nonexistent": 404}),
        (True, "anon", {"normal": 200, "secure": 403, "deleted": 410, "nonexistent": 404}),
        (True, "moderator", {"normal": 200, "deleted": 200, "nonexistent": 404}),
    ],
)
def test_show_permission_errors(site: Site, detailed: bool, who: str, expected: dict[str, int]) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "#show" "with permission errors"
    # ("without detailed error pages" / "with detailed error pages": "various scenarios" per role)
    ids = {
        "normal": int(_topic(site)["id"]),
        "secure": _secure_topic(site),
        "deleted": _deleted_topic(site),
        "nonexistent": 999_999_999,
    }
    site.server.set_setting("detailed_404", detailed)
    try:
        got = {k: site.get(f"/t/slug/{ids[k]}.json", getattr(site, who)).status_code for k in expected}
    finally:
        site.server.set_setting("detailed_404", False)
    assert got == expected


def test_show_slug_and_id_do_not_match_a_topic(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "returns a 404 when slug and topic id do not match a topic"
    assert site.get("/t/made-up-topic-slug/123123.json", site.member).status_code == 404


def test_show_page_past_the_end(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "grabs the correct set of posts"
    # (a page past the last chunk of the stream is a 404)
    t = _topic(site)
    assert site.get(f"/t/{t['id']}.json", site.member, params={"page": 1}).status_code == 200
    assert site.get(f"/t/{t['id']}.json", site.member, params={"page": 50}).status_code == 404


def _members_topic(site: Site, *, replies: bool) -> sqlite3.Row:
    """A public topic written by a non-staff member, with or without replies."""
    return site.pick(
        "SELECT t.*, u.username FROM topics t JOIN categories c ON c.id = t.category_id JOIN users u "
        "ON u.id = t.user_id WHERE c.read_restricted = 0 AND t.deleted_at IS NULL AND t.archived = 0 "
        "AND t.closed = 0 AND u.admin = 0 AND u.moderator = 0 AND u.active = 1 AND u.suspended_till IS NULL "
        f"AND t.posts_count {'>' if replies else '='} 1 ORDER BY t.id"
    )


def test_recover_needs_login(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "won't allow us to recover a topic when we're not logged in"
    assert site.put(f"/t/{_deleted_topic(site)}/recover.json").status_code == 403


def test_recover_without_access(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "raises an exception when the user doesn't have permission to delete the topic"
    assert site.put(f"/t/{_deleted_topic(site)}/recover.json", site.member).status_code == 403


def test_recover_with_permission(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "#recover" "with permission" "succeeds"
    tid = _deleted_topic(site)
    assert site.put(f"/t/{tid}/recover.json", site.moderator).status_code == 200
    assert site.get(f"/t/{tid}.json", site.member).status_code == 200


def test_delete_needs_login(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "won't allow us to delete a topic when we're not logged in"
    assert site.delete(f"/t/{_topic(site)['id']}.json").status_code == 403


def test_delete_by_its_author_without_permission(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "#delete" "raises an exception when the user doesn't have permission to delete the topic"
    # (the author of a topic older than a day may not delete it: 422)
    t = _members_topic(site, replies=False)
    assert site.delete(f"/t/{t['id']}.json", site.as_(t["username"])).status_code == 422
    assert site.get(f"/t/{t['id']}.json", site.member).status_code == 200


def test_delete_with_permission(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "#delete" "with permission" "succeeds"
    t = _topic(site)
    assert site.delete(f"/t/{t['id']}.json", site.moderator).status_code == 200
    assert site.get(f"/t/{t['id']}.json", site.member).status_code == 404


def test_update_needs_login(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "won't allow us to update a topic when we're not logged in"
    assert site.put(f"/t/{_topic(site)['id']}.json", data={"slug": "xyz"}).status_code == 403


def test_update_to_a_disallowed_category(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "can not change category to a disallowed category"
    t = _members_topic(site, replies=True)
    r = site.put(f"/t/{t['id']}.json", site.as_(t["username"]), data={"category_id": 8})
    assert r.status_code == 403
    assert site.get(f"/t/{t['id']}.json", site.admin).json()["category_id"] == t["category_id"]


def test_update_an_archived_topic_without_permission(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "raises an exception when the user doesn't have permission to update the topic"
    t = _members_topic(site, replies=True)
    assert (
        site.put(
            f"/t/{t['id']}/status.json", site.admin, data={"status": "archived", "enabled": "true"}
        ).status_code
        == 200
    )
    assert site.put(f"/t/{t['slug']}/{t['id']}.json", site.as_(t["username"])).status_code == 403


def test_update_succeeds(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "#update" "with permission" "succeeds"
    t = _members_topic(site, replies=True)
    r = site.put(f"/t/{t['slug']}/{t['id']}.json", site.as_(t["username"]))
    assert r.status_code == 200
    assert r.json()["basic_topic"]


@pytest.mark.parametrize("path", ["/t/{slug}/{id}.json", "/t/{id}.json"])
def test_update_allows_a_change_of_title(site: Site, path: str) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "allows a change of title"
    # discourse/discourse spec/requests/topics_controller_spec.rb "allows update on short non-slug url"
    t = _members_topic(site, replies=True)
    url = path.format(slug=t["slug"], id=t["id"])
    r = site.put(url, site.as_(t["username"]), data={"title": "This is a new title for the topic"})
    assert r.status_code == 200
    assert site.get(f"/t/{t['id']}.json", site.admin).json()["title"] == "This is a new title for the topic"


def test_update_only_on_digit_ids(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "only allows update on digit ids"
    assert (
        site.put("/t/asdf.json", site.admin, data={"title": "This is a new title for the topic"}).status_code
        == 404
    )


def test_update_invalid_title(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "returns errors with invalid titles"
    t = _members_topic(site, replies=True)
    r = site.put(f"/t/{t['slug']}/{t['id']}.json", site.as_(t["username"]), data={"title": "asdf"})
    assert r.status_code == 422
    assert any("Title is too short" in e for e in r.json()["errors"])


def test_update_invalid_category(site: Site) -> None:
    # discourse/discourse spec/requests/topics_controller_spec.rb "returns errors with invalid categories"
    t = _members_topic(site, replies=True)
    assert (
        site.put(
            f"/t/{t['slug']}/{t['id']}.json", site.as_(t["username"]), data={"category_id": -1}
        ).status_code
        == 422
    )
