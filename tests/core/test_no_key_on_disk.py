"""The API key lives only in the keyring (or the environment for scripts): after a real sync
with debug logging, no file modconsole wrote — cache, WAL, logs, settings — contains it,
and neither does anything it printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_debug_sync_leaves_the_key_nowhere_on_disk(demo_server: Any, tmp_path: Path) -> None:
    ident = demo_server.credentials.moderator  # a user API key
    data_dir = tmp_path / "data"
    env = dict(os.environ, MODCONSOLE_API_KEY=ident.key, MODCONSOLE_DATA_DIR=str(data_dir))
    cmd = [
        sys.executable, "-m", "modconsole", "--debug", "sync",
        "--site", demo_server.base_url, "--username", ident.username, "--key-kind", "user",
        "--unpaced",  # loopback only: no need to wait out a user key's 15/min budget
    ]  # fmt: skip
    out = subprocess.run(cmd, env=env, capture_output=True, timeout=170)
    assert out.returncode == 0, out.stderr.decode(errors="replace")[-2000:]

    files = _files_under(data_dir)
    names = {p.name for p in files}
    assert any(n.endswith(".sqlite3") for n in names), names  # the cache was written
    logs = [p for p in files if p.parent.name == "logs"]
    assert logs and sum(p.stat().st_size for p in logs) > 0, "the sync logged nothing"
    assert demo_server.request_count("GET", "*") > 3  # it really talked to the server

    secret = ident.key.encode()
    leaks = [str(p.relative_to(data_dir)) for p in files if secret in p.read_bytes()]
    assert leaks == []
    assert secret not in out.stdout and secret not in out.stderr
