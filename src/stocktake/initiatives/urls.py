from django.urls import path

from .views import editing, media, merging, moderation, public

app_name = "initiatives"

urlpatterns = [
    # Public
    path("", public.initiative_list_view, name="list"),
    path("<int:pk>/", public.initiative_detail_view, name="detail"),
    path("<int:pk>/history/", public.initiative_history_view, name="history"),
    path("countries/", public.country_list_view, name="country-list"),
    path("countries/<str:code>/", public.country_detail_view, name="country-detail"),
    path("organisations/<slug:slug>/", public.organisation_detail_view, name="organisation-detail"),
    # Contributors
    path("mine/", editing.my_initiatives_view, name="mine"),
    path("new/", editing.initiative_start_view, name="new"),
    path("<int:pk>/edit/", editing.initiative_edit_view, name="edit"),
    path("<int:pk>/edit/<int:step>/", editing.initiative_edit_view, name="edit-step"),
    path("<int:pk>/autosave/<int:step>/", editing.initiative_autosave_view, name="autosave"),
    path("<int:pk>/review/", editing.initiative_review_view, name="review"),
    path("<int:pk>/act/<str:action>/", editing.initiative_action_view, name="act"),
    path("<int:pk>/images/add/", editing.image_add_view, name="image-add"),
    path(
        "<int:pk>/images/<int:image_id>/remove/",
        editing.image_remove_view,
        name="image-remove",
    ),
    path("images/<int:image_id>/", media.image_view, name="image"),
    # Moderators
    path("moderation/", moderation.queue_view, name="queue"),
    path("moderation/bulk/", moderation.bulk_action_view, name="bulk"),
    path("<int:pk>/compare/", moderation.compare_view, name="compare"),
    path("moderation/stale/", moderation.stale_view, name="stale"),
    path("<int:pk>/merge/", merging.merge_view, name="merge"),
]
