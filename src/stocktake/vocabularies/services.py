"""Writes to the vocabularies: loading the data files into the database, idempotently."""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .datafiles import CrosswalkData, SchemeData, read_data_dir
from .models import Crosswalk, CrosswalkLink, Scheme, Term

# Where the schemes appear in lists; schemes not named here follow, by identifier.
DISPLAY_ORDER = [
    "wsis-action-lines",
    "sdg-goals",
    "sdg-targets",
    "gdc-objectives",
    "wsis-targets",
    "technologies",
    "stakeholder-types",
    "initiative-types",
    "statuses",
    "coverage",
    "beneficiary-groups",
    "countries",
    "regions",
]


class VocabularyDataError(Exception):
    """The data files are not loadable; `problems` says why, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    deprecated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deprecated)


@dataclass
class LoadReport:
    schemes: dict[str, LoadCounts] = field(default_factory=dict)
    crosswalks: dict[str, LoadCounts] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.changed for c in [*self.schemes.values(), *self.crosswalks.values()])


def _sort_order(identifier: str) -> int:
    if identifier in DISPLAY_ORDER:
        return DISPLAY_ORDER.index(identifier)
    return len(DISPLAY_ORDER)


def _scheme_upsert(*, data: SchemeData, counts: LoadCounts) -> Scheme:
    parent_scheme = (
        Scheme.objects.get(identifier=data.parent_scheme) if data.parent_scheme else None
    )
    wanted = {
        "version": data.version,
        "labels": data.labels,
        "descriptions": data.descriptions,
        "source": data.source,
        "parent_scheme": parent_scheme,
        "sort_order": _sort_order(data.identifier),
    }
    scheme = Scheme.objects.filter(identifier=data.identifier).first()
    if scheme is None:
        counts.created += 1
        return Scheme.objects.create(identifier=data.identifier, **wanted)
    changed = [name for name, value in wanted.items() if getattr(scheme, name) != value]
    if changed:
        for name in changed:
            setattr(scheme, name, wanted[name])
        scheme.save(update_fields=changed)
        counts.updated += 1
    return scheme


def scheme_load(*, data: SchemeData) -> LoadCounts:
    """Create or update one scheme and its terms; terms no longer in the data are deprecated."""
    counts = LoadCounts()
    scheme = _scheme_upsert(data=data, counts=counts)
    existing = {term.code: term for term in Term.objects.filter(scheme=scheme)}
    parent_scheme = scheme.parent_scheme or scheme

    fields = ["sort_order", "labels", "descriptions", "extra", "deprecated"]
    to_create: list[Term] = []
    to_update: list[Term] = []
    for order, item in enumerate(data.terms):
        wanted = {
            "sort_order": order,
            "labels": item.labels,
            "descriptions": item.descriptions,
            "extra": item.extra,
            "deprecated": False,
        }
        term = existing.get(item.code)
        if term is None:
            to_create.append(Term(scheme=scheme, code=item.code, **wanted))
        elif any(getattr(term, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(term, name, value)
            to_update.append(term)
    Term.objects.bulk_create(to_create)
    Term.objects.bulk_update(to_update, fields)

    # Parents, once every term of the scheme exists.
    terms = {term.code: term for term in Term.objects.filter(scheme=scheme)}
    parents = (
        terms
        if parent_scheme == scheme
        else {t.code: t for t in Term.objects.filter(scheme=parent_scheme)}
    )
    reparented = []
    for item in data.terms:
        term = terms[item.code]
        parent_id = parents[item.parent].pk if item.parent else None
        if term.parent_id != parent_id:
            term.parent_id = parent_id
            reparented.append(term)
    Term.objects.bulk_update(reparented, ["parent"])

    created = {term.code for term in to_create}
    updated = {term.code for term in [*to_update, *reparented]} - created
    counts.created += len(created)
    counts.updated += len(updated)
    counts.unchanged += len(data.terms) - len(created) - len(updated)
    counts.deprecated += (
        Term.objects.filter(scheme=scheme, deprecated=False)
        .exclude(code__in=[item.code for item in data.terms])
        .update(deprecated=True)
    )
    return counts


def crosswalk_load(*, data: CrosswalkData) -> LoadCounts:
    """Create or update one crosswalk; links no longer in the data are removed."""
    counts = LoadCounts()
    from_scheme = Scheme.objects.get(identifier=data.from_scheme)
    to_scheme = Scheme.objects.get(identifier=data.to_scheme)
    wanted = {
        "version": data.version,
        "labels": data.labels,
        "source": data.source,
        "from_scheme": from_scheme,
        "to_scheme": to_scheme,
    }
    crosswalk = Crosswalk.objects.filter(identifier=data.identifier).first()
    if crosswalk is None:
        crosswalk = Crosswalk.objects.create(identifier=data.identifier, **wanted)
        counts.created += 1
    elif changed := [name for name, value in wanted.items() if getattr(crosswalk, name) != value]:
        for name in changed:
            setattr(crosswalk, name, wanted[name])
        crosswalk.save(update_fields=changed)
        counts.updated += 1

    from_ids = dict(Term.objects.filter(scheme=from_scheme).values_list("code", "pk"))
    to_ids = dict(Term.objects.filter(scheme=to_scheme).values_list("code", "pk"))
    wanted_pairs = {
        (from_ids[from_code], to_ids[to_code])
        for from_code, to_codes in data.links.items()
        for to_code in to_codes
    }
    existing = set(crosswalk.links.values_list("from_term_id", "to_term_id"))
    CrosswalkLink.objects.bulk_create(
        CrosswalkLink(crosswalk=crosswalk, from_term_id=f, to_term_id=t)
        for f, t in sorted(wanted_pairs - existing)
    )
    stale = existing - wanted_pairs
    for from_id, to_id in stale:
        crosswalk.links.filter(from_term_id=from_id, to_term_id=to_id).delete()
    counts.created += len(wanted_pairs - existing)
    counts.deprecated += len(stale)
    counts.unchanged += len(wanted_pairs & existing)
    return counts


@transaction.atomic
def vocabulary_load_all(*, data_dir: Path | None = None) -> LoadReport:
    """Load every scheme and crosswalk in `data_dir`; all or nothing.

    Running it twice changes nothing; a new version of a file updates labels in place and
    deprecates vanished terms, so references from entries keep working.
    """
    languages = [code for code, _name in settings.LANGUAGES]
    dataset = read_data_dir(data_dir or settings.VOCABULARY_DATA_DIR, languages)
    if dataset.problems:
        raise VocabularyDataError(dataset.problems)
    report = LoadReport()
    for scheme in dataset.schemes:
        report.schemes[scheme.identifier] = scheme_load(data=scheme)
    for crosswalk in dataset.crosswalks:
        report.crosswalks[crosswalk.identifier] = crosswalk_load(data=crosswalk)
    return report
