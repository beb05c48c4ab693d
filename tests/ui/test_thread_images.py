"""'Show images': allowed remote images are fetched in the background, without credentials, and
shown in the post; nothing is requested before the moderator ticks the box."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole.cache import repo
from modconsole.errors import InvalidInput
from modconsole.tasks import CancelToken
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS, WAIT_S
from ui.mainwindow import QueuePage
from ui.remote_images import MAX_IMAGE_BYTES, fetch_image
from ui.services import Session
from ui.signals import AppSignals
from ui.tasks import TaskManager

POST_ID = 9_999_123


def _png(width: int = 120, height: int = 60) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a6496"))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]  # the stub wants bytes, PySide wants str
    buf.close()
    return bytes(data.data())


class ImageServer:
    """A loopback HTTP server that serves a PNG and records every request's path and headers."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.png = _png()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                if self.path == "/chart.png":
                    body, ctype = server.png, "image/png"
                elif self.path == "/huge.png":
                    body, ctype = b"\0" * (MAX_IMAGE_BYTES + 1), "image/png"
                else:
                    body, ctype = b"<html>not an image</html>", "text/html"
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ImageServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(WAIT_S)


@pytest.fixture
def images() -> Iterator[ImageServer]:
    with ImageServer() as server:
        yield server


@pytest.fixture
def synced(synced_session: Session) -> Session:
    return synced_session


def _add_post(session: Session, cooked: str) -> int:
    with session.cache.read() as conn:
        topic_id, last = conn.exec_driver_sql(
            "SELECT topic_id, max(post_number) FROM posts GROUP BY topic_id ORDER BY topic_id LIMIT 1"
        ).one()
    with session.cache.write() as conn:
        repo.upsert_posts(
            conn,
            [
                {
                    "id": POST_ID,
                    "topic_id": topic_id,
                    "post_number": last + 1,
                    "user_id": None,
                    "username": "dana",
                    "created_at": "2026-01-01T00:00:00.000Z",
                    "cooked": cooked,
                }
            ],
        )
    return int(topic_id)


def _resource(doc: QTextDocument, url: str) -> Any:
    return doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(url))


def test_images_load_only_after_the_tick_and_without_credentials(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced: Session,
    images: ImageServer,
) -> None:
    url = f"{images.url}/chart.png"
    topic_id = _add_post(
        synced,
        f'<p>Our latency chart:</p><p><img src="{url}" alt="latency chart"></p>'
        f'<p>and the same again <img src="{url}" alt="again"></p>',
    )
    page = QueuePage(synced)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    panel = page.thread_panel
    threads: list[threading.Thread] = []
    fetch = panel.images._fetch

    def recording_fetch(u: str, token: CancelToken) -> bytes:
        threads.append(threading.current_thread())
        return fetch(u, token)

    panel.images._fetch = recording_fetch

    page.open_topic(topic_id)
    qtbot.waitUntil(lambda: any(c.post.post_id == POST_ID for c in panel.cards()))
    card = next(c for c in panel.cards() if c.post.post_id == POST_ID)
    assert "[image: latency chart]" in card.body.text()
    qtbot.wait(300)  # give a (wrong) background fetch time to arrive
    assert images.requests == []
    assert _resource(card.body.document(), url) is None

    panel.images_box.setChecked(True)
    doc = card.body.document()
    qtbot.waitUntil(lambda: isinstance(_resource(doc, url), QImage), timeout=WAIT_MS)
    image = _resource(doc, url)
    assert (image.width(), image.height()) == (120, 60)
    assert len(images.requests) == 1  # two uses, one request
    path, headers = images.requests[0]
    assert path == "/chart.png"
    for secret in (
        "api-key",
        "api-username",
        "user-api-key",
        "user-api-client-id",
        "authorization",
        "cookie",
    ):
        assert secret not in headers
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert doc.size().height() >= 2 * 60  # laid out with the images' real size
    assert card.body.height() >= doc.size().height()

    if os.environ.get("MODCONSOLE_SHOTS"):
        QApplication.processEvents()
        panel.scroll_area.ensureWidgetVisible(card)
        QApplication.processEvents()
        page.grab().save(str(Path(os.environ["MODCONSOLE_SHOTS"]) / "thread-images.png"))

    # Kept for the session: untick and tick again, reopen the thread — no second request.
    panel.images_box.setChecked(False)
    assert "<img" not in card.body.text()
    panel.images_box.setChecked(True)
    page.open_topic(topic_id)
    qtbot.waitUntil(lambda: any(c is not card and c.post.post_id == POST_ID for c in panel.cards()))
    again = next(c for c in panel.cards() if c.post.post_id == POST_ID)
    assert isinstance(_resource(again.body.document(), url), QImage)
    qtbot.wait(200)
    assert len(images.requests) == 1


def test_what_is_not_an_allowed_image_stays_a_placeholder(
    qtbot: QtBot,
    task_manager: TaskManager,
    app_signals: AppSignals,
    messages: MessageRecorder,
    synced: Session,
    images: ImageServer,
) -> None:
    bad = f"{images.url}/page.html"
    topic_id = _add_post(synced, f'<p><img src="{bad}" alt="not an image"></p>')
    page = QueuePage(synced)
    qtbot.addWidget(page)
    page.show()
    panel = page.thread_panel
    panel.images_box.setChecked(True)
    page.open_topic(topic_id)
    qtbot.waitUntil(lambda: panel.images.failed(bad), timeout=WAIT_MS)
    card = next(c for c in panel.cards() if c.post.post_id == POST_ID)
    assert _resource(card.body.document(), bad) is None
    assert len(images.requests) == 1
    assert messages.bugs == [] and messages.messages == []  # quietly left as a placeholder


def test_fetch_image_limits(images: ImageServer) -> None:
    token = CancelToken()
    assert fetch_image(f"{images.url}/chart.png", token) == images.png
    with pytest.raises(InvalidInput, match="larger than"):
        fetch_image(f"{images.url}/huge.png", token)
    with pytest.raises(InvalidInput, match="not an image"):
        fetch_image(f"{images.url}/page.html", token)
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x.png", "/uploads/x.png"):
        with pytest.raises(InvalidInput, match="Only http"):
            fetch_image(url, token)
    assert len(images.requests) == 3
