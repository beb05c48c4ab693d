"""The settings registry: typed keys over the cache's ``settings`` table, one reader and writer;
public holidays for the SLA calendar; one free-mail list for sync and analytics."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from modconsole import settings
from modconsole.analytics.settings import (
    ANALYTICS,
    AnalyticsSettings,
    EmployeeRule,
    employee_ids,
    load_settings,
)
from modconsole.api.client import ApiClient, Credentials
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.commands.settings import declared
from modconsole.emails import FREE_MAIL_DOMAINS, company_domain
from modconsole.errors import InvalidInput
from modconsole.outbox import permissions
from modconsole.services import replies, triage
from modconsole.services.assign import ASSIGN_SYNC
from modconsole.services.reminders import REMINDER_SNOOZES, REMINDERS, ReminderSettings
from modconsole.services.sla import (
    SlaLevel,
    SlaSettings,
)
from modconsole.services.superusers import SUPERUSERS, ProgramSettings
from modconsole.services.superusers import load_settings as load_program
from modconsole.services.superusers import save_settings as save_program
from modconsole.services.triage import QueueFilter, TriageQuery
from modconsole.sync import plan
from modconsole.sync.engine import SyncEngine
from tests.conftest import TEST_NOW

ROOT = Path(__file__).resolve().parents[2]
BERLIN = ZoneInfo("Europe/Berlin")
BAVARIA = SlaSettings(timezone="Europe/Berlin", country="DE", subdivision="BY")


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.sqlite3")
    yield c
    c.close()


def _raw(cache: Cache, name: str) -> tuple[str, str] | None:
    with cache.read() as conn:
        row = conn.exec_driver_sql(
            "SELECT value_json, updated_at FROM settings WHERE key = ?", (name,)
        ).first()
    return None if row is None else (str(row[0]), str(row[1]))


# ---------------------------------------------------------------- the registry


def test_every_key_reads_its_default_then_what_was_stored(cache: Cache) -> None:
    values = {
        settings.SLA: SlaSettings(timezone="Europe/Berlin", default_target_hours=4, country="DE"),
        ANALYTICS: AnalyticsSettings(deflection_rate=0.2, currency="EUR"),
        settings.SURVEY: {"rows": [["2026-10-01", 4.5, None]], "source": "s.csv"},
        SUPERUSERS: ProgramSettings(window_months=6, leads=("ada",)),
        REMINDERS: ReminderSettings(after_days=5, max_days=30),
        REMINDER_SNOOZES: {"12": {"until": "2026-11-05", "by": "mod"}},
        permissions.PERMISSIONS: permissions.Permissions(
            admin=False, moderator=True, group_overrides={"4": False}
        ),
        settings.LAST_SYNC_RUN: {"at": "2026-11-01T12:00:00.000Z", "finished": True},
        settings.PLATFORM: "vanilla",
        settings.APPEARANCE: "dark",
        settings.LANGUAGE: "de",
        replies.SAVED_REPLIES: (replies.SavedReply("a1", "Thanks", "Thanks {asker}!", "en"),),
        replies.REPLY_DRAFTS: {"12": {"raw": "half a reply", "whisper": False, "updated_at": "x"}},
        ASSIGN_SYNC: {"available": True, "checked_at": "2026-11-01T12:00:00.000Z"},
        plan.DAY_RESERVE: 500,
    }
    assert set(values) == set(declared().values())  # every declared key is covered here
    for key, value in values.items():
        assert settings.load(cache, key) == key.default(), key.name
        settings.store(cache, key, value)
        assert settings.load(cache, key) == value, key.name
    stamped = _raw(cache, "sla")
    assert stamped is not None and stamped[1].startswith(TEST_NOW.strftime("%Y-%m-%dT%H:"))  # the one clock


def test_unreadable_values_read_as_the_default(cache: Cache, caplog: pytest.LogCaptureFixture) -> None:
    with cache.write() as conn:
        for name, raw in (
            ("sla", '{"timezone": "Mars/Olympus"}'),
            ("analytics", "not json"),
            ("superusers.program", "[1, 2]"),
            ("moderation.permissions", '{"admin": true, "role": 3, "group_overrides": {}}'),
        ):
            conn.exec_driver_sql(
                "INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, 'x')", (name, raw)
            )
    assert settings.load(cache, settings.SLA) == SlaSettings()
    assert settings.load(cache, ANALYTICS) == AnalyticsSettings()
    assert settings.load(cache, SUPERUSERS) == ProgramSettings()
    assert settings.load(cache, permissions.PERMISSIONS).admin is True  # unknown fields are ignored
    assert "setting sla is unreadable" in caplog.text
    with cache.read() as conn:
        listed = {s.name: s for s in settings.read_all(conn, declared())}
    assert not listed["sla"].readable and listed["reminders.settings"].value is None
    assert set(listed) == set(declared())


def test_a_refused_value_stores_nothing(cache: Cache) -> None:
    with pytest.raises(InvalidInput, match="Unknown language 'fr'"):
        settings.store(cache, settings.LANGUAGE, "fr")
    assert _raw(cache, "ui.language") is None
    with pytest.raises(InvalidInput, match="Weight 'karma'"):
        save_program(cache, ProgramSettings(weights={"karma": 1.0}))
    assert _raw(cache, "superusers.program") is None
    save_program(cache, ProgramSettings(badge="Champion"))
    assert load_program(cache).badge == "Champion"


def test_the_appearance_is_system_light_or_dark(cache: Cache) -> None:
    assert settings.load(cache, settings.APPEARANCE) == "system"
    with pytest.raises(InvalidInput, match="one of system, light, dark"):
        settings.store(cache, settings.APPEARANCE, "sepia")
    assert _raw(cache, "ui.appearance") is None
    settings.store(cache, settings.APPEARANCE, "light")
    assert settings.load(cache, settings.APPEARANCE) == "light"


def test_a_key_is_declared_once() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        settings.key("sla", "again", SlaSettings, settings.SLA.decode, settings.SLA.encode)


_TABLE = re.compile(r"\b(FROM|INTO|UPDATE|JOIN)\s+settings\b", re.IGNORECASE)


def test_only_the_registry_touches_the_settings_table() -> None:
    offenders = []
    for folder in ("modconsole", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel == "modconsole/settings.py" or "/migrations/" in rel:
                continue
            if _TABLE.search(path.read_text(encoding="utf-8")):
                offenders.append(rel)
    assert offenders == []


def test_the_queue_and_the_dashboard_read_one_calendar(cache: Cache) -> None:
    """A question asked on the eve of a Bavarian holiday: overdue by the default calendar, on time
    by the stored one — for the queue (triage) and the dashboard (analytics settings) alike."""
    asked = "2026-01-05T15:00:00.000Z"  # Monday 16:00 in Berlin
    with cache.write() as conn:
        repo.upsert_categories(conn, [{"id": 1, "name": "Q&A", "accepts_answers": True, "position": 1}])
        repo.upsert_users(conn, [{"id": 7, "username": "asker"}])
        repo.upsert_topics(
            conn,
            [
                {
                    "id": 1,
                    "title": "Before Epiphany",
                    "slug": "t-1",
                    "category_id": 1,
                    "user_id": 7,
                    "created_at": asked,
                    "archetype": "regular",
                    "has_accepted_answer": False,
                }
            ],
        )
        repo.upsert_posts(
            conn,
            [
                {
                    "id": 10,
                    "topic_id": 1,
                    "post_number": 1,
                    "user_id": 7,
                    "created_at": asked,
                    "cooked": "<p>q</p>",
                }
            ],
        )
        repo.refresh_derived(conn, [1])
        settings.put(conn, settings.SLA, BAVARIA)
    now = datetime(2026, 1, 6, 20, 0, tzinfo=BERLIN)
    overdue = QueueFilter(sla=frozenset({SlaLevel.OVERDUE}))
    with cache.read() as conn:
        stored = settings.get(conn, settings.SLA)
        assert load_settings(conn).sla == stored == BAVARIA  # the dashboard's calendar
        default = TriageQuery(filter=overdue, sla_settings=SlaSettings(timezone="Europe/Berlin"), now=now)
        assert triage.count(conn, default) == 1
        assert triage.count(conn, replace(default, sla_settings=stored)) == 0  # the queue's


# ---------------------------------------------------------------- one free-mail list


@pytest.mark.parametrize("domain", ["yandex.ru", "hey.com", "gmx.de"])
def test_sync_and_analytics_treat_free_mail_alike(cache: Cache, domain: str) -> None:
    """``yandex.ru`` and ``hey.com`` were only on sync's list: an admin there made every member
    there an employee in the analytics. Now neither path reads anything into a free-mail domain."""
    assert domain in FREE_MAIL_DOMAINS and company_domain(f"x@{domain}") is None
    with cache.write() as conn:
        repo.upsert_users(
            conn,
            [
                {"id": 1, "username": "boss", "admin": True, "email": f"boss@{domain}"},
                {"id": 2, "username": "customer", "email": f"jo@{domain}"},
                {"id": 3, "username": "staffer", "moderator": True, "email": "mo@vendor.io"},
                {"id": 4, "username": "colleague", "email": "al@vendor.io"},
            ],
        )
    client = ApiClient("http://127.0.0.1:9", Credentials.user("k", username="boss"))
    try:
        engine = SyncEngine(client, cache)
        with cache.write() as conn:
            assert engine.stages.users.company_id(conn, f"jo@{domain}", frozenset()) is None
            assert engine.stages.users.company_id(conn, "amy@acme.com", frozenset()) is not None
            assert engine.stages.users.company_id(conn, "al@vendor.io", frozenset({"vendor.io"})) is None
    finally:
        client.close()
    with cache.read() as conn:
        employees = employee_ids(conn, EmployeeRule(staff=True, staff_domains=True))
    assert employees == {1, 3, 4}  # staff, and vendor.io by a staff domain; not the free-mail customer


def test_superuser_ranking_ignores_free_mail_staff_domains(cache: Cache) -> None:
    from modconsole.services.superusers import SuperuserService

    with cache.write() as conn:
        repo.upsert_users(
            conn,
            [
                {"id": 1, "username": "boss", "admin": True, "email": "boss@gmail.com"},
                {"id": 3, "username": "staffer", "moderator": True, "email": "mo@vendor.io"},
            ],
        )
    svc = SuperuserService(cache, moderation=_NoModeration(), site_url="http://127.0.0.1:9")  # type: ignore[arg-type]
    with cache.read() as conn:
        params = svc._exclusion_params(conn, ProgramSettings(), "2026-11-01")
    assert json.loads(params["vendor_domains"]) == ["vendor.io"]


class _NoModeration:
    site_url = "http://127.0.0.1:9"
