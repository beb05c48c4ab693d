"""``modconsole revoke``: revoke a badge (see :mod:`modconsole.commands.actions`)."""

from __future__ import annotations

import argparse

from modconsole.commands import actions as cli


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cli.add_badge_arguments(parser, reason=False)


def run(args: argparse.Namespace) -> int:
    return cli.run_revoke(args)
