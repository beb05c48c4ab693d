"""Sign-in and sync of a Vanilla community into the platform-neutral cache (issue #16 part 4).

Real HTTP against the Vanilla demo server (``vanilla_demo_server``) on loopback. The demo's own store
(the generator's community plus Vanilla's answers, reactions and tokens) is the ground truth the
cache is compared with, table by table; test set-up writes through the demo's API like another
moderator would."""

from __future__ import annotations

import ast
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from modconsole.api import Budget, Credentials, HostPacer
from modconsole.commands import main as cli
from modconsole.connectors.registry import connector_for, detect_platform
from modconsole.connectors.vanilla.connector import CAPABILITIES, VanillaConnector
from modconsole.connectors.vanilla.session import BAD_KEY, RATE_LIMIT_WAIT, response_check
from modconsole.connectors.vanilla.sync.engine import VanillaSync, VanillaSyncOptions
from modconsole.demo import store
from modconsole.demo.generator import read_ground_truth
from modconsole.demo.server import DemoServer
from modconsole.demo.vanilla.server import VanillaDemoServer
from modconsole.errors import AuthError, RateLimited
from modconsole.exitcodes import ExitCode
from modconsole.services import triage
from modconsole.settings import PLATFORM, load
from modconsole.tasks import CancelToken
from modconsole.workspace import SiteRef, Workspace
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration


def _site(
    server: VanillaDemoServer, cache: Path, token: str | None = None, platform: str = "vanilla"
) -> SiteRef:
    ident = server.credentials.moderator
    return SiteRef(
        server.base_url,
        ident.username,
        Credentials.token(token or ident.token, username=ident.username),
        cache,
        pacer=HostPacer(Budget.unlimited()),
        platform=platform,
    )


@pytest.fixture
def ws(vanilla_demo_server: VanillaDemoServer, tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(_site(vanilla_demo_server, tmp_path / "cache.sqlite")) as w:
        yield w


def _demo(server: VanillaDemoServer, sql: str, *args: Any) -> list[sqlite3.Row]:
    con = store.connect(server.db_path)
    try:
        return list(con.execute(sql, args).fetchall())
    finally:
        con.close()


def _s(ts: str | None) -> str | None:
    """A timestamp to the second: Vanilla sends RFC 3339 without milliseconds."""
    return ts[:19] if ts else ts


def _cache(ws: Workspace, sql: str) -> list[tuple[Any, ...]]:
    with ws.cache.read() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql).all()]


def _api(server: VanillaDemoServer, method: str, path: str, who: str = "moderator", **kw: Any) -> Any:
    ident = getattr(server.credentials, who)
    r = httpx.request(
        method, f"{server.base_url}/api/v2{path}", headers=ident.headers(), timeout=WAIT_S, **kw
    )
    assert r.status_code in (200, 201), r.text
    return r.json()


def _second_accept(server: VanillaDemoServer) -> tuple[int, list[int]]:
    """Accept a second answer on a solved question (Vanilla allows several): (question, answers)."""
    row = _demo(
        server,
        "SELECT t.id, MIN(a.comment_id) AS acc FROM topics t JOIN posts p ON p.topic_id = t.id "
        "JOIN vanilla_answers a ON a.comment_id = p.id AND a.status = 'accepted' "
        "WHERE t.is_question = 1 AND t.deleted_at IS NULL AND t.closed = 0 AND EXISTS (SELECT 1 FROM posts o "
        "WHERE o.topic_id = t.id AND o.post_number > 1 AND o.post_type = 1 AND o.deleted_at IS NULL "
        "AND o.id NOT IN (SELECT comment_id FROM vanilla_answers)) GROUP BY t.id ORDER BY t.id LIMIT 1",
    )[0]
    other = _demo(
        server,
        "SELECT id FROM posts WHERE topic_id = ? AND post_number > 1 AND post_type = 1 "
        "AND deleted_at IS NULL AND id NOT IN (SELECT comment_id FROM vanilla_answers) ORDER BY id LIMIT 1",
        row["id"],
    )[0]["id"]
    _api(server, "PATCH", f"/comments/{other}/answer", json={"status": "accepted"})
    return int(row["id"]), sorted([int(row["acc"]), int(other)])


# ---------------------------------------------------------------- the connector


def test_vanilla_is_registered_with_its_capabilities() -> None:
    c = connector_for("vanilla")
    assert isinstance(c, VanillaConnector) and c.capabilities is CAPABILITIES
    assert CAPABILITIES.multiple_accepted_answers and CAPABILITIES.likes
    assert not (CAPABILITIES.trust_levels or CAPABILITIES.whispers or CAPABILITIES.review_queue)
    assert not (CAPABILITIES.bulk_mirror or CAPABILITIES.staff_category_for_nominations)


def test_verify_says_who_the_token_is_and_a_refused_token_is_the_bad_key_error(
    vanilla_demo_server: VanillaDemoServer,
) -> None:
    server = vanilla_demo_server
    c = connector_for("vanilla")
    ident = server.credentials.moderator
    with c.open_client(
        server.base_url, Credentials.token(ident.token), pacer=HostPacer(Budget.unlimited())
    ) as client:
        me = c.verify(client)
        assert client.credentials is not None and client.credentials.headers() == ident.headers()
    assert me["username"] == ident.username and me["id"] == ident.user_id and me["moderator"] is True
    assert not me["admin"] and me["email"]
    for bad in (server.credentials.revoked.token, server.credentials.expired.token, "va.nonsense"):
        with (
            c.open_client(
                server.base_url, Credentials.token(bad), pacer=HostPacer(Budget.unlimited())
            ) as client,
            pytest.raises(AuthError) as exc,
        ):
            c.verify(client)
        assert exc.value.user_message == BAD_KEY and bad not in str(exc.value)
    # the client paces writes apart from reads (Vanilla: 300 GET / 120 writes a minute per IP)
    with c.open_client(server.base_url, Credentials.token(ident.token)) as client:
        assert (
            client.pacer.budget == Budget.vanilla_reads()
            and client.write_pacer.budget == Budget.vanilla_writes()
        )
        assert client.pacer.budget.per_minute <= 300 and client.write_pacer.budget.per_minute <= 120  # type: ignore[operator]


def test_vanilla_answers_are_read_the_vanilla_way() -> None:
    """Its own reading, before the common mapping: a guest answer after a refused token (any
    status) is the bad key; a 429 without Retry-After waits the minute Vanilla blocks for."""
    refused = {
        "X-WWW-Authenticate": 'error="invalid_token", error_description="Your access token was revoked."'
    }
    for status in (200, 403):
        err = response_check("GET /api/v2/discussions", status, refused)
        assert isinstance(err, AuthError) and err.user_message == BAD_KEY
    limited = response_check("GET /api/v2/discussions", 429, {})
    assert isinstance(limited, RateLimited) and limited.retry_after == RATE_LIMIT_WAIT
    assert response_check("GET /api/v2/discussions", 429, {"Retry-After": "5"}) is None  # the common path
    assert response_check("GET /api/v2/discussions", 200, {}) is None


def test_the_vanilla_connector_imports_nothing_of_discourse() -> None:
    root = Path(__file__).resolve().parents[2] / "modconsole" / "connectors" / "vanilla"
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith(("modconsole.connectors.discourse", "modconsole.sync"))
            ]
    assert found == []


def test_a_refused_token_leaves_no_cache_behind(
    vanilla_demo_server: VanillaDemoServer, tmp_path: Path
) -> None:
    site = _site(
        vanilla_demo_server, tmp_path / "c.sqlite", token=vanilla_demo_server.credentials.revoked.token
    )
    with pytest.raises(AuthError):
        Workspace.open(site)
    assert not (tmp_path / "c.sqlite").exists()


# ---------------------------------------------------------------- first sync = ground truth


def test_first_sync_of_tiny_equals_the_ground_truth(
    vanilla_demo_server: VanillaDemoServer, ws: Workspace
) -> None:
    server = vanilla_demo_server
    question, accepted = _second_accept(server)
    report = ws.sync()
    assert report.first_sync and report.finished and report.queue_complete
    assert isinstance(ws.engine, VanillaSync)
    assert load(ws.cache, PLATFORM) == "vanilla"

    live = "gone_since IS NULL"
    # topics: every discussion (the moderator sees the staff-only category too)
    want = {
        (
            r["id"],
            r["title"],
            r["category_id"],
            r["user_id"],
            _s(r["created_at"]),
            bool(r["closed"]),
            bool(r["is_question"]),
        )
        for r in _demo(server, "SELECT * FROM topics WHERE deleted_at IS NULL AND archetype = 'regular'")
    }
    got = {
        (i, t, c, u, _s(cr), bool(cl), a == "regular")
        for i, t, c, u, cr, cl, a in _cache(
            ws,
            f"SELECT id, title, category_id, user_id, created_at, closed, archetype FROM topics WHERE {live}",
        )
    }
    assert got == want
    truth = read_ground_truth(server.db_path)["totals"]
    assert sum(1 for *_, q in got if q) == truth["questions"]

    # posts: each comment by id; each discussion's body as post 1 (id −discussionID)
    comments = _demo(
        server,
        "SELECT p.id, p.topic_id, p.user_id, p.created_at, p.cooked FROM posts p "
        "JOIN topics t ON t.id = p.topic_id WHERE p.post_number > 1 AND p.post_type = 1 "
        "AND p.deleted_at IS NULL AND t.deleted_at IS NULL AND t.archetype = 'regular'",
    )
    assert {(*tuple(r)[:3], _s(r[3])) for r in comments} == {
        (*r[:3], _s(r[3]))
        for r in _cache(ws, f"SELECT id, topic_id, user_id, created_at FROM posts WHERE id > 0 AND {live}")
    }
    openers = _demo(
        server,
        "SELECT p.topic_id, p.user_id, p.created_at FROM posts p JOIN topics t ON t.id = p.topic_id "
        "WHERE p.post_number = 1 AND t.deleted_at IS NULL AND t.archetype = 'regular'",
    )
    assert {(-r[0], r[0], r[1], _s(r[2])) for r in openers} == {
        (*r[:3], _s(r[3]))
        for r in _cache(
            ws,
            "SELECT id, topic_id, user_id, created_at FROM posts "
            f"WHERE id < 0 AND post_number = 1 AND {live}",
        )
    }
    # post numbers follow the comments' order in their discussion; bodies are stored without quotes
    for tid, numbers in _cache(
        ws,
        "SELECT topic_id, json_group_array(post_number) FROM (SELECT topic_id, "
        "post_number FROM posts WHERE id > 0 ORDER BY id) GROUP BY topic_id",
    ):
        assert json.loads(numbers) == list(range(2, 2 + len(json.loads(numbers)))), tid
    bodies = dict(_cache(ws, "SELECT id, cooked FROM posts WHERE id > 0"))
    assert all(bodies[r["id"]] == r["cooked"] for r in comments)
    # reactions → likes (every seeded reaction is a Like)
    assert _cache(ws, "SELECT SUM(like_count) FROM posts")[0][0] == truth["likes"]

    # solutions: the accepted set, several per question where Vanilla has several
    want_sol = {
        (r[0], r[1])
        for r in _demo(
            server,
            "SELECT a.comment_id, p.topic_id FROM vanilla_answers a JOIN posts p ON p.id = a.comment_id "
            "WHERE a.status = 'accepted'",
        )
    }
    assert set(_cache(ws, "SELECT post_id, topic_id FROM solutions")) == want_sol
    assert len(want_sol) == truth["solutions"] + 1
    assert sorted(p for p, t in want_sol if t == question) == accepted
    assert _cache(ws, f"SELECT has_accepted_answer, accepted_post_id FROM topics WHERE id = {question}") == [
        (1, accepted[0])
    ]
    assert {t for _, t in want_sol} == {
        r[0] for r in _cache(ws, "SELECT id FROM topics WHERE has_accepted_answer = 1")
    }

    # users: names, e-mails (a moderator may see them), roles, the Company profile field
    users = _demo(server, "SELECT * FROM users WHERE deleted_at IS NULL")
    assert {(r["id"], r["username"], r["email"], bool(r["admin"]), bool(r["moderator"])) for r in users} == {
        (i, n, e, bool(a), bool(m))
        for i, n, e, a, m in _cache(ws, "SELECT id, username, email, admin, moderator FROM users")
    }
    companies = dict(_cache(ws, "SELECT u.id, c.name FROM users u JOIN companies c ON c.id = u.company_id"))
    stated = {r["id"]: r["user_field_company"] for r in users if r["user_field_company"]}
    assert {u: companies.get(u) for u in stated} == stated  # the field wins over the e-mail's domain
    assert len(stated) == truth["members_with_company_field"]

    # badges and holders (a badge is held once on Vanilla), groups and members
    assert {(r["id"], r["name"]) for r in _demo(server, "SELECT id, name FROM badges")} == set(
        _cache(ws, "SELECT id, name FROM badges")
    )
    holders = {tuple(r) for r in _demo(server, "SELECT DISTINCT user_id, badge_id FROM user_badges")}
    assert set(_cache(ws, f"SELECT user_id, badge_id FROM user_badges WHERE {live}")) == holders
    assert {
        (r["id"], r["full_name"] or r["name"])
        for r in _demo(server, "SELECT * FROM groups WHERE automatic = 0")
    } == set(_cache(ws, "SELECT id, name FROM groups"))
    members = {
        tuple(r)
        for r in _demo(
            server,
            "SELECT group_id, user_id FROM group_users "
            "WHERE group_id IN (SELECT id FROM groups WHERE automatic = 0)",
        )
    }
    assert set(_cache(ws, "SELECT group_id, user_id FROM group_members")) == members
    assert {tuple(r) for r in _demo(server, "SELECT id, name FROM categories")} == set(
        _cache(ws, "SELECT id, name FROM categories")
    )


# ---------------------------------------------------------------- incremental


def test_an_incremental_sync_with_no_change_costs_at_most_3_requests(ws: Workspace) -> None:
    first = ws.sync()
    before = {
        t: _cache(ws, f"SELECT count(*), max(change_token) FROM {t}")
        for t in ("topics", "posts", "solutions")
    }
    report = ws.sync()
    assert not report.first_sync and report.finished
    assert report.requests_total <= 3, report.requests
    assert report.counts == {} and not report.changes.topic_ids
    assert {t: _cache(ws, f"SELECT count(*), max(change_token) FROM {t}") for t in before} == before
    assert first.requests_total > 3
    # a rescan re-lists everything and finds nothing changed either (nothing marked gone)
    rescan = VanillaSync(ws.client, ws.cache, options=VanillaSyncOptions(force_rescan=True)).run_once(
        CancelToken()
    )
    assert rescan.rescanned and rescan.finished and rescan.counts == {}, rescan.counts
    assert _cache(ws, "SELECT count(*) FROM topics WHERE gone_since IS NOT NULL") == [(0,)]
    assert _cache(ws, "SELECT count(*) FROM posts WHERE gone_since IS NOT NULL") == [(0,)]


def test_a_new_comment_and_an_accept_arrive_in_one_incremental_sync(
    vanilla_demo_server: VanillaDemoServer, ws: Workspace
) -> None:
    server = vanilla_demo_server
    ws.sync()
    question, _ = _second_accept(server)  # an accept on a question the cache holds as solved once
    open_q = _demo(
        server,
        "SELECT t.id FROM topics t JOIN vanilla_questions q ON q.discussion_id = t.id JOIN categories c "
        "ON c.id = t.category_id WHERE q.status_id = 1 AND t.closed = 0 AND c.read_restricted = 0 "
        "AND t.deleted_at IS NULL ORDER BY t.id LIMIT 1",
    )[0]["id"]
    new = _api(
        server,
        "POST",
        "/comments",
        who="admin",
        json={"body": "Try the new setting.", "format": "markdown", "discussionID": open_q},
    )
    _api(server, "PATCH", f"/comments/{new['commentID']}/answer", json={"status": "accepted"})

    report = ws.sync()
    assert report.finished and not report.first_sync
    assert {question, open_q} <= report.changes.topic_ids
    assert new["commentID"] in report.changes.post_ids
    got = _cache(
        ws, f"SELECT topic_id, post_number, accepted_answer FROM posts WHERE id = {new['commentID']}"
    )
    assert got == [
        (open_q, 2 + len(_cache(ws, f"SELECT 1 FROM posts WHERE topic_id = {open_q} AND id > 0")) - 1, 1)
    ]
    assert _cache(
        ws, f"SELECT has_accepted_answer, first_response_at IS NOT NULL FROM topics WHERE id = {open_q}"
    ) == [(1, 1)]
    assert len(_cache(ws, f"SELECT post_id FROM solutions WHERE topic_id = {question}")) == 2
    assert _cache(ws, f"SELECT post_id FROM solutions WHERE topic_id = {open_q}") == [(new["commentID"],)]

    # and an unaccept takes the answer out of the set in the next run
    _api(server, "PATCH", f"/comments/{new['commentID']}/answer", json={"status": "pending"})
    ws.sync()
    assert _cache(ws, f"SELECT post_id FROM solutions WHERE topic_id = {open_q}") == []
    assert _cache(ws, f"SELECT has_accepted_answer FROM topics WHERE id = {open_q}") == [(0,)]


# ---------------------------------------------------------------- the queue on a Vanilla cache


def test_the_queue_lists_the_unanswered_questions_of_a_vanilla_cache(
    vanilla_demo_server: VanillaDemoServer, ws: Workspace
) -> None:
    ws.sync()
    assert _unanswered(vanilla_demo_server, ws)


def test_the_queue_is_complete_before_the_comments_are_read(
    vanilla_demo_server: VanillaDemoServer, ws: Workspace
) -> None:
    """The first sync reads the open questions first: their Q&A status stands in for the comments
    until those arrive, and the open part of the queue is then what the full sync shows."""
    quick = VanillaSync(ws.client, ws.cache, options=VanillaSyncOptions(stop_after_queue=True))
    report = quick.run_once(CancelToken())
    assert report.queue_complete and not report.finished
    assert report.requests_until_queue is not None and report.requests_until_queue <= 5, report.requests
    assert _cache(ws, "SELECT count(*) FROM posts WHERE id > 0") == [(0,)]
    early_unanswered = _unanswered(vanilla_demo_server, ws)
    open_states = [s for s in triage.QueueState if s is not triage.QueueState.SOLVED]
    early = _queue(ws, *open_states)
    ws.sync()
    assert _unanswered(vanilla_demo_server, ws) == early_unanswered
    assert _queue(ws, *open_states) == early


def _queue(ws: Workspace, *states: triage.QueueState) -> dict[int, triage.QueueState]:
    q = triage.TriageQuery(filter=triage.QueueFilter(states=frozenset(states)))
    with ws.cache.read() as conn:
        return {r.topic_id: r.state for r in triage.page(conn, q, limit=1000).rows}


def _unanswered(vanilla_demo_server: VanillaDemoServer, ws: Workspace) -> set[int]:
    """The queue's "no reply yet" questions, checked against the demo's store; returns them."""
    want = {
        r[0]
        for r in _demo(
            vanilla_demo_server,
            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
            "WHERE t.is_question = 1 AND t.deleted_at IS NULL AND t.archetype = 'regular' "
            "AND c.read_restricted = 0 AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.topic_id = t.id "
            "AND p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL "
            "AND p.user_id IS NOT t.user_id) "
            "AND NOT EXISTS (SELECT 1 FROM posts p JOIN vanilla_answers a ON a.comment_id = p.id "
            "WHERE p.topic_id = t.id AND a.status = 'accepted')",
        )
    }
    got = _queue(ws, triage.QueueState.NO_REPLY, triage.QueueState.ASKER_ONLY)
    assert set(got) == want
    with ws.cache.read() as conn:
        rows = triage.page(
            conn, triage.TriageQuery(filter=triage.QueueFilter(states=frozenset(got.values()))), limit=500
        ).rows
    assert all(r.asker for r in rows)  # the asker's name from the synced members
    return want


# ---------------------------------------------------------------- detection and the command line


def test_the_platform_is_detected_from_the_address(
    vanilla_demo_server: VanillaDemoServer, demo_server: DemoServer, tmp_path: Path
) -> None:
    assert detect_platform(vanilla_demo_server.base_url) == "vanilla"
    assert detect_platform(demo_server.base_url) == "discourse"
    site = _site(vanilla_demo_server, tmp_path / "auto.sqlite", platform="auto")
    with Workspace.open(site) as w:
        assert w.connector.platform == "vanilla"
        w.sync()
    assert Workspace.recorded_platform(tmp_path / "auto.sqlite") == "vanilla"


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_modconsole_sync_detects_vanilla_and_a_bad_token_exits_with_one_line(
    vanilla_demo_server: VanillaDemoServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = vanilla_demo_server
    ident = server.credentials.moderator
    site = ["--site", server.base_url, "--username", ident.username, "--unpaced"]
    monkeypatch.setenv("MODCONSOLE_API_KEY", server.credentials.revoked.token)
    code, out, err = _cli(capsys, "sync", *site, "--platform", "vanilla")
    assert code == ExitCode.KEY_REFUSED
    assert err.strip().splitlines() == [f"modconsole: {BAD_KEY}"]
    assert server.credentials.revoked.token not in out + err

    monkeypatch.setenv("MODCONSOLE_API_KEY", ident.token)
    code, out, err = _cli(capsys, "sync", *site, "--json")  # no --platform: detected
    assert code == ExitCode.OK, err
    data = json.loads(out.strip().splitlines()[-1])
    assert data["first_sync"] is True and data["finished"] is True
    # the site is remembered and its cache says Vanilla: no address, no detection the second time
    code, out, err = _cli(capsys, "sync", "--unpaced", "--json")
    assert code == ExitCode.OK, err
    assert json.loads(out.strip().splitlines()[-1])["requests_total"] <= 3
