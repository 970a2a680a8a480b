from django.http import JsonResponse
from django.shortcuts import render

from stocktake.vocabularies.selectors import scheme_list


def home(request):
    return render(request, "core/home.html", {"schemes": scheme_list()})


def about(request):
    return render(request, "core/about.html")


def health(request):
    """Liveness probe for load balancers; also the trivial page benchmarks compare against."""
    return JsonResponse({"status": "ok"})
