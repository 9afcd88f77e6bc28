"""The PAR worksheet and the other spreadsheets: one place that names every use case.

Import lives in ``worksheet_import`` and export in ``worksheet_export``; this module gathers
them for the command line and the app.
"""

from __future__ import annotations

from parstudio.domain.worksheet_preview import (
    CountToRecord,
    FieldChange,
    ImportPreview,
    ParsedWorksheet,
    RecordChange,
)
from parstudio.services.worksheets.export import export_proposal, export_worksheet
from parstudio.services.worksheets.importing import (
    WORKSHEET_SOURCE,
    apply_import,
    parse_worksheet,
    preview_import,
    read_worksheet,
)
from parstudio.services.worksheets.listings import export_catalogue, export_orders

__all__ = [
    "WORKSHEET_SOURCE",
    "CountToRecord",
    "FieldChange",
    "ImportPreview",
    "ParsedWorksheet",
    "RecordChange",
    "apply_import",
    "export_catalogue",
    "export_orders",
    "export_proposal",
    "export_worksheet",
    "parse_worksheet",
    "preview_import",
    "read_worksheet",
]
