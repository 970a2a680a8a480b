from django.urls import path, re_path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_start_view, name="start"),
    re_path(r"^template\.(?P<format>csv|xlsx)$", views.import_template_view, name="template"),
    path("<int:pk>/", views.import_job_view, name="job"),
    path("<int:pk>/mapping/", views.import_mapping_view, name="mapping"),
    path("<int:pk>/progress/", views.import_progress_view, name="progress"),
    path("<int:pk>/commit/", views.import_commit_view, name="commit"),
    path("<int:pk>/cancel/", views.import_discard_view, name="cancel"),
]
