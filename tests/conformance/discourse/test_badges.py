"""Badges and user badges: BadgesController, UserBadgesController (spec/requests/badges_controller_spec.rb,
spec/requests/user_badges_controller_spec.rb)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration

XHR = {"X-Requested-With": "XMLHttpRequest"}
SINGLE = 203  # "Community Champion": enabled, listable, single grant, no SQL
DISABLED = 204  # "Beta Tester": disabled
SHOWS_POSTS = 6  # "Nice Reply": targets and shows posts, multiple grant


@pytest.fixture
def unlisted(site: Site) -> Iterator[int]:
    """A badge made non-listable for one test (the spec's ``Fabricate(:badge, listable: false)``)."""
    assert site.put(f"/admin/badges/{SINGLE}.json", site.admin, data={"listable": "false"}).status_code == 200
    yield SINGLE
    site.put(f"/admin/badges/{SINGLE}.json", site.admin, data={"listable": "true"})


def _ids(r: object) -> set[int]:
    return {b["id"] for b in r.json()["badges"]}  # type: ignore[attr-defined]


def test_index_lists_enabled_badges(site: Site) -> None:
    # discourse/discourse spec/requests/badges_controller_spec.rb "should return a list of all badges"
    r = site.get("/badges.json", site.member)
    assert r.status_code == 200
    enabled = site.rows("SELECT id FROM badges WHERE enabled = 1 AND listable = 1")
    assert _ids(r) == {b["id"] for b in enabled}
    assert r.headers["X-Robots-Tag"] == "noindex"


def test_index_does_not_expose_disabled_badges_via_xhr(site: Site) -> None:
    # discourse/discourse spec/requests/badges_controller_spec.rb "does not expose disabled badges via XHR requests"
    assert DISABLED not in _ids(site.get("/badges.json", {**site.member, **XHR}))


def test_index_does_not_expose_non_listable_badges_via_xhr(site: Site, unlisted: int) -> None:
    # discourse/discourse spec/requests/badges_controller_spec.rb "does not expose non-listable badges via XHR requests"
    assert unlisted not in _ids(site.get("/badges.json", {**site.member, **XHR}))


def test_index_staff_see_disabled_and_non_listable_via_xhr(site: Site, unlisted: int) -> None:
    # discourse/discourse spec/requests/badges_controller_spec.rb
    # "allows staff to see disabled and non-listable badges via XHR requests"
    ids = _ids(site.get("/badges.json", {**site.admin, **XHR}))
    assert {DISABLED, unlisted} <= ids


def test_index_filters_for_staff_on_non_xhr(site: Site, unlisted: int) -> None:
    # discourse/discourse spec/requests/badges_controller_spec.rb
    # "filters disabled and non-listable badges for staff on non-XHR requests"
    assert not {DISABLED, unlisted} & _ids(site.get("/badges.json", site.admin))


def test_index_filters_for_staff_with_only_listable(site: Site, unlisted: int) -> None:
    # discourse/discourse spec/requests/badges_controller_spec.rb
    # "filters disabled and non-listable badges for staff when only_listable param is true"
    r = site.get("/badges.json", {**site.admin, **XHR}, params={"only_listable": "true"})
    assert not {DISABLED, unlisted} & _ids(r)


def test_show_returns_a_badge(site: Site) -> None:
    # discourse/discourse spec/requests/badges_controller_spec.rb "#show should return a badge"
    r = site.get(f"/badges/{SINGLE}.json", site.member)
    assert r.status_code == 200
    assert r.json()["badge"]["id"] == SINGLE


# ---------------------------------------------------------------- UserBadgesController


def _holder(site: Site) -> sqlite3.Row:
    return site.one(
        "SELECT u.username, ub.badge_id, COUNT(*) AS n FROM user_badges ub JOIN users u ON u.id = ub.user_id "
        "WHERE u.deleted_at IS NULL GROUP BY u.id ORDER BY n DESC LIMIT 1"
    )


def test_index_requires_username_or_badge_id(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "requires username or badge_id to be specified"
    assert site.get("/user_badges.json", site.member).status_code == 400


def test_index_returns_user_badges_for_a_user(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "returns user_badges for a user"
    h = _holder(site)
    r = site.get(f"/user-badges/{h['username']}.json", site.member)
    assert r.status_code == 200
    assert len(r.json()["user_badges"]) == h["n"]


def test_index_returns_user_badges_for_a_badge(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "returns user_badges for a badge"
    b = site.one(
        "SELECT badge_id, COUNT(*) AS n FROM user_badges GROUP BY badge_id HAVING n < 40 ORDER BY n DESC"
    )
    r = site.get("/user_badges.json", site.member, params={"badge_id": b["badge_id"]})
    assert r.status_code == 200
    assert len(r.json()["user_badge_info"]["user_badges"]) == b["n"]


def test_index_includes_counts_when_grouped(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "includes counts when passed the aggregate argument"
    h = _holder(site)
    r = site.get(f"/user-badges/{h['username']}.json", site.member, params={"grouped": "true"})
    assert r.status_code == 200
    assert all("count" in ub for ub in r.json()["user_badges"])


def test_index_does_not_leak_private_info(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "does not leak private info"
    # (a badge that targets posts but does not show them: no topics, no post_id)
    b = site.one(
        "SELECT ub.badge_id FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
        "WHERE ub.post_id IS NOT NULL AND b.target_posts = 1 GROUP BY ub.badge_id ORDER BY COUNT(*) LIMIT 1"
    )["badge_id"]
    assert site.put(f"/admin/badges/{b}.json", site.admin, data={"show_posts": "false"}).status_code == 200
    try:
        r = site.get("/user_badges.json", site.member, params={"badge_id": b})
        assert r.status_code == 200
        assert r.json().get("topics") is None
        assert all(ub.get("post_id") is None for ub in r.json()["user_badge_info"]["user_badges"])
    finally:
        site.put(f"/admin/badges/{b}.json", site.admin, data={"show_posts": "true"})


def test_index_fails_when_badges_are_disabled(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "fails when badges are disabled"
    site.server.set_setting("enable_badges", False)
    try:
        assert site.get("/user_badges.json", site.member, params={"badge_id": SINGLE}).status_code == 404
    finally:
        site.server.set_setting("enable_badges", True)


def test_create_requires_username(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "requires username to be specified"
    assert site.post("/user_badges.json", site.admin, data={"badge_id": SINGLE}).status_code == 400


def test_create_not_for_regular_users(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "does not allow regular users to grant badges"
    u = site.plain_user()
    r = site.post("/user_badges.json", site.member, data={"badge_id": SINGLE, "username": u["username"]})
    assert r.status_code == 403


def test_create_not_from_key_in_query_string(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "does not grant badges from regular api calls"
    # (an api_key parameter is not a credential on this route: the call is anonymous)
    u = site.plain_user()
    r = site.post(
        "/user_badges.json",
        params={"api_key": site.admin["Api-Key"]},
        data={"badge_id": SINGLE, "username": u["username"]},
    )
    assert r.status_code == 403


def _post_url(site: Site) -> tuple[str, int]:
    p = site.pick(
        "SELECT p.id, p.topic_id, p.post_number, t.slug FROM posts p JOIN topics t ON t.id = p.topic_id "
        "JOIN categories c ON c.id = t.category_id WHERE c.read_restricted = 0 AND p.post_number > 1 "
        "AND p.deleted_at IS NULL AND t.deleted_at IS NULL ORDER BY p.id"
    )
    return f"/t/{p['slug']}/{p['topic_id']}/{p['post_number']}", int(p["id"])


def test_create_grants_badges_from_staff_with_reason(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "grants badges from staff"
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "grants badge when valid post/topic link is given in reason"
    u = site.plain_user()
    path, post_id = _post_url(site)
    r = site.post(
        "/user_badges.json",
        site.admin,
        data={"badge_id": SHOWS_POSTS, "username": u["username"], "reason": site.server.base_url + path},
    )
    assert r.status_code == 200
    ub = r.json()["user_badge"]
    assert ub["post_id"] == post_id
    assert ub["granted_by_id"] == site.one("SELECT id FROM users WHERE username = ?", site.admin_name)["id"]


def test_create_grants_badges_from_master_api_calls(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "grants badges from master api calls"
    u = site.plain_user()
    r = site.post(
        "/user_badges.json", site.as_(site.admin_name), data={"badge_id": SINGLE, "username": u["username"]}
    )
    assert r.status_code == 200
    held = site.get("/user_badges.json", site.member, params={"badge_id": SINGLE, "username": u["username"]})
    assert held.json()["user_badge_info"]["grant_count"] == 1


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("does not grant badge when external link is used in reason", "http://example.com/{path}"),
        (
            "does not grant badge if invalid discourse post/topic link is used in reason",
            "{base}/random_url/{path}",
        ),
    ],
)
def test_create_rejects_bad_reason_links(site: Site, name: str, reason: str) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "does not grant badge when external link is used in reason"
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "does not grant badge if invalid discourse post/topic link is used in reason"
    u = site.plain_user()
    path, _ = _post_url(site)
    link = reason.format(base=site.server.base_url, path=path.lstrip("/"))
    r = site.post(
        "/user_badges.json", site.admin, data={"badge_id": SINGLE, "username": u["username"], "reason": link}
    )
    assert r.status_code == 400, name


def test_destroy_checks_authorization(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "checks that the user is authorized to revoke a badge"
    ub = site.one("SELECT id FROM user_badges ORDER BY id LIMIT 1")
    assert site.delete(f"/user_badges/{ub['id']}.json").status_code == 403


def test_destroy_revokes_the_badge(site: Site) -> None:
    # discourse/discourse spec/requests/user_badges_controller_spec.rb "revokes the badge"
    u = site.plain_user()
    ub = site.post(
        "/user_badges.json", site.admin, data={"badge_id": SINGLE, "username": u["username"]}
    ).json()["user_badge"]
    assert site.delete(f"/user_badges/{ub['id']}.json", site.admin).status_code == 200
    held = site.get("/user_badges.json", site.member, params={"badge_id": SINGLE, "username": u["username"]})
    assert held.json()["user_badge_info"]["grant_count"] == 0
