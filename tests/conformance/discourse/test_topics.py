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
