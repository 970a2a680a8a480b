from django.urls import path, re_path

from . import views
from .feeds import SearchFeed

app_name = "opendata"
urlpatterns = [
    path("", views.opendata_index_view, name="index"),
    path("dictionary/", views.data_dictionary_view, name="dictionary"),
    re_path(r"^export\.(?P<format>csv|xlsx|json|jsonl)$", views.export_view, name="export"),
    path("feed/", SearchFeed(), name="feed"),
]
