from django.urls import path

from . import views

app_name = "vocabularies"

urlpatterns = [
    path("", views.scheme_list_view, name="scheme-list"),
    path("<slug:scheme>/", views.scheme_detail_view, name="scheme-detail"),
    path("<slug:scheme>/<str:code>/", views.term_detail_view, name="term-detail"),
]
