"""Render the app icon SVG to the PNG sizes the desktop and the bundles need.

Run after changing the SVG (the PNGs are committed)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_icons.py

(It lives in scripts/, not resources/, because everything in resources/ ships in the wheel.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

TOP = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOP))
from modconsole import APP_ID  # noqa: E402

SIZES = (16, 32, 48, 64, 128, 256)


def render(svg: Path, out_dir: Path, sizes: tuple[int, ...] = SIZES) -> list[Path]:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"not a valid SVG: {svg}")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        target = out_dir / f"{size}x{size}" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
        written.append(target)
    return written


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    icons = TOP / "resources" / "icons"
    for path in render(icons / f"{APP_ID}.svg", icons):
        print(path.relative_to(TOP))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
