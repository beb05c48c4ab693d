"""Monthly snapshots: each closed month's KPI values frozen, so past figures never change silently.

:func:`freeze_closed_months` stores every KPI of every closed month that has no snapshot yet, with
:data:`~modconsole.analytics.definitions.DEFINITIONS_VERSION`. Later syncs may change old data
(an edit, a late reply, a deleted topic); :func:`snapshot_diffs` recomputes the frozen months and
lists every figure that now disagrees, so the app can show the difference instead of quietly
rewriting last quarter. Re-freezing (accepting the new values) is an explicit act: :func:`refreeze`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.analytics.coverage import read_coverage
from modconsole.analytics.definitions import DEFINITIONS_VERSION, format_value, kpi
from modconsole.analytics.kpis import compute_buckets
from modconsole.analytics.periods import Bucket, add_months, month_key, month_period
from modconsole.analytics.settings import AnalyticsSettings

__all__ = [
    "Snapshot",
    "SnapshotDiff",
    "closed_months",
    "freeze_closed_months",
    "frozen",
    "refreeze",
    "snapshot_diffs",
]


@dataclass(frozen=True)
class Snapshot:
    month: str
    values: dict[str, float | None]
    definitions_version: int
    frozen_at: str


@dataclass(frozen=True)
class SnapshotDiff:
    month: str
    kpi: str
    frozen: float | None
    current: float | None
    frozen_version: int

    @property
    def definitions_changed(self) -> bool:
        return self.frozen_version != DEFINITIONS_VERSION

    def describe(self) -> str:
        k = kpi(self.kpi)
        why = " (definitions changed since)" if self.definitions_changed else ""
        return (
            f"{self.month} · {k.title}: frozen {format_value(self.kpi, self.frozen)}, "
            f"now {format_value(self.kpi, self.current)}{why}"
        )


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _first_month(conn: Connection) -> date | None:
    row = conn.execute(
        text(
            "SELECT min(m) FROM (SELECT min(created_at) AS m FROM users "
            "UNION ALL SELECT min(created_at) FROM topics)"
        )
    ).scalar()
    if not row:
        return None
    return date(int(row[:4]), int(row[5:7]), 1)


def closed_months(conn: Connection, now: datetime) -> list[str]:
    """Every month from the community's first to the last one that ended before ``now``."""
    first = _first_month(conn)
    if first is None:
        return []
    current = date(now.year, now.month, 1)
    out = []
    d = first
    while d < current:
        out.append(month_key(d))
        d = add_months(d, 1)
    return out


def frozen(conn: Connection, months: Iterable[str] | None = None) -> dict[str, Snapshot]:
    """Stored snapshots by month."""
    cols = "SELECT month, kpi, value, definitions_version, frozen_at FROM kpi_snapshots"
    if months is None:
        rows = conn.execute(text(f"{cols} ORDER BY month")).all()
    else:
        rows = conn.execute(
            text(f"{cols} WHERE month IN (SELECT value FROM json_each(:m)) ORDER BY month"),
            {"m": json.dumps(sorted(set(months)))},
        ).all()
    out: dict[str, Snapshot] = {}
    for month, k, v, ver, at in rows:
        snap = out.get(month)
        if snap is None:
            snap = out[month] = Snapshot(month, {}, int(ver), str(at))
        snap.values[str(k)] = None if v is None else float(v)
    return out


def _month_buckets(months: Sequence[str]) -> list[Bucket]:
    out = []
    for m in months:
        p = month_period(m)
        out.append(Bucket(m, p.start, p.end))
    return out


def _contiguous(months: Sequence[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    for m in sorted(months):
        if runs and month_key(add_months(month_period(runs[-1][-1]).start, 1)) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _recompute(
    conn: Connection, settings: AnalyticsSettings, months: Sequence[str], now: datetime
) -> dict[str, dict[str, float | None]]:
    out: dict[str, dict[str, float | None]] = {}
    for run in _contiguous(months):
        values = compute_buckets(conn, settings, _month_buckets(run), now=now)
        for i, m in enumerate(run):
            out[m] = {k: v[i] for k, v in values.items()}
    return out


def _store(conn: Connection, month: str, values: dict[str, float | None], now: datetime) -> None:
    at = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    conn.execute(text("DELETE FROM kpi_snapshots WHERE month = :m"), {"m": month})
    conn.execute(
        text(
            "INSERT INTO kpi_snapshots (month, kpi, value, definitions_version, frozen_at) "
            "VALUES (:m, :k, :v, :ver, :at)"
        ),
        [
            {"m": month, "k": k, "v": v, "ver": DEFINITIONS_VERSION, "at": at}
            for k, v in sorted(values.items())
        ],
    )


def freeze_closed_months(
    conn: Connection, settings: AnalyticsSettings, now: datetime | None = None
) -> list[str]:
    """Freeze every closed month without a snapshot; returns the months frozen now.

    Nothing is frozen while a first sync is running: a month it has not completed would be frozen
    with half its figures (and one it has completed may still lack its members or server series).
    """
    now = now or clock.now()
    if read_coverage(conn).syncing:
        return []
    have = set(frozen(conn))
    todo = [m for m in closed_months(conn, now) if m not in have]
    if not todo:
        return []
    for m, values in _recompute(conn, settings, todo, now).items():
        _store(conn, m, values, now)
    return todo


def snapshot_diffs(
    conn: Connection,
    settings: AnalyticsSettings,
    now: datetime | None = None,
    months: Iterable[str] | None = None,
    *,
    snaps: Mapping[str, Snapshot] | None = None,
    known: Mapping[str, Mapping[str, float | None]] | None = None,
) -> list[SnapshotDiff]:
    """Frozen figures that a recomputation today would give differently.

    ``snaps``: the snapshots already read (else read here); ``known``: today's values of whole
    months the caller has just computed (the dashboard's monthly series), not computed again.
    """
    now = now or clock.now()
    if snaps is None:
        snaps = frozen(conn, months)
    if not snaps:
        return []
    known = known or {}
    current: dict[str, Mapping[str, float | None]] = {m: known[m] for m in snaps if m in known}
    todo = sorted(m for m in snaps if m not in known)
    if todo:
        current.update(_recompute(conn, settings, todo, now))
    out: list[SnapshotDiff] = []
    for m, snap in sorted(snaps.items()):
        for k, v in sorted(snap.values.items()):
            try:
                kpi(k)
            except KeyError:
                continue
            now_v = current.get(m, {}).get(k)
            if not _same(v, now_v):
                out.append(SnapshotDiff(m, k, v, now_v, snap.definitions_version))
    return out


def refreeze(
    conn: Connection, settings: AnalyticsSettings, months: Iterable[str], now: datetime | None = None
) -> None:
    """Accept today's values for ``months`` (an explicit decision, e.g. after a definitions change)."""
    now = now or clock.now()
    for m, values in _recompute(conn, settings, sorted(set(months)), now).items():
        _store(conn, m, values, now)
