"""Command line for moderation actions, on the same code path as the screens
(:class:`~modconsole.services.moderation.ModerationService`)::

    modconsole accept POST_ID            modconsole unaccept POST_ID
    modconsole award --badge NAME_OR_ID --user USERNAME [--reason URL] [--note TEXT]
    modconsole revoke --badge NAME_OR_ID --user USERNAME [--note TEXT]
    modconsole push                      modconsole outbox [--json] [--all]
    modconsole resolve OP_UUID retry|apply-anyway|discard [--note TEXT]

Common options: ``--site URL --username NAME [--key-kind user|admin]`` (the key from the OS keyring
or ``MODCONSOLE_API_KEY``; without them the data dir's known site and its remembered key kind, see
:mod:`modconsole.commands.target`), or ``--demo`` (the embedded demo community, as its admin, sharing
the cache of ``modconsole sync --demo``). Actions are saved to the local outbox first and sent right
away when the community can be reached; offline they stay queued and ``push`` delivers them.
Exit codes (:mod:`modconsole.exitcodes`): 0 only when what was asked was done (``--queue-only``:
saved); 3 a conflict or failure waits for ``resolve``; 4 the key was refused; 5 not sent now
(offline, …) and still queued; 2 bad input or an action refused before it was saved.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from modconsole.errors import InvalidInput
from modconsole.exitcodes import ExitCode, for_breaker, for_push
from modconsole.outbox.dispatcher import DispatchOptions
from modconsole.outbox.policy import PushOutcome
from modconsole.outbox.store import OutboxRow
from modconsole.paths import Paths
from modconsole.services.moderation import ModerationService, Queued
from modconsole.workspace import Workspace

CLI_OPTIONS = DispatchOptions(offline_threshold=2, max_wait=40.0, deadline=300.0)
"""Give up quickly when offline; wait out a verification delay (30 s) within one command."""


def add_common(parser: argparse.ArgumentParser, *, queue_flag: bool = True) -> None:
    g = parser.add_argument_group("community")
    g.add_argument(
        "--site",
        metavar="URL",
        help="the community's address, e.g. https://forum.example.com (default: the known site)",
    )
    g.add_argument("--username", metavar="NAME", help="the account your key acts as")
    g.add_argument(
        "--key-kind",
        choices=("user", "admin"),
        default=None,
        help="user API key or admin key (default: the kind remembered for the site, else learned "
        "from the server)",
    )
    g.add_argument("--allow-insecure-http", action="store_true", help="allow plain http to a remote host")
    g.add_argument(
        "--demo",
        dest="demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the embedded demo community",
    )
    g.add_argument("--demo-size", choices=("tiny", "small", "large"), default="small", help=argparse.SUPPRESS)
    if queue_flag:
        parser.add_argument("--queue-only", action="store_true", help="only save it; send later with 'push'")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


@contextmanager
def session(args: argparse.Namespace) -> Iterator[Workspace]:
    """Open the chosen site (or the embedded demo) through the front door and yield it."""
    from modconsole.api import RetryPolicy
    from modconsole.commands.target import refusal_hint, target_from_args
    from modconsole.errors import AuthError

    target = target_from_args(args, Paths.default().ensure(), demo=bool(getattr(args, "demo", False)))
    try:
        with Workspace.open(
            target.ref(), dispatch_options=CLI_OPTIONS, retry=RetryPolicy(max_retries=1, base=0.5, cap=2.0)
        ) as ws:
            ws.moderation.probe_permissions()
            try:
                yield ws
            except AuthError as exc:  # a lookup was refused: say what to do about the key
                hint = refusal_hint(ws.client) if target.known is not None else ""
                if not hint:
                    raise
                raise AuthError(f"{exc.user_message} {hint}", route=exc.route, status=exc.status) from None
    finally:
        target.close()


# ---------------------------------------------------------------- output


def _row_json(r: OutboxRow) -> dict[str, Any]:
    return {
        "op_uuid": r.op_uuid,
        "kind": r.kind,
        "action": r.describe(),
        "state": r.state,
        "resolution": r.resolution,
        "attempts": r.attempts,
        "note": r.note,
        "created_by": r.created_by,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "last_http_status": r.last_http_status,
        "last_error": r.last_error,
        "choices": [c.replace("_", "-") for c in r.choices],
        "stale": r.stale,
    }


def _report_json(rep: PushOutcome) -> dict[str, Any]:
    return {
        "done": rep.done,
        "conflicts": rep.conflicts,
        "failed": rep.failed,
        "still_queued": rep.still_queued,
        "breaker": rep.breaker,
        "writes": rep.writes,
        "reads": rep.reads,
        "message": rep.message,
    }


def _print_row(r: OutboxRow, out: Any = None) -> None:
    out = out or sys.stdout
    state = r.state + (f"/{r.resolution}" if r.resolution else "")
    print(f"{r.op_uuid[:8]}  {state:<28} {r.describe()}", file=out)
    if r.state in ("conflict", "failed") and r.last_error:
        print(f"          {r.last_error}", file=out)
    if r.choices and r.state in ("conflict", "failed"):
        options = "|".join(c.replace("_", "-") for c in r.choices)
        print(f"          choose: modconsole resolve {r.op_uuid[:8]} {options}", file=out)


def _deliver(ws: Workspace, args: argparse.Namespace, q: Queued) -> int:
    svc = ws.moderation
    result: dict[str, Any] = {
        "op_uuid": q.op_uuid,
        "action": q.description,
        "queued": True,
        "cancelled": list(q.cancelled),
    }
    rep: PushOutcome | None = None
    if not getattr(args, "queue_only", False):
        rep = ws.push()
        result["push"] = _report_json(rep)
    row = svc.get(q.op_uuid)
    result["state"] = row.state if row else None
    result["resolution"] = row.resolution if row else None
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        if q.coalesced:
            print(f"Saved and cancelled out against an earlier queued action: {q.description}.")
        elif row is not None and row.state == "done":
            how = (row.resolution or "applied").replace("_", " ")
            print(f"Done: {q.description} ({how}).")
        elif row is not None and row.state in ("conflict", "failed"):
            print(f"Saved, but the community did not take it: {q.description}.")
            _print_row(row)
        elif rep is not None and rep.breaker == "auth":  # pushing later will not help by itself
            print(f"Queued, not sent: {q.description} [{q.op_uuid[:8]}]. {rep.message}")
        else:
            why = f" ({rep.message})" if rep is not None and rep.breaker else ""
            print(f"Queued: {q.description} [{q.op_uuid[:8]}]{why}. Run 'modconsole push' to send it later.")
    if row is not None and row.state in ("conflict", "failed"):
        return int(ExitCode.CONFLICT)
    if row is not None and row.state in ("pending", "in_flight") and rep is not None:
        _explain_refusal(svc, rep)
        return int(for_breaker(rep.breaker))  # asked to send it, and it is still queued
    return int(ExitCode.OK)


def _explain_refusal(svc: ModerationService, rep: PushOutcome) -> None:
    """A push stopped because the key was refused: say what to do (one line on stderr)."""
    if rep.breaker != "auth" or svc.client is None:
        return
    from modconsole.commands.target import refusal_hint

    hint = refusal_hint(svc.client)
    if hint:
        print(f"modconsole: {hint}", file=sys.stderr)


def action_command(
    make: Callable[[ModerationService, argparse.Namespace], Queued],
) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        with session(args) as ws:
            return _deliver(ws, args, make(ws.moderation, args))

    return run


# ---------------------------------------------------------------- the commands


def add_post_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("post_id", type=int, metavar="POST_ID")
    parser.add_argument("--note", help="why (kept in the audit journal)")
    add_common(parser)


def add_badge_arguments(parser: argparse.ArgumentParser, *, reason: bool) -> None:
    parser.add_argument("--badge", required=True, metavar="NAME_OR_ID")
    parser.add_argument("--user", required=True, metavar="USERNAME")
    if reason:
        parser.add_argument("--reason", metavar="URL", help="link to the post or topic that earned it")
    parser.add_argument("--note", help="why (kept in the audit journal)")
    add_common(parser)


run_accept = action_command(lambda s, a: s.accept_answer(a.post_id, note=a.note))
run_unaccept = action_command(lambda s, a: s.unaccept_answer(a.post_id, note=a.note))
run_award = action_command(lambda s, a: s.award_badge(a.badge, a.user, reason=a.reason, note=a.note))
run_revoke = action_command(lambda s, a: s.revoke_badge(a.badge, a.user, note=a.note))


def add_push_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser, queue_flag=False)


def run_push(args: argparse.Namespace) -> int:
    with session(args) as ws:
        svc = ws.moderation
        rep = ws.push()
        waiting = [r for r in svc.outbox(("conflict", "failed"))]
        if args.json:
            print(json.dumps(_report_json(rep), sort_keys=True))
        else:
            print(rep.message)
            for r in waiting:
                if r.op_uuid in rep.conflicts or r.op_uuid in rep.failed:
                    _print_row(r)
            earlier = len(
                [r for r in waiting if r.op_uuid not in rep.conflicts and r.op_uuid not in rep.failed]
            )
            if earlier:
                print(f"{earlier} earlier conflict(s) still wait for you: see 'modconsole outbox'.")
        _explain_refusal(svc, rep)
        return int(for_push(conflicts=len(waiting), still_queued=rep.still_queued, breaker=rep.breaker))


def add_outbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", help="also list delivered and cancelled actions")
    add_common(parser, queue_flag=False)


def run_outbox(args: argparse.Namespace) -> int:
    from modconsole.commands.target import chosen_site

    damaged: Exception | None = None
    path: Any = None
    if getattr(args, "demo", False):
        with session(args) as ws:
            rows, counts = ws.moderation.outbox(), ws.moderation.counts()
    else:  # reading the local queue needs no network and no key
        chosen = chosen_site(args, Paths.default())
        path = Paths.default().site_cache_file(chosen.url, chosen.username)
        if not path.exists():
            raise InvalidInput(f"Nothing is cached for {chosen.username} on {chosen.url} yet.")
        rows, counts, damaged = _read_queue(path)
    shown = (
        rows if args.all else [r for r in rows if r.state in ("pending", "in_flight", "conflict", "failed")]
    )
    if args.json:
        doc: dict[str, Any] = {"counts": counts, "actions": [_row_json(r) for r in shown]}
        if damaged is not None:
            doc["damaged_cache"] = str(path)
        print(json.dumps(doc, sort_keys=True))
    else:
        print(", ".join(f"{k} {v}" for k, v in counts.items()))
        for r in shown:
            _print_row(r)
    if damaged is not None:  # listed from the damaged file, which stays as it was
        raise damaged
    return 0


def _read_queue(path: Any) -> tuple[list[OutboxRow], dict[str, int], Exception | None]:
    """The queue of the cache at ``path``; from a damaged cache, what can still be read of it
    (and the error, raised once it is listed), so its queued actions can be queued again."""
    from sqlalchemy.exc import DBAPIError

    from modconsole.cache.db import Cache, read_damaged
    from modconsole.errors import CacheCorrupt, CacheError
    from modconsole.outbox import store

    try:
        with Cache.open(path) as cache, cache.read() as conn:
            return store.rows(conn), store.counts(conn), None
    except CacheCorrupt as exc:
        try:
            with read_damaged(path) as conn:
                return store.rows(conn), store.counts(conn), exc
        except (CacheError, DBAPIError):  # the queue itself is unreadable (or the file empty)
            raise exc from None


def add_resolve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "op_uuid", metavar="OP_UUID", help="the action's id (the first 8 characters are enough)"
    )
    parser.add_argument("choice", choices=("retry", "apply-anyway", "discard"))
    parser.add_argument("--note", help="why (kept in the audit journal)")
    add_common(parser, queue_flag=True)


def run_resolve(args: argparse.Namespace) -> int:
    with session(args) as ws:
        svc = ws.moderation
        changes = svc.resolve(args.op_uuid, args.choice, note=args.note)
        (row_id,) = tuple(changes.outbox_ids)
        row = next(r for r in svc.outbox() if r.id == row_id)
        rep: PushOutcome | None = None
        if row.state == "pending" and not args.queue_only:
            rep = ws.push()
            row = svc.get(row.op_uuid) or row
        if args.json:
            print(json.dumps(_row_json(row), sort_keys=True))
        else:
            _print_row(row)
        if row.state in ("conflict", "failed"):
            return int(ExitCode.CONFLICT)
        if row.state in ("pending", "in_flight") and rep is not None:
            _explain_refusal(svc, rep)
            return int(for_breaker(rep.breaker))
        return int(ExitCode.OK)


__all__ = [
    "CLI_OPTIONS",
    "add_badge_arguments",
    "add_common",
    "add_outbox_arguments",
    "add_post_arguments",
    "add_push_arguments",
    "add_resolve_arguments",
    "run_accept",
    "run_award",
    "run_outbox",
    "run_push",
    "run_resolve",
    "run_revoke",
    "run_unaccept",
    "session",
]
