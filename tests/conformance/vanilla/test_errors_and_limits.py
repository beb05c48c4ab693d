"""Error bodies and per-IP limits (CONTRACT §8)."""

from __future__ import annotations

from typing import Any

from tests.conformance.vanilla.conftest import Site


def test_validation_errors_name_each_field(site: Site) -> None:
    q = site.question_with_answers(1)
    cid = site.answers(int(q["id"]))[0]
    r = site.patch(f"/comments/{cid}/answer", site.moderator, json={"status": "solved"})
    assert r.status_code == 422
    body = r.json()
    assert body["message"] == "Validation Failed" and body["status"] == 422
    assert [(e["field"], e["code"], e["status"]) for e in body["errors"]] == [("status", "invalid", 422)]
    r = site.get("/users", site.moderator, params={"dateInserted": ">=2026-01-01", "roleID": "8"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"dateInserted", "roleID"}
    r = site.get("/discussions", site.moderator, params={"dateUpdated": "[2026-10-02,2026-10-01]"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "dateUpdated"


def test_not_found_and_not_an_answer(site: Site) -> None:
    assert site.get("/comments/999999", site.moderator).json() == {
        "message": "Comment not found.",
        "status": 404,
    }
    assert site.get("/nowhere", site.moderator).json() == {"message": "Page not found.", "status": 404}
    c = site.pick(
        "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id WHERE t.is_question = 0 AND p.post_number > 1 "
        "AND p.post_type = 1 AND p.deleted_at IS NULL AND t.deleted_at IS NULL ORDER BY p.id"
    )
    r = site.patch(f"/comments/{c['id']}/answer", site.moderator, json={"status": "accepted"})
    assert r.status_code == 400
    assert r.json() == {"message": "The comment is not an answer.", "status": 400}


def test_limits_300_gets_and_120_writes_a_minute_per_ip(site: Site) -> None:
    # the limiter's minute runs 100 times slower than real time: a loaded machine cannot let the window pass
    site.control("PUT", "limits", {"preset": "vanilla", "clock_speed": 0.01})
    try:
        for i in range(300):
            r = site.get("/categories", site.moderator)
            assert r.status_code == 200, i
        over = site.get("/categories", site.moderator)
        assert over.status_code == 429
        assert over.json() == {"message": "Too Many Requests", "status": 429}
        # the address is blocked: writes too, for a minute
        assert (
            site.post("/discussions/1/reactions", site.member, json={"reactionType": "Like"}).status_code
            == 429
        )
        site.control("PUT", "limits", {"preset": "vanilla", "clock_speed": 0.01})  # a fresh minute
        q = site.question_with_answers(1)
        cid = site.answers(int(q["id"]))[0]
        for i in range(120):
            r = site.patch(f"/comments/{cid}/answer", site.moderator, json={"status": "pending"})
            assert r.status_code == 200, i
        assert (
            site.patch(f"/comments/{cid}/answer", site.moderator, json={"status": "pending"}).status_code
            == 429
        )
    finally:
        site.control("PUT", "limits", {"preset": "off", "clock_speed": 1.0})


def test_the_block_lifts_after_a_minute(site: Site) -> None:
    # a fast clock: the limiter's minute passes 600 times faster (0.1 s), so the test waits for nothing long
    site.control("PUT", "limits", {"preset": "vanilla", "get_per_minute": 3, "clock_speed": 0.01})
    try:
        codes = [site.get("/reactions", site.member).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        site.control("PUT", "clock", {"speed": 100000.0})
        import time

        time.sleep(0.05)  # 5,000 virtual seconds: the block (60 s) and the window have passed
        assert site.get("/reactions", site.member).status_code == 200
    finally:
        site.control("PUT", "limits", {"preset": "off", "clock_speed": 1.0})


def test_live_mode_keeps_vanillas_tables_right(site: Site) -> None:
    """Every live event is written through Vanilla's rules: after many steps, every question's stored
    status is what recomputing it from its answers gives."""
    from modconsole.demo.vanilla.live import VanillaLiveActivity
    from modconsole.demo.vanilla.store import recalc_question

    live = VanillaLiveActivity(site.server, events_per_minute=1.0, seed=3)  # stepped here, not started
    kinds = [site.server.write(live.step) for _ in range(120)]
    assert {"question", "reply", "react", "accept", "signup", "badge"} <= set(kinds)
    stored = {
        int(r[0]): int(r[1]) for r in site.rows("SELECT discussion_id, status_id FROM vanilla_questions")
    }

    def recompute(con: Any) -> dict[int, int]:
        for did in stored:
            recalc_question(con, did)
        return {
            int(r[0]): int(r[1])
            for r in con.execute("SELECT discussion_id, status_id FROM vanilla_questions")
        }

    assert site.server.write(recompute) == stored
    n_questions = int(
        site.rows("SELECT COUNT(*) FROM topics WHERE is_question = 1 AND deleted_at IS NULL")[0][0]
    )
    assert len(stored) == n_questions
