"""Two languages: the catalogues are complete and current, and no page shows English in German.

The walk opens every page of the main window (and the dialogs one can reach from it) once in
English and once in German, collects what a person reads (labels, buttons, menus and actions,
table headers, tool tips, placeholders, tab and group titles, combo box items) and fails on any
German text that is also an English text of the same walk, once the community's own data (topic
titles, names, badges, categories, companies, groups), numbers and a short list of words that
German shares with English ("Dashboard", "CSV", …) are taken out.
"""

from __future__ import annotations

import html
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from modconsole import APP_DISPLAY_NAME
from modconsole.paths import Paths
from tests.helpers.messagemock import MessageRecorder
from ui import i18n
from ui.mainwindow import MainWindow
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "resources" / "i18n"
BIN = Path(__import__("sys").executable).parent

# Words German writes like English (or that are names): they may show unchanged.
SAME_IN_GERMAN = {
    "ok",
    "csv",
    "png",
    "sla",
    "dashboard",
    "superuser",
    "superusers",
    "name",
    "online",
    "offline",
    "median",
    "likes",
    "like",
    "text",
    "api",
    "url",
    "utc",
    "iana",
    "markdown",
    "md",
    "txt",
    "csat",
    "dau",
    "mau",
    "system",
    "english",
    "deutsch",
    "python",
    "qt",
    "pyside",
    "modconsole",
    "mod",
    "console",
    "tab",
    "enter",
    "esc",
    "ctrl",
    "shift",
    "alt",
    "return",
    "pgup",
    "pgdown",
    "of",
    "mit",
    "licence",
    "https",
    "http",
    "community",
    "example",
    "com",
    "discourse",
    "github",
    "bob",
    "alice",
    "acme",
    "jane",
    "doe",
    "tl",
    "id",
    "min",
    "std",
    "europe",
    "berlin",
    "gold",
    "bronze",
    "region",
    "status",
    "details",
    "peer",
    "team",
    "server",
    "demo",
    "score",
    "pdf",
    "top",
    "version",
}


# ---------------------------------------------------------------- the catalogues


def _lrelease(ts: Path, out: Path) -> bytes:
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), "-silent", str(ts), "-qm", str(out)], check=True, timeout=300
    )
    return out.read_bytes()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_committed_qm_is_the_compiled_ts(lang: str, tmp_path: Path) -> None:
    ts, qm = CATALOGUES / f"modconsole_{lang}.ts", CATALOGUES / f"modconsole_{lang}.qm"
    assert _lrelease(ts, tmp_path / "x.qm") == qm.read_bytes(), "run scripts/update-translations"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_entry_is_unfinished(lang: str) -> None:
    """Every entry translated, every plural form filled, every {field} kept."""
    problems = []
    for msg in ET.parse(CATALOGUES / f"modconsole_{lang}.ts").getroot().iter("message"):
        source = msg.findtext("source") or ""
        tr = msg.find("translation")
        assert tr is not None
        forms = (
            [f.text or "" for f in tr.findall("numerusform")]
            if msg.get("numerus") == "yes"
            else [tr.text or ""]
        )
        if tr.get("type") in ("unfinished", "obsolete", "vanished") or not all(forms):
            problems.append(f"unfinished: {source!r}")
            continue
        fields = set(re.findall(r"\{\w*\}", source))
        for form in forms:
            if set(re.findall(r"\{\w*\}", form)) != fields:
                problems.append(f"fields differ: {source!r} -> {form!r}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_holds_every_marked_text(tmp_path: Path) -> None:
    """lupdate over the code finds nothing the German catalogue lacks (or no longer needs)."""
    copy = tmp_path / "modconsole_de.ts"
    copy.write_bytes((CATALOGUES / "modconsole_de.ts").read_bytes())
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), "-silent", "-extensions", "py", "-no-obsolete", "-locations", "none",
         "ui", "modconsole", "-ts", str(copy)],
        cwd=ROOT, check=True, timeout=300,
    )  # fmt: skip
    unfinished = [
        m.findtext("source")
        for m in ET.parse(copy).getroot().iter("message")
        if m.find("translation[@type='unfinished']") is not None
    ]
    assert not unfinished, f"texts missing from the catalogue (run scripts/update-translations): {unfinished}"
    assert copy.read_bytes() == (CATALOGUES / "modconsole_de.ts").read_bytes(), (
        "run scripts/update-translations"
    )


# ---------------------------------------------------------------- the language in force


def test_the_choice_and_the_system_locale(qapp: QApplication) -> None:
    try:
        assert i18n.resolve("system", QLocale("de_AT")) == "de"
        assert i18n.resolve("system", QLocale("fr_FR")) == "en"
        assert i18n.install("system", system=QLocale("de_AT")) == "de"
        assert QLocale().name() == "de_AT"  # the computer's own German formats
        assert QApplication.translate("Pages", "Outbox") == "Postausgang"
        assert i18n.install("de", system=QLocale("en_GB")) == "de"
        assert QLocale().name() == "de_DE"
        assert i18n.fmt_number(12345) == "12.345"
        assert i18n.duration_text(3 * 3600 + 600) == "3 Std. 10 Min."
        assert i18n.install("en", system=QLocale("de_DE")) == "en"
        assert QApplication.translate("Pages", "Outbox") == "Outbox"
        assert i18n.fmt_number(12345) == "12,345"
    finally:
        i18n.install("en")


def test_core_texts_are_translated_at_the_boundary(qapp: QApplication) -> None:
    """A Msg from the Qt-free core: the template is translated, then filled (fields translated too)."""
    from modconsole.services.outbox_view import describe_action

    action = describe_action("grant_badge", {"badge_name": "Superuser", "username": "wen_meyer"})
    assert action == "Award “Superuser” to @wen_meyer"  # the core, the CLI and the logs: English
    try:
        i18n.install("de")
        assert i18n.core_text(action) == "„Superuser“ an @wen_meyer verleihen"
        nested = describe_action("close_topic", {"topic_title": "SSO-Login"})  # a Msg inside a Msg
        assert nested == "Close “SSO-Login”" and i18n.core_text(nested) == "„SSO-Login“ schließen"
    finally:
        i18n.install("en")


def test_review_texts_from_the_core_are_translated(qapp: QApplication) -> None:
    """The review kinds' descriptions, and a conflict message read back from the outbox's stored
    English text, show in German (the status inside it too)."""
    from modconsole.connectors.discourse.actions import claim_state, review_state
    from modconsole.connectors.discourse.review import ReviewItem
    from modconsole.services.outbox_view import describe_action, stored_message

    payload = {
        "reviewable_id": 7,
        "type": "ReviewableFlaggedPost",
        "topic_title": "SSO-Login",
        "label": "Hide Post",
        "version": 1,
    }
    action = describe_action("review_perform", payload)
    assert action == "Review: “Hide Post” on flag #7 in “SSO-Login”"
    handled = ReviewItem(id=7, type="ReviewableFlaggedPost", status=2, score=3.0, version=2)
    handled = replace(handled, last_transition_by="dana")
    said = review_state(handled, payload, me="wen").message
    assert said == "@dana already handled this item (rejected) before your “Hide Post” arrived."
    stored = str(said)  # what the outbox keeps: plain English text
    held = replace(handled, status=0, claimed_by="dana")
    claimed = str(claim_state("review_claim", held, me="wen").message)
    try:
        i18n.install("de")
        assert i18n.core_text(action) == "Prüfung: „Hide Post“ für Meldung #7 in „SSO-Login“"
        assert i18n.core_text(describe_action("review_claim", payload)) == (
            "Meldung #7 in „SSO-Login“ beanspruchen"
        )
        assert i18n.core_text(stored_message(stored)) == (
            "@dana hat diesen Eintrag bereits bearbeitet (abgelehnt), bevor Ihr „Hide Post“ ankam."
        )
        assert i18n.core_text(stored_message(claimed)) == "@dana hat diesen Eintrag zuerst beansprucht."
        assert stored_message("Something else entirely.") == "Something else entirely."
    finally:
        i18n.install("en")


# ---------------------------------------------------------------- what a person reads


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).replace("&", "").split())


def _texts(top: QWidget) -> set[str]:
    """What ``top`` and its children show: their texts, tips, placeholders, headers, menus."""
    out: list[str] = [top.windowTitle()]

    def menu(m: QMenu) -> None:
        out.append(m.title())
        for a in m.actions():
            out.extend([a.text(), a.toolTip(), a.statusTip()])
            if a.menu() is not None:
                menu(a.menu())  # type: ignore[arg-type]

    for w in [top, *top.findChildren(QWidget)]:
        out.append(w.toolTip())
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit):
            out.append(w.placeholderText())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QTabWidget):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())] + [w.placeholderText()]
        elif isinstance(w, QMenu):
            menu(w)
        header = getattr(w, "horizontalHeader", None)
        if isinstance(w, QAbstractItemView) and header is not None and w.model() is not None:
            for c in range(header().count()):
                out.append(str(w.model().headerData(c, Qt.Orientation.Horizontal) or ""))
        for a in w.actions():
            out += [a.text(), a.statusTip()]
    if hasattr(top, "menuBar"):
        for a in top.menuBar().actions():
            if a.menu() is not None:
                menu(a.menu())
    return {t for t in (_plain(x) for x in out if isinstance(x, str)) if t}


def _data_words(session: Session) -> set[str]:
    """Words of the community's own data (titles, names, badges …): the same in any language."""
    words: set[str] = set()
    with session.cache.read() as conn:
        for table, column in (
            ("topics", "title"), ("users", "username"), ("users", "name"), ("badges", "name"),
            ("badges", "description"), ("categories", "name"), ("companies", "name"), ("groups", "name"),
        ):  # fmt: skip
            for (value,) in conn.exec_driver_sql(f"SELECT {column} FROM {table}"):
                words.update(
                    w.lower() for w in re.findall(r"[A-Za-zÄÖÜäöüß]+", str(value or "").replace("&", ""))
                )
    # names of places: the holiday calendars' countries and regions, time zones (IANA names)
    from modconsole.services.sla import countries

    for code, name in countries():
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+", f"{code} {name}"))
    return words


def _english_left(text: str, data: set[str]) -> list[str]:
    if re.fullmatch(r"\S*/\S*", text) or APP_DISPLAY_NAME in text:
        return []  # a path, an address or a time zone's IANA name; the app's own name
    return [
        w
        for w in re.findall(r"[A-Za-z]{2,}", text)
        if w.lower() not in SAME_IN_GERMAN and w.lower() not in data
    ]


def _dialogs(window: MainWindow) -> Iterator[tuple[str, Callable[[], QWidget]]]:
    """The dialogs a moderator opens from the pages, each built (not run) for the walk."""
    from ui import about, actions

    yield "cheat sheet", lambda: actions.CheatSheet(window.action_specs, parent=window)
    yield "about", lambda: about.AboutDialog(window.paths, window)
    yield "response-time targets", window.open_sla_dialog
    dashboard = window.pages.get("Dashboard")
    if dashboard is not None:
        yield "analytics settings", dashboard.open_settings  # type: ignore[attr-defined]
    superusers = window.pages.get("Superusers")
    if superusers is not None:
        yield "superuser programme", lambda: superusers.open_settings(show=False)  # type: ignore[attr-defined]
    reminders = window.pages.get("Reminders")
    if reminders is not None and hasattr(reminders, "backend"):
        from ui.reminders.page import TemplateDialog

        yield "reminder message", lambda: TemplateDialog(reminders._settings, reminders)  # type: ignore[attr-defined]
    badges = window.pages.get("Badges")
    if badges is not None and hasattr(badges, "backend"):
        from ui.recognition.badges import AwardDialog
        from ui.recognition.bulk import BulkAwardDialog

        backend = badges.backend  # type: ignore[attr-defined]
        catalog = backend.rec.catalog()
        yield "award", lambda: AwardDialog(backend, catalog, parent=window)
        yield "bulk award", lambda: BulkAwardDialog(backend, user_ids=(1, 2), parent=window)


def _walk(qtbot: QtBot, session: Session, lang: str) -> dict[str, set[str]]:
    """Every page (and the queue with a thread open) and the dialogs, in ``lang``."""
    i18n.install(lang)
    seen: dict[str, set[str]] = {}
    w = MainWindow(session, Paths.default().ensure(), sync_interval_ms=0)
    qtbot.addWidget(w)
    w.resize(QSize(1024, 700))
    w.show()
    qtbot.waitExposed(w)
    try:
        for name in w.pages:
            w.show_page(name)
            qtbot.wait(50)
            seen[name] = _texts(w)
        w.show_page("Queue")
        page = w.queue_page
        page.queue.table.selectRow(0)
        tid = page.queue.current_topic_id()
        assert tid is not None
        page.open_topic(tid)
        qtbot.waitUntil(lambda: page.thread_panel.shows(tid))
        seen["thread"] = _texts(w)
        for name, make in _dialogs(w):
            dialog = make()
            qtbot.wait(50)
            seen[name] = _texts(dialog)
            if isinstance(dialog, QDialog):
                dialog.close()
    finally:
        w.close()
    return seen


@pytest.fixture
def walk_session(
    qtbot: QtBot,
    inline_tasks: InlineTaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced_session: Session,
    qapp: QApplication,
) -> Iterator[Session]:
    yield synced_session
    i18n.install("en")


def test_no_page_shows_english_in_german(qtbot: QtBot, walk_session: Session) -> None:
    english = _walk(qtbot, walk_session, "en")
    german = _walk(qtbot, walk_session, "de")
    assert set(german) == set(english)
    data = _data_words(walk_session)
    everything_english = set().union(*english.values())
    problems = []
    for where, texts in german.items():
        for text in sorted(texts & everything_english):
            left = _english_left(text, data)
            if left:
                problems.append(f"{where}: {text[:120]!r} (English: {', '.join(left)})")
    assert not problems, "untranslated in German:\n" + "\n".join(problems)
    # the walk saw German, not an empty screen: a few known texts
    shown = set().union(*german.values())
    for expected in (
        "Warteschlange",
        "Postausgang",
        "Abzeichen",
        "Lösung akzeptieren",
        "Jetzt synchronisieren",
    ):
        assert any(expected in t for t in shown), expected


def test_the_language_menu_stores_the_choice_and_rebuilds_the_window(
    qtbot: QtBot, walk_session: Session, tmp_path: Path
) -> None:
    from modconsole import settings as registry
    from ui.app import AppController
    from ui.mainwindow import ui_settings

    controller = AppController(Paths.default().ensure(), _tasks(), _signals(), sync_interval_ms=0)
    controller._open_window(walk_session)
    window = controller.window
    assert window is not None
    qtbot.addWidget(window)
    try:
        assert window.nav.item(0).text() == "Queue"
        window.language_actions["de"].trigger()
        qtbot.waitUntil(lambda: controller.window is not window)
        new = controller.window
        assert new is not None
        qtbot.addWidget(new)
        assert registry.load(walk_session.cache, registry.LANGUAGE) == "de"
        assert new.nav.item(0).text() == "Warteschlange"
        assert new.language_actions["de"].isChecked()
        assert i18n.remembered_choice(ui_settings(Paths.default())) == "de"
    finally:
        controller._close_window()
        registry.store(walk_session.cache, registry.LANGUAGE, "system")


def _tasks() -> Any:
    from ui import tasks

    return tasks.current_task_manager()


def _signals() -> Any:
    from ui import signals

    return signals.current_app_signals()
