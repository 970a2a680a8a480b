"""Public pages: browsing entries, reading one and its history, countries and organisations.

Visitors only ever reach published entries, through the public selectors. The owners of an
entry and moderators also see it before publication (and after withdrawal), with a banner
saying which state it is in. Contact details and transition notes are for them alone.
"""

import json
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from stocktake.core.i18n import localized
from stocktake.core.permissions import is_moderator
from stocktake.organisations.models import Organisation
from stocktake.organisations.selectors import is_member, organisation_get
from stocktake.vocabularies.models import Term
from stocktake.vocabularies.selectors import term_get

from .. import services
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
    country_terms_with_counts,
    initiative_detail_get,
    initiative_history,
    initiative_is_stale,
    initiative_public_browse,
    initiative_public_get,
    initiative_public_list,
    initiative_revisions,
    public_filter_options,
    region_country_codes,
    terms_by_codes,
    terms_of,
)
from ..templatetags.initiative_tags import entry_text, language_bidi

PAGE_SIZE = 20
# Query parameters that filter the list: one per vocabulary scheme an entry links to.
FILTER_SCHEMES = tuple(TERM_FIELDS.values())
SCHEME_LABELS = {scheme: FIELD_LABELS[field] for field, scheme in TERM_FIELDS.items()}
# The schemes offered as "add a filter" menus; any other scheme works from a link.
FILTER_MENUS = ("wsis-action-lines", "sdg-goals", "countries", "technologies")
# Schemes whose codes mean something to readers ("C7.1", "9.c"): shown beside the label.
CODED_SCHEMES = {"wsis-action-lines", "sdg-goals", "sdg-targets", "gdc-objectives", "wsis-targets"}
MAX_CODES_PER_SCHEME = 30
CODE_MAX_LENGTH = 32
SORTS = {
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


def _page(request, queryset) -> Page:
    """A page of 20; a page number that is not a number gives page 1, one past the end the
    last page (never an error)."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _text(revision: Revision, field: str) -> dict:
    text = entry_text(revision, field)
    text["dir"] = "rtl" if language_bidi(text["language"]) else "ltr"
    return text


def _entry_rows(page: Page) -> list[dict]:
    """What a list shows of each entry, from the prefetched published revision."""
    rows = []
    for initiative in page:
        revision = initiative.published_revision
        action_lines = terms_of(revision, "wsis-action-lines")
        primary = next((link.term for link in action_lines if link.is_primary), None)
        rows.append(
            {
                "initiative": initiative,
                "title": _text(revision, "title"),
                "summary": _text(revision, "summary"),
                "countries": [link.term for link in terms_of(revision, "countries")],
                "action_line": primary,
            }
        )
    return rows


def _is_insider(user, initiative: Initiative) -> bool:
    """Members of the owning organisation and moderators: they see what visitors do not."""
    return is_moderator(user) or is_member(user=user, organisation=initiative.organisation)


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


# --- the list ----------------------------------------------------------------------------


def _filters(request) -> dict[str, list[str]]:
    """{scheme: [codes]} from the query string; unknown codes are kept (they match nothing)."""
    filters = {}
    for scheme in FILTER_SCHEMES:
        codes = [code.strip()[:CODE_MAX_LENGTH] for code in request.GET.getlist(scheme)]
        codes = list(dict.fromkeys(code for code in codes if code))[:MAX_CODES_PER_SCHEME]
        if codes:
            filters[scheme] = codes
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


def _chips(request, filters: dict[str, list[str]], good_practice: bool) -> list[dict]:
    terms = terms_by_codes(codes=filters)
    chips = []
    for scheme, codes in filters.items():
        for code in codes:
            term = terms.get((scheme, code))
            chips.append(
                {
                    "scheme_label": SCHEME_LABELS[scheme],
                    "code": code if term is None or scheme in CODED_SCHEMES else "",
                    "label": term.label if term else code,
                    "url": _without(request, scheme, code),
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


def initiative_list_view(request):
    filters = _filters(request)
    good_practice = request.GET.get("good_practice") == "1"
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    page = _page(
        request,
        initiative_public_browse(
            term_codes=filters,
            good_practice=good_practice,
            sort=sort,
            language=_reader_language(),
        ),
    )
    options = public_filter_options(schemes=list(FILTER_MENUS))
    return render(
        request,
        "initiatives/public/list.html",
        {
            "page_obj": page,
            "rows": _entry_rows(page),
            "chips": _chips(request, filters, good_practice),
            "filters": filters,
            "menus": [
                {
                    "scheme": scheme,
                    "label": SCHEME_LABELS[scheme],
                    "terms": options[scheme],
                    "show_code": scheme in CODED_SCHEMES,
                }
                for scheme in FILTER_MENUS
            ],
            "good_practice": good_practice,
            "sort": sort,
            "sorts": SORTS.items(),
        },
    )


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
    initiative, revision, public = _entry_for(request, pk)
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
            "banner": None if public else STATE_BANNERS.get(status),
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
    page = _page(request, initiative_public_list(term_codes={"countries": [country.code]}))
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
    page = _page(request, initiative_public_list(organisation=organisation))
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
