"""Every answer the console reads validates against Vanilla's own OpenAPI fragments (shared/vanilla/openapi).

Badges and groups come from closed cloud addons the fragments do not cover (SOURCE.txt); their shapes are
checked by the behaviour tests instead."""

from __future__ import annotations

from tests.conformance.vanilla.conftest import Site
from tests.conformance.vanilla.spec import check, component, validate


def test_discussion_lists_and_one_discussion_validate(site: Site) -> None:
    r = site.get("/discussions", site.moderator, params={"limit": 30, "expand": "all", "pinOrder": "mixed"})
    body = check(r, "GET", "/discussions")
    assert len(body) == 30
    assert {d["type"] for d in body} <= {"question", "discussion"}
    q = site.pick(
        "SELECT t.id FROM topics t JOIN vanilla_questions q ON q.discussion_id = t.id "
        "WHERE q.status_id = 3 ORDER BY t.id"
    )
    one = check(
        site.get(f"/discussions/{q['id']}", site.moderator, params={"expand": "all"}),
        "GET",
        "/discussions/{id}",
    )
    assert one["attributes"]["question"]["status"] == "accepted"
    assert one["attributes"]["question"]["acceptedAnswers"]
    check(
        site.get("/discussions", site.member, params={"type": "question", "status": "unanswered"}),
        "GET",
        "/discussions",
    )
    check(site.get(f"/discussions/{q['id']}/edit", site.moderator), "GET", "/discussions/{id}/edit")


def test_comment_lists_and_one_comment_validate(site: Site) -> None:
    body = check(
        site.get("/comments", site.moderator, params={"limit": 100, "expand": "all"}), "GET", "/comments"
    )
    assert len(body) == 100
    answers = [c for c in body if "answer" in c["attributes"]]
    assert answers, "comments in questions carry attributes.answer"
    cid = body[0]["commentID"]
    check(
        site.get(f"/comments/{cid}", site.member, params={"expand": "insertUser,reactions"}),
        "GET",
        "/comments/{id}",
    )
    check(site.get(f"/comments/{cid}/edit", site.moderator), "GET", "/comments/{id}/edit")


def test_users_me_and_profile_fields_validate(site: Site) -> None:
    users = check(
        site.get("/users", site.moderator, params={"limit": 50, "expand": "profileFields"}), "GET", "/users"
    )
    assert all("email" in u for u in users)
    check(site.get(f"/users/{users[3]['userID']}", site.moderator), "GET", "/users/{id}")
    check(site.get("/users/me", site.moderator), "GET", "/users/me")
    check(site.get("/users/me", site.guest), "GET", "/users/me")
    check(site.get("/profile-fields", site.member), "GET", "/profile-fields")
    check(site.get(f"/users/{users[0]['userID']}/badges", site.member), "GET", "/users/{id}/badges")


def test_categories_reactions_and_roles_validate(site: Site) -> None:
    cats = check(site.get("/categories", site.moderator), "GET", "/categories")
    check(site.get(f"/categories/{cats[0]['categoryID']}", site.moderator), "GET", "/categories/{id}")
    check(site.get("/reactions", site.member), "GET", "/reactions")
    check(site.get("/roles", site.admin), "GET", "/roles")
    d = site.pick(
        "SELECT topic_id FROM posts p JOIN vanilla_reactions r ON r.record_type = 'discussion' "
        "AND r.record_id = p.topic_id WHERE p.post_number = 1 ORDER BY p.topic_id"
    )
    who = check(
        site.get(f"/discussions/{d['topic_id']}/reactions", site.member), "GET", "/discussions/{id}/reactions"
    )
    assert who and who[0]["reactionType"]["urlcode"] == "Like"
    c = site.pick("SELECT record_id FROM vanilla_reactions WHERE record_type = 'comment' ORDER BY record_id")
    check(site.get(f"/comments/{c['record_id']}/reactions", site.member), "GET", "/comments/{id}/reactions")


def test_writes_answer_in_the_documented_shapes(site: Site) -> None:
    q = site.question_with_answers(1)
    cid = site.answers(int(q["id"]))[0]
    r = site.patch(f"/comments/{cid}/answer", site.moderator, json={"status": "accepted"})
    assert r.status_code == 200
    check(r, "PATCH", "/comments/{id}/answer")
    reacted = site.post(f"/comments/{cid}/reactions", site.member, json={"reactionType": "Insightful"})
    assert reacted.status_code == 201
    # the fragment documents 200 for a reaction (Vanilla's own tests assert 201): same body schema
    validate(
        reacted.json(),
        {
            "$ref": component("applications/vanilla/openapi/comments.yml", "Comment")["$ref"].replace(
                "#/components/schemas/Comment",
                "#/paths/~1comments~1{id}~1reactions/post/responses/200/content/application~1json/schema",
            )
        },
    )


def test_error_bodies_validate(site: Site) -> None:
    r = site.get("/discussions/999999", site.moderator)
    assert r.status_code == 404
    validate(r.json(), component("applications/dashboard/openapi/responses.yml", "responses/NotFound"))
    assert r.json() == {"message": "Discussion not found.", "status": 404}
    q = site.question_with_answers(1)
    cid = site.answers(int(q["id"]))[0]
    r = site.patch(f"/comments/{cid}/answer", site.member, json={"status": "accepted"})
    assert r.status_code == 403
    validate(r.json(), component("applications/dashboard/openapi/responses.yml", "responses/PermissionError"))
