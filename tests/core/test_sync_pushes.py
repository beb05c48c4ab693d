"""``modconsole sync`` also sends queued moderation actions (the outbox's promise: pushed after
each sync), and re-reads their targets so the cache shows them at once."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from modconsole.api.client import normalize_base_url
from modconsole.commands import main as cli
from modconsole.demo.server import DemoServer
from modconsole.paths import Paths
from tests.core.outbox_support import accepted_post, answerable


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_sync_delivers_queued_actions_and_the_cache_shows_them(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    me = demo_server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", demo_server.base_url, "--username", me.username]
    sync = ["sync", *site, "--key-kind", "user", "--unpaced", "--json"]
    assert _json(capsys, *sync)["pushed"] is None  # nothing queued: no push, no extra requests

    ((tid, pid, _),) = answerable(demo_server, solved=False, limit=1)
    queued = _json(capsys, "accept", str(pid), *site, "--queue-only", "--json")
    assert queued["state"] == "pending" and accepted_post(demo_server, tid) is None

    report = _json(capsys, *sync)
    assert report["pushed"]["done"] == 1 and report["pushed"]["deferred"] == 0
    assert accepted_post(demo_server, tid) == pid
    cache = Paths.default().site_cache_file(normalize_base_url(demo_server.base_url), me.username)
    with sqlite3.connect(f"file:{cache}?mode=ro", uri=True) as con:
        row = con.execute("SELECT post_id FROM solutions WHERE topic_id = ? AND gone_since IS NULL", (tid,))
        assert row.fetchone() == (pid,)

    assert _json(capsys, *sync, "--no-push")["pushed"] is None
