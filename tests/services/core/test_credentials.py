"""The server password in the system keyring, and what happens when there is no keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from parstudio.services.core import credentials, urls
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


@pytest.mark.postgres
def test_a_password_written_in_the_address_is_used_but_never_kept_in_it(
    request: pytest.FixtureRequest, tmp_path: Path, no_keyring: None
) -> None:
    db_url = make_database_url(request, "postgres", tmp_path)
    typed = db_url.replace("parstudio@", "parstudio:s3cr%40t@")
    db = open_database(typed)
    try:
        assert db.engine.url.password == "s3cr@t"  # used to connect
        assert db.url == db_url  # and gone from the address remembered and shown
        assert "s3cr" not in db.description
    finally:
        db.close()


def test_passwords_are_taken_out_of_addresses_and_texts() -> None:
    assert (
        urls.without_password("postgresql://pat:pw@db:5433/par") == "postgresql://pat@db:5433/par"
    )
    assert urls.without_password("postgresql://pat@db/par") == "postgresql://pat@db/par"
    assert urls.without_password("sqlite:////tmp/a:b@c.sqlite") == "sqlite:////tmp/a:b@c.sqlite"
    assert (
        urls.redact_passwords("failed: postgresql+psycopg://pat:hunter2@db/par (timeout)")
        == "failed: postgresql+psycopg://pat:***@db/par (timeout)"
    )


@pytest.mark.parametrize(
    "spelt",
    [
        "postgresql+psycopg://pat@127.0.0.1:5432/par",
        "postgresql://pat@localhost/par",
        "postgresql://other:secret@LOCALHOST:5432/par?sslmode=disable",
        "postgresql+psycopg://[::1]/par",
    ],
)
def test_one_database_has_one_key_however_its_address_is_spelt(spelt: str) -> None:
    assert urls.same_database_key(spelt) == "postgresql://localhost:5432/par"
    assert urls.same_database_key("postgresql://pat@localhost/other") != urls.same_database_key(
        spelt
    )
