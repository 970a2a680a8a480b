"""The content of an entry as one plain document: validated on the way in, written to a
revision, read back from it, and compared between revisions.

The document has the same shape everywhere (forms, API, demo data, imports):

    {"original_language": "ar", "title": {"ar": "…"}, "summary": {…}, …,
     "initiative_type": "programme", "implementation_status": "ongoing", "coverage": "national",
     "start_date": "2021-03-01", "end_date": None,
     "action_lines": {"primary": "C7.1", "secondary": ["C5"]},
     "sdg_goals": ["16"], "sdg_goal_evidence": {"16": "…"},
     "sdg_targets": [{"code": "16.9", "evidence": "…"}],
     "gdc_objectives": [...], "wsis_targets": [...], "technologies": [...],
     "beneficiary_groups": [...], "countries": ["TN"],
     "partners": [{"name": "…", "stakeholder_type": "…", "country": "…"}],
     "funding_source": "", "funding_amount": None, "funding_currency": "",
     "website": "", "links": [{"label": "…", "url": "…"}], "keywords": [...],
     "contact_name": "", "contact_email": ""}

The evidence of an SDG goal (optional) sits beside the goals, only for goals the entry has:
`sdg_goals` stays a plain list of codes.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stocktake.vocabularies.models import Term

from .models import TERM_FIELDS, TEXT_FIELDS, Revision, RevisionTerm

SCALAR_TERM_FIELDS = {
    "initiative_type": "initiative-types",
    "implementation_status": "statuses",
    "coverage": "coverage",
}
TEXT_LIMITS = {"title": 300, "summary": 3000}
TEXT_LIMIT_DEFAULT = 20000
SUMMARY_WORDS = (150, 200)
# Fields a submission cannot go without (a draft may).
REQUIRED_FOR_SUBMISSION = {
    "title": gettext_lazy("Give the initiative a title."),
    "summary": gettext_lazy("Write a short summary (about 150 to 200 words)."),
    "description": gettext_lazy("Describe the initiative."),
    "initiative_type": gettext_lazy("Choose the type of initiative."),
    "implementation_status": gettext_lazy("Choose the implementation status."),
    "countries": gettext_lazy("Choose at least one country of implementation."),
    "action_lines": gettext_lazy("Choose the primary WSIS Action Line."),
    "sdg_goals": gettext_lazy("Choose at least one Sustainable Development Goal."),
}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

FIELD_LABELS = {
    "original_language": gettext_lazy("Original language"),
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Short summary"),
    "description": gettext_lazy("Description"),
    "objectives": gettext_lazy("Objectives"),
    "results": gettext_lazy("Results and impact"),
    "challenges": gettext_lazy("Challenges and lessons learned"),
    "future_plans": gettext_lazy("Future plans"),
    "initiative_type": gettext_lazy("Type of initiative"),
    "implementation_status": gettext_lazy("Implementation status"),
    "coverage": gettext_lazy("Coverage"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
    "action_lines": gettext_lazy("WSIS Action Lines"),
    "sdg_goals": gettext_lazy("Sustainable Development Goals"),
    "sdg_targets": gettext_lazy("SDG targets"),
    "gdc_objectives": gettext_lazy("Global Digital Compact objectives"),
    "wsis_targets": gettext_lazy("WSIS targets"),
    "technologies": gettext_lazy("Emerging technologies"),
    "beneficiary_groups": gettext_lazy("Beneficiary groups"),
    "countries": gettext_lazy("Countries of implementation"),
    "partners": gettext_lazy("Partners"),
    "funding_source": gettext_lazy("Funding source"),
    "funding_amount": gettext_lazy("Funding amount"),
    "funding_currency": gettext_lazy("Currency"),
    "website": gettext_lazy("Website"),
    "links": gettext_lazy("Other links"),
    "keywords": gettext_lazy("Keywords"),
    "contact_name": gettext_lazy("Contact name"),
    "contact_email": gettext_lazy("Contact e-mail"),
}
# Fields that detail another field of FIELD_LABELS rather than stand alone: a comparison
# shows them with that field (a goal's evidence beside the goal, as a target's is).
DETAIL_FIELDS = {"sdg_goal_evidence": "sdg_goals"}
DETAIL_LABELS = {"sdg_goal_evidence": gettext_lazy("Evidence for the SDG goals")}


def field_label(field: str):
    """The name for people of a document field (for errors keyed by field)."""
    return FIELD_LABELS.get(field) or DETAIL_LABELS.get(field) or field


def clean_text(value) -> str:
    """Unicode NFC, no control characters, trimmed. Markup is kept as typed: it is escaped or
    sanitised when shown, never trusted."""
    text = unicodedata.normalize("NFC", str(value or ""))
    return CONTROL_CHARACTERS.sub("", text).strip()


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text or ""))


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class _Errors(dict):
    def add(self, field: str, message) -> None:
        self.setdefault(field, []).append(str(message))


def goals_of(document: dict) -> set[str]:
    """The SDG goals a (raw) document has: those chosen and those of its targets."""
    goals = set(_codes(document.get("sdg_goals")))
    targets = document.get("sdg_targets")
    for target in targets if isinstance(targets, list | tuple) else []:
        code = target.get("code") if isinstance(target, dict) else target
        if clean_text(code):
            goals.add(clean_text(code).split(".")[0])
    return goals


def goal_evidence_kept(document: dict, evidence) -> dict[str, str]:
    """Of some goal evidence, that of the goals `document` has: for updates that change the
    goals without restating the evidence (a goal taken out takes its evidence with it)."""
    if not isinstance(evidence, dict):
        return {}
    goals = goals_of(document)
    return {code: text for code, text in evidence.items() if clean_text(code) in goals}


def _codes(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    return list(dict.fromkeys(clean_text(v) for v in value if clean_text(v)))


# Looks up terms in use (not deprecated) by scheme and codes: {code: term} of those found.
TermLookup = Callable[[str, list[str]], dict[str, Term]]


def _terms_by_code(scheme: str, codes: list[str]) -> dict[str, Term]:
    if not codes:
        return {}
    return {
        term.code: term
        for term in Term.objects.filter(scheme__identifier=scheme, code__in=codes, deprecated=False)
    }


class TermMemo:
    """A TermLookup that reads each scheme's terms once, for validating many documents against
    vocabularies that do not change meanwhile (an import): the same answers as the database,
    without a query per field."""

    def __init__(self) -> None:
        self._schemes: dict[str, dict[str, Term]] = {}

    def __call__(self, scheme: str, codes: list[str]) -> dict[str, Term]:
        if scheme not in self._schemes:
            self._schemes[scheme] = {
                term.code: term
                for term in Term.objects.filter(scheme__identifier=scheme, deprecated=False)
            }
        terms = self._schemes[scheme]
        return {code: terms[code] for code in codes if code in terms}


def _date(value, field: str, errors: _Errors) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
        return None


def validate_content(
    raw: dict, *, for_submission: bool, terms: TermLookup = _terms_by_code
) -> dict:
    """Check and normalise a content document. Returns the clean document with Term objects
    resolved under "_terms"; raises ValidationError({field: [messages]}) otherwise. `terms`
    looks vocabulary codes up (a TermMemo when validating many documents)."""
    if not isinstance(raw, dict):
        raise ValidationError(_("The entry must be a JSON object."))
    errors = _Errors()
    languages = _languages()
    clean: dict = {}

    original = clean_text(raw.get("original_language"))
    if original not in languages:
        errors.add("original_language", _("Choose the language the entry is written in."))
    clean["original_language"] = original

    for field in TEXT_FIELDS:
        texts = raw.get(field) or {}
        if not isinstance(texts, dict):
            errors.add(field, _("Give the text per language."))
            texts = {}
        limit = TEXT_LIMITS.get(field, TEXT_LIMIT_DEFAULT)
        value = {}
        for language, text in texts.items():
            if language not in languages:
                errors.add(
                    field, _("“%(code)s” is not a language of this site.") % {"code": language}
                )
                continue
            text = clean_text(text)
            if len(text) > limit:
                errors.add(
                    field,
                    _("Keep this text under %(limit)d characters (it has %(count)d).")
                    % {"limit": limit, "count": len(text)},
                )
            if text:
                value[language] = text
        clean[field] = value
    if not clean["title"]:
        errors.add("title", REQUIRED_FOR_SUBMISSION["title"])
    elif original in languages and not clean["title"].get(original):
        errors.add("title", _("Give the title in the original language of the entry."))

    clean["_terms"] = {}
    for field, scheme in SCALAR_TERM_FIELDS.items():
        code = clean_text(raw.get(field))
        clean[field] = code
        if code:
            term = terms(scheme, [code]).get(code)
            if term is None:
                errors.add(field, _("“%(code)s” is not a known choice here.") % {"code": code})
            clean["_terms"][field] = term

    action_lines = raw.get("action_lines") or {}
    if not isinstance(action_lines, dict):
        action_lines = {}
    primary = clean_text(action_lines.get("primary"))
    secondary = [code for code in _codes(action_lines.get("secondary")) if code != primary]
    clean["action_lines"] = {"primary": primary, "secondary": secondary}

    sdg_targets_raw = raw.get("sdg_targets") or []
    targets: list[dict] = []
    if isinstance(sdg_targets_raw, list):
        for item in sdg_targets_raw:
            if isinstance(item, str):
                item = {"code": item}
            if isinstance(item, dict) and clean_text(item.get("code")):
                targets.append(
                    {"code": clean_text(item["code"]), "evidence": clean_text(item.get("evidence"))}
                )
    clean["sdg_targets"] = list({t["code"]: t for t in targets}.values())

    goal_evidence_raw = raw.get("sdg_goal_evidence") or {}
    goal_evidence: dict[str, str] = {}
    if isinstance(goal_evidence_raw, dict):
        for code, text in goal_evidence_raw.items():
            code, text = clean_text(code), clean_text(text)
            if code and text:
                goal_evidence[code] = text
    else:
        errors.add(
            "sdg_goal_evidence",
            _('Give the evidence per goal, as an object such as {"16": "text"}.'),
        )

    for field in TERM_FIELDS:
        if field not in ("action_lines", "sdg_targets"):
            clean[field] = _codes(raw.get(field))

    term_links: list[tuple[Term, bool, str]] = []
    for field, scheme in TERM_FIELDS.items():
        if field == "action_lines":
            codes = ([primary] if primary else []) + secondary
        elif field == "sdg_targets":
            codes = [t["code"] for t in clean["sdg_targets"]]
        else:
            codes = clean[field]
        found = terms(scheme, codes)
        unknown = [code for code in codes if code not in found]
        if unknown:
            errors.add(
                field,
                _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        evidence = {
            "sdg_goals": goal_evidence,
            "sdg_targets": {t["code"]: t["evidence"] for t in clean["sdg_targets"]},
        }.get(field, {})
        for code in codes:
            if code in found:
                is_primary = field == "action_lines" and code == primary
                term_links.append((found[code], is_primary, evidence.get(code, "")))
    clean["_terms"]["links"] = term_links

    # SDG targets imply their goals: keep the two consistent.
    goals = list(clean["sdg_goals"])
    for target in clean["sdg_targets"]:
        goal = target["code"].split(".")[0]
        if goal not in goals:
            goals.append(goal)
    if goals != clean["sdg_goals"]:
        clean["sdg_goals"] = goals
        found = terms("sdg-goals", goals)
        known = {t.pk for t, _p, _e in term_links}
        for code in goals:
            if code in found and found[code].pk not in known:
                term_links.append((found[code], False, goal_evidence.get(code, "")))
    # Evidence only for goals the entry has (ticked, or implied by a target).
    unchosen = [code for code in goal_evidence if code not in clean["sdg_goals"]]
    if unchosen:
        errors.add(
            "sdg_goal_evidence",
            _(
                "Evidence is given for goals the entry does not have: %(codes)s. Choose these "
                "goals, or take their evidence out."
            )
            % {"codes": ", ".join(code[:20] for code in unchosen[:20])},
        )
    clean["sdg_goal_evidence"] = {
        code: goal_evidence[code] for code in clean["sdg_goals"] if code in goal_evidence
    }

    clean["start_date"] = _date(raw.get("start_date"), "start_date", errors)
    clean["end_date"] = _date(raw.get("end_date"), "end_date", errors)
    if clean["start_date"] and clean["end_date"] and clean["end_date"] < clean["start_date"]:
        errors.add("end_date", _("The end date cannot be before the start date."))

    partners = []
    for partner in raw.get("partners") or []:
        if not isinstance(partner, dict) or not clean_text(partner.get("name")):
            continue
        entry = {
            "name": clean_text(partner["name"])[:300],
            "stakeholder_type": clean_text(partner.get("stakeholder_type")),
            "country": clean_text(partner.get("country")),
        }
        if entry["stakeholder_type"] and not terms(
            "stakeholder-types", [entry["stakeholder_type"]]
        ):
            errors.add(
                "partners",
                _("“%(code)s” is not a known stakeholder type.")
                % {"code": entry["stakeholder_type"]},
            )
        if entry["country"] and not terms("countries", [entry["country"]]):
            errors.add(
                "partners",
                _("“%(code)s” is not a known country code.") % {"code": entry["country"]},
            )
        partners.append(entry)
    clean["partners"] = partners

    clean["funding_source"] = clean_text(raw.get("funding_source"))[:300]
    amount = raw.get("funding_amount")
    clean["funding_amount"] = None
    if amount not in (None, ""):
        try:
            clean["funding_amount"] = Decimal(str(amount))
            if clean["funding_amount"] < 0 or clean["funding_amount"] >= Decimal("1e14"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.add("funding_amount", _("Enter the amount as a positive number."))
            clean["funding_amount"] = None
    currency = clean_text(raw.get("funding_currency")).upper()
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        errors.add("funding_currency", _("Use a three-letter currency code such as USD."))
    clean["funding_currency"] = currency

    url_validator = URLValidator(schemes=["http", "https"])
    clean["website"] = clean_text(raw.get("website"))
    if clean["website"]:
        try:
            url_validator(clean["website"])
        except ValidationError:
            errors.add("website", _("Enter a full web address starting with https://."))
    links = []
    for link in raw.get("links") or []:
        if isinstance(link, dict) and clean_text(link.get("url")):
            url = clean_text(link["url"])
            try:
                url_validator(url)
            except ValidationError:
                errors.add("links", _("“%(url)s” is not a full web address.") % {"url": url[:80]})
                continue
            links.append({"label": clean_text(link.get("label"))[:200], "url": url})
    clean["links"] = links
    clean["keywords"] = [k[:80] for k in _codes(raw.get("keywords"))][:30]

    clean["contact_name"] = clean_text(raw.get("contact_name"))[:200]
    clean["contact_email"] = clean_text(raw.get("contact_email"))
    if clean["contact_email"]:
        try:
            EmailValidator()(clean["contact_email"])
        except ValidationError:
            errors.add("contact_email", _("Enter a valid e-mail address."))

    if for_submission:
        for field, message in REQUIRED_FOR_SUBMISSION.items():
            value = clean.get(field)
            missing = not value or (field == "action_lines" and not value["primary"])
            if missing and field not in errors:
                errors.add(field, message)

    if errors:
        raise ValidationError(dict(errors))
    return clean


# A revision's content columns besides its language, texts and vocabulary terms.
SCALAR_FIELDS = (
    "start_date", "end_date", "partners", "funding_source", "funding_amount",
    "funding_currency", "website", "links", "keywords", "contact_name", "contact_email",
)  # fmt: skip


def write_revision(revision: Revision, clean: dict) -> None:
    """Store a validated document on a revision (fields and term links)."""
    revision.original_language = clean["original_language"]
    for field in TEXT_FIELDS:
        setattr(revision, field, clean[field])
    for field in SCALAR_TERM_FIELDS:
        setattr(revision, field, clean["_terms"].get(field))
    for field in SCALAR_FIELDS:
        setattr(revision, field, clean[field])
    revision.save()
    revision.term_links.all().delete()
    RevisionTerm.objects.bulk_create(
        RevisionTerm(revision=revision, term=term, is_primary=is_primary, evidence=evidence)
        for term, is_primary, evidence in clean["_terms"]["links"]
    )


def copy_revision(source: Revision, revision: Revision) -> None:
    """Store `source`'s content, as it is, on a new revision (fields and term links): no
    validation, so a version is kept exactly even where today's rules are stricter."""
    revision.original_language = source.original_language
    for field in (*TEXT_FIELDS, *SCALAR_FIELDS):
        setattr(revision, field, getattr(source, field))
    for field in SCALAR_TERM_FIELDS:
        setattr(revision, f"{field}_id", getattr(source, f"{field}_id"))
    revision.save()
    RevisionTerm.objects.bulk_create(
        RevisionTerm(
            revision=revision, term_id=link.term_id, is_primary=link.is_primary,
            evidence=link.evidence,
        )
        for link in source.term_links.all()
    )  # fmt: skip


def read_revision(revision: Revision) -> dict:
    """The content document of a revision (term links should be prefetched with their term
    and scheme to keep this at no extra query)."""
    document: dict = {"original_language": revision.original_language}
    for field in TEXT_FIELDS:
        document[field] = dict(getattr(revision, field) or {})
    for field in SCALAR_TERM_FIELDS:
        term = getattr(revision, field)
        document[field] = term.code if term else ""
    links = sorted(
        revision.term_links.all(), key=lambda link: (link.term.scheme_id, link.term.sort_order)
    )
    by_scheme: dict[str, list] = {}
    for link in links:
        by_scheme.setdefault(link.term.scheme.identifier, []).append(link)
    action_lines = by_scheme.get("wsis-action-lines", [])
    document["action_lines"] = {
        "primary": next((link.term.code for link in action_lines if link.is_primary), ""),
        "secondary": [link.term.code for link in action_lines if not link.is_primary],
    }
    for field, scheme in TERM_FIELDS.items():
        if field == "action_lines":
            continue
        if field == "sdg_targets":
            document[field] = [
                {"code": link.term.code, "evidence": link.evidence}
                for link in by_scheme.get(scheme, [])
            ]
        else:
            document[field] = [link.term.code for link in by_scheme.get(scheme, [])]
    # Only goals with evidence, so that equal content reads back equal.
    document["sdg_goal_evidence"] = {
        link.term.code: link.evidence for link in by_scheme.get("sdg-goals", []) if link.evidence
    }
    for field in (
        "partners", "funding_source", "funding_currency", "website", "links", "keywords",
        "contact_name", "contact_email",
    ):  # fmt: skip
        document[field] = getattr(revision, field)
    document["start_date"] = revision.start_date.isoformat() if revision.start_date else None
    document["end_date"] = revision.end_date.isoformat() if revision.end_date else None
    amount = revision.funding_amount
    document["funding_amount"] = str(amount) if amount is not None else None
    return document


def _detail(document: dict, name: str):
    """A detail field for comparing: an object without its empty texts (a document not yet
    validated, such as the editor's side of a conflict, may have them)."""
    value = document.get(name) or {}
    return {key: text for key, text in value.items() if text} if isinstance(value, dict) else value


def diff_documents(old: dict | None, new: dict) -> list[dict]:
    """Field-by-field differences, in form order: [{"field", "label", "old", "new"}]. A
    field counts as changed when one of its DETAIL_FIELDS did (the goals, when only their
    evidence changed)."""
    old = old or {}
    changes = []
    for field, label in FIELD_LABELS.items():
        before, after = old.get(field), new.get(field)
        details = [name for name, parent in DETAIL_FIELDS.items() if parent == field]
        if (before != after and (before or after)) or any(
            _detail(old, name) != _detail(new, name) for name in details
        ):
            changes.append({"field": field, "label": label, "old": before, "new": after})
    return changes
