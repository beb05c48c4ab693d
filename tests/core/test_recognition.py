"""Recognition against the demo community over loopback: badge catalog and profiles, single and bulk
awards through the outbox (preview → queue → push → per-member report), the superuser score (checked
against an independent recomputation), nominations seen and seconded by two consoles, approval and
decline on the server, renewal, and all of it queued offline first."""

from __future__ import annotations

import json
import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.outbox.policy import push_outbox
from modconsole.services.moderation import ActionRefused, ModerationService
from modconsole.services.recognition import RecognitionService, parse_csv
from modconsole.services.superusers import (
    COMPONENTS,
    ProgramSettings,
    SuperuserService,
    parse_nomination,
    window_for,
)
from modconsole.sync import SyncEngine, SyncOptions
from modconsole.tasks import CancelToken
from modconsole.workspace import Workspace
from tests.core.community import Community
from tests.core.outbox_support import FAST, client_for, demo_rows

DEMO_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Console:
    """One moderator's console: its own cache, synced by the real engine, and the services."""

    def __init__(self, tmp_path: Path, server: DemoServer, role: str, *, base_url: str | None = None) -> None:
        self.server = server
        self.cache = Cache.open(tmp_path / f"{role}.sqlite3")
        self.client = client_for(server, role)
        self.engine = SyncEngine(self.client, self.cache, options=SyncOptions(retry_wait=0.01))
        ident = getattr(server.credentials, role)
        self.offline = client_for(server, role, base_url=base_url) if base_url else None
        offline = self.offline or self.client
        self.mod = ModerationService(
            self.cache, me=ident.username, site_url=server.base_url, client=offline, options=FAST
        )
        self.rec = RecognitionService(self.cache, self.mod)
        self.su = SuperuserService(self.cache, self.mod)

    def sync(self) -> None:
        rep = self.engine.run_once(CancelToken())
        assert rep.finished

    def online(self) -> None:
        self.mod.client = self.client

    def push(self) -> Any:
        """The app's push: delivered, then what it changed re-read (``modconsole.outbox.policy``)."""
        rep = push_outbox(self.mod, self.engine, CancelToken())
        assert rep.breaker is None and rep.refresh_error is None, rep.message
        return rep

    def close(self) -> None:
        self.client.close()
        if self.offline is not None:
            self.offline.close()
        self.cache.close()


@pytest.fixture
def mod1(demo_server: DemoServer, tmp_path: Path) -> Iterator[Console]:
    c = Console(tmp_path, demo_server, "moderator")
    c.sync()
    c.mod.probe_permissions()
    yield c
    c.close()


def _closed_port() -> str:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


def fixtures(server: DemoServer) -> dict[str, Any]:
    value = demo_rows(server, "SELECT value FROM ground_truth WHERE key = 'fixtures'")[0][0]
    return dict(json.loads(value))


# ---------------------------------------------------------------- read models


def test_catalog_grantees_search_profile_and_reasons(mod1: Console) -> None:
    server = mod1.server
    cat = {b.name: b for b in mod1.rec.catalog()}
    su = cat["Superuser"]
    assert (su.type_name, su.manual, su.enabled, su.multiple, su.allow_title) == (
        "gold",
        True,
        True,
        False,
        True,
    )
    assert cat["Problem Solver"].multiple and cat["Problem Solver"].type_name == "bronze"
    assert not cat["Basic User"].manual  # trust-level badges are automatic
    truth = demo_rows(server, "SELECT count(*) FROM user_badges WHERE badge_id = 201")[0][0]
    assert su.grant_count == truth
    holders = {g.user_id for g in mod1.rec.grantees(su.id)}
    assert holders == {
        r[0] for r in demo_rows(server, "SELECT user_id FROM user_badges WHERE badge_id = 201")
    }

    uname, name, email = demo_rows(
        server,
        "SELECT username, name, email FROM users WHERE is_employee = 0 AND admin = 0 ORDER BY id LIMIT 1",
    )[0]
    for q in (uname[:4], name.split()[-1][:4], email[:5].upper()):
        assert uname in {h.username for h in mod1.rec.search_members(q)}, q
    assert mod1.rec.search_members("%") == []  # LIKE wildcards are literal

    # the member with the most accepted answers: profile and reason links
    uid, n_sol = demo_rows(
        server,
        "SELECT p.user_id, count(*) FROM solutions s JOIN posts p ON p.id = s.post_id "
        "GROUP BY p.user_id ORDER BY count(*) DESC, p.user_id LIMIT 1",
    )[0]
    prof = mod1.rec.profile(uid)
    assert prof.solution_count == n_sol and len(prof.solutions) == min(n_sol, 15)
    assert prof.recent_posts and prof.recent_posts[0].created_at >= prof.recent_posts[-1].created_at
    # a sync lists the holders of badges awarded by hand; opening a profile reads the member's own
    # badges (automatic ones too: one request)
    manual = {"Problem Solver", "Superuser", "Community Champion", "Beta Tester"}
    assert {b.name.split(" ×")[0] for b in prof.badges} <= manual
    assert mod1.engine.fetch_member_badges(CancelToken(), uid).changes.touches("user_badges")
    prof = mod1.rec.profile(uid)
    held = {b.name for b in prof.badges}
    truth_badges = {
        r[0]
        for r in demo_rows(
            server,
            "SELECT b.name FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
            "WHERE ub.user_id = ? AND b.enabled = 1",
            uid,
        )
    }
    assert {h.split(" ×")[0] for h in held} == truth_badges
    reasons = mod1.rec.reason_candidates(uid)
    assert reasons[0].kind == "solution"
    t_id, num = demo_rows(server, "SELECT topic_id, post_number FROM posts WHERE id = ?", reasons[0].post_id)[
        0
    ]
    assert reasons[0].url.startswith(f"{server.base_url}/t/") and reasons[0].url.endswith(f"/{t_id}/{num}")


# ---------------------------------------------------------------- single award and revoke


CHAMPION = 203
""""Community Champion": awarded by hand, held once."""


@pytest.fixture
def rec(community: Community) -> Iterator[tuple[Community, Workspace, RecognitionService]]:
    """Recognition on either platform, through the front door."""
    with community.open(sync=True) as ws:
        ws.moderation.probe_permissions()
        yield community, ws, RecognitionService(ws.cache, ws.moderation)


def test_award_and_revoke_through_the_outbox(rec: tuple[Community, Workspace, RecognitionService]) -> None:
    community, ws, recognition = rec
    uid, uname = community.member_without_badge(CHAMPION)
    assert recognition.search_members(uname[:3])[0].username.startswith(uname[:3])
    reason = recognition.reason_candidates(uid)[0].url
    q = recognition.award("Community Champion", uname, reason=reason, note="steady help in Payroll")
    assert "Community Champion" in q.description
    assert recognition.badge(CHAMPION).queued == 1
    assert recognition.grantees(CHAMPION)[0].pending == "award queued"
    with pytest.raises(ActionRefused, match="already holds"):
        recognition.award("Community Champion", uname)
    rep = ws.push()
    assert rep.writes == 1 and len(rep.done) == 1
    assert community.grants(CHAMPION, uid) == 1
    ws.sync()
    with pytest.raises(ActionRefused, match="Say why"):
        recognition.revoke("Community Champion", uname, reason=" ")
    recognition.revoke("Community Champion", uname, reason="granted to the wrong Leo")
    rep = ws.push()
    assert rep.writes == 1 and community.grants(CHAMPION, uid) == 0


def test_reason_links_are_the_sites_own_addresses(
    rec: tuple[Community, Workspace, RecognitionService],
) -> None:
    """A reason link is the platform's own address of the post, and reads back to it."""
    community, ws, recognition = rec
    ref = recognition.reason_candidates(community.member_without_badge(CHAMPION)[0])[0]
    with ws.cache.read() as conn:
        tid, number = conn.exec_driver_sql(
            "SELECT topic_id, post_number FROM posts WHERE id = ?", (ref.post_id,)
        ).one()
    url = urlsplit(ref.url)
    assert f"{url.scheme}://{url.netloc}" == ws.client.base_url
    back = ws.connector.links.parse(url.path)
    assert back is not None
    assert back.post_id == ref.post_id or (back.topic_id, back.post_number) == (tid, number), back


# ---------------------------------------------------------------- bulk award


def test_csv_parsing_detects_mode_and_reports_malformed_rows() -> None:
    p = parse_csv("username\n@alice\nbob.smith\n\nnot a name!\ncarol@example.com\n, \n")
    assert p.mode == "username"
    assert [e for _, e in p.entries] == ["alice", "bob.smith"]
    assert [(x.line, x.message.split(" (")[0]) for x in p.problems] == [
        (5, "not a valid username"),
        (6, "this is an e-mail, but the file lists usernames"),
        (7, "the first column is empty"),
    ]
    e = parse_csv("a@x.example\nB@Y.example;extra\nb@y.example, second column ignored\nbroken@\n")
    assert e.mode == "email"
    assert [v for _, v in e.entries] == ["a@x.example", "b@y.example"]
    assert {x.line for x in e.problems} == {2, 4}


def test_bulk_award_preview_enqueue_push_and_report(
    rec: tuple[Community, Workspace, RecognitionService],
) -> None:
    community, ws, recognition = rec
    holders = sorted(community.badge_holders(CHAMPION))
    fresh = [community.member_without_badge(CHAMPION, skip=i)[0] for i in range(3)]
    suspended = int(
        json.loads(community.rows("SELECT value FROM ground_truth WHERE key = 'fixtures'")[0][0])[
            "suspended_user_id"
        ]
    )
    email_of_fresh = community.rows("SELECT email FROM users WHERE id = ?", fresh[2])[0][0]
    csv_text = f"email\n{email_of_fresh.upper()}\nnobody@nowhere.example\nnot-an-email@\n"

    # the dry runs
    preview = recognition.preview_bulk(
        "Community Champion", user_ids=[holders[0], fresh[0], fresh[1], suspended, fresh[0], 999_999]
    )
    by = [(r.user_id, r.outcome) for r in preview.rows]
    assert by == [
        (holders[0], "holds"),
        (fresh[0], "grant"),
        (fresh[1], "grant"),
        (suspended, "not_allowed"),
        (fresh[0], "duplicate"),
        (None, "not_found"),
    ]
    assert "suspended" in preview.rows[3].detail
    csv_preview = recognition.preview_bulk("Community Champion", csv_text=csv_text)
    assert [(r.line, r.outcome) for r in csv_preview.rows] == [(2, "grant"), (3, "not_found")]
    assert [(p.line, p.message) for p in csv_preview.problems] == [(4, "not a valid e-mail address")]
    assert "1 will be granted" in csv_preview.summary() and "1 malformed" in csv_preview.summary()

    # nothing was queued by the previews
    assert ws.moderation.counts().get("pending", 0) == 0
    bulk = recognition.enqueue_bulk(preview, note="Q4 thank-you")
    bulk2 = recognition.enqueue_bulk(csv_preview)
    assert [u for u, _, _ in bulk.queued] == fresh[:2] and not bulk.refused
    assert {r.result for r in recognition.bulk_report(bulk)} >= {"queued", "already holds it", "not allowed"}
    # queued awards now show as held in a new preview
    again = recognition.preview_bulk("Community Champion", user_ids=fresh)
    assert [r.outcome for r in again.rows] == ["holds", "holds", "holds"]

    rep = ws.push()
    assert rep.writes == 3  # one write per member who did not hold the badge
    report = {
        r.user_id: r.result
        for r in recognition.bulk_report(bulk) + recognition.bulk_report(bulk2)
        if r.result != "listed twice"
    }
    assert report[fresh[0]] == report[fresh[1]] == report[fresh[2]] == "granted"
    assert report[holders[0]] == "already holds it" and report[suspended] == "not allowed"
    assert community.badge_holders(CHAMPION) == set(holders) | set(fresh)


def test_bulk_preview_blocks_disabled_and_automatic_badges(demo_server: DemoServer, tmp_path: Path) -> None:
    admin = Console(tmp_path, demo_server, "admin")
    try:
        admin.sync()
        admin.mod.probe_permissions()
        uid = demo_rows(demo_server, "SELECT id FROM users WHERE admin = 0 AND is_employee = 0 LIMIT 1")[0][0]
        beta = {b.name: b for b in admin.rec.catalog()}["Beta Tester"]
        assert not beta.enabled and not beta.grantable
        p = admin.rec.preview_bulk("Beta Tester", user_ids=[uid, 424242])
        assert p.blocking and "disabled" in p.blocking
        assert [r.outcome for r in p.rows] == ["not_allowed", "not_found"]
        with pytest.raises(ActionRefused, match="disabled"):
            admin.rec.enqueue_bulk(p)
        auto = admin.rec.preview_bulk("Basic User", user_ids=[uid])
        assert auto.rows[0].outcome == "not_allowed" and "automatically" in auto.rows[0].detail
        multi = admin.rec.preview_bulk("Problem Solver", user_ids=[uid])
        assert multi.blocking and "reason link" in multi.blocking
    finally:
        admin.close()


# ---------------------------------------------------------------- the score


def _independent_raw(cache_path: Path, since: str, until: str, uid: int) -> dict[str, float]:
    """The components recomputed in plain Python from the cached rows (no aggregate SQL)."""
    con = sqlite3.connect(cache_path)
    topics = {r[0]: r[1:] for r in con.execute("SELECT id, user_id, category_id, deleted_at FROM topics")}
    posts = con.execute(
        "SELECT id, topic_id, post_number, user_id, created_at, like_count, post_type, deleted_at FROM posts"
    ).fetchall()
    sols = {r[0]: r[1] for r in con.execute("SELECT post_id, accepted_at FROM solutions")}
    first = con.execute(
        "SELECT id, first_responder_id, first_response_at FROM topics WHERE deleted_at IS NULL"
    ).fetchall()
    con.close()
    out: dict[str, Any] = defaultdict(float)
    helped, months, cats, last = set(), set(), set(), ""
    for pid, tid, num, author, created, likes, ptype, deleted in posts:
        t = topics.get(tid)
        if author != uid or t is None or t[2] is not None or deleted or ptype != 1:
            continue
        if since[:7] <= created[:7] <= until[:7]:
            months.add(created[:7])  # calendar months touching the window
        if not since <= created < until:
            continue
        if pid in sols and t[0] != uid:
            out["accepted"] += 1
        out["likes"] += likes or 0
        cats.add(t[1])
        last = max(last, created)
        if num > 1 and t[0] != uid:
            out["replies"] += 1
            helped.add(t[0])
    out["first_responses"] = sum(1 for _, who, at in first if who == uid and at and since <= at < until)
    out["helped"], out["months_active"], out["breadth"] = len(helped), len(months), len(cats)
    out["last"] = last
    return out


def test_score_matches_an_independent_recomputation(mod1: Console) -> None:
    server = mod1.server
    ranking = mod1.su.rank(now=DEMO_NOW, limit=None)
    win = ranking.window
    assert win == window_for(12, DEMO_NOW)
    assert len(ranking.candidates) >= 5
    # exclusions: staff, employees (group and vendor e-mail domain), current superusers
    excluded = {
        r[0]
        for r in demo_rows(
            server,
            "SELECT id FROM users WHERE admin = 1 OR moderator = 1 OR is_employee = 1 "
            "UNION SELECT user_id FROM user_badges WHERE badge_id = 201 "
            "UNION SELECT user_id FROM group_users WHERE group_id = 41",
        )
    }
    ids = {c.user_id for c in ranking.candidates}
    assert not ids & excluded
    assert ranking.excluded > 0 and ranking.considered >= len(ranking.candidates) + ranking.excluded
    # every candidate's raw values, normalisation and contributions check out
    maxima: dict[str, float] = defaultdict(float)
    recomputed = {
        c.user_id: _independent_raw(mod1.cache.path, win.since, win.until, c.user_id)
        for c in ranking.candidates
    }
    for raw in recomputed.values():
        for k in COMPONENTS[:-1]:
            maxima[k] = max(maxima[k], float(raw[k]))
    weights = ProgramSettings().weights
    total_w = sum(weights.values())
    for c in ranking.candidates:
        raw = recomputed[c.user_id]
        for comp in c.components:
            if comp.name == "recency":
                last = datetime.fromisoformat(str(raw["last"]).replace("Z", "+00:00"))
                assert comp.raw == pytest.approx((DEMO_NOW - last).total_seconds() / 86400, abs=0.06)
                assert comp.normalised == pytest.approx(max(0.0, 1 - comp.raw / 90), abs=0.001)
            else:
                assert comp.raw == raw[comp.name], (c.username, comp.name)
                if comp.name == "months_active":
                    want = comp.raw / 12
                elif comp.name == "breadth":
                    want = comp.raw / maxima["breadth"]
                else:
                    want = math.log1p(comp.raw) / math.log1p(maxima[comp.name])
                assert comp.normalised == pytest.approx(want), (c.username, comp.name)
            assert comp.weight == weights[comp.name]
            assert comp.contribution == pytest.approx(100 * comp.weight * comp.normalised / total_w)
        assert c.score == pytest.approx(sum(x.contribution for x in c.components))
    scores = [c.score for c in ranking.candidates]
    assert scores == sorted(scores, reverse=True)

    # evidence: the post ids behind the counts
    top = ranking.candidates[0]
    ev = mod1.su.evidence(top.user_id, now=DEMO_NOW)
    assert len(ev.posts["accepted"]) == top.component("accepted").raw
    assert len(ev.posts["replies"]) == min(50, top.component("replies").raw)
    assert len(ev.posts["first_responses"]) == top.component("first_responses").raw
    for pid in ev.posts["accepted"]:
        assert demo_rows(server, "SELECT count(*) FROM solutions WHERE post_id = ?", pid)[0][0] == 1
        assert ev.links[pid].startswith(server.base_url + "/t/")


def test_weights_are_settings_and_change_the_ranking(mod1: Console) -> None:
    s = mod1.su.settings()
    assert s.weights["accepted"] == 3.0 and s.window_months == 12
    only_first = ProgramSettings(weights={k: (1.0 if k == "first_responses" else 0.0) for k in COMPONENTS})
    mod1.su.save_settings(only_first)
    assert mod1.su.settings().weights["replies"] == 0.0
    ranked = mod1.su.rank(now=DEMO_NOW, limit=None).candidates
    firsts = [c.component("first_responses").raw for c in ranked]
    assert firsts == sorted(firsts, reverse=True)
    assert all(sum(x.contribution for x in c.components if x.name != "first_responses") == 0 for c in ranked)
    short = mod1.su.rank(months=1, now=DEMO_NOW, limit=None)
    assert short.window.months == 1 and len(short.candidates) < len(ranked)


# ---------------------------------------------------------------- nominations


def test_two_consoles_nominate_second_and_approve(demo_server: DemoServer, tmp_path: Path) -> None:
    one = Console(tmp_path, demo_server, "moderator")
    two = Console(tmp_path, demo_server, "moderator2")
    try:
        for c in (one, two):
            c.sync()
            c.mod.probe_permissions()
        cand = one.su.rank(now=DEMO_NOW).candidates[0]
        q = one.su.nominate(cand.user_id, "Answers payroll questions within hours, kindly.", now=DEMO_NOW)
        listed = one.su.list_nominations()
        assert [(n.state, n.username) for n in listed] == [("queued", cand.username)]
        with pytest.raises(ActionRefused, match="already has an open nomination"):
            one.su.nominate(cand.user_id, "Second nomination of the same member", now=DEMO_NOW)
        one.push()
        assert one.mod.get(q.op_uuid).state == "done"  # type: ignore[union-attr]

        two.sync()
        seen = two.su.list_nominations()
        assert len(seen) == 1
        n = seen[0]
        assert (n.state, n.user_id, n.username, n.seconds) == ("open", cand.user_id, cand.username, 0)
        assert n.score == pytest.approx(round(cand.score, 2))
        assert set(n.components) == set(COMPONENTS) and n.window["months"] == 12
        assert "payroll questions" in n.note and n.nominated_by == one.mod.me
        cat = demo_rows(demo_server, "SELECT category_id FROM topics WHERE id = ?", n.topic_id)[0][0]
        assert demo_rows(demo_server, "SELECT read_restricted FROM categories WHERE id = ?", cat)[0][0] == 1

        assert n.topic_id is not None
        two.su.second(n.topic_id)
        assert two.su.list_nominations()[0].pending == "second queued"
        with pytest.raises(ActionRefused, match="already seconded"):
            two.su.second(n.topic_id)
        two.push()
        with pytest.raises(ActionRefused, match="yourself"):
            one.sync()
            one.su.second(n.topic_id)

        # the second reaches console one after a sync (refresh_nominations re-reads open nominations)
        one.su.refresh_nominations(one.client)
        mine = one.su.list_nominations()[0]
        assert mine.seconds == 1 and mine.state == "open"

        res = one.su.approve(n.topic_id, trust_level=4)
        kinds = [one.mod.get(x.op_uuid).kind for x in res.queued]  # type: ignore[union-attr]
        assert kinds == ["add_group_member", "grant_badge", "set_trust_level", "create_post"] or kinds == [
            "add_group_member",
            "grant_badge",
            "create_post",
        ]
        assert one.su.list_nominations()[0].pending == "approval queued"
        one.push()
        uid = cand.user_id
        assert (
            demo_rows(
                demo_server, "SELECT count(*) FROM group_users WHERE group_id = 41 AND user_id = ?", uid
            )[0][0]
            == 1
        )
        grant = demo_rows(
            demo_server, "SELECT post_id FROM user_badges WHERE badge_id = 201 AND user_id = ?", uid
        )
        assert len(grant) == 1
        first_post = demo_rows(
            demo_server, "SELECT id FROM posts WHERE topic_id = ? AND post_number = 1", n.topic_id
        )[0][0]
        assert grant[0][0] == first_post  # the reason links the nomination
        assert demo_rows(demo_server, "SELECT trust_level FROM users WHERE id = ?", uid)[0][0] == 4

        two.sync()
        two.su.refresh_nominations(two.client)
        after = two.su.list_nominations()[0]
        assert after.state == "approved"
        # now a superuser: no longer a candidate
        assert uid not in {c.user_id for c in two.su.rank(now=DEMO_NOW, limit=None).candidates}
    finally:
        one.close()
        two.close()


def test_decline_replies_and_closes(mod1: Console, demo_server: DemoServer, tmp_path: Path) -> None:
    cand = mod1.su.rank(now=DEMO_NOW).candidates[1]
    mod1.su.nominate(cand.user_id, "Great answers in the Benefits category.", now=DEMO_NOW)
    mod1.push()
    mod1.sync()
    n = mod1.su.list_nominations()[0]
    assert n.topic_id is not None
    with pytest.raises(ActionRefused, match="reason"):
        mod1.su.decline(n.topic_id, "")
    mod1.su.decline(n.topic_id, "Too early, ask again in spring")
    assert mod1.su.list_nominations()[0].pending == "decline queued"
    mod1.push()
    assert demo_rows(demo_server, "SELECT closed FROM topics WHERE id = ?", n.topic_id)[0][0] == 1
    mod1.su.refresh_nominations(mod1.client)
    mod1.sync()
    assert mod1.su.list_nominations()[0].state == "declined"
    with pytest.raises(ActionRefused, match="declined"):
        mod1.su.approve(n.topic_id)


def test_only_leads_approve_when_leads_are_set(mod1: Console) -> None:
    mod1.su.save_settings(ProgramSettings(leads=("someone_else",)))
    with pytest.raises(ActionRefused, match="leads"):
        mod1.su.approve(1)


def test_nomination_block_parses_from_raw_and_cooked() -> None:
    raw = 'Note.\n\n```modconsole-nomination\n{"user_id":5,"username":"x","score":1.5}\n```'
    assert parse_nomination(raw)["user_id"] == 5  # type: ignore[index]
    cooked = (
        '<p>Note.</p><pre><code class="lang-modconsole-nomination">'
        "{&quot;user_id&quot;:5,&quot;username&quot;:&quot;x&quot;}\n</code></pre>"
    )
    assert parse_nomination(None, cooked)["username"] == "x"  # type: ignore[index]
    assert parse_nomination("no block here") is None
    assert parse_nomination('```modconsole-nomination\n{"user_id":"5"}\n```') is None


# ---------------------------------------------------------------- renewal


def test_renewal_flags_inactive_superusers(mod1: Console) -> None:
    server = mod1.server
    supers = {r[0] for r in demo_rows(server, "SELECT user_id FROM user_badges WHERE badge_id = 201")}
    assert mod1.su.renewal(now=DEMO_NOW, months=6) == []  # all of them posted recently
    later = datetime(2028, 1, 1, tzinfo=UTC)
    rows = mod1.su.renewal(now=later, months=6)
    assert {r.user_id for r in rows} == supers
    for r in rows:
        last = demo_rows(
            server,
            "SELECT max(created_at) FROM posts WHERE user_id = ? AND post_type = 1 AND deleted_at IS NULL",
            r.user_id,
        )[0][0]
        assert r.last_post_at == last and r.months_inactive is not None and r.months_inactive > 12


# ---------------------------------------------------------------- offline


def test_everything_queues_offline_then_syncs(demo_server: DemoServer, tmp_path: Path) -> None:
    c = Console(tmp_path, demo_server, "moderator", base_url=_closed_port())
    try:
        c.sync()  # the pull used the real server; from here the console is offline
        c.mod.probe_permissions()
        assert isinstance(c.mod.client, ApiClient) and c.mod.client is not c.client
        rank = c.su.rank(now=DEMO_NOW)
        cand = rank.candidates[0]
        fresh = [x.user_id for x in rank.candidates[1:3]]
        c.su.nominate(cand.user_id, "Offline nomination, written on the train.", now=DEMO_NOW)
        preview = c.rec.preview_bulk("Community Champion", user_ids=fresh)
        assert [r.outcome for r in preview.rows] == ["grant", "grant"]
        bulk = c.rec.enqueue_bulk(preview)
        rep = c.mod.dispatcher().push(CancelToken())
        assert rep.writes == 0 or rep.breaker is not None
        assert {r.result for r in c.rec.bulk_report(bulk)} == {"queued"}
        assert c.su.list_nominations()[0].state == "queued"
        assert (
            demo_rows(
                demo_server,
                "SELECT count(*) FROM topics WHERE title LIKE 'Superuser nomination: @%' AND title = ?",
                f"Superuser nomination: @{cand.username}",
            )[0][0]
            == 0
        )

        c.online()
        c.push()
        assert {r.result for r in c.rec.bulk_report(bulk)} == {"granted"}
        assert {
            r[0] for r in demo_rows(demo_server, "SELECT user_id FROM user_badges WHERE badge_id = 203")
        } >= set(fresh)
        c.sync()
        listed = c.su.list_nominations()
        assert [(n.state, n.user_id) for n in listed] == [("open", cand.user_id)]
    finally:
        c.close()
