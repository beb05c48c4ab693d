"""The outbox tables: enqueue with coalescing, state transitions with their attempt records,
the dispatcher lease, queries, the moderator's decisions and the audit journal (SYNC.md §6.3–6.5).

Every function takes a SQLAlchemy ``Connection`` inside a transaction opened by the caller
(``Cache.write()`` / ``Cache.read()``) and never commits: the caller decides what commits together
(I1, I6). No function here does network I/O.

Row life (SYNC.md §6.3)::

    pending ──send──▶ in_flight ──2xx──▶ done/applied | done/already_applied
       ▲                 │ ambiguous (timeout, reset, 5xx): stays in_flight, verify_after set
       │                 ├──verify: absent──▶ pending (re-send)
       │                 ├──verify: present─▶ done/already_applied
       └──not sent (connect error, 429, read-only)
    conflict/* and failed/* wait for the moderator: resolve(retry | apply_anyway | discard).
    A pending row backing off (429, offline, read-only) may be retried now: resolve(retry).

Moderator decisions are appended to ``result_json["decisions"]`` (who, when, choice, note, the
state they answered), so the journal keeps every choice without a schema change.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.api.ratelimit import MAX_WAIT, clamp_wait
from modconsole.changes import Changes
from modconsole.csvsafe import SafeDictWriter
from modconsole.errors import InvalidInput
from modconsole.log import redact

ACTIVE_STATES = ("pending", "in_flight")
OPEN_STATES = ("pending", "in_flight", "conflict", "failed")
FINAL_STATES = ("done", "cancelled")
CHOICES = ("retry", "apply_anyway", "discard")
STALE_AFTER_DAYS = 7
LEASE_TTL = 30.0  # seconds a dispatcher lease stays valid without a heartbeat (SYNC.md §6.2)

# Which kinds may be forced past a conflict (SYNC.md §6.7): replace the other accepted answer,
# grant/add to a now-suspended member, revoke a badge awarded again meanwhile, unaccept the answer
# that replaced ours.
APPLY_ANYWAY_KINDS = frozenset(
    {
        "accept_answer",
        "unaccept_answer",
        "grant_badge",
        "revoke_badge",
        "add_group_member",
        "set_trust_level",
        "review_perform",
        "assign_topic",
        "unassign_topic",
    }
)


def now_iso(dt: datetime | None = None) -> str:
    d = (dt or clock.now()).astimezone(UTC)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def later(seconds: float, base: datetime | None = None) -> str:
    """The stored form of "``seconds`` from now": every retry and verification time of a row is
    written through here, bounded by :func:`~modconsole.api.ratelimit.clamp_wait` (a day at most),
    so a server's far-future ``Retry-After`` can never park an action for longer."""
    return now_iso((base or clock.now()) + timedelta(seconds=clamp_wait(seconds)))


def _server_text(value: str | None, limit: int) -> str | None:
    """A server's words as stored (last error, attempt excerpts): redacted, then cut to ``limit``.
    The client already redacts every error it builds; this keeps 2xx excerpts and any text a
    caller composes from them clean too (no secret reaches the cache file)."""
    return redact(value or "")[:limit] or None


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def _loads(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class OutboxRow:
    """One outbox row, decoded."""

    id: int
    op_uuid: str
    kind: str
    target_key: str
    payload: dict[str, Any]
    precondition: dict[str, Any]
    state: str
    resolution: str | None
    attempts: int
    next_attempt_at: str | None
    verify_after: str | None
    in_flight_attempt_id: str | None
    last_http_status: int | None
    last_error_class: str | None
    last_error: str | None
    result: dict[str, Any]
    depends_on: int | None
    created_by: str
    created_at: str
    updated_at: str

    @property
    def note(self) -> str | None:
        n = self.payload.get("note")
        return n if isinstance(n, str) else None

    @property
    def stale(self) -> bool:
        """Still undelivered a week after it was queued: flag it, keep it queued (SYNC.md §6.5)."""
        created = parse_iso(self.created_at)
        return (
            self.state in ACTIVE_STATES
            and created is not None
            and clock.now() - created > timedelta(days=STALE_AFTER_DAYS)
        )

    @property
    def choices(self) -> tuple[str, ...]:
        """What the moderator may choose for this row now."""
        if self.state in ("conflict", "failed"):
            if self.kind in APPLY_ANYWAY_KINDS and self.resolution in (
                "changed_remotely",
                "needs_confirmation",
            ):
                return ("retry", "apply_anyway", "discard")
            return ("retry", "discard")
        if self.state == "pending":
            # a row backing off (429, offline, read-only) can be sent now at the moderator's word
            return ("retry", "discard") if self.next_attempt_at else ("discard",)
        return ()

    def describe(self) -> str:
        return describe(self.kind, self.payload)


def describe(kind: str, p: Mapping[str, Any]) -> str:
    """A moderator-readable one-liner for an action."""
    user = p.get("username") or f"user #{p.get('user_id')}"
    if kind == "grant_badge":
        return f"Award badge “{p.get('badge_name')}” to @{user}"
    if kind == "revoke_badge":
        return f"Revoke badge “{p.get('badge_name')}” from @{user}"
    if kind == "accept_answer":
        return f"Accept post #{p.get('post_number')} as the answer in topic {p.get('topic_id')}"
    if kind == "unaccept_answer":
        return f"Unaccept post #{p.get('post_number')} in topic {p.get('topic_id')}"
    if kind == "add_group_member":
        return f"Add @{user} to group {p.get('group_name')}"
    if kind == "remove_group_member":
        return f"Remove @{user} from group {p.get('group_name')}"
    if kind == "set_trust_level":
        return f"Set @{user} to trust level {p.get('level')}"
    if kind == "create_topic":
        return f"Create topic “{p.get('title')}”"
    if kind == "create_post":
        return f"{'Whisper' if p.get('whisper') else 'Reply'} in topic {p.get('topic_id')}"
    if kind == "like_post":
        return f"Like post {p.get('post_id')}"
    if kind == "close_topic":
        return f"Close topic {p.get('topic_id')}"
    if kind == "review_perform":
        what = p.get("item_label") or f"review item {p.get('reviewable_id')}"
        return f"Review: “{p.get('label') or p.get('action_id')}” on {what}"
    if kind in ("review_claim", "review_unclaim"):
        what = p.get("item_label") or f"review item {p.get('reviewable_id')}"
        return f"{'Claim' if kind == 'review_claim' else 'Release the claim on'} {what}"
    if kind == "assign_topic":
        who = f"@{p['username']}" if p.get("username") else f"@{p.get('group_name')}"
        return f"Assign topic {p.get('topic_id')} to {who}"
    if kind == "unassign_topic":
        return f"Unassign topic {p.get('topic_id')}"
    if kind == "add_user_note":
        return f"Add a staff note on @{p.get('username') or p.get('user_id')}"
    if kind == "delete_user_note":
        return f"Delete a staff note on @{p.get('username') or p.get('user_id')}"
    return kind


_COLUMNS = (
    "id, op_uuid, kind, target_key, payload_json, precondition_json, state, resolution, attempts, "
    "next_attempt_at, verify_after, in_flight_attempt_id, last_http_status, last_error_class, last_error, "
    "result_json, depends_on, created_by, created_at, updated_at"
)


def _row(r: Any) -> OutboxRow:
    m = r._mapping
    return OutboxRow(
        id=int(m["id"]),
        op_uuid=str(m["op_uuid"]),
        kind=str(m["kind"]),
        target_key=str(m["target_key"]),
        payload=_loads(m["payload_json"]) or {},
        precondition=_loads(m["precondition_json"]) or {},
        state=str(m["state"]),
        resolution=m["resolution"],
        attempts=int(m["attempts"] or 0),
        next_attempt_at=m["next_attempt_at"],
        verify_after=m["verify_after"],
        in_flight_attempt_id=m["in_flight_attempt_id"],
        last_http_status=m["last_http_status"],
        last_error_class=m["last_error_class"],
        last_error=m["last_error"],
        result=_loads(m["result_json"]) or {},
        depends_on=m["depends_on"],
        created_by=str(m["created_by"]),
        created_at=str(m["created_at"]),
        updated_at=str(m["updated_at"]),
    )


# ---------------------------------------------------------------- enqueue


@dataclass(frozen=True)
class Inserted:
    row_id: int
    op_uuid: str
    cancelled: tuple[str, ...] = ()  # op_uuids cancelled by coalescing (possibly including this one)


# (new kind, earlier pending kind) -> what happens (SYNC.md §6.4)
_COALESCE: dict[tuple[str, str], str] = {
    ("revoke_badge", "grant_badge"): "both",  # grant then revoke of the same single badge
    ("remove_group_member", "add_group_member"): "both",
    ("add_group_member", "remove_group_member"): "both",
    ("accept_answer", "accept_answer"): "supersede",  # accept A then accept B on one topic
    ("unaccept_answer", "accept_answer"): "both_if_same_post",
    ("set_trust_level", "set_trust_level"): "supersede",
}


def insert(
    conn: Connection,
    *,
    kind: str,
    target_key: str,
    payload: Mapping[str, Any],
    precondition: Mapping[str, Any] | None,
    created_by: str,
    op_uuid: str | None = None,
) -> Inserted:
    """Insert a ``pending`` row and coalesce it with earlier *pending* rows of the same target.

    Never coalesces with ``in_flight`` rows (the request may be on the wire). Call inside the
    enqueue's write transaction.
    """
    op = op_uuid or str(uuid.uuid4())
    now = now_iso()
    res = conn.execute(
        text(
            "INSERT INTO outbox(op_uuid, kind, target_key, payload_json, precondition_json, state, "
            "attempts, created_by, created_at, updated_at) "
            "VALUES (:op, :kind, :tk, :p, :pre, 'pending', 0, :by, :now, :now)"
        ),
        {
            "op": op,
            "kind": kind,
            "tk": target_key,
            "p": _dumps(dict(payload)),
            "pre": _dumps(dict(precondition)) if precondition is not None else None,
            "by": created_by,
            "now": now,
        },
    )
    row_id = int(res.lastrowid or 0)
    cancelled: list[str] = []
    earlier = [
        _row(r)
        for r in conn.execute(
            text(f"SELECT {_COLUMNS} FROM outbox WHERE target_key = :tk AND state = 'pending' AND id < :id"),
            {"tk": target_key, "id": row_id},
        )
    ]
    for old in reversed(earlier):  # newest earlier intent first
        rule = _COALESCE.get((kind, old.kind))
        if rule is None:
            continue
        if rule == "supersede":
            _finish(conn, old.id, "cancelled", "superseded", note=f"superseded by {op}")
            cancelled.append(old.op_uuid)
            continue
        if rule == "both_if_same_post" and old.payload.get("post_id") != payload.get("post_id"):
            continue
        if kind == "revoke_badge" and old.payload.get("multiple_grant"):
            continue  # a revoke of a multiple-grant badge does not cancel every queued grant
        _finish(conn, old.id, "cancelled", "coalesced", note=f"cancelled out by {op}")
        _finish(conn, row_id, "cancelled", "coalesced", note=f"cancelled out {old.op_uuid}")
        cancelled.extend([old.op_uuid, op])
        break
    return Inserted(row_id, op, tuple(cancelled))


def _finish(conn: Connection, row_id: int, state: str, resolution: str, *, note: str | None = None) -> None:
    result = {"evidence": note} if note else None
    conn.execute(
        text(
            "UPDATE outbox SET state = :s, resolution = :r, next_attempt_at = NULL, verify_after = NULL, "
            "in_flight_attempt_id = NULL, updated_at = :now, "
            "result_json = COALESCE(:res, result_json) WHERE id = :id"
        ),
        {
            "s": state,
            "r": resolution,
            "now": now_iso(),
            "id": row_id,
            "res": _dumps(result) if result else None,
        },
    )


# ---------------------------------------------------------------- queries


def get(conn: Connection, op_uuid: str) -> OutboxRow | None:
    r = conn.execute(text(f"SELECT {_COLUMNS} FROM outbox WHERE op_uuid = :op"), {"op": op_uuid}).first()
    return _row(r) if r is not None else None


def get_by_id(conn: Connection, row_id: int) -> OutboxRow:
    r = conn.execute(text(f"SELECT {_COLUMNS} FROM outbox WHERE id = :id"), {"id": row_id}).first()
    if r is None:
        raise LookupError(f"no outbox row {row_id}")
    return _row(r)


def rows(
    conn: Connection,
    states: Iterable[str] | None = None,
    *,
    since: str | None = None,
    limit: int | None = None,
) -> list[OutboxRow]:
    where, params = [], {}
    if states is not None:
        names = list(states)
        where.append("state IN (" + ",".join(f":s{i}" for i in range(len(names))) + ")")
        params.update({f"s{i}": s for i, s in enumerate(names)})
    if since is not None:
        where.append("created_at >= :since")
        params["since"] = since
    sql = (
        f"SELECT {_COLUMNS} FROM outbox" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_row(r) for r in conn.execute(text(sql), params)]


def active_rows(conn: Connection) -> list[OutboxRow]:
    """Rows still to be delivered, oldest first: the overlay and the dispatcher's work list."""
    return rows(conn, ACTIVE_STATES)


def ready_rows(conn: Connection, now: str) -> tuple[list[OutboxRow], str | None]:
    """Rows that may be worked on now (FIFO per target: only the oldest active row of each target),
    oldest first, plus the earliest time a blocked head row becomes ready (None if none)."""
    heads: dict[str, OutboxRow] = {}
    for r in active_rows(conn):
        heads.setdefault(r.target_key, r)
    ready: list[OutboxRow] = []
    next_at: str | None = None
    for r in sorted(heads.values(), key=lambda x: x.id):
        when = r.verify_after if r.state == "in_flight" else r.next_attempt_at
        if when is None or when <= now:
            ready.append(r)
        elif next_at is None or when < next_at:
            next_at = when
    return ready, next_at


def counts(conn: Connection) -> dict[str, int]:
    out = {s: 0 for s in ("pending", "in_flight", "done", "failed", "conflict", "cancelled")}
    for state, n in conn.execute(text("SELECT state, COUNT(*) FROM outbox GROUP BY state")):
        out[str(state)] = int(n)
    return out


def attempts_of(conn: Connection, row_id: int) -> list[dict[str, Any]]:
    return [
        dict(r._mapping)
        for r in conn.execute(
            text("SELECT * FROM outbox_attempt WHERE outbox_id = :id ORDER BY id"), {"id": row_id}
        )
    ]


# ---------------------------------------------------------------- transitions (caller's transaction)


def record_attempt(
    conn: Connection,
    row_id: int,
    *,
    attempt_id: str,
    kind: str,
    request_line: str,
    started_at: str,
    http_status: int | None = None,
    error_class: str | None = None,
    response_excerpt: str | None = None,
    outcome: str | None = None,
    finished: bool = True,
) -> None:
    conn.execute(
        text(
            "INSERT INTO outbox_attempt(outbox_id, attempt_id, kind, started_at, finished_at, request_line, "
            "http_status, error_class, response_excerpt, outcome) "
            "VALUES (:o, :a, :k, :s, :f, :rl, :hs, :ec, :rx, :oc)"
        ),
        {
            "o": row_id,
            "a": attempt_id,
            "k": kind,
            "s": started_at,
            "f": now_iso() if finished else None,
            "rl": request_line,
            "hs": http_status,
            "ec": error_class,
            "rx": _server_text(response_excerpt, 2000),
            "oc": outcome,
        },
    )


def mark_in_flight(
    conn: Connection,
    row_id: int,
    attempt_id: str,
    request_line: str,
    verify_delay: float,
    *,
    owner: str,
    ttl: float = LEASE_TTL,
    payload: Mapping[str, Any] | None = None,
) -> str | None:
    """Win the row for one send: ``pending → in_flight`` with its send attempt row, committed
    before the request (§6.10.4). A compare-and-set: the row must still be ``pending`` *and*
    ``owner`` must hold a fresh dispatcher lease, checked in the same write transaction (the
    caller's ``BEGIN IMMEDIATE``), so no other pusher can win the same row. Returns the start
    time, or None when the row was not won (another pusher took it, or this one lost the lease):
    then nothing may be sent. ``payload`` replaces the stored payload in the same update (what
    is about to be sent, e.g. with its recognition token)."""
    started = now_iso()
    res = conn.execute(
        text(
            "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, in_flight_attempt_id = :a, "
            "verify_after = :va, updated_at = :now, payload_json = COALESCE(:p, payload_json) "
            "WHERE id = :id AND state = 'pending' AND EXISTS (SELECT 1 FROM dispatcher_lease "
            "WHERE id = 1 AND owner = :owner AND heartbeat_at >= :fresh)"
        ),
        {
            "a": attempt_id,
            "va": later(verify_delay),
            "now": started,
            "id": row_id,
            "p": _dumps(dict(payload)) if payload is not None else None,
            "owner": owner,
            "fresh": now_iso(clock.now() - timedelta(seconds=ttl)),
        },
    )
    if res.rowcount != 1:
        return None
    record_attempt(
        conn,
        row_id,
        attempt_id=attempt_id,
        kind="send",
        request_line=request_line,
        started_at=started,
        finished=False,
    )
    return started


def finish_send_attempt(
    conn: Connection,
    row_id: int,
    attempt_id: str,
    *,
    http_status: int | None,
    error_class: str | None,
    response_excerpt: str | None,
    outcome: str,
) -> None:
    conn.execute(
        text(
            "UPDATE outbox_attempt SET finished_at = :f, http_status = :hs, error_class = :ec, "
            "response_excerpt = :rx, outcome = :oc WHERE outbox_id = :o AND attempt_id = :a AND kind = 'send'"
        ),
        {
            "f": now_iso(),
            "hs": http_status,
            "ec": error_class,
            "rx": _server_text(response_excerpt, 2000),
            "oc": outcome,
            "o": row_id,
            "a": attempt_id,
        },
    )


def set_state(
    conn: Connection,
    row_id: int,
    state: str,
    *,
    resolution: str | None = None,
    next_attempt_at: str | None = None,
    verify_after: str | None = None,
    http_status: int | None = None,
    error_class: str | None = None,
    error: str | None = None,
    evidence: Any = None,
    payload: Mapping[str, Any] | None = None,
) -> None:
    """Move a row to ``state`` and record why. ``evidence`` goes to ``result_json['evidence']``."""
    cur = get_by_id(conn, row_id)
    result = dict(cur.result)
    if evidence is not None:
        result["evidence"] = evidence
    conn.execute(
        text(
            "UPDATE outbox SET state = :s, resolution = :r, next_attempt_at = :na, verify_after = :va, "
            "in_flight_attempt_id = CASE WHEN :s = 'in_flight' THEN in_flight_attempt_id ELSE NULL END, "
            "last_http_status = COALESCE(:hs, last_http_status), last_error_class = :ec, "
            "last_error = :err, result_json = :res, payload_json = :p, updated_at = :now WHERE id = :id"
        ),
        {
            "s": state,
            "r": resolution,
            "na": next_attempt_at,
            "va": verify_after,
            "hs": http_status,
            "ec": error_class,
            "err": _server_text(error, 1000),
            "res": _dumps(result) if result else None,
            "p": _dumps(dict(payload) if payload is not None else cur.payload),
            "now": now_iso(),
            "id": row_id,
        },
    )


# ---------------------------------------------------------------- the moderator's decisions


def resolve(conn: Connection, op_uuid: str, choice: str, *, note: str | None, decided_by: str) -> OutboxRow:
    """Apply the moderator's choice to a ``conflict``/``failed`` row (or discard a pending one)."""
    choice = choice.replace("-", "_")
    if choice not in CHOICES:
        raise InvalidInput(f"Choose one of: retry, apply-anyway, discard (not {choice!r}).")
    row = get(conn, op_uuid)
    if row is None:
        matches = [
            r
            for r in conn.execute(
                text(f"SELECT {_COLUMNS} FROM outbox WHERE op_uuid LIKE :p"), {"p": op_uuid.strip() + "%"}
            )
        ]
        if len(matches) == 1 and len(op_uuid.strip()) >= 6:
            row = _row(matches[0])
        else:
            raise InvalidInput(f"No queued action {op_uuid!r}.")
    if choice not in row.choices and not (choice == "retry" and row.state == "pending"):
        allowed = ", ".join(c.replace("_", "-") for c in row.choices) or "nothing (it is finished)"
        raise InvalidInput(
            f"“{row.describe()}” is {row.state}{'/' + row.resolution if row.resolution else ''}; "
            f"you can choose {allowed}."
        )
    result = dict(row.result)
    decisions = list(result.get("decisions") or [])
    decisions.append(
        {
            "choice": choice,
            "note": note,
            "by": decided_by,
            "at": now_iso(),
            "from_state": row.state,
            "from_resolution": row.resolution,
        }
    )
    result["decisions"] = decisions
    payload = dict(row.payload)
    if choice == "discard":
        state, resolution = "cancelled", "by_moderator"
    elif row.state == "pending":  # retry a waiting row: due now, everything else as it was
        state, resolution = "pending", None
    else:
        state, resolution = "pending", None
        payload["force"] = choice == "apply_anyway"
    conn.execute(
        text(
            "UPDATE outbox SET state = :s, resolution = :r, next_attempt_at = NULL, verify_after = NULL, "
            "in_flight_attempt_id = NULL, result_json = :res, payload_json = :p, updated_at = :now "
            "WHERE id = :id"
        ),
        {
            "s": state,
            "r": resolution,
            "res": _dumps(result),
            "p": _dumps(payload),
            "now": now_iso(),
            "id": row.id,
        },
    )
    return get_by_id(conn, row.id)


def clamp_schedule(conn: Connection) -> int:
    """Bring every stored retry or verification time further ahead than ``MAX_WAIT`` back to
    now + ``MAX_WAIT`` (SYNC.md §6.9: a clock jumped back, or a row written before the clamp), so
    the wait a push reports is the wait stored and no row is parked beyond it. Returns rows fixed."""
    cap = later(MAX_WAIT)
    fixed = 0
    for column in ("next_attempt_at", "verify_after"):
        res = conn.execute(
            text(
                f"UPDATE outbox SET {column} = :cap "
                f"WHERE state IN ('pending', 'in_flight') AND {column} > :cap"
            ),
            {"cap": cap},
        )
        fixed += int(res.rowcount or 0)
    return fixed


# ---------------------------------------------------------------- the dispatcher lease (SYNC.md §6.2)
#
# One row (id = 1): the owner (one per push), its pid and its last heartbeat. A pusher takes it
# at the start, renews it from a heartbeat thread for as long as it runs (waits included: a
# verification wait, a rate-limit wait, a slow request), and stops as soon as a renewal fails or
# finds another owner. Every send is preceded by :func:`mark_in_flight`, whose compare-and-set
# checks in one write transaction that the row is still pending and that this owner still holds
# a fresh lease; every other state change a pusher makes checks :func:`holds_lease` in its own
# transaction. So two pushers — two windows, or the CLI beside the app — never send one row.


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def lease_holder(conn: Connection) -> dict[str, Any] | None:
    r = conn.execute(text("SELECT owner, pid, heartbeat_at FROM dispatcher_lease WHERE id = 1")).first()
    return dict(r._mapping) if r is not None else None


def _fresh(holder: Mapping[str, Any], ttl: float) -> bool:
    beat = parse_iso(holder["heartbeat_at"]) or datetime.min.replace(tzinfo=UTC)
    return beat > clock.now() - timedelta(seconds=ttl)


def take_lease(conn: Connection, owner: str, *, ttl: float = LEASE_TTL) -> tuple[bool, dict[str, Any] | None]:
    """Take or refresh the single dispatcher lease. Returns (taken, holder if refused).

    A lease is free when absent, ours, older than ``ttl`` seconds, or held by a process of this
    machine that no longer exists (a console killed with -9 does not block the next one). A fresh
    lease of another owner is never taken, even from this same process (another window).
    """
    holder = lease_holder(conn)
    if (
        holder is not None
        and holder["owner"] != owner
        and _fresh(holder, ttl)
        and _pid_alive(int(holder["pid"]))
    ):
        return False, holder
    conn.execute(
        text(
            "INSERT INTO dispatcher_lease(id, owner, pid, heartbeat_at) VALUES (1, :o, :p, :h) "
            "ON CONFLICT(id) DO UPDATE SET owner = :o, pid = :p, heartbeat_at = :h"
        ),
        {"o": owner, "p": os.getpid(), "h": now_iso()},
    )
    return True, None


def renew_lease(conn: Connection, owner: str) -> bool:
    """The heartbeat: refresh the lease if ``owner`` still holds it. False when another owner
    took it over (or it was released): the holder must stop and send nothing more."""
    res = conn.execute(
        text("UPDATE dispatcher_lease SET heartbeat_at = :h, pid = :p WHERE id = 1 AND owner = :o"),
        {"h": now_iso(), "p": os.getpid(), "o": owner},
    )
    return res.rowcount == 1


def holds_lease(conn: Connection, owner: str) -> bool:
    """Whether ``owner`` holds the lease now (inside the caller's write transaction, this holds
    until it commits: another pusher's takeover waits for the write lock)."""
    holder = lease_holder(conn)
    return holder is not None and holder["owner"] == owner


def release_lease(conn: Connection, owner: str) -> None:
    conn.execute(text("DELETE FROM dispatcher_lease WHERE id = 1 AND owner = :o"), {"o": owner})


# ---------------------------------------------------------------- audit journal

AUDIT_FIELDS = (
    "op_uuid",
    "created_at",
    "created_by",
    "kind",
    "action",
    "note",
    "state",
    "resolution",
    "attempts",
    "last_http_status",
    "last_error",
    "server_response",
    "evidence",
    "decisions",
    "request_log",
    "updated_at",
)


def audit_entries(conn: Connection, since: str | None = None) -> list[dict[str, Any]]:
    """One record per action: who, when, what, why, result and the server's answers."""
    out: list[dict[str, Any]] = []
    for row in rows(conn, since=since):
        atts = attempts_of(conn, row.id)
        last_resp = next((a["response_excerpt"] for a in reversed(atts) if a.get("response_excerpt")), None)
        log = "; ".join(
            f"{a['kind']} {a['request_line']} -> {a['http_status'] or a['error_class'] or '?'} "
            f"({a['outcome']})"
            for a in atts
        )
        decisions = row.result.get("decisions") or []
        out.append(
            {
                "op_uuid": row.op_uuid,
                "created_at": row.created_at,
                "created_by": row.created_by,
                "kind": row.kind,
                "action": row.describe(),
                "note": row.note or "",
                "state": row.state,
                "resolution": row.resolution or "",
                "attempts": row.attempts,
                "last_http_status": row.last_http_status if row.last_http_status is not None else "",
                "last_error": row.last_error or "",
                "server_response": last_resp or "",
                "evidence": _dumps(row.result.get("evidence"))
                if row.result.get("evidence") is not None
                else "",
                "decisions": "; ".join(
                    f"{d.get('at')} {d.get('by')}: {d.get('choice')}"
                    + (f" ({d.get('note')})" if d.get("note") else "")
                    for d in decisions
                ),
                "request_log": log,
                "updated_at": row.updated_at,
            }
        )
    return out


def write_audit_csv(conn: Connection, path: str | Path, since: str | None = None) -> int:
    """Write the journal as CSV (UTF-8 with BOM so spreadsheet tools read accents). Returns rows written."""
    entries = audit_entries(conn, since)
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        w = SafeDictWriter(fh, fieldnames=list(AUDIT_FIELDS))
        w.writeheader()
        for e in entries:
            w.writerow({k: e.get(k, "") for k in AUDIT_FIELDS})
    os.replace(tmp, p)
    return len(entries)


__all__ = [
    "ACTIVE_STATES",
    "APPLY_ANYWAY_KINDS",
    "AUDIT_FIELDS",
    "CHOICES",
    "FINAL_STATES",
    "LEASE_TTL",
    "OPEN_STATES",
    "Inserted",
    "OutboxRow",
    "active_rows",
    "attempts_of",
    "audit_entries",
    "changes_for",
    "clamp_schedule",
    "counts",
    "describe",
    "finish_send_attempt",
    "get",
    "get_by_id",
    "holds_lease",
    "insert",
    "later",
    "lease_holder",
    "mark_in_flight",
    "now_iso",
    "parse_iso",
    "ready_rows",
    "record_attempt",
    "release_lease",
    "renew_lease",
    "resolve",
    "rows",
    "set_state",
    "take_lease",
    "write_audit_csv",
]


# ---------------------------------------------------------------- what a row touches (for Changes)


def changes_for(row_id: int, kind: str, p: Mapping[str, Any]) -> Changes:
    """The outbox row plus the ids of everything the action overlays, so views refresh only those."""
    ids: dict[str, set[int]] = {
        "topic_ids": set(),
        "post_ids": set(),
        "user_ids": set(),
        "badge_ids": set(),
        "group_ids": set(),
    }
    for key, bucket in (
        ("topic_id", "topic_ids"),
        ("post_id", "post_ids"),
        ("user_id", "user_ids"),
        ("badge_id", "badge_ids"),
        ("group_id", "group_ids"),
    ):
        v = p.get(key)
        if isinstance(v, int) and not isinstance(v, bool):
            ids[bucket].add(v)
    return Changes(
        outbox_ids=frozenset({row_id}),
        topic_ids=frozenset(ids["topic_ids"]),
        post_ids=frozenset(ids["post_ids"]),
        user_ids=frozenset(ids["user_ids"]),
        badge_ids=frozenset(ids["badge_ids"]),
        group_ids=frozenset(ids["group_ids"]),
        user_badges=kind in ("grant_badge", "revoke_badge"),
    )
