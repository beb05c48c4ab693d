"""``modconsole note`` / ``modconsole notes``: staff notes on a member (Discourse's User Notes).

    modconsole note USERNAME --text TEXT [--post POST_ID] [--queue-only] [--json]
    modconsole note USERNAME --delete NOTE_ID [--queue-only] [--json]
    modconsole notes USERNAME [--json]

``notes`` reads the member's notes from the community (staff only) and lists them, newest first,
with any still queued. ``note`` saves a note in the outbox and sends it when the community can be
reached; adding is not idempotent on the server, so before any retry the member's notes are read
back and ours is looked for — the note lands exactly once. The plugin is off by default on
Discourse: then both say so in one line (exit code 2). Common options as for ``modconsole accept``.
"""

from __future__ import annotations

import argparse
import json

from modconsole.commands import actions as cli
from modconsole.errors import InvalidInput
from modconsole.exitcodes import ExitCode

OFF = "User Notes are turned off on this community (the site setting user_notes_enabled); ask an admin."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("member", metavar="USERNAME")  # not "username": the site option has that name
    if parser.prog.split()[-1] == "note":
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--text", help="the note (staff see it on the member's profile)")
        what.add_argument("--delete", metavar="NOTE_ID", help="delete this note instead")
        parser.add_argument("--post", type=int, metavar="POST_ID", help="the post the note is about")
        cli.add_common(parser)
    else:
        cli.add_common(parser, queue_flag=False)


def run(args: argparse.Namespace) -> int:
    with cli.session(args) as ws:
        svc = ws.notes
        if not ws.capabilities.user_notes:
            raise InvalidInput("This community's platform has no staff notes on members.")
        svc.prepare(args.member)  # a member never synced yet: read them first
        uid, username = svc.member(args.member)
        view = svc.refresh(uid, force=args.command == "notes" or svc.site_state() == "off")
        if view.status == "disabled":
            raise InvalidInput(OFF)
        if view.status == "forbidden":
            raise InvalidInput(f"Your account (@{svc.me}) cannot read staff notes: only staff can.")
        if view.status == "gone":
            raise InvalidInput(f"@{username} no longer exists on the community.")
        if args.command == "notes":
            if view.error and view.status == "unread":
                raise InvalidInput(f"Could not read @{username}'s notes: {view.error}")
            if args.json:
                print(json.dumps({"username": username, "notes": [n.to_json() for n in view.notes]}))
            else:
                if view.error:
                    print(f"(offline: as read {view.read_at}) {view.error}")
                if not view.notes:
                    print(f"No staff notes on @{username}.")
                for n in view.notes:
                    mark = " [queued]" if n.pending else (" [deleting]" if n.deleting else "")
                    head = f"{(n.created_at or '')[:16].replace('T', ' ')}  @{n.created_by or '?'}{mark}"
                    print(f"{head}  {n.id or '-'}\n    {n.raw}")
            return int(ExitCode.OK)
        queued = svc.delete(uid, args.delete) if args.delete else svc.add(uid, args.text, post_id=args.post)
        return cli._deliver(ws, args, queued)
