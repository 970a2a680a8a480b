"""Which field each column of a file fills: automatic for the template's headers (in any case,
spacing or accents, and for the fields' names in every site language), chosen by the
moderator otherwise. The fields are the import columns of stocktake.opendata.columns."""

from functools import lru_cache

from django.conf import settings
from django.utils.translation import get_language_info, override
from django.utils.translation import gettext as _

from stocktake.initiatives.content import FIELD_LABELS
from stocktake.initiatives.models import TEXT_FIELDS
from stocktake.opendata.columns import COLUMNS_BY_NAME, IMPORT_COLUMNS

from .matching import label_key

IGNORE = ""
# Accepted on import beyond the template: the organisation's number, as exports carry it.
EXTRA_FIELDS = ("organisation_id",)
FIELDS: tuple[str, ...] = tuple(c.name for c in IMPORT_COLUMNS) + EXTRA_FIELDS
# Columns of an export that an import knows and leaves aside without asking.
EXPORT_ONLY = tuple(
    name
    for name, column in COLUMNS_BY_NAME.items()
    if not column.imported and name not in EXTRA_FIELDS
)


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def field_label(name: str) -> str:
    """The field's name for people, in the active language."""
    for field in TEXT_FIELDS:
        for code in _languages():
            if name == f"{field}_{code}":
                return _("%(field)s (%(language)s)") % {
                    "field": FIELD_LABELS[field],
                    "language": get_language_info(code)["name_translated"],
                }
    for code in _languages():
        if name == f"organisation_{code}":
            return _("Organisation name (%(language)s)") % {
                "language": get_language_info(code)["name_translated"]
            }
    labels = {
        "id": _("Stocktake entry number"),
        "external_id": _("External identifier"),
        "organisation_id": _("Organisation number"),
        "organisation_acronym": _("Organisation acronym"),
        "organisation_stakeholder_type": _("Organisation stakeholder type"),
        "organisation_country": _("Organisation country"),
        "action_line_primary": _("Primary WSIS Action Line"),
        "action_lines_secondary": _("Other WSIS Action Lines"),
        "sdg_goal_evidence": _("Evidence for the SDG goals"),
        "sdg_target_evidence": _("Evidence for the SDG targets"),
    }
    if name in labels:
        return labels[name]
    return str(FIELD_LABELS.get(name, name))


def _header_key(text: str) -> str:
    return label_key(text).replace(" ", "_")


@lru_cache(maxsize=4)
def _known_headers(languages: tuple[str, ...]) -> dict[str, str]:
    known = {}
    for name in FIELDS:
        known[_header_key(name)] = name
    for code in languages:
        with override(code):
            for name in FIELDS:
                known.setdefault(_header_key(field_label(name)), name)
    return known


def auto_mapping(headers: list[str]) -> dict[str, str]:
    """{header: field or IGNORE} for the headers recognised; unknown headers are left out."""
    known = _known_headers(tuple(_languages()))
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for header in headers:
        if not header:
            continue
        key = _header_key(header)
        field = known.get(key)
        if field and field not in used:
            mapping[header] = field
            used.add(field)
        elif key in {_header_key(name) for name in EXPORT_ONLY}:
            mapping[header] = IGNORE
    return mapping


def unmapped(headers: list[str], mapping: dict[str, str]) -> list[str]:
    return [header for header in headers if header and header not in mapping]


def missing_required(mapping: dict[str, str], *, default_language: str) -> list[str]:
    """What the mapped columns lack to describe any entry, as sentences."""
    fields = {field for field in mapping.values() if field}
    problems = []
    names = {f"organisation_{code}" for code in _languages()}
    updates_only = "id" in fields
    if not updates_only and not (fields & (names | {"organisation_id", "organisation_acronym"})):
        problems.append(
            _(
                "a column naming the lead organisation (organisation_en, organisation_ar, "
                "organisation_fr, organisation_acronym or organisation_id)"
            )
        )
    if not updates_only and not any(f"title_{code}" in fields for code in _languages()):
        problems.append(_("a column with the title (title_ar, title_en or title_fr)"))
    if not updates_only and "original_language" not in fields and not default_language:
        problems.append(
            _("a column original_language, or a default original language chosen on the form")
        )
    return problems


def validate_mapping(headers: list[str], mapping: dict[str, str]) -> list[str]:
    """Problems with a chosen mapping: unknown fields, a field filled by two columns."""
    problems = []
    seen: dict[str, str] = {}
    for header, field in mapping.items():
        if header not in headers:
            problems.append(_("The file has no column “%(header)s”.") % {"header": header})
        elif field and field not in FIELDS:
            problems.append(_("“%(field)s” is not an import field.") % {"field": field})
        elif field and field in seen:
            problems.append(
                _("The columns “%(first)s” and “%(second)s” both fill “%(field)s”: keep one.")
                % {"first": seen[field], "second": header, "field": field}
            )
        elif field:
            seen[field] = header
    return problems
