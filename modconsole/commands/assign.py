"""``modconsole assign`` / ``modconsole unassign``: who holds a question (Discourse's Assign).

    modconsole assign TOPIC_ID [--to NAME | --group NAME] [--note TEXT] [--queue-only] [--json]
    modconsole unassign TOPIC_ID [--note TEXT] [--queue-only] [--json]

``assign`` without ``--to``/``--group`` (or ``--to me``) assigns the topic to you. The action is
saved in the outbox first and sent when the community can be reached; before sending, the topic's
assignment is read back (Assign refuses a repeat and writes a tracking post for every change), so it
lands exactly once, and a teammate who took the topic meanwhile is a conflict naming them (see
``modconsole resolve``). Common options and exit codes as for ``modconsole accept``.
"""

from __future__ import annotations

import argparse

from modconsole.commands import actions as cli
from modconsole.errors import InvalidInput


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic_id", type=int, metavar="TOPIC_ID")
    if parser.prog.split()[-1] == "assign":
        who = parser.add_mutually_exclusive_group()
        who.add_argument(
            "--to", metavar="NAME", help="the member to assign it to ('me': yourself, the default)"
        )
        who.add_argument("--group", metavar="NAME", help="the group to assign it to")
    parser.add_argument("--note", help="a note for the assignee (assign) or why (kept in the audit journal)")
    cli.add_common(parser)


def run(args: argparse.Namespace) -> int:
    if args.topic_id < 1:
        raise InvalidInput(f"The topic id must be a whole number from 1, not {args.topic_id}.")
    with cli.session(args) as ws:
        # a topic, member, group or the assignments never read yet: read them first
        ws.assign.prepare(args.topic_id, to=getattr(args, "to", None), group=getattr(args, "group", None))
        if args.command == "unassign":
            queued = ws.assign.unassign(args.topic_id, note=args.note)
        else:
            queued = ws.assign.assign(args.topic_id, to=args.to, group=args.group, note=args.note)
        return cli._deliver(ws, args, queued)
