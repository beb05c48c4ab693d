"""PostActionsController (spec/requests/post_actions_controller_spec.rb): likes, the post action the demo
community serves."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration

LIKE = 2


def _post(site: Site) -> sqlite3.Row:
    """A post in a public topic that the demo's member did not write and has not liked."""
    return site.pick(
        "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id JOIN categories c ON c.id = t.category_id "
        "JOIN users u ON u.id = p.user_id WHERE c.read_restricted = 0 AND t.deleted_at IS NULL "
        "AND p.deleted_at IS NULL AND p.post_type = 1 AND u.username <> ? AND NOT EXISTS (SELECT 1 FROM likes l "
        "WHERE l.post_id = p.id AND l.user_id = (SELECT id FROM users WHERE username = ?)) ORDER BY p.id DESC",
        site.member_name,
        site.member_name,
    )


def _liked(site: Site, post_id: int) -> bool:
    return bool(
        site.rows(
            "SELECT 1 FROM likes WHERE post_id = ? AND user_id = (SELECT id FROM users WHERE username = ?)",
            post_id,
            site.member_name,
        )
    )


def test_destroy_requires_login(site: Site) -> None:
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "#destroy requires you to be logged in"
    assert site.delete(f"/post_actions/{_post(site)['id']}.json").status_code == 403


def test_destroy_requires_the_post_action_type_id(site: Site) -> None:
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "raises an error when the post_action_type_id is missing"
    assert site.delete(f"/post_actions/{_post(site)['id']}.json", site.member).status_code == 400


def test_destroy_when_the_action_does_not_exist(site: Site) -> None:
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "returns 404 when the post action type doesn't exist for that user"
    r = site.delete(
        f"/post_actions/{_post(site)['id']}.json", site.member, params={"post_action_type_id": LIKE}
    )
    assert r.status_code == 404


def test_destroy_deletes_the_action(site: Site) -> None:
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "returns success", "deletes the action"
    p = _post(site)
    assert (
        site.post(
            "/post_actions.json", site.member, data={"id": p["id"], "post_action_type_id": LIKE}
        ).status_code
        == 200
    )
    r = site.delete(f"/post_actions/{p['id']}.json", site.member, params={"post_action_type_id": LIKE})
    assert r.status_code == 200
    assert not _liked(site, p["id"])


def test_destroy_is_refused_after_the_undo_window(site: Site) -> None:
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "isn't deleted when the user doesn't have permission"
    # (a like made a day ago is past post_undo_action_window_mins)
    p = _post(site)
    site.execute(
        "INSERT INTO likes(post_id, user_id, created_at) VALUES (?, (SELECT id FROM users WHERE username = ?), "
        "'2026-10-31T13:00:00.000Z')",
        p["id"],
        site.member_name,
    )
    r = site.delete(f"/post_actions/{p['id']}.json", site.member, params={"post_action_type_id": LIKE})
    assert r.status_code == 403
    assert _liked(site, p["id"])


def test_create_requires_login(site: Site) -> None:
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "#create requires you to be logged in"
    assert site.post("/post_actions.json").status_code == 403


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("raises an error when the id is missing", {"post_action_type_id": LIKE}, 400),
        ("fails when the id is invalid", {"post_action_type_id": LIKE, "id": -1}, 404),
        ("raises an error when the post_action_type_id index is missing", {"id": "{post}"}, 400),
    ],
)
def test_create_parameter_errors(site: Site, name: str, data: dict[str, object], status: int) -> None:
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "raises an error when the id is missing"
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "fails when the id is invalid"
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "raises an error when the post_action_type_id index is missing"
    body = {k: (str(_post(site)["id"]) if v == "{post}" else v) for k, v in data.items()}
    assert site.post("/post_actions.json", site.moderator, data=body).status_code == status, name


def test_create_a_post_action(site: Site) -> None:
    # discourse/discourse spec/requests/post_actions_controller_spec.rb "allows us to create an post action on a post"
    p = _post(site)
    r = site.post("/post_actions.json", site.member, data={"id": p["id"], "post_action_type_id": LIKE})
    assert r.status_code == 200
    assert _liked(site, p["id"])
