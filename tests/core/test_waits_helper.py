"""The test helper that stops processes leaves nothing running, even a process that ignores Ctrl-C."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.helpers.waits import WAIT_S, LineReader, spawn, stop

IGNORE_CTRL_C = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
# Ctrl-C is ignored before the pid is printed: a loaded machine may deliver stop()'s SIGINT at once
STUBBORN = f"""
{IGNORE_CTRL_C}import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "{IGNORE_CTRL_C}time.sleep(600)"])
print(child.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:  # a zombie still answers kill(0); it is gone for our purpose
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_stop_kills_a_process_that_ignores_ctrl_c_and_its_children() -> None:
    proc = spawn([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        child = int(LineReader(proc.stdout).until(lambda line: True).strip())
        assert _alive(proc.pid) and _alive(child)
        # the wait for a polite exit is what times out here, so it may be short
        assert stop(proc, timeout=0.5) is None
        assert not _alive(proc.pid)
        deadline = time.monotonic() + WAIT_S  # SIGKILL is delivered asynchronously to the orphan
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not _alive(child)
    finally:
        stop(proc)


def test_stop_returns_the_exit_status_of_a_process_that_ends_on_ctrl_c() -> None:
    proc = spawn(
        [sys.executable, "-c", "import time\ntry:\n time.sleep(600)\nexcept KeyboardInterrupt:\n pass"]
    )
    assert isinstance(stop(proc), int)


def test_line_reader_reports_a_process_that_ends_without_the_line() -> None:
    proc = spawn([sys.executable, "-c", "print('hello')"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        with pytest.raises(AssertionError, match="closed its output first"):
            LineReader(proc.stdout).until(lambda line: line.startswith("never"))
    finally:
        stop(proc)
