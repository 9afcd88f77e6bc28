"""The Review page's work through the services: decisions that undo, and recomputing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from parstudio.domain.errors import CancelledError
from parstudio.domain.progress import Progress
from parstudio.domain.review import (
    Formula,
    RefreshSummary,
    ReviewDecision,
    ReviewLine,
)
from parstudio.services.core.database import Database
from parstudio.services.review import suggestions as review
from parstudio.ui.kit.undo import Done, Report, ServiceCommand


class DecisionCommand(ServiceCommand):
    """Review decisions made; undo takes them back through the service, redo makes them again.

    Undo puts accepted levels back (refused, changing nothing, if the setting was changed
    since) and removes the decisions, so the lines are listed again.
    """

    def __init__(
        self,
        text: str,
        *,
        db: Database,
        lines: Sequence[ReviewLine],
        made: Sequence[ReviewDecision],
        accept: bool,
        formula: Formula,
        done: Done,
        report: Report,
    ) -> None:
        self.lines, self.made = list(lines), list(made)

        def undo() -> str:
            versions = review.undo_decisions(db, made=self.made)
            self.lines = [replace(line, version=versions[line.setting_id]) for line in self.lines]
            back = "The levels are as they were, and the" if accept else "The"
            them = "them" if len(self.lines) > 1 else "it"
            return f"Undone: {text}. {back} review lists {them} again."

        def redo() -> str:
            self.made = review.decide(db, lines=self.lines, accept=accept, formula=formula)
            return f"Redone: {text}."

        super().__init__(text, redo=redo, undo=undo, done=done, report=report)


def refresh_job(
    db: Database, location_ids: list[int] | None
) -> Callable[[Progress], RefreshSummary]:
    """Recomputing the suggestions, as a job for the thread pool: Stop ends it after the
    locations being worked out (the service keeps what it saved)."""

    def job(progress: Progress) -> RefreshSummary:
        def report(done: int, total: int) -> bool:
            try:
                progress(done, total)
            except CancelledError:
                return False  # the service stops after the batch it has just saved
            return True

        return review.refresh_profiles(
            db, through=date.today(), location_ids=location_ids, progress=report
        )

    return job


def summary_text(summary: RefreshSummary) -> str:
    """What the status line says when recomputing ends, stopped or not."""
    extra = f", {summary.skipped:,} skipped: impossible figures" if summary.skipped else ""
    if summary.stopped:
        return (
            f"Stopped: suggestions worked out for {summary.settings:,} of "
            f"{summary.total:,} settings{extra}; the others keep their earlier suggestions."
        )
    return (
        f"Suggestions worked out for {summary.settings:,} settings "
        f"({summary.with_history:,} with usage, {summary.seasonal:,} with a season"
        f"{extra})."
    )
