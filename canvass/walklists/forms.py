from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count

from canvass.models import Household, Role
from canvass.models.people import display_name
from wards.models import Segment


def volunteer_choices():
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.VOLUNTEER)
        .order_by("first_name", "last_name", "username")
    )


def _volunteer_label(user) -> str:
    return display_name(user)


class WalkListAssignForm(forms.Form):
    volunteers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = volunteer_choices()
        self.fields["volunteers"].label_from_instance = _volunteer_label


class WalkListCutForm(forms.Form):
    """Cut a walk list from one of the ward's target segments or from chosen streets, and assign it."""

    name = forms.CharField(max_length=120)
    segment = forms.ChoiceField(
        choices=[("", "— none: use the streets below —"), *Segment.choices],
        required=False,
        help_text="Every household with a voter in this segment.",
    )
    streets = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="With a segment: only its households in these streets. Alone: every household in them.",
    )
    volunteers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who walks it; you can assign it later too.",
    )

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward = ward
        streets = (
            Household.objects.filter(polling_district__ward=ward)
            .exclude(street="")
            .values("street")
            .annotate(doors=Count("id"))
            .order_by("street")
        )
        self.fields["streets"].choices = [(s["street"], f"{s['street']} ({s['doors']} doors)") for s in streets]
        self.fields["volunteers"].queryset = volunteer_choices()
        self.fields["volunteers"].label_from_instance = _volunteer_label

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("segment") and not cleaned.get("streets"):
            raise forms.ValidationError("Choose a target segment, one or more streets, or both.")
        return cleaned
