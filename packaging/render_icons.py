"""Render the application icon's PNG sizes and Windows .ico from resources/icons/app/parstudio.svg.

Run after changing the SVG:
``QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py``.
The PNGs are drawn by Qt's own SVG renderer (the one the app uses); the .ico holds the 16–256
sizes and is assembled by Pillow (installed with the app's dependencies).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP = Path(__file__).resolve().parents[1] / "resources" / "icons" / "app"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn at size × size pixels on a transparent background."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv)
    svg = APP / "parstudio.svg"
    pngs = []
    for size in SIZES:
        target = APP / f"parstudio-{size}.png"
        if not render(svg, size).save(str(target)):
            raise SystemExit(f"could not write {target}")
        pngs.append(target)
    from PIL import Image

    with Image.open(APP / "parstudio-256.png") as largest:
        largest.save(APP / "parstudio.ico", sizes=[(s, s) for s in SIZES])
    print(f"wrote {len(pngs)} PNGs and parstudio.ico into {APP}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
