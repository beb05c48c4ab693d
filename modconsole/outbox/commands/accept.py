"""``modconsole accept``: accept a reply as the answer (see :mod:`modconsole.outbox.cli`)."""

from __future__ import annotations

import argparse

from modconsole.outbox import cli


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cli.add_post_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return cli.run_accept(args)
