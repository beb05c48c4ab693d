"""The Vanilla demo server: API v2 (``shared/vanilla/CONTRACT.md``) over real HTTP on loopback, backed by
the demo community's SQLite file plus Vanilla's own tables (:mod:`modconsole.demo.vanilla.store`).

Like the Discourse demo (:mod:`modconsole.demo.server`, whose limiter, socket server and fault rules it
reuses): one sqlite3 connection per thread, one lock serialising writes, faults injectable, rate limits
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
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from modconsole import clock
from modconsole.demo import store as base_store
from modconsole.demo.core import HttpError, iso, loads_json, now_iso, parse_iso
from modconsole.demo.server import FAULT_KINDS, FaultRule, RequestRecord, _HTTPServer, _Limiter
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

    def __post_init__(self) -> None:
        if self.kind not in VANILLA_FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r} (one of {', '.join(VANILLA_FAULT_KINDS)})")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")


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


@dataclass
class _Fault:
    rule: FaultRule
    remaining: int | None


@dataclass
class _Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _error_answer(exc: HttpError, headers: dict[str, str] | None = None) -> _Answer:
    body = exc.body.encode() if isinstance(exc.body, str) else _json(exc.body)
    return _Answer(exc.status, body, {**(headers or {}), **exc.headers}, exc.content_type)


class VanillaDemoServer:
    platform = "vanilla"

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
        self.db_path = Path(db_path)
        self.host = host
        self.port = port
        self.limits = limits or VanillaLimits.off()
        self.rng = random.Random(seed)
        self.write_lock = threading.RLock()
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._faults: dict[int, _Fault] = {}
        self._fault_lock = threading.Lock()
        self._next_fault = 1
        self._limiter = _Limiter()
        self._limiter.set_speed(clock_speed)
        self._blocked: dict[str, float] = {}  # ip → virtual time the block lifts
        self.clock_speed = clock_speed
        self.requests: list[RequestRecord] = []
        self._req_lock = threading.Lock()
        self._busy = 0
        self._idle = threading.Condition()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._live: Any = None
        self.base_url = ""
        con = self.connection()
        self.credentials: VanillaCredentials = load_credentials(con)
        row = con.execute("SELECT value FROM meta WHERE key = 'vanilla_settings'").fetchone()
        self.settings: dict[str, Any] = dict(DEFAULT_SETTINGS)
        self.settings.update(loads_json(row[0] if row else None, {}))
        con.commit()

    @property
    def api_url(self) -> str:
        """Where API v2 answers (the site's base URL + ``/api/v2``)."""
        return self.base_url + "/api/v2"

    # -- lifecycle
    def start(self) -> None:
        if self._httpd is not None:
            return
        httpd = _HTTPServer((self.host, self.port), _Handler)
        httpd.demo = self  # type: ignore[assignment]
        self._httpd = httpd
        self.port = int(httpd.server_address[1])
        self.base_url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="vanilla-demo", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.stop_live()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd.drop_connections()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        with self._conns_lock:
            for c in self._conns:
                try:
                    c.close()
                except sqlite3.Error:
                    pass
            self._conns.clear()
        self._local = threading.local()

    def __enter__(self) -> VanillaDemoServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def connection(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = base_store.connect(self.db_path, check_same_thread=False)
            self._local.con = con
            with self._conns_lock:
                self._conns.append(con)
        return con

    # -- settings, faults, limits, request log
    def set_setting(self, name: str, value: Any) -> None:
        self.settings[name] = value
        with self.write_lock:
            con = self.connection()
            con.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('vanilla_settings', ?)",
                (json.dumps({k: v for k, v in self.settings.items() if DEFAULT_SETTINGS.get(k) != v}),),
            )
            con.commit()

    def add_fault(self, rule: FaultRule) -> int:
        with self._fault_lock:
            fid = self._next_fault
            self._next_fault += 1
            self._faults[fid] = _Fault(rule, rule.count)
            return fid

    def remove_fault(self, fault_id: int) -> None:
        with self._fault_lock:
            self._faults.pop(fault_id, None)

    def clear_faults(self) -> None:
        with self._fault_lock:
            self._faults.clear()

    def faults(self) -> dict[int, FaultRule]:
        with self._fault_lock:
            return {k: v.rule for k, v in self._faults.items()}

    def pick_fault(self, method: str, path: str) -> FaultRule | None:
        import fnmatch

        with self._fault_lock:
            for fid, f in list(self._faults.items()):
                r = f.rule
                if r.method not in ("*", method) or not fnmatch.fnmatchcase(path, r.path):
                    continue
                if r.probability < 1.0 and self.rng.random() >= r.probability:
                    continue
                if f.remaining is not None:
                    f.remaining -= 1
                    if f.remaining <= 0:
                        del self._faults[fid]
                return r
        return None

    def set_limits(self, limits: VanillaLimits) -> None:
        self.limits = limits
        self._limiter.clear()
        self._blocked.clear()

    def set_clock_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        self.clock_speed = speed
        self._limiter.set_speed(speed)

    def clear_requests(self) -> None:
        with self._req_lock:
            self.requests.clear()

    def request_count(self, method: str = "*", path: str = "*") -> int:
        import fnmatch

        with self._req_lock:
            return sum(
                1
                for r in self.requests
                if (method == "*" or r.method == method.upper()) and fnmatch.fnmatchcase(r.path, path)
            )

    def _record(self, rec: RequestRecord) -> None:
        with self._req_lock:
            self.requests.append(rec)
            if len(self.requests) > 100_000:
                del self.requests[:50_000]

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def _enter(self) -> None:
        with self._idle:
            self._busy += 1

    def _leave(self) -> None:
        with self._idle:
            self._busy -= 1
            if self._busy == 0:
                self._idle.notify_all()

    # -- live mode
    def start_live(self, events_per_minute: float = 30.0, seed: int = 0) -> None:
        from modconsole.demo.vanilla.live import VanillaLiveActivity

        self.stop_live()
        self._live = VanillaLiveActivity(self, events_per_minute=events_per_minute, seed=seed)
        self._live.start()

    def stop_live(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def write(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``fn`` as one serialised write transaction."""
        con = self.connection()
        with self.write_lock:
            try:
                out = fn(con)
                con.commit()
                return out
            except BaseException:
                con.rollback()
                raise

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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "demo-vanilla/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        import email.utils

        return email.utils.formatdate(clock.timestamp() if timestamp is None else timestamp, usegmt=True)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    @property
    def demo(self) -> VanillaDemoServer:
        d: VanillaDemoServer = self.server.demo  # type: ignore[attr-defined]
        return d

    def _send(self, ans: _Answer, *, head: bool = False) -> None:
        self.send_response(ans.status)
        if ans.status != 204:
            self.send_header("Content-Type", ans.content_type)
        self.send_header("Content-Length", str(0 if ans.status == 204 else len(ans.body)))
        for k, v in ans.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if not head and ans.status != 204:
            self.wfile.write(ans.body)

    def _handle(self, method: str) -> None:
        demo = self.demo
        demo._enter()
        try:
            self._handle_counted(demo, method)
        finally:
            demo._leave()

    def _handle_counted(self, demo: VanillaDemoServer, method: str) -> None:
        started = time.perf_counter()
        split = urlsplit(self.path)
        path = split.path.rstrip("/") or "/"
        query = "&".join(p for p in split.query.split("&") if not p.lower().startswith("access_token"))
        try:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length > 0 else b""
            if path.startswith("/_demo/") and path != "/_demo/ping":
                ans = self._control(demo, method, path, raw)
                demo._record(
                    RequestRecord(method, path, query, ans.status, None, time.perf_counter() - started)
                )
                self._send(ans)
                return
            ans, username, drop = self._serve(demo, method, path, split.query, raw)
            demo._record(
                RequestRecord(
                    method, path, query, 0 if drop else ans.status, username, time.perf_counter() - started
                )
            )
            if drop == "apply_then_drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if drop == "drop":
                self.send_response(ans.status)
                self.send_header("Content-Type", ans.content_type)
                self.send_header("Content-Length", str(len(ans.body)))
                self.end_headers()
                self.wfile.write(ans.body[: max(1, len(ans.body) // 2)])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self._send(ans, head=(method == "HEAD"))
        except (ConnectionError, OSError, ValueError):
            self.close_connection = True

    def _serve(
        self, demo: VanillaDemoServer, method: str, path: str, query: str, raw: bytes
    ) -> tuple[_Answer, str | None, str | None]:
        qs = parse_qs(query, keep_blank_values=True)
        ctx = VCtx(method=method, path=path, query=qs, body={}, base_url=demo.base_url)
        auth = self.headers.get("Authorization") or ""
        m = re.fullmatch(r"\s*Bearer\s+(\S+)\s*", auth, re.I)
        token: str | None = m.group(1) if m else next(iter(qs.get("access_token") or []), None)
        drop: str | None = None
        extra: dict[str, str] = {}
        try:
            if path == "/_demo/ping":
                return _Answer(200, _json({"ok": True})), None, None
            fault = demo.pick_fault(method, path)
            empty = False
            if fault is not None:
                if fault.kind == "latency":
                    time.sleep(fault.seconds)
                elif fault.kind == "status":
                    raise api_error(fault.status, "Internal Server Error" if fault.status >= 500 else "Error")
                elif fault.kind == "read_only":
                    raise api_error(503, "The site is in maintenance mode.")
                elif fault.kind == "malformed":
                    return _Answer(200, b'[{"discussionID": 1, "name": "trunc'), None, None
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
                    return _Answer(200, b'{"note":"never delivered"}'), None, "drop"
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
            ans = _Answer(status, b"" if status == 204 else _json(value), {**extra, **ctx.headers})
        except HttpError as exc:
            ans = _error_answer(exc, extra)
        except Exception as exc:  # a bug: 500 JSON, never a stack trace; keep serving
            ans = _Answer(
                500, _json({"message": f"Internal server error ({type(exc).__name__})", "status": 500}), extra
            )
        return ans, (ctx.user["username"] if ctx.user else None), drop

    # -- the control API: loopback only, the demo admin's token
    def _control(self, demo: VanillaDemoServer, method: str, path: str, raw: bytes) -> _Answer:
        import ipaddress

        def ok(value: Any) -> _Answer:
            return _Answer(200, _json(value))

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
            if path == "/_demo/faults" and method == "GET":
                return ok({"faults": [{"id": k, **asdict(v)} for k, v in demo.faults().items()]})
            if path == "/_demo/faults" and method == "POST":
                try:
                    if "spec" in body:
                        rule = VanillaFaultRule.parse(str(body["spec"]))
                    else:
                        rule = VanillaFaultRule(
                            **{k: body[k] for k in body if k in VanillaFaultRule.__dataclass_fields__}
                        )
                except (TypeError, ValueError) as exc:
                    raise api_error(400, str(exc)) from None
                return ok({"id": demo.add_fault(rule)})
            if path == "/_demo/faults" and method == "DELETE":
                demo.clear_faults()
                return ok({"success": True})
            m = re.fullmatch(r"/_demo/faults/(\d+)", path)
            if m and method == "DELETE":
                demo.remove_fault(int(m.group(1)))
                return ok({"success": True})
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
            if path == "/_demo/clock" and method == "PUT":
                demo.set_clock_speed(float(body.get("speed", 1.0)))
                return ok({"clock_speed": demo.clock_speed})
            if path == "/_demo/settings" and method == "GET":
                return ok({"settings": demo.settings})
            if path == "/_demo/settings" and method == "PUT":
                for k, v in body.items():
                    demo.set_setting(k, v)
                return ok({"settings": demo.settings})
            if path == "/_demo/live" and method == "PUT":
                if body.get("enabled", True) in (True, "true"):
                    demo.start_live(float(body.get("events_per_minute", 30.0)), int(body.get("seed", 0)))
                else:
                    demo.stop_live()
                return ok({"success": True})
            if path == "/_demo/tokens" and method == "POST":
                days = float(body.get("days", 3650))
                return ok({"token": demo.issue_token(str(body.get("username", "")), days=days)})
            raise api_error(404, "Page not found.")
        except HttpError as exc:
            return _error_answer(exc)
        except Exception as exc:
            return _Answer(
                500, _json({"message": f"Internal server error ({type(exc).__name__})", "status": 500})
            )


def ensure_db(path: Path, *, size: str = "small", seed: int = 1) -> Path:
    from modconsole.demo.vanilla.store import ensure_db as _ensure

    return _ensure(path, size=size, seed=seed)


__all__ = ["VanillaDemoServer", "VanillaFaultRule", "VanillaLimits", "ensure_db"]
