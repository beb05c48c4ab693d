"""``modconsole demo-server`` as a process, and ``start_embedded`` for ``modconsole --demo``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from modconsole.demo.server import start_embedded
from modconsole.paths import Paths
from tests.helpers.waits import WAIT_S, LineReader, spawn, stop

pytestmark = pytest.mark.integration


def test_cli_serves_with_faults_and_prints_identities(demo_db: Path, tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "modconsole",
        "demo-server",
        "--db",
        str(demo_db),
        "--port",
        "0",
        "--limits",
        "off",
        "--clock-speed",
        "10",
        "--fault",
        "status:GET:/site.json:status=502:count=1",
    ]
    stderr = (tmp_path / "demo-server.stderr").open("w")  # a file: a full pipe would block the server
    proc = spawn(
        cmd, stdout=subprocess.PIPE, stderr=stderr, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        assert proc.stdout is not None
        out = LineReader(proc.stdout)
        text = out.until(lambda line: line.startswith("Ctrl-C"))
        m = re.search(r"Demo community at (http://127\.0\.0\.1:\d+)", text)
        assert m, text
        for role in ("admin", "moderator", "moderator2", "member"):
            assert re.search(rf"^\s+{role}\s", text, re.M)
        assert "Api-Key:" in text and "User-Api-Key:" in text
        with httpx.Client(base_url=m.group(1), timeout=WAIT_S) as c:
            assert c.get("/site.json").status_code == 502
            assert c.get("/site.json").status_code == 200
        assert stop(proc) in (0, 130), (tmp_path / "demo-server.stderr").read_text()  # Ctrl-C ends it cleanly
    finally:
        stop(proc)  # killed with its process group if it did not end
        stderr.close()


def test_cli_rejects_bad_fault_spec(demo_db: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "modconsole", "demo-server", "--db", str(demo_db), "--fault", "boom"],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    assert r.returncode == 2 and "bad --fault" in r.stderr


def test_start_embedded_generates_once_and_serves() -> None:
    paths = Paths.default()
    server = start_embedded(size="tiny", paths=paths)
    try:
        assert (paths.demo_dir / "tiny.sqlite3").exists()
        with httpx.Client(base_url=server.base_url, timeout=WAIT_S) as c:
            r = c.get("/latest.json", headers=server.credentials.moderator.headers())
            assert r.status_code == 200 and r.json()["topic_list"]["topics"]
    finally:
        server.stop()
