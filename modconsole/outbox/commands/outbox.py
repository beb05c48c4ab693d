"""``modconsole outbox``: list queued actions and conflicts (see :mod:`modconsole.outbox.cli`)."""

from __future__ import annotations

import argparse

from modconsole.outbox import cli


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cli.add_outbox_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return cli.run_outbox(args)
