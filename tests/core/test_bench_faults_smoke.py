"""The on-demand fault battery (tests/benchmarks/bench_faults.py) still runs: one trial of kill -9
during sync and during push, and a few answers accepted by another moderator, against the demo
server over loopback. Its own detectors must see a planted fault, and the one trial must find
nothing missing, lost or doubled. The figures themselves come from the full battery, run by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.waits import WAIT_S

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.integration
def test_the_fault_battery_runs_and_its_detectors_see_planted_faults(tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        str(ROOT / "tests" / "benchmarks" / "bench_faults.py"),
        *("--only", "sync", "--only", "push", "--only", "accept"),
        *("--sync-trials", "1", "--push-trials", "1", "--accept-n", "3", "--accept-size", "tiny"),
        *("--workdir", str(tmp_path / "work")),
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=WAIT_S)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert any(line.startswith("sync trial 1/1") for line in lines)
    assert any(line.startswith("push trial 1/1") for line in lines)

    sync = figures["sync"]
    assert sync["detector_sees_a_missing_topic"] is True and sync["control_missing"] == 0
    assert sync["trials"] == 1 and sync["missing"] == 0 and sync["integrity_failures"] == 0

    push = figures["push"]
    assert push["detector_sees_a_double"] is True
    assert push["control_lost"] == push["control_doubled"] == 0
    assert push["trials"] == 1 and push["lost"] == 0 and push["doubled"] == 0

    accept = figures["accept"]
    assert accept["changed"] == 3 and accept["incremental_requests"] > 0
    assert accept["visible_by_change"]["accepted"] == "1/1"
    assert accept["visible_by_change"]["unaccepted"] == "1/1"
    assert set(figures) >= {"elapsed_s", "loadavg"}
