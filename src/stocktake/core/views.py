from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stocktake.vocabularies.selectors import scheme_list


def home(request):
    return render(request, "core/home.html", {"schemes": scheme_list()})


def about(request):
    return render(request, "core/about.html")


def health(request):
    """Liveness probe for load balancers; also the trivial page benchmarks compare against."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def choose_language(request, code):
    """The language switcher: remember the language picked (Django's language cookie, which
    the root address and pages without a language prefix follow), then show the page the
    switcher was on, in that language. A plain link, so it works without JavaScript."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = translate_url(next_url, code)
    else:
        with translation.override(code):
            next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
