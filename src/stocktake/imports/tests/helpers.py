"""Building import files in tests."""

import csv
import io

from openpyxl import Workbook

from stocktake.opendata.columns import to_cell

BASE_ROW = {
    "external_id": "EXT-1",
    "original_language": "en",
    "organisation_en": "Ministry of Digital Affairs",
    "organisation_stakeholder_type": "government",
    "organisation_country": "TN",
    "title_en": "National AI skills programme",
    "summary_en": "Free training in data and AI skills for young people and teachers.",
    "description_en": "The programme trains ten thousand people a year.",
    "initiative_type": "programme",
    "implementation_status": "ongoing",
    "coverage": "national",
    "countries": "TN",
    "action_line_primary": "C4",
    "sdg_goals": "4",
}


def row(**changes) -> dict:
    values = dict(BASE_ROW)
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def csv_bytes(rows: list[dict], *, delimiter: str = ",", bom: bool = False) -> bytes:
    headers = list(dict.fromkeys(key for r in rows for key in r))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[dict], *, raw: bool = False) -> bytes:
    """An XLSX workbook; values go through to_cell unless `raw` (then formulas stay)."""
    headers = list(dict.fromkeys(key for r in rows for key in r))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h, "") if raw else to_cell(r.get(h)) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
