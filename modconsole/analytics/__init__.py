"""Engagement analytics over the cache (Qt-free): KPI definitions, computation, snapshots, imports, exports.

Entry points: :func:`compute` (all KPIs for a period by day/week/month, with the previous period),
:data:`KPIS` (the definitions shown in the app), :func:`freeze_closed_months` /
:func:`snapshot_diffs`, :func:`monthly_report`, :func:`import_customer_accounts`, :func:`import_survey`.
"""

from modconsole.analytics.breakdown import BreakdownRow, breakdown
from modconsole.analytics.definitions import DEFINITIONS_VERSION, GROUPS, KPIS, KpiDef, kpi
from modconsole.analytics.export import MonthlyReport, format_change, format_value, monthly_report, series_csv
from modconsole.analytics.filters import DrillFilter
from modconsole.analytics.imports import (
    CsvFormatError,
    ImportProblem,
    ImportResult,
    import_customer_accounts,
    import_survey,
)
from modconsole.analytics.kpis import KpiResult, compute, compute_buckets
from modconsole.analytics.periods import Bucket, Granularity, Period, buckets, last_months, month_period
from modconsole.analytics.settings import AnalyticsSettings, EmployeeRule, load_settings, save_settings
from modconsole.analytics.snapshots import SnapshotDiff, freeze_closed_months, refreeze, snapshot_diffs

__all__ = [
    "DEFINITIONS_VERSION",
    "GROUPS",
    "KPIS",
    "AnalyticsSettings",
    "BreakdownRow",
    "Bucket",
    "CsvFormatError",
    "DrillFilter",
    "EmployeeRule",
    "Granularity",
    "ImportProblem",
    "ImportResult",
    "KpiDef",
    "KpiResult",
    "MonthlyReport",
    "Period",
    "SnapshotDiff",
    "breakdown",
    "buckets",
    "compute",
    "compute_buckets",
    "format_change",
    "format_value",
    "freeze_closed_months",
    "import_customer_accounts",
    "import_survey",
    "kpi",
    "last_months",
    "load_settings",
    "month_period",
    "monthly_report",
    "refreeze",
    "save_settings",
    "series_csv",
    "snapshot_diffs",
]
