"""``modconsole sites``: the communities this data dir knows (see :mod:`modconsole.sites`).

``modconsole sites`` lists them (address, username, the key kind the server accepted and when,
which one is the default); ``sites use URL [--username NAME]`` makes one the default, so commands
need no ``--site``/``--username``; ``sites forget URL [--username NAME]`` drops a record (its cache
and its key stay where they are).
"""

from __future__ import annotations

import argparse
import json

from modconsole.paths import Paths
from modconsole.sites import KnownSite, KnownSites, SiteChoiceNeeded


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    sub = parser.add_subparsers(dest="sites_action", metavar="ACTION")
    for name, what in (("use", "make this site the default"), ("forget", "drop this site's record")):
        p = sub.add_parser(name, help=what, description=what)
        p.add_argument("site", metavar="URL")
        p.add_argument("--username", metavar="NAME", help="needed when several accounts of URL are known")


def _json(s: KnownSite, default: bool) -> dict[str, object]:
    return {
        "site": s.url,
        "username": s.username,
        "key_kind": s.key_kind,
        "learned_at": s.learned_at,
        "allow_insecure_http": s.allow_insecure_http,
        "default": default,
    }


def run(args: argparse.Namespace) -> int:
    from modconsole.api.client import normalize_base_url

    known = KnownSites(Paths.default())
    action = getattr(args, "sites_action", None)
    if action in ("use", "forget"):
        url = normalize_base_url(args.site, allow_insecure_http=True)
        name = (args.username or "").lower()
        fits = [s for s in known.all() if s.url == url and (not name or s.username.lower() == name)]
        if len(fits) != 1:
            listing = ", ".join(s.label for s in (fits or known.all())) or "none"
            if fits:
                raise SiteChoiceNeeded(
                    f"Several accounts are known on {url}: {listing}. Give --username NAME."
                )
            raise SiteChoiceNeeded(
                f"{url}{' as ' + args.username if name else ''} is not a known site; known: {listing}."
            )
        (site,) = fits
        if action == "use":
            known.set_default(site.url, site.username)
            print(f"Default site: {site.label}.")
        else:
            known.forget(site.url, site.username)
            print(f"Forgot {site.label} (its cache and its key are kept).")
        return 0
    rows = known.all()
    default = known.default()
    if args.json:
        print(
            json.dumps(
                [_json(s, default is not None and default.same(s.url, s.username)) for s in rows],
                sort_keys=True,
            )
        )
        return 0
    if not rows:
        print("No community known yet: run 'modconsole sync --site URL --username NAME' or sign in.")
    for s in rows:
        mark = "*" if default is not None and default.same(s.url, s.username) else " "
        kind = f"{s.key_kind} key (learned {s.learned_at})" if s.key_kind else "key kind not learned yet"
        print(f"{mark} {s.label}  {kind}")
    if len(rows) > 1 and default is None:
        print("No default: choose one with 'modconsole sites use URL [--username NAME]'.")
    return 0
