"""Which community a headless command talks to: ``--site URL --username NAME`` (key from the
environment or the keyring) or ``--demo`` (the embedded demo community, as its admin). Shared by
``modconsole sync`` and the outbox commands so both resolve a site, key and cache the same way."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modconsole.api import Budget, Credentials, HostPacer
from modconsole.api.client import _is_loopback, normalize_base_url
from modconsole.errors import InvalidInput
from modconsole.paths import Paths
from modconsole.secrets import load_api_key


@dataclass
class Target:
    site: str
    username: str
    credentials: Credentials
    cache_path: Path
    pacer: HostPacer | None  # None: the key kind's default budget
    allow_insecure_http: bool
    server: Any = None  # the embedded demo server, when --demo

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def target_from_args(args: argparse.Namespace, paths: Paths, *, demo: bool) -> Target:
    if demo:
        from modconsole.demo.server import start_embedded
        from modconsole.demo.store import connect, load_credentials

        server = start_embedded(args.demo_size, paths)
        con = connect(server.db_path, readonly=True)
        try:
            ident = load_credentials(con).admin
        finally:
            con.close()
        return Target(
            site=server.base_url,
            username=ident.username,
            credentials=Credentials.admin(ident.key, ident.username),
            cache_path=paths.site_cache_file(f"demo-{args.demo_size}", ident.username),
            pacer=HostPacer(Budget.unlimited()),
            allow_insecure_http=False,
            server=server,
        )
    if not args.site or not args.username:
        raise InvalidInput("Give --site URL and --username NAME (or --demo).")
    site = normalize_base_url(args.site, allow_insecure_http=args.allow_insecure_http)
    key = load_api_key(site, args.username)
    creds = (
        Credentials.admin(key, args.username)
        if args.key_kind == "admin"
        else Credentials.user(key, username=args.username)
    )
    pacer = None
    if getattr(args, "unpaced", False):
        host = site.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]
        if not _is_loopback(host):
            raise InvalidInput("--unpaced is only for a community on this machine.")
        pacer = HostPacer(Budget.unlimited())
    return Target(
        site=site,
        username=args.username,
        credentials=creds,
        cache_path=paths.site_cache_file(site, args.username),
        pacer=pacer,
        allow_insecure_http=bool(args.allow_insecure_http),
    )
