"""Synthetic entries at scale, for benchmarks: realistic distributions over countries,
vocabularies, languages, states and text lengths. Written in bulk (not through the services,
which would take hours at 100k), then indexed for search; tests use the services instead."""

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from stocktake.organisations.models import Organisation
from stocktake.search.services import (
    search_index_entries,
    search_postings_clear,
    search_postings_rebuild,
)
from stocktake.vocabularies.models import Term

from .models import (
    Initiative,
    Origin,
    Revision,
    RevisionState,
    RevisionTerm,
    Status,
    Transition,
)

# Rough weights: larger and more digitally active states record more initiatives.
COUNTRY_WEIGHTS = {
    "EG": 12, "SA": 12, "AE": 11, "MA": 8, "JO": 7, "TN": 7, "QA": 6, "DZ": 5, "OM": 5,
    "BH": 4, "KW": 4, "LB": 4, "IQ": 4, "PS": 3, "SD": 2, "LY": 2, "MR": 2, "SY": 1,
    "YE": 1, "SO": 1, "DJ": 1, "KM": 1,
}  # fmt: skip
LANGUAGE_WEIGHTS = {"ar": 45, "en": 35, "fr": 20}
FRANCOPHONE = {"MA", "DZ", "TN", "MR", "LB", "DJ", "KM"}
STATE_WEIGHTS = {
    Status.PUBLISHED: 85, Status.SUBMITTED: 5, Status.DRAFT: 3,
    Status.CHANGES_REQUESTED: 3, Status.ARCHIVED: 2, Status.WITHDRAWN: 2,
}  # fmt: skip
ACTION_LINE_WEIGHTS = {
    "C7.1": 14, "C7.3": 10, "C7.4": 9, "C4": 9, "C7.2": 7, "C6": 7, "C2": 6, "C5": 6,
    "C3": 5, "C1": 5, "C7.7": 4, "C7.8": 4, "C7.6": 3, "C7.5": 3, "C8": 3, "C10": 3,
    "C11": 3, "C9": 2, "C7": 2,
}  # fmt: skip
GOAL_WEIGHTS = {
    "9": 14, "4": 12, "16": 9, "8": 9, "3": 8, "17": 8, "5": 5, "11": 5, "1": 4, "10": 4,
    "2": 4, "6": 3, "7": 3, "13": 3, "12": 2, "15": 1, "14": 1,
}  # fmt: skip

WORDS = {
    "en": (
        "digital government platform artificial intelligence data services citizens skills "
        "training national strategy innovation health education learning agriculture water "
        "cloud cybersecurity startups youth women inclusion connectivity broadband mobile "
        "identity payments open research centre ministry programme pilot network regional "
        "model language arabic analytics smart city infrastructure policy framework partners "
        "university private sector community rural access content portal system users results"
    ).split(),
    "fr": (
        "numérique gouvernement plateforme intelligence artificielle données services "
        "citoyens compétences formation stratégie nationale innovation santé éducation "
        "apprentissage agriculture eau nuage cybersécurité jeunes femmes inclusion "
        "connectivité haut débit mobile identité paiements ouverte recherche centre ministère "
        "programme pilote réseau régional modèle langue arabe analyse ville intelligente "
        "infrastructure politique cadre partenaires université secteur privé communauté "
        "rurale accès contenu portail usagers"
    ).split(),
    "ar": (
        "الحكومة الرقمية منصة الذكاء الاصطناعي البيانات الخدمات المواطنين المهارات التدريب "
        "الاستراتيجية الوطنية الابتكار الصحة التعليم التعلم الزراعة المياه الحوسبة السحابية "
        "الأمن السيبراني الشركات الناشئة الشباب المرأة الشمول الاتصال النطاق العريض الهاتف "
        "الهوية المدفوعات المفتوحة البحث مركز وزارة برنامج تجريبي شبكة إقليمي نموذج اللغة "
        "العربية التحليلات المدينة الذكية البنية التحتية السياسة إطار الشركاء الجامعة القطاع "
        "الخاص المجتمع الريفية الوصول المحتوى بوابة النظام المستخدمين النتائج"
    ).split(),
}
TYPES = [
    "project", "programme", "programme", "policy-strategy", "platform-service", "platform-service",
    "research", "capacity-building-training", "network-partnership", "dataset-open-data",
]  # fmt: skip
STATUSES = ["ongoing", "ongoing", "ongoing", "completed", "planned"]
COVERAGE = ["national"] * 4 + ["regional", "local", "sub-regional", "global"]
STAKEHOLDER_WEIGHTS = {
    "government": 40, "private-sector": 18, "academia": 14, "civil-society": 12,
    "un-agency": 6, "intergovernmental-organisation": 4, "technical-community": 4, "media": 2,
}  # fmt: skip


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# Words any entry may use, whatever its topic.
GENERIC_WORDS = {
    "en": "project support develop improve new use provide local public service work".split(),
    "fr": "projet soutien développer améliorer nouveau utiliser fournir public travail".split(),
    "ar": "مشروع دعم تطوير تحسين جديد استخدام توفير محلي عام عمل".split(),
}
TOPIC_SIZE = 12  # subject words per entry, of some 56: each is in about one entry in five
GENERIC_SHARE = 0.15


def _topic(rng: random.Random) -> list[int]:
    """An entry's subject: positions in the word lists, the same in each language."""
    return rng.sample(range(min(len(words) for words in WORDS.values())), TOPIC_SIZE)


def _text(rng: random.Random, language: str, low: int, high: int, topic: list[int]) -> str:
    """Text in `language` on the entry's topic, with some generic words, as real entries
    are: a word of one topic is rare across entries, so searches select as they would."""
    subject = [WORDS[language][n] for n in topic]
    words = [
        rng.choice(GENERIC_WORDS[language] if rng.random() < GENERIC_SHARE else subject)
        for _n in range(rng.randint(low, high))
    ]
    sentences, start = [], 0
    while start < len(words):
        length = rng.randint(8, 18)
        sentence = " ".join(words[start : start + length])
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        start += length
    return " ".join(sentences)


class _Vocab:
    def __init__(self):
        terms = Term.objects.filter(deprecated=False).select_related("scheme", "parent")
        self.by_scheme: dict[str, dict[str, Term]] = {}
        for term in terms:
            self.by_scheme.setdefault(term.scheme.identifier, {})[term.code] = term
        self.targets_by_goal: dict[str, list[Term]] = {}
        for target in self.by_scheme["sdg-targets"].values():
            self.targets_by_goal.setdefault(target.parent.code, []).append(target)

    def term(self, scheme: str, code: str) -> Term:
        return self.by_scheme[scheme][code]

    def codes(self, scheme: str) -> list[str]:
        return list(self.by_scheme[scheme])


def _organisations(rng: random.Random, vocab: _Vocab, count: int, run: str) -> list[Organisation]:
    organisations = []
    for n in range(count):
        country = _pick(rng, COUNTRY_WEIGHTS)
        kind = _pick(rng, STAKEHOLDER_WEIGHTS)
        name = " ".join(rng.choices(WORDS["en"], k=3)).title()
        organisations.append(
            Organisation(
                slug=f"gen-{run}-{n}",
                names={"en": f"{name} {n}", "ar": " ".join(rng.choices(WORDS["ar"], k=3))},
                stakeholder_type=vocab.term("stakeholder-types", kind),
                country=vocab.term("countries", country),
            )
        )
    return Organisation.objects.bulk_create(organisations, batch_size=500)


def generate(
    *,
    count: int,
    seed: int = 1,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create `count` synthetic entries; returns how many were made."""
    rng = random.Random(seed)
    vocab = _Vocab()
    run = f"{seed}-{Initiative.objects.count()}"
    organisations = _organisations(rng, vocab, max(5, count // 40), run)
    now = timezone.now()
    made = 0
    # The ready matches are chosen afresh at the end: kept in step, each batch would rewrite
    # the bitmaps of every common term.
    search_postings_clear()
    while made < count:
        size = min(batch_size, count - made)
        with transaction.atomic():
            _batch(rng, vocab, organisations, size, now)
        made += size
        if progress:
            progress(size)
    # The common terms of the whole index now (postings.py), as a rebuild would choose them.
    search_postings_rebuild()
    return made


def _batch(rng, vocab, organisations, size, now) -> None:
    initiatives, plans = [], []
    for _ in range(size):
        organisation = rng.choice(organisations)
        status = _pick(rng, STATE_WEIGHTS)
        published = status in (Status.PUBLISHED, Status.ARCHIVED) or (
            status == Status.WITHDRAWN and rng.random() < 0.5
        )
        when = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1440))
        confirmed = when + timedelta(days=rng.randint(0, 300)) if published else None
        initiatives.append(
            Initiative(
                status=status,
                organisation=organisation,
                origin=Origin.IMPORTED if rng.random() < 0.2 else Origin.SUBMITTED,
                is_good_practice=published and rng.random() < 0.05,
                submitted_at=when - timedelta(days=3) if status != Status.DRAFT else None,
                published_at=when if published else None,
                last_published_at=when if published else None,
                last_confirmed_at=min(confirmed, now) if confirmed else None,
            )
        )
        plans.append((published, status, when))
    initiatives = Initiative.objects.bulk_create(initiatives)

    revisions = []
    for initiative, (published, status, _when) in zip(initiatives, plans, strict=True):
        country = initiative.organisation.country.code if initiative.organisation.country else "EG"
        languages = dict(LANGUAGE_WEIGHTS)
        if country in FRANCOPHONE:
            languages["fr"] += 30
        original = _pick(rng, languages)
        texts = [original]
        if rng.random() < 0.3:
            texts.append(rng.choice([code for code in LANGUAGE_WEIGHTS if code != original]))
        state = (
            RevisionState.PUBLISHED
            if published
            else {
                Status.SUBMITTED: RevisionState.SUBMITTED,
                Status.CHANGES_REQUESTED: RevisionState.CHANGES_REQUESTED,
            }.get(status, RevisionState.DRAFT)
        )
        topic = _topic(rng)
        start = date(2012, 1, 1) + timedelta(days=rng.randint(0, 4700))
        end = start + timedelta(days=rng.randint(180, 2000)) if rng.random() < 0.4 else None
        revisions.append(
            Revision(
                initiative=initiative,
                number=1,
                state=state,
                original_language=original,
                title={lang: _text(rng, lang, 4, 12, topic).rstrip(".") for lang in texts},
                summary={lang: _text(rng, lang, 40, 90, topic) for lang in texts},
                description={lang: _text(rng, lang, 120, 600, topic) for lang in texts},
                objectives={lang: _text(rng, lang, 20, 80, topic) for lang in texts},
                results={lang: _text(rng, lang, 0, 120, topic) for lang in texts},
                initiative_type=vocab.term("initiative-types", rng.choice(TYPES)),
                implementation_status=vocab.term("statuses", rng.choice(STATUSES)),
                coverage=vocab.term("coverage", rng.choice(COVERAGE)),
                start_date=start,
                end_date=end,
                keywords=[WORDS["en"][n] for n in topic[: rng.randint(0, 5)]],
            )
        )  # fmt: skip
    revisions = Revision.objects.bulk_create(revisions)

    links, transitions = [], []
    for initiative, revision, (published, status, _when) in zip(
        initiatives, revisions, plans, strict=True
    ):
        if published:
            initiative.published_revision = revision
        else:
            initiative.working_revision = revision
        chosen: dict[int, RevisionTerm] = {}

        def add(scheme: str, code: str, primary: bool = False, revision=revision, chosen=chosen):
            term = vocab.term(scheme, code)
            chosen.setdefault(
                term.pk, RevisionTerm(revision=revision, term=term, is_primary=primary)
            )

        add("wsis-action-lines", _pick(rng, ACTION_LINE_WEIGHTS), primary=True)
        for _ in range(rng.randint(0, 3)):
            add("wsis-action-lines", _pick(rng, ACTION_LINE_WEIGHTS))
        for _ in range(rng.randint(1, 3)):
            goal = _pick(rng, GOAL_WEIGHTS)
            add("sdg-goals", goal)
            for target in rng.sample(vocab.targets_by_goal[goal], k=rng.randint(0, 2)):
                add("sdg-targets", target.code)
        for scheme, low, high in (
            ("gdc-objectives", 0, 2), ("wsis-targets", 0, 2), ("technologies", 1, 4),
            ("beneficiary-groups", 1, 3),
        ):  # fmt: skip
            codes = vocab.codes(scheme)
            for code in rng.sample(codes, k=min(len(codes), rng.randint(low, high))):
                add(scheme, code)
        country = initiative.organisation.country.code if initiative.organisation.country else "EG"
        add("countries", country)
        if rng.random() < 0.15:
            for code in rng.sample(list(COUNTRY_WEIGHTS), k=rng.randint(1, 5)):
                add("countries", code)
        links.extend(chosen.values())
        transitions.append(
            Transition(
                initiative=initiative,
                revision=revision,
                action="import" if initiative.origin == Origin.IMPORTED else "create",
                from_status="",
                to_status=status,
            )
        )
    Initiative.objects.bulk_update(
        initiatives, ["published_revision", "working_revision"], batch_size=500
    )
    RevisionTerm.objects.bulk_create(links, batch_size=2000)
    Transition.objects.bulk_create(transitions, batch_size=2000)
    search_index_entries(ids=[initiative.pk for initiative in initiatives])
