"""``modconsole unaccept``: unaccept an accepted answer (see :mod:`modconsole.commands.actions`)."""

from __future__ import annotations

import argparse

from modconsole.commands import actions as cli


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cli.add_post_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return cli.run_unaccept(args)
