"""The Members page: search (username, name, e-mail prefix), a profile panel (company, trust level,
groups, badges, recent posts, accepted answers) and, for a multi-selection, bulk award."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from modconsole.analytics.filters import DrillFilter
from modconsole.changes import Changes
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.recognition import MemberHit, MemberProfile, PostRef
from modconsole.tasks import CancelToken, ProgressCallback
from ui import theme
from ui.i18n import day_text
from ui.ops import ChangeWatcher, MutationOp, QueryOp, first_load
from ui.recognition.backend import RecognitionBackend
from ui.recognition.models import MemberModel
from ui.recognition.widgets import make_table, selected_rows
from ui.user_notes import NotesPanel

__all__ = ["MembersPage", "profile_html"]

TL_NAMES = (  # Discourse's trust levels 0–4
    QT_TRANSLATE_NOOP("MembersPage", "new user"),
    QT_TRANSLATE_NOOP("MembersPage", "basic"),
    QT_TRANSLATE_NOOP("MembersPage", "member"),
    QT_TRANSLATE_NOOP("MembersPage", "regular"),
    QT_TRANSLATE_NOOP("MembersPage", "leader"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MembersPage", text)


def _posts_html(refs: tuple[PostRef, ...], empty: str) -> str:
    muted = theme.current().muted
    if not refs:
        return f'<p style="color:{muted}">{empty}</p>'
    items = []
    for r in refs:
        mark = "✔ " if r.solution else ""
        day = day_text(r.created_at)
        items.append(
            f'<li>{mark}<a href="{html.escape(r.url)}">{html.escape(r.title)}</a> '
            f'<span style="color:{muted}">#{r.post_number} · {day} · {r.likes} ♥</span></li>'
        )
    return "<ul style='margin-left:-20px'>" + "".join(items) + "</ul>"


def profile_html(p: MemberProfile) -> str:
    e = html.escape
    pal = theme.current()
    no_solutions = QCoreApplication.translate("MembersPage", "No accepted answers.")
    no_posts = QCoreApplication.translate("MembersPage", "No posts.")
    badges_head = QCoreApplication.translate("MembersPage", "Badges")
    solutions_head = QCoreApplication.translate("MembersPage", "Accepted answers")
    recent_head = QCoreApplication.translate("MembersPage", "Recent posts")
    tl = (
        ""
        if p.trust_level is None
        else f"TL{p.trust_level} {_tr(TL_NAMES[p.trust_level]) if 0 <= p.trust_level < 5 else ''}"
    )
    staff = QCoreApplication.translate("MembersPage", "staff") if p.staff else ""
    facts = [x for x in (p.company, tl, staff, p.title) if x]
    status = f' <span style="color:{pal.danger}">({e(p.status)})</span>' if p.status else ""
    badges = (
        " ".join(
            f'<span style="color:{theme.tier(b.type_name)}">●</span> {e(b.name)}'
            + (f' <i style="color:{pal.warning}">({e(b.pending)})</i>' if b.pending else "")
            for b in p.badges
        )
        or f'<span style="color:{pal.muted}">'
        + QCoreApplication.translate("MembersPage", "none yet")
        + "</span>"
    )
    groups = ", ".join(e(g) for g in p.groups) or "—"
    return (
        f"<h3 style='margin-bottom:2px'>{e(p.name or p.username)} "
        f"<span style='color:{pal.muted}'>@{e(p.username)}</span>"
        f"{status}</h3>"
        f"<p style='margin-top:0'>{' · '.join(e(f) for f in facts)}<br>"
        f"<span style='color:{pal.muted}'>{e(p.email)} · "
        + QCoreApplication.translate("MembersPage", "joined {joined} · last post {last}").format(
            joined=day_text(p.created_at), last=day_text(p.last_posted_at) or "—"
        )
        + "</span></p><p>"
        + QCoreApplication.translate(
            "MembersPage", "<b>{posts}</b> posts · <b>{solutions}</b> accepted answers · groups: {groups}"
        ).format(posts=p.post_count, solutions=p.solution_count, groups=groups)
        + "</p>"
        f"<p><b>{badges_head}</b><br>{badges}</p>"
        f"<p><b>{solutions_head}</b></p>{_posts_html(p.solutions, no_solutions)}"
        f"<p><b>{recent_head}</b></p>{_posts_html(p.recent_posts, no_posts)}"
    )


class MembersPage(QWidget):
    def __init__(self, backend: RecognitionBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile: MemberProfile | None = None
        theme.follow(self.retheme)  # what it wrote in colours, re-written in the new palette
        self.backend = backend
        self.model = MemberModel(parent=self)
        self.search = QLineEdit(self)
        self.search.setAccessibleName(self.tr("Search members"))
        self.search.setPlaceholderText(self.tr("Search members by username, name or e-mail…"))
        self.search.setClearButtonEnabled(True)
        self.table = make_table(self.model, self, multi=True, stretch=4)
        self.table.setAccessibleName(self.tr("Members"))
        self.profile = QTextBrowser(self)
        self.profile.setAccessibleName(self.tr("Member profile"))
        self.profile.setOpenExternalLinks(True)
        self.count = QLabel(self)
        self.count.setProperty("role", "muted")
        self.award_button = QPushButton(self.tr("Award badge…"), self)
        self.bulk_button = QPushButton(self.tr("Bulk award…"), self)
        self.award_button.clicked.connect(lambda: self.open_award())
        self.bulk_button.clicked.connect(lambda: self.open_bulk())

        top = QHBoxLayout()
        heading = QLabel(self.tr("<b>Members</b>"), self)
        heading.setStyleSheet("font-size: 15px;")
        top.addWidget(heading)
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.award_button)
        top.addWidget(self.bulk_button)
        # staff notes under the profile (ui.user_notes; hidden where the community has none)
        self.notes_panel = NotesPanel(backend.notes, backend.push, self)
        side = QSplitter(Qt.Orientation.Vertical, self)
        side.addWidget(self.profile)
        side.addWidget(self.notes_panel)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)
        side.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 6)
        split.setStretchFactor(1, 5)
        split.setChildrenCollapsible(False)
        # A selection opened from the dashboard ("members active in March"), shown and clearable.
        self._drill: DrillFilter | None = None
        self.drill_label = QLabel(self)
        self.drill_clear = QPushButton(self.tr("Show recent members"), self)
        self.drill_clear.clicked.connect(self.clear_drill)
        self.drill_bar = QWidget(self)
        db = QHBoxLayout(self.drill_bar)
        db.setContentsMargins(0, 0, 0, 0)
        db.addWidget(self.drill_label, 1)
        db.addWidget(self.drill_clear)
        self.drill_bar.hide()
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.drill_bar)
        lay.addWidget(split, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        sel = self.table.selectionModel()
        assert sel is not None
        sel.selectionChanged.connect(lambda *_: self._selection_changed())
        ChangeWatcher(self, kinds=("users", "user_badges", "outbox"), refresh=self._refresh)
        self._current: int | None = None
        self._badges_asked: set[int] = set()  # members whose badges were read from the community
        self._selection_changed()
        first_load(self, self.reload)

    # ------------------------------------------------------------ loading

    @Slot()
    def reload(self) -> None:
        q = self.search.text().strip()
        rec = self.backend.rec
        drill = self._drill
        if drill is not None and not q:
            QueryOp(
                self,
                op=lambda _t: rec.members_in_period(
                    drill.created_from,
                    drill.created_to,
                    active_only=drill.active_only,
                    company_ids=drill.company_ids,
                ),
                success=self._loaded,
            ).run_in_background()
            return
        QueryOp(
            self,
            op=lambda _t: rec.search_members(q, limit=300) if q else rec.recent_members(limit=300),
            success=self._loaded,
        ).run_in_background()

    def show_drill(self, drill: DrillFilter) -> None:
        """List the members a dashboard selection points at (e.g. who was active in a month)."""
        self._drill = drill
        self.drill_label.setText(self.tr("Showing: {what}").format(what=drill.label))
        self.drill_bar.show()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.reload()

    @Slot()
    def clear_drill(self) -> None:
        self._drill = None
        self.drill_bar.hide()
        self.reload()

    def _refresh(self, _changes: Changes) -> None:
        self.reload()
        if self._current is not None:
            self.show_profile(self._current)

    def _loaded(self, rows: list[MemberHit]) -> None:
        self.model.set_rows(rows)
        q = self.search.text().strip()
        if q:
            self.count.setText(self.tr("%n match(es)", "", len(rows)))
        elif self._drill is not None:
            self.count.setText(self.tr("%n member(s)", "", len(rows)))
        else:
            self.count.setText(self.tr("%n recently active", "", len(rows)))
        if rows and self._current is None:
            self.table.selectRow(0)

    def selected_members(self) -> list[MemberHit]:
        return [m for m in selected_rows(self.table) if isinstance(m, MemberHit)]

    def _selection_changed(self) -> None:
        sel = self.selected_members()
        self.award_button.setEnabled(len(sel) == 1)
        self.bulk_button.setEnabled(bool(sel))
        self.bulk_button.setText(
            self.tr("Bulk award to {n}…").format(n=len(sel)) if len(sel) > 1 else self.tr("Bulk award…")
        )
        if len(sel) == 1:
            self.show_profile(sel[0].id)

    def show_profile(self, user_id: int) -> None:
        self._current = user_id
        if self.notes_panel.user_id != user_id:
            self.notes_panel.set_member(user_id)
        QueryOp(
            self, op=lambda _t: self.backend.rec.profile(user_id), success=self._profile_loaded
        ).run_in_background()
        if self.backend.member_badges_fn is not None and user_id not in self._badges_asked:
            # a sync does not list automatic badges' holders: read this member's badges once
            self._badges_asked.add(user_id)

            def op(token: CancelToken, progress: ProgressCallback) -> Changes:
                return self.backend.fetch_member_badges(user_id, token, progress)

            def done(_changes: Changes) -> None:
                if self._current == user_id:
                    self.show_profile(user_id)

            # offline: the profile shows the badges the cache holds
            MutationOp(self, op=op, success=done).failure(lambda _exc: None).run_in_background(initiator=self)

    def _profile_loaded(self, p: MemberProfile) -> None:
        if p.id == self._current:
            self._profile = p
            self.profile.setHtml(profile_html(p))

    @Slot(object)
    def retheme(self, _palette: object) -> None:
        if self._profile is not None and self._profile.id == getattr(self, "_current", None):
            self.profile.setHtml(profile_html(self._profile))

    # ------------------------------------------------------------ actions

    def open_award(self) -> None:
        from ui.recognition.badges import AwardDialog

        sel = self.selected_members()
        dlg = AwardDialog(
            self.backend, self.backend.rec.catalog(), member=sel[0] if sel else None, parent=self
        )
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def open_bulk(self, *, show: bool = True) -> QWidget:
        from ui.recognition.bulk import BulkAwardDialog

        dlg = BulkAwardDialog(self.backend, user_ids=[m.id for m in self.selected_members()], parent=self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if show:
            dlg.open()
        return dlg
