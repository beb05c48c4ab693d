"""Replies from the console (Qt-free): saved replies, their placeholders, drafts and the preview.

The reply itself is queued by :meth:`ModerationService.reply
<modconsole.services.moderation.ModerationService.reply>` (outbox kind ``create_post``; sent with
a recognition token and read back before any retry, so it lands once although Discourse has no
idempotency key — CONTRACT-ADDITIONS §A4.2).

* **Saved replies** are templates kept in the cache's settings (:data:`SAVED_REPLIES`; they travel
  with the community they were written for). Placeholders (:data:`PLACEHOLDERS`) are filled from
  the cache by :func:`fill`: the asker's name, the topic's title, your own name, and links to
  similar **solved** questions. "Similar" is the thread view's cheap local measure
  (:func:`modconsole.services.triage.similar_solved`): the FTS5 index over topic titles, matched
  on the title's rarest words and restricted to topics with an accepted answer — no network, no
  model, milliseconds on a large cache.
* **Drafts** are kept per topic in the cache (:data:`REPLY_DRAFTS`), so a half-written reply
  survives closing the thread or the app.
* **Preview**: :func:`preview_html` renders the markdown with markdown-it-py (CommonMark, the
  engine Discourse itself builds on) and passes the HTML through the same sanitizer as every
  post (:func:`modconsole.html.sanitize`), so the preview shows what is safe to show and nothing
  active. Discourse's own cooking differs in details (oneboxes, mentions, emoji).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from sqlalchemy import Connection, text

from modconsole import clock, settings
from modconsole.errors import InvalidInput
from modconsole.html import sanitize
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.thread import topic_url
from modconsole.services.triage import similar_solved

__all__ = [
    "DEFAULT_SAVED_REPLIES",
    "MAX_REPLY_CHARS",
    "PLACEHOLDERS",
    "REPLY_DRAFTS",
    "SAVED_REPLIES",
    "Draft",
    "ReplyContext",
    "SavedReply",
    "clear_draft",
    "fill",
    "get_draft",
    "new_saved_reply",
    "preview_html",
    "reply_context",
    "save_draft",
]

MAX_REPLY_CHARS = 32000
"""Discourse's default ``max_post_length``; a longer body is refused by the server (422)."""

MAX_TEMPLATE_CHARS = 8000
MAX_TITLE_CHARS = 120

PLACEHOLDERS: tuple[tuple[str, str], ...] = (
    ("{asker}", QT_TRANSLATE_NOOP("core", "the asker's name (their full name, else their username)")),
    ("{asker_username}", QT_TRANSLATE_NOOP("core", "the asker's username, e.g. for @{asker_username}")),
    ("{topic}", QT_TRANSLATE_NOOP("core", "the question's title")),
    ("{similar}", QT_TRANSLATE_NOOP("core", "a list of links to similar solved questions (up to 3)")),
    ("{me}", QT_TRANSLATE_NOOP("core", "your own username")),
)
"""The placeholders a saved reply may use, with what each becomes."""


@dataclass(frozen=True)
class SavedReply:
    id: str
    title: str
    body: str
    language: str = ""  # "en", "de" or "" (any): shown as a hint in the list


def new_saved_reply(title: str, body: str, language: str = "") -> SavedReply:
    return SavedReply(uuid.uuid4().hex[:12], title, body, language)


DEFAULT_SAVED_REPLIES: tuple[SavedReply, ...] = (
    SavedReply(
        "default-welcome-en",
        "First response",
        "Hi {asker},\n\nthanks for asking! We are looking into this and will get back to you in this thread.",
        "en",
    ),
    SavedReply(
        "default-similar-en",
        "Similar solved questions",
        "Hi {asker},\n\nthese solved questions look close to yours — does one of them help?\n\n"
        "{similar}\n\nIf not, tell us what is different in your setup.",
        "en",
    ),
    SavedReply(
        "default-details-en",
        "Need more details",
        "Hi {asker},\n\nto help you we need a little more detail: the version you use, the exact "
        "error message, and the steps that lead to it.",
        "en",
    ),
    SavedReply(
        "default-accept-en",
        "Please mark the solution",
        "Hi {asker},\n\nif one of the replies solved your question, please mark it as the solution "
        "so that others with the same problem find it quickly.",
        "en",
    ),
    SavedReply(
        "default-note-en",
        "Staff note: escalated",
        "Escalated to the product team by @{me}; waiting for their answer before we reply.",
        "en",
    ),
    SavedReply(
        "default-welcome-de",
        "Erste Antwort",
        "Hallo {asker},\n\nvielen Dank für Ihre Frage! Wir sehen uns das an und melden uns hier im Thema.",
        "de",
    ),
    SavedReply(
        "default-similar-de",
        "Ähnliche gelöste Fragen",
        "Hallo {asker},\n\ndiese gelösten Fragen ähneln Ihrer — hilft Ihnen eine davon weiter?\n\n"
        "{similar}\n\nFalls nicht: Was ist bei Ihnen anders?",
        "de",
    ),
    SavedReply(
        "default-details-de",
        "Mehr Details nötig",
        "Hallo {asker},\n\ndamit wir helfen können, brauchen wir etwas mehr: die Version, die genaue "
        "Fehlermeldung und die Schritte, die dazu führen.",
        "de",
    ),
    SavedReply(
        "default-note-de",
        "Interne Notiz: eskaliert",
        "An das Produktteam eskaliert von @{me}; wir warten auf deren Antwort, bevor wir antworten.",
        "de",
    ),
    SavedReply(
        "default-accept-de",
        "Bitte Lösung markieren",
        "Hallo {asker},\n\nfalls eine der Antworten Ihre Frage gelöst hat, markieren Sie sie bitte als "
        "Lösung, damit andere mit demselben Problem sie schnell finden.",
        "de",
    ),
)


# ---------------------------------------------------------------- saved replies (settings)


def _replies_decode(value: Any) -> tuple[SavedReply, ...]:
    if not isinstance(value, list):
        raise InvalidInput("The saved replies must be a JSON list.")
    out = []
    for item in value:
        if not isinstance(item, Mapping) or not isinstance(item.get("body"), str):
            raise InvalidInput("Each saved reply needs a title and a body.")
        out.append(
            SavedReply(
                str(item.get("id") or uuid.uuid4().hex[:12]),
                str(item.get("title") or ""),
                str(item["body"]),
                str(item.get("language") or ""),
            )
        )
    return tuple(out)


def _replies_encode(value: tuple[SavedReply, ...]) -> Any:
    return [{"id": r.id, "title": r.title, "body": r.body, "language": r.language} for r in value]


def _replies_check(value: tuple[SavedReply, ...]) -> None:
    for r in value:
        if not r.title.strip():
            raise InvalidInput("A saved reply needs a title.")
        if len(r.title) > MAX_TITLE_CHARS:
            raise InvalidInput(f"A saved reply's title is at most {MAX_TITLE_CHARS} characters.")
        if len(r.body.strip()) < 2:
            raise InvalidInput(f"The saved reply “{r.title}” is empty.")
        if len(r.body) > MAX_TEMPLATE_CHARS:
            raise InvalidInput(f"A saved reply is at most {MAX_TEMPLATE_CHARS} characters.")
    if len({r.id for r in value}) != len(value):
        raise InvalidInput("Two saved replies have the same id.")


SAVED_REPLIES: settings.Key[tuple[SavedReply, ...]] = settings.key(
    "replies.saved",
    "Saved replies (templates with placeholders) offered by the reply composer.",
    lambda: DEFAULT_SAVED_REPLIES,
    _replies_decode,
    _replies_encode,
    _replies_check,
)


# ---------------------------------------------------------------- drafts (settings)


@dataclass(frozen=True)
class Draft:
    topic_id: int
    raw: str
    whisper: bool
    updated_at: str


def _drafts_decode(value: Any) -> dict[str, Any]:
    return dict(settings.json_object(value, "reply drafts"))


REPLY_DRAFTS: settings.Key[dict[str, Any]] = settings.key(
    "replies.drafts",
    "Unsent reply drafts, per topic (kept until sent or discarded).",
    dict,
    _drafts_decode,
    lambda v: v,
)


def get_draft(conn: Connection, topic_id: int) -> Draft | None:
    d = settings.get(conn, REPLY_DRAFTS).get(str(int(topic_id)))
    if not isinstance(d, Mapping) or not isinstance(d.get("raw"), str) or not d["raw"].strip():
        return None
    return Draft(int(topic_id), str(d["raw"]), bool(d.get("whisper")), str(d.get("updated_at") or ""))


def save_draft(conn: Connection, topic_id: int, raw: str, *, whisper: bool = False) -> None:
    """Keep ``raw`` as the topic's draft (in the caller's write transaction); blank text forgets it."""
    current: dict[str, Any] = settings.get(conn, REPLY_DRAFTS)
    drafts = dict(current)
    key = str(int(topic_id))
    if raw.strip():
        stamp = clock.now().isoformat(timespec="seconds")
        drafts[key] = {"raw": raw[: MAX_REPLY_CHARS * 2], "whisper": bool(whisper), "updated_at": stamp}
    elif key in drafts:
        del drafts[key]
    else:
        return
    settings.put(conn, REPLY_DRAFTS, drafts)


def clear_draft(conn: Connection, topic_id: int) -> None:
    save_draft(conn, topic_id, "")


# ---------------------------------------------------------------- placeholders


@dataclass(frozen=True)
class ReplyContext:
    """What the placeholders of a saved reply are filled with, read from the cache."""

    topic_id: int
    topic_title: str
    asker_name: str
    asker_username: str
    me: str
    similar: tuple[tuple[str, str], ...]  # (title, url) of similar solved questions

    def values(self) -> dict[str, str]:
        links = "\n".join(f"- [{_md_text(t)}]({u})" for t, u in self.similar)
        return {
            "asker": self.asker_name or self.asker_username,
            "asker_username": self.asker_username,
            "topic": self.topic_title,
            "similar": links,
            "me": self.me,
        }


def _md_text(title: str) -> str:
    """A title as markdown link text (brackets escaped so the link stays one link)."""
    return re.sub(r"([\[\]\\])", r"\\\1", title)


def reply_context(
    conn: Connection,
    topic_id: int,
    *,
    site_url: str,
    me: str,
    similar_limit: int = 3,
    link: Callable[[int, str], str] | None = None,
) -> ReplyContext:
    """``link(topic_id, slug)``: a topic's address as the site's platform spells it (its
    connector's ``web_url``); without it, Discourse's form below ``site_url``."""
    row = conn.execute(
        text(
            "SELECT t.title, COALESCE(u.name, ''), COALESCE(u.username, p.username, '') "
            "FROM topics t "
            "LEFT JOIN posts p ON p.topic_id = t.id AND p.post_number = 1 "
            "LEFT JOIN users u ON u.id = COALESCE(t.user_id, p.user_id) WHERE t.id = :t"
        ),
        {"t": int(topic_id)},
    ).first()
    title, name, username = (str(row[0] or ""), str(row[1]), str(row[2])) if row else ("", "", "")
    similar = tuple(
        (s.title, link(s.topic_id, s.slug) if link is not None else topic_url(site_url, s.topic_id, s.slug))
        for s in similar_solved(conn, int(topic_id), limit=similar_limit)
    )
    return ReplyContext(int(topic_id), title, name.strip(), username, me, similar)


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, context: ReplyContext | Mapping[str, str]) -> str:
    """``template`` with its placeholders filled; unknown ``{words}`` stay as written. A line that
    held only a placeholder which came out empty (``{similar}`` with nothing similar) is dropped."""
    values = context.values() if isinstance(context, ReplyContext) else dict(context)
    lines = []
    for line in template.split("\n"):
        filled = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), line)
        if not filled.strip() and _PLACEHOLDER.search(line) and not _PLACEHOLDER.sub("", line).strip():
            continue
        lines.append(filled)
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out)


def unknown_placeholders(template: str) -> list[str]:
    known = {p[0][1:-1] for p in PLACEHOLDERS}
    return sorted({m.group(1) for m in _PLACEHOLDER.finditer(template)} - known)


# ---------------------------------------------------------------- preview


_MD = MarkdownIt("commonmark", {"linkify": False, "breaks": True, "html": True}).enable(
    ["table", "strikethrough"]
)


def preview_html(raw: str) -> str:
    """The reply as it will read: markdown → HTML (markdown-it-py), then the post sanitizer.
    Raw HTML in the markdown is kept for the sanitizer to judge, as Discourse allows some."""
    return sanitize(_MD.render(raw or ""))


def ordered(replies: Sequence[SavedReply], language: str) -> list[SavedReply]:
    """The saved replies with those in ``language`` (or for any language) first, order kept."""
    first = [r for r in replies if r.language in ("", language)]
    return first + [r for r in replies if r not in first]
