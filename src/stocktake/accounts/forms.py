"""Input checking for the account pages. The rules themselves live in services.py."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ApiTokenScope
from .selectors import user_is_unconfirmed

NOTE_MAX_LENGTH = 2000


def _language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def _active_language() -> str:
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return active if active in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: keyed errors beside their fields,
    the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class RegistrationForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("You log in with it. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to this address to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label=_("Given name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        required=False,
        help_text=_("Leave it empty if you have only one name."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        help_text=_("We write to you in this language."),
    )
    registration_note = forms.CharField(
        label=_("Your organisation and role"),
        max_length=NOTE_MAX_LENGTH,
        help_text=_(
            "Moderators read this before they approve your account. Name the organisation you "
            "work for, your role there, and what you would like to record."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_validation.password_validators_help_text_html()
        self.fields["preferred_language"].choices = _language_choices()
        self.fields["preferred_language"].initial = _active_language()

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_confirm")
        if password and again and password != again:
            self.add_error("password_confirm", gettext("The two passwords do not match."))
        return cleaned

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("password_confirm")
        return data


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form, telling people whose address is not confirmed yet what to do."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "unconfirmed": _(
            "You have not confirmed your e-mail address yet. Follow the link in the e-mail we "
            "sent you, or ask for a new link below."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # Once django-axes has locked the login, say nothing more about the account.
            if getattr(self.request, "axes_locked_out", False):
                raise
            username = self.cleaned_data.get("username") or ""
            password = self.cleaned_data.get("password") or ""
            if username and password and user_is_unconfirmed(username=username, password=password):
                raise ValidationError(
                    self.error_messages["unconfirmed"], code="unconfirmed"
                ) from None
            raise


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address you registered with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, writing to each person in their own language, with a link to SITE_URL."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].language):
            path = reverse(
                "accounts:password-reset-confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            )
            context = {**context, "reset_url": settings.SITE_URL + path}
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class ProfileForm(forms.Form):
    first_name = RegistrationForm.base_fields["first_name"]
    last_name = RegistrationForm.base_fields["last_name"]
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        help_text=_("We write to you in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = _language_choices()


class ScreeningForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Optional. It is sent with the decision by e-mail."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))],
        widget=forms.HiddenInput,
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class ApiTokenForm(forms.Form):
    """A new personal API token. The rules (who may, how many) live in api_token_create."""

    NO_EXPIRY = ""
    EXPIRY_CHOICES = [
        ("30", _("In 30 days")),
        ("90", _("In 90 days")),
        ("365", _("In a year")),
        (NO_EXPIRY, _("Never (until you revoke it)")),
    ]

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say where you use it, for example “reporting script”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiTokenScope.choices,
        initial=ApiTokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_(
            "Read-only tokens can only fetch data. Choose read and write only for a program "
            "that changes entries for you."
        ),
    )
    expires_in = forms.ChoiceField(
        label=_("Expires"),
        choices=EXPIRY_CHOICES,
        initial="90",
        required=False,
    )

    def service_arguments(self) -> dict:
        days = self.cleaned_data["expires_in"]
        return {
            "name": self.cleaned_data["name"],
            "scope": self.cleaned_data["scope"],
            "expires_at": timezone.now() + timedelta(days=int(days)) if days else None,
        }
