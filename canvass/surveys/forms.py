from django import forms

from canvass.surveys.models import QuestionKind
from wards.models import Segment, Ward

# The range a QuestionVersion's min_value and max_value (IntegerField) can store: beyond it the save was a 500.
INTEGER_RANGE = {"min_value": -(2**31), "max_value": 2**31 - 1}


class QuestionForm(forms.Form):
    """A survey question as an organiser writes it: choices one a line."""

    wording = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    kind = forms.ChoiceField(choices=QuestionKind.choices)
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line, for the choice questions.",
    )
    min_value = forms.IntegerField(label="Lowest number", required=False, **INTEGER_RANGE)
    max_value = forms.IntegerField(label="Highest number", required=False, **INTEGER_RANGE)
    order = forms.IntegerField(min_value=0, max_value=32767, initial=0, help_text="Asked in this order, lowest first.")
    wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every ward.",
    )
    starts_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    segments = forms.MultipleChoiceField(
        choices=Segment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every voter.",
    )
    is_active = forms.BooleanField(label="Asked at the door", required=False, initial=True)

    def __init__(self, *args, council, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].queryset = Ward.objects.filter(council=council).order_by("name")
        if editing:
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = "The kind stays as it was first asked."

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", f"The highest number is below the lowest ({low}).")
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and starts > ends:
            self.add_error("ends_on", "The question ends before it starts.")
        cleaned["choices"] = [line.strip() for line in (cleaned.get("choices") or "").splitlines() if line.strip()]
        if cleaned.get("kind") in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(cleaned["choices"]) < 2:
            self.add_error("choices", "Give at least two choices, one a line.")
        return cleaned


class ScriptForm(forms.Form):
    text = forms.CharField(
        label="Script",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few lines shown at the top of every door. Leave empty for none.",
    )
