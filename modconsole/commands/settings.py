"""``modconsole settings``: show or change the settings kept in a community's cache.

Every setting is a key of the registry (:mod:`modconsole.settings`); a new value is given as JSON,
read by the key's codec and checked as the app checks it, so a value the app would refuse is
refused here too (with a one-line message, exit status 2, nothing stored). A running app picks the
change up when it next reads the setting (the SLA calendar: at the next start).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from modconsole import settings
from modconsole.errors import InvalidInput
from modconsole.paths import Paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="a setting's name (none: list them all)")
    parser.add_argument("value", nargs="?", help="a new value, as JSON (the whole setting)")
    parser.add_argument("--reset", action="store_true", help="forget the stored value (use the default)")
    parser.add_argument("--site", metavar="URL", help="the community (needed when several are cached)")
    parser.add_argument("--username", metavar="NAME", help="the account its cache belongs to")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _cache_file(args: argparse.Namespace, paths: Paths) -> Path:
    """The cache of the community ``--site``/``--username`` name, or of the known (default) one."""
    from modconsole.commands.target import chosen_site

    chosen = chosen_site(args, paths)
    path = paths.site_cache_file(chosen.url, chosen.username)
    if not path.exists():
        raise InvalidInput(
            f"Nothing cached yet for {chosen.username} on {chosen.url}: run 'modconsole sync' first."
        )
    return path


def declared() -> dict[str, settings.Key[Any]]:
    """Every setting any module declares (each key lives next to the type of value it holds)."""
    import modconsole.analytics.settings
    import modconsole.outbox.permissions
    import modconsole.services.assign
    import modconsole.services.reminders
    import modconsole.services.replies
    import modconsole.services.superusers
    import modconsole.sync.plan  # noqa: F401  (they declare their keys on import)

    return dict(settings.REGISTRY)


def _key(name: str) -> settings.Key[Any]:
    k = declared().get(name)
    if k is None:
        raise InvalidInput(f"No setting is called {name!r}; the settings are: {', '.join(declared())}.")
    return k


def run(args: argparse.Namespace) -> int:
    from modconsole.cache.db import Cache

    if args.reset and (args.name is None or args.value is not None):
        raise InvalidInput("--reset takes a setting's name and no value.")
    k = _key(args.name) if args.name else None
    new: Any = None
    if k is not None and args.value is not None:
        try:
            data = json.loads(args.value)
        except ValueError:
            raise InvalidInput(f"The value for {k.name} is not valid JSON.") from None
        try:
            new = k.decode(data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InvalidInput(f"The value for {k.name} is not valid: {exc}") from None
    out = sys.stdout
    with Cache.open(_cache_file(args, Paths.default())) as cache:
        if k is None:
            with cache.read() as conn:
                rows = settings.read_all(conn, declared())
            if args.json:
                print(json.dumps([r.__dict__ for r in rows], sort_keys=True), file=out)
            else:
                for r in rows:
                    state = r.updated_at or "default"
                    if not r.readable:
                        state += ", unreadable: the default is used"
                    print(f"{r.name}  ({state})\n    {r.doc}", file=out)
            return 0
        if args.reset:
            with cache.write() as conn:
                settings.remove(conn, k)
            print(f"{k.name}: back to the default.", file=out)
            return 0
        if new is not None:
            with cache.write() as conn:
                settings.put(conn, k, new)
            print(f"{k.name}: saved.", file=out)
            return 0
        with cache.read() as conn:
            value = settings.get(conn, k)
        print(
            json.dumps(k.encode(value), sort_keys=True, indent=None if args.json else 2, ensure_ascii=False)
        )
    return 0
