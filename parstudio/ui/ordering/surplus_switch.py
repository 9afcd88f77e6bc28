"""Taking a proposal line from another location's surplus instead of a supplier: choosing the
offer, the approved transfer lines, and the manager's setting that offers it."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QCheckBox, QInputDialog, QMessageBox, QWidget

from parstudio.domain.orders import ApprovedLine, ProposalLine
from parstudio.domain.rebalance import SurplusOffer
from parstudio.domain.roles import Action
from parstudio.services.core import settings
from parstudio.ui.kit.formatting import quantity
from parstudio.ui.kit.page import PageHost
from parstudio.ui.kit.permissions import permit
from parstudio.ui.ordering.models import ProposalTableModel

SETTING_TEXT = "Offer surplus elsewhere before ordering from a supplier"
SETTING_TIP = (
    "A line bought from a supplier names the PAR locations holding the item above their PAR; "
    "“Take from surplus…” then moves it from there as a transfer instead (a manager's setting)"
)


def offer_checkbox(parent: QWidget) -> QCheckBox:
    """The setting, as the Proposal page shows it."""
    box = QCheckBox("Offer surplus elsewhere first", parent)
    box.setObjectName("offer_surplus")
    box.setToolTip(SETTING_TIP)
    return box


def show_setting(box: QCheckBox, host: PageHost) -> None:
    """Show the database's setting; only a manager may change it."""
    box.blockSignals(True)
    try:
        box.setChecked(host.db is not None and settings.offers_surplus(host.db))
    finally:
        box.blockSignals(False)
    permit(box, host.db, "database_setting", Action.UPDATE, tip=SETTING_TIP)


def save_setting(box: QCheckBox, host: PageHost, on: bool) -> bool:
    """Save the setting; False (and the box put back) when refused."""
    try:
        settings.set_offers_surplus(host.db, on=on)
    except Exception as exc:
        show_setting(box, host)
        host.report_error(exc)
        return False
    host.show_status(f"{SETTING_TEXT}: {'on' if on else 'off'}.")
    return True


def choose_offer(parent: QWidget, line: ProposalLine) -> SurplusOffer | None:
    """Ask which location's surplus to take the line from (None: keep buying it)."""
    offers = list(line.offers)
    if not offers:
        return None
    if len(offers) == 1:
        offer = offers[0]
        answer = QMessageBox.question(
            parent,
            "Take from surplus",
            f"{offer.source_code} has {quantity(offer.units)} {line.unit} of {line.item_code} "
            f"above its PAR. Take what {line.location_code} needs from there as a transfer, and "
            "buy only the rest?",
        )
        return offer if answer == QMessageBox.StandardButton.Yes else None
    labels = [f"{o.source_code}: {quantity(o.units)} {line.unit} above PAR" for o in offers]
    chosen, ok = QInputDialog.getItem(
        parent,
        "Take from surplus",
        f"Take {line.item_code} for {line.location_code} from:",
        labels,
        0,
        False,
    )
    return offers[labels.index(chosen)] if ok and chosen in labels else None


def transfer_lines(model: ProposalTableModel) -> list[ApprovedLine]:
    """The transfers of the lines switched to another location's surplus."""
    found = []
    for line in model.rows():
        switched = model.switches.get(line.setting_id)
        if switched is None:
            continue
        offer, units = switched
        found.append(
            ApprovedLine(
                setting_id=line.setting_id,
                packs=int(units),
                proposed_packs=int(units),
                count_line_id=line.count_line_id,
                explanation=f"Taken from the surplus above PAR at {offer.source_code} "
                f"instead of {line.source_code or 'the supplier'}: {line.explanation}",
                from_location_id=offer.source_location_id,
            )
        )
    return found


def switch_note(model: ProposalTableModel, line: ProposalLine) -> str:
    """What the detail pane says of a switched line ("" if it is not switched)."""
    switched = model.switches.get(line.setting_id)
    if switched is None:
        return ""
    offer, units = switched
    return (
        f"<b>Taken from surplus:</b> {quantity(units)} {escape(line.unit)} as a transfer from "
        f"{escape(offer.source_code)}; {model.packs_of(line)} packs bought from "
        f"{escape(line.source_code or 'the supplier')}."
    )
