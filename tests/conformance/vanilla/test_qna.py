"""Q&A (CONTRACT §4; vanilla/vanilla plugins/QnA/tests/APIv2/CommentsAnswerTest.php and
DiscussionsQuestionTest.php): several accepted answers, a repeated status changes nothing, rejected is a
curator-only state, and the unanswered status is the generator's ground truth."""

from __future__ import annotations

from modconsole.demo.generator import read_ground_truth
from tests.conformance.vanilla.conftest import Site


def _question(site: Site, did: int) -> dict:  # type: ignore[type-arg]
    r = site.get(f"/discussions/{did}", site.moderator, params={"expand": "acceptedAnswers,rejectedAnswers"})
    assert r.status_code == 200
    return r.json()["attributes"]["question"]  # type: ignore[no-any-return]


def test_several_answers_can_be_accepted(site: Site) -> None:
    q = site.question_with_answers(2)
    did = int(q["id"])
    a, b = site.answers(did)[:2]
    assert _question(site, did)["status"] == "answered"
    for cid in (a, b):
        r = site.patch(f"/comments/{cid}/answer", site.moderator, json={"status": "accepted"})
        assert r.status_code == 200
        assert r.json()["attributes"]["answer"]["status"] == "accepted"
        assert r.json()["attributes"]["answer"]["acceptUserID"] == site.moderator_id
    question = _question(site, did)
    assert question["status"] == "accepted"
    assert [x["commentID"] for x in question["acceptedAnswers"]] == [a, b]
    accepted = site.get("/comments", site.moderator, params={"discussionID": did, "qna": "accepted"}).json()
    assert [c["commentID"] for c in accepted] == [a, b]
    # un-accepting one keeps the question accepted while another is
    site.patch(f"/comments/answer/{a}", site.moderator, json={"status": "pending"})
    assert _question(site, did)["status"] == "accepted"
    site.patch(f"/comments/{b}/answer", site.moderator, json={"status": "pending"})
    assert _question(site, did)["status"] == "answered"


def test_repeating_a_status_is_a_no_op(site: Site) -> None:
    q = site.question_with_answers(1)
    cid = site.answers(int(q["id"]))[0]
    first = site.patch(f"/comments/{cid}/answer", site.moderator, json={"status": "accepted"}).json()
    from datetime import timedelta

    from modconsole import clock

    clock.advance(timedelta(minutes=5))
    try:
        again = site.patch(f"/comments/{cid}/answer", site.admin, json={"status": "accepted"})
    finally:
        clock.advance(timedelta(minutes=-5))
    assert again.status_code == 200
    assert again.json()["attributes"]["answer"] == first["attributes"]["answer"]  # same date, same accepter


def test_rejected_answers_are_pending_to_members(site: Site) -> None:
    q = site.question_with_answers(1)
    did = int(q["id"])
    answers = site.answers(did)
    for cid in answers:
        assert (
            site.patch(f"/comments/{cid}/answer", site.moderator, json={"status": "rejected"}).status_code
            == 200
        )
    assert _question(site, did)["status"] == "rejected"
    assert [x["commentID"] for x in _question(site, did)["rejectedAnswers"]] == answers
    seen = site.get(f"/comments/{answers[0]}", site.member).json()
    assert seen["attributes"]["answer"]["status"] == "pending"
    assert site.get("/comments", site.member, params={"qna": "rejected"}).status_code == 403
    listed = site.get(
        "/discussions", site.moderator, params={"type": "question", "status": "rejected", "limit": 100}
    )
    assert did in {d["discussionID"] for d in listed.json()}


def test_the_asker_may_accept_a_member_may_not_accept_others(site: Site) -> None:
    q = site.question_with_answers(1)
    cid = site.answers(int(q["id"]))[0]
    token = site.control(
        "POST",
        "tokens",
        {"username": site.rows("SELECT username FROM users WHERE id = ?", int(q["user_id"]))[0][0]},
    )["token"]
    asker = {"Authorization": f"Bearer {token}"}
    assert site.patch(f"/comments/{cid}/answer", asker, json={"status": "accepted"}).status_code == 200
    other = site.question_with_answers(1)
    if int(other["user_id"]) != site.member_id:
        ocid = site.answers(int(other["id"]))[0]
        refused = site.patch(f"/comments/{ocid}/answer", site.member, json={"status": "accepted"})
        assert refused.status_code == 403
        assert refused.json()["permissions"] == ["Garden.Curation.Manage"]


def test_the_unanswered_queue_is_the_ground_truth(site: Site) -> None:
    truth = read_ground_truth(site.server.db_path)
    seen: list[int] = []
    url: str | None = "/discussions"
    params: dict[str, str] | None = {"type": "question", "status": "unanswered", "limit": "5"}
    while url:
        r = site.get(url, site.moderator, params=params)
        seen += [d["discussionID"] for d in r.json()]
        nxt = r.links.get("next", {}).get("url")
        url, params = (nxt.replace(site.server.base_url + "/api/v2", ""), None) if nxt else (None, None)
    # questions the tests above changed are open questions with answers, never unanswered ones
    assert len(seen) == truth["totals"]["unanswered_questions"]
    assert len(set(seen)) == len(seen)
