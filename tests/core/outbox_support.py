"""Shared helpers for the outbox tests: real clients to the demo server, a cache filled over
loopback HTTP (API client + repo upserts), reading a queued action back, the command line run
in-process, caches of an older schema, and reads of the demo store's true state."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modconsole.api.client import ApiClient, Credentials, Timeouts
from modconsole.api.ratelimit import Budget, HostPacer, RetryPolicy
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.outbox.dispatcher import DispatchOptions
from modconsole.services.moderation import ModerationService
from modconsole.sync.engine import SyncEngine, SyncOptions
from modconsole.tasks import CancelToken
from tests.helpers.waits import WAIT_S

FAST = DispatchOptions(
    verify_delay=0.0,
    backoff_base=0.01,
    backoff_cap=0.05,
    offline_threshold=3,
    read_only_pause=0.05,
    max_wait=0.5,
    deadline=60.0,
)


def client_for(server: DemoServer, role: str = "moderator", *, base_url: str | None = None) -> ApiClient:
    ident = getattr(server.credentials, role)
    creds = (
        Credentials.admin(ident.key, ident.username)
        if ident.kind == "admin"
        else Credentials.user(ident.key, username=ident.username)
    )
    return ApiClient(
        base_url or server.base_url,
        creds,
        timeouts=Timeouts(connect=WAIT_S, read=WAIT_S, write=WAIT_S, pool=WAIT_S, deadline=WAIT_S),
        pacer=HostPacer(Budget.unlimited()),
        retry=RetryPolicy(max_retries=2, base=0.01, cap=0.05, max_rate_limit_wait=5.0),
    )


def fill_cache(cache: Cache, client: ApiClient, *, rescan: bool = False) -> None:
    """Pull the community into the cache with the real sync engine (which never touches the outbox).
    ``rescan`` re-lists every topic: accepting an answer does not bump a topic (CONTRACT §3.6)."""
    opts = SyncOptions(reports=(), retry_wait=0.01, force_rescan=rescan)
    SyncEngine(client, cache, options=opts).run_once(CancelToken())


def open_service(
    tmp_path: Path,
    server: DemoServer,
    role: str = "moderator",
    *,
    options: DispatchOptions = FAST,
    fill: bool = True,
    name: str | None = None,
    base_url: str | None = None,
) -> tuple[ModerationService, Cache, ApiClient]:
    cache = Cache.open(tmp_path / f"{name or role}.sqlite3")
    client = client_for(server, role, base_url=base_url)
    if fill:
        fill_cache(cache, client)
    ident = getattr(server.credentials, role)
    svc = ModerationService(
        cache, me=ident.username, site_url=server.base_url, client=client, options=options
    )
    svc.probe_permissions()
    return svc, cache, client


@contextlib.contextmanager
def opened_service(
    tmp_path: Path, server: DemoServer, role: str = "moderator", **kwargs: Any
) -> Iterator[tuple[ModerationService, Cache, ApiClient]]:
    """:func:`open_service` for a fixture: the client and the cache are closed afterwards."""
    svc, cache, client = open_service(tmp_path, server, role, **kwargs)
    try:
        yield svc, cache, client
    finally:
        client.close()
        cache.close()


class OpStates:
    """For a test's environment (a dataclass with a ``svc`` field): read a queued action back."""

    svc: ModerationService

    def state(self, op_uuid: str) -> tuple[str, str | None]:
        row = self.svc.get(op_uuid)
        assert row is not None
        return row.state, row.resolution


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    """``modconsole argv…`` in-process: the exit code, stdout's last line read as JSON (the whole
    stdout where it is not JSON, None where there is none) and stderr."""
    from modconsole.commands import main as cli

    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    try:
        data = json.loads(out.strip().splitlines()[-1]) if out.strip() else None
    except ValueError:
        data = out
    return code, data, err


def cache_at(path: Path, revision: str) -> None:
    """A cache file migrated only up to ``revision``: what an older modconsole left behind."""
    from alembic import command
    from sqlalchemy import create_engine

    from modconsole.cache.db import alembic_config

    eng = create_engine(f"sqlite:///{path}")
    with eng.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
    eng.dispose()


def assert_outbox_check_holds(path: Path) -> None:
    """After a migration the file is sound and the outbox still refuses a kind it does not know."""
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        with pytest.raises(sqlite3.IntegrityError):
            con.execute(
                "INSERT INTO outbox(op_uuid, kind, target_key, payload_json, state, attempts, created_by, "
                "created_at, updated_at) VALUES ('u9', 'bogus', 'x', '{}', 'pending', 0, 'me', 'x', 'x')"
            )
    finally:
        con.close()


def demo_rows(server: DemoServer, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Read the demo store's true state (a separate connection; the server's own writes are committed)."""
    con = sqlite3.connect(server.db_path)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def grant_count(server: DemoServer, badge_id: int, user_id: int) -> int:
    return int(
        demo_rows(
            server, "SELECT COUNT(*) FROM user_badges WHERE badge_id = ? AND user_id = ?", badge_id, user_id
        )[0][0]
    )


def user_id(server: DemoServer, username: str) -> int:
    return int(demo_rows(server, "SELECT id FROM users WHERE username = ?", username)[0][0])


def answerable(
    server: DemoServer, *, solved: bool | None = None, limit: int = 5
) -> list[tuple[int, int, int]]:
    """(topic_id, post_id, post_number) of reply posts in topics of answer-enabled categories."""
    cond = ""
    if solved is True:
        cond = "AND EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id)"
    elif solved is False:
        cond = "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id)"
    rows = demo_rows(
        server,
        "SELECT t.id, p.id, p.post_number FROM topics t JOIN posts p ON p.topic_id = t.id "
        "JOIN categories c ON c.id = t.category_id "
        "WHERE c.enable_accepted_answers = 1 AND t.deleted_at IS NULL AND p.deleted_at IS NULL "
        "AND p.post_type = 1 AND p.post_number = 2 AND t.closed = 0 AND t.visible = 1 "
        "AND (SELECT COUNT(*) FROM posts q WHERE q.topic_id = t.id AND q.post_type = 1 "
        f"AND q.deleted_at IS NULL) >= 3 {cond} ORDER BY t.id LIMIT ?",
        limit,
    )
    return [(int(a), int(b), int(c)) for a, b, c in rows]


def accepted_post(server: DemoServer, topic_id: int) -> int | None:
    r = demo_rows(server, "SELECT post_id FROM solutions WHERE topic_id = ?", topic_id)
    return int(r[0][0]) if r else None
