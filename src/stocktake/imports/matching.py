"""Recognising what people type in spreadsheets: vocabulary terms by code or by label in any
language, countries as the UN and ITU lists write them, organisations by name or acronym.

Everything is compared folded (case, accents, Arabic letter variants, punctuation), and a
value that matches nothing gets the nearest known label as a suggestion.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info
from rapidfuzz import fuzz, process

from stocktake.core.i18n import localized
from stocktake.organisations.models import Organisation
from stocktake.search.analysis import fold
from stocktake.vocabularies.models import Term

# Names the UN and ITU lists use that the ISO 3166-1 labels of countries.json do not
# (sources: UNTERM country short and formal names; ITU member states list). Matching also
# inverts "X (Y)" and "X, Y" to "Y X", so "TANZANIA (UNITED REPUBLIC OF)" meets
# "United Republic of Tanzania" here.
COUNTRY_ALIASES = {
    "BO": ["Plurinational State of Bolivia"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "جمهورية الكونغو الديمقراطية"],
    "CG": ["Republic of the Congo"],
    "CI": ["Ivory Coast"],
    "CV": ["Cape Verde"],
    "CZ": ["Czech Republic"],
    "FM": ["Micronesia"],
    "GB": ["United Kingdom of Great Britain and Northern Ireland", "Great Britain", "UK"],
    "IR": ["Islamic Republic of Iran"],
    "KP": ["Democratic People's Republic of Korea"],
    "KR": ["Republic of Korea", "Korea"],
    "LA": ["Lao People's Democratic Republic"],
    "LY": ["Libyan Arab Jamahiriya", "State of Libya"],
    "MD": ["Republic of Moldova"],
    "MK": ["The former Yugoslav Republic of Macedonia", "Republic of North Macedonia"],
    "NL": ["Kingdom of the Netherlands"],
    "PS": ["State of Palestine", "Palestine", "فلسطين", "État de Palestine"],
    "RU": ["Russia"],
    "SY": ["Syrian Arab Republic", "الجمهورية العربية السورية", "République arabe syrienne"],
    "SZ": ["Swaziland", "Kingdom of Eswatini"],
    "TR": ["Turkey", "Republic of Türkiye"],
    "TZ": ["United Republic of Tanzania", "République-Unie de Tanzanie"],
    "US": ["United States of America", "USA"],
    "VA": ["Holy See"],
    "VE": ["Bolivarian Republic of Venezuela"],
    "VN": ["Viet Nam"],
    "AE": ["UAE"],
    "EG": ["Arab Republic of Egypt", "جمهورية مصر العربية"],
    "SA": ["Kingdom of Saudi Arabia", "KSA", "المملكة العربية السعودية"],
}
_NON_WORD = re.compile(r"[\W_]+")
_LEADING_ARTICLE = re.compile(r"^(the|l|la|le|les)\s+")
_PARENTHESIS = re.compile(r"^(?P<base>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")
# "C7.1", "c7 .1", "C7.1 E-government", "C4: Capacity building".
_ACTION_LINE_CODE = re.compile(
    r"^c\s*(\d{1,2})(?:\s*\.\s*(\d))?(?=$|[\s:\u2013\u2014-])", re.IGNORECASE
)
SPLIT_STRONG = re.compile(r"[;\n\r]+")
SUGGEST_SCORE = 60


def label_key(text: str) -> str:
    """A label folded for comparison: case, accents, Arabic variants, punctuation."""
    key = _NON_WORD.sub(" ", fold(str(text))).strip()
    return _LEADING_ARTICLE.sub("", key)


def code_key(text: str) -> str:
    return re.sub(r"\s+", "", fold(str(text)))


def _variants(text: str) -> tuple[list[str], list[str]]:
    """Keys for a name: exact ones (as written, and "X (Y)" / "X, Y" inverted to "Y X"),
    and loose ones (the part before the parenthesis or comma), tried only if exact fail."""
    text = str(text).strip()
    exact, loose = [label_key(text)], []
    match = _PARENTHESIS.match(text)
    if match:
        exact.append(label_key(f"{match['inner']} {match['base']}"))
        loose.append(label_key(match["base"]))
    elif text.count(",") == 1:
        base, inner = text.split(",")
        exact.append(label_key(f"{inner} {base}"))
        loose.append(label_key(base))
    return [k for k in exact if k], [k for k in loose if k]


@dataclass
class Miss:
    value: str
    suggestion: str = ""


class SchemeMatcher:
    """Terms of one scheme by code (any case and spacing) or label in any language."""

    def __init__(self, scheme: str, terms: list[Term], aliases: dict | None = None):
        self.scheme = scheme
        self.codes: dict[str, str] = {}
        self.exact: dict[str, str] = {}
        self.loose: dict[str, set[str]] = {}
        self.labels: dict[str, str] = {}  # display label -> code, for suggestions
        for term in terms:
            self.codes[code_key(term.code)] = term.code
            for key in ("alpha3",):
                if term.extra.get(key):
                    self.codes[code_key(term.extra[key])] = term.code
            names = list(term.labels.values()) + (aliases or {}).get(term.code, [])
            for name in names:
                if not name:
                    continue
                exact, loose = _variants(name)
                for key in exact:
                    self.exact.setdefault(key, term.code)
                for key in loose:
                    self.loose.setdefault(key, set()).add(term.code)
            self.labels[localized(term.labels) or term.code] = term.code
        self._suggest_keys = {label_key(label): label for label in self.labels}

    def match(self, value: str, *, loose: bool = True) -> str | None:
        """The code `value` names, or None. `loose` also tries the part of "X (Y)" or
        "X, Y" before the parenthesis or comma, when it names one term only."""
        value = str(value).strip()
        if not value:
            return None
        code = self.codes.get(code_key(value))
        if code:
            return code
        if self.scheme == "wsis-action-lines":
            found = _ACTION_LINE_CODE.match(value)
            if found:
                code = self.codes.get(
                    code_key(f"C{found[1]}" + (f".{found[2]}" if found[2] else ""))
                )
                if code:
                    return code
        exact, shortened = _variants(value)
        for key in exact:
            if key in self.exact:
                return self.exact[key]
        if not loose:
            return None
        for key in exact + shortened:
            codes = self.loose.get(key, set())
            if key in self.exact:
                return self.exact[key]
            if len(codes) == 1:
                return next(iter(codes))
        return None

    def suggest(self, value: str) -> str:
        if not self._suggest_keys:
            return ""
        found = process.extractOne(label_key(value), list(self._suggest_keys), scorer=fuzz.WRatio)
        if found and found[1] >= SUGGEST_SCORE:
            return self._suggest_keys[found[0]]
        return ""

    def match_one(self, value: str) -> tuple[str | None, Miss | None]:
        code = self.match(value)
        if code or not str(value).strip():
            return code, None
        return None, Miss(str(value).strip(), self.suggest(value))

    def match_many(self, value: str) -> tuple[list[str], list[Miss]]:
        """Several values in one cell, separated by ";", new lines, or commas (a comma-
        separated piece is split only when the whole piece is not itself a label, such as
        "Korea, Republic of")."""
        codes: list[str] = []
        misses: list[Miss] = []
        for piece in SPLIT_STRONG.split(str(value)):
            piece = piece.strip()
            if not piece:
                continue
            code = self.match(piece, loose=False)
            if code:
                codes.append(code)
                continue
            parts = [part.strip() for part in piece.split(",") if part.strip()]
            found = [self.match(part) for part in parts]
            if len(parts) > 1 and all(found):
                codes.extend(found)
                continue
            code = self.match(piece)
            if code:
                codes.append(code)
                continue
            misses.append(Miss(piece, self.suggest(piece)))
        return list(dict.fromkeys(codes)), misses


class Vocabularies:
    """All schemes an import may name, loaded once per run."""

    def __init__(self):
        by_scheme: dict[str, list[Term]] = {}
        terms = Term.objects.filter(deprecated=False).select_related("scheme")
        for term in terms.order_by("scheme__identifier", "sort_order"):
            by_scheme.setdefault(term.scheme.identifier, []).append(term)
        self.schemes = {
            scheme: SchemeMatcher(scheme, terms, COUNTRY_ALIASES if scheme == "countries" else None)
            for scheme, terms in by_scheme.items()
        }

    def __getitem__(self, scheme: str) -> SchemeMatcher:
        return self.schemes.get(scheme) or SchemeMatcher(scheme, [])


def language_matcher() -> dict[str, str]:
    """Language code or name (in English, in itself, in any site language) -> code."""
    keys: dict[str, str] = {}
    for code, name in settings.LANGUAGES:
        info = get_language_info(code)
        for text in (code, name, info["name"], info["name_local"], info["name_translated"]):
            keys[label_key(str(text))] = code
    extra = {"ar": ["arabe", "arabic", "عربي"], "en": ["anglais", "إنجليزي"], "fr": ["french"]}
    for code, names in extra.items():
        if code in dict(settings.LANGUAGES):
            for name in names:
                keys.setdefault(label_key(name), code)
    return keys


class Organisations:
    """Existing organisations by number, by name in any language, or by acronym."""

    def __init__(self):
        self.by_id: dict[int, Organisation] = {}
        self.by_name: dict[str, set[int]] = {}
        self.by_acronym: dict[str, set[int]] = {}
        for organisation in Organisation.objects.only("pk", "names", "acronym", "slug"):
            self.add(organisation)

    def add(self, organisation: Organisation) -> None:
        self.by_id[organisation.pk] = organisation
        for name in (organisation.names or {}).values():
            if name:
                self.by_name.setdefault(label_key(name), set()).add(organisation.pk)
        if organisation.acronym:
            self.by_acronym.setdefault(label_key(organisation.acronym), set()).add(organisation.pk)

    def find(self, *, names: list[str], acronym: str) -> tuple[Organisation | None, bool]:
        """(organisation, ambiguous): by any of the names, then by acronym."""
        for source, keys in ((self.by_name, names), (self.by_acronym, [acronym])):
            found: set[int] = set()
            for key in keys:
                if key:
                    found |= source.get(label_key(key), set())
            if len(found) == 1:
                return self.by_id[found.pop()], False
            if len(found) > 1:
                return None, True
        return None, False
