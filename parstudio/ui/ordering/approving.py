"""Approving a proposal: the lines a person orders, made into orders off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from parstudio.domain.orders import ApprovedLine
from parstudio.domain.progress import Progress
from parstudio.services.core.database import Database
from parstudio.services.ordering import orders
from parstudio.ui.kit.background import Task, run_with_progress
from parstudio.ui.ordering.models import ProposalTableModel
from parstudio.ui.ordering.surplus_switch import transfer_lines


def lines_to_order(model: ProposalTableModel) -> tuple[int, Callable[[], list[ApprovedLine]]]:
    """How many lines the person orders, and what makes them into approved lines.

    The packs are taken now, as the person left them; the explanations later, off the UI
    thread (a line's words are worked out when first read: a second for a whole department).
    """
    picked = [(line, packs) for line in model.rows() if (packs := model.packs_of(line)) > 0]
    switched = [line for line in transfer_lines(model) if line.packs > 0]

    def make() -> list[ApprovedLine]:
        return [
            ApprovedLine(
                setting_id=line.setting_id,
                packs=packs,
                proposed_packs=line.packs,
                count_line_id=line.count_line_id,
                explanation=line.explanation,
            )
            for line, packs in picked
        ] + switched

    return len(picked) + len(switched), make


def approve_in_background(
    parent: QWidget,
    db: Database,
    count: int,
    make: Callable[[], list[ApprovedLine]],
    *,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_cancel: Callable[[], None],
) -> Task:
    """Create the orders of ``count`` lines on the thread pool, with a progress window (after
    a second) whose Cancel orders nothing: all the orders are written in one transaction."""

    def job(progress: Progress) -> Any:
        return orders.approve_lines(db, lines=make(), progress=progress)

    def describe(done: int, total: int) -> str:
        if done < total // 2:
            return f"Sorting {count:,} lines into orders…"
        return f"Writing the orders of {count:,} lines…"

    return run_with_progress(
        parent,
        f"Creating orders for {count:,} lines…",
        job,
        on_done=on_done,
        on_error=on_error,
        on_cancel=on_cancel,
        title="Approve proposal",
        describe=describe,
    )
