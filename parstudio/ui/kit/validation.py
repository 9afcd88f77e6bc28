"""Typed numbers checked as they are typed, by the same field specs the services use.

Nothing typed is ever dropped or changed: a validator that stripped a minus sign or a letter
would turn "-5" into 5 without a word. The text stays as typed, the field turns red and the
spec's own message is shown next to it; the service refuses it again on save.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit

from parstudio.domain.errors import ValidationError
from parstudio.domain.fields import FieldSpec

INVALID_STYLE = "QLineEdit { border: 1px solid #b00020; background: #fdecea; }"


def problem(spec: FieldSpec, text: str) -> str:
    """Why this field cannot take the text ('' if it can)."""
    try:
        spec.parse(text)
    except ValidationError as exc:
        return exc.message
    return ""


def check_as_typed(line: QLineEdit, spec: FieldSpec, show: Callable[[str], None]) -> None:
    """Check each edit of a line edit against a spec: red and a message while it is refused."""

    def check(text: str) -> None:
        message = problem(spec, text)
        line.setStyleSheet(INVALID_STYLE if message else "")
        line.setToolTip(message or spec.help)
        show(message)

    line.textEdited.connect(check)
