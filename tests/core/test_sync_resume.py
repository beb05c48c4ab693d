"""kill -9 of a syncing ``modconsole sync`` subprocess at random moments, then resume: the cache ends
up exactly as after an uninterrupted sync (no duplicates, no corruption, nothing lost)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modconsole.demo.server import DemoServer
from modconsole.paths import Paths
from tests.core.sync_support import cached_tables, differences, identity
from tests.helpers.waits import WAIT_S, spawn, stop

TRIALS = 3
MAX_KILLS = 6


def _sync_cmd(server: DemoServer, data_dir: Path, username: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "modconsole",
        "--data-dir",
        str(data_dir),
        "sync",
        "--site",
        server.base_url,
        "--username",
        username,
        "--allow-insecure-http",
        "--unpaced",
    ]


def _env(key: str) -> dict[str, str]:
    env = dict(os.environ)
    env["MODCONSOLE_API_KEY"] = key
    env.pop("MODCONSOLE_DATA_DIR", None)
    return env


def _cache_file(data_dir: Path, server: DemoServer, username: str) -> Path:
    return Paths.default(data_dir).site_cache_file(server.base_url, username)


def _reached(server: DemoServer, requests: int, proc: subprocess.Popen[bytes]) -> bool:
    """Wait until the server has answered ``requests`` requests in all (True) or ``proc`` ended."""
    deadline = time.monotonic() + WAIT_S
    while server.request_count() < requests:
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise AssertionError(f"the sync made no progress in {WAIT_S} s")
        time.sleep(0.005)
    return proc.poll() is None


@pytest.mark.slow
def test_kill9_then_resume_gives_the_same_cache(demo_server: DemoServer, tmp_path: Path) -> None:
    ident = identity(demo_server, "admin")
    env = _env(ident.key)
    # the reference: one uninterrupted run
    ref_dir = tmp_path / "ref"
    before = demo_server.request_count()
    done = subprocess.run(
        _sync_cmd(demo_server, ref_dir, ident.username), env=env, capture_output=True, timeout=WAIT_S
    )
    full_requests = demo_server.request_count() - before
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert ident.key not in done.stdout.decode() + done.stderr.decode()
    reference = cached_tables(_cache_file(ref_dir, demo_server, ident.username))

    rng = random.Random(20261122)
    kills = 0
    for trial in range(TRIALS):
        data_dir = tmp_path / f"trial{trial}"
        for _ in range(MAX_KILLS):
            proc = spawn(
                _sync_cmd(demo_server, data_dir, ident.username),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                # a random point of the sync, counted in requests the server answered (the same on
                # a loaded machine as on an idle one); finishing first is fine too
                if _reached(demo_server, demo_server.request_count() + rng.randint(1, full_requests), proc):
                    kills += 1
                    continue
            finally:
                stop(proc, sig=signal.SIGKILL)  # the kill (and the whole group, if it has children)
            assert proc.returncode == 0
            break
        final = subprocess.run(
            _sync_cmd(demo_server, data_dir, ident.username), env=env, capture_output=True, timeout=WAIT_S
        )
        assert final.returncode == 0, final.stderr.decode()[-2000:]
        path = _cache_file(data_dir, demo_server, ident.username)
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
        assert differences(reference, cached_tables(path)) == {}, f"trial {trial}"
    assert kills > 0  # the test did interrupt syncs
