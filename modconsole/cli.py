"""The ``modconsole`` command.

No sub-command: the desktop app (the ``ui`` package is imported only then, so every headless
sub-command runs without Qt). Sub-commands are registered in ``COMMANDS`` as
``name -> (module, help)``; each module provides ``add_arguments(parser)`` and
``run(args) -> int``, and is imported only when its command runs.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import sys
from collections.abc import Sequence

from modconsole import APP_DISPLAY_NAME, __version__
from modconsole.errors import ModConsoleError

COMMANDS: dict[str, tuple[str, str]] = {
    "demo-server": ("modconsole.demo.server_cli", "run the demo community server (prints its URL and keys)"),
    "sync": ("modconsole.sync.cli", "pull the community into the local cache (--demo: the demo)"),
    "status": ("modconsole.sync.status_cli", "what is cached per site: counts, last sync, outbox"),
    "accept": ("modconsole.outbox.commands.accept", "accept a reply as the answer (saved first, then sent)"),
    "unaccept": ("modconsole.outbox.commands.unaccept", "unaccept an accepted answer"),
    "award": ("modconsole.outbox.commands.award", "award a badge to a member"),
    "revoke": ("modconsole.outbox.commands.revoke", "revoke a badge from a member"),
    "push": ("modconsole.outbox.commands.push", "send queued moderation actions"),
    "outbox": ("modconsole.outbox.commands.outbox", "queued, delivered and conflicting moderation actions"),
    "resolve": ("modconsole.outbox.commands.resolve", "answer a conflict: retry, apply-anyway or discard"),
    "selftest": ("modconsole.selftest", "check keyring, SQLite, cache, demo server and (--gui) Qt, headless"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="modconsole",
        description=f"{APP_DISPLAY_NAME}: triage, recognition and analytics for customer communities.",
    )
    parser.add_argument("--version", action="version", version=f"modconsole {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="keep cache, settings and logs below DIR (also MODCONSOLE_DATA_DIR)"
    )
    parser.add_argument("--debug", action="store_true", help="verbose logging")
    parser.add_argument(
        "--demo", action="store_true", help="start the embedded demo community and sign in to it"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if importlib.util.find_spec(module) is None:  # a command still being written
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir:
        import os

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
    log = logging.getLogger("modconsole.cli")
    try:
        return int(importlib.import_module(module).run(args))
    except ModConsoleError as exc:
        log.info("%s failed: %s", args.command, exc)
        print(f"modconsole: {exc.user_message}", file=sys.stderr)
        return _exit_code(exc)
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("%s crashed", args.command)
        raise
    finally:
        logging_setup.close()
        sys.stdout, sys.stderr = real_out, real_err


def _exit_code(exc: ModConsoleError) -> int:
    """The status for a known error; the same numbers as i11's ``modconsole.exitcodes.for_error``
    (which replaces this on merge): 7 the local cache or data dir cannot be used (damaged, disk
    full, read-only, no permission), 4 key refused, 5 not reached, 6 refused, 2 bad input."""
    from modconsole.errors import ApiError, AuthError, CacheError

    if isinstance(exc, CacheError):
        return 7
    if isinstance(exc, AuthError):
        return 4
    if isinstance(exc, ApiError):
        return 5 if exc.retryable else 6
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
