"""Marking texts for translation in the core, which must not import Qt.

A message the core produces and the UI shows (an outbox state, a conflict's wording, a known
error's one line) is written in English and wrapped in :func:`QT_TRANSLATE_NOOP` where it is
defined. At run time the marker returns the text unchanged, so the core, the headless commands
and the logs stay English; Qt's ``lupdate`` recognises the name and puts the text into the
catalogue (``resources/i18n/modconsole_de.ts``) under the given context. The UI translates it
at the boundary, where it shows it: ``ui.i18n.core_text(text)`` looks the very same English text
up in the installed catalogue (context :data:`CORE`), so no message ids are needed and a text
without a translation simply shows in English.

A sentence with variable parts is a :class:`Msg`: a ``str`` (the English sentence, so the
core, the CLI, the logs and every test read it as before) that also keeps its marked template
and its fields. ``core_text`` translates the template and fills in the fields (themselves
translated when they are ``Msg`` or marked texts), so the translator sees and may reorder the
``{name}`` fields: ``Msg(QT_TRANSLATE_NOOP("core", "Award “{badge}” to @{user}"), badge=…, user=…)``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CORE", "QT_TRANSLATE_NOOP", "Msg"]

CORE = "core"
"""The catalogue context of every text the core marks."""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for the translation catalogue under ``context``; returns it unchanged."""
    return text


class Msg(str):
    """The English sentence ``template.format(**fields)``, remembering ``template`` and ``fields``
    so the UI can show it translated (see the module docstring). Joining it with other text
    gives a plain ``str``: build whole sentences as one ``Msg``."""

    template: str
    fields: dict[str, Any]

    def __new__(cls, template: str, /, **fields: Any) -> Msg:
        self = super().__new__(cls, template.format(**fields))
        self.template = template
        self.fields = fields
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.fields))


def _rebuild(template: str, fields: dict[str, Any]) -> Msg:
    return Msg(template, **fields)
