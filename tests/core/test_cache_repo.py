"""Upserts, derived queue fields, KPI rollups, FTS and cursors on a real cache file."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from modconsole.cache import repo
from modconsole.cache.db import Cache


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.sqlite3")
    yield c
    c.close()


def ts(day: int, hour: int = 0, month: int = 3) -> str:
    return f"2026-{month:02d}-{day:02d}T{hour:02d}:00:00.000Z"


def post(pid: int, topic: int, number: int, user: int | None, at: str, **kw: object) -> dict[str, object]:
    return {
        "id": pid,
        "topic_id": topic,
        "post_number": number,
        "user_id": user,
        "username": f"u{user}",
        "created_at": at,
        "post_type": 1,
        "cooked": f"<p>post {pid}</p>",
        **kw,
    }


def topic_row(conn: Connection, tid: int) -> dict[str, object]:
    row = conn.execute(text("SELECT * FROM topics WHERE id = :i"), {"i": tid}).mappings().one()
    return dict(row)


# ---------------------------------------------------------------- upserts


def test_upsert_is_idempotent_and_reports_changed_ids_only(cache: Cache) -> None:
    topics = [{"id": i, "title": f"T{i}", "posts_count": 1, "tags": ["a", {"name": "b"}]} for i in (1, 2, 3)]
    with cache.write() as conn:
        assert repo.upsert_topics(conn, topics) == {1, 2, 3}
    with cache.write() as conn:
        assert repo.upsert_topics(conn, topics) == set()
        topics[1] = {**topics[1], "posts_count": 2}
        assert repo.upsert_topics(conn, topics) == {2}
        assert repo.upsert_topics(conn, topics) == set()
    with cache.read() as conn:
        row = topic_row(conn, 1)
        assert json.loads(str(row["tags"])) == ["a", "b"]
        assert topic_row(conn, 2)["posts_count"] == 2


def test_changed_ids_are_exact_for_mixed_and_duplicate_pages(cache: Cache) -> None:
    with cache.write() as conn:
        repo.upsert_topics(conn, [{"id": i, "title": f"T{i}"} for i in range(1, 6)])
        # new + changed + unchanged in one page, with one id twice (last one wins)
        page = [
            {"id": 1, "title": "T1"},
            {"id": 2, "title": "changed"},
            {"id": 6, "title": "new"},
            {"id": 3, "title": "T3"},
            {"id": 3, "title": "T3 again"},
        ]
        assert repo.upsert_topics(conn, page) == {2, 3, 6}
        assert topic_row(conn, 3)["title"] == "T3 again"
        # a page whose rows carry different key sets is split, still one answer
        assert repo.upsert_topics(conn, [{"id": 4, "views": 9}, {"id": 5, "title": "T5"}]) == {4}
        assert repo.upsert_topics(conn, [{"id": 7, "title": "x"}, {"id": 7, "title": "x"}]) == {7}


def test_absent_keys_leave_columns_untouched_and_none_clears(cache: Cache) -> None:
    with cache.write() as conn:
        repo.upsert_topics(conn, [{"id": 7, "title": "Full", "user_id": 42, "accepted_post_id": 70}])
        # A list item without user_id/accepted_post_id must not erase them.
        assert repo.upsert_topics(conn, [{"id": 7, "title": "Renamed"}]) == {7}
        row = topic_row(conn, 7)
        assert (row["title"], row["user_id"], row["accepted_post_id"]) == ("Renamed", 42, 70)
        assert repo.upsert_topics(conn, [{"id": 7, "accepted_post_id": None}]) == {7}
        assert topic_row(conn, 7)["accepted_post_id"] is None


def test_dataclass_rows_and_unknown_keys(cache: Cache) -> None:
    @dataclass(frozen=True)
    class UserRecord:
        id: int
        username: str
        trust_level: int
        user_fields: dict[str, str]
        avatar_template: str  # not a cache column: ignored

    rec = UserRecord(5, "bea", 2, {"1": "Acme"}, "/a/{size}.png")
    with cache.write() as conn:
        assert repo.upsert_users(conn, [rec]) == {5}
        assert repo.upsert_users(conn, [rec]) == set()
        assert repo.upsert_users(conn, [{"id": 5, "username": "BEA", "trust_level": 3}]) == {5}
        row = conn.execute(text("SELECT username, trust_level, user_fields FROM users WHERE id = 5")).one()
    assert tuple(row) == ("BEA", 3, '{"1":"Acme"}')


def test_every_mirror_upsert_reports_changes(cache: Cache) -> None:
    category = {"id": 1, "name": "Support", "custom_fields": {"enable_accepted_answers": "true"}}
    point = {"report_type": "signups", "x": "2026-03-01", "y": 4}
    cases = [
        (repo.upsert_categories, category, 1),
        (repo.upsert_badges, {"id": 2, "name": "Helper", "multiple_grant": False}, 2),
        (repo.upsert_user_badges, {"id": 3, "user_id": 5, "badge_id": 2, "granted_at": ts(1)}, 3),
        (repo.upsert_groups, {"id": 4, "name": "champions", "user_count": 3}, 4),
        (repo.upsert_group_members, {"group_id": 4, "user_id": 5, "owner": False}, (4, 5)),
        (repo.upsert_solutions, {"post_id": 6, "topic_id": 1, "post_number": 2}, 6),
        (repo.upsert_report_points, point, ("signups", "", "2026-03-01")),
    ]  # fmt: skip
    with cache.write() as conn:
        for fn, row, key in cases:
            assert fn(conn, [row]) == {key}, fn.__name__  # type: ignore[operator]
            assert fn(conn, [row]) == set(), fn.__name__  # type: ignore[operator]
        assert conn.execute(text("SELECT accepts_answers FROM categories WHERE id = 1")).scalar() == 1
        assert repo.upsert_report_points(
            conn, [{"report_type": "signups", "date": "2026-03-01", "value": 5}]
        ) == {("signups", "", "2026-03-01")}
        counts = repo.table_counts(conn)
    assert counts["categories"] == counts["badges"] == counts["group_members"] == counts["report_points"] == 1


def test_post_plain_text_comes_from_cooked_and_like_count_from_actions(cache: Cache) -> None:
    p = post(1, 1, 1, 9, ts(1), cooked="<p>Hello <b>moderators</b></p><script>x()</script>")
    p["actions_summary"] = [{"id": 2, "count": 3}, {"id": 8, "count": 1}]
    with cache.write() as conn:
        assert repo.upsert_posts(conn, [p]) == {1}
        assert repo.upsert_posts(conn, [p]) == set()
        row = conn.execute(text("SELECT plain, like_count FROM posts WHERE id = 1")).one()
        assert tuple(row) == ("Hello moderators", 3)
        assert repo.upsert_posts(conn, [{**p, "cooked": "<p>Edited</p>"}]) == {1}
        assert conn.execute(text("SELECT plain FROM posts WHERE id = 1")).scalar() == "Edited"


def test_gone_rows_that_reappear_count_as_changed(cache: Cache) -> None:
    with cache.write() as conn:
        repo.upsert_topics(conn, [{"id": 1, "title": "a"}, {"id": 2, "title": "b"}])
        repo.mark_seen(conn, "topics", [1], "pass-1")
        assert repo.mark_unseen_gone(conn, "topics", "pass-1", ts(2)) == {2}
        assert repo.mark_unseen_gone(conn, "topics", "pass-1", ts(3)) == set()
        assert topic_row(conn, 2)["gone_since"] == ts(2)
        assert repo.upsert_topics(conn, [{"id": 2, "title": "b"}]) == {2}
        assert topic_row(conn, 2)["gone_since"] is None
    with pytest.raises(ValueError), cache.write() as conn:
        repo.mark_seen(conn, "outbox", [1], "p")


def test_row_without_primary_key_is_refused(cache: Cache) -> None:
    with pytest.raises(ValueError, match="without"), cache.write() as conn:
        repo.upsert_posts(conn, [{"topic_id": 1, "post_number": 1}])
    with pytest.raises(ValueError, match="post_number"), cache.write() as conn:
        repo.upsert_posts(conn, [{"id": 1, "topic_id": 1}])


# ---------------------------------------------------------------- derived queue fields


def _thread_fixture(conn: Connection) -> None:
    asker, helper, other = 10, 20, 30
    repo.upsert_topics(
        conn,
        [
            {"id": 1, "title": "no reply", "user_id": asker, "created_at": ts(1)},
            {"id": 2, "title": "only asker", "user_id": asker, "created_at": ts(2)},
            {"id": 3, "title": "replied unsolved", "user_id": asker, "created_at": ts(3)},
            {"id": 4, "title": "solved", "user_id": asker, "created_at": ts(4), "has_accepted_answer": True,
             "accepted_post_id": 42},
            {"id": 5, "title": "noise only", "user_id": None, "created_at": ts(5)},
        ],
    )  # fmt: skip
    repo.upsert_posts(
        conn,
        [
            post(11, 1, 1, asker, ts(1)),
            post(21, 2, 1, asker, ts(2)),
            post(22, 2, 2, asker, ts(2, 5)),
            post(31, 3, 1, asker, ts(3)),
            post(32, 3, 2, helper, ts(3, 2)),
            post(33, 3, 3, other, ts(3, 4)),
            post(34, 3, 4, asker, ts(3, 6)),
            post(41, 4, 1, asker, ts(4)),
            post(42, 4, 2, helper, ts(4, 3), accepted_answer=True),
            # topic 5: asker only known from post 1; every other post must be ignored
            post(51, 5, 1, asker, ts(5)),
            post(52, 5, 2, other, ts(5, 1), post_type=3, action_code="closed.enabled"),
            post(53, 5, 3, helper, ts(5, 2), deleted_at=ts(5, 3)),
            post(54, 5, 4, helper, ts(5, 3), post_type=4),
            post(55, 5, 5, other, ts(5, 4), gone_since=ts(6)),  # ignored key: tracking is not upserted
            post(56, 5, 6, other, ts(5, 5), post_type=2),
        ],
    )
    conn.execute(
        text("UPDATE posts SET gone_since = :g WHERE id = 55"), {"g": ts(6)}
    )  # vanished from the stream


def test_derived_queue_fields_for_crafted_threads(cache: Cache) -> None:
    with cache.write() as conn:
        _thread_fixture(conn)
        repo.refresh_derived(conn, [1, 2, 3, 4, 5])
    fields = ("first_response_at", "first_responder_id", "asker_replies", "others_replies", "last_reply_at",
              "last_reply_by_asker", "solved_at")  # fmt: skip
    with cache.read() as conn:
        got = {tid: tuple(topic_row(conn, tid)[f] for f in fields) for tid in (1, 2, 3, 4, 5)}
    assert got[1] == (None, None, 0, 0, None, None, None)
    assert got[2] == (None, None, 1, 0, ts(2, 5), 1, None)
    assert got[3] == (ts(3, 2), 20, 1, 2, ts(3, 6), 1, None)
    assert got[4] == (ts(4, 3), 20, 0, 1, ts(4, 3), 0, ts(4, 3))
    assert got[5] == (None, None, 0, 0, None, None, None)


def test_derived_fields_follow_new_replies_deletions_and_solutions(cache: Cache) -> None:
    with cache.write() as conn:
        _thread_fixture(conn)
        repo.refresh_derived(conn, [1, 4])
        repo.upsert_posts(conn, [post(12, 1, 2, 77, ts(1, 9))])
        repo.refresh_derived(conn, [1])
        assert topic_row(conn, 1)["first_response_at"] == ts(1, 9)
        repo.upsert_posts(conn, [post(12, 1, 2, 77, ts(1, 9), deleted_at=ts(2))])
        repo.refresh_derived(conn, [1])
        assert topic_row(conn, 1)["first_response_at"] is None
        # A known acceptance time wins over the answer's creation time.
        repo.upsert_solutions(conn, [{"post_id": 42, "topic_id": 4, "accepted_at": ts(9)}])
        repo.refresh_derived(conn, [4])
        assert topic_row(conn, 4)["solved_at"] == ts(9)
        repo.upsert_topics(conn, [{"id": 4, "has_accepted_answer": False, "accepted_post_id": None}])
        repo.refresh_derived(conn, [4])
        assert topic_row(conn, 4)["solved_at"] is None


def test_unanswered_queue_uses_the_partial_index(cache: Cache) -> None:
    with cache.write() as conn:
        _thread_fixture(conn)
        repo.refresh_derived(conn, [1, 2, 3, 4, 5])
    sql = (
        "SELECT id FROM topics WHERE first_response_at IS NULL AND deleted_at IS NULL AND gone_since IS NULL "
        "AND (created_at, id) > (:after, :after_id) ORDER BY created_at, id LIMIT 2"
    )
    with cache.read() as conn:
        start = {"after": "", "after_id": 0}
        plan = " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql), start))
        page1 = [r[0] for r in conn.execute(text(sql), start)]
        last = {"after": topic_row(conn, page1[-1])["created_at"], "after_id": page1[-1]}
        page2 = [r[0] for r in conn.execute(text(sql), last)]
    assert "ix_topics_queue_unanswered" in plan
    assert page1 + page2 == [1, 2, 5]


# ---------------------------------------------------------------- KPI rollups


def _truth(conn: Connection) -> tuple[Counter[tuple[int, str]], Counter[str]]:
    """Rollups computed straight from posts, the slow way."""
    um: Counter[tuple[int, str]] = Counter()
    days: Counter[str] = Counter()
    rows = conn.execute(
        text(
            "SELECT p.user_id, p.created_at FROM posts p LEFT JOIN topics t ON t.id = p.topic_id "
            "WHERE p.post_type = 1 AND p.deleted_at IS NULL AND p.gone_since IS NULL "
            "AND t.deleted_at IS NULL AND t.gone_since IS NULL"
        )
    )
    for user_id, created_at in rows:
        days[created_at[:10]] += 1
        if user_id is not None:
            um[(user_id, created_at[:7])] += 1
    return um, days


def _rollups(conn: Connection) -> tuple[Counter[tuple[int, str]], Counter[str]]:
    um = Counter(
        {(u, m): n for u, m, n in conn.execute(text("SELECT user_id, month, posts FROM user_month"))}
    )
    days = Counter({d: n for d, n in conn.execute(text("SELECT day, posts FROM daily_posts"))})
    return um, days


def test_rollups_match_a_full_recount_after_incremental_changes(cache: Cache) -> None:
    rnd = random.Random(4)
    posts, pid = [], 0
    topics = []
    for tid in range(1, 41):
        topics.append({"id": tid, "title": f"t{tid}", "user_id": rnd.randint(1, 8), "created_at": ts(1)})
        for n in range(1, rnd.randint(2, 9)):
            pid += 1
            at = ts(rnd.randint(1, 28), rnd.randint(0, 23), month=rnd.randint(1, 4))
            posts.append(post(pid, tid, n, rnd.choice([1, 2, 3, 4, 5, 6, 7, 8, None]), at,
                              post_type=rnd.choice([1, 1, 1, 1, 3, 4])))  # fmt: skip
    with cache.write() as conn:
        repo.upsert_topics(conn, topics)
        repo.upsert_posts(conn, posts)
        repo.refresh_derived(conn, range(1, 41))
        assert _rollups(conn) == _truth(conn)
        # Incremental: delete some posts, a whole topic, add posts; refresh only the touched topics.
        victims = rnd.sample(posts, 15)
        repo.upsert_posts(conn, [{**p, "deleted_at": ts(28)} for p in victims])
        repo.upsert_topics(conn, [{"id": 3, "deleted_at": ts(28)}])
        repo.upsert_posts(
            conn, [post(9001, 5, 50, 2, ts(15, month=2)), post(9002, 99, 1, 3, ts(16, month=2))]
        )
        touched = {int(str(p["topic_id"])) for p in victims} | {3, 5, 99}
        repo.refresh_derived(conn, touched)
        um, days = _rollups(conn)
        assert (um, days) == _truth(conn)
        assert um[(3, "2026-02")] >= 1  # the post whose topic is not cached counts
        # topics/replies split of user_month agrees with post numbers
        split = conn.execute(text("SELECT sum(topics), sum(replies), sum(posts) FROM user_month")).one()
        assert split[0] + split[1] == split[2]
        repo.rebuild_derived(conn)
        assert _rollups(conn) == (um, days)


# ---------------------------------------------------------------- full-text search


def test_fts_finds_posts_by_words_from_cooked_html(cache: Cache) -> None:
    with cache.write() as conn:
        repo.upsert_topics(conn, [{"id": 1, "title": "Frobnicator keeps crashing on startup"}])
        changed = repo.upsert_posts(
            conn,
            [
                post(
                    1,
                    1,
                    1,
                    5,
                    ts(1),
                    cooked="<p>The <strong>frobnicator</strong> fails: <code>ERR_42</code></p>",
                ),
                post(2, 1, 2, 6, ts(2), cooked="<p>Have you tried turning it off and on?</p>"),
                post(3, 1, 3, 7, ts(3), cooked="<p>closed</p>", post_type=3),
            ],
        )
        repo.refresh_fts(conn, post_ids=changed, topic_ids=[1])
    with cache.read() as conn:
        assert repo.search_posts(conn, "frobnicator") == [1]
        assert repo.search_posts(conn, "err_42") == [1]
        assert repo.search_posts(conn, "turning off") == [2]
        assert repo.search_posts(conn, "strong") == []  # markup is not text
        assert repo.search_posts(conn, "closed") == []  # small actions are not indexed
        assert repo.search_posts(conn, 'NEAR( "x" OR') == []  # user input is never FTS syntax
        assert repo.search_topics(conn, "crashing startup") == [1]
    with cache.write() as conn:
        gone = {"id": 1, "topic_id": 1, "post_number": 1, "deleted_at": ts(4)}
        edited = {"id": 2, "topic_id": 1, "post_number": 2, "cooked": "<p>Reboot fixed it</p>"}
        assert repo.upsert_posts(conn, [gone, edited]) == {1, 2}
        repo.refresh_fts(conn, post_ids=[1, 2])
        repo.refresh_fts(conn, post_ids=[1, 2])  # idempotent
    with cache.read() as conn:
        assert repo.search_posts(conn, "frobnicator") == []
        assert repo.search_posts(conn, "turning") == []
        assert repo.search_posts(conn, "reboot") == [2]
        assert conn.execute(text("SELECT count(*) FROM posts_fts")).scalar() == 1
    with cache.write() as conn:
        repo.rebuild_fts(conn)
        assert repo.search_posts(conn, "reboot") == [2]


# ---------------------------------------------------------------- cursors and counts


def test_cursor_round_trip_and_schema_version(cache: Cache) -> None:
    state = repo.CursorState(resource="topics:activity", schema_version=1, hw_value=ts(1), pass_id="p1",
                             pass_page_token="page=2")  # fmt: skip
    with cache.write() as conn:
        assert repo.get_cursor(conn, "topics:activity") is None
        repo.put_cursor(conn, state)
        repo.put_cursor(conn, state.__class__(**{**state.__dict__, "pass_page_token": "page=3"}))
    with cache.read() as conn:
        got = repo.get_cursor(conn, "topics:activity", schema_version=1)
        assert got is not None and got.pass_page_token == "page=3" and got.hw_value == ts(1)
        assert repo.get_cursor(conn, "topics:activity", schema_version=2) is None
        assert repo.table_counts(conn)["sync_cursors"] == 1


def test_composite_keys_report_exact_changes(cache: Cache) -> None:
    members = [{"group_id": 1, "user_id": u, "owner": False} for u in (1, 2, 3)]
    points = [{"report_type": "posts", "date": f"2026-03-0{d}", "value": d} for d in (1, 2, 3)]
    with cache.write() as conn:
        assert repo.upsert_group_members(conn, members) == {(1, 1), (1, 2), (1, 3)}
        assert repo.upsert_report_points(conn, points) == {("posts", "", f"2026-03-0{d}") for d in (1, 2, 3)}
        members[1] = {**members[1], "owner": True}
        members.append({"group_id": 2, "user_id": 1, "owner": False})
        assert repo.upsert_group_members(conn, members) == {(1, 2), (2, 1)}
        points[2] = {**points[2], "value": 30}
        assert repo.upsert_report_points(conn, points) == {("posts", "", "2026-03-03")}


def test_orm_sessions_read_and_write_the_local_tables(cache: Cache) -> None:
    from sqlalchemy import select

    from modconsole.cache.schema import Outbox, Setting

    with cache.write_session() as session:
        session.add(Setting(key="sla_hours", value_json="24", updated_at=ts(1)))
        session.add(
            Outbox(op_uuid="op-1", kind="accept_answer", target_key="topic:4", payload_json='{"post_id": 42}',
                   state="pending", created_by="mod_anna", created_at=ts(1), updated_at=ts(1))
        )  # fmt: skip
    with cache.sessions() as session:
        assert session.scalars(select(Setting.value_json)).one() == "24"
        row = session.scalars(select(Outbox)).one()
        assert (row.kind, row.state, row.attempts) == ("accept_answer", "pending", 0)
