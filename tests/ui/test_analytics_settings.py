"""The analytics settings dialog over a synced tiny community: the dashboard follows a changed
employee rule, invalid input is refused, saved values come back, the save runs on the writer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from modconsole.analytics import compute, load_settings
from modconsole.analytics.settings import AnalyticsSettings, EmployeeRule, employee_ids, save_settings
from modconsole.cache.db import Cache
from tests.conftest import copy_db
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS
from tests.ui.test_dashboard import DEMO_NOW, Community
from ui.dashboard import DashboardPage
from ui.dashboard import settings_dialog as sd
from ui.dashboard.settings_dialog import AnalyticsSettingsDialog, parse_list, parse_number
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager, Lane, TaskManager


@pytest.fixture
def community(tiny_community_master: Path, tmp_path: Path) -> Iterator[Community]:
    c = Community(copy_db(tiny_community_master, tmp_path / "store.sqlite3"), tmp_path / "cache.sqlite3")
    yield c
    c.close()


def _page(qtbot: QtBot, cache: Cache, signals: AppSignals) -> DashboardPage:
    page = DashboardPage(cache, now=lambda: DEMO_NOW, signals=signals)
    qtbot.addWidget(page)
    page.resize(1300, 1000)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()
    return page


def _open_from_page(qtbot: QtBot, page: DashboardPage) -> AnalyticsSettingsDialog:
    page.settings_button.click()
    dialogs = [d for d in page.findChildren(AnalyticsSettingsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: dialog.settings is not None and dialog.save_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.windowTitle() == "Analytics settings"
    return dialog


def _stored(cache: Cache) -> str | None:
    with cache.read() as conn:
        row = conn.exec_driver_sql("SELECT value_json FROM settings WHERE key = 'analytics'").first()
    return None if row is None else str(row[0])


def _top_customer_responder(cache: Cache) -> str:
    """The customer who gave the most first responses to questions in the dashboard's period."""
    with cache.read() as conn:
        staff = employee_ids(conn, EmployeeRule())
        rows = conn.exec_driver_sql(
            "SELECT u.id, u.username, count(*) FROM topics t JOIN users u ON u.id = t.first_responder_id "
            "WHERE t.created_at >= '2025-11-01' GROUP BY u.id ORDER BY 3 DESC"
        ).all()
    return next(str(name) for uid, name, _n in rows if uid not in staff)


def _edits(
    username: str,
) -> dict[str, tuple[Callable[[AnalyticsSettingsDialog], None], Callable[[EmployeeRule], EmployeeRule]]]:
    def add_user(d: AnalyticsSettingsDialog) -> None:
        d.usernames_edit.setPlainText(f"@{username.upper()}\n")

    def no_staff(d: AnalyticsSettingsDialog) -> None:
        d.staff_box.setChecked(False)
        d.staff_domains_box.setChecked(False)

    return {
        "customer becomes employee": (add_user, lambda r: replace(r, usernames=(username,))),
        "staff flags off": (no_staff, lambda r: replace(r, staff=False, staff_domains=False)),
    }


@pytest.mark.parametrize("case", ["customer becomes employee", "staff flags off"])
def test_changing_the_employee_rule_changes_the_p2p_tiles(
    qtbot: QtBot,
    community: Community,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    case: str,
) -> None:
    page = _page(qtbot, community.cache, app_signals)
    before = {k: page.tiles[k].current_value for k in ("p2p_first_response", "p2p_accepted")}
    edit, expected_rule = _edits(_top_customer_responder(community.cache))[case]

    dialog = _open_from_page(qtbot, page)
    assert dialog.staff_box.isChecked() and dialog.staff_domains_box.isChecked()
    assert dialog.rate_edit.text() == "5" and dialog.cost_edit.text() == "25.00"
    assert "(members): employees (7), superusers (2)." in dialog.groups_hint.text()
    assert "Automatic groups: admins, moderators, staff, trust_level_0" in dialog.groups_hint.text()
    edit(dialog)
    writes = len([h for h in inline_tasks.history if h[0] is Lane.WRITER])
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        dialog.save_button.click()
    assert len([h for h in inline_tasks.history if h[0] is Lane.WRITER]) == writes + 1

    with community.cache.read() as conn:
        stored = load_settings(conn)
        want = compute(conn, stored, page.period(), "month", now=DEMO_NOW)
    assert stored.employees == expected_rule(EmployeeRule())
    for kid in before:
        assert page.tiles[kid].current_value == want.totals[kid], kid
    assert page.tiles["p2p_first_response"].current_value != before["p2p_first_response"]
    assert page.data is not None and page.data.employees == stored.employees.describe()
    # frozen months keep their figures; the page offers the recomputed ones
    assert page.banner.isVisibleTo(page) and "Peer-to-peer first responses" in page.banner_text.toolTip()
    assert not any(d.isVisible() for d in page.findChildren(AnalyticsSettingsDialog))
    assert not messages.bugs


def test_invalid_input_is_refused_and_nothing_saved(
    qtbot: QtBot,
    community: Community,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
) -> None:
    page = _page(qtbot, community.cache, app_signals)
    count = page.refresh_count
    dialog = _open_from_page(qtbot, page)
    dialog.domains_edit.setPlainText("fernhill.example\nnot a domain")
    dialog.usernames_edit.setPlainText("rosa haddad")
    dialog.rate_edit.setText("150")
    dialog.cost_edit.setText("-3")
    history = list(inline_tasks.history)
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.messages() == {
        "domains": "'not a domain' is not an e-mail domain (expected something like acme.com).",
        "usernames": "'rosa haddad' is not a username (letters, digits, _ . - only).",
        "rate": "The rate must be between 0 and 100 %.",
        "cost": "The cost per ticket cannot be negative.",
        "status": "Nothing was saved: please correct the fields marked in red.",
    }
    assert dialog.domains_error.isVisible() and dialog.rate_error.isVisible()
    Path("/tmp/shots").mkdir(exist_ok=True)
    # the dialog grows to show the messages once laid out
    qtbot.waitUntil(lambda: dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width()))  # type: ignore[union-attr]
    assert dialog.grab().save("/tmp/shots/analytics_settings_invalid.png")
    assert inline_tasks.history == history and _stored(community.cache) is None
    assert page.refresh_count == count

    dialog.domains_edit.setPlainText("fernhill.example")
    dialog.rate_edit.setText("abc")
    dialog.cost_edit.setText("12")
    dialog.currency_edit.setText("")
    dialog.save_button.click()
    assert dialog.messages() == {
        "usernames": "'rosa haddad' is not a username (letters, digits, _ . - only).",
        "rate": "Enter the rate as a number of percent, e.g. 5.",
        "cost": "Name the currency, e.g. USD.",
        "status": "Nothing was saved: please correct the fields marked in red.",
    }
    assert not dialog.domains_error.isVisible()
    assert _stored(community.cache) is None

    # an unknown group is only a note; fixing the rest saves
    dialog.usernames_edit.setPlainText("rosa_haddad, dana_singh")
    dialog.rate_edit.setText("7,5")
    dialog.currency_edit.setText("EUR")
    dialog.groups_edit.setPlainText("employees\nno-such-group")
    assert dialog.validate() is not None
    assert dialog.groups_note.text() == "Not in the cache (yet): no-such-group. Saved anyway."
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        dialog.save_button.click()
    with community.cache.read() as conn:
        s = load_settings(conn)
    assert s.deflection_rate == pytest.approx(0.075) and s.cost_per_ticket == 12 and s.currency == "EUR"
    assert s.employees.usernames == ("dana_singh", "rosa_haddad")
    assert s.employees.groups == ("employees", "no-such-group")
    assert not messages.bugs


def test_cancel_discards(
    qtbot: QtBot,
    community: Community,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
) -> None:
    page = _page(qtbot, community.cache, app_signals)
    count = page.refresh_count
    dialog = _open_from_page(qtbot, page)
    dialog.staff_box.setChecked(False)
    dialog.rate_edit.setText("50")
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert _stored(community.cache) is None and page.refresh_count == count
    again = _open_from_page(qtbot, page)
    assert again.staff_box.isChecked() and again.rate_edit.text() == "5"


def test_settings_persist_and_save_off_the_gui_thread(
    qtbot: QtBot,
    community: Community,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[threading.Thread] = []

    def spy(conn: object, settings: AnalyticsSettings) -> None:
        threads.append(threading.current_thread())
        save_settings(conn, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(sd, "save_settings", spy)
    with community.cache.write() as conn:  # a stored company field survives the dialog
        save_settings(conn, AnalyticsSettings(company_field="company"))

    dialog = AnalyticsSettingsDialog(community.cache)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        dialog.show()
    dialog.staff_domains_box.setChecked(False)
    dialog.domains_edit.setPlainText("Acme.com, @globex.io")
    dialog.usernames_edit.setPlainText("rosa_haddad\ndana_singh")
    dialog.groups_edit.setPlainText("superusers")
    dialog.rate_edit.setText("2.5 %")
    dialog.cost_edit.setText("1,250.50")
    changes: list[object] = []
    app_signals.changes_applied.connect(lambda c, _i: changes.append(c))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    assert threads and threads[-1] is not threading.main_thread()
    qtbot.waitUntil(lambda: bool(changes), timeout=WAIT_MS)
    assert [c.kinds() for c in changes] == [frozenset({"settings", "kpis"})]  # type: ignore[attr-defined]
    assert not dialog.isVisible()

    reopened = AnalyticsSettingsDialog(community.cache)
    qtbot.addWidget(reopened)
    with qtbot.waitSignal(reopened.loaded, timeout=WAIT_MS):
        reopened.show()
    assert reopened.staff_box.isChecked() and not reopened.staff_domains_box.isChecked()
    assert reopened.domains_edit.toPlainText() == "acme.com\nglobex.io"
    assert reopened.usernames_edit.toPlainText() == "dana_singh\nrosa_haddad"
    assert reopened.groups_edit.toPlainText() == "superusers"
    assert reopened.rate_edit.text() == "2.5"
    assert reopened.cost_edit.text() == "1250.50" and reopened.currency_edit.text() == "USD"
    with community.cache.read() as conn:
        assert load_settings(conn).company_field == "company"
    Path("/tmp/shots").mkdir(exist_ok=True)
    qtbot.waitUntil(lambda: reopened.height() >= reopened.layout().totalHeightForWidth(reopened.width()))  # type: ignore[union-attr]
    assert reopened.grab().save("/tmp/shots/analytics_settings.png")
    assert not messages.bugs


def test_parsing_helpers() -> None:
    assert parse_list(" Acme.com,\n@globex.io; acme.com\n\nx.org ") == ["acme.com", "globex.io", "x.org"]
    assert parse_list("rosa haddad") == ["rosa haddad"]
    assert parse_list("\n \n") == []
    assert parse_number("5") == 5 and parse_number(" 7,5 % ") == 7.5 and parse_number("1,250.00") == 1250
    assert parse_number("-3") == -3 and parse_number(".5") == 0.5
    assert parse_number("") is None and parse_number("abc") is None and parse_number("1.2.3") is None
