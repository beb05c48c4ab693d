"""Which community a headless command talks to, and with which kind of key. Shared by
``modconsole sync``, ``status`` and the outbox commands so all of them resolve a site, key and
cache the same way.

* ``--demo``: the embedded demo community, as its admin.
* Otherwise the site comes from ``--site``/``--username`` or, without them, from the data dir's
  known sites (:mod:`modconsole.sites`): the default, or the only one.
* The key comes from ``MODCONSOLE_API_KEY`` or the OS keyring.
* The key's kind (admin key or User API key) is learned once, from the server's answer, and
  remembered with the site. At first contact (nothing remembered, or ``--key-kind`` differs from
  what is remembered) one ``GET /session/current.json`` checks the kind asked for, or the kind the
  key looks like; when the server refuses it, the other kind is tried. Discourse answers a key sent
  as the wrong kind exactly like an unknown key (403 ``invalid_access``, CONTRACT §2.1/§2.2), so
  only that second answer can tell the kinds apart. An explicit ``--key-kind`` that is refused while
  the other works ends with one line saying what to pass.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modconsole.api import Budget, Credentials, HostPacer
from modconsole.api.client import ApiClient, Timeouts, _is_loopback, normalize_base_url
from modconsole.api.ratelimit import RetryPolicy
from modconsole.connectors.registry import AUTO, DEFAULT_PLATFORM, connector_for, detect_platform
from modconsole.errors import ApiError, AuthError, InvalidInput
from modconsole.paths import Paths
from modconsole.secrets import load_api_key
from modconsole.sites import KeyKind, KnownSite, KnownSites
from modconsole.workspace import SiteRef, Workspace

KIND_NAMES: dict[str, str] = {"admin": "an admin API key", "user": "a user API key"}

_ADMIN_KEY_SHAPE = re.compile(r"[0-9a-f]{64}")
"""Discourse makes admin keys from 32 random bytes in hex (64 characters) and User API keys from
16 (32 characters); anything else is guessed to be a User API key, the kind a desktop app gets."""


@dataclass
class Target:
    site: str
    username: str
    credentials: Credentials
    cache_path: Path
    pacer: HostPacer | None  # None: the key kind's default budget
    allow_insecure_http: bool
    server: Any = None  # the embedded demo server, when --demo
    known: KnownSite | None = None  # the record the kind came from (None for --demo)
    platform: str = DEFAULT_PLATFORM

    def ref(self) -> SiteRef:
        """What the front door opens (:class:`modconsole.workspace.Workspace`)."""
        return SiteRef(
            url=self.site,
            username=self.username,
            credentials=self.credentials,
            cache_path=self.cache_path,
            allow_insecure_http=self.allow_insecure_http,
            pacer=self.pacer,
            platform=self.platform,
        )

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def looks_like(key: str) -> KeyKind:
    return "admin" if _ADMIN_KEY_SHAPE.fullmatch(key.strip().lower()) else "user"


def other(kind: KeyKind) -> KeyKind:
    return "user" if kind == "admin" else "admin"


def credentials_for(kind: KeyKind, key: str, username: str) -> Credentials:
    return Credentials.admin(key, username) if kind == "admin" else Credentials.user(key, username=username)


def chosen_site(args: argparse.Namespace, paths: Paths) -> KnownSite:
    """The site ``--site``/``--username`` name, or the data dir's default (see
    :meth:`KnownSites.choose`). Raises :class:`~modconsole.sites.SiteChoiceNeeded`."""
    url = None
    if getattr(args, "site", None):  # for the lookup only; checked for plain http below
        url = normalize_base_url(args.site, allow_insecure_http=True)
    return KnownSites(paths).choose(url, getattr(args, "username", None))


def target_from_args(args: argparse.Namespace, paths: Paths, *, demo: bool) -> Target:
    if demo:
        return _demo_target(args, paths)
    known = chosen_site(args, paths)
    allow = bool(getattr(args, "allow_insecure_http", False)) or known.allow_insecure_http
    site = normalize_base_url(known.url, allow_insecure_http=allow)
    key = load_api_key(site, known.username)
    pacer = None
    if getattr(args, "unpaced", False):
        host = site.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]
        if not _is_loopback(host):
            raise InvalidInput("--unpaced is only for a community on this machine.")
        pacer = HostPacer(Budget.unlimited())
    platform = platform_of(args, known, paths.site_cache_file(site, known.username), allow)
    if platform != DEFAULT_PLATFORM:  # a personal access token (Vanilla): no key kinds to learn
        return Target(
            site=site,
            username=known.username,
            credentials=Credentials.token(key, username=known.username),
            cache_path=paths.site_cache_file(site, known.username),
            pacer=pacer,
            allow_insecure_http=allow,
            known=known,
            platform=platform,
        )
    asked: KeyKind | None = getattr(args, "key_kind", None)
    kind = asked or known.key_kind
    if kind is None or kind != known.key_kind:  # first contact, or a kind that was never accepted
        learned = learn_key_kind(
            site,
            known.username,
            key,
            first=kind or looks_like(key),
            explicit=asked is not None,
            allow_insecure_http=allow,
            pacer=pacer,
        )
        if learned is not None:
            kind = learned
            known = KnownSites(paths).remember(
                site, known.username, key_kind=learned, allow_insecure_http=bool(args.allow_insecure_http)
            )
    use: KeyKind = kind or looks_like(key)  # not learned (server unreachable): the best guess
    return Target(
        site=site,
        username=known.username,
        credentials=credentials_for(use, key, known.username),
        cache_path=paths.site_cache_file(site, known.username),
        pacer=pacer,
        allow_insecure_http=allow,
        known=known,
    )


def platform_of(
    args: argparse.Namespace, known: KnownSite, cache_path: Path, allow_insecure_http: bool
) -> str:
    """``--platform`` when given; else a remembered key kind (those are Discourse's), the platform
    the site's cache recorded, or — at first contact — one request to tell (``detect_platform``)."""
    asked = (getattr(args, "platform", None) or AUTO).strip().lower()
    if asked != AUTO:
        return connector_for(asked).platform
    if known.key_kind is not None:
        return DEFAULT_PLATFORM
    return Workspace.recorded_platform(cache_path) or detect_platform(
        known.url, allow_insecure_http=allow_insecure_http
    )


def _probe(
    site: str, creds: Credentials, *, allow_insecure_http: bool, pacer: HostPacer | None
) -> dict[str, Any]:
    with ApiClient(
        site,
        creds,
        allow_insecure_http=allow_insecure_http,
        pacer=pacer,
        timeouts=Timeouts(connect=10.0, read=30.0, deadline=45.0),
        retry=RetryPolicy(max_retries=1, base=0.5, cap=2.0),
    ) as client:
        return connector_for(DEFAULT_PLATFORM).verify(client)


def learn_key_kind(
    site: str,
    username: str,
    key: str,
    *,
    first: KeyKind,
    explicit: bool,
    allow_insecure_http: bool,
    pacer: HostPacer | None = None,
) -> KeyKind | None:
    """Ask the server which kind of key this is: ``first``, else the other one.

    Returns the kind the server accepted, or None when it could not be asked (offline, down, rate
    limited: the command goes on with ``first`` and learns next time). Raises :class:`AuthError`
    when the server refuses both kinds, or refuses an ``explicit`` kind the other of which works
    (the message says what to pass), or signs the key in as someone else."""
    second = other(first)
    try:
        me = _probe(
            site, credentials_for(first, key, username), allow_insecure_http=allow_insecure_http, pacer=pacer
        )
        found = first
    except AuthError as refused:
        try:
            me = _probe(
                site,
                credentials_for(second, key, username),
                allow_insecure_http=allow_insecure_http,
                pacer=pacer,
            )
        except AuthError:
            raise AuthError(
                f"{site} refused this key for @{username}, both as an admin API key and as a user API key: "
                "check that it was copied whole, is not revoked, and that the username is right.",
                route=refused.route,
                status=refused.status,
                error_type=refused.error_type,
            ) from None
        except ApiError:
            raise refused from None
        if explicit:
            raise AuthError(
                f"This key was refused as {KIND_NAMES[first]}; it works as {KIND_NAMES[second]}: "
                f"pass --key-kind {second} (or leave --key-kind out).",
                route=refused.route,
                status=refused.status,
                error_type=refused.error_type,
            ) from None
        found = second
    except ApiError as exc:
        if exc.retryable:
            return None
        raise
    signed_in = str(me.get("username") or "")
    if signed_in and signed_in.lower() != username.lower():
        raise AuthError(f"This key signs in as @{signed_in}, not @{username}: pass --username {signed_in}.")
    return found


def refusal_hint(client: ApiClient) -> str:
    """After the server refused a key it accepted before: one sentence on what to do, found by
    trying the key as the other kind (one request, to the address ``client`` already uses, so
    plain http is no more allowed than it was)."""
    creds = client.credentials
    if creds is None or creds.kind == "token" or not creds.username:
        return ""  # a personal access token has one kind only
    kind: KeyKind = "admin" if creds.kind == "admin" else "user"
    try:
        _probe(
            client.base_url,
            credentials_for(other(kind), creds.key, creds.username),
            allow_insecure_http=True,
            pacer=None,
        )
    except ApiError:
        return (
            f"The key was refused as {KIND_NAMES[kind]} (the kind remembered for this site): it may have "
            "been revoked; sign in again or store a new key."
        )
    return (
        f"The key was refused as {KIND_NAMES[kind]} (the kind remembered for this site); it works as "
        f"{KIND_NAMES[other(kind)]}: pass --key-kind {other(kind)}."
    )


def _demo_target(args: argparse.Namespace, paths: Paths) -> Target:
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


__all__ = [
    "KIND_NAMES",
    "Target",
    "chosen_site",
    "credentials_for",
    "learn_key_kind",
    "looks_like",
    "other",
    "platform_of",
    "refusal_hint",
    "target_from_args",
]
