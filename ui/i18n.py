"""Two languages: English (the source texts) and German, with Qt's own tool-chain.

Every text a person sees is written in English in the code and wrapped for Qt's ``lupdate``:
``self.tr("…")`` in a QObject's methods, ``QCoreApplication.translate("Context", "…")``
elsewhere, and ``QT_TRANSLATE_NOOP("core", "…")`` (:mod:`modconsole.i18n`) in the Qt-free core,
whose texts :func:`core_text` translates where the UI shows them. Variable parts are ``{name}``
fields filled in *after* translation (``tr("{n} topics").format(n=…)``), so a translator sees and
can move them.

The catalogue's source is ``resources/i18n/modconsole_de.ts`` (``scripts/update-translations``
re-extracts it, then compiles it); the compiled ``modconsole_de.qm`` is committed next to it and
ships with the other resources (``ui/assets/i18n/`` in the wheel and the bundle).
``tests/ui/test_translations.py`` checks that the ``.qm`` is the compiled ``.ts``, that no entry
is unfinished, and that no page shows an English text in German.

Which language: the community's ``ui.language`` setting (:data:`modconsole.settings.LANGUAGE`:
``system``, ``en`` or ``de``; Settings → Language). ``system`` follows the computer's locale:
German when its language is German, English otherwise. The sign-in screen, shown before any
community is open, uses the choice last applied on this machine (kept in ``ui.ini``). Dates and
numbers follow the chosen language through ``QLocale.setDefault`` (the computer's own locale
when its language is the chosen one, so a de_AT or en_GB machine keeps its formats).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTranslator,
)

from modconsole.i18n import CORE, Msg
from modconsole.services.sla import SlaLevel, SlaStatus
from modconsole.settings import LANGUAGES
from ui.resources import resource_path

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "business_text",
    "change_text",
    "core_text",
    "current_language",
    "day_text",
    "duration_text",
    "fmt_date",
    "fmt_datetime",
    "fmt_number",
    "install",
    "kpi_title",
    "kpi_tooltip",
    "period_text",
    "remember_choice",
    "remembered_choice",
    "resolve",
    "sla_text",
    "value_text",
]

log = logging.getLogger("modconsole.ui.i18n")

CATALOGUE = "modconsole"
"""``i18n/modconsole_<lang>.qm`` in the resources."""
TRANSLATED = ("de",)
"""Languages with a catalogue; English is the source and needs none."""
LANGUAGE_NAMES = {"system": "System", "en": "English", "de": "Deutsch"}
"""Each choice as the menu names it; a language in its own name, never translated."""
SETTINGS_KEY = "i18n/language"

_installed: list[QTranslator] = []
_language = "en"


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language a choice means: ``en`` or ``de`` (``system``: the computer's locale)."""
    if choice in ("en", "de"):
        return choice
    locale = system if system is not None else QLocale.system()
    return "de" if locale.language() == QLocale.Language.German else "en"


def install(choice: str, *, system: QLocale | None = None) -> str:
    """Load the catalogues of ``choice`` into the application (replacing earlier ones) and make
    its locale the default for dates and numbers; returns the language now in force. Widgets
    built afterwards show it (the main window is rebuilt when the language changes)."""
    global _language
    app = QCoreApplication.instance()
    lang = resolve(choice, system)
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    own = resource_path("i18n", f"{CATALOGUE}_{lang}.qm")
    catalogues = [(f"{CATALOGUE}_{lang}", str(own.parent) if own else "")]  # English: its plural forms
    if lang in TRANSLATED:  # Qt's own texts (standard buttons, …), shipped with Qt
        catalogues.insert(0, (f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))
    for name, folder in catalogues:
        translator = QTranslator()
        if folder and translator.load(name, folder):
            _installed.append(translator)
            if app is not None:
                app.installTranslator(translator)
        else:
            log.warning("no translation catalogue %s in %s", name, folder or "the resources")
    sys_locale = system if system is not None else QLocale.system()
    wanted = QLocale.Language.German if lang == "de" else QLocale.Language.English
    if sys_locale.language() == wanted:
        QLocale.setDefault(sys_locale)
    else:
        QLocale.setDefault(QLocale("de_DE" if lang == "de" else "en_US"))
    _language = lang
    return lang


def current_language() -> str:
    """``en`` or ``de``: what :func:`install` last put in force."""
    return _language


def remembered_choice(settings: QSettings) -> str:
    """The choice last applied on this machine (for the sign-in screen), ``system`` by default."""
    value = str(settings.value(SETTINGS_KEY, "system"))
    return value if value in LANGUAGES else "system"


def remember_choice(settings: QSettings, choice: str) -> None:
    settings.setValue(SETTINGS_KEY, choice)


def core_text(text: str) -> str:
    """A text the core marked with ``QT_TRANSLATE_NOOP("core", …)`` in the language in force; a
    :class:`~modconsole.i18n.Msg` is translated as its template, then filled with its fields
    (each translated too when the core marked it). Unmarked text comes back as it is."""
    if isinstance(text, Msg):
        fields = {k: core_text(v) if isinstance(v, str) else v for k, v in text.fields.items()}
        return QCoreApplication.translate(CORE, text.template).format(**fields)
    return QCoreApplication.translate(CORE, text) if text else text


def fmt_number(value: float, decimals: int = 0) -> str:
    """``12,345`` / ``12.345``: a number as the language writes it (group separators)."""
    locale = QLocale()
    if decimals == 0:
        return locale.toString(round(value))
    return locale.toString(float(value), "f", decimals)


def fmt_date(value: date, long: bool = False) -> str:
    """A date in the language's short (``01.11.26``) or long (``1. November 2026``) format."""
    fmt = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
    return QLocale().toString(QDate(value.year, value.month, value.day), fmt)


def fmt_datetime(value: datetime) -> str:
    """A moment in the computer's time zone, in the language's short format."""
    return QLocale().toString(QDateTime(value).toLocalTime(), QLocale.FormatType.ShortFormat)


def duration_text(seconds: float, *, compact: bool = False) -> str:
    """``45m``, ``3h 20m``, ``2d 4h`` in the language in force (as the core's
    ``format_duration``: a day is 24 hours; ``compact`` drops the hours from two days on)."""
    s = max(0, int(seconds))
    days, rem = divmod(s, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if compact and days >= 2:
        return QCoreApplication.translate("Durations", "{d}d").format(d=days)
    if days:
        return (
            QCoreApplication.translate("Durations", "{d}d {h}h").format(d=days, h=hours)
            if hours
            else QCoreApplication.translate("Durations", "{d}d").format(d=days)
        )
    if hours:
        return (
            QCoreApplication.translate("Durations", "{h}h {m}m").format(h=hours, m=f"{minutes:02d}")
            if minutes
            else QCoreApplication.translate("Durations", "{h}h").format(h=hours)
        )
    return QCoreApplication.translate("Durations", "{m}m").format(m=minutes)


class Durations(QObject):
    """The counted (``%n``) texts of this module: lupdate finds plural forms only in a QObject's
    ``self.tr`` (context ``Durations``), never in ``QCoreApplication.translate``."""

    def business_days(self, days: int, hours: int) -> str:
        if not hours:
            return self.tr("%n business day(s)", "", days)
        return self.tr("%n business day(s) {h}h", "", days).format(h=hours)


_PLURALS: list[Durations] = []


def _plurals() -> Durations:
    if not _PLURALS:
        _PLURALS.append(Durations())
    return _PLURALS[0]


def business_text(seconds: float, day_seconds: float) -> str:
    """Business time as the core's ``format_business`` reads it (``3h 10m``, ``2 business
    days``; a business day is one working day of the calendar), in the language in force."""
    s = max(0, int(seconds))
    day = max(60, int(day_seconds))
    days, rem = divmod(s, day)
    if days == 0:
        return duration_text(rem)
    hours = rem // 3600
    if days >= 2 or not hours:
        return _plurals().business_days(days, 0)
    return _plurals().business_days(days, hours)


def sla_text(sla: SlaStatus) -> str:
    """``Due in 3h 10m``, ``Overdue by 2 business days``, ``Met · 1h 5m`` (the core's
    ``SlaStatus.describe`` in the language in force)."""
    if sla.level is SlaLevel.NONE or sla.seconds is None:
        return "—"
    if sla.level is SlaLevel.OVERDUE:
        return QCoreApplication.translate("Durations", "Overdue by {time}").format(
            time=business_text(-sla.seconds, sla.day_seconds)
        )
    if sla.level.running:
        return QCoreApplication.translate("Durations", "Due in {time}").format(
            time=business_text(sla.seconds, sla.day_seconds)
        )
    return f"{core_text(sla.level.label)} · {business_text(sla.seconds, sla.day_seconds)}"


# ---------------------------------------------------------------- the dashboard's figures


def _num(value: float, decimals: int) -> str:
    return QLocale().toString(float(value), "f", decimals)


def value_text(kpi_id: str, value: float | None, *, currency: str = "USD") -> str:
    """A KPI value as the core's ``format_value`` words it ('1,234', '42.0 %', '3.5 h', '$1,250'),
    with the language's separators and units ('1.234', '42,0 %', '3,5 Std.')."""
    from modconsole.analytics import kpi

    if value is None:
        return "—"
    unit = kpi(kpi_id).unit
    if unit == "percent":
        return QCoreApplication.translate("Figures", "{value} %").format(value=_num(value, 1))
    if unit == "seconds":
        if value < 3600:
            return QCoreApplication.translate("Figures", "{value} min").format(value=_num(value / 60, 0))
        if value < 48 * 3600:
            return QCoreApplication.translate("Figures", "{value} h").format(value=_num(value / 3600, 1))
        return QCoreApplication.translate("Figures", "{value} d").format(value=_num(value / 86400, 1))
    if unit in ("ratio", "score"):
        return _num(value, 2)
    if unit == "money":
        return QLocale().toCurrencyString(
            round(value), {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, currency)
        )
    if float(value).is_integer() or abs(value) >= 100:
        return fmt_number(value)
    return _num(value, 1)


def change_text(
    kpi_id: str, change: float | None, previous: float | None = None, current: float | None = None
) -> str:
    """The change against the previous period as the core's ``format_change`` words it (its rule
    :data:`~modconsole.analytics.export.CHANGE_RULE`), in the language in force."""
    from modconsole.analytics import kpi
    from modconsole.analytics.export import LARGE_MULTIPLE, SMALL_BASE

    if previous == 0 and current:
        return QCoreApplication.translate("Figures", "new")
    if change is None:
        return ""
    arrow = "▲" if change > 0 else "▼" if change < 0 else "■"
    percent = QCoreApplication.translate("Figures", "{value} %").format(value=_num(abs(change) * 100, 0))
    if previous is None:
        return f"{arrow} {percent}"
    base = value_text(kpi_id, previous)
    small = kpi(kpi_id).unit == "count" and abs(previous) < SMALL_BASE
    multiple = 1 + change
    if multiple >= LARGE_MULTIPLE or (small and change > 0):
        times = _num(multiple, 0 if round(multiple, 1).is_integer() else 1)
        return QCoreApplication.translate("Figures", "{arrow} {times}× (from {base})").format(
            arrow=arrow, times=times, base=base
        )
    if small:
        return QCoreApplication.translate("Figures", "{arrow} {percent} (from {base})").format(
            arrow=arrow, percent=percent, base=base
        )
    return f"{arrow} {percent}"


def period_text(period: Any) -> str:
    """'November 2026' or '1 Oct 2026 – 31 Oct 2026' (the core's ``Period.label``) in the language's
    month names and date order."""
    from datetime import timedelta

    from modconsole.analytics.periods import add_months

    locale = QLocale()
    last = period.end - timedelta(days=1)
    if period.month_aligned and add_months(period.start, 1) == period.end:
        return locale.toString(QDate(period.start.year, period.start.month, 1), "MMMM yyyy")
    fmt = QCoreApplication.translate("Dates", "dd MMM yyyy")
    first = locale.toString(QDate(period.start.year, period.start.month, period.start.day), fmt)
    return f"{first} – {locale.toString(QDate(last.year, last.month, last.day), fmt)}"


def kpi_title(kpi: Any) -> str:
    return core_text(kpi.title)


def kpi_tooltip(kpi: Any) -> str:
    """The KPI's title, definition, direction and the change rule (the core's ``KpiDef.tooltip``)."""
    from modconsole.analytics.export import CHANGE_RULE

    title = core_text(kpi.title)
    if kpi.server_reported:
        title = QCoreApplication.translate("Figures", "{title} (server-reported)").format(title=title)
    better = (
        QCoreApplication.translate("Figures", "Higher is better.")
        if kpi.higher_is_better
        else QCoreApplication.translate("Figures", "Lower is better.")
    )
    return f"{title}\n\n{core_text(kpi.definition)}\n\n{better}\n\n{core_text(CHANGE_RULE)}"


def day_text(iso: str | None) -> str:
    """``2026-09-25`` (an ISO day, or the day of an ISO timestamp) as the language writes a day:
    unchanged in English, ``25.09.2026`` in German (the pattern is translated)."""
    if not iso:
        return ""
    day = QDate.fromString(iso[:10], "yyyy-MM-dd")
    if not day.isValid():
        return iso[:10]
    return QLocale().toString(day, QCoreApplication.translate("Dates", "yyyy-MM-dd"))
