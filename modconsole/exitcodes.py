"""The exit status of every ``modconsole`` command, defined once.

0 only when everything asked for was done; each other code names what did not happen, so a script
can tell "try again later" (5) from "a person must decide" (3) or "fix the key" (4). Every
command's ``--help`` lists the codes it can give (:func:`help_epilog`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from enum import IntEnum

from modconsole.errors import ApiError, AuthError, CacheError, Cancelled, ModConsoleError


class ExitCode(IntEnum):
    OK = 0
    BUG = 1
    BAD_INPUT = 2
    CONFLICT = 3
    KEY_REFUSED = 4
    NOT_REACHED = 5
    REFUSED = 6
    CACHE = 7
    CANCELLED = 130
    BROKEN_PIPE = 141


MEANING: dict[ExitCode, str] = {
    ExitCode.OK: "everything asked for was done",
    ExitCode.BUG: "an unexpected error (a bug): the details are in the log",
    ExitCode.BAD_INPUT: (
        "bad arguments or input, no API key stored, or it is not clear which site is meant "
        "(the message says what to pass)"
    ),
    ExitCode.CONFLICT: (
        "an action waits for your decision (a conflict or a failure): "
        "see 'modconsole outbox', then 'modconsole resolve'"
    ),
    ExitCode.KEY_REFUSED: (
        "the community refused the API key (revoked, wrong username, or the other kind of key: "
        "the message says which --key-kind to pass)"
    ),
    ExitCode.NOT_REACHED: (
        "the community could not be reached or asked us to wait (offline, down, read-only, rate "
        "limit, another console pushing): a sync stopped where it was; actions stay queued for "
        "'modconsole push'"
    ),
    ExitCode.REFUSED: (
        "the community refused the request (no permission, gone, invalid) or does not answer as "
        "Discourse does"
    ),
    ExitCode.CACHE: "the local cache cannot be used (another modconsole holds it, corrupt, disk full)",
    ExitCode.CANCELLED: "interrupted (Ctrl+C); what was done so far is kept",
    ExitCode.BROKEN_PIPE: (
        "the output was cut short because its reader closed the pipe (e.g. '| head'); "
        "nothing is printed about it"
    ),
}

ALWAYS = (ExitCode.OK, ExitCode.BUG, ExitCode.BAD_INPUT, ExitCode.CANCELLED, ExitCode.BROKEN_PIPE)
"""Codes any command can give."""

ENVIRONMENT: dict[str, str] = {
    "MODCONSOLE_API_KEY": "the API key, for scripts (otherwise the OS keyring); never printed or logged",
    "MODCONSOLE_DATA_DIR": "keep cache, known sites, settings and logs below this directory (= --data-dir)",
    "MODCONSOLE_NOW": "pretend it is this ISO-8601 instant, e.g. 2026-11-01T13:00:00Z (tests, demos)",
}

_BREAKER_CODE: dict[str, ExitCode] = {
    "auth": ExitCode.KEY_REFUSED,
    "cancelled": ExitCode.CANCELLED,
}
"""The outbox dispatcher's breakers; every other one (offline, rate, read_only, lease, deadline)
leaves the actions queued for a later push."""


def for_error(exc: ModConsoleError) -> ExitCode:
    """The code for a known error that ended a command."""
    if isinstance(exc, Cancelled):
        return ExitCode.CANCELLED
    if isinstance(exc, AuthError):
        return ExitCode.KEY_REFUSED
    if isinstance(exc, ApiError):
        return ExitCode.NOT_REACHED if exc.retryable else ExitCode.REFUSED
    if isinstance(exc, CacheError):
        return ExitCode.CACHE
    return ExitCode.BAD_INPUT


def for_push(*, conflicts: int, still_queued: int, breaker: str | None) -> ExitCode:
    """The code for a push (or the push after a sync): 0 only when nothing is left to send or decide.

    A refused key comes first (nothing else can happen until it is fixed), then decisions waiting
    for a person, then actions left in the queue."""
    if breaker is not None and _BREAKER_CODE.get(breaker) is ExitCode.KEY_REFUSED:
        return ExitCode.KEY_REFUSED
    if conflicts:
        return ExitCode.CONFLICT
    if breaker == "cancelled":
        return ExitCode.CANCELLED
    if still_queued:
        return ExitCode.NOT_REACHED
    return ExitCode.OK


def for_breaker(breaker: str | None) -> ExitCode:
    """The code for one action left queued because a push stopped at ``breaker``."""
    return _BREAKER_CODE.get(breaker or "", ExitCode.NOT_REACHED)


def help_epilog(
    examples: Sequence[str],
    codes: Iterable[ExitCode] = (),
    *,
    custom: Mapping[int, str] | None = None,
    environment: bool = True,
) -> str:
    """The ``--help`` epilog: examples, the environment variables and the exit codes (for
    ``argparse.RawDescriptionHelpFormatter``): those every command can give plus ``codes``, or
    ``custom`` for a command with its own (``selftest``)."""
    lines: list[str] = []
    if examples:
        lines += ["examples:", *(f"  {e}" for e in examples), ""]
    if environment:
        lines.append("environment:")
        for name, what in ENVIRONMENT.items():
            lines += _item(name, what, 19)
        lines.append("")
    lines.append("exit status:")
    if custom is not None:
        meanings = dict(custom)
    else:
        meanings = {int(c): MEANING[c] for c in sorted(set(ALWAYS) | set(codes))}
    for code, meaning in sorted(meanings.items()):
        lines += _item(str(code), meaning, 3)
    return "\n".join(lines)


def _item(label: str, text: str, pad: int, width: int = 79) -> list[str]:
    head = f"  {label:<{pad}}  "
    return textwrap.wrap(text, width, initial_indent=head, subsequent_indent=" " * len(head))


__all__ = [
    "ALWAYS",
    "ENVIRONMENT",
    "MEANING",
    "ExitCode",
    "for_breaker",
    "for_error",
    "for_push",
    "help_epilog",
]
