"""Reading uploaded files: what they are (by content, never by name), their header row, and
their rows, with every refusal a sentence a person can act on.

CSV must be UTF-8 (with or without a byte-order mark); the delimiter is sniffed among comma,
semicolon and tab. XLSX is read with openpyxl in read-only mode, first worksheet only, and a
cell holding a formula is never evaluated: its text comes back as `Formula`, which the row
parser turns into a per-field error. Text cells pass through `from_cell`, which undoes the
export's formula-injection neutralisation (one apostrophe before = + - @).
"""

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stocktake.opendata.columns import from_cell

from .models import FileFormat

CSV_DELIMITERS = ",;\t"
SNIFF_BYTES = 64 * 1024
# An XLSX is a zip: refuse one whose parts expand beyond this many times the upload limit.
XLSX_EXPANSION = 12
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class ImportFileError(ValidationError):
    """The file as a whole cannot be read: nothing is imported."""


@dataclass(frozen=True)
class Formula:
    """A spreadsheet cell holding a formula; its text is kept only to name it in errors."""

    text: str


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def _not_utf8() -> ImportFileError:
    return ImportFileError(
        _(
            "This CSV file is not in UTF-8, so its letters cannot be read reliably. Save it "
            "again as “CSV UTF-8”: in Excel, File > Save As > “CSV UTF-8 (Comma delimited)”; "
            "in LibreOffice, Save As > Text CSV, tick “Edit filter settings” and choose "
            "Unicode (UTF-8)."
        )
    )


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)d rows of entries. Split it into smaller files.")
        % {"limit": max_rows()}
    )


def detect_format(path: Path) -> str:
    """CSV or XLSX, by the file's content. Raises ImportFileError for anything else."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise ImportFileError(_("The file is empty."))
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as "
                "CSV UTF-8 and upload it again."
            )
        )
    if head.startswith(ZIP_MAGIC):
        _check_xlsx(path)
        return FileFormat.XLSX
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        # UTF-16 ("Unicode text" in Excel) or a binary file.
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _not_utf8()
        raise ImportFileError(_("This file is neither a CSV file nor an Excel workbook (.xlsx)."))
    return FileFormat.CSV


def _check_xlsx(path: Path) -> None:
    broken = ImportFileError(
        _(
            "This file is not a valid Excel workbook (.xlsx): it may be damaged, or another "
            "kind of file renamed. Open it in your spreadsheet program and save it again as "
            ".xlsx, or as CSV UTF-8."
        )
    )
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise broken from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise broken
    if expanded > XLSX_EXPANSION * settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("This workbook expands to far more data than an import may hold. Split it.")
        )


# --- CSV -----------------------------------------------------------------------------------


def _check_utf8(path: Path) -> None:
    """The whole file must decode as UTF-8 (checked in pieces: memory stays flat)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as handle:
            while piece := handle.read(1024 * 1024):
                decoder.decode(piece)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _not_utf8() from None


def sniff_delimiter(path: Path) -> str:
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        sample = handle.read(SNIFF_BYTES)
    try:
        return csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        first_line = sample.split("\n", 1)[0]
        return max(CSV_DELIMITERS, key=first_line.count)


def _csv_rows(path: Path, delimiter: str) -> Iterator[list]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=False)
        try:
            yield from reader
        except UnicodeDecodeError:
            raise _not_utf8() from None
        except csv.Error as error:
            raise ImportFileError(
                _("Line %(line)d of the CSV file cannot be read (%(error)s).")
                % {"line": reader.line_num, "error": error}
            ) from None


# --- XLSX ----------------------------------------------------------------------------------


def _xlsx_cell(cell):
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return Formula(str(getattr(value, "text", None) or value))
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    return value


def _xlsx_rows(path: Path) -> Iterator[list]:
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl judges a path by its extension, and uploads are
    # stored under a neutral name. Read-only mode streams the sheet; defusedxml parses it.
    with open(path, "rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=False)
        except Exception:  # openpyxl raises many kinds on a damaged workbook
            raise ImportFileError(
                _(
                    "This Excel workbook cannot be opened: it may be damaged. Save it again as "
                    ".xlsx, or as CSV UTF-8."
                )
            ) from None
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows():
                yield [_xlsx_cell(cell) for cell in row]
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(
                _("Part of this Excel workbook cannot be read: it may be damaged. Save it again.")
            ) from None
        finally:
            workbook.close()


# --- both ----------------------------------------------------------------------------------


def _clean(value):
    if isinstance(value, str):
        return from_cell(value).strip()
    return value


def _blank(row: list) -> bool:
    return all(
        value in ("", None) or (isinstance(value, str) and not value.strip()) for value in row
    )


@dataclass
class OpenedFile:
    format: str
    delimiter: str
    headers: list[str]


def open_file(path: Path, file_format: str | None = None) -> OpenedFile:
    """Check the file and read its header row (the first row that is not blank)."""
    file_format = file_format or detect_format(path)
    delimiter = ""
    if file_format == FileFormat.CSV:
        _check_utf8(path)
        delimiter = sniff_delimiter(path)
        rows = _csv_rows(path, delimiter)
    else:
        rows = _xlsx_rows(path)
    headers = None
    for row in rows:
        if not _blank(row):
            headers = row
            break
    if hasattr(rows, "close"):
        rows.close()
    if headers is None:
        raise ImportFileError(_("The file has no rows: the first row must name the columns."))
    names = []
    for value in headers:
        if isinstance(value, Formula):
            raise ImportFileError(_("The header row holds a formula: type the column names."))
        names.append(str(_clean(value) or "").strip())
    while names and not names[-1]:
        names.pop()
    seen = set()
    for name in names:
        if name and name in seen:
            raise ImportFileError(
                _("Two columns have the same name, “%(name)s”: rename one.") % {"name": name}
            )
        seen.add(name)
    if not any(names):
        raise ImportFileError(_("The first row must name the columns; it is empty."))
    return OpenedFile(format=file_format, delimiter=delimiter, headers=names)


def data_rows(path: Path, opened: OpenedFile) -> Iterator[tuple[int, list]]:
    """(row number as the spreadsheet shows it, values) for every non-blank row after the
    header. Raises ImportFileError past the row limit."""
    if opened.format == FileFormat.CSV:
        rows = _csv_rows(path, opened.delimiter)
    else:
        rows = _xlsx_rows(path)
    header_seen = False
    count = 0
    limit = max_rows()
    for number, row in enumerate(rows, start=1):
        if _blank(row):
            continue
        if not header_seen:
            header_seen = True
            continue
        count += 1
        if count > limit:
            raise _too_many_rows()
        yield number, [_clean(value) for value in row]


def count_rows(path: Path, opened: OpenedFile) -> int:
    return sum(1 for _row in data_rows(path, opened))
