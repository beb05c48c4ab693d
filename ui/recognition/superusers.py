"""The Superusers page: ranked candidates with an explainable score (breakdown per component and
links to the posts behind it), nominate; the nominations with their seconds (second, approve,
decline); and the renewal review of inactive superusers."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from modconsole.changes import Changes
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.superusers import (
    COMPONENT_LABELS,
    COMPONENTS,
    Candidate,
    Evidence,
    Nomination,
    ProgramSettings,
    Ranking,
    RenewalRow,
    decline_reason_problem,
    nomination_note_problem,
    override_reason_problem,
    sort_components,
)
from modconsole.tasks import CancelToken, ProgressCallback
from ui import messages, theme
from ui.i18n import core_text
from ui.ops import ChangeWatcher, MutationOp, QueryOp, first_load
from ui.recognition.backend import RecognitionBackend
from ui.recognition.models import BreakdownModel, CandidateModel, NominationModel, RenewalModel
from ui.recognition.widgets import NoteDialog, Submit, make_table, queue_and_push, selected_rows
from ui.rowmodel import remember_place, restore_place

__all__ = ["SettingsDialog", "SuperusersPage", "evidence_html"]

WINDOWS = (3, 6, 12, 24)
TRUST_CHOICES = (
    (QT_TRANSLATE_NOOP("SuperusersPage", "Leave the trust level as it is"), None),
    (QT_TRANSLATE_NOOP("SuperusersPage", "Trust level 3 (regular)"), 3),
    (QT_TRANSLATE_NOOP("SuperusersPage", "Trust level 4 (leader)"), 4),
)


def evidence_html(c: Candidate, ev: Evidence) -> str:
    muted = theme.current().muted
    parts = []
    for name in ("accepted", "first_responses", "replies", "likes"):
        ids = ev.posts.get(name, ())
        if not ids:
            continue
        total = int(c.component(name).raw) if name != "likes" else len(ids)
        links = " ".join(f'<a href="{html.escape(ev.links[i])}">{i}</a>' for i in ids[:24] if i in ev.links)
        shown = min(24, len(ids))
        more_text = QCoreApplication.translate("SuperusersPage", "+{n} more").format(n=total - shown)
        more = f" <span style='color:{muted}'>{more_text}</span>" if total > shown else ""
        label = (
            core_text(COMPONENT_LABELS[name])
            if name != "likes"
            else QCoreApplication.translate("SuperusersPage", "Most-liked posts")
        )
        parts.append(f"<p style='margin:2px 0'><b>{label}</b> ({total}): {links}{more}</p>")
    none = QCoreApplication.translate("SuperusersPage", "No posts in this window.")
    return "".join(parts) or f"<p style='color:{muted}'>{none}</p>"


class SettingsDialog(QDialog):
    """The programme's settings: score weights, window, recency horizon and renewal period."""

    def __init__(self, settings: ProgramSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Superuser programme settings"))
        self.base = settings
        form = QFormLayout(self)
        self.weights: dict[str, QDoubleSpinBox] = {}
        for k in COMPONENTS:
            box = QDoubleSpinBox(self)
            box.setRange(0.0, 10.0)
            box.setSingleStep(0.5)
            box.setDecimals(1)
            box.setValue(settings.weight(k))
            self.weights[k] = box
            form.addRow(self.tr("Weight: {component}").format(component=core_text(COMPONENT_LABELS[k])), box)
        self.window_months = QSpinBox(self)
        self.window_months.setRange(1, 60)
        self.window_months.setValue(settings.window_months)
        self.window_months.setSuffix(self.tr(" months"))
        self.horizon = QSpinBox(self)
        self.horizon.setRange(7, 365)
        self.horizon.setValue(settings.recency_horizon_days)
        self.horizon.setSuffix(self.tr(" days"))
        self.renewal = QSpinBox(self)
        self.renewal.setRange(1, 36)
        self.renewal.setValue(settings.renewal_months)
        self.renewal.setSuffix(self.tr(" months"))
        form.addRow(self.tr("Default window"), self.window_months)
        form.addRow(self.tr("Recency counts for"), self.horizon)
        form.addRow(self.tr("Review superusers inactive for"), self.renewal)
        self.required_seconds = QSpinBox(self)
        self.required_seconds.setRange(0, 10)
        self.required_seconds.setValue(settings.required_seconds)
        self.required_seconds.setToolTip(
            self.tr(
                "Seconds (teammates' likes on the nomination, never the nominator's) an approval needs; "
                "with fewer, approving is an override whose reason is kept in the audit journal."
            )
        )
        form.addRow(self.tr("Seconds needed to approve"), self.required_seconds)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> ProgramSettings:
        return replace(
            self.base,
            weights={k: box.value() for k, box in self.weights.items()},
            window_months=self.window_months.value(),
            recency_horizon_days=self.horizon.value(),
            renewal_months=self.renewal.value(),
            required_seconds=self.required_seconds.value(),
        )


class SuperusersPage(QWidget):
    def __init__(self, backend: RecognitionBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._evidence: tuple[Candidate, Evidence] | None = None
        theme.follow(self.retheme)  # what it wrote in colours, re-written in the new palette
        self.backend = backend
        self.trust_levels = True
        """Approving offers to set a trust level (off where the platform has none)."""
        self.ranking: Ranking | None = None
        self._dialog: NoteDialog | None = None
        self.candidates = CandidateModel(parent=self)
        self.breakdown = BreakdownModel(parent=self)
        self.nominations = NominationModel(parent=self)
        self.renewals = RenewalModel(parent=self)

        self.window_combo = QComboBox(self)
        self.window_combo.setAccessibleName(self.tr("Score window"))
        months = backend.su.settings().window_months
        for m in WINDOWS:
            self.window_combo.addItem(self.tr("Last %n month(s)", "", m), m)
        if self.window_combo.findData(months) >= 0:
            self.window_combo.setCurrentIndex(self.window_combo.findData(months))
        self.window_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.summary = QLabel(self)
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)  # the figures wrap rather than widening the window
        self.nominate_button = QPushButton(self.tr("Nominate…"), self)
        self.nominate_button.clicked.connect(lambda: self.nominate_selected())
        self.settings_button = QPushButton(self.tr("Settings…"), self)
        self.settings_button.clicked.connect(lambda: self.open_settings())

        top = QHBoxLayout()
        heading = QLabel(self.tr("<b>Superusers</b>"), self)
        heading.setStyleSheet("font-size: 15px;")
        top.addWidget(heading)
        top.addWidget(self.window_combo)
        top.addWidget(self.summary, 1)
        top.addWidget(self.settings_button)
        top.addWidget(self.nominate_button)

        self.table = make_table(self.candidates, self)
        self.breakdown_table = make_table(self.breakdown, self, stretch=0)
        self.table.setAccessibleName(self.tr("Superuser candidates"))
        self.breakdown_table.setAccessibleName(self.tr("Score breakdown of the selected candidate"))
        self.breakdown_table.setSortingEnabled(False)
        # eight rows, plus room for the sideways scroll bar a narrow pane shows (it hid the last row)
        scroll_bar = self.breakdown_table.horizontalScrollBar().sizeHint().height()
        self.breakdown_table.setFixedHeight(30 + 24 * 8 + 4 + scroll_bar)
        self.breakdown_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.who = QLabel(self)
        self.who.setTextFormat(Qt.TextFormat.RichText)
        self.who.setWordWrap(True)
        self.evidence = QTextBrowser(self)
        self.evidence.setAccessibleName(self.tr("Posts behind the score"))
        self.evidence.setOpenExternalLinks(True)
        panel = QWidget(self)
        pl = QVBoxLayout(panel)
        pl.setContentsMargins(8, 0, 0, 0)
        pl.addWidget(self.who)
        pl.addWidget(self.breakdown_table)
        evidence_label = QLabel(
            self.tr("Posts behind the score (post ids, newest first; click to open)"), self
        )
        evidence_label.setWordWrap(True)
        pl.addWidget(evidence_label)
        pl.addWidget(self.evidence, 1)
        upper = QSplitter(Qt.Orientation.Horizontal, self)
        upper.addWidget(self.table)
        upper.addWidget(panel)
        upper.setStretchFactor(0, 7)
        upper.setStretchFactor(1, 4)
        upper.setSizes([600, 480])  # the score breakdown keeps its columns readable on a laptop
        upper.setChildrenCollapsible(False)

        # nominations and renewal
        self.nomination_table = make_table(self.nominations, self)
        self.nomination_table.setAccessibleName(self.tr("Nominations"))
        self.second_button = QPushButton(self.tr("Second"), self)
        self.approve_button = QPushButton(self.tr("Approve…"), self)
        self.decline_button = QPushButton(self.tr("Decline…"), self)
        self.refresh_button = QPushButton(self.tr("Refresh from server"), self)
        self.second_button.clicked.connect(lambda: self.second_selected())
        self.approve_button.clicked.connect(lambda: self.approve_selected())
        self.decline_button.clicked.connect(lambda: self.decline_selected())
        self.refresh_button.clicked.connect(lambda: self.refresh_from_server())
        nom = QWidget(self)
        nl = QVBoxLayout(nom)
        nl.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.second_button)
        row.addWidget(self.approve_button)
        row.addWidget(self.decline_button)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        nl.addLayout(row)
        nl.addWidget(self.nomination_table, 1)
        self.renewal_table = make_table(self.renewals, self)
        self.renewal_table.setAccessibleName(self.tr("Renewal review"))
        self.tabs = QTabWidget(self)
        self.tabs.addTab(nom, self.tr("Nominations"))
        self.tabs.addTab(self.renewal_table, self.tr("Renewal review"))

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(upper)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)

        sel = self.table.selectionModel()
        assert sel is not None
        sel.currentRowChanged.connect(lambda *_: self._show_current())
        nsel = self.nomination_table.selectionModel()
        assert nsel is not None
        nsel.currentRowChanged.connect(lambda *_: self._update_buttons())
        ChangeWatcher(
            self,
            kinds=("posts", "topics", "users", "user_badges", "groups", "outbox", "settings"),
            refresh=self.reload,
        )
        self._update_buttons()
        first_load(self, self.reload)

    # ------------------------------------------------------------ loading

    def months(self) -> int:
        return int(self.window_combo.currentData() or 12)

    def reload(self, _changes: Changes | None = None) -> None:
        months = self.months()
        su = self.backend.su

        def load(_t: CancelToken) -> tuple[Ranking, list[Nomination], list[RenewalRow]]:
            return su.rank(months=months), su.list_nominations(), su.renewal()

        QueryOp(self, op=load, success=self._loaded).run_in_background()

    def _loaded(self, result: tuple[Ranking, list[Nomination], list[RenewalRow]]) -> None:
        ranking, noms, renewals = result
        keep, place = self.current_candidate(), remember_place(self.table)
        self.ranking = ranking
        self.candidates.set_rows(ranking.candidates)
        self.summary.setText(
            self.tr(
                "%n candidate(s) · {excluded} members left out "
                "(staff, employees, current superusers, suspended)",
                "",
                len(ranking.candidates),
            ).format(excluded=ranking.excluded)
        )
        rows = self.candidates.rows()
        target = next((i for i, c in enumerate(rows) if keep and c.user_id == keep.user_id), -1)
        if restore_place(self.table, place, target) < 0 and rows:  # the same member, scrolled as before
            self.table.selectRow(0)
        self._show_current()
        self.nominations.set_rows(noms)
        open_n = sum(1 for n in noms if n.state in ("open", "queued"))
        self.tabs.setTabText(0, self.tr("Nominations ({n} open)").format(n=open_n))
        self.renewals.set_rows(renewals)
        self.tabs.setTabText(1, self.tr("Renewal review ({n})").format(n=len(renewals)))
        self._update_buttons()

    def current_candidate(self) -> Candidate | None:
        idx = self.table.currentIndex()
        return self.candidates.row_at(idx.row()) if idx.isValid() else None

    def current_nomination(self) -> Nomination | None:
        rows = selected_rows(self.nomination_table)
        if rows:
            n: Nomination = rows[0]
            return n
        idx = self.nomination_table.currentIndex()
        return self.nominations.row_at(idx.row()) if idx.isValid() else None

    def _show_current(self) -> None:
        c = self.current_candidate()
        if c is None:
            self.who.setText("")
            self.breakdown.set_rows([])
            self.evidence.setHtml("")
            self._update_buttons()
            return
        rank = self.candidates.rows().index(c) + 1
        company = f" · {html.escape(c.company)}" if c.company else ""
        self.who.setText(
            f"<b style='font-size:14px'>#{rank} @{html.escape(c.username)}</b>{company} — "
            + self.tr("score <b>{score}</b>/100").format(score=QLocale().toString(float(c.score), "f", 1))
        )
        self.breakdown.set_rows(list(sort_components(c)))
        uid, months = c.user_id, self.months()
        QueryOp(
            self,
            op=lambda _t: (c, self.backend.su.evidence(uid, months=months)),
            success=self._evidence_loaded,
        ).run_in_background()
        self._update_buttons()

    def _evidence_loaded(self, result: tuple[Candidate, Evidence]) -> None:
        c, ev = result
        cur = self.current_candidate()
        if cur is not None and cur.user_id == c.user_id:
            self._evidence = result
            self.evidence.setHtml(evidence_html(c, ev))

    @Slot(object)
    def retheme(self, _palette: object) -> None:
        if self._evidence is not None:
            self._evidence_loaded(self._evidence)

    def _update_buttons(self) -> None:
        c = self.current_candidate()
        self.nominate_button.setEnabled(bool(c and not c.nominated))
        n = self.current_nomination()
        open_ = bool(n and n.state == "open" and not n.pending and n.topic_id is not None)
        self.second_button.setEnabled(
            open_
            and n is not None
            and not n.seconded_by_me
            and n.nominated_by.lower() != self.backend.su.moderation.me.lower()
        )
        self.approve_button.setEnabled(open_)
        self.decline_button.setEnabled(open_)
        need = self.backend.su.settings().required_seconds
        short = bool(open_ and n is not None and n.seconds < need)
        self.approve_button.setText(self.tr("Approve with override…") if short else self.tr("Approve…"))
        self.approve_button.setToolTip(
            self.tr("{have} of {need} required second(s): approving now is an override with a reason").format(
                have=n.seconds, need=need
            )
            if short and n is not None
            else self.tr("Group, badge and an “Approved” reply, each queued in the outbox")
        )

    # ------------------------------------------------------------ actions

    def _queue(
        self,
        action: Any,
        what: str,
        refused: Callable[[str], None] | None = None,
        done: Callable[[], None] | None = None,
    ) -> None:
        def ok(result: Any) -> None:
            messages.info(what)
            if done is not None:
                done()

        queue_and_push(
            self, self.backend, action, done=ok, refused=refused or (lambda m: messages.warning(m))
        )

    def _ask(
        self, title: str, prompt: str, confirm: str, check: Callable[[str], str | None], submit: Submit
    ) -> NoteDialog:
        """A note or a reason, checked (and the action refused) inside the dialog: the text stays."""
        dialog = NoteDialog(title, prompt, confirm, check=check, submit=submit, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialog = dialog
        dialog.open()
        return dialog

    def nominate_selected(self, note: str | None = None) -> NoteDialog | None:
        c = self.current_candidate()
        if c is None:
            return None
        months, uid, who = self.months(), c.user_id, c.username

        def submit(text: str, refused: Callable[[str], None], done: Callable[[], None]) -> None:
            self._queue(
                lambda: self.backend.su.nominate(uid, text, months=months),
                self.tr("Nomination of @{user} queued").format(user=who),
                refused,
                done,
            )

        if note is not None:
            submit(note, lambda m: messages.warning(m), lambda: None)
            return None
        return self._ask(
            self.tr("Nominate a superuser"),
            self.tr(
                "Why should @{user} become a superuser? Teammates second on this note; "
                "the score snapshot is attached."
            ).format(user=who),
            self.tr("Nominate"),
            nomination_note_problem,
            submit,
        )

    def second_selected(self) -> None:
        n = self.current_nomination()
        if n is None or n.topic_id is None:
            return
        tid = n.topic_id

        def done(_q: Any) -> None:
            messages.info(self.tr("Seconded the nomination of @{user}").format(user=n.username))

        queue_and_push(
            self,
            self.backend,
            lambda: self.backend.su.second(tid),
            done=done,
            refused=lambda m: messages.warning(m),
        )

    def approve_selected(
        self, trust_level: int | None = None, *, ask: bool = True, override: str | None = None
    ) -> None:
        n = self.current_nomination()
        if n is None or n.topic_id is None:
            return
        need = self.backend.su.settings().required_seconds
        if ask and n.seconds < need and override is None:

            def overridden(text: str, _refused: Callable[[str], None], done: Callable[[], None]) -> None:
                done()
                self.approve_selected(trust_level, ask=True, override=text)

            self._ask(
                self.tr("Approve without the required seconds"),
                self.tr(
                    "The nomination of @{user} has {have} of the {need} second(s) it needs "
                    "(from teammates other than @{nominator}).\n"
                    "Approving anyway is an override. Why? "
                    "(kept in the audit journal and posted to the nomination)"
                ).format(user=n.username, have=n.seconds, need=need, nominator=n.nominated_by),
                self.tr("Continue"),
                override_reason_problem,
                overridden,
            )
            return
        if ask:
            # a trust level to set only where the platform has them (Capabilities.trust_levels)
            choices = [(label, tl) for label, tl in TRUST_CHOICES if tl is None or self.trust_levels]
            labels = [self.tr(label) for label, _ in choices]
            choice, ok = QInputDialog.getItem(
                self,
                self.tr("Approve nomination"),
                self.tr("@{user} joins the superusers group and gets the Superuser badge.\nAlso:").format(
                    user=n.username
                ),
                labels,
                0,
                False,
            )
            if not ok:
                return
            trust_level = choices[labels.index(choice)][1]
        tid, tl, ov = n.topic_id, trust_level, override
        self._queue(
            lambda: self.backend.su.approve(tid, trust_level=tl, override=ov),
            self.tr("Approval of @{user} queued (override of the required seconds)").format(user=n.username)
            if ov
            else self.tr("Approval of @{user} queued").format(user=n.username),
        )

    def decline_selected(self, reason: str | None = None) -> NoteDialog | None:
        n = self.current_nomination()
        if n is None or n.topic_id is None:
            return None
        tid, who = n.topic_id, n.username

        def submit(text: str, refused: Callable[[str], None], done: Callable[[], None]) -> None:
            self._queue(
                lambda: self.backend.su.decline(tid, text),
                self.tr("Decline of @{user} queued").format(user=who),
                refused,
                done,
            )

        if reason is not None:
            submit(reason, lambda m: messages.warning(m), lambda: None)
            return None
        return self._ask(
            self.tr("Decline nomination"),
            self.tr("Why is @{user} declined?").format(user=who),
            self.tr("Decline"),
            decline_reason_problem,
            submit,
        )

    def open_settings(self, *, show: bool = True) -> SettingsDialog:
        dlg = SettingsDialog(self.backend.su.settings(), self)
        dlg.accepted.connect(lambda: self.save_settings(dlg.value()))
        if show:
            dlg.open()
        return dlg

    def save_settings(self, settings: ProgramSettings) -> None:
        def op(_t: CancelToken, _p: ProgressCallback) -> Changes:
            return self.backend.su.save_settings(settings)

        MutationOp(self, op=op, success=lambda _c: self.reload()).run_in_background(initiator=self)

    def refresh_from_server(self) -> None:
        def op(_t: CancelToken, _p: ProgressCallback) -> Changes:
            return self.backend.refresh_nominations()

        MutationOp(self, op=op, success=lambda _c: self.reload()).run_in_background(initiator=self)
