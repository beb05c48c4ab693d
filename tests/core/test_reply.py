"""Replies and whispers from the console (issue 14.3) against the demo server over loopback:
exactly once under ``apply_then_drop``, whispers only where the site allows them, the refusals,
saved replies with their placeholders, drafts, the preview through the sanitizer, and
``modconsole reply``."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from modconsole import settings
from modconsole.cache.db import Cache
from modconsole.connectors.discourse import actions
from modconsole.connectors.registry import connector_for
from modconsole.demo.server import DemoServer, FaultRule
from modconsole.errors import InvalidInput
from modconsole.exitcodes import ExitCode
from modconsole.services import replies
from modconsole.services.moderation import ModerationService
from tests.core.outbox_support import demo_rows, opened_service
from tests.core.outbox_support import run_cli as _run


def _topics(server: DemoServer, n: int, *, closed: bool = False) -> list[int]:
    rows = demo_rows(
        server,
        "SELECT id FROM topics WHERE deleted_at IS NULL AND visible = 1 AND archetype = 'regular' "
        "AND closed = ? AND archived = 0 ORDER BY id LIMIT ?",
        1 if closed else 0,
        n,
    )
    return [int(r[0]) for r in rows]


def _landed(server: DemoServer, op_uuid: str) -> list[tuple[int, int]]:
    """(post id, post_type) of every post on the server carrying this op's recognition token."""
    marker = actions.token_marker(op_uuid)
    return [
        (int(a), int(b))
        for a, b in demo_rows(
            server, "SELECT id, post_type FROM posts WHERE instr(raw, ?) > 0 AND deleted_at IS NULL", marker
        )
    ]


@pytest.fixture
def mod(demo_server: DemoServer, tmp_path: Path) -> Iterator[tuple[ModerationService, Cache]]:
    with opened_service(tmp_path, demo_server) as (svc, cache, _client):
        yield svc, cache


def test_replies_land_exactly_once_when_every_answer_is_dropped(
    demo_server: DemoServer, mod: tuple[ModerationService, Cache]
) -> None:
    svc, _ = mod
    tids = _topics(demo_server, 4)
    queued = [svc.reply(t, f"Reply {i} to topic {t}: we are looking into it.") for i, t in enumerate(tids)]
    queued.append(svc.reply(tids[0], "A second reply in the same topic, also sent once."))
    before = demo_rows(demo_server, "SELECT COUNT(*) FROM posts")[0][0]
    # the server applies each reply, then the connection dies before the answer: ambiguous
    demo_server.add_fault(FaultRule("apply_then_drop", "POST", "/posts.json", count=len(queued)))
    report = svc.dispatcher().push()
    assert sorted(report.done) == sorted(q.op_uuid for q in queued)
    for q in queued:
        row = svc.get(q.op_uuid)
        assert row is not None and (row.state, row.resolution) == ("done", "already_applied")
        assert len(_landed(demo_server, q.op_uuid)) == 1  # found by its token, never sent again
    assert demo_server.request_count("POST", "/posts.json") == len(queued)
    assert demo_rows(demo_server, "SELECT COUNT(*) FROM posts")[0][0] == before + len(queued)


def test_replies_under_random_drops_each_land_once(
    demo_server: DemoServer, mod: tuple[ModerationService, Cache]
) -> None:
    svc, _ = mod
    tids = _topics(demo_server, 3)
    queued = [
        svc.reply(tids[i % 3], f"Answer number {i}, please check the settings page.") for i in range(12)
    ]
    demo_server.add_fault(FaultRule("apply_then_drop", "POST", "/posts.json", probability=0.5))
    for _ in range(3):  # a row whose read-back failed stays in flight; the next push settles it
        svc.dispatcher().push()
        if all((r := svc.get(q.op_uuid)) is not None and r.state == "done" for q in queued):
            break
    demo_server.clear_faults()
    svc.dispatcher().push()
    for q in queued:
        row = svc.get(q.op_uuid)
        assert row is not None and row.state == "done", (row.state if row else None, row and row.last_error)
        assert len(_landed(demo_server, q.op_uuid)) == 1


def test_whisper_only_where_the_site_allows_it(
    demo_server: DemoServer, mod: tuple[ModerationService, Cache]
) -> None:
    svc, _ = mod  # a moderator; whispers_allowed_groups is empty on the demo: only admins whisper
    assert svc.permissions().whisperer is False
    (tid,) = _topics(demo_server, 1)
    with pytest.raises(InvalidInput, match="cannot post whispers"):
        svc.reply(tid, "Internal: escalated.", whisper=True)
    # the server refuses too (a cache that did not know yet): 403 invalid_access, message key
    # invalid_whisper_access — the row fails, nothing is posted
    with httpx.Client(base_url=demo_server.base_url) as http:
        me = demo_server.credentials.moderator
        r = http.post(
            "/posts.json",
            data={"topic_id": tid, "raw": "psst, staff only", "whisper": "true"},
            headers={"User-Api-Key": me.key},
        )
    assert r.status_code == 403 and r.json()["error_type"] == "invalid_access"
    assert "whisper" in r.json()["errors"][0]

    demo_server.set_setting("whispers_allowed_groups", "staff")
    assert svc.probe_permissions(force=True).whisperer is True
    q = svc.reply(tid, "Internal: escalated to the product team.", whisper=True)
    svc.dispatcher().push()
    row = svc.get(q.op_uuid)
    assert row is not None and (row.state, row.resolution) == ("done", "applied")
    assert row.describe() == f"Whisper in topic {tid}"
    ((_pid, post_type),) = _landed(demo_server, q.op_uuid)
    assert post_type == 4
    # a member never sees it
    with httpx.Client(base_url=demo_server.base_url) as http:
        member = demo_server.credentials.member
        view = http.get(f"/t/{tid}.json", headers={"User-Api-Key": member.key}).json()
    assert _pid not in view["post_stream"]["stream"]


def test_whisper_lands_once_under_apply_then_drop(
    demo_server: DemoServer, mod: tuple[ModerationService, Cache]
) -> None:
    svc, _ = mod
    demo_server.set_setting("whispers_allowed_groups", "staff")
    svc.probe_permissions(force=True)
    (tid,) = _topics(demo_server, 1)
    q = svc.reply(tid, "Staff only: the customer is on the enterprise plan.", whisper=True)
    demo_server.add_fault(FaultRule("apply_then_drop", "POST", "/posts.json", count=1))
    svc.dispatcher().push()
    row = svc.get(q.op_uuid)
    assert row is not None and (row.state, row.resolution) == ("done", "already_applied")
    assert [t for _, t in _landed(demo_server, q.op_uuid)] == [4]


def test_refusals_are_one_clear_line_and_save_nothing(
    demo_server: DemoServer, mod: tuple[ModerationService, Cache], tmp_path: Path
) -> None:
    svc, _ = mod
    (tid,) = _topics(demo_server, 1)
    for text, match in (("", "The reply is empty."), ("  x ", "The reply is empty.")):
        with pytest.raises(InvalidInput, match=match):
            svc.reply(tid, text)
    with pytest.raises(InvalidInput, match="Topic 987654 is not known here"):
        svc.reply(987654, "Hello there")
    assert svc.outbox() == []
    # a closed topic: refused for a member; staff may post there (Guardian)
    closed = _topics(demo_server, 1, closed=True)
    assert closed, "the demo community has closed topics"
    with opened_service(tmp_path, demo_server, "member") as (member, _mcache, _mclient):
        with pytest.raises(InvalidInput, match=r"is closed: only staff can reply\."):
            member.reply(closed[0], "Me too!")
        assert member.outbox() == []
    q = svc.reply(closed[0], "Closing note from the moderators.")
    assert svc.get(q.op_uuid) is not None


def test_saved_replies_placeholders_drafts_and_preview(
    demo_server: DemoServer, mod: tuple[ModerationService, Cache]
) -> None:
    svc, cache = mod
    with cache.read() as conn:
        assert settings.get(conn, replies.SAVED_REPLIES) == replies.DEFAULT_SAVED_REPLIES
        assert {r.language for r in replies.DEFAULT_SAVED_REPLIES} == {"en", "de"}
        solved_similar = demo_rows(
            demo_server,
            "SELECT t.id FROM topics t WHERE EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) "
            "ORDER BY t.id LIMIT 1",
        )[0][0]
        ctx = replies.reply_context(conn, int(solved_similar), site_url=svc.site_url, me=svc.me)
    name, username = demo_rows(
        demo_server,
        "SELECT u.name, u.username FROM topics t JOIN users u ON u.id = t.user_id WHERE t.id = ?",
        solved_similar,
    )[0]
    assert ctx.asker_username == username and ctx.asker_name == (name or "")
    body = replies.fill("Hi {asker} (@{asker_username}),\n\n{similar}\n\nby {me} {unknown}", ctx)
    assert body.startswith(f"Hi {name or username} (@{username}),") and body.endswith(
        f"by {svc.me} {{unknown}}"
    )
    for title, url in ctx.similar:  # links to solved questions, never the topic itself
        assert url.startswith(svc.site_url) and not url.endswith(f"/{solved_similar}")
        assert title in body.replace("\\[", "[").replace("\\]", "]")
    assert ctx.similar and all("/t/" in url for _, url in ctx.similar)  # Discourse's form by default
    # the platform's own form where the caller passes its connector's link (Vanilla: /discussion/)
    vanilla = connector_for("vanilla")
    with cache.read() as conn:
        other = replies.reply_context(
            conn,
            int(solved_similar),
            site_url=svc.site_url,
            me=svc.me,
            link=lambda tid, slug: vanilla.web_url(svc.site_url, tid, slug),
        )
    assert [t for t, _ in other.similar] == [t for t, _ in ctx.similar]
    assert all("/discussion/" in url and "/t/" not in url for _, url in other.similar)
    nothing = replies.ReplyContext(1, "t", "", "anna", "mod", ())
    assert replies.fill("Hi {asker},\n\n{similar}\n\nBye", nothing) == "Hi anna,\n\nBye"

    custom = (replies.new_saved_reply("Thanks", "Thanks {asker}!", "en"),)
    settings.store(cache, replies.SAVED_REPLIES, custom)
    assert settings.load(cache, replies.SAVED_REPLIES) == custom
    with pytest.raises(InvalidInput, match="needs a title"):
        settings.store(cache, replies.SAVED_REPLIES, (replies.new_saved_reply(" ", "body"),))
    assert settings.load(cache, replies.SAVED_REPLIES) == custom  # nothing stored

    with cache.write() as conn:
        replies.save_draft(conn, 42, "half a reply", whisper=True)
    with cache.read() as conn:
        d = replies.get_draft(conn, 42)
    assert d is not None and d.raw == "half a reply" and d.whisper
    with cache.write() as conn:
        replies.clear_draft(conn, 42)
    with cache.read() as conn:
        assert replies.get_draft(conn, 42) is None

    html = replies.preview_html(
        "**bold** [x](javascript:alert(1)) <script>alert(2)</script>\n\n"
        "<img src=https://evil.example/p.png>\n\n" + actions.token_marker("abc")
    )
    assert "<strong>bold</strong>" in html and 'href="javascript' not in html and "<script" not in html
    assert "alert(2)" not in html
    assert "mc:abc" not in html and "evil.example/p.png" in html and "<img" not in html


def test_cli_reply(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = demo_server
    me = server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", server.base_url, "--username", me.username, "--key-kind", "user"]
    code, _, err = _run(capsys, "sync", *site, "--unpaced", "--json")
    assert code == 0, err
    (tid,) = _topics(server, 1)

    code, data, _ = _run(capsys, "reply", str(tid), "--text", "We are on it, thanks!", *site, "--json")
    assert code == 0 and (data["state"], data["resolution"]) == ("done", "applied")
    assert len(_landed(server, data["op_uuid"])) == 1

    monkeypatch.setattr("sys.stdin", io.StringIO("From **stdin**, line one.\nLine two.\n"))
    code, data, _ = _run(capsys, "reply", str(tid), "--text", "-", *site, "--json")
    assert code == 0 and data["state"] == "done"
    raw = demo_rows(server, "SELECT raw FROM posts WHERE instr(raw, ?) > 0", data["op_uuid"])[0][0]
    assert raw.startswith("From **stdin**, line one.\nLine two.")

    cases = (
        (["--text", "  "], "The reply is empty."),
        (["--text", "hello", "--whisper"], "cannot post whispers"),
    )
    for extra, message in cases:
        code, _, err = _run(capsys, "reply", str(tid), *extra, *site)
        assert code == ExitCode.BAD_INPUT and message in err and len(err.strip().splitlines()) == 1
    code, _, err = _run(capsys, "reply", "987654", "--text", "hello", *site)
    assert code == ExitCode.BAD_INPUT and "Topic 987654 is not known here" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = _run(capsys, "reply", str(tid), "--text", "-", *site)
    assert code == ExitCode.BAD_INPUT and "The reply is empty." in err
