"""E-mail to one person, written in their language.

Templates come in pairs: `<name>_subject.txt` (one line) and `<name>_body.txt` (plain text).
Links are built while that language is active, so they open the site in it too.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def user_email_send(
    *,
    user,
    template: str,
    context: dict | None = None,
    links: dict[str, Callable[[], str]] | None = None,
) -> None:
    """Send `template` to `user`. `links` are callables evaluated in the user's language
    (for reverse()), their results added to the context under the same names."""
    with translation.override(user.language):
        full_context = {"user": user, "SITE_NAME": settings.SITE_NAME, **(context or {})}
        full_context.update({name: build() for name, build in (links or {}).items()})
        subject = render_to_string(f"{template}_subject.txt", full_context)
        body = render_to_string(f"{template}_body.txt", full_context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
