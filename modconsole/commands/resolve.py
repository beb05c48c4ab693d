"""``modconsole resolve``: answer a conflict (see :mod:`modconsole.commands.actions`)."""

from __future__ import annotations

import argparse

from modconsole.commands import actions as cli


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cli.add_resolve_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return cli.run_resolve(args)
