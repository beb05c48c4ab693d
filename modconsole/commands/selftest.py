"""``modconsole selftest``: prove that this installation (or frozen bundle) works, headless.

Runs a list of named steps and prints one line each: ``ok: <step> — <detail>``,
``skipped: <step> (<reason>)`` or ``FAILED: <step>: <error>``. Exits 1 if any step failed
(or, with ``--strict``, was skipped). ``packaging/build.sh`` runs it against the frozen app.

Steps: keyring backends (and that keyring can discover them, i.e. its metadata was bundled),
SQLite in WAL mode, time zones (from the system or the ``tzdata`` package: Windows has only the
latter), the cache (``Cache.open``: pragmas plus Alembic migrations from the bundled migration
scripts), logging with redaction, the embedded demo community server plus an authenticated
``/latest.json`` through httpx, a pull sync of it into a temporary cache, and with ``--gui`` a
QApplication and a window (offscreen unless ``QT_QPA_PLATFORM`` says otherwise). Qt is imported
only by that step.

Adding a step: write ``def _my_step(ctx: Context) -> str`` (return a short detail, raise
:class:`Skip` or any exception) and append ``Step("my-step", _my_step)`` to ``STEPS``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modconsole import APP_DISPLAY_NAME, __version__
from modconsole.paths import Paths

KEYRING_BACKEND_MODULES = (
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.Windows",
    "keyring.backends.macOS",
)


class Skip(Exception):
    """A step that does not apply here (the reason is printed)."""


@dataclass
class Context:
    args: argparse.Namespace
    paths: Paths
    workdir: Path
    state: dict[str, Any] = field(default_factory=dict)
    cleanups: list[Callable[[], object]] = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Context], str]
    gui: bool = False  # only with --gui


# ---------------------------------------------------------------- steps


def _keyring(ctx: Context) -> str:
    from importlib.metadata import entry_points

    import keyring
    from keyring.backend import get_all_keyring

    for name in KEYRING_BACKEND_MODULES:
        importlib.import_module(name)  # bundled? (each imports on every platform)
    eps = sorted(ep.name for ep in entry_points(group="keyring.backends"))
    if not eps:
        raise RuntimeError("keyring's entry points are missing (dist-info not bundled): no backend can load")
    viable = sorted(get_all_keyring(), key=lambda b: -float(b.priority))
    active = _backend_name(keyring.get_keyring())
    listed = ", ".join(f"{_backend_name(b)}({b.priority:g})" for b in viable)
    return f"active {active}; viable: {listed or 'none'}; entry points: {', '.join(eps)}"


def _backend_name(backend: object) -> str:
    return f"{type(backend).__module__.removeprefix('keyring.backends.')}.{type(backend).__name__}"


def _sqlite_wal(ctx: Context) -> str:
    path = ctx.workdir / "wal-check.sqlite3"
    con = sqlite3.connect(path)
    try:
        mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise RuntimeError(f"journal_mode is {mode!r}, not 'wal'")
        with con:
            con.execute("CREATE TABLE t (x INTEGER)")
            con.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
        total = con.execute("SELECT sum(x) FROM t").fetchone()[0]
    finally:
        con.close()
    if total != 4950:
        raise RuntimeError(f"read back {total}, expected 4950")
    return f"SQLite {sqlite3.sqlite_version}, journal_mode=wal, {path.name}"


TIME_ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney")


def _time_zones(ctx: Context) -> str:
    import zoneinfo
    from importlib.metadata import PackageNotFoundError, version

    for name in TIME_ZONES:
        zoneinfo.ZoneInfo(name)  # ZoneInfoNotFoundError when neither the system nor tzdata has it
    system = next((p for p in zoneinfo.TZPATH if Path(p, TIME_ZONES[0]).is_file()), None)
    try:
        tzdata = f"tzdata {version('tzdata')}"
    except PackageNotFoundError:
        tzdata = "no tzdata package"
    source = f"system {system}" if system else "tzdata only"
    return f"{len(TIME_ZONES)} zones from {source}; {tzdata}"


def _holidays(ctx: Context) -> str:
    """The SLA calendar's public holidays: country calendars are imported by name at run time, so
    a bundle that left them out would only fail when a moderator picks a country."""
    from datetime import date

    from modconsole.services.sla import public_holidays

    found = public_holidays("DE", "BY", [2026])
    if found.get(date(2026, 1, 6)) is None or found.get(date(2026, 12, 25)) is None:
        raise RuntimeError(f"Bavaria's 2026 holidays are incomplete: {sorted(found)}")
    us = public_holidays("US", None, [2026])
    return f"DE-BY 2026: {len(found)} public holidays; US 2026: {len(us)}"


def _cache(ctx: Context) -> str:
    if importlib.util.find_spec("modconsole.cache.db") is None:
        raise Skip("modconsole.cache.db is not part of this build")
    from sqlalchemy import text

    from modconsole.cache.db import Cache, head_revision

    path = ctx.paths.site_cache_file("http://127.0.0.1:1", "selftest")
    with Cache.open(path) as cache, cache.engine.connect() as conn:
        mode = conn.execute(text("PRAGMA journal_mode")).scalar()
        rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if str(mode).lower() != "wal":
        raise RuntimeError(f"cache journal_mode is {mode!r}")
    if rev != head_revision():
        raise RuntimeError(f"cache at revision {rev!r}, head is {head_revision()!r}")
    return f"migrated to {rev}, journal_mode=wal"


def _logging(ctx: Context) -> str:
    import logging

    from modconsole import log

    secret = "selftest-" + os.urandom(8).hex()
    setup = log.setup_logging(ctx.paths)
    try:
        log.register_secret(secret)
        logging.getLogger("modconsole.api").info("selftest request with Api-Key: %s", secret)
        for h in setup.handlers:
            h.flush()
        text = setup.log_file.read_text("utf-8")
    finally:
        setup.close()
        log.forget_secrets()
    if secret in text or log.REDACTED not in text:
        raise RuntimeError("a registered secret reached the log file")
    return f"{setup.log_file} (redaction on)"


def _demo_server(ctx: Context) -> str:
    if importlib.util.find_spec("modconsole.demo.server") is None:
        raise Skip("modconsole/demo/server.py is not part of this build")
    from modconsole.demo.generator import generate
    from modconsole.demo.server import DemoServer

    db = ctx.workdir / "demo-tiny.sqlite3"
    t0 = time.perf_counter()
    generate(db, size="tiny")
    server = DemoServer(db)
    server.start()
    ctx.cleanups.append(server.stop)
    ctx.state["demo"] = server
    return f"tiny community generated and served at {server.base_url} ({time.perf_counter() - t0:.2f} s)"


def _demo_request(ctx: Context) -> str:
    server = ctx.state.get("demo")
    if server is None:
        raise Skip("no demo server")
    from modconsole.api import Budget, Credentials, HostPacer
    from modconsole.connectors.registry import connector_for

    ident = server.credentials.admin
    connector = connector_for("discourse")  # the embedded demo is a Discourse community
    creds = Credentials.admin(ident.key, ident.username)
    with connector.open_client(server.base_url, creds, pacer=HostPacer(Budget.unlimited())) as client:
        topics = connector.lookups.recent_topics(client)
    sent = server.requests[-1]  # what the demo answered: the route as it went over the wire
    if sent.status != 200:
        raise RuntimeError(f"{sent.method} {sent.path} answered {sent.status}")
    if not topics:
        raise RuntimeError(f"{sent.method} {sent.path} has no topic_list.topics")
    return f"{sent.method} {sent.path} as {ident.username}: 200, {len(topics)} topics"


def _sync(ctx: Context) -> str:
    server = ctx.state.get("demo")
    if server is None:
        raise Skip("no demo server")
    if importlib.util.find_spec("modconsole.sync.engine") is None:
        raise Skip("modconsole/sync is not part of this build")
    from modconsole.api import ApiClient, Budget, Credentials, HostPacer
    from modconsole.cache.db import Cache
    from modconsole.sync import SyncEngine
    from modconsole.tasks import CancelToken

    ident = server.credentials.admin
    t0 = time.perf_counter()
    creds = Credentials.admin(ident.key, ident.username)
    from modconsole.cache.repo import table_counts

    with (
        ApiClient(server.base_url, creds, pacer=HostPacer(Budget.unlimited())) as client,
        Cache.open(ctx.workdir / "selftest-sync.sqlite3") as cache,
    ):
        report = SyncEngine(client, cache).run_once(CancelToken())
        with cache.read() as conn:
            counts = table_counts(conn)
    if not report.finished or counts["topics"] == 0 or counts["posts"] == 0:
        raise RuntimeError(f"the sync of the demo did not finish: {report.requests}")
    return (
        f"tiny synced with {report.requests_total} requests: {counts['topics']} topics, "
        f"{counts['posts']} posts, {counts['users']} users ({time.perf_counter() - t0:.2f} s)"
    )


def _gui(ctx: Context) -> str:
    """The Qt part lives in ``ui.selftest`` (the core never imports Qt); it is loaded only here."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    check: Callable[[Paths], str] = importlib.import_module("ui.selftest").gui_check
    return check(ctx.paths)


STEPS: list[Step] = [
    Step("keyring", _keyring),
    Step("sqlite-wal", _sqlite_wal),
    Step("time-zones", _time_zones),
    Step("holidays", _holidays),
    Step("cache", _cache),
    Step("logging", _logging),
    Step("demo-server", _demo_server),
    Step("demo-request", _demo_request),
    Step("sync", _sync),
    Step("gui", _gui, gui=True),
]


# ---------------------------------------------------------------- command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gui", action="store_true", help="also create the QApplication and a window")
    parser.add_argument("--strict", action="store_true", help="a skipped step counts as a failure")
    parser.add_argument("--only", metavar="STEP", action="append", help="run only this step (repeatable)")


def run(args: argparse.Namespace, steps: list[Step] | None = None) -> int:
    steps = STEPS if steps is None else steps
    paths = Paths.default(getattr(args, "data_dir", None)).ensure()
    workdir = Path(tempfile.mkdtemp(prefix="selftest-", dir=paths.cache))
    ctx = Context(args=args, paths=paths, workdir=workdir)
    frozen = " (frozen)" if getattr(sys, "frozen", False) else ""
    print(f"{APP_DISPLAY_NAME} {__version__}{frozen} selftest, Python {sys.version.split()[0]}", flush=True)
    failed = skipped = 0
    try:
        for step in steps:
            if step.gui and not getattr(args, "gui", False):
                continue
            if args.only and step.name not in args.only:
                continue
            try:
                detail = step.run(ctx)
            except Skip as why:
                skipped += 1
                print(f"skipped: {step.name} ({why})", flush=True)
            except Exception as exc:
                failed += 1
                print(f"FAILED: {step.name}: {type(exc).__name__}: {exc}", flush=True)
            else:
                print(f"ok: {step.name} — {detail}", flush=True)
    finally:
        for cleanup in reversed(ctx.cleanups):
            try:
                cleanup()
            except Exception as exc:
                failed += 1
                print(f"FAILED: cleanup: {type(exc).__name__}: {exc}", flush=True)
        shutil.rmtree(workdir, ignore_errors=True)
    if failed or (skipped and getattr(args, "strict", False)):
        print(f"selftest: {failed} failed, {skipped} skipped", flush=True)
        return 1
    return 0
