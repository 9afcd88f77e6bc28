"""Alembic environment: one code path for offline and online, batch mode for SQLite."""

from __future__ import annotations

from alembic import context

from parstudio.models import Base
from parstudio.models.base import UTCDateTime

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render PAR Studio's own column types as the plain SQLAlchemy types they wrap."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        **kwargs,  # type: ignore[arg-type]
    )


def run() -> None:
    """Run the migrations with the connection PAR Studio hands over, or offline as SQL."""
    connection = config.attributes.get("connection")
    if connection is None:
        _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


run()
