"""The services' seam on Vanilla (issue #16 part 2): cache misses fetched through the connector's
lookups, and links to discussions and comments written and read back.

Real HTTP against the Vanilla demo server (``vanilla_demo_server``) on loopback, with an empty
cache (no sync first), so every lookup has to ask the community; the demo's own store is the
ground truth. Each lookup is also checked to ask no Discourse route."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from modconsole.api import Budget, Credentials, HostPacer
from modconsole.connectors.types import LinkRef
from modconsole.demo import store
from modconsole.demo.vanilla.server import VanillaDemoServer
from modconsole.services.moderation import ActionRefused
from modconsole.workspace import SiteRef, Workspace
from tests.core.outbox_support import FAST

pytestmark = pytest.mark.integration


@pytest.fixture
def ws(vanilla_demo_server: VanillaDemoServer, tmp_path: Path) -> Iterator[Workspace]:
    ident = vanilla_demo_server.credentials.moderator
    site = SiteRef(
        vanilla_demo_server.base_url,
        ident.username,
        Credentials.token(ident.token, username=ident.username),
        tmp_path / "cache.sqlite",
        pacer=HostPacer(Budget.unlimited()),
        platform="vanilla",
    )
    with Workspace.open(site, dispatch_options=replace(FAST, suspension_check=False)) as w:
        yield w


def _demo(server: VanillaDemoServer, sql: str, *args: Any) -> list[sqlite3.Row]:
    con = store.connect(server.db_path)
    try:
        return list(con.execute(sql, args).fetchall())
    finally:
        con.close()


def _cache(ws: Workspace, sql: str, **params: Any) -> list[Any]:
    with ws.cache.read() as conn:
        return list(conn.execute(text(sql), params).fetchall())


def _paths(server: VanillaDemoServer) -> list[str]:
    return [r.path for r in server.requests]


def _only_vanilla_routes(server: VanillaDemoServer) -> None:
    assert server.requests and all(p.startswith("/api/v2/") for p in _paths(server))


_VISIBLE = (
    "SELECT p.id, p.topic_id FROM posts p JOIN topics t ON t.id = p.topic_id "
    "JOIN categories c ON c.id = t.category_id WHERE p.post_number > 1 AND p.post_type = 1 "
    "AND p.deleted_at IS NULL AND t.deleted_at IS NULL AND t.archetype = 'regular' "
    "AND c.read_restricted = 0 ORDER BY p.id LIMIT 1"
)


def _a_member(server: VanillaDemoServer, badge_id: int) -> str:
    """A member in good standing without the badge."""
    rows = _demo(
        server,
        "SELECT username FROM users u WHERE deleted_at IS NULL AND suspended_till IS NULL AND staged = 0 "
        "AND admin = 0 AND moderator = 0 AND NOT EXISTS (SELECT 1 FROM user_badges ub "
        "WHERE ub.user_id = u.id AND ub.badge_id = ?) ORDER BY id LIMIT 1",
        badge_id,
    )
    return str(rows[0]["username"])


def _a_badge(server: VanillaDemoServer) -> sqlite3.Row:
    return _demo(
        server,
        "SELECT id, name FROM badges WHERE enabled = 1 AND query IS NULL AND multiple_grant = 0 "
        "ORDER BY id LIMIT 1",
    )[0]


# ---------------------------------------------------------------- each lookup


def test_a_member_by_name(ws: Workspace, vanilla_demo_server: VanillaDemoServer) -> None:
    row = _demo(
        vanilla_demo_server,
        "SELECT id, username FROM users WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 1",
    )[0]
    lookups = ws.connector.lookups
    assert lookups.user(ws.client, ws.cache, str(row["username"]).upper()) == "found"  # case ignored
    assert _cache(ws, "SELECT id, username FROM users") == [(row["id"], row["username"])]
    assert lookups.user(ws.client, ws.cache, "nobody-by-that-name") == "absent"
    _only_vanilla_routes(vanilla_demo_server)


def test_the_badges(ws: Workspace, vanilla_demo_server: VanillaDemoServer) -> None:
    # the moderator is staff: the demo lists disabled badges to staff too
    want = {int(r["id"]) for r in _demo(vanilla_demo_server, "SELECT id FROM badges")}
    assert ws.connector.lookups.badges(ws.client, ws.cache) == "found"
    assert {int(r[0]) for r in _cache(ws, "SELECT id FROM badges")} == want
    _only_vanilla_routes(vanilla_demo_server)


def test_a_comment_and_its_discussion(ws: Workspace, vanilla_demo_server: VanillaDemoServer) -> None:
    post = _demo(vanilla_demo_server, _VISIBLE)[0]
    lookups = ws.connector.lookups
    assert lookups.post(ws.client, ws.cache, int(post["id"])) == "found"
    assert _cache(ws, "SELECT topic_id FROM posts WHERE id = :i", i=post["id"]) == [(post["topic_id"],)]
    assert _cache(ws, "SELECT id FROM topics") == [(post["topic_id"],)]
    # the discussion's body is the cache's post −discussionID
    assert _cache(ws, "SELECT post_number FROM posts WHERE id = :i", i=-int(post["topic_id"])) == [(1,)]
    missing = int(_demo(vanilla_demo_server, "SELECT max(id) FROM posts")[0][0]) + 1000
    assert lookups.post(ws.client, ws.cache, missing) == "absent"
    _only_vanilla_routes(vanilla_demo_server)


def test_a_discussion_with_its_category(ws: Workspace, vanilla_demo_server: VanillaDemoServer) -> None:
    post = _demo(vanilla_demo_server, _VISIBLE)[0]
    tid = int(post["topic_id"])
    cat = _demo(vanilla_demo_server, "SELECT category_id FROM topics WHERE id = ?", tid)[0][0]
    lookups = ws.connector.lookups
    assert lookups.topic(ws.client, ws.cache, tid) == "found"
    assert _cache(ws, "SELECT id, category_id FROM topics") == [(tid, cat)]
    assert _cache(ws, "SELECT 1 FROM categories WHERE id = :c", c=cat) == [(1,)]
    missing = int(_demo(vanilla_demo_server, "SELECT max(id) FROM topics")[0][0]) + 1000
    assert lookups.topic(ws.client, ws.cache, missing) == "absent"
    _only_vanilla_routes(vanilla_demo_server)


def test_the_categories(ws: Workspace, vanilla_demo_server: VanillaDemoServer) -> None:
    want = {int(r["id"]) for r in _demo(vanilla_demo_server, "SELECT id FROM categories")}
    assert ws.connector.lookups.categories(ws.client, ws.cache) == "found"
    assert {int(r[0]) for r in _cache(ws, "SELECT id FROM categories")} == want
    _only_vanilla_routes(vanilla_demo_server)


def test_a_group_by_name_with_its_members(ws: Workspace, vanilla_demo_server: VanillaDemoServer) -> None:
    group = _demo(
        vanilla_demo_server,
        "SELECT g.id, COALESCE(g.full_name, g.name) AS name FROM groups g "
        "WHERE g.automatic = 0 AND g.visibility_level = 0 "
        "AND EXISTS (SELECT 1 FROM group_users gu WHERE gu.group_id = g.id) ORDER BY g.id DESC LIMIT 1",
    )[0]
    members = {
        int(r[0])
        for r in _demo(vanilla_demo_server, "SELECT user_id FROM group_users WHERE group_id = ?", group["id"])
    }
    lookups = ws.connector.lookups
    assert lookups.group(ws.client, ws.cache, str(group["name"]).upper()) == "found"
    assert _cache(ws, "SELECT id, name FROM groups") == [(group["id"], group["name"])]
    assert {
        int(r[0]) for r in _cache(ws, "SELECT user_id FROM group_members WHERE group_id = :g", g=group["id"])
    } == members
    assert lookups.group(ws.client, ws.cache, "no-such-group") == "absent"
    _only_vanilla_routes(vanilla_demo_server)


def test_a_categorys_newest_discussions(ws: Workspace, vanilla_demo_server: VanillaDemoServer) -> None:
    cat = int(_demo(vanilla_demo_server, _VISIBLE.replace("p.id, p.topic_id", "t.category_id"))[0][0])
    heads = ws.connector.lookups.category_topics(ws.client, cat, None)
    listed = {
        int(r["id"])
        for r in _demo(
            vanilla_demo_server,
            "SELECT id FROM topics WHERE category_id = ? AND deleted_at IS NULL AND archetype = 'regular'",
            cat,
        )
    }
    assert heads and {h.category_id for h in heads} == {cat}
    assert {h.id for h in heads} <= listed
    assert len(heads) == min(30, len(listed))
    recent = ws.connector.lookups.recent_topics(ws.client)
    assert recent and len({h.id for h in recent}) == len(recent)
    _only_vanilla_routes(vanilla_demo_server)


# ---------------------------------------------------------------- links


def test_links_round_trip(ws: Workspace, vanilla_demo_server: VanillaDemoServer) -> None:
    links = ws.connector.links
    base = vanilla_demo_server.base_url
    url = links.permalink(base, 42, "a-slug")
    assert url == f"{base}/discussion/42/a-slug"
    assert links.parse(urlsplit(url).path) == LinkRef(topic_id=42)
    assert links.parse(urlsplit(links.permalink(base, 42)).path) == LinkRef(topic_id=42)
    comment = links.permalink(base, 42, "a-slug", 3, post_id=77)
    assert comment == f"{base}/discussion/comment/77#Comment_77"
    assert links.parse(urlsplit(comment).path) == LinkRef(post_id=77)
    # the discussion's body (post −42) is the discussion's own address
    assert links.permalink(base, 42, None, 1, post_id=-42) == f"{base}/discussion/42"
    assert links.parse(urlsplit(links.example(base)).path) is not None
    assert links.parse("/t/some-topic/12/3") is None  # a Discourse link is not Vanilla's
    # the demo's own addresses read back to what they name
    post = _demo(vanilla_demo_server, _VISIBLE)[0]
    assert links.parse(f"/discussion/comment/{post['id']}") == LinkRef(post_id=int(post["id"]))


def test_an_award_on_an_empty_cache_looks_everything_up(
    ws: Workspace, vanilla_demo_server: VanillaDemoServer
) -> None:
    """The moderation service asks the connector for the member, the badge and the reason's
    comment (with its discussion); the award is queued with the comment as its reason."""
    badge = _a_badge(vanilla_demo_server)
    member = _a_member(vanilla_demo_server, int(badge["id"]))
    post = _demo(vanilla_demo_server, _VISIBLE)[0]
    reason = ws.connector.links.permalink(ws.client.base_url, int(post["topic_id"]), post_id=int(post["id"]))
    q = ws.moderation.award_badge(str(badge["name"]), member, reason=reason)
    row = ws.moderation.get(q.op_uuid)
    assert row is not None and row.kind == "grant_badge"
    assert row.payload["username"].lower() == member.lower()
    assert int(row.payload["badge_id"]) == int(badge["id"])
    assert row.payload.get("reason") == reason
    assert row.payload.get("reason_post_id") == int(post["id"])
    _only_vanilla_routes(vanilla_demo_server)


def test_reason_links_are_checked_the_platforms_way(
    ws: Workspace, vanilla_demo_server: VanillaDemoServer
) -> None:
    badge = _a_badge(vanilla_demo_server)
    member = _a_member(vanilla_demo_server, int(badge["id"]))
    base = ws.client.base_url
    with pytest.raises(ActionRefused, match=r"like .*/discussion/comment/456#Comment_456"):
        ws.moderation.award_badge(str(badge["name"]), member, reason=f"{base}/t/some-topic/12/3")
    missing = int(_demo(vanilla_demo_server, "SELECT max(id) FROM posts")[0][0]) + 1000
    with pytest.raises(ActionRefused, match=f"post {missing}, which does not exist"):
        ws.moderation.award_badge(
            str(badge["name"]), member, reason=f"{base}/discussion/comment/{missing}#Comment_{missing}"
        )
    missing_topic = int(_demo(vanilla_demo_server, "SELECT max(id) FROM topics")[0][0]) + 1000
    with pytest.raises(ActionRefused, match=f"topic {missing_topic}, which does not exist"):
        ws.moderation.award_badge(str(badge["name"]), member, reason=f"{base}/discussion/{missing_topic}/x")
    _only_vanilla_routes(vanilla_demo_server)


def test_nominations_are_read_from_the_named_category(
    ws: Workspace, vanilla_demo_server: VanillaDemoServer
) -> None:
    """The superuser programme re-reads its nomination category through the connector: the open
    nominations through the sync's refresh, the rest of the list as topic rows."""
    from modconsole.services.superusers import ProgramSettings, SuperuserService

    cat = int(_demo(vanilla_demo_server, _VISIBLE.replace("p.id, p.topic_id", "t.category_id"))[0][0])
    topics = _demo(
        vanilla_demo_server,
        "SELECT id FROM topics WHERE category_id = ? AND deleted_at IS NULL AND archetype = 'regular' "
        "AND closed = 0 ORDER BY last_posted_at DESC LIMIT 2",
        cat,
    )
    nominated, other = int(topics[0]["id"]), int(topics[1]["id"])
    con = store.connect(vanilla_demo_server.db_path)
    try:
        with con:
            con.execute(
                "UPDATE topics SET title = 'Superuser nomination: @someone' WHERE id = ?", (nominated,)
            )
    finally:
        con.close()
    assert ws.connector.lookups.categories(ws.client, ws.cache) == "found"
    su = SuperuserService(ws.cache, ws.moderation)
    su.save_settings(ProgramSettings(nomination_category_id=cat))
    changes = su.refresh_nominations(ws.client)
    assert nominated in changes.topic_ids and other in changes.topic_ids
    assert _cache(ws, "SELECT title FROM topics WHERE id = :t", t=nominated) == [
        ("Superuser nomination: @someone",)
    ]
    # the open nomination was read whole (its opening post too), the other one as a list row
    assert _cache(ws, "SELECT 1 FROM posts WHERE id = :p", p=-nominated) == [(1,)]
    assert _cache(ws, "SELECT category_id FROM topics WHERE id = :t", t=other) == [(cat,)]
    _only_vanilla_routes(vanilla_demo_server)
