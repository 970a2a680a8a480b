"""The one text analysis behind both search backends (SQLite FTS5 and PostgreSQL).

Text is analysed here, in Python, and the terms are stored space-separated in FTS5 and in
`simple` tsvectors, so both backends match exactly the same terms. The pipeline, per word:

1. Normalise the whole text (`fold`): NFKC, case folding, then Arabic normalisation
   (harakat, Quranic marks and tatweel removed; أ إ آ ٱ → ا; ى → ي; ة → ه; ؤ → و; ئ → ي;
   Arabic-Indic digits → 0-9; a few Persian/Maghrebi letters to their Arabic equivalent;
   zero-width and bidi marks removed), then accent folding (NFD, marks dropped; œ → oe...).
2. Split into words (`tokenize`): a run of Arabic letters, or a run of Latin letters and
   digits (apostrophes inside kept: "l'intelligence"). A word never mixes scripts.
3. Each word by its own script (`analyze_word`), so one word = one term and phrases keep
   their word positions:
   - stopwords are dropped (small curated lists below);
   - Latin with a digit ("5g", "2030") is kept as is; other Latin words lose French elision
     (l' d' qu'...) and the English possessive 's, then go to the Snowball stemmer of the
     text's language (English when the language is unknown or Arabic);
   - Arabic words lose the article and its attached conjunctions and prepositions
     (وال، بال، لل...), then the Snowball Arabic noun suffixes (and accusative ـا), then
     single-letter proclitics (و ف ب ك ل) when a long enough stem remains.
   Every term is made of [0-9a-z] or Arabic letters U+0621-U+064A only, so it can go
   into an FTS5 or to_tsquery expression unquoted.

A search word's language is unknown, so `query_alternatives` gives every form it may have
been indexed under (English and French stems of a Latin word).

Two deliberate departures from "stem, then fold accents" (both are consistency choices:
a query and a document must come out the same whichever way the word was typed):
- French is stemmed after accent folding, with the accents Snowball's rules need put back
  on the endings where they are unambiguous (-ée, -ité, -ière). Stemming the accented word
  made "données"/"donnees" and "sécurité"/"securite" different terms (a quarter of the
  accented words in the demo data), and people search without accents.
- Snowball Arabic guesses noun or verb from the article: without it, it applies verb
  rules that mangle nouns (بيانات → يانا, but البيانات → بيان). The article is already
  stripped here, so every word is given to Snowball as a definite noun ("ال" + word).
"""

# This module is about Arabic letters, accents and apostrophes that look alike on purpose.
# ruff: noqa: RUF001, RUF002, RUF003

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

LANGUAGES = ("ar", "en", "fr")

# Put between values (two titles, two organisation names) and at the end of every column, so
# that a quoted phrase never runs from one value into the next. No written word looks like it,
# and the query parser drops it.
SEPARATOR = "0sep0"
# Joins two adjacent terms into one word pair (never part of a term).
PAIR = "|"

# --- Normalisation -------------------------------------------------------------------------

_DELETED = (
    "\u0610-\u061a"  # Arabic honorific signs
    "\u064b-\u065f"  # harakat: tanwin, short vowels, shadda, sukun...
    "\u0670"  # superscript alef
    "\u06d6-\u06ed"  # Quranic annotation marks
    "\u0640"  # tatweel
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"  # invisible
)
_FOLD_TABLE = str.maketrans(
    {
        **dict.fromkeys(map(ord, "أإآٱ\u0672\u0673"), "ا"),
        "ى": "ي",
        # ة and a final ه are written for each other all the time; folded together here.
        # (The Arabic analysis turns a final ه back into ة for Snowball's feminine rule.)
        "ة": "ه",
        # Hamza on a carrier is often typed as the bare carrier (موسسة for مؤسسة); this
        # is also what Snowball Arabic itself does to a hamza inside a word. A standalone
        # ء is kept.
        "ؤ": "و",
        "ئ": "ي",
        # Persian keyboards and Maghrebi spelling of foreign sounds: nearest Arabic letter.
        "ی": "ي",
        "ک": "ك",
        "گ": "ك",
        "ڤ": "ف",
        "ڨ": "ق",
        "پ": "ب",
        "چ": "ج",
        "ە": "ه",
        **{ord(digit): str(value) for value, digit in enumerate("٠١٢٣٤٥٦٧٨٩")},
        **{ord(digit): str(value) for value, digit in enumerate("۰۱۲۳۴۵۶۷۸۹")},
        # Latin letters NFD does not decompose.
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        **dict.fromkeys(map(ord, "’‘ʼ`´′"), "'"),
    }
)
_INVISIBLE = re.compile(f"[{_DELETED}]")


def fold(text: str) -> str:
    """`text` normalised for comparison, without stemming: NFKC, case folding, Arabic
    normalisation, accent folding. Idempotent; keeps punctuation and spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _INVISIBLE.sub("", text).translate(_FOLD_TABLE)
    text = unicodedata.normalize("NFD", text)
    return "".join(char for char in text if not unicodedata.combining(char))


# --- Words ----------------------------------------------------------------------------------

# A written word, on the raw text: letters and digits of any script, with the marks and
# invisible characters `fold` removes, and apostrophes inside ("aujourd'hui"). Not "_":
# the pattern is read on the text with "_" made a space (_searched), which keeps every
# place and lets one character class do (twice as fast as excluding "_" in the pattern).
_RAW_CHAR = rf"[\w\u0300-\u036f{_DELETED}]"
_RAW_WORD = re.compile(rf"{_RAW_CHAR}+(?:['’‘ʼ]{_RAW_CHAR}+)*")


def _searched(text: str | None) -> str:
    return (text or "").replace("_", " ")


# A token, on folded text: Arabic letters, or Latin letters and digits. Other scripts
# (Cyrillic, CJK...) are not indexed.
_ARABIC = "\u0621-\u064a"
_TOKEN = re.compile(rf"[{_ARABIC}]+|[0-9a-z]+(?:'[0-9a-z]+)*")


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) for each token of `tokenize(text)`, start and end in `text`
    (those of the written word the token is part of)."""
    return list(iter_token_spans(text))


def iter_token_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """`token_spans`, one at a time (for readers that may stop early)."""
    for match in _RAW_WORD.finditer(_searched(text)):
        for token in _tokens_of_word(match.group()):
            yield match.start(), match.end(), token


def written_words(text: str) -> list[str]:
    """The written words of `text` as they stand (each holds none, one or more tokens)."""
    return _RAW_WORD.findall(_searched(text))


def iter_written_words(text: str) -> Iterator[re.Match]:
    """The written words of `text` as matches (their place and `group()`), in order."""
    return _RAW_WORD.finditer(_searched(text))


def tokenize(text: str) -> list[str]:
    """The words of `text`, folded, before stemming and stopwords."""
    return [token for _start, _end, token in token_spans(text)]


@lru_cache(maxsize=2**17)
def _tokens_of_word(word: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(word)))


# --- Stopwords (folded forms) ----------------------------------------------------------------
# Short on purpose: only words that never carry meaning in a search. Not "it" (IT), "us"
# (US), "who" (WHO), nor any noun.

STOPWORDS = {
    "ar": frozenset(
        fold(word)
        for word in (
            # prepositions
            "في من إلى على عن مع حتى منذ لدى عند بين "
            # conjunctions, particles
            "و ف ب ل ك أو ثم أم لكن بل أن إن لا ما لم لن قد "
            # pronouns, demonstratives, relatives
            "هو هي هم هن نحن أنا أنت هذا هذه ذلك تلك هؤلاء الذي التي الذين"
        ).split()
    ),
    "en": frozenset(
        "a an the and or but nor of in on at to for from by with as into than "
        "is are was were be been this that these those its their our which there".split()
    ),
    "fr": frozenset(
        "le la les l un une des du de d au aux a et ou en dans par pour sur sous avec "
        "ce cet cette ces son sa ses leur leurs qui que qu dont est sont il elle ils "
        "elles nous vous se ne pas y".split()
    ),
}
# A query word's language is unknown: it is dropped if any language drops it, so a query
# never requires a term that some document could not have been indexed under.
_LATIN_STOPWORDS = STOPWORDS["en"] | STOPWORDS["fr"]


# --- Latin ----------------------------------------------------------------------------------

_SNOWBALL_NAMES = {"ar": "arabic", "en": "english", "fr": "french"}
# A PyStemmer instance is not thread-safe: one per thread and language, made once.
_local = threading.local()


def _stem(language: str, word: str) -> str:
    if not hasattr(_local, "stemmers"):
        _local.stemmers = {}
    stemmers = _local.stemmers
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(_SNOWBALL_NAMES[language])
        stemmers[language].maxCacheSize = 0  # analyze_word's cache is the one
    return stemmers[language].stemWord(word)


_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)'")
# Folded French endings whose accent is certain and changes what Snowball French removes.
_FRENCH_ACCENTS = re.compile(r"(ee|ite|iere)(s?)$")
_FRENCH_ACCENTED = {"ee": "ée", "ite": "ité", "iere": "ière"}


def _latin_word(token: str) -> str:
    """The word without French elision, English possessive and other apostrophes."""
    token = _ELISION.sub("", token).removesuffix("'s")
    return token.replace("'", "")


def written_form(token: str) -> str:
    """A token as a word people write, for spelling suggestions: Latin tokens without elision
    or possessive ("l'enfant" → "enfant", "women's" → "women"), others as they are."""
    return _latin_word(token) if token[:1].isascii() else token


def _latin_stem(word: str, language: str) -> str:
    if language == "fr":
        word = _FRENCH_ACCENTS.sub(lambda m: _FRENCH_ACCENTED[m[1]] + m[2], word)
        return fold(_stem("fr", word))
    return _stem("en", word)


# --- Arabic ---------------------------------------------------------------------------------

# The article, with the conjunction و/ف and the preposition ب/ك before it, or ل + article
# (written لل). Stripped repeatedly, so a word that itself begins with ال (الكترونية,
# التزام) comes out the same with and without the article: الالكترونية → الكترونيه →
# كترونيه, like الكترونيه.
_ARTICLE = re.compile(r"^[وف]?(?:[بك]?ال|لل)")
# What is left after an "article" that is really a word beginning with ال + ending:
# آلية / آليات are الية / اليات once folded. These keep their ال.
_ENDINGS_ONLY = frozenset(("ه", "ي", "يه", "ات", "يات", "ون", "ين", "ان"))
# A conjunction or preposition is cut off the stem only when this many letters remain.
# All forms of a word make the same decision, since it is taken on the stem: بيانات،
# البيانات، وبيانات، بيان all give يان. A stem that begins with one of these letters as a
# root letter loses it the same way in every form, so query and index still meet; the
# cost is that it may meet an unrelated stem. و and ف (and) attach to any word, so they go
# down to two letters (وصحة → صح like صحة; وطن → طن in all its forms); the prepositions,
# rarer without the article, keep three-letter roots whole (كتب، بحث، لغة → لغ).
_MIN_STEM_AFTER_PROCLITIC = {"و": 2, "ف": 2, "ب": 3, "ك": 3, "ل": 3}


def _arabic_term(word: str) -> str:
    while True:
        if (match := _ARTICLE.match(word)) and len(rest := word[match.end() :]) >= 2:
            if rest in _ENDINGS_ONLY:
                break
            word = rest
        # و/ف also before the suffixes, as Snowball's suffix rules depend on the length
        # (وأمن would lose its ن where أمن keeps it). A word of three letters (وطن) is
        # left to the test on the stem below, as for the other proclitics.
        elif word[0] in "وف" and len(word) > 3:
            word = word[1:]
        else:
            break
    if word.endswith("ه"):
        word = word[:-1] + "ة"  # see _FOLD_TABLE
    elif word.endswith("ا") and len(word) >= 4:
        # Accusative tanwin (دعماً، تعليماً); Snowball only removes it from an indefinite
        # word. Names in -ا lose it too, and then meet their adjective: كوريا، كوري.
        word = word[:-1]
    stem = _arabic_stem(word)
    # After the suffixes, so that the length test sees the stem (بيان), not the inflected
    # word (بيانات): all forms of a word then make the same decision.
    while (least := _MIN_STEM_AFTER_PROCLITIC.get(stem[0])) and len(stem) - 1 >= least:
        stem = stem[1:]
    return stem.replace("ة", "ه")


def _arabic_stem(word: str) -> str:
    """Snowball Arabic's noun suffix rules (ة، ات، ون، ين، ان، nisba ي...).

    Given "ال" + word, Snowball takes the word for a definite noun: it applies only noun
    rules, and its only prefix rule is to remove that ال again (when at least three
    letters remain; otherwise it is removed here)."""
    if len(word) < 3:
        return word
    if word.startswith("ال"):  # الية، اليات (kept by _arabic_term): already looks definite
        stem = _stem("ar", word)
    else:
        stem = _stem("ar", "ال" + word).removeprefix("ال")
    return stem if len(stem) >= 2 else word


# --- Public ---------------------------------------------------------------------------------


@lru_cache(maxsize=2**17)
def analyze_word(word: str, language: str | None) -> str | None:
    """The index term for one written word, or None for a stopword (or no word at all).

    `language` is that of the text ("ar", "en", "fr" or None for unknown); Arabic-script
    words ignore it. `word` may be raw ("L'Éducation"); if it holds several tokens (as
    "ICTالعربية"), the first that gives a term is used."""
    for token in _tokens_of_word(word):
        if term := _analyze_token(token, language):
            return term
    return None


@lru_cache(maxsize=2**17)
def word_terms(word: str, language: str | None) -> frozenset[str]:
    """The index terms of every token of one written word (as "ICTالعربية", which holds two;
    most words hold one)."""
    terms = (_analyze_token(token, language) for token in _tokens_of_word(word))
    return frozenset(term for term in terms if term)


def _analyze_token(token: str, language: str | None) -> str | None:
    if token[0] >= "\u0621":  # tokens are all-Arabic or all-Latin
        stopwords = STOPWORDS["ar"]
        if token in stopwords or (token[0] in "وف" and token[1:] in stopwords):
            return None
        return _arabic_term(token)
    word = _latin_word(token)
    if word in (STOPWORDS[language] if language in ("en", "fr") else _LATIN_STOPWORDS):
        return None
    if not word.isalpha():  # digits: codes, years, "5g"
        return word
    return _latin_stem(word, "fr" if language == "fr" else "en")


def index_terms(text: str, language: str | None) -> list[str]:
    """The terms to index for `text` written in `language` (None when unknown): one per
    kept word, in order."""
    terms = (analyze_word(token, language) for token in tokenize(text))
    return [term for term in terms if term]


def query_alternatives(word: str) -> list[str]:
    """The terms one search-box word (of `tokenize`) may have been indexed under, best first:
    the Arabic term; or the English then the French stem. Empty for a stopword."""
    tokens = _tokens_of_word(word)
    if not tokens:
        return []
    if len(tokens) > 1:
        raise ValueError(f"one word expected, got {word!r}: split it with tokenize()")
    token = tokens[0]
    if token[0] >= "\u0621" or not _latin_word(token).isalpha():
        term = analyze_word(token, None)
        return [term] if term else []
    if _latin_word(token) in _LATIN_STOPWORDS:
        return []
    return list(dict.fromkeys(analyze_word(token, language) for language in ("en", "fr")))
