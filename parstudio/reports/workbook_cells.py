"""Finding the cells a spreadsheet reader reads as blank although they are not.

python-calamine returns an error cell (#DIV/0!, #N/A…) and a formula saved without its value
as an empty cell, which an import would take for "no value". This module reads the file's own
structure to find them: the sheet XML of an .xlsx/.xlsm, the content.xml of an .ods, and the
FORMULA and BOOLERR records of an .xls (BIFF8 in an OLE2 container). It returns, per sheet
name, the 0-based (row, column) of each such cell and what it holds.

Files without formulas (PAR Studio's own exports) are recognised by a quick byte search and
cost one pass over the compressed sheet.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
from collections.abc import Collection
from pathlib import Path
from typing import IO, Any

from defusedxml import ElementTree

from parstudio.domain.worksheet_cells import FORMULA_WITHOUT_VALUE, ErrorCell

ProblemCells = dict[str, dict[tuple[int, int], ErrorCell]]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CHUNK = 1 << 20
_MAX_REPEAT = 1 << 14  # an .ods row "repeated" a million times is a blank tail, not data


XLSX_SIGNS = (b't="e"', b"<f>", b"<f ", b":f>", b":f ")
"""Bytes in the XML of every .xlsx sheet with an error cell or a formula (rarely in others)."""
SIGN_OVERLAP = 16
"""Bytes kept from one block to the next, so that a sign split between them is found."""


def holds_sign(block: bytes, signs: tuple[bytes, ...] = XLSX_SIGNS) -> bool:
    """Whether a block of sheet XML holds one of the signs."""
    if signs is XLSX_SIGNS:
        # The four formula signs begin "<f" or ":f": three searches of the block, not five.
        return b't="e"' in block or any(
            lead in block and (lead + b">" in block or lead + b" " in block)
            for lead in (b"<f", b":f")
        )
    return any(sign in block for sign in signs)


def problem_cells(path: Path, kind: str, *, clean: Collection[str] = ()) -> ProblemCells:
    """The error cells and unsaved formulas of each sheet of a workbook file.

    ``clean``: the members of an .xlsx already read whole and found to hold no ``XLSX_SIGNS``
    (when the file's real size was checked), which need not be read again.
    """
    if kind == "xls":
        return _xls(path)
    with zipfile.ZipFile(path) as archive:
        if kind == "ods":
            return _ods(archive)
        return _xlsx(archive, clean)


# --- .xlsx / .xlsm ---------------------------------------------------------------------------


def _xlsx(archive: zipfile.ZipFile, clean: Collection[str]) -> ProblemCells:
    found: ProblemCells = {}
    for name, member in _xlsx_sheets(archive):
        if member in clean or not _contains(archive, member):
            continue
        with archive.open(member) as handle:
            cells = _xlsx_sheet(handle)
        if cells:
            found[name] = cells
    return found


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, member path) in the workbook's order."""
    with archive.open("xl/workbook.xml") as handle:
        book = ElementTree.parse(handle).getroot()
    targets: dict[str, str] = {}
    try:
        with archive.open("xl/_rels/workbook.xml.rels") as handle:
            for rel in ElementTree.parse(handle).getroot().iter(f"{_PKG_REL}Relationship"):
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[rel.get("Id", "")] = posixpath.normpath(path)
    except KeyError:
        return []
    sheets = []
    for sheet in book.iter(f"{_MAIN}sheet"):
        member = targets.get(sheet.get(f"{_REL}id", ""))
        if member is not None:
            sheets.append((sheet.get("name", ""), member))
    return sheets


def _xlsx_sheet(handle: IO[bytes]) -> dict[tuple[int, int], ErrorCell]:
    cells: dict[tuple[int, int], ErrorCell] = {}
    row_index, column_index = -1, -1
    for event, element in ElementTree.iterparse(handle, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{_MAIN}row":
                number = element.get("r")
                row_index = int(number) - 1 if number else row_index + 1
                column_index = -1
            continue
        if tag == f"{_MAIN}c":
            reference = element.get("r")
            column_index = _column(reference) if reference else column_index + 1
            value = element.find(f"{_MAIN}v")
            if element.get("t") == "e":
                text = (value.text if value is not None else None) or "#VALUE!"
                cells[(row_index, column_index)] = ErrorCell(text.strip())
            elif element.find(f"{_MAIN}f") is not None and _unsaved(element, value):
                cells[(row_index, column_index)] = ErrorCell(FORMULA_WITHOUT_VALUE)
            element.clear()
        elif tag == f"{_MAIN}row":
            element.clear()
    return cells


def _unsaved(cell: Any, value: Any) -> bool:
    """A formula cell without a saved value (an empty one is a saved empty text only for "str")."""
    return value is None or (not (value.text or "").strip() and cell.get("t") != "str")


def _column(reference: str) -> int:
    number = 0
    for char in reference:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number - 1


# --- .ods ------------------------------------------------------------------------------------


def _ods(archive: zipfile.ZipFile) -> ProblemCells:
    if not _contains(archive, "content.xml", (b'value-type="error"', b"table:formula")):
        return {}
    found: ProblemCells = {}
    sheet, row_index, column_index = "", -1, 0
    cell_tags = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
    with archive.open("content.xml") as handle:
        for event, element in ElementTree.iterparse(handle, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_TABLE}table":
                    sheet, row_index = element.get(f"{_TABLE}name", ""), -1
                elif tag == f"{_TABLE}table-row":
                    row_index += 1
                    column_index = 0
                continue
            if tag in cell_tags:
                repeat = min(int(element.get(f"{_TABLE}number-columns-repeated", "1")), _MAX_REPEAT)
                problem = _ods_problem(element)
                if problem is not None:
                    for offset in range(repeat):
                        found.setdefault(sheet, {})[(row_index, column_index + offset)] = problem
                column_index += repeat
                element.clear()
            elif tag == f"{_TABLE}table-row":
                repeat = min(int(element.get(f"{_TABLE}number-rows-repeated", "1")), _MAX_REPEAT)
                row_index += repeat - 1
                element.clear()
    return found


def _ods_problem(element: Any) -> ErrorCell | None:
    if element.get(f"{_CALCEXT}value-type") == "error":
        text = "".join(element.itertext()).strip() or "#VALUE!"
        return ErrorCell(text)
    if element.get(f"{_TABLE}formula") and element.get(f"{_OFFICE}value-type") is None:
        return ErrorCell(FORMULA_WITHOUT_VALUE)
    return None


def _contains(archive: zipfile.ZipFile, member: str, signs: tuple[bytes, ...] = XLSX_SIGNS) -> bool:
    """Whether a member's bytes hold one of the signs (read in overlapping blocks)."""
    tail = b""
    with archive.open(member) as handle:
        while chunk := handle.read(_CHUNK):
            block = tail + chunk
            if holds_sign(block, signs):
                return True
            tail = block[-SIGN_OVERLAP:]
    return False


# --- .xls (BIFF8 inside an OLE2 compound file) -------------------------------------------------

_BIFF_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_END_OF_CHAIN = 0xFFFFFFFE


def _xls(path: Path) -> ProblemCells:
    stream = _ole_stream(path.read_bytes(), ("Workbook", "Book"))
    if stream is None:
        return {}
    found: ProblemCells = {}
    for name, offset in _boundsheets(stream):
        cells = _biff_sheet(stream, offset)
        if cells:
            found[name] = cells
    return found


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """A stream of an OLE2 compound file by name (a minimal reader: FAT, mini FAT, directory)."""
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    (directory_start,) = struct.unpack_from("<I", data, 0x30)
    (cutoff, mini_fat_start, mini_fat_count) = struct.unpack_from("<III", data, 0x38)
    (difat_start, difat_count) = struct.unpack_from("<II", data, 0x44)
    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    per_sector = sector_size // 4
    next_difat = difat_start
    for _ in range(difat_count):
        difat = struct.unpack_from(f"<{per_sector}I", data, (next_difat + 1) * sector_size)
        fat_sectors.extend(difat[:-1])
        next_difat = difat[-1]
    fat: list[int] = []
    for sector in fat_sectors:
        if sector >= _END_OF_CHAIN or (sector + 2) * sector_size > len(data):
            continue
        fat.extend(struct.unpack_from(f"<{per_sector}I", data, (sector + 1) * sector_size))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        sectors: list[int] = []
        sector = start
        while sector < len(table) and sector < _END_OF_CHAIN and len(sectors) < limit:
            sectors.append(sector)
            sector = table[sector]
        return sectors

    def read(start: int) -> bytes:
        return b"".join(
            data[(s + 1) * sector_size : (s + 2) * sector_size]
            for s in chain(start, fat, len(fat) + 1)
        )

    directory = read(directory_start)
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    root_start, root_size = struct.unpack_from("<I", entries[0], 116)[0], entries[0][120:124]
    for entry in entries:
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
        if name not in names or entry[66] != 2:
            continue
        start, size = struct.unpack_from("<II", entry, 116)
        if size >= cutoff:
            return read(start)[:size]
        mini_fat_bytes = b"".join(
            data[(s + 1) * sector_size : (s + 2) * sector_size]
            for s in chain(mini_fat_start, fat, mini_fat_count + 1)
        )
        mini_fat = list(struct.unpack_from(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))
        mini_stream = read(root_start)[: struct.unpack("<I", root_size)[0]]
        return b"".join(
            mini_stream[s * mini_size : (s + 1) * mini_size]
            for s in chain(start, mini_fat, len(mini_fat) + 1)
        )[:size]
    return None


def _records(stream: bytes, offset: int) -> Any:
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4 : offset + 4 + length]
        offset += 4 + length
        if kind == 0x000A:  # EOF
            return


def _boundsheets(stream: bytes) -> list[tuple[str, int]]:
    sheets = []
    for kind, body in _records(stream, 0):
        if kind == 0x0085 and len(body) >= 8:  # BOUNDSHEET
            (position,) = struct.unpack_from("<I", body, 0)
            count, flags = body[6], body[7]
            raw = body[8:]
            name = (
                raw[: count * 2].decode("utf-16-le", "replace")
                if flags & 1
                else raw[:count].decode("latin-1")
            )
            sheets.append((name, position))
    return sheets


def _biff_sheet(stream: bytes, offset: int) -> dict[tuple[int, int], ErrorCell]:
    cells: dict[tuple[int, int], ErrorCell] = {}
    for kind, body in _records(stream, offset):
        if kind == 0x0006 and len(body) >= 14:  # FORMULA: a cached error result
            row, column = struct.unpack_from("<HH", body, 0)
            result = body[6:14]
            if result[6:8] == b"\xff\xff" and result[0] == 2:
                cells[(row, column)] = ErrorCell(_BIFF_ERRORS.get(result[2], "#VALUE!"))
        elif kind == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR holding an error
            row, column = struct.unpack_from("<HH", body, 0)
            cells[(row, column)] = ErrorCell(_BIFF_ERRORS.get(body[6], "#VALUE!"))
    return cells
