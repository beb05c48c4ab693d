"""How long a test waits for real work, and how it stops the processes it starts.

A wait returns as soon as its condition holds, so a generous limit costs nothing when things go well and
keeps a loaded 2-core CI machine from failing a test that was merely slow. Every wait on a subprocess, a
server, a thread or a Qt signal uses these limits; speed is measured in tests/benchmarks, never asserted.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["WAIT_MS", "WAIT_S", "LineReader", "running", "spawn", "stop"]

WAIT_S = 120.0
WAIT_MS = int(WAIT_S * 1000)


def _default_ctrl_c() -> None:
    """In the child: Ctrl-C (SIGINT) does what it does by default. A shell that starts the test run
    in the background (``.ci/run &``, nohup) starts it with SIGINT ignored, and an ignored signal
    stays ignored across exec: Python would then never raise KeyboardInterrupt in the child, and
    :func:`stop`'s Ctrl-C would only ever end in a kill."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(cmd: Sequence[str], **kwargs: Any) -> subprocess.Popen[Any]:
    """Start ``cmd`` in its own process group, so :func:`stop` can end it and everything it started,
    with Ctrl-C (SIGINT) back to its default whatever the test run inherited."""
    return subprocess.Popen(cmd, start_new_session=True, preexec_fn=_default_ctrl_c, **kwargs)


def stop(proc: subprocess.Popen[Any], *, sig: int = signal.SIGINT, timeout: float = WAIT_S) -> int | None:
    """Ask ``proc`` to end with ``sig``, wait up to ``timeout``, then kill its whole process group.

    Always leaves nothing running (children included) and the pipes closed; returns the exit status the
    process gave on its own, or None when it had to be killed.
    """
    status: int | None = None
    try:
        if proc.poll() is None:
            try:
                proc.send_signal(sig)
            except ProcessLookupError:
                pass
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            status = None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the group outlives its leader if a child lingers
        except (ProcessLookupError, PermissionError):
            pass
        if proc.poll() is None:
            proc.wait(timeout=timeout)
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    return status


@contextmanager
def running(cmd: Sequence[str], **kwargs: Any) -> Iterator[subprocess.Popen[Any]]:
    """``spawn`` for a ``with`` block; the process is stopped (SIGINT, then killed) when the block ends."""
    proc = spawn(cmd, **kwargs)
    try:
        yield proc
    finally:
        stop(proc)


class LineReader:
    """Reads a pipe on a daemon thread so a test can wait for a line with a time limit (a plain
    ``for line in proc.stdout`` blocks forever when the line never comes)."""

    def __init__(self, pipe: IO[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(pipe,), daemon=True, name="test-line-reader")
        self._thread.start()

    def _pump(self, pipe: IO[str]) -> None:
        try:
            for line in pipe:
                self._queue.put(line)
        except (OSError, ValueError):  # the pipe was closed under us by stop()
            pass
        finally:
            self._queue.put(None)

    def until(self, done: Callable[[str], bool], timeout: float = WAIT_S) -> str:
        """Collect lines until ``done(line)`` is true; the text so far. AssertionError on EOF or timeout."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(left, 0.0))
            except queue.Empty:
                raise AssertionError(f"no such line within {timeout:.0f} s:\n{self.text}") from None
            if line is None:
                raise AssertionError(f"the process closed its output first:\n{self.text}")
            self.lines.append(line)
            if done(line):
                return self.text

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def rest(self, timeout: float = WAIT_S) -> str:
        """The lines not yet taken by :meth:`until`, once the pipe reached its end (the process ended)."""
        self._thread.join(timeout)
        assert not self._thread.is_alive(), f"the output did not end within {timeout:.0f} s"
        out: list[str] = []
        while (line := self._queue.get_nowait()) is not None:
            out.append(line)
        self.lines.extend(out)
        return "".join(out)
