from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stocktake.initiatives.models import Status

from .mapping import FIELDS, IGNORE, field_label
from .models import TARGET_STATES


def _language_choices():
    return [("", _("Given in the file (column original_language)")), *settings.LANGUAGES]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV UTF-8 or Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    default_language = forms.ChoiceField(
        label=_("Original language of the entries"),
        required=False,
        help_text=_("Used for rows whose original_language cell is empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = _language_choices()


class MappingForm(forms.Form):
    """One choice per column of the file: the field it fills, or nothing."""

    default_language = forms.ChoiceField(
        label=_("Original language of the entries"), required=False
    )

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = _language_choices()
        choices = [(IGNORE, _("Ignore this column"))] + [
            (name, f"{field_label(name)} ({name})") for name in FIELDS
        ]
        self.headers = [header for header in headers if header]
        for index, header in enumerate(self.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, IGNORE)
            )

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"column_{index}") or IGNORE
            for index, header in enumerate(self.headers)
        }

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.headers))]


class CommitForm(forms.Form):
    target_state = forms.ChoiceField(
        label=_("State of the imported entries"),
        choices=[(state.value, state.label) for state in TARGET_STATES],
        initial=Status.DRAFT,
        widget=forms.RadioSelect,
    )
