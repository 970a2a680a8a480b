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
from django.views.decorators.http import require_http_methods, require_POST

from .forms import (
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    RegistrationForm,
    ResendConfirmationForm,
    ScreeningForm,
    add_service_errors,
)
from .models import User
from .selectors import user_get, user_membership_list, user_screening_queue
from .services import (
    user_confirm_email,
    user_register,
    user_resend_confirmation,
    user_screen,
    user_unlock_login,
    user_update_profile,
)
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


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                user_update_profile(user=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("accounts:profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "preferred_language": user.language,
            }
        )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": user_membership_list(user=user),
            "language_name": dict(settings.LANGUAGES).get(user.language, user.language),
        },
        status=400 if form.is_bound else 200,
    )


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
