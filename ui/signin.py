"""Sign-in: site address and an API key, or Discourse's User API key flow in the browser; on a
Vanilla community, a personal access token (the platform is detected from the address by the core,
:func:`modconsole.connectors.registry.detect_platform`).

Nothing is accepted before a cheap authenticated GET (the connector's ``verify``) succeeds, off the
GUI thread. The key then goes to the OS keychain only; when there is none, the screen says so
and offers to keep the key for this session only (never a plain file).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from modconsole import APP_DISPLAY_NAME
from modconsole.api.client import Credentials, normalize_base_url
from modconsole.api.ratelimit import Budget, HostPacer, RetryPolicy
from modconsole.auth.user_api_key import UserApiKeyRequest, new_client_id
from modconsole.connectors.registry import DEFAULT_PLATFORM, connector_for, detect_platform
from modconsole.errors import (
    ApiError,
    AuthError,
    Cancelled,
    InvalidInput,
    ModConsoleError,
    NetworkError,
    NotFound,
    PermissionDenied,
    SecretStoreUnavailable,
    UnexpectedPayload,
)
from modconsole.secrets import MemorySecretStore, SecretStore, open_secret_store
from modconsole.tasks import CancelToken
from ui.i18n import core_text
from ui.ops import QueryOp
from ui.resources import app_icon

__all__ = [
    "ENV_DEMO_SIZE",
    "SignInCheck",
    "SignInResult",
    "SignInView",
    "check_sign_in",
    "explain",
    "start_demo_sign_in",
]

ENV_DEMO_SIZE = "MODCONSOLE_DEMO_SIZE"
"""``tiny`` makes "Try the demo community" (and ``--demo``) start the tiny community (tests)."""


@dataclass(frozen=True)
class SignInResult:
    site_url: str
    username: str
    credentials: Credentials
    allow_insecure_http: bool
    secrets: SecretStore
    demo: Any = None  # a running DemoServer
    platform: str = DEFAULT_PLATFORM
    """The site's platform as the sign-in found it (the connector the session opens)."""

    def __repr__(self) -> str:
        return f"SignInResult(site_url={self.site_url!r}, username={self.username!r})"


class NoBrowserFlow(InvalidInput):
    """The platform has no per-user key flow in the browser (Vanilla: a personal access token is pasted)."""


def explain(exc: BaseException, site: str = "") -> str:
    """A moderator-readable sentence for a failed sign-in."""
    where = site or QCoreApplication.translate("SignInView", "the site")
    if isinstance(exc, NoBrowserFlow):
        return QCoreApplication.translate(
            "SignInView",
            "{site} signs in with a personal access token: choose “Enter an API key” and paste a "
            "token from your profile there.",
        ).format(site=where)
    if isinstance(exc, InvalidInput):
        return core_text(exc.user_message)
    if isinstance(exc, AuthError | PermissionDenied):
        return QCoreApplication.translate(
            "SignInView",
            "{site} refused this key. Check that it was copied completely, that it was not revoked, "
            "and (for an admin key) that the username is right.",
        ).format(site=where)
    if isinstance(exc, UnexpectedPayload | NotFound):
        return QCoreApplication.translate(
            "SignInView",
            "{site} answered, but it does not look like a Discourse or Vanilla community. Check the address.",
        ).format(site=where)
    if isinstance(exc, NetworkError):
        return QCoreApplication.translate(
            "SignInView", "Could not reach {site}. Check the address and your connection. ({reason})"
        ).format(site=where, reason=core_text(exc.user_message))
    if isinstance(exc, ModConsoleError):
        return core_text(exc.user_message)
    return QCoreApplication.translate("SignInView", "Signing in failed unexpectedly: {error}.").format(
        error=type(exc).__name__
    )


@dataclass(frozen=True)
class SignInCheck:
    """What a verified sign-in found: the normalised address, who the key acts as, the platform,
    and the credentials as that platform takes them."""

    site_url: str
    username: str
    platform: str
    credentials: Credentials

    def __iter__(self) -> Any:  # ``base, username = check_sign_in(...)`` as before
        return iter((self.site_url, self.username))


def check_sign_in(
    site_url: str,
    credentials: Credentials,
    *,
    allow_insecure_http: bool,
    token: CancelToken | None = None,
    platform: str | None = None,
) -> SignInCheck:
    """Verify ``credentials`` against ``site_url`` with one authenticated GET.

    The platform is detected from the address first (one request without credentials, the
    core's :func:`~modconsole.connectors.registry.detect_platform`) unless ``platform`` names it.
    A pasted key on a platform that signs in with personal access tokens is sent as one. Returns
    a :class:`SignInCheck`; raises a ``ModConsoleError`` otherwise. Runs on a worker thread.
    """
    base = normalize_base_url(site_url, allow_insecure_http=allow_insecure_http)
    found = platform or detect_platform(base, allow_insecure_http=allow_insecure_http)
    if token is not None:
        token.raise_if_cancelled()
    connector = connector_for(found)
    if not connector.capabilities.user_api_keys and credentials.kind != "token":
        if credentials.client_id is not None:  # a key from the browser flow this platform lacks
            raise NoBrowserFlow(
                "This community signs in with a personal access token: choose “Enter an API key” "
                "and paste a token from your profile."
            )
        credentials = Credentials.token(credentials.key, username=credentials.username)
    client = connector.open_client(
        base,
        credentials,
        allow_insecure_http=allow_insecure_http,
        pacer=HostPacer(Budget.unlimited()),
        retry=RetryPolicy(max_retries=0),
    )
    try:
        user = connector.verify(client)
    finally:
        client.close()
    if token is not None:
        token.raise_if_cancelled()
    return SignInCheck(base, str(user["username"]), connector.platform, credentials)


def demo_size() -> str:
    size = os.environ.get(ENV_DEMO_SIZE, "small").strip().lower()
    return size if size in ("tiny", "small", "large") else "small"


def start_demo_sign_in(token: CancelToken | None = None, *, platform: str = DEFAULT_PLATFORM) -> SignInResult:
    """Start the embedded demo community of ``platform`` (``discourse`` or ``vanilla``) and sign
    in as its moderator (worker thread)."""
    platform = connector_for(platform).platform  # an unknown name is the registry's one-line error
    return _DEMO_STARTERS[platform](token)


def _start_discourse_demo(token: CancelToken | None) -> SignInResult:
    """The Discourse demo community, signed in with its moderator's user API key."""
    from modconsole.demo.server import start_embedded

    server = start_embedded(size=demo_size())
    try:
        who = server.credentials.moderator
        creds = Credentials.user(who.key, username=who.username)
        found = check_sign_in(
            server.base_url, creds, allow_insecure_http=False, token=token, platform=DEFAULT_PLATFORM
        )
    except BaseException:
        server.stop()
        raise
    store = MemorySecretStore()  # the demo key is not a secret worth the keychain
    store.set(found.site_url, found.username, who.key)
    return SignInResult(found.site_url, found.username, found.credentials, False, store, demo=server)


def _start_vanilla_demo(token: CancelToken | None) -> SignInResult:
    """The Vanilla demo community (API v2), signed in with its moderator's personal access token."""
    from modconsole.demo.vanilla.server import VanillaDemoServer, ensure_db
    from modconsole.paths import Paths

    size = demo_size()
    db = ensure_db(Paths.default().demo_dir / f"{size}-vanilla.sqlite3", size=size)
    server = VanillaDemoServer(db)
    server.start()
    try:
        who = server.credentials.moderator
        creds = Credentials.token(who.token, username=who.username)
        found = check_sign_in(server.base_url, creds, allow_insecure_http=False, token=token)
    except BaseException:
        server.stop()
        raise
    store = MemorySecretStore()
    store.set(found.site_url, found.username, who.token)
    return SignInResult(
        found.site_url, found.username, found.credentials, False, store, demo=server, platform=found.platform
    )


_DEMO_STARTERS: dict[str, Callable[[CancelToken | None], SignInResult]] = {
    "discourse": _start_discourse_demo,
    "vanilla": _start_vanilla_demo,
}
"""The embedded demo community of each platform that has one."""


def _system_store() -> tuple[SecretStore | None, str]:
    try:
        return open_secret_store(), ""
    except SecretStoreUnavailable as exc:
        return None, exc.user_message


class SignInView(QWidget):
    """The sign-in screen. Emits ``signed_in(SignInResult)``."""

    signed_in = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, client_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInView")
        self.setWindowTitle(self.tr("Sign in — {app}").format(app=APP_DISPLAY_NAME))
        icon = app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)
        self.client_id = client_id or new_client_id()
        self._request: UserApiKeyRequest | None = None
        self._busy = False
        self.url_opener: Callable[[QUrl], object] = QDesktopServices.openUrl
        """How the authorization page is opened (tests swap in a recorder)."""

        title = QLabel(self.tr("Sign in to your community"))
        title.setProperty("role", "heading")
        intro = QLabel(
            self.tr(
                "The console keeps a local copy of your Discourse or Vanilla community and works on it "
                "offline. Your key or token is stored in the system keychain only."
            )
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")

        self.site_edit = QLineEdit()
        self.site_edit.setObjectName("siteUrl")
        self.site_edit.setPlaceholderText(self.tr("https://community.example.com"))
        self.insecure_box = QCheckBox(self.tr("Allow insecure http (the key travels unencrypted)"))
        self.insecure_box.setObjectName("allowInsecure")

        self.mode_browser = QRadioButton(self.tr("Authorize in the browser (recommended)"))
        self.mode_key = QRadioButton(self.tr("Enter an API key"))
        self.mode_browser.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.mode_browser)
        group.addButton(self.mode_key)
        self.mode_browser.toggled.connect(self._mode_changed)

        # -- browser flow
        self.open_browser_button = QPushButton(self.tr("Open the authorization page"))
        self.open_browser_button.setObjectName("openBrowser")
        self.open_browser_button.clicked.connect(self.open_authorization)
        self.payload_edit = QPlainTextEdit()
        self.payload_edit.setObjectName("payload")
        self.payload_edit.setPlaceholderText(
            self.tr("After approving, paste the text the community shows (or the address)")
        )
        self.payload_edit.setFixedHeight(80)
        browser_page = QWidget()
        bl = QVBoxLayout(browser_page)
        bl.setContentsMargins(0, 0, 0, 0)
        steps = QLabel(
            self.tr("1. Open the page and approve access.   2. Paste what the community shows below.")
        )
        steps.setProperty("role", "muted")
        steps.setWordWrap(True)
        bl.addWidget(steps)
        bl.addWidget(self.open_browser_button, 0, Qt.AlignmentFlag.AlignLeft)
        bl.addWidget(self.payload_edit)

        # -- key entry
        self.key_kind = QComboBox()
        self.key_kind.setAccessibleName(self.tr("Kind of key"))
        self.key_kind.addItem(self.tr("User API key"), "user")
        self.key_kind.addItem(self.tr("Admin API key (with a username)"), "admin")
        self.key_kind.addItem(self.tr("Personal access token (Vanilla)"), "token")
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username")
        self.username_edit.setPlaceholderText(self.tr("your username on the community"))
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("apiKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(self.tr("paste the key"))
        key_page = QWidget()
        kl = QFormLayout(key_page)
        kl.setContentsMargins(0, 0, 0, 0)
        kl.addRow(self.tr("Key type"), self.key_kind)
        kl.addRow(self.tr("API key"), self.key_edit)

        self.modes = QStackedWidget()
        self.modes.addWidget(browser_page)
        self.modes.addWidget(key_page)

        # -- storage
        self._store, store_problem = _system_store()
        self.session_only_box = QCheckBox(
            self.tr("Keep the key for this session only (forget it when I quit)")
        )
        self.session_only_box.setObjectName("sessionOnly")
        self.keychain_note = QLabel(core_text(store_problem))
        self.keychain_note.setWordWrap(True)
        self.keychain_note.setObjectName("keychainNote")
        self.keychain_note.setVisible(bool(store_problem))
        if self._store is None:
            self.session_only_box.setChecked(True)

        self.error_label = QLabel("")
        self.error_label.setObjectName("signInError")
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("role", "error")
        self.error_label.setVisible(False)
        self.status_label = QLabel("")
        self.status_label.setProperty("role", "muted")

        self.sign_in_button = QPushButton(self.tr("Sign in"))
        self.sign_in_button.setObjectName("signIn")
        self.sign_in_button.setProperty("role", "primary")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.demo_button = QPushButton(self.tr("Try the demo community"))
        self.demo_button.setObjectName("tryDemo")
        self.demo_button.clicked.connect(lambda: self.try_demo())

        form = QFormLayout()
        form.addRow(self.tr("Community address"), self.site_edit)
        form.addRow("", self.insecure_box)
        form.addRow(self.tr("Username"), self.username_edit)
        card = QFrame()
        card.setObjectName("signInCard")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # style.qss: QFrame#signInCard
        cl = QVBoxLayout(card)
        cl.setContentsMargins(24, 20, 24, 20)
        cl.setSpacing(10)
        cl.addWidget(title)
        cl.addWidget(intro)
        cl.addLayout(form)
        cl.addWidget(self.mode_browser)
        cl.addWidget(self.mode_key)
        cl.addWidget(self.modes)
        cl.addWidget(self.keychain_note)
        cl.addWidget(self.session_only_box)
        cl.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.status_label)
        buttons.addWidget(self.sign_in_button)
        cl.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 30, 40, 30)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        card.setMinimumWidth(560)
        card.setMaximumWidth(680)
        row.addWidget(card, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self._mode_changed(True)

    # ------------------------------------------------------------ helpers

    @Slot(bool)
    def _mode_changed(self, _checked: bool) -> None:
        self.modes.setCurrentIndex(0 if self.mode_browser.isChecked() else 1)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _set_busy(self, busy: bool, status: str = "") -> None:
        self._busy = busy
        for w in (self.sign_in_button, self.demo_button, self.open_browser_button):
            w.setEnabled(not busy)
        self.status_label.setText(status)

    def _site(self) -> str | None:
        try:
            return normalize_base_url(
                self.site_edit.text(), allow_insecure_http=self.insecure_box.isChecked()
            )
        except InvalidInput as exc:
            self.show_error(exc.user_message)
            return None

    # ------------------------------------------------------------ the browser flow

    @Slot()
    def open_authorization(self) -> str | None:
        """Make a key pair and open ``/user-api-key/new``; returns the URL opened."""
        site = self._site()
        if site is None:
            return None
        self.show_error("")
        self._request = UserApiKeyRequest.create(
            site, client_id=self.client_id, application_name=APP_DISPLAY_NAME
        )
        url = self._request.authorization_url()
        self.url_opener(QUrl(url))
        self.status_label.setText(self.tr("Approve access in the browser, then paste the text here."))
        return url

    @property
    def pending_request(self) -> UserApiKeyRequest | None:
        return self._request

    # ------------------------------------------------------------ sign in

    def _credentials(self) -> Credentials | None:
        try:
            if self.mode_browser.isChecked():
                if self._request is None:
                    self.show_error(self.tr("First open the authorization page and approve access."))
                    return None
                uak = self._request.decrypt(self.payload_edit.toPlainText())
                name = self.username_edit.text().strip() or None
                return Credentials.user(uak.key, username=name, client_id=self.client_id)
            if self.key_kind.currentData() == "admin":
                return Credentials.admin(self.key_edit.text(), self.username_edit.text())
            if self.key_kind.currentData() == "token":
                return Credentials.token(
                    self.key_edit.text(), username=self.username_edit.text().strip() or None
                )
            return Credentials.user(self.key_edit.text(), username=self.username_edit.text().strip() or None)
        except InvalidInput as exc:
            self.show_error(exc.user_message)
            return None

    def _target_store(self) -> SecretStore | None:
        if self.session_only_box.isChecked():
            return MemorySecretStore()
        if self._store is None:
            self.show_error(
                self.tr(
                    "No system keychain is available to keep the key safely. "
                    "Tick “Keep the key for this session only” to continue."
                )
            )
            return None
        return self._store

    @Slot()
    def sign_in(self) -> None:
        if self._busy:
            return
        self.show_error("")
        site = self._site()
        if site is None:
            return
        creds = self._credentials()
        if creds is None:
            return
        store = self._target_store()
        if store is None:
            return
        allow = self.insecure_box.isChecked()
        self._set_busy(True, self.tr("Checking the connection…"))

        def check(token: CancelToken) -> SignInCheck:
            return check_sign_in(site, creds, allow_insecure_http=allow, token=token)

        def done(found: SignInCheck) -> None:
            try:
                store.set(found.site_url, found.username, found.credentials.key)
            except ModConsoleError as exc:
                self._set_busy(False)
                self.show_error(core_text(exc.user_message))
                return
            self._set_busy(False, "")
            self.signed_in.emit(
                SignInResult(
                    found.site_url,
                    found.username,
                    found.credentials,
                    allow,
                    store,
                    platform=found.platform,
                )
            )

        QueryOp(self, op=check, success=done).failure(self._failed(site)).run_in_background()

    def _failed(self, site: str) -> Callable[[BaseException], None]:
        def fail(exc: BaseException) -> None:
            self._set_busy(False)
            if isinstance(exc, Cancelled):
                return
            if not isinstance(exc, ApiError | InvalidInput | ModConsoleError):
                from ui.messages import present_failure

                present_failure(exc, parent=self)
            self.show_error(explain(exc, site))

        return fail

    @Slot()
    def try_demo(self, platform: str = DEFAULT_PLATFORM) -> None:
        """Start the demo community of ``platform`` and sign in to it (``--demo --platform``)."""
        if self._busy:
            return
        self.show_error("")
        self._set_busy(True, self.tr("Starting the demo community… (the first start builds it)"))

        def start(token: CancelToken) -> SignInResult:
            return start_demo_sign_in(token, platform=platform)

        QueryOp(self, op=start, success=self._demo_ready).failure(
            self._failed("the demo community")
        ).run_in_background()

    def _demo_ready(self, result: SignInResult) -> None:
        self._set_busy(False)
        self.signed_in.emit(result)
