from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext, gettext_lazy

from stocktake.core.i18n import fallback_chain, localized
from stocktake.core.markup import render_markdown

register = template.Library()

# Whole sentences, so each language can phrase (and case) the language name its own way.
# "Original in …" only when the text shown is in the entry's original language; a text
# shown in some other language (neither the reader's nor the original) is "Shown in …".
ORIGINAL_MARKS = {
    "ar": gettext_lazy("Original in Arabic"),
    "en": gettext_lazy("Original in English"),
    "fr": gettext_lazy("Original in French"),
}
SHOWN_MARKS = {
    "ar": gettext_lazy("Shown in Arabic"),
    "en": gettext_lazy("Shown in English"),
    "fr": gettext_lazy("Shown in French"),
}


def _mark(language: str, *, original: bool) -> str:
    """The fallback mark for a text in `language`, in the reader's language; a language
    added later without its own sentence gets the general one with its name."""
    marks = ORIGINAL_MARKS if original else SHOWN_MARKS
    if language in marks:
        return marks[language]
    name = get_language_info(language)["name_translated"]
    if original:
        return gettext("Original in %(language)s") % {"language": name}
    return gettext("Shown in %(language)s") % {"language": name}


@register.simple_tag
def entry_text(revision, field: str) -> dict:
    """The text of `field` in the reader's language, else in the entry's original language
    (with `fallback` set and a mark such as "Original in Arabic"), else in the nearest other
    language (marked "Shown in French": it is not the original)."""
    texts = getattr(revision, field, None) or {}
    reader = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if texts.get(reader):
        return {"text": texts[reader], "language": reader, "fallback": False}
    order = [revision.original_language, *fallback_chain(reader)]
    for language in order:
        if texts.get(language):
            original = language == revision.original_language
            return {
                "text": texts[language],
                "language": language,
                "fallback": True,
                "original": original,
                # In the reader's language: "Arabic" for an English reader, "العربية"…
                "language_name": get_language_info(language)["name_translated"],
                "mark": _mark(language, original=original),
            }
    return {"text": "", "language": reader, "fallback": False}


@register.filter
def markdown(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308  (sanitised by nh3)


@register.filter
def language_bidi(code: str) -> bool:
    try:
        return get_language_info(code)["bidi"]
    except KeyError:
        return False


@register.filter
def first_text(texts) -> str:
    """A per-language map's text in the reader's language, else the nearest one."""
    return localized(texts)
