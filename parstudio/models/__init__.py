"""SQLAlchemy models of PAR Studio; importing this registers every table on Base.metadata."""

from parstudio.models.base import Base
from parstudio.models.cases import PatientCase, RecalledSerial, UseLine
from parstudio.models.catalog import Barcode, Bin, Item, Location, ParSetting, Supplier
from parstudio.models.counts import Count, CountLine, RecalledLot, Receipt, Scan, Waste
from parstudio.models.orders import Order, OrderLine
from parstudio.models.review import ParReviewDecision, ParSeason, UsageProfile
from parstudio.models.users import AuditEntry, DatabaseSetting, RestoreMarker, User

__all__ = [
    "AuditEntry",
    "Barcode",
    "Base",
    "Bin",
    "Count",
    "CountLine",
    "DatabaseSetting",
    "Item",
    "Location",
    "Order",
    "OrderLine",
    "ParReviewDecision",
    "ParSeason",
    "ParSetting",
    "PatientCase",
    "RecalledLot",
    "RecalledSerial",
    "Receipt",
    "RestoreMarker",
    "Scan",
    "Supplier",
    "UsageProfile",
    "UseLine",
    "User",
    "Waste",
]
