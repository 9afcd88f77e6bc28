"""What the What-if window does with a comparison once made: says what it came to, accepts
the leanest levels through the review (undoably), and writes it to a file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from parstudio.domain.review import Formula
from parstudio.domain.simulation_compare import Comparison
from parstudio.reports.simulation import simulation_pdf, write_simulation_xlsx
from parstudio.services.review import simulation
from parstudio.services.review import suggestions as review
from parstudio.ui.kit.page import PageHost
from parstudio.ui.kit.undo import ServiceCommand


def summary(comparison: Comparison) -> str:
    """The status line of a comparison: lines replayed, left out, leanest found."""
    left = len(comparison.too_little_history)
    said = f"{len(comparison.lines)} lines replayed, {comparison.input.first} to "
    said += f"{comparison.input.last}"
    if left:
        said += f"; {left} with too little history to replay (listed below the notes)"
    if not comparison.lines:
        said = "Nothing to replay: too little history in this period for every line chosen."
    if comparison.leanest is not None:
        lean = [x for x in comparison.lines if x.leanest is not None]
        missed = sum(1 for x in lean if x.leanest is not None and not x.leanest.met)
        said += f". Leanest found for {len(lean) - missed} lines"
        if missed:
            said += f"; {missed} miss {comparison.service_level} % even at their ceiling"
    return said + "."


def accept_leanest(
    host: PageHost, comparison: Comparison, levels_changed: Callable[[object], None] | None
) -> str:
    """Accept every leanest level found (that differs) through the review, as one undoable
    step on the window's undo stack; what was done, in words. A refusal raises."""
    db = host.db
    lines = simulation.leanest_lines(comparison)
    made = review.decide(db, lines=lines, accept=True, formula=Formula.LEANEST)
    text = f"accept {len(made)} leanest level{'s' if len(made) != 1 else ''}"
    held: dict[str, Any] = {"lines": lines, "made": made}

    def undo() -> str:
        versions = review.undo_decisions(db, made=held["made"])
        held["lines"] = [replace(x, version=versions[x.setting_id]) for x in held["lines"]]
        return f"Undone: {text}."

    def redo() -> str:
        held["made"] = review.decide(db, lines=held["lines"], accept=True, formula=Formula.LEANEST)
        return f"Redone: {text}."

    done = levels_changed or (lambda message: None)
    host.undo_stack.push(
        ServiceCommand(text, redo=redo, undo=undo, done=done, report=host.report_error)
    )
    done(None)
    return (
        f"Accepted {len(made)} leanest levels (Edit → Undo takes them back). "
        "Simulate again to replay the new current levels."
    )


def write_comparison(path: Path, comparison: Comparison) -> Path:
    """Write the comparison to ``path`` (.pdf, else .xlsx); the file written."""
    if path.suffix.lower() == ".pdf":
        path.write_bytes(simulation_pdf(comparison))
        return path
    written = path.with_suffix(".xlsx")
    write_simulation_xlsx(written, comparison)
    return written
