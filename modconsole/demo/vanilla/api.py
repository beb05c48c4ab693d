"""Vanilla API v2 plumbing for the demo: error bodies, the request context and its permissions,
query parsing (range expressions, date filters, CSV), timestamps and paging (``Link`` header).

Shapes follow ``shared/vanilla/CONTRACT.md`` §1, §3.4 and §8."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from modconsole.demo.core import HttpError, parse_iso

# ---------------------------------------------------------------- errors (§8)


def api_error(status: int, message: str, **extra: Any) -> HttpError:
    """Every Vanilla error: JSON with at least ``message`` and ``status``, context keys merged in."""
    return HttpError(status, {"message": message, "status": status, **extra})


def not_found(record: str) -> HttpError:
    return api_error(404, f"{record} not found.")


def permission(*perms: str) -> HttpError:
    return api_error(
        403,
        "Permission Problem",
        permissions=list(perms),
        description=f"You need the {perms[0]} permission to do that.",
    )


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str
    status: int = 422


def validation(*errors: FieldError) -> HttpError:
    """garden-schema's ``ValidationException``: status = the highest per-field status (400 if none)."""
    status = max((e.status for e in errors), default=400)
    return api_error(
        status,
        "Validation Failed",
        errors=[{"field": e.field, "code": e.code, "message": e.message, "status": e.status} for e in errors],
    )


# ---------------------------------------------------------------- time


def vtime(stored: str | None) -> str | None:
    """A store timestamp (``…T14:05:09.123Z``) as Vanilla writes it (RFC 3339, ``+00:00``, seconds)."""
    if not stored:
        return None
    return parse_iso(stored).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# ---------------------------------------------------------------- permissions

GUEST_PERMS = ("Vanilla.Discussions.View", "Garden.Profiles.View")
MEMBER_PERMS = (*GUEST_PERMS, "Vanilla.Discussions.Add", "Vanilla.Comments.Add", "Reactions.Positive.Add")
# Badges.Give and Groups.Members.Manage: the exact keys of the closed addons are not known (CONTRACT §11);
# the demo names them so and gives them to moderators.
MODERATOR_PERMS = (
    *MEMBER_PERMS,
    "Garden.PersonalInfo.View",
    "Garden.Curation.Manage",
    "Garden.Moderation.Manage",
    "Garden.Staff.Allow",
    "Badges.Give",
    "Groups.Members.Manage",
)
ADMIN_PERMS = (
    *MODERATOR_PERMS,
    "Garden.Settings.Manage",
    "Garden.Users.Edit",
    "Garden.Community.Manage",
    "Garden.Tokens.Add",
)


@dataclass
class VCtx:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    base_url: str
    user: dict[str, Any] | None = None  # a users row; None = guest
    auth_error: str | None = None  # why a sent token was refused (the request then runs as a guest)
    headers: dict[str, str] = field(default_factory=dict)  # extra response headers (paging)

    @property
    def uid(self) -> int:
        return int(self.user["id"]) if self.user else 0

    @property
    def role(self) -> str:
        if self.user is None:
            return "guest"
        if self.user["admin"]:
            return "admin"
        if self.user["moderator"]:
            return "moderator"
        return "member"

    @property
    def permissions(self) -> tuple[str, ...]:
        return {
            "guest": GUEST_PERMS,
            "member": MEMBER_PERMS,
            "moderator": MODERATOR_PERMS,
            "admin": ADMIN_PERMS,
        }[self.role]

    def has(self, perm: str) -> bool:
        return perm in self.permissions

    def require(self, perm: str) -> None:
        if not self.has(perm):
            raise permission(perm)

    def require_signed_in(self) -> None:
        if self.user is None:
            raise permission("Garden.SignIn.Allow")

    @property
    def staff(self) -> bool:
        return self.has("Garden.Staff.Allow")

    # -- query
    def q(self, name: str) -> str | None:
        for key in (name, name + "[]"):
            vals = self.query.get(key)
            if vals:
                return vals[0]
        return None

    def csv(self, name: str) -> list[str]:
        out: list[str] = []
        for key in (name, name + "[]"):
            for v in self.query.get(key, []):
                out.extend(x.strip() for x in v.split(",") if x.strip())
        return out

    def int_q(
        self, name: str, default: int | None = None, *, lo: int | None = None, hi: int | None = None
    ) -> int | None:
        raw = self.q(name)
        if raw is None or raw == "":
            return default
        if not re.fullmatch(r"-?\d+", raw):
            raise validation(FieldError(name, "invalid", f"{name} is not a valid integer."))
        v = int(raw)
        if lo is not None and v < lo:
            raise validation(FieldError(name, "min", f"{name} must be greater than or equal to {lo}."))
        if hi is not None and v > hi:
            raise validation(FieldError(name, "max", f"{name} must be less than or equal to {hi}."))
        return v

    def bool_q(self, name: str) -> bool | None:
        raw = self.q(name)
        if raw is None or raw == "":
            return None
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        raise validation(FieldError(name, "invalid", f"{name} is not a valid boolean."))

    def expand(self) -> set[str]:
        return set(self.csv("expand"))

    def body_field(self, name: str) -> Any:
        return self.body.get(name) if isinstance(self.body, dict) else None


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class Range:
    """An ID range expression: ``>=N``, ``<=N``, ``>N``, ``<N``, ``a..b``, ``[a,b]``/``(a,b)``, CSV, N."""

    sql: str
    args: tuple[int, ...]
    lo: int | None = None  # inclusive bounds when the expression is a single interval (cursor paging)
    hi: int | None = None


_INT = r"-?\d+"


def parse_range(name: str, text: str, column: str) -> Range:
    t = text.strip()
    bad = validation(FieldError(name, "invalid", f"{name} is not a valid range expression."))
    if re.fullmatch(_INT, t):
        v = int(t)
        return Range(f"{column} = ?", (v,), v, v)
    m = re.fullmatch(rf"(>=|<=|>|<|=)({_INT})", t)
    if m:
        op, v = m.group(1), int(m.group(2))
        lo = {">=": v, ">": v + 1, "=": v}.get(op)
        hi = {"<=": v, "<": v - 1, "=": v}.get(op)
        return Range(f"{column} {op} ?", (v,), lo, hi)
    m = re.fullmatch(rf"({_INT})?\.\.({_INT})?", t)
    if m and (m.group(1) or m.group(2)):
        lo2 = int(m.group(1)) if m.group(1) else None
        hi2 = int(m.group(2)) if m.group(2) else None
        parts, args = [], []
        if lo2 is not None:
            parts.append(f"{column} >= ?")
            args.append(lo2)
        if hi2 is not None:
            parts.append(f"{column} <= ?")
            args.append(hi2)
        return Range(" AND ".join(parts), tuple(args), lo2, hi2)
    m = re.fullmatch(rf"([\[(])\s*({_INT})\s*,\s*({_INT})\s*([\])])", t)
    if m:
        lo3 = int(m.group(2)) + (1 if m.group(1) == "(" else 0)
        hi3 = int(m.group(3)) - (1 if m.group(4) == ")" else 0)
        return Range(f"{column} BETWEEN ? AND ?", (lo3, hi3), lo3, hi3)
    if re.fullmatch(rf"{_INT}(\s*,\s*{_INT})+", t):
        vals = tuple(int(x) for x in t.split(","))
        return Range(f"{column} IN ({','.join('?' * len(vals))})", vals)
    raise bad


def _parse_dt(name: str, text: str) -> tuple[datetime, bool]:
    """A datetime (aware, UTC when no zone is given) and whether the text was a date only."""
    t = re.sub(r"\s(\d\d:\d\d)$", r"+\1", text.strip())  # a '+' sent unencoded arrives as a space
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            return parse_iso(t + "T00:00:00+00:00"), True
        dt = parse_iso(t)
    except ValueError:
        raise validation(FieldError(name, "invalid", f"{name} is not a valid datetime.")) from None
    if dt.tzinfo is None:
        dt = parse_iso(t + "+00:00")
    return dt, False


def _store(dt: datetime) -> str:
    from modconsole.demo.core import iso

    return iso(dt)


def parse_date_filter(name: str, text: str, column: str) -> tuple[str, tuple[str, ...]]:
    """Vanilla's DateFilterSchema: ``{op}{datetime}`` or an interval ``[a,b]``/``(a,b)``/mixed.
    Date-only bounds are widened to whole days; the end must be after the start."""
    t = text.strip()
    m = re.fullmatch(r"([\[(])([^,]+),([^,]+)([\])])", t)
    if m:
        a, _ = _parse_dt(name, m.group(2))
        b, b_day = _parse_dt(name, m.group(3))
        if b_day:
            b = b + timedelta(days=1) - timedelta(milliseconds=1)
        if b <= a:
            raise validation(FieldError(name, "invalid", "The end of the range must be after the start."))
        lo_op = ">=" if m.group(1) == "[" else ">"
        hi_op = "<=" if m.group(4) == "]" else "<"
        return f"{column} {lo_op} ? AND {column} {hi_op} ?", (_store(a), _store(b))
    m = re.fullmatch(r"(>=|<=|>|<|=)?(.+)", t)
    if not m:
        raise validation(FieldError(name, "invalid", f"{name} is not a valid date filter."))
    op = m.group(1) or "="
    dt, day = _parse_dt(name, m.group(2))
    if day:
        end = dt + timedelta(days=1) - timedelta(milliseconds=1)
        sql = {
            "=": (f"{column} BETWEEN ? AND ?", (_store(dt), _store(end))),
            ">=": (f"{column} >= ?", (_store(dt),)),
            ">": (f"{column} > ?", (_store(end),)),
            "<=": (f"{column} <= ?", (_store(end),)),
            "<": (f"{column} < ?", (_store(dt),)),
        }[op]
        return sql
    return f"{column} {op} ?", (_store(dt),)


# ---------------------------------------------------------------- paging (§3.4)


def page_links(
    ctx: VCtx, *, page: int, limit: int, full: bool, total: int | None, cursor: tuple[str, str] | None = None
) -> None:
    """Set ``Link`` and the ``x-app-page-*`` headers on ``ctx.headers``.

    ``full``: the page came back with ``limit`` rows before permission filtering (a "more" pager
    then offers ``next``). ``total``: the row count when counted (a numbered pager with ``last``).
    ``cursor``: (parameter, next value) to rewrite ``next`` as a key range with ``page=1``."""
    base = {k: v for k, v in ctx.query.items() if k not in ("page", "limit")}

    def url(p: int, override: dict[str, str] | None = None) -> str:
        q = {k: list(v) for k, v in base.items()}
        for k, v in (override or {}).items():
            q.pop(k + "[]", None)
            q[k] = [v]
        pairs = [(k, x) for k, vs in q.items() for x in vs] + [("page", str(p)), ("limit", str(limit))]
        return f"{ctx.base_url}{ctx.path}?{urlencode(pairs)}"

    last = max(1, -(-total // limit)) if total is not None else None
    links: dict[str, str] = {"first": url(1)}
    if cursor is not None:
        if full:
            links["next"] = url(1, {cursor[0]: cursor[1]})
    else:
        if page > 1:
            links["prev"] = url(page - 1)
        has_next = page < last if last is not None else full
        if has_next:
            links["next"] = url(page + 1)
        if last is not None:
            links["last"] = url(last)
    ctx.headers["Link"] = ", ".join(f'<{u}>; rel="{rel}"' for rel, u in links.items())
    for rel, u in links.items():
        ctx.headers[f"x-app-page-{rel}-url"] = u
    ctx.headers["x-app-page-current"] = str(page)
    ctx.headers["x-app-page-limit"] = str(limit)
    if total is not None:
        ctx.headers["x-app-page-result-count"] = str(total)
    if cursor is not None:
        ctx.headers["x-app-page-cursor"] = cursor[1]


def paging(ctx: VCtx, *, default: int, maximum: int, max_page: int | None = None) -> tuple[int, int]:
    page = ctx.int_q("page", 1, lo=1, hi=max_page)
    limit = ctx.int_q("limit", default, lo=1, hi=maximum)
    assert page is not None and limit is not None
    return page, limit


def sort_spec(ctx: VCtx, allowed: dict[str, str], default: str) -> tuple[str | None, str, bool]:
    """(the sort as sent or None for the default, the SQL ORDER BY, descending?) for a Vanilla ``sort``
    parameter; ``allowed`` maps a key to its columns, separated by ``|``."""
    sent = ctx.q("sort")
    raw = sent or default
    key = raw.lstrip("-")
    if key not in allowed:
        choices = ", ".join(f"{p}{k}" for k in allowed for p in ("", "-"))
        raise validation(FieldError("sort", "invalid", f"sort must be one of: {choices}."))
    desc = raw.startswith("-")
    col = allowed[key]
    order = ", ".join(f"{c.strip()} {'DESC' if desc else 'ASC'}" for c in col.split("|"))
    return sent, order, desc


# ---------------------------------------------------------------- routing

Handler = Callable[..., Any]
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for ``/api/v2`` + ``pattern`` (``{id}`` = an integer path parameter).

    A handler is ``(server, con, ctx, **params) -> (status, JSON value)``; 204 answers carry no body."""
    regex = re.compile("^/api/v2" + re.sub(r"\{(\w+)\}", r"(?P<\1>-?\\d+)", pattern) + "$")

    def deco(fn: Handler) -> Handler:
        ROUTES.append((method, regex, fn))
        return fn

    return deco
