"""``modconsole review``: the review queue (flagged posts, posts awaiting approval).

    modconsole review list [--type flagged|queued] [--category ID] [--priority low|medium|high]
                           [--cached] [--json]
    modconsole review perform ITEM_ID ACTION_ID [--note TEXT] [--queue-only] [--json]
    modconsole review claim ITEM_ID | modconsole review unclaim ITEM_ID

``list`` reads the pending queue from the community into the cache (``--cached``: only the cache;
offline it says so and shows the cache), then lists it with each item's reasons, reporters, score
and the actions the community offers for it. ``perform`` queues one of those actions in the outbox
with the item's version and sends it (exactly once; someone acting first shows as a conflict, see
``modconsole resolve``). Where the community requires claiming, ``claim`` the item first (it
goes out before a perform queued after it). Common options and exit codes as for ``modconsole accept``.
"""

from __future__ import annotations

import argparse
import json
import sys

from modconsole.commands import actions as cli
from modconsole.errors import ApiError, NetworkError, ServerUnavailable
from modconsole.exitcodes import ExitCode
from modconsole.services.review import ReviewEntry
from modconsole.workspace import Workspace


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="review_action", metavar="ACTION", required=True)
    ls = sub.add_parser("list", help="pending items with reasons and offered actions", description="list")
    ls.add_argument("--type", choices=("flagged", "queued", "user"), help="only this kind of item")
    ls.add_argument("--category", type=int, metavar="ID", help="only items in this category")
    ls.add_argument("--priority", choices=("low", "medium", "high"), help="only items scoring at least this")
    ls.add_argument("--cached", action="store_true", help="do not read the community; list the cache")
    cli.add_common(ls, queue_flag=False)
    pf = sub.add_parser("perform", help="perform an offered action on an item", description="perform")
    pf.add_argument("item_id", type=int, metavar="ITEM_ID")
    pf.add_argument("action_id", metavar="ACTION_ID", help="one of the actions 'review list' shows for it")
    pf.add_argument("--note", help="why (kept in the audit journal)")
    cli.add_common(pf)
    for name, what in (("claim", "claim the item's topic"), ("unclaim", "release the claim")):
        c = sub.add_parser(name, help=what, description=what)
        c.add_argument("item_id", type=int, metavar="ITEM_ID")
        c.add_argument("--note", help="why (kept in the audit journal)")
        cli.add_common(c)


def _print_entry(e: ReviewEntry) -> None:
    it = e.item
    kind = {"ReviewableFlaggedPost": "flag", "ReviewableQueuedPost": "queued"}.get(it.type, it.type)
    where = f"“{it.topic_title}”" if it.topic_title else f"topic {it.topic_id}"
    post = f" post #{it.post_number}" if it.post_number else ""
    print(
        f"#{it.id}  {kind:<6} score {it.score:>4.1f}  {where}{post} by @{it.author or '?'}  (v{it.version})"
    )
    for r in it.reasons:
        print(f"        {r.title} — @{r.username or '?'} (+{r.score:g})")
    if it.raw:
        text = " ".join(it.raw.split())
        print(f"        > {text[:100]}{'…' if len(text) > 100 else ''}")
    if it.claimed_by:
        print(f"        claimed by @{it.claimed_by}")
    if e.queued_op:
        print(f"        queued: {e.queued_label} [{e.queued_op[:8]}] {e.queued_state}")
    else:
        print("        actions: " + ", ".join(f"{a.id} ({a.label})" for a in it.actions))


def _sync(ws: Workspace) -> str | None:
    """Read the queue; returns why it could not (offline, …) so the cache is shown instead."""
    try:
        ws.review.sync()
    except (NetworkError, ServerUnavailable) as exc:
        return exc.user_message
    return None


def run(args: argparse.Namespace) -> int:
    with cli.session(args) as ws:
        if args.review_action == "list":
            why = None if args.cached else _sync(ws)
            entries = ws.review.entries(type=args.type, category_id=args.category, priority=args.priority)
            if args.json:
                doc = {"items": [e.to_json() for e in entries], "from_cache_only": bool(args.cached or why)}
                if why:
                    doc["offline"] = why
                print(json.dumps(doc, sort_keys=True))
            else:
                if why:
                    print(f"Not reached ({why}); showing the cached queue.", file=sys.stderr)
                print(f"{len(entries)} item(s) waiting for review")
                for e in entries:
                    _print_entry(e)
            return int(ExitCode.NOT_REACHED) if why else int(ExitCode.OK)
        if ws.review.item(args.item_id) is None:
            _sync(ws)  # not cached yet: read the queue first (offline, perform explains)
        if args.review_action in ("claim", "unclaim"):
            queued = ws.review.claim(args.item_id, release=args.review_action == "unclaim", note=args.note)
            return cli._deliver(ws, args, queued)
        queued = ws.review.perform(args.item_id, args.action_id, note=args.note)
        code = cli._deliver(ws, args, queued)
        if not args.queue_only:
            try:
                ws.review.refresh_delivered()
            except ApiError:  # the delivery stands; the next list re-reads the queue
                pass
        return code
