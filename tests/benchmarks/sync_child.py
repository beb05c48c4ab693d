"""One sync in a process of its own, so the benchmark can read that process's peak RSS alone.

``bench_sync.py`` serves the demo community from its own process (the server's memory is not the
console's); this child opens the cache, syncs once and prints its report as the last JSON line.
The parent reads the child's ``ru_maxrss`` through :func:`run_sync_child` (``os.wait4``: this
child's own resource usage, not the maximum over every child the bench has waited for).

    echo '{"base_url": …, "kind": "admin"|"user", "key": …, "username": …, "cache": …,
           "options": {…SyncOptions fields…}}' | python tests/benchmarks/sync_child.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    from modconsole.api import ApiClient, Budget, Credentials, HostPacer, Timeouts
    from modconsole.cache.db import Cache
    from modconsole.sync import SyncEngine, SyncOptions
    from modconsole.tasks import CancelToken

    spec = json.loads(sys.stdin.read())
    creds = (
        Credentials.admin(spec["key"], spec["username"])
        if spec["kind"] == "admin"
        else Credentials.user(spec["key"], username=spec["username"])
    )
    stages: dict[str, int] = {}

    def show(p: Any) -> None:  # a line per stage (the figures of a run that dies survive)
        if p.stage not in stages:
            stages[p.stage] = p.requests
            print(f"  {spec.get('label', '')}: stage {p.stage} from request {p.requests}", flush=True)

    with (
        # generous timeouts: requests are counted, not timed (a loaded machine answers a heavy page
        # slowly; a retry would count twice)
        ApiClient(
            spec["base_url"],
            creds,
            pacer=HostPacer(Budget.unlimited()),
            timeouts=Timeouts(read=300.0, write=60.0, deadline=600.0),
        ) as client,
        Cache.open(Path(spec["cache"])) as cache,
    ):
        engine = SyncEngine(client, cache, options=SyncOptions(**spec.get("options", {})))
        bytes0 = client.stats().bytes_received
        report = engine.run_once(CancelToken(), show)
        out = {
            "requests": dict(report.requests),
            "requests_total": report.requests_total,
            "requests_until_queue": report.requests_until_queue,
            "bytes_received": dict(report.bytes_received),
            "client_bytes_received": client.stats().bytes_received - bytes0,
            "finished": report.finished,
            "notes": list(report.notes),
            "duration": report.duration,
        }
    print(json.dumps(out), flush=True)
    return 0


def run_sync_child(spec: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """Run one sync in a child process: (its report, its peak RSS in MB)."""
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps(spec))
    proc.stdin.close()
    last = ""
    for line in proc.stdout:
        if line.startswith("{"):
            last = line
        else:
            print(line, end="", flush=True)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or not last:
        raise RuntimeError(f"the sync child failed (exit {proc.returncode})")
    return json.loads(last), round(usage.ru_maxrss / 1024, 1)  # Linux: ru_maxrss in KiB


if __name__ == "__main__":
    sys.exit(main())
