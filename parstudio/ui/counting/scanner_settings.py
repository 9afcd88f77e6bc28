"""A workstation's scanner settings, kept in QSettings (section "scanner")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QSettings

from parstudio.domain.barcodes import GS

__all__ = [
    "DEFAULT_MAX_INTERVAL_MS",
    "SETTING_GROUP_SEPARATOR",
    "SETTING_MAX_INTERVAL",
    "SETTING_SCAN_MODE",
    "SETTING_SOUND",
    "ScanMode",
    "ScannerSettings",
]

DEFAULT_MAX_INTERVAL_MS = 30.0
SETTING_MAX_INTERVAL = "scanner/max_interval_ms"
SETTING_GROUP_SEPARATOR = "scanner/group_separator"
SETTING_SCAN_MODE = "scanner/scan_mode"
SETTING_SOUND = "scanner/sound"


class ScanMode(StrEnum):
    """What a scan of an ON HAND item does on this workstation."""

    LOCATION = "location"
    """As the location says (its "a scan adds one" option)."""
    ADD_ONE = "add_one"
    ASK_QUANTITY = "ask_quantity"


@dataclass(frozen=True, slots=True)
class ScannerSettings:
    """How this workstation's scanner is told from typing, and what its scans do."""

    max_interval_ms: float = DEFAULT_MAX_INTERVAL_MS
    group_separator: str = GS
    scan_mode: ScanMode = ScanMode.LOCATION
    sound: bool = True

    @property
    def scan_adds_one(self) -> bool | None:
        """The workstation's override of the location's scan setting, or None to follow it."""
        if self.scan_mode is ScanMode.LOCATION:
            return None
        return self.scan_mode is ScanMode.ADD_ONE

    @classmethod
    def load(cls, settings: QSettings | None = None) -> ScannerSettings:
        """Read the settings; anything missing or unreadable takes its default."""
        settings = settings or QSettings()
        separator = settings.value(SETTING_GROUP_SEPARATOR)
        try:
            mode = ScanMode(str(settings.value(SETTING_SCAN_MODE, ScanMode.LOCATION.value)))
        except ValueError:
            mode = ScanMode.LOCATION
        return cls(
            max_interval_ms=_positive(
                settings.value(SETTING_MAX_INTERVAL), DEFAULT_MAX_INTERVAL_MS
            ),
            group_separator=str(separator) if separator else GS,
            scan_mode=mode,
            sound=_boolean(settings.value(SETTING_SOUND), default=True),
        )

    def save(self, settings: QSettings | None = None) -> None:
        """Write the settings."""
        settings = settings or QSettings()
        settings.setValue(SETTING_MAX_INTERVAL, self.max_interval_ms)
        settings.setValue(SETTING_GROUP_SEPARATOR, self.group_separator)
        settings.setValue(SETTING_SCAN_MODE, self.scan_mode.value)
        settings.setValue(SETTING_SOUND, self.sound)
        settings.sync()


def _positive(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def _boolean(value: Any, *, default: bool) -> bool:
    # INI files give back "true"/"false" strings.
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
