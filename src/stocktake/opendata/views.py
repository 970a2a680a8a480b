"""Open data pages and downloads: the open data page, the data dictionary, the exports of
any search in four formats. Downloads are streamed; only published content leaves."""

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language

from .columns import COLUMNS
from .exports import (
    CONTENT_TYPES,
    FORMATS,
    about_rows,
    csv_stream,
    json_stream,
    jsonl_stream,
    opendata_licence,
    xlsx_file,
)
from .parameters import SearchParametersInvalid, search_query_string, search_request_from
from .selectors import opendata_ids, opendata_records, opendata_search

STREAMS = {"csv": csv_stream, "json": json_stream, "jsonl": jsonl_stream}
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON", "jsonl": "JSON Lines"}


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def bad_search_response(request, error: SearchParametersInvalid):
    return render(
        request,
        "opendata/bad_search.html",
        {"errors": error.errors, "list_url": reverse("initiatives:list")},
        status=400,
    )


def _licence_link(response) -> None:
    response["Link"] = f'<{opendata_licence().url}>; rel="license"'


def _file_name(format: str, *, whole: bool) -> str:
    date = timezone.now().date().isoformat()
    kind = "initiatives" if whole else "initiatives-selection"
    return f"{slugify(settings.SITE_NAME) or 'stocktake'}-{kind}-{date}.{format}"


def export_view(request, format: str):
    try:
        search = search_request_from(request.GET)
    except SearchParametersInvalid as error:
        return bad_search_response(request, error)
    language = _language()
    result = opendata_search(search=search, language=language)
    records = opendata_records(
        ids=opendata_ids(result=result),
        language=language,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        index=result.index,
    )
    name = _file_name(format, whole=not search_query_string(request.GET))
    if format == "xlsx":
        about = about_rows(
            licence=opendata_licence(),
            source_url=request.build_absolute_uri(),
            count=result.total,
        )
        response = FileResponse(
            xlsx_file(records, about=about),
            as_attachment=True,
            filename=name,
            content_type=CONTENT_TYPES["xlsx"],
        )
    else:
        response = StreamingHttpResponse(
            STREAMS[format](records), content_type=CONTENT_TYPES[format]
        )
        response["Content-Disposition"] = content_disposition_header(True, name)
    _licence_link(response)
    response["X-Entry-Count"] = str(result.total)
    return response


def opendata_index_view(request):
    downloads = [
        {
            "format": format,
            "name": FORMAT_NAMES[format],
            "type": CONTENT_TYPES[format].split(";")[0],
            "url": reverse("opendata:export", args=[format]),
        }
        for format in FORMATS
    ]
    total = opendata_search(language=_language()).total
    return render(
        request,
        "opendata/index.html",
        {
            "licence": opendata_licence(),
            "downloads": downloads,
            "total": total,
            "today": timezone.now().date(),
            "site_url": settings.SITE_URL,
            "dictionary_url": reverse("opendata:dictionary"),
            "feed_url": reverse("opendata:feed"),
            "api_url": reverse("api-docs"),
        },
    )


def data_dictionary_view(request):
    return render(
        request,
        "opendata/dictionary.html",
        {"columns": COLUMNS, "index_url": reverse("opendata:index")},
    )
