"""Stage ``reports``: the admin report series (staff)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from modconsole import clock
from modconsole.cache import repo
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import Report, parse_report
from modconsole.connectors.discourse.sync.base import Stage
from modconsole.connectors.discourse.sync.run import chart_reports, day, parse_iso
from modconsole.errors import NotFound, PermissionDenied


class ReportsStage(Stage):
    """Stage ``reports``."""

    def read_report(self, rtype: str, start: date, end: date) -> Report | None:
        """One admin report over ``start``–``end``; ``None`` when this key may not read it (or the
        site has no such report)."""
        path = ep.report(rtype).path
        try:
            _, report = self._get_parsed(
                path, {"start_date": start.isoformat(), "end_date": end.isoformat()}, parse_report
            )
        except (NotFound, PermissionDenied):
            return None
        return report

    def sync_reports(self, *, force: bool) -> None:
        with self._cache.read() as conn:
            cur = self._cursor(conn, "reports")
        if not force and cur.last_complete_pass_at is not None:
            return
        now = parse_iso(self._now()) or clock.now()
        end = now.date()
        start = end - timedelta(days=self._opts.report_days)
        charts = chart_reports(self._opts)
        for i, rtype in enumerate(charts):
            report = self.read_report(rtype, start, end)
            if report is None:
                continue
            rows = [
                {
                    "report_type": rtype,
                    "facet": "",
                    "date": day(p.x),
                    "value": p.y,
                    "fetched_at": self._now(),
                }
                for s in report.series[:1]
                for p in s.points
            ]
            with self._cache.write() as conn:
                n = len(
                    repo.upsert_report_points(
                        conn, [{k: v for k, v in r.items() if k != "fetched_at"} for r in rows]
                    )
                )
                if n:
                    self._flag("reports", n)
            self._emit(i + 1, len(charts))
        with self._cache.write() as conn:
            repo.put_cursor(conn, replace(self._cursor(conn, "reports"), last_complete_pass_at=self._now()))
