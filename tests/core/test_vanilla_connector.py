"""The Vanilla connector's endpoints and parsing, against the Vanilla demo over real HTTP."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from modconsole.connectors.vanilla import endpoints as ep
from modconsole.connectors.vanilla import parse
from modconsole.demo import store
from modconsole.demo.generator import read_ground_truth
from modconsole.demo.vanilla.server import VanillaDemoServer
from modconsole.errors import UnexpectedPayload
from tests.conftest import copy_db
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


class Vanilla:
    def __init__(self, server: VanillaDemoServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.base_url, timeout=WAIT_S)

    def call(self, route: ep.Route, who: str = "moderator", **kw: Any) -> httpx.Response:
        headers = getattr(self.server.credentials, who).headers() if who != "guest" else {}
        return self.http.request(route.method, route.path, headers=headers, **kw)

    def pages(
        self, route: ep.Route, params: dict[str, Any], who: str = "moderator"
    ) -> Iterator[httpx.Response]:
        r = self.call(route, who, params=params)
        while True:
            yield r
            nxt = parse.paging(r.headers).next_url
            if nxt is None:
                return
            r = self.http.get(nxt, headers=getattr(self.server.credentials, who).headers())


@pytest.fixture(scope="module")
def vanilla(tiny_vanilla_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vanilla]:
    db = copy_db(tiny_vanilla_master, tmp_path_factory.mktemp("vanilla-connector") / "v.sqlite3")
    server = VanillaDemoServer(db)
    server.start()
    v = Vanilla(server)
    try:
        yield v
    finally:
        v.http.close()
        server.stop()


def test_identity_and_a_refused_token(vanilla: Vanilla) -> None:
    r = vanilla.call(ep.me())
    me = parse.identity(r.json())
    assert not me.is_guest and me.can("Garden.Curation.Manage") and me.email
    assert parse.auth_problem(r.headers) is None
    bad = vanilla.call(ep.me(), "revoked")
    assert parse.identity(bad.json()).is_guest
    assert parse.auth_problem(bad.headers) == "Your access token was revoked."


def test_the_unanswered_queue_through_every_page(vanilla: Vanilla) -> None:
    params = {"type": "question", "status": "unanswered", "limit": 3, **ep.discussion_sync_params()}
    found: list[parse.Discussion] = []
    for r in vanilla.pages(ep.discussions(), params):
        found += parse.discussions(r.json(), ep.discussions().label)
    truth = read_ground_truth(vanilla.server.db_path)["totals"]["unanswered_questions"]
    assert len(found) == truth
    assert all(d.is_question and d.question and d.question.status == "unanswered" for d in found)


def test_several_accepted_answers_parse_as_a_set(vanilla: Vanilla) -> None:
    con = store.connect(vanilla.server.db_path)
    try:
        row = con.execute(
            "SELECT t.id FROM topics t JOIN vanilla_questions q ON q.discussion_id = t.id "
            "WHERE q.status_id = 2 AND t.closed = 0 AND (SELECT COUNT(*) FROM posts p "
            "WHERE p.topic_id = t.id AND p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL "
            "AND p.user_id <> t.user_id) >= 2 ORDER BY t.id"
        ).fetchone()
    finally:
        con.close()
    did = int(row[0])
    cs = parse.comments(
        vanilla.call(ep.comments(), params={"discussionID": did, **ep.comment_sync_params()}).json(),
        "comments",
    )
    answers = [c for c in cs if c.answer is not None and c.answer.status == "pending"][:2]
    for c in answers:
        r = vanilla.call(ep.answer_status(c.comment_id), json={"status": "accepted"})
        assert parse.comment(r.json(), ep.answer_status(c.comment_id).label).answer == parse.Answer(
            "accepted",
            parse.comment(r.json(), "x").answer.date_accepted,  # type: ignore[union-attr]
            vanilla.server.credentials.moderator.user_id,
        )
    d = parse.discussion(vanilla.call(ep.discussion(did), params={"expand": "acceptedAnswers"}).json(), "d")
    assert d.question is not None and d.question.status == "accepted"
    assert d.question.accepted_ids == {c.comment_id for c in answers}


def test_users_badges_groups_and_reactions_parse(vanilla: Vanilla) -> None:
    us = parse.users(
        vanilla.call(ep.users(), params={"limit": 100, "expand": "profileFields"}).json(), "users"
    )
    customers = [u for u in us if u.company and u.email_domain and u.email_domain != "fernhill.example"]
    assert customers and all(u.email for u in us)
    hidden = parse.users(vanilla.call(ep.users(), "member", params={"limit": 100}).json(), "users")
    assert any(u.email is None for u in hidden)
    bs = parse.badges(vanilla.call(ep.badges(), params={"limit": 100}).json(), "badges")
    holders = parse.user_badges(
        vanilla.call(ep.badge_holders(), params={"badgeID": bs[0].badge_id, "limit": 100}).json(), "holders"
    )
    assert len(holders) == bs[0].recipients
    outcome = parse.bulk_outcomes(
        vanilla.call(ep.bulk_grant_badge(bs[0].badge_id), json={"userID": [holders[0].user_id]}).json(),
        "bulk",
    )
    assert outcome == (parse.BulkOutcome(holders[0].user_id, False, "The user already has this badge."),)
    gs = parse.groups(vanilla.call(ep.groups()).json(), "groups")
    members = parse.group_members(vanilla.call(ep.group_members(gs[0].group_id)).json(), "members")
    assert len(members) == gs[0].count_members
    cats = parse.categories(vanilla.call(ep.categories()).json(), "categories")
    assert any(c.restricted for c in cats) and any("question" in c.allowed_types for c in cats)
    cid = parse.comments(vanilla.call(ep.comments(), params={"limit": 1}).json(), "c")[0].comment_id
    summary = parse.reaction_summary(
        vanilla.call(ep.react_to_comment(cid), "admin", json={"reactionType": "Agree"}).json(), "react"
    )
    assert any(r.urlcode == "Agree" and r.has_reacted for r in summary)
    who = parse.reactions(vanilla.call(ep.comment_reactions(cid)).json(), "who")
    assert vanilla.server.credentials.admin.user_id in {r.user_id for r in who}
    assert (
        vanilla.call(ep.unreact_comment(cid, vanilla.server.credentials.admin.user_id), "admin").status_code
        == 204
    )


def test_errors_and_bad_payloads(vanilla: Vanilla) -> None:
    r = vanilla.call(ep.answer_status(1), json={"status": "solved"})
    err = parse.error_body(r.json())
    assert err is not None and err.status == 422 and err.errors[0].field == "status"
    assert parse.error_body("<html>") is None
    with pytest.raises(UnexpectedPayload):
        parse.discussions({"not": "a list"}, "GET /api/v2/discussions")
    with pytest.raises(UnexpectedPayload):
        parse.comments([{"body": "no id"}], "GET /api/v2/comments")
    p = parse.paging(
        {"Link": '<https://s/api/v2/x?page=2>; rel="next", <https://s/api/v2/x?page=9>; rel="last"'}
    )
    assert (p.next_url, p.last_url, p.prev_url) == (
        "https://s/api/v2/x?page=2",
        "https://s/api/v2/x?page=9",
        None,
    )


def test_vanilla_urls_are_spelled_only_in_its_endpoints_module() -> None:
    """``/api/v2`` appears in code (not prose) only in connectors/vanilla/endpoints.py (the demo server
    answers the routes, it does not call them)."""
    offenders = []
    for path in (ROOT / "modconsole").rglob("*.py"):
        if path.is_relative_to(ROOT / "modconsole" / "demo") or (
            path.name == "endpoints.py" and "vanilla" in path.parts
        ):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            is_code = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            if is_code and "/api/v2" in node.value:  # type: ignore[attr-defined]
                offenders.append(f"{path.relative_to(ROOT)}: {node.value!r}")
    assert offenders == []
