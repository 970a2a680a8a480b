"""Reading and validating the vocabulary data files (see data/README.md).

Pure functions over files: the system checks and the loader share them, so a file that the
checks accept is a file the loader can load.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class TermData:
    code: str
    parent: str | None
    labels: dict[str, str]
    descriptions: dict[str, str]
    extra: dict


@dataclass(frozen=True)
class SchemeData:
    identifier: str
    version: str
    source: str
    parent_scheme: str | None
    labels: dict[str, str]
    descriptions: dict[str, str]
    terms: list[TermData]
    path: Path


@dataclass(frozen=True)
class CrosswalkData:
    identifier: str
    version: str
    source: str
    from_scheme: str
    to_scheme: str
    labels: dict[str, str]
    links: dict[str, list[str]]
    path: Path


@dataclass
class DataSet:
    schemes: list[SchemeData] = field(default_factory=list)
    crosswalks: list[CrosswalkData] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _missing_languages(texts: dict, languages: list[str]) -> list[str]:
    return [code for code in languages if not str(texts.get(code) or "").strip()]


def _read_json(path: Path, problems: list[str]) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(f"{path.name}: cannot be read as UTF-8 JSON ({exc}).")
        return None
    if not isinstance(data, dict):
        problems.append(f"{path.name}: the top level must be a JSON object.")
        return None
    return data


def _read_scheme(path: Path, languages: list[str], problems: list[str]) -> SchemeData | None:
    data = _read_json(path, problems)
    if data is None:
        return None
    name = path.name
    for key in ("scheme", "version", "labels", "terms"):
        if key not in data:
            problems.append(f"{name}: the key {key!r} is missing.")
            return None
    if data["scheme"] != path.stem:
        problems.append(f"{name}: declares scheme {data['scheme']!r}; it must match the file name.")
    if missing := _missing_languages(data["labels"], languages):
        problems.append(f"{name}: the scheme has no label in {', '.join(missing)}.")
    terms: list[TermData] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["terms"]):
        code = str(raw.get("code") or "").strip()
        if not code:
            problems.append(f"{name}: term #{index + 1} has no code.")
            continue
        if code in seen:
            problems.append(f"{name}: the code {code!r} is used twice.")
            continue
        seen.add(code)
        labels = raw.get("labels") or {}
        descriptions = raw.get("descriptions") or {}
        if missing := _missing_languages(labels, languages):
            problems.append(f"{name}: term {code!r} has no label in {', '.join(missing)}.")
        if descriptions and (missing := _missing_languages(descriptions, languages)):
            problems.append(f"{name}: term {code!r} has no description in {', '.join(missing)}.")
        parent = raw.get("parent")
        terms.append(
            TermData(
                code=code,
                parent=str(parent) if parent not in (None, "") else None,
                labels=labels,
                descriptions=descriptions,
                extra=raw.get("extra") or {},
            )
        )
    return SchemeData(
        identifier=data["scheme"],
        version=str(data["version"]),
        source=data.get("source", ""),
        parent_scheme=data.get("parent_scheme"),
        labels=data["labels"],
        descriptions=data.get("descriptions") or {},
        terms=terms,
        path=path,
    )


def _read_crosswalk(path: Path, languages: list[str], problems: list[str]) -> CrosswalkData | None:
    data = _read_json(path, problems)
    if data is None:
        return None
    name = f"crosswalks/{path.name}"
    for key in ("crosswalk", "version", "from_scheme", "to_scheme", "labels", "links"):
        if key not in data:
            problems.append(f"{name}: the key {key!r} is missing.")
            return None
    if missing := _missing_languages(data["labels"], languages):
        problems.append(f"{name}: the crosswalk has no label in {', '.join(missing)}.")
    return CrosswalkData(
        identifier=data["crosswalk"],
        version=str(data["version"]),
        source=data.get("source", ""),
        from_scheme=data["from_scheme"],
        to_scheme=data["to_scheme"],
        labels=data["labels"],
        links={str(key): [str(code) for code in codes] for key, codes in data["links"].items()},
        path=path,
    )


def _check_references(dataset: DataSet) -> None:
    codes = {scheme.identifier: {term.code for term in scheme.terms} for scheme in dataset.schemes}
    for scheme in dataset.schemes:
        parent_scheme = scheme.parent_scheme or scheme.identifier
        if parent_scheme not in codes:
            dataset.problems.append(
                f"{scheme.path.name}: parent_scheme {parent_scheme!r} does not exist."
            )
            continue
        for term in scheme.terms:
            if term.parent and term.parent not in codes[parent_scheme]:
                dataset.problems.append(
                    f"{scheme.path.name}: term {term.code!r} has the parent {term.parent!r}, "
                    f"which is not a term of {parent_scheme!r}."
                )
    for crosswalk in dataset.crosswalks:
        name = f"crosswalks/{crosswalk.path.name}"
        for role, scheme_id in (("from", crosswalk.from_scheme), ("to", crosswalk.to_scheme)):
            if scheme_id not in codes:
                dataset.problems.append(f"{name}: {role}_scheme {scheme_id!r} does not exist.")
        if crosswalk.from_scheme not in codes or crosswalk.to_scheme not in codes:
            continue
        for from_code, to_codes in crosswalk.links.items():
            if from_code not in codes[crosswalk.from_scheme]:
                dataset.problems.append(
                    f"{name}: links from {from_code!r}, which is not a term of "
                    f"{crosswalk.from_scheme!r}."
                )
            for to_code in to_codes:
                if to_code not in codes[crosswalk.to_scheme]:
                    dataset.problems.append(
                        f"{name}: links {from_code!r} to {to_code!r}, which is not a term of "
                        f"{crosswalk.to_scheme!r}."
                    )


def _dependency_order(schemes: list[SchemeData]) -> list[SchemeData]:
    """Schemes whose terms others use as parents come first."""
    by_id = {scheme.identifier: scheme for scheme in schemes}
    ordered: list[SchemeData] = []
    placed: set[str] = set()

    def place(scheme: SchemeData, trail: tuple[str, ...] = ()) -> None:
        if scheme.identifier in placed or scheme.identifier in trail:
            return
        parent = by_id.get(scheme.parent_scheme or "")
        if parent is not None and parent is not scheme:
            place(parent, (*trail, scheme.identifier))
        placed.add(scheme.identifier)
        ordered.append(scheme)

    for scheme in schemes:
        place(scheme)
    return ordered


def read_data_dir(directory: Path, languages: list[str]) -> DataSet:
    """Read every scheme and crosswalk file in `directory` and report what is wrong."""
    dataset = DataSet()
    if not directory.is_dir():
        dataset.problems.append(f"The vocabulary folder {directory} does not exist.")
        return dataset
    for path in sorted(directory.glob("*.json")):
        if scheme := _read_scheme(path, languages, dataset.problems):
            dataset.schemes.append(scheme)
    for path in sorted((directory / "crosswalks").glob("*.json")):
        if crosswalk := _read_crosswalk(path, languages, dataset.problems):
            dataset.crosswalks.append(crosswalk)
    dataset.schemes = _dependency_order(dataset.schemes)
    _check_references(dataset)
    return dataset
