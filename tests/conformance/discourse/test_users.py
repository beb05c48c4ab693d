"""The user resource on every path Discourse routes it (config/routes.rb: `/u/:username` and
`/users/:username`, their `summary`, `card` and `emails` pages) — UsersController specs."""

from __future__ import annotations

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("root", ["u", "users"])
def test_show(site: Site, root: str) -> None:
    # discourse/discourse config/routes.rb (users#show under both roots "u" and "users"; the spec's "#show" requests use /u)
    r = site.get(f"/{root}/{site.member_name}.json", site.moderator)
    assert r.status_code == 200
    assert r.json()["user"]["username"] == site.member_name
    assert "email" not in r.json()["user"]


@pytest.mark.parametrize("root", ["u", "users"])
def test_show_unknown_user(site: Site, root: str) -> None:
    # discourse/discourse config/routes.rb (users#show on both roots; an unknown username is Discourse::NotFound → 404)
    assert site.get(f"/{root}/no_such_member_x.json", site.moderator).status_code == 404


@pytest.mark.parametrize("root", ["u", "users"])
def test_summary(site: Site, root: str) -> None:
    # discourse/discourse config/routes.rb (users#summary under both roots)
    r = site.get(f"/{root}/{site.member_name}/summary.json", site.moderator)
    assert r.status_code == 200
    assert "user_summary" in r.json()


@pytest.mark.parametrize("root", ["u", "users"])
def test_show_card(site: Site, root: str) -> None:
    # discourse/discourse spec/requests/users_controller_spec.rb "#show_card" "logged in" "works correctly"
    r = site.get(f"/{root}/{site.member_name}/card.json", site.moderator)
    assert r.status_code == 200
    assert r.json()["user"]["username"] == site.member_name
    assert r.json()["user"].get("associated_accounts") is None


@pytest.mark.parametrize("root", ["u", "users"])
def test_emails_need_permission(site: Site, root: str) -> None:
    # discourse/discourse config/routes.rb (users#check_emails under both roots; guardian can_check_emails? = admin, or moderator with moderators_view_emails)
    u = site.plain_user()
    assert site.get(f"/{root}/{u['username']}/emails.json", site.member).status_code == 403
    r = site.get(f"/{root}/{u['username']}/emails.json", site.admin)
    assert r.status_code == 200
    assert r.json()["email"] == u["email"]


@pytest.mark.parametrize("root", ["u", "users"])
@pytest.mark.parametrize(
    "page", ["flagged-posts", "deleted-posts", "notifications", "notifications/likes", "activity/replies"]
)
def test_every_path_routed_to_users_show_serves_the_user(site: Site, root: str, page: str) -> None:
    # discourse/discourse config/routes.rb (users#show also answers /:username/flagged-posts, /deleted-posts,
    # /notifications(/:filter) and /activity/:filter: the same user resource as /u/:username.json)
    canonical = site.get(f"/u/{site.member_name}.json", site.moderator)
    r = site.get(f"/{root}/{site.member_name}/{page}.json", site.moderator)
    assert (r.status_code, r.json()) == (200, canonical.json())
