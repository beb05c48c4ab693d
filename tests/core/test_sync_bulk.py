"""The bulk mirror (issue 13 part 2): Data Explorer mirror queries installed by ``modconsole setup
bulk-sync``, used by the sync, and — the invariant — a bulk sync and a REST sync with the same key
give the same cache, table by table, on a community with a private message, a whisper, a deleted
post and a category the runner may not see. Real HTTP to the demo server."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pglast
import pytest

from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.sync import bulk
from modconsole.demo import core
from modconsole.demo.server import DemoServer
from modconsole.sync import SyncEngine
from tests.conftest import copy_db
from tests.core.sync_support import client_for, engine_for, sync
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration

# Bookkeeping, not server truth: which pass saw a row, the upsert token, the run's own records
# (the day ledger counts the requests each way spent: that they differ is the point of bulk).
_SKIP_COLUMNS = {"seen_in_pass", "change_token"}
_SKIP_TABLES = {"sync_cursors", "settings", "server_clock", "site", "day_ledger"}
# Filled by REST only for topics it happened to re-read (the topic view): bulk fills every one.
_ENRICHED = {("topics", "accepted_post_id")}
# Shown by REST's topic view only (and only with show_who_marked_solved): bulk never fills it, the
# next REST re-read of that topic does. Compared as "bulk has no more than REST".
_REST_ONLY = {("solutions", "accepter_username")}


def _de(srv: DemoServer, **body: Any) -> None:
    r = httpx.put(
        f"{srv.base_url}/_demo/data_explorer",
        json=body,
        headers={"Api-Key": srv.credentials.admin.key},
        timeout=WAIT_S,
    )
    assert r.status_code == 200, r.text


@pytest.fixture
def srv(tiny_community_master: Path, tmp_path: Path) -> Iterator[DemoServer]:
    server = DemoServer(copy_db(tiny_community_master, tmp_path / "demo.sqlite3"))
    server.start()

    def add(con: sqlite3.Connection) -> None:
        admin_id = con.execute("SELECT id FROM users WHERE admin = 1 LIMIT 1").fetchone()[0]
        topic = con.execute(
            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
            "WHERE NOT c.read_restricted AND t.deleted_at IS NULL AND t.visible LIMIT 1"
        ).fetchone()[0]
        core.create_post(con, admin_id, topic, "a whisper only admins read", post_type=4)
        pm = core.create_topic(con, admin_id, "A private word", "between the two of us", 1)
        con.execute("UPDATE topics SET archetype = 'private_message' WHERE id = ?", (pm,))
        # a grant for a post, of a badge that keeps its posts private, and of one that shows them
        for shows in (0, 1):
            badge = con.execute(
                "SELECT id FROM badges WHERE show_posts = ? AND enabled AND listable ORDER BY id LIMIT 1",
                (shows,),
            ).fetchone()[0]
            con.execute(
                "INSERT INTO user_badges (badge_id, user_id, granted_at, granted_by_id, post_id) "
                "VALUES (?, ?, '2026-10-01T10:00:00.000Z', ?, (SELECT max(id) FROM posts WHERE user_id = ?))",
                (badge, admin_id, admin_id, admin_id),
            )

    server.write(add)
    server.write(_private_groups)
    try:
        yield server
    finally:
        server.stop()


# Groups the keys may not all see (Group.visibility_levels: 1 logged-on users, 2 members, 3 staff,
# 4 owners): (name, visibility_level, members_visibility_level, the member key belongs to it).
_PRIVATE_GROUPS = (
    ("board", 4, 4, False),  # only its owners (and admins) see it
    ("advisors", 1, 4, False),  # everyone sees it; its members only its owners (and admins)
    ("insiders", 2, 2, True),  # its members and staff
    ("staffroom", 3, 3, False),  # staff (and owners)
)


def _private_groups(con: sqlite3.Connection) -> None:
    keys = [
        int(r[0])
        for r in con.execute(
            "SELECT user_id FROM api_keys "
            "WHERE description IN ('demo:moderator', 'demo:member', 'demo:admin')"
        )
    ]
    member = con.execute("SELECT user_id FROM api_keys WHERE description = 'demo:member'").fetchone()[0]
    others = [
        int(r[0])
        for r in con.execute(
            "SELECT id FROM users WHERE NOT admin AND NOT moderator AND deleted_at IS NULL "
            f"AND id NOT IN ({', '.join(map(str, keys))}) ORDER BY id LIMIT 3"
        )
    ]
    for i, (name, seen, members_seen, with_member) in enumerate(_PRIVATE_GROUPS):
        gid = 60 + i
        con.execute(
            "INSERT INTO groups (id, name, full_name, visibility_level, members_visibility_level) "
            "VALUES (?, ?, ?, ?, ?)",
            (gid, name, name.title(), seen, members_seen),
        )
        for j, uid in enumerate(others + ([member] if with_member else [])):
            con.execute(
                "INSERT INTO group_users (group_id, user_id, owner, created_at) VALUES (?, ?, ?, ?)",
                (gid, uid, int(j == 0), f"2026-09-0{j + 1}T08:00:00.000Z"),
            )


def _tables(path: Path) -> dict[str, tuple[list[str], set[tuple[Any, ...]]]]:
    con = sqlite3.connect(path)
    try:
        names = [
            str(r[0])
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%fts%' AND name != 'alembic_version' ORDER BY name"
            )
        ]
        out = {}
        for t in names:
            if t in _SKIP_TABLES:
                continue
            cols = [
                str(r[1])
                for r in con.execute(f"PRAGMA table_info({t})")
                if r[1] not in _SKIP_COLUMNS and (t, r[1]) not in _REST_ONLY
            ]
            exprs = [f"{t}.{c}" for c in cols]
            if t == "companies":  # local ids, numbered in the order members were met: by content
                exprs[cols.index("id")] = "NULL"
            if t == "users":
                exprs[cols.index("company_id")] = (
                    "(SELECT domain FROM companies k WHERE k.id = users.company_id)"
                )
            out[t] = (cols, {tuple(r) for r in con.execute(f"SELECT {', '.join(exprs)} FROM {t}")})
        return out
    finally:
        con.close()


def compare(bulk_cache: Path, rest_cache: Path) -> dict[str, str]:
    """Differences per table ({} when equal). Enriched columns: where REST has a value, bulk has it."""
    a, b = _tables(bulk_cache), _tables(rest_cache)
    assert a.keys() == b.keys()
    diffs = {}
    for t in a:
        cols, ra = a[t]
        _, rb = b[t]
        enriched = [i for i, c in enumerate(cols) if (t, c) in _ENRICHED]
        if enriched:
            key = 0
            by_a = {r[key]: r for r in ra}
            for r in rb:
                other = by_a.get(r[key])
                same = other is not None and all(
                    x == y or (i in enriched and y is None)
                    for i, (x, y) in enumerate(zip(other, r, strict=True))
                )
                if not same:
                    diffs[t] = f"row {r} (REST) vs {other} (bulk)"
                    break
            if len(ra) != len(rb) and t not in diffs:
                diffs[t] = f"{len(ra)} rows (bulk) vs {len(rb)} (REST)"
        elif ra != rb:
            diffs[t] = f"only bulk {sorted(ra - rb)[:2]}, only REST {sorted(rb - ra)[:2]}"
    return diffs


def _accepters(path: Path) -> set[tuple[int, str]]:
    """Who accepted which answer, where the cache knows it."""
    con = sqlite3.connect(path)
    try:
        sql = "SELECT post_id, accepter_username FROM solutions WHERE accepter_username IS NOT NULL"
        return {(int(r[0]), str(r[1])) for r in con.execute(sql)}
    finally:
        con.close()


def _sync_both(srv: DemoServer, tmp: Path, role: str, group: str) -> tuple[Any, Any]:
    reports = []
    for name, use_bulk in (("bulk", True), ("rest", False)):
        engine, client, cache = engine_for(
            srv, tmp / f"{name}.sqlite3", role, bulk=use_bulk, bulk_run_interval=0, bulk_groups=(group,)
        )
        try:
            reports.append(sync(engine))
            reports.append(sync(engine))  # the incremental after it
        finally:
            cache.close()
            client.close()
    first_bulk, next_bulk, first_rest, next_rest = reports
    # The cursors a bulk first sync leaves serve the incremental exactly as the REST ones do.
    assert next_bulk.requests == next_rest.requests and next_bulk.requests_total <= 4, (
        next_bulk.requests,
        next_rest.requests,
    )
    return first_bulk, first_rest


@pytest.mark.parametrize(
    ("role", "group", "view_emails"),
    [
        ("moderator", "moderators", False),
        ("moderator", "moderators", True),
        ("admin", "moderators", False),
        ("member", "trust_level_2", True),
    ],
)
def test_bulk_and_rest_give_the_same_cache(
    srv: DemoServer, tmp_path: Path, role: str, group: str, view_emails: bool
) -> None:
    """Table by table, for each key — a moderator's with ``moderators_view_emails`` off (Discourse's
    default, assumed) and on — and groups the key may not see or whose members it may not list."""
    _de(srv, enabled=True)
    srv.set_setting("moderators_view_emails", view_emails)
    admin = client_for(srv, "admin")
    try:
        bulk.install(admin, group)
    finally:
        admin.close()
    with_bulk, rest = _sync_both(srv, tmp_path, role, group)
    assert any("mirrored through the Data Explorer" in n for n in with_bulk.notes), with_bulk.notes
    assert "bulk" not in rest.requests and "posts" not in with_bulk.requests
    assert compare(tmp_path / "bulk.sqlite3", tmp_path / "rest.sqlite3") == {}
    # members and groups came through the mirror: no REST member pages, no request a group
    assert not any("listed over REST" in n for n in with_bulk.notes), with_bulk.notes
    assert any("groups and their members mirrored" in n for n in with_bulk.notes), with_bulk.notes
    if role != "member":
        # the users stage: the staff list (REST's probe for e-mails and the vendor's domains, a
        # second try without e-mails when refused) and the members query's one run
        assert with_bulk.requests["users"] <= 3, with_bulk.requests
    assert with_bulk.requests["groups"] == 2 < rest.requests["groups"], (with_bulk.requests, rest.requests)
    con = sqlite3.connect(tmp_path / "bulk.sqlite3")
    try:  # what the runner may not read is not in the cache at all
        assert _accepters(tmp_path / "bulk.sqlite3") <= _accepters(tmp_path / "rest.sqlite3")
        users_walk = con.execute(
            "SELECT last_complete_pass_at FROM sync_cursors WHERE resource = 'bulk:users'"
        ).fetchone()
        assert (users_walk is not None and users_walk[0] is not None) == (role != "member")
        emails = con.execute("SELECT count(*) FROM users WHERE email IS NOT NULL").fetchone()[0]
        assert (emails > 0) == (role == "admin" or (role == "moderator" and view_emails))
        groups = {
            str(r[0]): int(r[1])
            for r in con.execute(
                "SELECT g.name, (SELECT count(*) FROM group_members m WHERE m.group_id = g.id) "
                "FROM groups g WHERE g.gone_since IS NULL"
            )
        }
        listed = {
            "admin": {"board": 3, "advisors": 3, "insiders": 4, "staffroom": 3},
            "moderator": {"advisors": 0, "insiders": 4, "staffroom": 3},
            "member": {"advisors": 0, "insiders": 4},
        }[role]
        assert {g: n for g, n in groups.items() if g in {n for n, *_ in _PRIVATE_GROUPS}} == listed
        assert groups["trust_level_0"] > 0
        assert con.execute("SELECT count(*) FROM topics WHERE archetype != 'regular'").fetchone()[0] == 0
        whispers = con.execute("SELECT count(*) FROM posts WHERE post_type = 4").fetchone()[0]
        assert (whispers > 0) == (role == "admin")
        deleted = con.execute("SELECT count(*) FROM posts WHERE deleted_at IS NOT NULL").fetchone()[0]
        assert (deleted > 0) == (role != "member")
        restricted = con.execute(
            "SELECT count(*) FROM topics t JOIN categories c ON c.id = t.category_id WHERE c.read_restricted"
        ).fetchone()[0]
        assert (restricted > 0) == (role != "member")
    finally:
        con.close()


def test_without_the_plugin_sync_falls_back_to_rest_with_one_note(srv: DemoServer, tmp_path: Path) -> None:
    engine, client, cache = engine_for(srv, tmp_path / "c.sqlite3", "moderator", bulk_run_interval=0)
    try:
        report = sync(engine)
    finally:
        cache.close()
        client.close()
    notes = [n for n in report.notes if n.startswith("bulk:")]
    assert len(notes) == 1 and "synced over REST" in notes[0]
    assert report.requests.get("posts", 0) > 0


def test_setup_is_idempotent_and_names_the_setting_when_off(srv: DemoServer) -> None:
    admin = client_for(srv, "admin")
    try:
        with pytest.raises(bulk.PluginOff):
            bulk.install(admin)
        _de(srv, enabled=True)
        first = bulk.install(admin)
        again = bulk.install(admin)
    finally:
        admin.close()
    assert [a for _, a, _ in first.actions] == ["created"] * len(bulk.QUERIES)
    assert [a for _, a, _ in again.actions] == ["unchanged"] * len(bulk.QUERIES)
    assert [q for _, _, q in first.actions] == [q for _, _, q in again.actions]


@pytest.mark.parametrize(("name", "schema", "sql"), bulk.all_sql())
def test_every_mirror_query_is_valid_postgresql(name: str, schema: str, sql: str) -> None:
    assert ";" not in sql  # the plugin fails any SQL holding a semicolon
    # As the plugin runs it: declared :params become binds, inside its LIMIT wrapper.
    bound = sql
    for i, p in enumerate(("me", "after", "batch"), 1):
        bound = bound.replace(f":{p}", f"${i}")
    stmts = pglast.parse_sql(f"WITH query AS (\n{bound}\n) SELECT * FROM query LIMIT 10000")
    assert len(stmts) == 1, name


def test_runs_over_the_site_limit_wait_per_retry_after(srv: DemoServer, tmp_path: Path) -> None:
    """``max_data_explorer_api_req_mode = block``: the third run within 10 s gets a 429; the client
    waits it out (Retry-After, through the pacer) and the bulk sync completes."""
    _de(srv, enabled=True, limit_mode="block")
    admin = client_for(srv, "admin")
    try:
        bulk.install(admin)
    finally:
        admin.close()
    engine, client, cache = engine_for(srv, tmp_path / "c.sqlite3", "moderator", bulk_run_interval=0)
    try:
        report = sync(engine)
        limited = client.stats().rate_limited
    finally:
        cache.close()
        client.close()
    assert limited >= 1
    assert any("mirrored through the Data Explorer" in n for n in report.notes), report.notes
    assert "posts" not in report.requests


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from modconsole.commands import main as cli

    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_setup_then_sync_uses_the_queries_and_no_bulk_forces_rest(
    srv: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from modconsole.exitcodes import ExitCode

    admin, mod = srv.credentials.admin, srv.credentials.moderator
    setup = ("setup", "bulk-sync", "--site", srv.base_url, "--username", admin.username)
    monkeypatch.setenv("MODCONSOLE_API_KEY", admin.key)
    code, out, err = _cli(capsys, *setup)
    assert code == ExitCode.REFUSED and out == ""
    assert len(err.strip().splitlines()) == 1 and "'data_explorer_enabled'" in err
    _de(srv, enabled=True)
    code, out, err = _cli(capsys, *setup)
    assert code == ExitCode.OK, err
    assert out.count("created: ") == len(bulk.QUERIES) and "Shared with group 'moderators'" in out
    code, out, err = _cli(capsys, *setup, "--group", "moderators")
    assert code == ExitCode.OK and out.count("unchanged: ") == len(bulk.QUERIES), (out, err)

    monkeypatch.setenv("MODCONSOLE_API_KEY", mod.key)
    sync = ("sync", "--site", srv.base_url, "--username", mod.username, "--key-kind", "user", "--unpaced")
    code, out, err = _cli(capsys, *sync, "--json", "--no-push")
    assert code == ExitCode.OK, err
    first = json.loads(out.strip().splitlines()[-1])
    assert first["requests"].get("bulk", 0) > 0 and "posts" not in first["requests"], first
    assert any("mirrored through the Data Explorer" in n for n in first["notes"])
    code, out, err = _cli(capsys, *sync, "--json", "--no-push", "--rescan", "--no-bulk")
    assert code == ExitCode.OK, err
    rescan = json.loads(out.strip().splitlines()[-1])
    assert "bulk" not in rescan["requests"] and rescan["requests"].get("topics", 0) > 0, rescan

    # shared with another group: its members name it
    member = srv.credentials.member
    monkeypatch.setenv("MODCONSOLE_API_KEY", admin.key)
    code, out, err = _cli(capsys, *setup, "--group", "trust_level_2")
    assert code == ExitCode.OK and out.count("updated: ") == len(bulk.QUERIES), (out, err)
    monkeypatch.setenv("MODCONSOLE_API_KEY", member.key)
    as_member = ("sync", "--site", srv.base_url, "--username", member.username, "--key-kind", "user")
    code, out, err = _cli(
        capsys, *as_member, "--unpaced", "--json", "--no-push", "--bulk-group", "trust_level_2"
    )
    assert code == ExitCode.OK, err
    report = json.loads(out.strip().splitlines()[-1])
    assert any("group 'trust_level_2'" in n for n in report["notes"]), report["notes"]


def test_a_rescan_through_bulk_matches_a_rest_rescan(srv: DemoServer, tmp_path: Path) -> None:
    """Changes since the first sync — a reply, a topic deleted, a badge grant — reach both caches
    alike when the rescan goes through the mirror queries."""
    from tests.core.sync_support import act

    _de(srv, enabled=True)
    admin = client_for(srv, "admin")
    try:
        bulk.install(admin)
    finally:
        admin.close()
    engines = {}
    for name, use_bulk in (("bulk", True), ("rest", False)):
        engines[name] = engine_for(
            srv, tmp_path / f"{name}.sqlite3", "moderator", bulk=use_bulk, bulk_run_interval=0
        )
        sync(engines[name][0])
    con = sqlite3.connect(srv.db_path)
    try:
        topic, doomed = (
            int(r[0])
            for r in con.execute(
                "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
                "WHERE t.deleted_at IS NULL AND t.visible AND NOT t.closed AND NOT c.read_restricted "
                "AND t.archetype = 'regular' "
                "ORDER BY t.id LIMIT 2"
            )
        )
        badge = con.execute(
            "SELECT id FROM badges WHERE enabled AND listable ORDER BY id LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    act(srv, "member", "POST", "/posts.json", {"topic_id": topic, "raw": "One more detail for the rescan."})
    act(srv, "admin", "DELETE", f"/t/{doomed}.json")
    act(
        srv,
        "admin",
        "POST",
        "/user_badges.json",
        {"username": srv.credentials.member.username, "badge_id": badge},
    )
    reports = {}
    try:
        for name, (engine, client, cache) in engines.items():
            rescan = SyncEngine(client, cache, options=replace(engine.options, force_rescan=True))
            reports[name] = sync(rescan)
    finally:
        for _, client, cache in engines.values():
            cache.close()
            client.close()
    assert reports["bulk"].rescanned and "bulk" in reports["bulk"].requests
    assert compare(tmp_path / "bulk.sqlite3", tmp_path / "rest.sqlite3") == {}


def test_a_read_only_user_key_runs_the_queries_through_the_get_route(srv: DemoServer, tmp_path: Path) -> None:
    """A user API key with the ``read`` scope only may not POST (403 on the group's run route): the
    newest core's ``GET /data-explorer/queries/{id}/run.json`` serves it, with the same cache."""
    _de(srv, enabled=True)
    admin = client_for(srv, "admin")
    try:
        bulk.install(admin)
    finally:
        admin.close()
    srv.write(
        lambda con: con.execute("UPDATE api_keys SET scopes = 'read' WHERE description = 'demo:moderator'")
    )
    with_bulk, _rest = _sync_both(srv, tmp_path, "moderator", "moderators")
    assert any("run route for read-only keys" in n for n in with_bulk.notes), with_bulk.notes
    assert "posts" not in with_bulk.requests
    assert compare(tmp_path / "bulk.sqlite3", tmp_path / "rest.sqlite3") == {}


def test_a_failing_query_falls_back_to_rest_with_one_note(srv: DemoServer, tmp_path: Path) -> None:
    """A run the plugin refuses with a 422 (here: SQL the site cannot run) leaves the REST path to
    list topics and posts, the open-questions queue first, and says why in one note."""
    _de(srv, enabled=True)
    admin = client_for(srv, "admin")
    try:
        installed = bulk.install(admin)
        posts_id = next(q for name, _, q in installed.actions if name.endswith("posts v1"))
        admin.put_json(
            ep.explorer_update_query(posts_id).path,
            {"query[sql]": "SELECT no_such_column FROM posts", "query[group_ids][]": ["2"]},
        )
    finally:
        admin.close()
    engine, client, cache = engine_for(srv, tmp_path / "c.sqlite3", "moderator", bulk_run_interval=0)
    try:
        report = sync(engine)
    finally:
        cache.close()
        client.close()
    notes = [n for n in report.notes if n.startswith("bulk:")]
    assert len(notes) == 1 and "the posts query failed" in notes[0] and "synced over REST" in notes[0]
    assert report.requests.get("queue", 0) > 0 and report.requests.get("posts", 0) > 0
    assert report.finished and report.queue_complete


def test_queries_of_an_older_setup_leave_members_and_groups_to_rest(srv: DemoServer, tmp_path: Path) -> None:
    """A members query that does not say whether it shows e-mails (as installed by an older console,
    which gave them to admins only) and no groups queries: the sync lists members and groups over
    REST, says so, and the cache is still REST's."""
    _de(srv, enabled=True)
    srv.set_setting("moderators_view_emails", True)
    admin = client_for(srv, "admin")
    try:
        installed = {name: qid for name, _, qid in bulk.install(admin).actions}
        older = bulk.users_sql("topic_answers").replace(f",\n  {bulk._EMAILS} AS emails_shown", "")
        assert "emails_shown" not in older
        admin.put_json(
            ep.explorer_update_query(installed[bulk.PREFIX + "users v1"]).path,
            {"query[sql]": older.replace(bulk._EMAILS, "v.admin"), "query[group_ids][]": ["2"]},
        )
        for name in ("groups v1", "group members v1"):
            admin.put_json(
                ep.explorer_update_query(installed[bulk.PREFIX + name]).path,
                {"query[name]": f"someone else's {name}", "query[group_ids][]": ["2"]},
            )
    finally:
        admin.close()
    with_bulk, rest = _sync_both(srv, tmp_path, "moderator", "moderators")
    notes = [n for n in with_bulk.notes if "listed over REST" in n]
    assert len(notes) == 2 and "e-mails" in notes[0] and "groups" in notes[1], with_bulk.notes
    assert any("mirrored through the Data Explorer" in n for n in with_bulk.notes)
    assert with_bulk.requests["groups"] == rest.requests["groups"]
    assert compare(tmp_path / "bulk.sqlite3", tmp_path / "rest.sqlite3") == {}
