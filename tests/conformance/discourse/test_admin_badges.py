"""Admin::BadgesController (spec/requests/admin/badges_controller_spec.rb): the admin-only badge routes.

They sit behind AdminConstraint, so a moderator and a member both get 404 "not found"."""

from __future__ import annotations

import secrets

import pytest

from tests.conformance.discourse.conftest import NOT_FOUND, TEST_BADGE_SQL, Site

pytestmark = pytest.mark.integration

NOT_ADMINS = ["moderator", "member"]


def _custom_badge(site: Site, *, multiple: bool = False, enabled: bool = True) -> int:
    """A fresh custom badge (the spec's ``fab!(:badge)``)."""
    name = f"Conformance {secrets.token_hex(4)}"
    site.execute(TEST_BADGE_SQL, name, name.lower().replace(" ", "-"), int(multiple), int(enabled))
    return int(site.one("SELECT id FROM badges WHERE name = ?", name)["id"])


def _csv(*lines: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("badges.csv", "\n".join(lines).encode(), "text/csv")}


def _grants(site: Site, badge_id: int, username: str) -> int:
    r = site.get("/user_badges.json", site.admin, params={"badge_id": badge_id, "username": username})
    return int(r.json()["user_badge_info"]["grant_count"])


def test_index_for_an_admin(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "returns badge index"
    assert site.get("/admin/badges.json", site.admin).status_code == 200


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_index_inaccessible(site: Site, who: str) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "denies access to badges with a 404 response"
    r = site.get("/admin/badges.json", getattr(site, who))
    assert r.status_code == 404
    assert NOT_FOUND in r.json()["errors"]


def test_index_denies_a_non_admins_key(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "denies a non-admin's key, since the admin route stays admin-only"
    assert site.get("/admin/badges.json", site.as_(site.plain_user()["username"])).status_code == 404


def test_badge_types(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "#badge_types returns JSON"
    r = site.get("/admin/badges/types.json", site.admin)
    assert r.status_code == 200
    assert r.json()["badge_types"]


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_badge_types_inaccessible(site: Site, who: str) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "denies access to badge types with a 404 response"
    r = site.get("/admin/badges/types.json", getattr(site, who))
    assert r.status_code == 404
    assert NOT_FOUND in r.json()["errors"]


def test_destroy_prevents_deletion_of_system_badges(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "prevents deletion of system badges"
    r = site.delete("/admin/badges/10.json", site.admin)  # Editor, a system badge
    assert r.status_code == 403
    assert "You are not permitted to view the requested resource." in r.json()["errors"]
    assert site.get("/badges/10.json", site.member).status_code == 200


def test_destroy_deletes_the_badge(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "deletes the badge"
    b = _custom_badge(site)
    assert site.delete(f"/admin/badges/{b}.json", site.admin).status_code == 200
    assert site.get(f"/badges/{b}.json", site.member).status_code == 404


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_destroy_not_allowed(site: Site, who: str) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "prevents deletion of badges with a 404 response"
    b = _custom_badge(site)
    r = site.delete(f"/admin/badges/{b}.json", getattr(site, who))
    assert r.status_code == 404
    assert NOT_FOUND in r.json()["errors"]
    assert site.get(f"/badges/{b}.json", site.member).status_code == 200


def test_update_does_not_rename_system_badges(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "does not update the name of system badges"
    r = site.put("/admin/badges/10.json", site.admin, data={"name": "123456"})
    assert r.status_code == 200
    assert site.get("/badges/10.json", site.member).json()["badge"]["name"] == "Editor"


@pytest.mark.parametrize(("badge", "flag", "system"), [(10, "false", True), (None, "true", False)])
def test_update_does_not_change_the_system_flag(
    site: Site, badge: int | None, flag: str, system: bool
) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "does not allow changing the system flag on a system badge"
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "does not allow setting the system flag on a custom badge"
    b = badge or _custom_badge(site)
    assert site.put(f"/admin/badges/{b}.json", site.admin, data={"system": flag}).status_code == 200
    assert site.get(f"/badges/{b}.json", site.member).json()["badge"]["system"] is system


def test_update_the_badge(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "updates the badge"
    b = _custom_badge(site)
    r = site.put(
        f"/admin/badges/{b}.json",
        site.admin,
        data={
            "name": f"Renamed {b}",
            "allow_title": "false",
            "multiple_grant": "false",
            "enabled": "true",
            "icon": "fa-rocket",
        },
    )
    assert r.status_code == 200
    shown = site.get(f"/badges/{b}.json", site.member).json()["badge"]
    assert (shown["name"], shown["icon"]) == (f"Renamed {b}", "fa-rocket")


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_update_not_allowed(site: Site, who: str) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "prevents badge update with a 404 response"
    b = _custom_badge(site)
    r = site.put(f"/admin/badges/{b}.json", getattr(site, who), data={"name": "123456", "icon": "fa-rocket"})
    assert r.status_code == 404
    assert NOT_FOUND in r.json()["errors"]
    assert site.get(f"/badges/{b}.json", site.member).json()["badge"]["name"] != "123456"


def test_mass_award_without_a_file(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "does nothing when there is no file"
    b = _custom_badge(site)
    assert site.post(f"/admin/badges/award/{b}.json", site.admin, data={"file": ""}).status_code == 400


def test_mass_award_with_an_invalid_badge_id(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "does nothing when the badge id is not valid"
    u = site.plain_user()
    assert (
        site.post("/admin/badges/award/fake_id.json", site.admin, files=_csv(u["username"])).status_code
        == 400
    )


def test_mass_award_with_a_file_that_is_not_a_csv(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "does nothing when the file is not a csv"
    b = _custom_badge(site)
    png = {"file": ("cropped.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "image/png")}
    assert site.post(f"/admin/badges/award/{b}.json", site.admin, files=png).status_code == 400


@pytest.mark.parametrize("column", ["email", "username"])
def test_mass_award_by_emails_or_usernames(site: Site, column: str) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "awards the badge using a list of user emails"
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "awards the badge using a list of usernames"
    b = _custom_badge(site)
    u = site.plain_user()
    assert site.post(f"/admin/badges/award/{b}.json", site.admin, files=_csv(u[column])).status_code == 200
    assert _grants(site, b, u["username"]) == 1


def test_mass_award_with_nil_values(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "works with a CSV containing nil values"
    b = _custom_badge(site)
    u = site.plain_user()
    r = site.post(f"/admin/badges/award/{b}.json", site.admin, files=_csv("", u["username"], "", ""))
    assert r.status_code == 200
    assert _grants(site, b, u["username"]) == 1


def test_mass_award_does_not_grant_again(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "does not grant the badge again to a user if they already have the badge"
    b = _custom_badge(site, multiple=True)
    u = site.plain_user()
    assert (
        site.post(
            "/user_badges.json", site.admin, data={"badge_id": b, "username": u["username"]}
        ).status_code
        == 200
    )
    assert (
        site.post(f"/admin/badges/award/{b}.json", site.admin, files=_csv(u["username"])).status_code == 200
    )
    assert _grants(site, b, u["username"]) == 1


def test_mass_award_fails_when_the_badge_is_disabled(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "fails when the badge is disabled"
    b = _custom_badge(site, enabled=False)
    u = site.plain_user()
    assert (
        site.post(f"/admin/badges/award/{b}.json", site.admin, files=_csv(u["username"])).status_code == 422
    )


def test_mass_award_grant_existing_holders_needs_a_multiple_grant_badge(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "fails when the badge cannot be granted multiple times"
    b = _custom_badge(site)
    u = site.plain_user()
    r = site.post(
        f"/admin/badges/award/{b}.json",
        site.admin,
        files=_csv(u["email"]),
        data={"grant_existing_holders": "true"},
    )
    assert r.status_code == 422
    (message,) = r.json()["errors"]
    assert site.get(f"/badges/{b}.json", site.member).json()["badge"]["name"] in message


def test_mass_award_too_many_csv_entries(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "fails when CSV file contains more entries that it's allowed"
    # (the spec lowers MAX_CSV_LINES to 10; over HTTP the real limit, 50 000, is passed by one)
    b = _custom_badge(site, multiple=True)
    u = site.plain_user()
    r = site.post(
        f"/admin/badges/award/{b}.json",
        site.admin,
        files=_csv(*[u["username"]] * 50_001),
        data={"grant_existing_holders": "true"},
    )
    assert r.status_code == 400
    assert r.json()["errors"]


def test_mass_award_reports_unmatched_entries(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb
    # "includes unmatched entries and the number of users who will receive the badge in the response"
    b = _custom_badge(site, multiple=True)
    u = site.plain_user()
    lines = [
        "nonexistentuser",
        "nonexistentuser",
        "nonexistentemail@discourse.fake",
        u["username"],
        u["username"],
    ]
    r = site.post(
        f"/admin/badges/award/{b}.json",
        site.admin,
        files=_csv(*lines),
        data={"grant_existing_holders": "true"},
    )
    assert r.status_code == 200
    assert sorted(set(r.json()["unmatched_entries"])) == [
        "nonexistentemail@discourse.fake",
        "nonexistentuser",
    ]
    assert r.json()["matched_users_count"] == 1
    assert r.json()["unmatched_entries_count"] == 2
    assert _grants(site, b, u["username"]) == 2


def test_mass_award_grants_as_many_times_as_listed(site: Site) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "grants the badge to the users in the CSV as many times as they appear in it"
    b = _custom_badge(site, multiple=True)
    holder, newcomer = site.plain_user(), site.plain_user()
    assert (
        site.post(
            "/user_badges.json", site.admin, data={"badge_id": b, "username": holder["username"]}
        ).status_code
        == 200
    )
    lines = [
        holder["email"].title(),
        holder["username"].title(),
        newcomer["email"].title(),
        newcomer["username"].title(),
    ] * 20
    r = site.post(
        f"/admin/badges/award/{b}.json",
        site.admin,
        files=_csv(*lines),
        data={"grant_existing_holders": "true"},
    )
    assert r.status_code == 200
    assert r.json()["unmatched_entries"] == []
    assert r.json()["matched_users_count"] == 2
    assert r.json()["unmatched_entries_count"] == 0
    assert _grants(site, b, holder["username"]) == 41
    assert _grants(site, b, newcomer["username"]) == 40


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_mass_award_not_allowed(site: Site, who: str) -> None:
    # discourse/discourse spec/requests/admin/badges_controller_spec.rb "prevents mass badge award with a 404 response"
    b = _custom_badge(site)
    u = site.plain_user()
    r = site.post(f"/admin/badges/award/{b}.json", getattr(site, who), files=_csv(u["email"]))
    assert r.status_code == 404
    assert NOT_FOUND in r.json()["errors"]
    assert _grants(site, b, u["username"]) == 0
