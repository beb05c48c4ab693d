"""The one CSV writer every export uses: text cells cannot become spreadsheet formulas.

A spreadsheet treats a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula, and some strip a
leading tab or carriage return first. Following the OWASP advice on CSV injection, a *text* cell starting
with any of these is prefixed with a single quote, whatever follows (``+1+cmd|' /C calc'!A0`` included).
Whether a cell is text is decided by its Python type, not by how it looks: ``-3.5`` passed as a float
stays a number, ``"-3.5"`` passed as a string is text and gets the quote. So exports hand numbers over as
``int``/``float``/``Decimal``, never pre-formatted.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import IO, Any

__all__ = ["FORMULA_PREFIXES", "SafeDictWriter", "SafeWriter", "cell"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """``value`` safe for a spreadsheet: numbers, ``None`` and safe text unchanged, risky text quoted."""
    if value is None or isinstance(value, int | float | Decimal):  # bool is an int: written as True/False
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class SafeWriter:
    """``csv.writer`` whose every row goes through :func:`cell`.

    Python's writer quotes a field only for the characters of *its* line terminator, so with ``"\\n"`` a
    carriage return inside a cell would be written bare and split the row in a spreadsheet. A row with a
    line break inside a text cell is therefore written with every text cell quoted (numbers stay bare).
    """

    def __init__(self, fh: IO[str], **fmtparams: Any) -> None:
        self._w = csv.writer(fh, **fmtparams)
        self._quoted = csv.writer(fh, **{**fmtparams, "quoting": csv.QUOTE_NONNUMERIC})

    def writerow(self, row: Iterable[Any]) -> Any:
        cells = [cell(v) for v in row]
        breaks = any(isinstance(c, str) and ("\r" in c or "\n" in c) for c in cells)
        return (self._quoted if breaks else self._w).writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """``csv.DictWriter`` whose header and every value go through :func:`cell`."""

    def __init__(self, fh: IO[str], fieldnames: list[str], **fmtparams: Any) -> None:
        self.fieldnames = list(fieldnames)
        self._w = SafeWriter(fh, **fmtparams)

    def writeheader(self) -> Any:
        return self._w.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> Any:
        unknown = set(row) - set(self.fieldnames)
        if unknown:
            raise ValueError(f"fields not in the header: {', '.join(sorted(unknown))}")
        return self._w.writerow([row.get(k, "") for k in self.fieldnames])
