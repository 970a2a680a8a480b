"""Reads of the vocabularies, shaped for the pages and the API (a fixed number of queries)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from .models import Crosswalk, CrosswalkLink, Scheme, Term


def scheme_list() -> QuerySet[Scheme]:
    # Aggregating queries ignore Meta.ordering: order explicitly.
    return (
        Scheme.objects.select_related("parent_scheme")
        .annotate(term_count=Count("terms", filter=Q(terms__deprecated=False)))
        .order_by("sort_order", "identifier")
    )


def scheme_get(*, identifier: str) -> Scheme:
    """Raises Scheme.DoesNotExist for an unknown identifier."""
    return Scheme.objects.select_related("parent_scheme").get(identifier=identifier)


def term_list(*, scheme: Scheme, include_deprecated: bool = True) -> QuerySet[Term]:
    terms = Term.objects.filter(scheme=scheme).select_related("scheme", "parent")
    if not include_deprecated:
        terms = terms.filter(deprecated=False)
    return terms.order_by("sort_order")


@dataclass
class TreeNode:
    term: Term
    children: list["TreeNode"] = field(default_factory=list)


def term_tree(*, scheme: Scheme) -> list[TreeNode]:
    """The current terms as a tree. Where parents live in another scheme (SDG targets under
    their goals), those parents are the roots."""
    terms = list(term_list(scheme=scheme, include_deprecated=False))
    nodes = {term.pk: TreeNode(term) for term in terms}
    roots: list[TreeNode] = []
    if scheme.parent_scheme_id and scheme.parent_scheme_id != scheme.pk:
        parents = {
            term.pk: TreeNode(term)
            for term in term_list(scheme=scheme.parent_scheme, include_deprecated=False)
        }
        roots = list(parents.values())
        for term in terms:
            parent = parents.get(term.parent_id)
            (parent.children if parent else roots).append(nodes[term.pk])
        return roots
    for term in terms:
        parent = nodes.get(term.parent_id)
        (parent.children if parent else roots).append(nodes[term.pk])
    return roots


def term_get(*, scheme_identifier: str, code: str) -> Term:
    """Raises Term.DoesNotExist for an unknown scheme or code."""
    return Term.objects.select_related("scheme", "parent", "parent__scheme").get(
        scheme__identifier=scheme_identifier, code=code
    )


@dataclass
class LinkGroup:
    crosswalk: Crosswalk
    terms: list[Term]


def term_links(*, term: Term) -> tuple[list[LinkGroup], list[LinkGroup]]:
    """The terms this term maps to, and the terms that map to it, grouped by crosswalk."""

    def grouped(links, attribute: str) -> list[LinkGroup]:
        groups: dict[int, LinkGroup] = {}
        for link in links:
            group = groups.setdefault(link.crosswalk_id, LinkGroup(link.crosswalk, []))
            group.terms.append(getattr(link, attribute))
        return list(groups.values())

    outgoing = (
        CrosswalkLink.objects.filter(from_term=term)
        .select_related("crosswalk__to_scheme", "to_term__scheme")
        .order_by("crosswalk__identifier", "to_term__sort_order")
    )
    incoming = (
        CrosswalkLink.objects.filter(to_term=term)
        .select_related("crosswalk__from_scheme", "from_term__scheme")
        .order_by("crosswalk__identifier", "from_term__sort_order")
    )
    return grouped(outgoing, "to_term"), grouped(incoming, "from_term")


def crosswalk_list() -> QuerySet[Crosswalk]:
    return (
        Crosswalk.objects.select_related("from_scheme", "to_scheme")
        .annotate(link_count=Count("links"))
        .order_by("identifier")
    )


def crosswalk_get(*, identifier: str) -> Crosswalk:
    return Crosswalk.objects.select_related("from_scheme", "to_scheme").get(identifier=identifier)


def crosswalk_link_pairs(*, crosswalk: Crosswalk) -> dict[str, list[str]]:
    pairs: dict[str, list[str]] = {}
    links = (
        crosswalk.links.select_related("from_term", "to_term")
        .order_by("from_term__sort_order", "to_term__sort_order")
        .values_list("from_term__code", "to_term__code")
    )
    for from_code, to_code in links:
        pairs.setdefault(from_code, []).append(to_code)
    return pairs


def term_children(*, term: Term) -> QuerySet[Term]:
    return (
        Term.objects.filter(parent=term, deprecated=False)
        .select_related("scheme")
        .order_by("scheme__sort_order", "sort_order")
    )
