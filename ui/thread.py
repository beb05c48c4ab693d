"""The thread view: one question and its replies, with similar solved questions and experts.

Post bodies are rendered from :func:`modconsole.html.sanitize` output only. Remote images are
replaced by links unless the moderator allows them for this session ("Show images"). Qt's
rich-text engine never fetches remote URLs by itself: once allowed, each image is fetched in the
background by :class:`ui.remote_images.RemoteImages` (no credentials sent) and added to the
post's document as a resource.

Keyboard (bound by the queue page from :mod:`ui.actions`): ``n``/``p`` select the next/previous
reply, ``a`` accepts the selected reply (or unaccepts it when it is the accepted one). The panel
shows the topic last asked for (:attr:`ThreadPanel.wanted_topic_id`): an answer for an earlier
request that arrives late is dropped, so what is shown is what was asked for last.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QImage,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from modconsole import clock
from modconsole.changes import Changes
from modconsole.html import sanitize
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.outbox.policy import PushOutcome
from modconsole.services.sla import parse_ts
from modconsole.services.thread import ThreadPost, ThreadView, topic_url
from modconsole.services.triage import Expert, SimilarTopic
from modconsole.services.user_notes import UserNotesService
from modconsole.tasks import CancelToken, ProgressCallback
from ui import theme
from ui.composer import ReplyComposer, replies_port
from ui.i18n import duration_text, fmt_datetime
from ui.ops import ChangeWatcher, MutationOp, QueryOp
from ui.push import push_op
from ui.remote_images import RemoteImages
from ui.user_notes import notes_button_text

__all__ = ["ModerationPort", "PostBody", "ThreadBackend", "ThreadData", "ThreadPanel"]

NOTE_READS = 20
"""At most this many authors' notes are read when a thread opens (the rest when opened)."""

NO_OUTBOX_TIP = QT_TRANSLATE_NOOP(
    "ThreadPanel",
    "Accepting answers goes through the offline outbox, which is not available in this build yet.",
)


class ModerationPort(Protocol):
    """Accept/unaccept through the outbox (``modconsole.services.moderation``)."""

    def accept(
        self, post_id: int, topic_id: int, token: CancelToken, progress: ProgressCallback
    ) -> Changes: ...

    def unaccept(
        self, post_id: int, topic_id: int, token: CancelToken, progress: ProgressCallback
    ) -> Changes: ...

    def pending_for_topic(self, topic_id: int) -> Mapping[int, str]:
        """Post id → a label of the action waiting for it ("Accept pending")."""
        ...


class ThreadBackend(Protocol):
    @property
    def site_url(self) -> str: ...

    @property
    def moderation(self) -> ModerationPort | None: ...

    def thread_data(self, topic_id: int) -> ThreadData: ...

    def push_outbox(self, token: CancelToken, progress: ProgressCallback) -> PushOutcome:
        """Send what is queued and re-read what it changed (``modconsole.outbox.policy``)."""
        ...


@dataclass(frozen=True)
class ThreadData:
    view: ThreadView
    similar: tuple[SimilarTopic, ...]
    experts: tuple[Expert, ...]
    pending: Mapping[int, str]


def _when(ts: str | None) -> str:
    dt = parse_ts(ts)
    if dt is None:
        return ""
    ago = duration_text((clock.now().astimezone() - dt).total_seconds())
    return QCoreApplication.translate("ThreadPanel", "{when} · {ago} ago").format(
        when=fmt_datetime(dt), ago=ago
    )


class PostBody(QTextBrowser):
    """A post's sanitized HTML: read-only rich text that grows to fit (no scroll bars of its own).

    Resources come only from :meth:`add_image`; :meth:`loadResource` never loads anything (a
    plain ``QTextBrowser`` would read local files for relative ``src`` values).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._html = ""
        self.setObjectName("postBody")
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(120)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.viewport().setAutoFillBackground(False)
        # transparent on its card: style.qss (QTextBrowser#postBody)
        self.document().setDocumentMargin(0)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.anchorClicked.connect(lambda url: _open_link(url.toString()))
        self._fit()

    def text(self) -> str:
        """The HTML last set (like ``QLabel.text``)."""
        return self._html

    def setText(self, text: str) -> None:
        self._html = text
        self.setHtml(text)
        self._fit()

    def image_names(self) -> list[str]:
        """The ``src`` of every image in the document, in order, without repeats."""
        names: list[str] = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fmt = it.fragment().charFormat()
                if fmt.isImageFormat():
                    name = QTextImageFormat(fmt.toImageFormat()).name()
                    if name and name not in names:
                        names.append(name)
                it += 1
            block = block.next()
        return names

    def add_image(self, name: str, image: QImage) -> None:
        doc = self.document()
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        doc.markContentsDirty(0, doc.characterCount())  # re-layout with the image's real size
        self._fit()

    def loadResource(self, _type: int, _name: QUrl | str) -> object:
        return None

    def _fit(self, *_args: object) -> None:
        height = int(self.document().size().height() + 0.999) + 2 * self.frameWidth()
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(max(height, self.fontMetrics().height()))


class PostCard(QFrame):
    """One post: author line, sanitized body, accept/unaccept."""

    accept_clicked = Signal(int)
    unaccept_clicked = Signal(int)
    notes_clicked = Signal(int)

    def __init__(
        self,
        post: ThreadPost,
        *,
        is_question: bool,
        allow_images: bool,
        images: RemoteImages | None = None,
        base_url: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.post = post
        self._images = images
        self._base_url = base_url
        self._image_urls: dict[str, list[str]] = {}  # absolute URL → the names used in the post
        self.setObjectName("postCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        a = post.author
        bits = [f"<b>{_esc(a.username)}</b>"]
        if a.name:
            bits.append(_esc(a.name))
        if a.company:
            bits.append(_esc(a.company))
        if a.trust_level is not None:
            bits.append(f"TL{a.trust_level}")
        if a.staff:
            bits.append(self.tr("staff"))
        if a.badges:
            bits.append(self.tr("badges: {names}").format(names=", ".join(_esc(b) for b in a.badges)))
        if post.by_asker and not is_question:
            bits.append("<i>" + self.tr("asker") + "</i>")
        self.author_label = QLabel(" · ".join(bits))
        self.author_label.setTextFormat(Qt.TextFormat.RichText)
        self.author_label.setWordWrap(True)
        # staff notes on the author (ui.user_notes): shown by the panel where notes are available
        self.notes_button = QPushButton(notes_button_text(None))
        self.notes_button.setObjectName("notesButton")
        self.notes_button.setFlat(True)
        self.notes_button.setVisible(False)
        self.notes_button.clicked.connect(lambda: self.notes_clicked.emit(self.post.post_id))
        self.set_note_count(None)
        self.time_label = QLabel(_when(post.created_at))
        self.time_label.setProperty("role", "muted")
        # author line, then the time under it: side by side, a narrow pane wrapped the author word by word
        head = QVBoxLayout()
        head.setSpacing(2)
        who = QHBoxLayout()
        who.addWidget(self.author_label, 1)
        who.addWidget(self.notes_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(who)
        head.addWidget(self.time_label)
        self.badge = QLabel("")
        self.badge.setObjectName("acceptedBadge")
        self.body = PostBody()
        what = "Question" if is_question else f"Reply {post.post_number}"
        self.body.setAccessibleName(
            f"{what} by @{a.username}" + (", the accepted answer" if post.accepted else "")
        )
        self.set_allow_images(allow_images)
        self.accept_button = QPushButton(self.tr("Accept as answer"))
        self.accept_button.clicked.connect(lambda: self.accept_clicked.emit(self.post.post_id))
        self.unaccept_button = QPushButton(self.tr("Unaccept"))
        self.unaccept_button.clicked.connect(lambda: self.unaccept_clicked.emit(self.post.post_id))
        self.pending_label = QLabel("")
        self.pending_label.setProperty("role", "muted")
        actions = QHBoxLayout()
        actions.addWidget(self.badge)
        actions.addWidget(self.pending_label)
        actions.addStretch(1)
        actions.addWidget(self.accept_button)
        actions.addWidget(self.unaccept_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(head)
        layout.addWidget(self.body)
        layout.addLayout(actions)
        self._is_question = is_question
        self.set_selected(False)

    def set_note_count(self, count: int | None) -> None:
        """The author's staff notes as known (``None``: not read yet)."""
        self.notes_button.setText(notes_button_text(count))
        who = f"@{self.post.author.username}"
        tip = (
            self.tr("{n} staff note(s) on {who}: read or add").format(n=count, who=who)
            if count
            else self.tr("Staff notes on {who}: read or add").format(who=who)
        )
        self.notes_button.setToolTip(tip)
        self.notes_button.setAccessibleName(tip)

    def set_allow_images(self, allow: bool) -> None:
        self.body.setText(sanitize(self.post.cooked, allow_remote_images=allow))
        self._image_urls = {}
        if not allow or self._images is None:
            return
        base = QUrl(self._base_url)
        for name in self.body.image_names():
            url = QUrl(name)
            if url.isRelative() and base.isValid() and not base.isEmpty():
                url = base.resolved(url)  # "/uploads/…" lives on the community itself
            self._image_urls.setdefault(url.toString(), []).append(name)
        for absolute in self._image_urls:
            image = self._images.image(absolute)
            if image is not None:
                self.image_loaded(absolute, image)
            else:
                self._images.request(absolute)

    def image_loaded(self, url: str, image: QImage) -> None:
        """Show a fetched image wherever this post uses ``url`` (no-op if it does not)."""
        for name in self._image_urls.get(url, ()):
            self.body.add_image(name, image)

    def update_actions(self, *, can_moderate: bool, accepts_answers: bool, pending: str | None) -> None:
        accepted = self.post.accepted
        self.badge.setText(self.tr("✔ Accepted answer") if accepted else "")
        self.pending_label.setText(pending or "")
        show = not self._is_question and accepts_answers
        self.accept_button.setVisible(show and not accepted)
        self.unaccept_button.setVisible(show and accepted)
        enabled = can_moderate and pending is None
        for b in (self.accept_button, self.unaccept_button):
            b.setEnabled(enabled)
            if not can_moderate:
                b.setToolTip(QCoreApplication.translate("ThreadPanel", NO_OUTBOX_TIP))
            elif pending:
                b.setToolTip(self.tr("Waiting to be sent to the community"))
            else:
                b.setToolTip(self.tr("Saved locally first, then sent when online (shortcut: a)"))

    def set_selected(self, selected: bool) -> None:
        """Frame the card: selected, accepted or plain (style.qss, QFrame#postCard, in the palette in use)."""
        self.setProperty("selected", "true" if selected else "false")
        self.setProperty("accepted", "true" if self.post.accepted else "false")
        self.style().unpolish(self)
        self.style().polish(self)


def _esc(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def _open_link(url: str) -> None:
    q = QUrl(url)
    if q.scheme() in ("http", "https", "mailto"):
        QDesktopServices.openUrl(q)


class ThreadPanel(QWidget):
    """The question and its replies (left) with the helper panel (right)."""

    open_topic = Signal(int)

    def __init__(self, backend: ThreadBackend | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threadPanel")
        theme.follow(self.retheme)  # what it wrote in colours, re-written in the new palette
        self._backend = backend
        self.multiple_accepted = False
        """Several replies may be accepted (``Capabilities.multiple_accepted_answers``): the
        state line counts them."""
        self._topic_url: Callable[..., str] | None = getattr(backend, "topic_url", None)
        self._data: ThreadData | None = None
        self._wanted: int | None = None  # the topic last asked for; late answers for others are dropped
        self._cards: list[PostCard] = []
        self._selected = -1
        self._allow_images = False
        self.images = RemoteImages(self)  # fetched images, for this panel's (the session's) lifetime
        self.images.loaded.connect(self._image_loaded)

        self.title = QLabel(self.tr("Select a question"))
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.meta = QLabel("")
        self.meta.setProperty("role", "muted")
        self.meta.setWordWrap(True)  # category · company · asker … wraps in a narrow thread pane
        self.images_box = QCheckBox(self.tr("Show images"))
        self.images_box.setToolTip(self.tr("Remote images are blocked; allow them for this session"))
        self.images_box.toggled.connect(self.set_allow_images)
        self.browser_button = QPushButton(self.tr("Open in browser"))
        self.browser_button.clicked.connect(self.open_in_browser)
        self.browser_button.setEnabled(False)
        self.reply_button = QPushButton(self.tr("Reply…"))
        self.reply_button.setToolTip(self.tr("Write a reply or a staff-only whisper (shortcut: r)"))
        self.reply_button.clicked.connect(self.open_composer)
        self.reply_button.setEnabled(False)
        self.composer = ReplyComposer()  # under the posts, hidden until r / "Reply…"
        self.composer.hide()
        self.composer.closed.connect(self._composer_closed)
        # the meta line gets the pane's full width (it wrapped word by word beside the buttons)
        top = QHBoxLayout()
        top.addWidget(self.images_box)
        top.addStretch(1)
        top.addWidget(self.browser_button)

        self.posts_host = QWidget()
        self.posts_layout = QVBoxLayout(self.posts_host)
        self.posts_layout.setContentsMargins(0, 0, 6, 0)
        self.posts_layout.setSpacing(10)
        # "Reply…" under the last post (inside the scrolled posts: the header row has no width to spare)
        reply_row = QHBoxLayout()
        reply_row.addStretch(1)
        reply_row.addWidget(self.reply_button)
        self.posts_layout.addLayout(reply_row)
        self.posts_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.posts_host)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # -- helper strip under the thread: similar solved questions, suggested experts
        similar_title = QLabel(self.tr("Similar solved questions"))
        similar_title.setProperty("role", "heading")
        self.similar_list = QListWidget()
        self.similar_list.setAccessibleName(self.tr("Similar solved questions"))
        self.similar_list.setObjectName("similarList")
        self.similar_list.setWordWrap(True)
        self.similar_list.itemActivated.connect(self._similar_activated)
        self.copy_link_button = QPushButton(self.tr("Copy link"))
        self.copy_link_button.setToolTip(self.tr("Copy the selected question's link, to paste into a reply"))
        self.copy_link_button.clicked.connect(self._copy_similar_link)
        experts_title = QLabel(self.tr("Suggested experts"))
        experts_title.setProperty("role", "heading")
        self.experts_list = QListWidget()
        self.experts_list.setAccessibleName(self.tr("Suggested experts"))
        self.experts_list.setObjectName("expertsList")
        self.experts_list.setWordWrap(True)
        self.copy_mention_button = QPushButton(self.tr("Copy @mention"))
        self.copy_mention_button.clicked.connect(self._copy_mention)
        helper = QWidget()
        hl = QHBoxLayout(helper)
        hl.setContentsMargins(0, 4, 0, 0)
        for title_label, lst, button in (
            (similar_title, self.similar_list, self.copy_link_button),
            (experts_title, self.experts_list, self.copy_mention_button),
        ):
            title_label.setWordWrap(True)  # one word under the other in a narrow pane, not a wider pane
            col = QVBoxLayout()
            col.addWidget(title_label)
            col.addWidget(lst, 1)
            foot = QHBoxLayout()  # the button under its list: the heading keeps one line
            foot.addStretch(1)
            foot.addWidget(button)
            col.addLayout(foot)
            hl.addLayout(col, 1)

        # A splitter sizes its panes by their minimum hint, which ignores a wrapped heading's second
        # line: room for it here, or the lists are squeezed below a usable height.
        helper.setMinimumHeight(helper.minimumSizeHint().height() + 2 * self.fontMetrics().lineSpacing())
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("threadSplitter")
        self.splitter.addWidget(self.scroll_area)
        self.splitter.addWidget(self.composer)
        self.splitter.addWidget(helper)
        self.splitter.setCollapsible(1, False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([560, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self._watcher = ChangeWatcher(self, kinds=("topics", "posts", "outbox"), refresh=self._on_changes)

    # ------------------------------------------------------------ loading

    def set_backend(self, backend: ThreadBackend | None) -> None:
        self._backend = backend
        caps = getattr(backend, "capabilities", None)  # a session's, read once (test doubles have none)
        self.multiple_accepted = bool(getattr(caps, "multiple_accepted_answers", False))
        # a session spells links as its platform does (its connector); a test double: Discourse's form
        self._topic_url = getattr(backend, "topic_url", None)
        self.composer.set_port(replies_port(backend))
        self.clear()

    @property
    def topic_id(self) -> int | None:
        return self._data.view.topic_id if self._data else None

    @property
    def wanted_topic_id(self) -> int | None:
        """The topic last asked for with :meth:`show_topic` (shown once its data arrives)."""
        return self._wanted

    def shows(self, topic_id: int) -> bool:
        """Whether ``topic_id`` is on screen and nothing else has been asked for since."""
        return self._wanted == topic_id and self.topic_id == topic_id

    def clear(self) -> None:
        self._data = None
        self._wanted = None
        self._set_cards([])
        self.title.setText(self.tr("Select a question"))
        self.meta.setText(self.tr("Choose a question in the queue and press Enter."))
        self.browser_button.setEnabled(False)
        self.reply_button.setEnabled(False)
        self.composer.close_composer()
        self.similar_list.clear()
        self.experts_list.clear()

    def show_topic(self, topic_id: int, *, keep_selection: bool = False) -> None:
        backend = self._backend
        if backend is None:
            return
        previous = self._selected if keep_selection and self.topic_id == topic_id else -1
        self._wanted = topic_id

        def arrived(data: ThreadData) -> None:
            if self._wanted == topic_id:  # not overtaken by a later request
                self._show(data, previous)

        QueryOp(self, op=lambda _t: backend.thread_data(topic_id), success=arrived).coalesce(
            f"thread-{id(self)}-{topic_id}"
        ).run_in_background()

    @Slot(object)
    def retheme(self, _palette: object) -> None:
        data = getattr(self, "_data", None)
        if data is not None:
            self._show(data, self._selected)

    def _show(self, data: ThreadData, select: int = -1) -> None:
        self._data = data
        v = data.view
        self.title.setText(v.title)
        state = self.tr("Solved") if v.solved else self.tr("Unsolved")
        accepted = sum(1 for p in v.posts[1:] if p.accepted)
        if self.multiple_accepted and accepted:
            state = self.tr("Solved · %n accepted answer(s)", "", accepted)
        self.meta.setText(
            self.tr("{category} · {state} · asked {when} · %n post(s)", "", len(v.posts)).format(
                category=v.category, state=state, when=_when(v.created_at)
            )
        )
        self.browser_button.setEnabled(True)
        self.reply_button.setEnabled(self.composer.available)
        if self.composer.isVisible() and self.composer.topic_id != v.topic_id:
            self.composer.close_composer()  # another question now: its draft stays with its topic
        cards = []
        for i, post in enumerate(v.posts):
            card = PostCard(
                post,
                is_question=i == 0,
                allow_images=self._allow_images,
                images=self.images,
                base_url=self._backend.site_url if self._backend is not None else "",
            )
            card.accept_clicked.connect(self._accept)
            card.unaccept_clicked.connect(self._unaccept)
            card.notes_clicked.connect(self._open_notes)
            cards.append(card)
        self._set_cards(cards)
        self._show_note_counts(v.topic_id, cards)
        self._update_actions()
        self.similar_list.clear()
        for s in data.similar:
            item = QListWidgetItem(f"{s.title}\n{s.category}")
            item.setData(Qt.ItemDataRole.UserRole, s.topic_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, s.slug)
            self.similar_list.addItem(item)
        if not data.similar:
            self.similar_list.addItem(QListWidgetItem(self.tr("No similar solved questions found.")))
        self.experts_list.clear()
        for e in data.experts:
            company = f" · {e.company}" if e.company else ""
            item = QListWidgetItem(
                f"@{e.username}{company}\n"
                + self.tr("{solved} solved here · {open} open threads").format(
                    solved=e.solved, open=e.open_questions
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, e.username)
            self.experts_list.addItem(item)
        if not data.experts:
            self.experts_list.addItem(QListWidgetItem(self.tr("Nobody has solved questions here recently.")))
        replies = len(cards) - 1
        if replies > 0:
            target = select if 0 < select < len(cards) else 1
            self._select(target)

    def refresh(self, topic_id: int) -> None:
        """Re-read ``topic_id`` keeping the selected reply — unless another topic was asked for
        since (the moderator moved on while an action was sent)."""
        if self._wanted == topic_id:
            self.show_topic(topic_id, keep_selection=True)

    def _set_cards(self, cards: list[PostCard]) -> None:
        for card in self._cards:
            self.posts_layout.removeWidget(card)
            card.deleteLater()
        self._cards = cards
        self._selected = -1
        for i, card in enumerate(cards):
            self.posts_layout.insertWidget(i, card)
        # Tab order: the header's buttons, each post's actions, then the helper lists.
        chain: list[QWidget] = [self.images_box, self.browser_button]
        for card in cards:
            chain += [card.notes_button, card.accept_button, card.unaccept_button]
        chain += [self.reply_button, self.similar_list]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    def cards(self) -> list[PostCard]:
        return list(self._cards)

    def _update_actions(self) -> None:
        if self._data is None or self._backend is None:
            return
        can = self._backend.moderation is not None
        for card in self._cards:
            card.update_actions(
                can_moderate=can,
                accepts_answers=self._data.view.accepts_answers,
                pending=self._data.pending.get(card.post.post_id),
            )

    @Slot(bool)
    def set_allow_images(self, allow: bool) -> None:
        self._allow_images = allow
        for card in self._cards:
            card.set_allow_images(allow)

    @Slot(str)
    def _image_loaded(self, url: str) -> None:
        image = self.images.image(url)
        if image is None or not self._allow_images:
            return
        for card in self._cards:
            card.image_loaded(url, image)

    # ------------------------------------------------------------ selection and actions

    def select_reply(self, step: int) -> None:
        if len(self._cards) < 2:
            return
        current = self._selected if self._selected > 0 else 0
        self._select(max(1, min(len(self._cards) - 1, current + step)))

    def _select(self, index: int) -> None:
        for i, card in enumerate(self._cards):
            card.set_selected(i == index)
        self._selected = index
        if 0 <= index < len(self._cards):
            self.scroll_area.ensureWidgetVisible(self._cards[index], 0, 40)

    @property
    def selected_post(self) -> ThreadPost | None:
        return self._cards[self._selected].post if 0 < self._selected < len(self._cards) else None

    def toggle_accept_selected(self) -> bool:
        """The ``a`` key: accept the selected reply (unaccept if it is accepted). Returns whether
        an action was started."""
        post = self.selected_post
        card = self._cards[self._selected] if post is not None else None
        if post is None or card is None:
            return False
        button = card.unaccept_button if post.accepted else card.accept_button
        if button.isHidden() or not button.isEnabled():
            return False
        (self._unaccept if post.accepted else self._accept)(post.post_id)
        return True

    def _run(self, post_id: int, fn: Callable[[ModerationPort], Callable[..., Changes]]) -> None:
        backend, data = self._backend, self._data
        if backend is None or data is None or backend.moderation is None:
            return
        port = backend.moderation
        action = fn(port)
        topic_id = data.view.topic_id

        def queued(_changes: Changes) -> None:
            self.refresh(topic_id)  # the pending state shows at once
            (
                push_op(self, backend.push_outbox)
                .success(lambda _outcome: self.refresh(topic_id))
                .failure(self._push_failed)
                .run_in_background(initiator=self)
            )

        MutationOp(
            self, op=lambda token, progress: action(post_id, topic_id, token, progress), success=queued
        ).run_in_background(initiator=self)

    def _push_failed(self, exc: BaseException) -> None:
        from ui.messages import present_failure

        present_failure(exc, parent=self, replace="outbox")
        if self._wanted is not None:
            self.refresh(self._wanted)

    @Slot(int)
    def _accept(self, post_id: int) -> None:
        self._run(post_id, lambda port: port.accept)

    @Slot(int)
    def _unaccept(self, post_id: int) -> None:
        self._run(post_id, lambda port: port.unaccept)

    def _on_changes(self, _changes: Changes) -> None:
        if self._wanted is not None:
            self.refresh(self._wanted)

    # ------------------------------------------------------------ staff notes (ui.user_notes)

    def _notes(self) -> UserNotesService | None:
        svc = getattr(self._backend, "user_notes", None)  # a session offers it; other backends need not
        return svc if isinstance(svc, UserNotesService) and svc.available() else None

    def _show_note_counts(self, topic_id: int, cards: list[PostCard]) -> None:
        """The Notes button beside each author: cached counts at once, then the authors whose
        notes are due read from the community (one request each, at most NOTE_READS per thread)."""
        svc = self._notes()
        authors = sorted({c.post.author.user_id for c in cards if c.post.author.user_id is not None})
        for card in cards:
            card.notes_button.setVisible(svc is not None and card.post.author.user_id is not None)
        if svc is None or not authors:
            return

        def apply(counts: Mapping[int, int]) -> None:
            if self.topic_id != topic_id:
                return
            on = self._notes() is not None  # a read may have found the plugin off
            for card in self._cards:
                uid = card.post.author.user_id
                card.notes_button.setVisible(on and uid is not None)
                card.set_note_count(counts.get(uid) if uid is not None else None)

        apply(svc.counts(authors))
        due = [u for u in authors if svc.needs_read(u)][:NOTE_READS]
        if not due:
            return

        def op(_token: CancelToken, _progress: ProgressCallback) -> tuple[Changes, Mapping[int, int]]:
            for uid in due:
                if svc.refresh(uid).status == "disabled":
                    break
            return Changes(), svc.counts(authors)

        MutationOp(self, op=op, success=apply).failure(lambda _e: None).coalesce(
            f"thread-notes-{id(self)}-{topic_id}"
        ).run_in_background(initiator=self)

    @Slot(int)
    def _open_notes(self, post_id: int) -> None:
        from ui.user_notes import NotesDialog

        svc = self._notes()
        card = next((c for c in self._cards if c.post.post_id == post_id), None)
        if svc is None or card is None or card.post.author.user_id is None:
            return
        push = self._backend.push_outbox if self._backend is not None else None
        dlg = NotesDialog(svc, card.post.author.user_id, post_id=post_id, push=push, parent=self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        topic_id = self.topic_id
        dlg.panel.changed.connect(lambda: self._show_note_counts(topic_id, self._cards) if topic_id else None)
        dlg.open()

    # ------------------------------------------------------------ reply

    @Slot()
    def open_composer(self) -> bool:
        """``r`` / "Reply…": the composer for the question on screen (its draft, if any)."""
        data = self._data
        if data is None or not self.composer.available:
            return False
        if self.composer.isHidden():
            total = max(1, sum(self.splitter.sizes()))
            self.composer.open_for(data.view.topic_id, data.view.title)
            helper = self.splitter.sizes()[2]
            room = max(0, total - helper)
            self.splitter.setSizes([room * 9 // 20, room - room * 9 // 20, helper])
        else:
            self.composer.open_for(data.view.topic_id, data.view.title)
        return True

    @Slot()
    def _composer_closed(self) -> None:
        if self.isVisible():
            self.reply_button.setFocus()

    # ------------------------------------------------------------ links

    def url(self) -> str | None:
        if self._data is None or self._backend is None:
            return None
        return self._link(self._data.view.topic_id, self._data.view.slug)

    def _link(self, topic_id: int, slug: str) -> str:
        if self._topic_url is not None:
            return self._topic_url(topic_id, slug)
        return topic_url(self._backend.site_url if self._backend is not None else "", topic_id, slug)

    @Slot()
    def open_in_browser(self) -> None:
        url = self.url()
        if url:
            QDesktopServices.openUrl(QUrl(url))

    def _selected_similar(self) -> tuple[int, str] | None:
        item = self.similar_list.currentItem()
        tid: Any = item.data(Qt.ItemDataRole.UserRole) if item else None
        if tid is None or item is None:
            return None
        return int(tid), str(item.data(Qt.ItemDataRole.UserRole + 1))

    @Slot()
    def _copy_similar_link(self) -> None:
        sel = self._selected_similar()
        if sel is not None and self._backend is not None:
            QGuiApplication.clipboard().setText(self._link(sel[0], sel[1]))

    @Slot(QListWidgetItem)
    def _similar_activated(self, item: QListWidgetItem) -> None:
        tid = item.data(Qt.ItemDataRole.UserRole)
        if tid is not None:
            self.open_topic.emit(int(tid))

    @Slot()
    def _copy_mention(self) -> None:
        item = self.experts_list.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item else None
        if name:
            QGuiApplication.clipboard().setText(f"@{name}")
