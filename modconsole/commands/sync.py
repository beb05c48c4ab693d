"""``modconsole sync`` (headless pull sync) and ``modconsole status`` (what the cache holds).

The site is ``--site``/``--username`` or the data dir's known site (``modconsole.commands.target``);
the first sync learns the key kind and remembers it. The API key comes from ``MODCONSOLE_API_KEY``
(scripts) or the OS keyring (``modconsole.secrets``); it is never printed or logged.
``sync --demo`` syncs the embedded demo community. Exit codes: :mod:`modconsole.exitcodes` (a sync
whose push afterwards leaves actions queued or conflicting is not 0).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from modconsole.errors import Cancelled, InvalidInput
from modconsole.paths import Paths
from modconsole.tasks import CancelToken, Progress

if TYPE_CHECKING:
    from modconsole.workspace import Workspace


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site",
        metavar="URL",
        help="the community's address, e.g. https://forum.example.com (default: the known site)",
    )
    parser.add_argument("--username", metavar="NAME", help="the account the key acts as")
    parser.add_argument(
        "--platform",
        choices=("auto", "discourse", "vanilla"),
        default=None,
        help="the community's platform (default: what the site's cache recorded, else detected from the "
        "address)",
    )
    parser.add_argument(
        "--key-kind",
        choices=("admin", "user"),
        default=None,
        help="admin API key or user API key (default: the kind remembered for the site, else learned "
        "from the server)",
    )
    parser.add_argument(
        "--allow-insecure-http", action="store_true", help="allow plain http to a remote host"
    )
    parser.add_argument("--rescan", action="store_true", help="also re-list everything (metadata rescan)")
    parser.add_argument(
        "--deep", action="store_true", help="with --rescan: re-read every post (catches old edits)"
    )
    parser.add_argument(
        "--demo", dest="sync_demo", action="store_true", help="sync the embedded demo community"
    )
    parser.add_argument(
        "--demo-size", choices=("tiny", "small", "large"), default="small", help=argparse.SUPPRESS
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    # No client-side pacing: honoured only for a server on this machine (test and demo servers).
    parser.add_argument(
        "--no-push", action="store_true", help="don't send queued moderation actions after the sync"
    )
    parser.add_argument(
        "--no-bulk",
        action="store_true",
        help="don't use the Data Explorer mirror queries (see 'modconsole setup bulk-sync'): REST only",
    )
    parser.add_argument(
        "--bulk-group",
        metavar="NAME",
        action="append",
        default=None,
        help="the group the mirror queries are shared with, when not 'moderators' (may repeat)",
    )
    parser.add_argument("--unpaced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--day-limit",
        type=int,
        metavar="N",
        default=None,
        help="spend at most N requests of the key in any 24 hours (lowers the key's own day limit; "
        "the setting sync.day_reserve is kept for the app's actions)",
    )


def add_status_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", metavar="URL", help="only this site (default: every cache)")
    parser.add_argument("--username", metavar="NAME", help="only this account")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _span(seconds: float) -> str:
    """``"40 s"``, ``"12 min"``, ``"3 h 05 min"``, ``"2 d 4 h"``: an ETA at a glance."""
    s = max(0, round(seconds))
    if s < 90:
        return f"{s} s"
    if s < 3600:
        return f"{round(s / 60)} min"
    if s < 86_400:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 86_400} d {s % 86_400 // 3600} h"


def _plan_parts(p: Progress) -> list[str]:
    from modconsole.sync.plan import SyncProgress

    parts = []
    if isinstance(p, SyncProgress):
        if p.left_today is not None:
            parts.append(f"left today {p.left_today}")
        if p.eta_seconds is not None:
            parts.append(f"ETA {_span(p.eta_seconds)}")
    return parts


def _counts(p: Progress) -> str:
    from modconsole.sync.plan import SyncProgress

    total = f"/{p.total}" if p.total else ""
    text = f"{p.stage} {p.done}{total}"
    if isinstance(p, SyncProgress) and p.history_to and p.stage == "posts":
        text += f" (back to {p.history_to})"
    return text


def describe(p: Progress) -> str:
    """One line of a sync progress report: stage, counts, requests, left today, ETA."""
    return " · ".join([_counts(p), f"requests {p.requests}", *_plan_parts(p)])


def _columns(stream: TextIO) -> int | None:
    """The terminal's width, ``None`` when the stream cannot say."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return None


class _ProgressPrinter:
    """A progress bar on a terminal (tqdm: it keeps the line within the terminal's width and
    redraws it in place), plain lines otherwise — one per stage, then one every 10 s — so a log
    file or a pipe reads as a diary of the run."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        # a terminal that says it is 0 columns wide (a pty nobody sized) gets plain lines too
        self.tty = stream.isatty() and _columns(stream) != 0
        self.stage = ""
        self.last = 0.0
        self._bar: Any = None

    def __call__(self, p: Progress) -> None:
        from modconsole.sync.plan import SyncProgress

        if self.tty:
            self._draw(p, p.cost_left if isinstance(p, SyncProgress) else None)
            return
        now = time.monotonic()
        if p.stage != self.stage or now - self.last >= 10.0:
            self.stage, self.last = p.stage, now
            print(f"sync: {describe(p)}", file=self.stream, flush=True)

    def _draw(self, p: Progress, cost_left: int | None) -> None:
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(
                file=self.stream,
                total=None,
                unit="req",
                dynamic_ncols=True,
                bar_format="{desc} {bar} {n_fmt}/{total_fmt} req{postfix}",
                leave=True,
            )
        bar = self._bar
        total = p.requests + cost_left if cost_left is not None else None
        if total is not None and total != bar.total:
            bar.total = total
        bar.n = p.requests
        bar.set_description_str(_counts(p), refresh=False)
        bar.set_postfix_str(" · ".join(_plan_parts(p)), refresh=False)
        bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def run(args: argparse.Namespace) -> int:
    from modconsole.commands.target import refusal_hint, target_from_args
    from modconsole.connectors.sync_run import SyncOptions
    from modconsole.errors import AuthError
    from modconsole.exitcodes import ExitCode, for_push
    from modconsole.workspace import Workspace

    demo = bool(getattr(args, "sync_demo", False) or getattr(args, "demo", False))
    day_limit = getattr(args, "day_limit", None)
    if day_limit is not None and day_limit < 1:
        raise InvalidInput("--day-limit must be a positive number of requests.")
    paths = Paths.default().ensure()
    target = target_from_args(args, paths, demo=demo)
    site = target.site
    printer = _ProgressPrinter(sys.stderr)
    token = CancelToken()
    try:
        options = SyncOptions(
            force_rescan=args.rescan or args.deep,
            deep_rescan=args.deep,
            bulk=not getattr(args, "no_bulk", False),
        )
        if getattr(args, "bulk_group", None):
            options = replace(options, bulk_groups=tuple(args.bulk_group))
        with Workspace.open(target.ref(), sync_options=options) as ws:
            if day_limit is not None:
                ws.client.pacer.set_budget(ws.client.pacer.budget.lowered(per_day=day_limit))
            try:
                try:
                    report = ws.sync(token, printer)
                except AuthError as exc:
                    if target.known is None:
                        raise
                    printer.close()
                    hint = refusal_hint(ws.client)
                    print(f"modconsole: {exc.user_message} {hint}".rstrip(), file=sys.stderr)
                    return int(ExitCode.KEY_REFUSED)
                _remember_kind(target, paths)
                pushed = None
                if not args.no_push:
                    pushed = _push_after_sync(ws, token)
            except Cancelled:
                printer.close()
                print("modconsole: sync cancelled; what was fetched is kept.", file=sys.stderr)
                return int(ExitCode.CANCELLED)
    finally:
        printer.close()
        target.close()
    summary = {
        "cache": str(target.cache_path),
        "finished": report.finished,
        "first_sync": report.first_sync,
        "rescanned": report.rescanned,
        "requests_total": report.requests_total,
        "requests": dict(report.requests),
        "requests_until_queue": report.requests_until_queue,
        "changed": dict(report.counts),
        "duration_s": round(report.duration, 3),
        "notes": list(report.notes),
        "pushed": pushed,
        "resumes_at": report.resumes_at.isoformat() if report.resumes_at else None,
    }
    if report.resumes_at is not None:
        from modconsole.sync.plan import resume_line

        print(resume_line(report.resumes_at), file=sys.stderr)
    if args.json:
        print(json.dumps(summary, sort_keys=True))
    else:
        changed = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items())) or "nothing"
        print(
            f"Synced {site} in {report.duration:.1f} s with {report.requests_total} requests; "
            f"changed: {changed}."
        )
        for note in report.notes:
            print(f"  note: {note}")
        if pushed:
            print(
                f"Pushed queued actions: {pushed['done']} done, {pushed['conflicts']} conflicts, "
                f"{pushed['failed']} failed, {pushed['deferred']} still waiting."
                + (f" {pushed['message']}" if pushed["message"] else "")
            )
    if not pushed:
        return int(ExitCode.OK)
    return int(
        for_push(
            conflicts=pushed["conflicts"] + pushed["failed"],
            still_queued=pushed["deferred"],
            breaker=pushed.get("breaker"),
        )
    )


def _remember_kind(target: Any, paths: Paths) -> None:
    """A finished sync proves the key kind (when the first contact could not ask the server)."""
    from modconsole.sites import KnownSites

    kind = target.credentials.kind
    if target.known is not None and kind == "token":  # Vanilla: one kind; the site is remembered
        target.known = KnownSites(paths).remember(
            target.site, target.username, key_kind=None, allow_insecure_http=target.allow_insecure_http
        )
    elif target.known is not None and target.known.key_kind != kind:
        target.known = KnownSites(paths).remember(
            target.site,
            target.username,
            key_kind=target.credentials.kind,
            allow_insecure_http=target.allow_insecure_http,
        )


def _push_after_sync(ws: Workspace, token: CancelToken) -> dict[str, Any] | None:
    """Queued moderation actions go out after each sync (the outbox's promise), through the one
    push policy: delivered, then their targets re-read (an accept bumps nothing)."""
    if not ws.has_queued():
        return None
    push = ws.push(token)
    return {
        "done": push.delivered,
        "conflicts": len(push.conflicts),
        "failed": len(push.failed),
        "deferred": push.still_queued,
        "breaker": push.breaker,
        "message": push.message,
    }


# ---------------------------------------------------------------- status


def _kind_name(value: object) -> str | None:
    return {"admin": "admin", "user_api": "user", "user": "user"}.get(str(value)) if value else None


def _status_of(path: Path) -> dict[str, Any]:
    from modconsole.errors import CacheError

    try:
        return _status_of_cache(path)
    except CacheError as exc:  # listed as damaged (with what its queue still holds), not skipped
        return _damaged_status(path, exc)


def _damaged_status(path: Path, exc: Exception) -> dict[str, Any]:
    from sqlalchemy.exc import DBAPIError

    from modconsole.cache import repo
    from modconsole.cache.db import read_damaged
    from modconsole.errors import CacheError

    outbox: dict[str, int] = {}
    try:
        if path.stat().st_size:
            with read_damaged(path) as conn:
                outbox = repo.outbox_counts(conn)
    except (CacheError, DBAPIError, OSError):
        pass
    message = getattr(exc, "user_message", str(exc))
    return {
        "cache": str(path),
        "site": None,
        "username": None,
        "key_kind": None,
        "counts": {},
        "last_sync": None,
        "last_run": None,
        "pending_outbox": outbox.get("pending", 0) + outbox.get("in_flight", 0),
        "outbox": outbox,
        "errors": [],
        "damaged": message,
    }


def _status_of_cache(path: Path) -> dict[str, Any]:
    from sqlalchemy import text

    from modconsole import settings
    from modconsole.cache import repo
    from modconsole.cache.db import Cache

    with Cache.open(path) as cache, cache.read() as conn:
        counts = repo.table_counts(conn)
        outbox = repo.outbox_counts(conn)
        site = conn.execute(text("SELECT url, username, key_kind FROM site WHERE id = 1")).first()
        last = conn.execute(text("SELECT max(last_complete_pass_at) FROM sync_cursors")).scalar()
        errors = [
            {"stage": str(r[0]), "error": str(r[1])}
            for r in conn.execute(
                text("SELECT resource, last_error FROM sync_cursors WHERE last_error IS NOT NULL")
            )
        ]
        last_run = settings.get(conn, settings.LAST_SYNC_RUN) or None
    return {
        "cache": str(path),
        "site": site[0] if site else None,
        "username": site[1] if site else None,
        "key_kind": site[2] if site else None,
        "counts": counts,
        "last_sync": last,
        "last_run": last_run,
        "pending_outbox": outbox.get("pending", 0) + outbox.get("in_flight", 0),
        "outbox": outbox,
        "errors": errors,
    }


def run_status(args: argparse.Namespace) -> int:
    from modconsole.commands.target import chosen_site
    from modconsole.sites import KnownSites

    paths = Paths.default()
    known = KnownSites(paths)
    if args.site or args.username:
        chosen = chosen_site(args, paths)
        files = [paths.site_cache_file(chosen.url, chosen.username)]
        if not files[0].exists():
            raise InvalidInput(
                f"Nothing cached yet for {chosen.username} on {chosen.url}: run 'modconsole sync' first."
            )
    else:
        files = sorted((paths.data / "sites").glob("*/*.sqlite3"))
    result = [_status_of(f) for f in files]
    sites, default = known.all(), known.default()
    for r in result:  # the key kind commands use is the remembered one, not the cache's first
        rec = next(
            (k for k in sites if r["site"] and r["username"] and k.same(r["site"], r["username"])), None
        )
        r["key_kind"] = rec.key_kind if rec and rec.key_kind else _kind_name(r["key_kind"])
        r["key_kind_learned_at"] = rec.learned_at if rec else None
        r["default"] = bool(rec and default and default.same(rec.url, rec.username))
    if args.json:
        print(json.dumps(result, sort_keys=True))
        return _status_code(result)
    if not result:
        print("Nothing cached yet: run 'modconsole sync'.")
    for r in result:
        mark = "  (default)" if r["default"] else ""
        print(f"{r['site'] or '?'} as {r['username'] or '?'}{mark}  ({r['cache']})")
        if r["key_kind"]:
            print(f"  key kind: {r['key_kind']}")
        print(f"  last sync: {r['last_sync'] or 'never'}")
        if r["last_run"]:
            print(
                f"  last run: {r['last_run'].get('requests_total')} requests, "
                f"finished={r['last_run'].get('finished')}"
            )
            if r["last_run"].get("resumes_at"):
                print(f"  day budget spent: the sync resumes at {r['last_run']['resumes_at']}")
        from modconsole.cache.repo import MIRROR_TABLES

        print("  " + ", ".join(f"{k} {r['counts'].get(k, 0)}" for k in MIRROR_TABLES))
        print(f"  pending outbox actions: {r['pending_outbox']}")
        for e in r["errors"]:
            print(f"  paused: {e['stage']}: {e['error']}")
    return _status_code(result)


def _status_code(result: list[dict[str, Any]]) -> int:
    """``ExitCode.CACHE`` when a cache could not be read; each is named on stderr."""
    from modconsole.exitcodes import ExitCode

    damaged = [r for r in result if r.get("damaged")]
    for r in damaged:
        print(f"modconsole: {r['damaged']}", file=sys.stderr)
    return int(ExitCode.CACHE if damaged else ExitCode.OK)
