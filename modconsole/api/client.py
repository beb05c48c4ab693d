"""``ApiClient``: the one door to a Discourse site.

It owns one ``httpx.Client`` and does, for every request: base-URL handling, auth headers,
explicit timeouts plus an overall deadline, pacing and retries (delegated to
:mod:`modconsole.api.ratelimit`), JSON decoding, and the mapping of every failure to a typed
error from :mod:`modconsole.errors` (:func:`error_for_response`).

Secrets: the key lives only in :class:`Credentials` (hidden from ``repr``) and in the request
headers. No message, ``repr``, log line or exception chain produced here contains it: errors
are built from status, route and the server's ``errors[]`` only, and transport exceptions (whose
request object carries the headers) are never chained onto our errors.

403 — credential problem or refused action? (CONTRACT §2.1, §8)
----------------------------------------------------------------
Discourse answers 403 ``invalid_access`` both for a bad key and for a guardian refusal. We call
it :class:`AuthError` when

* ``error_type`` is ``not_logged_in`` (the key no longer maps to a user), or
* the message is Discourse's ``invalid_api_credentials`` text ("The API username or key is
  invalid"), or
* the request was an *auth probe* (``auth_probe=True``, used by ``connectors.discourse.session.verify`` on
  ``/session/current.json``), which any valid key may read — so a 403 there can only mean the
  credentials are refused (revoked key, suspended or deactivated account).

Every other 403 (plain ``invalid_access``, ``{"failed": "FAILED"}`` from the badge routes, an
empty body) is :class:`PermissionDenied`: the key works, this identity may not do this.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any, Literal
from urllib.parse import urlencode

import httpcore
import httpx

from modconsole import USER_AGENT, clock
from modconsole.api.ratelimit import (
    IDEMPOTENT_METHODS,
    Budget,
    CancelLike,
    Delivery,
    HostPacer,
    PacerSnapshot,
    RetryPolicy,
    clamp_wait,
    delivery_of,
    human_span,
    interruptible_sleep,
    is_cancelled,
)
from modconsole.errors import (
    ApiError,
    AuthError,
    Cancelled,
    Conflict,
    InsecureConnectionRefused,
    InvalidInput,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    Rejected,
    ServerUnavailable,
    UnexpectedPayload,
)
from modconsole.log import redact, register_secret

log = logging.getLogger("modconsole.api")

MAX_BODY_BYTES = 64 * 1024 * 1024
"""Refuse answers larger than this (no Discourse page comes close)."""

CLOCK_SKEW_WARNING = 300.0
"""Seconds of difference between our clock and the server's ``Date`` worth a warning."""

DEFAULT_RETRY_AFTER = 30.0
"""Wait used when a 429 names no time at all."""

ParamValue = str | int | float | bool | None | Sequence[str | int | float | bool]
Params = Mapping[str, ParamValue]
ResponseCheck = Callable[[str, int, Mapping[str, str]], "ApiError | None"]
"""A platform's own reading of an answer's status and headers before the common mapping (route,
status, headers → an error, or None to carry on): e.g. Vanilla answers a refused token as a guest
and says so only in ``X-WWW-Authenticate``."""


# ---------------------------------------------------------------- credentials and settings


@dataclass(frozen=True)
class Credentials:
    """How we sign in. ``kind='admin'``: ``Api-Key`` + ``Api-Username``; ``kind='user'``:
    ``User-Api-Key`` (+ ``User-Api-Client-Id``); ``kind='token'``: a personal access token sent as
    ``Authorization: Bearer`` (Vanilla). ``repr`` never shows the key."""

    kind: Literal["admin", "user", "token"]
    key: str = field(repr=False)
    username: str | None = None
    client_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("admin", "user", "token"):
            raise InvalidInput(f"Unknown key kind {self.kind!r}: use 'admin', 'user' or 'token'.")
        if not self.key or not self.key.strip() or any(c in self.key for c in "\r\n"):
            raise InvalidInput("The API key is empty or contains line breaks.")
        if self.kind == "admin" and not (self.username and self.username.strip()):
            raise InvalidInput("An admin API key needs the username it acts as.")

    @classmethod
    def admin(cls, key: str, username: str) -> Credentials:
        return cls("admin", key.strip(), username.strip())

    @classmethod
    def user(cls, key: str, *, username: str | None = None, client_id: str | None = None) -> Credentials:
        return cls("user", key.strip(), username, client_id)

    @classmethod
    def token(cls, key: str, *, username: str | None = None) -> Credentials:
        """A personal access token (Vanilla: ``Authorization: Bearer``)."""
        return cls("token", key.strip(), username)

    def headers(self) -> dict[str, str]:
        if self.kind == "token":
            return {"Authorization": f"Bearer {self.key}"}
        if self.kind == "admin":
            assert self.username is not None
            return {"Api-Key": self.key, "Api-Username": self.username}
        h = {"User-Api-Key": self.key}
        if self.client_id:
            h["User-Api-Client-Id"] = self.client_id
        return h

    def default_budget(self) -> Budget:
        """The pacing preset for this kind of key (below the server's limit, SYNC §6.8)."""
        if self.kind == "token":
            return Budget.vanilla_reads()
        return Budget.admin_key() if self.kind == "admin" else Budget.user_key()

    def __repr__(self) -> str:
        return f"Credentials(kind={self.kind!r}, username={self.username!r}, key=<redacted>)"


@dataclass(frozen=True)
class Timeouts:
    """httpx timeouts per phase, plus ``deadline``: the most one attempt may take in total.

    Each attempt's phase timeouts are clipped to the time left before the deadline, and every
    socket read and write of the attempt waits at most the time left (:class:`_DeadlineBackend`),
    so a server that trickles its status line, headers or body (slow-loris) ends in
    ``NetworkError(error_type="deadline")`` — and such an error is not retried.
    """

    connect: float = 5.0
    read: float = 20.0
    write: float = 20.0
    pool: float = 5.0
    deadline: float = 30.0

    def for_remaining(self, remaining: float) -> httpx.Timeout:
        r = max(0.001, remaining)
        return httpx.Timeout(
            connect=min(self.connect, r),
            read=min(self.read, r),
            write=min(self.write, r),
            pool=min(self.pool, r),
        )


_attempt_deadline = threading.local()
"""``at``: the monotonic time the current thread's request attempt must end by (or None)."""


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until the attempt's deadline.

    httpx's timeouts apply per socket operation; a server that sends one byte just before each
    read times out would hold a request forever. Reads happen on the requesting thread, so the
    deadline is the thread's (a pooled connection reused by another thread obeys that one's)."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    @staticmethod
    def _clip(timeout: float | None) -> float | None:
        at: float | None = getattr(_attempt_deadline, "at", None)
        if at is None:
            return timeout
        left = at - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("overall deadline exceeded")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._clip(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._clip(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, self._clip(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with every connection wrapped in :class:`_DeadlineStream`."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.connect_tcp(host, port, _DeadlineStream._clip(timeout), local_address, socket_options)
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _bound_by_deadline(client: httpx.Client) -> bool:
    """Wrap the network backend of ``client``'s connection pool (httpx offers no parameter for
    it); False when the pool is not httpcore's own (a test transport)."""
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if pool is None or not isinstance(backend, httpcore.NetworkBackend):
        return False
    pool._network_backend = _DeadlineBackend(backend)
    return True


def _is_loopback(host: str) -> bool:
    """Whether plain http to ``host`` stays on this machine: a loopback address (127.0.0.0/8,
    ``::1``, also IPv4-mapped) or the literal name ``localhost``.

    ``localhost`` itself stays: every mainstream resolver answers it from the hosts file with a
    loopback address (RFC 6761 §6.3), and a local Discourse development server is reached at
    ``http://localhost:3000``. Other names under ``.localhost`` do not count: the system resolver
    may pass them on to DNS (or a hosts entry may point them anywhere), and the key would then
    cross the network in clear text.
    """
    h = host.strip("[]").lower()
    if h == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(h)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


def normalize_base_url(url: str, *, allow_insecure_http: bool = False) -> str:
    """Check and normalise a site address: ``https://forum.example.com[/subfolder]``.

    A missing scheme means https. Only http(s) is accepted; no user/password, query or fragment.
    Plain http to a host that is not this machine raises :class:`InsecureConnectionRefused`
    unless ``allow_insecure_http`` (the key would cross the network in clear text).
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("Enter the community's web address, e.g. https://forum.example.com.")
    text = url.strip()
    if any(c.isspace() for c in text):
        raise InvalidInput(f"{text!r} is not a web address (it contains spaces).")
    if "://" not in text:
        text = "https://" + text
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise InvalidInput(f"{url.strip()!r} is not a valid web address.") from None
    scheme = parsed.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidInput(f"The address must start with https:// (got {scheme}://).")
    host = parsed.host
    if not host or host.startswith(".") or ".." in host:
        raise InvalidInput(f"{url.strip()!r} has no valid host name.")
    if parsed.userinfo:
        raise InvalidInput("Do not put a user name or password in the address; enter the API key separately.")
    if parsed.query or parsed.fragment:
        raise InvalidInput("The address must not contain '?' or '#' parts; use the site's home address.")
    if scheme == "http" and not allow_insecure_http and not _is_loopback(host):
        raise InsecureConnectionRefused(
            f"{host} is reached over plain http, which would send your API key unencrypted. "
            "Use https://, or explicitly allow insecure connections for this site.",
        )
    path = parsed.path.rstrip("/")
    netloc = f"[{host}]" if ":" in host else host
    if parsed.port is not None:
        netloc += f":{parsed.port}"
    return f"{scheme}://{netloc.lower()}{path}"


# ---------------------------------------------------------------- error mapping

_CREDENTIAL_PHRASES = ("api username or key is invalid", "invalid_api_credentials", "api key is invalid")


def _parse_body(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _server_errors(payload: Any) -> tuple[tuple[str, ...], str | None, dict[str, Any]]:
    if not isinstance(payload, dict):
        return (), None, {}
    raw = payload.get("errors")
    msgs: list[str] = []
    if isinstance(raw, list):
        msgs = [str(m) for m in raw if isinstance(m, str | int | float)]
    elif isinstance(raw, str):
        msgs = [raw]
    elif isinstance(raw, dict):  # {"field": ["msg", …]} from some validators
        for k, v in raw.items():
            for m in v if isinstance(v, list) else [v]:
                msgs.append(f"{k} {m}")
    if not msgs and isinstance(payload.get("message"), str):
        msgs = [payload["message"]]
    if not msgs and isinstance(payload.get("error"), str):  # Assign's refusals: one sentence (§A3.2)
        msgs = [payload["error"]]
    et = payload.get("error_type")
    extras = payload.get("extras")
    return tuple(msgs), et if isinstance(et, str) else None, extras if isinstance(extras, dict) else {}


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP-date (None if unusable),
    bounded by :func:`~modconsole.api.ratelimit.clamp_wait` (a day at most)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # RFC 9110 HTTP-dates are GMT
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - (clock.timestamp() if now is None else now)
    if math.isnan(seconds):
        return None
    return clamp_wait(seconds)


def _plain_text(body: bytes, limit: int = 200, secrets: Sequence[str] = ()) -> str:
    text = redact(body.decode("utf-8", "replace").strip(), secrets)
    return " ".join(text.split())[:limit]


def _looks_like_html(headers: Mapping[str, str], body: bytes) -> bool:
    ctype = headers.get("content-type", "").lower()
    if "html" in ctype:
        return True
    head = body.lstrip()[:20].lower()
    return head.startswith((b"<!doctype", b"<html", b"<"))


def error_for_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    route: str,
    *,
    auth_probe: bool = False,
    now: float | None = None,
    secrets: Sequence[str] = (),
) -> ApiError | None:
    """The typed error for an HTTP answer, or ``None`` for a 2xx (decode it with :func:`decode_json`).

    ``headers`` must be case-insensitive (an ``httpx.Headers``) or use lower-case names.
    ``route`` ("GET /t/123.json") names the endpoint in the error; it never holds secrets.

    This is where server text enters the console, so it is redacted here, once
    (:func:`modconsole.log.redact`, with ``secrets`` — the caller's key — besides the registered
    ones and key-shaped tokens): a gateway that echoes the request's headers in its error body
    cannot put the key into an error message, the outbox, the sync state or the terminal.
    """
    if 200 <= status < 300:
        return None
    payload = _parse_body(body)
    msgs, etype, extras = _server_errors(payload)
    msgs = tuple(redact(m, secrets) for m in msgs)
    said = "; ".join(msgs)[:300] if msgs else None
    kw: dict[str, Any] = {"route": route, "status": status, "server_errors": msgs, "error_type": etype}

    if 300 <= status < 400:
        target = headers.get("location", "")
        host = httpx.URL(target).host if target.startswith("http") else ""
        where = f" to {host}" if host else ""
        return UnexpectedPayload(
            f"The site redirected{where} instead of answering. Check the address (https, www, subfolder).",
            detail=f"HTTP {status} on {route}",
            retryable=False,
            **kw,
        )
    if status == 429:
        header_wait = parse_retry_after(headers.get("retry-after"), now=now)
        body_wait: float | None = None
        ws = extras.get("wait_seconds")
        if isinstance(ws, int | float) and not isinstance(ws, bool) and not math.isnan(ws):
            body_wait = clamp_wait(float(ws))
        waits = [w for w in (header_wait, body_wait) if w is not None]
        wait = max(waits) if waits else DEFAULT_RETRY_AFTER
        code = headers.get("discourse-rate-limit-error-code") or (etype if etype != "rate_limit" else None)
        if payload is None and body:
            kw["server_errors"] = (_plain_text(body, secrets=secrets),)
        per_ip = bool(code and code.startswith("ip_")) or payload is None
        scope = "from this computer's address" if per_ip else "for this key"
        if code and "day" in code:
            text = (
                "The daily request allowance for this key is used up; "
                f"requests resume in about {human_span(wait)}."
            )
        else:
            text = (
                f"The community is limiting requests {scope}; waiting {human_span(wait)} before trying again."
            )
        return RateLimited(
            text,
            retry_after=wait,
            code=code,
            detail=f"429 on {route}" + (f", code {code}" if code else ""),
            **kw,
        )
    if status in (401, 403):
        lowered = " ".join(msgs).lower()
        if etype == "not_logged_in" or status == 401:
            return AuthError(
                "The community no longer accepts this sign-in (the key may have been revoked or expired). "
                "Please sign in again.",
                detail=said,
                **kw,
            )
        if any(p in lowered for p in _CREDENTIAL_PHRASES) or auth_probe:
            return AuthError(
                "The API key or username was not accepted by the community. Check them, or create a new key.",
                detail=said,
                **kw,
            )
        return PermissionDenied(
            "Your account is not allowed to do this on the community.",
            detail=said or ("FAILED" if isinstance(payload, dict) and payload.get("failed") else None),
            **kw,
        )
    if status in (404, 410):
        gone = status == 410
        return NotFound(
            "This item was deleted on the community."
            if gone
            else "The community says this item does not exist "
            "(it may have been deleted, made private, or the feature is turned off).",
            detail=said or f"HTTP {status} on {route}",
            **kw,
        )
    if status == 409:
        return Conflict(
            "Someone changed this on the community in the meantime. Reload it and try again.",
            detail=said,
            **kw,
        )
    if status in (400, 422) or (400 <= status < 500 and status not in (408,)):
        refusal = said or (
            redact(payload["message"], secrets)
            if isinstance(payload, dict) and isinstance(payload.get("message"), str)
            else None
        )
        return Rejected(
            f"The community refused the request: {refusal}"
            if refusal
            else "The community refused the request.",
            detail=f"HTTP {status} on {route}",
            **kw,
        )
    if status == 503 and etype == "read_only":
        return ServerUnavailable(
            "The community is in read-only mode (maintenance). Changes will be sent once it is back.",
            detail=said,
            **kw,
        )
    if status == 408 or status >= 500:
        return ServerUnavailable(
            f"The community's server had a problem (HTTP {status}). We will try again later.",
            detail=said or f"HTTP {status} on {route}",
            **kw,
        )
    return UnexpectedPayload(f"Unexpected answer (HTTP {status}) from the community.", detail=route, **kw)


def decode_json(status: int, headers: Mapping[str, str], body: bytes, route: str) -> Any:
    """Decode a 2xx body; an empty body is ``None``. HTML or broken JSON → :class:`UnexpectedPayload`."""
    if not body.strip():
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        pass
    if _looks_like_html(headers, body):
        raise UnexpectedPayload(
            "The address answered with a web page instead of the Discourse API. "
            "Check that it is the community's address.",
            route=route,
            status=status,
            detail=f"HTML on {route}",
        )
    raise UnexpectedPayload(
        "The community's answer was cut off or garbled. We will try again.",
        route=route,
        status=status,
        detail=f"invalid or truncated JSON on {route} ({len(body)} bytes)",
    )


# ---------------------------------------------------------------- the client


@dataclass(frozen=True)
class ClientStats:
    """Counters for the status bar."""

    requests_sent: int
    retries: int
    failures: int
    rate_limited: int
    last_status: int | None
    clock_offset: float | None
    pacer: PacerSnapshot
    bytes_received: int = 0
    """Response bytes as they came over the wire (compressed when the server compressed them)."""

    @property
    def clock_skewed(self) -> bool:
        """True when this computer's clock is off by more than ``CLOCK_SKEW_WARNING`` seconds."""
        return self.clock_offset is not None and abs(self.clock_offset) > CLOCK_SKEW_WARNING


@dataclass(frozen=True)
class Attempt:
    """The outcome of :meth:`ApiClient.attempt_json`: ``value`` when ``error`` is None, else the
    error and whether the server may have acted on the request (``delivery``)."""

    value: Any
    error: ApiError | None
    delivery: Delivery

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def ambiguous(self) -> bool:
        return self.error is not None and self.delivery is Delivery.AMBIGUOUS

    @property
    def not_sent(self) -> bool:
        return self.error is not None and self.delivery is Delivery.NOT_SENT


class _Deadline(Exception):
    pass


def _network_kind(exc: httpx.HTTPError, site: str = "the community") -> tuple[str, str]:
    """(error_type, moderator text) for a transport failure; ``site`` names where it went."""
    table: list[tuple[type[httpx.HTTPError], str, str]] = [
        (httpx.ConnectTimeout, "connect_timeout", "The community did not answer in time (connecting)."),
        (httpx.PoolTimeout, "pool_timeout", "Too many requests were waiting; the request was not sent."),
        (httpx.ReadTimeout, "read_timeout", "The community took too long to answer."),
        (httpx.WriteTimeout, "write_timeout", "Sending the request to the community took too long."),
        (
            httpx.ConnectError,
            "connect_error",
            f"Cannot reach {site} (no connection, or wrong address).",
        ),
        (httpx.RemoteProtocolError, "dropped", "The connection to the community dropped during the answer."),
        (httpx.ReadError, "read_error", "The connection to the community broke while reading the answer."),
        (httpx.WriteError, "write_error", "The connection to the community broke while sending."),
        (httpx.UnsupportedProtocol, "invalid_url", "The community's address cannot be used."),
    ]
    for cls, kind, text in table:
        if isinstance(exc, cls):
            return kind, text
    return "network", "A network error interrupted the request to the community."


class ApiClient:
    """A synchronous, thread-safe client for one site and one identity.

    ``get_json``/``post_json``/``put_json``/``delete_json`` return decoded JSON or raise an
    :class:`~modconsole.errors.ApiError`; GETs are retried per ``retry`` (5xx, transport errors,
    429 after the server's wait). :meth:`attempt_json` sends once (plus 429 waits) and returns an
    :class:`Attempt` telling whether a failed write may have reached the server.
    """

    def __init__(
        self,
        base_url: str,
        credentials: Credentials | None = None,
        *,
        allow_insecure_http: bool = False,
        timeouts: Timeouts | None = None,
        pacer: HostPacer | None = None,
        retry: RetryPolicy | None = None,
        sleeper: Any = interruptible_sleep,
        wall_clock: Any = clock.timestamp,
        transport: httpx.BaseTransport | None = None,
        write_pacer: HostPacer | None = None,
        response_check: ResponseCheck | None = None,
        json_bodies: bool = False,
    ) -> None:
        self._base = normalize_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self._credentials = credentials
        if credentials is not None:  # whoever made the client, its key never reaches a log line
            register_secret(credentials.key)
        self.timeouts = timeouts or Timeouts()
        self.pacer = pacer or HostPacer(credentials.default_budget() if credentials else Budget.admin_key())
        self.write_pacer = write_pacer or self.pacer
        """Where a platform counts writes apart from reads (Vanilla: 300 GET / 120 writes a minute),
        the writes' own pacer; otherwise the same one."""
        self._response_check = response_check
        self.json_bodies = json_bodies
        """Write bodies go as JSON (Vanilla API v2) instead of a form (Discourse, the default)."""
        self.retry = retry or RetryPolicy()
        self._sleep = sleeper
        self._wall = wall_clock
        self._http = httpx.Client(
            base_url=self._base,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=self.timeouts.for_remaining(self.timeouts.deadline),
            follow_redirects=False,
            transport=transport,
        )
        if transport is None:
            _bound_by_deadline(self._http)
        self._counter_lock = threading.Lock()
        self._sent = 0
        self._bytes_received = 0
        self._retries = 0
        self._failures = 0
        self._rate_limited = 0
        self._last_status: int | None = None
        self._clock_offset: float | None = None

    # -- plumbing

    @property
    def base_url(self) -> str:
        return self._base

    @property
    def credentials(self) -> Credentials | None:
        return self._credentials

    def set_credentials(self, credentials: Credentials | None) -> None:
        if credentials is not None:
            register_secret(credentials.key)
        self._credentials = credentials

    @property
    def clock_offset(self) -> float | None:
        """Server ``Date`` minus our clock, in seconds (± 1 s), from the last answer."""
        return self._clock_offset

    def _count(self, name: str) -> None:
        with self._counter_lock:
            setattr(self, name, getattr(self, name) + 1)

    def stats(self) -> ClientStats:
        return ClientStats(
            requests_sent=self._sent,
            retries=self._retries,
            failures=self._failures,
            rate_limited=self._rate_limited,
            last_status=self._last_status,
            clock_offset=self._clock_offset,
            pacer=self.pacer.snapshot(),
            bytes_received=self._bytes_received,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        who = self._credentials.username if self._credentials else None
        return f"ApiClient({self._base!r}, user={who!r})"

    # -- public calls

    def get_json(self, path: str, params: Params | None = None, *, cancel: CancelLike | None = None) -> Any:
        return self.request_json("GET", path, params=params, cancel=cancel)

    def post_json(
        self,
        path: str,
        data: Params | None = None,
        *,
        params: Params | None = None,
        cancel: CancelLike | None = None,
    ) -> Any:
        return self.request_json("POST", path, params=params, data=data, cancel=cancel)

    def put_json(
        self,
        path: str,
        data: Params | None = None,
        *,
        params: Params | None = None,
        cancel: CancelLike | None = None,
    ) -> Any:
        return self.request_json("PUT", path, params=params, data=data, cancel=cancel)

    def delete_json(
        self,
        path: str,
        data: Params | None = None,
        *,
        params: Params | None = None,
        cancel: CancelLike | None = None,
    ) -> Any:
        return self.request_json("DELETE", path, params=params, data=data, cancel=cancel)

    def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        data: Params | None = None,
        cancel: CancelLike | None = None,
        auth_probe: bool = False,
    ) -> Any:
        """Send with pacing and retries per :class:`RetryPolicy`; return the decoded JSON."""
        return self._request(method, path, params, data, cancel, auth_probe)[0]

    def get_page(
        self, path: str, params: Params | None = None, *, cancel: CancelLike | None = None
    ) -> tuple[Any, Mapping[str, str]]:
        """Like :meth:`get_json`, with the answer's headers (a platform that pages with the ``Link``
        header needs them). Header names are case-insensitive."""
        return self._request("GET", path, params, None, cancel, False)

    def _request(
        self,
        method: str,
        path: str,
        params: Params | None,
        data: Params | None,
        cancel: CancelLike | None,
        auth_probe: bool,
    ) -> tuple[Any, Mapping[str, str]]:
        method = method.upper()
        route = f"{method} {path}"
        attempt = 0
        while True:
            try:
                return self._exchange(method, path, params, data, route, cancel, auth_probe)
            except ApiError as err:
                delay = self.retry.retry_delay(method, err, attempt)
                if delay is None:
                    self._count("_failures")
                    raise
                attempt += 1
                self._count("_retries")
                log.info(
                    "retrying %s after %s (attempt %d, wait %.1fs)", route, type(err).__name__, attempt, delay
                )
                if delay > 0:
                    self._sleep(delay, cancel)

    def attempt_json(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        data: Params | None = None,
        cancel: CancelLike | None = None,
    ) -> Attempt:
        """Send once (waiting out 429s, which the server never processed) and report the outcome.

        Never re-sends after an ambiguous failure: that is for the caller to verify (SYNC §6.5).
        A cancel before anything was sent raises :class:`Cancelled`.
        """
        method = method.upper()
        route = f"{method} {path}"
        waits = 0
        while True:
            try:
                return Attempt(
                    self._once(method, path, params, data, route, cancel, False), None, Delivery.DELIVERED
                )
            except RateLimited as err:
                if waits < self.retry.max_retries and err.retry_after <= self.retry.max_rate_limit_wait:
                    waits += 1
                    continue
                self._count("_failures")
                return Attempt(None, err, Delivery.NOT_SENT)
            except ApiError as err:
                self._count("_failures")
                return Attempt(None, err, delivery_of(err))

    # -- one attempt

    def _headers(self) -> dict[str, str]:
        return self._credentials.headers() if self._credentials else {}

    def _once(
        self,
        method: str,
        path: str,
        params: Params | None,
        data: Params | None,
        route: str,
        cancel: CancelLike | None,
        auth_probe: bool,
    ) -> Any:
        return self._exchange(method, path, params, data, route, cancel, auth_probe)[0]

    def _exchange(
        self,
        method: str,
        path: str,
        params: Params | None,
        data: Params | None,
        route: str,
        cancel: CancelLike | None,
        auth_probe: bool,
    ) -> tuple[Any, Mapping[str, str]]:
        if not path.startswith("/"):
            path = "/" + path
        pacer = self.pacer if method in IDEMPOTENT_METHODS else self.write_pacer
        pacer.acquire(cancel, max_wait=self.retry.max_rate_limit_wait)
        if is_cancelled(cancel):
            raise Cancelled("Cancelled before the request was sent.")
        headers = self._headers()
        content: bytes | None = None
        if data is not None and self.json_bodies:
            content = json.dumps(dict(data), separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif data is not None:
            content = urlencode(_form_items(data), doseq=True).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        query = httpx.QueryParams(_form_items(params)) if params else None
        started = time.monotonic()
        deadline = started + self.timeouts.deadline
        self._count("_sent")
        failure: ApiError | None = None
        status = 0
        resp_headers: httpx.Headers = httpx.Headers()
        body = b""
        try:
            status, resp_headers, body = self._transfer(method, path, query, content, headers, deadline)
        except _Deadline:
            failure = NetworkError(
                f"The community did not finish answering within {self.timeouts.deadline:g} s.",
                route=route,
                error_type="deadline",
                detail="overall deadline exceeded",
            )
        except httpx.TimeoutException as exc:
            if time.monotonic() >= deadline:  # a read or write cut short by the overall deadline
                failure = NetworkError(
                    f"The community did not finish answering within {self.timeouts.deadline:g} s.",
                    route=route,
                    error_type="deadline",
                    detail="overall deadline exceeded",
                )
            else:
                kind, text = _network_kind(exc, self._base)
                failure = NetworkError(text, route=route, error_type=kind, detail=f"{type(exc).__name__}")
        except httpx.HTTPError as exc:
            kind, text = _network_kind(exc, self._base)
            failure = NetworkError(text, route=route, error_type=kind, detail=f"{type(exc).__name__}")
        if failure is not None:  # raised outside the except block: no chained httpx request/headers
            log.warning("%s failed: %s (%s)", route, failure.error_type, failure.user_message)
            raise failure
        elapsed = time.monotonic() - started
        self._last_status = status
        self._note_date(resp_headers.get("date"), started, elapsed)
        log.debug("%s -> %d (%d bytes, %.0f ms)", route, status, len(body), elapsed * 1000)
        error = self._response_check(route, status, resp_headers) if self._response_check else None
        if error is None:
            error = error_for_response(
                status,
                resp_headers,
                body,
                route,
                auth_probe=auth_probe,
                now=self._wall(),
                secrets=(self._credentials.key,) if self._credentials else (),
            )
        if error is not None:
            if isinstance(error, RateLimited):
                self._count("_rate_limited")
                for p in {id(self.pacer): self.pacer, id(self.write_pacer): self.write_pacer}.values():
                    p.pause_for(error.retry_after, error.code or "rate_limit")
            log.info("%s -> %d %s", route, status, type(error).__name__)
            raise error
        return decode_json(status, resp_headers, body, route), resp_headers

    def _transfer(
        self,
        method: str,
        path: str,
        query: httpx.QueryParams | None,
        content: bytes | None,
        headers: dict[str, str],
        deadline: float,
    ) -> tuple[int, httpx.Headers, bytes]:
        remaining = deadline - time.monotonic()
        timeout = self.timeouts.for_remaining(remaining)
        previous = getattr(_attempt_deadline, "at", None)
        _attempt_deadline.at = deadline
        try:
            return self._stream(method, path, query, content, headers, deadline, timeout)
        finally:
            _attempt_deadline.at = previous

    def _stream(
        self,
        method: str,
        path: str,
        query: httpx.QueryParams | None,
        content: bytes | None,
        headers: dict[str, str],
        deadline: float,
        timeout: httpx.Timeout,
    ) -> tuple[int, httpx.Headers, bytes]:
        with self._http.stream(
            method, path, params=query, content=content, headers=headers, timeout=timeout
        ) as resp:
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise UnexpectedPayload(
                        "The community sent an unexpectedly large answer.",
                        route=f"{method} {path}",
                        status=resp.status_code,
                        detail=f"more than {MAX_BODY_BYTES} bytes",
                    )
                if time.monotonic() > deadline:
                    raise _Deadline()
            with self._counter_lock:
                self._bytes_received += resp.num_bytes_downloaded
            if time.monotonic() > deadline:
                raise _Deadline()
            return resp.status_code, resp.headers, b"".join(chunks)

    def _note_date(self, value: str | None, started: float, elapsed: float) -> None:
        if not value:
            return
        try:
            server = email.utils.parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError, IndexError):
            return
        # The Date header is stamped somewhere during the round trip; compare with its middle.
        local = self._wall() - elapsed / 2
        self._clock_offset = server - local


def _form_items(data: Params) -> list[tuple[str, str | int | float | bool | None]]:
    items: list[tuple[str, str | int | float | bool | None]] = []
    for key, value in data.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if isinstance(v, bool):
                items.append((key, "true" if v else "false"))
            else:
                items.append((key, str(v)))
    return items


__all__ = [
    "ApiClient",
    "Attempt",
    "ClientStats",
    "Credentials",
    "Params",
    "Timeouts",
    "decode_json",
    "error_for_response",
    "normalize_base_url",
    "parse_retry_after",
]
