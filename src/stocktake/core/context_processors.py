from django.conf import settings
from django.urls import translate_url


def site(request):
    """Site name and the same page in every configured language, for the switcher."""
    path = request.get_full_path()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
    }
