"""Text from the community made safe to print to a terminal.

Names, titles and error texts come from the server; printed raw, a right-to-left override
(U+202E) reorders what a moderator reads (``@evil`` + U+202E + ``nimda`` shows as ``@eviladmin``), and control
characters (ESC sequences, carriage returns) can rewrite or hide parts of the terminal. Every
control character except newline and tab, every invisible formatting character (bidi
embeddings, overrides, isolates and marks, zero-width spaces, the BOM) and the line/paragraph
separators are shown as visible ``\\u202e``-style escapes instead. The zero-width joiner (U+200D)
is kept: emoji sequences need it and it cannot reorder or hide text.

The headless commands write through :class:`TerminalSafeWriter` (installed by
``modconsole.commands.main.main``), so every line they print is neutralised in one place. JSON output is
unaffected: ``json.dumps`` already escapes every non-ASCII character.
"""

from __future__ import annotations

import unicodedata
from typing import Any, TextIO

_KEEP = frozenset("\n\t\u200d")


def _unsafe(ch: str) -> bool:
    if ch in _KEEP:
        return False
    if ch.isascii():
        return ch < " " or ch == "\x7f"
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn")


def for_terminal(text: str) -> str:
    """``text`` with every character that could reorder, hide or rewrite terminal output escaped."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        (f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}") if _unsafe(ch) else ch
        for ch in text
    )


class TerminalSafeWriter:
    """A text stream that passes everything through :func:`for_terminal` to ``stream``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    @property
    def wrapped(self) -> TextIO:
        return self._stream

    def write(self, text: str) -> int:
        self._stream.write(for_terminal(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, buffer, …
        return getattr(self._stream, name)


__all__ = ["TerminalSafeWriter", "for_terminal"]
