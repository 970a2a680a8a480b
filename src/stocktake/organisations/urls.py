from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("new/", views.organisation_create_view, name="create"),
    path("<slug:slug>/edit/", views.organisation_edit_view, name="edit"),
    path("<slug:slug>/members/", views.members_view, name="members"),
    path(
        "<slug:slug>/members/<int:user_id>/remove/",
        views.member_remove_view,
        name="member-remove",
    ),
]
