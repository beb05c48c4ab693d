"""CategoriesController#index (spec/requests/categories_controller_spec.rb)."""

from __future__ import annotations

import pytest

from tests.conformance.discourse.conftest import Site

pytestmark = pytest.mark.integration


def test_index_for_a_normal_user(site: Site) -> None:
    # discourse/discourse spec/requests/categories_controller_spec.rb "returns the right response for a normal user"
    r = site.get("/categories.json", site.member)
    assert r.status_code == 200
    visible = {
        c["id"]
        for c in site.rows(
            "SELECT id FROM categories WHERE read_restricted = 0 AND parent_category_id IS NULL"
        )
    }
    assert {c["id"] for c in r.json()["category_list"]["categories"]} == visible


def test_index_does_not_return_categories_without_permission(site: Site) -> None:
    # discourse/discourse spec/requests/categories_controller_spec.rb "does not returns subcategories without permission"
    # (a category only staff may see is listed to staff, never to a member)
    restricted = {c["id"] for c in site.rows("SELECT id FROM categories WHERE read_restricted = 1")}
    member = {
        c["id"] for c in site.get("/categories.json", site.member).json()["category_list"]["categories"]
    }
    staff = {c["id"] for c in site.get("/categories.json", site.admin).json()["category_list"]["categories"]}
    assert not restricted & member
    assert restricted <= staff
