"""Tolerant parsing: against instances of Discourse's own response schemas (openapi.json),
version differences, and garbage (which must raise UnexpectedPayload, never crash)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modconsole.connectors.discourse import parse as P
from modconsole.errors import UnexpectedPayload

# Discourse's published spec, vendored byte-for-byte (provenance and licence: SOURCE.txt beside it).
OPENAPI = Path(__file__).resolve().parents[1] / "data" / "discourse" / "openapi.json"


def _spec() -> dict[str, Any]:
    return json.loads(OPENAPI.read_text())  # type: ignore[no-any-return]


def response_schema(path: str, method: str = "get") -> dict[str, Any]:
    op = _spec()["paths"][path][method]
    return op["responses"]["200"]["content"]["application/json"]["schema"]  # type: ignore[no-any-return]


def instance(schema: dict[str, Any], name: str = "", *, nulls: bool = False, n: int = 2) -> Any:
    """A value satisfying ``schema``: every property present (``nulls``: nullable ones null)."""
    if "example" in schema:
        return schema["example"]
    t = schema.get("type", "object" if "properties" in schema else "string")
    types = t if isinstance(t, list) else [t]
    if nulls and "null" in types:
        return None
    t = next((x for x in types if x != "null"), "null")
    if t == "object":
        return {k: instance(v, k, nulls=nulls, n=n) for k, v in schema.get("properties", {}).items()}
    if t == "array":
        items = schema.get("items") or {}
        if not items:
            return []
        return [_vary(instance(items, name, nulls=nulls, n=n), i) for i in range(n)]
    if t == "integer":
        return 3
    if t == "number":
        return 2.5
    if t == "boolean":
        return True
    if t == "null":
        return None
    if "enum" in schema:
        return schema["enum"][0]
    if name.endswith("_at") or name in ("created_at", "bumped_at"):
        return "2016-10-29T14:14:20.321Z"
    if name.endswith("date"):
        return "2026-03-01"
    return f"{name or 'text'}-value"


def _vary(value: Any, i: int) -> Any:
    """Distinct ids across array items, so de-duplication does not hide parsing of items."""
    if isinstance(value, dict) and isinstance(value.get("id"), int):
        return {**value, "id": value["id"] + i}
    return value


def sample(path: str, method: str = "get", **kw: Any) -> Any:
    schema = response_schema(path, method)
    value = instance(schema, **kw)
    jsonschema.validate(value, schema)  # the sample really is what the spec describes
    return value


# ---------------------------------------------------------------- openapi samples


@pytest.mark.parametrize("nulls", [False, True], ids=["full", "nullable-null"])
def test_latest_topics_from_openapi(nulls: bool) -> None:
    page = P.parse_topic_list(sample("/latest.json", nulls=nulls), "GET /latest.json")
    assert len(page.topics) == 2
    t = page.topics[0]
    assert t.id == 3 and t.title == "title-value"
    assert t.posts_count == 3
    if not nulls:
        assert t.created_at == datetime(2016, 10, 29, 14, 14, 20, 321000, tzinfo=UTC)
    assert not page.has_more  # the spec's sample has no more_topics_url: the last page
    assert page.per_page == 3


def test_category_topics_from_openapi() -> None:
    page = P.parse_topic_list(sample("/c/{slug}/{id}.json"), "GET /c/x/1.json")
    assert [t.id for t in page.topics] == [3, 4]


@pytest.mark.parametrize("nulls", [False, True], ids=["full", "nullable-null"])
def test_topic_view_from_openapi(nulls: bool) -> None:
    view = P.parse_topic_view(sample("/t/{id}.json", nulls=nulls), "GET /t/3.json")
    assert view.id == 3
    assert len(view.posts) == 2
    assert view.stream == ()  # the spec leaves stream items untyped
    assert view.posts[0].post_number == 3
    payload = sample("/t/{id}.json")
    payload["post_stream"]["stream"] = [3, 4, 5, 6]
    assert P.parse_topic_view(payload, "GET /t/3.json").missing_post_ids == (5, 6)


def test_specific_posts_from_openapi() -> None:
    posts = P.parse_topic_posts(sample("/t/{id}/posts.json"), "GET /t/1/posts.json")
    assert [p.id for p in posts] == [3, 4]


def test_latest_posts_from_openapi() -> None:
    posts = P.parse_latest_posts(sample("/posts.json"), "GET /posts.json")
    assert len(posts) == 2
    assert posts[0].raw == "raw-value"
    assert posts[0].topic_title == "topic_title-value"


def test_single_post_from_openapi() -> None:
    payload = sample("/posts/{id}.json")
    post = P.parse_post(payload, "GET /posts/3.json")
    assert post.id == 3
    assert post.created_at == datetime(2016, 10, 29, 14, 14, 20, 321000, tzinfo=UTC)
    payload["actions_summary"] = [{"id": 2, "count": 7, "acted": False}]
    payload.pop("like_count", None)
    assert P.parse_post(payload, "GET /posts/3.json").like_count == 7


def test_categories_and_site_from_openapi() -> None:
    cats = P.parse_categories(sample("/categories.json"), "GET /categories.json")
    assert cats and cats[0].name == "name-value"
    site = P.parse_site(sample("/site.json"), "GET /site.json")
    assert site.categories and site.categories[0].id == 3


def test_users_from_openapi() -> None:
    u = P.parse_user(sample("/u/{username}.json"), "GET /u/x.json")
    assert u.username == "username-value" and u.trust_level == 3
    admin = P.parse_user(sample("/admin/users/{id}.json"), "GET /admin/users/3.json")
    assert admin.id == 3
    listed = P.parse_user_list(sample("/admin/users/list/{flag}.json"), "GET /admin/users/list/active.json")
    assert [x.id for x in listed] == [3, 4]
    emails = P.parse_user_emails(sample("/u/{username}/emails.json"), "GET /u/x/emails.json")
    assert emails.email == "email-value"


def test_directory_from_openapi() -> None:
    page = P.parse_directory(sample("/directory_items.json"), "GET /directory_items.json")
    assert page.items
    assert page.items[0].values.get("likes_received") == 3


def test_badges_from_openapi() -> None:
    admin = P.parse_badges(sample("/admin/badges.json"), "GET /admin/badges.json")
    assert admin[0].name == "name-value"
    assert admin[0].manually_grantable is True
    ub = P.parse_user_badges(sample("/user-badges/{username}.json"), "GET /user-badges/x.json")
    assert ub.user_badges and ub.user_badges[0].badge_id == 3
    assert ub.badges


def test_groups_from_openapi() -> None:
    g = P.parse_group(sample("/groups/{name}.json"), "GET /groups/x.json")
    assert g.name == "name-value"
    members = P.parse_group_members(sample("/groups/{name}/members.json"), "GET /groups/x/members.json")
    assert members.members and members.total == 3
    added = P.parse_membership_change(
        sample("/groups/{id}/members.json", "put"), "PUT /groups/3/members.json"
    )
    assert added.usernames == ()  # the spec leaves the items untyped
    removed = P.parse_membership_change(
        sample("/groups/{id}/members.json", "delete"), "DELETE /groups/3/members.json"
    )
    assert isinstance(removed.skipped_usernames, tuple)


def test_search_from_openapi() -> None:
    result = P.parse_search(sample("/search.json"), "GET /search.json")
    assert isinstance(result.posts, tuple)


def test_created_post_from_openapi() -> None:
    post = P.parse_post(sample("/posts.json", "post"), "POST /posts.json")
    assert post.id == 3


# ---------------------------------------------------------------- version differences


def test_tags_as_strings_or_objects() -> None:
    assert P.parse_tags(["a", "b"]) == ("a", "b")
    assert P.parse_tags([{"id": 1, "name": "a", "slug": "a"}, {"id": 2, "slug": "b-slug"}]) == ("a", "b-slug")
    assert P.parse_tags(None) == ()
    assert P.parse_tags([1, None, "c"]) == ("c",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T14:05:09.123Z", datetime(2026, 3, 1, 14, 5, 9, 123000, tzinfo=UTC)),
        ("2026-03-01T14:05:09Z", datetime(2026, 3, 1, 14, 5, 9, tzinfo=UTC)),
        ("2026-03-01T15:05:09+01:00", datetime(2026, 3, 1, 14, 5, 9, tzinfo=UTC)),
        ("2026-03-01T14:05:09", datetime(2026, 3, 1, 14, 5, 9, tzinfo=UTC)),
        ("not a date", None),
        (None, None),
        (12, None),
    ],
)
def test_timestamps(text: Any, expected: datetime | None) -> None:
    assert P.parse_timestamp(text) == expected


def test_both_solved_response_shapes() -> None:
    assert P.parse_solution_result({"success": "OK"}, "POST /solution/accept.json").answer is None
    core = P.parse_solution_result(
        {
            "post_number": 4,
            "username": "ann",
            "name": None,
            "excerpt": "Try this",
            "accepter_username": "mod",
        },
        "POST /solution/accept.json",
    )
    assert core.answer is not None and core.answer.post_number == 4 and core.answer.accepter_username == "mod"
    assert P.parse_solution_result(None, "POST /solution/unaccept.json").answer is None
    with pytest.raises(UnexpectedPayload):
        P.parse_solution_result({"failed": "FAILED"}, "POST /solution/accept.json")


def test_topic_list_without_per_page_defaults_to_thirty_and_stops_without_more_url() -> None:
    payload = {"topic_list": {"topics": [{"id": i, "title": f"t{i}"} for i in range(30)]}}
    page = P.parse_topic_list(payload, "GET /latest.json")
    assert page.per_page == 30 and not page.has_more and len(page.topics) == 30


def test_unknown_fields_and_missing_optionals_are_fine() -> None:
    post = P.parse_post({"id": 9, "brand_new_field": {"x": 1}, "post_type": "garbage"}, "GET /posts/9.json")
    assert post.id == 9 and post.post_type == 1 and post.created_at is None and post.like_count == 0


def test_like_count_from_actions_summary() -> None:
    post = P.parse_post({"id": 1, "actions_summary": [{"id": 2, "count": 5}, {"id": 3, "count": 1}]}, "r")
    assert post.like_count == 5


def test_directory_deduplicates_the_callers_own_row() -> None:
    row = {"id": 5, "likes_received": 2, "user": {"id": 5, "username": "me"}}
    other = {"id": 6, "likes_received": 9, "user": {"id": 6, "username": "you"}}
    page = P.parse_directory({"directory_items": [row, other, row], "meta": {}}, "GET /directory_items.json")
    assert [i.user.username for i in page.items] == ["me", "you"]


def test_reports_plain_and_stacked() -> None:
    plain = P.parse_report(
        {
            "report": {
                "type": "signups",
                "data": [{"x": "2026-03-01", "y": 4}, {"x": "2026-03-02", "y": 0}],
                "start_date": "2026-03-01T00:00:00Z",
                "end_date": "2026-03-02",
                "total": 4,
            }
        },
        "GET /admin/reports/signups.json",
    )
    assert plain.points == (P.ReportPoint(date(2026, 3, 1), 4.0), P.ReportPoint(date(2026, 3, 2), 0.0))
    assert plain.start_date == date(2026, 3, 1) and plain.total == 4.0
    stacked = P.parse_report(
        {
            "report": {
                "type": "consolidated_page_views",
                "data": [
                    {"req": "page_view_crawler", "label": "Crawlers", "data": [{"x": "2026-03-01", "y": 1}]},
                    {"req": "page_view_logged_in", "data": [{"x": "2026-03-01", "y": 7}]},
                ],
            }
        },
        "GET /admin/reports/consolidated_page_views.json",
    )
    assert [s.req for s in stacked.series] == ["page_view_crawler", "page_view_logged_in"]
    assert stacked.series[1].points[0].y == 7.0


# ---------------------------------------------------------------- garbage never crashes

PARSERS: list[Callable[[Any, str], Any]] = [
    P.parse_topic_list,
    P.parse_topic_view,
    P.parse_topic_posts,
    P.parse_latest_posts,
    P.parse_post,
    P.parse_categories,
    P.parse_site,
    P.parse_user,
    P.parse_user_list,
    P.parse_user_summary,
    P.parse_user_emails,
    P.parse_directory,
    P.parse_badges,
    P.parse_user_badges,
    P.parse_granted_badge,
    P.parse_group,
    P.parse_group_members,
    P.parse_membership_change,
    P.parse_solution_result,
    P.parse_success,
    P.parse_report,
    P.parse_search,
]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "payload", [None, [], "<html>", 3, {"topic_list": []}, {"post_stream": {"posts": [{}]}}]
)
def test_wrong_shapes_raise_unexpected_payload_naming_the_route(
    parser: Callable[[Any, str], Any], payload: Any
) -> None:
    try:
        parser(payload, "GET /some/route.json")
    except UnexpectedPayload as exc:
        assert exc.route == "GET /some/route.json"
        assert "/some/route.json" in str(exc)
        assert not exc.retryable


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "topic_list",
                    "topics",
                    "post_stream",
                    "posts",
                    "stream",
                    "user",
                    "username",
                    "users",
                    "badges",
                    "user_badges",
                    "user_badge",
                    "report",
                    "data",
                    "x",
                    "y",
                    "members",
                    "category_list",
                    "categories",
                    "directory_items",
                    "name",
                    "group",
                    "tags",
                    "success",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=json_values)
def test_arbitrary_json_only_ever_raises_unexpected_payload(payload: Any) -> None:
    for parser in PARSERS:
        try:
            parser(payload, "GET /fuzz.json")
        except UnexpectedPayload:
            pass
