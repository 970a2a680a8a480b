from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .forms import (
    ApiTokenForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    RegistrationForm,
    ResendConfirmationForm,
    ScreeningForm,
    add_service_errors,
)
from .models import ApiToken, User
from .selectors import (
    user_api_token_get,
    user_api_tokens,
    user_get,
    user_membership_list,
    user_screening_queue,
)
from .services import (
    API_TOKEN_LIMIT,
    api_token_create,
    api_token_may_create,
    api_token_revoke,
    user_confirm_email,
    user_register,
    user_resend_confirmation,
    user_screen,
    user_unlock_login,
    user_update_profile,
)
from .throttling import address_locked
from .tokens import (
    CONFIRMATION_MAX_AGE,
    ConfirmationLinkExpired,
    ConfirmationLinkInvalid,
    confirmation_token_user,
)

REGISTERED_EMAIL_SESSION_KEY = "accounts:registered-email"
SCREENING_PAGE_SIZE = 25


def _forbidden(request, message: str):
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


# --- Registration and e-mail confirmation ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def register_view(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if form.is_valid():
        try:
            user = user_register(**form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[REGISTERED_EMAIL_SESSION_KEY] = user.email
            return redirect("accounts:register-done")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


def register_done_view(request):
    return render(
        request,
        "accounts/register_done.html",
        {
            "email": request.session.get(REGISTERED_EMAIL_SESSION_KEY, ""),
            "valid_days": CONFIRMATION_MAX_AGE.days,
        },
    )


def _invalid_link(request, error: ConfirmationLinkInvalid):
    expired = isinstance(error, ConfirmationLinkExpired)
    form = ResendConfirmationForm(initial={"email": error.email if expired else ""})
    return render(
        request,
        "accounts/confirm_email_invalid.html",
        {"expired": expired, "form": form, "valid_days": CONFIRMATION_MAX_AGE.days},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def confirm_email_view(request, token: str):
    # Opening the link only shows a button: mail scanners that follow links must not
    # confirm an address on their own.
    if request.method == "POST":
        try:
            user = user_confirm_email(token=token)
        except ConfirmationLinkInvalid as error:
            return _invalid_link(request, error)
        return render(request, "accounts/confirm_email_done.html", {"confirmed_user": user})
    try:
        user = confirmation_token_user(token=token)
    except ConfirmationLinkInvalid as error:
        return _invalid_link(request, error)
    if user.email_confirmed_at is not None:
        return render(request, "accounts/confirm_email_done.html", {"confirmed_user": user})
    return render(request, "accounts/confirm_email.html", {"confirming_user": user})


@require_http_methods(["GET", "POST"])
def resend_confirmation_view(request):
    if request.method == "POST":
        form = ResendConfirmationForm(request.POST)
        if form.is_valid():
            user_resend_confirmation(email=form.cleaned_data["email"])
            messages.success(
                request,
                _(
                    "If an account waiting for confirmation uses this address, we have sent it "
                    "a new link. Check your e-mail, including the spam folder."
                ),
            )
            return redirect("accounts:login")
    else:
        form = ResendConfirmationForm(initial={"email": request.GET.get("email", "")})
    return render(
        request,
        "accounts/resend_confirmation.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


# --- Logging in and out, passwords ----------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Too many failures from this address, whatever the account names (throttling.py):
        # refused before the password is even checked.
        if address_locked(request):
            return render(
                request,
                settings.AXES_LOCKOUT_TEMPLATE,
                {"cooloff_timedelta": settings.AXES_COOLOFF_TIME, "whole_address": True},
                status=429,
            )
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET), so a link or an image cannot log anyone out."""


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    email_template_name = "accounts/emails/password_reset_body.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        self.extra_email_context = {"SITE_NAME": settings.SITE_NAME}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's e-mail owns it: lift any login lockout.
        user_unlock_login(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# --- Profile --------------------------------------------------------------------------------


def _profile_page(
    request, *, form: ProfileForm | None = None, token_form: ApiTokenForm | None = None
):
    user = request.user
    if form is None:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "preferred_language": user.language,
            }
        )
    bound = form.is_bound or (token_form is not None and token_form.is_bound)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "token_form": token_form or ApiTokenForm(prefix="token"),
            "api_tokens": user_api_tokens(user=user),
            "may_create_api_token": api_token_may_create(user=user),
            "api_token_limit": API_TOKEN_LIMIT,
            "memberships": user_membership_list(user=user),
            "language_name": dict(settings.LANGUAGES).get(user.language, user.language),
        },
        status=400 if bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    if request.method == "GET":
        return _profile_page(request)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            user_update_profile(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return _profile_page(request, form=form)


# --- Personal API tokens --------------------------------------------------------------------


@login_required
@require_POST
@never_cache
def api_token_create_view(request):
    """Creates a token and shows its secret on this one response, never stored or shown
    again (no redirect: the secret would have to be kept somewhere to survive it)."""
    form = ApiTokenForm(request.POST, prefix="token")
    if form.is_valid():
        try:
            api_token, secret = api_token_create(user=request.user, **form.service_arguments())
        except PermissionDenied as error:
            return _forbidden(request, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "accounts/api_token_created.html",
                {"api_token": api_token, "secret": secret},
            )
    return _profile_page(request, token_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke_view(request, token_id: int):
    """GET asks for confirmation; POST revokes. Only the owner's own tokens are found here
    (site admins revoke others' tokens in the admin)."""
    try:
        api_token = user_api_token_get(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404(_("You have no API token with this number.")) from None
    if request.method == "GET":
        return render(request, "accounts/api_token_revoke.html", {"api_token": api_token})
    try:
        api_token_revoke(user=request.user, token=api_token)
    except PermissionDenied as error:
        return _forbidden(request, str(error))
    messages.success(
        request,
        _("The API token “%(name)s” is revoked: programs using it can no longer connect.")
        % {"name": api_token.name},
    )
    return redirect("accounts:profile")


# --- Screening ------------------------------------------------------------------------------


def _screening_page(request, *, bound_form: ScreeningForm | None = None, status: int = 200):
    page = Paginator(user_screening_queue(), SCREENING_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for applicant in page:
        form = ScreeningForm(prefix=f"user-{applicant.pk}")
        if bound_form is not None and bound_form.prefix == form.prefix:
            form = bound_form
        rows.append({"applicant": applicant, "form": form})
    return render(request, "accounts/screening.html", {"page": page, "rows": rows}, status=status)


@login_required
def screening_view(request):
    if not request.user.can_moderate:
        return _forbidden(request, _("Only moderators can screen accounts."))
    return _screening_page(request)


@login_required
@require_POST
def screening_decide_view(request, user_id: int):
    if not request.user.can_moderate:
        return _forbidden(request, _("Only moderators can screen accounts."))
    try:
        applicant = user_get(user_id=user_id)
    except User.DoesNotExist:
        raise Http404(_("There is no account with this number.")) from None
    form = ScreeningForm(request.POST, prefix=f"user-{applicant.pk}")
    if not form.is_valid():
        return _screening_page(request, bound_form=form, status=400)
    try:
        user_screen(
            moderator=request.user,
            user=applicant,
            approve=form.approve,
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as error:
        return _forbidden(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("accounts:screening")
    name = applicant.get_full_name() or applicant.username
    if form.approve:
        message = _("You approved the account of %(name)s; they have been told by e-mail.")
    else:
        message = _("You rejected the account of %(name)s; they have been told by e-mail.")
    messages.success(request, message % {"name": name})
    return redirect("accounts:screening")
