"""The Vanilla demo server: API v2 (``shared/vanilla/CONTRACT.md``) over real HTTP on loopback, backed by
the demo community's SQLite file plus Vanilla's own tables (:mod:`modconsole.demo.vanilla.store`).

Like the Discourse demo (:mod:`modconsole.demo.server`; what both share is :mod:`modconsole.demo.httpbase`):
one sqlite3 connection per thread, one lock serialising writes, faults injectable, rate limits
switchable with a fast clock, a loopback-only control API under ``/_demo/``. Vanilla's own rules:

* personal access tokens as ``Authorization: Bearer`` (or ``?access_token=``); a token that is unknown,
  revoked or expired does **not** fail the request: it runs as a guest and the answer carries
  ``X-WWW-Authenticate: error="invalid_token", error_description="…"``;
* per-IP limits (when on): 300 GET and 120 writes a minute; beyond, 429 and the address is blocked for
  a minute (no ``Retry-After``: the vendor documents none);
* every error is JSON with ``message`` and ``status``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qs

from modconsole import clock
from modconsole.demo.core import HttpError, iso, now_iso, parse_iso
from modconsole.demo.httpbase import (
    FAULT_KINDS,
    Answer,
    DemoRequestHandler,
    DemoServerBase,
    FaultRule,
    json_bytes,
)
from modconsole.demo.vanilla import routes_people, routes_posts
from modconsole.demo.vanilla.api import ROUTES, VCtx, api_error
from modconsole.demo.vanilla.store import VanillaCredentials, load_credentials

assert routes_people and routes_posts  # imported for their @route registrations

VANILLA_FAULT_KINDS = (*FAULT_KINDS, "empty_page")

DEFAULT_SETTINGS: dict[str, Any] = {
    "title": "Fernhill Customer Community",
    # A badge grant or group add for someone who already has it (the contract does not know what Vanilla
    # answers, §11): 'noop' = 201 with the existing record, nothing written; 'conflict' = 409.
    "duplicate_grant": "noop",
}


@dataclass(frozen=True)
class VanillaFaultRule(FaultRule):
    """The Discourse demo's fault rules plus ``empty_page``: a list answers ``[]`` with its paging
    headers intact (``next`` still offered), as a page whose rows the caller may not see."""

    kinds = VANILLA_FAULT_KINDS


@dataclass(frozen=True)
class VanillaLimits:
    enabled: bool = False
    get_per_minute: int = 300
    write_per_minute: int = 120
    block_seconds: float = 60.0

    @classmethod
    def off(cls) -> VanillaLimits:
        return cls(enabled=False)

    @classmethod
    def vanilla_defaults(cls) -> VanillaLimits:
        return cls(enabled=True)


def _error_answer(exc: HttpError, headers: dict[str, str] | None = None) -> Answer:
    body = exc.body.encode() if isinstance(exc.body, str) else json_bytes(exc.body)
    return Answer(exc.status, body, exc.content_type, {**(headers or {}), **exc.headers})


def _bug_answer(exc: Exception, headers: dict[str, str] | None = None) -> Answer:
    """A bug in a route: 500 JSON naming the exception's type, never a stack trace."""
    body = {"message": f"Internal server error ({type(exc).__name__})", "status": 500}
    return Answer(500, json_bytes(body), headers=headers or {})


class VanillaDemoServer(DemoServerBase):
    platform = "vanilla"
    thread_name = "vanilla-demo"
    settings_key = "vanilla_settings"
    default_settings = DEFAULT_SETTINGS
    fault_rule = VanillaFaultRule
    control_success = True

    def __init__(
        self,
        db_path: str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: VanillaLimits | None = None,
        clock_speed: float = 1.0,
        seed: int = 0,
    ) -> None:
        super().__init__(db_path, host=host, port=port, clock_speed=clock_speed, seed=seed)
        self.limits = limits or VanillaLimits.off()
        self._blocked: dict[str, float] = {}  # ip → virtual time the block lifts
        con = self.connection()
        self.credentials: VanillaCredentials = load_credentials(con)
        self._load_settings(con)
        con.commit()

    @property
    def api_url(self) -> str:
        """Where API v2 answers (the site's base URL + ``/api/v2``)."""
        return self.base_url + "/api/v2"

    def _handler_class(self) -> type[_Handler]:
        return _Handler

    def set_limits(self, limits: VanillaLimits) -> None:
        self.limits = limits
        self._limiter.clear()
        self._blocked.clear()

    # -- live mode
    def start_live(self, events_per_minute: float = 30.0, seed: int = 0) -> None:
        from modconsole.demo.vanilla.live import VanillaLiveActivity

        self.stop_live()
        self._live = VanillaLiveActivity(self, events_per_minute=events_per_minute, seed=seed)
        self._live.start()

    def issue_token(self, username: str, *, name: str = "issued", days: float = 3650.0) -> str:
        """A new personal access token for ``username`` (the control API's; a browser action on Vanilla)."""
        import secrets

        def do(con: sqlite3.Connection) -> str:
            u = con.execute(
                "SELECT id FROM users WHERE username = ? AND deleted_at IS NULL", (username,)
            ).fetchone()
            if u is None:
                raise api_error(404, "User not found.")
            token = "va." + secrets.token_hex(20)
            now = clock.now()
            con.execute(
                "INSERT INTO vanilla_tokens(token, user_id, name, date_inserted, date_expires) "
                "VALUES (?,?,?,?,?)",
                (token, int(u["id"]), name, iso(now), iso(now + timedelta(days=days))),
            )
            return token

        out: str = self.write(do)
        return out

    # -- rate limits (KB44: per IP, 300 GET and 120 writes a minute, then a one-minute block)
    def check_limits(self, ip: str, method: str) -> None:
        lim = self.limits
        now = self._limiter.now()
        until = self._blocked.get(ip)
        if until is not None:
            if now < until:
                raise api_error(429, "Too Many Requests")
            del self._blocked[ip]
        if method in ("GET", "HEAD"):
            wait = self._limiter.hit(f"get:{ip}", lim.get_per_minute, 60.0)
        else:
            wait = self._limiter.hit(f"write:{ip}", lim.write_per_minute, 60.0)
        if wait is not None:
            self._blocked[ip] = now + lim.block_seconds
            raise api_error(429, "Too Many Requests")

    # -- authentication (§2.1)
    def authenticate(self, con: sqlite3.Connection, ctx: VCtx, token: str | None) -> None:
        if not token:
            return
        row = con.execute("SELECT * FROM vanilla_tokens WHERE token = ?", (token,)).fetchone()
        if row is None:
            ctx.auth_error = "Access token not found."
            return
        if row["date_revoked"] is not None:
            ctx.auth_error = "Your access token was revoked."
            return
        now = clock.now()
        if parse_iso(row["date_expires"]) <= now:
            ctx.auth_error = "Your access token has expired."
            return
        user = con.execute(
            "SELECT * FROM users WHERE id = ? AND deleted_at IS NULL", (int(row["user_id"]),)
        ).fetchone()
        if user is None:
            ctx.auth_error = "Access token not found."
            return
        ctx.user = dict(user)
        last = row["date_last_used"]
        if last is None or parse_iso(last) <= now - timedelta(minutes=5):  # ATM: at most every 5 minutes
            with self.write_lock:
                con.execute(
                    "UPDATE vanilla_tokens SET date_last_used = ? WHERE id = ?", (now_iso(), int(row["id"]))
                )
                con.commit()

    def dispatch(self, con: sqlite3.Connection, ctx: VCtx) -> tuple[int, Any]:
        allowed: list[str] = []
        for method, regex, fn in ROUTES:
            m = regex.match(ctx.path)
            if not m:
                continue
            if method != ctx.method and not (ctx.method == "HEAD" and method == "GET"):
                allowed.append(method)
                continue
            if method == "GET":
                out: tuple[int, Any] = fn(self, con, ctx, **m.groupdict())
                return out
            with self.write_lock:
                try:
                    out = fn(self, con, ctx, **m.groupdict())
                    con.commit()
                    return out
                except BaseException:
                    con.rollback()
                    raise
        if allowed:
            raise api_error(405, "Method Not Allowed", allow=sorted(set(allowed)))
        raise api_error(404, "Page not found.")


class _Handler(DemoRequestHandler[VanillaDemoServer]):
    server_version = "demo-vanilla/1.0"
    secret_params = ("access_token",)  # left out of the request log

    def _request_path(self, split: SplitResult) -> str:
        return split.path.rstrip("/") or "/"

    def _send(self, ans: Answer, *, head: bool = False) -> None:
        self.send_response(ans.status)
        if ans.status != 204:
            self.send_header("Content-Type", ans.content_type)
        self.send_header("Content-Length", str(0 if ans.status == 204 else len(ans.body)))
        for k, v in ans.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if not head and ans.status != 204:
            self.wfile.write(ans.body)

    def _serve(
        self, demo: VanillaDemoServer, method: str, path: str, query: str, raw: bytes
    ) -> tuple[Answer, str | None, str | None]:
        qs = parse_qs(query, keep_blank_values=True)
        ctx = VCtx(method=method, path=path, query=qs, body={}, base_url=demo.base_url)
        auth = self.headers.get("Authorization") or ""
        m = re.fullmatch(r"\s*Bearer\s+(\S+)\s*", auth, re.I)
        token: str | None = m.group(1) if m else next(iter(qs.get("access_token") or []), None)
        drop: str | None = None
        extra: dict[str, str] = {}
        try:
            if path == "/_demo/ping":
                return Answer(200, json_bytes({"ok": True})), None, None
            fault = demo.pick_fault(method, path)
            empty = False
            if fault is not None:
                if fault.kind == "latency":
                    demo._delay(fault.seconds)
                elif fault.kind == "status":
                    raise api_error(fault.status, "Internal Server Error" if fault.status >= 500 else "Error")
                elif fault.kind == "read_only":
                    raise api_error(503, "The site is in maintenance mode.")
                elif fault.kind == "malformed":
                    return Answer(200, b'[{"discussionID": 1, "name": "trunc'), None, None
                elif fault.kind in ("rate_limit", "rate_limit_ip"):
                    raise api_error(429, "Too Many Requests")
                elif fault.kind == "rate_limit_date":
                    import email.utils

                    when = clock.now() + timedelta(seconds=fault.seconds)
                    raise HttpError(
                        429,
                        {"message": "Too Many Requests", "status": 429},
                        headers={"Retry-After": email.utils.format_datetime(when, usegmt=True)},
                    )
                elif fault.kind == "echo_headers":
                    dump = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
                    raise api_error(
                        fault.status, f"Gateway could not forward {method} {path}. Request headers: {dump}"
                    )
                elif fault.kind == "empty_page":
                    empty = method == "GET"
                elif fault.kind == "drop" and method not in ("GET", "HEAD"):
                    return Answer(200, b'{"note":"never delivered"}'), None, "drop"
                else:
                    drop = fault.kind
            if demo.limits.enabled:
                demo.check_limits(self.client_address[0], method)
            if raw:
                if "json" not in (self.headers.get("Content-Type") or "application/json").lower():
                    raise api_error(415, "Unsupported Media Type")
                try:
                    ctx.body = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    raise api_error(400, "The request body is not valid JSON.") from None
            con = demo.connection()
            demo.authenticate(con, ctx, token)
            if ctx.auth_error:
                extra["X-WWW-Authenticate"] = f'error="invalid_token", error_description="{ctx.auth_error}"'
            status, value = demo.dispatch(con, ctx)
            if empty and isinstance(value, list):
                value = []
            ans = Answer(
                status, b"" if status == 204 else json_bytes(value), headers={**extra, **ctx.headers}
            )
        except HttpError as exc:
            ans = _error_answer(exc, extra)
        except Exception as exc:  # a bug: 500 JSON, never a stack trace; keep serving
            ans = _bug_answer(exc, extra)
        return ans, (ctx.user["username"] if ctx.user else None), drop

    # -- the control API: loopback only, the demo admin's token
    def _control(self, demo: VanillaDemoServer, method: str, path: str, query: str, raw: bytes) -> Answer:
        import ipaddress

        def ok(value: Any) -> Answer:
            return Answer(200, json_bytes(value))

        try:
            if not ipaddress.ip_address(self.client_address[0]).is_loopback:
                raise api_error(403, "control routes are loopback-only")
            if (self.headers.get("Authorization") or "") != f"Bearer {demo.credentials.admin.token}":
                raise api_error(403, "control routes need the demo admin token")
            try:
                body = json.loads(raw.decode()) if raw else {}
            except ValueError:
                raise api_error(400, "The request body is not valid JSON.") from None
            if not isinstance(body, dict):
                raise api_error(400, "The request body must be a JSON object.")
            value = demo.control(method, path, body, lambda msg: api_error(400, msg))
            if value is not None:
                return ok(value)
            if path == "/_demo/limits" and method == "PUT":
                preset = body.get("preset")
                base = {
                    "vanilla": VanillaLimits.vanilla_defaults(),
                    "on": VanillaLimits.vanilla_defaults(),
                    "off": VanillaLimits.off(),
                }.get(str(preset), demo.limits)
                try:
                    lim = replace(
                        base, **{k: v for k, v in body.items() if k in VanillaLimits.__dataclass_fields__}
                    )
                except TypeError as exc:
                    raise api_error(400, str(exc)) from None
                demo.set_limits(lim)
                if "clock_speed" in body:
                    demo.set_clock_speed(float(body["clock_speed"]))
                return ok({"limits": asdict(demo.limits), "clock_speed": demo.clock_speed})
            if path == "/_demo/tokens" and method == "POST":
                days = float(body.get("days", 3650))
                return ok({"token": demo.issue_token(str(body.get("username", "")), days=days)})
            raise api_error(404, "Page not found.")
        except HttpError as exc:
            return _error_answer(exc)
        except Exception as exc:
            return _bug_answer(exc)


def ensure_db(path: Path, *, size: str = "small", seed: int = 1) -> Path:
    from modconsole.demo.vanilla.store import ensure_db as _ensure

    return _ensure(path, size=size, seed=seed)


__all__ = ["VanillaDemoServer", "VanillaFaultRule", "VanillaLimits", "ensure_db"]
