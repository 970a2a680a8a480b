from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from stocktake.core import views as core_views

urlpatterns = [
    path("api/v1/", include("stocktake.api.urls")),
    path("health/", core_views.health, name="health"),
    # The language switcher's links: remember the choice, then show the page in it.
    path("language/<str:code>/", core_views.choose_language, name="choose-language"),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("about/", core_views.about, name="about"),
    path("vocabularies/", include("stocktake.vocabularies.urls")),
    path("accounts/", include("stocktake.accounts.urls")),
    path("initiatives/", include("stocktake.initiatives.urls")),
    path("organisations/", include("stocktake.organisations.urls")),
    path("data/", include("stocktake.opendata.urls")),
    path("imports/", include("stocktake.imports.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
