"""Every endpoint helper against the demo community over loopback: records come back parsed and
consistent with each other (lists vs. topic views vs. single posts, grants vs. grantee lists)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from modconsole import clock
from modconsole.api import ApiClient, Credentials, RetryPolicy
from modconsole.connectors.discourse import badges, groups, posts, reports, site, solved, topics, users
from modconsole.demo.server import DemoServer
from modconsole.errors import NotFound

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(demo_server: DemoServer) -> Iterator[ApiClient]:
    a = demo_server.credentials.admin
    with ApiClient(
        demo_server.base_url, Credentials.admin(a.key, a.username), retry=RetryPolicy(max_retries=0)
    ) as api:
        yield api


@pytest.fixture
def moderator(demo_server: DemoServer) -> Iterator[ApiClient]:
    m = demo_server.credentials.moderator
    with ApiClient(demo_server.base_url, Credentials.user(m.key, username=m.username)) as api:
        yield api


def test_topic_lists_page_and_agree(admin: ApiClient) -> None:
    first = topics.latest(admin, per_page=10, order="created")
    assert len(first.topics) == 10 and first.has_more and first.per_page == 10
    second = topics.latest(admin, page=1, per_page=10, order="created")
    assert not {t.id for t in first.topics} & {t.id for t in second.topics}
    created = [t.created_at for t in first.topics + second.topics]
    assert created == sorted(created, reverse=True)  # type: ignore[type-var]
    asc = topics.latest(admin, per_page=5, order="created", ascending=True)
    assert asc.topics[0].created_at <= asc.topics[-1].created_at  # type: ignore[operator]
    pages = list(topics.iter_latest(admin, per_page=100, order="created"))
    every = [t.id for p in pages for t in p.topics]
    assert len(every) == len(set(every)) and not pages[-1].has_more
    assert {t.id for t in first.topics} <= set(every)


def test_category_list_and_filter(admin: ApiClient) -> None:
    cats = site.categories(admin)
    cat = next(c for c in cats if (c.topic_count or 0) > 0)
    page = topics.category_latest(admin, cat.slug, cat.id, per_page=50)
    assert page.topics and all(t.category_id in {cat.id, *cat.subcategory_ids} for t in page.topics)
    filtered = topics.filter_topics(admin, "order:created")
    assert filtered.topics


def test_topic_view_and_its_posts(admin: ApiClient) -> None:
    biggest = max(topics.latest(admin, per_page=100).topics, key=lambda t: t.posts_count)
    view, all_posts = topics.full_topic(admin, biggest.id, include_raw=True)
    assert view.id == biggest.id and view.title == biggest.title
    assert [p.id for p in all_posts] == list(view.stream)
    assert len(view.stream) >= view.posts_count - 1
    assert all(p.topic_id == view.id for p in all_posts)
    assert [p.post_number for p in all_posts] == sorted(p.post_number or 0 for p in all_posts)
    one = posts.post(admin, all_posts[-1].id)
    assert one.id == all_posts[-1].id and one.raw and one.raw == all_posts[-1].raw
    again = topics.topic_posts(admin, view.id, [all_posts[0].id])
    assert [p.id for p in again] == [all_posts[0].id]


def test_latest_posts_page_backwards(admin: ApiClient) -> None:
    newest = posts.latest_posts(admin)
    assert 0 < len(newest) <= posts.LATEST_POSTS_PAGE
    ids = [p.id for p in newest]
    assert ids == sorted(ids, reverse=True)
    older = posts.latest_posts(admin, before=min(ids) - 1)
    assert older and max(p.id for p in older) < min(ids)
    assert all(p.is_regular for p in newest + older)


def test_site_and_search(admin: ApiClient) -> None:
    info = site.site(admin)
    assert info.categories and {g.name for g in info.groups} >= {"superusers"}
    result = site.search(admin, "status:unsolved")
    assert isinstance(result.topics, tuple)
    me = site.current_user(admin)
    assert me.username == admin.credentials.username  # type: ignore[union-attr]


def test_users_and_directory(admin: ApiClient, demo_server: DemoServer) -> None:
    name = demo_server.credentials.member.username
    u = users.user(admin, name)
    assert u.username == name and u.trust_level is not None
    assert users.admin_user(admin, u.id).id == u.id
    summary = users.user_summary(admin, name)
    assert summary.post_count == u.post_count
    assert users.user_emails(admin, name).email
    listed = users.admin_users(admin, "active")
    assert u.id in {x.id for x in listed} or len(listed) == users.ADMIN_LIST_PAGE
    page = users.directory(admin, "all", order="post_count")
    values = [i.values.get("post_count", 0) for i in page.items[1:]]  # row 0 may be the caller's own
    assert values == sorted(values, reverse=True)
    with pytest.raises(NotFound):
        users.user(admin, "nobody-by-this-name")


def test_trust_level_put_is_idempotent(admin: ApiClient, demo_server: DemoServer) -> None:
    u = users.user(admin, demo_server.credentials.member.username)
    target = 3 if u.trust_level != 3 else 2
    users.set_trust_level(admin, u.id, target)
    users.set_trust_level(admin, u.id, target)
    assert users.admin_user(admin, u.id).trust_level == target


def test_badges_grant_list_revoke(moderator: ApiClient, admin: ApiClient, demo_server: DemoServer) -> None:
    listed = badges.badges(moderator)
    assert listed and all(b.enabled for b in listed)
    every = badges.admin_badges(admin)
    assert len(every) >= len(listed)
    with pytest.raises(NotFound):
        badges.admin_badges(moderator)  # admin-only route: AdminConstraint, so Discourse answers 404
    manual = next(b for b in every if b.manually_grantable and b.enabled and not b.multiple_grant)
    name = demo_server.credentials.member.username
    held = {g.badge_id for g in badges.user_badges(moderator, name).user_badges}
    if manual.id in held:
        manual = next(
            b
            for b in every
            if b.manually_grantable and b.enabled and not b.multiple_grant and b.id not in held
        )
    grant = badges.grant_badge(moderator, name, manual.id)
    assert grant.badge_id == manual.id
    again = badges.grant_badge(moderator, name, manual.id)  # single-grant: the same grant comes back
    assert again.id == grant.id
    grantees = list(badges.iter_badge_grantees(moderator, manual.id))
    assert grant.id in {g.id for g in grantees}
    assert manual.id in {g.badge_id for g in badges.user_badges(moderator, name).user_badges}
    badges.revoke_badge(moderator, grant.id)
    assert grant.id not in {g.id for g in badges.iter_badge_grantees(moderator, manual.id)}
    with pytest.raises(NotFound):
        badges.revoke_badge(moderator, grant.id)


def test_group_members_add_remove(admin: ApiClient, demo_server: DemoServer) -> None:
    g = groups.group(admin, "superusers")
    before = list(groups.iter_members(admin, "superusers", limit=3))
    assert len(before) == len({m.id for m in before})
    assert g.user_count in (None, len(before))
    name = demo_server.credentials.member.username
    if name in {m.username for m in before}:
        groups.remove_members(admin, g.id, [name])
    added = groups.add_members(admin, g.id, [name])
    assert added.usernames == (name,) or name in added.usernames
    assert name in {m.username for m in groups.iter_members(admin, "superusers")}
    removed = groups.remove_members(admin, g.id, [name])
    assert name in removed.usernames
    assert name not in {m.username for m in groups.iter_members(admin, "superusers")}


def _solvable_post(demo_db: Path) -> tuple[int, int]:
    with sqlite3.connect(demo_db) as con:
        row = con.execute(
            "SELECT p.id, t.id FROM posts p JOIN topics t ON t.id = p.topic_id "
            "JOIN categories c ON c.id = t.category_id "
            "WHERE c.enable_accepted_answers = 1 AND c.read_restricted = 0 "
            "AND p.post_number > 1 AND p.post_type = 1 "
            "AND p.deleted_at IS NULL AND t.deleted_at IS NULL AND t.closed = 0 "
            "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) ORDER BY p.id LIMIT 1"
        ).fetchone()
    return int(row[0]), int(row[1])


def test_accept_and_unaccept_a_solution(moderator: ApiClient, demo_db: Path) -> None:
    post_id, topic_id = _solvable_post(demo_db)
    post = posts.post(moderator, post_id)
    result = solved.accept(moderator, post_id)
    if result.answer is not None:  # core-bundled shape
        assert result.answer.post_number == post.post_number
    view = topics.topic(moderator, topic_id)
    assert view.accepted_answer is not None and view.accepted_answer.post_number == post.post_number
    assert solved.unaccept(moderator, post_id).answer is None
    assert topics.topic(moderator, topic_id).accepted_answer is None
    att = solved.attempt_accept(moderator, post_id)
    assert att.ok and topics.topic(moderator, topic_id).accepted_answer is not None


def test_posting_a_topic_and_a_reply(moderator: ApiClient) -> None:
    cat = next(c for c in site.categories(moderator) if not c.read_restricted)
    first = posts.create_topic(
        moderator, "Console test: a brand new topic", "Hello from the API test suite.", category_id=cat.id
    )
    assert first.post_number == 1 and first.topic_id
    reply = posts.reply(moderator, first.topic_id, "And a reply to it.", reply_to_post_number=1)
    assert reply.topic_id == first.topic_id and reply.post_number == 2
    view = topics.topic(moderator, first.topic_id, include_raw=True)
    assert [p.id for p in view.posts] == [first.id, reply.id]
    assert view.posts[1].raw == "And a reply to it."


def test_reports(moderator: ApiClient) -> None:
    end = clock.now().date()
    start = end - timedelta(days=29)
    rep = reports.report(moderator, "signups", start, end)
    assert rep.type == "signups" and rep.points
    assert all(start <= p.x <= end for p in rep.points)
    posts_rep = reports.report(moderator, "posts", start, end)
    assert sum(p.y for p in posts_rep.points) >= 0
    with pytest.raises(NotFound):
        reports.report(moderator, "no_such_report", start, end)
