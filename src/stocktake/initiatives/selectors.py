"""Reads of stocktaking entries. Visitors only ever reach published entries through these."""

import json
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.base import ModelState
from django.utils import timezone

from stocktake.core.permissions import is_moderator
from stocktake.organisations.models import Organisation
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


@lru_cache(maxsize=128)
def _list_rows_sql(vendor: str, count: int) -> str:
    """The query of initiative_public_in_order for `count` ids, written once per process (and
    database kind, and count: the placeholders differ). Only the columns a row shows: on
    SQLite a column stored after the long texts costs a walk through the row's overflow
    pages. Written out rather than built with the ORM: building and compiling the query and
    making its model instances cost some 2 ms a page, more than running it."""
    entries, revisions = Initiative._meta.db_table, Revision._meta.db_table
    organisations = Organisation._meta.db_table
    marks = ", ".join(["%s"] * count)
    columns = (
        f'"{entries}".id, "{entries}".is_good_practice, "{entries}".published_at, '
        f'"{entries}".last_published_at, organisation.id, organisation.slug, organisation.names, '
        "revision.id, revision.original_language, revision.title, revision.summary, "
        f"({_link_codes_sql()}), ({state_sql()})"
    )
    joins = (
        f'"{entries}" JOIN "{revisions}" revision '
        f'ON revision.id = "{entries}".published_revision_id '
        f'JOIN "{organisations}" organisation ON organisation.id = "{entries}".organisation_id'
    )
    where = f'"{entries}".status = %s AND "{entries}".id IN ({marks})'
    # Table names from the models, fixed text and placeholders: nothing from a request.
    return f"SELECT {columns} FROM {joins} WHERE {where}"  # noqa: S608


def _loaded(model, values: dict):
    """An instance of `model` as read from the database with just these field values, made
    the way Model.from_db would but without Model.__init__ (a tenth of the cost; none of
    these models has a post_init receiver). Fields not given load on first use, as with
    QuerySet.only()."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    instance._state = ModelState()
    instance._state.adding, instance._state.db = False, DEFAULT_DB_ALIAS
    return instance


def _json(value):
    """A JSON column's value as the raw cursor gives it (text on both databases, as Django
    asks of psycopg) decoded, as JSONField does."""
    return json.loads(value) if isinstance(value, str) else value


def _aware(value: datetime | None) -> datetime | None:
    """A datetime column's value as the raw cursor gives it, in UTC: SQLite's come naive."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _row_terms(index: BrowseIndex | None) -> dict[int, tuple[tuple[int, int], Term]]:
    """{term id: (display order, term)} of the terms list rows show, worked out once per
    vocabulary cache (facet_terms_by_pk: one per index state)."""
    terms = facet_terms_by_pk(index)
    cached_for, row_terms = _row_terms_cache
    if cached_for is not terms:
        row_terms = {
            pk: ((term.scheme.sort_order, term.sort_order), term)
            for pk, term in terms.items()
            if term.scheme.identifier in LIST_ROW_SCHEMES
        }
        _row_terms_cache[:] = [terms, row_terms]
    return row_terms


_row_terms_cache: list = [None, {}]


def initiative_public_in_order(
    *, ids: list[int], index: BrowseIndex | None = None
) -> list[Initiative]:
    """These published entries, in this order, with what a list row shows (a page of search
    or browse results): the classification by country and Action Line only, with the terms
    from the process's vocabulary cache, and no long texts (revision_descriptions reads the
    descriptions a page's snippets need). Each also carries the search index state as the
    query found it (`index_state`, as BrowseIndex.state writes it): a page can tell whether
    the index it was worked out on was current without a query of its own."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_list_rows_sql(connection.vendor, len(ids)), [Status.PUBLISHED.value, *ids])
        rows = cursor.fetchall()
    # The classification links come in the same query, as codes (see _link_codes_sql), and
    # are sorted out here: filtering by scheme in SQL would have the database walk the term
    # index over every entry, and a page holds some 300 links, of which a row shows a tenth.
    terms = _row_terms(index)
    found = {}
    for (
        pk, good_practice, published_at, last_published_at, organisation_pk, slug, names,
        revision_pk, original_language, title, summary, link_codes, index_state,
    ) in rows:  # fmt: skip
        organisation = _loaded(
            Organisation, {"id": organisation_pk, "slug": slug, "names": _json(names)}
        )
        revision = _loaded(
            Revision,
            {
                "id": revision_pk,
                "original_language": original_language,
                "title": _json(title),
                "summary": _json(summary),
            },
        )
        initiative = _loaded(
            Initiative,
            {
                "id": pk,
                "status": Status.PUBLISHED,
                "is_good_practice": bool(good_practice),
                "published_at": _aware(published_at),
                "last_published_at": _aware(last_published_at),
                "organisation_id": organisation_pk,
                "published_revision_id": revision_pk,
                "index_state": index_state,
            },
        )
        initiative._state.fields_cache["organisation"] = organisation
        initiative._state.fields_cache["published_revision"] = revision
        links = []
        for code in map(int, link_codes.split(",") if link_codes else ()):
            if (known := terms.get(code >> 1)) is not None:
                links.append((known[0], ListedLink(term=known[1], is_primary=bool(code & 1))))
        links.sort(key=itemgetter(0))
        revision._prefetched_objects_cache = {"term_links": [link for _, link in links]}
        found[pk] = initiative
    return [found[pk] for pk in ids if pk in found]


def revision_descriptions(*, ids: list[int]) -> dict[int, dict]:
    """{revision id: description} of these revisions, published ones only (those of a page's
    rows that need one for a snippet), in one query."""
    revisions = Revision.objects.filter(pk__in=ids, state=RevisionState.PUBLISHED)
    # No order (a dict): the default one joins the entries to sort by, a millisecond on
    # PostgreSQL for nothing.
    return dict(revisions.order_by().values_list("pk", "description"))


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
