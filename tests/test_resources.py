"""The resources (icons, desktop entry) are all there, well formed, and found from the package."""

from __future__ import annotations

import struct
from configparser import ConfigParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from parstudio import resources
from parstudio.domain.errors import ParStudioError

PAGES = (
    "Items",
    "Suppliers",
    "Locations",
    "PAR Settings",
    "Count",
    "Cases",
    "Proposal",
    "Orders",
    "Rebalance",
    "Charges",
    "Review",
    "Expiry",
    "Users",
    "Audit log",
)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_application_icon_is_rendered_at_every_size() -> None:
    for size in resources.APP_ICON_SIZES:
        assert png_size(resources.app_icon_png(size)) == (size, size)
    svg = ElementTree.parse(resources.app_icon_svg()).getroot()
    assert svg.get("viewBox") == "0 0 64 64"
    with pytest.raises(ValueError, match="sizes are"):
        resources.app_icon_png(20)


def test_the_windows_icon_holds_the_sizes_from_16_to_256() -> None:
    data = resources.resource("icons/app/parstudio.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}  # a width of 0 means 256
    assert {16, 32, 48, 256} <= sizes


def test_every_page_has_an_icon_in_the_one_style() -> None:
    for page in PAGES:
        svg = ElementTree.parse(resources.page_icon(page)).getroot()
        assert svg.get("viewBox") == "0 0 24 24", page
        assert (svg.get("stroke"), svg.get("stroke-width"), svg.get("fill")) == (
            "#2d6473",
            "2",
            "none",
        ), page
    assert resources.page_icon("PAR Settings").name == "par-settings.svg"


def test_the_desktop_entry_is_a_valid_application_entry() -> None:
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(resources.resource("parstudio.desktop"), encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "PAR Studio"
    assert section["Icon"] == "parstudio"
    assert section["Exec"] == "parstudio"
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";")


def test_an_installed_package_uses_its_own_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    installed = tmp_path / "parstudio"
    (installed / "_resources" / "icons").mkdir(parents=True)
    monkeypatch.setattr(resources.importlib_resources, "files", lambda _name: installed)
    assert resources.resources_folder() == installed / "_resources"
    with pytest.raises(ParStudioError, match=r"“icons/app/parstudio\.svg” is missing"):
        resources.app_icon_svg()


def test_from_a_checkout_the_top_level_folder_is_used() -> None:
    assert resources.resources_folder() == Path(__file__).resolve().parents[1] / "resources"
