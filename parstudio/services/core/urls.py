"""Where PAR Studio's databases are, and how their addresses read, without SQLAlchemy.

The window names the database it is opening before SQLAlchemy is imported (that import alone
takes longer than showing the window), so these helpers parse URLs themselves.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import platformdirs

APP_NAME = "PARStudio"
ENV_VAR = "PARSTUDIO_DATABASE_URL"
LOG_NAME = "parstudio.log"

# The shape SQLAlchemy's make_url accepts: driver://user:password@host:port/database?query
_URL = re.compile(
    r"""
    (?P<name>[\w+]+)://
    (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
    (?:(?:\[(?P<ipv6host>[^/?]+)\]|(?P<ipv4host>[^/:?]+))?(?::(?P<port>[^/?]*))?)?
    (?:/(?P<database>[^?]*))?
    (?:\?(?P<query>.*))?
    """,
    re.X,
)


@dataclass(frozen=True)
class UrlParts:
    """The parts of a database URL that PAR Studio shows (never the password)."""

    backend: str
    username: str | None
    host: str | None
    port: str | None
    database: str | None


def data_folder() -> Path:
    """The user's PAR Studio data folder (created if missing)."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_file() -> Path:
    """Where unexpected errors are written (the window's error dialog names it)."""
    return data_folder() / LOG_NAME


def default_database_url() -> str:
    """The database used when none is named: the environment variable, else the local file."""
    return os.environ.get(ENV_VAR) or sqlite_url(data_folder() / "parstudio.sqlite")


def demo_database_url() -> str:
    """The demo department's own SQLite file, apart from the user's real data."""
    return sqlite_url(data_folder() / "demo.sqlite")


def sqlite_url(path: Path | str) -> str:
    """A SQLAlchemy URL for a SQLite file."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def normalise_url(url_or_path: str) -> str:
    """Accept a plain file path as well as a URL."""
    if "://" not in url_or_path:
        return sqlite_url(url_or_path)
    return url_or_path


def url_parts(url: str) -> UrlParts | None:
    """The parts of a database URL, or None if it is not one."""
    found = _URL.match(url)
    if found is None:
        return None
    username = found["username"]
    return UrlParts(
        backend=found["name"].split("+")[0],
        username=unquote(username) if username else None,
        host=found["ipv6host"] or found["ipv4host"],
        port=found["port"] or None,
        database=found["database"],
    )


def describe_url(url: str) -> str:
    """A short human description of a database URL, without any password."""
    parts = url_parts(url)
    if parts is None:
        return f"the database “{url}”"
    if parts.backend == "sqlite":
        return f"SQLite file {parts.database}"
    host = parts.host or "localhost"
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"PostgreSQL {user}{host}{port}/{parts.database}"


def short_name(url: str) -> str:
    """The database as the window title names it: a file name, or the server description."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).name
    return describe_url(url)


# "scheme://user:password@": the password part, wherever a URL appears in a text.
_PASSWORD = re.compile(r"(?P<head>\b[a-z][\w+.-]*://[^:/@\s]*):(?P<password>[^@\s/]*)@", re.I)
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1"})
_DEFAULT_PORTS = {"postgresql": "5432"}


def without_password(url: str) -> str:
    """The URL with any password taken out (what is remembered, shown and logged)."""
    return _PASSWORD.sub(lambda found: f"{found['head']}@", url)


def redact_passwords(text: str) -> str:
    """A text (a log line, an error) with the password of every URL in it hidden."""
    return _PASSWORD.sub(lambda found: f"{found['head']}:***@", text)


def same_database_key(url: str) -> str:
    """One name for one database, however its address is spelt.

    The driver (postgresql:// or postgresql+psycopg://), the login and any password, the host
    spelt localhost, 127.0.0.1 or ::1, and the default port left out or written all name the
    same server database; a SQLite file is named by its full path.
    """
    url = normalise_url(url)
    parts = url_parts(url)
    if parts is None:
        return url
    if parts.backend == "sqlite":
        path = (parts.database or "").split("?")[0]
        return sqlite_url(path) if path and path != ":memory:" else url
    host = (parts.host or "localhost").lower()
    host = "localhost" if host in _LOOPBACK else host
    port = parts.port or _DEFAULT_PORTS.get(parts.backend, "")
    return f"{parts.backend}://{host}:{port}/{parts.database or ''}"
