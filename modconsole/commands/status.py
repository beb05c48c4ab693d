"""``modconsole status``: what is cached per site (counts per table), last sync, requests, outbox."""

from __future__ import annotations

import argparse

from modconsole.commands.sync import add_status_arguments, run_status


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_status_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return run_status(args)
