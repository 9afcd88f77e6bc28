"""Undoable changes: each command calls the services one way on redo and the other on undo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from parstudio.domain.errors import ParStudioError

Report = Callable[[BaseException], None]
Done = Callable[[Any], None]


class ServiceCommand(QUndoCommand):
    """A change already made once; undo and redo call the services again.

    The first change is made before the command is pushed, so that a refusal (a validation
    message) never lands on the undo stack; the first ``redo`` that QUndoStack.push makes is
    therefore skipped.
    """

    def __init__(
        self,
        text: str,
        *,
        redo: Callable[[], Any],
        undo: Callable[[], Any],
        done: Done,
        report: Report,
    ) -> None:
        super().__init__(text)
        self._redo, self._undo = redo, undo
        self._done, self._report = done, report
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, action: Callable[[], Any]) -> None:
        try:
            result = action()
        except ParStudioError as exc:
            self.setObsolete(True)
            self._report(exc)
            return
        self._done(result)


class EditCommand(ServiceCommand):
    """Fields changed from old values to new ones; the record's version is followed along."""

    def __init__(
        self,
        text: str,
        *,
        update: Callable[[dict[str, Any], int | None], Any],
        old: dict[str, Any],
        new: dict[str, Any],
        version: int,
        done: Done,
        report: Report,
    ) -> None:
        self.version: int | None = version

        def apply(values: dict[str, Any]) -> Any:
            record = update(values, self.version)
            self.version = record.version
            return record

        super().__init__(
            text, redo=lambda: apply(new), undo=lambda: apply(old), done=done, report=report
        )


class AddCommand(ServiceCommand):
    """A record added; undo deletes it if nothing refers to it yet, else deactivates it."""

    def __init__(
        self,
        text: str,
        *,
        record: Any,
        create: Callable[[], Any],
        delete_if_unused: Callable[[int], bool],
        set_active: Callable[[int, bool], Any],
        done: Done,
        report: Report,
    ) -> None:
        self.record = record
        self.deleted = False

        def undo() -> Any:
            self.deleted = delete_if_unused(self.record.id)
            if self.deleted:
                return None
            return set_active(self.record.id, False)

        def redo() -> Any:
            self.record = create() if self.deleted else set_active(self.record.id, True)
            self.deleted = False
            return self.record

        super().__init__(text, redo=redo, undo=undo, done=done, report=report)
