"""Migrations: a linear chain, a schema matching the models, and upgrades that keep data."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from parstudio.models import Base
from parstudio.services.catalog import items
from parstudio.services.core.database import open_database, sqlite_url
from parstudio.services.core.schema import SCHEMA_HEAD, alembic_config


def test_revision_chain_is_linear() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    bases = [r for r in revisions if r.down_revision is None]
    assert len(bases) == 1
    for revision in revisions:
        assert not isinstance(revision.down_revision, tuple), "no merge revisions"


def test_schema_head_constant_is_the_newest_migration() -> None:
    # Opening a database at SCHEMA_HEAD skips Alembic; a stale constant would skip upgrades.
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


def test_migrated_schema_matches_models(db_url: str) -> None:
    db = open_database(db_url)
    try:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        db.close()


def test_first_revision_database_upgrades_with_data_intact(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "old.sqlite")
    script = ScriptDirectory.from_config(alembic_config())
    first = next(r for r in script.walk_revisions() if r.down_revision is None)
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), first.revision)
        connection.execute(
            text(
                "INSERT INTO item (code, description, unit, pack_size, expensed, consignment,"
                " active, version, created_at, updated_at)"
                " VALUES ('OLD-1', 'Gauze 4x4', 'PK', 10, 1, 0, 1, 1,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    db = open_database(url)
    try:
        found = items.find_item_by_code(db, code="OLD-1")
        assert found is not None
        assert (found.description, found.unit, found.pack_size) == ("Gauze 4x4", "PK", 10)
    finally:
        db.close()


def test_enum_columns_keep_their_stored_values_and_lengths(db_url: str) -> None:
    """Count types, methods and rounding are enums in the models and records, stored as the
    very text and VARCHAR lengths the migrations made (so no migration was needed)."""
    from sqlalchemy import inspect, select

    from parstudio.domain.enums import CountType, Method, Rounding
    from parstudio.models import ParSetting
    from parstudio.services.catalog import locations, par_settings

    db = open_database(db_url)
    try:
        room = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
        item = items.create_item(db, fields={"code": "GZ", "description": "Gauze", "unit": "PK"})
        setting = par_settings.create_par_setting(
            db,
            location_id=room.id,
            item_id=item.id,
            fields={"method": "MIN/MAX", "min_level": "2", "max_level": "6",
                    "count_type": "order par", "rounding": "down"},
        )  # fmt: skip
        assert setting.method is Method.MIN_MAX and setting.rounding is Rounding.DOWN
        assert setting.count_type is CountType.ORDER_PAR
        assert room.default_count_type is CountType.ON_HAND
        with db.engine.connect() as connection:
            stored = connection.execute(
                text("SELECT method, count_type, rounding FROM par_setting")
            ).one()
            assert tuple(stored) == ("MIN/MAX", "ORDER PAR", "DOWN")
            assert type(stored[0]) is str
            lengths = {
                column["name"]: column["type"].length
                for column in inspect(connection).get_columns("par_setting")
                if column["name"] in ("method", "count_type", "rounding")
            }
        assert lengths == {"method": 10, "count_type": 20, "rounding": 4}
        with db.reading() as session:
            row = session.scalars(select(ParSetting)).one()
            assert (row.method, row.count_type, row.rounding) == (
                Method.MIN_MAX, CountType.ORDER_PAR, Rounding.DOWN,
            )  # fmt: skip
            assert row.method == "MIN/MAX"  # a StrEnum: old string comparisons still hold
    finally:
        db.close()
