"""What a person types in the search box, parsed into analysed clauses.

    cybersécurité "e-government services" -pilot

Every bare word is required (AND); a word in quotes belongs to a phrase; a word or phrase
with a leading minus is excluded. Each written word becomes the terms it may have been
indexed under (analysis.query_alternatives), so one clause matches any of them.
"""

import re
from dataclasses import dataclass, field
from itertools import islice, product

from .analysis import SEPARATOR, query_alternatives, tokenize

MAX_QUERY_LENGTH = 300
MAX_CLAUSES = 12
# A phrase of words with several possible forms expands to every combination; beyond this
# many the rarest combinations are dropped.
MAX_PHRASE_VARIANTS = 16

_PIECE = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
# Quotation marks and minus signs as keyboards in the three languages type them.
_TYPOGRAPHY = str.maketrans({**dict.fromkeys("“”«»„‟″", '"'), "\u2212": "-", "\u2013": "-"})


@dataclass(frozen=True)
class Clause:
    words: tuple[str, ...]  # as written (for suggestions)
    # Each alternative is a sequence of terms: a phrase when it has more than one.
    alternatives: tuple[tuple[str, ...], ...]
    excluded: bool = False


@dataclass(frozen=True)
class SearchQuery:
    text: str
    clauses: tuple[Clause, ...] = field(default=())

    @property
    def required(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if not clause.excluded)

    @property
    def excluded(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if clause.excluded)

    @property
    def terms(self) -> set[str]:
        """Every term a required clause may match (for highlighting)."""
        return {
            term
            for clause in self.required
            for alternative in clause.alternatives
            for term in alternative
        }

    def __bool__(self) -> bool:
        return bool(self.clauses)


def _clause(words: list[str], excluded: bool) -> Clause | None:
    forms = [[term for term in query_alternatives(word) if term != SEPARATOR] for word in words]
    kept = [(word, options) for word, options in zip(words, forms, strict=True) if options]
    if not kept:
        return None  # only stopwords: nothing to look for
    alternatives = tuple(islice(product(*(options for _w, options in kept)), MAX_PHRASE_VARIANTS))
    return Clause(
        words=tuple(word for word, _o in kept), alternatives=alternatives, excluded=excluded
    )


def parse_query(text: str) -> SearchQuery:
    """Never fails: what cannot be searched for (punctuation, stopwords) is left out."""
    text = " ".join((text or "").translate(_TYPOGRAPHY).split())[:MAX_QUERY_LENGTH]
    clauses = []
    for match in _PIECE.finditer(text):
        phrase_minus, phrase, word_minus, word = match.groups()
        excluded = bool(phrase_minus if phrase is not None else word_minus)
        # A hyphenated or elided word ("e-health", "l'IA") is a phrase of its parts.
        words = tokenize(phrase if phrase is not None else word)
        clause = _clause(words, excluded) if words else None
        if clause and clause not in clauses:
            clauses.append(clause)
    return SearchQuery(text=text, clauses=tuple(clauses[:MAX_CLAUSES]))


def with_alternatives(query: SearchQuery, extra: dict[str, list[str]]) -> SearchQuery:
    """The query with more terms allowed for some one-word clauses ({written word: terms}),
    as spelling tolerance adds them."""
    clauses = []
    for clause in query.clauses:
        more = extra.get(clause.words[0]) if len(clause.words) == 1 else None
        if more and not clause.excluded:
            known = {alternative[0] for alternative in clause.alternatives}
            added = tuple((term,) for term in more if term not in known)
            clause = Clause(clause.words, clause.alternatives + added, clause.excluded)
        clauses.append(clause)
    return SearchQuery(text=query.text, clauses=tuple(clauses))
