"""Moderator pages for imports. Each view validates its input, makes one service or selector
call and renders; the services check who may import."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from stocktake.core.permissions import is_moderator

from . import services
from .forms import CommitForm, MappingForm, UploadForm
from .mapping import field_label, unmapped
from .models import JobStatus
from .selectors import import_job_get, import_job_list, import_job_progress
from .template import template_csv, template_xlsx


def moderator_required(view):
    """Anonymous visitors go to the login page; signed-in non-moderators get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied(_("Only moderators can import entries."))
        return view(request, *args, **kwargs)

    return wrapper


@moderator_required
def import_start_view(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                user=request.user,
                upload=upload,
                file_name=upload.name,
                default_language=form.cleaned_data["default_language"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            if job.status == JobStatus.MAPPING:
                return redirect("imports:mapping", pk=job.pk)
            return redirect("imports:job", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    jobs = import_job_list(user=request.user)
    return render(request, "imports/start.html", {"form": form, "jobs": jobs}, status=status)


@require_safe
@moderator_required
def import_template_view(request, format: str):
    if format == "csv":
        content, kind = template_csv(), "text/csv; charset=utf-8"
    elif format == "xlsx":
        content = template_xlsx()
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="stocktake-import-template.{format}"'
    return response


@moderator_required
def import_mapping_view(request, pk: int):
    job = import_job_get(user=request.user, pk=pk)
    if job.status not in (JobStatus.MAPPING, JobStatus.PREVIEWED) or not job.stored_name:
        return redirect("imports:job", pk=job.pk)
    form = MappingForm(
        request.POST or None,
        headers=job.headers,
        mapping=job.mapping,
        initial={"default_language": job.default_language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.import_job_set_mapping(
                user=request.user,
                job=job,
                mapping=form.mapping(),
                default_language=form.cleaned_data["default_language"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("imports:job", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "job": job,
        "form": form,
        "unknown": unmapped(job.headers, job.mapping),
        "problems": services.mapping_problems(job) if request.method != "POST" else [],
    }
    return render(request, "imports/mapping.html", context, status=status)


def _job_context(job, **extra) -> dict:
    mapped = [(header, field_label(name), name) for header, name in job.mapping.items() if name]
    ignored = [header for header, name in job.mapping.items() if not name]
    return {
        "job": job,
        "progress": import_job_progress(job),
        "mapped": mapped,
        "ignored": ignored,
        "rows": (job.report or {}).get("rows", []),
        **extra,
    }


@require_safe
@moderator_required
def import_job_view(request, pk: int):
    job = import_job_get(user=request.user, pk=pk)
    context = _job_context(job, commit_form=CommitForm())
    return render(request, "imports/job.html", context)


@require_safe
@moderator_required
def import_progress_view(request, pk: int):
    """The progress fragment htmx polls; once the run is over, the whole page reloads."""
    job = import_job_get(user=request.user, pk=pk)
    response = render(request, "imports/_progress.html", _job_context(job))
    if not job.is_active:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@moderator_required
def import_commit_view(request, pk: int):
    job = import_job_get(user=request.user, pk=pk)
    form = CommitForm(request.POST)
    if form.is_valid():
        try:
            services.import_job_commit(
                user=request.user, job=job, target_state=form.cleaned_data["target_state"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("imports:job", pk=job.pk)
    context = _job_context(job, commit_form=form)
    return render(request, "imports/job.html", context, status=400)


@require_POST
@moderator_required
def import_discard_view(request, pk: int):
    job = import_job_get(user=request.user, pk=pk)
    try:
        services.import_job_discard(user=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import was cancelled and its file deleted."))
    return redirect("imports:job", pk=job.pk)
