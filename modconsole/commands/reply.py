"""``modconsole reply TOPIC_ID --text TEXT [--whisper]``: post a reply (or a staff-only whisper).

Saved to the outbox first, then sent (see :mod:`modconsole.commands.actions`). A reply has no
idempotency key on Discourse, so it is sent with a recognition token and read back before any
retry: it lands once even when the connection drops after the server took it.
``--text -`` reads the text from standard input. Refused before anything is saved (exit 2, one
line): an unknown or deleted topic, a closed topic for a non-staff account, empty text, a whisper
from an account the community does not let whisper.
"""

from __future__ import annotations

import argparse
import sys

from modconsole.commands import actions as cli
from modconsole.errors import InvalidInput


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic_id", type=int, metavar="TOPIC_ID")
    parser.add_argument("--text", required=True, metavar="TEXT", help="the reply (markdown); '-' reads stdin")
    parser.add_argument(
        "--whisper", action="store_true", help="a staff-only note (where the community allows whispers)"
    )
    parser.add_argument("--reply-to", type=int, metavar="POST_NUMBER", help="answer this post of the topic")
    parser.add_argument("--note", help="why (kept in the audit journal)")
    cli.add_common(parser)


def _text(args: argparse.Namespace) -> str:
    if args.text != "-":
        return str(args.text)
    try:
        return sys.stdin.read()
    except UnicodeDecodeError:
        raise InvalidInput("The text on standard input is not valid UTF-8.") from None


def run(args: argparse.Namespace) -> int:
    text = _text(args)
    if not text.strip():  # before signing in: nothing to send, nothing to ask the community
        raise InvalidInput("The reply is empty.")
    return cli.action_command(
        lambda s, a: s.reply(
            a.topic_id, text, reply_to_post_number=a.reply_to, note=a.note, whisper=bool(a.whisper)
        )
    )(args)
