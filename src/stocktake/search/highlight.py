"""Snippets of an entry's own text with the words that matched marked, for result lists.

Matching is done again on the shown text, word by word, with the same analysis as the index,
so "schools" is marked for a search for "school" and "الصحة" for "صحة".
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

from .analysis import iter_written_words, word_terms, written_words

SNIPPET_WORDS = 36


def highlight(
    text: str,
    terms: set[str],
    language: str | None,
    *,
    words: int = SNIPPET_WORDS,
    matched_only: bool = False,
) -> SafeString | None:
    """`text` escaped, cut to about `words` words around the first match, matches in <mark>.
    Without a match, the start of the text, or None if `matched_only` (for a snippet looked
    for in several texts: those without a match are not cut and escaped for nothing)."""
    text = text or ""
    # Which written words match, each analysed once (a text repeats its words); without
    # any, only the start of the text is read.
    marked = {
        word
        for word in set(written_words(text))
        if not terms.isdisjoint(word_terms(word, language))
    }
    if matched_only and not marked:
        return None
    spans: list[tuple[int, int, bool]] = []
    first = None if marked else 0  # the first matched word's place in spans
    for match in iter_written_words(text):
        if first is not None and len(spans) > first + words:
            break  # the window is full, and there is text after it: enough read
        matched = match.group() in marked
        spans.append((match.start(), match.end(), matched))
        if matched and first is None:
            first = len(spans) - 1
    start_word = max(0, (first or 0) - words // 3)
    window = spans[start_word : start_word + words]
    if not window:
        return mark_safe(escape(text))  # noqa: S308 (escaped)
    begin = 0 if start_word == 0 else window[0][0]
    end = len(text) if start_word + words >= len(spans) else window[-1][1]
    parts = ["…"] if begin else []
    position = begin
    for word_start, word_end, matched in window:
        if not matched:
            continue
        parts.append(escape(text[position:word_start]))
        parts.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
        position = word_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of the text is escaped)
