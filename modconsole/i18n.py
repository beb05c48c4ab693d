"""Marking texts for translation in the core, which must not import Qt.

A message the core produces and the UI shows (an outbox state, a conflict's wording, a known
error's one line) is written in English and wrapped in :func:`QT_TRANSLATE_NOOP` where it is
defined. At run time the marker returns the text unchanged, so the core, the headless commands
and the logs stay English; Qt's ``lupdate`` recognises the name and puts the text into the
catalogue (``resources/i18n/modconsole_de.ts``) under the given context. The UI translates it
at the boundary, where it shows it: ``ui.i18n.core_text(text)`` looks the very same English text
up in the installed catalogue (context :data:`CORE`), so no message ids are needed and a text
without a translation simply shows in English.

Texts with variable parts keep ``{name}`` fields and are formatted *after* translation
(``core_text(TEMPLATE).format(...)``); a core function that formats eagerly gives the UI the
template and the values, not the finished sentence.
"""

from __future__ import annotations

__all__ = ["CORE", "QT_TRANSLATE_NOOP"]

CORE = "core"
"""The catalogue context of every text the core marks."""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for the translation catalogue under ``context``; returns it unchanged."""
    return text
