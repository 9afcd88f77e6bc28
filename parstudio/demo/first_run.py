"""The demo on the first run: built once into an empty database, with its review suggestions."""

from __future__ import annotations

from parstudio.demo.catalogue import PAR_LOCATIONS
from parstudio.demo.department import DemoSummary, build_demo, is_empty
from parstudio.domain.progress import Progress, no_progress
from parstudio.services.core.database import Database

DEMO_STEPS = len(PAR_LOCATIONS) + 2  # each room simulated, the storeroom, the suggestions


def demo_suggestions(db: Database) -> None:
    """Work out the demo's usage and suggestions, so its Review page has something to show."""
    from parstudio.services.review import suggestions as review

    review.refresh_profiles(db)


def build_demo_if_empty(db: Database, progress: Progress | None = None) -> DemoSummary | None:
    """Build the demo into an empty database (None if it already holds data).

    ``progress`` is told (step, DEMO_STEPS) as each location is simulated; raising in it stops
    the build, and the demo's one transaction leaves the database empty.
    """
    report = progress or no_progress
    if not is_empty(db):
        return None
    summary = build_demo(db, progress=report)
    report(DEMO_STEPS - 1, DEMO_STEPS)
    demo_suggestions(db)
    report(DEMO_STEPS, DEMO_STEPS)
    return summary
