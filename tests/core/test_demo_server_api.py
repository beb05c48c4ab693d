"""The demo server's routes, permissions and errors, over real loopback HTTP."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from modconsole.demo import store
from modconsole.demo.server import DemoServer
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration


@pytest.fixture
def srv(demo_server: DemoServer) -> DemoServer:
    return demo_server


@pytest.fixture
def http(srv: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=srv.base_url, timeout=WAIT_S) as c:
        yield c


def H(srv: DemoServer, role: str) -> dict[str, str]:
    return getattr(srv.credentials, role).headers()  # type: ignore[no-any-return]


def db(srv: DemoServer) -> sqlite3.Connection:
    return store.connect(srv.db_path)


def one(srv: DemoServer, sql: str, *args: Any) -> Any:
    con = db(srv)
    try:
        row = con.execute(sql, args).fetchone()
        return row[0] if row is not None and len(row) == 1 else row
    finally:
        con.close()


def check_counters(path: Path) -> None:
    """Every denormalised counter equals what the rows say."""
    con = store.connect(path)
    try:
        bad = con.execute(
            """SELECT t.id FROM topics t WHERE t.deleted_at IS NULL AND (
                 t.posts_count != (SELECT COUNT(*) FROM posts p WHERE p.topic_id = t.id
                                   AND p.deleted_at IS NULL AND p.post_type IN (1, 4))
              OR t.like_count != (SELECT COALESCE(SUM(p.like_count), 0) FROM posts p WHERE p.topic_id = t.id
                                   AND p.deleted_at IS NULL)
              OR t.highest_post_number != (SELECT MAX(post_number) FROM posts p WHERE p.topic_id = t.id
                                   AND p.deleted_at IS NULL AND p.post_type <> 4)
              OR t.reply_count != (SELECT COUNT(*) FROM posts p WHERE p.topic_id = t.id
                                   AND p.deleted_at IS NULL AND p.post_type IN (1, 4)
                                   AND p.post_number > 1))"""
        ).fetchall()
        assert bad == []
        bad = con.execute(
            "SELECT p.id FROM posts p WHERE p.like_count != (SELECT COUNT(*) FROM likes l "
            "WHERE l.post_id = p.id)"
        ).fetchall()
        assert bad == []
    finally:
        con.close()


# ---------------------------------------------------------------- auth and errors


def test_auth_forms(srv: DemoServer, http: httpx.Client) -> None:
    assert http.get("/latest.json").status_code == 200  # anonymous may read a public list
    r = http.get("/latest.json", headers={"Api-Key": "nope", "Api-Username": "x"})
    assert r.status_code == 403 and r.json()["error_type"] == "invalid_access"
    r = http.get("/latest.json", headers={"User-Api-Key": "nope"})
    assert r.status_code == 403 and r.json()["error_type"] == "invalid_access"
    admin = srv.credentials.admin
    r = http.get(
        "/latest.json", headers={"Api-Key": admin.key, "Api-Username": srv.credentials.member.username}
    )
    assert r.status_code == 403  # key bound to the admin account
    r = http.get("/admin/users/list/active.json")  # StaffConstraint: the admin namespace is not routed
    assert r.status_code == 404 and r.json()["error_type"] == "not_found"
    r = http.post("/posts.json", data={"topic_id": 1, "raw": "hello there"})
    assert r.status_code == 403 and r.json()["error_type"] == "not_logged_in"


def test_permission_matrix(srv: DemoServer, http: httpx.Client) -> None:
    member = srv.credentials.member.username
    cases = {
        # /admin is routed for staff only (and /admin/badges for admins only): the rest get 404
        "/admin/users/list/active.json": {"admin": 200, "moderator": 200, "member": 404},
        "/admin/badges.json": {"admin": 200, "moderator": 404, "member": 404},
        "/admin/reports/posts.json?start_date=2026-10-01&end_date=2026-10-31": {
            "admin": 200,
            "moderator": 200,
            "member": 404,
        },
        f"/u/{member}/emails.json": {"admin": 200, "moderator": 200, "member": 403},
        "/badges.json": {"admin": 200, "moderator": 200, "member": 200},
    }
    for path, expect in cases.items():
        for role, status in expect.items():
            assert http.get(path, headers=H(srv, role)).status_code == status, (path, role)
    srv.set_setting("moderators_view_emails", False)
    assert http.get(f"/u/{member}/emails.json", headers=H(srv, "moderator")).status_code == 403
    # a read_restricted (staff) category is hidden from members
    staff_cat = one(srv, "SELECT id FROM categories WHERE read_restricted = 1")
    ids_member = {
        t["category_id"]
        for t in http.get("/latest.json?per_page=100", headers=H(srv, "member")).json()["topic_list"][
            "topics"
        ]
    }
    ids_admin = {
        t["category_id"]
        for t in http.get("/latest.json?per_page=100", headers=H(srv, "admin")).json()["topic_list"]["topics"]
    }
    assert staff_cat not in ids_member and staff_cat in ids_admin
    staff_topic = one(srv, "SELECT id FROM topics WHERE category_id = ? AND deleted_at IS NULL", staff_cat)
    assert http.get(f"/t/{staff_topic}.json", headers=H(srv, "member")).status_code == 404
    assert http.get(f"/t/{staff_topic}.json", headers=H(srv, "moderator")).status_code == 200


def test_error_bodies_and_keeps_serving(srv: DemoServer, http: httpx.Client) -> None:
    r = http.get("/no/such/route.json")
    assert r.status_code == 404 and r.json() == {
        "errors": ["The requested URL or resource could not be found."],
        "error_type": "not_found",
    }
    for bad in (
        "/latest.json?per_page=0",
        "/latest.json?per_page=101",
        "/latest.json?page=x",
        "/latest.json?status=bogus",
        "/latest.json?order=bogus",
        "/directory_items.json?period=never",
        "/admin/reports/posts.json?start_date=2026-13-45",
    ):
        r = http.get(bad, headers=H(srv, "admin"))
        assert r.status_code == 400 and r.json()["error_type"] == "invalid_parameters", bad
    r = http.post(
        "/posts.json", content=b"{not json", headers={**H(srv, "admin"), "Content-Type": "application/json"}
    )
    assert r.status_code == 400 and "errors" in r.json()
    assert http.get("/admin/reports/nope.json", headers=H(srv, "admin")).status_code == 404
    # 410 for deleted topics with detailed_404, 404 otherwise; staff still see them
    deleted = one(srv, "SELECT id FROM topics WHERE deleted_at IS NOT NULL LIMIT 1")
    assert http.get(f"/t/{deleted}.json", headers=H(srv, "member")).status_code == 404
    srv.set_setting("detailed_404", True)
    r = http.get(f"/t/{deleted}.json", headers=H(srv, "member"))
    assert r.status_code == 410 and r.json()["error_type"] == "not_found"
    r = http.get(f"/t/{deleted}.json", headers=H(srv, "moderator"))
    assert r.status_code == 200 and r.json()["deleted_at"]
    # the server is still fine
    assert http.get("/latest.json").status_code == 200
    assert all("Traceback" not in rec.path for rec in srv.requests)


def test_internal_bug_is_a_json_500(
    srv: DemoServer, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modconsole.demo import routes_read

    def boom(*a: object, **k: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(routes_read, "categories_route", boom)
    r = http.get("/categories.json")
    assert r.status_code == 500 and r.json()["errors"] and "Traceback" not in r.text
    assert http.get("/latest.json").status_code == 200


# ---------------------------------------------------------------- lists


def test_latest_paging_and_pinned(srv: DemoServer, http: httpx.Client) -> None:
    h = H(srv, "admin")
    total = one(srv, "SELECT COUNT(*) FROM topics WHERE deleted_at IS NULL AND archetype = 'regular'")
    seen: list[int] = []
    page = 0
    while True:
        tl = http.get(f"/latest.json?per_page=7&page={page}", headers=h).json()["topic_list"]
        seen += [t["id"] for t in tl["topics"]]
        assert tl["per_page"] == 7
        if "more_topics_url" not in tl:
            assert len(tl["topics"]) < 7
            break
        assert len(tl["topics"]) == 7
        assert tl["more_topics_url"].startswith("/latest?") and ".json" not in tl["more_topics_url"]
        assert parse_qs(urlsplit(tl["more_topics_url"]).query)["page"] == [str(page + 1)]
        page += 1
    assert len(seen) == len(set(seen)) == total
    first = http.get("/latest.json?per_page=30", headers=h).json()["topic_list"]["topics"]
    pinned = [t for t in first if t["pinned"]]
    assert pinned and first[: len(pinned)] == pinned
    created = http.get("/latest.json?order=created&per_page=30", headers=h).json()["topic_list"]["topics"]
    assert [t["created_at"] for t in created] == sorted((t["created_at"] for t in created), reverse=True)
    asc = http.get("/latest.json?order=views&ascending=true", headers=h).json()["topic_list"]["topics"]
    assert [t["views"] for t in asc] == sorted(t["views"] for t in asc)
    item = first[0]
    assert isinstance(item["tags"], list) and "has_accepted_answer" in item and item["posters"]
    assert {u["id"] for u in http.get("/latest.json", headers=h).json()["users"]} >= {
        p["user_id"] for p in item["posters"]
    }


def test_status_filters_and_tag_objects(srv: DemoServer, http: httpx.Client) -> None:
    h = H(srv, "admin")

    def ids(url: str, headers: dict[str, str] = h) -> set[int]:
        return {t["id"] for t in http.get(url, headers=headers).json()["topic_list"]["topics"]}

    closed = ids("/latest.json?status=closed&per_page=100")
    assert closed == {
        r for (r,) in db(srv).execute("SELECT id FROM topics WHERE closed = 1 AND deleted_at IS NULL")
    }
    solved = ids("/latest.json?status=solved&per_page=100")
    assert solved and solved == {
        r
        for (r,) in db(srv).execute(
            "SELECT s.topic_id FROM solutions s JOIN topics t ON t.id = s.topic_id WHERE t.deleted_at IS NULL"
        )
    }
    assert ids("/latest.json?solved=yes&per_page=100") == solved
    unsolved = ids("/latest.json?status=unsolved&per_page=100")
    assert unsolved and not unsolved & solved
    noreplies = ids("/latest.json?status=noreplies&per_page=100")
    assert all(one(srv, "SELECT posts_count FROM topics WHERE id = ?", t) == 1 for t in noreplies)
    deleted = ids("/latest.json?status=deleted&per_page=100")
    assert deleted and all(one(srv, "SELECT deleted_at FROM topics WHERE id = ?", t) for t in deleted)
    assert ids("/latest.json?status=deleted", H(srv, "member")) == set()
    assert ids("/latest.json?max_posts=1&per_page=100") == noreplies | (
        ids("/latest.json?max_posts=1&per_page=100") - noreplies
    )
    cat = db(srv).execute("SELECT id, slug FROM categories WHERE read_restricted = 0 LIMIT 1").fetchone()
    in_cat = ids(f"/c/{cat[1]}/{cat[0]}/l/latest.json?per_page=100")
    assert in_cat and in_cat == ids(f"/c/{cat[1]}/{cat[0]}.json?per_page=100")
    assert all(one(srv, "SELECT category_id FROM topics WHERE id = ?", t) == cat[0] for t in in_cat)
    srv.set_setting("tag_objects", True)
    tagged = [
        t
        for t in http.get("/latest.json?per_page=100", headers=h).json()["topic_list"]["topics"]
        if t["tags"]
    ]
    assert tagged and set(tagged[0]["tags"][0]) == {"id", "name", "slug"}


def test_filter_and_search(srv: DemoServer, http: httpx.Client) -> None:
    h = H(srv, "admin")
    r = http.get("/filter.json", params={"q": "status:solved order:created-asc"}, headers=h).json()
    topics = r["topic_list"]["topics"]
    assert topics and all(t["has_accepted_answer"] for t in topics)
    assert [t["created_at"] for t in topics] == sorted(t["created_at"] for t in topics)
    after = "2026-10-01"
    recent = http.get(
        "/filter.json", params={"q": f"activity-after:{after} order:activity", "per_page": 100}, headers=h
    ).json()["topic_list"]["topics"]
    assert recent and all(t["bumped_at"] >= after for t in recent)
    cat = one(srv, "SELECT slug FROM categories WHERE enable_accepted_answers = 1 LIMIT 1")
    unsolved = http.get(
        "/filter.json", params={"q": f"status:unsolved category:{cat}", "per_page": 100}, headers=h
    ).json()["topic_list"]["topics"]
    assert all(not t["has_accepted_answer"] for t in unsolved)
    word = (
        one(srv, "SELECT title FROM topics WHERE deleted_at IS NULL AND visible = 1 LIMIT 1")
        .split()[-1]
        .strip("?")
    )
    s = http.get("/search.json", params={"q": f"{word} in:title"}, headers=h).json()
    assert s["topics"] and all(word.lower() in t["title"].lower() for t in s["topics"])
    assert set(s) >= {"posts", "topics", "users", "grouped_search_result"}
    solved = http.get("/search.json", params={"q": f"{word} status:solved"}, headers=h).json()
    assert all(t["has_accepted_answer"] for t in solved["topics"])


# ---------------------------------------------------------------- topics and posts


def test_topic_chunks_and_stream(srv: DemoServer, http: httpx.Client) -> None:
    h = H(srv, "admin")
    tid = one(srv, "SELECT id FROM topics WHERE deleted_at IS NULL ORDER BY posts_count DESC LIMIT 1")
    t = http.get(f"/t/{tid}.json", headers=h).json()
    stream = t["post_stream"]["stream"]
    assert len(stream) >= t["posts_count"] > 0
    assert [p["id"] for p in t["post_stream"]["posts"]] == stream[:20]
    rest = http.get(
        f"/t/{tid}/posts.json", params=[("post_ids[]", i) for i in stream[20:40]], headers=h
    ).json()
    assert [p["id"] for p in rest["post_stream"]["posts"]] == stream[20:40] and rest["id"] == tid
    assert http.get(f"/t/{tid}/post_ids.json?post_number=1", headers=h).json()["post_ids"] == stream[1:]
    assert http.get(f"/t/{tid}.json?page=50", headers=h).status_code == 404
    assert "raw" in http.get(f"/t/{tid}.json?include_raw=1", headers=h).json()["post_stream"]["posts"][0]
    # deleted posts: only with show_deleted for staff
    dp = (
        db(srv)
        .execute(
            "SELECT p.id, p.topic_id FROM posts p JOIN topics t ON t.id = p.topic_id WHERE "
            "p.deleted_at IS NOT NULL AND p.post_number > 1 AND t.deleted_at IS NULL LIMIT 1"
        )
        .fetchone()
    )
    assert dp is not None
    assert dp[0] not in http.get(f"/t/{dp[1]}.json", headers=h).json()["post_stream"]["stream"]
    withdel = http.get(f"/t/{dp[1]}.json?show_deleted=true", headers=h).json()
    assert dp[0] in withdel["post_stream"]["stream"] and withdel["has_deleted"]
    assert (
        dp[0]
        not in http.get(f"/t/{dp[1]}.json?show_deleted=true", headers=H(srv, "member")).json()["post_stream"][
            "stream"
        ]
    )


def test_posts_before_semantics(srv: DemoServer, http: httpx.Client) -> None:
    h = H(srv, "member")
    first = http.get("/posts.json", headers=h).json()["latest_posts"]
    assert len(first) == 50
    ids = [p["id"] for p in first]
    assert ids == sorted(ids, reverse=True)
    assert all(p["post_type"] == 1 and not p["hidden"] and "raw" in p and "topic_title" in p for p in first)
    nxt = http.get(f"/posts.json?before={ids[-1]}", headers=h).json()["latest_posts"]
    assert nxt[0]["id"] == ids[-1]  # before is inclusive
    seen: list[int] = []
    before = None
    while True:
        page = http.get(
            "/posts.json", params={"before": before} if before is not None else {}, headers=h
        ).json()["latest_posts"]
        if not page:
            break
        seen += [p["id"] for p in page]
        before = page[-1]["id"] - 1
    expected = [
        r
        for (r,) in db(srv).execute(
            "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id JOIN categories c ON c.id = "
            "t.category_id "
            "WHERE p.post_type = 1 AND p.hidden = 0 AND p.deleted_at IS NULL AND t.deleted_at IS NULL "
            "AND t.visible = 1 "
            "AND c.read_restricted = 0 ORDER BY p.id DESC"
        )
    ]
    assert seen == expected


def test_posting_editing_deleting_keeps_counters(srv: DemoServer, http: httpx.Client) -> None:
    h = H(srv, "member")
    cat = one(
        srv, "SELECT id FROM categories WHERE read_restricted = 0 AND enable_accepted_answers = 1 LIMIT 1"
    )
    p = http.post(
        "/posts.json",
        data={"title": "A brand new demo question", "raw": "How does it work?", "category": cat},
        headers=h,
    )
    assert p.status_code == 200, p.text
    post = p.json()
    tid = post["topic_id"]
    assert post["post_number"] == 1 and post["raw"] == "How does it work?"
    r = http.post(
        "/posts.json",
        json={"topic_id": tid, "raw": "Try the settings page.", "reply_to_post_number": 1},
        headers=H(srv, "moderator"),
    )
    reply = r.json()
    assert reply["post_number"] == 2 and reply["reply_to_post_number"] == 1
    t = http.get(f"/t/{tid}.json", headers=h).json()
    assert (
        t["posts_count"] == 2 and t["reply_count"] == 1 and t["post_stream"]["posts"][0]["reply_count"] == 1
    )
    bumped = one(srv, "SELECT bumped_at FROM topics WHERE id = ?", tid)
    e = http.put(
        f"/posts/{reply['id']}.json",
        data={"post[raw]": "Try the settings page, then save."},
        headers=H(srv, "moderator"),
    )
    assert e.status_code == 200 and e.json()["post"]["version"] == 2 and "save" in e.json()["post"]["cooked"]
    assert one(srv, "SELECT bumped_at FROM topics WHERE id = ?", tid) > bumped  # last post edit bumps
    before_edit = one(srv, "SELECT bumped_at FROM topics WHERE id = ?", tid)
    http.put(f"/posts/{post['id']}.json", data={"post[raw]": "How does it work, exactly?"}, headers=h)
    assert one(srv, "SELECT bumped_at FROM topics WHERE id = ?", tid) == before_edit  # earlier post: no bump
    assert (
        http.put(f"/posts/{reply['id']}.json", data={"post[raw]": "mine now"}, headers=h).status_code == 403
    )
    like = http.post("/post_actions.json", data={"id": reply["id"], "post_action_type_id": 2}, headers=h)
    assert like.status_code == 200 and like.json()["actions_summary"][0]["count"] == 1
    assert http.get(f"/t/{tid}.json", headers=h).json()["like_count"] == 1
    assert (
        http.delete(
            f"/post_actions/{reply['id']}.json", params={"post_action_type_id": 2}, headers=h
        ).status_code
        == 200
    )
    up = http.put(f"/t/-/{tid}.json", data={"title": "A renamed demo question"}, headers=H(srv, "moderator"))
    assert up.json()["basic_topic"]["title"] == "A renamed demo question"
    assert (
        http.put(
            f"/t/{tid}/status.json", data={"status": "closed", "enabled": "true"}, headers=H(srv, "moderator")
        ).json()["success"]
        == "OK"
    )
    assert http.get(f"/t/{tid}.json").json()["closed"] is True
    assert http.delete(f"/posts/{reply['id']}.json", headers=H(srv, "moderator")).status_code == 200
    assert http.get(f"/t/{tid}.json").json()["posts_count"] == 1
    assert http.delete(f"/posts/{post['id']}.json", headers=H(srv, "moderator")).status_code == 200
    assert http.get(f"/t/{tid}.json").status_code == 404
    check_counters(srv.db_path)


# ---------------------------------------------------------------- solved


def _question_with_replies(srv: DemoServer) -> tuple[int, list[int], str]:
    row = (
        db(srv)
        .execute(
            "SELECT t.id, u.username FROM topics t JOIN categories c ON c.id = t.category_id JOIN users "
            "u ON u.id = t.user_id "
            "WHERE c.enable_accepted_answers = 1 AND t.deleted_at IS NULL AND t.closed = 0 AND "
            "t.posts_count >= 3 "
            "AND u.admin = 0 AND u.moderator = 0 AND u.trust_level < 4 AND NOT EXISTS (SELECT 1 FROM "
            "api_keys k WHERE k.user_id = u.id) "
            "LIMIT 1"
        )
        .fetchone()
    )
    posts = [
        r
        for (r,) in db(srv).execute(
            "SELECT id FROM posts WHERE topic_id = ? AND post_type = 1 AND "
            "deleted_at IS NULL ORDER BY post_number",
            (row[0],),
        )
    ]
    return row[0], posts, row[1]


def test_solved_accept_replace_and_reaccept(srv: DemoServer, http: httpx.Client) -> None:
    tid, posts, _ = _question_with_replies(srv)
    m = H(srv, "moderator")
    r = http.post("/solution/accept.json", data={"id": posts[1]}, headers=m)
    assert r.status_code == 200 and r.json()["post_number"] == 2
    assert http.get(f"/t/{tid}.json", headers=m).json()["accepted_answer"]["post_number"] == 2
    r = http.post("/solution/accept.json", data={"id": posts[1]}, headers=m)  # again: 200, nothing changes
    assert r.status_code == 200 and r.json()["post_number"] == 2
    r = http.post("/solution/accept.json", data={"id": posts[2]}, headers=m)  # replaces
    assert r.status_code == 200
    assert one(srv, "SELECT post_id FROM solutions WHERE topic_id = ?", tid) == posts[2]
    assert http.post("/solution/accept.json", data={"id": posts[0]}, headers=m).status_code == 403  # post 1
    assert http.post("/solution/unaccept.json", data={"id": posts[2]}, headers=m).json() == {"success": "OK"}
    assert one(srv, "SELECT COUNT(*) FROM solutions WHERE topic_id = ?", tid) == 0
    srv.set_setting("solved_flavour", "plugin")
    assert http.post("/solution/accept.json", data={"id": posts[1]}, headers=m).json() == {"success": "OK"}
    assert http.post("/solution/accept.json", data={"id": posts[1]}, headers=m).json() == {"success": "OK"}
    assert http.post("/solution/accept.json", data={"id": 99999999}, headers=m).status_code == 404


def test_solved_permissions(srv: DemoServer, http: httpx.Client) -> None:
    tid, posts, _ = _question_with_replies(srv)
    member = H(srv, "member")  # not the asker, TL < 4
    if one(srv, "SELECT trust_level FROM users WHERE username = ?", srv.credentials.member.username) < 4:
        assert http.post("/solution/accept.json", data={"id": posts[1]}, headers=member).status_code == 403
    # the asker may accept while the topic is open, not once closed
    con = db(srv)
    asker = con.execute("SELECT user_id FROM topics WHERE id = ?", (tid,)).fetchone()[0]
    con.execute(
        "INSERT INTO api_keys(key, kind, user_id, scopes, created_at) VALUES ('askerkey', 'user', ?, "
        "'read,write', '2026-01-01T00:00:00.000Z')",
        (asker,),
    )
    con.commit()
    con.close()
    ah = {"User-Api-Key": "askerkey"}
    assert http.post("/solution/accept.json", data={"id": posts[1]}, headers=ah).status_code == 200
    http.put(f"/t/{tid}/status.json", data={"status": "closed", "enabled": "true"}, headers=H(srv, "admin"))
    assert http.post("/solution/accept.json", data={"id": posts[2]}, headers=ah).status_code == 403
    # a category without accepted answers refuses even staff
    other = (
        db(srv)
        .execute(
            "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id JOIN categories c ON "
            "c.id = t.category_id WHERE c.enable_accepted_answers = 0 AND p.post_number > 1 AND "
            "t.deleted_at IS NULL AND p.deleted_at IS NULL LIMIT 1"
        )
        .fetchone()[0]
    )
    assert http.post("/solution/accept.json", data={"id": other}, headers=H(srv, "admin")).status_code == 403


# ---------------------------------------------------------------- badges


def test_badge_grant_rules(srv: DemoServer, http: httpx.Client) -> None:
    m = H(srv, "moderator")
    single = (
        db(srv)
        .execute(
            "SELECT id, name FROM badges WHERE enabled = 1 AND multiple_grant = 0 AND query IS NULL LIMIT 1"
        )
        .fetchone()
    )
    multi = (
        db(srv).execute("SELECT id FROM badges WHERE enabled = 1 AND multiple_grant = 1 LIMIT 1").fetchone()
    )
    user = (
        db(srv)
        .execute(
            "SELECT username FROM users WHERE admin = 0 AND moderator = 0 AND deleted_at IS NULL AND "
            "id NOT IN (SELECT user_id FROM user_badges WHERE badge_id = ?) LIMIT 1",
            (single[0],),
        )
        .fetchone()[0]
    )
    assert http.post(
        "/user_badges.json", data={"username": user, "badge_id": single[0]}, headers=H(srv, "member")
    ).json() == {"failed": "FAILED"}
    r = http.post(
        "/user_badges.json",
        data={"username": user, "badge_id": single[0], "reason": "https://evil.example/t/1"},
        headers=m,
    )
    assert r.status_code == 400 and r.json()["failed"] == "FAILED" and r.json()["message"]
    topic = one(srv, "SELECT id FROM topics WHERE deleted_at IS NULL LIMIT 1")
    r1 = http.post(
        "/user_badges.json",
        data={"username": user, "badge_id": single[0], "reason": f"{srv.base_url}/t/some-slug/{topic}/1"},
        headers=m,
    )
    assert r1.status_code == 200, r1.text
    ub = r1.json()["user_badge"]
    assert ub["badge_id"] == single[0] and ub["topic_id"] == topic and ub["post_number"] == 1
    r2 = http.post("/user_badges.json", data={"username": user, "badge_name": single[1]}, headers=m)
    assert r2.json()["user_badge"]["id"] == ub["id"]  # already held: the existing grant
    info = http.get("/user_badges.json", params={"badge_id": single[0], "username": user}).json()[
        "user_badge_info"
    ]
    assert info["grant_count"] == 1
    if multi is not None:
        posts = [
            r
            for (r,) in db(srv).execute(
                "SELECT post_number FROM posts WHERE topic_id = ? AND deleted_at IS NULL "
                "ORDER BY post_number LIMIT 2",
                (topic,),
            )
        ]
        ids = set()
        for n in [*posts, posts[0]]:
            ids.add(
                http.post(
                    "/user_badges.json",
                    data={"username": user, "badge_id": multi[0], "reason": f"/t/{topic}/{n}"},
                    headers=m,
                ).json()["user_badge"]["id"]
            )
        assert len(ids) == len(set(posts))
    assert http.delete(f"/user_badges/{ub['id']}.json", headers=m).json() == {"success": "OK"}
    assert http.delete(f"/user_badges/{ub['id']}.json", headers=m).status_code == 404
    # disabling a badge (admin only) makes grants 404
    assert (
        http.put(f"/admin/badges/{single[0]}.json", data={"enabled": "false"}, headers=m).status_code == 404
    )
    assert (
        http.put(
            f"/admin/badges/{single[0]}.json", data={"enabled": "false"}, headers=H(srv, "admin")
        ).json()["badge"]["enabled"]
        is False
    )
    assert (
        http.post("/user_badges.json", data={"username": user, "badge_id": single[0]}, headers=m).status_code
        == 404
    )
    assert single[0] not in {b["id"] for b in http.get("/badges.json").json()["badges"]}
    xhr = {"X-Requested-With": "XMLHttpRequest"}
    # over XHR only staff see disabled badges (badges_controller_spec)
    assert single[0] not in {b["id"] for b in http.get("/badges.json", headers=xhr).json()["badges"]}
    assert single[0] in {
        b["id"] for b in http.get("/badges.json", headers={**H(srv, "admin"), **xhr}).json()["badges"]
    }


def test_badge_grantee_paging_and_csv_award(srv: DemoServer, http: httpx.Client) -> None:
    bid = one(srv, "SELECT badge_id FROM user_badges GROUP BY badge_id ORDER BY COUNT(*) DESC LIMIT 1")
    total = one(
        srv,
        "SELECT COUNT(*) FROM user_badges ub JOIN users u ON u.id = ub.user_id WHERE badge_id = ? "
        "AND u.deleted_at IS NULL",
        bid,
    )
    seen: list[str] = []
    offset = 0
    while True:
        page = http.get("/user_badges.json", params={"badge_id": bid, "offset": offset, "limit": 20}).json()
        items = page["user_badge_info"]["user_badges"]
        if not items:
            break
        seen += [i["granted_at"] for i in items]
        offset += len(items)
    assert len(seen) == total and seen == sorted(seen, reverse=True)
    badge = one(
        srv, "SELECT id FROM badges WHERE enabled = 1 AND multiple_grant = 0 AND query IS NULL LIMIT 1"
    )
    users = [r for (r,) in db(srv).execute("SELECT username FROM users WHERE deleted_at IS NULL LIMIT 3")]
    csv_body = "\n".join([*users, "nobody_here"]).encode()
    r = http.post(
        f"/admin/badges/award/{badge}.json",
        files={"file": ("u.csv", csv_body, "text/csv")},
        headers=H(srv, "admin"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["unmatched_entries"] == ["nobody_here"] and r.json()["matched_users_count"] == 3


# ---------------------------------------------------------------- groups and trust levels


def test_groups(srv: DemoServer, http: httpx.Client) -> None:
    g = db(srv).execute("SELECT id, name FROM groups WHERE automatic = 0 LIMIT 1").fetchone()
    auto = db(srv).execute("SELECT id FROM groups WHERE automatic = 1 LIMIT 1").fetchone()[0]
    member = one(
        srv,
        "SELECT u.username FROM group_users gu JOIN users u ON u.id = gu.user_id WHERE gu.group_id = ? "
        "LIMIT 1",
        g[0],
    )
    outsider = one(
        srv,
        "SELECT username FROM users WHERE deleted_at IS NULL AND id NOT IN "
        "(SELECT user_id FROM group_users WHERE group_id = ?) LIMIT 1",
        g[0],
    )
    a, m = H(srv, "admin"), H(srv, "moderator")
    r = http.put(f"/groups/{g[0]}/members.json", data={"usernames": member}, headers=a)
    assert r.status_code == 422 and r.json()["error_type"] == "member_already_exist"
    assert (
        http.put(f"/groups/{auto}/members.json", data={"usernames": outsider}, headers=a).status_code == 403
    )
    srv.set_setting("moderators_manage_groups", False)
    assert (
        http.put(f"/groups/{g[0]}/members.json", data={"usernames": outsider}, headers=m).status_code == 403
    )
    srv.set_setting("moderators_manage_groups", True)
    r = http.put(f"/groups/{g[0]}/members.json", data={"usernames": f"{outsider},{member}"}, headers=m)
    assert r.json() == {"success": "OK", "usernames": [outsider], "emails": []}
    mem = http.get(f"/groups/{g[1]}/members.json", params={"limit": 500}).json()
    assert outsider in {x["username"] for x in mem["members"]} and mem["meta"]["total"] == len(mem["members"])
    r = http.delete(f"/groups/{g[0]}/members.json", params={"usernames": outsider}, headers=m)
    assert r.json()["usernames"] == [outsider]
    assert http.get(f"/groups/{g[1]}.json").json()["group"]["user_count"] == mem["meta"]["total"] - 1
    assert (
        http.put(
            f"/groups/{g[0]}/members.json", data={"usernames": outsider}, headers=H(srv, "member")
        ).status_code
        == 403
    )


def test_group_visibility_follows_the_guardian(srv: DemoServer, http: httpx.Client) -> None:
    """Group.visibility_levels (0 public, 1 logged-on users, 2 members, 3 staff, 4 owners) for the group
    (Site#groups lists it, /groups/{name}.json: 404) and for its members (/members.json: 403)."""
    con = db(srv)
    try:
        uid = {
            str(r[0]).split(":")[1]: int(r[1])
            for r in con.execute("SELECT description, user_id FROM api_keys WHERE description LIKE 'demo:%'")
        }
        owner = con.execute(
            "SELECT id FROM users WHERE NOT admin AND NOT moderator AND deleted_at IS NULL "
            f"AND id NOT IN ({', '.join(map(str, uid.values()))}) LIMIT 1"
        ).fetchone()[0]
        for gid, name, seen, members_seen in (
            (70, "board", 4, 4),
            (71, "advisors", 1, 4),
            (72, "staffroom", 3, 3),
        ):
            con.execute(
                "INSERT INTO groups (id, name, visibility_level, members_visibility_level) "
                "VALUES (?, ?, ?, ?)",
                (gid, name, seen, members_seen),
            )
            con.execute(
                "INSERT INTO group_users (group_id, user_id, owner, created_at) VALUES (?, ?, 1, ?)",
                (gid, owner, "2026-09-01T08:00:00.000Z"),
            )
        # the member key belongs to the staff-only group without owning it: that does not let it in
        con.execute(
            "INSERT INTO group_users (group_id, user_id, owner, created_at) VALUES (72, ?, 0, ?)",
            (uid["member"], "2026-09-01T08:00:00.000Z"),
        )
        con.commit()
    finally:
        con.close()

    def seen_by(role: str | None) -> dict[str, tuple[int, int | None, bool | None]]:
        h = H(srv, role) if role else {}
        listed = {g["name"] for g in http.get("/site.json", headers=h).json()["groups"]}
        out = {}
        for name in ("board", "advisors", "staffroom"):
            show = http.get(f"/groups/{name}.json", headers=h)
            members = http.get(f"/groups/{name}/members.json", headers=h)
            can_admin = show.json()["group"]["can_admin_group"] if show.status_code == 200 else None
            out[name] = (show.status_code, members.status_code if name in listed else None, can_admin)
            assert (show.status_code == 200) == (name in listed), (role, name)
        return out

    srv.set_setting("moderators_manage_groups", True)
    assert seen_by("admin") == {n: (200, 200, True) for n in ("board", "advisors", "staffroom")}
    assert seen_by("moderator") == {
        "board": (404, None, None),
        "advisors": (200, 403, True),
        "staffroom": (200, 200, True),
    }
    assert seen_by("member") == {
        "board": (404, None, None),
        "advisors": (200, 403, False),
        "staffroom": (404, None, None),
    }
    assert seen_by(None) == {
        "board": (404, None, None),
        "advisors": (404, None, None),
        "staffroom": (404, None, None),
    }
    srv.set_setting("moderators_manage_groups", False)
    assert seen_by("moderator")["advisors"] == (200, 403, False)
    # an owner sees their group at every level
    con = db(srv)
    try:
        con.execute("UPDATE group_users SET owner = 1 WHERE group_id = 72 AND user_id = ?", (uid["member"],))
        con.commit()
    finally:
        con.close()
    assert seen_by("member")["staffroom"] == (200, 200, False)


def test_trust_level_lock(srv: DemoServer, http: httpx.Client) -> None:
    row = (
        db(srv)
        .execute(
            "SELECT id, trust_level FROM users WHERE admin = 0 AND moderator = 0 AND trust_level >= 2 "
            "AND manual_locked_trust_level IS NULL AND deleted_at IS NULL LIMIT 1"
        )
        .fetchone()
    )
    uid = row[0]
    a = H(srv, "moderator")
    r = http.put(f"/admin/users/{uid}/trust_level.json", data={"level": 0}, headers=a)
    assert r.status_code == 200, r.text
    assert r.json()["admin_user"]["trust_level"] == 0
    assert (
        one(srv, "SELECT manual_locked_trust_level FROM users WHERE id = ?", uid) == 0
    )  # qualifies above 0 → locked
    assert http.put(f"/admin/users/{uid}/trust_level.json", data={"level": 7}, headers=a).status_code == 422
    assert (
        http.put(
            f"/admin/users/{uid}/trust_level.json", data={"level": 1}, headers=H(srv, "member")
        ).status_code
        == 404
    )


def test_directory_and_users(srv: DemoServer, http: httpx.Client) -> None:
    h = H(srv, "member")
    d = http.get("/directory_items.json", params={"period": "all", "order": "post_count"}, headers=h).json()
    items = d["directory_items"]
    me = one(srv, "SELECT id FROM users WHERE username = ?", srv.credentials.member.username)
    rest = items[1:] if items[0]["id"] == me and me not in [i["id"] for i in items[1:11]] else items
    assert [i["post_count"] for i in rest] == sorted((i["post_count"] for i in rest), reverse=True)
    assert len(rest) <= 50 and d["meta"]["total_rows_directory_items"] >= len(rest)
    u = http.get(f"/u/{srv.credentials.member.username}.json", headers=h).json()["user"]
    assert "email" not in u and u["post_count"] >= 0
    s = http.get(f"/u/{srv.credentials.member.username}/summary.json").json()["user_summary"]
    assert "solved_count" in s
    pages = http.get("/admin/users/list/new.json?page=1&show_emails=true", headers=H(srv, "admin")).json()
    assert (
        len(pages) == min(100, one(srv, "SELECT COUNT(*) FROM users WHERE deleted_at IS NULL"))
        and "email" in pages[0]
    )


def test_reports(srv: DemoServer, http: httpx.Client) -> None:
    h = H(srv, "moderator")
    for rtype in (
        "signups",
        "topics",
        "posts",
        "likes",
        "visits",
        "dau_by_mau",
        "daily_engaged_users",
        "time_to_first_response",
        "topics_with_no_response",
        "accepted_solutions",
    ):
        r = http.get(
            f"/admin/reports/{rtype}.json",
            params={"start_date": "2026-09-01", "end_date": "2026-09-30"},
            headers=h,
        )
        assert r.status_code == 200, rtype
        rep = r.json()["report"]
        assert rep["type"] == rtype and isinstance(rep["prev_data"], list)
        assert all(set(p) == {"x", "y"} for p in rep["data"])
    posts = http.get(
        "/admin/reports/posts.json", params={"start_date": "2026-09-01", "end_date": "2026-09-30"}, headers=h
    ).json()["report"]
    assert sum(p["y"] for p in posts["data"]) == one(
        srv,
        "SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id JOIN categories c ON c.id = "
        "t.category_id "
        "WHERE p.created_at >= '2026-09-01' AND p.created_at < '2026-10-01' AND p.deleted_at IS NULL AND "
        "p.post_type = 1 AND t.deleted_at IS NULL AND c.read_restricted = 0",
    )


# ---------------------------------------------------------------- persistence and the user-API-key flow


def test_persistence_across_restart_and_two_clients(demo_db: Path) -> None:
    s1 = DemoServer(demo_db)
    s1.start()
    try:
        with (
            httpx.Client(base_url=s1.base_url, timeout=WAIT_S) as a,
            httpx.Client(base_url=s1.base_url, timeout=WAIT_S) as b,
        ):
            tid = a.post(
                "/posts.json",
                data={"title": "Persistence check topic", "raw": "Does it stay?"},
                headers=s1.credentials.member.headers(),
            ).json()["topic_id"]
            assert b.get(f"/t/{tid}.json").json()["title"] == "Persistence check topic"
    finally:
        s1.stop()
    with DemoServer(demo_db) as s2, httpx.Client(base_url=s2.base_url, timeout=WAIT_S) as c:
        assert c.get(f"/t/{tid}.json").json()["title"] == "Persistence check topic"


def test_user_api_key_flow(srv: DemoServer, http: httpx.Client) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    head = http.head("/user-api-key/new")
    assert head.status_code == 200 and head.headers["Auth-Api-Version"] == "4"
    priv = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = (
        priv.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    params = {
        "application_name": "modconsole",
        "client_id": "test-client",
        "scopes": "read,write",
        "public_key": pem,
        "nonce": "n0nce42",
        "auth_redirect": "modconsole://auth",
    }
    page = http.get("/user-api-key/new", params=params)
    assert page.status_code == 200 and "<form" in page.text and "modconsole" in page.text
    form = {**params, "username": srv.credentials.member.username, "password": "demo"}
    assert http.post("/user-api-key", data={**form, "password": "wrong"}).status_code == 403
    r = http.post("/user-api-key", data=form)
    assert r.status_code == 302
    loc = r.headers["Location"]
    assert loc.startswith("modconsole://auth?payload=")
    payload = parse_qs(urlsplit(loc).query)["payload"][0]
    data = json.loads(priv.decrypt(base64.b64decode(payload), padding.PKCS1v15()))
    assert data["nonce"] == "n0nce42" and data["api"] == 4 and data["push"] is False
    key = data["key"]
    me = http.get("/latest.json", headers={"User-Api-Key": key})
    assert me.status_code == 200
    assert srv.requests[-1].username == srv.credentials.member.username
    # one active key per user+client_id
    r2 = http.post("/user-api-key", data=form)
    key2 = json.loads(
        priv.decrypt(
            base64.b64decode(parse_qs(urlsplit(r2.headers["Location"]).query)["payload"][0]),
            padding.PKCS1v15(),
        )
    )["key"]
    assert http.get("/latest.json", headers={"User-Api-Key": key}).status_code == 403
    assert http.post("/user-api-key/revoke", headers={"User-Api-Key": key2}).json() == {"success": "OK"}
    assert http.get("/latest.json", headers={"User-Api-Key": key2}).status_code == 403
    # read-only scope cannot write
    r3 = http.post("/user-api-key", data={**form, "scopes": "read", "client_id": "ro", "auth_redirect": ""})
    assert r3.status_code == 200 and "payload" in r3.text


def test_answers_compressed_when_the_client_asks(srv: DemoServer) -> None:
    """Like Discourse behind nginx: gzip for a client that accepts it, plain for one that does not."""
    raw_headers = {**H(srv, "admin"), "Accept-Encoding": "identity"}
    with httpx.Client(base_url=srv.base_url, timeout=WAIT_S) as c:
        plain = c.get("/latest.json", headers=raw_headers)
        zipped = c.get("/latest.json", headers={**H(srv, "admin"), "Accept-Encoding": "gzip, deflate"})
        refused = c.get("/latest.json", headers={**H(srv, "admin"), "Accept-Encoding": "gzip;q=0"})
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert "Content-Encoding" not in refused.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.json() == plain.json()  # httpx undoes the encoding
    assert zipped.num_bytes_downloaded * 3 < plain.num_bytes_downloaded
    small = httpx.get(srv.base_url + "/_demo/ping", headers={"Accept-Encoding": "gzip"}, timeout=WAIT_S)
    assert "Content-Encoding" not in small.headers  # short bodies go out as they are
