"""The last sheet each location showed on this computer, to count from while the server is away.

Written (atomically) each time a count screen opens a location; read only when the server
cannot be reached then. Scans made from it are kept in the scan journal under its count, so a
count finished elsewhere meanwhile refuses them on sending and they are set aside, not lost.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parstudio.domain.counting import CountSheet, CountSheetLine
from parstudio.services.core.database import Database, data_folder
from parstudio.services.core.urls import same_database_key

__all__ = ["forget_sheet", "known_location_id", "last_known_sheet", "remember_sheet"]


def _path(db: Database, location_id: int, folder: Path | None) -> Path:
    digest = hashlib.sha256(same_database_key(db.url).encode("utf-8")).hexdigest()[:12]
    return (folder or data_folder()) / f"count-sheets-{digest}" / f"location-{location_id}.json"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | date | datetime):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def remember_sheet(db: Database, sheet: CountSheet, folder: Path | None = None) -> None:
    """Keep the sheet as the location's last known one on this computer."""
    path = _path(db, sheet.location_id, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(sheet)
    data["lines"] = [{k: _plain(v) for k, v in line.items()} for line in data["lines"]]
    data["started_at"] = sheet.started_at.isoformat()
    data["kept_at"] = datetime.now(UTC).isoformat()
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    os.replace(scratch, path)


def forget_sheet(db: Database, location_id: int, folder: Path | None = None) -> None:
    """The location's count was finished here: there is no open sheet to go back to."""
    _path(db, location_id, folder).unlink(missing_ok=True)


def last_known_sheet(
    db: Database, location_id: int, folder: Path | None = None
) -> tuple[CountSheet, datetime] | None:
    """The location's last known sheet and when it was kept, or None."""
    try:
        data = json.loads(_path(db, location_id, folder).read_text(encoding="utf-8"))
        lines = tuple(
            CountSheetLine(
                **{
                    **line,
                    "expected": _decimal(line["expected"]),
                    "counted": _decimal(line["counted"]),
                    "expiry": date.fromisoformat(line["expiry"]) if line["expiry"] else None,
                    "flags": tuple(line["flags"]),
                }
            )
            for line in data.pop("lines")
        )
        kept_at = datetime.fromisoformat(data.pop("kept_at"))
        data["started_at"] = datetime.fromisoformat(data["started_at"])
        return CountSheet(**{**data, "lines": lines, "resumed": True}), kept_at
    except (OSError, ValueError, KeyError, TypeError):
        return None


def known_location_id(db: Database, code: str, folder: Path | None = None) -> int | None:
    """The location whose sheet this computer kept under ``code`` (as on its label), or None."""
    for path in sorted(_path(db, 0, folder).parent.glob("location-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if str(data["location_code"]).casefold() == code.strip().casefold():
                return int(data["location_id"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
