"""The synthetic community: determinism, the store's invariants, and ground truth vs an SQL recount."""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from modconsole.demo import store
from modconsole.demo.generator import DEFAULT_NOW, SIZES, generate, read_ground_truth

TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def _digest(path: Path) -> str:
    con = sqlite3.connect(path)
    h = hashlib.sha256()
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for t in tables:
        h.update(t.encode())
        for row in sorted(repr(r) for r in con.execute(f"SELECT * FROM {t}")):
            h.update(row.encode())
    con.close()
    return h.hexdigest()


@pytest.fixture
def con(tiny_community_master: Path) -> sqlite3.Connection:
    c = sqlite3.connect(f"file:{tiny_community_master.as_posix()}?mode=ro", uri=True)
    c.row_factory = sqlite3.Row
    return c


def test_same_seed_same_content_other_seed_differs(tmp_path: Path) -> None:
    a = generate(tmp_path / "a.sqlite3", size="tiny", seed=3)
    b = generate(tmp_path / "b.sqlite3", size="tiny", seed=3)
    c = generate(tmp_path / "c.sqlite3", size="tiny", seed=4)
    assert a.counts == b.counts
    assert _digest(a.path) == _digest(b.path)
    assert _digest(a.path) != _digest(c.path)
    assert a.now == DEFAULT_NOW and a.size == "tiny" and a.seed == 3


def test_refuses_to_overwrite_and_unknown_size(tmp_path: Path) -> None:
    p = tmp_path / "x.sqlite3"
    p.write_bytes(b"keep me")
    with pytest.raises(FileExistsError):
        generate(p)
    assert p.read_bytes() == b"keep me"
    with pytest.raises(ValueError):
        generate(tmp_path / "y.sqlite3", size="huge")
    assert not (tmp_path / "y.sqlite3").exists()
    assert SIZES == ("tiny", "small", "large")


def test_file_is_wal_and_has_meta(con: sqlite3.Connection) -> None:
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    meta = {r["key"]: json.loads(r["value"]) for r in con.execute("SELECT key, value FROM meta")}
    assert meta["seed"] == 7 and meta["size"] == "tiny"
    assert meta["now"] == "2026-11-01T12:00:00.000Z"
    assert meta["site_settings"]["solved_enabled"] is True
    assert meta["site_settings"]["moderators_manage_groups"] is True
    assert int(meta["schema_version"]) == store.SCHEMA_VERSION
    # secondary indexes exist after the bulk load
    idx = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"posts_user", "posts_created", "topics_bumped", "likes_created", "user_visits_day"} <= idx


def test_tiny_has_the_promised_shape(con: sqlite3.Connection) -> None:
    def one(sql: str) -> int:
        return int(con.execute(sql).fetchone()[0])

    assert one("SELECT COUNT(*) FROM companies WHERE kind = 'customer'") == 6
    assert one("SELECT COUNT(*) FROM companies WHERE kind = 'vendor'") == 1
    assert 45 <= one("SELECT COUNT(*) FROM users") <= 80
    assert 110 <= one("SELECT COUNT(*) FROM topics") <= 200
    assert 450 <= one("SELECT COUNT(*) FROM posts") <= 1000
    assert one("SELECT COUNT(*) FROM users WHERE email LIKE '%@mail.example' AND company_id IS NULL") >= 1
    assert one("SELECT COUNT(*) FROM users WHERE is_employee = 1 AND admin = 0 AND moderator = 0") >= 2
    assert one("SELECT COUNT(*) FROM users WHERE user_field_company IS NOT NULL") > 0
    assert one("SELECT COUNT(*) FROM users WHERE user_field_company IS NULL") > 0
    kinds = {r[0] for r in con.execute("SELECT kind FROM categories")}
    assert kinds == {"qa", "discussion", "ideas", "announcements", "staff"}
    assert one("SELECT COUNT(*) FROM categories WHERE kind = 'qa' AND enable_accepted_answers = 1") >= 2
    assert one("SELECT read_restricted FROM categories WHERE kind = 'staff'") == 1
    assert one("SELECT COUNT(*) FROM topics WHERE pinned = 1") == 2
    assert one("SELECT COUNT(*) FROM topics WHERE deleted_at IS NOT NULL") == 1
    assert one("SELECT COUNT(*) FROM posts WHERE hidden = 1") == 1
    assert one("SELECT COUNT(*) FROM posts WHERE version > 1") > 0
    assert one("SELECT COUNT(*) FROM users WHERE suspended_till > '2026-11-01'") == 1
    assert one("SELECT COUNT(*) FROM topics WHERE tags <> '[]'") > 0
    assert one("SELECT COUNT(*) FROM posts WHERE cooked LIKE '%<img src=\"https://%'") >= 1
    assert one("SELECT COUNT(*) FROM posts WHERE cooked LIKE '%onerror=%'") >= 1
    assert one("SELECT COUNT(*) FROM posts WHERE cooked LIKE '%<script>%'") >= 1
    assert one("SELECT COUNT(*) FROM posts WHERE cooked LIKE '%href=\"javascript:%'") >= 1
    assert one("SELECT COUNT(*) FROM posts WHERE cooked LIKE '%<pre><code%'") >= 1
    # the four question outcomes all occur
    gt = read_ground_truth(con)
    t = gt["totals"]
    assert t["unanswered_questions"] > 0 and t["only_asker_replied"] > 0
    assert 0 < t["solved"] < t["questions_answered"] < t["questions"]


def test_timestamps_in_store_format(con: sqlite3.Connection) -> None:
    cols = {
        "users": ["created_at", "last_seen_at", "last_posted_at", "suspended_till"],
        "topics": ["created_at", "bumped_at", "last_posted_at", "deleted_at"],
        "posts": ["created_at", "updated_at", "deleted_at"],
        "likes": ["created_at"],
        "solutions": ["accepted_at"],
        "user_badges": ["granted_at"],
        "companies": ["created_at"],
        "group_users": ["created_at"],
        "api_keys": ["created_at"],
    }
    for table, names in cols.items():
        for name in names:
            for (v,) in con.execute(f"SELECT {name} FROM {table} WHERE {name} IS NOT NULL"):
                assert TS.match(v), (table, name, v)
    now = "2026-11-01T12:00:00.000Z"
    for table, names in cols.items():
        for name in names:
            if name != "suspended_till":
                assert (
                    con.execute(f"SELECT COUNT(*) FROM {table} WHERE {name} > ?", (now,)).fetchone()[0] == 0
                )
    for (v,) in con.execute("SELECT visited_at FROM user_visits"):
        assert re.match(r"^\d{4}-\d\d-\d\d$", v)


def test_denormalised_counters_match_posts_and_likes(con: sqlite3.Connection) -> None:
    posts = con.execute("SELECT * FROM posts").fetchall()
    likes = Counter(r[0] for r in con.execute("SELECT post_id FROM likes"))
    by_topic: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for p in posts:
        by_topic[p["topic_id"]].append(p)
        assert p["like_count"] == likes.get(p["id"], 0)
        assert p["updated_at"] >= p["created_at"]
        assert (p["version"] > 1) == (p["updated_at"] > p["created_at"])
        if p["post_type"] == 3:
            assert p["action_code"] == "closed.enabled"
    checked = 0
    for t in con.execute("SELECT * FROM topics WHERE deleted_at IS NULL"):
        ps = sorted(by_topic[t["id"]], key=lambda p: p["post_number"])
        assert [p["post_number"] for p in ps] == list(range(1, len(ps) + 1))
        assert ps[0]["user_id"] == t["user_id"] and ps[0]["created_at"] == t["created_at"]
        live = [p for p in ps if p["deleted_at"] is None]
        regular = [p for p in live if p["post_type"] in (1, 4)]
        assert t["posts_count"] == len(regular)
        assert t["reply_count"] == len([p for p in regular if p["post_number"] > 1])
        assert t["highest_post_number"] == max(p["post_number"] for p in live if p["post_type"] != 4)
        assert t["like_count"] == sum(p["like_count"] for p in live)
        last = max((p for p in live if p["post_type"] == 1), key=lambda p: p["created_at"])
        assert t["last_posted_at"] == last["created_at"] == t["bumped_at"]
        for p in ps:
            direct = [
                q for q in live if q["reply_to_post_number"] == p["post_number"] and q["post_type"] == 1
            ]
            assert p["reply_count"] == len(direct)
        if any(p["post_type"] == 3 for p in ps):
            assert t["closed"] == 1
        checked += 1
    assert checked > 100
    # post ids follow creation time (as in Discourse: /posts.json pages by id)
    ordered = [r[0] for r in con.execute("SELECT created_at FROM posts ORDER BY id")]
    assert ordered == sorted(ordered)


def test_likes_and_solutions_are_consistent(con: sqlite3.Connection) -> None:
    assert (
        con.execute(
            "SELECT COUNT(*) FROM likes l JOIN posts p ON p.id = l.post_id WHERE l.user_id = p.user_id"
        ).fetchone()[0]
        == 0
    )
    assert (
        con.execute(
            "SELECT COUNT(*) FROM likes l JOIN posts p ON p.id = l.post_id WHERE l.created_at < p.created_at "
            "OR p.deleted_at IS NOT NULL OR p.post_type <> 1"
        ).fetchone()[0]
        == 0
    )
    assert (
        con.execute(
            "SELECT COUNT(*) FROM likes l JOIN users u ON u.id = l.user_id JOIN posts p ON p.id = l.post_id "
            "WHERE l.created_at < u.created_at"
        ).fetchone()[0]
        == 0
    )
    rows = con.execute(
        "SELECT s.*, p.post_number, p.deleted_at, p.post_type, p.user_id AS answerer, "
        "p.created_at AS answered_at, "
        "p.topic_id AS post_topic, t.user_id AS asker, t.is_question, c.enable_accepted_answers "
        "FROM solutions s JOIN posts p ON p.id = s.post_id JOIN topics t ON t.id = s.topic_id "
        "JOIN categories c ON c.id = t.category_id"
    ).fetchall()
    assert len(rows) > 10
    staff = {r[0] for r in con.execute("SELECT id FROM users WHERE admin = 1 OR moderator = 1")}
    for r in rows:
        assert r["post_topic"] == r["topic_id"]
        assert r["post_number"] > 1 and r["deleted_at"] is None and r["post_type"] == 1
        assert r["enable_accepted_answers"] == 1 and r["is_question"] == 1
        assert r["answerer"] != r["asker"]
        assert r["accepted_at"] > r["answered_at"]
        assert r["accepter_id"] == r["asker"] or r["accepter_id"] in staff


def test_groups_follow_the_automatic_rules(con: sqlite3.Connection) -> None:
    users = con.execute("SELECT * FROM users").fetchall()
    members: dict[str, set[int]] = defaultdict(set)
    for r in con.execute("SELECT g.name, gu.user_id FROM group_users gu JOIN groups g ON g.id = gu.group_id"):
        members[r[0]].add(r[1])
    assert members["admins"] == {u["id"] for u in users if u["admin"]}
    assert members["moderators"] == {u["id"] for u in users if u["moderator"]}
    assert members["staff"] == {u["id"] for u in users if u["admin"] or u["moderator"]}
    for n in range(5):
        assert members[f"trust_level_{n}"] == {u["id"] for u in users if u["trust_level"] >= n}
    assert members["employees"] == {u["id"] for u in users if u["is_employee"]}
    holders = {
        r[0]
        for r in con.execute(
            "SELECT ub.user_id FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
            "WHERE b.name = 'Superuser'"
        )
    }
    assert members["superusers"] == holders and len(holders) >= 2
    autos = {r[0]: r[1] for r in con.execute("SELECT name, automatic FROM groups")}
    assert autos["superusers"] == 0 and autos["trust_level_3"] == 1
    # staff are vendor employees; every trust level occurs except maybe 0
    assert all(u["is_employee"] for u in users if u["admin"] or u["moderator"])
    assert {u["trust_level"] for u in users} >= {1, 2, 4}


def test_badges_and_grants(con: sqlite3.Connection) -> None:
    badges = {r["name"]: r for r in con.execute("SELECT * FROM badges")}
    for name in (
        "Basic User",
        "Member",
        "Regular",
        "Leader",
        "Welcome",
        "Nice Reply",
        "First Like",
        "Editor",
    ):
        assert badges[name]["system"] == 1 and badges[name]["query"]
    for n in range(1, 5):
        assert badges[f"Solved {n}"]["enabled"] == 0
    assert badges["Problem Solver"]["multiple_grant"] == 1 and badges["Problem Solver"]["query"] is None
    assert badges["Superuser"]["allow_title"] == 1 and badges["Superuser"]["multiple_grant"] == 0
    manual_disabled = [b for b in badges.values() if b["query"] is None and b["enabled"] == 0]
    assert len(manual_disabled) == 1
    staff = {r[0] for r in con.execute("SELECT id FROM users WHERE admin = 1 OR moderator = 1")}
    grants = con.execute(
        "SELECT ub.*, b.system, b.enabled, b.multiple_grant, u.created_at AS joined FROM user_badges ub "
        "JOIN badges b ON b.id = ub.badge_id JOIN users u ON u.id = ub.user_id"
    ).fetchall()
    per_user: Counter[tuple[int, int]] = Counter()
    for g in grants:
        assert g["enabled"] == 1
        assert g["granted_at"] >= g["joined"]
        if g["system"]:
            assert g["granted_by_id"] == -1
        else:
            assert g["granted_by_id"] in staff
        per_user[(g["badge_id"], g["user_id"])] += 1
        if not g["multiple_grant"]:
            assert per_user[(g["badge_id"], g["user_id"])] == 1
    tl_badges = dict(
        con.execute(
            "SELECT b.name, COUNT(*) FROM user_badges ub JOIN badges b ON b.id = ub.badge_id GROUP BY b.name"
        ).fetchall()
    )
    assert (
        tl_badges["Basic User"]
        == con.execute("SELECT COUNT(*) FROM users WHERE trust_level >= 1").fetchone()[0]
    )
    assert tl_badges.get("Problem Solver", 0) > 0


def test_credentials_load(con: sqlite3.Connection) -> None:
    creds = store.load_credentials(con)
    assert creds.admin.kind == "admin" and re.fullmatch(r"[0-9a-f]{64}", creds.admin.key)
    for ident in (creds.moderator, creds.moderator2, creds.member):
        assert ident.kind == "user" and re.fullmatch(r"[0-9a-f]{32}", ident.key)
    assert creds.moderator.username != creds.moderator2.username
    role = {r["username"]: r for r in con.execute("SELECT * FROM users")}
    assert role[creds.admin.username]["admin"] == 1
    assert role[creds.moderator.username]["moderator"] == 1
    assert role[creds.moderator2.username]["moderator"] == 1
    m = role[creds.member.username]
    assert m["admin"] == 0 and m["moderator"] == 0 and m["is_employee"] == 0 and m["suspended_till"] is None
    n_posts = con.execute(
        "SELECT COUNT(*) FROM posts WHERE user_id = ? AND deleted_at IS NULL", (m["id"],)
    ).fetchone()[0]
    assert n_posts >= 3
    assert con.execute("SELECT COUNT(*) FROM api_keys").fetchone()[0] == 4


# ---------------------------------------------------------------- ground truth vs an independent recount


def _month(ts: str) -> str:
    return ts[:7]


def test_ground_truth_matches_sql_recount(con: sqlite3.Connection) -> None:
    gt = read_ground_truth(con)
    assert set(gt["definitions"]) >= {"reply", "response", "ttfr", "questions_answered", "post", "general"}
    months = gt["months"]
    assert months[0] == "2026-05" and months[-1] == "2026-11"

    signups = Counter(_month(r[0]) for r in con.execute("SELECT created_at FROM users"))
    likes = Counter(_month(r[0]) for r in con.execute("SELECT created_at FROM likes"))
    counted = (
        "FROM posts p JOIN topics t ON t.id = p.topic_id "
        "WHERE p.post_type = 1 AND p.deleted_at IS NULL AND t.deleted_at IS NULL"
    )
    replies = Counter(
        _month(r[0]) for r in con.execute(f"SELECT p.created_at {counted} AND p.post_number > 1")
    )
    contributors: dict[str, set[int]] = defaultdict(set)
    for ts, uid in con.execute(f"SELECT p.created_at, p.user_id {counted}"):
        contributors[_month(ts)].add(uid)

    # questions and their first responses, recounted from posts
    first_resp: dict[int, str] = {}
    for tid, ts in con.execute(
        f"SELECT p.topic_id, MIN(p.created_at) {counted} AND p.post_number > 1 AND p.user_id <> t.user_id "
        "AND t.is_question = 1 GROUP BY p.topic_id"
    ):
        first_resp[tid] = ts
    asked: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    ttfr: dict[str, list[float]] = defaultdict(list)

    def parse(ts: str) -> datetime:
        return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)

    for tid, created in con.execute(
        "SELECT id, created_at FROM topics WHERE is_question = 1 AND deleted_at IS NULL"
    ):
        m = _month(created)
        asked[m] += 1
        if tid in first_resp:
            answered[m] += 1
            ttfr[m].append((parse(first_resp[tid]) - parse(created)).total_seconds())

    def median(vals: list[float]) -> float | None:
        if not vals:
            return None
        v = sorted(vals)
        n = len(v)
        return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2

    total_members = 0
    for m in months:
        row = gt[f"month:{m}"]
        total_members += signups[m]
        assert row["signups"] == signups[m], m
        assert row["members_end"] == total_members, m
        assert row["likes"] == likes[m], m
        assert row["new_replies"] == replies[m], m
        assert row["active_contributors"] == len(contributors[m]), m
        assert row["questions_asked"] == asked[m], m
        assert row["questions_answered"] == answered[m], m
        med = median(ttfr[m])
        if med is None:
            assert row["ttfr_median_s"] is None
        else:
            assert math.isclose(row["ttfr_median_s"], med, abs_tol=0.002), m
    t = gt["totals"]
    assert t["members"] == con.execute("SELECT COUNT(*) FROM users").fetchone()[0]
    assert t["solved"] == con.execute("SELECT COUNT(*) FROM solutions").fetchone()[0]
    assert t["unanswered_questions"] == sum(asked.values()) - len(first_resp)
    assert t["customer_companies"] == 6
    assert sum(gt[f"month:{m}"]["questions_asked"] for m in months) == t["questions"]
    # the special fixtures point at what they say
    fx = gt["fixtures"]
    assert con.execute("SELECT hidden FROM posts WHERE id = ?", (fx["hidden_post_id"],)).fetchone()[0] == 1
    assert con.execute("SELECT deleted_at FROM topics WHERE id = ?", (fx["deleted_topic_id"],)).fetchone()[0]
    locked = con.execute(
        "SELECT trust_level, manual_locked_trust_level FROM users WHERE id = ?", (fx["trust_locked_user_id"],)
    )
    assert tuple(locked.fetchone()) == (2, 2)
    assert (
        con.execute("SELECT COUNT(*) FROM users WHERE manual_locked_trust_level IS NOT NULL").fetchone()[0]
        == 1
    )
    q = fx["question_with_deleted_only_answer"]
    assert q not in first_resp
    assert (
        con.execute(
            "SELECT COUNT(*) FROM posts WHERE topic_id = ? AND deleted_at IS NOT NULL", (q,)
        ).fetchone()[0]
        == 1
    )


def test_ground_truth_is_the_same_with_an_explicit_now(tmp_path: Path) -> None:
    later = datetime(2027, 2, 15, 9, 30, tzinfo=UTC)
    r = generate(tmp_path / "later.sqlite3", size="tiny", seed=7, now=later)
    gt = read_ground_truth(r.path)
    assert gt["months"][-1] == "2027-02" and len(gt["months"]) == 7
    with sqlite3.connect(r.path) as c:
        newest = c.execute("SELECT MAX(created_at) FROM posts").fetchone()[0]
    assert "2027-02-01" <= newest <= "2027-02-15T09:30:00.000Z"


def test_small_builds_with_the_promised_counts(tmp_path: Path) -> None:
    r = generate(tmp_path / "small.sqlite3", size="small", seed=1)
    c = r.counts
    assert 500 <= c["users"] <= 700
    assert c["companies"] == 41
    assert 2500 <= c["topics"] <= 3500
    assert 16_000 <= c["posts"] <= 24_000
    gt = read_ground_truth(r.path)
    assert len(gt["months"]) == 19
    assert gt["totals"]["members"] < 1000


def test_command_line_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from modconsole.demo.generator import main

    out = tmp_path / "cli.sqlite3"
    assert main([str(out), "--size", "tiny", "--seed", "7"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    with sqlite3.connect(out) as c:
        assert summary["posts"] == c.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
    assert summary["users"] == read_ground_truth(out)["totals"]["members"]
