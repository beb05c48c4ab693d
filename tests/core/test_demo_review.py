"""The demo community's review queue over real HTTP (CONTRACT-ADDITIONS §A2)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from modconsole.demo import store
from modconsole.demo.generator import generate
from modconsole.demo.server import DemoServer
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration


@pytest.fixture
def http(demo_server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server.base_url, timeout=WAIT_S) as c:
        yield c


def H(srv: DemoServer, role: str = "moderator") -> dict[str, str]:
    return getattr(srv.credentials, role).headers()  # type: ignore[no-any-return]


def one(srv: DemoServer, sql: str, *args: Any) -> Any:
    con = store.connect(srv.db_path)
    try:
        row = con.execute(sql, args).fetchone()
        return row[0] if row is not None and len(row) == 1 else row
    finally:
        con.close()


def _queue(http: httpx.Client, srv: DemoServer, **params: Any) -> dict[str, Any]:
    r = http.get("/review.json", params=params, headers=H(srv))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _item(data: dict[str, Any], rtype: str) -> dict[str, Any]:
    return next(x for x in data["reviewables"] if x["type"] == rtype)


def _offered(data: dict[str, Any], item: dict[str, Any]) -> list[str]:
    bundles = {b["id"]: b for b in data["bundled_actions"]}
    return [a for bid in item["bundled_action_ids"] for a in bundles[bid]["action_ids"]]


def test_seeded_queue_has_flags_and_a_queued_post(demo_server: DemoServer, http: httpx.Client) -> None:
    data = _queue(http, demo_server)
    types = [x["type"] for x in data["reviewables"]]
    assert types.count("ReviewableFlaggedPost") == 4 and types.count("ReviewableQueuedPost") == 1
    assert data["meta"]["total_rows_reviewables"] == 5 and "load_more_reviewables" not in data["meta"]
    scores = [x["score"] for x in data["reviewables"]]
    assert scores == sorted(scores, reverse=True)  # default sort: score, highest first
    flag = _item(data, "ReviewableFlaggedPost")
    assert flag["status"] == 0 and flag["version"] == 0 and flag["post_id"] == flag["target_id"]
    assert flag["raw"] and flag["cooked"].startswith("<p>")
    score_ids = {s["id"]: s for s in data["reviewable_scores"]}
    user_ids = {u["id"] for u in data["users"]}
    for sid in flag["reviewable_score_ids"]:
        assert score_ids[sid]["user_id"] in user_ids  # the reporter is side-loaded
        assert score_ids[sid]["score_type"]["type"] in ("spam", "off_topic", "inappropriate")
    assert {t["id"] for t in data["topics"]} >= {x["topic_id"] for x in data["reviewables"]}
    # offered actions come with the item, through its bundles; aliases name what they perform
    assert _offered(data, flag)[:2] == ["agree_and_hide", "agree_and_keep"]
    acts = {a["id"]: a for a in data["actions"]}
    assert acts["ignore_and_do_nothing"]["server_action"] == "ignore"
    queued = _item(data, "ReviewableQueuedPost")
    assert _offered(data, queued) == ["approve_post", "reject_post"] and queued["payload"]["raw"]


def test_seed_is_deterministic_and_dated_before_generation(tmp_path: Path) -> None:
    a = generate(tmp_path / "a.sqlite3", size="tiny", seed=3)
    b = generate(tmp_path / "b.sqlite3", size="tiny", seed=3)
    q = "SELECT type, topic_id, target_id, score, created_at FROM reviewables ORDER BY id"
    with sqlite3.connect(a.path) as ca, sqlite3.connect(b.path) as cb:
        rows = ca.execute(q).fetchall()
        assert rows == cb.execute(q).fetchall() and len(rows) == 5
    assert all(r[4] < a.now.strftime("%Y-%m-%dT%H:%M:%S") for r in rows)


def test_filters_paging_and_bad_input(demo_server: DemoServer, http: httpx.Client) -> None:
    assert len(_queue(http, demo_server, type="ReviewableQueuedPost")["reviewables"]) == 1
    high = _queue(http, demo_server, priority="high")["reviewables"]
    assert high and all(x["score"] >= 8 for x in high) and len(high) < 5
    some = _queue(http, demo_server)["reviewables"][0]
    by_cat = _queue(http, demo_server, category_id=some["category_id"])["reviewables"]
    assert by_cat and all(x["category_id"] == some["category_id"] for x in by_cat)
    assert _queue(http, demo_server, status="approved")["reviewables"] == []
    for bad in ({"status": "nope"}, {"type": "ReviewableNope"}):
        r = http.get("/review.json", params=bad, headers=H(demo_server))
        assert r.status_code == 400
    assert http.get("/review.json", headers=H(demo_server, "member")).status_code == 403
    # paging: 10 per page, load_more while more rows exist
    con = store.connect(demo_server.db_path)
    with con:
        for _ in range(8):
            con.execute(
                "INSERT INTO reviewables(type, topic_id, category_id, target_type, target_id, score, "
                "payload, created_at, updated_at) SELECT type, topic_id, category_id, target_type, "
                "target_id, 0.5, payload, created_at, updated_at FROM reviewables "
                "WHERE type = 'ReviewableFlaggedPost' LIMIT 1"
            )
    con.close()
    first = _queue(http, demo_server)
    assert len(first["reviewables"]) == 10 and first["meta"]["total_rows_reviewables"] == 13
    more = first["meta"]["load_more_reviewables"]
    assert more.startswith("/review?") and "offset=10" in more
    second = http.get(more.replace("/review?", "/review.json?"), headers=H(demo_server)).json()
    assert len(second["reviewables"]) == 3 and "load_more_reviewables" not in second["meta"]
    ids = [x["id"] for x in first["reviewables"] + second["reviewables"]]
    assert len(set(ids)) == 13


def test_perform_checks_the_version_lock(demo_server: DemoServer, http: httpx.Client) -> None:
    data = _queue(http, demo_server, type="ReviewableFlaggedPost")
    flag = data["reviewables"][0]
    rid, post_id = flag["id"], flag["post_id"]
    path = f"/review/{rid}/perform/agree_and_hide.json"
    r = http.put(path, headers=H(demo_server))
    assert r.status_code == 422 and "version" in r.json()["errors"][0]
    r = http.put(path, params={"version": 5}, headers=H(demo_server))
    assert r.status_code == 409 and r.json()["errors"]  # stale: Discourse's conflict body
    r = http.put(path, params={"version": flag["version"]}, headers=H(demo_server))
    assert r.status_code == 200, r.text
    res = r.json()["reviewable_perform_result"]
    assert res["success"] == "OK" and res["version"] == 1 and res["transition_to"] == "approved"
    assert res["remove_reviewable_ids"] == [rid] and res["reviewable_count"] == 4
    assert one(demo_server, "SELECT hidden FROM posts WHERE id = ?", post_id) == 1
    # a replay: the item is handled, so no action is offered any more
    r = http.put(path, params={"version": 1}, headers=H(demo_server))
    assert r.status_code == 403
    shown = http.get(f"/review/{rid}.json", headers=H(demo_server)).json()
    item = shown["reviewable"]
    assert item["status"] == 1 and item["version"] == 1 and item["bundled_action_ids"] == []
    last = max(shown["reviewable_histories"], key=lambda h: h["id"])
    me = next(u for u in shown["users"] if u["username"] == demo_server.credentials.moderator.username)
    assert last["created_by_id"] == me["id"] and last["status"] == 1
    assert http.get("/review/count.json", headers=H(demo_server)).json() == {"count": 4}
    assert http.get("/review/999999.json", headers=H(demo_server)).status_code == 404


def test_approving_a_queued_post_creates_it(demo_server: DemoServer, http: httpx.Client) -> None:
    q = _queue(http, demo_server, type="ReviewableQueuedPost")["reviewables"][0]
    before = one(demo_server, "SELECT posts_count FROM topics WHERE id = ?", q["topic_id"])
    r = http.put(
        f"/review/{q['id']}/perform/approve_post.json", params={"version": 0}, headers=H(demo_server)
    )
    res = r.json()["reviewable_perform_result"]
    assert res["created_post_topic_id"] == q["topic_id"]
    assert (
        one(demo_server, "SELECT raw FROM posts WHERE id = ?", res["created_post_id"]) == q["payload"]["raw"]
    )
    assert one(demo_server, "SELECT posts_count FROM topics WHERE id = ?", q["topic_id"]) == before + 1


def test_hidden_post_offers_restore_and_alias_performs(demo_server: DemoServer, http: httpx.Client) -> None:
    flag = _queue(http, demo_server, type="ReviewableFlaggedPost")["reviewables"][1]
    con = store.connect(demo_server.db_path)
    with con:
        con.execute("UPDATE posts SET hidden = 1 WHERE id = ?", (flag["post_id"],))
    con.close()
    data = http.get(f"/review/{flag['id']}.json", headers=H(demo_server)).json()
    offered = _offered(data, data["reviewable"])
    assert "agree_and_keep_hidden" in offered and "disagree_and_restore" in offered
    assert "agree_and_hide" not in offered and "disagree" not in offered
    r = http.put(
        f"/review/{flag['id']}/perform/disagree_and_restore.json",
        params={"version": 0},
        headers=H(demo_server),
    )
    assert r.json()["reviewable_perform_result"]["transition_to"] == "rejected"
    assert one(demo_server, "SELECT hidden FROM posts WHERE id = ?", flag["post_id"]) == 0


def test_claiming_when_the_site_requires_it(demo_server: DemoServer, http: httpx.Client) -> None:
    flag = _queue(http, demo_server, type="ReviewableFlaggedPost")["reviewables"][0]
    topic = flag["topic_id"]
    claim = {"reviewable_claimed_topic[topic_id]": str(topic)}
    assert http.post("/reviewable_claimed_topics.json", data=claim, headers=H(demo_server)).status_code == 403
    demo_server.set_setting("reviewable_claiming", "required")
    path = f"/review/{flag['id']}/perform/agree_and_keep.json"
    r = http.put(path, params={"version": 0}, headers=H(demo_server))
    assert r.status_code == 422 and "claim" in r.json()["errors"][0]
    r = http.post("/reviewable_claimed_topics.json", data=claim, headers=H(demo_server, "moderator2"))
    assert r.json() == {"success": "OK"}
    assert http.post("/reviewable_claimed_topics.json", data=claim, headers=H(demo_server)).status_code == 409
    shown = http.get(f"/review/{flag['id']}.json", headers=H(demo_server)).json()
    holder = shown["reviewable"]["claimed_by"]["user_id"]
    assert (
        next(u for u in shown["users"] if u["id"] == holder)["username"]
        == demo_server.credentials.moderator2.username
    )
    r = http.put(path, params={"version": 0}, headers=H(demo_server))
    assert r.status_code == 422 and "another user" in r.json()["errors"][0]
    assert http.delete(f"/reviewable_claimed_topics/{topic}.json", headers=H(demo_server)).json() == {
        "success": "OK"
    }
    http.post("/reviewable_claimed_topics.json", data=claim, headers=H(demo_server))
    assert http.put(path, params={"version": 0}, headers=H(demo_server)).status_code == 200
    # acting releases the claim
    assert one(demo_server, "SELECT COUNT(*) FROM reviewable_claimed_topics WHERE topic_id = ?", topic) == 0
