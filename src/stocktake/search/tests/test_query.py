"""Reading what people type in the search box, and marking what matched."""

import random

from stocktake.search.analysis import analyze_word, index_terms, token_spans
from stocktake.search.highlight import highlight
from stocktake.search.query import MAX_CLAUSES, parse_query


def test_bare_words_are_required_and_each_takes_every_form_it_may_be_indexed_under():
    query = parse_query("schools données")
    assert [clause.excluded for clause in query.clauses] == [False, False]
    schools, donnees = query.clauses
    assert ("school",) in schools.alternatives  # the English stem
    assert index_terms("données", "fr")[0] in {alt[0] for alt in donnees.alternatives}


def test_quotes_make_a_phrase_and_a_minus_leaves_out():
    query = parse_query('"open data" -portal -"pilot project"')
    phrase, portal, pilot = query.clauses
    assert len(phrase.alternatives[0]) == 2 and not phrase.excluded
    assert portal.excluded and pilot.excluded and len(pilot.alternatives[0]) == 2
    assert query.required == (phrase,)


def test_typographic_quotes_and_minus_signs_work_too():
    phrase = parse_query('"open data"').clauses
    assert parse_query("« open data »").clauses == phrase
    assert parse_query("“open data”").clauses == phrase
    minus_sign = "\u2212"
    assert parse_query(f"data {minus_sign}portal").clauses == parse_query("data -portal").clauses


def test_a_hyphenated_or_elided_word_is_a_phrase_of_its_parts():
    assert len(parse_query("e-government").clauses[0].alternatives[0]) == 2
    education = parse_query("éducation").clauses[0].alternatives
    assert parse_query("l'éducation").clauses[0].alternatives == education


def test_what_cannot_be_searched_for_is_left_out_without_error():
    for text in ("", "   ", '"', '""', "-", "- -", "the of and", "!!! ???", "\x00"):
        assert not parse_query(text)
    assert parse_query('"unclosed phrase').clauses[0].alternatives[0] == tuple(
        index_terms("unclosed phrase", "en")
    )


def test_long_queries_are_cut_to_a_bounded_size():
    query = parse_query(" ".join(f"word{n}" for n in range(100)))
    assert len(query.clauses) == MAX_CLAUSES
    assert len(parse_query("x" * 10_000).text) == 300


def test_highlight_marks_every_form_of_the_words_and_escapes_the_rest():
    terms = parse_query("school").terms
    marked = highlight("<b>Schools</b> & a school bus", terms, "en")
    assert marked == "&lt;b&gt;<mark>Schools</mark>&lt;/b&gt; &amp; a <mark>school</mark> bus"


def test_highlight_of_a_text_without_a_match_is_its_start_or_none_when_asked():
    terms = parse_query("school").terms
    text = "Clinics & towns " * 50
    assert highlight(text, terms, "en", words=3) == "Clinics &amp; towns Clinics…"
    assert highlight(text, terms, "en", matched_only=True) is None
    assert highlight("", terms, "en", matched_only=True) is None
    marked = highlight("<b>Schools</b>", terms, "en", matched_only=True)
    assert marked == "&lt;b&gt;<mark>Schools</mark>&lt;/b&gt;"


def test_highlight_finds_arabic_words_with_clitics_and_diacritics():
    terms = parse_query("تعليم").terms
    marked = highlight("منصة لِلتَّعْلِيمِ والتعليم", terms, "ar")
    assert marked.count("<mark>") == 2
    assert "<mark>لِلتَّعْلِيمِ</mark>" in marked


def test_highlight_cuts_a_long_text_around_the_first_match():
    text = " ".join(["filler"] * 100 + ["target"] + ["filler"] * 100)
    marked = highlight(text, parse_query("target").terms, "en", words=20)
    assert marked.startswith("…") and marked.endswith("…")
    assert "<mark>target</mark>" in marked and marked.count("filler") < 25


def test_highlight_reads_only_as_far_as_its_window_and_cuts_exactly_there():
    """Stopping early (after the window) gives what reading the whole text gives."""
    rng = random.Random(5)
    vocabulary = ["filler", "target", "e-mail", "targets", "other", "x"]
    for _trial in range(300):
        text = " ".join(rng.choice(vocabulary) for _n in range(rng.randrange(0, 60)))
        words = rng.choice([3, 5, 20])
        marked = highlight(text, parse_query("target").terms, "en", words=words)
        spans = []  # the whole text read, as the reference
        for start, end, token in token_spans(text):
            if spans and spans[-1][0] == start:
                continue
            spans.append((start, end, analyze_word(token, "en") == "target"))
        first = next((n for n, span in enumerate(spans) if span[2]), 0)
        begin = max(0, first - words // 3)
        window = spans[begin : begin + words]
        assert marked.startswith("…") == (begin > 0 and bool(window)), (text, words)
        assert marked.endswith("…") == (begin + words < len(spans)), (text, words)
        assert marked.count("<mark>") == sum(1 for span in window if span[2])
