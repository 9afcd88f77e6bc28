"""Errors a user can cause, each with a message written for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parstudio.domain.audit import AuditRecord


class ParStudioError(Exception):
    """An error the user can understand and act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseOpenError(ParStudioError):
    """The database could not be opened."""


class NotAParStudioDatabaseError(DatabaseOpenError):
    """The file or server holds something that is not a PAR Studio database."""


class DatabaseTooNewError(DatabaseOpenError):
    """The database was written by a newer PAR Studio than this one."""


class ServerUnreachableError(DatabaseOpenError):
    """The database server could not be reached at all when opening (down, or no network)."""


class DatabaseRestoredError(ParStudioError):
    """The database was restored from a backup while this session had it open."""


class ConnectionLostError(ParStudioError):
    """The database went away while working."""


class ValidationError(ParStudioError):
    """A value is not acceptable; names the field it belongs to."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class CountFinishedError(ValidationError):
    """The count was finished (perhaps at another station) before this change reached it."""


class DuplicateError(ValidationError):
    """A record with the same key already exists."""


class NotFoundError(ParStudioError):
    """A record the user referred to does not exist."""


class ConflictError(ParStudioError):
    """Someone else changed the record since it was read; ``other_changes`` says how."""

    def __init__(self, message: str, *, other_changes: tuple[AuditRecord, ...] = ()) -> None:
        super().__init__(message)
        self.other_changes = other_changes


class WorksheetError(ParStudioError):
    """A worksheet file cannot be read; names the sheet, row and column when it knows them."""

    def __init__(
        self,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.sheet = sheet
        self.row = row
        self.column = column


class CancelledError(ParStudioError):
    """The user cancelled long work before it finished; nothing was written."""

    def __init__(self, message: str = "Cancelled; nothing was changed.") -> None:
        super().__init__(message)


class PermissionDenied(ParStudioError):
    """The signed-in user's role does not allow this change."""


class SignInError(ParStudioError):
    """A sign-in was refused: unknown login, wrong password or a deactivated account."""


class BackupError(ParStudioError):
    """A backup could not be made, or a file cannot be restored."""
