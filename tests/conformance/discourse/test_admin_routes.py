"""Admin routes (``/admin/*``, Admin::UsersController, Admin::ReportsController) from Discourse's request specs.

The admin namespace sits behind a routing constraint (StaffConstraint; AdminConstraint for admin-only
parts): for anyone it refuses, the route does not exist, so Discourse answers 404 "The requested URL or
resource could not be found." rather than 403."""

from __future__ import annotations

import pytest

from tests.conformance.discourse.conftest import NOT_FOUND, Site

pytestmark = pytest.mark.integration

USERS_SPEC = "spec/requests/admin/users_controller_spec.rb"
REPORTS_SPEC = "spec/requests/admin/reports_controller_spec.rb"


def _not_found(r: object) -> None:
    assert r.status_code == 404, r.text  # type: ignore[attr-defined]
    assert NOT_FOUND in r.json()["errors"]  # type: ignore[attr-defined]


# ---------------------------------------------------------------- Admin::UsersController


def test_users_index_returns_json(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "#index returns success with JSON"
    r = site.get("/admin/users/list.json", site.admin)
    assert r.status_code == 200
    assert r.json()


def test_users_index_show_emails(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "returns email for all the users"
    r = site.get("/admin/users/list.json", site.admin, params={"show_emails": "true"})
    assert r.status_code == 200
    assert all(u["email"] for u in r.json())


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users/list.json",
        "/admin/users/list/active.json",
        "/admin/users/{uid}.json",
        "/admin/reports/topics.json",
    ],
)
def test_staff_routes_are_not_found_for_non_staff(site: Site, path: str) -> None:
    # discourse/discourse spec/requests/admin/reports_controller_spec.rb "denies access with a 404 response"
    # (same StaffConstraint for every route of the admin namespace, config/routes.rb)
    uid = site.one("SELECT id FROM users WHERE username = ?", site.member_name)["id"]
    _not_found(site.get(path.format(uid=uid), site.member))


def test_users_show_existing(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "#show an existing user returns success"
    uid = site.one("SELECT id FROM users WHERE username = ?", site.member_name)["id"]
    r = site.get(f"/admin/users/{uid}.json", site.admin)
    assert r.status_code == 200
    assert r.json()["id"] == uid


def test_users_show_non_existing(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "a non-existing user returns 404 error"
    assert site.get("/admin/users/0.json", site.admin).status_code == 404


def test_trust_level_without_permission(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb
    # "#trust_level raises an error when the user doesn't have permission"
    u = site.plain_user()
    _not_found(site.put(f"/admin/users/{u['id']}/trust_level.json", site.member, data={"level": 2}))


def test_trust_level_unknown_user(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "returns a 404 if the username doesn't exist"
    assert site.put("/admin/users/123123/trust_level.json", site.admin, data={"level": 2}).status_code == 404


def test_trust_level_upgrade(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "upgrades the user's trust level"
    u = site.pick("SELECT * FROM users WHERE admin = 0 AND moderator = 0 AND trust_level < 2 ORDER BY id")
    r = site.put(f"/admin/users/{u['id']}/trust_level.json", site.admin, data={"level": 2})
    assert r.status_code == 200
    assert site.get(f"/admin/users/{u['id']}.json", site.admin).json()["trust_level"] == 2


def test_suspend_requires_until_and_reason(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "requires suspend_until and reason"
    u = site.plain_user()
    assert site.put(f"/admin/users/{u['id']}/suspend.json", site.admin, data={}).status_code == 400
    r = site.put(f"/admin/users/{u['id']}/suspend.json", site.admin, data={"suspend_until": "2099-01-01"})
    assert r.status_code == 400
    assert site.get(f"/admin/users/{u['id']}.json", site.admin).json()["suspended"] is False


def test_suspend_works_then_checks_if_already_suspended(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "works properly"
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "checks if user is suspended"
    u = site.plain_user()
    body = {"suspend_until": "2099-01-01", "reason": "because I said so"}
    r = site.put(f"/admin/users/{u['id']}/suspend.json", site.admin, data=body)
    assert r.status_code == 200
    shown = site.get(f"/admin/users/{u['id']}.json", site.admin).json()
    assert shown["suspended"] is True
    assert shown["suspended_till"]
    r = site.put(
        f"/admin/users/{u['id']}/suspend.json",
        site.admin,
        data={**body, "reason": "because I said so too"},
    )
    assert r.status_code == 409
    assert r.json()["message"]


def test_suspend_also_prevents_use_of_any_api_keys(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "also prevents use of any api keys"
    u = site.plain_user()
    assert site.get("/session/current.json", site.as_(u["username"])).status_code == 200
    body = {"suspend_until": "2099-01-01", "reason": "spam"}
    assert site.put(f"/admin/users/{u['id']}/suspend.json", site.admin, data=body).status_code == 200
    assert site.get("/session/current.json", site.as_(u["username"])).status_code == 403


def test_add_group_adds_and_repeating_is_no_error(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "#add_group adds the user to the group"
    u = site.plain_user()
    g = site.one("SELECT * FROM groups WHERE name = 'superusers'")
    r = site.post(f"/admin/users/{u['id']}/groups.json", site.admin, data={"group_id": g["id"]})
    assert r.status_code == 200
    members = site.get("/groups/superusers/members.json?limit=1000", site.admin).json()["members"]
    assert u["username"] in [m["username"] for m in members]
    r = site.post(f"/admin/users/{u['id']}/groups.json", site.admin, data={"group_id": g["id"]})
    assert r.status_code == 200


def test_add_group_to_an_automatic_group(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb
    # "does not allow adding users to an automatic group"
    u = site.plain_user()
    r = site.post(f"/admin/users/{u['id']}/groups.json", site.admin, data={"group_id": 14})
    assert r.status_code == 422
    assert r.json()["errors"] == ["You cannot modify an automatic group"]


def test_remove_group_unknown_group(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb
    # "#remove_group returns not-found error when there is no group"
    u = site.plain_user()
    assert site.delete(f"/admin/users/{u['id']}/groups/9090.json", site.admin).status_code == 404


def test_remove_group_from_an_automatic_group(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb
    # "does not allow removing owners from an automatic group"
    u = site.plain_user()
    r = site.delete(f"/admin/users/{u['id']}/groups/14.json", site.admin)
    assert r.status_code == 422
    assert r.json()["errors"] == ["You cannot modify an automatic group"]


def test_destroy_user_with_posts(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb
    # "returns an api response that the user can't be deleted because it has posts"
    u = site.pick(
        "SELECT u.* FROM users u WHERE admin = 0 AND moderator = 0 AND deleted_at IS NULL AND EXISTS "
        "(SELECT 1 FROM posts p WHERE p.user_id = u.id AND p.deleted_at IS NULL) ORDER BY id DESC"
    )
    r = site.delete(f"/admin/users/{u['id']}.json", site.admin)
    assert r.status_code == 403
    assert r.json()["deleted"] is False
    assert u["username"] in r.json()["message"]


def test_destroy_user_with_delete_posts(site: Site) -> None:
    # discourse/discourse spec/requests/admin/users_controller_spec.rb "doesn't return an error if delete_posts == true"
    u = site.pick(
        "SELECT u.* FROM users u WHERE admin = 0 AND moderator = 0 AND deleted_at IS NULL AND EXISTS "
        "(SELECT 1 FROM posts p WHERE p.user_id = u.id AND p.deleted_at IS NULL) ORDER BY id DESC"
    )
    r = site.delete(f"/admin/users/{u['id']}.json", site.admin, params={"delete_posts": "true"})
    assert r.status_code == 200
    assert site.get(f"/admin/users/{u['id']}.json", site.admin).status_code == 404


# ---------------------------------------------------------------- Admin::ReportsController


def test_report_invalid_id_form(site: Site) -> None:
    # discourse/discourse spec/requests/admin/reports_controller_spec.rb "with invalid id form returns 404"
    assert site.get("/admin/reports/!!&asdfasdf.json", site.admin).status_code == 404


def test_report_missing(site: Site) -> None:
    # discourse/discourse spec/requests/admin/reports_controller_spec.rb "with missing report returns a 404 error"
    assert site.get("/admin/reports/nonexistent.json", site.admin).status_code == 404


@pytest.mark.parametrize("who", ["admin", "moderator"])
def test_report_renders_as_json(site: Site, who: str) -> None:
    # discourse/discourse spec/requests/admin/reports_controller_spec.rb "renders the report as JSON"
    # discourse/discourse spec/requests/admin/reports_controller_spec.rb "when logged in as a moderator returns report"
    r = site.get("/admin/reports/topics.json", getattr(site, who))
    assert r.status_code == 200
    assert r.json()["report"]["type"] == "topics"
    assert "total" in r.json()["report"]


def test_report_scoped_to_a_category(site: Site) -> None:
    # discourse/discourse spec/requests/admin/reports_controller_spec.rb "when report is scoped to a category"
    params = {"start_date": "2026-01-01", "end_date": "2026-11-01"}
    everything = site.get("/admin/reports/topics.json", site.admin, params=params).json()["report"]
    one = site.get("/admin/reports/topics.json", site.admin, params={**params, "category_id": 2}).json()[
        "report"
    ]
    assert one["type"] == "topics"
    assert sum(p["y"] for p in one["data"]) < sum(p["y"] for p in everything["data"])


@pytest.mark.parametrize("limit", ["-1", "1; DROP TABLE users", "51"])
def test_report_invalid_limit_params(site: Site, limit: str) -> None:
    # discourse/discourse spec/requests/admin/reports_controller_spec.rb "when limit param is invalid"
    # (spec/support/shared_examples_for_invalid_limit_params: negative, suspicious, above REPORTS_LIMIT = 50)
    assert site.get("/admin/reports/topics.json", site.admin, params={"limit": limit}).status_code == 400


@pytest.mark.parametrize("param", ["start_date", "end_date"])
def test_report_invalid_dates(site: Site, param: str) -> None:
    # discourse/discourse spec/requests/admin/reports_controller_spec.rb
    # "with invalid start or end dates doesn't return 500 error"
    assert site.get("/admin/reports/topics.json", site.admin, params={param: "2015-0-1"}).status_code == 400
