"""CSV imports a community lead makes: the list of customer accounts and survey scores.

Customer accounts (``name,domains``)::

    name,domains
    Acme Logistics,acme-logistics.example
    Northwind Group,northwind.example; northwind.co.uk

``domains`` holds one or more e-mail domains separated by ``;``, ``,`` inside quotes, ``|`` or spaces
(``domain`` is accepted as the column name too). An import **replaces** the previous list.

Survey (``date,csat,effort``; at least one of the two score columns)::

    date,csat,effort,email
    2026-03-04,5,2,ana@acme.example

``date`` is ``YYYY-MM-DD`` (a full ISO timestamp is accepted); ``csat`` a whole number 1–5 (5 = very
satisfied); ``effort`` a whole number 1–7 (1 = very easy). Either score may be empty on a row, not
both. Other columns are ignored. An import replaces the previous survey.

Both parsers check every row and report problems by line number; valid rows are imported, bad rows
are skipped and listed (nothing is imported when no row is valid).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole import settings as registry

__all__ = [
    "AccountRow",
    "ImportProblem",
    "ImportResult",
    "SurveyRow",
    "import_customer_accounts",
    "import_survey",
    "parse_customer_accounts",
    "parse_survey",
]

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class ImportProblem:
    line: int  # 1 = the header line
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass(frozen=True)
class AccountRow:
    name: str
    domains: tuple[str, ...]


@dataclass(frozen=True)
class SurveyRow:
    day: str  # YYYY-MM-DD
    csat: int | None
    effort: int | None


@dataclass(frozen=True)
class ImportResult:
    imported: int
    problems: tuple[ImportProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        head = f"Imported {self.imported} row{'s' if self.imported != 1 else ''}."
        if not self.problems:
            return head
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n… and {len(self.problems) - 20} more." if len(self.problems) > 20 else ""
        return f"{head} {len(self.problems)} row(s) skipped:\n{shown}{more}"


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (no header, missing columns)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message


def _reader(content: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    content = content.lstrip("\ufeff")
    if not content.strip():
        raise CsvFormatError("The file is empty.")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            content.splitlines()[0], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content), dialect)
    rows = list(reader)
    header = [h.strip().lower() for h in rows[0]]
    out: list[tuple[int, dict[str, str]]] = []
    for i, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        out.append((i, {h: (row[j].strip() if j < len(row) else "") for j, h in enumerate(header)}))
    return header, out


def parse_customer_accounts(content: str) -> tuple[list[AccountRow], list[ImportProblem]]:
    header, rows = _reader(content)
    if "name" not in header:
        raise CsvFormatError(
            "The first line must name the columns: name,domains (the 'name' column is missing)."
        )
    dcol = "domains" if "domains" in header else "domain" if "domain" in header else None
    if dcol is None:
        raise CsvFormatError(
            "The first line must name the columns: name,domains (the 'domains' column is missing)."
        )
    out: list[AccountRow] = []
    problems: list[ImportProblem] = []
    names: dict[str, int] = {}
    owners: dict[str, int] = {}
    for line, row in rows:
        name = row.get("name", "")
        raw = row.get(dcol, "")
        if not name:
            problems.append(ImportProblem(line, "the account name is empty."))
            continue
        if name.lower() in names:
            problems.append(ImportProblem(line, f"'{name}' is already on line {names[name.lower()]}."))
            continue
        domains = [d.strip().lower().lstrip("@") for d in re.split(r"[;,|\s]+", raw) if d.strip()]
        if not domains:
            problems.append(ImportProblem(line, f"'{name}' has no e-mail domain."))
            continue
        bad = [d for d in domains if not _DOMAIN.match(d)]
        if bad:
            problems.append(
                ImportProblem(line, f"'{bad[0]}' is not an e-mail domain (expected something like acme.com).")
            )
            continue
        taken = [d for d in domains if d in owners]
        if taken:
            problems.append(
                ImportProblem(line, f"the domain '{taken[0]}' is already used on line {owners[taken[0]]}.")
            )
            continue
        names[name.lower()] = line
        for d in domains:
            owners[d] = line
        out.append(AccountRow(name, tuple(dict.fromkeys(domains))))
    return out, problems


def _now() -> str:
    return clock.now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def import_customer_accounts(conn: Connection, content: str) -> ImportResult:
    """Replace the customer accounts with the CSV's valid rows; mark matching companies as customers.

    Raises :class:`CsvFormatError` when the file cannot be read at all.
    """
    rows, problems = parse_customer_accounts(content)
    if not rows:
        if not problems:
            problems.append(ImportProblem(1, "the file has a header but no accounts."))
        return ImportResult(0, tuple(problems))
    now = _now()
    conn.execute(text("DELETE FROM customer_accounts"))
    conn.execute(
        text("INSERT INTO customer_accounts (name, domains, imported_at) VALUES (:n, :d, :t)"),
        [{"n": r.name, "d": json.dumps(list(r.domains)), "t": now} for r in rows],
    )
    all_domains = json.dumps(sorted({d for r in rows for d in r.domains}))
    conn.execute(
        text("UPDATE companies SET is_customer = (domain IN (SELECT value FROM json_each(:d)))"),
        {"d": all_domains},
    )
    return ImportResult(len(rows), tuple(problems))


def _score(value: str, lo: int, hi: int, what: str) -> tuple[int | None, str | None]:
    if value == "":
        return None, None
    try:
        n = float(value)
    except ValueError:
        return None, f"{what} '{value}' is not a number (expected a whole number {lo}–{hi})."
    if not n.is_integer() or not lo <= n <= hi:
        return None, f"{what} {value} is outside {lo}–{hi} (whole numbers only)."
    return int(n), None


def _day(value: str) -> str | None:
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).date().isoformat()
    except ValueError:
        return None


def parse_survey(content: str) -> tuple[list[SurveyRow], list[ImportProblem]]:
    header, rows = _reader(content)
    if "date" not in header:
        raise CsvFormatError(
            "The first line must name the columns: date,csat,effort (the 'date' column is missing)."
        )
    if "csat" not in header and "effort" not in header:
        raise CsvFormatError("The file needs a 'csat' column (1–5), an 'effort' column (1–7), or both.")
    out: list[SurveyRow] = []
    problems: list[ImportProblem] = []
    for line, row in rows:
        day = _day(row.get("date", ""))
        if day is None:
            problems.append(
                ImportProblem(line, f"'{row.get('date', '')}' is not a date (expected YYYY-MM-DD).")
            )
            continue
        csat, e1 = _score(row.get("csat", ""), 1, 5, "CSAT")
        effort, e2 = _score(row.get("effort", ""), 1, 7, "Effort")
        if e1 or e2:
            problems.append(ImportProblem(line, e1 or e2 or ""))
            continue
        if csat is None and effort is None:
            problems.append(ImportProblem(line, "neither a CSAT nor an effort score."))
            continue
        out.append(SurveyRow(day, csat, effort))
    return out, problems


def import_survey(conn: Connection, content: str, *, source: str = "") -> ImportResult:
    """Replace the stored survey with the CSV's valid rows. Raises :class:`CsvFormatError`."""
    rows, problems = parse_survey(content)
    if not rows:
        if not problems:
            problems.append(ImportProblem(1, "the file has a header but no answers."))
        return ImportResult(0, tuple(problems))
    payload = {"rows": [[r.day, r.csat, r.effort] for r in rows], "imported_at": _now(), "source": source}
    registry.put(conn, registry.SURVEY, payload)
    return ImportResult(len(rows), tuple(problems))
