from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

from stocktake.core.i18n import fallback_chain
from stocktake.core.markup import render_markdown

register = template.Library()


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
