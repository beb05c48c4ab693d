"""``modconsole setup bulk-sync``: install the Data Explorer mirror queries (admin key).

Creates the mirror queries (``modconsole mirror: … v1``, see
the Discourse connector's ``sync/bulk.py``) or updates them in place — found by name, never
duplicated — and shares them with the moderators' group (``--group``), so each moderator's sync runs
them with their own key. The key is the admin API key of ``--username`` from ``MODCONSOLE_API_KEY``
or the OS keyring; it is never printed. Without the plugin enabled it says which admin setting to
turn on (exit code 6, refused).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="setup_action", metavar="WHAT", required=True)
    p = sub.add_parser(
        "bulk-sync",
        help="install the Data Explorer mirror queries and share them with the moderators",
        description="Create or update the Data Explorer mirror queries (admin key) and share them "
        "with a group, so first syncs take minutes instead of days. Safe to run again.",
    )
    p.add_argument("--site", metavar="URL", required=True, help="the community's address")
    p.add_argument("--username", metavar="ADMIN", required=True, help="the admin the API key acts as")
    p.add_argument(
        "--group", metavar="NAME", default="moderators", help="share with this group (default: moderators)"
    )
    p.add_argument("--allow-insecure-http", action="store_true", help="allow plain http to a remote host")


def run(args: argparse.Namespace) -> int:
    import sys

    from modconsole.api import Credentials
    from modconsole.api.client import normalize_base_url
    from modconsole.connectors.registry import connector_for
    from modconsole.connectors.types import FeatureOff
    from modconsole.exitcodes import ExitCode
    from modconsole.secrets import load_api_key

    site = normalize_base_url(args.site, allow_insecure_http=args.allow_insecure_http)
    key = load_api_key(site, args.username)
    connector = connector_for("discourse")  # the Data Explorer mirror is Discourse's
    setup = connector.mirror_setup
    assert setup is not None  # declared by its capabilities (bulk_mirror)
    client = connector.open_client(
        site, Credentials.admin(key, args.username), allow_insecure_http=args.allow_insecure_http
    )
    try:
        try:
            result = setup.install(client, args.group)
        except FeatureOff as off:
            print(
                f"modconsole: the Data Explorer plugin is not enabled on {site}: an admin turns on the "
                f"site setting '{off.setting}' (Admin > Settings), then run this again.",
                file=sys.stderr,
            )
            return int(ExitCode.REFUSED)
    finally:
        client.close()
    for name, action, qid in result.actions:
        print(f"{action}: '{name}' (query {qid})")
    print(
        f"Shared with group '{result.group}'; accepted answers read from the '{result.source}' "
        "tables. Syncs by members of that group now use these queries."
    )
    return int(ExitCode.OK)
