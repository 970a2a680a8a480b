"""From a row of a file to a plan: the content document it describes, checked by the same
`validate_content` as the web forms, the organisation it belongs to, and whether it creates,
updates or leaves unchanged an entry. The dry run and the commit both plan every row with
this code; only the commit then writes (services.py).

Re-import rules: a row names its entry by `id` (a Stocktake number from an export), else by
`external_id` (kept in Initiative.external_ids["source"]), else by organisation and title
(folded, in the entry's original language). On an update, columns the file does not have
keep the entry's current values; an empty cell in a column it has clears that field.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from stocktake.initiatives.content import (
    FIELD_LABELS,
    REQUIRED_FOR_SUBMISSION,
    TermMemo,
    goal_evidence_kept,
    read_revision,
    validate_content,
)
from stocktake.initiatives.models import (
    TEXT_FIELDS,
    Initiative,
    RevisionState,
    RevisionTerm,
    Status,
)
from stocktake.opendata.columns import MULTI_TERMS, SINGLE_TERMS
from stocktake.organisations.models import Organisation

from .mapping import field_label
from .matching import Miss, Organisations, Vocabularies, label_key, language_matcher
from .reading import Formula

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
MAX_ID = 2**63 - 1


class _CellError(Exception):
    def __init__(self, message: str):
        self.message = message


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def cell_text(value) -> str:
    """A cell as text; a formula cell is refused, never evaluated."""
    if isinstance(value, Formula):
        raise _CellError(
            _(
                "This cell holds a formula (%(formula)s). Formulas are not run on import: "
                "type the value itself."
            )
            % {"formula": value.text[:60]}
        )
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _miss_message(miss: Miss) -> str:
    if miss.suggestion:
        return _("“%(value)s” is not a known choice. Did you mean “%(suggestion)s”?") % {
            "value": miss.value[:80],
            "suggestion": miss.suggestion,
        }
    return _("“%(value)s” is not a known choice.") % {"value": miss.value[:80]}


def _json_cell(text: str, kind: type, message: str):
    if not text:
        return kind()
    try:
        value = json.loads(text)
    except ValueError:
        raise _CellError(message) from None
    if not isinstance(value, kind):
        raise _CellError(message)
    return value


def _number(text: str) -> int | None:
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise _CellError(_("Give a whole number.")) from None
    if not 0 < number <= MAX_ID:
        raise _CellError(_("Give a whole number.")) from None
    return number


def _comparable(document: dict) -> dict:
    """A content document (clean or read back) in a form where equal content compares equal."""
    result = {"original_language": document.get("original_language")}
    for name in TEXT_FIELDS:
        result[name] = {k: v for k, v in (document.get(name) or {}).items() if v}
    for name in ("initiative_type", "implementation_status", "coverage"):
        result[name] = document.get(name) or ""
    action_lines = document.get("action_lines") or {}
    result["action_lines"] = (
        action_lines.get("primary") or "",
        tuple(sorted(action_lines.get("secondary") or [])),
    )
    for name in (
        "sdg_goals", "gdc_objectives", "wsis_targets", "technologies", "beneficiary_groups",
        "countries",
    ):  # fmt: skip
        result[name] = tuple(sorted(document.get(name) or []))
    result["sdg_targets"] = tuple(
        sorted((t["code"], t.get("evidence") or "") for t in document.get("sdg_targets") or [])
    )
    result["sdg_goal_evidence"] = {
        code: text for code, text in (document.get("sdg_goal_evidence") or {}).items() if text
    }
    for name in ("start_date", "end_date"):
        value = document.get(name)
        result[name] = value.isoformat() if isinstance(value, dt.date) else (value or None)
    amount = document.get("funding_amount")
    result["funding_amount"] = Decimal(str(amount)) if amount not in (None, "") else None
    for name in (
        "partners", "links", "keywords", "funding_source", "funding_currency", "website",
        "contact_name", "contact_email",
    ):  # fmt: skip
        result[name] = document.get(name) or type(document.get(name) or "")()
    return result


@dataclass
class RowPlan:
    number: int
    action: str = CREATE
    errors: list[dict] = field(default_factory=list)
    title: str = ""
    organisation: Organisation | None = None
    organisation_label: str = ""
    new_organisation: dict | None = None
    organisation_key: str = ""
    initiative: Initiative | None = None
    clean: dict | None = None
    external_id: str = ""
    incomplete: list[str] = field(default_factory=list)

    def error(self, field_name: str, message) -> None:
        self.errors.append({"field": field_name, "message": str(message)})
        self.action = ERROR

    def report(self, columns_for) -> dict:
        return {
            "row": self.number,
            "action": self.action,
            "title": self.title[:200],
            "entry": self.initiative.pk if self.initiative else None,
            "organisation": self.organisation_label[:200],
            "new_organisation": bool(self.new_organisation),
            "errors": [
                {**error, "column": ", ".join(columns_for(error["field"]))} for error in self.errors
            ],
            "incomplete": self.incomplete,
        }


class Planner:
    """Plans the rows of one file; remembers what earlier rows planned (new organisations,
    entries already named) so that a file cannot describe one entry twice."""

    def __init__(self, *, mapping: dict[str, str], default_language: str):
        self.mapping = {header: name for header, name in mapping.items() if name}
        self.fields = set(self.mapping.values())
        self.default_language = default_language
        self.vocabularies = Vocabularies()
        # validate_content looks codes up with about ten queries a row; the vocabularies do
        # not change during a run, so each scheme is read once.
        self.terms = TermMemo()
        self.organisations = Organisations()
        self.languages = language_matcher()
        self.planned_organisations: dict[str, dict] = {}
        self.seen: dict[tuple, int] = {}
        self._titles: dict[int, dict[str, int]] = {}
        self._loaded: dict[int, Initiative] = {}
        self.external_ids: dict[str, int] = {}
        if "external_id" in self.fields:
            for pk, ids in Initiative.objects.filter(external_ids__has_key="source").values_list(
                "pk", "external_ids"
            ):
                self.external_ids.setdefault(str(ids.get("source")), pk)

    # --- helpers ---------------------------------------------------------------------------

    def columns_for(self, field_name: str) -> list[str]:
        """The file's columns behind a field of the report (a column or a content field)."""
        names = {field_name}
        if field_name in TEXT_FIELDS:
            names = {f"{field_name}_{code}" for code in _languages()}
        elif field_name == "action_lines":
            names = {"action_line_primary", "action_lines_secondary"}
        elif field_name == "sdg_targets":
            names = {"sdg_targets", "sdg_target_evidence"}
        elif field_name == "sdg_goal_evidence":
            names = {"sdg_goal_evidence", "sdg_goals"}
        elif field_name == "organisation":
            names = {f"organisation_{code}" for code in _languages()} | {
                "organisation_id",
                "organisation_acronym",
            }
        return [header for header, name in self.mapping.items() if name in names]

    def bind(self, headers: list[str]) -> None:
        """Where each mapped field sits in the file's rows."""
        self.positions = {
            self.mapping[header]: index
            for index, header in enumerate(headers)
            if header in self.mapping
        }

    def _record(self, values: list) -> dict:
        return {
            name: (values[index] if index < len(values) else "")
            for name, index in self.positions.items()
        }

    def _titles_of(self, organisation_id: int) -> dict[str, int]:
        titles = self._titles.get(organisation_id)
        if titles is None:
            titles = {}
            rows = Initiative.objects.filter(organisation_id=organisation_id).values_list(
                "pk",
                "working_revision__title",
                "working_revision__original_language",
                "published_revision__title",
                "published_revision__original_language",
            )
            for pk, w_title, w_lang, p_title, p_lang in rows:
                for title, language in ((w_title, w_lang), (p_title, p_lang)):
                    if title and language and title.get(language):
                        titles.setdefault(label_key(title[language]), pk)
            self._titles[organisation_id] = titles
        return titles

    def preload(self, rows: list[tuple[int, list]]) -> None:
        """Load, in one go, the entries these rows name by id or external id (rows are
        planned in chunks: one query set per chunk instead of one per row)."""
        wanted = set()
        for _row, values in rows:
            record = self._record(values)
            try:
                number = _number(cell_text(record.get("id", "")))
            except _CellError:
                number = None
            if number:
                wanted.add(number)
            elif "external_id" in record:
                try:
                    pk = self.external_ids.get(cell_text(record["external_id"])[:200])
                except _CellError:
                    pk = None
                if pk:
                    wanted.add(pk)
        self._loaded = _entries().in_bulk(wanted) if wanted else {}

    def _load_entry(self, pk: int) -> Initiative | None:
        if pk in self._loaded:
            return self._loaded.pop(pk)
        return _entries().filter(pk=pk).first()

    # --- one row ---------------------------------------------------------------------------

    def plan(self, number: int, values: list) -> RowPlan:
        plan = RowPlan(number=number)
        record = self._record(values)
        texts: dict[str, str] = {}
        for name, value in record.items():
            try:
                texts[name] = cell_text(value)
            except _CellError as error:
                plan.error(name, error.message)
                texts[name] = ""
        fragment = self._fragment(texts, plan)
        self._organisation(texts, plan)
        self._entry(texts, fragment, plan)
        return plan

    def _fragment(self, texts: dict[str, str], plan: RowPlan) -> dict:
        """The content fields the file gives, as a partial content document."""
        fragment: dict = {}
        for name in TEXT_FIELDS:
            for code in _languages():
                column = f"{name}_{code}"
                if column in texts:
                    fragment.setdefault(name, {})[code] = texts[column]
        if texts.get("original_language"):
            code = self.languages.get(label_key(texts["original_language"]))
            if code is None:
                plan.error(
                    "original_language",
                    _("“%(value)s” is not a language of this site (use %(codes)s).")
                    % {"value": texts["original_language"][:40], "codes": ", ".join(_languages())},
                )
            else:
                fragment["original_language"] = code
        for name, (scheme, *_rest) in SINGLE_TERMS.items():
            if name in texts:
                code, miss = self.vocabularies[scheme].match_one(texts[name])
                if miss:
                    plan.error(name, _miss_message(miss))
                fragment[name] = code or ""
        action_lines = self.vocabularies["wsis-action-lines"]
        if "action_line_primary" in texts:
            code, miss = action_lines.match_one(texts["action_line_primary"])
            if miss:
                plan.error("action_line_primary", _miss_message(miss))
            fragment.setdefault("action_lines", {})["primary"] = code or ""
        for name, (scheme, target, *_rest) in MULTI_TERMS.items():
            if name not in texts:
                continue
            codes, misses = self.vocabularies[scheme].match_many(texts[name])
            for miss in misses:
                plan.error(name, _miss_message(miss))
            if name == "action_lines_secondary":
                fragment.setdefault("action_lines", {})["secondary"] = codes
            elif name == "sdg_targets":
                fragment["sdg_targets"] = [{"code": code} for code in codes]
            else:
                fragment[target] = codes
        for name, key, example in (
            ("sdg_target_evidence", "_evidence", '{"16.9": "text"}'),
            ("sdg_goal_evidence", "sdg_goal_evidence", '{"16": "text"}'),
        ):
            if name not in texts:
                continue
            message = _("Write the evidence as a JSON object, such as %(example)s.") % {
                "example": example
            }
            try:
                evidence = _json_cell(texts[name], dict, message)
                fragment[key] = {str(k): str(v or "") for k, v in evidence.items()}
            except _CellError as error:
                plan.error(name, error.message)
        for name, message in (
            ("partners", _('Write the partners as a JSON list, such as [{"name": "UNDP"}].')),
            ("links", _('Write the links as a JSON list, such as [{"label": "…", "url": "…"}].')),
        ):
            if name in texts:
                try:
                    items = _json_cell(texts[name], list, message)
                    if not all(isinstance(item, dict) for item in items):
                        raise _CellError(message)
                    fragment[name] = items
                except _CellError as error:
                    plan.error(name, error.message)
        for partner in fragment.get("partners", []):
            for key, scheme in (
                ("stakeholder_type", "stakeholder-types"),
                ("country", "countries"),
            ):
                if partner.get(key):
                    code, miss = self.vocabularies[scheme].match_one(str(partner[key]))
                    if miss:
                        plan.error("partners", _miss_message(miss))
                    else:
                        partner[key] = code
        if "keywords" in texts:
            fragment["keywords"] = [
                part.strip()
                for part in texts["keywords"].replace("\n", ";").split(";")
                if part.strip()
            ]
        if "funding_amount" in texts:
            amount = texts["funding_amount"].replace(" ", "").replace("\u00a0", "")
            if amount:
                try:
                    Decimal(amount)
                except InvalidOperation:
                    plan.error(
                        "funding_amount",
                        _("Write the amount with a full stop as decimal separator, e.g. 1500.50."),
                    )
                    amount = ""
            fragment["funding_amount"] = amount or None
        for name in (
            "start_date", "end_date", "funding_source", "funding_currency", "website",
            "contact_name", "contact_email",
        ):  # fmt: skip
            if name in texts:
                fragment[name] = texts[name] or ("" if "date" not in name else None)
        return fragment

    def _organisation(self, texts: dict[str, str], plan: RowPlan) -> None:
        names = {
            code: texts[f"organisation_{code}"]
            for code in _languages()
            if texts.get(f"organisation_{code}")
        }
        acronym = texts.get("organisation_acronym", "")
        try:
            organisation_id = _number(texts.get("organisation_id", ""))
        except _CellError as error:
            plan.error("organisation_id", error.message)
            return
        if organisation_id:
            organisation = self.organisations.by_id.get(organisation_id)
            if organisation is None:
                plan.error(
                    "organisation_id",
                    _("No organisation has the number %(number)d.") % {"number": organisation_id},
                )
            else:
                plan.organisation, plan.organisation_label = organisation, organisation.name
            return
        if not names and not acronym:
            return  # an update by id may leave the organisation out
        organisation, ambiguous = self.organisations.find(
            names=list(names.values()), acronym=acronym
        )
        if ambiguous:
            plan.error(
                "organisation",
                _(
                    "Several organisations have this name or acronym. Give its number in a "
                    "column organisation_id."
                ),
            )
            return
        if organisation is not None:
            plan.organisation, plan.organisation_label = organisation, organisation.name
            return
        key = label_key(next(iter(names.values()), acronym))
        plan.organisation_label = next(iter(names.values()), acronym)
        plan.organisation_key = key
        if key in self.planned_organisations:
            plan.new_organisation = self.planned_organisations[key]
            return
        kind = texts.get("organisation_stakeholder_type", "")
        if not kind:
            plan.error(
                "organisation",
                _(
                    "No organisation is called “%(name)s”. Correct the name, or give its "
                    "stakeholder type (organisation_stakeholder_type) to create it."
                )
                % {"name": plan.organisation_label[:100]},
            )
            return
        if not names:
            plan.error("organisation", _("Give the new organisation's name, not only its acronym."))
            return
        stakeholder, miss = self.vocabularies["stakeholder-types"].match_one(kind)
        if miss:
            plan.error("organisation_stakeholder_type", _miss_message(miss))
            return
        country, miss = self.vocabularies["countries"].match_one(
            texts.get("organisation_country", "")
        )
        if miss:
            plan.error("organisation_country", _miss_message(miss))
            return
        plan.new_organisation = {
            "names": names,
            "acronym": acronym[:40],
            "stakeholder_type": stakeholder,
            "country": country,
        }
        self.planned_organisations[key] = plan.new_organisation

    def _find(self, texts: dict[str, str], fragment: dict, plan: RowPlan) -> Initiative | None:
        try:
            number = _number(texts.get("id", ""))
        except _CellError as error:
            plan.error("id", error.message)
            return None
        plan.external_id = texts.get("external_id", "")[:200]
        if number:
            initiative = self._load_entry(number)
            if initiative is None:
                plan.error("id", _("No entry has the number %(number)d.") % {"number": number})
            return initiative
        if plan.external_id and plan.external_id in self.external_ids:
            return self._load_entry(self.external_ids[plan.external_id])
        if plan.organisation is not None:
            language = fragment.get("original_language") or self.default_language
            title = (fragment.get("title") or {}).get(language, "")
            pk = self._titles_of(plan.organisation.pk).get(label_key(title)) if title else None
            if pk:
                return self._load_entry(pk)
        return None

    def _entry(self, texts: dict[str, str], fragment: dict, plan: RowPlan) -> None:
        initiative = self._find(texts, fragment, plan)
        if initiative is not None:
            plan.initiative = initiative
            if plan.organisation is None and not plan.new_organisation:
                plan.organisation = initiative.organisation
                plan.organisation_label = initiative.organisation.name
            elif plan.organisation is None or plan.organisation.pk != initiative.organisation_id:
                plan.error(
                    "organisation",
                    _(
                        "Entry %(number)d belongs to another organisation (%(name)s); an "
                        "import does not move entries between organisations."
                    )
                    % {"number": initiative.pk, "name": initiative.organisation.name},
                )
        elif (
            plan.organisation is None
            and not plan.new_organisation
            and not any(e["field"] in ("organisation", "organisation_id") for e in plan.errors)
        ):
            plan.error("organisation", _("Name the lead organisation of the entry."))

        base = None
        if initiative is not None:
            revision = initiative.working_revision or initiative.published_revision
            base = read_revision(revision)
            document = dict(base)
            for name, value in fragment.items():
                if name in TEXT_FIELDS:
                    texts_now = dict(document.get(name) or {})
                    texts_now.update(value)
                    document[name] = texts_now
                elif name == "action_lines":
                    document[name] = {**document.get(name, {}), **value}
                else:
                    document[name] = value
        else:
            document = dict(fragment)
            document.setdefault("original_language", self.default_language)
        evidence = document.pop("_evidence", None)
        old_evidence = {
            t["code"]: t.get("evidence", "") for t in (base or {}).get("sdg_targets", [])
        }
        targets = document.get("sdg_targets") or []
        document["sdg_targets"] = [
            {
                "code": target["code"],
                "evidence": (evidence or {}).get(target["code"], "")
                if evidence is not None
                else target.get("evidence") or old_evidence.get(target["code"], ""),
            }
            for target in targets
        ]
        if "sdg_goal_evidence" not in fragment:
            # A file without the column keeps the evidence of the goals the entry keeps.
            document["sdg_goal_evidence"] = goal_evidence_kept(
                document, (base or {}).get("sdg_goal_evidence")
            )
        if evidence:
            unknown = set(evidence) - {t["code"] for t in document["sdg_targets"]}
            if unknown:
                plan.error(
                    "sdg_target_evidence",
                    _("Evidence is given for targets the entry does not have: %(codes)s.")
                    % {"codes": ", ".join(sorted(unknown))[:200]},
                )
        language = document.get("original_language") or ""
        plan.title = (document.get("title") or {}).get(language) or next(
            iter((document.get("title") or {}).values()), ""
        )

        key = self._identity(plan, initiative, language)
        if key is not None:
            if key in self.seen:
                plan.error(
                    "id" if initiative else "title",
                    _("Row %(row)d already describes this entry.") % {"row": self.seen[key]},
                )
            else:
                self.seen[key] = plan.number
        if not language:
            plan.error(
                "original_language",
                _("Give the language the entry is written in (ar, en or fr)."),
            )
            return
        try:
            clean = validate_content(document, for_submission=False, terms=self.terms)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    plan.error(name, message)
            return
        plan.incomplete = [
            str(FIELD_LABELS.get(name, name))
            for name in REQUIRED_FOR_SUBMISSION
            if not clean.get(name) or (name == "action_lines" and not clean[name]["primary"])
        ]
        if plan.action == ERROR:
            return
        plan.clean = clean
        if initiative is None:
            plan.action = CREATE
            return
        same_ids = not plan.external_id or initiative.external_ids.get("source") == plan.external_id
        if same_ids and _comparable(clean) == _comparable(base):
            plan.action = UNCHANGED
            return
        if initiative.status in (Status.ARCHIVED, Status.WITHDRAWN):
            plan.error(
                "id",
                _("Entry %(number)d is archived or withdrawn: restore it before updating it.")
                % {"number": initiative.pk},
            )
        elif (
            initiative.working_revision
            and initiative.working_revision.state == RevisionState.SUBMITTED
        ):
            plan.error(
                "id",
                _(
                    "Entry %(number)d has a submission waiting for review: publish it or "
                    "request changes before importing over it."
                )
                % {"number": initiative.pk},
            )
        else:
            plan.action = UPDATE

    def _identity(self, plan: RowPlan, initiative, language: str) -> tuple | None:
        if initiative is not None:
            return ("entry", initiative.pk)
        if plan.external_id:
            return ("external", plan.external_id)
        if plan.organisation is not None or plan.new_organisation:
            organisation = plan.organisation.pk if plan.organisation else plan.organisation_key
            return ("title", organisation, label_key(plan.title))
        return None


def _entries():
    """Entries with what read_revision reads. Unordered: the models' default orderings (and
    the joins they bring) would cost more than the rest of the row."""
    links = RevisionTerm.objects.select_related("term__scheme").order_by()
    return (
        Initiative.objects.order_by()
        .select_related(
            "organisation",
            "working_revision__initiative_type",
            "working_revision__implementation_status",
            "working_revision__coverage",
            "published_revision__initiative_type",
            "published_revision__implementation_status",
            "published_revision__coverage",
        )
        .prefetch_related(
            Prefetch("working_revision__term_links", queryset=links),
            Prefetch("published_revision__term_links", queryset=links),
        )
    )


__all__ = ["CREATE", "ERROR", "UNCHANGED", "UPDATE", "Planner", "RowPlan", "field_label"]
