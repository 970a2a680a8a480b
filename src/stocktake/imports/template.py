"""The downloadable import template: the import columns of stocktake.opendata.columns, and
(in the workbook) a sheet explaining each of them."""

import csv
import io

from django.utils.translation import gettext as _

from stocktake.opendata.columns import IMPORT_COLUMNS

from .mapping import field_label


def template_csv() -> bytes:
    """The header row, UTF-8 with a byte-order mark so that Excel reads the letters right."""
    out = io.StringIO()
    csv.writer(out).writerow([column.name for column in IMPORT_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    entries = workbook.active
    entries.title = _("Entries")[:31]
    entries.append([column.name for column in IMPORT_COLUMNS])
    for cell in entries[1]:
        cell.font = Font(bold=True)
    entries.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.append([_("Fill in the first sheet, one entry per row, and keep its header row.")])
    guide.append(
        [
            _(
                "Codes or labels in any language are accepted for vocabularies; separate "
                "several values with a semicolon."
            )
        ]
    )
    guide.append([])
    guide.append([_("Column"), _("Field"), _("Type"), _("Description"), _("Example")])
    for cell in guide[4]:
        cell.font = Font(bold=True)
    for column in IMPORT_COLUMNS:
        guide.append(
            [
                column.name,
                field_label(column.name),
                column.type_label,
                str(column.description),
                column.example,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
