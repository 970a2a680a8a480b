from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import get_language, get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from stocktake.vocabularies.models import Term

from .models import MembershipRole, Organisation
from .services import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH


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


def _language_attrs(code: str) -> dict:
    info = get_language_info(code)
    return {"lang": code, "dir": "rtl" if info["bidi"] else "ltr"}


class OrganisationProfileForm(forms.Form):
    """An organisation's profile: a name and a description per site language, and the rest.
    `updated_at` carries the version the editor loaded, so a later save by someone else is
    not silently overwritten."""

    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    stakeholder_type = forms.ChoiceField(label=_("Stakeholder type"))
    country = forms.ChoiceField(label=_("Country"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    updated_at = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        kwargs.setdefault("initial", self.initial_for(organisation))
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        name_fields, description_fields = {}, {}
        for code, _name in settings.LANGUAGES:
            language = get_language_info(code)["name_translated"]
            name_fields[f"name_{code}"] = forms.CharField(
                label=gettext("Name in %(language)s") % {"language": language},
                max_length=NAME_MAX_LENGTH,
                required=False,
                widget=forms.TextInput(attrs=_language_attrs(code)),
            )
            description_fields[f"description_{code}"] = forms.CharField(
                label=gettext("Description in %(language)s") % {"language": language},
                max_length=DESCRIPTION_MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, **_language_attrs(code)}),
            )
        # Names first, descriptions last, the rest (and the hidden stamp) between.
        self.fields = {**name_fields, **self.fields, **description_fields}
        self.fields["stakeholder_type"].choices = self._with_current(
            _term_choices("stakeholder-types"), organisation.stakeholder_type
        )
        self.fields["country"].choices = self._with_current(
            _term_choices("countries"), organisation.country
        )

    @staticmethod
    def initial_for(organisation: Organisation) -> dict:
        initial = {
            "acronym": organisation.acronym,
            "stakeholder_type": organisation.stakeholder_type.code,
            "country": organisation.country.code if organisation.country else "",
            "website": organisation.website,
            "updated_at": organisation.updated_at.isoformat(),
        }
        for code, _name in settings.LANGUAGES:
            initial[f"name_{code}"] = (organisation.names or {}).get(code, "")
            initial[f"description_{code}"] = (organisation.descriptions or {}).get(code, "")
        return initial

    @staticmethod
    def _with_current(choices: list, term: Term | None) -> list:
        """Keep the organisation's present term selectable even if it is now deprecated."""
        if term is not None and term.code not in {code for code, _label in choices}:
            choices = [*choices, (term.code, term.label)]
        return choices

    def name_field_for_errors(self) -> str:
        """The name field in the reader's language (else the first), for errors about names."""
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        field = f"name_{language}"
        return field if field in self.fields else f"name_{settings.LANGUAGES[0][0]}"

    def clean_updated_at(self):
        try:
            stamp = datetime.fromisoformat(self.cleaned_data["updated_at"])
        except ValueError:
            stamp = None
        if stamp is None or stamp.tzinfo is None:
            raise forms.ValidationError(
                _("This form is out of date: reload the page and make your changes again.")
            )
        return stamp

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"name_{code}", "").strip() for code, _name in settings.LANGUAGES):
            self.add_error(
                self.name_field_for_errors(),
                _("Give the organisation's name in at least one language."),
            )
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        languages = [code for code, _name in settings.LANGUAGES]
        return {
            "names": {code: data[f"name_{code}"] for code in languages},
            "descriptions": {code: data[f"description_{code}"] for code in languages},
            "acronym": data["acronym"],
            "stakeholder_type": data["stakeholder_type"],
            "country": data["country"] or None,
            "website": data["website"],
            "updated_at": data["updated_at"],
        }

    def service_field(self, field: str) -> str | None:
        """The form field a service error about `field` belongs to (None: the whole form)."""
        if field == "names":
            return self.name_field_for_errors()
        if field == "descriptions":
            return None
        return field if field in self.fields else None


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
