"""Public pages: browsing entries, reading one and its history, countries and organisations.

Visitors only ever reach published entries, through the public selectors. The owners of an
entry and moderators also see it before publication (and after withdrawal), with a banner
saying which state it is in. Contact details and transition notes are for them alone.
"""

import json
import re
import unicodedata
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, numberformat, timezone, translation
from django.utils.formats import get_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from stocktake.core.i18n import localized
from stocktake.organisations.models import Organisation
from stocktake.organisations.selectors import (
    can_manage_organisation,
    organisation_get,
)
from stocktake.search.highlight import highlight
from stocktake.search.query import parse_query
from stocktake.search.selectors import (
    FACETS,
    MAX_VALUE_LENGTH,
    MAX_VALUES_PER_FACET,
    BrowseResult,
    browse_index,
    facet_terms,
    search_browse,
)
from stocktake.vocabularies.models import Term
from stocktake.vocabularies.selectors import term_get

from .. import merging, services
from ..content import FIELD_LABELS
from ..models import (
    FORMATTED_TEXT_FIELDS,
    TERM_FIELDS,
    TEXT_FIELDS,
    Initiative,
    Revision,
    RevisionState,
    Status,
)
from ..selectors import (
    can_view,
    can_view_revisions,
    country_terms_with_counts,
    initiative_detail_get,
    initiative_history,
    initiative_is_stale,
    initiative_public_get,
    initiative_public_in_order,
    initiative_revisions,
    region_country_codes,
    revision_descriptions,
    terms_by_codes,
    terms_of,
)
from ..templatetags.initiative_tags import entry_text, language_bidi
from .cards import entry_cards

PAGE_SIZE = 20
SCHEME_LABELS = {scheme: FIELD_LABELS[field] for field, scheme in TERM_FIELDS.items()}
# Schemes whose codes mean something to readers ("C7.1", "9.c"): shown beside the label.
CODED_SCHEMES = {"wsis-action-lines", "sdg-goals", "sdg-targets", "gdc-objectives", "wsis-targets"}
SORTS = {
    "relevance": gettext_lazy("Relevance"),
    "updated": gettext_lazy("Recently updated"),
    "newest": gettext_lazy("Newest"),
    "title": gettext_lazy("Title"),
}
DEFAULT_SORT = "updated"
ARAB_STATES_REGION = "LAS"

NOT_FOUND = gettext_lazy("There is no published entry with this number.")

STATE_BANNERS = {
    Status.DRAFT: gettext_lazy(
        "This entry is a draft. Only members of its organisation and moderators can see it."
    ),
    Status.SUBMITTED: gettext_lazy(
        "This entry is waiting for a moderator's review. It is not public yet."
    ),
    Status.CHANGES_REQUESTED: gettext_lazy(
        "A moderator has asked for changes to this entry. It is not public yet."
    ),
    Status.ARCHIVED: gettext_lazy("This entry has been archived. Visitors can no longer see it."),
    Status.WITHDRAWN: gettext_lazy("This entry has been withdrawn. Visitors can no longer see it."),
}

ACTION_LABELS = {
    "create": gettext_lazy("Draft created"),
    "revise": gettext_lazy("Revision started"),
    "submit": gettext_lazy("Submitted for review"),
    "request_changes": gettext_lazy("Changes requested"),
    "publish": gettext_lazy("Published"),
    "archive": gettext_lazy("Archived"),
    "restore": gettext_lazy("Restored"),
    "withdraw": gettext_lazy("Withdrawn"),
    "discard": gettext_lazy("Pending revision discarded"),
    "return_to_draft": gettext_lazy("Submission returned to draft"),
    "confirm": gettext_lazy("Confirmed as still current"),
    "mark_good_practice": gettext_lazy("Marked as a good practice"),
    "unmark_good_practice": gettext_lazy("Good-practice mark removed"),
    "merge": gettext_lazy("Merged with another entry"),
}
# Actions only a moderator can take: who took them is "a moderator" for visitors.
MODERATOR_ACTIONS = {
    "request_changes",
    "publish",
    "archive",
    "restore",
    "mark_good_practice",
    "unmark_good_practice",
    "merge",
}
# Versions a visitor may know about: those that were public at some time.
PUBLIC_REVISION_STATES = {RevisionState.PUBLISHED, RevisionState.SUPERSEDED}

# As django.utils.html.json_script: nothing in the data can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
PROJECT_TYPES = {"project", "programme"}


# --- helpers -----------------------------------------------------------------------------


def _reader_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _page(request, result) -> Page:
    """A page of 20 of a browse or search result, its entries loaded; a page number that is
    not a number gives page 1, one past the end the last page (never an error)."""
    page = Paginator(range(result.total), PAGE_SIZE).get_page(request.GET.get("page"))
    offset = max(page.start_index() - 1, 0)
    page.object_list = initiative_public_in_order(
        ids=result.ids(offset, PAGE_SIZE), index=result.index
    )
    return page


def _browse_page(request, **options) -> tuple[BrowseResult, Page]:
    """search_browse(**options) and its page of entries, worked out on the browse index as
    this process last found it: the page's query reads the index state too, and only when
    that has moved on (or the page has no entries to read it with) is the index checked and
    the page worked out again. A round trip to the database fewer per page."""
    result = search_browse(**options, index=browse_index(check=False))
    page = _page(request, result)
    entries = page.object_list
    if entries and entries[0].index_state == result.index.state:  # one query: one state
        return result, page
    index = browse_index()
    if index is not result.index:
        result = search_browse(**options, index=index)
        page = _page(request, result)
    return result, page


def _text(revision: Revision, field: str) -> dict:
    text = entry_text(revision, field)
    text["dir"] = "rtl" if language_bidi(text["language"]) else "ltr"
    return text


def _entry_rows(page: Page, terms: set[str] | None = None) -> list[dict]:
    """What a list shows of each entry, from the prefetched published revision, with its card
    (`html`); for a search, the searched `terms` marked in the title and a snippet. Dates are
    written here, with the language's format looked up once: the template's date filter
    looks it up again for every row, a quarter of the time of a page of rows."""
    date_format, language = get_format("DATE_FORMAT"), get_language()
    rows = []
    for initiative in page:
        published = initiative.last_published_at and timezone.localtime(
            initiative.last_published_at
        )
        revision = initiative.published_revision
        action_lines = terms_of(revision, "wsis-action-lines")
        primary = next((link.term for link in action_lines if link.is_primary), None)
        row = {
            "initiative": initiative,
            "title": _text(revision, "title"),
            "summary": _text(revision, "summary"),
            "countries": [link.term for link in terms_of(revision, "countries")],
            "action_line": primary,
            "published": published
            and {
                "iso": published.isoformat(),
                "shown": _day_shown(published.date(), date_format, language),
            },
        }
        if terms:
            title = row["title"]
            title["html"] = highlight(title["text"], terms, title["language"], words=200)
            row["snippet"] = _snippet(revision, terms, row["summary"]["language"], first=True)
        rows.append(row)
    if terms:
        # Rows whose summary as shown has no match look further, into the descriptions, read
        # for those rows alone in one query: most snippets come from the summary, and
        # reading every row's description cost more than this query for the few others.
        wanting = [row for row in rows if row["snippet"] is None]
        if wanting:
            revisions = [row["initiative"].published_revision for row in wanting]
            descriptions = revision_descriptions(ids=[revision.pk for revision in revisions])
            for row, revision in zip(wanting, revisions, strict=True):
                revision.description = descriptions.get(revision.pk) or {}
                row["snippet"] = _snippet(revision, terms, row["summary"]["language"])
    cards = entry_cards(rows)
    for row, card in zip(rows, cards, strict=True):
        row["html"] = card
    return rows


@lru_cache(maxsize=4096)
def _day_shown(day: date, date_format: str, language: str) -> str:
    """A day as the active language (`language`, part of the key) writes it. Entries are
    published on a few thousand days at most, and Django's formatter costs some 60 µs a call:
    a millisecond on a page of rows."""
    return dateformat.format(day, date_format)


def _is_insider(user, initiative: Initiative) -> bool:
    """Screened members of the owning organisation and moderators: they see what visitors do
    not (review notes, contact details)."""
    return can_view_revisions(user=user, initiative=initiative)


def _entry_for(request, pk: int) -> tuple[Initiative, Revision, bool]:
    """The entry, the revision to show and whether it is the public one. Anyone who may not
    see the entry gets the same 404 as for an entry that does not exist."""
    try:
        initiative = initiative_public_get(pk=pk)
    except Initiative.DoesNotExist:
        pass
    else:
        return initiative, initiative.published_revision, True
    try:
        initiative = initiative_detail_get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    if not can_view(user=request.user, initiative=initiative):
        raise Http404(NOT_FOUND)
    revision = initiative.working_revision or initiative.published_revision
    if revision is None:
        raise Http404(NOT_FOUND)
    return initiative, revision, False


def _http_url(url) -> str:
    """The address if it is a web address; anything else (javascript:, data:…) is dropped."""
    url = str(url or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


def _json_ld(data: dict) -> SafeString:
    encoded = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(encoded)  # noqa: S308  (escaped above, as json_script does)


def _sort_key(label: str) -> str:
    """Sort labels without regard to case or accents ("Égypte" with the Es)."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _crumbs(*items: tuple[str, str]) -> list[dict]:
    return [{"label": label, "url": url} for label, url in items]


# --- the list: browse and search -------------------------------------------------------

FACET_LABELS = {
    **SCHEME_LABELS,
    "regions": gettext_lazy("Regions"),
    "stakeholder-types": gettext_lazy("Stakeholder type of the lead organisation"),
    "initiative-types": gettext_lazy("Type of initiative"),
    "statuses": gettext_lazy("Implementation status"),
    "coverage": gettext_lazy("Coverage"),
    "year": gettext_lazy("Start year"),
}
# Facets shown open at first; the others fold until one of their values is chosen.
OPEN_FACETS = {"wsis-action-lines", "sdg-goals", "countries"}
# A long facet shows this many of its values (the most frequent, and any chosen) and a link
# to show them all; these facets always show all theirs (they are short, or a tree).
FACET_VALUES_SHOWN = 10
FULL_FACETS = {"wsis-action-lines", "sdg-goals"}


def _filters(request) -> dict[str, list[str]]:
    """{facet: [values]} from the query string; unknown codes are kept (they match nothing)."""
    filters = {}
    for facet in FACETS:
        codes = [code.strip()[:MAX_VALUE_LENGTH] for code in request.GET.getlist(facet)]
        codes = list(dict.fromkeys(code for code in codes if code))[:MAX_VALUES_PER_FACET]
        if codes:
            filters[facet] = codes
    return filters


def _without(request, name: str, value: str | None = None) -> str:
    """This page's address without one filter value (or a whole parameter), from page 1."""
    query = request.GET.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v.strip() != value])
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def _with_param(request, name: str, value: str) -> str:
    """This page's address with one more value of a parameter."""
    query = request.GET.copy()
    query.appendlist(name, value)
    return f"{request.path}?{query.urlencode()}"


def _with_query(request, text: str, *, keep_filters: bool = True) -> str:
    """This page's address searching for `text` instead, from page 1."""
    query = request.GET.copy() if keep_filters else QueryDict(mutable=True)
    query.pop("page", None)
    query["q"] = text
    return f"{request.path}?{query.urlencode()}"


def _value_label(facet: str, code: str, terms: dict) -> tuple[str, str]:
    """(code to show beside the label, label) of a facet value."""
    term = terms.get((facet, code))
    if term is None:
        return "", code
    return (code if facet in CODED_SCHEMES else ""), term.label


def _chips(request, filters: dict[str, list[str]], good_practice: bool, terms: dict) -> list:
    chips = []
    for facet, codes in filters.items():
        for code in codes:
            shown_code, label = _value_label(facet, code, terms)
            chips.append(
                {
                    "scheme_label": FACET_LABELS[facet],
                    "code": shown_code,
                    "label": label,
                    "url": _without(request, facet, code),
                }
            )
    if good_practice:
        chips.append(
            {
                "scheme_label": "",
                "code": "",
                "label": _("Good practices only"),
                "url": _without(request, "good_practice"),
            }
        )
    return chips


def _facet_menus(request, counts: dict, filters: dict, index) -> list[dict]:
    """Each facet's values with their counts, in vocabulary order (broader terms first, their
    narrower ones indented under them); chosen values stay even when their count is 0. A long
    facet shows its most frequent values and a link to show them all."""
    expanded = set(request.GET.getlist("all"))
    catalogue = _facet_catalogue(_reader_language(), index)
    count_format = _count_format()
    menus = []
    for facet in FACETS:
        chosen = set(filters.get(facet, []))
        facet_counts = counts.get(facet, {})
        codes = set(facet_counts) | chosen
        hidden = 0
        if len(codes) > FACET_VALUES_SHOWN and facet not in expanded | FULL_FACETS:
            # The most frequent values, and every chosen one.
            by_count = sorted(codes, key=lambda c: (c not in chosen, -facet_counts.get(c, 0), c))
            shown = set(by_count[:FACET_VALUES_SHOWN]) | chosen
            hidden, codes = len(codes) - len(shown), shown
        if not codes:
            continue
        known = catalogue.get(facet, {})
        if facet == "year":
            ordered = sorted(codes, reverse=True)
        else:
            ordered = sorted((c for c in codes if c in known), key=lambda c: known[c][0])
            ordered += sorted(c for c in codes if c not in known)  # unknown codes: as typed
        values, parts = [], []
        for code in ordered:
            count, is_chosen = facet_counts.get(code, 0), code in chosen
            before, after = known[code][1:] if code in known else _facet_value_parts(facet, code)
            parts += (before, _CHECKED if is_chosen else "", after, count_format(count), _CLOSE)
            values.append({"code": code, "count": count, "chosen": is_chosen})
        menu = {
            "name": facet,
            "label": FACET_LABELS[facet],
            "values": values,
            "values_html": mark_safe("".join(parts)),  # noqa: S308 (format_html parts, numbers)
            "open": bool(chosen) or facet in OPEN_FACETS or facet in expanded,
            "chosen": len(chosen),
            "hidden": hidden,
            "all_url": _with_param(request, "all", facet) if hidden else "",
        }
        menu["html"] = _facet_menu_html(menu)
        menus.append(menu)
    return menus


def _facet_menu_html(menu: dict) -> SafeString:
    """One facet's block (its values already written): in Python like the values, as the
    template language spent some 100 µs on each of the 14 blocks."""
    label = escape(str(menu["label"]))
    summary = label
    if chosen := menu["chosen"]:
        text = ngettext("(%(counter)s chosen)", "(%(counter)s chosen)", chosen)
        summary += f' <span class="facet-chosen">{escape(text % {"counter": chosen})}</span>'
    more = ""
    if hidden := menu["hidden"]:
        text = ngettext("Show %(counter)s more", "Show %(counter)s more", hidden)
        more = (
            f'<p class="facet-all"><a href="{escape(menu["all_url"])}">'
            f"{escape(text % {'counter': hidden})}"
            f'<span class="visually-hidden"> ({label})</span></a></p>'
        )
    return mark_safe(  # noqa: S308 (the label, texts and address escaped; values_html is)
        f'<details class="facet"{" open" if menu["open"] else ""}>\n'
        f"<summary>{summary}</summary>\n<fieldset>\n"
        f'<legend class="visually-hidden">{label}</legend>\n'
        f'<ul class="facet-values">\n{menu["values_html"]}</ul>\n{more}\n'
        "</fieldset>\n</details>\n"
    )


# One facet value: a checkbox and its label with the count. Written out here rather than in
# the template: a page shows some 150 values, and the template language spends some 40 µs on
# each of them, a sixth of a search page's time. Everything but the count and whether the
# box is ticked is the same on every page, so it is written once per language and index
# state (_facet_catalogue), in two parts either side of " checked".
_FACET_VALUE_BEFORE = (
    '<li class="facet-value{}"><input type="checkbox" id="{}" name="{}" value="{}"'
)
_FACET_VALUE_AFTER = '> <label for="{}">{}<bdi>{}</bdi> <span class="facet-count">'
_CHECKED, _CLOSE = " checked", "</span></label></li>\n"
_TERM_CODE = '<span class="term-code" dir="ltr">{}</span> '


def _facet_value_parts(facet: str, code: str, term: Term | None = None) -> tuple[str, str]:
    value_id = f"facet-{facet}-{slugify(code)}"
    narrower = term is not None and _same_scheme_parent(term)
    before = format_html(
        _FACET_VALUE_BEFORE, " facet-value-narrower" if narrower else "", value_id, facet, code
    )
    shown_code = term is not None and facet in CODED_SCHEMES
    after = format_html(
        _FACET_VALUE_AFTER,
        value_id,
        format_html(_TERM_CODE, code) if shown_code else "",
        term.label if term is not None else code,
    )
    return before, after


# Facet markup by (language, index version, index token); a new index state starts afresh.
_CATALOGUES: dict[tuple[str, int, str], dict[str, dict]] = {}


def _facet_catalogue(language: str, index) -> dict[str, dict]:
    """{facet: {code: (place in the tree, markup before, markup after)}} for the vocabulary
    terms facets show, in one language, built once per index state (which a new vocabulary
    version changes)."""
    key = (language, index.version, index.token)
    catalogue = _CATALOGUES.get(key)
    if catalogue is None:
        catalogue = {}
        terms = facet_terms(index)
        with translation.override(language):
            for (facet, code), term in sorted(terms.items(), key=lambda item: _tree_key(item[1])):
                values = catalogue.setdefault(facet, {})
                values[code] = (len(values), *_facet_value_parts(facet, code, term))
        if len(_CATALOGUES) >= 2 * len(settings.LANGUAGES):
            _CATALOGUES.clear()
        _CATALOGUES[key] = catalogue
    return catalogue


def _count_format():
    """A number formatter for counts in the active language (the separators looked up once
    per page, not once per value)."""
    use_grouping = settings.USE_THOUSAND_SEPARATOR
    decimal, grouping = get_format("DECIMAL_SEPARATOR"), get_format("NUMBER_GROUPING")
    separator = get_format("THOUSAND_SEPARATOR")
    if not use_grouping or grouping == 0:
        # No separators (the default, and Arabic's format): what numberformat gives a whole
        # number then, without its checks (a page formats some 100 counts).
        return str

    def count_format(count: int) -> str:
        if count < 1000:  # no separator to place: most counts, and much quicker
            return str(count)
        return numberformat.format(
            count, decimal, grouping=grouping, thousand_sep=separator, force_grouping=use_grouping
        )

    return count_format


def _same_scheme_parent(term: Term) -> bool:
    return term.parent_id is not None and term.parent.scheme_id == term.scheme_id


def _tree_key(term: Term) -> tuple[int, int, int]:
    """C7 before C7.1 before C8: a narrower term sorts right after its broader one."""
    if _same_scheme_parent(term):
        return (term.parent.sort_order, 1, term.sort_order)
    return (term.sort_order, 0, 0)


_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"[*_`~]+|^[ \t]*(?:#{1,6}|>+|[-+*]|\d+[.)])[ \t]+", re.MULTILINE)


def _plain(text: str, formatted: bool) -> str:
    """Light formatting dropped, for a snippet (which is escaped when shown): link texts
    kept, their addresses and the emphasis, heading and quote marks left out."""
    if not formatted:
        return text
    return _MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", text))


# A snippet is looked for in the first part of a long text only: enough to show why an entry
# matched, without reading every word of every text of a page of results.
SNIPPET_SCOPE = 1500


def _snippet(
    revision: Revision, terms: set[str], shown: str, *, first: bool = False
) -> dict | None:
    """The first of summary and description with a matching word, cut around it and marked:
    in the language `shown` (the summary's on the card) if it matches there, else in the
    entry's original language (a search in Arabic shows the Arabic summary of an entry read
    in English). `first`: only the first of these, the summary as shown (no description
    read)."""
    for language in dict.fromkeys((shown, revision.original_language)):
        for field in ("summary",) if first else ("summary", "description"):
            text = (getattr(revision, field) or {}).get(language) or ""
            plain = _plain(text[:SNIPPET_SCOPE], field in FORMATTED_TEXT_FIELDS)
            marked = highlight(plain, terms, language, matched_only=True)
            if marked is not None:
                if len(text) > SNIPPET_SCOPE and not marked.endswith("…"):
                    marked = mark_safe(f"{marked}…")  # noqa: S308 (marked is escaped)
                return {
                    "html": marked,
                    "language": language,
                    "dir": "rtl" if language_bidi(language) else "ltr",
                }
        if first:
            break
    return None


def _broader(request, result, filters: dict, good_practice: bool, language: str) -> list:
    """For a search that found nothing: the nearest broader searches that find something —
    the same words without the filters, and each word alone."""
    options = []
    if not result.query:
        return options
    if filters or good_practice:
        total = search_browse(query=result.query, filters={}, with_counts=False).total
        if total:
            options.append(
                {
                    "label": _("The same words without the filters"),
                    "url": _with_query(request, result.query.text, keep_filters=False),
                    "count": total,
                }
            )
    clauses = result.query.required
    if len(clauses) > 1:
        for clause in clauses:
            text = " ".join(clause.words)
            text = f'"{text}"' if len(clause.words) > 1 else text
            total = search_browse(
                query=parse_query(text), filters=filters, language=language, with_counts=False
            ).total
            if total:
                options.append({"label": text, "url": _with_query(request, text), "count": total})
    return options


def initiative_list_view(request):
    language = _reader_language()
    query = parse_query(request.GET.get("q", ""))
    filters = _filters(request)
    good_practice = request.GET.get("good_practice") == "1"
    # No sort chosen (the empty option): best matches first for a search, else the newest
    # updates, so typing a search does not keep the order chosen before it.
    default_sort = "relevance" if query else DEFAULT_SORT
    sort = request.GET.get("sort", "")
    if sort not in SORTS or (sort == "relevance" and not query):
        sort = ""
    result, page = _browse_page(
        request,
        query=query,
        filters=filters,
        good_practice=good_practice,
        sort=sort or default_sort,
        language=language,
    )
    # With the near spellings added to the terms, if any were.
    rows = _entry_rows(page, result.query.terms if query else None)
    vocabulary = facet_terms(result.index)
    context = {
        "page_obj": page,
        "rows": rows,
        "query": query,
        "q": request.GET.get("q", "").strip(),
        "corrected": result.corrected,
        "corrected_text": " ".join(result.corrected.values()),
        "broader": []
        if result.total
        else _broader(request, result, filters, good_practice, language),
        "chips": _chips(request, filters, good_practice, vocabulary),
        "filters": filters,
        "facets": _facet_menus(request, result.counts, filters, result.index),
        "expanded": [facet for facet in request.GET.getlist("all") if facet in FACETS],
        "good_practice": good_practice,
        "sort": sort,
        "sorts": [("", SORTS[default_sort])]
        + [
            (value, label)
            for value, label in SORTS.items()
            if value not in ("relevance", default_sort)
        ],
    }
    # htmx asks for the part that changes; a history restore needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "initiatives/public/_browse.html" if partial else "initiatives/public/list.html"
    return render(request, template, context)


# --- one entry ---------------------------------------------------------------------------


def _classification(revision: Revision) -> list[dict]:
    groups = []
    for field, scheme in TERM_FIELDS.items():
        links = terms_of(revision, scheme)
        if scheme == "wsis-action-lines":
            links = sorted(links, key=lambda link: not link.is_primary)
        if links:
            groups.append(
                {
                    "scheme": scheme,
                    "label": FIELD_LABELS[field],
                    "links": links,
                    "show_code": scheme in CODED_SCHEMES,
                }
            )
    return groups


def _partners(revision: Revision) -> list[dict]:
    partners = [p for p in revision.partners or [] if isinstance(p, dict) and p.get("name")]
    terms = terms_by_codes(
        codes={
            "stakeholder-types": [
                p.get("stakeholder_type") for p in partners if p.get("stakeholder_type")
            ],
            "countries": [p.get("country") for p in partners if p.get("country")],
        }
    )
    return [
        {
            "name": partner["name"],
            "stakeholder_type": terms.get(("stakeholder-types", partner.get("stakeholder_type"))),
            "country": terms.get(("countries", partner.get("country"))),
        }
        for partner in partners
    ]


def _schema_org(request, initiative: Initiative, revision: Revision, texts: dict) -> dict:
    """schema.org description of a published entry, for search engines and harvesters."""
    organisation = {
        "@type": "Organization",
        "name": initiative.organisation.name,
        "url": request.build_absolute_uri(
            reverse("initiatives:organisation-detail", args=[initiative.organisation.slug])
        ),
    }
    kind = revision.initiative_type.code if revision.initiative_type else ""
    url = request.build_absolute_uri(reverse("initiatives:detail", args=[initiative.pk]))
    data = {
        "@context": "https://schema.org",
        "@type": "Project" if kind in PROJECT_TYPES else "CreativeWork",
        "@id": url,
        "name": texts["title"]["text"],
        "description": texts["summary"]["text"],
        "url": url,
        "inLanguage": revision.original_language,
        "dateCreated": initiative.created_at,
        "datePublished": initiative.published_at,
        "dateModified": initiative.last_published_at,
        "sponsor": organisation,
        "funder": organisation,
        "areaServed": [
            {"@type": "Country", "name": link.term.label, "identifier": link.term.code}
            for link in terms_of(revision, "countries")
        ],
        "keywords": ", ".join(revision.keywords or []),
        "about": [
            {"@type": "DefinedTerm", "name": link.term.label, "termCode": link.term.code}
            for scheme in ("wsis-action-lines", "sdg-goals", "sdg-targets")
            for link in terms_of(revision, scheme)
        ],
    }
    if revision.website:
        data["sameAs"] = _http_url(revision.website) or None
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def initiative_detail_view(request, pk: int):
    try:
        initiative, revision, public = _entry_for(request, pk)
    except Http404:
        # A merged duplicate: visitors are sent on, for good, to the entry that was kept.
        kept = merging.merged_into_public(pk=pk)
        if kept is None:
            raise
        return redirect("initiatives:detail", pk=kept, permanent=True)
    insider = _is_insider(request.user, initiative)
    texts = {field: _text(revision, field) for field in TEXT_FIELDS}
    sections = [
        {
            "field": field,
            "label": FIELD_LABELS[field],
            "text": texts[field],
            "formatted": field in FORMATTED_TEXT_FIELDS,
        }
        for field in TEXT_FIELDS
        if field not in ("title", "summary") and texts[field]["text"]
    ]
    status = initiative.status
    can_edit = insider and services.can_edit(user=request.user, initiative=initiative)
    title = texts["title"]["text"] or _("Untitled entry")
    return render(
        request,
        "initiatives/public/detail.html",
        {
            "initiative": initiative,
            "revision": revision,
            "public": public,
            "insider": insider,
            "banner": None
            if public
            else merging.merged_banner(initiative) or STATE_BANNERS.get(status),
            "pending_revision": public and insider and initiative.working_revision_id,
            "title": texts["title"],
            "page_title": title,
            "summary": texts["summary"],
            "sections": sections,
            "classification": _classification(revision),
            "partners": _partners(revision),
            "website": _http_url(revision.website),
            "links": [
                {"url": _http_url(link.get("url")), "label": link.get("label") or ""}
                for link in revision.links or []
                if isinstance(link, dict) and _http_url(link.get("url"))
            ],
            "images": [
                {"image": image, "alt": localized(image.alt_text)}
                for image in revision.images.all()
            ],
            "stale": initiative_is_stale(initiative),
            "can_edit": can_edit and status not in (Status.ARCHIVED, Status.WITHDRAWN),
            "can_confirm": can_edit and status == Status.PUBLISHED,
            "can_withdraw": insider
            and status != Status.WITHDRAWN
            and services.can_withdraw(user=request.user, initiative=initiative),
            "json_ld": _json_ld(_schema_org(request, initiative, revision, texts))
            if public
            else None,
            "crumbs": _crumbs(
                (_("Initiatives"), reverse("initiatives:list")),
                (title, ""),
            ),
        },
    )


# --- history -----------------------------------------------------------------------------


def _who(transition, insider: bool) -> str:
    """Names for the entry's owners and moderators; roles for everyone else."""
    actor = transition.actor
    if actor is None:
        return _("The platform")
    if insider:
        return actor.get_full_name() or actor.get_username()
    if transition.action in MODERATOR_ACTIONS or actor.can_moderate:
        return _("A moderator")
    return _("The organisation")


def initiative_history_view(request, pk: int):
    initiative, revision, public = _entry_for(request, pk)
    insider = _is_insider(request.user, initiative)
    events = [
        {
            "transition": transition,
            "action": ACTION_LABELS.get(transition.action, transition.action),
            "who": _who(transition, insider),
            "note": transition.note if insider else "",
        }
        for transition in initiative_history(initiative=initiative)
    ]
    revisions = [
        item
        for item in initiative_revisions(initiative=initiative)
        if insider or item.state in PUBLIC_REVISION_STATES
    ]
    versions = []
    previous = None
    for item in revisions:
        compare_url = ""
        if insider and previous is not None:
            compare_url = (
                reverse("initiatives:compare", args=[initiative.pk])
                + f"?from={previous.number}&to={item.number}"
            )
        versions.append({"revision": item, "compare_url": compare_url})
        previous = item
    title = _text(revision, "title")
    page_title = title["text"] or _("Untitled entry")
    return render(
        request,
        "initiatives/public/history.html",
        {
            "initiative": initiative,
            "public": public,
            "insider": insider,
            "title": title,
            "page_title": page_title,
            "events": events,
            "versions": versions,
            "crumbs": _crumbs(
                (_("Initiatives"), reverse("initiatives:list")),
                (page_title, reverse("initiatives:detail", args=[initiative.pk])),
                (_("History"), ""),
            ),
        },
    )


# --- countries and organisations ---------------------------------------------------------


def country_list_view(request):
    countries = sorted(country_terms_with_counts(), key=lambda term: _sort_key(term.label))
    arab_states = region_country_codes(region=ARAB_STATES_REGION)
    groups = [
        {
            "id": "arab-states",
            "label": _("Member states of the League of Arab States"),
            "countries": [term for term in countries if term.code in arab_states],
        },
        {
            "id": "other-countries",
            "label": _("Other countries"),
            "countries": [term for term in countries if term.code not in arab_states],
        },
    ]
    return render(
        request,
        "initiatives/public/country_list.html",
        {
            "groups": [group for group in groups if group["countries"]],
            "crumbs": _crumbs((_("Countries"), "")),
        },
    )


def country_detail_view(request, code: str):
    try:
        country = term_get(scheme_identifier="countries", code=code.upper())
    except Term.DoesNotExist:
        raise Http404(_("There is no country with this code.")) from None
    if code != country.code:
        return redirect("initiatives:country-detail", code=country.code, permanent=True)
    _result, page = _browse_page(request, filters={"countries": [country.code]}, with_counts=False)
    return render(
        request,
        "initiatives/public/country_detail.html",
        {
            "country": country,
            "page_obj": page,
            "rows": _entry_rows(page),
            "crumbs": _crumbs(
                (_("Countries"), reverse("initiatives:country-list")),
                (country.label, ""),
            ),
        },
    )


def organisation_detail_view(request, slug: str):
    try:
        organisation = organisation_get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404(_("There is no organisation with this address.")) from None
    _result, page = _browse_page(
        request, filters={"organisation": [str(organisation.pk)]}, with_counts=False
    )
    reader = _reader_language()
    other_names = [
        {
            "language": code,
            "name": organisation.names[code],
            "dir": "rtl" if language_bidi(code) else "ltr",
        }
        for code, _name in settings.LANGUAGES
        if code != reader
        and organisation.names.get(code)
        and organisation.names[code] != organisation.name
    ]
    return render(
        request,
        "initiatives/public/organisation_detail.html",
        {
            "organisation": organisation,
            "can_manage": can_manage_organisation(user=request.user, organisation=organisation),
            "other_names": other_names,
            "description": localized(organisation.descriptions),
            "website": _http_url(organisation.website),
            "page_obj": page,
            "rows": _entry_rows(page),
            "crumbs": _crumbs(
                (_("Initiatives"), reverse("initiatives:list")),
                (organisation.name, ""),
            ),
        },
    )
