"""``modconsole demo-server --platform vanilla`` as a process: one line per identity with its token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.helpers.waits import WAIT_S, LineReader, spawn, stop

pytestmark = pytest.mark.integration


def test_cli_serves_vanilla_and_prints_one_token_per_identity(demo_db: Path, tmp_path: Path) -> None:
    cmd = [
        sys.executable, "-m", "modconsole", "demo-server", "--platform", "vanilla", "--db", str(demo_db),
        "--port", "0", "--limits", "on", "--fault", "status:GET:/api/v2/discussions:status=502:count=1",
    ]  # fmt: skip
    stderr = (tmp_path / "demo-server.stderr").open("w")
    proc = spawn(
        cmd, stdout=subprocess.PIPE, stderr=stderr, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        assert proc.stdout is not None
        text = LineReader(proc.stdout).until(lambda line: line.startswith("Ctrl-C"))
        m = re.search(r"Vanilla demo community at (http://127\.0\.0\.1:\d+)/api/v2", text)
        assert m, text
        tokens = dict(re.findall(r"^\s+(\w+)\s+\S+\s+Authorization: Bearer (va\.\w+)$", text, re.M))
        assert set(tokens) == {"admin", "moderator", "moderator2", "member"}
        with httpx.Client(base_url=m.group(1) + "/api/v2", timeout=WAIT_S) as c:
            me = c.get("/users/me", headers={"Authorization": f"Bearer {tokens['moderator']}"}).json()
            assert me["userID"] > 0 and "Garden.Curation.Manage" in me["permissions"]
            assert c.get("/discussions").status_code == 502
            assert c.get("/discussions").status_code == 200
        assert stop(proc) in (0, 130), (tmp_path / "demo-server.stderr").read_text()
    finally:
        stop(proc)
        stderr.close()


def test_cli_refuses_the_other_platforms_limits(demo_db: Path) -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "modconsole",
            "demo-server",
            "--platform",
            "vanilla",
            "--db",
            str(demo_db),
            "--limits",
            "discourse",
        ],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    assert r.returncode == 2 and "does not fit" in r.stderr
