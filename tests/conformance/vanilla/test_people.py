"""Users, badges, groups and reactions (CONTRACT §5–§7)."""

from __future__ import annotations

import pytest

from tests.conformance.vanilla.conftest import Site


def test_moderators_see_addresses_members_do_not(site: Site) -> None:
    u = site.plain_user()
    if int(u["id"]) % 10 == 3:  # chose to show the address
        u = site.plain_user()
    as_mod = site.get(f"/users/{u['id']}", site.moderator, params={"expand": "profileFields"}).json()
    assert as_mod["email"] == u["email"]
    assert as_mod["profileFields"]["Company"] == (u["user_field_company"] or "")
    as_member = site.get(f"/users/{u['id']}", site.member).json()
    assert "email" not in as_member and as_member["name"] == u["username"]


def test_grant_is_once_and_revoke_is_204(site: Site) -> None:
    u = site.plain_user()
    badge = site.pick(
        "SELECT id FROM badges WHERE enabled = 1 AND id NOT IN "
        "(SELECT badge_id FROM user_badges WHERE user_id = ?) ORDER BY id",
        int(u["id"]),
    )
    path = f"/badges/{badge['id']}/users"
    first = site.post(path, site.moderator, json={"userID": int(u["id"]), "reasonBody": "Great answers"})
    assert first.status_code == 201
    assert first.json()["reasonBody"] == "Great answers" and first.json()["insertUserID"] == site.moderator_id
    again = site.post(path, site.moderator, json={"userID": int(u["id"])})
    assert again.status_code == 201 and again.json() == first.json()  # nothing new written
    held = site.get(
        "/badges/users", site.moderator, params={"badgeID": badge["id"], "userID": u["id"]}
    ).json()
    assert len(held) == 1
    site.control("PUT", "settings", {"duplicate_grant": "conflict"})
    try:
        assert site.post(path, site.moderator, json={"userID": int(u["id"])}).status_code == 409
    finally:
        site.control("PUT", "settings", {"duplicate_grant": "noop"})
    assert site.post(path, site.member, json={"userID": int(u["id"])}).status_code == 403
    assert site.delete(f"{path}/{u['id']}", site.moderator).status_code == 204
    assert site.delete(f"{path}/{u['id']}", site.moderator).json() == {
        "message": "User badge not found.",
        "status": 404,
    }


def test_bulk_grant_reports_each_user(site: Site) -> None:
    a, b = site.plain_user(), site.plain_user()
    badge = site.pick(
        "SELECT id FROM badges WHERE enabled = 1 AND id NOT IN "
        "(SELECT badge_id FROM user_badges WHERE user_id IN (?, ?)) ORDER BY id",
        int(a["id"]),
        int(b["id"]),
    )
    site.post(f"/badges/{badge['id']}/users", site.moderator, json={"userID": int(a["id"])})
    r = site.post(
        f"/badges/{badge['id']}/bulk-users",
        site.moderator,
        json={"userID": [int(a["id"]), int(b["id"]), 999999]},
    )
    assert r.status_code == 201
    assert [(x["userID"], x["updated"]) for x in r.json()] == [
        (int(a["id"]), False),
        (int(b["id"]), True),
        (999999, False),
    ]


def test_group_members_add_and_remove(site: Site) -> None:
    g = site.pick("SELECT id FROM groups WHERE automatic = 0 ORDER BY id")
    u = site.pick(
        "SELECT id FROM users WHERE deleted_at IS NULL AND id NOT IN "
        "(SELECT user_id FROM group_users WHERE group_id = ?) ORDER BY id",
        int(g["id"]),
    )
    path = f"/groups/{g['id']}/members"
    added = site.post(path, site.moderator, json={"userID": int(u["id"]), "role": "member"})
    assert added.status_code == 201 and added.json()["role"] == "member"
    assert site.post(path, site.moderator, json={"userID": int(u["id"])}).json() == added.json()
    members = site.get(path, site.moderator, params={"limit": 100}).json()
    assert int(u["id"]) in {m["userID"] for m in members}
    assert site.post(path, site.member, json={"userID": int(u["id"])}).status_code == 403
    assert site.delete(f"{path}/{u['id']}", site.moderator).status_code == 204
    assert site.delete(f"{path}/{u['id']}", site.moderator).status_code == 404


def test_one_reaction_per_user_and_record(site: Site) -> None:
    c = site.pick(
        "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id JOIN categories c "
        "ON c.id = t.category_id WHERE p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL "
        "AND c.read_restricted = 0 AND p.user_id <> ? AND NOT EXISTS (SELECT 1 FROM vanilla_reactions r "
        "WHERE r.record_type = 'comment' AND r.record_id = p.id AND r.user_id = ?) ORDER BY p.id",
        site.member_id,
        site.member_id,
    )
    path = f"/comments/{c['id']}/reactions"

    def mine() -> dict[str, int]:
        summary = site.get(f"/comments/{c['id']}", site.member, params={"expand": "reactions"}).json()[
            "reactions"
        ]
        return {x["urlcode"]: x["count"] for x in summary if x["hasReacted"]}

    assert site.post(path, site.member, json={"reactionType": "Like"}).status_code == 201
    assert site.post(path, site.member, json={"reactionType": "Like"}).status_code == 201  # no-op
    assert set(mine()) == {"Like"}
    site.post(path, site.member, json={"reactionType": "Insightful"})
    assert set(mine()) == {"Insightful"}  # replaced
    assert site.delete(f"{path}/{site.member_id}", site.member).status_code == 204
    assert mine() == {}
    assert site.delete(f"{path}/{site.member_id}", site.member).status_code == 204  # nothing to remove: fine


def test_a_grant_applied_then_dropped_is_found_by_reading_back(site: Site) -> None:
    """The fault an outbox must survive: the write lands, the answer never arrives; reading the holders
    back (CONTRACT §5: check before replaying a grant) shows it."""
    import httpx

    u = site.plain_user()
    badge = site.pick(
        "SELECT id FROM badges WHERE enabled = 1 AND id NOT IN "
        "(SELECT badge_id FROM user_badges WHERE user_id = ?) ORDER BY id",
        int(u["id"]),
    )
    path = f"/badges/{badge['id']}/users"
    site.control("POST", "faults", {"spec": f"apply_then_drop:POST:/api/v2{path}:count=1"})
    with pytest.raises(httpx.TransportError):
        site.post(path, site.moderator, json={"userID": int(u["id"])})
    held = site.get("/badges/users", site.moderator, params={"badgeID": badge["id"], "userID": u["id"]})
    assert [h["userID"] for h in held.json()] == [int(u["id"])]
