from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext_lazy

from stocktake.core.i18n import fallback_chain, localized
from stocktake.core.markup import render_markdown

register = template.Library()

# Whole sentences, so each language can phrase (and case) the language name its own way.
ORIGINAL_MARKS = {
    "ar": gettext_lazy("Original in Arabic"),
    "en": gettext_lazy("Original in English"),
    "fr": gettext_lazy("Original in French"),
}


@register.simple_tag
def entry_text(revision, field: str) -> dict:
    """The text of `field` in the reader's language, else in the entry's original language
    (with `fallback` set, so the page can say "original in Arabic"), else any language."""
    texts = getattr(revision, field, None) or {}
    reader = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if texts.get(reader):
        return {"text": texts[reader], "language": reader, "fallback": False}
    order = [revision.original_language, *fallback_chain(reader)]
    for language in order:
        if texts.get(language):
            return {
                "text": texts[language],
                "language": language,
                "fallback": True,
                # In the reader's language: "Arabic" for an English reader, "العربية"…
                "language_name": get_language_info(language)["name_translated"],
                "mark": ORIGINAL_MARKS.get(language),
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
