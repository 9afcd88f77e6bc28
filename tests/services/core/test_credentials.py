"""The server password in the system keyring, and what happens when there is no keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from parstudio.services.core import credentials
from parstudio.services.core.database import open_database
from tests.conftest import make_database_url


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


URL = "postgresql+psycopg://anna@supply-server:5433/parstudio"


def test_password_is_kept_per_server_login(memory_keyring: MemoryKeyring) -> None:
    assert credentials.keyring_problem() is None
    assert credentials.stored_password(URL) is None
    assert credentials.remember_password(URL, "s3cret") is None
    assert memory_keyring.saved == {("PAR Studio", "anna@supply-server:5433/parstudio"): "s3cret"}
    assert credentials.stored_password(URL) == "s3cret"
    assert credentials.stored_password(URL.replace("anna", "ben")) is None


def test_without_a_keyring_it_says_so_and_remembers_nothing(no_keyring: None) -> None:
    problem = credentials.keyring_problem()
    assert problem is not None and "no system keyring" in problem
    assert credentials.remember_password(URL, "s3cret") == problem
    assert credentials.stored_password(URL) is None


def test_password_helpers() -> None:
    assert credentials.with_password(URL, "pw").startswith("postgresql+psycopg://anna:pw@")
    assert credentials.with_password(URL, None) == URL
    assert credentials.needs_password('FATAL:  password authentication failed for user "anna"')
    assert credentials.needs_password("fe_sendauth: no password supplied")
    assert not credentials.needs_password("could not translate host name")


@pytest.mark.postgres
def test_opening_a_server_uses_the_remembered_password(
    request: pytest.FixtureRequest, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    db_url = make_database_url(request, "postgres", tmp_path)
    credentials.remember_password(db_url, "kept-in-keyring")
    db = open_database(db_url)  # the test server trusts its loopback logins
    try:
        assert db.engine.url.password == "kept-in-keyring"
        assert "kept-in-keyring" not in db.url and "kept-in-keyring" not in db.description
    finally:
        db.close()
