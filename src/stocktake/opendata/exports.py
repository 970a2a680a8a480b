"""Writing records as files: CSV, JSON, JSON Lines as streams of text; XLSX into a temporary
file. Memory stays flat however many rows: records are written as they are read."""

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .columns import EXPORT_COLUMNS, EXPORT_HEADER, format_datetime, to_cell

FORMATS = ("csv", "xlsx", "json", "jsonl")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/jsonl; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Spreadsheets open a CSV file as UTF-8 (and Arabic as Arabic) only with this mark.
UTF8_BOM = "\ufeff"
# Rows gathered into one piece of the stream: fewer, larger writes to the socket.
ROWS_PER_PIECE = 100


@dataclass(frozen=True)
class Licence:
    name: str
    url: str
    attribution: str


def opendata_licence() -> Licence:
    attribution = settings.OPEN_DATA_ATTRIBUTION or _(
        "%(site)s (%(url)s), licensed under %(licence)s"
    ) % {
        "site": settings.SITE_NAME,
        "url": settings.SITE_URL,
        "licence": settings.OPEN_DATA_LICENCE_NAME,
    }
    return Licence(
        name=settings.OPEN_DATA_LICENCE_NAME,
        url=settings.OPEN_DATA_LICENCE_URL,
        attribution=attribution,
    )


class _Line:
    """A file-like target for csv.writer that hands back what is written to it."""

    def write(self, text: str) -> str:
        return text


def _cells(record: dict) -> list[str]:
    return [to_cell(record[column.name]) for column in EXPORT_COLUMNS]


def csv_stream(records: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield UTF8_BOM + writer.writerow(EXPORT_HEADER)
    piece: list[str] = []
    for record in records:
        piece.append(writer.writerow(_cells(record)))
        if len(piece) == ROWS_PER_PIECE:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)


def _json(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def json_stream(records: Iterable[dict]) -> Iterator[str]:
    """A JSON array, one record a line."""
    yield "["
    piece: list[str] = []
    separator = "\n"
    for record in records:
        piece.append(separator + _json(record))
        separator = ",\n"
        if len(piece) == ROWS_PER_PIECE:
            yield "".join(piece)
            piece = []
    yield "".join(piece) + "\n]\n"


def jsonl_stream(records: Iterable[dict]) -> Iterator[str]:
    """JSON Lines: one record (a JSON object) a line."""
    piece: list[str] = []
    for record in records:
        piece.append(_json(record) + "\n")
        if len(piece) == ROWS_PER_PIECE:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)


def xlsx_file(records: Iterable[dict], *, about: list[tuple[str, str]]):
    """A workbook with the sheet "Entries" (a header row, then one row an entry) and the sheet
    "About" (licence, date, source), written in openpyxl's write-only mode into a temporary
    file, which is returned open at its start (it is deleted when closed)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Entries")
    sheet.append(list(EXPORT_HEADER))
    for record in records:
        # Empty cells are left out of the sheet (None): most rows leave most language
        # columns empty, and writing cells is what costs the time here. Content is stored
        # without control characters (content.clean_text); any that got in another way
        # would make the workbook invalid, so they are dropped.
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", cell) if cell else None for cell in _cells(record)]
        )
    info = workbook.create_sheet("About")
    for label, value in about:
        info.append([to_cell(label), to_cell(value)])
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    workbook.save(target)
    target.seek(0)
    return target


def about_rows(*, licence: Licence, source_url: str, count: int) -> list[tuple[str, str]]:
    return [
        (_("Title"), _("%(site)s: published entries") % {"site": settings.SITE_NAME}),
        (_("Source"), source_url),
        (_("Downloaded at"), format_datetime(timezone.now())),
        (_("Entries"), str(count)),
        (_("Licence"), licence.name),
        (_("Licence address"), licence.url),
        (_("Attribution"), licence.attribution),
    ]
