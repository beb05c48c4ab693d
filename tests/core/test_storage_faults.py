"""Storage faults are named, never silent (issue 12, finding 5), through the real ``modconsole``
command against the demo community over loopback:

* an empty (0-byte) cache file is refused and left as it is — never silently replaced by a new
  empty cache while queued actions vanish;
* a damaged cache whose integrity check quotes non-UTF-8 text is refused in one line (it crashed
  with a decoding traceback), naming the file and how to rescue its queued actions;
* a read-only data dir: one warning line about the log, one line naming the cause, exit 7;
* no permission to create a new site's cache: one line, exit 7 (was an uncaught PermissionError);
* a full disk says "disk full", and the queued actions are still there once space is freed.

Read-only and full disks need a mount: the test runs the command inside ``unshare -rm`` (a user
and mount namespace, no root needed) and is skipped where that is not available.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from modconsole.commands import main as cli
from modconsole.demo.server import DemoServer
from tests.core.outbox_support import answerable

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
CACHE_EXIT = 7  # i11's ExitCode.CACHE: the local cache or data dir cannot be used


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Logging error" not in err
    return lines[0]


class Synced:
    def __init__(self, server: DemoServer, site: list[str], cache: Path, posts: list[int]) -> None:
        self.server = server
        self.site = site
        self.cache = cache
        self.posts = posts
        # the same community under another address (a name, not 127.0.0.1): a new site to the data
        # dir, with a key that is really this user's (a wrong username is refused before any write)
        self.elsewhere = [
            "--site",
            server.base_url.replace("127.0.0.1", "localhost"),
            *site[2:],
        ]


@pytest.fixture
def synced(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Synced:
    """A synced cache with three accepts queued (not sent)."""
    me = demo_server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", me.key)
    site = ["--site", demo_server.base_url, "--username", me.username, "--key-kind", "user"]
    code, _, err = _run(capsys, "sync", *site, "--unpaced", "--json")
    assert code == 0, err
    posts = [pid for _tid, pid, _n in answerable(demo_server, solved=False, limit=4)][:3]
    for pid in posts:
        code, _, err = _run(capsys, "accept", str(pid), *site, "--queue-only", "--json")
        assert code == 0, err
    (cache,) = (Path(os.environ["MODCONSOLE_DATA_DIR"]) / "data" / "sites").glob("*/*.sqlite3")
    return Synced(demo_server, site, cache, posts)


def _pending(capsys: pytest.CaptureFixture[str], s: Synced, data_dir: str | None = None) -> int:
    pre = ["--data-dir", data_dir] if data_dir else []
    code, out, err = _run(capsys, *pre, "outbox", *s.site, "--json")
    assert code == 0, err
    return int(json.loads(out)["counts"]["pending"])


# ---------------------------------------------------------------- damaged files


def test_an_empty_cache_file_is_refused_and_left_as_it_is(
    synced: Synced, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _pending(capsys, synced) == 3
    synced.cache.write_bytes(b"")  # e.g. truncated by a crash of the file system or a bad copy
    for verb in (["outbox"], ["push"], ["accept", str(synced.posts[0]), "--queue-only"], ["sync"]):
        code, out, err = _run(capsys, *verb, *synced.site)
        line = _one_line(err)
        assert code == CACHE_EXIT, (verb, out, err)
        assert "empty (0 bytes)" in line and str(synced.cache) in line and "untouched" in line
        assert synced.cache.stat().st_size == 0  # never silently recreated
    assert not [p for p in synced.cache.parent.iterdir() if p != synced.cache]  # no side files made
    code, out, err = _run(capsys, "status", "--json")
    assert code == CACHE_EXIT and "empty (0 bytes)" in _one_line(err)
    (listed,) = json.loads(out)
    assert listed["cache"] == str(synced.cache) and "empty (0 bytes)" in listed["damaged"]


def _damage_with_non_utf8_report(path: Path) -> None:
    """A NOT NULL violation in a table whose name is not valid UTF-8 in the file, so that
    ``PRAGMA quick_check`` reports it in text that cannot be decoded."""
    con = sqlite3.connect(path)
    try:
        con.execute('CREATE TABLE "zé" (a)')
        con.execute('INSERT INTO "zé" VALUES (NULL)')
        con.commit()
        con.execute("PRAGMA writable_schema = ON")
        con.execute("""UPDATE sqlite_master SET sql = 'CREATE TABLE "zé" (a NOT NULL)' WHERE name = 'zé'""")
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    data = path.read_bytes()
    assert "zé".encode() in data
    path.write_bytes(data.replace("zé".encode(), b"z\xc3("))


def test_a_damaged_cache_is_refused_in_one_line_naming_the_rescue(
    synced: Synced, capsys: pytest.CaptureFixture[str]
) -> None:
    _damage_with_non_utf8_report(synced.cache)
    before = synced.cache.read_bytes()
    for verb in (["push"], ["accept", str(synced.posts[0])], ["sync"]):
        code, out, err = _run(capsys, *verb, *synced.site)
        line = _one_line(err)
        assert code == CACHE_EXIT, (verb, out, err)
        assert "failed its integrity check" in line and str(synced.cache) in line
        assert "'modconsole outbox' still lists the actions queued in it" in line
        assert out == ""
    # the rescue the message names: the queued actions are listed from the damaged file
    code, out, err = _run(capsys, "outbox", *synced.site, "--json")
    assert code == CACHE_EXIT and "failed its integrity check" in _one_line(err)
    listed = json.loads(out)
    assert listed["damaged_cache"] == str(synced.cache) and listed["counts"]["pending"] == 3
    assert sorted(a["action"] for a in listed["actions"]) == sorted(
        f"Accept post #2 as the answer in topic {tid}"
        for tid, pid, _n in answerable(synced.server, solved=False, limit=4)
        if pid in synced.posts
    )
    assert synced.cache.read_bytes() == before


def test_a_cache_damaged_in_a_mirror_table_still_lists_its_queue(
    synced: Synced, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(synced.cache)
    try:  # trash the root page of a mirror table, not the outbox
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'posts'").fetchone()
    finally:
        con.close()
    with synced.cache.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x0d\xff\xff\x00garbage" * (page_size // 12))
    before = synced.cache.read_bytes()
    code, out, err = _run(capsys, "outbox", *synced.site)
    assert code == CACHE_EXIT and str(synced.cache) in _one_line(err)
    assert out.splitlines()[0].startswith("pending 3,") and len(out.splitlines()) == 4
    code, out, err = _run(capsys, "status", "--json")
    assert code == CACHE_EXIT and str(synced.cache) in _one_line(err)
    assert [(r["cache"], r["pending_outbox"]) for r in json.loads(out)] == [(str(synced.cache), 3)]
    assert synced.cache.read_bytes() == before
    # moved aside, a fresh cache starts and the actions can be queued again
    synced.cache.rename(synced.cache.with_name("damaged.sqlite3"))
    code, _, err = _run(capsys, "sync", *synced.site, "--unpaced")
    assert code == 0, err
    code, _, err = _run(capsys, "accept", str(synced.posts[0]), *synced.site, "--queue-only")
    assert code == 0, err


# ---------------------------------------------------------------- read-only, no permission, full


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None or sys.platform != "linux":
        return False
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


needs_mounts = pytest.mark.skipif(not _namespaces_work(), reason="needs unshare -rm (user namespaces)")


def _in_namespace(script: str, env: dict[str, str]) -> str:
    """Run ``script`` (sh) in a private user and mount namespace; its output (both streams)."""
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _command(data_dir: Path, *argv: str) -> str:
    words = [sys.executable, "-m", "modconsole", "--data-dir", str(data_dir), *argv]
    return " ".join(f"'{w}'" for w in words)


def _each(script_runs: dict[str, str]) -> str:
    """Shell that runs each command, printing ``== name rc=N`` then its stderr."""
    return "\n".join(
        f"echo '== {name}'; {cmd} 2>&1 >/dev/null; echo \"rc=$?\"" for name, cmd in script_runs.items()
    )


def _results(output: str) -> dict[str, tuple[int, list[str]]]:
    found: dict[str, tuple[int, list[str]]] = {}
    for block in output.split("== ")[1:]:
        name, *rest = block.strip().splitlines()
        rc = int(rest[-1].removeprefix("rc="))
        found[name] = (rc, rest[:-1])
    return found


@needs_mounts
def test_a_read_only_data_dir_gets_one_line_per_cause(synced: Synced) -> None:
    data = Path(os.environ["MODCONSOLE_DATA_DIR"])
    other = synced.elsewhere  # a site this data dir has no cache for yet
    runs = {
        "outbox": _command(data, "outbox", *synced.site),
        "push": _command(data, "push", *synced.site),
        "accept": _command(data, "accept", str(synced.posts[0]), *synced.site, "--queue-only"),
        "new-site": _command(data, "sync", *other),
    }
    script = f"mount --bind '{data}' '{data}' && mount -o remount,bind,ro '{data}' || exit 9\n" + _each(runs)
    results = _results(_in_namespace(script, dict(os.environ)))
    for name, (rc, lines) in results.items():
        text = "\n".join(lines)
        assert rc == CACHE_EXIT, (name, text)
        assert "Traceback" not in text and "Logging error" not in text, (name, text)
        assert len(lines) == 2, (name, text)  # the log warning once, then the cause
        assert lines[0].startswith("modconsole: warning: The log file") and "read-only disk" in lines[0]
        assert "read-only disk" in lines[1], (name, text)
    assert set(results) == set(runs)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A data dir another account can enter (pytest's tmp dirs are private to their owner)."""
    d = Path(tempfile.mkdtemp(prefix="modconsole-perm-"))
    d.chmod(0o755)
    try:
        yield d
    finally:
        for p in (d, *d.rglob("*")):
            if p.is_dir():
                p.chmod(0o755)
        shutil.rmtree(d)


def test_no_permission_for_a_new_sites_cache_is_one_line(
    synced: Synced, shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = shared_dir / "home"
    shutil.copytree(Path(os.environ["MODCONSOLE_DATA_DIR"]), data)
    for p in (data, *data.rglob("*")):
        p.chmod(0o755 if p.is_dir() else 0o644)
    other = synced.elsewhere  # a site this data dir has no cache for yet
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    prefix: list[str] = []
    if os.geteuid() == 0:
        # root may write anywhere; in a user namespace it may not write files of an unmapped owner
        if not _namespaces_work():
            pytest.skip("as root this needs unshare -r (user namespaces)")
        for p in (data, *data.rglob("*")):
            os.chown(p, 12345, 12345)
        prefix = ["unshare", "-r"]
    else:
        for p in (data, *data.rglob("*")):
            if p.is_dir():
                p.chmod(0o555)
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "modconsole", "--data-dir", str(data), "sync", *other],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == CACHE_EXIT, done.stderr
    assert "Traceback" not in done.stderr and "Logging error" not in done.stderr
    assert len(lines) == 2, done.stderr
    assert lines[0].startswith("modconsole: warning: No permission to write the log file")
    assert lines[1].startswith("modconsole: No permission to write the folder "), done.stderr
    assert len(list(data.glob("data/sites/*/*.sqlite3"))) == 1  # no cache for the new site


@needs_mounts
def test_a_full_disk_says_so_and_loses_nothing(synced: Synced, shared_dir: Path) -> None:
    mnt = shared_dir / "small-disk"
    mnt.mkdir()
    home = Path(os.environ["MODCONSOLE_DATA_DIR"])
    other = synced.elsewhere  # a site this data dir has no cache for yet
    runs = {
        "accept": _command(mnt, "accept", str(synced.posts[0]), *synced.site, "--queue-only"),
        "new-site": _command(mnt, "sync", *other),
    }
    script = (
        f"mount -t tmpfs -o size=8m none '{mnt}' && cp -a '{home}/.' '{mnt}/' || exit 9\n"
        f"dd if=/dev/zero of='{mnt}/filler' bs=64k 2>/dev/null\n"
        + _each(runs)
        + f"\nrm '{mnt}/filler'\necho '== after'; "
        + f"{_command(mnt, 'outbox', *synced.site, '--json')}; echo 'rc='$?"
    )
    out = _in_namespace(script, dict(os.environ))
    results = _results(out)
    for name in runs:
        rc, lines = results[name]
        text = "\n".join(lines)
        assert rc == CACHE_EXIT, (name, text)
        assert "Traceback" not in text and "Logging error" not in text, (name, text)
        assert lines[-1].startswith("modconsole: The disk is full"), (name, text)
        assert "cannot be used" not in text
    rc, lines = results["after"]
    assert rc == 0
    assert json.loads(lines[0])["counts"]["pending"] == 3  # nothing lost, nothing added


# ---------------------------------------------------------------- the log file


def test_a_log_that_cannot_be_written_gives_one_warning_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from modconsole.log import setup_logging
    from modconsole.paths import Paths

    paths = Paths.default(tmp_path / "home")
    paths.logs.parent.mkdir(parents=True)
    paths.logs.write_text("a file where the log folder should be")
    setup = setup_logging(paths)
    try:
        for i in range(3):
            logging.getLogger("modconsole.test").warning("record %d", i)
            logging.getLogger("modconsole.test").error("failure %d", i)
    finally:
        setup.close()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Logging error" not in err
    warning, *rest = err.strip().splitlines()
    assert warning.startswith("modconsole: warning: ") and "logging to the terminal only" in warning
    assert [line.rsplit(": ", 1)[-1] for line in rest] == ["failure 0", "failure 1", "failure 2"]


def test_a_log_file_that_fails_later_is_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from modconsole.log import LOG_FILE_NAME, setup_logging
    from modconsole.paths import Paths

    paths = Paths.default(tmp_path / "home")
    setup = setup_logging(paths)
    try:
        log_file = paths.logs / LOG_FILE_NAME
        log_file.unlink()
        log_file.mkdir()  # the file opens at the first record: now it cannot
        for i in range(5):
            logging.getLogger("modconsole.test").warning("record %d", i)
    finally:
        setup.close()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Logging error" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith("modconsole: warning: ") and "nothing more is logged to it" in line
