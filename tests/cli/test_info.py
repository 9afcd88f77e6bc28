"""`parstudio info`: the version and where everything is, even when the database will not open."""

from __future__ import annotations

from pathlib import Path

import pytest

from parstudio import __version__
from parstudio.cli import main
from parstudio.services.core.schema import SCHEMA_HEAD


def test_info_says_the_version_and_where_the_data_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.delenv("PARSTUDIO_DATABASE_URL", raising=False)
    assert main(["info"]) == 0
    data = tmp_path / "share" / "PARStudio"
    assert capsys.readouterr().out.splitlines() == [
        f"PAR Studio {__version__}",
        f"Data folder: {data}",
        f"Log file: {data / 'parstudio.log'}",
        f"Database: SQLite file {data / 'parstudio.sqlite'}",
        f"Schema: {SCHEMA_HEAD} (this PAR Studio knows up to {SCHEMA_HEAD})",
    ]


def test_where_things_are_is_said_before_a_database_that_will_not_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    broken = tmp_path / "not-a-database.sqlite"
    broken.write_text("hello")
    assert main(["--database", str(broken), "info"]) == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"PAR Studio {__version__}\nData folder: ")
    assert "Log file: " in out and "not-a-database.sqlite" in err
