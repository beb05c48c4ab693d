"""Personal access tokens (CONTRACT §2.1): a bad, expired or revoked token is not a 401; the request runs
as a guest and the answer says why in ``X-WWW-Authenticate``."""

from __future__ import annotations

import pytest

from tests.conformance.vanilla.conftest import Site


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("unknown", "Access token not found."),
        ("expired", "Your access token has expired."),
        ("revoked", "Your access token was revoked."),
    ],
)
def test_a_bad_token_runs_as_a_guest_and_says_why(site: Site, who: str, reason: str) -> None:
    headers = {"Authorization": "Bearer va.not-a-token"} if who == "unknown" else getattr(site, who)
    me = site.get("/users/me", headers)
    assert me.status_code == 200
    assert me.json()["userID"] == 0
    assert me.headers["X-WWW-Authenticate"] == f'error="invalid_token", error_description="{reason}"'
    # a guest sees public discussions, not the staff-only category, and cannot curate
    listed = site.get("/discussions", headers, params={"limit": 100})
    assert listed.status_code == 200 and "X-WWW-Authenticate" in listed.headers
    staff_cats = {int(r[0]) for r in site.rows("SELECT id FROM categories WHERE read_restricted = 1")}
    assert not {d["categoryID"] for d in listed.json()} & staff_cats
    q = site.question_with_answers(1)
    cid = site.answers(int(q["id"]))[0]
    refused = site.patch(f"/comments/{cid}/answer", headers, json={"status": "accepted"})
    assert refused.status_code == 403
    assert refused.json()["message"] == "Permission Problem"
    assert "X-WWW-Authenticate" in refused.headers


def test_a_good_token_is_its_owner_and_no_header_is_sent(site: Site) -> None:
    me = site.get("/users/me", site.moderator)
    assert me.json()["userID"] == site.moderator_id
    assert "X-WWW-Authenticate" not in me.headers
    assert "Garden.Curation.Manage" in me.json()["permissions"]
    # the access_token parameter works too (the contract advises against it: URLs get logged)
    token = site.moderator["Authorization"].split()[1]
    assert site.get("/users/me", params={"access_token": token}).json()["userID"] == site.moderator_id


def test_a_revoked_token_stops_working_at_once(site: Site) -> None:
    token = site.control(
        "POST",
        "tokens",
        {"username": site.rows("SELECT username FROM users WHERE id = ?", site.moderator_id)[0][0]},
    )["token"]
    who = {"Authorization": f"Bearer {token}"}
    assert site.get("/users/me", who).json()["userID"] == site.moderator_id
    token_id = int(site.rows("SELECT id FROM vanilla_tokens WHERE token = ?", token)[0][0])
    assert site.delete(f"/tokens/{token_id}", who).status_code == 204
    after = site.get("/users/me", who)
    assert after.json()["userID"] == 0
    assert "revoked" in after.headers["X-WWW-Authenticate"]


def test_admins_list_their_tokens_moderators_may_not(site: Site) -> None:
    mine = site.get("/tokens", site.admin)
    assert mine.status_code == 200
    assert mine.json() and all("accessToken" not in t for t in mine.json())  # never echoed back
    refused = site.get("/tokens", site.moderator)  # the default Moderator role lacks Garden.Tokens.Add
    assert refused.status_code == 403
    assert refused.json()["permissions"] == ["Garden.Tokens.Add"]
