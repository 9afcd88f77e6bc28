"""What the write guard, the audit trail and backups cost on a generated department."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import sessionmaker

from bench.context import Context
from bench.harness import Scenario
from parstudio.models import Count, Location, ParSetting
from parstudio.services.admin import backup
from parstudio.services.catalog import par_settings
from parstudio.services.core.database import Database, open_database

SAVES = 200
BULK_ROWS = 20_000


def scenarios(ctx: Context) -> list[Scenario]:
    """Saving PAR settings and bulk inserts with and without the guard; an online backup."""

    @cache
    def guarded() -> Database:
        # A private copy: opening it upgrades the schema, which the shared cache must not see.
        return open_database(str(ctx.scratch_copy("workstations.sqlite")), user_name="bench")

    @cache
    def unguarded() -> Database:
        """The same file through a session factory without the guard's event hooks."""
        db = guarded()
        return Database(
            url=db.url,
            engine=db.engine,
            session_factory=sessionmaker(db.engine, expire_on_commit=False),
            user_name="bench",
        )

    @cache
    def setting_ids() -> list[int]:
        with guarded().reading() as session:
            return list(session.scalars(select(ParSetting.id).order_by(ParSetting.id).limit(SAVES)))

    def save_settings(db: Database) -> None:
        for setting_id in setting_ids():
            current = par_settings.get_par_setting(db, setting_id=setting_id)
            moq = 3 if current.moq == 2 else 2  # always valid, whatever the levels are
            par_settings.update_par_setting(
                db,
                setting_id=setting_id,
                changes={"moq": str(moq)},
                expected_version=current.version,
            )

    def bulk_counts(db: Database) -> None:
        with db.transaction() as session:
            location_id = session.scalar(select(Location.id).limit(1))
            now = datetime.now(UTC)
            rows: list[dict[str, Any]] = [
                {"location_id": location_id, "started_at": now, "source": "BENCH"}
                for _ in range(BULK_ROWS)
            ]
            session.execute(insert(Count), rows)

    def backup_job() -> None:
        backup.backup_database(guarded(), ctx.workdir / "backup.sqlite")

    def copy_job() -> None:
        shutil.copyfile(ctx.database_path, ctx.workdir / "copy.sqlite")

    return [
        Scenario(
            name=f"workstations: save {SAVES} PAR settings, guard + audit vs none",
            ours=lambda: save_settings(guarded()),
            baseline=lambda: save_settings(unguarded()),
            target="≤ 1.5× the same services without the guard",
            max_ratio=1.5,
            setup=setting_ids,
        ),
        Scenario(
            name=f"workstations: bulk insert {BULK_ROWS:,} counts, summary audit vs none",
            ours=lambda: bulk_counts(guarded()),
            baseline=lambda: bulk_counts(unguarded()),
            target="≤ 1.15× without the guard",
            max_ratio=1.15,
            setup=guarded,
        ),
        Scenario(
            name="workstations: online backup of the department (SQLite backup API)",
            ours=backup_job,
            baseline=copy_job,
            target="≤ 8× a plain file copy (which is not safe while others write)",
            max_ratio=8.0,
            repeat=3,
            setup=guarded,
        ),
    ]
