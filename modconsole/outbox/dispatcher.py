"""Push: deliver queued actions exactly once, without server idempotency keys (SYNC.md §6.5–6.8).

One pusher per cache file at a time (the ``dispatcher_lease`` row): a push takes the lease,
renews it from a heartbeat thread for as long as it runs (verification waits, rate-limit waits and
slow requests included), and stops — sending nothing more — as soon as a renewal fails or finds
another owner. Every state change it makes checks, in its own write transaction, that it still
holds the lease, and a row is sent only after a compare-and-set won it (``pending → in_flight``
while this owner holds a fresh lease: :func:`~modconsole.outbox.store.mark_in_flight`). So two
windows, or the CLI beside the app, never send the same row. For each ready row — the oldest
active row of its target (FIFO per target), oldest first overall:

1. **verify** if the row is ``in_flight`` (an ambiguous attempt, or found so at start-up after a
   crash): read the server's state; present → ``done/already_applied``, absent → ``pending``,
   gone → ``conflict/target_gone``. Never a blind re-send.
2. **precheck** where a blind write could hurt or cannot be phrased: accept (never silently
   replace another accepted answer), revoke (find the grant id), grant/add to a member who is
   now suspended or silenced (one list read per push serves every row).
3. **send**: win the row (the compare-and-set commits ``in_flight`` + the attempt row, and for a
   reply or new topic its recognition token), send once through the client's pacer, commit the
   outcome with its evidence.

Breakers stop the push and leave rows ``pending``: ``offline`` (consecutive transport failures or
5xx), ``auth`` (a 403 whose auth probe fails), ``rate`` (the day's allowance is spent),
``read_only`` (503 read-only). Transient failures never turn a row into ``failed``.
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike, Delivery, clamp_wait, delivery_of
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.connectors.base import ActionAdapter, NeedsLookup, ProbeResult
from modconsole.connectors.registry import DEFAULT_PLATFORM, connector_for
from modconsole.errors import (
    ApiError,
    AuthError,
    Cancelled,
    Conflict,
    InvalidInput,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    Rejected,
    ServerUnavailable,
)
from modconsole.i18n import Msg
from modconsole.outbox import permissions, store
from modconsole.outbox.store import OutboxRow, later, now_iso, parse_iso
from modconsole.tasks import CancelToken, Progress, ProgressCallback, ignore_progress

BREAKERS = ("offline", "auth", "rate", "read_only", "lease", "cancelled", "deadline")

log = logging.getLogger("modconsole.outbox")

_LOST = (
    "Another modconsole window or process took over sending this queue; this one stopped "
    "and sent nothing more"
)


@dataclass(frozen=True)
class DispatchOptions:
    """Timing policy. Defaults follow SYNC.md §6.5/§6.8; tests shorten them."""

    verify_delay: float = (
        30.0  # wait after an ambiguous attempt before the verification read (> read timeout)
    )
    backoff_base: float = 2.0
    backoff_cap: float = 600.0
    offline_threshold: int = 5
    read_only_pause: float = 300.0
    max_wait: float = 45.0  # the longest single wait a push sits out before returning
    deadline: float | None = None  # overall seconds one push may take
    suspension_check: bool = True
    heartbeat_every: float = 5.0
    lease_ttl: float = store.LEASE_TTL


@dataclass
class PushReport:
    writes: int = 0  # write requests sent
    reads: int = 0  # verification and precheck reads
    answered: int = 0  # of those, requests the community answered (any HTTP status): it is reachable
    done: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    deferred: int = 0  # rows left pending/in_flight
    breaker: str | None = None
    message: str = ""
    changes: Changes = field(default_factory=Changes)

    @property
    def finished(self) -> int:
        return len(self.done) + len(self.conflicts) + len(self.failed)


class _Stop(Exception):
    def __init__(self, breaker: str, message: str) -> None:
        super().__init__(message)
        self.breaker = breaker
        self.message = message


class _Heartbeat:
    """Renews the dispatcher lease every ``every`` seconds on its own thread, so a push keeps it
    through every wait (a verification wait, a rate-limit wait, a slow request). The first renewal
    that fails, or finds another owner, sets ``lost``: the push then stops and sends nothing more."""

    def __init__(self, cache: Cache, owner: str, every: float) -> None:
        self.cache = cache
        self.owner = owner
        self.every = max(0.05, every)
        self.lost = threading.Event()
        self.reason = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-lease-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with self.cache.write() as conn:
                    renewed = store.renew_lease(conn, self.owner)
            except Exception as exc:  # a renewal that cannot be written is a renewal that failed
                self.reason = f"the lease could not be renewed: {type(exc).__name__}"
                log.warning("outbox lease: %s", self.reason)
                self.lost.set()
                return
            if not renewed:
                self.reason = "another pusher holds it now"
                log.warning("outbox lease: taken over by another pusher; stopping")
                self.lost.set()
                return


class _PushCancel:
    """What the client's waits and sends check: the caller's cancel, or a lost lease (a request
    not yet on the wire is then never sent)."""

    def __init__(self, token: CancelToken, lost: threading.Event) -> None:
        self._token = token
        self._lost = lost

    @property
    def cancelled(self) -> bool:
        return self._token.cancelled or self._lost.is_set()

    def wait(self, seconds: float) -> bool:
        end = time.monotonic() + max(0.0, seconds)
        while not self.cancelled:
            left = end - time.monotonic()
            if left <= 0:
                return False
            self._token.wait(min(left, 0.2))
        return True


class Dispatcher:
    """Delivers the outbox of one cache through one :class:`ApiClient`.

    ``me`` is the username the key acts as (replies are matched by author); ``my_user_id``, when
    known, tells our own grant from a pre-existing one.
    """

    def __init__(
        self,
        cache: Cache,
        client: ApiClient,
        *,
        me: str,
        my_user_id: int | None = None,
        options: DispatchOptions | None = None,
        rng: Callable[[float, float], float] = random.uniform,
        actions: ActionAdapter | None = None,
    ) -> None:
        self.cache = cache
        self.client = client
        self.actions: ActionAdapter = actions or connector_for(DEFAULT_PLATFORM).actions
        """The platform's action adapter: what each kind sends and how its effect is read back."""
        self.me = me
        self.my_user_id = my_user_id
        self.options = options or DispatchOptions()
        self._rng = rng
        self.owner = f"{uuid.uuid4()}"
        self._offline_failures = 0
        self._suspended: set[int] | None = None
        self._report = PushReport()
        self._heartbeat: _Heartbeat | None = None
        self._cancel: CancelLike = CancelToken()

    # ------------------------------------------------------------ the loop

    def push(
        self, token: CancelToken | None = None, progress: ProgressCallback = ignore_progress
    ) -> PushReport:
        token = token or CancelToken()
        self._report = rep = PushReport()
        self._suspended = None
        self._offline_failures = 0
        started = time.monotonic()
        with self.cache.write() as conn:
            taken, holder = store.take_lease(conn, self.owner, ttl=self.options.lease_ttl)
            if taken:
                store.clamp_schedule(conn)
        if not taken:
            rep.breaker = "lease"
            pid = (holder or {}).get("pid")
            rep.message = (
                f"Another modconsole window (process {pid}) is sending this queue; this one stays read-only."
            )
            self._finish_report(rep)
            return rep
        # renewed from its own thread for as long as this push runs, waits and slow requests included
        every = min(self.options.heartbeat_every, self.options.lease_ttl / 3)
        self._heartbeat = beat = _Heartbeat(self.cache, self.owner, every)
        self._cancel = _PushCancel(token, beat.lost)
        beat.start()
        with self.cache.read() as conn:
            total = len(store.active_rows(conn))
        try:
            while True:
                self._check_lease()
                if token.cancelled:
                    raise _Stop("cancelled", "Push cancelled; the rest stays queued.")
                if self.options.deadline is not None and time.monotonic() - started > self.options.deadline:
                    raise _Stop("deadline", "Time is up for this push; the rest stays queued.")
                with self.cache.read() as conn:
                    ready, next_at = store.ready_rows(conn, now_iso())
                if not ready:
                    if next_at is None:
                        break
                    # the stored time is already within the clamp (store.later, clamp_schedule),
                    # so the wait shown is the wait stored
                    wait = clamp_wait(((parse_iso(next_at) or clock.now()) - clock.now()).total_seconds())
                    if wait > self.options.max_wait:
                        rep.message = (
                            rep.message or f"Next attempt in {round(wait)} s; the rest stays queued."
                        )
                        break
                    self._sleep(wait + 0.01, token)
                    continue
                self._work(ready[0], token)
                progress(Progress("outbox", rep.finished, total, rep.writes + rep.reads, ready[0].describe()))
        except _Stop as stop:
            rep.breaker = stop.breaker
            rep.message = stop.message
        finally:
            beat.stop()
            with self.cache.write() as conn:
                store.release_lease(conn, self.owner)
        self._finish_report(rep)
        return rep

    def _check_lease(self) -> None:
        """Stop at once (nothing more is sent) when the heartbeat found the lease lost."""
        beat = self._heartbeat
        if beat is not None and beat.lost.is_set():
            raise _Stop("lease", _LOST + (f" ({beat.reason})" if beat.reason else ""))

    def _sleep(self, seconds: float, token: CancelToken) -> None:
        """Wait ``seconds`` (the heartbeat keeps the lease meanwhile), waking for a cancel or a lost lease."""
        end = time.monotonic() + seconds
        while True:
            self._check_lease()
            left = end - time.monotonic()
            if left <= 0:
                return
            if token.wait(min(left, 0.2)):
                raise _Stop("cancelled", "Push cancelled; the rest stays queued.")

    def _lost(self, reason: str) -> None:
        if self._heartbeat is not None:
            self._heartbeat.lost.set()
        raise _Stop("lease", f"{_LOST} ({reason})")

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction for this pusher's row changes, made only while it holds the lease:
        the check and the change commit together (``BEGIN IMMEDIATE``), so a pusher whose lease
        was taken over changes nothing more."""
        self._check_lease()
        with self.cache.write() as conn:
            if not store.holds_lease(conn, self.owner):
                self._lost("another pusher holds it now")
            yield conn

    def _finish_report(self, rep: PushReport) -> None:
        with self.cache.read() as conn:
            c = store.counts(conn)
        rep.deferred = c["pending"] + c["in_flight"]
        if not rep.message:
            rep.message = (
                f"{len(rep.done)} delivered, {len(rep.conflicts)} conflicts, {len(rep.failed)} failed"
            )
            if rep.deferred:
                rep.message += f", {rep.deferred} still queued"

    # ------------------------------------------------------------ one row

    def _work(self, row: OutboxRow, token: CancelToken) -> None:
        if row.state == "in_flight":
            self._verify(row)
        else:
            self._send(row, token)

    def _backoff(self, n: int) -> float:
        return self._rng(0.0, min(self.options.backoff_cap, self.options.backoff_base * (2.0 ** min(n, 20))))

    def _transition(self, row: OutboxRow, state: str, **kw: Any) -> None:
        with self._write() as conn:
            store.set_state(conn, row.id, state, **kw)
        self._note_final(row, state)

    def _note_final(self, row: OutboxRow, state: str, payload: dict[str, Any] | None = None) -> None:
        rep = self._report
        if state == "done":
            rep.done.append(row.op_uuid)
        elif state == "conflict":
            rep.conflicts.append(row.op_uuid)
        elif state == "failed":
            rep.failed.append(row.op_uuid)
        rep.changes = rep.changes | store.changes_for(row.id, row.kind, payload or row.payload)

    def _read(self, row: OutboxRow, kind: str, line: str, fn: Callable[[], Any]) -> Any:
        """Run a read for ``row`` and record it as an attempt; failures are recorded and re-raised."""
        started = now_iso()
        self._report.reads += 1
        try:
            value = fn()
        except ApiError as err:
            if _answered(err):
                self._report.answered += 1
            self._record_read(
                row,
                kind,
                line,
                started,
                http_status=err.status,
                error_class=_err_class(err),
                response_excerpt=_said(err),
                outcome="error",
            )
            raise
        probe = isinstance(value, ProbeResult)
        self._record_read(
            row,
            kind,
            line,
            started,
            http_status=200,
            response_excerpt=str(value.evidence) if probe else None,
            outcome=value.state if probe else "ok",
        )
        self._report.answered += 1
        self._offline_failures = 0
        return value

    def _record_read(self, row: OutboxRow, kind: str, line: str, started: str, **result: Any) -> None:
        with self._write() as conn:
            store.record_attempt(
                conn,
                row.id,
                attempt_id=str(uuid.uuid4()),
                kind=kind,
                request_line=line,
                started_at=started,
                **result,
            )

    def _read_failed(self, row: OutboxRow, err: ApiError, *, keep_in_flight: bool) -> None:
        """A verification/precheck read failed: nothing is decided; back off (and maybe open a breaker)."""
        if isinstance(err, AuthError):
            if not keep_in_flight:
                self._transition(row, "pending", error_class="auth", error=err.user_message)
            raise _Stop("auth", err.user_message)
        wait = self._backoff(row.attempts)
        if isinstance(err, RateLimited):
            wait = max(wait, err.retry_after)
        if keep_in_flight:
            with self._write() as conn:
                store.set_state(
                    conn,
                    row.id,
                    "in_flight",
                    verify_after=later(wait),
                    error_class=_err_class(err),
                    error=err.user_message,
                )
        else:
            with self._write() as conn:
                store.set_state(
                    conn,
                    row.id,
                    "pending",
                    next_attempt_at=later(wait),
                    error_class=_err_class(err),
                    error=err.user_message,
                )
        self._count_transport(err)

    def _count_transport(self, err: ApiError) -> None:
        if isinstance(err, ServerUnavailable) and err.error_type == "read_only":
            raise _Stop("read_only", err.user_message)
        if isinstance(err, RateLimited):
            if err.code and "day" in err.code:
                raise _Stop("rate", err.user_message)
            return
        if isinstance(err, NetworkError | ServerUnavailable):
            self._offline_failures += 1
            if self._offline_failures >= self.options.offline_threshold:
                raise _Stop(
                    "offline", "The community cannot be reached; actions stay queued. " + err.user_message
                )

    # ------------------------------------------------------------ verify

    def _verify(self, row: OutboxRow) -> None:
        try:
            res = self._read(
                row,
                "verify",
                f"probe {row.kind}",
                lambda: self.actions.probe(self.client, row.kind, row.payload, me=self.me),
            )
        except ApiError as err:
            self._read_failed(row, err, keep_in_flight=True)
            return
        self._apply_probe(row, res, after="verify")

    def _apply_probe(
        self,
        row: OutboxRow,
        res: ProbeResult,
        *,
        after: str,
        server_said: str | None = None,
        status: int | None = None,
    ) -> None:
        if res.state == "present":
            evidence: dict[str, Any] = {"probe": res.evidence, "after": after}
            if row.kind in self.actions.TOKEN_KINDS and res.evidence.get("post_id") is not None:
                evidence["post_id"] = res.evidence["post_id"]  # the post found (the overlay settles on it)
            self._transition(row, "done", resolution="already_applied", evidence=evidence, http_status=status)
        elif res.state == "changed":  # someone replaced our target meanwhile: the moderator decides
            self._transition(
                row,
                "conflict",
                resolution="changed_remotely",
                http_status=status,
                error=res.message,
                evidence={"probe": res.evidence, "after": after},
            )
        elif res.state == "gone":
            if row.kind in self.actions.USER_KINDS and self._follow_rename(row):
                return
            self._transition(
                row,
                "conflict",
                resolution="target_gone",
                http_status=status,
                error=server_said or res.message,
                evidence={"probe": res.evidence, "after": after},
            )
        else:
            with self._write() as conn:
                store.set_state(
                    conn,
                    row.id,
                    "pending",
                    http_status=status,
                    evidence={"probe": res.evidence, "after": after},
                )

    def _follow_rename(self, row: OutboxRow) -> bool:
        """A member addressed by username may have been renamed: re-send with the current name."""
        try:
            u = self._read(
                row,
                "verify",
                self.actions.read_label("admin_user", int(row.payload["user_id"])),
                lambda: self.actions.admin_user(self.client, int(row.payload["user_id"])),
            )
        except ApiError:
            return False
        if u is None:
            return False
        name = u.get("username")
        if isinstance(name, str) and name != row.payload.get("username"):
            payload = dict(row.payload)
            renamed = {"from": payload.get("username"), "to": name}
            payload["username"] = name
            payload.setdefault("username_at_enqueue", renamed["from"])
            with self._write() as conn:
                store.set_state(conn, row.id, "pending", payload=payload, evidence={"renamed": renamed})
            return True
        return False

    # ------------------------------------------------------------ precheck + send

    def _suspended_ids(self, row: OutboxRow) -> set[int]:
        if self._suspended is None:
            ids: set[int] = set()
            for flag in ("suspended", "silenced"):
                try:
                    users = self._read(
                        row,
                        "precheck",
                        self.actions.read_label("user_list", flag),
                        functools.partial(self.actions.user_list, self.client, flag),
                    )
                except PermissionDenied:
                    users = []
                for u in users if isinstance(users, list) else []:
                    if isinstance(u, dict) and isinstance(u.get("id"), int):
                        ids.add(int(u["id"]))
            self._suspended = ids
        return self._suspended

    def _precheck(self, row: OutboxRow) -> OutboxRow | None:
        """Reads before sending. Returns the row to send (maybe with a completed payload), or None
        when the precheck already decided the row."""
        p = row.payload
        force = bool(p.get("force"))
        if row.kind in self.actions.PRECHECK_KINDS:
            return self._precheck_by_probe(row, force)
        if row.kind in self.actions.ASSIGN_KINDS:
            return self._precheck_assign(row, force)
        if row.kind == "add_user_note":
            return self._precheck_user_note(row)
        if row.kind == "review_perform":
            return self._precheck_review(row, force) if "force" in p else row
        if row.kind == "accept_answer":
            view = self._read_topic_or_conflict(row)
            if view is None:
                return None
            stream = (view.get("post_stream") or {}).get("stream")
            if isinstance(stream, list) and int(p["post_id"]) not in stream:
                self._transition(
                    row, "conflict", resolution="target_gone", error="The answer's post was deleted."
                )
                return None
            nums = self.actions.accepted_post_numbers(view)
            if int(p["post_number"]) in nums:
                self._transition(
                    row,
                    "done",
                    resolution="already_applied",
                    evidence={"precheck": {"accepted_post_numbers": sorted(nums)}},
                )
                return None
            seen = row.precondition.get("accepted_post_number")
            if nums and not force and (seen is None or int(seen) not in nums):
                theirs = view.get("accepted_answer") or {}
                self._transition(
                    row,
                    "conflict",
                    resolution="changed_remotely",
                    error=(
                        f"Meanwhile post #{theirs.get('post_number')} by @{theirs.get('username')} "
                        "was accepted"
                        + (f" by @{theirs['accepter_username']}" if theirs.get("accepter_username") else "")
                        + ". Accepting ours would replace it."
                    ),
                    evidence={
                        "theirs": theirs,
                        "ours": {"post_id": p["post_id"], "post_number": p["post_number"]},
                        "seen_at_enqueue": seen,
                    },
                )
                return None
            return row
        if row.kind == "unaccept_answer":
            return self._precheck_unaccept(row, force)
        if (
            row.kind in ("grant_badge", "add_group_member")
            and self.options.suspension_check
            and not force
            and int(p["user_id"]) in self._suspended_ids(row)
        ):
            self._transition(
                row,
                "conflict",
                resolution="needs_confirmation",
                error=f"@{p.get('username')} is now suspended or silenced. Still go ahead?",
            )
            return None
        if (
            row.kind == "grant_badge"
            and p.get("multiple_grant")
            and p.get("reason_post_id") is None
            and "grant_count_before" not in p
        ):
            grants = self._read(
                row,
                "precheck",
                self.actions.read_label("grants"),
                lambda: self.actions.user_grants(self.client, int(p["badge_id"]), str(p["username"])),
            )
            return self._with_payload(row, {**p, "grant_count_before": len(grants)})
        if row.kind == "revoke_badge" and (not p.get("user_badge_id") or force):
            try:
                grants = self._read(
                    row,
                    "precheck",
                    self.actions.read_label("grants"),
                    lambda: self.actions.user_grants(self.client, int(p["badge_id"]), str(p["username"])),
                )
            except NotFound:
                self._transition(
                    row,
                    "conflict",
                    resolution="target_gone",
                    error="The member or the badge no longer exists.",
                )
                return None
            if not grants:
                self._transition(
                    row, "done", resolution="already_applied", evidence={"precheck": "no grant held"}
                )
                return None
            target = grants[0]
            if force:  # "apply anyway" after a new grant: revoke the grant held now (the newest)
                meant = [g for g in grants if g.get("id") == p.get("user_badge_id")]
                target = meant[0] if meant else max(grants, key=lambda g: int(g["id"]))
            payload = {**p, "user_badge_id": int(target["id"]), "granted_at": target.get("granted_at")}
            if p.get("user_badge_id") and p["user_badge_id"] != payload["user_badge_id"]:
                payload.setdefault("user_badge_id_at_enqueue", p["user_badge_id"])
            return self._with_payload(row, payload)
        return row

    def _precheck_review(self, row: OutboxRow, force: bool) -> OutboxRow | None:
        """After a conflict the moderator chose Retry or Apply anyway: re-read the item for its
        version (the lock) and whether the action is still offered. Retry sends only while the item
        is pending and offers the action; Apply anyway sends at the current version and lets the
        community decide. Handled by us meanwhile: done."""
        p = row.payload
        item = self._read(
            row,
            "precheck",
            self.actions.read_label("review_item", int(p["reviewable_id"])),
            lambda: self.actions.review_item(self.client, int(p["reviewable_id"])),
        )
        state = self.actions.review_state(item, p, me=self.me)
        if item is None or state.state == "present" or (item.status != 0 and not force):
            self._apply_probe(row, state, after="precheck")
            return None
        if item.action(str(p["action_id"])) is None and not force:
            offered = ", ".join(f"“{a.label}”" for a in item.actions) or self.actions.REVIEW_NOTHING
            self._transition(
                row,
                "conflict",
                resolution="changed_remotely",
                error=Msg(self.actions.REVIEW_NO_LONGER_OFFERED, action=p.get("label"), offered=offered),
                evidence={"precheck": state.evidence},
            )
            return None
        return self._with_payload(row, {**p, "version": item.version})

    def _precheck_by_probe(self, row: OutboxRow, force: bool) -> OutboxRow | None:
        """Check-then-act where the platform declares it (its writes are not known to be
        idempotent, or a read tells a teammate's change): the probe before the first send decides.
        Already so: done. Changed under us: a conflict naming it ("apply anyway" sends)."""
        state = self._read(
            row,
            "precheck",
            f"probe {row.kind}",
            lambda: self.actions.probe(self.client, row.kind, row.payload, me=self.me),
        )
        if state.state == "absent" or (state.state == "changed" and force):
            return row
        self._apply_probe(row, state, after="precheck")
        return None

    def _precheck_assign(self, row: OutboxRow, force: bool) -> OutboxRow | None:
        """Assign is not idempotent (a repeat is a 400, every change a tracking post): read the
        topic's assignment before sending. Held by our target already: done. Taken by someone the
        moderator did not see: a conflict naming them (Apply anyway sends regardless)."""
        topic_id = int(row.payload["topic_id"])
        view = self._read(
            row,
            "precheck",
            self.actions.read_label("topic", topic_id),
            lambda: self.actions.topic_view(self.client, topic_id),
        )
        state = self.actions.assign_state(row.kind, view, row.payload)
        if state.state == "absent" or (state.state == "changed" and force):
            return row
        self._apply_probe(row, state, after="precheck")
        return None

    def _precheck_user_note(self, row: OutboxRow) -> OutboxRow | None:
        """User Notes has no idempotency (each POST adds a note): before the first send, record
        the ids of the member's notes with the row; before any later send, look for ours among
        the notes new since (by us, with our text) — found: done, never a second note."""
        res = self._read(
            row,
            "precheck",
            f"probe {row.kind}",
            lambda: self.actions.probe(self.client, row.kind, row.payload, me=self.me),
        )
        if res.state != "absent":
            self._apply_probe(row, res, after="precheck")
            return None
        if "known_note_ids" in row.payload:
            return row
        return self._with_payload(row, {**row.payload, "known_note_ids": res.evidence.get("note_ids", [])})

    def _read_topic_or_conflict(self, row: OutboxRow) -> Any:
        """The row's topic as the server shows it now (a precheck read), or ``None`` after putting
        the row in conflict because the topic is gone."""
        topic_id = int(row.payload["topic_id"])
        view = self._read(
            row,
            "precheck",
            self.actions.read_label("topic", topic_id),
            lambda: self.actions.topic_view(self.client, topic_id),
        )
        if view is None:
            self._transition(
                row,
                "conflict",
                resolution="target_gone",
                error="The topic was deleted or is no longer visible.",
            )
        return view

    def _precheck_unaccept(self, row: OutboxRow, force: bool) -> OutboxRow | None:
        """Read the topic before unaccepting: our answer may have been unaccepted (done) or
        replaced by another one (a conflict; "apply anyway" then unaccepts the one accepted now)."""
        p = row.payload
        view = self._read_topic_or_conflict(row)
        if view is None:
            return None
        res = self.actions.unaccept_state(view, p)
        if res.state == "absent":
            return row
        if res.state == "changed" and force:
            theirs = res.evidence.get("theirs") or {}
            num = theirs.get("post_number")
            pid = theirs.get("post_id") or self._cached_post_id(int(p["topic_id"]), num)
            if pid is not None and num is not None:
                return self._with_payload(
                    row,
                    {
                        **p,
                        "post_id": int(pid),
                        "post_number": int(num),
                        "post_id_at_enqueue": p.get("post_id_at_enqueue", p["post_id"]),
                        "post_number_at_enqueue": p.get("post_number_at_enqueue", p["post_number"]),
                    },
                )
        self._apply_probe(row, res, after="precheck")
        return None

    def _cached_post_id(self, topic_id: int, post_number: Any) -> int | None:
        if post_number is None:
            return None
        with self.cache.read() as conn:
            r = conn.execute(
                text("SELECT id FROM posts WHERE topic_id = :t AND post_number = :n"),
                {"t": topic_id, "n": int(post_number)},
            ).first()
        return int(r[0]) if r is not None else None

    def _with_payload(self, row: OutboxRow, payload: dict[str, Any]) -> OutboxRow:
        with self._write() as conn:
            store.set_state(conn, row.id, "pending", payload=payload)
        return replace(row, payload=payload)

    def _send(self, row: OutboxRow, token: CancelToken) -> None:
        try:
            maybe = self._precheck(row)
        except InvalidInput as unsendable:  # the platform has no such write (the adapter says why)
            self._transition(row, "failed", resolution="invalid", error=unsendable.user_message)
            return
        except PermissionDenied as refused:  # e.g. the topic was made private: a definite answer
            self._refused(row, refused)
            return
        except ApiError as precheck_err:
            self._read_failed(row, precheck_err, keep_in_flight=False)
            return
        if maybe is None:
            return
        row = maybe
        if row.kind in self.actions.TOKEN_KINDS and "client_token" not in row.payload:
            # recorded with the in_flight mark, so the verification looks for what was sent
            mark = self.actions.token_for(row.op_uuid, str(row.payload.get("raw") or ""))
            row = replace(row, payload={**row.payload, "client_token": mark})
        try:
            req = self.actions.request_for(row.kind, row.payload)
        except NeedsLookup:  # pragma: no cover - the precheck fills it
            return
        except InvalidInput as unsendable:
            self._transition(row, "failed", resolution="invalid", error=unsendable.user_message)
            return
        held = self.client.pacer.delay()
        if held > self.client.retry.max_rate_limit_wait:  # the server asked us to wait: no churn, no send
            with self._write() as conn:
                store.set_state(
                    conn,
                    row.id,
                    "pending",
                    next_attempt_at=later(held),
                    error_class="rate_limited",
                    error=row.last_error,
                )
            return
        aid = str(uuid.uuid4())
        with self._write() as conn:  # the compare-and-set: only a row this pusher won is sent
            won = store.mark_in_flight(
                conn,
                row.id,
                aid,
                req.line,
                self.options.verify_delay,
                owner=self.owner,
                ttl=self.options.lease_ttl,
                payload=row.payload,
            )
            lapsed = won is None and store.get_by_id(conn, row.id).state == "pending"
        if lapsed:  # still pending, so the lease itself failed the check (it went stale): stop
            self._lost("the lease went stale before the send")
        if won is None:  # no longer pending (cancelled or coalesced meanwhile): nothing is sent
            return
        self._report.writes += 1
        try:
            att = self.client.attempt_json(req.method, req.path, data=req.data, cancel=self._cancel)
        except Cancelled:
            with self._write() as conn:
                store.finish_send_attempt(
                    conn,
                    row.id,
                    aid,
                    http_status=None,
                    error_class="cancelled",
                    response_excerpt=None,
                    outcome="not_sent",
                )
                store.set_state(
                    conn, row.id, "pending", error_class="cancelled", error="cancelled before sending"
                )
            raise _Stop("cancelled", "Push cancelled; the rest stays queued.") from None
        if att.error is None or _answered(att.error):
            self._report.answered += 1
        if att.error is None:
            self._offline_failures = 0
            resolution, ev = self.actions.success_resolution(
                row.kind, row.payload, att.value, my_user_id=self.my_user_id
            )
            with self._write() as conn:
                store.finish_send_attempt(
                    conn,
                    row.id,
                    aid,
                    http_status=200,
                    error_class=None,
                    response_excerpt=_excerpt(att.value),
                    outcome=resolution,
                )
                store.set_state(conn, row.id, "done", resolution=resolution, http_status=200, evidence=ev)
                if row.kind in ("add_group_member", "remove_group_member"):
                    permissions.observe_group(conn, int(row.payload["group_id"]), True)
            self._note_final(row, "done")
            return
        err = att.error
        delivery = att.delivery
        outcome = {Delivery.NOT_SENT: "not_sent", Delivery.AMBIGUOUS: "ambiguous"}.get(delivery, "rejected")
        with self._write() as conn:
            store.finish_send_attempt(
                conn,
                row.id,
                aid,
                http_status=err.status,
                error_class=_err_class(err),
                response_excerpt=_said(err),
                outcome=outcome,
            )
        if delivery is Delivery.NOT_SENT:
            wait = self._backoff(row.attempts)
            if isinstance(err, RateLimited):
                wait = max(err.retry_after, 0.0)
            elif isinstance(err, ServerUnavailable):
                wait = self.options.read_only_pause
            with self._write() as conn:
                store.set_state(
                    conn,
                    row.id,
                    "pending",
                    next_attempt_at=later(wait),
                    http_status=err.status,
                    error_class=_err_class(err),
                    error=err.user_message,
                )
            self._count_transport(err)
            return
        if delivery is Delivery.AMBIGUOUS or delivery_of(err) is Delivery.AMBIGUOUS:
            with self._write() as conn:
                store.set_state(
                    conn,
                    row.id,
                    "in_flight",
                    verify_after=later(self.options.verify_delay),
                    http_status=err.status,
                    error_class=_err_class(err),
                    error=err.user_message,
                )
            self._count_transport(err)
            return
        self._offline_failures = 0
        self._refused(row, err)

    def _refused(self, row: OutboxRow, err: ApiError) -> None:
        """A definite answer that is not a 2xx (the handler ran and said no)."""
        said = _said(err) or err.user_message
        if isinstance(err, AuthError):
            self._transition(
                row, "pending", http_status=err.status, error_class="auth", error=err.user_message
            )
            raise _Stop("auth", err.user_message)
        if isinstance(err, PermissionDenied):
            if row.kind in ("like_post", "review_perform"):  # maybe already so (handled, liked)
                self._probe_after_refusal(row, err, said, otherwise=("failed", "forbidden"))
                return
            try:
                self.actions.verify(self.client)
            except AuthError as auth:
                self._transition(
                    row, "pending", http_status=err.status, error_class="auth", error=auth.user_message
                )
                raise _Stop("auth", auth.user_message) from None
            except ApiError as other:
                with self._write() as conn:
                    store.set_state(
                        conn,
                        row.id,
                        "pending",
                        next_attempt_at=later(self._backoff(row.attempts)),
                        http_status=err.status,
                        error_class=_err_class(other),
                        error=other.user_message,
                    )
                self._count_transport(other)
                return
            if row.kind in ("add_group_member", "remove_group_member"):
                with self._write() as conn:
                    permissions.observe_group(conn, int(row.payload["group_id"]), False)
            self._transition(
                row,
                "failed",
                resolution="forbidden",
                http_status=err.status,
                error_class="http_403",
                error=f"The community refused: your account may not do this. {said}".strip(),
            )
            return
        if isinstance(err, NotFound):
            self._probe_after_refusal(row, err, said, otherwise=("conflict", "target_gone"))
            return
        if isinstance(err, Conflict) and (
            row.kind in ("review_perform", "review_claim") or row.kind in self.actions.PRECHECK_KINDS
        ):  # the version lock: who acted? / check-then-act: "already so" is a 409 on some sites
            self._probe_after_refusal(row, err, said, otherwise=("conflict", "changed_remotely"))
            return
        if isinstance(err, Conflict):
            self._transition(
                row,
                "conflict",
                resolution="changed_remotely",
                http_status=err.status,
                error_class="http_409",
                error=said,
            )
            return
        if isinstance(err, Rejected) and err.status == 422:
            self._probe_after_refusal(row, err, said, otherwise=("failed", "rejected"))
            return
        if (
            row.kind in self.actions.ASSIGN_KINDS and err.status == 400
        ):  # "already assigned" is a 400 sentence
            self._probe_after_refusal(row, err, said, otherwise=("failed", "rejected"))
            return
        resolution = "invalid" if err.status == 400 else "rejected"
        self._transition(
            row,
            "failed",
            resolution=resolution,
            http_status=err.status,
            error_class=_err_class(err),
            error=said,
        )

    def _probe_after_refusal(
        self, row: OutboxRow, err: ApiError, said: str, *, otherwise: tuple[str, str]
    ) -> None:
        """404/422/403-like answers may mean "already so": read the state before deciding."""
        try:
            res = self._read(
                row,
                "verify",
                f"probe {row.kind}",
                lambda: self.actions.probe(self.client, row.kind, row.payload, me=self.me),
            )
        except ApiError as perr:
            with self._write() as conn:  # decide later by verification; never re-send blindly
                store.set_state(
                    conn,
                    row.id,
                    "in_flight",
                    verify_after=later(self._backoff(row.attempts)),
                    http_status=err.status,
                    error_class=_err_class(err),
                    error=said,
                )
            self._count_transport(perr)
            return
        if res.state in ("present", "changed"):
            self._apply_probe(row, res, after=f"http_{err.status}", status=err.status)
            return
        if res.state == "gone" or (otherwise[1] == "target_gone"):
            if row.kind in self.actions.USER_KINDS and self._follow_rename(row):
                return
            self._transition(
                row,
                "conflict",
                resolution="target_gone",
                http_status=err.status,
                error_class=_err_class(err),
                error=res.message or said,
                evidence={"probe": res.evidence},
            )
            return
        self._transition(
            row,
            otherwise[0],
            resolution=otherwise[1],
            http_status=err.status,
            error_class=_err_class(err),
            error=said,
            evidence={"probe": res.evidence},
        )


def _answered(err: ApiError) -> bool:
    """The community itself answered (a refusal, a conflict, a rate limit): it is reachable. A
    dropped connection, a timeout or a gateway's 5xx is not an answer."""
    return err.status is not None and not isinstance(err, NetworkError | ServerUnavailable)


def _err_class(err: ApiError) -> str:
    if isinstance(err, NetworkError):
        return err.error_type or "network"
    if err.status:
        return f"http_{err.status}"
    return type(err).__name__


def _said(err: ApiError) -> str | None:
    if err.server_errors:
        return "; ".join(err.server_errors)[:500]
    return err.detail


def _excerpt(value: Any) -> str | None:
    import json

    if value is None:
        return None
    if isinstance(value, dict):  # keep the answer itself, drop side-loaded lists (users, badges, …)
        core = {k: v for k, v in value.items() if not isinstance(v, list)}
        value = core or value
    try:
        return json.dumps(value, separators=(",", ":"))[:1000]
    except (TypeError, ValueError):
        return str(value)[:1000]


__all__ = ["BREAKERS", "DispatchOptions", "Dispatcher", "PushReport"]
