from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Scheme, Term
from .selectors import scheme_get, scheme_list, term_children, term_get, term_links, term_tree


def _crumbs(scheme: Scheme, term: Term | None = None) -> list[dict]:
    crumbs = [
        {"label": _("Vocabularies"), "url": reverse("vocabularies:scheme-list")},
        {
            "label": scheme.label,
            "url": reverse("vocabularies:scheme-detail", args=[scheme.identifier]) if term else "",
        },
    ]
    if term:
        crumbs.append({"label": term.code, "url": ""})
    return crumbs


def scheme_list_view(request):
    return render(request, "vocabularies/scheme_list.html", {"schemes": scheme_list()})


def scheme_detail_view(request, scheme: str):
    try:
        found = scheme_get(identifier=scheme)
    except Scheme.DoesNotExist:
        raise Http404(_("There is no vocabulary scheme with this identifier.")) from None
    return render(
        request,
        "vocabularies/scheme_detail.html",
        {
            "scheme": found,
            "tree": term_tree(scheme=found),
            "crumbs": _crumbs(found),
        },
    )


def term_detail_view(request, scheme: str, code: str):
    try:
        term = term_get(scheme_identifier=scheme, code=code)
    except Term.DoesNotExist:
        raise Http404(_("There is no term with this code in this scheme.")) from None
    outgoing, incoming = term_links(term=term)
    translations = [
        {
            "code": language,
            "name": name,
            "label": term.labels.get(language, ""),
            "description": term.descriptions.get(language, ""),
        }
        for language, name in settings.LANGUAGES
    ]
    return render(
        request,
        "vocabularies/term_detail.html",
        {
            "term": term,
            "scheme": term.scheme,
            "children": term_children(term=term),
            "outgoing": outgoing,
            "incoming": incoming,
            "translations": translations,
            "crumbs": _crumbs(term.scheme, term),
        },
    )
