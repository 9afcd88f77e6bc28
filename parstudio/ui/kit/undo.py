"""Undoable changes: each command calls the services one way on redo and the other on undo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from parstudio.domain.errors import ParStudioError

Report = Callable[[BaseException], None]
Done = Callable[[Any], None]


class RecordVersions:
    """The version each record had after this window's own last change to it.

    Two edits of one record make two commands; undoing the second saves the record again, so
    the first must then expect the version that save left, not the one it saw when it was made.
    Every command notes the record it saved here, and an edit command expects what is noted: a
    conflict is then only ever someone else's change.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int], int] = {}

    @staticmethod
    def key(record: Any) -> tuple[str, int] | None:
        """What identifies a record here: its kind and id (None if it has no version)."""
        record_id, version = getattr(record, "id", None), getattr(record, "version", None)
        if not isinstance(record_id, int) or not isinstance(version, int):
            return None
        return (type(record).__name__, record_id)

    def note(self, record: Any) -> None:
        """Remember the version a change of ours left a record at."""
        key = self.key(record)
        if key is not None:
            self._seen[key] = int(record.version)

    def expected(self, key: tuple[str, int] | None, fallback: int | None) -> int | None:
        """The version to expect when saving a record again."""
        return self._seen.get(key, fallback) if key is not None else fallback

    def clear(self) -> None:
        """Forget everything (another database was opened)."""
        self._seen.clear()


class UndoStack(QUndoStack):
    """The window's undo stack, with the versions its commands left records at."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.versions = RecordVersions()

    def clear_all(self) -> None:
        """Empty the stack and forget the versions."""
        self.clear()
        self.versions.clear()


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
        versions: RecordVersions | None = None,
    ) -> None:
        super().__init__(text)
        self._redo, self._undo = redo, undo
        self._done, self._report = done, report
        self._versions = versions
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
        if self._versions is not None:
            self._versions.note(result)
        self._done(result)


class EditCommand(ServiceCommand):
    """Fields changed from old values to new ones, on the record as saved (``record``).

    The version expected on undo and redo is the one this window's last change left the record
    at (``versions``), so a later edit of the same record, undone first, is no conflict.
    """

    def __init__(
        self,
        text: str,
        *,
        update: Callable[[dict[str, Any], int | None], Any],
        old: dict[str, Any],
        new: dict[str, Any],
        record: Any,
        versions: RecordVersions,
        done: Done,
        report: Report,
    ) -> None:
        self.version: int | None = record.version
        key = versions.key(record)
        versions.note(record)

        def apply(values: dict[str, Any]) -> Any:
            result = update(values, versions.expected(key, self.version))
            self.version = result.version
            return result

        super().__init__(
            text,
            redo=lambda: apply(new),
            undo=lambda: apply(old),
            done=done,
            report=report,
            versions=versions,
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
        versions: RecordVersions | None = None,
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

        super().__init__(text, redo=redo, undo=undo, done=done, report=report, versions=versions)
