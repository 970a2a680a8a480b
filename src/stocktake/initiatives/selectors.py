"""Reads of stocktaking entries. Visitors only ever reach published entries through these."""

from datetime import timedelta
from functools import lru_cache
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from stocktake.core.permissions import is_moderator
from stocktake.search.browse import BrowseIndex, state_sql
from stocktake.search.selectors import facet_terms_by_pk, search_facet_counts
from stocktake.vocabularies.models import CrosswalkLink, Term

from .models import Initiative, Revision, RevisionState, RevisionTerm, Status, Transition

STALE_AFTER = timedelta(days=365)
# Out of the workflow until a moderator restores them.
CLOSED_STATUSES = (Status.ARCHIVED, Status.WITHDRAWN)
LIST_DEFERRED_FIELDS = (
    "description", "objectives", "results", "challenges", "future_plans", "partners", "links",
    "contact_name", "contact_email",
)  # fmt: skip


def _with_revision(queryset: QuerySet[Initiative], revision: str) -> QuerySet[Initiative]:
    return queryset.select_related(
        "organisation",
        "organisation__country",
        f"{revision}",
        f"{revision}__initiative_type",
        f"{revision}__implementation_status",
        f"{revision}__coverage",
    ).prefetch_related(
        Prefetch(
            f"{revision}__term_links",
            queryset=RevisionTerm.objects.select_related("term__scheme").order_by(
                "term__scheme__sort_order", "term__sort_order"
            ),
        )
    )


def published_initiatives() -> QuerySet[Initiative]:
    """The only door to entries for visitors: published, with a published revision."""
    return Initiative.objects.filter(status=Status.PUBLISHED, published_revision__isnull=False)


def initiative_public_list(
    *,
    term_codes: dict[str, list[str]] | None = None,
    organisation=None,
    good_practice: bool | None = None,
    order: str = "-last_published_at",
) -> QuerySet[Initiative]:
    """Published entries, optionally narrowed by vocabulary terms ({scheme: [codes]}: codes
    within a scheme combine with OR, schemes with AND)."""
    queryset = published_initiatives()
    for scheme, codes in (term_codes or {}).items():
        if codes:
            # A semi-join from the term's links (indexed by term) scales with the matches,
            # where an EXISTS per entry would scan every published entry.
            terms = Term.objects.filter(scheme__identifier=scheme, code__in=codes).values("pk")
            queryset = queryset.filter(
                published_revision_id__in=RevisionTerm.objects.filter(term_id__in=terms).values(
                    "revision_id"
                )
            )
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if good_practice:
        queryset = queryset.filter(is_good_practice=True)
    # Lists show titles and summaries: leave the long texts in the database.
    long_texts = [f"published_revision__{field}" for field in LIST_DEFERRED_FIELDS]
    return _with_revision(queryset, "published_revision").defer(*long_texts).order_by(order, "-pk")


# What a list row shows of an entry's classification.
LIST_ROW_SCHEMES = ("countries", "wsis-action-lines")


def _link_codes_sql() -> str:
    """SQL giving an entry's published classification links as one text, a code per link:
    the term's id doubled, plus 1 for the primary link ("1234,5679"). Read with the entries
    themselves, so a page costs one query (on PostgreSQL each costs a round trip to the
    server, more than reading the links)."""
    links, entries = RevisionTerm._meta.db_table, Initiative._meta.db_table
    if connection.vendor == "postgresql":
        joined = "string_agg((link.term_id * 2 + link.is_primary::int)::text, ',')"
    else:
        joined = "group_concat(link.term_id * 2 + link.is_primary)"
    # Table names from the models and fixed text: nothing from a request.
    where = f'link.revision_id = "{entries}".published_revision_id'
    return f'SELECT {joined} FROM "{links}" link WHERE {where}'  # noqa: S608


class ListedLink(NamedTuple):
    """A classification link as a list row reads it (a model instance costs ten times as
    much to make, and a page makes a hundred)."""

    term: Term
    is_primary: bool


@lru_cache(maxsize=2)
def _list_rows(vendor: str) -> QuerySet[Initiative]:
    """The query of initiative_public_in_order but for its ids, built once per process (and
    database kind: the SQL differs): building it cost as much as running it. Only ever
    narrowed down (a copy), never run itself."""
    # Only the columns a row shows: on SQLite a column stored after the long texts costs a
    # walk through the row's overflow pages.
    revision_fields = ["original_language", "title", "summary"]
    codes = RawSQL(_link_codes_sql(), ())  # noqa: S611 (no parameters, see there)
    state = RawSQL(state_sql(), ())  # noqa: S611 (no parameters, see there)
    return (
        published_initiatives()
        .order_by()  # put in order below; an ORDER BY would have SQLite walk a date index
        .select_related("organisation", "published_revision")
        .only(
            "status", "organisation", "published_revision", "is_good_practice", "published_at",
            "last_published_at", "organisation__names", "organisation__slug",
            *(f"published_revision__{field}" for field in revision_fields),
        )
        .annotate(link_codes=codes, index_state=state)
    )  # fmt: skip


def initiative_public_in_order(
    *, ids: list[int], index: BrowseIndex | None = None
) -> list[Initiative]:
    """These published entries, in this order, with what a list row shows (a page of search
    or browse results): the classification by country and Action Line only, with the terms
    from the process's vocabulary cache, and no long texts (revision_descriptions reads the
    descriptions a page's snippets need). Each also carries the search index state as the
    query found it (`index_state`, as BrowseIndex.state writes it): a page can tell whether
    the index it was worked out on was current without a query of its own."""
    found = _list_rows(connection.vendor).filter(pk__in=ids).in_bulk()
    if not found:
        return []
    # The classification links come in the same query, as codes (see _link_codes_sql), and
    # are sorted out here: filtering by scheme in SQL would have the database walk the term
    # index over every entry, and a page holds some 300 links, of which a row shows a tenth.
    terms = facet_terms_by_pk(index)
    for initiative in found.values():
        links = []
        for code in map(int, initiative.link_codes.split(",") if initiative.link_codes else ()):
            term = terms.get(code >> 1)
            if term is not None and term.scheme.identifier in LIST_ROW_SCHEMES:
                links.append(ListedLink(term=term, is_primary=bool(code & 1)))
        links.sort(key=lambda link: (link.term.scheme.sort_order, link.term.sort_order))
        initiative.published_revision._prefetched_objects_cache = {"term_links": links}
    return [found[pk] for pk in ids if pk in found]


def revision_descriptions(*, ids: list[int]) -> dict[int, dict]:
    """{revision id: description} of these revisions, published ones only (those of a page's
    rows that need one for a snippet), in one query."""
    revisions = Revision.objects.filter(pk__in=ids, state=RevisionState.PUBLISHED)
    return dict(revisions.values_list("pk", "description"))


def initiative_public_get(*, pk: int) -> Initiative:
    """Raises Initiative.DoesNotExist for anything a visitor may not see."""
    return _with_revision(published_initiatives(), "published_revision").get(pk=pk)


def initiative_get(*, pk: int) -> Initiative:
    """Any entry, for its owners and moderators (callers check permissions)."""
    queryset = _with_revision(Initiative.objects.all(), "published_revision")
    return queryset.select_related(
        "working_revision",
        "working_revision__initiative_type",
        "working_revision__implementation_status",
        "working_revision__coverage",
    ).get(pk=pk)


def revision_get(*, pk: int) -> Revision:
    return (
        Revision.objects.select_related(
            "initiative", "initiative_type", "implementation_status", "coverage"
        )
        .prefetch_related(
            Prefetch(
                "term_links",
                queryset=RevisionTerm.objects.select_related("term__scheme"),
            )
        )
        .get(pk=pk)
    )


def initiative_history(*, initiative: Initiative) -> QuerySet[Transition]:
    return initiative.transitions.select_related("actor", "revision").order_by("created_at", "pk")


def initiative_revisions(*, initiative: Initiative) -> QuerySet[Revision]:
    return initiative.revisions.exclude(state=RevisionState.DISCARDED).order_by("number")


def initiative_is_stale(initiative: Initiative, *, now=None) -> bool:
    """Not confirmed for twelve months: flagged for visitors and moderators."""
    if initiative.status != Status.PUBLISHED or initiative.last_confirmed_at is None:
        return False
    return initiative.last_confirmed_at < (now or timezone.now()) - STALE_AFTER


def moderation_queue(
    *, waiting_only: bool = True, organisation_country: str | None = None, kind: str | None = None
) -> QuerySet[Initiative]:
    """Entries with a submission waiting, longest waiting first. Withdrawn and archived
    entries are out of the workflow, whatever their last revision says."""
    queryset = Initiative.objects.filter(working_revision__state=RevisionState.SUBMITTED).exclude(
        status__in=CLOSED_STATUSES
    )
    if kind == "new":
        queryset = queryset.filter(published_revision__isnull=True)
    elif kind == "revision":
        queryset = queryset.filter(published_revision__isnull=False)
    if organisation_country:
        queryset = queryset.filter(organisation__country__code=organisation_country)
    return queryset.select_related(
        "organisation", "organisation__country", "working_revision"
    ).order_by("working_revision__submitted_at", "pk")


def stale_initiatives(*, now=None) -> QuerySet[Initiative]:
    now = now or timezone.now()
    return (
        published_initiatives()
        .filter(last_confirmed_at__lt=now - STALE_AFTER)
        .select_related("organisation", "published_revision")
        .order_by("last_confirmed_at")
    )


def user_initiatives(*, user) -> QuerySet[Initiative]:
    """Entries of the organisations the user belongs to (moderators: theirs too). Accounts
    not screened (waiting, or rejected) see none: their organisation's drafts are not theirs
    to read until a moderator has screened them."""
    if not (user and user.is_authenticated and user.is_active and user.is_screened):
        return Initiative.objects.none()
    return (
        Initiative.objects.filter(organisation__memberships__user=user)
        .select_related("organisation", "working_revision", "published_revision")
        .order_by("-updated_at")
        .distinct()
    )


def _is_screened_member(user, initiative: Initiative) -> bool:
    """A member of the entry's organisation whose account a moderator has screened: accounts
    waiting for screening, or rejected, see nothing their organisation has not published."""
    if not (user and user.is_authenticated and user.is_active and user.is_screened):
        return False
    return initiative.organisation.memberships.filter(user=user).exists()


def can_view(*, user, initiative: Initiative) -> bool:
    """Visitors see published entries; screened members and moderators see drafts too."""
    if initiative.status == Status.PUBLISHED and initiative.published_revision_id:
        return True
    return is_moderator(user) or _is_screened_member(user, initiative)


def country_terms_with_entries() -> QuerySet[Term]:
    return (
        Term.objects.filter(scheme__identifier="countries")
        .filter(
            Exists(
                RevisionTerm.objects.filter(
                    term_id=OuterRef("pk"),
                    revision__initiative__status=Status.PUBLISHED,
                    revision__state=RevisionState.PUBLISHED,
                )
            )
        )
        .order_by("sort_order")
    )


def terms_of(revision: Revision, scheme: str) -> list:
    """The links of a (prefetched) revision to one scheme, in display order."""
    return [link for link in revision.term_links.all() if link.term.scheme.identifier == scheme]


# --- moderation pages ----------------------------------------------------------------------


def moderation_queue_page(*, kind: str | None = None, country: str | None = None):
    """The moderation queue with everything its rows show, longest waiting first."""
    return moderation_queue(kind=kind, organisation_country=country).select_related(
        "working_revision__submitted_by"
    )


def moderation_queue_countries() -> QuerySet[Term]:
    """The countries of the organisations that have a submission waiting, for the filter."""
    return (
        Term.objects.filter(scheme__identifier="countries")
        .filter(
            Exists(
                Initiative.objects.filter(
                    organisation__country_id=OuterRef("pk"),
                    working_revision__state=RevisionState.SUBMITTED,
                ).exclude(status__in=CLOSED_STATUSES)
            )
        )
        .order_by("sort_order")
    )


def initiatives_by_ids(*, ids) -> dict[int, Initiative]:
    """Entries by id, in any state, with the revisions whose titles moderation pages show
    (callers check permissions)."""
    queryset = Initiative.objects.filter(pk__in=list(ids)).select_related(
        "organisation", "working_revision", "published_revision"
    )
    return {initiative.pk: initiative for initiative in queryset}


def can_view_revisions(*, user, initiative: Initiative) -> bool:
    """Every version of an entry, drafts and pending ones included, with its contact details
    and review notes, is for the screened members of its organisation and for moderators."""
    return is_moderator(user) or _is_screened_member(user, initiative)


def initiative_revision_get(*, initiative: Initiative, number: int) -> Revision:
    """One version of an entry by its number, ready for content.read_revision. Discarded
    versions are not offered (Revision.DoesNotExist)."""
    return (
        initiative_revisions(initiative=initiative)
        .select_related("initiative_type", "implementation_status", "coverage", "submitted_by")
        .prefetch_related(
            Prefetch("term_links", queryset=RevisionTerm.objects.select_related("term__scheme"))
        )
        .get(number=number)
    )


# --- public pages ------------------------------------------------------------------------


def initiative_detail_get(*, pk: int) -> Initiative:
    """Any entry with both its published and its working revision loaded, for the detail
    page of its owners and moderators (callers check permissions)."""
    queryset = _with_revision(
        _with_revision(Initiative.objects.all(), "published_revision"), "working_revision"
    )
    return queryset.get(pk=pk)


def country_terms_with_counts() -> list[Term]:
    """Countries with published entries, each with `entry_count` (from the browse index)."""
    counts = search_facet_counts(facet="countries")
    terms = list(
        Term.objects.filter(scheme__identifier="countries", code__in=counts).order_by("sort_order")
    )
    for term in terms:
        term.entry_count = counts[term.code]
    return terms


def region_country_codes(*, region: str) -> set[str]:
    """ISO codes of the member countries of a region (e.g. "LAS", the League of Arab States)."""
    return set(
        CrosswalkLink.objects.filter(
            crosswalk__identifier="regions-to-countries", from_term__code=region
        ).values_list("to_term__code", flat=True)
    )


def terms_by_codes(*, codes: dict[str, list[str]]) -> dict[tuple[str, str], Term]:
    """The terms named by {scheme: [codes]}, keyed by (scheme, code); unknown codes are absent."""
    condition = Q()
    for scheme, values in codes.items():
        if values:
            condition |= Q(scheme__identifier=scheme, code__in=values)
    if not condition:
        return {}
    return {
        (term.scheme.identifier, term.code): term
        for term in Term.objects.filter(condition).select_related("scheme")
    }


# --- the API's organisations -------------------------------------------------------------


def organisation_entry_counts() -> dict[int, int]:
    """{organisation id: published entries it leads} (from the browse index)."""
    return {int(pk): count for pk, count in search_facet_counts(facet="organisation").items()}
