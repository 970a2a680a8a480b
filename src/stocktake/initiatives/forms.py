"""The guided entry form: five steps, each editing part of the content document.

A step form reads its initial values from the document and writes its fields back into a copy
of it; the service validates the whole document, so the rules live in one place."""

import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stocktake.organisations.models import Organisation
from stocktake.vocabularies.models import Term
from stocktake.vocabularies.selectors import term_get

from .content import FIELD_LABELS, SUMMARY_WORDS, field_label

MAX_PARTNERS = 5


def _choices(scheme: str, *, blank: bool = False, with_code: bool = True):
    terms = Term.objects.filter(scheme__identifier=scheme, deprecated=False).order_by("sort_order")
    choices = [
        (t.code, f"{t.code} {t.label}" if with_code else t.label) for t in terms.select_related()
    ]
    return ([("", "—")] if blank else []) + choices


def _grouped_targets():
    goals = {
        t.pk: t for t in Term.objects.filter(scheme__identifier="sdg-goals").order_by("sort_order")
    }
    groups: dict[int, list] = {pk: [] for pk in goals}
    for target in Term.objects.filter(scheme__identifier="sdg-targets", deprecated=False).order_by(
        "sort_order"
    ):
        groups.setdefault(target.parent_id, []).append(
            (target.code, f"{target.code} {target.label}")
        )
    return [(f"{goals[pk].code} {goals[pk].label}", items) for pk, items in groups.items() if items]


def _action_lines():
    """The Action Lines as flat choices, and each sub-line's parent (C7.1 → C7)."""
    lines = list(
        Term.objects.filter(scheme__identifier="wsis-action-lines", deprecated=False)
        .select_related("parent")
        .order_by("sort_order")
    )
    choices = [(t.code, f"{t.code} {t.label}") for t in lines]
    parents = {t.code: t.parent.code for t in lines if t.parent_id}
    return choices, parents


class _NestedChoices:
    """A choice widget that shows sub-terms inside their parent term (C7.1 to C7.8 under C7),
    each still a choice of its own. `parents` maps a choice to its parent's value."""

    template_name = "initiatives/editing/widgets/nested_choices.html"
    parents: dict[str, str] = {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        tree, by_value = [], {}
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                option["children"] = []
                parent = by_value.get(self.parents.get(str(option["value"])))
                if parent is None:
                    tree.append(option)
                    by_value[str(option["value"])] = option
                else:
                    parent["children"].append(option)
        context["widget"]["tree"] = tree
        return context


class NestedRadioSelect(_NestedChoices, forms.RadioSelect):
    pass


class NestedCheckboxSelectMultiple(_NestedChoices, forms.CheckboxSelectMultiple):
    pass


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


class StepForm(forms.Form):
    title_text = ""
    text_fields: tuple[str, ...] = ()

    def __init__(self, *args, document: dict, language: str, **kwargs):
        self.document = document
        self.language = language
        super().__init__(*args, initial=self.initial_from(document, language), **kwargs)
        for name in self.text_fields:
            self.fields[name].widget.attrs.update({"lang": language, "dir": "auto"})

    def initial_from(self, document: dict, language: str) -> dict:
        return {name: (document.get(name) or {}).get(language, "") for name in self.text_fields}

    def apply(self) -> dict:
        """A copy of the document with this step's (cleaned) fields written in."""
        document = copy.deepcopy(self.document)
        for name in self.text_fields:
            texts = dict(document.get(name) or {})
            value = self.cleaned_data.get(name, "")
            if value:
                texts[self.language] = value
            else:
                texts.pop(self.language, None)
            document[name] = texts
        return document

    # Service errors come keyed by document field; most share the form field's name.
    error_fields: dict[str, str] = {}

    def add_document_errors(self, errors: dict[str, list[str]]) -> list[str]:
        """Attach service errors to fields of this step; return those that belong elsewhere."""
        elsewhere = []
        for field, messages in errors.items():
            target = self.error_fields.get(field, field)
            if target in self.fields:
                for message in messages:
                    self.add_error(target, message)
            else:
                elsewhere.extend(f"{field_label(field)}: {m}" for m in messages)
        return elsewhere


def _textarea(rows: int = 6, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class BasicsForm(StepForm):
    title_text = _("Basics")
    text_fields = ("title", "summary")

    original_language = forms.ChoiceField(label=FIELD_LABELS["original_language"])
    title = forms.CharField(label=FIELD_LABELS["title"], max_length=300)
    summary = forms.CharField(
        label=FIELD_LABELS["summary"],
        required=False,
        widget=_textarea(8, **{"data-word-count": f"{SUMMARY_WORDS[0]}-{SUMMARY_WORDS[1]}"}),
        help_text=_(
            "About 150 to 200 words: what the initiative does, for whom, and with what result."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original_language"].choices = settings.LANGUAGES
        self.fields["original_language"].help_text = _(
            "The language the entry was first written in. Readers of other languages see this "
            "text, marked as the original, until a translation is added."
        )

    def initial_from(self, document, language):
        initial = super().initial_from(document, language)
        initial["original_language"] = document.get("original_language") or language
        return initial

    def apply(self):
        document = super().apply()
        document["original_language"] = self.cleaned_data["original_language"]
        return document


class DescriptionForm(StepForm):
    title_text = _("Description")
    text_fields = ("description", "objectives", "results", "challenges", "future_plans")
    markdown_help = _("You can use light formatting: *italic*, **bold**, lists starting with “-”.")

    description = forms.CharField(
        label=FIELD_LABELS["description"], required=False, widget=_textarea(10)
    )
    objectives = forms.CharField(
        label=FIELD_LABELS["objectives"], required=False, widget=_textarea()
    )
    results = forms.CharField(label=FIELD_LABELS["results"], required=False, widget=_textarea())
    challenges = forms.CharField(
        label=FIELD_LABELS["challenges"], required=False, widget=_textarea()
    )
    future_plans = forms.CharField(
        label=FIELD_LABELS["future_plans"], required=False, widget=_textarea()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.text_fields:
            self.fields[name].help_text = self.markdown_help


class ClassificationForm(StepForm):
    title_text = _("Classification")
    multiple = ("sdg_goals", "gdc_objectives", "wsis_targets", "technologies", "beneficiary_groups")
    error_fields = {"action_lines": "action_line_primary", "sdg_goal_evidence": "sdg_goals"}
    EVIDENCE_MAX = 2000

    action_line_primary = forms.ChoiceField(
        label=_("Primary WSIS Action Line"), required=False, widget=NestedRadioSelect
    )
    action_lines_secondary = forms.MultipleChoiceField(
        label=_("Other WSIS Action Lines"), required=False, widget=NestedCheckboxSelectMultiple
    )
    sdg_goals = forms.MultipleChoiceField(
        label=FIELD_LABELS["sdg_goals"], required=False, widget=forms.CheckboxSelectMultiple
    )
    sdg_targets = forms.MultipleChoiceField(
        label=FIELD_LABELS["sdg_targets"], required=False, widget=forms.CheckboxSelectMultiple
    )
    gdc_objectives = forms.MultipleChoiceField(
        label=FIELD_LABELS["gdc_objectives"], required=False, widget=forms.CheckboxSelectMultiple
    )
    wsis_targets = forms.MultipleChoiceField(
        label=FIELD_LABELS["wsis_targets"], required=False, widget=forms.CheckboxSelectMultiple
    )
    technologies = forms.MultipleChoiceField(
        label=FIELD_LABELS["technologies"], required=False, widget=forms.CheckboxSelectMultiple
    )
    beneficiary_groups = forms.MultipleChoiceField(
        label=FIELD_LABELS["beneficiary_groups"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lines, parents = _action_lines()
        for name in ("action_line_primary", "action_lines_secondary"):
            self.fields[name].choices = lines
            self.fields[name].widget.parents = parents
        self.fields["sdg_goals"].choices = _choices("sdg-goals")
        self.fields["sdg_targets"].choices = _grouped_targets()
        self.fields["gdc_objectives"].choices = _choices("gdc-objectives")
        self.fields["wsis_targets"].choices = _choices("wsis-targets")
        self.fields["technologies"].choices = _choices("technologies", with_code=False)
        self.fields["beneficiary_groups"].choices = _choices("beneficiary-groups", with_code=False)
        # An evidence box for each goal and target already chosen; and, when the form is
        # posted, for each one ticked in it (the page's script shows a box as soon as one is
        # ticked).
        goal_evidence = self.document.get("sdg_goal_evidence") or {}
        goals = {code: goal_evidence.get(code, "") for code in self.document.get("sdg_goals") or []}
        self._add_evidence_fields(
            "sdg_goals", goals, "goal_evidence_", _("Evidence for goal %(code)s")
        )
        targets = {t["code"]: t.get("evidence", "") for t in self.document.get("sdg_targets") or []}
        self._add_evidence_fields(
            "sdg_targets", targets, "evidence_", _("Evidence for target %(code)s")
        )

    def _add_evidence_fields(self, name: str, evidence: dict, prefix: str, label) -> None:
        if self.is_bound:
            field = self.fields[name]
            ticked = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for code in ticked or []:
                if field.valid_value(code):
                    evidence.setdefault(code, "")
        for code, text in evidence.items():
            self.fields[f"{prefix}{code}"] = forms.CharField(
                label=label % {"code": code},
                required=False,
                max_length=self.EVIDENCE_MAX,
                initial=text,
                widget=_textarea(2),
            )

    def initial_from(self, document, language):
        lines = document.get("action_lines") or {}
        initial = {
            "action_line_primary": lines.get("primary", ""),
            "action_lines_secondary": lines.get("secondary", []),
            "sdg_targets": [t["code"] for t in document.get("sdg_targets") or []],
        }
        for name in self.multiple:
            initial[name] = document.get(name) or []
        return initial

    def evidence_fields(self):
        return [self[name] for name in self.fields if name.startswith("evidence_")]

    def goal_evidence_fields(self):
        return [self[name] for name in self.fields if name.startswith("goal_evidence_")]

    def apply(self):
        document = copy.deepcopy(self.document)
        data = self.cleaned_data
        document["action_lines"] = {
            "primary": data["action_line_primary"],
            "secondary": data["action_lines_secondary"],
        }
        for name in self.multiple:
            document[name] = data[name]
        document["sdg_targets"] = [
            {"code": code, "evidence": data.get(f"evidence_{code}", "")}
            for code in data["sdg_targets"]
        ]
        document["sdg_goal_evidence"] = {
            code: data[f"goal_evidence_{code}"]
            for code in data["sdg_goals"]
            if data.get(f"goal_evidence_{code}")
        }
        return document


class PlaceTimeForm(StepForm):
    title_text = _("Where and when")

    countries = forms.MultipleChoiceField(
        label=FIELD_LABELS["countries"], required=False, widget=forms.CheckboxSelectMultiple
    )
    coverage = forms.ChoiceField(label=FIELD_LABELS["coverage"], required=False)
    initiative_type = forms.ChoiceField(label=FIELD_LABELS["initiative_type"], required=False)
    implementation_status = forms.ChoiceField(
        label=FIELD_LABELS["implementation_status"], required=False
    )
    start_date = forms.DateField(
        label=FIELD_LABELS["start_date"],
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end_date = forms.DateField(
        label=FIELD_LABELS["end_date"],
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = sorted(
            _choices("countries", with_code=False), key=lambda choice: choice[1]
        )
        self.fields["coverage"].choices = _choices("coverage", blank=True, with_code=False)
        self.fields["initiative_type"].choices = _choices(
            "initiative-types", blank=True, with_code=False
        )
        self.fields["implementation_status"].choices = _choices(
            "statuses", blank=True, with_code=False
        )
        stakeholder_types = _choices("stakeholder-types", blank=True, with_code=False)
        countries = [("", "—"), *self.fields["countries"].choices]
        for index in range(MAX_PARTNERS):
            number = index + 1
            self.fields[f"partner_name_{index}"] = forms.CharField(
                label=_("Partner %(number)d: name") % {"number": number},
                required=False,
                max_length=300,
            )
            self.fields[f"partner_type_{index}"] = forms.ChoiceField(
                label=_("Partner %(number)d: stakeholder type") % {"number": number},
                required=False,
                choices=stakeholder_types,
            )
            self.fields[f"partner_country_{index}"] = forms.ChoiceField(
                label=_("Partner %(number)d: country") % {"number": number},
                required=False,
                choices=countries,
            )

    error_fields = {"partners": "partner_name_0"}

    def initial_from(self, document, language):
        initial = {
            name: document.get(name) or ""
            for name in ("coverage", "initiative_type", "implementation_status")
        }
        initial["countries"] = document.get("countries") or []
        initial["start_date"] = document.get("start_date")
        initial["end_date"] = document.get("end_date")
        for index, partner in enumerate((document.get("partners") or [])[:MAX_PARTNERS]):
            initial[f"partner_name_{index}"] = partner.get("name", "")
            initial[f"partner_type_{index}"] = partner.get("stakeholder_type", "")
            initial[f"partner_country_{index}"] = partner.get("country", "")
        return initial

    def partner_rows(self):
        return [
            (self[f"partner_name_{i}"], self[f"partner_type_{i}"], self[f"partner_country_{i}"])
            for i in range(MAX_PARTNERS)
        ]

    def apply(self):
        document = copy.deepcopy(self.document)
        data = self.cleaned_data
        for name in ("countries", "coverage", "initiative_type", "implementation_status"):
            document[name] = data[name]
        for name in ("start_date", "end_date"):
            document[name] = data[name].isoformat() if data[name] else None
        document["partners"] = [
            {
                "name": data[f"partner_name_{i}"],
                "stakeholder_type": data[f"partner_type_{i}"],
                "country": data[f"partner_country_{i}"],
            }
            for i in range(MAX_PARTNERS)
            if data[f"partner_name_{i}"].strip()
        ]
        return document


class LinksForm(StepForm):
    title_text = _("Links, funding and contact")

    website = forms.CharField(label=FIELD_LABELS["website"], required=False, max_length=500)
    links = forms.CharField(
        label=FIELD_LABELS["links"],
        required=False,
        widget=_textarea(3),
        help_text=_("One per line, as: label | https://address"),
    )
    keywords = forms.CharField(
        label=FIELD_LABELS["keywords"], required=False, help_text=_("Separated by commas.")
    )
    funding_source = forms.CharField(
        label=FIELD_LABELS["funding_source"], required=False, max_length=300
    )
    funding_amount = forms.CharField(
        label=FIELD_LABELS["funding_amount"], required=False, max_length=30
    )
    funding_currency = forms.CharField(
        label=FIELD_LABELS["funding_currency"], required=False, max_length=3,
        help_text=_("Three-letter code, such as USD or EUR."),
    )  # fmt: skip
    contact_name = forms.CharField(
        label=FIELD_LABELS["contact_name"], required=False, max_length=200
    )
    contact_email = forms.CharField(
        label=FIELD_LABELS["contact_email"], required=False, max_length=254,
        help_text=_("Seen by moderators only; never shown to visitors."),
    )  # fmt: skip

    def initial_from(self, document, language):
        initial = {
            name: document.get(name) or ""
            for name in (
                "website", "funding_source", "funding_amount", "funding_currency",
                "contact_name", "contact_email",
            )
        }  # fmt: skip
        initial["links"] = "\n".join(
            f"{link.get('label', '')} | {link.get('url', '')}"
            for link in document.get("links") or []
        )
        initial["keywords"] = ", ".join(document.get("keywords") or [])
        return initial

    def apply(self):
        document = copy.deepcopy(self.document)
        data = self.cleaned_data
        for name in (
            "website", "funding_source", "funding_amount", "funding_currency",
            "contact_name", "contact_email",
        ):  # fmt: skip
            document[name] = data[name]
        links = []
        for line in data["links"].splitlines():
            if not line.strip():
                continue
            label, _sep, url = line.rpartition("|") if "|" in line else ("", "", line)
            links.append({"label": label.strip(), "url": url.strip()})
        document["links"] = links
        document["keywords"] = [k.strip() for k in data["keywords"].split(",") if k.strip()]
        return document


STEPS = [BasicsForm, DescriptionForm, ClassificationForm, PlaceTimeForm, LinksForm]

# Which step holds each document field, to link review errors to the right page.
FIELD_STEP = {
    "original_language": 1, "title": 1, "summary": 1,
    "description": 2, "objectives": 2, "results": 2, "challenges": 2, "future_plans": 2,
    "action_lines": 3, "sdg_goals": 3, "sdg_goal_evidence": 3, "sdg_targets": 3,
    "gdc_objectives": 3,
    "wsis_targets": 3, "technologies": 3, "beneficiary_groups": 3,
    "countries": 4, "coverage": 4, "initiative_type": 4, "implementation_status": 4,
    "start_date": 4, "end_date": 4, "partners": 4,
}  # fmt: skip


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none()
    )
    original_language = forms.ChoiceField(label=FIELD_LABELS["original_language"])
    title = forms.CharField(label=FIELD_LABELS["title"], max_length=300)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["original_language"].choices = settings.LANGUAGES


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=_textarea(3))


class ImageForm(forms.Form):
    # Checked by content in the service (images.reencode_image), not by this field's name.
    image = forms.FileField(
        label=_("Image"),
        help_text=_("JPEG, PNG, WebP or GIF, up to 5 MB. It is re-encoded before it is shown."),
    )
    alt_text = forms.CharField(
        label=_("Text alternative"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )


# --- the moderation queue's filters (the queue page and the API) ---------------------------

KIND_CHOICES = [
    ("", _("All submissions")),
    ("new", _("New entries")),
    ("revision", _("Revisions of published entries")),
]


def _country(code: str) -> Term | None:
    if len(code) > 8:  # ISO 3166-1 codes are two letters; anything this long is noise
        return None
    try:
        return term_get(scheme_identifier="countries", code=code)
    except Term.DoesNotExist:
        return None


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    country = forms.CharField(
        label=_("Country of the organisation"), required=False, widget=forms.Select
    )

    def __init__(self, data, *, countries=()):
        super().__init__(data)
        self.fields["country"].widget.choices = [("", gettext("All countries"))] + [
            (term.code, term.label) for term in countries
        ]

    def clean_country(self) -> str:
        code = self.cleaned_data["country"].strip().upper()
        if not code:
            return ""
        term = _country(code)
        if term is None:
            raise ValidationError(
                gettext("“%(code)s” is not a known country code.") % {"code": code[:8]}
            )
        choices = self.fields["country"].widget.choices
        if code not in {value for value, _label in choices}:
            choices.append((term.code, term.label))
        return code

    def filters(self) -> dict[str, str]:
        """The valid filters only (an invalid one is reported, not applied)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] for name in ("kind", "country") if cleaned.get(name)}
