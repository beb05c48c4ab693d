"""Remote images in post bodies, fetched only after the moderator allows them ("Show images").

Qt's rich-text engine never fetches remote URLs by itself. When images are allowed, each
``<img>`` URL is fetched here **off the GUI thread** (a :class:`~ui.ops.QueryOp` on the io lane)
and handed to the post's document with ``QTextDocument.addResource``.

The request is deliberately plain: ``http``/``https`` only, a short timeout, at most
:data:`MAX_IMAGE_BYTES`, only ``image/*`` answers (not SVG), a fresh client with no cookies and
no credentials — the community's API key or any auth header never goes to an image host.
Images are kept for the panel's lifetime (one signed-in session); a URL that failed is not
retried in that session, and its image simply stays unresolved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QImage

from modconsole import __version__
from modconsole.errors import InvalidInput
from modconsole.tasks import CancelToken
from ui.ops import QueryOp

__all__ = ["IMAGE_TIMEOUT", "MAX_IMAGE_BYTES", "MAX_IMAGE_WIDTH", "RemoteImages", "fetch_image"]

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_TIMEOUT = 5.0
MAX_IMAGE_WIDTH = 900  # wider images are scaled down (on the worker) to fit a post card
_SCHEMES = frozenset({"http", "https"})
# RFC 6761 names that never resolve: don't even ask DNS for them.
_NEVER_RESOLVES = (".invalid", ".example", ".test")

Fetcher = Callable[[str, CancelToken], bytes]


def fetch_image(url: str, token: CancelToken) -> bytes:
    """GET ``url`` as an image: http(s) only, ``image/*`` only, at most ``MAX_IMAGE_BYTES``.

    Runs on a worker thread. Sends no credentials, cookies or auth headers.
    """
    q = QUrl(url)
    if q.scheme().lower() not in _SCHEMES or not q.host():
        raise InvalidInput(f"Only http(s) images are loaded, not {url!r}.")
    host = q.host().lower().rstrip(".")
    if host.endswith(_NEVER_RESOLVES):
        raise InvalidInput(f"{host} is a reserved name that never resolves.")
    headers = {"User-Agent": f"modconsole/{__version__}", "Accept": "image/*"}
    with (
        httpx.Client(timeout=IMAGE_TIMEOUT, follow_redirects=True, max_redirects=3) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        response.raise_for_status()
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if not ctype.startswith("image/") or ctype == "image/svg+xml":
            raise InvalidInput(f"{url} is not an image ({ctype or 'no content type'}).")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_IMAGE_BYTES:
            raise InvalidInput(f"{url} is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB.")
        data = bytearray()
        for chunk in response.iter_bytes():
            token.raise_if_cancelled()
            data += chunk
            if len(data) > MAX_IMAGE_BYTES:
                raise InvalidInput(f"{url} is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB.")
    return bytes(data)


def _decode(data: bytes) -> QImage:
    image = QImage.fromData(data)
    if image.isNull():
        raise InvalidInput("The image could not be decoded.")
    if image.width() > MAX_IMAGE_WIDTH:
        image = image.scaledToWidth(MAX_IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
    return image


class RemoteImages(QObject):
    """Fetches and keeps remote images for one session; emits :attr:`loaded` with the URL."""

    loaded = Signal(str)

    def __init__(self, parent: QObject | None = None, *, fetch: Fetcher = fetch_image) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._images: dict[str, QImage] = {}
        self._pending: set[str] = set()
        self._failed: set[str] = set()

    def image(self, url: str) -> QImage | None:
        return self._images.get(url)

    def failed(self, url: str) -> bool:
        return url in self._failed

    def request(self, url: str) -> None:
        """Fetch ``url`` in the background unless it is loaded, loading or failed already."""
        if url in self._images or url in self._pending or url in self._failed:
            return
        if QUrl(url).scheme().lower() not in _SCHEMES:
            self._failed.add(url)
            return
        self._pending.add(url)
        fetch = self._fetch

        def load(token: CancelToken) -> QImage:
            return _decode(fetch(url, token))

        (
            QueryOp(self, op=load, success=lambda image: self._done(url, image))
            .failure(lambda exc: self._fail(url, exc))
            .run_in_background()
        )

    def _done(self, url: str, image: QImage) -> None:
        self._pending.discard(url)
        self._images[url] = image
        self.loaded.emit(url)

    def _fail(self, url: str, exc: BaseException) -> None:
        self._pending.discard(url)
        self._failed.add(url)
        log.info("image not loaded: %s (%s)", url, exc)
