"""scripts/check-qt-libs (run by scripts/demo): on Linux it names the missing system libraries of
Qt's xcb plugin and the one apt-get line that installs them, instead of Qt's abort. ``ldd`` is
replaced by a stand-in that answers as a fresh Debian would, so the result does not depend on
what this machine has installed; everything else (PySide6 lookup, the mapping to Debian package
names, the skip rules) is the real script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check-qt-libs"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check runs on Linux only")

FRESH_DEBIAN = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibEGL.so.1 => not found
\tlibdbus-1.so.3 => not found
\tlibglib-2.0.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""
COMPLETE = "\tlibxcb-icccm.so.4 => /lib/x86_64-linux-gnu/libxcb-icccm.so.4 (0x00007f)\n"


def _run(tmp_path: Path, ldd_output: str, qpa: str | None) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (tmp_path / "answer.txt").write_text(ldd_output)
    ldd = fake / "ldd"
    ldd.write_text(f'#!/bin/sh\necho "$1" > "{tmp_path}/asked.txt"\ncat "{tmp_path}/answer.txt"\n')
    ldd.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    env.pop("QT_QPA_PLATFORM", None)
    if qpa is not None:
        env["QT_QPA_PLATFORM"] = qpa
    return subprocess.run(
        ["bash", str(SCRIPT), sys.executable], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("qpa", [None, "xcb", "wayland;xcb"])
def test_missing_libraries_give_one_apt_line_and_a_failure(tmp_path: Path, qpa: str | None) -> None:
    proc = _run(tmp_path, FRESH_DEBIAN, qpa)
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[1].split() == [
        "libEGL.so.1",
        "libdbus-1.so.3",
        "libglib-2.0.so.0",
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libxkbcommon-x11.so.0",
    ]
    apt = [line.strip() for line in lines if "apt-get" in line]
    assert apt == [
        "sudo apt-get install libdbus-1-3 libegl1 libglib2.0-0 "
        "libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0"
    ]
    # it asked about this Python's PySide6 xcb plugin
    asked = Path((tmp_path / "asked.txt").read_text().strip())
    assert asked.parts[-4:] == ("Qt", "plugins", "platforms", "libqxcb.so") and asked.is_file()


def test_nothing_missing_passes_silently(tmp_path: Path) -> None:
    proc = _run(tmp_path, COMPLETE, None)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


@pytest.mark.parametrize("qpa", ["offscreen", "wayland", "minimal"])
def test_skipped_when_qt_will_not_load_xcb(tmp_path: Path, qpa: str) -> None:
    proc = _run(tmp_path, FRESH_DEBIAN, qpa)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert not (tmp_path / "asked.txt").exists()


def test_demo_runs_the_check_before_launching() -> None:
    lines = (ROOT / "scripts" / "demo").read_text().splitlines()
    check = next(i for i, line in enumerate(lines) if "scripts/check-qt-libs" in line and "#" not in line)
    launch = next(i for i, line in enumerate(lines) if line.startswith("exec "))
    assert check < launch
