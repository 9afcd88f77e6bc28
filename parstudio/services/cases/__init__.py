"""Use on a case: open a case from its label, record the items used on it, void a line."""

from parstudio.services.cases.cases import (
    find_case,
    get_case,
    list_cases,
    open_case,
    update_case,
)
from parstudio.services.cases.label_pattern import get_case_pattern, set_case_pattern
from parstudio.services.cases.uses import (
    case_of_line,
    list_use_lines,
    record_use,
    scan_on_case,
    undo_last_use,
    void_use,
)

__all__ = [
    "case_of_line",
    "find_case",
    "get_case",
    "get_case_pattern",
    "list_cases",
    "list_use_lines",
    "open_case",
    "record_use",
    "scan_on_case",
    "set_case_pattern",
    "undo_last_use",
    "update_case",
    "void_use",
]
