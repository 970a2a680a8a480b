from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stocktake.vocabularies.models import Term

from .models import MembershipRole


def _term_choices(scheme: str):
    terms = Term.objects.filter(scheme__identifier=scheme, deprecated=False).order_by("sort_order")
    return [("", "—"), *sorted(((t.code, t.label) for t in terms), key=lambda c: c[1])]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=300)
    language = forms.ChoiceField(label=_("Language of this name"))
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    stakeholder_type = forms.ChoiceField(label=_("Stakeholder type"))
    country = forms.ChoiceField(label=_("Country"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["stakeholder_type"].choices = _term_choices("stakeholder-types")
        self.fields["country"].choices = _term_choices("countries")


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("They need an account on this site first."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)

    def clean_email(self):
        user = get_user_model().objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this e-mail address."))
        self.user = user
        return self.cleaned_data["email"]
