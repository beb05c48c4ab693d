"""The ``modconsole`` command.

No sub-command: the desktop app (the ``ui`` package is imported only then, so every headless
sub-command runs without Qt). Sub-commands are registered in ``COMMANDS`` as
``name -> (module, help)``; each module provides ``add_arguments(parser)`` and
``run(args) -> int``, and is imported only when its command runs. ``HELP`` gives each command's
``--help`` epilog: examples, the environment variables and the exit codes it can give
(:mod:`modconsole.exitcodes`).

Exit status: see :class:`~modconsole.exitcodes.ExitCode`. A closed stdout (``| head``) ends the
command quietly with 141 (the status a shell reports for a process ended by SIGPIPE), no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import os
import sys
from collections.abc import Sequence

from modconsole import APP_DISPLAY_NAME, __version__
from modconsole.errors import ModConsoleError
from modconsole.exitcodes import ExitCode, for_error, help_epilog

COMMANDS: dict[str, tuple[str, str]] = {
    "demo-server": (
        "modconsole.commands.demo_server",
        "run the demo community server (prints its URL and keys)",
    ),
    "sync": ("modconsole.commands.sync", "pull the community into the local cache (--demo: the demo)"),
    "status": ("modconsole.commands.status", "what is cached per site: counts, last sync, outbox"),
    "accept": ("modconsole.commands.accept", "accept a reply as the answer (saved first, then sent)"),
    "unaccept": ("modconsole.commands.unaccept", "unaccept an accepted answer"),
    "award": ("modconsole.commands.award", "award a badge to a member"),
    "reply": ("modconsole.commands.reply", "reply in a topic, or whisper a staff-only note (sent once)"),
    "revoke": ("modconsole.commands.revoke", "revoke a badge from a member"),
    "review": (
        "modconsole.commands.review",
        "the review queue: list flags and queued posts, perform an offered action",
    ),
    "assign": (
        "modconsole.commands.assign",
        "assign a question to you, a teammate (--to) or a group (--group)",
    ),
    "unassign": ("modconsole.commands.assign", "unassign a question (nobody holds it then)"),
    "note": ("modconsole.commands.notes", "add (or --delete) a staff note on a member"),
    "notes": ("modconsole.commands.notes", "a member's staff notes (User Notes), newest first"),
    "push": ("modconsole.commands.push", "send queued moderation actions"),
    "outbox": ("modconsole.commands.outbox", "queued, delivered and conflicting moderation actions"),
    "resolve": ("modconsole.commands.resolve", "answer a conflict: retry, apply-anyway or discard"),
    "sites": ("modconsole.commands.sites", "known communities: list them, choose the default, forget one"),
    "setup": (
        "modconsole.commands.setup",
        "one-time setup on the community (bulk-sync: the Data Explorer mirror queries; admin key)",
    ),
    "settings": ("modconsole.commands.settings", "show or change a community's settings (SLA calendar, …)"),
    "selftest": (
        "modconsole.commands.selftest",
        "check keyring, SQLite, cache, demo server and (--gui) Qt, headless",
    ),
}

_E = ExitCode
_ONLINE = (_E.KEY_REFUSED, _E.NOT_REACHED, _E.REFUSED, _E.CACHE)
_ACTION = (_E.CONFLICT, *_ONLINE)

HELP: dict[str, tuple[tuple[str, ...], tuple[ExitCode, ...]]] = {
    "demo-server": (
        (
            "modconsole demo-server --size tiny --port 0",
            "modconsole demo-server --limits discourse --fault 'status:GET:/latest.json:p=0.2:status=502'",
            "modconsole demo-server --platform vanilla --size tiny --port 0",
        ),
        (),
    ),
    "sync": (
        (
            "modconsole sync --site https://forum.example.com --username alice  # learns the key kind",
            "modconsole sync                     # the known (or default) site, the remembered key kind",
            "modconsole sync --rescan --deep --json",
            "modconsole sync --demo",
        ),
        _ACTION,
    ),
    "status": (("modconsole status", "modconsole status --json | jq '.[0].counts'"), (_E.CACHE,)),
    "accept": (
        (
            "modconsole accept 1234 --note 'answers the question'",
            "modconsole accept 1234 --queue-only  # save now, send with 'modconsole push'",
            "modconsole accept 1234 --site https://forum.example.com --username alice",
        ),
        _ACTION,
    ),
    "unaccept": (("modconsole unaccept 1234 --note 'wrong answer'",), _ACTION),
    "reply": (
        (
            "modconsole reply 1234 --text 'Thanks, we are looking into it.'",
            "modconsole reply 1234 --whisper --text 'escalated to the product team'",
            "git log -1 --format=%B | modconsole reply 1234 --text -",
        ),
        _ACTION,
    ),
    "award": (
        (
            "modconsole award --badge Superuser --user wen_meyer --reason https://forum.example.com/t/123/4",
            "modconsole award --badge 201 --user wen_meyer --queue-only --json",
        ),
        _ACTION,
    ),
    "revoke": (
        ("modconsole revoke --badge Superuser --user wen_meyer --note 'awarded by mistake'",),
        _ACTION,
    ),
    "review": (
        (
            "modconsole review list",
            "modconsole review list --type flagged --priority high --json",
            "modconsole review perform 42 agree_and_hide --note 'spam'",
        ),
        _ACTION,
    ),
    "assign": (("modconsole assign 1234", "modconsole assign 1234 --to dana --note 'SSO expert'"), _ACTION),
    "unassign": (("modconsole unassign 1234",), _ACTION),
    "note": (
        (
            "modconsole note wen_meyer --text 'prefers e-mail; escalations go to her manager'",
            "modconsole note wen_meyer --text 'see this thread' --post 5678",
            "modconsole note wen_meyer --delete 3f2a9c",
        ),
        _ACTION,
    ),
    "notes": (("modconsole notes wen_meyer", "modconsole notes wen_meyer --json"), _ONLINE),
    "push": (("modconsole push", "modconsole push --json"), _ACTION),
    "outbox": (("modconsole outbox", "modconsole outbox --all --json | jq '.counts'"), (_E.CACHE,)),
    "setup": (
        ("modconsole setup bulk-sync --site https://forum.example.com --username admin --group moderators",),
        _ONLINE,
    ),
    "settings": (
        (
            "modconsole settings                 # the settings of the known (or default) community",
            "modconsole settings sla             # the SLA calendar, as JSON",
            'modconsole settings sla \'{"timezone": "Europe/Berlin", "country": "DE", "subdivision": "BY"}\'',
            "modconsole settings sla --reset     # back to the default (Mon-Fri 09-17 UTC)",
        ),
        (_E.CACHE,),
    ),
    "resolve": (
        (
            "modconsole resolve 1a2b3c4d retry",
            "modconsole resolve 1a2b3c4d apply-anyway --note 'ours is right'",
            "modconsole resolve 1a2b3c4d discard",
        ),
        _ACTION,
    ),
    "sites": (
        (
            "modconsole sites",
            "modconsole sites use https://forum.example.com --username alice",
            "modconsole sites forget https://old.example.com --username alice",
        ),
        (),
    ),
    "selftest": (("modconsole selftest", "modconsole selftest --gui --strict"), ()),
}
"""Per command: ``--help`` examples and the exit codes beyond those every command can give."""

_CUSTOM_CODES: dict[str, dict[int, str]] = {
    "selftest": {
        0: "every step passed",
        1: "a step failed (with --strict: or was skipped)",
        2: "bad arguments",
    },
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="modconsole",
        description=f"{APP_DISPLAY_NAME}: triage, recognition and analytics for customer communities.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=help_epilog(
            (
                "modconsole --demo                  # the desktop app, signed in to the demo community",
                "modconsole --demo --platform vanilla   # the same on the Vanilla demo community",
                "modconsole sync --site https://forum.example.com --username alice",
                "modconsole award --badge Superuser --user wen_meyer",
                "modconsole COMMAND --help          # examples and exit codes of one command",
            ),
            tuple(ExitCode),
        ),
    )
    parser.add_argument("--version", action="version", version=f"modconsole {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="keep cache, settings and logs below DIR (also MODCONSOLE_DATA_DIR)"
    )
    parser.add_argument("--debug", action="store_true", help="verbose logging")
    parser.add_argument(
        "--demo", action="store_true", help="start the embedded demo community and sign in to it"
    )
    parser.add_argument(
        "--platform",
        dest="demo_platform",
        choices=("discourse", "vanilla"),
        default="discourse",
        help="with --demo: which platform's demo community (default discourse)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if importlib.util.find_spec(module) is None:  # a command still being written
            continue
        examples, codes = HELP.get(name, ((), ()))
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=help_epilog(examples, codes, custom=_CUSTOM_CODES.get(name)),
        )
        importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``modconsole``; returns the exit status (:class:`~modconsole.exitcodes.ExitCode`)."""
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, not as "Exception ignored" at exit
    except BrokenPipeError:
        _stdout_to_devnull()
        return int(ExitCode.BROKEN_PIPE)


def _stdout_to_devnull() -> None:
    """The reader went away (``| head``): later writes, and the flush at exit, go nowhere
    (the recipe in the Python documentation of SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a file (tests capture it)
        pass


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir:
        from modconsole.paths import ENV_DATA_DIR

        os.environ[ENV_DATA_DIR] = args.data_dir
    if args.command is None:
        app = importlib.import_module("ui.app")
        return int(app.main(args))
    module, _ = COMMANDS[args.command]
    from modconsole.log import setup_logging
    from modconsole.paths import Paths
    from modconsole.textsafe import TerminalSafeWriter

    # Server text (names, titles) reaches the terminal with bidi and control characters escaped.
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafeWriter(real_out), TerminalSafeWriter(real_err)
    logging_setup = setup_logging(Paths.default(), debug=args.debug)
    log = logging.getLogger("modconsole.commands.main")
    try:
        return int(importlib.import_module(module).run(args))
    except ModConsoleError as exc:
        log.info("%s failed: %s", args.command, exc)
        print(f"modconsole: {exc.user_message}", file=sys.stderr)
        return int(for_error(exc))
    except KeyboardInterrupt:
        return int(ExitCode.CANCELLED)
    except BrokenPipeError:
        raise
    except Exception:
        log.exception("%s crashed", args.command)
        raise
    finally:
        logging_setup.close()
        sys.stdout, sys.stderr = real_out, real_err


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
