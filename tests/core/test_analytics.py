"""Analytics KPIs against the demo generator's ground truth, over a cache filled by a real sync."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from modconsole.analytics import (
    KPIS,
    AnalyticsSettings,
    CsvFormatError,
    EmployeeRule,
    Period,
    breakdown,
    compute,
    freeze_closed_months,
    import_customer_accounts,
    import_survey,
    load_settings,
    monthly_report,
    save_settings,
    series_csv,
    snapshot_diffs,
)
from modconsole.analytics.business import BusinessClock
from modconsole.analytics.imports import parse_customer_accounts
from modconsole.analytics.periods import add_months, buckets
from modconsole.cache.db import Cache
from modconsole.demo.generator import generate, read_ground_truth
from modconsole.demo.server import DemoServer
from modconsole.services.sla import SlaSettings, business_seconds_between
from tests.conftest import copy_db
from tests.core.sync_support import act, engine_for, sync

DEMO_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

# ground-truth key -> KPI id (counts and exact medians)
MAPPING = {
    "signups": "signups",
    "members_end": "members_total",
    "new_topics": "new_topics",
    "new_replies": "new_replies",
    "new_posts": "new_posts",
    "active_contributors": "active_contributors",
    "active_customer_contributors": "active_customer_contributors",
    "questions_asked": "questions_asked",
    "questions_answered": "questions_answered",
    "questions_solved": "questions_solved",
    "solutions_accepted": "solutions_accepted",
    "ttfr_count": "ttfr_count",
    "ttfr_median_s": "ttfr_median",
    "ttfr_p90_s": "ttfr_p90",
    "first_responses_by_employees": "first_responses_by_employees",
    "first_responses_by_customers": "first_responses_by_customers",
    "accepted_by_employees": "accepted_by_employees",
    "accepted_by_customers": "accepted_by_customers",
    "likes": "likes",
    "visits": "visits",
}


class Synced:
    def __init__(self, store: Path, cache_path: Path) -> None:
        self.store = store
        self.cache_path = cache_path
        self.truth = read_ground_truth(store)
        self.server = DemoServer(store)
        self.server.start()
        try:
            self.engine, self.client, self.cache = engine_for(self.server, cache_path, report_days=800)
            self.report = sync(self.engine)
        except BaseException:
            self.server.stop()  # the fixture's teardown never runs when its setup fails
            raise

    def close(self) -> None:
        self.cache.close()
        self.client.close()
        self.server.stop()

    @property
    def months(self) -> list[str]:
        return list(self.truth["months"])

    def period(self) -> Period:
        first = date.fromisoformat(self.months[0] + "-01")
        return Period(first, add_months(first, len(self.months)))

    def month_truth(self, m: str) -> dict[str, Any]:
        key = f"month:{m}"
        if key in self.truth:
            return dict(self.truth[key])
        return dict(self.truth["per_month"][m])


def _synced(tmp: Path, store: Path) -> Synced:
    s = Synced(store, tmp / "cache.sqlite3")
    if not s.report.finished:
        s.close()
        raise AssertionError(f"the first sync did not finish: {s.report}")
    return s


@pytest.fixture(scope="module")
def tiny(tiny_community_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synced]:
    tmp = tmp_path_factory.mktemp("analytics-tiny")
    s = _synced(tmp, copy_db(tiny_community_master, tmp / "store.sqlite3"))
    yield s
    s.close()


@pytest.fixture
def tiny_private(tiny_community_master: Path, tmp_path: Path) -> Iterator[Synced]:
    """A synced tiny community this test may change."""
    s = _synced(tmp_path, copy_db(tiny_community_master, tmp_path / "store.sqlite3"))
    yield s
    s.close()


def _mismatches(s: Synced, series: dict[str, tuple[float | None, ...]]) -> list[str]:
    bad = []
    for i, m in enumerate(s.months):
        truth = s.month_truth(m)
        for gk, kk in MAPPING.items():
            want, got = truth[gk], series[kk][i]
            if (want is None) != (got is None) or (want is not None and want != got):
                bad.append(f"{m} {kk}: truth {want}, computed {got}")
    return bad


def _check_against_truth(s: Synced) -> None:
    with s.cache.read() as conn:
        settings = load_settings(conn)
        result = compute(conn, settings, s.period(), "month", now=DEMO_NOW)
    assert _mismatches(s, dict(result.series)) == []
    totals = s.truth["totals"]
    assert result.series["unanswered_backlog"][-1] == totals["unanswered_questions"]
    assert result.totals["questions_asked"] == totals["questions"]
    assert result.totals["questions_answered"] == totals["questions_answered"]
    assert result.totals["questions_solved"] == totals["solved"]
    assert result.totals["members_total"] == totals["members"]
    assert result.totals["likes"] == totals["likes"]
    assert result.totals["visits"] == totals["user_visits"]
    # derived figures follow from the exact counts
    last = len(s.months) - 1
    truth = s.month_truth(s.months[last])
    if truth["questions_asked"]:
        want = 100.0 * truth["questions_answered"] / truth["questions_asked"]
        assert result.series["answer_rate"][last] == pytest.approx(want)
    fr = truth["first_responses_by_customers"] + truth["first_responses_by_employees"]
    if fr:
        want = 100.0 * truth["first_responses_by_customers"] / fr
        assert result.series["p2p_first_response"][last] == pytest.approx(want)
    want_pct = 100.0 * truth["active_contributors"] / truth["members_end"]
    assert result.series["active_contributors_pct"][last] == pytest.approx(want_pct)


def test_every_kpi_matches_ground_truth_tiny(tiny: Synced) -> None:
    _check_against_truth(tiny)


def test_every_kpi_matches_ground_truth_small(tmp_path: Path) -> None:
    store = tmp_path / "small.sqlite3"
    generate(store, size="small", seed=3)
    s = _synced(tmp_path, store)
    try:
        _check_against_truth(s)
    finally:
        s.close()


def test_every_kpi_has_a_definition_and_a_value(tiny: Synced) -> None:
    with tiny.cache.read() as conn:
        result = compute(conn, load_settings(conn), tiny.period(), "month", now=DEMO_NOW)
    assert set(result.series) == {k.id for k in KPIS}
    for k in KPIS:
        assert len(k.definition) > 20, k.id
    # without a survey and without customer accounts those stay empty, the rest has data
    empty = {k for k, v in result.totals.items() if v is None}
    assert empty == {"attach_rate", "csat", "effort"}


def test_week_and_day_buckets_add_up_to_the_month(tiny: Synced) -> None:
    m = tiny.months[-2]
    p = Period(date.fromisoformat(m + "-01"), add_months(date.fromisoformat(m + "-01"), 1))
    with tiny.cache.read() as conn:
        settings = load_settings(conn)
        by_day = compute(conn, settings, p, "day", now=DEMO_NOW)
        by_week = compute(conn, settings, p, "week", now=DEMO_NOW)
        by_month = compute(conn, settings, p, "month", now=DEMO_NOW)
    for k in ("signups", "new_topics", "new_replies", "questions_asked", "questions_answered", "likes"):
        month_value = by_month.series[k][0] or 0
        assert sum(v or 0 for v in by_day.series[k]) == month_value, k
        assert sum(v or 0 for v in by_week.series[k]) == month_value, k
    # distinct contributors: a day's set is a subset of the month's
    assert max(v or 0 for v in by_day.series["active_contributors"]) <= (
        by_month.series["active_contributors"][0] or 0
    )
    assert by_month.totals["active_contributors"] == tiny.month_truth(m)["active_contributors"]
    # the previous period is the month before
    prev = tiny.month_truth(tiny.months[-3])
    assert by_month.previous["questions_asked"] == prev["questions_asked"]


def test_employee_rule_changes_peer_to_peer(tiny: Synced) -> None:
    store = sqlite3.connect(tiny.store)
    staff = [r[0] for r in store.execute("SELECT username FROM users WHERE admin = 1 OR moderator = 1")]
    store.close()
    with tiny.cache.read() as conn:
        default = load_settings(conn)
        base = compute(conn, default, tiny.period(), "month", now=DEMO_NOW).totals
        only_staff = replace(default, employees=EmployeeRule(staff=True, staff_domains=False))
        staff_only = compute(conn, only_staff, tiny.period(), "month", now=DEMO_NOW).totals
        by_names = replace(
            default, employees=EmployeeRule(staff=False, staff_domains=False, usernames=tuple(staff))
        )
        named = compute(conn, by_names, tiny.period(), "month", now=DEMO_NOW).totals
        by_group = replace(
            default, employees=EmployeeRule(staff=False, staff_domains=False, groups=("Employees",))
        )
        grouped = compute(conn, by_group, tiny.period(), "month", now=DEMO_NOW).totals
        by_domain = replace(
            default, employees=EmployeeRule(staff=False, staff_domains=False, domains=("@fernhill.example",))
        )
        domained = compute(conn, by_domain, tiny.period(), "month", now=DEMO_NOW).totals
    # support engineers and product managers answer a lot: counted as customers, P2P rises
    assert staff_only["p2p_first_response"] is not None and base["p2p_first_response"] is not None
    assert staff_only["p2p_first_response"] > base["p2p_first_response"]
    assert staff_only["first_responses_by_employees"] < base["first_responses_by_employees"]
    # their own Q&A topics become "questions" too
    assert staff_only["questions_asked"] >= base["questions_asked"]
    # a username list of the staff is the staff rule; the 'employees' group and the vendor domain
    # are the default rule (the ground truth's is_employee)
    assert named == staff_only
    assert grouped == base
    assert domained == base
    with tiny.cache.read() as conn:
        truth_fr = sum(tiny.month_truth(m)["first_responses_by_customers"] for m in tiny.months)
    assert base["first_responses_by_customers"] == truth_fr


def test_settings_round_trip(tiny_private: Synced) -> None:
    s = AnalyticsSettings(
        employees=EmployeeRule(staff=False, domains=("Acme.COM",), groups=("Support",), usernames=("@Bob",)),
        deflection_rate=0.1,
        cost_per_ticket=40,
        currency="EUR",
    )
    with tiny_private.cache.write() as conn:
        save_settings(conn, s)
    with tiny_private.cache.read() as conn:
        back = load_settings(conn)
    assert back.employees == EmployeeRule(
        staff=False, domains=("acme.com",), groups=("support",), usernames=("bob",)
    )
    assert (back.deflection_rate, back.cost_per_ticket, back.currency) == (0.1, 40, "EUR")
    with pytest.raises(Exception, match="deflection rate"):
        AnalyticsSettings(deflection_rate=2)


def test_deflection_uses_the_settings(tiny: Synced) -> None:
    store = sqlite3.connect(tiny.store)
    views = store.execute(
        "SELECT sum(t.views) FROM topics t JOIN solutions s ON s.topic_id = t.id WHERE t.deleted_at IS NULL "
        "AND t.is_question = 1"
    ).fetchone()[0]
    store.close()
    with tiny.cache.read() as conn:
        settings = replace(load_settings(conn), deflection_rate=0.2, cost_per_ticket=10.0)
        totals = compute(conn, settings, tiny.period(), "month", now=DEMO_NOW).totals
    assert totals["deflected_tickets"] == pytest.approx(views * 0.2)
    assert totals["deflection_savings"] == pytest.approx(views * 0.2 * 10.0)


# ---------------------------------------------------------------- imports


def test_customer_accounts_import_gives_the_attach_rate(tiny_private: Synced) -> None:
    store = sqlite3.connect(tiny_private.store)
    companies = store.execute(
        "SELECT name, domain FROM companies WHERE domain <> 'fernhill.example'"
    ).fetchall()
    store.close()
    lines = ["name,domains", *(f'"{n}",{d}' for n, d in companies)]
    with tiny_private.cache.write() as conn:
        result = import_customer_accounts(conn, "\n".join(lines) + "\n")
    assert result.ok and result.imported == len(companies)
    totals = tiny_private.truth["totals"]
    with tiny_private.cache.read() as conn:
        got = compute(conn, load_settings(conn), tiny_private.period(), "month", now=DEMO_NOW)
        customers = conn.exec_driver_sql("SELECT count(*) FROM companies WHERE is_customer = 1").scalar()
    want = 100.0 * totals["customer_companies_with_members"] / totals["customer_companies"]
    assert got.totals["attach_rate"] == pytest.approx(want)
    assert customers == totals["customer_companies_with_members"]
    # the attach rate only grows month by month
    rates = [v for v in got.series["attach_rate"] if v is not None]
    assert rates == sorted(rates)


def test_customer_accounts_bad_rows_are_reported(tiny_private: Synced) -> None:
    csv_text = (
        "Name;Domains\n"
        "Acme;acme.example\n"
        ";nobody.example\n"
        "Acme;other.example\n"
        "Beta;not a domain!\n"
        "Gamma;acme.example\n"
        "Delta;\n"
        "Epsilon;@epsilon.example | eps.example\n"
    )
    with tiny_private.cache.write() as conn:
        result = import_customer_accounts(conn, csv_text)
    assert result.imported == 2
    msgs = [str(p) for p in result.problems]
    assert msgs == [
        "Line 3: the account name is empty.",
        "Line 4: 'Acme' is already on line 2.",
        "Line 5: 'not' is not an e-mail domain (expected something like acme.com).",
        "Line 6: the domain 'acme.example' is already used on line 2.",
        "Line 7: 'Delta' has no e-mail domain.",
    ]
    assert "2 rows" in result.summary() and "5 row(s) skipped" in result.summary()
    with tiny_private.cache.read() as conn:
        stored = conn.exec_driver_sql("SELECT name, domains FROM customer_accounts ORDER BY name").all()
    assert stored == [("Acme", '["acme.example"]'), ("Epsilon", '["epsilon.example", "eps.example"]')]
    with pytest.raises(CsvFormatError, match="'domains' column is missing"):
        parse_customer_accounts("name,website\nAcme,acme.example\n")
    with pytest.raises(CsvFormatError, match="empty"):
        parse_customer_accounts("  \n")


def test_survey_import_and_scores(tiny_private: Synced) -> None:
    m = tiny_private.months[-2]
    csv_text = (
        "date,csat,effort,email\n"
        f"{m}-03,5,2,a@x.example\n"
        f"{m}-04,4,,b@x.example\n"
        f"{m}-05T10:00:00Z,2,6,c@x.example\n"
        f"{m}-06,,3,\n"
        "2026-13-01,5,1,\n"
        f"{m}-07,6,1,\n"
        f"{m}-08,3.5,1,\n"
        f"{m}-09,,,\n"
        f"{m}-10,x,1,\n"
    )
    with tiny_private.cache.write() as conn:
        result = import_survey(conn, csv_text, source="survey.csv")
    assert result.imported == 4
    assert [str(p) for p in result.problems] == [
        "Line 6: '2026-13-01' is not a date (expected YYYY-MM-DD).",
        "Line 7: CSAT 6 is outside 1–5 (whole numbers only).",
        "Line 8: CSAT 3.5 is outside 1–5 (whole numbers only).",
        "Line 9: neither a CSAT nor an effort score.",
        "Line 10: CSAT 'x' is not a number (expected a whole number 1–5).",
    ]
    p = Period(date.fromisoformat(m + "-01"), add_months(date.fromisoformat(m + "-01"), 1))
    with tiny_private.cache.read() as conn:
        got = compute(conn, load_settings(conn), p, "month", now=DEMO_NOW)
    assert got.totals["csat"] == pytest.approx(100.0 * 2 / 3)
    assert got.totals["effort"] == pytest.approx((2 + 6 + 3) / 3)
    with tiny_private.cache.write() as conn, pytest.raises(CsvFormatError, match="'csat' column"):
        import_survey(conn, "date,score\n2026-01-01,5\n")


# ---------------------------------------------------------------- snapshots and exports


def test_snapshots_stay_frozen_across_a_sync_that_edits_old_data(tiny_private: Synced) -> None:
    s = tiny_private
    with s.cache.write() as conn:
        settings = load_settings(conn)
        frozen_months = freeze_closed_months(conn, settings, now=DEMO_NOW)
    assert frozen_months == s.months[:-1]
    with s.cache.write() as conn:
        assert freeze_closed_months(conn, settings, now=DEMO_NOW) == []
        assert snapshot_diffs(conn, settings, now=DEMO_NOW) == []
        # an old, open question in a normal category
        tid, created = conn.exec_driver_sql(
            "SELECT t.id, t.created_at FROM topics t JOIN categories c ON c.id = t.category_id "
            "WHERE c.accepts_answers = 1 AND t.first_response_at IS NULL AND t.closed = 0 "
            "AND t.deleted_at IS NULL "
            "AND t.user_id NOT IN (SELECT id FROM users WHERE email LIKE '%@fernhill.example') "
            "ORDER BY t.created_at LIMIT 1"
        ).one()
    month = created[:7]
    assert month in frozen_months
    before = monthly_report_of(s, month, settings)
    act(
        s.server,
        "admin",
        "POST",
        "/posts.json",
        {"topic_id": tid, "raw": "Late but here: try the export again."},
    )
    report = sync(s.engine)
    assert report.changes.touches("topics", tid)
    with s.cache.read() as conn:
        diffs = snapshot_diffs(conn, settings, now=DEMO_NOW)
        report_md = monthly_report(conn, settings, month, now=DEMO_NOW)
    changed = {(d.month, d.kpi): d for d in diffs}
    d = changed[(month, "questions_answered")]
    assert d.current == (d.frozen or 0) + 1
    assert (month, "questions_asked") not in changed
    assert "questions_answered" in d.describe() or "Questions answered" in d.describe()
    # the report keeps the frozen value and shows the recomputation beside it
    line = next(ln for ln in report_md.lines if ln.kpi == "questions_answered")
    assert line.frozen and line.value == d.frozen and line.recomputed == d.current and line.drifted
    assert line.value == before
    md = report_md.to_markdown()
    assert "## Changed since the month was frozen" in md and "Questions answered" in md


def monthly_report_of(s: Synced, month: str, settings: AnalyticsSettings) -> float | None:
    with s.cache.read() as conn:
        rep = monthly_report(conn, settings, month, now=DEMO_NOW)
    return next(ln.value for ln in rep.lines if ln.kpi == "questions_answered")


def test_exports(tiny: Synced) -> None:
    with tiny.cache.read() as conn:
        settings = load_settings(conn)
        result = compute(conn, settings, tiny.period(), "month", now=DEMO_NOW)
        report = monthly_report(conn, settings, tiny.months[-2], now=DEMO_NOW)
    text_ = series_csv(result, ["questions_asked", "ttfr_median"])
    rows = [r.split(",") for r in text_.strip().splitlines()]
    header = ["period", "bucket", "start", "end", "so_far", "epoch_seconds"]
    # units in the header; a synced cache: every bucket complete
    assert rows[0] == [*header, "questions_asked [count]", "ttfr_median [hours]", "synced"]
    assert {r[-1] for r in rows[1:]} == {"complete"}
    assert len(rows) == len(tiny.months) + 1
    p = result.period
    for row, m in zip(rows[1:], tiny.months, strict=True):
        truth = tiny.month_truth(m)
        assert row[0] == f"{p.start.isoformat()}..{(p.end - timedelta(days=1)).isoformat()}"
        assert row[1] == m and int(row[6]) == truth["questions_asked"]
        want = truth["ttfr_median_s"]
        assert (float(row[7]) if row[7] else None) == (None if want is None else round(want / 3600, 6))
    csv_lines = report.to_csv().strip().splitlines()
    assert len(csv_lines) == len(KPIS) + 1
    truth = tiny.month_truth(tiny.months[-2])
    assert f"questions_asked,Questions asked,{truth['questions_asked']}," in report.to_csv()
    md = report.to_markdown()
    assert md.startswith("# Community report — ")
    assert "| Questions asked |" in md and "## Definitions" in md


def test_breakdowns_add_up(tiny: Synced) -> None:
    with tiny.cache.read() as conn:
        settings = load_settings(conn)
        totals = compute(conn, settings, tiny.period(), "month", now=DEMO_NOW).totals
        by_cat = breakdown(conn, settings, tiny.period(), "category", now=DEMO_NOW)
        by_co = breakdown(conn, settings, tiny.period(), "company", now=DEMO_NOW)
    for rows in (by_cat, by_co):
        assert sum(r.questions for r in rows) == totals["questions_asked"]
        assert sum(r.answered for r in rows) == totals["questions_answered"]
        assert sum(r.solved for r in rows) == totals["questions_solved"]
        assert sum(r.new_topics for r in rows) == totals["new_topics"]
    assert by_cat[0].questions >= by_cat[-1].questions


# ---------------------------------------------------------------- business hours


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin", "America/New_York"])
def test_business_clock_matches_the_sla_walk(tz: str) -> None:
    from datetime import time as dtime

    sla = SlaSettings(
        timezone=tz,
        day_start=dtime(8, 30),
        day_end=dtime(17, 0),
        holidays=frozenset({date(2026, 3, 30), date(2026, 12, 25)}),
    )
    clock = BusinessClock(sla, date(2026, 1, 1), date(2027, 1, 31))
    rng = random.Random(5)
    base = datetime(2026, 1, 5, tzinfo=UTC).timestamp()
    for _ in range(300):
        a = base + rng.random() * 350 * 86400
        b = a + rng.random() * 20 * 86400
        want = business_seconds_between(datetime.fromtimestamp(a, UTC), datetime.fromtimestamp(b, UTC), sla)
        assert clock.between(a, b) == pytest.approx(want, abs=1e-6)


def test_sla_attainment_follows_the_target(tiny: Synced) -> None:
    with tiny.cache.read() as conn:
        settings = load_settings(conn)
        strict = replace(settings, sla=SlaSettings(default_target_hours=0.25))
        loose = replace(settings, sla=SlaSettings(default_target_hours=400))
        a = compute(conn, strict, tiny.period(), "month", now=DEMO_NOW).totals["sla_attainment"]
        b = compute(conn, loose, tiny.period(), "month", now=DEMO_NOW).totals["sla_attainment"]
    assert a is not None and b is not None and 0 <= a < b <= 100


def test_periods() -> None:
    p = Period(date(2026, 1, 1), date(2026, 4, 1))
    assert p.previous() == Period(date(2025, 10, 1), date(2026, 1, 1))
    assert Period(date(2026, 1, 10), date(2026, 1, 20)).previous() == Period(
        date(2025, 12, 31), date(2026, 1, 10)
    )
    weeks = buckets(Period(date(2026, 1, 1), date(2026, 1, 15)), "week")
    assert [w.key for w in weeks] == ["2026-W01", "2026-W02", "2026-W03"]
    assert weeks[0].start == date(2026, 1, 1) and weeks[-1].end == date(2026, 1, 15)
    assert sum((w.end - w.start).days for w in weeks) == 14
    assert buckets(p, "month")[1].key == "2026-02" and buckets(p, "day")[0].end == date(2026, 1, 2)
    assert buckets(p, "month")[0].epoch == datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    assert timedelta(days=p.days) == timedelta(days=90)


# ---------------------------------------------------------------- the question_facts rollup


def test_question_facts_follow_every_write(tmp_path: Path) -> None:
    from modconsole.cache import repo

    cache = Cache.open(tmp_path / "c.sqlite3")
    try:
        with cache.write() as conn:
            repo.upsert_categories(
                conn, [{"id": 1, "name": "Q&A", "accepts_answers": True}, {"id": 2, "name": "Chat"}]
            )
            rows = [
                {
                    "id": i,
                    "category_id": 1 if i < 3 else 2,
                    "user_id": 10,
                    "created_at": f"2026-01-0{i}T10:00:00.000Z",
                }
                for i in (1, 2, 3)
            ]
            assert repo.upsert_topics(conn, rows) == {1, 2, 3}
            repo.upsert_posts(
                conn,
                [
                    {
                        "id": 100,
                        "topic_id": 1,
                        "post_number": 1,
                        "user_id": 10,
                        "created_at": "2026-01-01T10:00:00.000Z",
                    },
                    {
                        "id": 101,
                        "topic_id": 1,
                        "post_number": 2,
                        "user_id": 11,
                        "created_at": "2026-01-01T12:30:00.500Z",
                    },
                ],
            )
            repo.refresh_derived(conn, [1, 2, 3])
            # upserts still report only the rows that changed, although triggers write question_facts
            changed = repo.upsert_topics(conn, [{**rows[0], "views": 5}, rows[1], rows[2]])
            assert changed == {1}
        with cache.read() as conn:
            facts = conn.exec_driver_sql(
                "SELECT topic_id, asker_id, ttfr_ms, responder_id, solved, views "
                "FROM question_facts ORDER BY 1"
            ).all()
        assert facts == [(1, 10, 2 * 3600_000 + 30 * 60_000 + 500, 11, 0, 5), (2, 10, None, None, 0, 0)]
        with cache.write() as conn:
            repo.upsert_solutions(conn, [{"post_id": 101, "topic_id": 1, "post_number": 2, "user_id": 11}])
            repo.upsert_topics(conn, [{"id": 1, "has_accepted_answer": True, "accepted_post_id": 101}])
            repo.refresh_derived(conn, [1])
            repo.upsert_topics(conn, [{"id": 2, "deleted_at": "2026-02-01T00:00:00.000Z"}])
            repo.upsert_categories(conn, [{"id": 2, "name": "Chat", "accepts_answers": True}])
        with cache.read() as conn:
            facts = conn.exec_driver_sql(
                "SELECT topic_id, solved, tts_ms, accepted_author_id FROM question_facts ORDER BY 1"
            ).all()
        assert facts == [(1, 1, 2 * 3600_000 + 30 * 60_000 + 500, 11), (3, 0, None, None)]
    finally:
        cache.close()


def test_dashboard_refresh_indexes_give_what_the_tables_give(tiny_private: Synced) -> None:
    """The covering indexes of migration 0010 (the breakdowns' topics, the carried-in backlog) change
    no figure: the breakdowns count what a scan of the table counts, and a short period's backlog
    (carried in through the index) equals the same months of the whole history's computation."""
    import json

    from modconsole.analytics.kpis import _Q_CARRIED
    from modconsole.analytics.periods import iso
    from modconsole.analytics.settings import employee_ids
    from modconsole.cache import repo

    s = tiny_private
    whole = s.period()
    middle = add_months(whole.start, len(s.months) // 2)
    with s.cache.write() as conn:
        # a deleted topic inside the period: the partial index must leave it out, as the filter does
        (tid,) = conn.exec_driver_sql(
            "SELECT id FROM topics WHERE created_at >= ? AND category_id IS NOT NULL "
            "AND deleted_at IS NULL ORDER BY created_at LIMIT 1",
            (iso(middle),),
        ).one()
        repo.upsert_topics(conn, [{"id": tid, "deleted_at": iso(middle) + "T00:00:00.000Z"}])
    with s.cache.read() as conn:
        settings = load_settings(conn)
        plan = " ".join(
            str(r[-1])
            for r in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {_Q_CARRIED}", {"lo": iso(middle), "emp": "[]"}
            ).all()
        )
        assert "COVERING INDEX ix_question_facts_carried" in plan
        periods = [Period(whole.start, middle), Period(middle, whole.end), whole]
        for p in periods:
            got = {
                r.key: r.new_topics
                for r in breakdown(conn, settings, p, "category", now=DEMO_NOW)
                if r.new_topics
            }
            want = dict(
                conn.exec_driver_sql(
                    "SELECT category_id, count(*) FROM topics NOT INDEXED WHERE created_at >= ? "
                    "AND created_at < ? AND deleted_at IS NULL AND gone_since IS NULL GROUP BY 1",
                    (iso(p.start), iso(p.end)),
                ).all()
            )
            assert got == want and sum(want.values()) > 0
        # the support counts made in the one pass over the questions equal SQL's own aggregates
        result = compute(conn, settings, whole, "month", now=DEMO_NOW)
        emp = json.dumps(sorted(employee_ids(conn, settings.employees)))
        assert emp != "[]"
        for k, b in enumerate(result.buckets):
            e = f"(SELECT value FROM json_each('{emp}'))"
            want = conn.exec_driver_sql(
                f"SELECT count(*), count(ttfr_ms), total(ttfr_ms IS NOT NULL AND responder_id IN {e}), "
                f"total(solved), total(solved AND accepted_author_id IN {e}), "
                "total(CASE WHEN solved THEN views END) FROM question_facts NOT INDEXED "
                f"WHERE created_at >= ? AND created_at < ? AND COALESCE(asker_id, -1) NOT IN {e}",
                (b.start_iso, b.end_iso),
            ).one()
            series = result.series
            got = (
                series["questions_asked"][k],
                series["questions_answered"][k],
                series["first_responses_by_employees"][k],
                series["questions_solved"][k],
                series["accepted_by_employees"][k],
                series["deflected_tickets"][k],
            )
            *counts, views = (float(x) for x in want)
            assert got == pytest.approx((*counts, views * settings.deflection_rate)), b.key
        full = result.series["unanswered_backlog"]
        for k in range(1, len(s.months)):
            start = add_months(whole.start, k)
            short = compute(conn, settings, Period(start, whole.end), "month", now=DEMO_NOW)
            assert short.series["unanswered_backlog"] == full[k:], start
