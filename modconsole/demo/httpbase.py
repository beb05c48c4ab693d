"""What both demo servers (Discourse's :mod:`modconsole.demo.server`, Vanilla's
:mod:`modconsole.demo.vanilla.server`) share, whatever platform they imitate: a threaded stdlib HTTP server
on loopback that drops its kept-alive connections when stopped, one sqlite3 connection per thread and one
lock serialising writes, injectable faults, a sliding-window limiter on a clock that can run fast, the
request log, and the platform-neutral routes of the control API under ``/_demo/``.

What a platform's contract says differently (its error bodies, its 429s, how a key or token is checked,
its headers) stays in that platform's server: the subclasses fill the hooks named here.
"""

from __future__ import annotations

import email.utils
import fnmatch
import json
import random
import re
import socket
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, Generic, Self, TypeVar, cast
from urllib.parse import SplitResult, urlsplit

from modconsole import clock
from modconsole.demo import store
from modconsole.demo.core import HttpError, loads_json

FAULT_KINDS = (
    "latency",
    "status",
    "read_only",
    "drop",
    "malformed",
    "apply_then_drop",
    "rate_limit",
    "rate_limit_ip",
    "rate_limit_date",
    "echo_headers",
)


@dataclass(frozen=True)
class FaultRule:
    kind: str
    method: str = "*"
    path: str = "*"
    probability: float = 1.0
    count: int | None = None
    status: int = 500
    seconds: float = 0.0
    kinds: ClassVar[tuple[str, ...]] = FAULT_KINDS  # the kinds this platform's demo can act out

    def __post_init__(self) -> None:
        if self.kind not in self.kinds:
            raise ValueError(f"unknown fault kind {self.kind!r} (one of {', '.join(self.kinds)})")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")

    @classmethod
    def parse(cls, spec: str) -> FaultRule:
        """``kind[:METHOD[:PATH]][:p=0.2][:count=3][:status=502][:seconds=1.5]``."""
        parts = spec.split(":")
        kw: dict[str, Any] = {"kind": parts[0]}
        positional = ["method", "path"]
        names = {
            "p": "probability",
            "probability": "probability",
            "count": "count",
            "status": "status",
            "seconds": "seconds",
            "s": "seconds",
            "method": "method",
            "path": "path",
        }
        for part in parts[1:]:
            if "=" in part and part.split("=", 1)[0] in names:
                k, v = part.split("=", 1)
                name = names[k]
                kw[name] = {"probability": float, "count": int, "status": int, "seconds": float}.get(
                    name, str
                )(v)
            elif positional:
                kw[positional.pop(0)] = part.upper() if not positional else part
            else:
                raise ValueError(f"cannot parse fault spec {spec!r}")
        if "method" in kw:
            kw["method"] = kw["method"].upper()
        return cls(**kw)


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    query: str
    status: int
    username: str | None
    duration: float


@dataclass
class _Fault:
    rule: FaultRule
    remaining: int | None


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_bytes(value: Any) -> bytes:
    """``value`` as compact JSON."""
    return json.dumps(value, separators=(",", ":")).encode()


# ---------------------------------------------------------------- rate limiting


class Limiter:
    """Sliding windows over a virtual clock that runs ``clock_speed`` times faster than real time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: dict[str, deque[float]] = {}
        self.speed = 1.0
        self.base_real = time.monotonic()
        self.base_virtual = 0.0

    def now(self) -> float:
        return self.base_virtual + (time.monotonic() - self.base_real) * self.speed

    def set_speed(self, speed: float) -> None:
        with self.lock:
            self.base_virtual = self.now()
            self.base_real = time.monotonic()
            self.speed = speed

    def hit(self, bucket: str, limit: int, window: float) -> float | None:
        """Record a hit; None when allowed, else the virtual seconds to wait."""
        with self.lock:
            now = self.now()
            q = self.hits.setdefault(bucket, deque())
            while q and q[0] <= now - window:
                q.popleft()
            if len(q) >= limit:
                return max(0.001, q[0] + window - now)
            q.append(now)
            return None

    def rollback(self, bucket: str) -> None:
        with self.lock:
            q = self.hits.get(bucket)
            if q:
                q.pop()

    def clear(self) -> None:
        with self.lock:
            self.hits.clear()


# ---------------------------------------------------------------- the socket server


class DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    demo: DemoServerBase

    def server_activate(self) -> None:
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().server_activate()

    def get_request(self) -> tuple[socket.socket, Any]:
        request, address = super().get_request()
        with self._open_lock:
            self._open.add(request)
        return request, address

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        """End every kept-alive connection: a stopped server answers nobody (its handler threads
        would otherwise go on serving the clients that connected before)."""
        with self._open_lock:
            open_, self._open = list(self._open), set()
        for request in open_:
            try:
                request.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# ---------------------------------------------------------------- the demo server


class DemoServerBase:
    """Lifecycle, connections, faults, the fast clock, the request log and the control API's neutral
    routes. A subclass names its handler, thread and settings row, sets ``limits`` and ``settings``
    (:meth:`_load_settings`) and ``credentials``, and may hook the start, stop and commit."""

    thread_name: ClassVar[str] = "demo-server"
    settings_key: ClassVar[str] = "site_settings"  # the ``meta`` row that keeps the changed settings
    default_settings: ClassVar[Mapping[str, Any]] = {}
    fault_rule: ClassVar[type[FaultRule]] = FaultRule  # what ``POST /_demo/faults`` builds
    control_success: ClassVar[Any] = "OK"  # the ``success`` value of a control route that returns nothing
    settings: dict[str, Any]

    def __init__(
        self, db_path: str | Path, *, host: str = "127.0.0.1", port: int = 0, clock_speed: float, seed: int
    ) -> None:
        self.db_path = Path(db_path)
        self.host = host
        self.port = port
        self.seed = seed
        self.rng = random.Random(seed)
        self.write_lock = threading.RLock()
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._faults: dict[int, _Fault] = {}
        self._fault_lock = threading.Lock()
        self._next_fault = 1
        self._limiter = Limiter()
        self._limiter.set_speed(clock_speed)
        self.clock_speed = clock_speed
        self.requests: list[RequestRecord] = []
        self._req_lock = threading.Lock()
        self._busy = 0  # requests being handled now (a slow or dropped one included)
        self._delaying = 0  # of which held by a latency fault
        self._idle = threading.Condition()
        self._httpd: DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._live: Any = None
        self.base_url = ""

    # -- hooks
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def _on_start(self) -> None:
        """Before the socket opens."""

    def _on_stop(self) -> None:
        """After live mode stopped, before the socket closes."""

    def _after_commit(self, con: sqlite3.Connection) -> None:
        """After :meth:`write` committed."""

    # -- lifecycle
    def start(self) -> None:
        if self._httpd is not None:
            return
        self._on_start()
        httpd = DemoHTTPServer((self.host, self.port), self._handler_class())
        httpd.demo = self
        self._httpd = httpd
        self.port = int(httpd.server_address[1])
        self.base_url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name=self.thread_name, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.stop_live()
        self._on_stop()
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

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def connection(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = store.connect(self.db_path, check_same_thread=False)
            self._local.con = con
            with self._conns_lock:
                self._conns.append(con)
        return con

    def write(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``fn`` as one serialised write transaction (used by live mode)."""
        con = self.connection()
        with self.write_lock:
            try:
                out = fn(con)
                con.commit()
                self._after_commit(con)
                return out
            except BaseException:
                con.rollback()
                raise

    def stop_live(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    # -- settings
    def _load_settings(self, con: sqlite3.Connection) -> None:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (self.settings_key,)).fetchone()
        self.settings = dict(self.default_settings)
        self.settings.update(loads_json(row[0] if row else None, {}))

    def set_setting(self, name: str, value: Any) -> None:
        self.settings[name] = value
        with self.write_lock:
            con = self.connection()
            con.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                (
                    self.settings_key,
                    json.dumps({k: v for k, v in self.settings.items() if self.default_settings.get(k) != v}),
                ),
            )
            con.commit()

    # -- faults
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

    def set_clock_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        self.clock_speed = speed
        self._limiter.set_speed(speed)

    # -- request log
    def clear_requests(self) -> None:
        with self._req_lock:
            self.requests.clear()

    def request_count(self, method: str = "*", path: str = "*") -> int:
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

    # -- requests in flight
    @property
    def delaying(self) -> int:
        """How many requests are held by a ``latency`` fault at this moment (their answer not yet sent)."""
        with self._idle:
            return self._delaying

    def _delay(self, seconds: float) -> None:
        with self._idle:
            self._delaying += 1
        try:
            time.sleep(seconds)
        finally:
            with self._idle:
                self._delaying -= 1

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no request is being handled (e.g. one whose client gave up during a latency fault
        and that still applies its write); False if that did not happen within ``timeout`` seconds."""
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

    # -- the control API's neutral routes
    def start_live(self, events_per_minute: float = 30.0, seed: int = 0) -> None:
        raise NotImplementedError

    def control(
        self, method: str, path: str, body: Mapping[str, Any], bad_request: Callable[[str], HttpError]
    ) -> Any:
        """Answer a control route every platform has (faults, clock, settings, live mode): the JSON value,
        or None when ``method path`` is none of them. An unusable fault rule raises ``bad_request``."""
        if path == "/_demo/faults" and method == "GET":
            return {"faults": [{"id": k, **asdict(v)} for k, v in self.faults().items()]}
        if path == "/_demo/faults" and method == "POST":
            rule_class = self.fault_rule
            try:
                if "spec" in body:
                    rule = rule_class.parse(str(body["spec"]))
                else:
                    rule = rule_class(**{k: body[k] for k in body if k in rule_class.__dataclass_fields__})
            except (TypeError, ValueError) as exc:
                raise bad_request(str(exc)) from None
            return {"id": self.add_fault(rule)}
        if path == "/_demo/faults" and method == "DELETE":
            self.clear_faults()
            return {"success": self.control_success}
        m = re.fullmatch(r"/_demo/faults/(\d+)", path)
        if m and method == "DELETE":
            self.remove_fault(int(m.group(1)))
            return {"success": self.control_success}
        if path == "/_demo/clock" and method == "PUT":
            self.set_clock_speed(float(body.get("speed", 1.0)))
            return {"clock_speed": self.clock_speed}
        if path == "/_demo/settings" and method == "GET":
            return {"settings": self.settings}
        if path == "/_demo/settings" and method == "PUT":
            for k, v in body.items():
                self.set_setting(k, v)
            return {"settings": self.settings}
        if path == "/_demo/live" and method == "PUT":
            if body.get("enabled", True) in (True, "true"):
                self.start_live(float(body.get("events_per_minute", 30.0)), int(body.get("seed", 0)))
            else:
                self.stop_live()
            return {"success": self.control_success}
        return None


S = TypeVar("S", bound=DemoServerBase)


# ---------------------------------------------------------------- the request handler


class DemoRequestHandler(BaseHTTPRequestHandler, Generic[S]):
    """Reads a request, counts it in flight, logs it (secrets left out of the query), and sends its
    answer, or drops the connection as a ``drop``/``apply_then_drop`` fault asks. A subclass answers:
    :meth:`_serve` (the platform's API), :meth:`_control` (``/_demo/…``) and :meth:`_send`."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: DemoHTTPServer
    secret_params: ClassVar[tuple[str, ...]] = ()  # query parameters the request log leaves out

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header on the community's clock (the one the demo's timestamps use)."""
        return email.utils.formatdate(clock.timestamp() if timestamp is None else timestamp, usegmt=True)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    @property
    def demo(self) -> S:
        return cast(S, self.server.demo)

    # -- hooks
    def _request_path(self, split: SplitResult) -> str:
        return split.path or "/"

    def _send(self, ans: Answer, *, head: bool = False) -> None:
        raise NotImplementedError

    def _control(self, demo: S, method: str, path: str, query: str, raw: bytes) -> Answer:
        raise NotImplementedError

    def _serve(
        self, demo: S, method: str, path: str, query: str, raw: bytes
    ) -> tuple[Answer, str | None, str | None]:
        """The answer, who asked (username) and the ``drop`` fault kind to act out, if any."""
        raise NotImplementedError

    # -- the frame
    def _handle(self, method: str) -> None:
        demo = self.demo
        demo._enter()
        try:
            self._handle_counted(demo, method)
        finally:
            demo._leave()

    def _handle_counted(self, demo: S, method: str) -> None:
        started = time.perf_counter()
        split = urlsplit(self.path)
        path = self._request_path(split)
        query = "&".join(p for p in split.query.split("&") if not p.lower().startswith(self.secret_params))

        def record(status: int, username: str | None) -> None:
            # recorded before the answer leaves, so a client that got its answer sees its record
            demo._record(RequestRecord(method, path, query, status, username, time.perf_counter() - started))

        try:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length > 0 else b""
            if path.startswith("/_demo/") and path != "/_demo/ping":
                ans = self._control(demo, method, path, split.query, raw)
                record(ans.status, None)
                self._send(ans)
                return
            ans, username, drop = self._serve(demo, method, path, split.query, raw)
            if drop == "apply_then_drop":
                record(0, username)
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if drop == "drop":
                record(0, username)
                self.send_response(ans.status)
                self.send_header("Content-Type", ans.content_type)
                self.send_header("Content-Length", str(len(ans.body)))
                self.end_headers()
                self.wfile.write(ans.body[: max(1, len(ans.body) // 2)])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            record(ans.status, username)
            self._send(ans, head=(method == "HEAD"))
        except (ConnectionError, OSError, ValueError):
            self.close_connection = True
