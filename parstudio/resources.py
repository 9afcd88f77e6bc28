"""PAR Studio's resources (icons, the desktop entry): inside the installed package, or beside
the source tree when running from a checkout.

The wheel carries the top-level ``resources/`` folder as ``parstudio/_resources`` (hatch
force-include in pyproject.toml), and so does the ``make dist`` bundle (packaging/parstudio.spec).
Plain paths, no Qt: the command line uses them too (``parstudio install-desktop-entry``).
"""

from __future__ import annotations

from importlib import resources as importlib_resources
from pathlib import Path

from parstudio.domain.errors import ParStudioError

APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def resources_folder() -> Path:
    """The folder holding the resources: the installed package's, else the checkout's."""
    installed = Path(str(importlib_resources.files("parstudio") / "_resources"))
    checkout = Path(__file__).resolve().parents[1] / "resources"
    for candidate in (installed, checkout):
        if (candidate / "icons").is_dir():
            return candidate
    raise ParStudioError(
        "PAR Studio's resources (icons, desktop entry) are missing from this installation; "
        "reinstall it."
    )


def resource(relative: str) -> Path:
    """One resource file, by its path under resources/ (an error naming it when missing)."""
    path = resources_folder() / relative
    if not path.is_file():
        raise ParStudioError(f"PAR Studio's resource “{relative}” is missing; reinstall it.")
    return path


def app_icon_svg() -> Path:
    """The application icon as drawn (scalable)."""
    return resource("icons/app/parstudio.svg")


def app_icon_png(size: int) -> Path:
    """The application icon rendered at one of APP_ICON_SIZES."""
    if size not in APP_ICON_SIZES:
        raise ValueError(f"no {size} px application icon; sizes are {APP_ICON_SIZES}")
    return resource(f"icons/app/parstudio-{size}.png")


def page_icon(page: str) -> Path:
    """The sidebar icon of a page, by the page's name ("PAR Settings" → par-settings.svg)."""
    return resource(f"icons/pages/{page.lower().replace(' ', '-')}.svg")
