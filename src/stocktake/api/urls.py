from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from .base import NoEndpointView
from .views import ApiDocsView

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", ApiDocsView.as_view(url_name="openapi"), name="api-docs"),
    path("", include("stocktake.vocabularies.api_urls")),
    path("", include("stocktake.initiatives.api_urls")),
    path("", include("stocktake.organisations.api_urls")),
    # Last: any other address under /api/v1/ is a 404 problem, not the site's HTML page.
    re_path(r"^[\s\S]*$", NoEndpointView.as_view(), name="api-no-endpoint"),
]
