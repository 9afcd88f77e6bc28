"""Reading the first sheet of an .xlsx file into a header and rows of cell values, safely.

Before the spreadsheet reader (python-calamine) sees a file, it is checked here: that it is a
zip-based workbook at all (not an encrypted or old-format OLE2 file), that the zip is intact,
and that it does not unpack to more than a limit, which also stops zip and XML bombs.

Formulas are never evaluated: calamine returns the value Excel (or LibreOffice) cached when the
file was last saved. A formula in a file written by a program that does not calculate (such as
openpyxl) has no cached value and reads as a blank cell.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from parstudio.domain.errors import ParStudioError, WorksheetError
from parstudio.domain.progress import Progress

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000
_CHUNK = 1024 * 1024
_PROGRESS_EVERY = 5000


@dataclass(frozen=True, slots=True)
class SheetData:
    """The first sheet of a workbook: its name, header row and the rows below it."""

    name: str
    header: list[Any]
    rows: list[list[Any]]
    """Rows below the header; rows[0] is spreadsheet row 2. Blank cells are None."""


def read_first_sheet(
    path: Path | str,
    *,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
) -> SheetData:
    """Read the first sheet of an .xlsx file, refusing files that are unsafe or not workbooks."""
    path = Path(path)
    check_workbook_file(path, max_uncompressed_bytes=max_uncompressed_bytes)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise WorksheetError(
            f"{path.name} is password-protected; save it without a password."
        ) from exc
    except Exception as exc:  # calamine raises several kinds for damaged files
        raise WorksheetError(f"{path.name} could not be read as a workbook: {exc}") from exc
    try:
        if not workbook.sheet_names:
            raise WorksheetError(f"{path.name} has no sheets.")
        sheet = workbook.get_sheet_by_index(0)
        name = str(sheet.name)
        height = int(sheet.height)
        rows: list[list[Any]] = []
        for cells in sheet.iter_rows():
            if progress is not None and len(rows) % _PROGRESS_EVERY == 0:
                progress(len(rows), height)
            if len(rows) > max_rows:
                raise WorksheetError(
                    f"The sheet “{name}” has more than {max_rows:,} rows; split it into "
                    "smaller worksheets.",
                    sheet=name,
                )
            rows.append([None if c == "" else c for c in cells])
    except ParStudioError:  # our own refusal, or the user cancelling
        raise
    except Exception as exc:
        raise WorksheetError(f"{path.name} could not be read as a workbook: {exc}") from exc
    finally:
        workbook.close()
    while rows and all(c is None for c in rows[-1]):
        rows.pop()
    if not rows or all(c is None for c in rows[0]):
        raise WorksheetError(
            f"The first sheet “{name}” of {path.name} is empty: it needs a header row "
            "(Location, Item Code, …) in row 1.",
            sheet=name,
            row=1,
        )
    return SheetData(name=name, header=rows[0], rows=rows[1:])


def check_workbook_file(
    path: Path, *, max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES
) -> None:
    """Refuse a file that is not a readable, reasonably sized .xlsx workbook."""
    if not path.is_file():
        raise WorksheetError(f"There is no file at {path}.")
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == OLE2_MAGIC:
        if _is_encrypted_ooxml(path):
            raise WorksheetError(
                f"{path.name} is password-protected (encrypted). Open it in Excel, remove the "
                "password (File › Info › Protect Workbook) and save it again."
            )
        raise WorksheetError(
            f"{path.name} is an old Excel 97–2003 workbook (.xls). Open it in Excel and save "
            "it as an Excel Workbook (.xlsx)."
        )
    if magic[:4] not in ZIP_MAGIC:
        raise WorksheetError(f"{path.name} is not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            declared = sum(info.file_size for info in members)
            if declared > max_uncompressed_bytes:
                raise _too_large(path, declared, max_uncompressed_bytes)
            names = {info.filename for info in members}
            if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
                raise WorksheetError(f"{path.name} is a zip file but not an Excel workbook.")
            _check_real_size(archive, path, max_uncompressed_bytes)
    except WorksheetError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise WorksheetError(
            f"{path.name} is damaged (its zip structure is corrupt): {exc}"
        ) from exc


def _check_real_size(archive: zipfile.ZipFile, path: Path, limit: int) -> None:
    # The sizes a zip declares can lie; unpacking (without keeping) checks the real size and CRCs.
    total = 0
    for info in archive.infolist():
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise _too_large(path, total, limit)


def _too_large(path: Path, size: int, limit: int) -> WorksheetError:
    return WorksheetError(
        f"{path.name} unpacks to more than {_megabytes(limit)} (at least {_megabytes(size)}); "
        "it is too large or not a genuine worksheet."
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def _is_encrypted_ooxml(path: Path) -> bool:
    # An encrypted .xlsx is an OLE2 container holding an "EncryptedPackage" stream; its name sits
    # in the container's directory, in UTF-16.
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            if marker in block:
                return True
            if len(block) < _CHUNK:
                break
            handle.seek(-len(marker), 1)
    return False
