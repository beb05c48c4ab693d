"""The recognition pages against the demo server (tiny community, moderator key), ops inline:
award with completion and a reason link, revoke, bulk award from a selection and from a CSV
(preview → queue → push → report), member profiles, and the superuser candidates, breakdown,
nomination, second and approval — checked on the demo store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.outbox.policy import PushOutcome, push_outbox
from modconsole.services.moderation import ModerationService
from modconsole.services.recognition import MemberHit, RecognitionService
from modconsole.services.superusers import COMPONENTS, SuperuserService
from modconsole.sync import SyncEngine, SyncOptions
from modconsole.tasks import CancelToken, ProgressCallback
from tests.core.outbox_support import FAST, client_for, demo_rows
from ui.recognition import PAGE_FACTORIES, bulk_award_dialog
from ui.recognition.backend import RecognitionBackend
from ui.recognition.badges import BadgesPage
from ui.recognition.bulk import BulkAwardDialog
from ui.recognition.members import MembersPage
from ui.recognition.models import ROW_ROLE
from ui.recognition.superusers import SuperusersPage
from ui.tasks import InlineTaskManager


class Env:
    def __init__(self, tmp_path: Path, server: DemoServer, role: str = "moderator") -> None:
        self.server = server
        self.cache = Cache.open(tmp_path / f"{role}.sqlite3")
        self.client = client_for(server, role)
        self.engine = SyncEngine(self.client, self.cache, options=SyncOptions(retry_wait=0.01))
        self.engine.run_once(CancelToken())
        ident = getattr(server.credentials, role)
        self.mod = ModerationService(
            self.cache, me=ident.username, site_url=server.base_url, client=self.client, options=FAST
        )
        self.mod.probe_permissions()

        def push(token: CancelToken, progress: ProgressCallback) -> PushOutcome:
            return push_outbox(self.mod, self.engine, token, progress)

        self.backend = RecognitionBackend(
            RecognitionService(self.cache, self.mod),
            SuperuserService(self.cache, self.mod),
            client=self.client,
            push_fn=push,
        )

    def sync(self) -> None:
        self.engine.run_once(CancelToken())

    def close(self) -> None:
        self.client.close()
        self.cache.close()


@pytest.fixture
def env(
    demo_server: DemoServer, tmp_path: Path, inline_tasks: InlineTaskManager, app_signals: Any
) -> Iterator[Env]:
    e = Env(tmp_path, demo_server)
    yield e
    e.close()


def _holders(server: DemoServer, badge_id: int) -> set[int]:
    return {r[0] for r in demo_rows(server, "SELECT user_id FROM user_badges WHERE badge_id = ?", badge_id)}


def test_page_factories_build_from_a_session(env: Env, qtbot: QtBot) -> None:
    from modconsole.secrets import MemorySecretStore
    from modconsole.workspace import SiteRef, Workspace
    from ui.services import Session

    creds = env.client.credentials
    assert creds is not None
    site = SiteRef(env.client.base_url, env.mod.me, creds, env.cache.path)
    session = Session(Workspace(site, env.client, env.cache), MemorySecretStore())
    for name, factory in PAGE_FACTORIES.items():
        page = factory(session)
        qtbot.addWidget(page)
        assert page.__class__.__name__ == f"{name}Page"
    dlg = bulk_award_dialog(session, [1, 2, 3])
    assert isinstance(dlg, BulkAwardDialog) and dlg.user_ids == (1, 2, 3)
    qtbot.addWidget(dlg)


def test_award_dialog_completes_members_offers_reasons_and_queues(
    env: Env, qtbot: QtBot, messages: Any
) -> None:
    page = BadgesPage(env.backend)
    qtbot.addWidget(page)
    page.select_badge("Community Champion")
    badge = page.current_badge()
    assert badge is not None and badge.name == "Community Champion" and page.award_button.isEnabled()
    assert {g.user_id for g in page.grantees.rows()} == _holders(env.server, 203)

    cand = next(c for c in env.backend.su.rank().candidates if c.user_id not in _holders(env.server, 203))
    dlg = page.open_award(show=False)
    qtbot.addWidget(dlg)
    dlg.member.setText(cand.username[:4])
    dlg.member.search(cand.username[:4])  # what typing does (textEdited), without the popup
    labels = dlg.member.completions()
    assert any(label.startswith("@" + cand.username) for label in labels)
    dlg.member._chosen(next(x for x in labels if x.startswith("@" + cand.username + " ")))
    assert dlg.member.username() == cand.username
    assert dlg.reason.count() > 1  # blank + the member's solutions and posts
    dlg.reason.setCurrentIndex(1)
    url = dlg.reason_url()
    assert url is not None and url.startswith(env.server.base_url + "/t/")
    dlg.note.setText("helped three customers this week")
    dlg.submit()
    assert dlg.queued is not None
    assert cand.user_id in _holders(env.server, 203)  # queued and pushed
    env.sync()
    page.reload()
    assert cand.user_id in {g.user_id for g in page.grantees.rows()}

    # revoke the grant we just made
    row = next(i for i, g in enumerate(page.grantees.rows()) if g.user_id == cand.user_id)
    page.grantee_table.selectRow(row)
    page.revoke_selected("awarded by mistake")
    assert cand.user_id not in _holders(env.server, 203)


def test_award_dialog_keeps_the_form_open_on_refusal(env: Env, qtbot: QtBot) -> None:
    page = BadgesPage(env.backend)
    qtbot.addWidget(page)
    page.select_badge("Community Champion")
    holder = min(_holders(env.server, 203))
    uname = demo_rows(env.server, "SELECT username FROM users WHERE id = ?", holder)[0][0]
    dlg = page.open_award(show=False)
    qtbot.addWidget(dlg)
    dlg.member.setText(uname)
    dlg.submit()
    assert dlg.queued is None and "already holds" in dlg.error.text() and dlg.ok.isEnabled()


def test_bulk_dialog_preview_queue_and_report(env: Env, qtbot: QtBot) -> None:
    holders = _holders(env.server, 203)
    fresh = [c.user_id for c in env.backend.su.rank().candidates if c.user_id not in holders][:2]
    dlg = BulkAwardDialog(env.backend, user_ids=[min(holders), *fresh, 987_654], badge_id=203)
    qtbot.addWidget(dlg)
    assert dlg.from_selection.isChecked()
    dlg.run_preview()
    outcomes = [(r.user_id, r.outcome) for r in dlg.preview_model.rows()]
    assert outcomes == [
        (min(holders), "holds"),
        (fresh[0], "grant"),
        (fresh[1], "grant"),
        (None, "not_found"),
    ]
    assert dlg.confirm.isEnabled() and dlg.confirm.text() == "Queue 2 awards"
    idx = dlg.preview_model.index(3, 3)
    assert idx.data() == "not found" and idx.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert _holders(env.server, 203) == holders  # nothing sent by the preview
    dlg.run_enqueue()
    assert dlg.tables.currentWidget() is dlg.report_table
    results = {r.user_id: r.result for r in dlg.report_model.rows()}
    assert results[fresh[0]] == results[fresh[1]] == "granted" and results[min(holders)] == "already holds it"
    assert _holders(env.server, 203) == holders | set(fresh)
    assert "2 granted" in dlg.summary.text()


def test_bulk_dialog_from_csv_reports_malformed_lines(env: Env, qtbot: QtBot, tmp_path: Path) -> None:
    holders = _holders(env.server, 203)
    cand = next(c for c in env.backend.su.rank().candidates if c.user_id not in holders)
    f = tmp_path / "award.csv"
    f.write_text(f"username\n{cand.username}\nno such person!\nghost_member\n", encoding="utf-8")
    dlg = BulkAwardDialog(env.backend, badge_id=203)
    qtbot.addWidget(dlg)
    assert not dlg.from_selection.isEnabled()
    dlg.load_csv(f)
    dlg.run_preview()
    assert [(r.line, r.outcome) for r in dlg.preview_model.rows()] == [(2, "grant"), (4, "not_found")]
    assert "line 3" in dlg.problems.text() and not dlg.problems.isHidden()
    dlg.run_enqueue()
    assert cand.user_id in _holders(env.server, 203)


def test_members_page_search_profile_and_multi_select(env: Env, qtbot: QtBot) -> None:
    page = MembersPage(env.backend)
    qtbot.addWidget(page)
    assert page.model.rowCount() > 10  # recently active members before anything is typed
    top = env.backend.su.rank().candidates[0]
    page.search.setText(top.username[:5])
    page.reload()
    rows: list[MemberHit] = page.model.rows()
    i = next(i for i, m in enumerate(rows) if m.id == top.user_id)
    page.table.selectRow(i)
    text = page.profile.toPlainText()
    assert f"@{top.username}" in text and "Accepted answers" in text and "Badges" in text
    assert page.award_button.isEnabled()
    page.search.setText("")
    page.reload()
    page.table.selectAll()
    assert page.bulk_button.text().startswith("Bulk award to ")
    dlg = page.open_bulk(show=False)
    assert isinstance(dlg, BulkAwardDialog) and len(dlg.user_ids) == page.model.rowCount()
    dlg.close()


def test_superusers_page_breakdown_nominate_second_and_approve(
    env: Env, demo_server: DemoServer, tmp_path: Path, qtbot: QtBot, messages: Any
) -> None:
    page = SuperusersPage(env.backend)
    qtbot.addWidget(page)
    assert page.candidates.rowCount() > 0
    first = page.current_candidate()
    assert first is not None
    assert page.breakdown.rowCount() == len(COMPONENTS)
    contribs = [page.breakdown.index(r, 4).data() for r in range(page.breakdown.rowCount())]
    assert contribs == sorted(contribs, key=float, reverse=True)
    assert "href=" in page.evidence.toHtml() or first.component("replies").raw == 0
    page.window_combo.setCurrentIndex(page.window_combo.findData(3))
    assert page.ranking is not None and page.ranking.window.months == 3

    page.window_combo.setCurrentIndex(page.window_combo.findData(12))
    page.table.selectRow(0)
    cand = page.current_candidate()
    assert cand is not None
    page.nominate_selected("Always first to answer the payroll questions.")
    page.reload()
    assert [n.username for n in page.nominations.rows()] == [cand.username]
    env.sync()
    page.reload()
    nom = page.nominations.rows()[0]
    assert nom.state == "open" and nom.topic_id is not None

    # a teammate seconds from their own console
    other = Env(tmp_path, demo_server, "moderator2")
    try:
        other.backend.su.second(nom.topic_id)
        push_outbox(other.mod, other.engine)
    finally:
        other.close()
    page.refresh_from_server()
    page.nomination_table.selectRow(0)
    n = page.current_nomination()
    assert n is not None and n.seconds == 1
    assert not page.second_button.isEnabled()  # our own nomination
    assert page.approve_button.isEnabled()
    page.approve_selected(trust_level=None, ask=False)
    assert (
        demo_rows(
            demo_server, "SELECT count(*) FROM group_users WHERE group_id = 41 AND user_id = ?", cand.user_id
        )[0][0]
        == 1
    )
    assert cand.user_id in _holders(demo_server, 201)
    env.sync()
    page.refresh_from_server()
    assert page.nominations.rows()[0].state == "approved"
    assert cand.user_id not in {c.user_id for c in page.candidates.rows()}


def test_renewal_tab_lists_inactive_superusers(env: Env, qtbot: QtBot) -> None:
    from modconsole.services.superusers import ProgramSettings

    env.backend.su.save_settings(ProgramSettings(renewal_months=1))
    page = SuperusersPage(env.backend)
    qtbot.addWidget(page)
    supers = _holders(env.server, 201)
    got = {r.user_id for r in page.renewals.rows()}
    expected = {r.user_id for r in env.backend.su.renewal(months=1)}
    assert got == expected and got <= supers
    # with a review date far ahead every superuser is flagged
    assert {
        r.user_id for r in env.backend.su.renewal(months=1, now=datetime(2028, 1, 1, tzinfo=UTC))
    } == supers
    assert page.tabs.tabText(1) == f"Renewal review ({len(expected)})"
    if page.renewals.rowCount():
        assert page.renewals.index(0, 0).data(ROW_ROLE).user_id in supers


def test_settings_dialog_saves_weights_and_reranks(env: Env, qtbot: QtBot) -> None:
    page = SuperusersPage(env.backend)
    qtbot.addWidget(page)
    dlg = page.open_settings(show=False)
    qtbot.addWidget(dlg)
    assert dlg.weights["accepted"].value() == 3.0  # the default
    for k, box in dlg.weights.items():
        box.setValue(1.0 if k == "first_responses" else 0.0)
    dlg.renewal.setValue(2)
    dlg.accept()
    saved = env.backend.su.settings()
    assert saved.weights["first_responses"] == 1.0 and saved.weights["replies"] == 0.0
    assert saved.renewal_months == 2
    firsts = [c.component("first_responses").raw for c in page.candidates.rows()]
    assert firsts == sorted(firsts, reverse=True) and page.candidates.rowCount() > 0


def test_offline_award_closes_the_dialog_and_stays_queued(env: Env, qtbot: QtBot, messages: Any) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()
    offline = client_for(env.server, "moderator", base_url=dead)
    online = env.mod.client
    env.mod.client = offline
    try:
        page = BadgesPage(env.backend)
        qtbot.addWidget(page)
        page.select_badge("Community Champion")
        cand = next(c for c in env.backend.su.rank().candidates if c.user_id not in _holders(env.server, 203))
        dlg = page.open_award(show=False)
        qtbot.addWidget(dlg)
        dlg.member.setText(cand.username)
        dlg.submit()
        assert dlg.queued is not None  # saved locally; the push found no server
        assert env.mod.get(dlg.queued.op_uuid).state == "pending"  # type: ignore[union-attr]
        assert cand.user_id not in _holders(env.server, 203)
        page.reload()
        assert page.current_badge() is not None and page.current_badge().queued == 1  # type: ignore[union-attr]
        assert any(g.pending == "award queued" for g in page.grantees.rows())
    finally:
        env.mod.client = online
        offline.close()
    push_outbox(env.mod, env.engine)
    assert cand.user_id in _holders(env.server, 203)


# ---------------------------------------------------------------- safeguards (issue 15, point 6)


def test_bulk_dialog_never_preselects_a_badge_and_names_the_tier(env: Env, qtbot: QtBot) -> None:
    supers = _holders(env.server, 201)
    fresh = [c.user_id for c in env.backend.su.rank().candidates if c.user_id not in supers]
    dlg = BulkAwardDialog(env.backend, user_ids=fresh[:2])
    qtbot.addWidget(dlg)
    assert dlg.badge.count() > 0 and dlg.badge.currentIndex() == -1  # not the gold Superuser badge
    assert dlg.badge.currentData() is None and dlg.badge.placeholderText() == "Choose a badge…"
    dlg.run_preview()
    assert dlg.preview is None and "Choose the badge" in dlg.problems.text()
    assert not dlg.confirm.isEnabled()
    dlg.badge.setCurrentIndex(dlg.badge.findData(201))
    dlg.run_preview()
    assert dlg.preview is not None
    assert dlg.summary.text().startswith("Preview for “Superuser” (gold badge):")


def test_award_dialog_reason_titles_are_whole(env: Env, qtbot: QtBot) -> None:
    page = BadgesPage(env.backend)
    qtbot.addWidget(page)
    page.select_badge("Community Champion")
    cand = env.backend.su.rank().candidates[0]  # the most active member: many posts to pick from
    dlg = page.open_award(show=False)
    qtbot.addWidget(dlg)
    dlg.member.choose(MemberHit(cand.user_id, cand.username, "", "", "", None))
    assert dlg.reason.count() > 2
    view = dlg.reason.view()
    assert view.textElideMode() == Qt.TextElideMode.ElideRight  # Qt's default here is ElideMiddle
    fm = view.fontMetrics()
    widest = max(fm.horizontalAdvance(dlg.reason.itemText(i)) for i in range(dlg.reason.count()))
    assert view.minimumWidth() >= min(widest, 900)
    for i in range(1, dlg.reason.count()):
        tip = str(dlg.reason.itemData(i, Qt.ItemDataRole.ToolTipRole))
        assert tip.startswith(dlg.reason.itemText(i))  # the whole title, and the link
    dlg.reason.setCurrentIndex(1)
    assert dlg.reason.toolTip().startswith(dlg.reason.itemText(1))
    assert not any(" 1 likes" in dlg.reason.itemText(i) for i in range(dlg.reason.count()))


def test_superusers_approval_without_seconds_needs_an_override(
    env: Env, demo_server: DemoServer, qtbot: QtBot, messages: Any
) -> None:
    page = SuperusersPage(env.backend)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    cand = page.current_candidate()
    assert cand is not None
    page.nominate_selected("Always first to answer the payroll questions.")
    env.sync()
    page.reload()
    page.nomination_table.selectRow(0)
    n = page.current_nomination()
    assert n is not None and n.seconds == 0 and n.state == "open"
    assert page.approve_button.isEnabled() and page.approve_button.text() == "Approve with override…"
    page.approve_selected(ask=False)  # no override: refused, nothing queued
    assert "0 of the 1 second" in messages.messages[-1].text
    assert cand.user_id not in _holders(demo_server, 201)
    page.approve_selected(ask=False, override="The programme lead agreed in the weekly call")
    assert cand.user_id in _holders(demo_server, 201)
    sql = "SELECT raw FROM posts WHERE topic_id = ? ORDER BY id"
    notes = [r[0] for r in demo_rows(demo_server, sql, n.topic_id)]
    assert any("without the required seconds (0 of 1)" in x for x in notes)


def test_settings_dialog_sets_the_seconds_needed(env: Env, qtbot: QtBot) -> None:
    page = SuperusersPage(env.backend)
    qtbot.addWidget(page)
    dlg = page.open_settings(show=False)
    qtbot.addWidget(dlg)
    assert dlg.required_seconds.value() == 1
    dlg.required_seconds.setValue(2)
    dlg.accept()
    assert env.backend.su.settings().required_seconds == 2
