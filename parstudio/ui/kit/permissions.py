"""Actions a role may not take are greyed out, with a tooltip that says who may.

The services refuse such writes anyway (services/core/guard.py); this only spares a clerk
pressing a button, confirming, and then being told no. The rule is the domain's ``refusal``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from parstudio.domain.roles import Action, refusal

if TYPE_CHECKING:
    from parstudio.services.core.database import Database


def who_may(
    db: Database | None,
    table: str,
    action: Action = Action.INSERT,
    *,
    columns: Collection[str] = (),
    new_status: str | None = None,
) -> str:
    """Why the signed-in person may not make this write, worded for a tooltip ('' if they may)."""
    if db is None:
        return ""
    reason = refusal(db.role, table, action, columns=columns, new_status=new_status)
    if reason is None:
        return ""
    return reason.replace("; nothing was saved.", ".").replace(" Nothing was saved.", "").strip()


def permit(
    control: QAction | QWidget,
    db: Database | None,
    table: str,
    action: Action = Action.INSERT,
    *,
    enabled: bool = True,
    tip: str = "",
    columns: Collection[str] = (),
    new_status: str | None = None,
) -> None:
    """Enable a control only if it is ``enabled`` and the role may write; say who may if not.

    With no database open (yet), nothing can be written: the control waits, greyed out.
    """
    reason = who_may(db, table, action, columns=columns, new_status=new_status)
    control.setEnabled(db is not None and enabled and not reason)
    control.setToolTip(reason or tip)
