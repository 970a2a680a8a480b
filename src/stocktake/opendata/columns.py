"""The flat column layout of the open data: one row per published entry.

One list of columns serves the CSV and XLSX exports (header row, cells rendered by
`to_cell`), the JSON and JSON Lines exports (the same keys, JSON values from
`entry_record`), the import template and the data dictionary page (generated from
`COLUMNS`, so the documentation cannot drift from the files).

Values of `entry_record` are already JSON-ready: text as str (absent text: None), codes as
str, several codes as lists, dates as "YYYY-MM-DD", times as ISO 8601 UTC
("2025-01-31T09:30:00Z"), the funding amount as a decimal string ("1500.00", exact),
booleans as bool, structured values (partners, links, evidence) as lists and objects.

In CSV and XLSX (see `to_cell`): several values are joined by "; " (MULTI_SEPARATOR),
structured values are JSON text, booleans "true"/"false", absent values empty. A text
cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return, possibly after apostrophes) gets one apostrophe in front (the OWASP advice against
formula injection); `from_cell` takes it off again, so export then import is exact.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from stocktake.core.i18n import localized
from stocktake.initiatives.models import TEXT_FIELDS
from stocktake.vocabularies.models import Term

MULTI_SEPARATOR = "; "

# Column types (stable keys) and how the data dictionary names them.
TEXT = "text"
INTEGER = "integer"
CODE = "code"
CODES = "codes"
LABEL = "label"
LABELS = "labels"
DATE = "date"
DATETIME = "datetime"
DECIMAL = "decimal"
BOOLEAN = "boolean"
URL = "url"
JSON = "json"
TYPE_LABELS = {
    TEXT: _("Text"),
    INTEGER: _("Whole number"),
    CODE: _("Code"),
    CODES: _("List of codes"),
    LABEL: _("Label"),
    LABELS: _("List of labels"),
    DATE: _("Date (YYYY-MM-DD)"),
    DATETIME: _("Date and time (ISO 8601, UTC)"),
    DECIMAL: _("Decimal number"),
    BOOLEAN: _("true or false"),
    URL: _("Web address"),
    JSON: _("JSON"),
}
# Types holding several values: "; "-joined in CSV and XLSX, lists in JSON.
MULTI_TYPES = {CODES, LABELS}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: Promise
    example: str = ""
    exported: bool = True
    imported: bool = True
    # Where an imported value goes: a path in the content document of
    # stocktake.initiatives.content ("title.ar", "action_lines.primary"), or on the entry
    # ("initiative.…") or its lead organisation ("organisation.…"). Empty: not imported.
    target: str = ""
    # The vocabulary scheme of a code column (its values must be codes of it).
    scheme: str = ""

    @property
    def multiple(self) -> bool:
        return self.type in MULTI_TYPES

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


TEXT_DESCRIPTIONS = {
    "title": _("Title of the initiative in this language."),
    "summary": _("Short summary (about 150 to 200 words) in this language."),
    "description": _("Description of the initiative in this language (light Markdown)."),
    "objectives": _("Objectives in this language (light Markdown)."),
    "results": _("Results and impact in this language (light Markdown)."),
    "challenges": _("Challenges and lessons learned in this language (light Markdown)."),
    "future_plans": _("Future plans in this language (light Markdown)."),
}
TEXT_EXAMPLES = {
    "title": "Digital Government Programme",
    "summary": "A national programme bringing public services online.",
}

# Single vocabulary terms of an entry: column -> (scheme, description, example).
SINGLE_TERMS = {
    "initiative_type": ("initiative-types", _("Type of initiative."), "programme"),
    "implementation_status": ("statuses", _("Implementation status."), "ongoing"),
    "coverage": ("coverage", _("Geographical coverage."), "national"),
}
# Several vocabulary terms: column -> (scheme, content-document target, description, example).
MULTI_TERMS = {
    "action_lines_secondary": (
        "wsis-action-lines",
        "action_lines.secondary",
        _("Other WSIS Action Lines the initiative serves."),
        "C3; C5",
    ),
    "sdg_goals": (
        "sdg-goals",
        "sdg_goals",
        _("Sustainable Development Goals (the goals of the SDG targets are always included)."),
        "4; 16",
    ),
    "sdg_targets": ("sdg-targets", "sdg_targets", _("SDG targets."), "16.9; 4.4"),
    "gdc_objectives": (
        "gdc-objectives",
        "gdc_objectives",
        _("Global Digital Compact objectives."),
        "1; 3",
    ),
    "wsis_targets": ("wsis-targets", "wsis_targets", _("WSIS targets."), "1; 7"),
    "technologies": ("technologies", "technologies", _("Emerging technologies used."), "ai"),
    "beneficiary_groups": (
        "beneficiary-groups",
        "beneficiary_groups",
        _("Groups the initiative benefits."),
        "youth; women",
    ),
    "countries": (
        "countries",
        "countries",
        _("Countries of implementation (ISO 3166-1 alpha-2 codes)."),
        "TN; EG",
    ),
}


def _build_columns() -> tuple[Column, ...]:
    languages = _languages()
    columns = [
        Column(
            "id",
            INTEGER,
            _("Stocktake number of the entry. On import, a row with a number updates that entry."),
            "1024",
            target="initiative.id",
        ),
        Column("url", URL, _("Address of the entry's public page."), imported=False),
        Column(
            "external_id",
            TEXT,
            _("The source's own identifier of the entry; on import, used to find it again."),
            "MCIT-2023-17",
            target="initiative.external_ids.source",
        ),
        Column(
            "original_language",
            CODE,
            _("Language the entry was written in: a language code of the site, such as ar."),
            "ar",
            target="original_language",
        ),
        Column(
            "organisation_id",
            INTEGER,
            _("Stocktake number of the lead organisation."),
            "87",
            imported=False,
        ),
    ]
    for language in languages:
        columns.append(
            Column(
                f"organisation_{language}",
                TEXT,
                _("Name of the lead organisation in this language."),
                "Ministry of Communication Technologies",
                target=f"organisation.names.{language}",
            )
        )
    columns += [
        Column(
            "organisation_acronym",
            TEXT,
            _("Acronym of the lead organisation."),
            "MCT",
            target="organisation.acronym",
        ),
        Column(
            "organisation_stakeholder_type",
            CODE,
            _("Stakeholder type of the lead organisation."),
            "government",
            target="organisation.stakeholder_type",
            scheme="stakeholder-types",
        ),
        Column(
            "organisation_stakeholder_type_label",
            LABEL,
            _("Label of the stakeholder type, in the language of the download."),
            "Government",
            imported=False,
        ),
        Column(
            "organisation_country",
            CODE,
            _("Country of the lead organisation (ISO 3166-1 alpha-2)."),
            "TN",
            target="organisation.country",
            scheme="countries",
        ),
        Column(
            "organisation_country_label",
            LABEL,
            _("Name of that country, in the language of the download."),
            "Tunisia",
            imported=False,
        ),
    ]
    for field in TEXT_FIELDS:
        for language in languages:
            columns.append(
                Column(
                    f"{field}_{language}",
                    TEXT,
                    TEXT_DESCRIPTIONS[field],
                    TEXT_EXAMPLES.get(field, "") if language == "en" else "",
                    target=f"{field}.{language}",
                )
            )
    for name, (scheme, description, example) in SINGLE_TERMS.items():
        columns += [
            Column(name, CODE, description, example, target=name, scheme=scheme),
            Column(
                f"{name}_label",
                LABEL,
                _("Label of the code, in the language of the download."),
                imported=False,
            ),
        ]
    columns += [
        Column("start_date", DATE, _("Start date."), "2021-03-01", target="start_date"),
        Column(
            "end_date", DATE, _("End date, if the initiative has ended."), "", target="end_date"
        ),
        Column(
            "action_line_primary",
            CODE,
            _("The primary WSIS Action Line."),
            "C7.1",
            target="action_lines.primary",
            scheme="wsis-action-lines",
        ),
        Column(
            "action_line_primary_label",
            LABEL,
            _("Label of the primary Action Line, in the language of the download."),
            imported=False,
        ),
    ]
    for name, (scheme, target, description, example) in MULTI_TERMS.items():
        columns += [
            Column(name, CODES, description, example, target=target, scheme=scheme),
            Column(
                f"{name}_labels",
                LABELS,
                _("Labels of these codes in the same order, in the language of the download."),
                imported=False,
            ),
        ]
    columns += [
        Column(
            "sdg_goal_evidence",
            JSON,
            _("How the initiative contributes to each SDG goal: an object {goal: text}."),
            '{"16": "Makes public services reachable online."}',
            target="sdg_goal_evidence",
        ),
        Column(
            "sdg_target_evidence",
            JSON,
            _("How the initiative contributes to each SDG target: an object {target: text}."),
            '{"16.9": "Issues digital identity cards."}',
            target="sdg_targets[].evidence",
        ),
        Column(
            "partners",
            JSON,
            _(
                "Partner organisations: a list of objects with name, stakeholder_type (code) "
                "and country (code)."
            ),
            '[{"name": "UNDP", "stakeholder_type": "international-organisation", "country": ""}]',
            target="partners",
        ),
        Column(
            "links",
            JSON,
            _("Other links: a list of objects with label and url."),
            '[{"label": "Report", "url": "https://example.org/report.pdf"}]',
            target="links",
        ),
        Column("keywords", CODES, _("Keywords."), "e-government; identity", target="keywords"),
        Column(
            "funding_source",
            TEXT,
            _("Source of funding."),
            "National budget",
            target="funding_source",
        ),
        Column(
            "funding_amount",
            DECIMAL,
            _("Amount of funding, with a full stop as decimal separator."),
            "1500000.00",
            target="funding_amount",
        ),
        Column(
            "funding_currency",
            CODE,
            _("Currency of the amount (ISO 4217)."),
            "USD",
            target="funding_currency",
        ),
        Column(
            "website", URL, _("Website of the initiative."), "https://example.org", target="website"
        ),
        Column(
            "is_good_practice",
            BOOLEAN,
            _("Whether moderators marked the entry as a good practice."),
            "false",
            imported=False,
        ),
        Column(
            "first_published_at",
            DATETIME,
            _("When the entry was first published."),
            "2024-05-02T10:15:00Z",
            imported=False,
        ),
        Column(
            "last_published_at",
            DATETIME,
            _("When the current version was published."),
            "2025-01-31T09:30:00Z",
            imported=False,
        ),
        Column(
            "last_confirmed_at",
            DATETIME,
            _("When the organisation last confirmed the entry as current."),
            "2025-01-31T09:30:00Z",
            imported=False,
        ),
        # Contacts are private: they can be imported but never leave the site.
        Column(
            "contact_name",
            TEXT,
            _("Contact person (import only; never published or exported)."),
            exported=False,
            target="contact_name",
        ),
        Column(
            "contact_email",
            TEXT,
            _("Contact e-mail address (import only; never published or exported)."),
            exported=False,
            target="contact_email",
        ),
    ]
    return tuple(columns)


COLUMNS: tuple[Column, ...] = _build_columns()
COLUMNS_BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}
EXPORT_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.exported)
IMPORT_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.imported)
EXPORT_HEADER: tuple[str, ...] = tuple(c.name for c in EXPORT_COLUMNS)
IMPORT_HEADER: tuple[str, ...] = tuple(c.name for c in IMPORT_COLUMNS)


# --- values --------------------------------------------------------------------------------


def format_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@lru_cache(maxsize=16)
def _detail_path(language: str, urlconf: str) -> tuple[str, str]:
    """The entry page's address around its number, reversed once per language."""
    with override(language):
        path = reverse("initiatives:detail", args=[987654321])
    before, _sep, after = path.partition("987654321")
    return before, after


def entry_path(pk: int, language: str) -> str:
    before, after = _detail_path(language, settings.ROOT_URLCONF)
    return f"{before}{pk}{after}"


def _label(term, language: str) -> str:
    labels = term.labels or {}
    return labels.get(language) or localized(labels, language) or term.code


class TermLink(NamedTuple):
    """A classification of an entry: the term, whether it is the primary one (Action Lines)
    and the evidence given for it (SDG goals and targets)."""

    term: Term
    is_primary: bool
    evidence: str


def entry_record(
    initiative, revision, language: str, *, base_url: str = "", links: list | None = None
) -> dict:
    """The exported columns of one published entry, as JSON-ready values, labels in
    `language`. Makes no query: the revision's single terms, the organisation's stakeholder
    type and country must be loaded, and the revision's classifications given as `links`
    (TermLinks; by default its term links, loaded with their terms and schemes). `base_url`
    ("https://example.org") makes `url` absolute."""
    if links is None:
        links = [
            TermLink(link.term, link.is_primary, link.evidence)
            for link in revision.term_links.all()
        ]
    organisation = initiative.organisation
    record: dict = {
        "id": initiative.pk,
        "url": f"{base_url}{entry_path(initiative.pk, language)}",
        "external_id": (initiative.external_ids or {}).get("source") or None,
        "original_language": revision.original_language,
        "organisation_id": organisation.pk,
    }
    languages = _languages()
    names = organisation.names or {}
    for code in languages:
        record[f"organisation_{code}"] = names.get(code) or None
    stakeholder = organisation.stakeholder_type
    country = organisation.country
    record["organisation_acronym"] = organisation.acronym or None
    record["organisation_stakeholder_type"] = stakeholder.code if stakeholder else None
    record["organisation_stakeholder_type_label"] = (
        _label(stakeholder, language) if stakeholder else None
    )
    record["organisation_country"] = country.code if country else None
    record["organisation_country_label"] = _label(country, language) if country else None
    for field in TEXT_FIELDS:
        texts = getattr(revision, field) or {}
        for code in languages:
            record[f"{field}_{code}"] = texts.get(code) or None
    for name in SINGLE_TERMS:
        term = getattr(revision, name)
        record[name] = term.code if term else None
        record[f"{name}_label"] = _label(term, language) if term else None
    record["start_date"] = revision.start_date.isoformat() if revision.start_date else None
    record["end_date"] = revision.end_date.isoformat() if revision.end_date else None

    by_scheme: dict[str, list] = {}
    for link in links:
        by_scheme.setdefault(link.term.scheme.identifier, []).append(link)
    for links in by_scheme.values():
        links.sort(key=lambda link: (link.term.sort_order, link.term.code))
    action_lines = by_scheme.get("wsis-action-lines", [])
    primary = next((link.term for link in action_lines if link.is_primary), None)
    record["action_line_primary"] = primary.code if primary else None
    record["action_line_primary_label"] = _label(primary, language) if primary else None
    for name, (scheme, *_rest) in MULTI_TERMS.items():
        links = by_scheme.get(scheme, [])
        if name == "action_lines_secondary":
            links = [link for link in links if not link.is_primary]
        record[name] = [link.term.code for link in links]
        record[f"{name}_labels"] = [_label(link.term, language) for link in links]
    record["sdg_goal_evidence"] = {
        link.term.code: link.evidence for link in by_scheme.get("sdg-goals", []) if link.evidence
    }
    record["sdg_target_evidence"] = {
        link.term.code: link.evidence for link in by_scheme.get("sdg-targets", []) if link.evidence
    }
    record["partners"] = list(revision.partners or [])
    record["links"] = list(revision.links or [])
    record["keywords"] = list(revision.keywords or [])
    record["funding_source"] = revision.funding_source or None
    amount = revision.funding_amount
    record["funding_amount"] = str(amount) if amount is not None else None
    record["funding_currency"] = revision.funding_currency or None
    record["website"] = revision.website or None
    record["is_good_practice"] = bool(initiative.is_good_practice)
    record["first_published_at"] = format_datetime(initiative.published_at)
    record["last_published_at"] = format_datetime(initiative.last_published_at)
    record["last_confirmed_at"] = format_datetime(initiative.last_confirmed_at)
    return record


# --- cells (CSV and XLSX) ------------------------------------------------------------------

# What a spreadsheet may take for the start of a formula, after any apostrophes: a cell that
# matches gets one more apostrophe in front; reading takes exactly one off again.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """A text cell no spreadsheet will run as a formula (OWASP CSV injection advice)."""
    return f"'{text}" if _FORMULA_START.match(text) else text


def to_cell(value) -> str:
    """A value of `entry_record` as the text of a CSV or XLSX cell: None is empty, lists of
    codes or labels are "; "-joined, objects and lists of objects are JSON, booleans are
    true/false; every cell is neutralised against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False) if value else ""
    elif isinstance(value, list | tuple):
        if any(isinstance(item, dict | list) for item in value):
            text = json.dumps(list(value), ensure_ascii=False)
        else:
            text = MULTI_SEPARATOR.join(str(item) for item in value)
    elif isinstance(value, dt.datetime):
        text = format_datetime(value) or ""
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return neutralise(text)


def from_cell(text) -> str:
    """The text of a CSV or XLSX cell as it was before `to_cell` neutralised it (one leading
    apostrophe before a formula start taken off); None is empty."""
    if text is None:
        return ""
    text = str(text)
    return text[1:] if _NEUTRALISED.match(text) else text


def split_multi(text: str) -> list[str]:
    """The values of a "; "-joined cell (after from_cell), blanks dropped."""
    return [part.strip() for part in text.split(";") if part.strip()]
